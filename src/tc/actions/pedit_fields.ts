/**
 * pedit's edits as the kernel takes them: every edit is one or more 32-bit
 * words at 4-byte-aligned offsets, each rewritten as `(word & mask) ^ val`
 * (or `+ val` for extended `add` keys). This module knows the named fields
 * of tc(8)'s `munge eth|ip|ip6|tcp|udp FIELD` (their offsets, widths and the
 * bits each field keeps, exactly as iproute2 6.1 declares them) and turns a
 * command (`set`, `add`, `clear`, `invert`, `preserve`, `decrement`, with an
 * optional `retain` mask) into those words the way iproute2 packs them.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { parseIPv4, parseIPv6, parseMac } from "../../util/addr.ts";

/** The headers a named field belongs to (`munge ip src …`). */
export type PeditHeader = "eth" | "ip" | "ip6" | "tcp" | "udp";

/** Ethernet fields (`pedit ex` only). */
export type PeditEthField = "src" | "dst" | "type";

/**
 * IPv4 fields. `sport`, `dport`, `icmp_type` and `icmp_code` are legacy keys
 * (without `ex`) at fixed offsets past a 20-byte IPv4 header; with `ex` use the
 * tcp and udp headers instead.
 */
export type PeditIpField =
  | "src"
  | "dst"
  | "tos"
  | "dsfield"
  | "precedence"
  | "ihl"
  | "ttl"
  | "protocol"
  | "nofrag"
  | "firstfrag"
  | "ce"
  | "df"
  | "mf"
  | "sport"
  | "dport"
  | "icmp_type"
  | "icmp_code";

/** IPv6 fields (`pedit ex` only). */
export type PeditIp6Field = "src" | "dst" | "traffic_class" | "flow_lbl" | "payload_len" | "nexthdr" | "hoplimit";

/** TCP fields (`pedit ex` only). */
export type PeditTcpField = "sport" | "dport" | "flags";

/** UDP fields (`pedit ex` only). */
export type PeditUdpField = "sport" | "dport";

/** What a key does to its field (tc(8)'s CMD). */
export type PeditCmd = "set" | "add" | "clear" | "invert" | "preserve" | "decrement";

/** The kernel's header types of extended keys (TCA_PEDIT_KEY_EX_HDR_TYPE_*). */
const PEDIT_HTYPE_VALUE: Readonly<Record<"network" | PeditHeader, number>> = {
  network: 0,
  eth: 1,
  ip: 2,
  ip6: 3,
  tcp: 4,
  udp: 5,
};

/** How a field's value is written: a number, an IPv4/IPv6 address or a MAC address. */
type ValueType = "u32" | "ipv4" | "ipv6" | "mac";

/** One named field, as iproute2's p_*.c modules declare it. */
interface FieldSpec {
  /** Byte offset in its header. */
  readonly off: number;
  /** Width in bytes: 1, 2, 4, 6 (MAC) or 16 (IPv6 address). */
  readonly len: 1 | 2 | 4 | 6 | 16;
  /** How the value is given. */
  readonly type: ValueType;
  /** The bits of the field a key changes by default (iproute2's per-field retain). */
  readonly retain: number;
  /** `decrement` is allowed (ttl, hoplimit). */
  readonly dec?: boolean;
  /** Only without `ex` (ip sport/dport/icmp_type/icmp_code). */
  readonly legacy?: boolean;
  /** The IPv6 traffic class: iproute2 shifts the packed key 4 bits left. */
  readonly nibbleShift?: boolean;
}

const ALL = 0xffffffff;

