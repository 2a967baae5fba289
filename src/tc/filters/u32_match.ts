/**
 * u32's `match` selectors turned into keys, as tc(8)'s f_u32.c packs them:
 * raw `u32`/`u16`/`u8` values under a mask at an offset, and the typed
 * helpers for IPv4, IPv6, TCP, UDP, ICMP and Ethernet fields and the
 * firewall mark. Keys are 32-bit words at offsets that are multiples of 4;
 * matches on the same word merge into one key (and contradicting ones are
 * refused), exactly as tc(8) merges them.
 *
 * A key's `val` and `mask` are the big-endian words as numbers (what
 * `ntohl` gives): `ip src 10.0.0.0/8` is `{ val: 0x0a000000, mask: 0xff000000, off: 12 }`.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { parseIPv4, parseIPv6, parseMac } from "../../util/addr.ts";
import { ETH_PROTOCOL } from "../constants.ts";

/** Where a match reads: `at` bytes from the network header, or from the next header with `nexthdr`. */
export interface U32At {
  /** The offset (`at N`), replacing the field's usual one. */
  at?: number;
  /** Count `at` from the next header, found by the selector's `offset` (`at nexthdr+N`). */
  nexthdr?: boolean;
}

/** A raw key (`match u32 VALUE MASK at OFFSET`, `u16`, `u8`). */
export interface U32RawMatch extends U32At {
  /** The width of the value. */
  type: "u32" | "u16" | "u8";
  /** The value. */
  value: number;
  /** The bits that count (default: all of the width). */
  mask?: number;
}

/** An IPv4 address prefix (`match ip src 10.0.0.0/8`). */
export interface U32IpAddressMatch extends U32At {
  /** IPv4. */
  type: "ip";
  /** Source or destination. */
  field: "src" | "dst";
  /** `address[/length]` (`any`: everything). */
  value: string;
}

/**
 * An IPv4 header field (`match ip protocol 6 0xff`); `sport`, `dport`,
 * `icmp_type` and `icmp_code` assume a 20-byte IPv4 header.
 */
export interface U32IpFieldMatch extends U32At {
  /** IPv4. */
  type: "ip";
  /** The field. */
  field: "tos" | "dsfield" | "precedence" | "ihl" | "protocol" | "sport" | "dport" | "icmp_type" | "icmp_code";
  /** The value. */
  value: number;
  /** The bits that count (default: the whole field's width: 0xff, or 0xffff for ports). */
  mask?: number;
}

/** An IPv4 fragment test (`match ip nofrag`, `firstfrag`, `df`, `mf`). */
export interface U32IpFragmentMatch {
  /** IPv4. */
  type: "ip";
  /** Not a fragment, the first fragment, don't-fragment set, more-fragments set. */
  field: "nofrag" | "firstfrag" | "df" | "mf";
}

/** An IPv6 address prefix (`match ip6 src 2001:db8::/32`). */
export interface U32Ip6AddressMatch extends U32At {
  /** IPv6. */
  type: "ip6";
  /** Source or destination. */
  field: "src" | "dst";
  /** `address[/length]`. */
  value: string;
}

/**
 * An IPv6 header field (`match ip6 dport 443 0xffff`); ports and ICMP fields
 * assume no extension headers. `flowlabel` matches the first 32-bit word
 * (version, traffic class and flow label): give a mask such as 0x000fffff.
 * `priority` is the traffic class (no `at`).
 */
export interface U32Ip6FieldMatch extends U32At {
  /** IPv6. */
  type: "ip6";
  /** The field. */
  field: "priority" | "protocol" | "flowlabel" | "sport" | "dport" | "icmp_type" | "icmp_code";
  /** The value. */
  value: number;
  /** The bits that count (default: the whole field's width). */
  mask?: number;
}

/** A TCP or UDP port, in the next header (`match tcp dst 80 0xffff`). */
export interface U32PortMatch extends U32At {
  /** The transport. */
  type: "tcp" | "udp";
  /** Source or destination port. */
  field: "src" | "dst";
  /** The port. */
  value: number;
  /** The bits that count (default 0xffff). */
  mask?: number;
}

