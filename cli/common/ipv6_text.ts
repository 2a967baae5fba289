/**
 * IPv6 addresses as character codes, for the paths that write or read big
 * listings and batches byte by byte (cli/ip/route_plain.ts, batch_fast.ts):
 * the text glibc's inet_ntop writes, without building a string.
 *
 * @module
 */
import { formatIPv6, ipv6ZeroRun } from "@nlink/nlink/core";

const HEX = new TextEncoder().encode("0123456789abcdef");

/**
 * The IPv6 address at `b[at]` as inet_ntop writes it (the longest run of two
 * or more zero groups, the first of equals, as `::`); returns the new end.
 * One whose first five groups are zero (the IPv4-compatible and -mapped
 * forms, and `::`) goes through the library's formatIPv6.
 *
 * @example
 * ```ts
 * import { writeIPv6 } from "./ipv6_text.ts";
 * const out = new Uint8Array(45);
 * const a = new Uint8Array([0x20, 1, 0xd, 0xb8, ...new Array(11).fill(0), 1]);
 * new TextDecoder().decode(out.subarray(0, writeIPv6(out, 0, a, 0))); // "2001:db8::1"
 * ```
 */
export function writeIPv6(out: Uint8Array, n: number, b: Uint8Array, at: number): number {
  const run = ipv6ZeroRun(b, at);
  const bestBase = run < 0 ? -1 : run >> 4, bestLen = run & 15;
  if (bestBase === 0 && bestLen >= 5) {
    const s = formatIPv6(b, at);
    for (let i = 0; i < s.length; i++) out[n++] = s.charCodeAt(i);
    return n;
  }
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out[n++] = 58; // ":"
      continue;
    }
    if (i !== 0) out[n++] = 58;
    n = hexGroup(out, n, (b[at + 2 * i] << 8) | b[at + 2 * i + 1]);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out[n++] = 58;
  return n;
}

/** A 16-bit group in lowercase hex without leading zeros; returns the new end. */
function hexGroup(out: Uint8Array, n: number, g: number): number {
  if (g >= 0x1000) out[n++] = HEX[g >> 12];
  if (g >= 0x100) out[n++] = HEX[(g >> 8) & 15];
  if (g >= 0x10) out[n++] = HEX[(g >> 4) & 15];
  out[n++] = HEX[g & 15];
  return n;
}

/** The groups of the address being read (one reader at a time: no allocation per address). */
const GROUPS = new Uint16Array(8);

/** The value of a lowercase hex digit's character code, or -1. */
function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Reads an IPv6 address at `text[p]` that is written exactly as inet_ntop
 * writes it (lowercase, no leading zeros, the longest zero run as `::`, no
 * dotted quad), up to `end` or the first character that cannot be part of it
 * (the caller checks what follows). Its 16 bytes go to `bytes`; returns the
 * position after it, or -1 for any other text (another spelling of an
 * address, or none). `scratch` holds at least 45 bytes.
 *
 * @example
 * ```ts
 * import { readCanonicalIPv6 } from "./ipv6_text.ts";
 * const bytes = new Uint8Array(16), scratch = new Uint8Array(45);
 * readCanonicalIPv6("2001:db8::1/64", 0, 14, bytes, scratch); // 11
 * readCanonicalIPv6("2001:0db8::1", 0, 12, bytes, scratch); // -1
 * ```
 */
export function readCanonicalIPv6(
  text: string,
  p: number,
  end: number,
  bytes: Uint8Array,
  scratch: Uint8Array,
): number {
  let q = p;
  while (q < end) {
    const c = text.charCodeAt(q);
    if (c !== 58 && hexValue(c) < 0) break;
    q++;
  }
  if (q - p < 2 || q - p > 39) return -1;
  // Groups before and after a `::`.
  const groups = GROUPS;
  let count = 0, gap = -1;
  let i = p;
  if (text.charCodeAt(i) === 58) {
    if (text.charCodeAt(i + 1) !== 58) return -1;
    gap = 0;
    i += 2;
  }
  while (i < q) {
    let v = 0, digits = 0;
    for (let d; i < q && (d = hexValue(text.charCodeAt(i))) >= 0; i++, digits++) v = v * 16 + d;
    if (digits === 0 || digits > 4 || count === 8) return -1;
    groups[count++] = v;
    if (i === q) break;
    i++; // ":"
    if (i < q && text.charCodeAt(i) === 58) {
      if (gap >= 0) return -1;
      gap = count;
      i++;
    } else if (i === q) return -1;
  }
  if (gap < 0 ? count !== 8 : count > 7) return -1;
  bytes.fill(0);
  for (let k = 0; k < count; k++) {
    // Groups after the gap end the address.
    const at = 2 * (gap < 0 || k < gap ? k : 8 - count + k);
    bytes[at] = groups[k] >> 8;
    bytes[at + 1] = groups[k] & 255;
  }
  // The IPv4-compatible and -mapped forms (five zero groups first) print with a dotted quad.
  for (let k = 0; k < 10; k++) {
    if (bytes[k] !== 0) return sameText(text, p, q, scratch, writeIPv6(scratch, 0, bytes, 0));
  }
  return -1;
}

/** Whether `text[p, q)` is the `n` character codes in `scratch`; q when it is, else -1. */
function sameText(text: string, p: number, q: number, scratch: Uint8Array, n: number): number {
  if (n !== q - p) return -1;
  for (let k = 0; k < n; k++) if (scratch[k] !== text.charCodeAt(p + k)) return -1;
  return q;
}
