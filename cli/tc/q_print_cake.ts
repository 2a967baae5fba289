/**
 * cake's options and its statistics (the per-tin table of `-s`), as
 * iproute2 6.1's q_cake.c prints them. This host's kernel lacks cake: the
 * unit tests check the printers against the text read from iproute2's code,
 * and the VM lane against tc itself.
 *
 * @module
 */
import type { CakeData, CakeTinStats, CakeXstats } from "@nlink/nlink/tc";
import { Kind, type Printer } from "../common/output.ts";
import type { KindPrintContext } from "./q_types.ts";
import { printRate, printSize, sprintRate, sprintSize, sprintTime } from "./tc_print.ts";

/** A mode enum (decoded as its tc word, or a number when unknown) as cake_print_mode prints it. */
function printMode(p: Printer, key: string, value: string | number | undefined): void {
  if (value === undefined) return;
  if (typeof value === "string") p.string(Kind.Any, key, "%s ", value);
  else {
    p.string(Kind.Json, key, "", "unknown");
    p.printf("(?%s?)", key);
  }
}

function printCake(p: Printer, o: unknown, ctx: KindPrintContext): void {
  const d = o as CakeData | undefined;
  if (!d) return;
  if (d.baseRate64 !== undefined) {
    if (d.baseRate64) printRate(p, Kind.Any, "bandwidth", "bandwidth %s ", d.baseRate64, ctx.iec);
    else p.string(Kind.Any, "bandwidth", "bandwidth %s ", "unlimited");
  }
  if (d.autorate) p.string(Kind.Any, "autorate", "%s ", "autorate-ingress");
  printMode(p, "diffserv", d.diffservMode);
  printMode(p, "flowmode", d.flowMode);
  p.printf(d.nat ? "nat " : "nonat ");
  p.bool(Kind.Json, "nat", "", !!d.nat);
  p.printf(d.wash ? "wash " : "nowash ");
  p.bool(Kind.Json, "wash", "", !!d.wash);
  if (d.ingress) p.printf("ingress ");
  p.bool(Kind.Json, "ingress", "", !!d.ingress);
  if (d.ackFilter === "ack-filter-aggressive") p.string(Kind.Any, "ack-filter", "ack-filter-%s ", "aggressive");
  else if (d.ackFilter === "ack-filter") p.string(Kind.Any, "ack-filter", "ack-filter ", "enabled");
  else p.string(Kind.Any, "ack-filter", "no-ack-filter ", "disabled");
  p.printf(d.splitGso ? "split-gso " : "no-split-gso ");
  p.bool(Kind.Json, "split_gso", "", !!d.splitGso);
  if (d.rtt) p.printf("rtt %s ", sprintTime(d.rtt));
  p.uint(Kind.Json, "rtt", "", d.rtt ?? 0);
  if (d.raw) p.printf("raw ");
  p.bool(Kind.Json, "raw", "", !!d.raw);
  if (d.atm === "atm" || d.atm === "ptm") p.string(Kind.Any, "atm", "%s ", d.atm);
  else if (!d.raw) p.string(Kind.Any, "atm", "%s ", "noatm");
  p.int(Kind.Any, "overhead", "overhead %d ", d.overhead ?? 0);
  if (d.mpu) p.uint(Kind.Any, "mpu", "mpu %u ", d.mpu);
  if (d.memory) printSize(p, Kind.Any, "memlimit", "memlimit %s ", d.memory);
  if (d.fwmark) p.printf("fwmark 0x%x ", d.fwmark);
  p.hex0x(Kind.Json, "fwmark", "", d.fwmark ?? 0);
}

/** One row of the tin table: the name, then each tin's value right-aligned in 12 columns. */
type TinKey = keyof CakeTinStats;
const TIN_ROWS: [string, TinKey, (v: number | bigint) => string][] = [
  ["  target  ", "targetUs", (v) => sprintTime(Number(v))],
  ["  interval", "intervalUs", (v) => sprintTime(Number(v))],
  ["  pk_delay", "peakDelayUs", (v) => sprintTime(Number(v))],
  ["  av_delay", "avgDelayUs", (v) => sprintTime(Number(v))],
  ["  sp_delay", "baseDelayUs", (v) => sprintTime(Number(v))],
  ["  backlog ", "backlogBytes", (v) => sprintSize(Number(v))],
  ["  pkts    ", "sentPackets", String],
  ["  bytes   ", "sentBytes64", String],
  ["  way_inds", "wayIndirectHits", String],
  ["  way_miss", "wayMisses", String],
  ["  way_cols", "wayCollisions", String],
  ["  drops   ", "droppedPackets", String],
  ["  marks   ", "ecnMarkedPackets", String],
  ["  ack_drop", "acksDroppedPackets", String],
  ["  sp_flows", "sparseFlows", String],
  ["  bk_flows", "bulkFlows", String],
  ["  un_flows", "unresponsiveFlows", String],
  ["  max_len ", "maxSkblen", String],
  ["  quantum ", "flowQuantum", String],
];

