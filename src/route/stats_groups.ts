/**
 * Every group of interface statistics RTM_GETSTATS offers (`ip stats`): the
 * 64-bit counters, the per-kind extended statistics of a bridge or bond and of
 * their ports, offload statistics (traffic seen by the CPU, hardware L3
 * counters and whether they are on), and per-family counters (MPLS); and
 * RTM_SETSTATS to switch hardware L3 statistics on or off.
 *
 * @example
 * ```ts ignore
 * const [br] = await getInterfaceStats(conn, { dev: "br0", groups: ["xstats"] });
 * br.xstats?.bridge?.mcast?.igmpV2queries; // [0n, 0n]
 * ```
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, messageSchema, type MessageView } from "../core/message.ts";
import { attrSchema } from "../core/schema.ts";
import { cStruct } from "../core/struct.ts";
import { MessageWriter } from "../core/writer.ts";
import { BRIDGE_VLAN_INFO } from "./bridge_attrs.ts";
import { RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import { LINK_STATS64, STAT_FIELDS } from "./link_stats.ts";
import type { LinkStats } from "./link_types.ts";
import { IF_STATS_MSG } from "./stats.ts";

const u64s = (names: string[]) => names.map((c) => ({ c, type: "u64" as const }));
const pairs = (names: string[]) => names.map((c) => ({ c, type: "u64" as const, count: 2 }));

/** struct rtnl_hw_stats64: counters of traffic the hardware forwarded (L3 offload). */
export const HW_STATS64 = cStruct(
  "linux/if_link.h",
  "struct rtnl_hw_stats64",
  u64s(STAT_FIELDS.slice(0, 9)), // rx_packets … multicast
);

/** struct br_mcast_stats: IGMP/MLD counters, each a [received, sent] pair (but the parse errors). */
export const BR_MCAST_STATS = cStruct("linux/if_bridge.h", "struct br_mcast_stats", [
  ...pairs([
    "igmp_v1queries",
    "igmp_v2queries",
    "igmp_v3queries",
    "igmp_leaves",
    "igmp_v1reports",
    "igmp_v2reports",
    "igmp_v3reports",
  ]),
  { c: "igmp_parse_errors", type: "u64" },
  ...pairs(["mld_v1queries", "mld_v2queries", "mld_leaves", "mld_v1reports", "mld_v2reports"]),
  { c: "mld_parse_errors", type: "u64" },
  ...pairs(["mcast_bytes", "mcast_packets"]),
]);

/** struct bridge_stp_xstats: a bridge port's STP counters. */
export const BRIDGE_STP_XSTATS = cStruct(
  "linux/if_bridge.h",
  "struct bridge_stp_xstats",
  u64s(["transition_blk", "transition_fwd", "rx_bpdu", "tx_bpdu", "rx_tcn", "tx_tcn"]),
);

/** struct mpls_link_stats. */
export const MPLS_LINK_STATS = cStruct(
  "linux/mpls.h",
  "struct mpls_link_stats",
  u64s([...STAT_FIELDS.slice(0, 8), "rx_noroute"]), // rx_packets … tx_dropped, then its own
);

/** struct bridge_vlan_xstats: one VLAN's counters on a bridge or a port, with its VLAN flags. */
export const BRIDGE_VLAN_XSTATS = cStruct("linux/if_bridge.h", "struct bridge_vlan_xstats", [
  ...u64s(["rx_bytes", "rx_packets", "tx_bytes", "tx_packets"]),
  { c: "vid", type: "u16" },
  { c: "flags", type: "u16", flags: BRIDGE_VLAN_INFO },
  { type: "pad", size: 4 }, // pad2
]);

const BRIDGE_XSTATS_ATTRS = attrSchema("BRIDGE_XSTATS_", "linux/if_bridge.h", {
  VLAN: { id: 1, type: "struct", struct: BRIDGE_VLAN_XSTATS, multi: true },
  MCAST: { id: 2, type: "struct", struct: BR_MCAST_STATS },
  PAD: { id: 3, type: "pad" },
  STP: { id: 4, type: "struct", struct: BRIDGE_STP_XSTATS },
});

