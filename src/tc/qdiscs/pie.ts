/**
 * Proportional Integral controller Enhanced: the `pie` qdisc and its
 * flow-queueing variant `fq_pie` — layouts, typed options, encoders and
 * decoded data.
 *
 * @module
 */
import { DecodeError, ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn, onOff, optSize, put, type Size, type Time } from "../common.ts";
import type { TcKindCodec, TcOptions } from "../kind.ts";
import { parseTime } from "../units.ts";

/** The largest alpha and beta tc accepts (the kernel's scale is 1/8 units of these, up to 32). */
const ALPHA_BETA_MAX = 32;

/**
 * An on/off option carried as a u32 (pie's ecn, bytemode, dq_rate_estimator):
 * decoded as a boolean; encodes `true`/`false` (or 1/0).
 *
 * @example
 * ```ts
 * import { attrSchema } from "../../core/schema.ts";
 * import { U32_BOOL } from "./pie.ts";
 * const S = attrSchema("DEMO_", "", { ECN: { id: 1, type: "custom", codec: U32_BOOL } }, { audit: false });
 * ```
 */
export const U32_BOOL: CustomCodec = {
  decode(_b, v, off, len) {
    if (len < 4) throw new DecodeError("u32 on/off attribute shorter than 4 bytes", off);
    return v.getUint32(off, true) !== 0;
  },
  encode(w, x, path) {
    const n = onOff(x, path);
    if (n === undefined) throw new ValidationError(path, x, "expected true or false");
    w.u32(n);
  },
};

// ------------------------------------------------------------------ pie

/**
 * TCA_PIE_*: pie's options (times in microseconds).
 *
 * @example
 * ```ts
 * import { PIE_ATTRS } from "./pie.ts";
 * PIE_ATTRS.field("target").id; // 1
 * ```
 */
export const PIE_ATTRS: AttrSchema = attrSchema("TCA_PIE_", "linux/pkt_sched.h", {
  TARGET: { id: 1, type: "u32" },
  LIMIT: { id: 2, type: "u32" },
  TUPDATE: { id: 3, type: "u32" },
  ALPHA: { id: 4, type: "u32" },
  BETA: { id: 5, type: "u32" },
  ECN: { id: 6, type: "custom", codec: U32_BOOL },
  BYTEMODE: { id: 7, type: "custom", codec: U32_BOOL },
  DQ_RATE_ESTIMATOR: { id: 8, type: "custom", codec: U32_BOOL },
});

/** struct tc_pie_xstats: pie's state and counters. */
const TC_PIE_XSTATS = cStruct("linux/pkt_sched.h", "struct tc_pie_xstats", [
  { c: "prob", type: "u64" },
  { c: "delay", type: "u32" },
  { c: "avg_dq_rate", type: "u32" },
  { c: "dq_rate_estimating", type: "u32" },
  { c: "packets_in", type: "u32" },
  { c: "dropped", type: "u32" },
  { c: "overlimit", type: "u32" },
  { c: "maxq", type: "u32" },
  { c: "ecn_mark", type: "u32" },
]);

/**
 * The PIE AQM (`tc qdisc add … pie target 15ms limit 1000 ecn`).
 *
 * @example
 * ```ts ignore
 * await conn.addQdisc({ dev: "p0", kind: "pie", target: "15ms", limit: 1000, ecn: true });
 * ```
 */
export interface PieOptions {
  /** The kind. */
  kind: "pie";
  /** The queue limit in packets (`limit`; default 1000). */
  limit?: number;
  /** The queue delay to aim for (`target`; default 15ms). */
  target?: Time;
  /** How often the drop probability is updated (`tupdate`; default 15ms). */
  tupdate?: Time;
  /** Weight of the delay's deviation from target (`alpha`, 0–32; default 2). */
  alpha?: number;
  /** Weight of the delay's trend (`beta`, 0–32; default 20). */
  beta?: number;
  /** Mark ECN-capable packets instead of dropping them (`ecn` / `noecn`). */
  ecn?: boolean;
  /** Scale the drop probability by packet size (`bytemode` / `nobytemode`). */
  bytemode?: boolean;
  /** Estimate the delay from the dequeue rate instead of timestamps (`dq_rate_estimator`). */
  dqRateEstimator?: boolean;
}

