/**
 * Addresses on the command line and in output, the way iproute2 reads and
 * writes them: `get_addr`/`get_prefix` semantics (`default`, `any`, short
 * IPv4 like `10/8`, C number syntax, MPLS label stacks like `100/200`), their
 * error texts, and inet_ntop's text.
 *
 * @module
 */
import { formatIPv4, formatIPv6, parseIPv6Into } from "@nlink/nlink/core";
import { UsageError } from "./args.ts";

/** AF_INET. */
export const AF_INET = 2;
/** AF_INET6. */
export const AF_INET6 = 10;
/** AF_UNSPEC. */
export const AF_UNSPEC = 0;
/** AF_MPLS. */
export const AF_MPLS = 28;
/** AF_BRIDGE. */
export const AF_BRIDGE = 7;
/** AF_PACKET: the family `ip link` lists with. */
export const AF_PACKET = 17;

/** An address or prefix as iproute2's `inet_prefix`. */
export interface InetPrefix {
  /** AF_INET, AF_INET6, AF_MPLS, or AF_UNSPEC for `default`/`any` without a family. */
  family: number;
  /** The address bytes (4 or 16; all zero for `default`; MPLS: label stack entries, at least 16). */
  bytes: Uint8Array;
  /** Bytes that go on the wire (0 for `any`, and for `default` without a family). */
  bytelen: number;
  /** Prefix length (the full length when none was given). */
  bitlen: number;
  /** Whether a `/LEN` was given (or the word was `default`). */
  lenGiven: boolean;
  /** The word was `default`, `any` or `all`. */
  wildcard: boolean;
}

/**
 * C's strtoul with base 0 or 10/16: the value and what follows it; NaN when
 * there are no digits. Negative numbers wrap like C's (`-1` → 2^64-1, too big).
 *
 * @example
 * ```ts
 * import { strtoul } from "./inet.ts";
 * strtoul("0x10kb", 0); // { value: 16, rest: "kb" }
 * ```
 */
export function strtoul(s: string, base = 0): { value: number; rest: string } {
  let i = 0;
  while (i < s.length && " \t\n\r\f\v".includes(s[i])) i++;
  let neg = false;
  if (s[i] === "+" || s[i] === "-") neg = s[i++] === "-";
  if ((base === 0 || base === 16) && s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X") && isDigit(s[i + 2], 16)) {
    base = 16;
    i += 2;
  } else if (base === 0) base = s[i] === "0" ? 8 : 10;
  const start = i;
  let value = 0;
  while (i < s.length && isDigit(s[i], base)) value = value * base + digitValue(s.charCodeAt(i++));
  if (i === start) return { value: NaN, rest: s };
  // C wraps negatives into huge unsigned values: callers then reject them as out of range.
  return { value: neg && value !== 0 ? Number.MAX_SAFE_INTEGER : value, rest: s.slice(i) };
}

function isDigit(c: string | undefined, base: number): boolean {
  return c !== undefined && digitValue(c.charCodeAt(0)) < base;
}

/** A character code's value as a base-36 digit (what parseInt(c, 36) gives, without parsing a string), else 99. */
function digitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  if (code >= 65 && code <= 90) return code - 55;
  return 99;
}

/**
 * iproute2's get_unsigned / get_u32: a whole unsigned number in C syntax, or
 * undefined when the word is not one (or exceeds `max`).
 *
 * @example
 * ```ts
 * import { parseUnsigned } from "./inet.ts";
 * parseUnsigned("0x10"); // 16
 * parseUnsigned("12a"); // undefined
 * ```
 */
export function parseUnsigned(s: string, max = 0xffffffff, base = 0): number | undefined {
  if (s === "") return undefined;
  const { value, rest } = strtoul(s, base);
  if (Number.isNaN(value) || rest !== "" || value > max) return undefined;
  return value;
}

/**
 * iproute2's get_integer: a whole signed int in C syntax (base 0).
 *
 * @example
 * ```ts
 * import { parseInteger } from "./inet.ts";
 * parseInteger("-5"); // -5
 * ```
 */
export function parseInteger(s: string): number | undefined {
  if (s === "") return undefined;
  const neg = s.trimStart().startsWith("-");
  const { value, rest } = strtoul(neg ? s.trimStart().slice(1) : s, 0);
  if (Number.isNaN(value) || rest !== "") return undefined;
  const v = neg ? -value : value;
  return v < -0x80000000 || v > 0x7fffffff ? undefined : v;
}

/** The dotted-quad reader iproute2 uses: 1 to 4 parts, each a C number ≤ 255. */
function parseIPv4(s: string, out: Uint8Array): boolean {
  let cp = s;
  for (let i = 0; i < 4; i++) {
    const { value, rest } = strtoul(cp, 0);
    if (Number.isNaN(value) || value > 255) return false;
    out[i] = value;
    if (rest === "") return true;
    if (i === 3 || rest[0] !== ".") return false;
    cp = rest.slice(1);
  }
  return true;
}

