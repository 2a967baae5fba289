/**
 * Ematch trees on the wire (TCA_BASIC_EMATCHES, TCA_CGROUP_EMATCHES,
 * TCA_FLOW_EMATCHES): the typed tree of ematch_types.ts flattened into the
 * kernel's numbered list exactly as tc(8) flattens it, and read back into the
 * same typed tree.
 *
 * The list holds one entry per match or container (struct tcf_ematch_hdr: the
 * kind, the relation to the next entry — end, and, or — and an invert bit).
 * A sequence runs from an entry to the next one whose relation is "end"; a
 * container's payload is the index of its first child. tc(8) writes the
 * top-level sequence first, then for each container in order its sequence,
 * followed at once by its own containers' sequences, and so on.
 *
 * @module
 */
import { cTable } from "../../core/ctable.ts";
import { DecodeError, ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema, type CustomCodec, decodeAttrs, encodeAttrs } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import type { MessageWriter } from "../../core/writer.ts";
import { parseParent } from "../handle.ts";
import type { TcOptions } from "../kind.ts";
import { EMATCH_KINDS, EMATCH_KINDS_BY_ID, type EmatchEnv, type EmatchPart, TCF_EM_KIND } from "./ematch_kinds.ts";
import type { Ematch, EmatchMatch, RawEmatch } from "./ematch_types.ts";

/** TCF_EM_REL_*, TCF_EM_INVERT: an entry's relation to the next one, and its invert bit. */
const TCF_EM_FLAG = cTable("linux/pkt_cls.h", "TCF_EM_", { REL_END: 0, REL_AND: 1, REL_OR: 2, INVERT: 4, REL_MASK: 3 });

/** TCF_EM_PROG_TC: the tree was written by tc. */
const TCF_EM_PROG = cTable("linux/pkt_cls.h", "TCF_EM_PROG_", { TC: 0 });

/** struct tcf_ematch_tree_hdr: the number of entries. */
const TREE_HDR = cStruct("linux/pkt_cls.h", "struct tcf_ematch_tree_hdr", [
  { c: "nmatches", type: "u16" },
  { c: "progid", type: "u16" },
]);

/** struct tcf_ematch_hdr: one entry's head. */
const EMATCH_HDR = cStruct("linux/pkt_cls.h", "struct tcf_ematch_hdr", [
  { c: "matchid", type: "u16" },
  { c: "kind", type: "u16" },
  { c: "flags", type: "u16" },
  { c: "pad", type: "u16" },
]);

/** One list entry: its head and payload (parts to write, or the received bytes). */
interface Entry {
  kind: number;
  flags: number;
  parts?: readonly EmatchPart[];
  data?: Uint8Array;
}

/** TCA_EMATCH_TREE_LIST: entries as attributes numbered from 1. */
const LIST: CustomCodec = {
  encode(w, x, path) {
    const start = w.length;
    (x as Entry[]).forEach((e, i) => {
      const at = w.beginAttr(i + 1);
      EMATCH_HDR.encode(w, { matchid: 0, kind: e.kind, flags: e.flags, pad: 0 }, path);
      for (const p of e.parts ?? []) writePart(w, p, `${path}[${i}]`);
      w.endAttr(at);
    });
    if (w.length - start > 0xffff - 8) throw new ValidationError(path, x, "the ematch tree is too large for netlink");
  },
  decode(b, v, off, len) {
    const entries: Entry[] = [];
    for (let at = off; at + 4 <= off + len;) {
      const n = v.getUint16(at, true);
      const type = v.getUint16(at + 2, true) & 0x3fff;
      if (n < 4 + EMATCH_HDR.size || at + n > off + len) throw new DecodeError(`ematch entry of ${n} bytes`, at);
      const h = EMATCH_HDR.decode(b, v, at + 4, EMATCH_HDR.size) as Record<string, number>;
      const data = b.subarray(at + 4 + EMATCH_HDR.size, at + n);
      entries[type - 1] = { kind: h.kind, flags: h.flags, data };
      at += (n + 3) & ~3;
    }
    return entries;
  },
};

function writePart(w: MessageWriter, p: EmatchPart, path: string): void {
  if (p instanceof Uint8Array) w.raw(p);
  else if ("struct" in p) p.struct.encode(w, p.value, path);
  else encodeAttrs(w, p.attrs, p.value, path);
  // tc(8) pads every piece to 4 bytes, and the padding counts in the entry's length.
  w.align();
}

