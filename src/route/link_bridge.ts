/**
 * Bridge link data as data: IFLA_BR_* (the bridge itself, IFLA_INFO_DATA of
 * kind "bridge") and IFLA_BRPORT_* (a port, IFLA_INFO_SLAVE_DATA of slave kind
 * "bridge").
 *
 * @module
 */
import { cTable } from "../core/ctable.ts";
import { ValidationError } from "../core/errors.ts";
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { ETH_P, type KindCodec, type KindContext, type KindOptions, onOff } from "./kinds/common.ts";
import type { Dev } from "./link_types.ts";

/** struct ifla_bridge_id: a bridge id, priority then MAC address. */
export const IFLA_BRIDGE_ID: StructDef = cStruct("linux/if_link.h", "struct ifla_bridge_id", [
  { c: "prio", type: "be16" },
  { c: "addr", type: "mac", size: 6, name: "address" },
]);

/** struct br_boolopt_multi: bridge boolean options (bit per option) and which ones apply. */
export const BR_BOOLOPT_MULTI: StructDef = cStruct("linux/if_bridge.h", "struct br_boolopt_multi", [
  { c: "optval", type: "u32" },
  { c: "optmask", type: "u32" },
]);

/** The multicast querier the bridge currently sees (BRIDGE_QUERIER_*). */
const QUERIER_STATE_ATTRS = attrSchema("BRIDGE_QUERIER_", "linux/if_bridge.h", {
  IP_ADDRESS: { id: 1, type: "ipv4" },
  IP_PORT: { id: 2, type: "u32" },
  IP_OTHER_TIMER: { id: 3, type: "u64" },
  PAD: { id: 4, type: "pad" },
  IPV6_ADDRESS: { id: 5, type: "ipv6" },
  IPV6_PORT: { id: 6, type: "u32" },
  IPV6_OTHER_TIMER: { id: 7, type: "u64" },
});

/** IFLA_BR_*: a bridge's settings and state (timers in 1/100 s, as the kernel reports them). */
export const BRIDGE_ATTRS: AttrSchema = attrSchema("IFLA_BR_", "linux/if_link.h", {
  FORWARD_DELAY: { id: 1, type: "u32" },
  HELLO_TIME: { id: 2, type: "u32" },
  MAX_AGE: { id: 3, type: "u32" },
  AGEING_TIME: { id: 4, type: "u32" },
  STP_STATE: { id: 5, type: "u32" },
  PRIORITY: { id: 6, type: "u16" },
  VLAN_FILTERING: { id: 7, type: "u8" },
  VLAN_PROTOCOL: { id: 8, type: "be16" },
  GROUP_FWD_MASK: { id: 9, type: "u16" },
  ROOT_ID: { id: 10, type: "struct", struct: IFLA_BRIDGE_ID },
  BRIDGE_ID: { id: 11, type: "struct", struct: IFLA_BRIDGE_ID },
  ROOT_PORT: { id: 12, type: "u16" },
  ROOT_PATH_COST: { id: 13, type: "u32" },
  TOPOLOGY_CHANGE: { id: 14, type: "u8" },
  TOPOLOGY_CHANGE_DETECTED: { id: 15, type: "u8" },
  HELLO_TIMER: { id: 16, type: "u64" },
  TCN_TIMER: { id: 17, type: "u64" },
  TOPOLOGY_CHANGE_TIMER: { id: 18, type: "u64" },
  GC_TIMER: { id: 19, type: "u64" },
  GROUP_ADDR: { id: 20, type: "lladdr" },
  FDB_FLUSH: { id: 21, type: "flag" },
  MCAST_ROUTER: { id: 22, type: "u8" },
  MCAST_SNOOPING: { id: 23, type: "u8" },
  MCAST_QUERY_USE_IFADDR: { id: 24, type: "u8" },
  MCAST_QUERIER: { id: 25, type: "u8" },
  MCAST_HASH_ELASTICITY: { id: 26, type: "u32" },
  MCAST_HASH_MAX: { id: 27, type: "u32" },
  MCAST_LAST_MEMBER_CNT: { id: 28, type: "u32" },
  MCAST_STARTUP_QUERY_CNT: { id: 29, type: "u32" },
  MCAST_LAST_MEMBER_INTVL: { id: 30, type: "u64" },
  MCAST_MEMBERSHIP_INTVL: { id: 31, type: "u64" },
  MCAST_QUERIER_INTVL: { id: 32, type: "u64" },
  MCAST_QUERY_INTVL: { id: 33, type: "u64" },
  MCAST_QUERY_RESPONSE_INTVL: { id: 34, type: "u64" },
  MCAST_STARTUP_QUERY_INTVL: { id: 35, type: "u64" },
  NF_CALL_IPTABLES: { id: 36, type: "u8" },
  NF_CALL_IP6TABLES: { id: 37, type: "u8" },
  NF_CALL_ARPTABLES: { id: 38, type: "u8" },
  VLAN_DEFAULT_PVID: { id: 39, type: "u16" },
  PAD: { id: 40, type: "pad" },
  VLAN_STATS_ENABLED: { id: 41, type: "u8" },
  MCAST_STATS_ENABLED: { id: 42, type: "u8" },
  MCAST_IGMP_VERSION: { id: 43, type: "u8" },
  MCAST_MLD_VERSION: { id: 44, type: "u8" },
  VLAN_STATS_PER_PORT: { id: 45, type: "u8" },
  MULTI_BOOLOPT: { id: 46, type: "struct", struct: BR_BOOLOPT_MULTI },
  MCAST_QUERIER_STATE: { id: 47, type: "nested", schema: QUERIER_STATE_ATTRS },
  // Newer than the audited headers; numbers from the kernel's rt-link spec.
  FDB_N_LEARNED: { id: 48, type: "u32", since: "6.8" },
  FDB_MAX_LEARNED: { id: 49, type: "u32", since: "6.8" },
});