/**
 * A family the library decoded, as its number: `"inet"` and `"inet6"` by
 * name, a number as it is (0 for another name).
 *
 * @example
 * ```ts
 * import { familyNumber } from "./inet.ts";
 * familyNumber("inet6"); // 10
 * ```
 */
export function familyNumber(f: string | number): number {
  return typeof f === "number" ? f : f === "inet" ? AF_INET : f === "inet6" ? AF_INET6 : 0;
}

/**
 * iproute2's get_addr_1: `default`, `any`/`all`, an IPv6 address (anything
 * with a colon) or an IPv4 address, checked against `family` (AF_UNSPEC = any).
 *
 * @example
 * ```ts
 * import { AF_UNSPEC, readAddr } from "./inet.ts";
 * readAddr("10.1", AF_UNSPEC)?.family; // 2
 * ```
 */
export function readAddr(name: string, family: number): InetPrefix | undefined {
  const bytes = new Uint8Array(16);
  // An MPLS word is never a wildcard (iproute2 refuses `default` and `any` there).
  if (family === AF_MPLS && (name === "default" || name === "all" || name === "any")) return undefined;
  if (name === "default") {
    const bytelen = family === AF_INET ? 4 : family === AF_INET6 ? 16 : 0;
    return { family, bytes, bytelen, bitlen: -2, lenGiven: true, wildcard: true };
  }
  if (name === "all" || name === "any") {
    return { family, bytes, bytelen: 0, bitlen: -2, lenGiven: false, wildcard: true };
  }
  if (name.includes(":")) {
    if (family !== AF_UNSPEC && family !== AF_INET6) return undefined;
    if (!parseIPv6Into(name, bytes, 0)) return undefined;
    return { family: AF_INET6, bytes, bytelen: 16, bitlen: -1, lenGiven: false, wildcard: false };
  }
  if (family === AF_MPLS) return readMplsLabels(name);
  if (family !== AF_UNSPEC && family !== AF_INET) return undefined;
  if (!parseIPv4(name, bytes)) return undefined;
  return { family: AF_INET, bytes, bytelen: 4, bitlen: -1, lenGiven: false, wildcard: false };
}

/** The most labels iproute2's inet_prefix holds (256 bytes of 4-byte label stack entries). */
const MPLS_MAX_LABELS = 64;

/**
 * iproute2's mpls_pton: a label stack `100/200/300` (each label a C number
 * below 2^20) as label stack entries, the bottom-of-stack bit on the last.
 */
function readMplsLabels(name: string): InetPrefix | undefined {
  const labels: number[] = [];
  let rest = name;
  for (;;) {
    if (labels.length === MPLS_MAX_LABELS) {
      console.error("Error: too many labels.");
      return undefined;
    }
    const r = strtoul(rest, 0);
    if (Number.isNaN(r.value) || r.value >= 1 << 20) return undefined;
    labels.push(r.value);
    if (r.rest === "") break;
    if (r.rest[0] !== "/") return undefined;
    rest = r.rest.slice(1);
  }
  const bytes = new Uint8Array(Math.max(16, labels.length * 4));
  const v = new DataView(bytes.buffer);
  labels.forEach((label, i) => v.setUint32(i * 4, ((label << 12) | (i === labels.length - 1 ? 0x100 : 0)) >>> 0));
  return { family: AF_MPLS, bytes, bytelen: labels.length * 4, bitlen: 20, lenGiven: false, wildcard: false };
}

/**
 * An MPLS label stack read by {@linkcode readAddr} as the library writes it: `"100/200"`.
 *
 * @example
 * ```ts
 * import { AF_MPLS, getAddr, mplsText } from "./inet.ts";
 * mplsText(getAddr("0x64/200", AF_MPLS)); // "100/200"
 * ```
 */
export function mplsText(p: InetPrefix): string {
  const v = new DataView(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength);
  const labels: number[] = [];
  for (let at = 0; at + 4 <= p.bytelen; at += 4) labels.push(v.getUint32(at) >>> 12);
  return labels.join("/");
}

/** Bits in an address of `family`. */
function familyBits(family: number): number {
  return family === AF_INET6 ? 128 : family === AF_INET ? 32 : family === AF_MPLS ? 20 : 0;
}

/**
 * iproute2's get_prefix_1: an address with an optional `/LEN` (a number or a
 * dotted netmask); without one the length is the full width (0 for `default`).
 *
 * @example
 * ```ts
 * import { AF_UNSPEC, readPrefix } from "./inet.ts";
 * readPrefix("10/8", AF_UNSPEC)?.bitlen; // 8
 * ```
 */
export function readPrefix(arg: string, family: number): InetPrefix | undefined {
  const slash = arg.indexOf("/");
  const p = readAddr(slash < 0 ? arg : arg.slice(0, slash), family);
  if (!p) return undefined;
  let bitlen = familyBits(p.family);
  if (slash >= 0) {
    if (p.bitlen === -2) return undefined;
    const mask = arg.slice(slash + 1);
    let plen = parseUnsigned(mask);
    if (plen === undefined) {
      const m = readAddr(mask, AF_INET);
      plen = m && m.family === AF_INET ? maskBits(m.bytes) : undefined;
    }
    if (plen === undefined || plen > bitlen) return undefined;
    p.lenGiven = true;
    bitlen = plen;
  } else if (p.bitlen === -2) bitlen = 0;
  p.bitlen = bitlen;
  return p;
}

