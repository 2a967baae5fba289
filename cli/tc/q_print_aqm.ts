/**
 * Printers of the queue-management kinds' options and extended statistics,
 * as iproute2 6.1 prints them (q_netem.c, q_codel.c, q_fq_codel.c, q_fq.c,
 * q_pie.c, q_fq_pie.c, q_hhf.c: their print_opt and print_xstats). This
 * host's kernel lacks these kinds: the unit tests check them against the
 * text read from iproute2's code, and the VM lane against tc itself.
 *
 * @module
 */
import type {
  CodelData,
  CodelXstats,
  FqCodelData,
  FqCodelXstats,
  FqData,
  FqPieData,
  FqPieXstats,
  FqXstats,
  HhfData,
  HhfXstats,
  NetemData,
  PieData,
  PieXstats,
} from "@nlink/nlink/tc";
import { tcUnits } from "@nlink/nlink/tc";
import { Kind, type Printer } from "../common/output.ts";
import type { KindPrintContext } from "./q_types.ts";
import { formatG, printFloat, printRate, printSize, sprintTime, sprintTime64 } from "./tc_print.ts";

const U32_MAX = 0xffffffff;

/** A time in µs: JSON the number, text `fmt` with tc's units (sprint_time). */
function printTime(p: Printer, key: string, fmt: string, us: number): void {
  p.uint(Kind.Json, key, "", us);
  p.printf(fmt, sprintTime(us));
}

// ------------------------------------------------------------------ netem

/** A scaled probability: text in percent (`%g%%`), JSON as a fraction. */
function printPercent(p: Printer, key: string, label: string, per: number): void {
  p.printf(`${label} %s%%`, formatG((100 * per) / U32_MAX));
  printFloat(p, Kind.Json, key, "", per / U32_MAX);
}

/** A correlation: JSON always (`correlation`), text only when `present`. */
function printCorr(p: Printer, present: boolean, value: number): void {
  if (p.json) printPercent(p, "correlation", "", value);
  else if (present) printPercent(p, "", "", value);
}

/** An int option: JSON always, text only when non-zero. */
function printIntOpt(p: Printer, key: string, value: number): void {
  p.int(Kind.Json, key, "", value);
  if (value !== 0) p.printf(` ${key} %d`, value);
}

/** A time in ns: text tc's units, JSON seconds. */
function printTime64(p: Printer, key: string, fmt: string, ns: bigint): void {
  p.printf(fmt, sprintTime64(ns));
  printFloat(p, Kind.Json, key, "", Number(ns) / 1e9);
}

