/**
 * `ip -d link` details of bonds and their ports (iproute2's bond and
 * bond_slave print_opt), from the library's decoded data.
 *
 * @module
 */
import { Kind, type Printer } from "../common/output.ts";
import { enumIndex, type KindData, type KindPrinter, num } from "./link_details_common.ts";

const MODES = ["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"];
const ARP_VALIDATE = ["none", "active", "backup", "all", "filter", "filter_active", "filter_backup"];
const ARP_ALL_TARGETS = ["any", "all"];
const PRIMARY_RESELECT = ["always", "better", "failure"];
const FAIL_OVER_MAC = ["none", "active", "follow"];
const XMIT_HASH = ["layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac"];
const LACP_ACTIVE = ["off", "on"];
const LACP_RATE = ["slow", "fast"];
const AD_SELECT = ["stable", "bandwidth", "count"];

/** An enum attribute as iproute2's get_name prints it (`UNKNOWN` beyond its table). */
function named(p: Printer, d: KindData, key: string, table: string[], jsonKey: string, fmt: string): void {
  if (d[key] === undefined) return;
  const i = typeof d[key] === "boolean" ? (d[key] ? 1 : 0) : enumIndex(d, key, table);
  p.string(Kind.Any, jsonKey, fmt, i !== undefined && i < table.length ? table[i] : "UNKNOWN");
}

/** A target list: `arp_ip_target A,B ` in text, an array in JSON. */
function targets(p: Printer, key: string, text: string, list: unknown): void {
  if (!Array.isArray(list) || list.length === 0) return;
  p.openArray(Kind.Json, key);
  p.write(text);
  list.forEach((a, i) => p.string(Kind.Any, null, i < list.length - 1 ? "%s," : "%s", String(a)));
  p.write(" ");
  p.closeArray(Kind.Json);
}

/**
 * bond details.
 *
 * @example
 * ```ts ignore
 * printBond(p, { mode: "active-backup", miimon: 100 }, names); // "mode active-backup miimon 100 "
 * ```
 */
export const printBond: KindPrinter = (p, d, names) => {
  if (!d) return;
  const uint = (key: string, jsonKey: string, fmt: string) => {
    const v = num(d, key);
    if (v !== undefined) p.uint(Kind.Any, jsonKey, fmt, v);
  };
  const dev = (key: string, jsonKey: string) => {
    const v = num(d, key);
    if (v) p.string(Kind.Any, jsonKey, `${jsonKey} %s `, names(v));
  };
  named(p, d, "mode", MODES, "mode", "mode %s ");
  dev("activeSlave", "active_slave");
  uint("miimon", "miimon", "miimon %u ");
  uint("updelay", "updelay", "updelay %u ");
  uint("downdelay", "downdelay", "downdelay %u ");
  uint("peerNotifyDelay", "peer_notify_delay", "peer_notify_delay %u ");
  uint("useCarrier", "use_carrier", "use_carrier %u ");
  uint("arpInterval", "arp_interval", "arp_interval %u ");
  uint("arpMissedMax", "arp_missed_max", "arp_missed_max %u ");
  targets(p, "arp_ip_target", "arp_ip_target ", d.arpIpTarget);
  targets(p, "ns_ip6_target", "ns_ip6_target ", d.nsIp6Target);
  if (d.arpValidate !== undefined) {
    const i = enumIndex(d, "arpValidate", ARP_VALIDATE);
    if (i === 0 && p.json) p.null(Kind.Json, "arp_validate", "", "");
    else named(p, d, "arpValidate", ARP_VALIDATE, "arp_validate", "arp_validate %s ");
  }
  named(p, d, "arpAllTargets", ARP_ALL_TARGETS, "arp_all_targets", "arp_all_targets %s ");
  dev("primary", "primary");
  named(p, d, "primaryReselect", PRIMARY_RESELECT, "primary_reselect", "primary_reselect %s ");
  named(p, d, "failOverMac", FAIL_OVER_MAC, "fail_over_mac", "fail_over_mac %s ");
  named(p, d, "xmitHashPolicy", XMIT_HASH, "xmit_hash_policy", "xmit_hash_policy %s ");
  uint("resendIgmp", "resend_igmp", "resend_igmp %u ");
  uint("numGratArp", "num_peer_notif", "num_grat_arp %u ");
  uint("allSlavesActive", "all_slaves_active", "all_slaves_active %u ");
  uint("minLinks", "min_links", "min_links %u ");
  uint("lpInterval", "lp_interval", "lp_interval %u ");
  uint("packetsPerSlave", "packets_per_slave", "packets_per_slave %u ");
  named(p, d, "lacpActive", LACP_ACTIVE, "ad_lacp_active", "lacp_active %s ");
  named(p, d, "lacpRate", LACP_RATE, "ad_lacp_rate", "lacp_rate %s ");
  named(p, d, "adSelect", AD_SELECT, "ad_select", "ad_select %s ");
  const info = d.adInfo as KindData | undefined;
  if (info) {
    p.openObject("ad_info");
    const int = (key: string, jsonKey: string, fmt: string) => {
      const v = num(info, key);
      if (v !== undefined) p.int(Kind.Any, jsonKey, fmt, v);
    };
    int("aggregator", "aggregator", "ad_aggregator %d ");
    int("numPorts", "num_ports", "ad_num_ports %d ");
    int("actorKey", "actor_key", "ad_actor_key %d ");
    int("partnerKey", "partner_key", "ad_partner_key %d ");
    if (typeof info.partnerMac === "string") {
      p.string(Kind.Any, "partner_mac", "ad_partner_mac %s ", info.partnerMac);
    }
    p.closeObject();
  }
  uint("adActorSysPrio", "ad_actor_sys_prio", "ad_actor_sys_prio %u ");
  uint("adUserPortKey", "ad_user_port_key", "ad_user_port_key %u ");
  if (typeof d.adActorSystem === "string") {
    p.string(Kind.Any, "ad_actor_system", "ad_actor_system %s ", d.adActorSystem);
  }
  uint("tlbDynamicLb", "tlb_dynamic_lb", "tlb_dynamic_lb %u ");
};

