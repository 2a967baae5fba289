/**
 * IP and link-layer address text ⇄ bytes, formatted exactly as glibc's
 * `inet_ntop` (and so iproute2) prints them, and prefixes (`10.0.0.0/24`).
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";

/** Address family numbers used with addresses (<sys/socket.h>). */
export const AF_INET = 2;
/** IPv6. */
export const AF_INET6 = 10;

/**
 * Formats 4 bytes at `off` as dotted-quad IPv4.
 *
 * @example
 * ```ts
 * import { formatIPv4 } from "./addr.ts";
 * formatIPv4(new Uint8Array([10, 0, 0, 1])); // "10.0.0.1"
 * ```
 */
export function formatIPv4(b: Uint8Array, off = 0): string {
  // Route dumps format 100,000s of addresses, and gateways and source
  // addresses repeat: a small direct-mapped cache returns the same string
  // instead of allocating a new one. Misses build it in one go from character codes.
  const key = ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
  const slot = (key ^ (key >>> 13) ^ (key >>> 21)) & 1023;
  if (CACHE_KEY[slot] === key && CACHE_STR[slot] !== undefined) return CACHE_STR[slot];
  const s = fromCodes(dottedQuadCodes(b, off))(CODES);
  CACHE_KEY[slot] = key;
  CACHE_STR[slot] = s;
  return s;
}

/**
 * Formats 4 bytes at `off` and a prefix length as `a.b.c.d/len`, built as one
 * flat string: a route dump keeps 100,000 of these, and `address + "/32"`
 * would keep two strings (the address and a rope joining it to the suffix).
 *
 * @example
 * ```ts
 * import { formatIPv4Prefix } from "./addr.ts";
 * formatIPv4Prefix(new Uint8Array([10, 1, 0, 0]), 0, 16); // "10.1.0.0/16"
 * ```
 */
export function formatIPv4Prefix(b: Uint8Array, off: number, length: number): string {
  if (typeof length !== "number") return formatIPv4(b, off); // no length known: the bare address
  if (!(length >= 0 && length <= 255)) return formatIPv4(b, off) + "/" + length;
  let n = dottedQuadCodes(b, off);
  CODES[n++] = 47; // /
  const digits = OCTET_CODES[length];
  for (let j = 0; j < digits.length; j++) CODES[n++] = digits[j];
  return fromCodes(n)(CODES);
}

/** Writes the character codes of the dotted quad at `off` into CODES; returns how many. */
function dottedQuadCodes(b: Uint8Array, off: number): number {
  let n = 0;
  for (let k = 0; k < 4; k++) {
    if (k > 0) CODES[n++] = 46; // .
    const digits = OCTET_CODES[b[off + k]];
    for (let j = 0; j < digits.length; j++) CODES[n++] = digits[j];
  }
  return n;
}

/**
 * `String.fromCharCode` over the first n codes, one function per n with the
 * arguments spelled out: much cheaper than `fromCharCode.apply` (no argument
 * array to spread) and, unlike `+`, it builds one flat string. Each is made on
 * its first use: compiling all twenty when the module loads cost every
 * command up to 4 ms of start-up (code made by `new Function` is not in
 * Deno's code cache).
 */
const FROM_CODES: (((c: number[]) => string) | undefined)[] = new Array(20).fill(undefined);

function fromCodes(n: number): (c: number[]) => string {
  return FROM_CODES[n] ??= new Function(
    "c",
    `return String.fromCharCode(${Array.from({ length: n }, (_, i) => `c[${i}]`).join(", ")});`,
  ) as (c: number[]) => string;
}

/** Scratch space for formatIPv4 and formatIPv4Prefix: up to "255.255.255.255/255". */
const CODES: number[] = new Array(19).fill(0);

const CACHE_KEY = new Uint32Array(1024);
const CACHE_STR: (string | undefined)[] = new Array(1024).fill(undefined);

const OCTET = Array.from({ length: 256 }, (_, i) => String(i));
const OCTET_CODES = OCTET.map((s) => Array.from(s, (c) => c.charCodeAt(0)));

