/**
 * The declarative attribute-schema engine. Every family's attributes are
 * described once, as data — id, type, nesting — and these two functions encode
 * and decode all of them:
 *
 * - {@linkcode decodeAttrs}: TLVs → a plain object keyed by attribute name;
 *   attributes the schema does not know are kept in `unknownAttrs`.
 * - {@linkcode encodeAttrs}: a plain object → TLVs, refusing out-of-range values
 *   with a {@linkcode ValidationError} before anything is sent.
 *
 * @example
 * ```ts
 * import { attrSchema, decodeAttrs, encodeAttrs } from "./schema.ts";
 * import { MessageWriter } from "./writer.ts";
 * const S = attrSchema("DEMO_", "linux/netlink.h", {
 *   NAME: { id: 1, type: "string" },
 *   MTU: { id: 2, type: "u32" },
 * }, { audit: false });
 * const w = new MessageWriter();
 * encodeAttrs(w, S, { name: "p0", mtu: 1500 }, "demo");
 * const b = w.bytes();
 * decodeAttrs(S, b, new DataView(b.buffer), 0, b.length); // { name: "p0", mtu: 1500 }
 * ```
 *
 * @module
 */
import { cTable } from "./ctable.ts";
import { ChildPath } from "./path.ts";
import { compileAfter } from "./codegen.ts";
import type { EnumTable, FlagTable } from "./enums.ts";
import { DecodeError, ValidationError } from "./errors.ts";
import { NLA_F, NLA_TYPE_MASK } from "./header.ts";
import { camelCase, readExpression, SCALARS, type ScalarType, writeStatement } from "./scalars.ts";
import { StructDef } from "./struct.ts";
import type { MessageWriter } from "./writer.ts";
import {
  AF_INET,
  AF_INET6,
  formatIP,
  formatIPv4,
  formatIPv4Prefix,
  formatMac,
  parseIPv4,
  parseIPv4Into,
  parseIPv6Into,
  parseMac,
} from "../util/addr.ts";

/** AF_MPLS: an "addr" attribute of an MPLS message holds labels. */
const AF_MPLS = 28;

/** Attribute value types. */
export type AttrType =
  | ScalarType
  | "uint"
  | "pad"
  | "string"
  | "binary"
  | "flag"
  | "addr"
  | "lladdr"
  | "nested"
  | "array"
  | "values"
  | "struct"
  | "submessage"
  | "message"
  | "records"
  | "custom";

/** Decoding context: what the enclosing message says about its contents. */
export interface DecodeContext {
  /** The message's address family (decides how "addr" attributes read). */
  family: number;
}

/** A hand-written codec for the few attributes no generic type describes. */
export interface CustomCodec {
  /** Decodes the payload at [off, off+len). */
  decode(b: Uint8Array, v: DataView, off: number, len: number, ctx: DecodeContext): unknown;
  /** Writes the payload (the attribute header is written by the engine). */
  encode(w: MessageWriter, value: unknown, path: string, ctx: DecodeContext): void;
}

/** One attribute, as declared. */
export interface AttrSpec {
  /** The attribute id (nla_type). */
  id: number;
  /** The value type. */
  type: AttrType;
  /** Property name; default: camelCase of the C key. */
  name?: string;
  /** Integer as an enumeration name. */
  enum?: EnumTable;
  /** Integer as a list of flag names. */
  flags?: FlagTable;
  /**
   * Children of a "nested" attribute, the element schema of an "array", or the
   * attributes after the struct of a "message". A function defers the lookup
   * (for schemas that refer to each other).
   */
  schema?: AttrSchema | (() => AttrSchema);
  /** Element type of "array" (when its children are scalars) or "values". */
  of?: ScalarType | "string" | "addr";
  /**
   * "values": element names by position (position + `namesBase` is the enum
   * value); positions past the table are kept as `unknownN` (N: the enum value).
   */
  names?: EnumTable;
  /** "values": the enum value of the first element (default 1, as in devconf arrays). */
  namesBase?: number;
  /** The C struct of a "struct" attribute, or the header of a "message" or "records" attribute. */
  struct?: StructDef;
  /**
   * "records": the struct field that holds each record's total length (struct
   * plus the attributes after it), e.g. `len` of struct rtnexthop.
   */
  lengthField?: string;
  /** "submessage": the sibling property whose value picks the variant. */
  selector?: string;
  /** "submessage": the schema (or struct) of each variant; a function defers the lookup. */
  variants?: Variants | (() => Variants);
  /** "custom": the codec. */
  codec?: CustomCodec;
  /** The attribute may repeat; its values are collected in an array. */
  multi?: boolean;
  /** Set NLA_F_NESTED when encoding (iproute2 does only for some newer attributes). */
  nestedFlag?: boolean;
  /**
   * "addr": the header field holding this address's prefix length; IPv4/IPv6
   * addresses then decode as `address/length` (a route's dst and src). Encoding
   * takes the bare address (the length goes in the header).
   */
  prefixLength?: string;
  /** "string": encode without the terminating NUL (NLA_STRING attributes iproute2 sends that way). */
  noNul?: boolean;
  /** Set NLA_F_NET_BYTEORDER when encoding (nftables and ipset mark big-endian values so). */
  netByteOrderFlag?: boolean;
  /**
   * The kernel version that added the attribute, when it is newer than the
   * C headers nlink is audited against: the constants audit skips it (its
   * number comes from the kernel's netlink spec instead).
   */
  since?: string;
}