/** The named fields by header (offsets, widths and retain masks as in iproute2 6.1's p_eth.c … p_udp.c). */
const FIELDS: Readonly<Record<PeditHeader, Readonly<Record<string, FieldSpec>>>> = {
  eth: {
    type: { off: 12, len: 2, type: "u32", retain: 0xffff },
    dst: { off: 0, len: 6, type: "mac", retain: ALL },
    src: { off: 6, len: 6, type: "mac", retain: ALL },
  },
  ip: {
    src: { off: 12, len: 4, type: "ipv4", retain: ALL },
    dst: { off: 16, len: 4, type: "ipv4", retain: ALL },
    tos: { off: 1, len: 1, type: "u32", retain: 0xff },
    dsfield: { off: 1, len: 1, type: "u32", retain: 0xff },
    ihl: { off: 0, len: 1, type: "u32", retain: 0x0f },
    ttl: { off: 8, len: 1, type: "u32", retain: 0xff, dec: true },
    protocol: { off: 9, len: 1, type: "u32", retain: 0xff },
    precedence: { off: 1, len: 1, type: "u32", retain: 0xff },
    nofrag: { off: 6, len: 1, type: "u32", retain: 0x3f },
    firstfrag: { off: 6, len: 1, type: "u32", retain: 0x1f },
    ce: { off: 6, len: 1, type: "u32", retain: 0x80 },
    df: { off: 6, len: 1, type: "u32", retain: 0x40 },
    mf: { off: 6, len: 1, type: "u32", retain: 0x20 },
    dport: { off: 22, len: 2, type: "u32", retain: 0xffff, legacy: true },
    sport: { off: 20, len: 2, type: "u32", retain: 0xffff, legacy: true },
    icmp_type: { off: 20, len: 1, type: "u32", retain: 0xff, legacy: true },
    // Offset 20 too, as iproute2 has it (the code is the byte after the type).
    icmp_code: { off: 20, len: 1, type: "u32", retain: 0xff, legacy: true },
  },
  ip6: {
    src: { off: 8, len: 16, type: "ipv6", retain: ALL },
    dst: { off: 24, len: 16, type: "ipv6", retain: ALL },
    // 0x0007ffff, not 0x000fffff: iproute2's mask, kept so the bytes match.
    flow_lbl: { off: 0, len: 4, type: "u32", retain: 0x0007ffff },
    payload_len: { off: 4, len: 2, type: "u32", retain: 0xffff },
    nexthdr: { off: 6, len: 1, type: "u32", retain: 0xff },
    hoplimit: { off: 7, len: 1, type: "u32", retain: 0xff, dec: true },
    traffic_class: { off: 1, len: 1, type: "u32", retain: 0xff, nibbleShift: true },
  },
  tcp: {
    sport: { off: 0, len: 2, type: "u32", retain: 0xffff },
    dport: { off: 2, len: 2, type: "u32", retain: 0xffff },
    flags: { off: 13, len: 1, type: "u32", retain: 0xff },
  },
  udp: {
    sport: { off: 0, len: 2, type: "u32", retain: 0xffff },
    dport: { off: 2, len: 2, type: "u32", retain: 0xffff },
  },
};

/** One packed kernel key (struct tc_pedit_key) and its extended header type and command. */
export interface PackedKey {
  /** Bits kept (AND). */
  mask: number;
  /** Bits applied (XOR, or added). */
  val: number;
  /** Word offset (a multiple of 4; may be negative: before the network header). */
  off: number;
  /** Offset of the byte that extends `off` (0: none). */
  at: number;
  /** Mask of that byte. */
  offmask: number;
  /** Right shift of that byte. */
  shift: number;
  /** Header type (`network` for legacy keys). */
  htype: number;
  /** 0 set, 1 add. */
  cmd: number;
}

/** A command as the typed options give it. */
export interface PeditCommandInput {
  cmd?: unknown;
  value?: unknown;
  retain?: unknown;
}

/** Where a key applies: a raw word offset and width, or a named field. */
export interface PeditPlace {
  /** Byte offset (raw keys) or the field's offset in its header. */
  off: number;
  /** Width in bytes. */
  len: 1 | 2 | 4 | 6 | 16;
  /** How the value reads. */
  type: ValueType;
  /** Default retain mask. */
  retain: number;
  /** `decrement` allowed. */
  dec: boolean;
  /** Header type of the keys. */
  htype: number;
  /** Post-shift of IPv6 traffic class keys. */
  nibbleShift: boolean;
  /** `at`/`offmask`/`shift` of raw keys. */
  at: number;
  offmask: number;
  shift: number;
}

/**
 * The place of a named field (`munge ip ttl`), refusing fields that do not
 * exist or need the other mode.
 *
 * @example
 * ```ts
 * import { fieldPlace } from "./pedit_fields.ts";
 * fieldPlace("ip", "ttl", true, "keys[0]").off; // 8
 * ```
 */
export function fieldPlace(header: unknown, field: unknown, ex: boolean, path: string): PeditPlace {
  const table = typeof header === "string" ? FIELDS[header as PeditHeader] : undefined;
  if (table === undefined) {
    throw new ValidationError(`${path}.header`, header, `expected one of ${Object.keys(FIELDS).join(", ")}`);
  }
  const spec = typeof field === "string" && Object.hasOwn(table, field) ? table[field] : undefined;
  if (spec === undefined) {
    throw new ValidationError(`${path}.field`, field, `${header} fields are ${Object.keys(table).join(", ")}`);
  }
  if (!ex && header !== "ip") {
    throw new ValidationError(`${path}.header`, header, "only ip fields work without ex (set ex: true)");
  }
  if (ex && spec.legacy) {
    throw new ValidationError(`${path}.field`, field, "a legacy ip key: with ex, use the tcp or udp header");
  }
  return {
    off: spec.off,
    len: spec.len,
    type: spec.type,
    retain: spec.retain,
    dec: spec.dec ?? false,
    htype: ex ? PEDIT_HTYPE_VALUE[header as PeditHeader] : 0,
    nibbleShift: spec.nibbleShift ?? false,
    at: 0,
    offmask: 0,
    shift: 0,
  };
}

