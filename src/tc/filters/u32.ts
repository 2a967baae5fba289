/**
 * The u32 filter: keys of 32-bit words under masks at offsets into the packet
 * (`tc filter add … u32 match ip src 10.0.0.0/8 classid 1:10`), hash tables
 * (`handle 1: u32 divisor 256`), links into them with a hash key, buckets
 * picked by `sample`, variable offsets to the next header, firewall marks,
 * input devices and actions. Handles are `HTID:HASH:NODE` in hexadecimal
 * (`800::800`).
 *
 * @module
 */
import { DecodeError, ValidationError } from "../../core/errors.ts";
import { cFlags, type FlagTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { structList } from "../../core/struct_list.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { type Action, type ActionOptions, ACTIONS, actionsValue } from "../action.ts";
import { intIn } from "../common.ts";
import type { Handle } from "../handle.ts";
import type { TcContext, TcKindCodec, TcOptions } from "../kind.ts";
import {
  anyOption,
  CLASSID,
  classidOf,
  CLS_FLAGS,
  clsFlags,
  type FilterPoliceOptions,
  indevOf,
  policeOf,
} from "./cls_common.ts";
import { POLICE_ATTRS, type PoliceData } from "../actions/police.ts";
import { markOf, packMatch, sampleBucket, type U32Key, type U32MarkMatch, type U32Match } from "./u32_match.ts";

export type {
  U32At,
  U32EtherAddressMatch,
  U32EtherProtocolMatch,
  U32IcmpMatch,
  U32Ip6AddressMatch,
  U32Ip6FieldMatch,
  U32IpAddressMatch,
  U32IpFieldMatch,
  U32IpFragmentMatch,
  U32Key,
  U32MarkMatch,
  U32Match,
  U32PortMatch,
  U32RawMatch,
} from "./u32_match.ts";

// ------------------------------------------------------------------ handles

const HEX = /^(0[xX])?[0-9a-fA-F]*$/;

function hexPart(text: string, limit: number, what: string, whole: unknown, field: string): number {
  const n = text === "" ? 0 : HEX.test(text) ? parseInt(text, 16) : NaN;
  if (!(n < limit)) throw new ValidationError(field, whole, `the ${what} must be below 0x${limit.toString(16)}`);
  return n;
}

/**
 * A u32 handle as tc(8) reads it: `HTID:HASH:NODE` in hexadecimal, parts may
 * be empty (`800::800`, `1:`, `1:2:`), or `0x…` for the whole 32 bits; or the
 * number. HTID is below 0x1000, HASH below 0x100, NODE below 0x1000.
 *
 * @example
 * ```ts
 * import { parseU32Handle } from "./u32.ts";
 * parseU32Handle("800::800", "handle"); // 0x80000800
 * parseU32Handle("1:", "link"); // 0x00100000
 * ```
 */
export function parseU32Handle(value: unknown, field: string): number {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
    throw new ValidationError(field, value, "expected a 32-bit u32 handle");
  }
  if (typeof value !== "string" || value === "") {
    throw new ValidationError(field, value, 'expected a u32 handle such as "800::800" or "1:"');
  }
  const parts = value.split(":");
  if (parts.length === 1) {
    if (!/^0[xX][0-9a-fA-F]{1,8}$/.test(value)) {
      throw new ValidationError(
        field,
        value,
        "expected HTID:HASH:NODE (hexadecimal) or 0x followed by 32 bits in hexadecimal",
      );
    }
    return parseInt(value, 16);
  }
  if (parts.length > 3) throw new ValidationError(field, value, "expected at most HTID:HASH:NODE");
  const htid = hexPart(parts[0], 0x1000, "hash table id", value, field);
  const hash = hexPart(parts[1], 0x100, "bucket", value, field);
  const node = parts.length > 2 ? hexPart(parts[2], 0x1000, "node id", value, field) : 0;
  return ((htid << 20) | (hash << 12) | node) >>> 0;
}

/**
 * A u32 handle as tc(8) prints it (`800::800`, `1:`, `1:2`, `none` for 0).
 *
 * @example
 * ```ts
 * import { formatU32Handle } from "./u32.ts";
 * formatU32Handle(0x80000800); // "800::800"
 * formatU32Handle(0x00102000); // "1:2"
 * ```
 */
export function formatU32Handle(handle: number): string {
  if (handle === 0) return "none";
  const htid = handle >>> 20;
  const hash = (handle >>> 12) & 0xff;
  const node = handle & 0xfff;
  let out = htid ? `${htid.toString(16)}:` : "";
  if (hash) out += hash.toString(16);
  if (node) out += `:${node.toString(16)}`;
  return out;
}