/**
 * IFLA_BRPORT_*: a bridge port's settings and state. The on/off settings are
 * u8 on the wire (0 or 1), as the kernel sends and expects them.
 */
export const BRIDGE_PORT_ATTRS: AttrSchema = attrSchema("IFLA_BRPORT_", "linux/if_link.h", {
  STATE: { id: 1, type: "u8" },
  PRIORITY: { id: 2, type: "u16" },
  COST: { id: 3, type: "u32" },
  MODE: { id: 4, type: "u8" },
  GUARD: { id: 5, type: "u8" },
  PROTECT: { id: 6, type: "u8" },
  FAST_LEAVE: { id: 7, type: "u8" },
  LEARNING: { id: 8, type: "u8" },
  UNICAST_FLOOD: { id: 9, type: "u8" },
  PROXYARP: { id: 10, type: "u8" },
  LEARNING_SYNC: { id: 11, type: "u8" },
  PROXYARP_WIFI: { id: 12, type: "u8" },
  ROOT_ID: { id: 13, type: "struct", struct: IFLA_BRIDGE_ID },
  BRIDGE_ID: { id: 14, type: "struct", struct: IFLA_BRIDGE_ID },
  DESIGNATED_PORT: { id: 15, type: "u16" },
  DESIGNATED_COST: { id: 16, type: "u16" },
  ID: { id: 17, type: "u16" },
  NO: { id: 18, type: "u16" },
  TOPOLOGY_CHANGE_ACK: { id: 19, type: "u8" },
  CONFIG_PENDING: { id: 20, type: "u8" },
  MESSAGE_AGE_TIMER: { id: 21, type: "u64" },
  FORWARD_DELAY_TIMER: { id: 22, type: "u64" },
  HOLD_TIMER: { id: 23, type: "u64" },
  FLUSH: { id: 24, type: "flag" },
  MULTICAST_ROUTER: { id: 25, type: "u8" },
  PAD: { id: 26, type: "pad" },
  MCAST_FLOOD: { id: 27, type: "u8" },
  MCAST_TO_UCAST: { id: 28, type: "u8" },
  VLAN_TUNNEL: { id: 29, type: "u8" },
  BCAST_FLOOD: { id: 30, type: "u8" },
  GROUP_FWD_MASK: { id: 31, type: "u16" },
  NEIGH_SUPPRESS: { id: 32, type: "u8" },
  ISOLATED: { id: 33, type: "u8" },
  BACKUP_PORT: { id: 34, type: "u32" },
  MRP_RING_OPEN: { id: 35, type: "u8" },
  MRP_IN_OPEN: { id: 36, type: "u8" },
  MCAST_EHT_HOSTS_LIMIT: { id: 37, type: "u32" },
  MCAST_EHT_HOSTS_CNT: { id: 38, type: "u32" },
  LOCKED: { id: 39, type: "u8" },
  // Newer than the audited headers; numbers from the kernel's rt-link spec.
  MAB: { id: 40, type: "u8", since: "6.2" },
  MCAST_N_GROUPS: { id: 41, type: "u32", since: "6.3" },
  MCAST_MAX_GROUPS: { id: 42, type: "u32", since: "6.3" },
  NEIGH_VLAN_SUPPRESS: { id: 43, type: "u8", since: "6.6" },
  BACKUP_NHID: { id: 44, type: "u32", since: "6.7" },
});