/** pie's decoded options (times in microseconds). */
export interface PieData {
  /** Target delay. */
  target?: number;
  /** Packets. */
  limit?: number;
  /** Update interval. */
  tupdate?: number;
  /** Alpha. */
  alpha?: number;
  /** Beta. */
  beta?: number;
  /** ECN marking. */
  ecn?: boolean;
  /** Byte mode. */
  bytemode?: boolean;
  /** Dequeue-rate estimator. */
  dqRateEstimator?: boolean;
}

/** pie's extended statistics. */
export interface PieXstats {
  /** The drop probability as a fraction of 2^64 - 1. */
  prob: bigint;
  /** The current queue delay (µs). */
  delay: number;
  /** The average dequeue rate (bytes per pie time unit), when estimating. */
  avgDqRate: number;
  /** Whether avgDqRate is being computed (1). */
  dqRateEstimating: number;
  /** Packets enqueued. */
  packetsIn: number;
  /** Packets dropped by the AQM. */
  dropped: number;
  /** Packets dropped over the limit. */
  overlimit: number;
  /** The longest queue seen. */
  maxq: number;
  /** Packets ECN-marked. */
  ecnMark: number;
}

function time(o: TcOptions, name: string): number | undefined {
  return o[name] === undefined ? undefined : parseTime(o[name] as Time, name);
}

const PIE: TcKindCodec = {
  options: PIE_ATTRS,
  xstats: TC_PIE_XSTATS,
  keys: ["limit", "target", "tupdate", "alpha", "beta", "ecn", "bytemode", "dqRateEstimator"],
  encode(o) {
    const out: Record<string, unknown> = {};
    put(out, "limit", intIn(o.limit, 0, 0xffffffff, "limit"));
    put(out, "tupdate", time(o, "tupdate"));
    put(out, "target", time(o, "target"));
    put(out, "alpha", intIn(o.alpha, 0, ALPHA_BETA_MAX, "alpha"));
    put(out, "beta", intIn(o.beta, 0, ALPHA_BETA_MAX, "beta"));
    put(out, "ecn", onOff(o.ecn, "ecn"));
    put(out, "bytemode", onOff(o.bytemode, "bytemode"));
    put(out, "dqRateEstimator", onOff(o.dqRateEstimator, "dqRateEstimator"));
    return out;
  },
};

// ------------------------------------------------------------------ fq_pie

/**
 * TCA_FQ_PIE_*: fq_pie's options (times in microseconds).
 *
 * @example
 * ```ts
 * import { FQ_PIE_ATTRS } from "./pie.ts";
 * FQ_PIE_ATTRS.field("ecnProb").id; // 9
 * ```
 */
export const FQ_PIE_ATTRS: AttrSchema = attrSchema("TCA_FQ_PIE_", "linux/pkt_sched.h", {
  LIMIT: { id: 1, type: "u32" },
  FLOWS: { id: 2, type: "u32" },
  TARGET: { id: 3, type: "u32" },
  TUPDATE: { id: 4, type: "u32" },
  ALPHA: { id: 5, type: "u32" },
  BETA: { id: 6, type: "u32" },
  QUANTUM: { id: 7, type: "u32" },
  MEMORY_LIMIT: { id: 8, type: "u32" },
  ECN_PROB: { id: 9, type: "u32" },
  ECN: { id: 10, type: "custom", codec: U32_BOOL },
  BYTEMODE: { id: 11, type: "custom", codec: U32_BOOL },
  DQ_RATE_ESTIMATOR: { id: 12, type: "custom", codec: U32_BOOL },
});

/** struct tc_fq_pie_xstats: fq_pie's counters. */
const TC_FQ_PIE_XSTATS = cStruct("linux/pkt_sched.h", "struct tc_fq_pie_xstats", [
  { c: "packets_in", type: "u32" },
  { c: "dropped", type: "u32" },
  { c: "overlimit", type: "u32" },
  { c: "overmemory", type: "u32" },
  { c: "ecn_mark", type: "u32" },
  { c: "new_flow_count", type: "u32" },
  { c: "new_flows_len", type: "u32" },
  { c: "old_flows_len", type: "u32" },
  { c: "memory_usage", type: "u32" },
]);

/**
 * Flow-queue PIE (`tc qdisc add … fq_pie flows 1024 target 15ms`).
 *
 * @example
 * ```ts ignore
 * await conn.addQdisc({ dev: "p0", kind: "fq_pie", flows: 1024, memoryLimit: "32mb" });
 * ```
 */