/** A u32 handle attribute: encodes tc(8) text or the number, decodes as tc(8) prints it. */
const U32_HANDLE: CustomCodec = {
  decode(_b, v, off, len) {
    if (len < 4) throw new DecodeError(`u32 handle needs 4 bytes, got ${len}`, off);
    return formatU32Handle(v.getUint32(off, true));
  },
  encode(w, x, path) {
    w.u32(parseU32Handle(x, path));
  },
};

// ------------------------------------------------------------------ the selector

/** TC_U32_*: a selector's flags (`terminal` once it has a class or actions; the offset kinds). */
export const U32_SEL_FLAGS: FlagTable = cFlags("linux/pkt_cls.h", "TC_U32_", {
  TERMINAL: 1,
  OFFSET: 2,
  VAROFFSET: 4,
  EAT: 8,
});

/** struct tc_u32_key: one word to compare. */
const TC_U32_KEY: StructDef = cStruct("linux/pkt_cls.h", "struct tc_u32_key", [
  { c: "mask", type: "be32" },
  { c: "val", type: "be32" },
  { c: "off", type: "s32" },
  { c: "offmask", type: "s32" },
]);

/** struct tc_u32_sel without its keys: flags, the next-header offset and the hash key. */
const TC_U32_SEL: StructDef = cStruct("linux/pkt_cls.h", "struct tc_u32_sel", [
  { c: "flags", type: "u8", flags: U32_SEL_FLAGS },
  { c: "offshift", type: "u8" },
  { c: "nkeys", type: "u8" },
  { c: "offmask", type: "be16" },
  { c: "off", type: "u16" },
  { c: "offoff", type: "s16" },
  { c: "hoff", type: "s16" },
  { c: "hmask", type: "be32" },
]);

/**
 * TCA_U32_SEL: struct tc_u32_sel followed by its `nkeys` keys, as one
 * object with a `keys` list (`nkeys` is written from the list's length).
 */
const SELECTOR: CustomCodec = structList({
  head: TC_U32_SEL,
  count: "nkeys",
  list: "keys",
  element: TC_U32_KEY,
  max: 255,
});

/** struct tc_u32_pcnt without its per-key counters. */
const TC_U32_PCNT: StructDef = cStruct("linux/pkt_cls.h", "struct tc_u32_pcnt", [
  { c: "rcnt", type: "u64" },
  { c: "rhit", type: "u64" },
]);

/** TCA_U32_PCNT: packets tried (`rcnt`), matched (`rhit`), and matched per key (`kcnts`). */
const PCNT: CustomCodec = structList({ head: TC_U32_PCNT, list: "kcnts", element: "u64" });

/** struct tc_u32_mark: the firewall mark to match, and how often it did. */
const TC_U32_MARK: StructDef = cStruct("linux/pkt_cls.h", "struct tc_u32_mark", [
  { c: "val", type: "u32" },
  { c: "mask", type: "u32" },
  { c: "success", type: "u32" },
]);

/** TCA_U32_*: u32 filter options. */
export const U32_ATTRS: AttrSchema = attrSchema("TCA_U32_", "linux/pkt_cls.h", {
  CLASSID: { id: 1, type: "custom", codec: CLASSID },
  HASH: { id: 2, type: "custom", codec: U32_HANDLE },
  LINK: { id: 3, type: "custom", codec: U32_HANDLE },
  DIVISOR: { id: 4, type: "u32" },
  SEL: { id: 5, type: "custom", codec: SELECTOR },
  POLICE: { id: 6, type: "nested", schema: POLICE_ATTRS },
  ACT: { id: 7, type: "custom", codec: ACTIONS },
  INDEV: { id: 8, type: "string" },
  PCNT: { id: 9, type: "custom", codec: PCNT },
  MARK: { id: 10, type: "struct", struct: TC_U32_MARK },
  FLAGS: { id: 11, type: "u32", flags: CLS_FLAGS },
  PAD: { id: 12, type: "pad" },
});

// ------------------------------------------------------------------ typed options

/**
 * A u32 filter (`tc filter add dev D parent 1: protocol ip prio 1 u32 …`).
 * A key node has `match`es and a `classid` or `actions`; a hash table has
 * only a `divisor` (give it a `handle` such as `"1:"`); a node in a table is
 * placed with `ht` (and `sample`), and a node `link`s to a table, hashing
 * on `hashkey`.
 */