const BOND_3AD_STAT_ATTRS = attrSchema("BOND_3AD_STAT_", "linux/if_bonding.h", {
  // This enum has no UNSPEC: the first counter is attribute 0.
  LACPDU_RX: { id: 0, type: "u64", name: "lacpduRx" },
  LACPDU_TX: { id: 1, type: "u64", name: "lacpduTx" },
  LACPDU_UNKNOWN_RX: { id: 2, type: "u64", name: "lacpduUnknownRx" },
  LACPDU_ILLEGAL_RX: { id: 3, type: "u64", name: "lacpduIllegalRx" },
  MARKER_RX: { id: 4, type: "u64" },
  MARKER_TX: { id: 5, type: "u64" },
  MARKER_RESP_RX: { id: 6, type: "u64" },
  MARKER_RESP_TX: { id: 7, type: "u64" },
  MARKER_UNKNOWN_RX: { id: 8, type: "u64" },
  PAD: { id: 9, type: "pad" },
});

const BOND_XSTATS_ATTRS = attrSchema("BOND_XSTATS_", "linux/if_bonding.h", {
  "3AD": { id: 1, type: "nested", schema: BOND_3AD_STAT_ATTRS, name: "lacp" },
});

const LINK_XSTATS_ATTRS = attrSchema("LINK_XSTATS_TYPE_", "linux/if_link.h", {
  BRIDGE: { id: 1, type: "nested", schema: BRIDGE_XSTATS_ATTRS },
  BOND: { id: 2, type: "nested", schema: BOND_XSTATS_ATTRS },
});

const HW_S_INFO_ONE_ATTRS = attrSchema("IFLA_OFFLOAD_XSTATS_HW_S_INFO_", "linux/if_link.h", {
  REQUEST: { id: 1, type: "u8" },
  USED: { id: 2, type: "u8" },
});

const HW_S_INFO_ATTRS = attrSchema("IFLA_OFFLOAD_XSTATS_", "linux/if_link.h", {
  L3_STATS: { id: 3, type: "nested", schema: HW_S_INFO_ONE_ATTRS },
});

const OFFLOAD_XSTATS_ATTRS = attrSchema("IFLA_OFFLOAD_XSTATS_", "linux/if_link.h", {
  CPU_HIT: { id: 1, type: "struct", struct: LINK_STATS64 },
  HW_S_INFO: { id: 2, type: "nested", schema: HW_S_INFO_ATTRS, name: "hwStatsInfo" },
  L3_STATS: { id: 3, type: "struct", struct: HW_STATS64 },
});

const MPLS_STATS_ATTRS = attrSchema("MPLS_STATS_", "linux/mpls.h", {
  LINK: { id: 1, type: "struct", struct: MPLS_LINK_STATS },
});

const AF_STATS_ATTRS = attrSchema("AF_", "sys/socket.h", {
  MPLS: { id: 28, type: "nested", schema: MPLS_STATS_ATTRS },
});

/** IFLA_STATS_*: the groups of an RTM_NEWSTATS reply, every one decoded. */
export const STATS_GROUP_ATTRS = attrSchema("IFLA_STATS_", "linux/if_link.h", {
  LINK_64: { id: 1, type: "struct", struct: LINK_STATS64, name: "link64" },
  LINK_XSTATS: { id: 2, type: "nested", schema: LINK_XSTATS_ATTRS, name: "xstats" },
  LINK_XSTATS_SLAVE: { id: 3, type: "nested", schema: LINK_XSTATS_ATTRS, name: "xstatsSlave" },
  LINK_OFFLOAD_XSTATS: { id: 4, type: "nested", schema: OFFLOAD_XSTATS_ATTRS, name: "offload" },
  AF_SPEC: { id: 5, type: "nested", schema: AF_STATS_ATTRS, name: "afSpec" },
});

/** IFLA_STATS_GET_FILTERS: per group, which of its sub-attributes to send (a bit per attribute). */
const GET_FILTER_ATTRS = attrSchema("IFLA_STATS_", "linux/if_link.h", {
  LINK_OFFLOAD_XSTATS: { id: 4, type: "u32", name: "offload" },
});