/**
 * The run of zero groups inet_ntop writes as `::` in the IPv6 address at
 * `b[off]`: the longest of two or more (the first of equals), as
 * `base * 16 + length`, or -1 when there is none.
 *
 * @example
 * ```ts
 * import { ipv6ZeroRun } from "./addr.ts";
 * ipv6ZeroRun(new Uint8Array([0x20, 1, 0xd, 0xb8, ...new Array(11).fill(0), 1])); // 2 * 16 + 5
 * ```
 */
export function ipv6ZeroRun(b: Uint8Array, off = 0): number {
  let bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
  for (let i = 0; i < 8; i++) {
    if ((b[off + 2 * i] | b[off + 2 * i + 1]) === 0) {
      if (curBase < 0) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase >= 0) {
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase >= 0 && curLen > bestLen) {
    bestBase = curBase;
    bestLen = curLen;
  }
  return bestLen < 2 ? -1 : bestBase * 16 + bestLen;
}

/**
 * Formats 16 bytes at `off` as IPv6, exactly like glibc's inet_ntop: the
 * longest run (first on ties) of two or more zero groups becomes `::`, and
 * IPv4-compatible / IPv4-mapped addresses end in dotted quad.
 *
 * @example
 * ```ts
 * import { formatIPv6 } from "./addr.ts";
 * formatIPv6(new Uint8Array([0x20, 1, 0xd, 0xb8, ...new Array(11).fill(0), 1])); // "2001:db8::1"
 * ```
 */
export function formatIPv6(b: Uint8Array, off = 0): string {
  const words = new Array<number>(8);
  for (let i = 0; i < 8; i++) words[i] = (b[off + 2 * i] << 8) | b[off + 2 * i + 1];
  const run = ipv6ZeroRun(b, off);
  const bestBase = run < 0 ? -1 : run >> 4, bestLen = run & 15;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += formatIPv4(b, off + 12);
      break;
    }
    out += words[i].toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ":";
  return out;
}

/**
 * Formats a link-layer address as lowercase colon-separated hex.
 *
 * @example
 * ```ts
 * import { formatMac } from "./addr.ts";
 * formatMac(new Uint8Array([2, 0, 0, 0, 0, 1])); // "02:00:00:00:00:01"
 * ```
 */
export function formatMac(b: Uint8Array, off = 0, len?: number): string {
  len ??= b.length - off;
  if (len === 0) return "";
  if (len !== 6) return joinHex(b, off, len);
  // Every link has a broadcast address, most the same one: a small cache as for IPv4.
  const hi = (b[off] << 8) | b[off + 1];
  const lo = ((b[off + 2] << 24) | (b[off + 3] << 16) | (b[off + 4] << 8) | b[off + 5]) >>> 0;
  const slot = (hi ^ lo ^ (lo >>> 11)) & 255;
  if (MAC_HI[slot] === hi && MAC_LO[slot] === lo && MAC_STR[slot] !== undefined) return MAC_STR[slot];
  const s = joinHex(b, off, 6);
  MAC_HI[slot] = hi;
  MAC_LO[slot] = lo;
  MAC_STR[slot] = s;
  return s;
}

function joinHex(b: Uint8Array, off: number, len: number): string {
  let s = HEX[b[off]];
  for (let i = 1; i < len; i++) s += COLON_HEX[b[off + i]];
  return s;
}

const MAC_HI = new Uint32Array(256);
const MAC_LO = new Uint32Array(256);
const MAC_STR: (string | undefined)[] = new Array(256).fill(undefined);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const COLON_HEX = HEX.map((h) => ":" + h);

/**
 * Parses dotted-quad IPv4 into `out` at `off`; returns false (leaving `out`
 * partly written) when `s` is not an IPv4 address. Writing into the caller's
 * buffer avoids a typed-array allocation per address, which dominates a batch
 * of 100,000 routes.
 *
 * @example
 * ```ts
 * import { parseIPv4Into } from "./addr.ts";
 * const b = new Uint8Array(4);
 * parseIPv4Into("192.0.2.1", b, 0); // true; b is [192, 0, 2, 1]
 * ```
 */