export interface U32Options {
  /** The kind. */
  kind: "u32";
  /** An old-style policer (`police …` among the filter's words), sent in TCA_*_POLICE. */
  police?: FilterPoliceOptions;
  /** The matches (`match …`), all of which must hold; keys on the same word merge. */
  match?: U32Match[];
  /** The class matching packets go to (`classid`/`flowid`, `"1:10"`). */
  classid?: Handle;
  /** Makes this a hash table of this many buckets (`divisor`, a power of two up to 256). */
  divisor?: number;
  /** The hash table matching packets continue in (`link 1:`). */
  link?: string | number;
  /** The hash table (and bucket) this node goes in (`ht 1:`, `ht 1:2:`). */
  ht?: string | number;
  /** Picks the bucket from a sample key and the table's size (`sample ip src 10.0.0.1/32 divisor 256`). */
  sample?: { match: Exclude<U32Match, U32MarkMatch>; divisor?: number };
  /** Which bits of which word the linked table hashes on (`hashkey mask 0xff000000 at 12`). */
  hashkey?: { mask?: number; at?: number };
  /**
   * Where the next header starts (`offset at 0 mask 0x0f00 shift 6 plus 0 eat`):
   * `at` the 16-bit word holding the length, `mask` and `shift` to turn it into
   * bytes, `plus` a constant, `eat` to move on for linked tables.
   */
  offset?: { at?: number; mask?: number; shift?: number; plus?: number; eat?: boolean };
  /** Only packets that came in through this device (`indev`, a name). */
  indev?: string;
  /** Actions on matching packets (`action …`). */
  actions?: ActionOptions[];
  /** Not in hardware (`skip_hw`). */
  skipHw?: boolean;
  /** Only in hardware (`skip_sw`). */
  skipSw?: boolean;
}

/** A decoded u32 selector (struct tc_u32_sel and its keys). */
export interface U32SelectorData {
  /** `terminal`, `offset`, `varoffset`, `eat`. */
  flags: string[];
  /** Right shift of the next-header length word. */
  offshift: number;
  /** How many keys. */
  nkeys: number;
  /** Mask of the next-header length word. */
  offmask: number;
  /** Constant next-header offset (`plus`). */
  off: number;
  /** Where the next-header length word is (`at`). */
  offoff: number;
  /** Offset of the hash key word. */
  hoff: number;
  /** Mask of the hash key. */
  hmask: number;
  /** The keys. */
  keys: U32Key[];
}

/** u32's decoded options. */
export interface U32Data {
  /** The class (`"1:10"`). */
  classid?: string;
  /** The table and bucket of this node (`"800:"`, `"1:2"`). */
  hash?: string;
  /** The table it links to (`"1:"`). */
  link?: string;
  /** A hash table's bucket count. */
  divisor?: number;
  /** The selector. */
  sel?: U32SelectorData;
  /** The old-style policer (`police …`). */
  police?: PoliceData;
  /** Actions. */
  act?: Action[];
  /** The input device's name. */
  indev?: string;
  /** Packets tried (`rcnt`), matched (`rhit`), per key (`kcnts`): kernels built with CONFIG_CLS_U32_PERF. */
  pcnt?: { rcnt: bigint; rhit: bigint; kcnts: bigint[] };
  /** The firewall mark test and how many packets passed it (CONFIG_CLS_U32_MARK). */
  mark?: { val: number; mask: number; success: number };
  /** `skip_hw`, `skip_sw`, `in_hw`, `not_in_hw`. */
  flags?: string[];
}

const U32_KEYS = [
  "match",
  "police",
  "classid",
  "divisor",
  "link",
  "ht",
  "sample",
  "hashkey",
  "offset",
  "indev",
  "actions",
  "skipHw",
  "skipSw",
];

const SEL_FLAG = { terminal: 1, offset: 2, varoffset: 4, eat: 8 };

function checkObject(x: unknown, keys: readonly string[], path: string): Record<string, unknown> {
  if (x === null || typeof x !== "object" || Array.isArray(x)) throw new ValidationError(path, x, "expected an object");
  for (const k of Object.keys(x)) {
    if (!keys.includes(k)) {
      throw new ValidationError(`${path}.${k}`, (x as Record<string, unknown>)[k], `expected only ${keys.join(", ")}`);
    }
  }
  return x as Record<string, unknown>;
}

function divisorOf(x: unknown, path: string): number | undefined {
  const n = intIn(x, 1, 256, path);
  if (n !== undefined && (n & (n - 1)) !== 0) {
    throw new ValidationError(path, x, "a divisor is a power of two up to 256");
  }
  return n;
}

