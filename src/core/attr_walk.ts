/**
 * Walking a run of netlink attributes one by one, for the few places that
 * need each attribute as it comes (repeated members, extended acks) rather
 * than a decoded object.
 *
 * @module
 */
import { alignedEnd } from "./attr_index.ts";
import { NLA_TYPE_MASK } from "./header.ts";
import { type AttrSchema, decodeAttrs, type DecodeContext } from "./schema.ts";

/**
 * Calls `fn(type, payloadStart, payloadEnd)` for each attribute between
 * `off` and `end` (the type without its flag bits); stops at the first
 * malformed header.
 *
 * @example
 * ```ts
 * import { forEachAttr } from "./attr_walk.ts";
 * const b = new Uint8Array([6, 0, 1, 0, 7, 0, 0, 0]);
 * forEachAttr(new DataView(b.buffer), 0, b.length, (type, at, end) => console.log(type, end - at)); // 1 2
 * ```
 */
export function forEachAttr(
  v: DataView,
  off: number,
  end: number,
  fn: (type: number, at: number, end: number) => void,
): void {
  while (off + 4 <= end) {
    const len = v.getUint16(off, true);
    if (len < 4 || off + len > end) break;
    fn(v.getUint16(off + 2, true) & NLA_TYPE_MASK, off + 4, off + len);
    off = alignedEnd(off + len, end);
  }
}

/**
 * The records inside every `nestType` attribute between `off` and `end`,
 * each member decoded with `schema`: members come as a flat run, and a key
 * seen again starts the next record. The kernel dumps repeated groups this
 * way (tunnel Geneve options: class, type, data, class, type, data, … in one
 * nest), while requests may give each record a nest of its own; both read
 * the same.
 *
 * @example
 * ```ts ignore
 * const options = decodeRecords(GENEVE_ATTRS, 1, b, v, off, off + len, ctx); // [{ class, type, data }, …]
 * ```
 */
export function decodeRecords(
  schema: AttrSchema,
  nestType: number,
  b: Uint8Array,
  v: DataView,
  off: number,
  end: number,
  ctx?: DecodeContext,
): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  forEachAttr(v, off, end, (type, at, nestEnd) => {
    if (type !== nestType) return;
    let record: Record<string, unknown> = {};
    forEachAttr(v, at, nestEnd, (_t, member, memberEnd) => {
      const one = decodeAttrs(schema, b, v, member - 4, alignedEnd(memberEnd, nestEnd), ctx);
      if (Object.keys(one).some((k) => k in record)) records.push(record), record = {};
      Object.assign(record, one);
    });
    if (Object.keys(record).length > 0) records.push(record);
  });
  return records;
}