/** IFLA_STATS_GETSET_*: the attributes of a stats request. */
export const STATS_GETSET_ATTRS = attrSchema("IFLA_STATS_", "linux/if_link.h", {
  GET_FILTERS: { id: 1, type: "nested", schema: GET_FILTER_ATTRS, nestedFlag: true },
  SET_OFFLOAD_XSTATS_L3_STATS: { id: 2, type: "u8", name: "l3Stats" },
});

const REPLY = messageSchema("stats", IF_STATS_MSG, STATS_GROUP_ATTRS);
const REQUEST = messageSchema("stats request", IF_STATS_MSG, STATS_GETSET_ATTRS);

/** A group of statistics: `link64` (IFLA_STATS_LINK_64) and the rest named as in {@linkcode InterfaceStats}. */
export type StatsGroup = "link64" | "xstats" | "xstatsSlave" | "offload" | "afSpec";

/** One of the offload statistics (IFLA_OFFLOAD_XSTATS_*). */
export type OffloadStat = "cpuHit" | "hwStatsInfo" | "l3Stats";

const GROUP_IDS: Record<StatsGroup, number> = { link64: 1, xstats: 2, xstatsSlave: 3, offload: 4, afSpec: 5 };
const OFFLOAD_IDS: Record<OffloadStat, number> = { cpuHit: 1, hwStatsInfo: 2, l3Stats: 3 };
const OFFLOAD_ALL = 0b111;

/** struct rtnl_hw_stats64, decoded. */
export interface HwStats64 {
  /** Packets received. */
  rxPackets: bigint;
  /** Packets sent. */
  txPackets: bigint;
  /** Bytes received. */
  rxBytes: bigint;
  /** Bytes sent. */
  txBytes: bigint;
  /** Receive errors. */
  rxErrors: bigint;
  /** Send errors. */
  txErrors: bigint;
  /** Received packets dropped. */
  rxDropped: bigint;
  /** Packets dropped before sending. */
  txDropped: bigint;
  /** Multicast packets received. */
  multicast: bigint;
}

/** IGMP/MLD counters of a bridge or port: pairs are [received, sent]. */
export interface BridgeMcastStats {
  /** IGMPv1 queries. */
  igmpV1queries: [bigint, bigint];
  /** IGMPv2 queries. */
  igmpV2queries: [bigint, bigint];
  /** IGMPv3 queries. */
  igmpV3queries: [bigint, bigint];
  /** IGMP leave messages. */
  igmpLeaves: [bigint, bigint];
  /** IGMPv1 reports. */
  igmpV1reports: [bigint, bigint];
  /** IGMPv2 reports. */
  igmpV2reports: [bigint, bigint];
  /** IGMPv3 reports. */
  igmpV3reports: [bigint, bigint];
  /** IGMP packets that failed to parse. */
  igmpParseErrors: bigint;
  /** MLDv1 queries. */
  mldV1queries: [bigint, bigint];
  /** MLDv2 queries. */
  mldV2queries: [bigint, bigint];
  /** MLD done messages. */
  mldLeaves: [bigint, bigint];
  /** MLDv1 reports. */
  mldV1reports: [bigint, bigint];
  /** MLDv2 reports. */
  mldV2reports: [bigint, bigint];
  /** MLD packets that failed to parse. */
  mldParseErrors: bigint;
  /** Multicast bytes. */
  mcastBytes: [bigint, bigint];
  /** Multicast packets. */
  mcastPackets: [bigint, bigint];
}

/** A bridge port's STP counters. */
export interface BridgeStpStats {
  /** Transitions to blocking. */
  transitionBlk: bigint;
  /** Transitions to forwarding. */
  transitionFwd: bigint;
  /** BPDUs received. */
  rxBpdu: bigint;
  /** BPDUs sent. */
  txBpdu: bigint;
  /** Topology change notifications received. */
  rxTcn: bigint;
  /** Topology change notifications sent. */
  txTcn: bigint;
}

/** A bond's (or bond port's) 802.3ad counters; each present when the kernel sent it. */
export interface Bond3adStats {
  /** LACPDUs received. */
  lacpduRx?: bigint;
  /** LACPDUs sent. */
  lacpduTx?: bigint;
  /** LACPDUs of unknown type received. */
  lacpduUnknownRx?: bigint;
  /** Illegal LACPDUs received. */
  lacpduIllegalRx?: bigint;
  /** Marker PDUs received. */
  markerRx?: bigint;
  /** Marker PDUs sent. */
  markerTx?: bigint;
  /** Marker responses received. */
  markerRespRx?: bigint;
  /** Marker responses sent. */
  markerRespTx?: bigint;
  /** Marker PDUs of unknown type received. */
  markerUnknownRx?: bigint;
}