/** The selector's offset and hash-key fields (and their flags) from the `offset` and `hashkey` options. */
function selectorHead(o: TcOptions): { flags: number; head: Record<string, number> } {
  let flags = 0;
  const head: Record<string, number> = { offshift: 0, offmask: 0, off: 0, offoff: 0, hoff: 0, hmask: 0 };
  if (o.offset !== undefined) {
    const x = checkObject(o.offset, ["at", "mask", "shift", "plus", "eat"], "offset");
    if (x.plus !== undefined) {
      head.off = intIn(x.plus, 0, 0xffff, "offset.plus")!;
      flags |= SEL_FLAG.offset;
    }
    if (x.at !== undefined) {
      head.offoff = intIn(x.at, -0x8000, 0x7fff, "offset.at")!;
      if (head.offoff % 2 !== 0) {
        throw new ValidationError("offset.at", x.at, "the offset word must be at an even offset");
      }
      flags |= SEL_FLAG.varoffset;
    }
    if (x.mask !== undefined) {
      head.offmask = intIn(x.mask, 0, 0xffff, "offset.mask")!;
      flags |= SEL_FLAG.varoffset;
    }
    if (x.shift !== undefined) {
      head.offshift = intIn(x.shift, 0, 0xff, "offset.shift")!;
      flags |= SEL_FLAG.varoffset;
    }
    if (x.eat !== undefined && typeof x.eat !== "boolean") {
      throw new ValidationError("offset.eat", x.eat, "expected true or false");
    }
    if (x.eat) flags |= SEL_FLAG.eat;
  }
  if (o.hashkey !== undefined) {
    const x = checkObject(o.hashkey, ["mask", "at"], "hashkey");
    head.hmask = intIn(x.mask, 0, 0xffffffff, "hashkey.mask") ?? 0;
    head.hoff = intIn(x.at, -0x8000, 0x7fff, "hashkey.at") ?? 0;
    if (head.hoff % 4 !== 0) {
      throw new ValidationError("hashkey.at", x.at, "the hash key word must be at a multiple of 4");
    }
  }
  return { flags, head };
}

/** TCA_U32_HASH: the table (`ht`) and bucket (`sample`) of this node, as tc(8) combines them. */
function hashOf(o: TcOptions): number {
  let htid = 0;
  if (o.ht !== undefined) {
    const ht = parseU32Handle(o.ht, "ht");
    if (o.handle !== undefined && (ht & 0xfff) !== 0) {
      throw new ValidationError("ht", o.ht, "ht must name a hash table (and bucket), not a node");
    }
    htid = (ht & 0xfffff000) >>> 0;
  }
  if (o.sample !== undefined) {
    const s = checkObject(o.sample, ["match", "divisor"], "sample");
    const keys: U32Key[] = [];
    if ((s.match as U32Match | undefined)?.type === "mark") {
      throw new ValidationError("sample.match", s.match, "a sample is one key, not a mark");
    }
    packMatch(keys, s.match as U32Match, "sample.match");
    if (keys.length !== 1) throw new ValidationError("sample.match", s.match, "a sample must make exactly one key");
    const bucket = sampleBucket(keys[0], divisorOf(s.divisor, "sample.divisor") ?? 256);
    htid = ((bucket << 12) | (htid & 0xfff00000)) >>> 0;
  }
  return htid;
}

function encodeU32(o: TcOptions, ctx: TcContext): unknown {
  if (!anyOption(o, U32_KEYS)) return undefined; // tc sends no options then
  const out: Record<string, unknown> = {};
  const keys: U32Key[] = [];
  const matches = o.match;
  if (matches !== undefined && !Array.isArray(matches)) {
    throw new ValidationError("match", matches, "expected a list of matches");
  }
  (matches ?? []).forEach((m: U32Match, i: number) => {
    const path = `match[${i}]`;
    if (m?.type === "mark") {
      if (out.mark !== undefined) throw new ValidationError(path, m, "give one mark match");
      out.mark = markOf(m, path);
    } else packMatch(keys, m, path);
  });
  let { flags, head } = selectorHead(o);
  const police = policeOf(o, ctx);
  if (police !== undefined) out.police = police;
  const classid = classidOf(o);
  if (classid !== undefined) {
    out.classid = classid;
    flags |= SEL_FLAG.terminal;
  }
  const divisor = divisorOf(o.divisor, "divisor");
  if (divisor !== undefined) out.divisor = divisor;
  if (o.link !== undefined) {
    const link = parseU32Handle(o.link, "link");
    if (link !== 0 && (link & 0xfff) !== 0) throw new ValidationError("link", o.link, "link must name a hash table");
    out.link = link;
  }
  const indev = indevOf(o);
  if (indev !== undefined) out.indev = indev;
  if (o.actions !== undefined) {
    out.act = actionsValue(o.actions, ctx, "actions");
    if ((o.actions as unknown[]).length > 0) flags |= SEL_FLAG.terminal;
  }
  const htid = hashOf(o);
  if (htid !== 0) out.hash = htid;
  // tc sends the selector when the command has a match (a mark alone counts: its selector has no keys).
  if (matches !== undefined && matches.length > 0) out.sel = { flags, ...head, keys };
  const cls = clsFlags(o);
  if (cls !== undefined) out.flags = cls;
  return out;
}

/** The u32 codec. */
export const U32: TcKindCodec = {
  options: U32_ATTRS,
  keys: U32_KEYS,
  encode: encodeU32,
  parseHandle: parseU32Handle,
};