/**
 * The layouts a "submessage" attribute chooses from, by selector value: an
 * attribute set, a struct, or a codec of its own (a struct followed by
 * attributes, a bare integer, …).
 */
export type Variants = Readonly<Record<string, AttrSchema | StructDef | CustomCodec>>;

function lazy<T extends object>(x: T | (() => T)): () => T {
  if (typeof x !== "function") return () => x;
  let cached: T | undefined;
  return () => (cached ??= (x as () => T)());
}

/** An attribute the schema does not know, kept as it came. */
export interface RawAttribute {
  /** nla_type including the NLA_F_* bits. */
  type: number;
  /** The payload. */
  data: Uint8Array;
}

/** Decodes one attribute's payload at [off, off+len) (`parent`: the object being filled). */
export type Decode = (
  b: Uint8Array,
  v: DataView,
  off: number,
  len: number,
  ctx: DecodeContext,
  parent?: Record<string, unknown>,
) => unknown;
/** Writes one attribute's payload. */
export type Encode = (w: MessageWriter, value: unknown, path: string, ctx: DecodeContext) => void;

/** A compiled attribute. */
export interface Field {
  /** The C key (without prefix), e.g. `"IFNAME"`. */
  readonly key: string;
  /** The property name, e.g. `"ifname"`. */
  readonly name: string;
  /** nla_type. */
  readonly id: number;
  /** The declaration. */
  readonly spec: AttrSpec;
  /** Decodes the payload. */
  readonly decode: Decode;
  /** Encodes the payload. */
  readonly encode: Encode;
  /** Its path in error messages. */
  readonly path: ChildPath;
}

/** Options for {@linkcode attrSchema}. */
export interface SchemaOptions {
  /** Register the ids with the constants audit (default true). */
  audit?: boolean;
}

/**
 * A compiled attribute set.
 */
export class AttrSchema {
  /** The C prefix, e.g. `"IFLA_"` (also the schema's label in errors). */
  readonly prefix: string;
  readonly #specs: Readonly<Record<string, AttrSpec>>;
  #fields?: readonly Field[];
  #byId?: readonly (Field | undefined)[];
  #byName?: ReadonlyMap<string, Field>;
  #decoder?: AttrsDecoder;
  #encoder?: AttrsEncoder;
  /** Until the set has been used COMPILE_AFTER times: the decoder and encoder that read the fields as data. */
  #plainDecoder?: AttrsDecoder;
  #plainEncoder?: AttrsEncoder;
  #decodes = 0;
  #encodes = 0;
  #empty?: new () => Record<string, unknown>;

  /**
   * Keeps `specs`; prefer {@linkcode attrSchema}. The fields are compiled on
   * first use: a program uses few of the library's 190 sets, and compiling
   * them all at import cost several milliseconds of every CLI start-up.
   */
  constructor(prefix: string, specs: Readonly<Record<string, AttrSpec>>) {
    this.prefix = prefix;
    this.#specs = specs;
  }

  /** Fields in declaration order. */
  get fields(): readonly Field[] {
    return this.#fields ?? this.#compile().fields;
  }

  /** Fields by id (sparse). */
  get byId(): readonly (Field | undefined)[] {
    return this.#byId ?? this.#compile().byId;
  }

  /** Fields by property name. */
  get byName(): ReadonlyMap<string, Field> {
    return this.#byName ?? this.#compile().byName;
  }

  #compile(): { fields: Field[]; byId: (Field | undefined)[]; byName: Map<string, Field> } {
    const prefix = this.prefix;
    const fields: Field[] = [];
    const byId: (Field | undefined)[] = [];
    const byName = new Map<string, Field>();
    for (const [key, spec] of Object.entries(this.#specs)) {
      const name = spec.name ?? camelCase(key);
      const field: Field = {
        key,
        name,
        id: spec.id,
        spec,
        decode: decoderFor(spec, `${prefix}${key}`),
        encode: encoderFor(spec),
        path: new ChildPath(name),
      };
      fields.push(field);
      byId[spec.id] = field;
      byName.set(name, field);
    }
    this.#fields = fields;
    this.#byId = byId;
    this.#byName = byName;
    return { fields, byId, byName };
  }

