/**
 * Flower's value syntax, as tc(8) reads it: numbers in the base each key
 * takes (C's strtoul rules: base 0 reads `0x` as hexadecimal and a leading
 * `0` as octal), `VALUE/MASK` pairs, masked MAC addresses, IP prefixes with
 * their masks, and hexadecimal byte strings. Every parser also takes the
 * typed form (a number, `{ value, mask }`, bytes).
 *
 * @module
 */
export { hexBytes } from "../common.ts";
import { ValidationError } from "../../core/errors.ts";
import { AF_INET, AF_INET6, parseIPv4, parseIPv6, parseMac, parsePrefix } from "../../util/addr.ts";

/** A number base as C's strtoul takes it (0: from the prefix). */
export type Base = 0 | 10 | 16;

/**
 * Text read as C's strtoul reads it in `base`, the whole text a number;
 * undefined when it is not one.
 *
 * @example
 * ```ts
 * import { cNumber } from "./flower_values.ts";
 * cNumber("0x10", 0); // 16
 * cNumber("010", 0); // 8
 * cNumber("1f", 16); // 31
 * ```
 */
export function cNumber(text: string, base: Base): number | undefined {
  let digits = text;
  let radix: number = base;
  if (base === 0) {
    if (/^0[xX]/.test(text)) [digits, radix] = [text.slice(2), 16];
    else if (text.length > 1 && text.startsWith("0")) [digits, radix] = [text.slice(1), 8];
    else radix = 10;
  } else if (base === 16) digits = text.replace(/^0[xX]/, "");
  const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  return valid.test(digits) ? parseInt(digits, radix) : undefined;
}

/**
 * An integer option: a number, or text in `base` (tc(8)'s reading of that
 * key); checked against `max`. Undefined passes through.
 *
 * @example
 * ```ts
 * import { uint } from "./flower_values.ts";
 * uint("0x800", 0xffff, 0, "vlanEthtype"); // 2048
 * ```
 */
export function uint(x: unknown, max: number, base: Base, field: string): number {
  const n = typeof x === "number" ? x : typeof x === "string" ? cNumber(x, base) : undefined;
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > max) {
    const how = base === 16 ? " (text is hexadecimal)" : base === 0 ? " (text: decimal, 0x hex or 0 octal)" : "";
    throw new ValidationError(field, x, `expected an integer 0..${max}${how}`);
  }
  return n;
}

/** A value and the bits of it that count (`VALUE/MASK` in tc(8)'s text). */
export interface MaskedValue {
  /** The value. */
  value: number;
  /** The bits that count. */
  mask: number;
}

/** How one masked key reads: the largest value, the bases of its text, the mask when none is given. */
export interface MaskedSyntax {
  /** The largest value (and mask). */
  max: number;
  /** The value's base; `"10|16"` tries decimal, then hexadecimal (as `ip_tos` reads). */
  base: Base | "10|16";
  /** The mask's base. */
  maskBase: Base;
  /** The mask when none is given. */
  full: number;
}

/**
 * A masked integer key: a number (all bits count), `{ value, mask }`, or
 * tc(8)'s text `"VALUE[/MASK]"` read in the key's bases.
 *
 * @example
 * ```ts
 * import { masked } from "./flower_values.ts";
 * masked("0x10/0xf0", { max: 255, base: "10|16", maskBase: 16, full: 255 }, "ipTos"); // { value: 16, mask: 240 }
 * ```
 */
export function masked(x: unknown, s: MaskedSyntax, field: string): MaskedValue {
  const base: Base = s.base === "10|16" ? 10 : s.base;
  if (typeof x === "string") {
    const slash = x.indexOf("/");
    const text = slash < 0 ? x : x.slice(0, slash);
    const read = s.base === "10|16" && cNumber(text, 10) === undefined ? 16 : base;
    const value = uint(text, s.max, read, field);
    const mask = slash < 0 ? s.full : uint(x.slice(slash + 1), s.max, s.maskBase, `${field}.mask`);
    return { value, mask };
  }
  if (x !== null && typeof x === "object" && !Array.isArray(x)) {
    const o = x as { value?: unknown; mask?: unknown };
    return {
      value: uint(o.value, s.max, base, `${field}.value`),
      mask: o.mask === undefined ? s.full : uint(o.mask, s.max, s.maskBase, `${field}.mask`),
    };
  }
  return { value: uint(x, s.max, base, field), mask: s.full };
}

