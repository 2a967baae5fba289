/**
 * Layout pieces the scheduling qdiscs share: C structs with array members
 * (tc_prio_qopt's priomap, tc_mqprio_qopt's map, counts and offsets) read and
 * written as lists of numbers, a struct followed by attributes in one
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

/** Element types of struct arrays. */
export type ArrayElement = "u8" | "u16";

const ELEMENT_SIZE: Readonly<Record<ArrayElement, number>> = { u8: 1, u16: 2 };

/**
 * A C struct whose array members are declared as `bytes` fields (the struct
 * engine lays out scalars only) and read and written as lists of numbers:
 * a list shorter than the array leaves the rest zero.
 *
 * @example
 * ```ts
 * import { cStruct } from "../../core/struct.ts";
 * import { structArrays } from "./sched_layout.ts";
 * const S = cStruct("linux/pkt_sched.h", "struct tc_prio_qopt", [
 *   { c: "bands", type: "s32" },
 *   { c: "priomap", type: "bytes", size: 16 },
 * ]);
 * const codec = structArrays(S, { priomap: "u8" });
 * ```
 */
export function structArrays(st: StructDef, arrays: Readonly<Record<string, ArrayElement>>): CustomCodec {
  const members = Object.entries(arrays).map(([name, of]) => {
    const field = st.fields.find((f) => f.name === name);
    if (field === undefined || field.type !== "bytes") throw new Error(`${st.cType}: no bytes member ${name}`);
    return { name, of, size: field.size, length: field.size / ELEMENT_SIZE[of] };
  });
  return {
    decode(b, v, off, len) {
      const out = st.decode(b, v, off, Math.min(len, st.size));
      for (const m of members) {
        const raw = out[m.name];
        if (!(raw instanceof Uint8Array)) continue;
        const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
        const list: number[] = new Array(m.length);
        for (let i = 0; i < m.length; i++) list[i] = m.of === "u8" ? raw[i] : view.getUint16(i * 2, true);
        out[m.name] = list;
      }
      return out;
    },
    encode(w, x, path) {
      if (x === null || typeof x !== "object") throw new ValidationError(path, x, `expected ${st.cType}`);
      const value: Record<string, unknown> = { ...(x as Record<string, unknown>) };
      for (const m of members) {
        const list = value[m.name];
        if (list === undefined || list instanceof Uint8Array) continue;
        const at = `${path}.${m.name}`;
        if (!Array.isArray(list) || list.length > m.length) {
          throw new ValidationError(at, list, `expected a list of at most ${m.length} numbers`);
        }
        const bytes = new Uint8Array(m.size);
        const view = new DataView(bytes.buffer);
        const max = m.of === "u8" ? 0xff : 0xffff;
        list.forEach((n, i) => {
          const k = intIn(n, 0, max, `${at}[${i}]`)!;
          if (m.of === "u8") bytes[i] = k;
          else view.setUint16(i * 2, k, true);
        });
        value[m.name] = bytes;
      }
      st.encode(w, value, path);
    },
  };
}

/**
 * TCA_OPTIONS holding a struct and then attributes, decoded into one object
 * (the struct's fields and the attributes side by side) and encoded from
 * one. mqprio puts the attributes right after the struct (padded to 4
 * bytes); prio, with `nest`, wraps them in one attribute of that type (what
 * iproute2 calls a compat nest). Array members as in {@linkcode structArrays}.
 *
 * @example
 * ```ts ignore
 * const OPTIONS = structThenAttrs(TC_MQPRIO_QOPT, { prioTcMap: "u8" }, MQPRIO_ATTRS);
 * ```
 */
export function structThenAttrs(
  st: StructDef,
  arrays: Readonly<Record<string, ArrayElement>>,
  schema: AttrSchema,
  nest?: number,
): CustomCodec {
  const head = structArrays(st, arrays);
  const headNames = new Set(st.fields.map((f) => f.name));
  const rest = (st.size + 3) & ~3;
  return {
    decode(b, v, off, len, ctx) {
      const out = head.decode(b, v, off, len, ctx) as Record<string, unknown>;
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
      head.encode(w, fields, path, ctx);
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