function printNetem(p: Printer, o: unknown): void {
  const d = o as NetemData | undefined;
  const q = d?.header;
  if (!d || !q) return;
  const cor = d.corr;
  p.uint(Kind.Any, "limit", "limit %d", q.limit);
  if (q.latency) {
    p.openObject("delay");
    if (!p.json) {
      p.printf(" delay %s", sprintTime(tcUnits.ticksToTime(q.latency)));
      if (q.jitter) p.printf("  %s", sprintTime(tcUnits.ticksToTime(q.jitter)));
    } else {
      printFloat(p, Kind.Json, "delay", "", tcUnits.ticksToTime(q.latency) / 1e6);
      printFloat(p, Kind.Json, "jitter", "", tcUnits.ticksToTime(q.jitter) / 1e6);
    }
    printCorr(p, !!(q.jitter && cor?.delayCorr), cor?.delayCorr ?? 0);
    p.closeObject();
  }
  if (q.loss) {
    p.openObject("loss-random");
    printPercent(p, "loss", " loss", q.loss);
    printCorr(p, !!cor?.lossCorr, cor?.lossCorr ?? 0);
    p.closeObject();
  }
  const gi = d.loss?.gi;
  if (gi) {
    p.openObject("loss-state");
    printPercent(p, "p13", " loss state p13", gi.p13);
    printPercent(p, "p31", " p31", gi.p31);
    printPercent(p, "p32", " p32", gi.p32);
    printPercent(p, "p23", " p23", gi.p23);
    printPercent(p, "p14", " p14", gi.p14);
    p.closeObject();
  }
  const ge = d.loss?.ge;
  if (ge) {
    p.openObject("loss-gemodel");
    printPercent(p, "p", " loss gemodel p", ge.p);
    printPercent(p, "r", " r", ge.r);
    printPercent(p, "1-h", " 1-h", U32_MAX - ge.h);
    printPercent(p, "1-k", " 1-k", ge.k1);
    p.closeObject();
  }
  if (q.duplicate) {
    p.openObject("duplicate");
    printPercent(p, "duplicate", " duplicate", q.duplicate);
    printCorr(p, !!cor?.dupCorr, cor?.dupCorr ?? 0);
    p.closeObject();
  }
  if (d.reorder?.probability) {
    p.openObject("reorder");
    printPercent(p, "reorder", " reorder", d.reorder.probability);
    printCorr(p, !!d.reorder.correlation, d.reorder.correlation);
    p.closeObject();
  }
  if (d.corrupt?.probability) {
    p.openObject("corrupt");
    printPercent(p, "corrupt", " corrupt", d.corrupt.probability);
    printCorr(p, !!d.corrupt.correlation, d.corrupt.correlation);
    p.closeObject();
  }
  if (d.rate?.rate) {
    p.openObject("rate");
    printRate(p, Kind.Any, "rate", " rate %s", d.rate64 || BigInt(d.rate.rate));
    printIntOpt(p, "packetoverhead", d.rate.packetOverhead);
    p.uint(Kind.Json, "cellsize", "", d.rate.cellSize);
    if (d.rate.cellSize) p.printf(" cellsize %u", d.rate.cellSize);
    printIntOpt(p, "celloverhead", d.rate.cellOverhead);
    p.closeObject();
  }
  const slot = d.slot;
  if (slot) {
    p.openObject("slot");
    if (slot.distJitter > 0n) {
      printTime64(p, "distribution", " slot distribution %s", slot.distDelay);
      printTime64(p, "jitter", " %s", slot.distJitter);
    } else {
      printTime64(p, "min-delay", " slot %s", slot.minDelay);
      printTime64(p, "max-delay", " %s", slot.maxDelay);
    }
    printIntOpt(p, "packets", slot.maxPackets);
    printIntOpt(p, "bytes", slot.maxBytes);
    p.closeObject();
  }
  // tc looks at whether the attribute came, not at its value
  p.bool(Kind.Json, "ecn", "", d.ecn !== undefined);
  if (d.ecn !== undefined) p.printf(" ecn ");
  p.uint(Kind.Json, "gap", "", q.gap);
  if (q.gap) p.printf(" gap %u", q.gap);
}

// ------------------------------------------------------------------ codel, fq_codel

function printCodel(p: Printer, o: unknown): void {
  const d = o as CodelData | undefined;
  if (!d) return;
  if (d.limit !== undefined) p.uint(Kind.Any, "limit", "limit %up ", d.limit);
  if (d.target !== undefined) printTime(p, "target", "target %s ", d.target);
  if (d.ceThreshold !== undefined) printTime(p, "ce_threshold", "ce_threshold %s ", d.ceThreshold);
  if (d.interval !== undefined) printTime(p, "interval", "interval %s ", d.interval);
  if (d.ecn) p.bool(Kind.Any, "ecn", "ecn ", true);
}

/** codel's drop_next: JSON the signed number, text its time with a minus sign when negative. */
function printDropNext(p: Printer, v: number): void {
  p.int(Kind.Json, "drop_next", "", v);
  p.printf(" drop_next %s", v < 0 ? `-${sprintTime(-v)}` : sprintTime(v));
}