/** The bridge settings `ip link add/set … type bridge` takes (timers in 1/100 s, intervals as bigint 1/100 s). */
export interface BridgeSettings {
  /** STP forward delay (`forward_delay`). */
  forwardDelay?: number;
  /** STP hello time (`hello_time`). */
  helloTime?: number;
  /** STP max message age (`max_age`). */
  maxAge?: number;
  /** FDB entry lifetime (`ageing_time`). */
  ageingTime?: number;
  /** STP: 0 off, 1 kernel, 2 user space (`stp_state`). */
  stpState?: number;
  /** Bridge priority (`priority`). */
  priority?: number;
  /** VLAN filtering (`vlan_filtering`). */
  vlanFiltering?: boolean | number;
  /** VLAN protocol: `"802.1Q"`, `"802.1ad"` or the number (`vlan_protocol`). */
  vlanProtocol?: "802.1Q" | "802.1ad" | number;
  /** Link-local groups to forward, a bit mask (`group_fwd_mask`). */
  groupFwdMask?: number;
  /** STP group address (`group_address`). */
  groupAddress?: string;
  /** Do not learn from link-local frames (`no_linklocal_learn`). */
  noLinklocalLearn?: boolean;
  /** Flush the FDB (`fdb_flush`). */
  fdbFlush?: boolean;
  /** Default PVID of new ports (`vlan_default_pvid`). */
  vlanDefaultPvid?: number;
  /** Per-VLAN statistics (`vlan_stats_enabled`). */
  vlanStatsEnabled?: boolean | number;
  /** Per-port VLAN statistics (`vlan_stats_per_port`). */
  vlanStatsPerPort?: boolean | number;
  /** Multicast router mode, 0-3 (`mcast_router`). */
  mcastRouter?: number;
  /** IGMP/MLD snooping (`mcast_snooping`). */
  mcastSnooping?: boolean | number;
  /** Per-VLAN snooping (`mcast_vlan_snooping`). */
  mcastVlanSnooping?: boolean;
  /** Use the bridge's address in queries (`mcast_query_use_ifaddr`). */
  mcastQueryUseIfaddr?: boolean | number;
  /** Act as querier (`mcast_querier`). */
  mcastQuerier?: boolean | number;
  /** Hash elasticity (`mcast_hash_elasticity`). */
  mcastHashElasticity?: number;
  /** Hash size (`mcast_hash_max`). */
  mcastHashMax?: number;
  /** Last member queries (`mcast_last_member_count`). */
  mcastLastMemberCount?: number;
  /** Startup queries (`mcast_startup_query_count`). */
  mcastStartupQueryCount?: number;
  /** Last member query interval (`mcast_last_member_interval`). */
  mcastLastMemberInterval?: bigint;
  /** Membership interval (`mcast_membership_interval`). */
  mcastMembershipInterval?: bigint;
  /** Other querier interval (`mcast_querier_interval`). */
  mcastQuerierInterval?: bigint;
  /** Query interval (`mcast_query_interval`). */
  mcastQueryInterval?: bigint;
  /** Query response interval (`mcast_query_response_interval`). */
  mcastQueryResponseInterval?: bigint;
  /** Startup query interval (`mcast_startup_query_interval`). */
  mcastStartupQueryInterval?: bigint;
  /** Multicast statistics (`mcast_stats_enabled`). */
  mcastStatsEnabled?: boolean | number;
  /** IGMP version, 2 or 3 (`mcast_igmp_version`). */
  mcastIgmpVersion?: number;
  /** MLD version, 1 or 2 (`mcast_mld_version`). */
  mcastMldVersion?: number;
  /** Pass bridged IPv4 to iptables (`nf_call_iptables`). */
  nfCallIptables?: boolean | number;
  /** Pass bridged IPv6 to ip6tables (`nf_call_ip6tables`). */
  nfCallIp6tables?: boolean | number;
  /** Pass bridged ARP to arptables (`nf_call_arptables`). */
  nfCallArptables?: boolean | number;
}

