/**
 * Reading attributes in place: a run of attributes indexed by type, as the
 * kernel's `nla_parse` does, for the hot paths that print a few values
 * straight from a reply's bytes; and netlink's attribute alignment. No
 * schema: the index knows types and offsets only.
 *
 * @module
 */
import { NLA_TYPE_MASK } from "./header.ts";

/** {@linkcode indexAttrs}'s bit for the attributes it does not index (types from 31 up, or past the index). */
export const OTHER_ATTRS: number = 1 << 31;

/**
 * Indexes a run of attributes as the kernel's `nla_parse` fills its table,
 * for readers that take a few values straight from the bytes: for each
 * attribute type `t` the index has room for (`index.length / 2` types, at
 * most 31), `index[2 * t]` and `index[2 * t + 1]` become its payload's start
 * and end (the last attribute of a type wins). Returns the types seen as a
 * bitmask: bit `t` for an indexed type, {@linkcode OTHER_ATTRS} for any
 * other attribute and for a malformed header, where the walk stops. Slots of
 * types not seen keep whatever they held: read only those the mask names.
 *
 * @example
 * ```ts
 * import { indexAttrs } from "./attr_index.ts";
 * const b = new Uint8Array([8, 0, 4, 0, 3, 0, 0, 0]); // one u32 attribute of type 4
 * const index = new Int32Array(32);
 * const seen = indexAttrs(new DataView(b.buffer), 0, b.length, index);
 * seen === 1 << 4; // true
 * [index[8], index[9]]; // [4, 8]
 * ```
 */
export function indexAttrs(v: DataView, off: number, end: number, index: Int32Array): number {
  const slots = Math.min(index.length >> 1, 31);
  let seen = 0;
  while (off + 4 <= end) {
    const len = v.getUint16(off, true);
    if (len < 4 || off + len > end) return seen | OTHER_ATTRS;
    const type = v.getUint16(off + 2, true) & NLA_TYPE_MASK;
    if (type < slots) {
      index[2 * type] = off + 4;
      index[2 * type + 1] = off + len;
      seen |= 1 << type;
    } else seen |= OTHER_ATTRS;
    off = alignedEnd(off + len, end);
  }
  return seen;
}

/**
 * The end of an attribute rounded up to netlink's 4-byte alignment, but not
 * past `limit` (the last attribute of a run may go unpadded).
 *
 * @example
 * ```ts
 * import { alignedEnd } from "./attr_index.ts";
 * alignedEnd(6, 16); // 8
 * ```
 */
export function alignedEnd(end: number, limit: number): number {
  return Math.min((end + 3) & ~3, limit);
}