/** An ICMP type or code, in the next header (`match icmp type 8 0xff`). */
export interface U32IcmpMatch extends U32At {
  /** ICMP. */
  type: "icmp";
  /** Type or code. */
  field: "type" | "code";
  /** The value. */
  value: number;
  /** The bits that count (default 0xff). */
  mask?: number;
}

/** An Ethernet address, before the network header (`match ether src 02:00:00:00:00:01`). */
export interface U32EtherAddressMatch extends U32At {
  /** Ethernet. */
  type: "ether";
  /** Source or destination. */
  field: "src" | "dst";
  /** The MAC address. */
  value: string;
}

/**
 * The Ethernet type, just before the network header: nlink's short form of
 * `match u16 TYPE 0xffff at -2` (tc(8) has no `ether protocol`).
 */
export interface U32EtherProtocolMatch extends U32At {
  /** Ethernet. */
  type: "ether";
  /** The ethertype. */
  field: "protocol";
  /** A protocol name (`"ip"`, `"ipv6"`, `"802.1Q"`, …) or number. */
  value: string | number;
  /** The bits that count (default 0xffff). */
  mask?: number;
}

/** The packet's firewall mark (`match mark 0x10 0xff`): sent as TCA_U32_MARK, not as a key. */
export interface U32MarkMatch {
  /** The mark. */
  type: "mark";
  /** The value (every bit of it must be in `mask`). */
  value: number;
  /** The bits that count. */
  mask: number;
}

/**
 * One `match` of a u32 filter.
 *
 * @example
 * ```ts
 * import type { U32Match } from "./u32_match.ts";
 * const web: U32Match[] = [
 *   { type: "ip", field: "protocol", value: 6 },
 *   { type: "tcp", field: "dst", value: 80 },
 * ];
 * ```
 */
export type U32Match =
  | U32RawMatch
  | U32IpAddressMatch
  | U32IpFieldMatch
  | U32IpFragmentMatch
  | U32Ip6AddressMatch
  | U32Ip6FieldMatch
  | U32PortMatch
  | U32IcmpMatch
  | U32EtherAddressMatch
  | U32EtherProtocolMatch
  | U32MarkMatch;

/** One key of a selector (struct tc_u32_key); `val` and `mask` are big-endian words as numbers. */
export interface U32Key {
  /** The bits that count. */
  mask: number;
  /** The value of those bits. */
  val: number;
  /** The word's offset (a multiple of 4, may be negative: the link-layer header). */
  off: number;
  /** ANDed with the next header's offset and added (-1: `nexthdr+`; 0: from the network header). */
  offmask: number;
}

/** The most keys a selector holds (tc(8)'s limit). */
const MAX_KEYS = 128;

/**
 * Adds a key to `keys` as tc(8)'s pack_key does: a key at the same offset
 * (and offmask) merges with it, unless the two contradict each other.
 */
function packKey(keys: U32Key[], val: number, mask: number, off: number, offmask: number, path: string): void {
  val = (val & mask) >>> 0;
  for (const k of keys) {
    if (k.off !== off || k.offmask !== offmask) continue;
    if (((val ^ k.val) & mask & k.mask) !== 0) {
      throw new ValidationError(path, val, `contradicts an earlier match on the word at offset ${off}`);
    }
    k.val = (k.val | val) >>> 0;
    k.mask = (k.mask | mask) >>> 0;
    return;
  }
  if (keys.length >= MAX_KEYS) {
    throw new ValidationError(path, keys.length, `a selector holds at most ${MAX_KEYS} keys`);
  }
  if (off % 4 !== 0) {
    throw new ValidationError(path, off, "a 32-bit match must be at an offset that is a multiple of 4");
  }
  keys.push({ mask: mask >>> 0, val, off, offmask });
}

