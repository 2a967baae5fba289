/**
 * Two settings every qdisc (and class, filter) can carry besides its kind's
 * options: a rate estimator (`estimator INTERVAL TIME_CONSTANT`) and a size
 * table (`stab …`), computed as iproute2 computes them.
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";
import { intIn, linkLayer, type Time } from "./common.ts";
import { calcSizeTable, parseTime, TIME_UNITS_PER_SEC } from "./units.ts";

/** A rate estimator: how often it samples and over how long it averages (`estimator 1s 8s`). */
export interface EstimatorOptions {
  /** Sampling interval: 250ms, 500ms, 1s, 2s, 4s or 8s (rounded up to these). */
  interval: Time;
  /** Averaging time constant (longer than the interval). */
  timeConstant: Time;
}

/**
 * struct tc_estimator for `estimator INTERVAL TIME_CONSTANT`, as iproute2's
 * tc_setup_estimator computes it.
 *
 * @example
 * ```ts ignore
 * estimatorOf({ interval: "1s", timeConstant: "8s" }, "estimator"); // { interval: 0, ewmaLog: 3 }
 * ```
 */
export function estimatorOf(o: EstimatorOptions, field: string): { interval: number; ewmaLog: number } {
  if (o === null || typeof o !== "object") throw new ValidationError(field, o, "expected { interval, timeConstant }");
  const a = parseTime(o.interval, `${field}.interval`);
  const timeConst = parseTime(o.timeConstant, `${field}.timeConstant`);
  let interval = 0;
  while (interval <= 5 && a > (1 << interval) * (TIME_UNITS_PER_SEC / 4)) interval++;
  if (interval > 5) throw new ValidationError(`${field}.interval`, o.interval, "the longest interval is 8s");
  let ewmaLog = 1;
  for (; ewmaLog < 32; ewmaLog++) {
    const w = 1 - 1 / 2 ** ewmaLog;
    if (a / -Math.log(w) > timeConst) break;
  }
  ewmaLog--;
  if (ewmaLog === 0 || ewmaLog >= 31) {
    throw new ValidationError(`${field}.timeConstant`, o.timeConstant, "no averaging constant fits this interval");
  }
  return { interval: interval - 2, ewmaLog };
}

/** A size table (`stab`): how packet sizes are adjusted before rate accounting. */
export interface SizeTableOptions {
  /** Bytes added to (or, negative, removed from) every packet. */
  overhead?: number;
  /** Link layer (`ethernet`, `atm`/`adsl`: ATM cell framing). */
  linklayer?: "ethernet" | "atm" | "adsl";
  /** Minimum packet size. */
  mpu?: number;
  /** The largest size the table covers (default 2047). */
  mtu?: number;
  /** The table's number of entries (default 512). */
  tsize?: number;
}

/**
 * TCA_STAB's attributes for `stab …`, as iproute2's tc_calc_size_table
 * builds them; a table needs a link layer, an mpu or an overhead.
 *
 * @example
 * ```ts ignore
 * stabOf({ overhead: 24, linklayer: "atm" }, "stab"); // { base: {…}, data: Uint8Array }
 * ```
 */
export function stabOf(o: SizeTableOptions, field: string): { base: Record<string, unknown>; data?: Uint8Array } {
  if (o === null || typeof o !== "object") throw new ValidationError(field, o, "expected size table options");
  const overhead = intIn(o.overhead, -0x80000000, 0x7fffffff, `${field}.overhead`) ?? 0;
  const mpu = intIn(o.mpu, 0, 0xffffffff, `${field}.mpu`) ?? 0;
  if (o.linklayer === undefined && !mpu && !overhead) {
    throw new ValidationError(field, o, "a size table needs a linklayer, an mpu or an overhead");
  }
  const { base, data } = calcSizeTable({
    overhead,
    mpu,
    mtu: intIn(o.mtu, 0, 0xffffffff, `${field}.mtu`),
    tsize: intIn(o.tsize, 0, 0xffffffff, `${field}.tsize`),
    linklayer: o.linklayer === undefined ? undefined : linkLayer(o.linklayer, `${field}.linklayer`),
  });
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return data.length ? { base: { ...base }, data: bytes.slice() } : { base: { ...base } };
}