export function parseIPv4Into(s: string, out: Uint8Array, off: number): boolean {
  if (typeof s !== "string" || s.length < 7 || s.length > 15) return false;
  let part = 0, value = 0, digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part === 3) return false;
      out[off + part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      // As inet_pton: no leading zeros ("010" is not 10, nor octal 8).
      if (digits === 1 && value === 0) return false;
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return false;
    } else return false;
  }
  if (part !== 3 || digits === 0) return false;
  out[off + 3] = value;
  return true;
}

/**
 * Parses dotted-quad IPv4 into 4 new bytes, or returns undefined.
 *
 * @example
 * ```ts
 * import { parseIPv4 } from "./addr.ts";
 * parseIPv4("192.0.2.1"); // Uint8Array [192, 0, 2, 1]
 * ```
 */
export function parseIPv4(s: string): Uint8Array<ArrayBuffer> | undefined {
  const out = new Uint8Array(4);
  return parseIPv4Into(s, out, 0) ? out : undefined;
}

/**
 * Parses any RFC 4291 text form of IPv6 (with `::` and embedded IPv4) into
 * `out` at `off`; returns false when `s` is not IPv6. A zone (`%eth0`) is not accepted.
 *
 * @example
 * ```ts
 * import { parseIPv6Into } from "./addr.ts";
 * const b = new Uint8Array(16);
 * parseIPv6Into("::1", b, 0); // true
 * ```
 */
export function parseIPv6Into(s: string, out: Uint8Array, off: number): boolean {
  if (typeof s !== "string" || s.length < 2 || s.length > 45) return false;
  const halves = s.split("::");
  if (halves.length > 2) return false;
  const groups = (part: string, allowV4: boolean): number[] | undefined => {
    if (part === "") return [];
    const words: number[] = [];
    const items = part.split(":");
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (allowV4 && i === items.length - 1 && it.includes(".")) {
        if (!parseIPv4Into(it, SCRATCH, 0)) return undefined;
        words.push((SCRATCH[0] << 8) | SCRATCH[1], (SCRATCH[2] << 8) | SCRATCH[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return undefined;
        words.push(parseInt(it, 16));
      }
    }
    return words;
  };
  const head = groups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1], true) : [];
  if (!head || !tail) return false;
  let words: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return false;
    words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return false;
    words = head;
  }
  for (let i = 0; i < 8; i++) {
    out[off + 2 * i] = words[i] >> 8;
    out[off + 2 * i + 1] = words[i] & 0xff;
  }
  return true;
}

const SCRATCH = new Uint8Array(16);

/**
 * Parses any RFC 4291 text form of IPv6 into 16 new bytes, or returns undefined.
 *
 * @example
 * ```ts
 * import { parseIPv6 } from "./addr.ts";
 * parseIPv6("::ffff:10.0.0.1")?.[10]; // 255
 * ```
 */
export function parseIPv6(s: string): Uint8Array<ArrayBuffer> | undefined {
  const out = new Uint8Array(16);
  return parseIPv6Into(s, out, 0) ? out : undefined;
}

/**
 * The family of an IP address text (AF_INET or AF_INET6), or 0 if it is neither.
 *
 * @example
 * ```ts
 * import { ipFamily } from "./addr.ts";
 * ipFamily("10.0.0.1"); // 2
 * ipFamily("fe80::1"); // 10
 * ```
 */
export function ipFamily(s: string): number {
  if (parseIPv4Into(s, SCRATCH, 0)) return AF_INET;
  if (parseIPv6Into(s, SCRATCH, 0)) return AF_INET6;
  return 0;
}

/**
 * The family of an address or a prefix (`"10.0.0.0/8"`) in text: AF_INET,
 * AF_INET6, or 0 for anything else (`"default"`, a label, a non-string).
 *
 * @example
 * ```ts
 * import { prefixFamily } from "./addr.ts";
 * prefixFamily("2001:db8::/32"); // 10
 * ```
 */
