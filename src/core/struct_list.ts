/**
 * Attribute payloads that are a C struct followed by an array of fixed-size
 * elements (struct tc_u32_sel and its keys, tc_pedit_sel and its keys,
 * tc_u32_pcnt and its per-key counters), or an array alone (a classic BPF
 * program's instructions): one object with the list as a property, or the
 * list itself.
 *
 * @module
 */
import { DecodeError, ValidationError } from "./errors.ts";
import { SCALARS, type ScalarType } from "./scalars.ts";
import type { CustomCodec } from "./schema.ts";
import { StructDef } from "./struct.ts";

/** How the list is laid out after the head. */
export interface StructListOptions {
  /** The element: a struct, or a scalar type. */
  element: StructDef | ScalarType;
  /** The head struct before the elements (none: the payload is the list alone). */
  head?: StructDef;
  /** The property of the decoded object holding the list (with a head). */
  list?: string;
  /** The head field holding the element count (written from the list's length); without it, elements fill the payload. */
  count?: string;
  /** The most elements allowed. */
  max?: number;
  /** Refuse a payload that is not a whole number of elements (without a head). */
  exact?: boolean;
}

/**
 * A codec for a head struct followed by elements, or for elements alone.
 *
 * @example
 * ```ts
 * import { cStruct } from "./struct.ts";
 * import { structList } from "./struct_list.ts";
 * const OP = cStruct("linux/filter.h", "struct sock_filter", [
 *   { c: "code", type: "u16" },
 *   { c: "jt", type: "u8" },
 *   { c: "jf", type: "u8" },
 *   { c: "k", type: "u32" },
 * ]);
 * const PROGRAM = structList({ element: OP, exact: true });
 * ```
 */
export function structList(o: StructListOptions): CustomCodec {
  const el = o.element;
  const size = el instanceof StructDef ? el.size : SCALARS[el].size;
  const read = el instanceof StructDef
    ? (b: Uint8Array, v: DataView, at: number) => el.decode(b, v, at, size)
    : SCALARS[el].read;
  const head = o.head;
  const list = o.list ?? "list";
  const what = head?.cType ?? "list";
  return {
    decode(b, v, off, len) {
      const end = off + len;
      let at = off;
      let n = Infinity;
      let out: Record<string, unknown> | undefined;
      if (head !== undefined) {
        if (len < head.size) throw new DecodeError(`${what} needs ${head.size} bytes, got ${len}`, off);
        out = head.decode(b, v, off, head.size);
        if (o.count !== undefined) n = out[o.count] as number;
        at += head.size;
      } else if (o.exact && len % size !== 0) {
        throw new DecodeError(`${len} bytes are not a whole number of ${size}-byte elements`, off);
      }
      const items: unknown[] = [];
      for (let i = 0; i < n && at + size <= end; i++, at += size) items.push(read(b, v, at));
      if (out === undefined) return items;
      out[list] = items;
      return out;
    },
    encode(w, x, path) {
      let items: unknown = x;
      let rest: Record<string, unknown> = {};
      if (head !== undefined) {
        if (x === null || typeof x !== "object") throw new ValidationError(path, x, `expected ${what}`);
        ({ [list]: items = [], ...rest } = x as Record<string, unknown>);
      }
      const listPath = head === undefined ? path : `${path}.${list}`;
      if (!Array.isArray(items) || items.length > (o.max ?? Infinity)) {
        throw new ValidationError(listPath, items, `expected a list${o.max === undefined ? "" : ` of up to ${o.max}`}`);
      }
      if (head !== undefined) head.encode(w, o.count === undefined ? rest : { ...rest, [o.count]: items.length }, path);
      items.forEach((item, i) => {
        const at = w.zeros(size);
        const p = `${listPath}[${i}]`;
        if (el instanceof StructDef) el.writeAt(w.view, w.buffer, at, item, p);
        else SCALARS[el].write(w.view, w.buffer, at, item, p);
      });
    },
  };
}