/**
 * One VLAN's counters (struct bridge_vlan_xstats). The bridge reports the VLANs
 * of its own device with `master` and `brentry` among the flags, a port's
 * without `master`.
 */
export interface BridgeVlanXstats {
  /** Bytes received in this VLAN. */
  rxBytes: bigint;
  /** Packets received in this VLAN. */
  rxPackets: bigint;
  /** Bytes sent in this VLAN. */
  txBytes: bigint;
  /** Packets sent in this VLAN. */
  txPackets: bigint;
  /** The VLAN id. */
  vid: number;
  /** BRIDGE_VLAN_INFO_* flags: `master`, `pvid`, `untagged`, `brentry`, … */
  flags: string[];
}

/** Extended statistics of one link kind (or of a port of one). */
export interface LinkXstats {
  /** LINK_XSTATS_TYPE_BRIDGE; `vlan` counters count only while the bridge has `vlan_stats_enabled` on. */
  bridge?: { mcast?: BridgeMcastStats; stp?: BridgeStpStats; vlan?: BridgeVlanXstats[] };
  /** LINK_XSTATS_TYPE_BOND. */
  bond?: { lacp?: Bond3adStats };
}

/** Whether hardware statistics of one kind were asked for (`request`) and are in use (`used`): 0 or 1. */
export interface HwStatsInfo {
  /** Asked for (1) or not (0). */
  request?: number;
  /** In use (1) or not (0). */
  used?: number;
}

/** MPLS counters of a link. */
export interface MplsLinkStats {
  /** Packets received. */
  rxPackets: bigint;
  /** Packets sent. */
  txPackets: bigint;
  /** Bytes received. */
  rxBytes: bigint;
  /** Bytes sent. */
  txBytes: bigint;
  /** Receive errors. */
  rxErrors: bigint;
  /** Send errors. */
  txErrors: bigint;
  /** Received packets dropped. */
  rxDropped: bigint;
  /** Packets dropped before sending. */
  txDropped: bigint;
  /** Received packets without a route. */
  rxNoroute: bigint;
}

/** One link's statistics: the groups asked for, as far as the kernel has them. */
export interface InterfaceStats {
  /** Interface index. */
  index: number;
  /** The 64-bit counters. */
  link64?: LinkStats<bigint>;
  /** Extended statistics of the link's kind. */
  xstats?: LinkXstats;
  /** Extended statistics of the link as a port of its master. */
  xstatsSlave?: LinkXstats;
  /** Offload statistics. */
  offload?: { cpuHit?: LinkStats<bigint>; hwStatsInfo?: { l3Stats?: HwStatsInfo }; l3Stats?: HwStats64 };
  /** Per-family statistics. */
  afSpec?: { mpls?: { link?: MplsLinkStats } };
}

/** Which statistics {@linkcode getInterfaceStats} reads. */
export interface GetInterfaceStatsOptions {
  /** One link (default: every link, a dump). */
  dev?: Dev;
  /** The groups (IFLA_STATS_FILTER_BIT of each). */
  groups: readonly StatsGroup[];
  /** Within `offload`, only these (default: all). */
  offload?: readonly OffloadStat[];
}

/** The filter bits (`1 << (id - 1)`) of the names asked for; an unknown name is a ValidationError on `field`. */
function filterBits<K extends string>(field: string, names: readonly K[], ids: Record<K, number>): number {
  let bits = 0;
  for (const name of names) {
    const id = ids[name];
    if (id === undefined) throw new ValidationError(field, name, `expected one of ${Object.keys(ids).join(", ")}`);
    bits |= 1 << (id - 1);
  }
  return bits;
}

/**
 * Builds the RTM_GETSTATS request (a dump without `index`), as iproute2 does:
 * the group mask in the header, and a filter nest only when a subset of the
 * offload statistics is asked for.
 *
 * @example
 * ```ts
 * import { interfaceStatsRequest } from "./stats_groups.ts";
 * interfaceStatsRequest({ groups: ["link64", "offload"], offload: ["cpuHit"] }).length; // 40
 * ```
 */