/** TCA_EMATCH_TREE_*: the tree's header and list. */
const TREE_ATTRS: AttrSchema = attrSchema("TCA_EMATCH_TREE_", "linux/pkt_cls.h", {
  HDR: { id: 1, type: "struct", struct: TREE_HDR },
  LIST: { id: 2, type: "custom", codec: LIST },
});

// ------------------------------------------------------------------ the tree as sequences

/** A term of a sequence: a match, or a container of another sequence; either may be inverted. */
export type EmatchTerm =
  | { invert: boolean; leaf: EmatchMatch; path?: string }
  | { invert: boolean; children: EmatchItem[] };

/** A term and its relation to the next one (`"end"` on the last). */
export interface EmatchItem {
  /** The term. */
  term: EmatchTerm;
  /** The relation to the next term. */
  rel: "and" | "or" | "end";
}

const LEAF_KEYS: Readonly<Record<string, readonly string[]>> = {
  cmp: ["size", "offset", "layer", "mask", "op", "value", "trans"],
  u32: ["size", "value", "mask", "offset", "nexthdr"],
  meta: ["left", "op", "right"],
  nbyte: ["needle", "offset", "layer"],
  canid: ["rules"],
  ipset: ["set", "dirs"],
  ipt: ["match", "revision", "nfproto", "hook", "data"],
  raw: ["matchKind", "data"],
};

/** Which of the node shapes `x` is (and checks it is exactly one). */
function shape(x: unknown, path: string): "leaf" | "and" | "or" | "not" | "group" {
  if (x === null || typeof x !== "object" || Array.isArray(x) || x instanceof Uint8Array) {
    throw new ValidationError(path, x, "expected a match ({ kind, … }) or { and }, { or }, { not }, { group }");
  }
  const o = x as Record<string, unknown>;
  if ("kind" in o) {
    const allowed = LEAF_KEYS[o.kind as string];
    if (allowed === undefined) {
      throw new ValidationError(`${path}.kind`, o.kind, `expected one of ${Object.keys(LEAF_KEYS).join(", ")}`);
    }
    for (const k of Object.keys(o)) {
      if (k !== "kind" && !allowed.includes(k)) {
        throw new ValidationError(`${path}.${k}`, o[k], `not an option of ${o.kind}`);
      }
    }
    return "leaf";
  }
  const keys = Object.keys(o);
  if (keys.length !== 1 || !["and", "or", "not", "group"].includes(keys[0])) {
    throw new ValidationError(path, x, "expected exactly one of kind, and, or, not, group");
  }
  return keys[0] as "and" | "or" | "not" | "group";
}

function listOf(x: unknown, path: string): Ematch[] {
  if (!Array.isArray(x) || x.length === 0) throw new ValidationError(path, x, "expected a non-empty list of ematches");
  return x;
}

/** The sequence a node stands for: `and`/`or` lists continue into an `and`/`or` in their last place. */
function seqOf(x: Ematch, path: string): EmatchItem[] {
  const s = shape(x, path);
  if (s === "and" || s === "or") {
    const list = listOf((x as unknown as Record<string, unknown>)[s], `${path}.${s}`);
    const items: EmatchItem[] = [];
    list.forEach((e, i) => {
      const p = `${path}.${s}[${i}]`;
      if (i < list.length - 1) items.push({ term: termOf(e, p), rel: s });
      else {
        const last = shape(e, p);
        if (last === "and" || last === "or") items.push(...seqOf(e, p));
        else items.push({ term: termOf(e, p), rel: "end" });
      }
    });
    return items;
  }
  return [{ term: termOf(x, path), rel: "end" }];
}

/** One term: a match, an inverted match, or a container. */
function termOf(x: Ematch, path: string): EmatchTerm {
  const s = shape(x, path);
  if (s === "leaf") return { invert: false, leaf: x as EmatchMatch, path };
  if (s === "not") {
    const inner = (x as { not: Ematch }).not;
    const p = `${path}.not`;
    const si = shape(inner, p);
    if (si === "leaf") return { invert: true, leaf: inner as EmatchMatch, path: p };
    if (si === "group") return { invert: true, children: seqOf((inner as { group: Ematch }).group, `${p}.group`) };
    return { invert: true, children: seqOf(inner, p) };
  }
  if (s === "group") return { invert: false, children: seqOf((x as { group: Ematch }).group, `${path}.group`) };
  return { invert: false, children: seqOf(x, path) };
}

