/**
 * Fixed C structs described as data (ifinfomsg, rtmsg, rtnl_link_stats64, …):
 * one definition decodes and encodes, and registers its layout so the audit can
 * compare sizes and offsets with the C compiler's.
 *
 * @module
 */
import { compileAfter } from "./codegen.ts";
import { ChildPath } from "./path.ts";
import { registerCStruct } from "./ctable.ts";
import type { EnumTable, FlagTable } from "./enums.ts";
import { ValidationError } from "./errors.ts";
import { camelCase, readExpression, SCALARS, type ScalarType, writeStatement } from "./scalars.ts";
import { formatMac, parseMac } from "../util/addr.ts";
import type { MessageWriter } from "./writer.ts";

/** One field of a C struct. */
export interface StructFieldSpec {
  /** The C field name (audited with offsetof); omit for unnamed padding. */
  c?: string;
  /** Scalar type, or `pad` (ignored bytes), `bytes`/`string`/`mac` of `size` bytes, or an embedded `struct`. */
  type: ScalarType | "pad" | "bytes" | "string" | "mac" | "struct";
  /** The embedded struct of a `struct` field (decoded as a nested object). */
  struct?: StructDef;
  /**
   * An array member of `count` scalars (`__u8 priomap[16]`): decoded as a
   * list of numbers; a shorter list encodes with the rest zero.
   */
  count?: number;
  /** Size for pad/bytes/string/mac. */
  size?: number;
  /** Property name; default: camelCase of `c` without the struct's prefix. */
  name?: string;
  /** Decode the integer as a name from this table. */
  enum?: EnumTable;
  /** Decode the integer as a list of flag names from this table. */
  flags?: FlagTable;
}

/** Options for {@linkcode cStruct}. */
export interface StructOptions {
  /** Prefix stripped from C field names before camelCasing (e.g. `"ifi_"`). */
  strip?: string;
  /** Byte-packed (no natural alignment). */
  packed?: boolean;
}

/** A compiled struct field: its name, offset, size, and reader and writer. */
export interface StructField {
  /** The property name. */
  readonly name: string;
  /** The C field name. */
  readonly c?: string;
  /** offsetof. */
  readonly offset: number;
  /** sizeof. */
  readonly size: number;
  /** The field's type (`array` for an array member). */
  readonly type: StructFieldSpec["type"] | "array";
  /** Reads the field at `off`. */
  readonly read: (b: Uint8Array, v: DataView, off: number) => unknown;
  /** Writes the field at `off` (throws ValidationError naming `path` for a bad value). */
  readonly write: (v: DataView, b: Uint8Array, off: number, value: unknown, path: string) => void;
  /** The enum or flag table the integer is named through, if any. */
  readonly table?: { kind: "enum"; table: EnumTable } | { kind: "flags"; table: FlagTable };
  /** Its path in error messages. */
  readonly path: ChildPath;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * A compiled C struct.
 *
 * @example
 * ```ts
 * import { cStruct } from "./struct.ts";
 * const S = cStruct("linux/rtnetlink.h", "struct rtgenmsg", [{ c: "rtgen_family", type: "u8" }], { strip: "rtgen_" });
 * const bytes = new Uint8Array([2]);
 * S.decode(bytes, new DataView(bytes.buffer), 0, 1); // { family: 2 }
 * ```
 */
export class StructDef {
  /** The C type, e.g. `"struct ifinfomsg"`. */
  readonly cType: string;
  /** sizeof. */
  readonly size: number;
  /** The alignment of the struct (its most aligned field's). */
  readonly align: number;
  /** Fields in order (padding excluded). */
  readonly fields: readonly StructField[];
  /** Decodes a complete struct into a fresh object (compiled, see below). */
  #decodeWhole?: (b: Uint8Array, v: DataView, off: number) => Record<string, unknown>;
  #encodeWhole?: (w: MessageWriter, value: Readonly<Record<string, unknown>>, path: string) => void;
  /** Uses so far through the plain loops below (the generated codecs are built after `compileAfter`, see codegen.ts). */
  #decodes = 0;
  #encodes = 0;

  /** Builds the layout; prefer {@linkcode cStruct}. */
  constructor(cType: string, specs: readonly StructFieldSpec[], options: StructOptions = {}) {
    this.cType = cType;
    const fields: StructField[] = [];
    let off = 0;
    let maxAlign = 1;
    for (const spec of specs) {
      const f = compileField(spec, options);
      const align = options.packed ? 1 : f.align;
      maxAlign = Math.max(maxAlign, align);
      off = Math.ceil(off / align) * align;
      if (spec.type !== "pad") fields.push({ ...f, offset: off, path: new ChildPath(f.name) });
      off += f.size;
    }
    this.size = options.packed ? off : Math.ceil(off / maxAlign) * maxAlign;
    this.align = options.packed ? 1 : maxAlign;
    this.fields = fields;
  }

