/**
 * Layout pieces the scheduling qdiscs share: a struct followed by attributes in one
 * TCA_OPTIONS (mqprio directly, prio inside a "compat" nest), the POSIX
 * clocks taprio and etf name, and small option checks.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { NLA_TYPE_MASK } from "../../core/header.ts";
import { type AttrSchema, type CustomCodec, decodeAttrs, encodeAttrs } from "../../core/schema.ts";
import type { StructDef } from "../../core/struct.ts";
import { intIn } from "../common.ts";

/**
 * TCA_OPTIONS holding a struct and then attributes, decoded into one object
 * (the struct's fields and the attributes side by side) and encoded from
 * one. mqprio puts the attributes right after the struct (padded to 4
 * bytes); prio, with `nest`, wraps them in one attribute of that type (what
 * iproute2 calls a compat nest).
 *
 * @example
 * ```ts ignore
 * const OPTIONS = structThenAttrs(TC_MQPRIO_QOPT, MQPRIO_ATTRS);
 * ```
 */
export function structThenAttrs(st: StructDef, schema: AttrSchema, nest?: number): CustomCodec {
  const headNames = new Set(st.fields.map((f) => f.name));
  const rest = (st.size + 3) & ~3;
  return {
    decode(b, v, off, len, ctx) {
      const out = st.decode(b, v, off, Math.min(len, st.size));
      let start = off + rest;
      let end = off + len;
      if (nest !== undefined) {
        // The one nest after the struct, if there is one (kernels send the struct alone).
        if (start + 4 > end) return out;
        const nestLen = v.getUint16(start, true);
        if ((v.getUint16(start + 2, true) & NLA_TYPE_MASK) !== nest || nestLen < 4 || start + nestLen > end) return out;
        end = start + nestLen;
        start += 4;
      }
      return start < end ? decodeAttrs(schema, b, v, start, end, ctx, out) : out;
    },
    encode(w, x, path, ctx) {
      if (x === null || typeof x !== "object") {
        throw new ValidationError(path, x, `expected ${st.cType} and attributes`);
      }
      const fields: Record<string, unknown> = {};
      const attrs: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x)) (headNames.has(k) ? fields : attrs)[k] = val;
      st.encode(w, fields, path);
      w.align();
      if (nest === undefined) return encodeAttrs(w, schema, attrs, path, ctx);
      const at = w.beginAttr(nest);
      encodeAttrs(w, schema, attrs, path, ctx);
      w.endAttr(at);
    },
  };
}

/**
 * The POSIX clocks taprio and etf schedule by (`clockid`): the names tc(8)
 * reads, without their CLOCK_ prefix.
 */
export const CLOCKID: EnumTable = cEnum("time.h", "CLOCK_", {
  REALTIME: 0,
  MONOTONIC: 1,
  BOOTTIME: 7,
  TAI: 11,
}, "upper");

/** A clock option: `"CLOCK_TAI"`, `"TAI"` (any case), or the clock's number. */
export type ClockId = "CLOCK_TAI" | "CLOCK_REALTIME" | "CLOCK_MONOTONIC" | "CLOCK_BOOTTIME" | string | number;

/**
 * A clock option's number, read as tc(8) reads `clockid` (the CLOCK_ prefix
 * optional, case ignored); undefined passes through.
 *
 * @example
 * ```ts
 * import { clockId } from "./sched_layout.ts";
 * clockId("CLOCK_TAI", "clockid"); // 11
 * clockId("monotonic", "clockid"); // 1
 * ```
 */
export function clockId(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return intIn(value, -0x80000000, 0x7fffffff, field);
  if (typeof value === "string") {
    const name = value.toUpperCase().replace(/^CLOCK_/, "");
    if (CLOCKID.has(name)) return CLOCKID.value(name, field);
  }
  throw new ValidationError(field, value, "expected CLOCK_TAI, CLOCK_REALTIME, CLOCK_MONOTONIC or CLOCK_BOOTTIME");
}

/**
 * A list option: undefined passes through, anything but an array of at most
 * `max` elements is refused.
 *
 * @example
 * ```ts
 * import { listOption } from "./sched_layout.ts";
 * listOption([1, 2], 16, "priomap"); // [1, 2]
 * ```
 */
export function listOption(value: unknown, max: number, field: string): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > max) {
    throw new ValidationError(field, value, `expected a list of at most ${max} elements`);
  }
  return value;
}

/**
 * A signed 64-bit option (a bigint, or a safe integer) as a bigint; undefined
 * passes through.
 *
 * @example
 * ```ts
 * import { s64 } from "./sched_layout.ts";
 * s64(1528743495910289987n, "baseTime"); // 1528743495910289987n
 * ```
 */
export function s64(value: unknown, field: string): bigint | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === "bigint" ? value : Number.isSafeInteger(value) ? BigInt(value as number) : undefined;
  if (n === undefined || n < -(1n << 63n) || n >= 1n << 63n) {
    throw new ValidationError(field, value, "expected a signed 64-bit integer (a bigint, or a safe integer)");
  }
  return n;
}