function isLeaf(x: Ematch): x is EmatchMatch {
  return "kind" in x;
}

function nodeOf(t: EmatchTerm, last: boolean): Ematch {
  if ("leaf" in t) return t.invert ? { not: t.leaf } : t.leaf;
  const inner = treeOf(t.children);
  if (t.invert) return isLeaf(inner) || "group" in inner ? { not: { group: inner } } : { not: inner };
  return !last && ("and" in inner || "or" in inner) ? inner : { group: inner };
}

/**
 * The typed tree of a sequence (right to left: `a and b or c` is
 * `{ and: [a, { or: [b, c] }] }`), in the one shape that encodes back to the
 * same sequence.
 *
 * @example
 * ```ts
 * import { treeOf } from "./ematch.ts";
 * const a = { kind: "u32", value: 1, mask: 1, offset: 0 } as const;
 * treeOf([{ term: { invert: true, leaf: a }, rel: "end" }]); // { not: a }
 * ```
 */
export function treeOf(items: readonly EmatchItem[]): Ematch {
  let result = nodeOf(items[items.length - 1].term, true);
  let spliced = false;
  for (let i = items.length - 2; i >= 0; i--) {
    const rel = items[i].rel === "or" ? "or" : "and";
    const node = nodeOf(items[i].term, false);
    if (spliced && rel in result) (result as unknown as Record<string, Ematch[]>)[rel].unshift(node);
    else {
      result = rel === "and" ? { and: [node, result] } : { or: [node, result] };
      spliced = true;
    }
  }
  return result;
}

// ------------------------------------------------------------------ flattening

/** A tree checked and flattened, ready to write (what the filter encoders hand the attribute codec). */
class PreparedEmatch {
  constructor(readonly entries: readonly Entry[]) {}
}

const REL_BITS = { and: TCF_EM_FLAG.REL_AND, or: TCF_EM_FLAG.REL_OR, end: TCF_EM_FLAG.REL_END } as const;

function flatten(root: EmatchItem[], env: EmatchEnv): Entry[] {
  const flat: { item: EmatchItem; ref?: number }[] = [];
  const place = (seq: readonly EmatchItem[]) => seq.forEach((item) => flat.push({ item }));
  const walk = (start: number, seq: readonly EmatchItem[]) =>
    seq.forEach((item, k) => {
      if (!("children" in item.term)) return;
      flat[start + k].ref = flat.length;
      place(item.term.children);
      walk(flat[start + k].ref!, item.term.children);
    });
  place(root);
  walk(0, root);
  if (flat.length > 0xffff) throw new ValidationError("ematches", flat.length, "more than 65535 matches");
  return flat.map(({ item, ref }) => {
    const flags = REL_BITS[item.rel] | (item.term.invert ? TCF_EM_FLAG.INVERT : 0);
    if (!("leaf" in item.term)) {
      const r = new Uint8Array(4);
      new DataView(r.buffer).setUint32(0, ref!, true);
      return { kind: TCF_EM_KIND.CONTAINER, flags, parts: [r] };
    }
    const { leaf, path = "ematches" } = item.term;
    if (leaf.kind === "raw") return { kind: rawKind(leaf, path), flags, parts: [rawData(leaf, path)] };
    const codec = EMATCH_KINDS[leaf.kind];
    return { kind: codec.id, flags, parts: codec.encode(leaf, path, env) };
  });
}

function rawKind(m: RawEmatch, path: string): number {
  const k = m.matchKind;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || k > 0xffff) {
    throw new ValidationError(`${path}.matchKind`, k, "expected a TCF_EM_* kind number 1..65535");
  }
  return k;
}

function rawData(m: RawEmatch, path: string): Uint8Array {
  if (!(m.data instanceof Uint8Array)) throw new ValidationError(`${path}.data`, m.data, "expected bytes");
  return m.data;
}

