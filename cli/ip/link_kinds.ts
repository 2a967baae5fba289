/**
 * `ip -d link`'s kind-specific part (iproute2's per-kind print_opt) for the
 * kinds nlink prints: bridge and bridge_slave. The library hands their data
 * over as raw IFLA_INFO_DATA bytes, so they are read here attribute by attribute.
 *
 * @module
 */
import { attrsOf, type AttrTable } from "../common/nlattr.ts";
import { Kind, type Printer, sprintf } from "../common/output.ts";

/** A kind's detail printer: the attributes (undefined when the kernel sent no data). */
export type KindPrinter = (p: Printer, data: AttrTable | undefined, names: (index: number) => string) => void;

/** Largest attribute number each printer knows (iproute2 6.1's headers). */
const MAX: Record<string, number> = { bridge: 47, bridge_slave: 39 };

/**
 * The detail printer for a kind (`"bridge"`, `"bridge_slave"`), or undefined
 * when nlink does not print that kind's details.
 *
 * @example
 * ```ts ignore
 * kindPrinter("bridge")?.(p, data, (i) => links.name(i));
 * ```
 */
export function kindPrinter(kind: string): KindPrinter | undefined {
  return kind === "bridge" ? printBridge : kind === "bridge_slave" ? printBridgeSlave : undefined;
}

/**
 * Indexes a kind's raw data with that kind's attribute range.
 *
 * @example
 * ```ts ignore
 * const t = kindData("bridge", link.linkinfo.data);
 * ```
 */
export function kindData(kind: string, data: unknown): AttrTable | undefined {
  return data instanceof Uint8Array ? attrsOf(data, MAX[kind] ?? 64) : undefined;
}

/** Jiffies (1/100 s) as iproute2 prints bridge timers: `%4i.%.2i`, raw `0.00` in JSON. */
function timer(p: Printer, key: string, jiffies: bigint): void {
  const usec = 10000n * jiffies;
  const sec = Number(usec / 1000000n);
  const cs = Number((usec % 1000000n) / 10000n);
  p.raw(key, `${sec}.${String(cs).padStart(2, "0")}`);
  p.printf("%s %4i.%.2i ", key, sec, cs);
}

/** glibc's ether_ntoa: hex bytes without zero padding. */
function etherNtoa(b: Uint8Array, off: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(b[off + i].toString(16));
  return parts.join(":");
}

/** struct ifla_bridge_id: two priority bytes and a MAC, as `8000.aa:bb:…`. */
function bridgeId(t: AttrTable, attr: number): string {
  const o = t.start[attr];
  const b = t.bytes;
  return sprintf("%.2x%.2x.%s", b[o], b[o + 1], etherNtoa(b, o + 2));
}

function macText(t: AttrTable, attr: number): string {
  const parts: string[] = [];
  for (let i = 0; i < t.len[attr]; i++) parts.push(t.bytes[t.start[attr] + i].toString(16).padStart(2, "0"));
  return parts.join(":");
}

