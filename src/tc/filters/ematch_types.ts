/**
 * The typed ematch tree the basic, cgroup and flow filters take (their
 * `ematches` option, tc(8)'s `match EXPR`) and decode back: matches (`cmp`,
 * `u32`, `meta`, `nbyte`, `canid`, `ipset`, `ipt`) combined with `and`, `or`,
 * `not` and parenthesised groups.
 *
 * `{ and: [a, b, c] }` is tc(8)'s `a and b and c`. The kernel reads one
 * sequence of matches from left to right and stops at the first `and` that
 * fails or `or` that holds, so `a and b or c` means `a and (b or c)`: an
 * `and`/`or` in the last place of another continues its sequence (no
 * container on the wire), one elsewhere becomes a container, as do `not` of
 * anything but a single match and `group` (tc(8)'s parentheses where they are
 * not needed). Decoding gives that same shape back.
 *
 * @module
 */
import type { MetaId } from "./ematch_meta.ts";

/** The header a match's offset counts from (`layer`): link (mac), network, transport. */
export type EmatchLayer = "link" | "network" | "transport";

/** A comparison: equal, greater than, less than. */
export type EmatchOp = "eq" | "gt" | "lt";

/** The width of a loaded value. */
export type EmatchSize = "u8" | "u16" | "u32";

/**
 * `cmp(u16 at 2 layer network mask 0xff00 gt 3)`: compares a u8/u16/u32 at an
 * offset of a header with a value.
 *
 * @example
 * ```ts
 * import type { CmpEmatch } from "./ematch_types.ts";
 * const m: CmpEmatch = { kind: "cmp", size: "u16", offset: 2, layer: "network", mask: 0xff00, op: "gt", value: 3 };
 * ```
 */
export interface CmpEmatch {
  /** The match. */
  kind: "cmp";
  /** The width loaded (`u8`, `u16`, `u32`). */
  size: EmatchSize;
  /** Byte offset from the start of the layer's header (`at`), 0..65535. */
  offset: number;
  /** The header the offset counts from (`layer`; default network). */
  layer?: EmatchLayer;
  /** AND the loaded value with this first (`mask`; 0 or absent: no mask). */
  mask?: number;
  /** The comparison (`eq`, `gt`, `lt`). */
  op: EmatchOp;
  /** The value compared with (fits the width). */
  value: number;
  /** Convert the loaded value from network byte order first (`trans`). */
  trans?: boolean;
}

/**
 * `u32(u16 0x1122 0xffff at nexthdr+4)`: a value under a mask at an offset of
 * the network header, or of the next header (as the u32 filter's keys).
 * Decoded as the 32-bit word tc(8) sends: `value` and `mask` as big-endian
 * words, `offset` a multiple of 4, no `size`.
 *
 * @example
 * ```ts
 * import type { U32Ematch } from "./ematch_types.ts";
 * const m: U32Ematch = { kind: "u32", size: "u16", value: 0x1122, mask: 0xffff, offset: 4, nexthdr: true };
 * ```
 */
export interface U32Ematch {
  /** The match. */
  kind: "u32";
  /** The width of `value`/`mask` at `offset` (default u32); tc(8) moves it into its aligned word. */
  size?: EmatchSize;
  /** The value (bits outside `mask` are dropped, as tc(8) drops them). */
  value: number;
  /** The mask. */
  mask: number;
  /** Byte offset (a u32 at a multiple of 4, a u16 at an even one). */
  offset: number;
  /** Count the offset from the next header (`nexthdr+`). */
  nexthdr?: boolean;
}

/**
 * A meta operand given by identifier: the packet's or socket's property, with
 * an optional right shift and (integers only) mask.
 *
 * @example
 * ```ts
 * import type { MetaIdOperand } from "./ematch_types.ts";
 * const o: MetaIdOperand = { id: "tc_index", mask: 0xf0 };
 * ```
 */
export interface MetaIdOperand {
  /** The identifier (tc(8)'s name, or the TCF_META_ID_* number). */
  id: MetaId | number;
  /** Shift the value right by this many bits (`shift`, 0..255). */
  shift?: number;
  /** AND an integer value with this (`mask`; 0 or absent: none). */
  mask?: number;
  /**
   * Compare as an integer or as bytes (`dev` and `sk_bind_if` compare by
   * name as `var`). Default: as tc(8) picks it — the id's first type, or the
   * other side's when that is a string.
   */
  type?: "int" | "var";
}

/**
 * A meta operand: an identifier, or a literal — a number (an integer value),
 * a string or bytes (a variable-length value, tc(8)'s quoted `"text"`).
 * Decoded literal bytes are a string when all are printable ASCII.
 */
export type MetaOperand = MetaIdOperand | number | string | Uint8Array;

/**
 * `meta(nf_mark gt 24)`, `meta(dev eq "p0")`: compares packet or socket
 * metadata.
 *
 * @example
 * ```ts
 * import type { MetaEmatch } from "./ematch_types.ts";
 * const m: MetaEmatch = { kind: "meta", left: { id: "priority" }, op: "eq", right: 1 };
 * ```
 */
export interface MetaEmatch {
  /** The match. */
  kind: "meta";
  /** The left operand. */
  left: MetaOperand;
  /** The comparison. */
  op: EmatchOp;
  /** The right operand. */
  right: MetaOperand;
}