export function interfaceStatsRequest(options: Omit<GetInterfaceStatsOptions, "dev">, index?: number): Uint8Array {
  const mask = filterBits("groups", options.groups, GROUP_IDS);
  const offload = filterBits("offload", options.offload ?? [], OFFLOAD_IDS);
  const attrs = offload !== 0 && offload !== OFFLOAD_ALL ? { getFilters: { offload } } : {};
  const w = new MessageWriter(48);
  const flags = index === undefined ? REQUEST_FLAGS.dump : REQUEST_FLAGS.get;
  encodeMessage(w, REQUEST, RTM.GETSTATS, flags, { family: "unspec", ifindex: index ?? 0, filterMask: mask }, attrs);
  return w.bytes();
}

/**
 * An RTM_NEWSTATS message (a reply, or a notification of group `stats`) as
 * {@linkcode InterfaceStats}; undefined for another message type.
 *
 * @example
 * ```ts ignore
 * const s = decodeInterfaceStats(msg); // { index, offload: { hwStatsInfo: { l3Stats: { request, used } } } }
 * ```
 */
export function decodeInterfaceStats(m: MessageView): InterfaceStats | undefined {
  if (m.type !== RTM.NEWSTATS) return undefined;
  const d = decodeMessage(REPLY, m) as Record<string, unknown>;
  const out: InterfaceStats = { index: d.ifindex as number };
  for (const key of ["link64", "xstats", "xstatsSlave", "offload", "afSpec"] as const) {
    if (d[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = d[key];
  }
  return out;
}

/**
 * Reads the statistics groups asked for, of every link or of one.
 *
 * @example
 * ```ts ignore
 * for (const s of await getInterfaceStats(conn, { groups: ["offload"] })) {
 *   console.log(s.index, s.offload?.hwStatsInfo?.l3Stats?.used);
 * }
 * ```
 */
export async function getInterfaceStats(
  conn: NetlinkConnection,
  options: GetInterfaceStatsOptions,
): Promise<InterfaceStats[]> {
  if (options.dev === undefined) {
    return await conn.dump(interfaceStatsRequest(options), decodeInterfaceStats, "getInterfaceStats");
  }
  const index = await resolveDev(conn, options.dev);
  return [
    await conn.get(interfaceStatsRequest(options, index), decodeInterfaceStats, `getInterfaceStats ${options.dev}`),
  ];
}

/** What {@linkcode setInterfaceStats} changes. */
export interface SetInterfaceStatsOptions {
  /** The link. */
  dev: Dev;
  /** Hardware L3 statistics on or off (IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS). */
  l3Stats: boolean;
}

/**
 * Builds the RTM_SETSTATS request.
 *
 * @example
 * ```ts
 * import { setInterfaceStatsRequest } from "./stats_groups.ts";
 * setInterfaceStatsRequest(2, { l3Stats: true }).length; // 36
 * ```
 */
export function setInterfaceStatsRequest(index: number, options: Omit<SetInterfaceStatsOptions, "dev">): Uint8Array {
  if (typeof options.l3Stats !== "boolean") throw new ValidationError("l3Stats", options.l3Stats, "expected a boolean");
  const w = new MessageWriter(40);
  encodeMessage(w, REQUEST, RTM.SETSTATS, REQUEST_FLAGS.ack, { family: "unspec", ifindex: index, filterMask: 0 }, {
    l3Stats: options.l3Stats ? 1 : 0,
  });
  return w.bytes();
}

/**
 * Switches statistics of a link on or off (today: hardware L3 statistics,
 * which only drivers with L3 offload accept).
 *
 * @example
 * ```ts ignore
 * await setInterfaceStats(conn, { dev: "swp1", l3Stats: true });
 * ```
 */
export async function setInterfaceStats(conn: NetlinkConnection, options: SetInterfaceStatsOptions): Promise<void> {
  const index = await resolveDev(conn, options.dev);
  await conn.ack(setInterfaceStatsRequest(index, options), `setInterfaceStats ${options.dev}`);
}