const SLAVE_STATES = ["ACTIVE", "BACKUP"];
const MII_STATUS = ["UP", "GOING_DOWN", "DOWN", "GOING_BACK"];
const LACP_STATE: [number, string][] = [
  [0x1, "active"],
  [0x2, "short_timeout"],
  [0x4, "aggregating"],
  [0x8, "in_sync"],
  [0x10, "collecting"],
  [0x20, "distributing"],
  [0x40, "defaulted"],
  [0x80, "expired"],
];

/** A LACP port state's bits as `KEY <active,in_sync,…> ` (a list in JSON). */
function operState(p: Printer, key: string, state: number): void {
  // In text, iproute2's open_json_array prints the key itself.
  p.openArray(Kind.Any, key, key);
  p.write(" <");
  for (const [bit, name] of LACP_STATE) {
    if (!(state & bit)) continue;
    state &= ~bit;
    p.string(Kind.Any, null, state ? "%s," : "%s", name);
  }
  p.closeArray(Kind.Any, "> ");
}

/**
 * bond_slave details.
 *
 * @example
 * ```ts ignore
 * printBondSlave(p, { state: "backup", miiStatus: "up", linkFailureCount: 0 }, names);
 * ```
 */
export const printBondSlave: KindPrinter = (p, d) => {
  if (!d) return;
  const int = (key: string, jsonKey: string, fmt: string) => {
    const v = num(d, key);
    if (v !== undefined) p.int(Kind.Any, jsonKey, fmt, v | 0);
  };
  const state = enumIndex(d, "state", ["active", "backup"]);
  if (state !== undefined) {
    if (state >= SLAVE_STATES.length) p.int(Kind.Any, "state_index", "state %d ", state);
    else p.string(Kind.Any, "state", "state %s ", SLAVE_STATES[state]);
  }
  const mii = enumIndex(d, "miiStatus", ["up", "fail", "down", "back"]);
  if (mii !== undefined) {
    if (mii >= MII_STATUS.length) p.int(Kind.Any, "mii_status_index", "mii_status %d ", mii);
    else p.string(Kind.Any, "mii_status", "mii_status %s ", MII_STATUS[mii]);
  }
  int("linkFailureCount", "link_failure_count", "link_failure_count %d ");
  if (typeof d.permHwaddr === "string") p.string(Kind.Any, "perm_hwaddr", "perm_hwaddr %s ", d.permHwaddr);
  int("queueId", "queue_id", "queue_id %d ");
  int("prio", "prio", "prio %d ");
  int("adAggregatorId", "ad_aggregator_id", "ad_aggregator_id %d ");
  const actor = num(d, "adActorOperPortState");
  if (actor !== undefined) {
    p.int(Kind.Any, "ad_actor_oper_port_state", "ad_actor_oper_port_state %d ", actor);
    operState(p, "ad_actor_oper_port_state_str", actor);
  }
  const partner = num(d, "adPartnerOperPortState");
  if (partner !== undefined) {
    // iproute2 reads this u16 attribute's first byte only.
    const state = partner & 0xff;
    p.int(Kind.Any, "ad_partner_oper_port_state", "ad_partner_oper_port_state %d ", state);
    operState(p, "ad_partner_oper_port_state_str", state);
  }
};
