/**
 * Fixed-size scalar codecs shared by attributes and C structs: integers of every
 * width and signedness, big-endian variants, and addresses. Encoders refuse
 * out-of-range values with a {@linkcode ValidationError} naming the field.
 *
 * @module
 */
import { ValidationError } from "./errors.ts";
import { formatIPv4, formatIPv6, parseIPv4Into, parseIPv6Into } from "../util/addr.ts";

/** Fixed-size scalar type names. u64/s64/be64 are `bigint`; the rest are `number` (addresses are strings). */
export type ScalarType =
  | "u8"
  | "u16"
  | "u32"
  | "u64"
  | "s8"
  | "s16"
  | "s32"
  | "s64"
  | "be16"
  | "be32"
  | "be64"
  | "ipv4"
  | "ipv6";

/** A fixed-size codec. */
export interface ScalarCodec {
  /** Size in bytes. */
  readonly size: number;
  /** Natural C alignment. */
  readonly align: number;
  /** Reads the value at `off` (the caller has checked the size). */
  read(b: Uint8Array, v: DataView, off: number): unknown;
  /** Writes `value` at `off`, validating it first. */
  write(v: DataView, b: Uint8Array, off: number, value: unknown, field: string): void;
}

function int(
  size: 1 | 2 | 4,
  signed: boolean,
  little: boolean,
): ScalarCodec {
  const min = signed ? -(2 ** (size * 8 - 1)) : 0;
  const max = signed ? 2 ** (size * 8 - 1) - 1 : 2 ** (size * 8) - 1;
  const label = `${signed ? "s" : "u"}${size * 8}`;
  const check = (value: unknown, field: string): number => {
    const n = typeof value === "bigint" ? Number(value) : value;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
      throw new ValidationError(field, value, `expected an integer ${min}..${max} (${label})`);
    }
    return n;
  };
  switch (size) {
    case 1:
      return {
        size,
        align: 1,
        read: signed ? (_b, v, o) => v.getInt8(o) : (b, _v, o) => b[o],
        write: (v, _b, o, x, f) => v.setUint8(o, check(x, f) & 0xff),
      };
    case 2:
      return {
        size,
        align: 2,
        read: signed ? (_b, v, o) => v.getInt16(o, little) : (_b, v, o) => v.getUint16(o, little),
        write: (v, _b, o, x, f) => v.setUint16(o, check(x, f) & 0xffff, little),
      };
    default:
      return {
        size,
        align: 4,
        read: signed ? (_b, v, o) => v.getInt32(o, little) : (_b, v, o) => v.getUint32(o, little),
        write: (v, _b, o, x, f) => v.setUint32(o, check(x, f) >>> 0, little),
      };
  }
}

function big(signed: boolean, little: boolean): ScalarCodec {
  const min = signed ? -(2n ** 63n) : 0n;
  const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
  const label = signed ? "s64" : "u64";
  return {
    size: 8,
    align: 8,
    read: signed
      ? (_b, v, o) => v.getBigInt64(o, little)
      : (_b, v, o) => (v.getUint32(o) === 0 && v.getUint32(o + 4) === 0 ? 0n : v.getBigUint64(o, little)),
    write: (v, _b, o, x, f) => {
      let n: bigint;
      if (typeof x === "bigint") n = x;
      else if (typeof x === "number" && Number.isSafeInteger(x)) n = BigInt(x);
      else throw new ValidationError(f, x, `expected a bigint (${label})`);
      if (n < min || n > max) throw new ValidationError(f, x, `out of range for ${label}`);
      v.setBigUint64(o, BigInt.asUintN(64, n), little);
    },
  };
}

function address(size: 4 | 16): ScalarCodec {
  const parseInto = size === 4 ? parseIPv4Into : parseIPv6Into;
  const what = size === 4 ? "an IPv4 address" : "an IPv6 address";
  return {
    size,
    align: 4,
    read: size === 4 ? (b, _v, o) => formatIPv4(b, o) : (b, _v, o) => formatIPv6(b, o),
    write: (_v, b, o, x, f) => {
      if (typeof x === "string" && parseInto(x, b, o)) return;
      if (x instanceof Uint8Array && x.length === size) return b.set(x, o);
      throw new ValidationError(f, x, `expected ${what}`);
    },
  };
}