  /**
   * The decoder for this set: for its first `compileAfter` uses one that
   * reads the fields as data, then the generated one (see codegen.ts).
   */
  get decoder(): AttrsDecoder {
    if (this.#decoder !== undefined) return this.#decoder;
    if (++this.#decodes > compileAfter) return this.#decoder = compileDecoder(this);
    return this.#plainDecoder ??= plainDecoder(this);
  }

  /**
   * A fresh object to decode this set into. Made by a constructor of the set's
   * own (prototype Object's: a plain object), so that V8 sizes these objects
   * for the attributes they receive instead of regrowing a property array.
   */
  newObject(): Record<string, unknown> {
    return new (this.#empty ??= plainConstructor())();
  }

  /** The encoder for this set: as {@linkcode AttrSchema.decoder}, plain for the first uses, then compiled. */
  get encoder(): AttrsEncoder {
    if (this.#encoder !== undefined) return this.#encoder;
    if (++this.#encodes > compileAfter) return this.#encoder = compileEncoder(this);
    return this.#plainEncoder ??= plainEncoder(this);
  }

  /** The field for a property name (throws if unknown: a programming error). */
  field(name: string): Field {
    const f = this.byName.get(name);
    if (!f) throw new Error(`${this.prefix}: no attribute named ${name}`);
    return f;
  }
}

/** A new constructor of empty plain objects (each has its own hidden class and slack tracking). */
function plainConstructor(): new () => Record<string, unknown> {
  return new Function(`"use strict"; function Attrs() {} Attrs.prototype = Object.prototype; return Attrs;`)();
}

/**
 * Declares an attribute set. Keys are the C names without `prefix`
 * (`IFNAME` for IFLA_IFNAME); with `audit` on, ids are checked against `header`.
 *
 * @example
 * ```ts
 * import { attrSchema } from "./schema.ts";
 * const NH = attrSchema("NHA_", "linux/nexthop.h", { ID: { id: 1, type: "u32" } });
 * NH.field("id").id; // 1
 * ```
 */
export function attrSchema(
  prefix: string,
  header: string,
  specs: Readonly<Record<string, AttrSpec>>,
  options: SchemaOptions = {},
): AttrSchema {
  if (options.audit ?? true) {
    const ids: Record<string, number> = {};
    for (const [k, s] of Object.entries(specs)) if (s.since === undefined) ids[k] = s.id;
    cTable(header, prefix, ids);
  }
  return new AttrSchema(prefix, specs);
}

// ---------------------------------------------------------------- decoding

function bad(what: string, off: number): never {
  throw new DecodeError(what, off);
}

/** The error for an attribute header that is too short or runs past its container (both decoders call it). */
function badAttr(label: string, len: number, off: number): never {
  if (len < 4) bad(`${label} attribute length ${len} < 4`, off);
  bad(`${label} attribute of ${len} bytes overruns its container`, off);
}

/** A compiled attribute-set decoder. */
export type AttrsDecoder = (
  b: Uint8Array,
  v: DataView,
  off: number,
  end: number,
  ctx: DecodeContext,
  into: Record<string, unknown>,
) => Record<string, unknown>;

/**
 * Decodes the attributes in [off, end) into `into` (created if omitted).
 * Unknown attributes go to `into.unknownAttrs`. Throws {@linkcode DecodeError}
 * on malformed input.
 */
export function decodeAttrs(
  schema: AttrSchema,
  b: Uint8Array,
  v: DataView,
  off: number,
  end: number,
  ctx: DecodeContext = { family: 0 },
  into?: Record<string, unknown>,
): Record<string, unknown> {
  return schema.decoder(b, v, off, end, ctx, into ?? schema.newObject());
}

/**
 * The decoder {@linkcode compileDecoder} generates, as a loop that looks each
 * attribute's field up and calls its decoder: the same values, the same
 * errors, nothing to compile.
 */
function plainDecoder(schema: AttrSchema): AttrsDecoder {
  const byId = schema.byId;
  const label = schema.prefix;
  return (b, v, off, end, ctx, into) => {
    while (off + 4 <= end) {
      const len = v.getUint16(off, true);
      if (len < 4 || off + len > end) badAttr(label, len, off);
      const raw = v.getUint16(off + 2, true);
      const f = byId[raw & NLA_TYPE_MASK];
      if (f === undefined) {
        ((into.unknownAttrs ??= []) as RawAttribute[]).push({ type: raw, data: b.slice(off + 4, off + len) });
      } else if (f.spec.type !== "pad") {
        if (f.spec.multi) {
          const list = (into[f.name] ??= []) as unknown[];
          list.push(f.decode(b, v, off + 4, len - 4, ctx, into));
        } else into[f.name] = f.decode(b, v, off + 4, len - 4, ctx, into);
      }
      off += (len + 3) & ~3;
    }
    return into;
  };
}

/** The encoder {@linkcode compileEncoder} generates, as a loop that looks each property's field up. */
function plainEncoder(schema: AttrSchema): AttrsEncoder {
  const byName = schema.byName;
  return (w, value, path, sub) => {
    for (const name in value) {
      const x = value[name];
      if (x === undefined) continue;
      const f = byName.get(name);
      if (f === undefined) {
        if (name === "unknownAttrs") continue;
        unknownName(schema.prefix, path, name, x);
      }
      const spec = f.spec;
      if (spec.type === "flag" && x === false) continue;
      const type = spec.netByteOrderFlag ? f.id | NLA_F.NET_BYTEORDER : f.id;
      if (spec.multi) {
        const p = f.path.under(path);
        if (!Array.isArray(x)) notList(p, x);
        for (let k = 0; k < x.length; k++) {
          const at = w.beginAttr(type, spec.nestedFlag === true);
          f.encode(w, x[k], p + "[" + k + "]", sub);
          w.endAttr(at);
        }
        continue;
      }
      const scalar = spec.enum || spec.flags ? undefined : SCALARS[spec.type as ScalarType];
      if (scalar) {
        const at = w.beginAttr(type, false);
        const p = w.zeros(scalar.size);
        scalar.write(w.view, w.buffer, p, x, f.path.under(path));
        w.endAttr(at);
        continue;
      }
      const at = w.beginAttr(type, spec.nestedFlag === true);
      f.encode(w, x, f.path.under(path), sub);
      w.endAttr(at);
    }
    const unknown = (value as { unknownAttrs?: RawAttribute[] }).unknownAttrs;
    if (unknown) { for (const a of unknown) w.attr(a.type, a.data); }
  };
}

/**
 * Builds a decoder for one attribute set: a loop over the TLVs with a `switch`
 * on the type whose cases store each value under its property name. Generated
 * from the schema (the data) rather than interpreted, because a store through
 * a constant name is several times cheaper in V8 than `into[field.name] = …`,
 * and a route dump makes millions of them.
 */
function compileDecoder(schema: AttrSchema): AttrsDecoder {
  const decoders: Decode[] = [];
  const tables: (EnumTable | FlagTable | undefined)[] = [];
  const cases: string[] = [];
  for (const f of schema.fields) {
    if (f.spec.type === "pad") {
      cases.push(`case ${f.id}: break;`);
      continue;
    }
    const i = decoders.push(f.decode) - 1;
    tables.push(f.spec.enum ?? f.spec.flags);
    const key = JSON.stringify(f.name);
    const call = inlineRead(f, i) ?? `D[${i}](b, v, off + 4, len - 4, ctx, into)`;
    cases.push(
      f.spec.multi
        ? `case ${f.id}: { const list = into[${key}] ??= []; list.push(${call}); break; }`
        : `case ${f.id}: into[${key}] = ${call}; break;`,
    );
  }
  const label = JSON.stringify(schema.prefix);
  const source = `"use strict";
return function decodeAttrs(b, v, off, end, ctx, into) {
  while (off + 4 <= end) {
    const len = v.getUint16(off, true);
    if (len < 4 || off + len > end) badAttr(${label}, len, off);
    const raw = v.getUint16(off + 2, true);
    switch (raw & ${NLA_TYPE_MASK}) {
      ${cases.join("\n      ")}
      default: (into.unknownAttrs ??= []).push({ type: raw, data: b.slice(off + 4, off + len) });
    }
    off += (len + 3) & ~3;
  }
  return into;
};`;
  return new Function("D", "badAttr", "formatIPv4", "formatIPv4Prefix", "T", source)(
    decoders,
    badAttr,
    formatIPv4,
    formatIPv4Prefix,
    tables,
  ) as AttrsDecoder;
}

/**
 * The inline decoding expression of the commonest attribute types (integers,
 * IPv4 addresses): fewer calls per attribute while a fresh process's code is
 * still cold. Undefined: call the field's decoder.
 */
function inlineRead(f: Field, i: number): string | undefined {
  const t = f.spec.type;
  if (t === "addr") {
    const plain = f.spec.prefixLength === undefined;
    const format = plain
      ? `ctx.family !== ${AF_MPLS} ? formatIPv4(b, off + 4)`
      : `ctx.family === ${AF_INET} ? formatIPv4Prefix(b, off + 4, into[${JSON.stringify(f.spec.prefixLength)}])`;
    return `(len === 8 && ${format} : D[${i}](b, v, off + 4, len - 4, ctx, into))`;
  }
  const size = (SCALARS as Record<string, { size: number } | undefined>)[t]?.size;
  const read = readExpression(t, "off + 4");
  if (size === undefined || read === undefined) return undefined;
  // Too short: the field's own decoder reports the DecodeError.
  const named = f.spec.enum ? `T[${i}].name(${read})` : f.spec.flags ? `T[${i}].decode(${read})` : read;
  return `(len - 4 >= ${size} ? ${named} : D[${i}](b, v, off + 4, len - 4, ctx, into))`;
}

const textDecoder = new TextDecoder();

function decodeString(b: Uint8Array, _v: DataView, off: number, len: number): string {
  let end = off + len;
  while (end > off && b[end - 1] === 0) end--;
  const n = end - off;
  if (n > SHORT_STRING) return textDecoder.decode(b.subarray(off, end));
  // Short strings are names (interfaces, labels, kinds, qdiscs) that repeat
  // through a dump: a direct-mapped cache hands back the same string.
  let h = n;
  for (let i = off; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
  const slot = (h >>> 0) & (STRING_SLOTS - 1);
  const base = slot * SHORT_STRING;
  let hit = STRING_LEN[slot] === n;
  for (let i = 0; hit && i < n; i++) hit = STRING_BYTES[base + i] === b[off + i];
  if (hit) return STRING_CACHE[slot]!;
  let s = "";
  for (let i = off; i < end; i++) {
    const c = b[i];
    if (c >= 0x80) return textDecoder.decode(b.subarray(off, end)); // not ASCII: not cached
    s += String.fromCharCode(c);
  }
  STRING_BYTES.set(b.subarray(off, end), base);
  STRING_LEN[slot] = n;
  STRING_CACHE[slot] = s;
  return s;
}

/** Strings up to this many bytes go through the cache. */
const SHORT_STRING = 32;
const STRING_SLOTS = 512;
const STRING_BYTES = new Uint8Array(STRING_SLOTS * SHORT_STRING);
const STRING_LEN = new Int16Array(STRING_SLOTS).fill(-1);
const STRING_CACHE: (string | undefined)[] = new Array(STRING_SLOTS).fill(undefined);

/** An address and a prefix length as `address/length`. */
function formatPrefix(b: Uint8Array, off: number, len: number, length: number): string {
  if (len === 4) return formatIPv4Prefix(b, off, length);
  return typeof length === "number" ? `${formatIP(b, off, len)}/${length}` : formatIP(b, off, len);
}

function decodeAddr(b: Uint8Array, _v: DataView, off: number, len: number, ctx: DecodeContext): string {
  if (ctx.family === AF_MPLS) return formatMplsLabels(b, off, len);
  return formatIP(b, off, len);
}

/**
 * Formats an MPLS label stack (4-byte entries, bottom-of-stack bit ends it) as
 * `100/200`.
 *
 * @example
 * ```ts
 * import { formatMplsLabels } from "./schema.ts";
 * formatMplsLabels(new Uint8Array([0, 0x06, 0x41, 0x00]), 0, 4); // "100"
 * ```
 */
export function formatMplsLabels(b: Uint8Array, off: number, len: number): string {
  const labels: number[] = [];
  for (let o = off; o + 4 <= off + len; o += 4) {
    const entry = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
    labels.push(entry >>> 12);
    if (entry & 0x100) break;
  }
  return labels.join("/");
}

function decoderFor(spec: AttrSpec, label: string): Decode {
  const t = spec.type;
  switch (t) {
    case "string":
      return decodeString;
    case "binary":
      // Empty ones (a placeholder nest the kernel always sends) share one array.
      return (b, _v, off, len) => (len === 0 ? EMPTY_BYTES : b.slice(off, off + len));
    case "flag":
      return () => true;
    case "pad":
      return () => undefined;
    case "uint":
      // NLA_UINT: 4 or 8 bytes on the wire, a u64 in meaning.
      return (_b, v, off, len) => {
        if (len === 4) return BigInt(v.getUint32(off, true));
        if (len === 8) return v.getBigUint64(off, true);
        bad(`${label}: uint needs 4 or 8 bytes, got ${len}`, off);
      };
    case "addr": {
      const lengthField = spec.prefixLength;
      if (lengthField === undefined) return decodeAddr;
      return (b, v, off, len, ctx, parent) =>
        ctx.family === AF_INET || ctx.family === AF_INET6
          ? formatPrefix(b, off, len, parent?.[lengthField] as number)
          : decodeAddr(b, v, off, len, ctx);
    }
    case "lladdr":
      return (b, _v, off, len) => formatMac(b, off, len);
    case "nested": {
      const schema = lazy(need(spec.schema, label));
      return (b, v, off, len, ctx) => decodeAttrs(schema(), b, v, off, off + len, ctx);
    }
    case "message": {
      const st = need(spec.struct, label);
      const schema = lazy(need(spec.schema, label));
      return (b, v, off, len, ctx) => {
        if (len < st.size) bad(`${label}: ${len} bytes, ${st.cType} needs ${st.size}`, off);
        const header = st.decode(b, v, off, st.size);
        return decodeAttrs(schema(), b, v, off + st.size, off + len, ctx, { header });
      };
    }
    case "struct": {
      const st = need(spec.struct, label);
      return (b, v, off, len) => {
        if (len < st.size) {
          // Older kernels send shorter versions of some structs: decode what fits.
          if (len === 0) bad(`${label}: empty ${st.cType}`, off);
        }
        return st.decode(b, v, off, len);
      };
    }
    case "array":
      return arrayDecoder(spec, label);
    case "values":
      return valuesDecoder(spec, label);
    case "submessage": {
      const selector = need(spec.selector, label);
      const variants = lazy(need(spec.variants, label));
      // The selector sibling is decoded first (kernels emit it first); the
      // engine passes the object being filled as `parent`.
      return (b, v, off, len, ctx, parent) => {
        const which = parent?.[selector];
        const variant = typeof which === "string" ? variants()[which] : undefined;
        if (variant === undefined) return b.slice(off, off + len);
        if (variant instanceof AttrSchema) return decodeAttrs(variant, b, v, off, off + len, ctx);
        if (variant instanceof StructDef) return variant.decode(b, v, off, len);
        return variant.decode(b, v, off, len, ctx);
      };
    }
    case "records":
      return recordsDecoder(spec, label);
    case "custom":
      return need(spec.codec, label).decode.bind(spec.codec);
    default: {
      const codec = SCALARS[t];
      if (!codec) throw new Error(`${label}: unknown attribute type ${t}`);
      const size = codec.size;
      const read = codec.read;
      const checked: Decode = (b, v, off, len) => {
        if (len < size) bad(`${label}: ${t} needs ${size} bytes, got ${len}`, off);
        return read(b, v, off);
      };
      if (spec.enum) {
        const table = spec.enum;
        return (b, v, off, len, ctx) => table.name(checked(b, v, off, len, ctx) as number);
      }
      if (spec.flags) {
        const table = spec.flags;
        return (b, v, off, len, ctx) => table.decode(checked(b, v, off, len, ctx) as number);
      }
      return checked;
    }
  }
}

/** The context a submessage encoder sees: the object whose sibling selects. */
export interface SubmessageContext extends DecodeContext {
  /** The object being encoded (its selector sibling picks the layout). */
  parent?: Record<string, unknown>;
}

function arrayDecoder(spec: AttrSpec, label: string): Decode {
  let element: Decode;
  if (spec.schema) {
    const schema = lazy(spec.schema);
    element = (b, v, off, len, ctx) => decodeAttrs(schema(), b, v, off, off + len, ctx);
  } else {
    element = decoderFor({ id: 0, type: need(spec.of, label), enum: spec.enum, flags: spec.flags }, label);
  }
  return (b, v, off, len, ctx) => {
    const out: unknown[] = [];
    const end = off + len;
    while (off + 4 <= end) {
      const l = v.getUint16(off, true);
      if (l < 4 || off + l > end) bad(`${label}: array element of ${l} bytes`, off);
      out.push(element(b, v, off + 4, l - 4, ctx));
      off += (l + 3) & ~3;
    }
    return out;
  };
}

/** A run of records, each a struct whose length field covers it and the attributes after it. */
function recordsDecoder(spec: AttrSpec, label: string): Decode {
  const st = need(spec.struct, label);
  const schema = lazy(need(spec.schema, label));
  const lenField = st.fields.find((f) => f.name === need(spec.lengthField, label));
  if (!lenField || lenField.size !== 2) throw new Error(`${label}: records need a u16 length field`);
  const lenOffset = lenField.offset;
  return (b, v, off, len, ctx) => {
    const out: Record<string, unknown>[] = [];
    const end = off + len;
    while (off + st.size <= end) {
      const rlen = v.getUint16(off + lenOffset, true);
      if (rlen < st.size || off + rlen > end) bad(`${label}: record of ${rlen} bytes`, off);
      const rec = st.decode(b, v, off, st.size);
      delete rec[lenField.name];
      out.push(decodeAttrs(schema(), b, v, off + st.size, off + rlen, ctx, rec));
      off += (rlen + 3) & ~3;
    }
    return out;
  };
}

function valuesDecoder(spec: AttrSpec, label: string): Decode {
  const of = need(spec.of, label) as ScalarType;
  const codec = SCALARS[of];
  const size = codec.size;
  const names = spec.names;
  if (!names) {
    return (b, v, off, len) => {
      const n = Math.floor(len / size);
      const out: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = codec.read(b, v, off + i * size);
      return out;
    };
  }
  // Named positions (devconf, IPv6 MIB counters: tens of them per link, in
  // every link dump): the keys are worked out once, and after its first
  // `compileAfter` uses (codegen.ts) a complete array is read into one object
  // literal generated from them. Until then the loop below fills the same keys
  // in the same order: `ip link show` decodes each of these a few times, and
  // compiling the literal would cost it more than it saves.
  const base = spec.namesBase ?? 1;
  const keys: string[] = [];
  for (let i = 0;; i++) {
    const name = names.name(i + base);
    if (typeof name !== "string") break;
    keys.push(camelCase(name));
  }
  const read = readExpression(of, "off + OFFSET") ?? "";
  let whole: ((v: DataView, b: Uint8Array, off: number) => Record<string, unknown>) | undefined;
  let uses = 0;
  const compileWhole = () => {
    const props = keys.map((k, i) => `${JSON.stringify(k)}: ${read.replaceAll("OFFSET", String(i * size))}`);
    return new Function("v", "b", "off", `"use strict"; return { ${props.join(", ")} };`) as typeof whole;
  };
  return (b, v, off, len) => {
    const n = Math.floor(len / size);
    let out: Record<string, unknown> = {};
    let i = 0;
    if (n >= keys.length && read !== "" && (whole !== undefined || ++uses > compileAfter)) {
      out = (whole ??= compileWhole())!(v, b, off);
      i = keys.length;
    }
    for (; i < n; i++) out[i < keys.length ? keys[i] : unknownKey(i + base)] = codec.read(b, v, off + i * size);
    return out;
  };
}

const UNKNOWN_KEYS: string[] = [];
const EMPTY_BYTES = new Uint8Array(0);

/**
 * The key of a position a newer kernel sends beyond the names nlink knows:
 * `unknown59`, not `59`, which as an array index would give every such object
 * an elements store as long as the index (a link dump decodes thousands).
 */
function unknownKey(value: number): string {
  return UNKNOWN_KEYS[value] ??= `unknown${value}`;
}

function need<T>(x: T | undefined, label: string): T {
  if (x === undefined) throw new Error(`${label}: incomplete attribute declaration`);
  return x;
}

// ---------------------------------------------------------------- encoding

/**
 * Encodes `value`'s properties as attributes, in the order the properties
 * appear in the object (so a request builder controls the byte order, to match
 * another tool's), then any `unknownAttrs` as they are. A property the schema
 * does not know is refused with a {@linkcode ValidationError}; `undefined`
 * values and `false` flags are skipped.
 */
export function encodeAttrs(
  w: MessageWriter,
  schema: AttrSchema,
  value: Readonly<Record<string, unknown>>,
  path: string,
  ctx: DecodeContext = { family: 0 },
): void {
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof Uint8Array) {
    throw new ValidationError(path, value, "expected an object of attributes");
  }
  schema.encoder(w, value, path, { family: ctx.family, parent: value as Record<string, unknown> });
}

/** A compiled attribute-set encoder (the value already checked to be an object). */
/** A compiled encoder of an attribute set. */
export type AttrsEncoder = (
  w: MessageWriter,
  value: Readonly<Record<string, unknown>>,
  path: string,
  sub: SubmessageContext,
) => void;

/** The error for a property no attribute of set `prefix` has (both encoders call it). */
function unknownName(prefix: string, path: string, name: string, x: unknown): never {
  throw new ValidationError(`${path}.${name}`, x, `not an attribute nlink knows for ${prefix}*`);
}

/** The error for a repeated attribute's value that is not a list (both encoders call it). */
function notList(path: string, x: unknown): never {
  throw new ValidationError(path, x, "expected a list");
}

/**
 * Builds the encoder for one attribute set: a loop over the value's keys (in
 * their order: that is the order on the wire) with a `switch` on the name
 * whose cases write that attribute. Generated from the schema, as the decoder
 * is, because a batch encodes hundreds of thousands of requests and a lookup
 * by name per attribute would cost more than writing it.
 */
function compileEncoder(schema: AttrSchema): AttrsEncoder {
  const cases = schema.fields.map((f, i) => {
    const type = f.spec.netByteOrderFlag ? f.id | NLA_F.NET_BYTEORDER : f.id;
    const one = (x: string, path: string) =>
      `{ const at = w.beginAttr(${type}, ${
        f.spec.nestedFlag === true
      }); F[${i}].encode(w, ${x}, ${path}, sub); w.endAttr(at); }`;
    const skipFalse = f.spec.type === "flag" ? "if (x === false) break; " : "";
    const scalar = f.spec.enum || f.spec.flags || f.spec.multi ? undefined : writeStatement(f.spec.type, "p", "x");
    const body = f.spec.multi
      ? `{ const p = F[${i}].path.under(path); if (!Array.isArray(x)) notList(p, x); ` +
        `for (let k = 0; k < x.length; k++) ${one("x[k]", "p + '[' + k + ']'")} }`
      : scalar
      // A plain integer in range is written here; anything else (a bigint, a
      // value to refuse) goes through the codec, which checks it.
      ? `{ const at = w.beginAttr(${type}, false); const p = w.zeros(${SCALARS[f.spec.type as ScalarType].size}); ` +
        `const v = w.view, b = w.buffer; if (${scalar.fits}) ${scalar.write} ` +
        `else S[${i}](v, b, p, x, F[${i}].path.under(path)); w.endAttr(at); }`
      : one("x", `F[${i}].path.under(path)`);
    return `case ${JSON.stringify(f.name)}: ${skipFalse}${body} break;`;
  });
  const source = `"use strict";
return function encodeAttrs(w, value, path, sub) {
  for (const name in value) {
    const x = value[name];
    if (x === undefined) continue;
    switch (name) {
      ${cases.join("\n      ")}
      case "unknownAttrs": break;
      default: unknownName(${JSON.stringify(schema.prefix)}, path, name, x);
    }
  }
  const unknown = value.unknownAttrs;
  if (unknown) { for (const a of unknown) w.attr(a.type, a.data); }
};`;
  const writers = schema.fields.map((f) => SCALARS[f.spec.type as ScalarType]?.write);
  return new Function("F", "S", "unknownName", "notList", source)(
    schema.fields,
    writers,
    unknownName,
    notList,
  ) as AttrsEncoder;
}

const textEncoder = new TextEncoder();

function encoderFor(spec: AttrSpec): Encode {
  const t = spec.type;
  switch (t) {
    case "string": {
      const nul = spec.noNul !== true;
      return (w, x, path) => {
        if (typeof x !== "string") throw new ValidationError(path, x, "expected a string");
        w.raw(textEncoder.encode(x));
        if (nul) w.u8(0);
      };
    }
    case "binary":
      return (w, x, path) => {
        if (!(x instanceof Uint8Array)) throw new ValidationError(path, x, "expected a Uint8Array");
        w.raw(x);
      };
    case "flag":
      return (_w, x, path) => {
        if (x !== true) throw new ValidationError(path, x, "expected true (a flag)");
      };
    case "pad":
      return () => {};
    case "uint":
      // Like the kernel: 4 bytes when the value fits, else 8.
      return (w, x, path) => {
        const n = typeof x === "bigint" ? x : typeof x === "number" && Number.isSafeInteger(x) ? BigInt(x) : -1n;
        if (n < 0n || n > 0xffffffffffffffffn) {
          throw new ValidationError(path, x, "expected an unsigned 64-bit integer");
        }
        if (n <= 0xffffffffn) w.u32(Number(n));
        else w.u64(n);
      };
    case "addr":
      return (w, x, path, ctx) => writeAddr(w, x, path, ctx.family);
    case "lladdr":
      // As iproute2's ll_addr_a2n: a dotted quad is an IPv4 "link-layer" address
      // (tunnel devices have those); otherwise hex bytes separated by colons.
      return (w, x, path) => {
        const bytes = typeof x === "string"
          ? (x.includes(".") ? parseIPv4(x) : parseMac(x))
          : x instanceof Uint8Array
          ? x
          : undefined;
        if (!bytes) throw new ValidationError(path, x, "expected a link-layer address like 02:00:00:00:00:01");
        w.raw(bytes);
      };
    case "nested": {
      const schema = lazy(spec.schema!);
      return (w, x, path, ctx) => encodeAttrs(w, schema(), x as Record<string, unknown>, path, ctx);
    }
    case "message": {
      const st = spec.struct!;
      const schema = lazy(spec.schema!);
      return (w, x, path, ctx) => {
        if (x === null || typeof x !== "object") {
          throw new ValidationError(path, x, `expected an object (${st.cType} + attributes)`);
        }
        const { header, ...attrs } = x as { header?: Record<string, unknown> };
        st.encode(w, header ?? {}, `${path}.header`);
        encodeAttrs(w, schema(), attrs, path, ctx);
      };
    }
    case "struct": {
      const st = spec.struct!;
      return (w, x, path) => {
        if (x === null || typeof x !== "object") throw new ValidationError(path, x, `expected an object (${st.cType})`);
        st.encode(w, x as Record<string, unknown>, path);
      };
    }
    case "array":
      return arrayEncoder(spec);
    case "values":
      return valuesEncoder(spec);
    case "submessage": {
      const selector = spec.selector!;
      const variants = lazy(spec.variants!);
      return (w, x, path, ctx) => {
        const which = (ctx as SubmessageContext).parent?.[selector];
        const variant = typeof which === "string" ? variants()[which] : undefined;
        if (x instanceof Uint8Array) return w.raw(x);
        if (variant === undefined) {
          throw new ValidationError(
            path,
            which,
            `no attribute layout known for ${selector} ${String(which)}; pass raw bytes`,
          );
        }
        if (variant instanceof AttrSchema) encodeAttrs(w, variant, x as Record<string, unknown>, path, ctx);
        else if (variant instanceof StructDef) variant.encode(w, x as Record<string, unknown>, path);
        else variant.encode(w, x, path, ctx);
      };
    }
    case "records":
      return recordsEncoder(spec);
    case "custom":
      return spec.codec!.encode.bind(spec.codec);
    default: {
      const codec = SCALARS[t];
      const enc = (w: MessageWriter, n: unknown, path: string) => {
        const at = w.zeros(codec.size);
        const v = w.view;
        codec.write(v, w.buffer, at, n, path);
      };
      if (spec.enum) {
        const table = spec.enum;
        return (w, x, path) => enc(w, table.value(x as string | number, path), path);
      }
      if (spec.flags) {
        const table = spec.flags;
        return (w, x, path) => enc(w, table.encode(x as string[] | number, path), path);
      }
      return enc;
    }
  }
}

/**
 * Appends an address: IPv4/IPv6 text (checked against the message family when
 * it has one), MPLS labels for AF_MPLS, or raw bytes. Parses straight into the
 * writer's buffer.
 *
 * @example
 * ```ts
 * import { writeAddr } from "./schema.ts";
 * import { MessageWriter } from "./writer.ts";
 * const w = new MessageWriter();
 * writeAddr(w, "192.0.2.1", "gateway", 2);
 * w.length; // 4
 * ```
 */
export function writeAddr(w: MessageWriter, x: unknown, path: string, family: number): void {
  if (x instanceof Uint8Array) return w.raw(x);
  if (typeof x !== "string") throw new ValidationError(path, x, "expected an address string");
  if (family === AF_MPLS) return w.raw(parseMplsLabels(x, path));
  // Parsed once, into scratch space (a failed parse must leave the writer as it was).
  if (family !== AF_INET6 && parseIPv4Into(x, ADDR_SCRATCH, 0)) return copyScratch(w, 4);
  if (family !== AF_INET && parseIPv6Into(x, ADDR_SCRATCH, 0)) return copyScratch(w, 16);
  const want = family === AF_INET ? "an IPv4 address" : family === AF_INET6 ? "an IPv6 address" : "an IP address";
  throw new ValidationError(path, x, `expected ${want}`);
}

const ADDR_SCRATCH = new Uint8Array(16);

function copyScratch(w: MessageWriter, n: number): void {
  const at = w.zeros(n);
  const b = w.buffer;
  for (let i = 0; i < n; i++) b[at + i] = ADDR_SCRATCH[i];
}

/**
 * Parses `100/200` into an MPLS label stack (bottom-of-stack bit on the last).
 *
 * @example
 * ```ts
 * import { parseMplsLabels } from "./schema.ts";
 * parseMplsLabels("100", "dst"); // Uint8Array [0, 6, 65, 0]
 * ```
 */
export function parseMplsLabels(text: string, path: string): Uint8Array {
  const parts = text.split("/");
  const out = new Uint8Array(parts.length * 4);
  const v = new DataView(out.buffer);
  parts.forEach((p, i) => {
    const n = /^\d+$/.test(p) ? Number(p) : NaN;
    if (!(n >= 0 && n <= 0xfffff)) throw new ValidationError(path, text, "MPLS labels are 0..1048575, separated by /");
    v.setUint32(i * 4, ((n << 12) | (i === parts.length - 1 ? 0x100 : 0)) >>> 0);
  });
  return out;
}

function arrayEncoder(spec: AttrSpec): Encode {
  const schema = spec.schema === undefined ? undefined : lazy(spec.schema);
  const element = schema ? undefined : encoderFor({ id: 0, type: spec.of!, enum: spec.enum, flags: spec.flags });
  return (w, x, path, ctx) => {
    if (!Array.isArray(x)) throw new ValidationError(path, x, "expected a list");
    x.forEach((item, i) => {
      const at = w.beginAttr(i + 1, spec.nestedFlag === true && schema !== undefined);
      if (schema) encodeAttrs(w, schema(), item, `${path}[${i}]`, ctx);
      else element!(w, item, `${path}[${i}]`, ctx);
      w.endAttr(at);
    });
  };
}

function recordsEncoder(spec: AttrSpec): Encode {
  const st = spec.struct!;
  const schema = lazy(spec.schema!);
  const lenField = st.fields.find((f) => f.name === spec.lengthField)!;
  const structNames = new Set(st.fields.map((f) => f.name));
  return (w, x, path, ctx) => {
    if (!Array.isArray(x)) throw new ValidationError(path, x, "expected a list");
    x.forEach((rec: Record<string, unknown>, i) => {
      const p = `${path}[${i}]`;
      if (rec === null || typeof rec !== "object") throw new ValidationError(p, rec, "expected an object");
      const head: Record<string, unknown> = {};
      const attrs: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(rec)) (structNames.has(k) ? head : attrs)[k] = val;
      head[lenField.name] = 0;
      const start = w.length;
      st.encode(w, head, p);
      encodeAttrs(w, schema(), attrs, p, ctx);
      w.view.setUint16(start + lenField.offset, w.length - start, true);
      w.align();
    });
  };
}

function valuesEncoder(spec: AttrSpec): Encode {
  const codec = SCALARS[spec.of as ScalarType];
  return (w, x, path) => {
    if (!Array.isArray(x)) throw new ValidationError(path, x, "expected a list of numbers");
    for (let i = 0; i < x.length; i++) {
      const at = w.zeros(codec.size);
      const v = w.view;
      codec.write(v, w.buffer, at, x[i], `${path}[${i}]`);
    }
  };
}