/** The length of a contiguous dotted netmask, or undefined. */
function maskBits(b: Uint8Array): number | undefined {
  const n = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const inv = (~n) >>> 0;
  if ((inv & (inv + 1)) !== 0) return undefined;
  let bits = 0;
  for (let x = n; x !== 0; x = (x << 1) >>> 0) bits++;
  return bits;
}

function familyVerbose(family: number): string {
  return family === AF_UNSPEC ? "any valid" : familyName(family);
}

/**
 * iproute2's family_name.
 *
 * @example
 * ```ts
 * import { familyName } from "./inet.ts";
 * familyName(10); // "inet6"
 * ```
 */
export function familyName(family: number): string {
  switch (family) {
    case AF_INET:
      return "inet";
    case AF_INET6:
      return "inet6";
    case 17:
      return "link";
    case 28:
      return "mpls";
    case 7:
      return "bridge";
  }
  return "???";
}

/**
 * iproute2's get_addr: an address or `Error: inet address is expected rather than "x".` (exit 1).
 *
 * @example
 * ```ts
 * import { AF_UNSPEC, getAddr } from "./inet.ts";
 * getAddr("10.0.0.1", AF_UNSPEC).family; // 2
 * ```
 */
export function getAddr(arg: string, family: number): InetPrefix {
  const p = readAddr(arg, family);
  if (!p) throw new UsageError(`Error: ${familyVerbose(family)} address is expected rather than "${arg}".`, 1);
  return p;
}

/**
 * iproute2's get_prefix: a prefix or `Error: inet prefix is expected rather than "x".` (exit 1).
 *
 * @example
 * ```ts
 * import { AF_UNSPEC, getPrefix } from "./inet.ts";
 * getPrefix("10.0.0.0/24", AF_UNSPEC).bitlen; // 24
 * ```
 */
export function getPrefix(arg: string, family: number): InetPrefix {
  const p = readPrefix(arg, family);
  if (!p) throw new UsageError(`Error: ${familyVerbose(family)} prefix is expected rather than "${arg}".`, 1);
  return p;
}

/**
 * A parsed prefix as text the library accepts: `"10.0.0.0/24"`, or just the
 * address when `withLen` is false; an MPLS label stack as its labels (`"100/200"`).
 *
 * @example
 * ```ts
 * import { AF_UNSPEC, getPrefix, prefixText } from "./inet.ts";
 * prefixText(getPrefix("10/8", AF_UNSPEC)); // "10.0.0.0/8"
 * ```
 */
export function prefixText(p: InetPrefix, withLen = true): string {
  // MPLS: the labels alone (a slash there separates labels, not a length).
  if (p.family === AF_MPLS) return mplsText(p);
  const a = p.family === AF_INET6 ? formatIPv6(p.bytes, 0) : formatIPv4(p.bytes, 0);
  return withLen ? `${a}/${p.bitlen}` : a;
}

/**
 * Whether an address is multicast (IPv4 224.0.0.0/4, IPv6 ff00::/8).
 *
 * @example
 * ```ts
 * import { AF_UNSPEC, getAddr, isMulticastPrefix } from "./inet.ts";
 * isMulticastPrefix(getAddr("239.1.1.1", AF_UNSPEC)); // true
 * ```
 */
export function isMulticastPrefix(p: InetPrefix): boolean {
  return p.family === AF_INET ? (p.bytes[0] & 0xf0) === 0xe0 : p.family === AF_INET6 && p.bytes[0] === 0xff;
}

/**
 * iproute2's ll_addr_a2n: a link-layer address (`aa:bb:…`, each part hex, or
 * a dotted IPv4 for tunnels) as bytes, or an error naming it.
 *
 * @example
 * ```ts
 * import { parseLladdr } from "./inet.ts";
 * parseLladdr("2:0:0:0:0:1"); // Uint8Array [2, 0, 0, 0, 0, 1]
 * ```
 */
export function parseLladdr(arg: string): Uint8Array {
  if (arg.includes(".")) {
    const p = readAddr(arg, AF_INET);
    if (!p) throw new UsageError(`"${arg}" is invalid lladdr.`, 1);
    return p.bytes.slice(0, 4);
  }
  const out: number[] = [];
  for (const part of arg.split(":").slice(0, 32)) {
    const m = /^\s*(?:0[xX])?([0-9a-fA-F]+)/.exec(part);
    const v = m ? parseInt(m[1], 16) : NaN;
    if (Number.isNaN(v) || v > 255) throw new UsageError(`"${part}" is invalid lladdr.`, 1);
    out.push(v);
  }
  return new Uint8Array(out);
}
