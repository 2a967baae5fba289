/**
 * The hierarchical fair service curve qdisc (hfsc) and its classes. A class
 * has up to three service curves: real-time (`rt`, guaranteed), link-sharing
 * (`ls`, how spare capacity is shared) and upper-limit (`ul`, a cap); `sc`
 * sets rt and ls together. A curve is two line segments — slope `m1` for the
 * time `d`, then slope `m2` — or, as tc(8) also reads it, the largest unit
 * `umax` that must leave within `dmax` at long-term `rate`, which iproute2
 * turns into m1/d/m2 (this module does the same arithmetic).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { intIn, type Rate, rateOf, type Size, type Time } from "../common.ts";
import type { TcContext, TcKindCodec, TcOptions } from "../kind.ts";
import { parseSize, parseTime, TIME_UNITS_PER_SEC } from "../units.ts";

/** struct tc_hfsc_qopt: the default class's minor number. */
const TC_HFSC_QOPT: StructDef = cStruct("linux/pkt_sched.h", "struct tc_hfsc_qopt", [
  { c: "defcls", type: "u16" },
]);

/** struct tc_service_curve: slopes in bytes per second, `d` in microseconds. */
const TC_SERVICE_CURVE: StructDef = cStruct("linux/pkt_sched.h", "struct tc_service_curve", [
  { c: "m1", type: "u32" },
  { c: "d", type: "u32" },
  { c: "m2", type: "u32" },
]);

/** struct tc_hfsc_stats: an hfsc class's extended statistics. */
const TC_HFSC_STATS: StructDef = cStruct("linux/pkt_sched.h", "struct tc_hfsc_stats", [
  { c: "work", type: "u64" },
  { c: "rtwork", type: "u64" },
  { c: "period", type: "u32" },
  { c: "level", type: "u32" },
]);

/** TCA_HFSC_*: an hfsc class's service curves. */
const HFSC_ATTRS: AttrSchema = attrSchema("TCA_HFSC_", "linux/pkt_sched.h", {
  RSC: { id: 1, type: "struct", struct: TC_SERVICE_CURVE },
  FSC: { id: 2, type: "struct", struct: TC_SERVICE_CURVE },
  USC: { id: 3, type: "struct", struct: TC_SERVICE_CURVE },
});

/** The hfsc qdisc (`tc qdisc add … hfsc default 10`). */
export interface HfscQdiscOptions {
  /** The kind. */
  kind: "hfsc";
  /**
   * The minor number of the class unclassified traffic goes to (tc(8) reads
   * `default 10` as hexadecimal: pass `"10"` or 0x10); default 0: such
   * traffic is dropped.
   */
  default?: number | string;
}

/** The hfsc qdisc's decoded options. */
export interface HfscQdiscData {
  /** The default class's minor number. */
  defcls: number;
}

/**
 * A service curve: `m1` for `d`, then `m2` (`m1 2mbit d 10ms m2 1mbit`), or
 * `umax` bytes within `dmax` at `rate` (`umax 1500 dmax 5ms rate 1mbit`).
 * Rates are below 2^32 bytes per second (the kernel's fields are 32-bit); each
 * may be a share of the device's link speed (`m2: "10%"`).
 */
export type ServiceCurve =
  | {
    /** Slope of the first segment (default 0). */
    m1?: Rate;
    /** Length of the first segment (default 0). */
    d?: Time;
    /** Slope of the second segment (required). */
    m2: Rate;
  }
  | {
    /** The largest unit of work, in bytes (default 0; needs `dmax`). */
    umax?: Size;
    /** The longest it may wait (default 0). */
    dmax?: Time;
    /** The long-term rate (required). */
    rate: Rate;
  };

/**
 * An hfsc class (`tc class add … hfsc rt m2 1mbit ls m2 5mbit ul m2 10mbit`).
 * Give `rt`, `ls` or `sc` (= rt and ls); `ul` needs `ls` or `sc`.
 */
export interface HfscClassOptions {
  /** The kind. */
  kind: "hfsc";
  /** The real-time curve (`rt`). */
  rt?: ServiceCurve;
  /** The link-sharing curve (`ls`). */
  ls?: ServiceCurve;
  /** Both real-time and link-sharing (`sc`); not with `rt` or `ls`. */
  sc?: ServiceCurve;
  /** The upper-limit curve (`ul`). */
  ul?: ServiceCurve;
}

/** A service curve as decoded. */
export interface ServiceCurveData {
  /** First slope, bytes per second. */
  m1: number;
  /** First segment's length, microseconds. */
  d: number;
  /** Second slope, bytes per second. */
  m2: number;
}

/** An hfsc class's decoded options. */
export interface HfscClassData {
  /** The real-time curve. */
  rsc?: ServiceCurveData;
  /** The link-sharing (fair) curve. */
  fsc?: ServiceCurveData;
  /** The upper-limit curve. */
  usc?: ServiceCurveData;
}

/** An hfsc class's extended statistics. */
export interface HfscStats {
  /** Bytes served. */
  work: bigint;
  /** Bytes served by the real-time criterion. */
  rtwork: bigint;
  /** The current period. */
  period: number;
  /** The class's level in the hierarchy (0: a leaf). */
  level: number;
}

