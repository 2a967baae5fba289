/**
 * The printers of `ip stats show`, one per statistics suite, in iproute2's
 * layout: each prints what follows `IFINDEX: NAME: group … subgroup …`.
 *
 * @module
 */
import type {
  Bond3adStats,
  BridgeMcastStats,
  BridgeStpStats,
  HwStats64,
  HwStatsInfo,
  InterfaceStats,
  Link,
  LinkStats,
  MplsLinkStats,
} from "@nlink/nlink";
import { Kind, type Printer, sprintf } from "../common/output.ts";
import { num, printLinkStats, sizeColumns, type StatsOptions } from "./link_stats.ts";

/** Prints one suite of one link's statistics. */
export type SuitePrinter = (p: Printer, s: InterfaceStats, o: StatsOptions) => void;

/** rtnl_link_stats64 as `ip -s link` prints it, under "stats64"; nothing when absent. */
function stats64(p: Printer, s: LinkStats<bigint> | undefined, o: StatsOptions): void {
  if (s) printLinkStats(p, { stats64: s } as Link, o);
}

/** Counters with a RX and a TX row, in JSON as "rx" and "tx" objects. */
function table(
  p: Printer,
  o: StatsOptions,
  indent: string,
  rx: [string, bigint][],
  tx: [string, bigint][],
  lastRx: [string, string],
): void {
  if (p.json) {
    p.openObject("rx");
    for (const [k, v] of rx) p.uint(Kind.Json, k, "", v);
    p.closeObject();
    p.openObject("tx");
    for (const [k, v] of tx) p.uint(Kind.Json, k, "", v);
    p.closeObject();
    return;
  }
  // Headings "*X: bytes", packets, errors, dropped and the fifth column's, widened to the numbers.
  const cols = [9, 7, 6, 7, lastRx[1].length];
  sizeColumns(o, cols, rx.map(([, v]) => v));
  sizeColumns(o, cols, [...tx.map(([, v]) => v), 0n]);
  const heads = (last: string | undefined) =>
    sprintf(
      "%sRX: %*s %*s %*s %*s",
      indent,
      cols[0] - 4,
      "bytes",
      cols[1],
      "packets",
      cols[2],
      "errors",
      cols[3],
      "dropped",
    ) +
    (last === undefined ? "" : sprintf(" %*s", cols[4], last));
  let out = heads(lastRx[0]) + p.sl + indent;
  rx.forEach(([, v], i) => (out += num(o, cols[i], v)));
  out += p.sl + heads(undefined).replace("RX:", "TX:") + p.sl + indent;
  tx.forEach(([, v], i) => (out += num(o, cols[i], v)));
  p.write(out);
}

function hwStats64(p: Printer, s: HwStats64, o: StatsOptions): void {
  table(
    p,
    o,
    "    ",
    [["bytes", s.rxBytes], ["packets", s.rxPackets], ["errors", s.rxErrors], ["dropped", s.rxDropped], [
      "multicast",
      s.multicast,
    ]],
    [["bytes", s.txBytes], ["packets", s.txPackets], ["errors", s.txErrors], ["dropped", s.txDropped]],
    ["mcast", "overrun"],
  );
}

/**
 * iproute2's print_mpls_link_stats: RX (with `noroute`) and TX rows, columns widened to the numbers.
 *
 * @example
 * ```ts ignore
 * mplsStats(p, stats.afSpec.mpls.link, o, "        ");
 * ```
 */
export function mplsStats(p: Printer, s: MplsLinkStats, o: StatsOptions, indent = "    "): void {
  table(
    p,
    o,
    indent,
    [["bytes", s.rxBytes], ["packets", s.rxPackets], ["errors", s.rxErrors], ["dropped", s.rxDropped], [
      "noroute",
      s.rxNoroute,
    ]],
    [["bytes", s.txBytes], ["packets", s.txPackets], ["errors", s.txErrors], ["dropped", s.txDropped]],
    ["noroute", "noroute"],
  );
}

/** "request" and "used" as on/off (absent ones left out). */
function hwInfo(p: Printer, info: HwStatsInfo | undefined): void {
  if (!info) return;
  if (info.request === 0 || info.request === 1) p.onOff(Kind.Any, "request", " %s", info.request === 1);
  if (info.used === 0 || info.used === 1) p.onOff(Kind.Any, "used", " used %s", info.used === 1);
}

const PAD = " ".repeat(20); // iproute2's "%-16s    " with an empty name

function u64(p: Printer, key: string, fmt: string, v: bigint): void {
  p.uint(Kind.Any, key, fmt, v);
}

/**
 * A bridge's (or port's) IGMP and MLD counters (also `ip link xstats`).
 *
 * @example
 * ```ts ignore
 * bridgeMcast(p, stats.xstats.bridge.mcast);
 * ```
 */