/** A MAC address and its mask as bytes. */
export interface MaskedMacBytes {
  /** The address. */
  address: Uint8Array;
  /** The mask. */
  mask: Uint8Array;
}

function macBytes(x: unknown, field: string): Uint8Array {
  const b = typeof x === "string" ? parseMac(x) : x instanceof Uint8Array ? x : undefined;
  if (b === undefined || b.length !== 6) {
    throw new ValidationError(field, x, "expected a MAC address like 02:00:00:00:00:01");
  }
  return b;
}

/**
 * A mask of `size` bytes whose first `bits` bits are set.
 *
 * @example
 * ```ts
 * import { prefixMask } from "./flower_values.ts";
 * prefixMask(20, 4); // Uint8Array [255, 255, 240, 0]
 * ```
 */
export function prefixMask(bits: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = 0xff & (0xff << (8 - Math.max(0, Math.min(8, bits - 8 * i))));
  return out;
}

/**
 * A MAC address with an optional mask: `"02:00:00:00:00:01"` (all bits),
 * `"ADDR/ff:ff:ff:00:00:00"`, `"ADDR/24"` (the leading bits), or
 * `{ address, mask }` with the mask as a MAC or a bit count.
 *
 * @example
 * ```ts
 * import { maskedMac } from "./flower_values.ts";
 * maskedMac("02:00:00:00:00:00/24", "dstMac").mask; // Uint8Array [255, 255, 255, 0, 0, 0]
 * ```
 */
export function maskedMac(x: unknown, field: string): MaskedMacBytes {
  let address: unknown = x, mask: unknown;
  if (typeof x === "string" && x.includes("/")) [address, mask] = x.split("/", 2);
  else if (x !== null && typeof x === "object" && !(x instanceof Uint8Array)) {
    ({ address, mask } = x as { address?: unknown; mask?: unknown });
  }
  const addr = macBytes(address, field);
  if (mask === undefined) return { address: addr, mask: new Uint8Array(6).fill(0xff) };
  const bits = typeof mask === "number" ? mask : typeof mask === "string" ? cNumber(mask, 10) : undefined;
  if (bits !== undefined) {
    if (!Number.isInteger(bits) || bits < 0 || bits > 48) {
      throw new ValidationError(`${field}.mask`, mask, "a mask length is 0..48 bits");
    }
    return { address: addr, mask: prefixMask(bits, 6) };
  }
  return { address: addr, mask: macBytes(mask, `${field}.mask`) };
}

/** An IP prefix: its address and mask bytes, and its family. */
export interface PrefixBytes {
  /** AF_INET or AF_INET6. */
  family: number;
  /** The address as given (host bits are kept, as tc(8) keeps them). */
  address: Uint8Array;
  /** The mask of the prefix length. */
  mask: Uint8Array;
}

/**
 * An address or prefix (`"10.0.0.0/24"`, `"2001:db8::1"`), of `family`
 * when it is given.
 *
 * @example
 * ```ts
 * import { ipPrefix } from "./flower_values.ts";
 * ipPrefix("10.1.2.3/16", "dstIp").mask; // Uint8Array [255, 255, 0, 0]
 * ```
 */
export function ipPrefix(x: unknown, field: string, family?: number): PrefixBytes {
  if (typeof x !== "string") throw new ValidationError(field, x, "expected an address or prefix such as 10.0.0.0/24");
  const p = parsePrefix(x, field, family);
  const address = p.family === AF_INET ? parseIPv4(p.address) : parseIPv6(p.address);
  if (address === undefined) throw new ValidationError(field, x, "not an IP address");
  return { family: p.family, address, mask: prefixMask(p.length, p.family === AF_INET6 ? 16 : 4) };
}
