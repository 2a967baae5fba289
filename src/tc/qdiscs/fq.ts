/**
 * The fair-queue packet scheduler (`tc qdisc add … fq`): per-flow queues
 * with pacing. Its options as tc(8) sends them, and its statistics.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { intIn, put, type Rate, rateOf, type Time } from "../common.ts";
import type { TcContext, TcKindCodec, TcOptions } from "../kind.ts";
import { parseTime, parseTime64 } from "../units.ts";
import { bool, u32, U32_BOOL } from "./aqm_common.ts";

/**
 * struct tc_prio_qopt: fq's band map (Linux 6.7+ reports it; tc 6.1 cannot
 * set it).
 */
const TC_PRIO_QOPT = cStruct("linux/pkt_sched.h", "struct tc_prio_qopt", [
  { c: "bands", type: "u32" },
  { c: "priomap", type: "u8", count: 16 },
]);

/** TCA_FQ_*: fq's options (times in microseconds unless named otherwise). */
export const FQ_ATTRS: AttrSchema = attrSchema("TCA_FQ_", "linux/pkt_sched.h", {
  PLIMIT: { id: 1, type: "u32" },
  FLOW_PLIMIT: { id: 2, type: "u32" },
  QUANTUM: { id: 3, type: "u32" },
  INITIAL_QUANTUM: { id: 4, type: "u32" },
  RATE_ENABLE: { id: 5, type: "custom", codec: U32_BOOL },
  FLOW_DEFAULT_RATE: { id: 6, type: "u32" },
  FLOW_MAX_RATE: { id: 7, type: "u32" },
  BUCKETS_LOG: { id: 8, type: "u32" },
  FLOW_REFILL_DELAY: { id: 9, type: "u32" },
  ORPHAN_MASK: { id: 10, type: "u32" },
  LOW_RATE_THRESHOLD: { id: 11, type: "u32" },
  CE_THRESHOLD: { id: 12, type: "u32" },
  TIMER_SLACK: { id: 13, type: "u32" },
  HORIZON: { id: 14, type: "u32" },
  HORIZON_DROP: { id: 15, type: "u8" },
  PRIOMAP: { id: 16, type: "struct", struct: TC_PRIO_QOPT, since: "6.7" },
  WEIGHTS: { id: 17, type: "values", of: "s32", since: "6.7" },
});

/** struct tc_fq_qd_stats: fq's extended statistics (as of Linux 6.1; later kernels append fields). */
const TC_FQ_QD_STATS: StructDef = cStruct("linux/pkt_sched.h", "struct tc_fq_qd_stats", [
  { c: "gc_flows", type: "u64" },
  { c: "highprio_packets", type: "u64" },
  { c: "tcp_retrans", type: "u64" },
  { c: "throttled", type: "u64" },
  { c: "flows_plimit", type: "u64" },
  { c: "pkts_too_long", type: "u64" },
  { c: "allocation_errors", type: "u64" },
  { c: "time_next_delayed_flow", type: "s64" },
  { c: "flows", type: "u32" },
  { c: "inactive_flows", type: "u32" },
  { c: "throttled_flows", type: "u32" },
  { c: "unthrottle_latency_ns", type: "u32" },
  { c: "ce_mark", type: "u64" },
  { c: "horizon_drops", type: "u64" },
  { c: "horizon_caps", type: "u64" },
]);

/** Fair queueing with pacing (`tc qdisc add … fq limit 10000 flow_limit 100 maxrate 1gbit`). */
export interface FqOptions {
  /** The kind. */
  kind: "fq";
  /** Packets all flows hold together (`limit`; kernel default 10000). */
  limit?: number;
  /** Packets one flow holds (`flow_limit`; kernel default 100). */
  flowLimit?: number;
  /** Bytes a flow sends per round (`quantum`; kernel default 2 MTUs). */
  quantum?: number;
  /** Bytes a new flow sends in its first round (`initial_quantum`; kernel default 10 MTUs). */
  initialQuantum?: number;
  /** Hash buckets, 2..262144, rounded up to a power of two (`buckets`; kernel default 1024). */
  buckets?: number;
  /** The most each flow may send, up to 2^32-1 bytes/s (`maxrate`; default unlimited; `"10%"` of the link speed). */
  maxrate?: Rate;
  /** Flows slower than this send one packet per round (`low_rate_threshold`; kernel default 550 kbit/s). */
  lowRateThreshold?: Rate;
  /** The rate of flows without a socket rate (`defrate`, or a share of the link speed; the kernel ignores it now). */
  defrate?: Rate;
  /** The delay before a flow that used up its credit gets more (`refill_delay`; kernel default 40 ms). */
  refillDelay?: Time;
  /** Hash mask for packets without a socket (`orphan_mask`; kernel default 1023). */
  orphanMask?: number;
  /** Mark packets queued longer than this with CE (`ce_threshold`). */
  ceThreshold?: Time;
  /** Timer slack (`timer_slack`; a bare number is nanoseconds, as tc reads it; kernel default 10 µs). */
  timerSlack?: string | number | bigint;
  /** Packets with a departure time further ahead than this are dropped or capped (`horizon`; kernel default 10 s). */
  horizon?: Time;
  /** Drop packets beyond the horizon (`horizon_drop`: true) or cap their time (`horizon_cap`: false). */
  horizonDrop?: boolean;
  /** Pace flows at their socket rate (`pacing`: true, `nopacing`: false). */
  pacing?: boolean;
}