/** The bridge port settings `ip link set DEV type bridge_slave …` takes. */
export interface BridgeSlaveSettings {
  /** Flush the port's FDB entries (`fdb_flush`). */
  fdbFlush?: boolean;
  /** STP state, 0-4 (`state`). */
  state?: number;
  /** STP priority (`priority`). */
  priority?: number;
  /** STP path cost (`cost`). */
  cost?: number;
  /** Send frames back out of the port they came in (`hairpin`). */
  hairpin?: boolean;
  /** Ignore STP BPDUs (`guard`). */
  guard?: boolean;
  /** Never become root port (`root_block`). */
  rootBlock?: boolean;
  /** Leave multicast groups at once (`fastleave`). */
  fastleave?: boolean;
  /** Learn source addresses (`learning`). */
  learning?: boolean;
  /** Flood unknown unicast (`flood`). */
  flood?: boolean;
  /** Flood unknown multicast (`mcast_flood`). */
  mcastFlood?: boolean;
  /** Flood broadcast (`bcast_flood`). */
  bcastFlood?: boolean;
  /** Multicast to unicast (`mcast_to_unicast`). */
  mcastToUnicast?: boolean;
  /** ARP proxy (`proxy_arp`). */
  proxyArp?: boolean;
  /** ARP proxy for Wi-Fi (`proxy_arp_wifi`). */
  proxyArpWifi?: boolean;
  /** Multicast router mode, 0-3 (`mcast_router`). */
  mcastRouter?: number;
  /** Suppress ARP/ND (`neigh_suppress`). */
  neighSuppress?: boolean;
  /** Link-local groups to forward (`group_fwd_mask`). */
  groupFwdMask?: number;
  /** VLAN tunnel mapping (`vlan_tunnel`). */
  vlanTunnel?: boolean;
  /** Isolated port (`isolated`). */
  isolated?: boolean;
  /** 802.1X locked port (`locked`). */
  locked?: boolean;
  /** Backup port for failover, or `null` to remove it (`backup_port` / `nobackup_port`). */
  backupPort?: string | number | null;
}

/** Bridge boolean option bits of IFLA_BR_MULTI_BOOLOPT (BR_BOOLOPT_*). */
const BR_BOOLOPT = cTable("linux/if_bridge.h", "BR_BOOLOPT_", { NO_LL_LEARN: 0, MCAST_VLAN_SNOOPING: 1 });

/**
 * Bridge options → IFLA_BR_* attribute names, in iproute2's argument order
 * (iplink_bridge.c's parser order); `true` marks on/off settings sent as 0/1.
 */
const BRIDGE_OPTIONS: readonly (readonly [string, string, boolean?])[] = [
  ["forwardDelay", "forwardDelay"],
  ["helloTime", "helloTime"],
  ["maxAge", "maxAge"],
  ["ageingTime", "ageingTime"],
  ["stpState", "stpState"],
  ["priority", "priority"],
  ["vlanFiltering", "vlanFiltering", true],
  ["vlanProtocol", "vlanProtocol"],
  ["groupFwdMask", "groupFwdMask"],
  ["groupAddress", "groupAddr"],
  ["fdbFlush", "fdbFlush"],
  ["vlanDefaultPvid", "vlanDefaultPvid"],
  ["vlanStatsEnabled", "vlanStatsEnabled", true],
  ["vlanStatsPerPort", "vlanStatsPerPort", true],
  ["mcastRouter", "mcastRouter"],
  ["mcastSnooping", "mcastSnooping", true],
  ["mcastQueryUseIfaddr", "mcastQueryUseIfaddr", true],
  ["mcastQuerier", "mcastQuerier", true],
  ["mcastHashElasticity", "mcastHashElasticity"],
  ["mcastHashMax", "mcastHashMax"],
  ["mcastLastMemberCount", "mcastLastMemberCnt"],
  ["mcastStartupQueryCount", "mcastStartupQueryCnt"],
  ["mcastLastMemberInterval", "mcastLastMemberIntvl"],
  ["mcastMembershipInterval", "mcastMembershipIntvl"],
  ["mcastQuerierInterval", "mcastQuerierIntvl"],
  ["mcastQueryInterval", "mcastQueryIntvl"],
  ["mcastQueryResponseInterval", "mcastQueryResponseIntvl"],
  ["mcastStartupQueryInterval", "mcastStartupQueryIntvl"],
  ["mcastStatsEnabled", "mcastStatsEnabled", true],
  ["mcastIgmpVersion", "mcastIgmpVersion"],
  ["mcastMldVersion", "mcastMldVersion"],
  ["nfCallIptables", "nfCallIptables", true],
  ["nfCallIp6tables", "nfCallIp6tables", true],
  ["nfCallArptables", "nfCallArptables", true],
];

