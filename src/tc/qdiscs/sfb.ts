/**
 * Stochastic Fair Blue: the `sfb` qdisc, which marks or drops by per-bin
 * probabilities that rise on overflow and fall on idle, and rate-limits
 * flows that do not respond — layout, typed options, encoder and decoded data.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn } from "../common.ts";
import type { TcKindCodec } from "../kind.ts";
import { u32 } from "./red.ts";

/** SFB_MAX_PROB: probabilities are Q0.16 fixed-point fractions of this. */
const SFB_MAX_PROB = 0xffff;

/** struct tc_sfb_qopt: sfb's settings (times in milliseconds, probabilities in 1/65535). */
const TC_SFB_QOPT = cStruct("linux/pkt_sched.h", "struct tc_sfb_qopt", [
  { c: "rehash_interval", type: "u32" },
  { c: "warmup_time", type: "u32" },
  { c: "max", type: "u32" },
  { c: "bin_size", type: "u32" },
  { c: "increment", type: "u32" },
  { c: "decrement", type: "u32" },
  { c: "limit", type: "u32" },
  { c: "penalty_rate", type: "u32" },
  { c: "penalty_burst", type: "u32" },
]);

/** struct tc_sfb_xstats: sfb's counters (probabilities in 1/65535). */
const TC_SFB_XSTATS = cStruct("linux/pkt_sched.h", "struct tc_sfb_xstats", [
  { c: "earlydrop", type: "u32" },
  { c: "penaltydrop", type: "u32" },
  { c: "bucketdrop", type: "u32" },
  { c: "queuedrop", type: "u32" },
  { c: "childdrop", type: "u32" },
  { c: "marked", type: "u32" },
  { c: "maxqlen", type: "u32" },
  { c: "maxprob", type: "u32" },
  { c: "avgprob", type: "u32" },
]);

/**
 * TCA_SFB_*: sfb's options.
 *
 * @example
 * ```ts
 * import { SFB_ATTRS } from "./sfb.ts";
 * SFB_ATTRS.field("parms").id; // 1
 * ```
 */
export const SFB_ATTRS: AttrSchema = attrSchema("TCA_SFB_", "linux/pkt_sched.h", {
  PARMS: { id: 1, type: "struct", struct: TC_SFB_QOPT },
});

/**
 * Stochastic fair blue (`tc qdisc add … sfb target 20 max 25 penalty_rate 10`).
 *
 * @example
 * ```ts ignore
 * await conn.addQdisc({ dev: "p0", kind: "sfb", target: 20, penaltyRate: 10 });
 * ```
 */
export interface SfbOptions {
  /** The kind. */
  kind: "sfb";
  /** Milliseconds between hash function changes (`rehash`; default 600000). */
  rehash?: number;
  /** Milliseconds the next hash warms up before it is used (`db`; default 60000). */
  db?: number;
  /** Packets the qdisc holds (`limit`; default: the child's or the device's). */
  limit?: number;
  /** The most packets one bin holds (`max`; default 5/4 of target, else 25). */
  max?: number;
  /** The packets per bin probabilities aim at (`target`; default 4/5 of max). */
  target?: number;
  /** How much a bin's probability rises on overflow (`increment`, 0–1; default 0.0005). */
  increment?: number;
  /** How much it falls when the bin empties (`decrement`, 0–1; default 0.00005). */
  decrement?: number;
  /** Packets per second unresponsive flows are limited to (`penalty_rate`; default 10). */
  penaltyRate?: number;
  /** Their burst in packets (`penalty_burst`; default 20). */
  penaltyBurst?: number;
}

/** sfb's decoded options (struct tc_sfb_qopt). */
export interface SfbData {
  /** The settings (ms; probabilities in 1/65535). */
  parms?: {
    rehashInterval: number;
    warmupTime: number;
    max: number;
    binSize: number;
    increment: number;
    decrement: number;
    limit: number;
    penaltyRate: number;
    penaltyBurst: number;
  };
}

/** sfb's extended statistics. */
export interface SfbXstats {
  /** Early drops. */
  earlydrop: number;
  /** Drops of rate-limited flows. */
  penaltydrop: number;
  /** Drops of a full bin. */
  bucketdrop: number;
  /** Drops of a full queue. */
  queuedrop: number;
  /** Drops in the child qdisc. */
  childdrop: number;
  /** Packets marked. */
  marked: number;
  /** The fullest bin. */
  maxqlen: number;
  /** The highest probability (1/65535). */
  maxprob: number;
  /** The average probability (1/65535). */
  avgprob: number;
}

/** A probability option as a Q0.16 fraction, rounded as tc rounds it. */
function prob(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new ValidationError(field, value, "expected a probability from 0 to 1");
  }
  return Math.trunc(value * SFB_MAX_PROB + 0.5);
}

/**
 * The sfb codec.
 *
 * @example
 * ```ts
 * import { SFB } from "./sfb.ts";
 * SFB.keys?.includes("penaltyRate"); // true
 * ```
 */
export const SFB: TcKindCodec = {
  options: SFB_ATTRS,
  xstats: TC_SFB_XSTATS,
  keys: ["rehash", "db", "limit", "max", "target", "increment", "decrement", "penaltyRate", "penaltyBurst"],
  encode(o) {
    const n = (name: string) => intIn(o[name], 0, 0xffffffff, name);
    let max = n("max") ?? 0;
    let binSize = n("target") ?? 0;
    // tc's defaults tie max and target together, in unsigned arithmetic.
    if (max === 0) max = binSize >= 1 ? Math.floor(u32(binSize * 5 + 1) / 4) : 25;
    if (binSize === 0) binSize = Math.floor(u32(max * 4 + 3) / 5);
    return {
      parms: {
        rehashInterval: n("rehash") ?? 600 * 1000,
        warmupTime: n("db") ?? 60 * 1000,
        max,
        binSize,
        increment: prob(o.increment, "increment", Math.floor((SFB_MAX_PROB + 1000) / 2000)),
        decrement: prob(o.decrement, "decrement", Math.floor((SFB_MAX_PROB + 10000) / 20000)),
        limit: n("limit") ?? 0,
        penaltyRate: n("penaltyRate") ?? 10,
        penaltyBurst: n("penaltyBurst") ?? 20,
      },
    };
  },
};