/** The JSON keys of a tin, in tc's order. */
const TIN_JSON: [string, TinKey][] = [
  ["threshold_rate", "thresholdRate64"],
  ["sent_bytes", "sentBytes64"],
  ["backlog_bytes", "backlogBytes"],
  ["target_us", "targetUs"],
  ["interval_us", "intervalUs"],
  ["peak_delay_us", "peakDelayUs"],
  ["avg_delay_us", "avgDelayUs"],
  ["base_delay_us", "baseDelayUs"],
  ["sent_packets", "sentPackets"],
  ["way_indirect_hits", "wayIndirectHits"],
  ["way_misses", "wayMisses"],
  ["way_collisions", "wayCollisions"],
  ["drops", "droppedPackets"],
  ["ecn_mark", "ecnMarkedPackets"],
  ["ack_drops", "acksDroppedPackets"],
  ["sparse_flows", "sparseFlows"],
  ["bulk_flows", "bulkFlows"],
  ["unresponsive_flows", "unresponsiveFlows"],
  ["max_pkt_len", "maxSkblen"],
  ["flow_quantum", "flowQuantum"],
];

function printCakeXstats(p: Printer, x: unknown, ctx: KindPrintContext): void {
  const s = x as CakeXstats | undefined;
  if (!s || typeof s !== "object") return;
  if (s.memoryUsed !== undefined && s.memoryLimit !== undefined) {
    p.printf(" memory used: %s", sprintSize(s.memoryUsed));
    p.printf(" of %s\n", sprintSize(s.memoryLimit));
    p.uint(Kind.Json, "memory_used", "", s.memoryUsed);
    p.uint(Kind.Json, "memory_limit", "", s.memoryLimit);
  }
  if (s.capacityEstimate64 !== undefined) {
    printRate(p, Kind.Any, "capacity_estimate", " capacity estimate: %s\n", s.capacityEstimate64, ctx.iec);
  }
  if (s.minNetlen !== undefined && s.maxNetlen !== undefined) {
    p.uint(Kind.Any, "min_network_size", " min/max network layer size: %12u", s.minNetlen);
    p.uint(Kind.Any, "max_network_size", " /%8u\n", s.maxNetlen);
  }
  if (s.minAdjlen !== undefined && s.maxAdjlen !== undefined) {
    p.uint(Kind.Any, "min_adj_size", " min/max overhead-adjusted size: %8u", s.minAdjlen);
    p.uint(Kind.Any, "max_adj_size", " /%8u\n", s.maxAdjlen);
  }
  if (s.avgNetoff !== undefined) {
    p.uint(Kind.Any, "avg_hdr_offset", " average network hdr offset: %12u\n\n", s.avgNetoff);
  }
  // a class's (one flow's) statistics
  if (s.deficit !== undefined) p.int(Kind.Any, "deficit", "  deficit %d", s.deficit);
  if (s.cobaltCount !== undefined) p.uint(Kind.Any, "count", " count %u", s.cobaltCount);
  if (s.dropping) {
    p.bool(Kind.Any, "dropping", " dropping", true);
    if (s.dropNextUs !== undefined) {
      if (s.dropNextUs < 0) p.printf(" drop_next -%s", sprintTime(-s.dropNextUs));
      else {
        p.uint(Kind.Json, "drop_next", "", s.dropNextUs);
        p.printf(" drop_next %s", sprintTime(s.dropNextUs));
      }
    }
  }
  if (s.pDrop !== undefined) {
    p.uint(Kind.Any, "blue_prob", " blue_prob %u", s.pDrop);
    if (s.blueTimerUs !== undefined) {
      // tc hands the negative value itself to sprint_time (as unsigned): keep that
      if (s.blueTimerUs < 0) p.printf(" blue_timer -%s", sprintTime(s.blueTimerUs >>> 0));
      else {
        p.uint(Kind.Json, "blue_timer", "", s.blueTimerUs);
        p.printf(" blue_timer %s", sprintTime(s.blueTimerUs));
      }
    }
  }
  const tins = s.tinStats ?? [];
  if (tins.length === 0) return;
  if (p.json) {
    p.openArray(Kind.Json, "tins");
    for (const t of tins) {
      p.openObject();
      for (const [key, field] of TIN_JSON) {
        const v = t[field];
        if (v !== undefined) p.uint(Kind.Json, key, "", v);
      }
      p.closeObject();
    }
    p.closeArray(Kind.Json);
    return;
  }
  if (tins.length === 3) p.printf("                   Bulk  Best Effort        Voice\n");
  else if (tins.length === 4) p.printf("                   Bulk  Best Effort        Video        Voice\n");
  else p.printf("          %s%s", tins.map((_, i) => `        Tin ${i}`).join(""), p.sl);
  if (tins[0].thresholdRate64 !== undefined) {
    p.printf("  thresh  ");
    for (const t of tins) p.printf(" %12s", sprintRate(t.thresholdRate64 ?? 0n, ctx.iec));
    p.printf("%s", p.sl);
  }
  for (const [name, field, format] of TIN_ROWS) {
    if (tins[0][field] === undefined) continue;
    p.printf("%s", name);
    for (const t of tins) p.printf(" %12s", format(t[field] ?? 0));
    p.printf("%s", p.sl);
  }
}

/** cake's printers (merged into the kind table). */
export const CAKE_PRINT = {
  cake: { print: printCake, printXstats: printCakeXstats },
} as const;
