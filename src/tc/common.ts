/**
 * What many traffic-control kinds share: struct tc_ratespec (embedded in
 * tbf, htb and police parameters), rate tables built the way iproute2 builds
 * them, `size/cell` values, and option checks.
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { TC_LINKLAYER } from "./constants.ts";
import type { TcContext } from "./kind.ts";
import { calcRateTable, isPercentRate, type LinkLayer, parseRate, parseSize, percentRate } from "./units.ts";

export { hasAny, intIn, oneOf, onOff, put } from "../route/kinds/common.ts";

/** struct tc_ratespec: a rate and how its rate table was built. */
export const TC_RATESPEC: StructDef = cStruct("linux/pkt_sched.h", "struct tc_ratespec", [
  { c: "cell_log", type: "u8" },
  { c: "linklayer", type: "u8", enum: TC_LINKLAYER },
  { c: "overhead", type: "u16" },
  { c: "cell_align", type: "s16" },
  { c: "mpu", type: "u16" },
  { c: "rate", type: "u32" },
]);

/**
 * A rate option: bytes per second as a number or bigint, or tc(8) text
 * (`"10mbit"`, `"1gbps"`). Where tc(8) takes one (tbf, htb, hfsc, netem, fq,
 * red, choke, gred), also a share of the device's link speed (`"10%"`), read
 * through ethtool netlink in the connection's namespace.
 */
export type Rate = number | bigint | string;

/** A size option: bytes as a number, or tc(8) text (`"10k"`, `"1mb"`, `"32kbit"`). */
export type Size = number | string;

/** A time option: microseconds as a number, or tc(8) text (`"10ms"`, `"1s"`). */
export type Time = number | string;

/**
 * A rate as the kernel's 32-bit field holds it: rates of 2^32 bytes/s and
 * more are sent as ~0 there and in full in a 64-bit attribute.
 *
 * @example
 * ```ts
 * import { rate32 } from "./common.ts";
 * rate32(125000n); // 125000
 * rate32(1n << 33n); // 4294967295
 * ```
 */
export function rate32(rate: bigint): number {
  return rate >= 0x100000000n ? 0xffffffff : Number(rate);
}

/**
 * A rate option in bytes per second: tc(8) text or a number (see
 * {@linkcode parseRate}) or, with a context, a share of the request device's
 * link speed (`"10%"`), computed as tc's `get_percent_rate` (`width` 32:
 * the result must fit 32 bits) or `get_percent_rate64` (`width` 64) does.
 * Without a context a percentage is refused (the option takes none in tc(8)).
 *
 * @example
 * ```ts
 * import { rateOf } from "./common.ts";
 * import { tcContext } from "./request.ts";
 * rateOf("10%", "rate", tcContext("add", { linkSpeed: 10000 })); // 125000000n
 * rateOf("1mbit", "rate"); // 125000n
 * ```
 */
export function rateOf(value: unknown, field: string, ctx?: TcContext, width: 32 | 64 = 64): bigint {
  if (!isPercentRate(value)) return parseRate(value as Rate, field);
  if (ctx === undefined) throw new ValidationError(field, value, "this rate cannot be a share of the link speed");
  return percentRate(value, ctx.linkSpeed(field), field, width);
}

/**
 * A rate option parsed (undefined passes through); with a context it may be
 * a share of the link speed, as {@linkcode rateOf} reads it.
 *
 * @example
 * ```ts
 * import { optRate } from "./common.ts";
 * optRate(undefined, "peakrate"); // undefined
 * optRate("2mbit", "peakrate"); // 250000n
 * ```
 */
export function optRate(value: unknown, field: string, ctx?: TcContext, width: 32 | 64 = 64): bigint | undefined {
  return value === undefined ? undefined : rateOf(value, field, ctx, width);
}

/** A size option parsed (undefined passes through). */
export function optSize(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : parseSize(value as Size, field);
}

/**
 * A `size[/cell]` option as tc(8) reads `burst 10k/8`: the size in bytes and
 * the cell size's log2 (-1 when not given).
 *
 * @example
 * ```ts ignore
 * sizeAndCell("10k/8", "burst"); // { size: 10240, cellLog: 3 }
 * ```
 */
export function sizeAndCell(value: unknown, field: string): { size: number; cellLog: number } {
  if (typeof value === "string" && value.includes("/")) {
    const [size, cell] = value.split("/");
    const c = parseSize(cell, field);
    let log = 0;
    while ((1 << log) < c) log++;
    if ((1 << log) !== c) throw new ValidationError(field, value, "the cell size must be a power of two");
    return { size: parseSize(size, field), cellLog: log };
  }
  return { size: parseSize(value as Size, field), cellLog: -1 };
}

/** The link layer of a rate table option (`"ethernet"`, `"atm"`; `"adsl"` is atm, as tc(8) reads it). */
export function linkLayer(value: unknown, field: string): LinkLayer {
  if (value === undefined || value === "ethernet") return "ethernet";
  if (value === "atm" || value === "adsl") return "atm";
  throw new ValidationError(field, value, "expected ethernet, atm or adsl");
}

/**
 * A tc_ratespec and its rate table, as iproute2's tc_calc_rtable builds them.
 *
 * @example
 * ```ts ignore
 * const { spec, table } = rateSpec(125000n, { mtu: 1600 });
 * ```
 */
export function rateSpec(
  rate: bigint,
  o: { cellLog?: number; mtu?: number; mpu?: number; overhead?: number; linklayer?: LinkLayer; table64?: boolean },
): { spec: Record<string, unknown>; table: Uint8Array } {
  // tc_calc_rtable (htb, police) times packets at the 32-bit rate field's
  // value; tc_calc_rtable_64 (tbf) at the full rate.
  const tableRate = o.table64 ? rate : BigInt(rate32(rate));
  const r = calcRateTable(
    { rate: tableRate, mpu: o.mpu ?? 0, linklayer: o.linklayer ?? "ethernet" },
    o.cellLog ?? -1,
    o.mtu ?? 0,
  );
  return {
    spec: {
      cellLog: r.cellLog,
      linklayer: r.linklayer,
      overhead: o.overhead ?? 0,
      cellAlign: r.cellAlign,
      mpu: o.mpu ?? 0,
      rate: rate32(rate),
    },
    table: r.table,
  };
}

/**
 * Bytes as hexadecimal text (an even number of digits) or a Uint8Array,
 * between `min` and `max` bytes long.
 *
 * @example
 * ```ts
 * import { hexBytes } from "./common.ts";
 * hexBytes("00880022", 1, 16, "data"); // Uint8Array [0, 136, 0, 34]
 * ```
 */
export function hexBytes(x: unknown, min: number, max: number, field: string): Uint8Array {
  const bytes = x instanceof Uint8Array
    ? x
    : typeof x === "string" && /^([0-9a-fA-F]{2})*$/.test(x)
    ? Uint8Array.from(x.match(/../g) ?? [], (h) => parseInt(h, 16))
    : undefined;
  if (bytes === undefined || bytes.length < min || bytes.length > max) {
    throw new ValidationError(field, x, `expected ${min}..${max} bytes as hexadecimal text or a Uint8Array`);
  }
  return bytes;
}
