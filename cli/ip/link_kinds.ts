/**
 * `ip -d link`'s kind-specific part (iproute2's per-kind print_opt): the
 * printer for each kind, from the data the library decodes (attributes by
 * their camelCase names). Bridge and bridge_slave are printed here; the
 * other kinds in the link_details_*.ts files.
 *
 * @module
 */
import { Kind, type Printer, sprintf } from "../common/output.ts";
import { printBond, printBondSlave } from "./link_details_bond.ts";
import type { KindData, KindPrinter } from "./link_details_common.ts";
import { printHsr, printIpvlan, printMacsec, printMacvlan, printTun, printVlan, printVrf } from "./link_details_l2.ts";
import { printGre, printGre6, printIp6tnl, printIptun, printVti, printXfrm } from "./link_details_tunnels.ts";
import { printBareudp, printGeneve, printVxlan } from "./link_details_udp.ts";

export type { KindData, KindPrinter } from "./link_details_common.ts";

/**
 * The kinds iproute2 6.1 has a print_opt for, with the library's data for
 * them (kinds whose print_opt prints nothing nlink can know, such as can or
 * gtp, are left out: the library keeps their data raw).
 */
const PRINTERS: Record<string, KindPrinter> = {
  bridge: (p, d, n) => printBridge(p, d, n),
  bridge_slave: (p, d, n) => printBridgeSlave(p, d, n),
  bond: printBond,
  bond_slave: printBondSlave,
  vxlan: printVxlan,
  geneve: printGeneve,
  bareudp: printBareudp,
  macvlan: printMacvlan,
  macvtap: printMacvlan,
  ipvlan: printIpvlan,
  ipvtap: printIpvlan,
  vlan: printVlan,
  vrf: printVrf,
  vrf_slave: printVrf,
  hsr: printHsr,
  macsec: printMacsec,
  tun: printTun,
  gre: printGre,
  gretap: printGre,
  erspan: printGre,
  ip6gre: printGre6,
  ip6gretap: printGre6,
  ip6erspan: printGre6,
  ipip: printIptun,
  sit: printIptun,
  ip6tnl: printIp6tnl,
  vti: printVti,
  vti6: printVti,
  xfrm: printXfrm,
};

/**
 * The detail printer for a kind (`"vxlan"`, `"bridge_slave"`, …), or
 * undefined when iproute2 prints no details for it (veth, ifb, dummy, …).
 *
 * @example
 * ```ts ignore
 * kindPrinter("bridge")?.(p, kindData(link.linkinfo.data), (i) => links.name(i));
 * ```
 */
export function kindPrinter(kind: string): KindPrinter | undefined {
  return Object.hasOwn(PRINTERS, kind) ? PRINTERS[kind] : undefined;
}

/**
 * A kind's data as the library decoded it, or undefined when it has none (or
 * only raw bytes, for kinds the library does not decode).
 *
 * @example
 * ```ts
 * import { kindData } from "./link_kinds.ts";
 * kindData({ stpState: 0 }); // { stpState: 0 }
 * kindData(new Uint8Array(4)); // undefined
 * ```
 */
export function kindData(data: unknown): KindData | undefined {
  return data !== null && typeof data === "object" && !(data instanceof Uint8Array) ? data as KindData : undefined;
}

/** A number attribute, or undefined when absent. */
function num(d: KindData, key: string): number | undefined {
  const v = d[key];
  return typeof v === "number" ? v : undefined;
}

/** A u64 attribute (timers, intervals), or undefined when absent. */
function big(d: KindData, key: string): bigint | undefined {
  const v = d[key];
  return typeof v === "bigint" ? v : undefined;
}

/** Jiffies (1/100 s) as iproute2 prints bridge timers: `%4i.%.2i`, raw `0.00` in JSON. */
function timer(p: Printer, key: string, jiffies: bigint | undefined): void {
  if (jiffies === undefined) return;
  const usec = 10000n * jiffies;
  const sec = Number(usec / 1000000n);
  const cs = Number((usec % 1000000n) / 10000n);
  p.raw(key, `${sec}.${String(cs).padStart(2, "0")}`);
  p.printf("%s %4i.%.2i ", key, sec, cs);
}

/**
 * A bridge id (struct ifla_bridge_id, `{ prio, address }`) as iproute2 writes
 * it: the priority's two bytes in hex, then the MAC as glibc's ether_ntoa
 * (hex bytes without zero padding): `8000.2:0:0:0:0:10`.
 */
function bridgeId(v: unknown): string | undefined {
  if (v === null || typeof v !== "object") return undefined;
  const { prio, address } = v as { prio: number; address: string };
  const mac = address.split(":").map((x) => parseInt(x, 16).toString(16)).join(":");
  return sprintf("%.2x%.2x.%s", prio >> 8, prio & 0xff, mac);
}