function printCodelXstats(p: Printer, x: unknown): void {
  const s = x as CodelXstats | undefined;
  if (!s || s.count === undefined) return;
  p.uint(Kind.Any, "count", "  count %u", s.count);
  p.uint(Kind.Any, "lastcount", " lastcount %u", s.lastcount);
  p.uint(Kind.Json, "ldelay", "", s.ldelay);
  p.printf(" ldelay %s", sprintTime(s.ldelay));
  if (s.dropping) p.bool(Kind.Any, "dropping", " dropping", true);
  printDropNext(p, s.dropNext);
  p.nl();
  p.uint(Kind.Any, "maxpacket", "  maxpacket %u", s.maxpacket);
  p.uint(Kind.Any, "ecn_mark", " ecn_mark %u", s.ecnMark);
  p.uint(Kind.Any, "drop_overlimit", " drop_overlimit %u", s.dropOverlimit);
  if (s.ceMark) p.uint(Kind.Any, "ce_mark", " ce_mark %u", s.ceMark);
}

function printFqCodel(p: Printer, o: unknown): void {
  const d = o as FqCodelData | undefined;
  if (!d) return;
  if (d.limit !== undefined) p.uint(Kind.Any, "limit", "limit %up ", d.limit);
  if (d.flows !== undefined) p.uint(Kind.Any, "flows", "flows %u ", d.flows);
  if (d.quantum !== undefined) p.uint(Kind.Any, "quantum", "quantum %u ", d.quantum);
  if (d.target !== undefined) printTime(p, "target", "target %s ", d.target);
  if (d.ceThreshold !== undefined) printTime(p, "ce_threshold", "ce_threshold %s ", d.ceThreshold);
  const selector = d.ceThresholdSelector ?? 0;
  const mask = d.ceThresholdMask ?? 0;
  if (selector || mask) {
    p.uint(Kind.Any, "ce_threshold_selector", "ce_threshold_selector %#x", selector);
    p.uint(Kind.Any, "ce_threshold_mask", "/%#x ", mask);
  }
  if (d.interval !== undefined) printTime(p, "interval", "interval %s ", d.interval);
  if (d.memoryLimit !== undefined) printSize(p, Kind.Any, "memory_limit", "memory_limit %s ", d.memoryLimit);
  if (d.ecn) p.bool(Kind.Any, "ecn", "ecn ", true);
  if (d.dropBatchSize) p.uint(Kind.Any, "drop_batch", "drop_batch %u ", d.dropBatchSize);
}

function printFqCodelXstats(p: Printer, x: unknown): void {
  const s = x as FqCodelXstats | undefined;
  if (s?.type === "qdisc") {
    const q = s.qdiscStats;
    p.uint(Kind.Any, "maxpacket", "  maxpacket %u", q.maxpacket);
    p.uint(Kind.Any, "drop_overlimit", " drop_overlimit %u", q.dropOverlimit);
    p.uint(Kind.Any, "new_flow_count", " new_flow_count %u", q.newFlowCount);
    p.uint(Kind.Any, "ecn_mark", " ecn_mark %u", q.ecnMark);
    if (q.ceMark) p.uint(Kind.Any, "ce_mark", " ce_mark %u", q.ceMark);
    if (q.memoryUsage) p.uint(Kind.Any, "memory_used", " memory_used %u", q.memoryUsage);
    if (q.dropOvermemory) p.uint(Kind.Any, "drop_overmemory", " drop_overmemory %u", q.dropOvermemory);
    p.nl();
    p.uint(Kind.Any, "new_flows_len", "  new_flows_len %u", q.newFlowsLen);
    p.uint(Kind.Any, "old_flows_len", " old_flows_len %u", q.oldFlowsLen);
  } else if (s?.type === "class") {
    const c = s.classStats;
    p.int(Kind.Any, "deficit", "  deficit %d", c.deficit);
    p.uint(Kind.Any, "count", " count %u", c.count);
    p.uint(Kind.Any, "lastcount", " lastcount %u", c.lastcount);
    p.uint(Kind.Json, "ldelay", "", c.ldelay);
    p.printf(" ldelay %s", sprintTime(c.ldelay));
    if (c.dropping) {
      p.bool(Kind.Any, "dropping", " dropping", true);
      printDropNext(p, c.dropNext);
    }
  }
}