/**
 * `nbyte("ababa" at 12 layer transport)`: bytes at an offset of a header.
 *
 * @example
 * ```ts
 * import type { NbyteEmatch } from "./ematch_types.ts";
 * const m: NbyteEmatch = { kind: "nbyte", needle: "GET ", offset: 20, layer: "transport" };
 * ```
 */
export interface NbyteEmatch {
  /** The match. */
  kind: "nbyte";
  /** The bytes (a string is sent as its UTF-8 bytes), 1..4095; decoded as a string when printable ASCII. */
  needle: string | Uint8Array;
  /** Byte offset from the layer's header (`at`), 0..65535. */
  offset: number;
  /** The header (`layer`; default network). */
  layer?: EmatchLayer;
}

/** One CAN identifier rule of a canid match (`sff 0x123`, `eff 0x1234:0xff`). */
export interface CanidRule {
  /** Standard (11-bit) or extended (29-bit) frame format. */
  format: "sff" | "eff";
  /** The identifier. */
  id: number;
  /** The bits of the identifier compared (default: all of the format's). */
  mask?: number;
}

/**
 * `canid(sff 0x123 eff 0x1234:0xff)`: CAN frames by identifier (any rule matches).
 *
 * @example
 * ```ts
 * import type { CanidEmatch } from "./ematch_types.ts";
 * const m: CanidEmatch = { kind: "canid", rules: [{ format: "sff", id: 0x123 }] };
 * ```
 */
export interface CanidEmatch {
  /** The match. */
  kind: "canid";
  /** The rules, 1..500. */
  rules: CanidRule[];
}

/**
 * `ipset(bulk src,dst)`: packets whose addresses are in an ipset. tc(8)
 * looks the set's name up (through the ipset socket option); nlink takes the
 * set's index. The text parser gives the name, which must be replaced by the
 * index before encoding.
 *
 * @example
 * ```ts
 * import type { IpsetEmatch } from "./ematch_types.ts";
 * const m: IpsetEmatch = { kind: "ipset", set: 0, dirs: ["src", "dst"] };
 * ```
 */
export interface IpsetEmatch {
  /** The match. */
  kind: "ipset";
  /** The set's index (a name only comes from the text parser and is refused when encoding). */
  set: number | string;
  /** Which address each of the set's dimensions is looked up by, 1..6 of them. */
  dirs: ("src" | "dst")[];
}

/**
 * `ipt(-m policy --pol ipsec --dir in)`: an xtables match. nlink does not
 * parse xtables options (tc(8) asks libxtables): the match's data is given
 * as the bytes of its xt_*_info struct.
 *
 * @example
 * ```ts
 * import type { IptEmatch } from "./ematch_types.ts";
 * const m: IptEmatch = { kind: "ipt", match: "mark", revision: 1, data: new Uint8Array(16) };
 * ```
 */
export interface IptEmatch {
  /** The match. */
  kind: "ipt";
  /** The xtables match name (`-m NAME`). */
  match: string;
  /** The match revision (default 0). */
  revision?: number;
  /** The protocol family (`-6`: ipv6; default ipv4). */
  nfproto?: "ipv4" | "ipv6";
  /** The netfilter hook (default as tc(8): 0, pre-routing, under parent `ffff:`; else 4, post-routing). */
  hook?: number;
  /** The match's data (its xt_*_info struct). */
  data: Uint8Array;
}

/**
 * A match kind nlink does not type (text 5 and vlan 6 have no tc(8) syntax),
 * as its ematch kind number and payload bytes.
 *
 * @example
 * ```ts
 * import type { RawEmatch } from "./ematch_types.ts";
 * const m: RawEmatch = { kind: "raw", matchKind: 6, data: new Uint8Array([0, 0, 0, 0]) };
 * ```
 */
export interface RawEmatch {
  /** The escape hatch. */
  kind: "raw";
  /** TCF_EM_* kind number (1..65535). */
  matchKind: number;
  /** The payload after struct tcf_ematch_hdr. */
  data: Uint8Array;
}

/** One match (a leaf of the tree), discriminated by `kind`. */
export type EmatchMatch =
  | CmpEmatch
  | U32Ematch
  | MetaEmatch
  | NbyteEmatch
  | CanidEmatch
  | IpsetEmatch
  | IptEmatch
  | RawEmatch;

/** All of these hold (`a and b and c`), checked left to right. */
export interface EmatchAnd {
  /** The terms (at least one). */
  and: Ematch[];
}

/** One of these holds (`a or b or c`), checked left to right. */
export interface EmatchOr {
  /** The terms (at least one). */
  or: Ematch[];
}

/** The inverse (`not a`, `not (a and b)`). */
export interface EmatchNot {
  /** What is inverted. */
  not: Ematch;
}

/** Parentheses that change nothing but the wire form (a container): `(a)`, `a and (b or c)`. */
export interface EmatchGroup {
  /** What is grouped. */
  group: Ematch;
}

/**
 * An ematch tree: a match, or matches combined.
 *
 * @example
 * ```ts
 * import type { Ematch } from "./ematch_types.ts";
 * // meta(priority eq 1) and not cmp(u16 at 2 layer network mask 0xff00 gt 3)
 * const tree: Ematch = {
 *   and: [
 *     { kind: "meta", left: { id: "priority" }, op: "eq", right: 1 },
 *     { not: { kind: "cmp", size: "u16", offset: 2, layer: "network", mask: 0xff00, op: "gt", value: 3 } },
 *   ],
 * };
 * ```
 */
export type Ematch = EmatchMatch | EmatchAnd | EmatchOr | EmatchNot | EmatchGroup;
