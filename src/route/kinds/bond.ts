/**
 * bond: IFLA_BOND_* (the bond) and IFLA_BOND_SLAVE_* (a member), the typed
 * options of `ip link add NAME type bond mode M miimon N …` and `ip link set
 * DEV type bond_slave queue_id Q`, and the decoded data.
 *
 * @module
 */
import { cEnum, EnumTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import { BOOL, indexedAddresses, type KindCodec, type KindContext, type KindOptions, onOff } from "./common.ts";

/** Bonding modes (BOND_MODE_*), by iproute2's names: `balance-rr`, `active-backup`, `802.3ad`, … */
export const BOND_MODE: EnumTable = cEnum("linux/if_bonding.h", "BOND_MODE_", {
  ROUNDROBIN: 0,
  ACTIVEBACKUP: 1,
  XOR: 2,
  BROADCAST: 3,
  "8023AD": 4,
  TLB: 5,
  ALB: 6,
}, (k) =>
  ({
    ROUNDROBIN: "balance-rr",
    ACTIVEBACKUP: "active-backup",
    XOR: "balance-xor",
    BROADCAST: "broadcast",
    "8023AD": "802.3ad",
    TLB: "balance-tlb",
    ALB: "balance-alb",
  } as Record<string, string>)[k]);

/** Transmit hash policies (BOND_XMIT_POLICY_*), by iproute2's names: `layer2`, `layer3+4`, … */
export const BOND_XMIT_POLICY: EnumTable = cEnum("linux/if_bonding.h", "BOND_XMIT_POLICY_", {
  LAYER2: 0,
  LAYER34: 1,
  LAYER23: 2,
  ENCAP23: 3,
  ENCAP34: 4,
  VLAN_SRCMAC: 5,
}, (k) =>
  ({
    LAYER2: "layer2",
    LAYER34: "layer3+4",
    LAYER23: "layer2+3",
    ENCAP23: "encap2+3",
    ENCAP34: "encap3+4",
    VLAN_SRCMAC: "vlan+srcmac",
  } as Record<string, string>)[k]);

/** A member's state (BOND_STATE_*): `active`, `backup`. */
export const BOND_STATE: EnumTable = cEnum("linux/if_bonding.h", "BOND_STATE_", { ACTIVE: 0, BACKUP: 1 });

/** A member's MII link state (BOND_LINK_*): `up`, `fail`, `down`, `back`. */
export const BOND_LINK: EnumTable = cEnum("linux/if_bonding.h", "BOND_LINK_", { UP: 0, FAIL: 1, DOWN: 2, BACK: 3 });

// The remaining option values are the kernel's internal enums (include/net/bond_options.h,
// not exported to userspace headers): named by position, as iproute2 does.
const byPosition = (label: string, names: string[]) =>
  new EnumTable(label, Object.fromEntries(names.map((n, i) => [n, i])), (k) => k);

/** ARP validation (`arp_validate`). */
export const BOND_ARP_VALIDATE: EnumTable = byPosition("arp_validate", [
  "none",
  "active",
  "backup",
  "all",
  "filter",
  "filter_active",
  "filter_backup",
]);
/** Which ARP targets must answer (`arp_all_targets`). */
export const BOND_ARP_ALL_TARGETS: EnumTable = byPosition("arp_all_targets", ["any", "all"]);
/** When the primary becomes active again (`primary_reselect`). */
export const BOND_PRIMARY_RESELECT: EnumTable = byPosition("primary_reselect", ["always", "better", "failure"]);
/** How MAC addresses follow failover (`fail_over_mac`). */
export const BOND_FAIL_OVER_MAC: EnumTable = byPosition("fail_over_mac", ["none", "active", "follow"]);
/** LACPDU rate (`lacp_rate`). */
export const BOND_LACP_RATE: EnumTable = byPosition("lacp_rate", ["slow", "fast"]);
/** 802.3ad aggregator selection (`ad_select`). */
export const BOND_AD_SELECT: EnumTable = byPosition("ad_select", ["stable", "bandwidth", "count"]);

/** IFLA_BOND_AD_INFO_*: the active 802.3ad aggregator. */
const BOND_AD_INFO_ATTRS = attrSchema("IFLA_BOND_AD_INFO_", "linux/if_link.h", {
  AGGREGATOR: { id: 1, type: "u16" },
  NUM_PORTS: { id: 2, type: "u16" },
  ACTOR_KEY: { id: 3, type: "u16" },
  PARTNER_KEY: { id: 4, type: "u16" },
  PARTNER_MAC: { id: 5, type: "lladdr" },
});

/** IFLA_BOND_*: a bond's data, named with iproute2's words. */
export const BOND_ATTRS: AttrSchema = attrSchema("IFLA_BOND_", "linux/if_link.h", {
  MODE: { id: 1, type: "u8", enum: BOND_MODE },
  ACTIVE_SLAVE: { id: 2, type: "u32" },
  MIIMON: { id: 3, type: "u32" },
  UPDELAY: { id: 4, type: "u32" },
  DOWNDELAY: { id: 5, type: "u32" },
  USE_CARRIER: { id: 6, type: "custom", codec: BOOL },
  ARP_INTERVAL: { id: 7, type: "u32" },
  ARP_IP_TARGET: { id: 8, type: "custom", codec: indexedAddresses("ipv4") },
  ARP_VALIDATE: { id: 9, type: "u32", enum: BOND_ARP_VALIDATE },
  ARP_ALL_TARGETS: { id: 10, type: "u32", enum: BOND_ARP_ALL_TARGETS },
  PRIMARY: { id: 11, type: "u32" },
  PRIMARY_RESELECT: { id: 12, type: "u8", enum: BOND_PRIMARY_RESELECT },
  FAIL_OVER_MAC: { id: 13, type: "u8", enum: BOND_FAIL_OVER_MAC },
  XMIT_HASH_POLICY: { id: 14, type: "u8", enum: BOND_XMIT_POLICY },
  RESEND_IGMP: { id: 15, type: "u32" },
  NUM_PEER_NOTIF: { id: 16, type: "u8", name: "numGratArp" },
  ALL_SLAVES_ACTIVE: { id: 17, type: "custom", codec: BOOL },
  MIN_LINKS: { id: 18, type: "u32" },
  LP_INTERVAL: { id: 19, type: "u32" },
  PACKETS_PER_SLAVE: { id: 20, type: "u32" },
  AD_LACP_RATE: { id: 21, type: "u8", enum: BOND_LACP_RATE, name: "lacpRate" },
  AD_SELECT: { id: 22, type: "u8", enum: BOND_AD_SELECT },
  AD_INFO: { id: 23, type: "nested", schema: BOND_AD_INFO_ATTRS },
  AD_ACTOR_SYS_PRIO: { id: 24, type: "u16" },
  AD_USER_PORT_KEY: { id: 25, type: "u16" },
  AD_ACTOR_SYSTEM: { id: 26, type: "lladdr" },
  TLB_DYNAMIC_LB: { id: 27, type: "custom", codec: BOOL },
  PEER_NOTIF_DELAY: { id: 28, type: "u32", name: "peerNotifyDelay" },
  AD_LACP_ACTIVE: { id: 29, type: "custom", codec: BOOL, name: "lacpActive" },
  MISSED_MAX: { id: 30, type: "u8", name: "arpMissedMax" },
  NS_IP6_TARGET: { id: 31, type: "custom", codec: indexedAddresses("ipv6") },
  COUPLED_CONTROL: { id: 32, type: "custom", codec: BOOL },
});

/** IFLA_BOND_SLAVE_*: a bond member's data. */
export const BOND_SLAVE_ATTRS: AttrSchema = attrSchema("IFLA_BOND_SLAVE_", "linux/if_link.h", {
  STATE: { id: 1, type: "u8", enum: BOND_STATE },
  MII_STATUS: { id: 2, type: "u8", enum: BOND_LINK },
  LINK_FAILURE_COUNT: { id: 3, type: "u32" },
  PERM_HWADDR: { id: 4, type: "lladdr" },
  QUEUE_ID: { id: 5, type: "u16" },
  AD_AGGREGATOR_ID: { id: 6, type: "u16" },
  AD_ACTOR_OPER_PORT_STATE: { id: 7, type: "u8" },
  AD_PARTNER_OPER_PORT_STATE: { id: 8, type: "u16" },
  PRIO: { id: 9, type: "s32" },
  ACTOR_PORT_PRIO: { id: 10, type: "u16" },
  AD_CHURN_ACTOR_STATE: { id: 11, type: "u8" },
  AD_CHURN_PARTNER_STATE: { id: 12, type: "u8" },
});

/** The bond settings `ip link add/set … type bond` takes. */
export interface BondSettings {
  /** The mode (`mode`). */
  mode?: "balance-rr" | "active-backup" | "balance-xor" | "broadcast" | "802.3ad" | "balance-tlb" | "balance-alb";
  /** The active member (`active_slave`). */
  activeSlave?: Dev;
  /** Clear the active member (`clear_active_slave`). */
  clearActiveSlave?: boolean;
  /** MII link monitoring interval in ms (`miimon`). */
  miimon?: number;
  /** Delay before enabling a member whose link came up, ms (`updelay`). */
  updelay?: number;
  /** Delay before disabling a member whose link went down, ms (`downdelay`). */
  downdelay?: number;
  /** Delay between peer notifications, ms (`peer_notify_delay`). */
  peerNotifyDelay?: number;
  /** Use the carrier state rather than MII ioctls (`use_carrier`). */
  useCarrier?: boolean;
  /** ARP monitoring interval in ms (`arp_interval`). */
  arpInterval?: number;
  /** ARP monitoring targets, IPv4 (`arp_ip_target`; `[]` clears them). */
  arpIpTarget?: string[];
  /** NS monitoring targets, IPv6 (`ns_ip6_target`). */
  nsIp6Target?: string[];
  /** ARP validation (`arp_validate`). */
  arpValidate?: "none" | "active" | "backup" | "all" | "filter" | "filter_active" | "filter_backup";
  /** Which targets must answer (`arp_all_targets`). */
  arpAllTargets?: "any" | "all";
  /** Missed ARP answers before a member is down (`arp_missed_max`). */
  arpMissedMax?: number;
  /** The preferred member (`primary`). */
  primary?: Dev;
  /** When the primary becomes active again (`primary_reselect`). */
  primaryReselect?: "always" | "better" | "failure";
  /** MAC address policy on failover (`fail_over_mac`). */
  failOverMac?: "none" | "active" | "follow";
  /** Transmit hash policy (`xmit_hash_policy`). */
  xmitHashPolicy?: "layer2" | "layer3+4" | "layer2+3" | "encap2+3" | "encap3+4" | "vlan+srcmac";
  /** IGMP reports after a failover (`resend_igmp`). */
  resendIgmp?: number;
  /** Peer notifications after a failover (`num_grat_arp` / `num_unsol_na`). */
  numGratArp?: number;
  /** Deliver duplicates on inactive members (`all_slaves_active`). */
  allSlavesActive?: boolean;
  /** Members that must be up for the carrier (`min_links`). */
  minLinks?: number;
  /** Learning packet interval, s (`lp_interval`). */
  lpInterval?: number;
  /** Packets per member in balance-rr (`packets_per_slave`). */
  packetsPerSlave?: number;
  /** LACPDU rate (`lacp_rate`). */
  lacpRate?: "slow" | "fast";
  /** Send LACPDUs actively (`lacp_active`). */
  lacpActive?: boolean;
  /** Aggregator selection (`ad_select`). */
  adSelect?: "stable" | "bandwidth" | "count";
  /** 802.3ad user port key (`ad_user_port_key`). */
  adUserPortKey?: number;
  /** 802.3ad actor system priority (`ad_actor_sys_prio`). */
  adActorSysPrio?: number;
  /** 802.3ad actor system MAC (`ad_actor_system`). */
  adActorSystem?: string;
  /** Dynamic balancing in balance-tlb (`tlb_dynamic_lb`). */
  tlbDynamicLb?: boolean;
}

/**
 * A bond.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "bond", name: "bond0", mode: "802.3ad", miimon: 100, lacpRate: "fast" });
 * ```
 */
export interface BondOptions extends LinkCommonOptions, BondSettings {
  /** The kind. */
  kind: "bond";
}

/** The bond member settings `ip link set DEV type bond_slave …` takes. */
export interface BondSlaveSettings {
  /** Transmit queue for this member (`queue_id`). */
  queueId?: number;
  /** Failover priority (`prio`, Linux 6.0+). */
  prio?: number;
}

/** A bond's decoded data (`link.linkinfo.data` of kind `"bond"`). */
export interface BondData {
  /** Mode name (or number). */
  mode?: string | number;
  /** Active member ifindex. */
  activeSlave?: number;
  /** MII interval, ms. */
  miimon?: number;
  /** Up delay, ms. */
  updelay?: number;
  /** Down delay, ms. */
  downdelay?: number;
  /** Peer notification delay, ms. */
  peerNotifyDelay?: number;
  /** Carrier-based link detection. */
  useCarrier?: boolean;
  /** ARP interval, ms. */
  arpInterval?: number;
  /** ARP targets. */
  arpIpTarget?: string[];
  /** NS targets. */
  nsIp6Target?: string[];
  /** ARP validation. */
  arpValidate?: string | number;
  /** ARP all targets. */
  arpAllTargets?: string | number;
  /** Missed ARP answers tolerated. */
  arpMissedMax?: number;
  /** Primary member ifindex. */
  primary?: number;
  /** Primary reselection. */
  primaryReselect?: string | number;
  /** Fail-over MAC policy. */
  failOverMac?: string | number;
  /** Transmit hash policy. */
  xmitHashPolicy?: string | number;
  /** IGMP resends. */
  resendIgmp?: number;
  /** Peer notifications. */
  numGratArp?: number;
  /** All members active. */
  allSlavesActive?: boolean;
  /** Minimum links. */
  minLinks?: number;
  /** Learning packet interval. */
  lpInterval?: number;
  /** Packets per member. */
  packetsPerSlave?: number;
  /** LACP rate. */
  lacpRate?: string | number;
  /** LACP active. */
  lacpActive?: boolean;
  /** Aggregator selection. */
  adSelect?: string | number;
  /** The active aggregator (802.3ad). */
  adInfo?: { aggregator?: number; numPorts?: number; actorKey?: number; partnerKey?: number; partnerMac?: string };
  /** Actor system priority. */
  adActorSysPrio?: number;
  /** User port key. */
  adUserPortKey?: number;
  /** Actor system MAC. */
  adActorSystem?: string;
  /** TLB dynamic balancing. */
  tlbDynamicLb?: boolean;
  /** Coupled control (newer kernels). */
  coupledControl?: boolean;
}

/** A bond member's decoded data (`link.linkinfo.slaveData` of slave kind `"bond"`). */
export interface BondSlaveData {
  /** `"active"` or `"backup"`. */
  state?: string | number;
  /** `"up"`, `"fail"`, `"down"`, `"back"`. */
  miiStatus?: string | number;
  /** Link failures seen. */
  linkFailureCount?: number;
  /** Its own (permanent) MAC address. */
  permHwaddr?: string;
  /** Transmit queue id. */
  queueId?: number;
  /** 802.3ad aggregator id. */
  adAggregatorId?: number;
  /** 802.3ad actor port state bits. */
  adActorOperPortState?: number;
  /** 802.3ad partner port state bits. */
  adPartnerOperPortState?: number;
  /** Failover priority. */
  prio?: number;
  /** Actor port priority (newer kernels). */
  actorPortPrio?: number;
  /** Churn state of the actor. */
  adChurnActorState?: number;
  /** Churn state of the partner. */
  adChurnPartnerState?: number;
}

/** The bond options in iproute2's argument order (iplink_bond.c's parser order). */
const ORDER = [
  "mode",
  "activeSlave",
  "miimon",
  "updelay",
  "downdelay",
  "peerNotifyDelay",
  "useCarrier",
  "arpInterval",
  "arpIpTarget",
  "nsIp6Target",
  "arpValidate",
  "arpAllTargets",
  "arpMissedMax",
  "primary",
  "primaryReselect",
  "failOverMac",
  "xmitHashPolicy",
  "resendIgmp",
  "numGratArp",
  "allSlavesActive",
  "minLinks",
  "lpInterval",
  "packetsPerSlave",
  "lacpRate",
  "lacpActive",
  "adSelect",
  "adUserPortKey",
  "adActorSysPrio",
  "adActorSystem",
  "tlbDynamicLb",
] as const;

const BOOLS = new Set(["useCarrier", "allSlavesActive", "lacpActive", "tlbDynamicLb"]);

function encode(o: KindOptions, ctx: KindContext): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const name of ORDER) {
    const v = o[name];
    if (name === "activeSlave" && o.clearActiveSlave === true) out.activeSlave = 0;
    if (v === undefined) continue;
    if (name === "activeSlave" || name === "primary") out[name] = ctx.dev(name, v as Dev);
    else if (BOOLS.has(name)) out[name] = onOff(v, name) === 1;
    else out[name] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

function encodeSlave(o: KindOptions): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (o.queueId !== undefined) out.queueId = o.queueId;
  if (o.prio !== undefined) out.prio = o.prio;
  return Object.keys(out).length ? out : undefined;
}

/** bond's codec. */
export const BOND: KindCodec = { schema: BOND_ATTRS, encode, changeable: true, devOptions: ["activeSlave", "primary"] };
/** bond_slave's codec (member settings). */
export const BOND_SLAVE: KindCodec = { schema: BOND_SLAVE_ATTRS, encode: encodeSlave, changeable: true };