// ------------------------------------------------------------------ fq

function printFq(p: Printer, o: unknown, ctx: KindPrintContext): void {
  const d = o as FqData | undefined;
  if (!d) return;
  if (d.plimit !== undefined) p.uint(Kind.Any, "limit", "limit %up ", d.plimit);
  if (d.flowPlimit !== undefined) p.uint(Kind.Any, "flow_limit", "flow_limit %up ", d.flowPlimit);
  if (d.bucketsLog !== undefined) p.uint(Kind.Any, "buckets", "buckets %u ", (2 ** (d.bucketsLog & 31)) >>> 0);
  if (d.orphanMask !== undefined) p.uint(Kind.Any, "orphan_mask", "orphan_mask %u ", d.orphanMask);
  if (d.rateEnable === false) p.bool(Kind.Any, "pacing", "nopacing ", false);
  if (d.quantum !== undefined) printSize(p, Kind.Any, "quantum", "quantum %s ", d.quantum);
  if (d.initialQuantum !== undefined) {
    printSize(p, Kind.Any, "initial_quantum", "initial_quantum %s ", d.initialQuantum);
  }
  if (d.flowMaxRate !== undefined && d.flowMaxRate !== U32_MAX) {
    printRate(p, Kind.Any, "maxrate", "maxrate %s ", d.flowMaxRate, ctx.iec);
  }
  if (d.flowDefaultRate) printRate(p, Kind.Any, "defrate", "defrate %s ", d.flowDefaultRate, ctx.iec);
  if (d.lowRateThreshold) {
    printRate(p, Kind.Any, "low_rate_threshold", "low_rate_threshold %s ", d.lowRateThreshold, ctx.iec);
  }
  if (d.flowRefillDelay !== undefined) printTime(p, "refill_delay", "refill_delay %s ", d.flowRefillDelay);
  if (d.ceThreshold !== undefined && d.ceThreshold !== U32_MAX) {
    printTime(p, "ce_threshold", "ce_threshold %s ", d.ceThreshold);
  }
  if (d.timerSlack !== undefined) {
    p.uint(Kind.Json, "timer_slack", "", d.timerSlack);
    p.printf("timer_slack %s ", sprintTime64(d.timerSlack));
  }
  if (d.horizon !== undefined) printTime(p, "horizon", "horizon %s ", d.horizon);
  if (d.horizonDrop !== undefined) {
    if (!d.horizonDrop) p.null(Kind.Any, "horizon_cap", "horizon_cap ", "");
    else p.null(Kind.Any, "horizon_drop", "horizon_drop ", "");
  }
}

function printFqXstats(p: Printer, x: unknown): void {
  const s = x as FqXstats | undefined;
  if (!s || s.flows === undefined) return;
  p.uint(Kind.Any, "flows", "  flows %u", s.flows);
  p.uint(Kind.Any, "inactive", " (inactive %u", s.inactiveFlows);
  p.uint(Kind.Any, "throttled", " throttled %u)", s.throttledFlows);
  if (s.timeNextDelayedFlow > 0n) {
    p.uint(Kind.Json, "next_packet_delay", "", s.timeNextDelayedFlow);
    p.printf(" next_packet_delay %s", sprintTime64(s.timeNextDelayedFlow));
  }
  p.nl();
  p.uint(Kind.Any, "gc", "  gc %u", s.gcFlows);
  p.uint(Kind.Any, "highprio", " highprio %u", s.highprioPackets);
  if (s.tcpRetrans) p.uint(Kind.Any, "retrans", " retrans %u", s.tcpRetrans);
  p.uint(Kind.Any, "throttled", " throttled %u", s.throttled);
  if (s.unthrottleLatencyNs) {
    p.uint(Kind.Json, "latency", "", s.unthrottleLatencyNs);
    p.printf(" latency %s", sprintTime64(s.unthrottleLatencyNs));
  }
  if (s.ceMark) p.uint(Kind.Any, "ce_mark", " ce_mark %u", s.ceMark);
  if (s.flowsPlimit) p.uint(Kind.Any, "flows_plimit", " flows_plimit %u", s.flowsPlimit);
  if (s.pktsTooLong || s.allocationErrors || s.horizonDrops || s.horizonCaps) {
    p.nl();
    if (s.pktsTooLong) p.uint(Kind.Any, "pkts_too_long", " pkts_too_long %u", s.pktsTooLong);
    if (s.allocationErrors) p.uint(Kind.Any, "alloc_errors", " alloc_errors %u", s.allocationErrors);
    if (s.horizonDrops) p.uint(Kind.Any, "horizon_drops", " horizon_drops %u", s.horizonDrops);
    if (s.horizonCaps) p.uint(Kind.Any, "horizon_caps", "  horizon_caps %u", s.horizonCaps);
  }
}