/** A 16-bit value in its word: the upper half at offsets ≡ 0 (mod 4), else the lower (as tc(8) places it). */
function packKey16(keys: U32Key[], val: number, mask: number, off: number, offmask: number, path: string): void {
  const shift = (off & 3) === 0 ? 16 : 0;
  packKey(keys, (val << shift) >>> 0, (mask << shift) >>> 0, off & ~3, offmask, path);
}

/** An 8-bit value in its word, placed by the offset's remainder (as tc(8) places it). */
function packKey8(keys: U32Key[], val: number, mask: number, off: number, offmask: number, path: string): void {
  const shift = [24, 16, 8, 0][off & 3];
  packKey(keys, (val << shift) >>> 0, (mask << shift) >>> 0, off & ~3, offmask, path);
}

function int(x: unknown, max: number, path: string): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > max) {
    throw new ValidationError(path, x, `expected an integer 0..0x${max.toString(16)}`);
  }
  return x;
}

/** The offset and offmask of a match: its own `at`/`nexthdr`, or the field's. */
function place(m: U32At, off: number, offmask: number, path: string): [number, number] {
  if (m.at !== undefined) {
    if (typeof m.at !== "number" || !Number.isInteger(m.at) || m.at < -0x80000000 || m.at > 0x7fffffff) {
      throw new ValidationError(`${path}.at`, m.at, "expected an integer offset");
    }
    off = m.at;
  }
  if (m.nexthdr !== undefined && typeof m.nexthdr !== "boolean") {
    throw new ValidationError(`${path}.nexthdr`, m.nexthdr, "expected true or false");
  }
  return [off, m.nexthdr ? -1 : offmask];
}

type Width = 8 | 16 | 32;
const FULL: Record<Width, number> = { 8: 0xff, 16: 0xffff, 32: 0xffffffff };

/** A value and mask of `width` bits at the field's offset (or the match's `at`). */
function numeric(
  keys: U32Key[],
  m: { value?: unknown; mask?: unknown } & U32At,
  width: Width,
  off: number,
  offmask: number,
  path: string,
): void {
  const val = int(m.value, FULL[width], `${path}.value`);
  const mask = m.mask === undefined ? FULL[width] : int(m.mask, FULL[width], `${path}.mask`);
  const [o, om] = place(m, off, offmask, path);
  if (width === 32) packKey(keys, val, mask, o, om, path);
  else if (width === 16) packKey16(keys, val, mask, o, om, path);
  else packKey8(keys, val, mask, o, om, path);
}

/** IPv4 fields: width and offset (from the start of the IPv4 header). */
const IP_FIELDS: Readonly<Record<string, [Width, number]>> = {
  tos: [8, 1],
  dsfield: [8, 1],
  precedence: [8, 1],
  ihl: [8, 0],
  protocol: [8, 9],
  dport: [16, 22],
  sport: [16, 20],
  icmp_type: [8, 20],
  icmp_code: [8, 21],
};

/** IPv4 fragment tests: value and mask of the 16-bit flags/fragment-offset field at 6. */
const IP_FRAGMENT: Readonly<Record<string, [number, number]>> = {
  nofrag: [0, 0x3fff],
  firstfrag: [0x2000, 0x3fff],
  df: [0x4000, 0x4000],
  mf: [0x2000, 0x2000],
};

/** IPv6 fields: width, offset and offmask (tc(8) gives icmp_code an offmask of 1, and so do we). */
const IP6_FIELDS: Readonly<Record<string, [Width, number, number]>> = {
  protocol: [8, 6, 0],
  flowlabel: [32, 0, 0],
  dport: [16, 42, 0],
  sport: [16, 40, 0],
  icmp_type: [8, 40, 0],
  icmp_code: [8, 41, 1],
};

