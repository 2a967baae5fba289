/**
 * Stochastic Fairness Queueing: the `sfq` qdisc, whose options are one
 * struct (tc_sfq_qopt_v1: the classic tc_sfq_qopt plus depth, head drop and
 * optional RED parameters per flow) — layout, typed options, encoder and
 * decoded data.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { hasAny, intIn, onOff, optSize, type Size } from "../common.ts";
import type { TcKindCodec, TcOptions } from "../kind.ts";
import { RED_FLAGS, redLogs, redMaxP, redProbability, u32 } from "./red.ts";

/** struct tc_sfq_qopt: the classic sfq settings. */
const TC_SFQ_QOPT = cStruct("linux/pkt_sched.h", "struct tc_sfq_qopt", [
  { c: "quantum", type: "u32" },
  { c: "perturb_period", type: "s32" },
  { c: "limit", type: "u32" },
  { c: "divisor", type: "u32" },
  { c: "flows", type: "u32" },
]);

/** struct tc_sfqred_stats: what sfq's per-flow RED did. */
const TC_SFQRED_STATS = cStruct("linux/pkt_sched.h", "struct tc_sfqred_stats", [
  { c: "prob_drop", type: "u32" },
  { c: "forced_drop", type: "u32" },
  { c: "prob_mark", type: "u32" },
  { c: "forced_mark", type: "u32" },
  { c: "prob_mark_head", type: "u32" },
  { c: "forced_mark_head", type: "u32" },
]);

/**
 * struct tc_sfq_qopt_v1: sfq's options as tc sends them and the kernel dumps them.
 *
 * @example
 * ```ts
 * import { TC_SFQ_QOPT_V1 } from "./sfq.ts";
 * TC_SFQ_QOPT_V1.size; // 72
 * ```
 */
export const TC_SFQ_QOPT_V1: StructDef = cStruct("linux/pkt_sched.h", "struct tc_sfq_qopt_v1", [
  { c: "v0", type: "struct", struct: TC_SFQ_QOPT },
  { c: "depth", type: "u32" },
  { c: "headdrop", type: "u32" },
  { c: "limit", type: "u32" },
  { c: "qth_min", type: "u32" },
  { c: "qth_max", type: "u32" },
  { c: "Wlog", type: "u8" },
  { c: "Plog", type: "u8" },
  { c: "Scell_log", type: "u8" },
  { c: "flags", type: "u8", flags: RED_FLAGS },
  { c: "max_P", type: "u32" },
  { c: "stats", type: "struct", struct: TC_SFQRED_STATS },
]);

/** struct tc_sfq_xstats: a flow's remaining allotment (bytes; sfq classes report it). */
const TC_SFQ_XSTATS = cStruct("linux/pkt_sched.h", "struct tc_sfq_xstats", [{ c: "allot", type: "s32" }]);

/**
 * Stochastic fairness queueing (`tc qdisc add … sfq perturb 10 depth 64`),
 * optionally with RED per flow (`redflowlimit 100000 min 8000 max 60000 ecn`).
 *
 * @example
 * ```ts ignore
 * await conn.addQdisc({ dev: "p0", kind: "sfq", perturb: 10, depth: 64, headdrop: true });
 * ```
 */
export interface SfqOptions {
  /** The kind. */
  kind: "sfq";
  /** Packets the whole qdisc holds (`limit`, at least 2; default 127). */
  limit?: number;
  /** Seconds between hash perturbations (`perturb`; default 0: never). */
  perturb?: number;
  /** Bytes a flow may send per round (`quantum`; default the device MTU). */
  quantum?: Size;
  /** The hash table's size (`divisor`, a power of two up to 65536; default 1024). */
  divisor?: number;
  /** The most flows at once (`flows`; default 128). */
  flows?: number;
  /** Packets one flow may queue (`depth`; default 127). */
  depth?: number;
  /** Drop from the head of a full flow instead of the tail (`headdrop`). */
  headdrop?: boolean;
  /** RED: bytes one flow may queue (`redflowlimit`; required with any RED option). */
  redflowlimit?: Size;
  /** RED: a flow's average queue (bytes) where marking starts (`min`; default max/3). */
  min?: Size;
  /** RED: where the probability peaks (`max`; default redflowlimit/4, at most redflowlimit). */
  max?: Size;
  /** RED: the average packet size (`avpkt`; default 1000). */
  avpkt?: Size;
  /** RED: packets a burst may hold (`burst`; default (2 × min + max) / (3 × avpkt)). */
  burst?: number;
  /** RED: the probability at max (`probability`; default 0.02). */
  probability?: number;
  /** RED: mark with ECN instead of dropping (`ecn`). */
  ecn?: boolean;
  /** RED: drop even ECN-capable packets above max (`harddrop`). */
  harddrop?: boolean;
}