/** fq's decoded options (rates in bytes per second, times in microseconds, timer slack in nanoseconds). */
export interface FqData {
  /** Packets for all flows. */
  plimit?: number;
  /** Packets per flow. */
  flowPlimit?: number;
  /** Bytes per round. */
  quantum?: number;
  /** Bytes in a new flow's first round. */
  initialQuantum?: number;
  /** Pacing. */
  rateEnable?: boolean;
  /** Default flow rate (obsolete). */
  flowDefaultRate?: number;
  /** Per-flow rate cap (~0: none). */
  flowMaxRate?: number;
  /** log2 of the hash buckets. */
  bucketsLog?: number;
  /** Refill delay (µs). */
  flowRefillDelay?: number;
  /** Orphan hash mask. */
  orphanMask?: number;
  /** Low-rate threshold. */
  lowRateThreshold?: number;
  /** CE marking threshold (µs). */
  ceThreshold?: number;
  /** Timer slack (ns). */
  timerSlack?: number;
  /** Horizon (µs). */
  horizon?: number;
  /** 1: drop beyond the horizon, 0: cap. */
  horizonDrop?: number;
  /** The band map (Linux 6.7+). */
  priomap?: { bands: number; priomap: number[] };
  /** The bands' weights (Linux 6.7+). */
  weights?: number[];
}

/** fq's extended statistics. */
export interface FqXstats {
  /** Flows garbage-collected. */
  gcFlows: bigint;
  /** Packets sent through the high-priority queue. */
  highprioPackets: bigint;
  /** TCP retransmits seen. */
  tcpRetrans: bigint;
  /** Times a flow was throttled. */
  throttled: bigint;
  /** Packets dropped for a flow's limit. */
  flowsPlimit: bigint;
  /** Packets too long for the quantum. */
  pktsTooLong: bigint;
  /** Flow allocation failures. */
  allocationErrors: bigint;
  /** Nanoseconds to the next throttled flow's departure. */
  timeNextDelayedFlow: bigint;
  /** Flows. */
  flows: number;
  /** Inactive flows. */
  inactiveFlows: number;
  /** Throttled flows now. */
  throttledFlows: number;
  /** Unthrottle latency (ns). */
  unthrottleLatencyNs: number;
  /** Packets CE-marked. */
  ceMark: bigint;
  /** Packets dropped beyond the horizon. */
  horizonDrops: bigint;
  /** Packets whose time was capped to the horizon. */
  horizonCaps: bigint;
}

/** A 32-bit rate (tc's get_rate): bytes per second below 2^32; with a context, maybe a share of the link speed. */
function rate32(value: unknown, field: string, ctx?: TcContext): number | undefined {
  if (value === undefined) return undefined;
  const r = rateOf(value, field, ctx, 32);
  if (r > 0xffffffffn) throw new ValidationError(field, value, "fq's rates are 32-bit: at most 4294967295 bytes/s");
  return Number(r);
}

/** tc's ilog2 for `buckets`: the log2 of the next power of two. */
function bucketsLog(value: unknown): number | undefined {
  const n = intIn(value, 2, 262144, "buckets");
  if (n === undefined) return undefined;
  let log = 0;
  for (let v = n - 1; v; v >>>= 1) log++;
  return log;
}

/** A time option in microseconds (undefined passes through). */
function micros(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : parseTime(value as Time, field);
}

const FQ: TcKindCodec = {
  options: FQ_ATTRS,
  xstats: TC_FQ_QD_STATS,
  keys: [
    "limit",
    "flowLimit",
    "quantum",
    "initialQuantum",
    "buckets",
    "maxrate",
    "lowRateThreshold",
    "defrate",
    "refillDelay",
    "orphanMask",
    "ceThreshold",
    "timerSlack",
    "horizon",
    "horizonDrop",
    "pacing",
  ],
  encode(o: TcOptions, ctx) {
    // tc writes an empty nest when no option is given, and this order.
    const out: Record<string, unknown> = {};
    put(out, "bucketsLog", bucketsLog(o.buckets));
    put(out, "plimit", u32(o.limit, "limit"));
    put(out, "flowPlimit", u32(o.flowLimit, "flowLimit"));
    put(out, "quantum", u32(o.quantum, "quantum"));
    put(out, "initialQuantum", u32(o.initialQuantum, "initialQuantum"));
    put(out, "rateEnable", bool(o.pacing, "pacing"));
    put(out, "flowMaxRate", rate32(o.maxrate, "maxrate", ctx));
    put(out, "lowRateThreshold", rate32(o.lowRateThreshold, "lowRateThreshold"));
    put(out, "flowDefaultRate", rate32(o.defrate, "defrate", ctx));
    put(out, "flowRefillDelay", micros(o.refillDelay, "refillDelay"));
    put(out, "orphanMask", u32(o.orphanMask, "orphanMask"));
    put(out, "ceThreshold", micros(o.ceThreshold, "ceThreshold"));
    if (o.timerSlack !== undefined) {
      const ns = parseTime64(o.timerSlack as string | number | bigint, "timerSlack");
      if (ns > 0xffffffffn) throw new ValidationError("timerSlack", o.timerSlack, "at most 4294967295 ns");
      out.timerSlack = Number(ns);
    }
    put(out, "horizon", micros(o.horizon, "horizon"));
    const drop = bool(o.horizonDrop, "horizonDrop");
    if (drop !== undefined) out.horizonDrop = drop ? 1 : 0;
    return out;
  },
};

/** The codec of fq. */
export const FQ_QDISCS = { fq: FQ } as const;