/** A slope: the kernel's fields are 32-bit bytes per second (a share of the link speed as get_percent_rate). */
function slope(value: unknown, field: string, ctx: TcContext): number {
  const rate = rateOf(value, field, ctx, 32);
  if (rate > 0xffffffffn) {
    throw new ValidationError(field, value, "hfsc slopes are 32-bit: below 4294967296 bytes per second");
  }
  return Number(rate);
}

const M_FORM = ["m1", "d", "m2"], U_FORM = ["umax", "dmax", "rate"];

/** A curve option as the struct tc builds (hfsc_get_sc1 / hfsc_get_sc2 in iproute2). */
function serviceCurve(value: unknown, field: string, ctx: TcContext): ServiceCurveData {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(field, value, "expected { m1?, d?, m2 } or { umax?, dmax?, rate }");
  }
  const c = value as Record<string, unknown>;
  const form = c.m2 !== undefined ? M_FORM : c.rate !== undefined ? U_FORM : undefined;
  if (form === undefined) throw new ValidationError(`${field}.m2`, undefined, "a service curve needs m2 (or rate)");
  for (const key of Object.keys(c)) {
    if (c[key] !== undefined && !form.includes(key)) {
      throw new ValidationError(`${field}.${key}`, c[key], `not with ${form === M_FORM ? "m2" : "rate"}: ${form}`);
    }
  }
  let sc: ServiceCurveData;
  if (form === M_FORM) {
    sc = {
      m1: c.m1 === undefined ? 0 : slope(c.m1, `${field}.m1`, ctx),
      d: c.d === undefined ? 0 : parseTime(c.d as Time, `${field}.d`),
      m2: slope(c.m2, `${field}.m2`, ctx),
    };
  } else {
    const umax = c.umax === undefined ? 0 : parseSize(c.umax as Size, `${field}.umax`);
    const dmax = c.dmax === undefined ? 0 : parseTime(c.dmax as Time, `${field}.dmax`);
    const rate = slope(c.rate, `${field}.rate`, ctx);
    if (umax !== 0 && dmax === 0) throw new ValidationError(`${field}.dmax`, c.dmax, "umax needs a dmax above 0");
    const m1 = dmax === 0 ? 0 : Math.ceil(umax * TIME_UNITS_PER_SEC / dmax);
    if (dmax !== 0 && m1 > rate) {
      // Concave: umax at m1 within dmax, then rate.
      if (m1 > 0xffffffff) {
        throw new ValidationError(`${field}.umax`, c.umax, "umax/dmax exceeds a 32-bit slope: give a longer dmax");
      }
      sc = { m1, d: dmax, m2: rate };
    } else {
      // Convex: nothing until dmax - umax/rate, then rate. iproute2 computes
      // umax × 10^6 in 32 bits: beyond 4294 bytes it would wrap, so refuse.
      if (rate === 0) throw new ValidationError(`${field}.rate`, c.rate, "a convex curve needs a rate above 0");
      if (umax * TIME_UNITS_PER_SEC > 0xffffffff) {
        throw new ValidationError(`${field}.umax`, c.umax, "at most 4294 bytes when umax/dmax is below the rate");
      }
      sc = { m1: 0, d: dmax - Math.floor(umax * TIME_UNITS_PER_SEC / rate), m2: rate };
    }
  }
  if (sc.m1 === 0 && sc.m2 === 0) throw new ValidationError(field, value, "a service curve needs a slope above 0");
  return sc;
}

/** The default class option: tc(8) reads it as hexadecimal. */
function defaultClass(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value === "string" && /^(0x)?[0-9a-f]{1,4}$/i.test(value)) return parseInt(value, 16);
  if (typeof value === "string") throw new ValidationError("default", value, "expected a hexadecimal minor 0..ffff");
  return intIn(value, 0, 0xffff, "default")!;
}

/** hfsc's qdisc codec: tc always sends the struct. */
export const HFSC_QDISC: TcKindCodec = {
  options: TC_HFSC_QOPT,
  keys: ["default"],
  encode: (o) => ({ defcls: defaultClass(o.default) }),
};

/** hfsc's class codec: the curves, in the order rt, ls, ul whatever the order given. */
export const HFSC_CLASS: TcKindCodec = {
  options: HFSC_ATTRS,
  xstats: TC_HFSC_STATS,
  keys: ["rt", "ls", "sc", "ul"],
  encode(o: TcOptions, ctx) {
    if (o.sc !== undefined && (o.rt !== undefined || o.ls !== undefined)) {
      throw new ValidationError("sc", o.sc, "sc sets both rt and ls: not with rt or ls");
    }
    const rsc = o.sc !== undefined
      ? serviceCurve(o.sc, "sc", ctx)
      : o.rt === undefined
      ? undefined
      : serviceCurve(o.rt, "rt", ctx);
    const fsc = o.sc !== undefined ? rsc : o.ls === undefined ? undefined : serviceCurve(o.ls, "ls", ctx);
    const usc = o.ul === undefined ? undefined : serviceCurve(o.ul, "ul", ctx);
    if (usc !== undefined && fsc === undefined) throw new ValidationError("ul", o.ul, "ul needs ls or sc");
    if (rsc === undefined && fsc === undefined) {
      throw new ValidationError("rt", o.rt, "an hfsc class needs rt, ls or sc");
    }
    const out: Record<string, unknown> = {};
    if (rsc) out.rsc = rsc;
    if (fsc) out.fsc = fsc;
    if (usc) out.usc = usc;
    return out;
  },
};