const U32 = (n: number) => n >>> 0;

function u32(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > ALL) {
    throw new ValidationError(path, value, "expected an integer 0..0xffffffff");
  }
  return value;
}

/** The bytes of an address or MAC value. */
function valueBytes(type: "ipv4" | "ipv6" | "mac", value: unknown, path: string): Uint8Array {
  const bytes = typeof value !== "string"
    ? undefined
    : type === "ipv4"
    ? parseIPv4(value)
    : type === "ipv6"
    ? parseIPv6(value)
    : parseMac(value);
  const want = type === "ipv4" ? "an IPv4 address" : type === "ipv6" ? "an IPv6 address" : "a MAC address";
  if (bytes === undefined || bytes.length !== (type === "ipv4" ? 4 : type === "ipv6" ? 16 : 6)) {
    throw new ValidationError(path, value, `expected ${want}`);
  }
  return bytes;
}

const word = (b: Uint8Array, i: number) => U32((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]);
const half = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];

/** The fixed mask bits outside a 16-bit field at byte 0, 1 or 2 of its word. */
const KEEP16 = [0x0000ffff, 0xff0000ff, 0xffff0000];
/** The fixed mask bits outside an 8-bit field at byte 0..3 of its word. */
const KEEP8 = [0x00ffffff, 0xff00ffff, 0xffff00ff, 0xffffff00];

/**
 * Builds the kernel keys of one edit, as iproute2's parse_cmd and pack_key*
 * do: the field's value and mask placed in its 32-bit word, the retain mask
 * limiting which of its bits change. `ex` allows `add` and `decrement`.
 *
 * @example
 * ```ts
 * import { fieldPlace, packKeys } from "./pedit_fields.ts";
 * packKeys(fieldPlace("ip", "ttl", true, "k"), { cmd: "set", value: 63 }, true, "k");
 * // [{ mask: 0x00ffffff, val: 0x3f000000, off: 8, at: 0, offmask: 0, shift: 0, htype: 2, cmd: 0 }]
 * ```
 */
export function packKeys(place: PeditPlace, c: PeditCommandInput, ex: boolean, path: string): PackedKey[] {
  const cmdName = c.cmd;
  const o = place.len === 2 ? 0xffff : place.len === 4 ? ALL : 0xff;
  let val = 0;
  let mask = 0;
  let bytes: Uint8Array | undefined;
  let cmd = 0;
  let retain = place.retain;
  const wide = place.len > 4;
  switch (cmdName) {
    case "set":
    case "add":
      if (cmdName === "add") {
        if (!ex) throw new ValidationError(`${path}.cmd`, cmdName, "add needs extended keys (ex: true)");
        cmd = 1;
      }
      if (c.value === undefined) throw new ValidationError(`${path}.value`, c.value, `${cmdName} needs a value`);
      if (place.type === "u32") val = u32(c.value, `${path}.value`);
      else {
        bytes = valueBytes(place.type, c.value, `${path}.value`);
        if (place.type === "ipv4") val = word(bytes, 0);
      }
      break;
    case "invert":
      // iproute2 inverts only up to 32 bits (a MAC or IPv6 "invert" sets one byte instead).
      if (wide) throw new ValidationError(`${path}.cmd`, cmdName, "fields longer than 32 bits cannot be inverted");
      val = mask = o;
      break;
    case "decrement":
      if (!place.dec) throw new ValidationError(`${path}.cmd`, cmdName, "only ttl and hoplimit can be decremented");
      if (!ex) throw new ValidationError(`${path}.cmd`, cmdName, "decrement needs extended keys (ex: true)");
      // Adding the all-ones value of the field subtracts one (by overflow).
      cmd = 1;
      val = retain;
      break;
    case "preserve":
      retain = 0;
      break;
    case "clear":
      break;
    default:
      throw new ValidationError(`${path}.cmd`, cmdName, "expected set, add, clear, invert, preserve or decrement");
  }
  if (cmdName !== "set" && cmdName !== "add" && c.value !== undefined) {
    throw new ValidationError(`${path}.value`, c.value, `${cmdName} takes no value`);
  }
  if (c.retain !== undefined) retain = u32(c.retain, `${path}.retain`);
  if (wide && retain !== ALL) {
    throw new ValidationError(`${path}.retain`, c.retain ?? 0, "retain works only on fields of up to 32 bits");
  }
  const base = { at: place.at, offmask: place.offmask, shift: place.shift, htype: place.htype, cmd };
  if (place.len === 6) return packMac(place.off, bytes ?? new Uint8Array(6), base, path);
  if (place.len === 16) {
    if (place.off & 3) throw new ValidationError(`${path}.offset`, place.off, "IPv6 fields start on a 32-bit boundary");
    const b = bytes ?? new Uint8Array(16);
    return [0, 4, 8, 12].map((i) => ({ ...base, mask: 0, val: word(b, i), off: place.off + i }));
  }
  const key = place.len === 1
    ? pack8(place.off, val, mask, retain, path)
    : place.len === 2
    ? pack16(place.off, val, mask, retain, path)
    : pack32(place.off, val, mask, retain, path);
  if (place.nibbleShift) {
    key.mask = U32((key.mask << 4) | 0xf);
    key.val = U32(key.val << 4);
  }
  return [{ ...base, ...key }];
}