/** The codec of every {@linkcode ScalarType}. */
export const SCALARS: Readonly<Record<ScalarType, ScalarCodec>> = {
  u8: int(1, false, true),
  u16: int(2, false, true),
  u32: int(4, false, true),
  u64: big(false, true),
  s8: int(1, true, true),
  s16: int(2, true, true),
  s32: int(4, true, true),
  s64: big(true, true),
  be16: int(2, false, false),
  be32: int(4, false, false),
  be64: big(false, false),
  ipv4: address(4),
  ipv6: address(16),
};

/**
 * `"PROTO_DOWN_REASON"` → `"protoDownReason"`, `"rx_packets"` → `"rxPackets"`.
 *
 * @example
 * ```ts
 * import { camelCase } from "./scalars.ts";
 * camelCase("NUM_TX_QUEUES"); // "numTxQueues"
 * ```
 */
export function camelCase(cName: string): string {
  const parts = cName.toLowerCase().split("_").filter((p) => p !== "");
  return parts.map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join("");
}

/**
 * A JavaScript expression reading a scalar at `offsetExpr` from `b` (bytes)
 * or `v` (DataView), for the generated decoders (schema.ts, struct.ts); or
 * undefined for types they call a reader for instead.
 *
 * @example
 * ```ts
 * import { readExpression } from "./scalars.ts";
 * readExpression("u16", "off + 2"); // "v.getUint16(off + 2, true)"
 * ```
 */
export function readExpression(type: string, offsetExpr: string): string | undefined {
  switch (type) {
    case "u8":
      return `b[${offsetExpr}]`;
    case "s8":
      return `v.getInt8(${offsetExpr})`;
    case "u16":
      return `v.getUint16(${offsetExpr}, true)`;
    case "s16":
      return `v.getInt16(${offsetExpr}, true)`;
    case "u32":
      return `v.getUint32(${offsetExpr}, true)`;
    case "s32":
      return `v.getInt32(${offsetExpr}, true)`;
    case "u64":
      // Counters are mostly zero (IPv6 MIBs, idle links): share 0n rather than allocate one each.
      return `(v.getUint32(${offsetExpr}, true) === 0 && v.getUint32(${offsetExpr} + 4, true) === 0 ? 0n : v.getBigUint64(${offsetExpr}, true))`;
    case "s64":
      return `v.getBigInt64(${offsetExpr}, true)`;
    case "be16":
      return `v.getUint16(${offsetExpr}, false)`;
    case "be32":
      return `v.getUint32(${offsetExpr}, false)`;
    case "be64":
      return `v.getBigUint64(${offsetExpr}, false)`;
  }
  return undefined;
}

/**
 * For the generated encoders: a condition that `valueExpr` is an integer in
 * range for `type`, and the statement writing it at `offsetExpr` (to `b`, the
 * bytes, or `v`, a DataView); undefined for types written through their codec.
 * Values that fail the condition go through the codec, whose check throws the
 * {@linkcode ValidationError} naming the field.
 *
 * @example
 * ```ts
 * import { writeStatement } from "./scalars.ts";
 * writeStatement("u8", "at", "x")?.write; // "b[at] = x;"
 * ```
 */
export function writeStatement(
  type: string,
  offsetExpr: string,
  valueExpr: string,
): { fits: string; write: string } | undefined {
  const range = (min: number, max: number) =>
    `typeof ${valueExpr} === "number" && ${valueExpr} >= ${min} && ${valueExpr} <= ${max} && ${valueExpr} % 1 === 0`;
  switch (type) {
    case "u8":
      return { fits: range(0, 0xff), write: `b[${offsetExpr}] = ${valueExpr};` };
    case "u16":
      return { fits: range(0, 0xffff), write: `v.setUint16(${offsetExpr}, ${valueExpr}, true);` };
    case "s16":
      return { fits: range(-0x8000, 0x7fff), write: `v.setInt16(${offsetExpr}, ${valueExpr}, true);` };
    case "u32":
      return { fits: range(0, 0xffffffff), write: `v.setUint32(${offsetExpr}, ${valueExpr}, true);` };
    case "s32":
      return { fits: range(-0x80000000, 0x7fffffff), write: `v.setInt32(${offsetExpr}, ${valueExpr}, true);` };
    case "be16":
      return { fits: range(0, 0xffff), write: `v.setUint16(${offsetExpr}, ${valueExpr}, false);` };
    case "be32":
      return { fits: range(0, 0xffffffff), write: `v.setUint32(${offsetExpr}, ${valueExpr}, false);` };
  }
  return undefined;
}