export function prefixFamily(text: unknown): number {
  if (typeof text !== "string") return 0;
  const slash = text.indexOf("/");
  return ipFamily(slash < 0 ? text : text.slice(0, slash));
}

/**
 * Parses IPv4 or IPv6 text; returns the family and bytes, or undefined.
 *
 * @example
 * ```ts
 * import { parseIP } from "./addr.ts";
 * parseIP("2001:db8::1")?.family; // 10
 * ```
 */
export function parseIP(s: string): { family: number; bytes: Uint8Array<ArrayBuffer> } | undefined {
  const v4 = parseIPv4(s);
  if (v4) return { family: AF_INET, bytes: v4 };
  const v6 = parseIPv6(s);
  if (v6) return { family: AF_INET6, bytes: v6 };
  return undefined;
}

/**
 * Parses a MAC / link-layer address (`aa:bb:cc:dd:ee:ff`, also `-` or `.` separated).
 *
 * @example
 * ```ts
 * import { parseMac } from "./addr.ts";
 * parseMac("02:00:00:00:00:01")?.length; // 6
 * ```
 */
export function parseMac(s: string): Uint8Array<ArrayBuffer> | undefined {
  const parts = s.split(/[:.-]/);
  if (parts.length < 1 || parts.length > 32) return undefined;
  const out = new Uint8Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(parts[i])) return undefined;
    out[i] = parseInt(parts[i], 16);
  }
  return out;
}

/** A parsed prefix such as `10.0.0.0/24`. */
export interface Prefix {
  /** AF_INET or AF_INET6. */
  family: number;
  /** The prefix length. */
  length: number;
  /** The address part as text (validated). */
  address: string;
}

/**
 * Parses `ADDR[/LEN]` (a missing length means a host: /32 or /128), or the
 * word `default` (`0.0.0.0/0`, or `::/0` when `family` is AF_INET6).
 * Throws a {@linkcode ValidationError} naming `field`.
 *
 * @example
 * ```ts
 * import { parsePrefix } from "./addr.ts";
 * parsePrefix("10.0.0.0/24").length; // 24
 * parsePrefix("2001:db8::1").length; // 128
 * ```
 */
export function parsePrefix(text: string, field = "prefix", family?: number): Prefix {
  if (typeof text !== "string") throw new ValidationError(field, text, "expected an address or prefix string");
  if (text === "default" || text === "all" || text === "any") {
    const fam = family ?? AF_INET;
    return { family: fam, length: 0, address: fam === AF_INET6 ? "::" : "0.0.0.0" };
  }
  const slash = text.indexOf("/");
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const ipFam = ipFamily(addrText);
  if (ipFam === 0) throw new ValidationError(field, text, "not an IPv4 or IPv6 address");
  if (family !== undefined && family !== 0 && ipFam !== family) {
    throw new ValidationError(
      field,
      text,
      `address family differs from the other addresses (${family === AF_INET ? "IPv4" : "IPv6"} expected)`,
    );
  }
  const max = ipFam === AF_INET ? 32 : 128;
  let length = max;
  if (slash >= 0) {
    // One to three digits, read by hand: a batch parses 100,000s of these.
    const digits = text.length - slash - 1;
    length = digits >= 1 && digits <= 3 ? 0 : -1;
    for (let i = slash + 1; i < text.length && length >= 0; i++) {
      const c = text.charCodeAt(i) - 48;
      length = c >= 0 && c <= 9 ? length * 10 + c : -1;
    }
    if (length < 0 || length > max) throw new ValidationError(field, text, `prefix length must be 0..${max}`);
  }
  return { family: ipFam, length, address: addrText };
}

/**
 * Formats address bytes of either family.
 *
 * @example
 * ```ts
 * import { formatIP } from "./addr.ts";
 * formatIP(new Uint8Array([127, 0, 0, 1])); // "127.0.0.1"
 * ```
 */
export function formatIP(b: Uint8Array, off = 0, len?: number): string {
  len ??= b.length - off;
  if (len === 4) return formatIPv4(b, off);
  if (len === 16) return formatIPv6(b, off);
  return formatMac(b, off, len);
}