/**
 * The `ematches` option of a basic, cgroup or flow filter, checked and made
 * ready to encode: a typed tree (flattened as tc(8) flattens it), or the raw
 * bytes of TCA_*_EMATCHES's value (an escape hatch, passed through). Undefined
 * passes through. `o` is the whole request (ipt's hook depends on the parent).
 *
 * @example
 * ```ts
 * import { ematchValue } from "./ematch.ts";
 * ematchValue({ kind: "meta", left: { id: "priority" }, op: "eq", right: 1 }, "ematches", {});
 * ```
 */
export function ematchValue(x: unknown, field: string, o: TcOptions): unknown {
  if (x === undefined) return undefined;
  if (x instanceof Uint8Array) {
    if (x.length === 0) throw new ValidationError(field, x, "expected an ematch tree, or its bytes");
    return x;
  }
  let parent: number | undefined;
  try {
    parent = o.parent === undefined ? undefined : parseParent(o.parent as string | number, "parent");
  } catch {
    parent = undefined; // the filter's own checks name a bad parent
  }
  return new PreparedEmatch(flatten(seqOf(x as Ematch, field), { parent }));
}

// ------------------------------------------------------------------ decoding

function decodeTree(entries: readonly Entry[]): Ematch {
  const seen = new Set<number>();
  const seqAt = (start: number): EmatchItem[] => {
    if (seen.has(start)) throw new DecodeError(`ematch entry ${start} is in two sequences`, 0);
    seen.add(start);
    const items: EmatchItem[] = [];
    for (let i = start;; i++) {
      const e = entries[i];
      if (e === undefined) throw new DecodeError(`ematch sequence runs past entry ${i}`, 0);
      const rel = e.flags & TCF_EM_FLAG.REL_MASK;
      if (rel === TCF_EM_FLAG.REL_MASK) throw new DecodeError(`ematch entry ${i} has both relations`, 0);
      const invert = (e.flags & TCF_EM_FLAG.INVERT) !== 0;
      const data = e.data!;
      let term: EmatchTerm;
      if (e.kind === TCF_EM_KIND.CONTAINER) {
        if (data.length < 4) throw new DecodeError(`ematch container ${i} has no reference`, 0);
        const ref = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
        if (ref <= i || ref >= entries.length) throw new DecodeError(`ematch container ${i} refers to ${ref}`, 0);
        term = { invert, children: seqAt(ref) };
      } else {
        const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
        const codec = EMATCH_KINDS_BY_ID.get(e.kind);
        let leaf: EmatchMatch | undefined;
        try {
          leaf = codec?.decode(data, dv, 0, data.length);
        } catch (err) {
          if (!(err instanceof DecodeError)) throw err;
        }
        term = { invert, leaf: leaf ?? { kind: "raw", matchKind: e.kind, data: data.slice() } };
      }
      items.push({ term, rel: rel === TCF_EM_FLAG.REL_AND ? "and" : rel === TCF_EM_FLAG.REL_OR ? "or" : "end" });
      if (rel === TCF_EM_FLAG.REL_END) return items;
    }
  };
  return treeOf(seqAt(0));
}

/**
 * An ematch tree attribute (TCA_BASIC_EMATCHES, …): encodes what
 * {@linkcode ematchValue} prepared (or raw bytes), decodes into the typed
 * tree — or the bytes, when they do not form a tree.
 *
 * @example
 * ```ts
 * import { attrSchema } from "../../core/schema.ts";
 * import { EMATCH_TREE } from "./ematch.ts";
 * const S = attrSchema("DEMO_", "", { EMATCHES: { id: 1, type: "custom", codec: EMATCH_TREE } }, { audit: false });
 * ```
 */
export const EMATCH_TREE: CustomCodec = {
  encode(w, x, path, ctx) {
    if (x instanceof Uint8Array) return w.raw(x);
    const prepared = x instanceof PreparedEmatch ? x : ematchValue(x, path, {}) as PreparedEmatch;
    const hdr = { nmatches: prepared.entries.length, progid: TCF_EM_PROG.TC };
    encodeAttrs(w, TREE_ATTRS, { hdr, list: prepared.entries }, path, ctx);
  },
  decode(b, v, off, len) {
    try {
      const a = decodeAttrs(TREE_ATTRS, b, v, off, off + len);
      const entries = a.list as Entry[] | undefined;
      if (entries === undefined || entries.length === 0) throw new DecodeError("ematch tree without entries", off);
      return decodeTree(entries);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      return b.slice(off, off + len);
    }
  },
};