export interface FqPieOptions {
  /** The kind. */
  kind: "fq_pie";
  /** The queue limit in packets (`limit`; default 10240). */
  limit?: number;
  /** The number of flow queues (`flows`; default 1024). */
  flows?: number;
  /** The queue delay to aim for (`target`; default 15ms). */
  target?: Time;
  /** How often the drop probability is updated (`tupdate`; default 15ms). */
  tupdate?: Time;
  /** Alpha (`alpha`, 0–32; default 2). */
  alpha?: number;
  /** Beta (`beta`, 0–32; default 20). */
  beta?: number;
  /** Bytes dequeued per flow per round (`quantum`; default the device MTU). */
  quantum?: Size;
  /** The memory all queues may use (`memory_limit`; default 32Mb). */
  memoryLimit?: Size;
  /** The drop probability (percent, 0–99) above which ECN packets are dropped too (`ecn_prob`; default 10). */
  ecnProb?: number;
  /** Mark ECN-capable packets instead of dropping them (`ecn` / `noecn`). */
  ecn?: boolean;
  /** Scale the drop probability by packet size (`bytemode` / `nobytemode`). */
  bytemode?: boolean;
  /** Estimate the delay from the dequeue rate (`dq_rate_estimator`). */
  dqRateEstimator?: boolean;
}

/** fq_pie's decoded options (times in microseconds). */
export interface FqPieData {
  /** Packets. */
  limit?: number;
  /** Flow queues. */
  flows?: number;
  /** Target delay. */
  target?: number;
  /** Update interval. */
  tupdate?: number;
  /** Alpha. */
  alpha?: number;
  /** Beta. */
  beta?: number;
  /** Bytes per round. */
  quantum?: number;
  /** Memory limit in bytes. */
  memoryLimit?: number;
  /** ECN drop threshold (percent). */
  ecnProb?: number;
  /** ECN marking. */
  ecn?: boolean;
  /** Byte mode. */
  bytemode?: boolean;
  /** Dequeue-rate estimator. */
  dqRateEstimator?: boolean;
}

/** fq_pie's extended statistics. */
export interface FqPieXstats {
  /** Packets enqueued. */
  packetsIn: number;
  /** Packets dropped by the AQM. */
  dropped: number;
  /** Packets dropped over the limit. */
  overlimit: number;
  /** Packets dropped over the memory limit. */
  overmemory: number;
  /** Packets ECN-marked. */
  ecnMark: number;
  /** Flows created. */
  newFlowCount: number;
  /** Flows on the new list now. */
  newFlowsLen: number;
  /** Flows on the old list now. */
  oldFlowsLen: number;
  /** Bytes of memory in use. */
  memoryUsage: number;
}

const FQ_PIE: TcKindCodec = {
  options: FQ_PIE_ATTRS,
  nestedFlag: true,
  xstats: TC_FQ_PIE_XSTATS,
  keys: [
    "limit",
    "flows",
    "target",
    "tupdate",
    "alpha",
    "beta",
    "quantum",
    "memoryLimit",
    "ecnProb",
    "ecn",
    "bytemode",
    "dqRateEstimator",
  ],
  encode(o) {
    const out: Record<string, unknown> = {};
    put(out, "limit", intIn(o.limit, 0, 0xffffffff, "limit"));
    put(out, "flows", intIn(o.flows, 0, 0xffffffff, "flows"));
    put(out, "target", time(o, "target"));
    put(out, "tupdate", time(o, "tupdate"));
    put(out, "alpha", intIn(o.alpha, 0, ALPHA_BETA_MAX, "alpha"));
    put(out, "beta", intIn(o.beta, 0, ALPHA_BETA_MAX, "beta"));
    put(out, "quantum", optSize(o.quantum, "quantum"));
    put(out, "memoryLimit", optSize(o.memoryLimit, "memoryLimit"));
    put(out, "ecnProb", intIn(o.ecnProb, 0, 99, "ecnProb"));
    put(out, "ecn", onOff(o.ecn, "ecn"));
    put(out, "bytemode", onOff(o.bytemode, "bytemode"));
    put(out, "dqRateEstimator", onOff(o.dqRateEstimator, "dqRateEstimator"));
    return out;
  },
};

/**
 * The pie and fq_pie codecs, by kind.
 *
 * @example
 * ```ts
 * import { PIE_QDISCS } from "./pie.ts";
 * PIE_QDISCS.fq_pie.nestedFlag; // true
 * ```
 */
export const PIE_QDISCS: Readonly<Record<"pie" | "fq_pie", TcKindCodec>> = { pie: PIE, fq_pie: FQ_PIE };