const printBridge: KindPrinter = (p, t) => {
  if (!t) return;
  const u32 = (attr: number, key: string, fmt: string) => t.has(attr) && p.uint(Kind.Any, key, fmt, t.u32(attr));
  const u16 = (attr: number, key: string, fmt: string) => t.has(attr) && p.uint(Kind.Any, key, fmt, t.u16(attr));
  const u8 = (attr: number, key: string, fmt: string) => t.has(attr) && p.uint(Kind.Any, key, fmt, t.u8(attr));
  const u64 = (attr: number, key: string, fmt: string) => t.has(attr) && p.uint(Kind.Any, key, fmt, t.u64(attr));
  u32(1, "forward_delay", "forward_delay %u ");
  u32(2, "hello_time", "hello_time %u ");
  u32(3, "max_age", "max_age %u ");
  u32(4, "ageing_time", "ageing_time %u ");
  u32(5, "stp_state", "stp_state %u ");
  u16(6, "priority", "priority %u ");
  u8(7, "vlan_filtering", "vlan_filtering %u ");
  if (t.has(8)) {
    const proto = t.view.getUint16(t.start[8], false);
    const name = proto === 0x8100 ? "802.1Q" : proto === 0x88a8 ? "802.1ad" : `[${proto}]`;
    p.string(Kind.Any, "vlan_protocol", "vlan_protocol %s ", name);
  }
  if (t.has(11)) p.string(Kind.Any, "bridge_id", "bridge_id %s ", bridgeId(t, 11));
  // iproute2 6.1 prints the bridge id here too (it reads IFLA_BR_BRIDGE_ID for the root).
  if (t.has(10)) p.string(Kind.Any, "root_id", "designated_root %s ", bridgeId(t, 11));
  u16(12, "root_port", "root_port %u ");
  u32(13, "root_path_cost", "root_path_cost %u ");
  u8(14, "topology_change", "topology_change %u ");
  u8(15, "topology_change_detected", "topology_change_detected %u ");
  if (t.has(16)) timer(p, "hello_timer", t.u64(16));
  if (t.has(17)) timer(p, "tcn_timer", t.u64(17));
  if (t.has(18)) timer(p, "topology_change_timer", t.u64(18));
  if (t.has(19)) timer(p, "gc_timer", t.u64(19));
  u16(39, "vlan_default_pvid", "vlan_default_pvid %u ");
  u8(41, "vlan_stats_enabled", "vlan_stats_enabled %u ");
  u8(45, "vlan_stats_per_port", "vlan_stats_per_port %u ");
  if (t.has(9)) p.hex0x(Kind.Any, "group_fwd_mask", "group_fwd_mask %#llx ", t.u16(9));
  if (t.has(20)) p.string(Kind.Any, "group_addr", "group_address %s ", macText(t, 20));
  u8(23, "mcast_snooping", "mcast_snooping %u ");
  if (t.has(46)) {
    // struct br_boolopt_multi { u32 optval; u32 optmask; }: bit 0 no_linklocal_learn, bit 1 mcast_vlan_snooping.
    const val = t.view.getUint32(t.start[46], true);
    const mask = t.view.getUint32(t.start[46] + 4, true);
    if (mask & 1) p.uint(Kind.Any, "no_linklocal_learn", "no_linklocal_learn %u ", val & 1 ? 1 : 0);
    if (mask & 2) p.uint(Kind.Any, "mcast_vlan_snooping", "mcast_vlan_snooping %u ", val & 2 ? 1 : 0);
  }
  u8(22, "mcast_router", "mcast_router %u ");
  u8(24, "mcast_query_use_ifaddr", "mcast_query_use_ifaddr %u ");
  u8(25, "mcast_querier", "mcast_querier %u ");
  u32(26, "mcast_hash_elasticity", "mcast_hash_elasticity %u ");
  u32(27, "mcast_hash_max", "mcast_hash_max %u ");
  u32(28, "mcast_last_member_cnt", "mcast_last_member_count %u ");
  u32(29, "mcast_startup_query_cnt", "mcast_startup_query_count %u ");
  u64(30, "mcast_last_member_intvl", "mcast_last_member_interval %llu ");
  u64(31, "mcast_membership_intvl", "mcast_membership_interval %llu ");
  u64(32, "mcast_querier_intvl", "mcast_querier_interval %llu ");
  u64(33, "mcast_query_intvl", "mcast_query_interval %llu ");
  u64(34, "mcast_query_response_intvl", "mcast_query_response_interval %llu ");
  u64(35, "mcast_startup_query_intvl", "mcast_startup_query_interval %llu ");
  u8(42, "mcast_stats_enabled", "mcast_stats_enabled %u ");
  u8(43, "mcast_igmp_version", "mcast_igmp_version %u ");
  u8(44, "mcast_mld_version", "mcast_mld_version %u ");
  u8(36, "nf_call_iptables", "nf_call_iptables %u ");
  u8(37, "nf_call_ip6tables", "nf_call_ip6tables %u ");
  u8(38, "nf_call_arptables", "nf_call_arptables %u ");
};

const PORT_STATES = ["disabled", "listening", "learning", "forwarding", "blocking"];
const FWD_MASK_NAMES: Record<number, string> = { 0: "stp", 2: "lacp", 14: "lldp" };