type Word = { mask: number; val: number; off: number };

function pack32(off: number, val: number, mask: number, retain: number, path: string): Word {
  if (off & 3) throw new ValidationError(`${path}.offset`, off, "32-bit keys start on a 32-bit boundary");
  return { val: U32(val & retain), mask: U32(mask | ~retain), off };
}

function pack16(off: number, val: number, mask: number, retain: number, path: string): Word {
  if (val > 0xffff) throw new ValidationError(`${path}.value`, val, "a 16-bit field holds 0..65535");
  const ind = off & 3;
  if (ind === 3) throw new ValidationError(`${path}.offset`, off, "a 16-bit field cannot cross a 32-bit word");
  const stride = 8 * (2 - ind);
  return {
    val: U32((val & retain) << stride),
    mask: U32(((mask | ~retain) << stride) | KEEP16[ind]),
    off: off & ~3,
  };
}

function pack8(off: number, val: number, mask: number, retain: number, path: string): Word {
  if (val > 0xff) throw new ValidationError(`${path}.value`, val, "an 8-bit field holds 0..255");
  const ind = off & 3;
  const stride = 8 * (3 - ind);
  return {
    val: U32((val & retain) << stride),
    mask: U32(((mask | ~retain) << stride) | KEEP8[ind]),
    off: off & ~3,
  };
}

/** A MAC address: a 32-bit and a 16-bit key, in the order its alignment gives (as iproute2's pack_mac). */
function packMac(
  off: number,
  mac: Uint8Array,
  base: Omit<PackedKey, "mask" | "val" | "off">,
  path: string,
): PackedKey[] {
  if ((off & 3) === 0) {
    return [
      { ...base, ...pack32(off, word(mac, 0), 0, ALL, path) },
      { ...base, ...pack16(off + 4, half(mac, 4), 0, ALL, path) },
    ];
  }
  if ((off & 1) === 0) {
    return [
      { ...base, ...pack16(off, half(mac, 0), 0, ALL, path) },
      { ...base, ...pack32((off & ~3) + 4, word(mac, 2), 0, ALL, path) },
    ];
  }
  throw new ValidationError(`${path}.offset`, off, "MAC addresses start on a 16-bit boundary");
}

/**
 * The place of a raw key (`munge offset N u8|u16|u32 [at A OFFMASK SHIFT]`):
 * offsets from the network header (or the key's header type is network in
 * `ex` mode too).
 *
 * @example
 * ```ts
 * import { rawPlace } from "./pedit_fields.ts";
 * rawPlace({ offset: 12, size: "u32" }, "keys[0]").len; // 4
 * ```
 */
export function rawPlace(
  k: { offset?: unknown; size?: unknown; at?: unknown; offmask?: unknown; shift?: unknown },
  path: string,
): PeditPlace {
  const off = k.offset;
  if (typeof off !== "number" || !Number.isInteger(off) || off < -0x80000000 || off > 0x7fffffff) {
    throw new ValidationError(`${path}.offset`, off, "expected a byte offset (an s32)");
  }
  const sizes = { u8: 1, u16: 2, u32: 4 } as const;
  const len = typeof k.size === "string" ? sizes[k.size as keyof typeof sizes] : undefined;
  if (len === undefined) throw new ValidationError(`${path}.size`, k.size, "expected u8, u16 or u32");
  if (k.at === undefined && (k.offmask !== undefined || k.shift !== undefined)) {
    throw new ValidationError(`${path}.at`, k.at, "offmask and shift go with at");
  }
  return {
    off,
    len,
    type: "u32",
    retain: len === 4 ? ALL : len === 2 ? 0xffff : 0xff,
    dec: false,
    htype: 0,
    nibbleShift: false,
    at: k.at === undefined ? 0 : u32(k.at, `${path}.at`),
    offmask: k.offmask === undefined ? 0 : u32(k.offmask, `${path}.offmask`),
    shift: k.shift === undefined ? 0 : u32(k.shift, `${path}.shift`),
  };
}