const printBridge: KindPrinter = (p, d) => {
  if (!d) return;
  const uint = (key: string, jsonKey: string, fmt: string) => {
    const v = num(d, key);
    if (v !== undefined) p.uint(Kind.Any, jsonKey, fmt, v);
  };
  const u64 = (key: string, jsonKey: string, fmt: string) => {
    const v = big(d, key);
    if (v !== undefined) p.uint(Kind.Any, jsonKey, fmt, v);
  };
  uint("forwardDelay", "forward_delay", "forward_delay %u ");
  uint("helloTime", "hello_time", "hello_time %u ");
  uint("maxAge", "max_age", "max_age %u ");
  uint("ageingTime", "ageing_time", "ageing_time %u ");
  uint("stpState", "stp_state", "stp_state %u ");
  uint("priority", "priority", "priority %u ");
  uint("vlanFiltering", "vlan_filtering", "vlan_filtering %u ");
  const proto = num(d, "vlanProtocol");
  if (proto !== undefined) {
    const name = proto === 0x8100 ? "802.1Q" : proto === 0x88a8 ? "802.1ad" : `[${proto}]`;
    p.string(Kind.Any, "vlan_protocol", "vlan_protocol %s ", name);
  }
  const id = bridgeId(d.bridgeId);
  if (id !== undefined) p.string(Kind.Any, "bridge_id", "bridge_id %s ", id);
  // iproute2 6.1 prints the bridge id here too (it reads IFLA_BR_BRIDGE_ID for the root).
  if (d.rootId !== undefined) p.string(Kind.Any, "root_id", "designated_root %s ", id);
  uint("rootPort", "root_port", "root_port %u ");
  uint("rootPathCost", "root_path_cost", "root_path_cost %u ");
  uint("topologyChange", "topology_change", "topology_change %u ");
  uint("topologyChangeDetected", "topology_change_detected", "topology_change_detected %u ");
  timer(p, "hello_timer", big(d, "helloTimer"));
  timer(p, "tcn_timer", big(d, "tcnTimer"));
  timer(p, "topology_change_timer", big(d, "topologyChangeTimer"));
  timer(p, "gc_timer", big(d, "gcTimer"));
  uint("vlanDefaultPvid", "vlan_default_pvid", "vlan_default_pvid %u ");
  uint("vlanStatsEnabled", "vlan_stats_enabled", "vlan_stats_enabled %u ");
  uint("vlanStatsPerPort", "vlan_stats_per_port", "vlan_stats_per_port %u ");
  const fwdMask = num(d, "groupFwdMask");
  if (fwdMask !== undefined) p.hex0x(Kind.Any, "group_fwd_mask", "group_fwd_mask %#llx ", fwdMask);
  if (typeof d.groupAddr === "string") p.string(Kind.Any, "group_addr", "group_address %s ", d.groupAddr);
  uint("mcastSnooping", "mcast_snooping", "mcast_snooping %u ");
  const boolopt = d.multiBoolopt as { optval: number; optmask: number } | undefined;
  if (boolopt !== undefined) {
    // struct br_boolopt_multi: bit 0 no_linklocal_learn, bit 1 mcast_vlan_snooping.
    const { optval, optmask } = boolopt;
    if (optmask & 1) p.uint(Kind.Any, "no_linklocal_learn", "no_linklocal_learn %u ", optval & 1 ? 1 : 0);
    if (optmask & 2) p.uint(Kind.Any, "mcast_vlan_snooping", "mcast_vlan_snooping %u ", optval & 2 ? 1 : 0);
  }
  uint("mcastRouter", "mcast_router", "mcast_router %u ");
  uint("mcastQueryUseIfaddr", "mcast_query_use_ifaddr", "mcast_query_use_ifaddr %u ");
  uint("mcastQuerier", "mcast_querier", "mcast_querier %u ");
  uint("mcastHashElasticity", "mcast_hash_elasticity", "mcast_hash_elasticity %u ");
  uint("mcastHashMax", "mcast_hash_max", "mcast_hash_max %u ");
  uint("mcastLastMemberCnt", "mcast_last_member_cnt", "mcast_last_member_count %u ");
  uint("mcastStartupQueryCnt", "mcast_startup_query_cnt", "mcast_startup_query_count %u ");
  u64("mcastLastMemberIntvl", "mcast_last_member_intvl", "mcast_last_member_interval %llu ");
  u64("mcastMembershipIntvl", "mcast_membership_intvl", "mcast_membership_interval %llu ");
  u64("mcastQuerierIntvl", "mcast_querier_intvl", "mcast_querier_interval %llu ");
  u64("mcastQueryIntvl", "mcast_query_intvl", "mcast_query_interval %llu ");
  u64("mcastQueryResponseIntvl", "mcast_query_response_intvl", "mcast_query_response_interval %llu ");
  u64("mcastStartupQueryIntvl", "mcast_startup_query_intvl", "mcast_startup_query_interval %llu ");
  uint("mcastStatsEnabled", "mcast_stats_enabled", "mcast_stats_enabled %u ");
  uint("mcastIgmpVersion", "mcast_igmp_version", "mcast_igmp_version %u ");
  uint("mcastMldVersion", "mcast_mld_version", "mcast_mld_version %u ");
  uint("nfCallIptables", "nf_call_iptables", "nf_call_iptables %u ");
  uint("nfCallIp6tables", "nf_call_ip6tables", "nf_call_ip6tables %u ");
  uint("nfCallArptables", "nf_call_arptables", "nf_call_arptables %u ");
};