/** sfq's decoded options (struct tc_sfq_qopt_v1; older kernels send only `v0`). */
export interface SfqData {
  /** The classic settings (perturbPeriod in seconds). */
  v0: { quantum: number; perturbPeriod: number; limit: number; divisor: number; flows: number };
  /** Packets per flow. */
  depth?: number;
  /** 1 with head drop. */
  headdrop?: number;
  /** RED: bytes per flow (0 without RED). */
  limit?: number;
  /** RED: min threshold. */
  qthMin?: number;
  /** RED: max threshold. */
  qthMax?: number;
  /** RED: log2 of the EWMA weight's inverse. */
  wlog?: number;
  /** RED: log2 of the probability's slope. */
  plog?: number;
  /** RED: idle damping cell log (unused by sfq). */
  scellLog?: number;
  /** RED: `ecn`, `harddrop`. */
  flags?: string[];
  /** RED: the probability at max, as a fraction of 2^32. */
  maxP?: number;
  /** RED's counters. */
  stats?: {
    probDrop: number;
    forcedDrop: number;
    probMark: number;
    forcedMark: number;
    probMarkHead: number;
    forcedMarkHead: number;
  };
}

/** sfq's extended statistics (per class: a flow). */
export interface SfqXstats {
  /** The flow's remaining allotment in bytes. */
  allot: number;
}

const CLASSIC = ["limit", "perturb", "quantum", "divisor", "flows", "depth", "headdrop"];
const RED = ["redflowlimit", "min", "max", "avpkt", "burst", "probability", "ecn", "harddrop"];

const u32Opt = (o: TcOptions, name: string) => intIn(o[name], 0, 0xffffffff, name);

/** RED per flow: thresholds, logs and probability, as tc derives them. */
function sfqRed(o: TcOptions): Record<string, unknown> {
  const limit = optSize(o.redflowlimit, "redflowlimit") ?? 0;
  if (limit === 0) throw new ValidationError("redflowlimit", o.redflowlimit, "sfq's RED options need redflowlimit");
  let min = optSize(o.min, "min") ?? 0;
  let max = optSize(o.max, "max") ?? 0;
  let burst = intIn(o.burst, 0, 0xffffffff, "burst") ?? 0;
  const avpkt = optSize(o.avpkt, "avpkt") ?? 1000;
  if (avpkt === 0) throw new ValidationError("avpkt", o.avpkt, "must be above 0");
  const probability = redProbability(o.probability, "probability");
  if (!max) max = Math.floor(limit / 4);
  if (!min) min = Math.floor(max / 3);
  if (!burst) burst = Math.floor(u32(2 * min + max) / u32(3 * avpkt));
  if (max > limit) throw new ValidationError("max", max, `must not exceed redflowlimit (${limit})`);
  if (min >= max) throw new ValidationError("min", min, `must be below max (${max})`);
  const { wlog, plog } = redLogs(min, max, burst, avpkt, probability);
  let flags = 0;
  if (onOff(o.ecn, "ecn")) flags |= RED_FLAGS.bit("ecn");
  if (onOff(o.harddrop, "harddrop")) flags |= RED_FLAGS.bit("harddrop");
  return { limit, qthMin: min, qthMax: max, wlog, plog, flags, maxP: redMaxP(probability) };
}

/**
 * The sfq codec.
 *
 * @example
 * ```ts
 * import { SFQ } from "./sfq.ts";
 * SFQ.keys?.includes("redflowlimit"); // true
 * ```
 */
export const SFQ: TcKindCodec = {
  options: TC_SFQ_QOPT_V1,
  xstats: TC_SFQ_XSTATS,
  keys: [...CLASSIC, ...RED],
  encode(o) {
    const red = hasAny(o, RED);
    if (!red && !hasAny(o, CLASSIC)) return undefined; // tc sends no options then
    const limit = u32Opt(o, "limit");
    if (limit !== undefined && limit < 2) throw new ValidationError("limit", limit, "must be at least 2");
    const v0 = {
      quantum: optSize(o.quantum, "quantum") ?? 0,
      perturbPeriod: intIn(o.perturb, 0, 0x7fffffff, "perturb") ?? 0,
      limit: limit ?? 0,
      divisor: u32Opt(o, "divisor") ?? 0,
      flows: u32Opt(o, "flows") ?? 0,
    };
    return {
      v0,
      depth: u32Opt(o, "depth") ?? 0,
      headdrop: onOff(o.headdrop, "headdrop") ?? 0,
      ...(red ? sfqRed(o) : {}),
    };
  },
};

/**
 * sfq's classes (one per active flow, listed by `tc class show`): nothing to
 * configure (the kernel makes them), typed extended statistics.
 *
 * @example
 * ```ts
 * import { SFQ_CLASS } from "./sfq.ts";
 * SFQ_CLASS.keys; // []
 * ```
 */
export const SFQ_CLASS: TcKindCodec = { xstats: TC_SFQ_XSTATS, keys: [] };