// ------------------------------------------------------------------ pie, fq_pie

/** The three on/off words pie and fq_pie print when set. */
function printPieFlags(p: Printer, d: { ecn?: boolean; bytemode?: boolean; dqRateEstimator?: boolean }): void {
  if (d.ecn) p.bool(Kind.Any, "ecn", "ecn ", true);
  if (d.bytemode) p.bool(Kind.Any, "bytemode", "bytemode ", true);
  if (d.dqRateEstimator) p.bool(Kind.Any, "dq_rate_estimator", "dq_rate_estimator ", true);
}

function printPie(p: Printer, o: unknown): void {
  const d = o as PieData | undefined;
  if (!d) return;
  if (d.limit !== undefined) p.uint(Kind.Any, "limit", "limit %up ", d.limit);
  if (d.target !== undefined) printTime(p, "target", "target %s ", d.target);
  if (d.tupdate !== undefined) printTime(p, "tupdate", "tupdate %s ", d.tupdate);
  if (d.alpha !== undefined) p.uint(Kind.Any, "alpha", "alpha %u ", d.alpha);
  if (d.beta !== undefined) p.uint(Kind.Any, "beta", "beta %u ", d.beta);
  printPieFlags(p, d);
}

function printPieXstats(p: Printer, x: unknown): void {
  const s = x as PieXstats | undefined;
  if (!s || s.prob === undefined) return;
  // the probability is a fraction of 2^64 - 1
  printFloat(p, Kind.Any, "prob", "  prob %s", Number(s.prob) / 18446744073709551615);
  p.uint(Kind.Json, "delay", "", s.delay);
  p.printf(" delay %s", sprintTime(s.delay));
  if (s.dqRateEstimating) p.uint(Kind.Any, "avg_dq_rate", " avg_dq_rate %u", s.avgDqRate);
  p.nl();
  p.uint(Kind.Any, "pkts_in", "  pkts_in %u", s.packetsIn);
  p.uint(Kind.Any, "overlimit", " overlimit %u", s.overlimit);
  p.uint(Kind.Any, "dropped", " dropped %u", s.dropped);
  p.uint(Kind.Any, "maxq", " maxq %u", s.maxq);
  p.uint(Kind.Any, "ecn_mark", " ecn_mark %u", s.ecnMark);
}