const PORT_STATES = ["disabled", "listening", "learning", "forwarding", "blocking"];
const FWD_MASK_NAMES: Record<number, string> = { 0: "stp", 2: "lacp", 14: "lldp" };

/** A group forwarding mask as iproute2 spells its bits: `stp,0x2,lldp`, or `0x0`. */
function fwdMaskText(mask: number): string {
  const parts: string[] = [];
  for (let i = 0; mask; i++, mask >>= 1) if (mask & 1) parts.push(FWD_MASK_NAMES[i] ?? "0x" + (1 << i).toString(16));
  return parts.length ? parts.join(",") : "0x0";
}

const printBridgeSlave: KindPrinter = (p, d, names) => {
  if (!d) return;
  const onOff = (key: string, jsonKey: string, fmt: string) => {
    const v = num(d, key);
    if (v !== undefined) p.onOff(Kind.Any, jsonKey, fmt, v !== 0);
  };
  const uint = (key: string, jsonKey: string, fmt: string) => {
    const v = num(d, key);
    if (v !== undefined) p.uint(Kind.Any, jsonKey, fmt, v);
  };
  const hex = (key: string, jsonKey: string, fmt: string) => {
    const v = num(d, key);
    if (v !== undefined) p.hex0x(Kind.Any, jsonKey, fmt, v);
  };
  const state = num(d, "state");
  if (state !== undefined) {
    if (state < PORT_STATES.length) p.string(Kind.Any, "state", "state %s ", PORT_STATES[state]);
    else p.int(Kind.Any, "state_index", "state (%d) ", state);
  }
  uint("priority", "priority", "priority %d ");
  const cost = num(d, "cost");
  if (cost !== undefined) p.int(Kind.Any, "cost", "cost %d ", cost | 0); // a u32 printed with %d
  onOff("mode", "hairpin", "hairpin %s ");
  onOff("guard", "guard", "guard %s ");
  onOff("protect", "root_block", "root_block %s ");
  onOff("fastLeave", "fastleave", "fastleave %s ");
  onOff("learning", "learning", "learning %s ");
  onOff("unicastFlood", "flood", "flood %s ");
  hex("id", "id", "port_id %#llx ");
  hex("no", "no", "port_no %#llx ");
  uint("designatedPort", "designated_port", "designated_port %u ");
  uint("designatedCost", "designated_cost", "designated_cost %u ");
  const bridge = bridgeId(d.bridgeId);
  if (bridge !== undefined) p.string(Kind.Any, "bridge_id", "designated_bridge %s ", bridge);
  const root = bridgeId(d.rootId);
  if (root !== undefined) p.string(Kind.Any, "root_id", "designated_root %s ", root);
  timer(p, "hold_timer", big(d, "holdTimer"));
  timer(p, "message_age_timer", big(d, "messageAgeTimer"));
  timer(p, "forward_delay_timer", big(d, "forwardDelayTimer"));
  uint("topologyChangeAck", "topology_change_ack", "topology_change_ack %u ");
  uint("configPending", "config_pending", "config_pending %u ");
  onOff("proxyarp", "proxy_arp", "proxy_arp %s ");
  onOff("proxyarpWifi", "proxy_arp_wifi", "proxy_arp_wifi %s ");
  uint("multicastRouter", "multicast_router", "mcast_router %u ");
  // Printed a second time in text only: iproute2 keeps one JSON key for fast leave.
  const fastLeave = num(d, "fastLeave");
  if (fastLeave !== undefined) p.string(Kind.Text, null, "mcast_fast_leave %s ", fastLeave ? "on" : "off");
  onOff("mcastFlood", "mcast_flood", "mcast_flood %s ");
  onOff("bcastFlood", "bcast_flood", "bcast_flood %s ");
  onOff("mcastToUcast", "mcast_to_unicast", "mcast_to_unicast %s ");
  onOff("neighSuppress", "neigh_suppress", "neigh_suppress %s ");
  const fwdMask = num(d, "groupFwdMask");
  if (fwdMask !== undefined) {
    p.hex0x(Kind.Any, "group_fwd_mask", "group_fwd_mask %#llx ", fwdMask);
    p.string(Kind.Any, "group_fwd_mask_str", "group_fwd_mask_str %s ", fwdMaskText(fwdMask));
  }
  onOff("vlanTunnel", "vlan_tunnel", "vlan_tunnel %s ");
  onOff("isolated", "isolated", "isolated %s ");
  onOff("locked", "locked", "locked %s ");
  const backup = num(d, "backupPort");
  if (backup !== undefined) p.string(Kind.Any, "backup_port", "backup_port %s ", names(backup));
};