function ipv4Prefix(keys: U32Key[], m: U32IpAddressMatch, off: number, path: string): void {
  const text = m.value;
  let bytes: Uint8Array | undefined;
  let length = 32;
  if (text === "any" || text === "all" || text === "default") {
    bytes = new Uint8Array(4);
    length = 0;
  } else if (typeof text === "string") {
    const [addr, len, extra] = text.split("/");
    bytes = extra === undefined ? parseIPv4(addr) : undefined;
    if (len !== undefined) length = /^\d{1,2}$/.test(len) ? Number(len) : -1;
  }
  if (bytes === undefined || !(length >= 0 && length <= 32)) {
    throw new ValidationError(`${path}.value`, text, "expected an IPv4 address or prefix such as 10.0.0.0/8");
  }
  const [o, om] = place(m, off, 0, path);
  const val = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  packKey(keys, val, length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0, o, om, path);
}

function ipv6Prefix(keys: U32Key[], m: U32Ip6AddressMatch, off: number, path: string): void {
  const text = m.value;
  let bytes: Uint8Array | undefined;
  let length = 128;
  if (typeof text === "string") {
    const [addr, len, extra] = text.split("/");
    bytes = extra === undefined ? parseIPv6(addr) : undefined;
    if (len !== undefined) length = /^\d{1,3}$/.test(len) ? Number(len) : -1;
  }
  if (bytes === undefined || !(length >= 0 && length <= 128)) {
    throw new ValidationError(`${path}.value`, text, "expected an IPv6 address or prefix such as 2001:db8::/32");
  }
  const [o, om] = place(m, off, 0, path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  // One key per 32-bit word the prefix covers; the last may be partial.
  for (let i = 0; i < length; i += 32) {
    const bits = Math.min(32, length - i);
    packKey(keys, view.getUint32(i / 8), (0xffffffff << (32 - bits)) >>> 0, o + i / 8, om, path);
  }
}

function etherAddress(keys: U32Key[], m: U32EtherAddressMatch, off: number, path: string): void {
  const bytes = typeof m.value === "string" ? parseMac(m.value) : undefined;
  if (bytes === undefined || bytes.length !== 6 || m.value.includes("-") || m.value.includes(".")) {
    throw new ValidationError(`${path}.value`, m.value, "expected a MAC address such as 02:00:00:00:00:01");
  }
  const [o, om] = place(m, off, 0, path);
  for (let i = 0; i < 6; i++) packKey8(keys, bytes[i], 0xff, o + i, om, path);
}

function fieldOf<T extends string>(m: { field?: unknown }, table: Readonly<Record<T, unknown>>, path: string): T {
  const f = m.field;
  if (typeof f !== "string" || !Object.hasOwn(table, f)) {
    throw new ValidationError(`${path}.field`, f, `expected one of ${Object.keys(table).join(", ")}`);
  }
  return f as T;
}

const ADDRESS = { src: 0, dst: 0 };

/**
 * Adds the keys of one match to `keys` (a mark match adds none: see
 * {@linkcode U32MarkMatch}).
 *
 * @example
 * ```ts
 * import { packMatch, type U32Key } from "./u32_match.ts";
 * const keys: U32Key[] = [];
 * packMatch(keys, { type: "ip", field: "src", value: "10.0.0.0/8" }, "match[0]");
 * keys; // [{ mask: 0xff000000, val: 0x0a000000, off: 12, offmask: 0 }]
 * ```
 */
export function packMatch(keys: U32Key[], m: U32Match, path: string): void {
  if (m === null || typeof m !== "object") throw new ValidationError(path, m, "expected a match");
  switch (m.type) {
    case "u32":
      return numeric(keys, m, 32, 0, 0, path);
    case "u16":
      return numeric(keys, m, 16, 0, 0, path);
    case "u8":
      return numeric(keys, m, 8, 0, 0, path);
    case "ip": {
      const f = fieldOf(m, { ...ADDRESS, ...IP_FIELDS, ...IP_FRAGMENT }, path);
      if (f === "src" || f === "dst") return ipv4Prefix(keys, m as U32IpAddressMatch, f === "src" ? 12 : 16, path);
      const frag = IP_FRAGMENT[f];
      if (frag) {
        for (const k of ["value", "mask", "at", "nexthdr"]) {
          const x = (m as unknown as Record<string, unknown>)[k];
          if (x !== undefined) throw new ValidationError(`${path}.${k}`, x, `ip ${f} takes no ${k}`);
        }
        return packKey16(keys, frag[0], frag[1], 6, 0, path);
      }
      const [width, off] = IP_FIELDS[f];
      return numeric(keys, m as U32IpFieldMatch, width, off, 0, path);
    }
    case "ip6": {
      const f = fieldOf(m, { ...ADDRESS, priority: 0, ...IP6_FIELDS }, path);
      if (f === "src" || f === "dst") return ipv6Prefix(keys, m as U32Ip6AddressMatch, f === "src" ? 8 : 24, path);
      const x = m as U32Ip6FieldMatch;
      if (f === "priority") {
        // The traffic class: bits 20-27 of the first word; tc(8) takes no offset for it.
        if (x.at !== undefined || x.nexthdr !== undefined) {
          throw new ValidationError(`${path}.at`, x.at ?? x.nexthdr, "ip6 priority takes no offset");
        }
        const val = int(x.value, 0xff, `${path}.value`);
        const mask = x.mask === undefined ? 0xff : int(x.mask, 0xff, `${path}.mask`);
        return packKey(keys, (val << 20) >>> 0, (mask << 20) >>> 0, 0, 0, path);
      }
      const [width, off, offmask] = IP6_FIELDS[f];
      return numeric(keys, x, width, off, offmask, path);
    }
    case "tcp":
    case "udp": {
      const f = fieldOf(m, ADDRESS, path);
      return numeric(keys, m, 16, f === "src" ? 0 : 2, -1, path);
    }
    case "icmp": {
      const f = fieldOf(m, { type: 0, code: 0 }, path);
      return numeric(keys, m, 8, f === "type" ? 0 : 1, -1, path);
    }
    case "ether": {
      const f = fieldOf(m, { ...ADDRESS, protocol: 0 }, path);
      if (f === "protocol") {
        const x = m as U32EtherProtocolMatch;
        const value = typeof x.value === "string" ? ETH_PROTOCOL.value(x.value, `${path}.value`) : x.value;
        return numeric(keys, { ...x, value }, 16, -2, 0, path);
      }
      return etherAddress(keys, m as U32EtherAddressMatch, f === "src" ? -8 : -14, path);
    }
    case "mark":
      return;
    default:
      throw new ValidationError(
        `${path}.type`,
        (m as { type?: unknown }).type,
        "expected u32, u16, u8, ip, ip6, tcp, udp, icmp, ether or mark",
      );
  }
}

/**
 * The firewall-mark test of a mark match (struct tc_u32_mark), checked as
 * tc(8) checks it.
 *
 * @example
 * ```ts
 * import { markOf } from "./u32_match.ts";
 * markOf({ type: "mark", value: 0x10, mask: 0xff }, "match[0]"); // { val: 16, mask: 255 }
 * ```
 */
export function markOf(m: U32MarkMatch, path: string): { val: number; mask: number } {
  const val = int(m.value, 0xffffffff, `${path}.value`);
  const mask = int(m.mask, 0xffffffff, `${path}.mask`);
  if (((val & mask) >>> 0) !== val) {
    throw new ValidationError(`${path}.value`, val, "the mark has bits outside its mask (an impossible combination)");
  }
  return { val, mask };
}

/**
 * The hash bucket a `sample` key falls in: its value shifted down to the
 * mask's lowest bit, modulo the table's divisor (tc(8)'s u32_hash_fold).
 *
 * @example
 * ```ts
 * import { sampleBucket } from "./u32_match.ts";
 * sampleBucket({ mask: 0x00ff0000, val: 0x00060000, off: 8, offmask: 0 }, 16); // 6
 * ```
 */
export function sampleBucket(key: U32Key, divisor: number): number {
  let shift = 0;
  while (key.mask !== 0 && shift < 31 && ((key.mask >>> shift) & 1) === 0) shift++;
  return (((key.val & key.mask) >>> 0) >>> shift) % divisor;
}