/** A group forwarding mask as iproute2 spells its bits: `stp,0x2,lldp`, or `0x0`. */
function fwdMaskText(mask: number): string {
  const parts: string[] = [];
  for (let i = 0; mask; i++, mask >>= 1) if (mask & 1) parts.push(FWD_MASK_NAMES[i] ?? "0x" + (1 << i).toString(16));
  return parts.length ? parts.join(",") : "0x0";
}

const printBridgeSlave: KindPrinter = (p, t, names) => {
  if (!t) return;
  const onOff = (attr: number, key: string, fmt: string) =>
    t.has(attr) && p.onOff(Kind.Any, key, fmt, t.u8(attr) !== 0);
  const uint = (attr: number, key: string, fmt: string, get: (a: number) => number) =>
    t.has(attr) && p.uint(Kind.Any, key, fmt, get(attr));
  const u8 = (a: number) => t.u8(a);
  const u16 = (a: number) => t.u16(a);
  if (t.has(1)) {
    const state = t.u8(1);
    if (state < PORT_STATES.length) p.string(Kind.Any, "state", "state %s ", PORT_STATES[state]);
    else p.int(Kind.Any, "state_index", "state (%d) ", state);
  }
  uint(2, "priority", "priority %d ", u16);
  if (t.has(3)) p.int(Kind.Any, "cost", "cost %d ", t.s32(3));
  onOff(4, "hairpin", "hairpin %s ");
  onOff(5, "guard", "guard %s ");
  onOff(6, "root_block", "root_block %s ");
  onOff(7, "fastleave", "fastleave %s ");
  onOff(8, "learning", "learning %s ");
  onOff(9, "flood", "flood %s ");
  if (t.has(17)) p.hex0x(Kind.Any, "id", "port_id %#llx ", t.u16(17));
  if (t.has(18)) p.hex0x(Kind.Any, "no", "port_no %#llx ", t.u16(18));
  uint(15, "designated_port", "designated_port %u ", u16);
  uint(16, "designated_cost", "designated_cost %u ", u16);
  if (t.has(14)) p.string(Kind.Any, "bridge_id", "designated_bridge %s ", bridgeId(t, 14));
  if (t.has(13)) p.string(Kind.Any, "root_id", "designated_root %s ", bridgeId(t, 13));
  if (t.has(23)) timer(p, "hold_timer", t.u64(23));
  if (t.has(21)) timer(p, "message_age_timer", t.u64(21));
  if (t.has(22)) timer(p, "forward_delay_timer", t.u64(22));
  uint(19, "topology_change_ack", "topology_change_ack %u ", u8);
  uint(20, "config_pending", "config_pending %u ", u8);
  onOff(10, "proxy_arp", "proxy_arp %s ");
  onOff(12, "proxy_arp_wifi", "proxy_arp_wifi %s ");
  uint(25, "multicast_router", "mcast_router %u ", u8);
  // Printed a second time in text only: iproute2 keeps one JSON key for fast leave.
  if (t.has(7)) p.string(Kind.Text, null, "mcast_fast_leave %s ", t.u8(7) ? "on" : "off");
  onOff(27, "mcast_flood", "mcast_flood %s ");
  onOff(30, "bcast_flood", "bcast_flood %s ");
  onOff(28, "mcast_to_unicast", "mcast_to_unicast %s ");
  onOff(32, "neigh_suppress", "neigh_suppress %s ");
  if (t.has(31)) {
    const mask = t.u16(31);
    p.hex0x(Kind.Any, "group_fwd_mask", "group_fwd_mask %#llx ", mask);
    p.string(Kind.Any, "group_fwd_mask_str", "group_fwd_mask_str %s ", fwdMaskText(mask));
  }
  onOff(29, "vlan_tunnel", "vlan_tunnel %s ");
  onOff(33, "isolated", "isolated %s ");
  onOff(39, "locked", "locked %s ");
  if (t.has(34)) p.string(Kind.Any, "backup_port", "backup_port %s ", names(t.u32(34)));
};