/** IFLA_BR_* in iproute2's order: the settings as parsed, the boolean option bits last. */
function encodeBridge(o: KindOptions): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [option, attr, onoff] of BRIDGE_OPTIONS) {
    const v = o[option];
    if (v === undefined) continue;
    if (option === "fdbFlush") {
      if (v === true) out.fdbFlush = true;
    } else if (option === "vlanProtocol") out.vlanProtocol = ETH_P.value(v as string | number, option);
    else out[attr] = onoff && typeof v === "boolean" ? onOff(v, option) : v;
  }
  let optval = 0, optmask = 0;
  for (
    const [option, bit] of [["noLinklocalLearn", BR_BOOLOPT.NO_LL_LEARN], [
      "mcastVlanSnooping",
      BR_BOOLOPT.MCAST_VLAN_SNOOPING,
    ]] as const
  ) {
    const on = onOff(o[option], option);
    if (on === undefined) continue;
    optmask |= 1 << bit;
    if (on) optval |= 1 << bit;
  }
  if (optmask) out.multiBoolopt = { optval, optmask };
  return Object.keys(out).length ? out : undefined;
}

/** Bridge port options → IFLA_BRPORT_* names, in iproute2's order (iplink_bridge_slave.c); `true`: on/off. */
const PORT_OPTIONS: readonly (readonly [string, string, boolean?])[] = [
  ["fdbFlush", "flush"],
  ["state", "state"],
  ["priority", "priority"],
  ["cost", "cost"],
  ["hairpin", "mode", true],
  ["guard", "guard", true],
  ["rootBlock", "protect", true],
  ["fastleave", "fastLeave", true],
  ["learning", "learning", true],
  ["flood", "unicastFlood", true],
  ["mcastFlood", "mcastFlood", true],
  ["bcastFlood", "bcastFlood", true],
  ["mcastToUnicast", "mcastToUcast", true],
  ["proxyArp", "proxyarp", true],
  ["proxyArpWifi", "proxyarpWifi", true],
  ["mcastRouter", "multicastRouter"],
  ["neighSuppress", "neighSuppress", true],
  ["groupFwdMask", "groupFwdMask"],
  ["vlanTunnel", "vlanTunnel", true],
  ["isolated", "isolated", true],
  ["locked", "locked", true],
  ["backupPort", "backupPort"],
];

/** IFLA_BRPORT_* of `ip link set DEV type bridge_slave …`, as parsed. */
function encodePort(o: KindOptions, ctx: KindContext): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [option, attr, onoff] of PORT_OPTIONS) {
    const v = o[option];
    if (v === undefined) continue;
    if (option === "fdbFlush") {
      if (v === true) out.flush = true;
      else if (v !== false) throw new ValidationError(option, v, "expected true or false");
    } else if (option === "backupPort") out.backupPort = v === null ? 0 : ctx.dev(option, v as Dev);
    else out[attr] = onoff ? onOff(v, option) : v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** bridge's codec. */
export const BRIDGE: KindCodec = { schema: BRIDGE_ATTRS, encode: encodeBridge, changeable: true };
/** bridge_slave's codec (port settings). */
export const BRIDGE_SLAVE: KindCodec = {
  schema: BRIDGE_PORT_ATTRS,
  encode: encodePort,
  changeable: true,
  devOptions: ["backupPort"],
};