function printFqPie(p: Printer, o: unknown): void {
  const d = o as FqPieData | undefined;
  if (!d) return;
  if (d.limit !== undefined) p.uint(Kind.Any, "limit", "limit %up ", d.limit);
  if (d.flows !== undefined) p.uint(Kind.Any, "flows", "flows %u ", d.flows);
  if (d.target !== undefined) printTime(p, "target", "target %s ", d.target);
  if (d.tupdate !== undefined) printTime(p, "tupdate", "tupdate %s ", d.tupdate);
  if (d.alpha !== undefined) p.uint(Kind.Any, "alpha", "alpha %u ", d.alpha);
  if (d.beta !== undefined) p.uint(Kind.Any, "beta", "beta %u ", d.beta);
  if (d.quantum !== undefined) printSize(p, Kind.Any, "quantum", "quantum %s ", d.quantum);
  if (d.memoryLimit !== undefined) printSize(p, Kind.Any, "memory_limit", "memory_limit %s ", d.memoryLimit);
  if (d.ecnProb !== undefined) p.uint(Kind.Any, "ecn_prob", "ecn_prob %u ", d.ecnProb);
  printPieFlags(p, d);
}

function printFqPieXstats(p: Printer, x: unknown): void {
  const s = x as FqPieXstats | undefined;
  if (!s || s.packetsIn === undefined) return;
  p.uint(Kind.Any, "pkts_in", "  pkts_in %u", s.packetsIn);
  p.uint(Kind.Any, "overlimit", " overlimit %u", s.overlimit);
  p.uint(Kind.Any, "overmemory", " overmemory %u", s.overmemory);
  p.uint(Kind.Any, "dropped", " dropped %u", s.dropped);
  p.uint(Kind.Any, "ecn_mark", " ecn_mark %u", s.ecnMark);
  p.nl();
  p.uint(Kind.Any, "new_flow_count", "  new_flow_count %u", s.newFlowCount);
  p.uint(Kind.Any, "new_flows_len", " new_flows_len %u", s.newFlowsLen);
  p.uint(Kind.Any, "old_flows_len", " old_flows_len %u", s.oldFlowsLen);
  p.uint(Kind.Any, "memory_used", " memory_used %u", s.memoryUsage);
}

// ------------------------------------------------------------------ hhf

function printHhf(p: Printer, o: unknown): void {
  const d = o as HhfData | undefined;
  if (!d) return;
  if (d.backlogLimit !== undefined) p.uint(Kind.Any, "limit", "limit %up ", d.backlogLimit);
  if (d.quantum !== undefined) printSize(p, Kind.Any, "quantum", "quantum %s ", d.quantum);
  if (d.hhFlowsLimit !== undefined) p.uint(Kind.Any, "hh_limit", "hh_limit %u ", d.hhFlowsLimit);
  if (d.resetTimeout !== undefined) printTime(p, "reset_timeout", "reset_timeout %s ", d.resetTimeout);
  if (d.admitBytes !== undefined) printSize(p, Kind.Any, "admit_bytes", "admit_bytes %s ", d.admitBytes);
  if (d.evictTimeout !== undefined) printTime(p, "evict_timeout", "evict_timeout %s ", d.evictTimeout);
  if (d.nonHhWeight !== undefined) p.uint(Kind.Any, "non_hh_weight", "non_hh_weight %u ", d.nonHhWeight);
}

function printHhfXstats(p: Printer, x: unknown): void {
  const s = x as HhfXstats | undefined;
  if (!s || s.dropOverlimit === undefined) return;
  p.uint(Kind.Any, "drop_overlimit", "  drop_overlimit %u", s.dropOverlimit);
  p.uint(Kind.Any, "hh_overlimit", " hh_overlimit %u", s.hhOverlimit);
  p.uint(Kind.Any, "tot_hh", " tot_hh %u", s.hhTotCount);
  p.uint(Kind.Any, "cur_hh", " cur_hh %u", s.hhCurCount);
}

/** The printers of the queue-management kinds, by kind (merged into the kind table). */
export const AQM_PRINT = {
  netem: { print: printNetem },
  codel: { print: printCodel, printXstats: printCodelXstats },
  fq_codel: { print: printFqCodel, printXstats: printFqCodelXstats },
  fq: { print: printFq, printXstats: printFqXstats },
  pie: { print: printPie, printXstats: printPieXstats },
  fq_pie: { print: printFqPie, printXstats: printFqPieXstats },
  hhf: { print: printHhf, printXstats: printHhfXstats },
} as const;