export function bridgeMcast(p: Printer, m: BridgeMcastStats): void {
  p.openObject("multicast");
  const versions = (title: string, key: string, pairs: [bigint, bigint][]) => {
    p.openObject(key);
    p.write(`${PAD}${title}:\n`);
    for (const [dir, i] of [["RX", 0], ["TX", 1]] as const) {
      p.write(`${PAD}  `);
      pairs.forEach((pair, n) => {
        const v = `v${n + 1}`;
        const end = n === pairs.length - 1 ? "\n" : " ";
        u64(p, `${dir.toLowerCase()}_${v}`, (n === 0 ? `${dir}: ` : "") + `${v} %u${end}`, pair[i]);
      });
    }
    p.closeObject();
  };
  const leaves = (title: string, key: string, pair: [bigint, bigint]) => {
    p.openObject(key);
    p.write(`${PAD}${title}: `);
    u64(p, "rx", "RX: %u ", pair[0]);
    u64(p, "tx", "TX: %u\n", pair[1]);
    p.closeObject();
  };
  versions("IGMP queries", "igmp_queries", [m.igmpV1queries, m.igmpV2queries, m.igmpV3queries]);
  versions("IGMP reports", "igmp_reports", [m.igmpV1reports, m.igmpV2reports, m.igmpV3reports]);
  leaves("IGMP leaves", "igmp_leaves", m.igmpLeaves);
  p.write(`${PAD}IGMP parse errors: `);
  u64(p, "igmp_parse_errors", "%u\n", m.igmpParseErrors);
  versions("MLD queries", "mld_queries", [m.mldV1queries, m.mldV2queries]);
  versions("MLD reports", "mld_reports", [m.mldV1reports, m.mldV2reports]);
  leaves("MLD leaves", "mld_leaves", m.mldLeaves);
  p.write(`${PAD}MLD parse errors: `);
  u64(p, "mld_parse_errors", "%u\n", m.mldParseErrors);
  p.closeObject();
}

/**
 * A bridge port's STP counters (also `ip link xstats`).
 *
 * @example
 * ```ts ignore
 * bridgeStp(p, stats.xstatsSlave.bridge.stp);
 * ```
 */
export function bridgeStp(p: Printer, s: BridgeStpStats): void {
  p.openObject("stp");
  p.write(`${PAD}STP BPDU:  `);
  u64(p, "rx_bpdu", "RX: %u ", s.rxBpdu);
  u64(p, "tx_bpdu", "TX: %u\n", s.txBpdu);
  p.write(`${PAD}STP TCN:   `);
  u64(p, "rx_tcn", "RX: %u ", s.rxTcn);
  u64(p, "tx_tcn", "TX: %u\n", s.txTcn);
  p.write(`${PAD}STP Transitions: `);
  u64(p, "transition_blk", "Blocked: %u ", s.transitionBlk);
  u64(p, "transition_fwd", "Forwarding: %u\n", s.transitionFwd);
  p.closeObject();
}

const LACP: [keyof Bond3adStats, string, string][] = [
  ["lacpduRx", "lacpdu_rx", "LACPDU Rx"],
  ["lacpduTx", "lacpdu_tx", "LACPDU Tx"],
  ["lacpduUnknownRx", "lacpdu_unknown_rx", "LACPDU Unknown type Rx"],
  ["lacpduIllegalRx", "lacpdu_illegal_rx", "LACPDU Illegal Rx"],
  ["markerRx", "marker_rx", "Marker Rx"],
  ["markerTx", "marker_tx", "Marker Tx"],
  ["markerRespRx", "marker_response_rx", "Marker response Rx"],
  ["markerRespTx", "marker_response_tx", "Marker response Tx"],
  ["markerUnknownRx", "marker_unknown_rx", "Marker unknown type Rx"],
];

/**
 * A bond's 802.3ad counters, those the kernel sent (also `ip link xstats`).
 *
 * @example
 * ```ts ignore
 * bond3ad(p, stats.xstats.bond.lacp);
 * ```
 */
export function bond3ad(p: Printer, s: Bond3adStats): void {
  p.openObject("802.3ad");
  for (const [field, key, text] of LACP) {
    const v = s[field];
    if (v === undefined) continue;
    p.write(PAD);
    u64(p, key, `${text} %u\n`, v);
  }
  p.closeObject();
}

/** `link`: the 64-bit counters. */
export const showLink: SuitePrinter = (p, s, o) => {
  p.nl();
  stats64(p, s.link64, o);
};

/** `offload cpu_hit`: the counters of traffic that reached the CPU. */
export const showCpuHit: SuitePrinter = (p, s, o) => {
  p.nl();
  stats64(p, s.offload?.cpuHit, o);
};

/** `offload hw_stats_info`: which hardware statistics are requested and in use. */
export const showHwStatsInfo: SuitePrinter = (p, s) => {
  const info = s.offload?.hwStatsInfo;
  if (!info) return;
  p.nl();
  p.openObject("info");
  if (info.l3Stats) {
    p.write("    l3_stats");
    p.openObject("l3_stats");
    hwInfo(p, info.l3Stats);
    p.closeObject();
  }
  p.closeObject();
};

/** `offload l3_stats`: whether on, and the hardware's L3 counters. */
export const showL3Stats: SuitePrinter = (p, s, o) => {
  const info = s.offload?.hwStatsInfo;
  if (!info) return;
  p.openObject("info");
  hwInfo(p, info.l3Stats);
  p.closeObject();
  const stats = s.offload?.l3Stats;
  if (stats) {
    p.nl();
    p.openObject("stats64");
    hwStats64(p, stats, o);
    p.closeObject();
  }
};

/** `afstats mpls`: the MPLS counters. */
export const showMpls: SuitePrinter = (p, s, o) => {
  const link = s.afSpec?.mpls?.link;
  if (!link) return;
  p.nl();
  p.openObject("mpls_stats");
  mplsStats(p, link, o);
  p.closeObject();
};

/** The printer of an extended-statistics suite: of the link itself (`xstats`) or as a port (`xstats_slave`). */
export function showXstats(slave: boolean, kind: "bridge" | "bond", suite: "mcast" | "stp" | "802.3ad"): SuitePrinter {
  return (p, s) => {
    const x = slave ? s.xstatsSlave : s.xstats;
    if (kind === "bond") {
      const lacp = x?.bond?.lacp;
      if (!lacp) return;
      p.nl();
      bond3ad(p, lacp);
      return;
    }
    const br = x?.bridge;
    if (suite === "mcast" && br?.mcast) {
      p.nl();
      bridgeMcast(p, br.mcast);
    } else if (suite === "stp" && br?.stp) {
      p.nl();
      bridgeStp(p, br.stp);
    }
  };
}