  /**
   * Decodes the struct at `off` (only the fields that fit in `len`: kernels send
   * shorter or longer versions of some structs) into `into`.
   */
  decode(
    b: Uint8Array,
    v: DataView,
    off: number,
    len: number,
    into?: Record<string, unknown>,
  ): Record<string, unknown> {
    if (into === undefined && len >= this.size) {
      if (this.#decodeWhole !== undefined) return this.#decodeWhole(b, v, off);
      if (++this.#decodes > compileAfter) return (this.#decodeWhole = compileWholeDecoder(this.fields))(b, v, off);
    }
    into ??= {};
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      if (f.offset + f.size > len) break;
      into[f.name] = f.read(b, v, off + f.offset);
    }
    return into;
  }

  /**
   * Writes `value`'s fields into a struct that starts at `off` of `b` (already
   * zeroed): an embedded struct's part of its container.
   */
  writeAt(v: DataView, b: Uint8Array, off: number, value: unknown, path: string): void {
    if (value === null || typeof value !== "object") throw new ValidationError(path, value, `expected ${this.cType}`);
    const x = value as Record<string, unknown>;
    for (const f of this.fields) {
      const fv = x[f.name];
      if (fv !== undefined) f.write(v, b, off + f.offset, fv, f.path.under(path));
    }
  }

  /** Appends the struct, encoding `value`'s fields (missing ones are zero). */
  encode(w: MessageWriter, value: Readonly<Record<string, unknown>>, path: string): void {
    if (this.#encodeWhole === undefined && ++this.#encodes <= compileAfter) {
      // What the generated encoder does, field by field.
      const at = w.zeros(this.size);
      const v = w.view, b = w.buffer;
      for (const f of this.fields) {
        const x = value[f.name];
        if (x !== undefined) f.write(v, b, at + f.offset, x, f.path.under(path));
      }
      return;
    }
    (this.#encodeWhole ??= compileEncoder(this.size, this.fields))(w, value, path);
  }
}

/**
 * A decoder for the whole struct that builds the result in one constructor
 * call: every result then has the same hidden class from birth, which matters
 * when a dump decodes 100,000 of them. Generated from the field list (the data), like
 * the attribute decoders in schema.ts.
 */
function compileWholeDecoder(
  fields: readonly StructField[],
): (b: Uint8Array, v: DataView, off: number) => Record<string, unknown> {
  // Plain integers are read inline; names and other types go through the
  // field's reader (R) or enum/flag table (T).
  const props = fields.map((f, i) => {
    const inline = readExpression(f.type, `off + ${f.offset}`);
    let expr = inline ?? `R[${i}](b, v, off + ${f.offset})`;
    if (inline && f.table) expr = `T[${i}].${f.table.kind === "enum" ? "name" : "decode"}(${inline})`;
    return `${JSON.stringify(f.name)}: ${expr}`;
  });
  // A constructor rather than a literal: V8 sizes a constructor's objects for
  // the properties they end up with (slack tracking), so the attributes added
  // after the header (40 on a link) go in-object instead of a property array
  // regrown every few. Its prototype is Object's: results stay plain objects.
  const assigns = props.map((p) => {
    const i = p.indexOf(": ");
    return `this[${p.slice(0, i)}] = ${p.slice(i + 2)};`;
  });
  const factory = new Function(
    "R",
    "T",
    `"use strict";
function Decoded(b, v, off) { ${assigns.join(" ")} }
Decoded.prototype = Object.prototype;
return function decodeStruct(b, v, off) { return new Decoded(b, v, off); };`,
  );
  return factory(fields.map((f) => f.read), fields.map((f) => f.table?.table));
}

/**
 * The encoder for a struct: each field read by its constant name and written
 * at its constant offset, generated like the decoder (every request of a
 * batch carries one of these headers).
 */
function compileEncoder(
  size: number,
  fields: readonly StructField[],
): (w: MessageWriter, value: Readonly<Record<string, unknown>>, path: string) => void {
  const writes = fields.map((f, i) => {
    const load = `x = value[${JSON.stringify(f.name)}];`;
    const slow = `F[${i}].write(v, b, at + ${f.offset}, x, F[${i}].path.under(path));`;
    const inline = writeStatement(f.type, `at + ${f.offset}`, "x");
    // Plain in-range integers are written here; names (through the field's
    // enum or flag table) and anything to refuse go through the field's writer.
    if (!inline) return `${load} if (x !== undefined) ${slow}`;
    return `${load} if (x !== undefined) { if (${inline.fits}) ${inline.write} else ${slow} }`;
  });
  return new Function(
    "F",
    `"use strict"; return function encodeStruct(w, value, path) {
  const at = w.zeros(${size}); const v = w.view; const b = w.buffer; let x;
  ${writes.join("\n  ")}
};`,
  )(fields);
}

function compileField(spec: StructFieldSpec, options: StructOptions) {
  let name = spec.name;
  if (name === undefined && spec.c) {
    const c = options.strip && spec.c.startsWith(options.strip) ? spec.c.slice(options.strip.length) : spec.c;
    name = camelCase(c);
  }
  const t = spec.type;
  if (spec.count !== undefined && t !== "struct" && t !== "pad" && t !== "bytes" && t !== "string" && t !== "mac") {
    return arrayField(spec, name ?? "", SCALARS[t], spec.count);
  }
  if (t === "struct") {
    const st = spec.struct;
    if (st === undefined) throw new Error(`${spec.c}: a struct field needs its struct`);
    return {
      name: name ?? "",
      c: spec.c,
      size: st.size,
      align: st.align,
      type: t,
      read: (b: Uint8Array, v: DataView, o: number) => st.decode(b, v, o, st.size),
      write: (v: DataView, b: Uint8Array, o: number, x: unknown, path: string) => st.writeAt(v, b, o, x, path),
    };
  }
  if (t === "pad" || t === "bytes" || t === "string" || t === "mac") {
    const size = spec.size ?? 0;
    return {
      name: name ?? "",
      c: spec.c,
      size,
      align: 1,
      type: t,
      read: t === "string"
        ? (b: Uint8Array, _v: DataView, o: number) => {
          let end = o;
          while (end < o + size && b[end] !== 0) end++;
          return decoder.decode(b.subarray(o, end));
        }
        : t === "mac"
        ? (b: Uint8Array, _v: DataView, o: number) => formatMac(b, o, size)
        : (b: Uint8Array, _v: DataView, o: number) => b.slice(o, o + size),
      write: (_v: DataView, b: Uint8Array, o: number, x: unknown, path: string) => {
        let bytes: Uint8Array | undefined;
        if (t === "string" && typeof x === "string") bytes = encoder.encode(x);
        else if (t === "mac" && typeof x === "string") bytes = parseMac(x);
        else if (x instanceof Uint8Array) bytes = x;
        if (!bytes || bytes.length > (t === "string" ? size - 1 : size)) {
          throw new ValidationError(path, x, `expected ${t} of at most ${t === "string" ? size - 1 : size} bytes`);
        }
        b.set(bytes, o);
      },
    };
  }
  const codec = SCALARS[t];
  let read = codec.read;
  let write = codec.write;
  if (spec.enum) {
    const table = spec.enum;
    read = (b, v, o) => table.name(codec.read(b, v, o) as number);
    write = (v, b, o, x, path) => codec.write(v, b, o, table.value(x as string | number, path), path);
  } else if (spec.flags) {
    const table = spec.flags;
    read = (b, v, o) => table.decode(codec.read(b, v, o) as number);
    write = (v, b, o, x, path) => codec.write(v, b, o, table.encode(x as string[] | number, path), path);
  }
  const table = spec.enum
    ? { kind: "enum" as const, table: spec.enum }
    : spec.flags
    ? { kind: "flags" as const, table: spec.flags }
    : undefined;
  return { name: name ?? "", c: spec.c, size: codec.size, align: codec.align, type: t, read, write, table };
}

/** An array member: `count` scalars read as a list, written from one (missing elements are zero). */
function arrayField(spec: StructFieldSpec, name: string, codec: (typeof SCALARS)[ScalarType], count: number) {
  const size = codec.size;
  return {
    name,
    c: spec.c,
    size: size * count,
    align: codec.align,
    type: "array" as const,
    read: (b: Uint8Array, v: DataView, o: number) => {
      const out: unknown[] = new Array(count);
      for (let i = 0; i < count; i++) out[i] = codec.read(b, v, o + i * size);
      return out;
    },
    write: (v: DataView, b: Uint8Array, o: number, x: unknown, path: string) => {
      const list = Array.isArray(x) ? x : ArrayBuffer.isView(x) ? Array.from(x as Uint8Array) : undefined;
      if (list === undefined || list.length > count) {
        throw new ValidationError(path, x, `expected a list of at most ${count} ${spec.type} values`);
      }
      list.forEach((e, i) => codec.write(v, b, o + i * size, e, `${path}[${i}]`));
    },
  };
}

/**
 * Declares a C struct and registers its layout for the audit.
 *
 * @example
 * ```ts
 * import { cStruct } from "./struct.ts";
 * const IFA_CACHEINFO = cStruct("linux/if_addr.h", "struct ifa_cacheinfo", [
 *   { c: "ifa_prefered", type: "u32", name: "preferred" },
 *   { c: "ifa_valid", type: "u32" },
 *   { c: "cstamp", type: "u32" },
 *   { c: "tstamp", type: "u32" },
 * ], { strip: "ifa_" });
 * IFA_CACHEINFO.size; // 16
 * ```
 */
export function cStruct(
  header: string,
  cType: string,
  fields: readonly StructFieldSpec[],
  options: StructOptions = {},
): StructDef {
  const def = new StructDef(cType, fields, options);
  const offsets: Record<string, number> = {};
  for (const f of def.fields) if (f.c) offsets[f.c] = f.offset;
  registerCStruct(header, cType, def.size, offsets);
  return def;
}
