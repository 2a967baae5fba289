/**
 * The payload of each ematch kind (what follows struct tcf_ematch_hdr in a
 * list entry): its C layout as data, how a typed match becomes it (in the
 * order and form tc(8)'s em_*.c writes it), and how it decodes back.
 *
 * @module
 */
import { cEnum } from "../../core/enums.ts";
import { cTable } from "../../core/ctable.ts";
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema, decodeAttrs } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { intIn, oneOf } from "../common.ts";
import { metaIdInfo, TCF_META_ID, TCF_META_TYPE } from "./ematch_meta.ts";
import type {
  CanidEmatch,
  CanidRule,
  CmpEmatch,
  EmatchLayer,
  EmatchMatch,
  EmatchOp,
  EmatchSize,
  IpsetEmatch,
  IptEmatch,
  MetaEmatch,
  MetaIdOperand,
  MetaOperand,
  NbyteEmatch,
  U32Ematch,
} from "./ematch_types.ts";

/** TCF_EM_*: the ematch kinds (0 is a container of other matches). */
export const TCF_EM_KIND = cTable("linux/pkt_cls.h", "TCF_EM_", {
  CONTAINER: 0,
  CMP: 1,
  NBYTE: 2,
  U32: 3,
  META: 4,
  TEXT: 5,
  VLAN: 6,
  CANID: 7,
  IPSET: 8,
  IPT: 9,
});

/** TCF_LAYER_*: the header an offset counts from. */
const TCF_LAYER = cEnum("linux/pkt_cls.h", "TCF_LAYER_", { LINK: 0, NETWORK: 1, TRANSPORT: 2 });

/** TCF_EM_OPND_*: the comparisons. */
const TCF_EM_OPND = cEnum("linux/pkt_cls.h", "TCF_EM_OPND_", { EQ: 0, GT: 1, LT: 2 });

/** TCF_EM_ALIGN_*: cmp's widths, in bytes. */
const TCF_EM_ALIGN = cEnum("linux/tc_ematch/tc_em_cmp.h", "TCF_EM_ALIGN_", { U8: 1, U16: 2, U32: 4 });

/** TCF_EM_CMP_TRANS: cmp's flag for a network-order value. */
const TCF_EM_CMP = cTable("linux/tc_ematch/tc_em_cmp.h", "TCF_EM_CMP_", { TRANS: 1 });

/** CAN_*: the frame-format flag and identifier masks of linux/can.h. */
const CAN = cTable("linux/can.h", "CAN_", { EFF_FLAG: 0x80000000, SFF_MASK: 0x7ff, EFF_MASK: 0x1fffffff });

/** NFPROTO_*: the ipt match's families. */
const NFPROTO = cEnum("linux/netfilter.h", "NFPROTO_", { IPV4: 2, IPV6: 10 });

/** IPSET_DIM_MAX: the most dimensions an ipset has. */
const IPSET_DIM = cTable("linux/netfilter/ipset/ip_set.h", "IPSET_DIM_", { MAX: 6 });

/**
 * struct tcf_em_cmp. Its last two bytes are C bit-fields (align:4, flags:4,
 * layer:4, opnd:4, low bits first on little-endian machines): declared as two
 * bytes, packed by {@linkcode CMP}.
 */
const TCF_EM_CMP_STRUCT = cStruct("linux/tc_ematch/tc_em_cmp.h", "struct tcf_em_cmp", [
  { c: "val", type: "u32" },
  { c: "mask", type: "u32" },
  { c: "off", type: "u16" },
  { name: "alignFlags", type: "u8" },
  { name: "layerOpnd", type: "u8" },
]);

/** struct tcf_em_nbyte: `len:12` and `layer:4` share the second u16 (layer in the top 4 bits). */
const TCF_EM_NBYTE_STRUCT = cStruct("linux/tc_ematch/tc_em_nbyte.h", "struct tcf_em_nbyte", [
  { c: "off", type: "u16" },
  { name: "lenLayer", type: "u16" },
]);

/** struct tc_u32_key: the u32 ematch's payload (as one key of the u32 filter). */
const TC_U32_KEY = cStruct("linux/pkt_cls.h", "struct tc_u32_key", [
  { c: "mask", type: "be32" },
  { c: "val", type: "be32" },
  { c: "off", type: "s32" },
  { c: "offmask", type: "s32" },
]);

/** struct tcf_meta_val: one operand's id and type, shift, and (left only) the comparison. */
const TCF_META_VAL = cStruct("linux/tc_ematch/tc_em_meta.h", "struct tcf_meta_val", [
  { c: "kind", type: "u16" },
  { c: "shift", type: "u8" },
  { c: "op", type: "u8" },
]);

/** struct tcf_meta_hdr: both operands. */
const TCF_META_HDR = cStruct("linux/tc_ematch/tc_em_meta.h", "struct tcf_meta_hdr", [
  { c: "left", type: "struct", struct: TCF_META_VAL },
  { c: "right", type: "struct", struct: TCF_META_VAL },
]);

/** TCA_EM_META_*: the meta ematch's attributes (values are a u32 for integers, the bytes for var). */
const META_ATTRS: AttrSchema = attrSchema("TCA_EM_META_", "linux/tc_ematch/tc_em_meta.h", {
  HDR: { id: 1, type: "struct", struct: TCF_META_HDR },
  LVALUE: { id: 2, type: "binary" },
  RVALUE: { id: 3, type: "binary" },
});

/** struct can_filter: one canid rule. */
const CAN_FILTER = cStruct("linux/can.h", "struct can_filter", [
  { c: "can_id", type: "u32" },
  { c: "can_mask", type: "u32" },
]);

/** struct xt_set_info: the ipset ematch's payload. */
const XT_SET_INFO = cStruct("linux/netfilter/xt_set.h", "struct xt_set_info", [
  { c: "index", type: "u16" },
  { c: "dim", type: "u8" },
  { c: "flags", type: "u8" },
]);

/** TCA_EM_IPT_*: the ipt ematch's attributes. */
const IPT_ATTRS: AttrSchema = attrSchema("TCA_EM_IPT_", "linux/tc_ematch/tc_em_ipt.h", {
  HOOK: { id: 1, type: "u32" },
  MATCH_NAME: { id: 2, type: "string" },
  MATCH_REVISION: { id: 3, type: "u8" },
  NFPROTO: { id: 4, type: "u8" },
  MATCH_DATA: { id: 5, type: "binary" },
});

/** A piece of a payload: a struct, attributes, or bytes; each is padded to 4 bytes as tc(8) pads it. */
export type EmatchPart =
  | { struct: StructDef; value: Record<string, unknown> }
  | { attrs: AttrSchema; value: Record<string, unknown> }
  | Uint8Array;

/** What the encoders need to know about the request: its parent (ipt's default hook). */
export interface EmatchEnv {
  /** The filter's parent handle, if known. */
  parent?: number;
}

/** One kind: its number, and its payload both ways. */
export interface EmatchKindCodec {
  /** TCF_EM_* number. */
  readonly id: number;
  /** The payload parts of a typed match (throws ValidationError naming `path`). */
  encode(m: EmatchMatch, path: string, env: EmatchEnv): EmatchPart[];
  /** The typed match of a payload (undefined when it does not parse: the caller keeps it raw). */
  decode(b: Uint8Array, v: DataView, off: number, len: number): EmatchMatch | undefined;
}

const SIZES: readonly EmatchSize[] = ["u8", "u16", "u32"];
const SIZE_MAX: Readonly<Record<EmatchSize, number>> = { u8: 0xff, u16: 0xffff, u32: 0xffffffff };
const LAYERS: readonly EmatchLayer[] = ["link", "network", "transport"];
const OPS: readonly EmatchOp[] = ["eq", "gt", "lt"];
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function need<T>(x: T | undefined, path: string, what: string): T {
  if (x === undefined) throw new ValidationError(path, x, `${what} is required`);
  return x;
}

function layerOf(x: unknown, path: string): number {
  return TCF_LAYER.value(oneOf(x, LAYERS, path) ?? "network", path);
}

function opOf(x: unknown, path: string): number {
  return TCF_EM_OPND.value(need(oneOf(x, OPS, path), path, "the comparison"), path);
}

function flag(x: unknown, path: string): boolean {
  if (x === undefined || typeof x === "boolean") return x === true;
  throw new ValidationError(path, x, "expected true or false");
}

/** Bytes as a string when all are printable ASCII (as tc(8) would print them), else the bytes. */
export function textOrBytes(b: Uint8Array): string | Uint8Array {
  return b.length > 0 && b.every((c) => c >= 0x20 && c < 0x7f) ? decoder.decode(b) : b.slice();
}

function bytesOf(x: unknown, path: string, min: number, max: number): Uint8Array {
  const b = typeof x === "string" ? encoder.encode(x) : x instanceof Uint8Array ? x : undefined;
  if (b === undefined || b.length < min || b.length > max) {
    throw new ValidationError(path, x, `expected a string or bytes of ${min}..${max} bytes`);
  }
  return b;
}

function layerName(n: number): EmatchLayer | number {
  return TCF_LAYER.name(n) as EmatchLayer | number;
}

/** cmp: struct tcf_em_cmp. */
const CMP: EmatchKindCodec = {
  id: TCF_EM_KIND.CMP,
  encode(x, path) {
    const m = x as CmpEmatch;
    const size = need(oneOf(m.size, SIZES, `${path}.size`), `${path}.size`, "the width");
    const max = SIZE_MAX[size];
    const trans = flag(m.trans, `${path}.trans`);
    const layer = layerOf(m.layer, `${path}.layer`);
    const op = opOf(m.op, `${path}.op`);
    return [{
      struct: TCF_EM_CMP_STRUCT,
      value: {
        val: need(intIn(m.value, 0, max, `${path}.value`), `${path}.value`, "the value"),
        mask: intIn(m.mask, 0, max, `${path}.mask`) ?? 0,
        off: need(intIn(m.offset, 0, 0xffff, `${path}.offset`), `${path}.offset`, "the offset"),
        alignFlags: TCF_EM_ALIGN.value(size) | ((trans ? TCF_EM_CMP.TRANS : 0) << 4),
        layerOpnd: layer | (op << 4),
      },
    }];
  },
  decode(b, v, off, len) {
    if (len < TCF_EM_CMP_STRUCT.size) return undefined;
    const s = TCF_EM_CMP_STRUCT.decode(b, v, off, len) as Record<string, number>;
    const size = TCF_EM_ALIGN.name(s.alignFlags & 0xf);
    const op = TCF_EM_OPND.name(s.layerOpnd >> 4);
    if (typeof size !== "string" || typeof op !== "string") return undefined;
    const trans = ((s.alignFlags >> 4) & TCF_EM_CMP.TRANS) !== 0;
    return {
      kind: "cmp",
      size: size as EmatchSize,
      offset: s.off,
      layer: layerName(s.layerOpnd & 0xf) as EmatchLayer,
      ...(s.mask !== 0 ? { mask: s.mask } : {}),
      op: op as EmatchOp,
      value: s.val,
      ...(trans ? { trans } : {}),
    };
  },
};

/** u32: struct tc_u32_key, moved into its aligned word as tc(8) moves it. */
const U32: EmatchKindCodec = {
  id: TCF_EM_KIND.U32,
  encode(x, path) {
    const m = x as U32Ematch;
    const size = oneOf(m.size, SIZES, `${path}.size`) ?? "u32";
    const max = SIZE_MAX[size];
    let value = need(intIn(m.value, 0, max, `${path}.value`), `${path}.value`, "the value");
    let mask = need(intIn(m.mask, 0, max, `${path}.mask`), `${path}.mask`, "the mask");
    let offset = need(intIn(m.offset, 0, 0x7fffffff, `${path}.offset`), `${path}.offset`, "the offset");
    const within = offset & 3;
    if (size === "u8") {
      value = value * 2 ** (24 - within * 8);
      mask = mask * 2 ** (24 - within * 8);
    } else if (size === "u16") {
      // tc(8) takes a u16 at offset 4n as the high half of the word, any other as its low half.
      if (within % 2 !== 0) throw new ValidationError(`${path}.offset`, m.offset, "a u16 needs an even offset");
      if (within === 0) {
        value *= 0x10000;
        mask *= 0x10000;
      }
    } else if (within !== 0) {
      throw new ValidationError(`${path}.offset`, m.offset, "a u32 needs an offset that is a multiple of 4");
    }
    offset -= within;
    return [{
      struct: TC_U32_KEY,
      value: { mask, val: (value & mask) >>> 0, off: offset, offmask: flag(m.nexthdr, `${path}.nexthdr`) ? -1 : 0 },
    }];
  },
  decode(b, v, off, len) {
    if (len < TC_U32_KEY.size) return undefined;
    const k = TC_U32_KEY.decode(b, v, off, len) as Record<string, number>;
    const out: U32Ematch = { kind: "u32", value: k.val, mask: k.mask, offset: k.off };
    if (k.offmask !== 0) out.nexthdr = true;
    return out;
  },
};

/** The value types of each side of a meta match, as tc(8) settles them (an id adopts the other side's type). */
function metaTypes(left: MetaOperand, right: MetaOperand, path: string): ["int" | "var", "int" | "var"] {
  const fixed = (o: MetaOperand) =>
    typeof o === "number" ? "int" : typeof o === "string" || o instanceof Uint8Array ? "var" : o.type;
  const supports = (o: MetaOperand, t: string) =>
    typeof o === "object" && !(o instanceof Uint8Array) &&
    (metaIdInfo(o.id)?.types ?? ["int"]).includes(t as "int");
  const initial = (o: MetaOperand) => fixed(o) ?? (metaIdInfo((o as MetaIdOperand).id)?.types[0] ?? "int");
  let lt = initial(left), rt = initial(right);
  if (lt !== rt) {
    const adoptL = fixed(left) === undefined, adoptR = fixed(right) === undefined;
    if (adoptL && supports(left, rt)) lt = rt;
    else if (adoptR && supports(right, lt)) rt = lt;
    else throw new ValidationError(`${path}.right`, right, `its type (${rt}) does not compare with the left's (${lt})`);
  }
  return [lt, rt];
}

function metaSide(
  o: MetaOperand,
  type: "int" | "var",
  path: string,
): { val: Record<string, number>; value?: Uint8Array } {
  const typeBits = TCF_META_TYPE.value(type) << 12;
  if (typeof o === "number") {
    const n = need(intIn(o, 0, 0xffffffff, path), path, "a value");
    return { val: { kind: typeBits, shift: 0 }, value: u32Bytes(n) };
  }
  if (typeof o === "string" || o instanceof Uint8Array) {
    return { val: { kind: typeBits, shift: 0 }, value: bytesOf(o, path, 0, 0xffff - 8) };
  }
  if (o === null || typeof o !== "object") {
    throw new ValidationError(path, o, "expected { id }, a number, a string or bytes");
  }
  for (const k of Object.keys(o)) {
    if (!["id", "shift", "mask", "type"].includes(k)) {
      throw new ValidationError(`${path}.${k}`, (o as never)[k], "unknown option");
    }
  }
  const info = metaIdInfo(o.id);
  const id = info?.id ?? (typeof o.id === "number" ? intIn(o.id, 1, 0x7ff, `${path}.id`) : undefined);
  if (id === undefined) throw new ValidationError(`${path}.id`, o.id, "expected a meta id name or number");
  oneOf(o.type, ["int", "var"], `${path}.type`);
  if (info && !info.types.includes(type)) {
    throw new ValidationError(`${path}.type`, type, `${info.name} has no ${type} form`);
  }
  const shift = intIn(o.shift, 0, 255, `${path}.shift`) ?? 0;
  const mask = intIn(o.mask, 0, 0xffffffff, `${path}.mask`);
  if (type === "var") {
    if (mask !== undefined) throw new ValidationError(`${path}.mask`, o.mask, "a var meta value has no mask");
    return { val: { kind: typeBits | id, shift } };
  }
  // tc(8) always sends an integer id's mask, 0 meaning none.
  return { val: { kind: typeBits | id, shift }, value: u32Bytes(mask ?? 0) };
}

function u32Bytes(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function metaOperand(val: Record<string, number>, value: Uint8Array | undefined): MetaOperand | undefined {
  const id = val.kind & 0x7ff;
  const type = TCF_META_TYPE.name(val.kind >> 12);
  const int = (b: Uint8Array | undefined) => {
    if (b === undefined || (b.length !== 4 && b.length !== 8)) return undefined;
    // The kernel echoes an 8-byte value for an 8-byte one; the low word holds it on little-endian machines.
    return new DataView(b.buffer, b.byteOffset, b.length).getUint32(0, true);
  };
  if (id === TCF_META_ID.values.VALUE) {
    if (type === "int") return int(value);
    if (type === "var") return value === undefined ? undefined : textOrBytes(value);
    return undefined;
  }
  const info = metaIdInfo(id);
  const out: MetaIdOperand = { id: info?.name ?? id };
  if (val.shift !== 0) out.shift = val.shift;
  if (type === "int") {
    const mask = int(value);
    if (mask) out.mask = mask;
  } else if (type !== "var") return undefined;
  out.type = type;
  return out;
}

/** meta: TCA_EM_META_HDR, then the values (an integer side always sends one). */
const META: EmatchKindCodec = {
  id: TCF_EM_KIND.META,
  encode(x, path) {
    const m = x as MetaEmatch;
    const [lt, rt] = metaTypes(m.left, m.right, path);
    const left = metaSide(m.left, lt, `${path}.left`);
    const right = metaSide(m.right, rt, `${path}.right`);
    left.val.op = opOf(m.op, `${path}.op`);
    return [{
      attrs: META_ATTRS,
      value: { hdr: { left: left.val, right: right.val }, lvalue: left.value, rvalue: right.value },
    }];
  },
  decode(b, v, off, len) {
    const a = decodeAttrs(META_ATTRS, b, v, off, off + len);
    const hdr = a.hdr as { left: Record<string, number>; right: Record<string, number> } | undefined;
    if (!hdr || hdr.right === undefined) return undefined;
    const left = metaOperand(hdr.left, a.lvalue as Uint8Array | undefined);
    const right = metaOperand(hdr.right, a.rvalue as Uint8Array | undefined);
    const op = TCF_EM_OPND.name(hdr.left.op);
    if (left === undefined || right === undefined || typeof op !== "string") return undefined;
    // Drop the types tc(8) would pick by itself, so the result reads as it was written.
    const plain = (o: MetaOperand) =>
      typeof o === "object" && !(o instanceof Uint8Array) ? (({ type: _t, ...rest }) => rest)(o) : o;
    let inferred: ["int" | "var", "int" | "var"] | undefined;
    try {
      inferred = metaTypes(plain(left), plain(right), "meta");
    } catch {
      inferred = undefined;
    }
    const tidy = (o: MetaOperand, t: string | undefined) =>
      typeof o === "object" && !(o instanceof Uint8Array) && o.type === t ? plain(o) : o;
    return { kind: "meta", left: tidy(left, inferred?.[0]), op: op as EmatchOp, right: tidy(right, inferred?.[1]) };
  },
};

/** nbyte: struct tcf_em_nbyte, then the needle (padded). */
const NBYTE: EmatchKindCodec = {
  id: TCF_EM_KIND.NBYTE,
  encode(x, path) {
    const m = x as NbyteEmatch;
    const needle = bytesOf(m.needle, `${path}.needle`, 1, 0xfff);
    const layer = layerOf(m.layer, `${path}.layer`);
    const off = need(intIn(m.offset, 0, 0xffff, `${path}.offset`), `${path}.offset`, "the offset");
    return [{ struct: TCF_EM_NBYTE_STRUCT, value: { off, lenLayer: needle.length | (layer << 12) } }, needle];
  },
  decode(b, v, off, len) {
    if (len < TCF_EM_NBYTE_STRUCT.size) return undefined;
    const s = TCF_EM_NBYTE_STRUCT.decode(b, v, off, len) as Record<string, number>;
    const n = s.lenLayer & 0xfff;
    if (len < TCF_EM_NBYTE_STRUCT.size + n || n === 0) return undefined;
    const at = off + TCF_EM_NBYTE_STRUCT.size;
    return {
      kind: "nbyte",
      needle: textOrBytes(b.subarray(at, at + n)),
      offset: s.off,
      layer: layerName(s.lenLayer >> 12) as EmatchLayer,
    };
  },
};

/** The kernel's limit on canid rules (EM_CAN_RULES_MAX). */
const CANID_RULES_MAX = 500;

/** canid: struct can_filter per rule; the frame-format flag is always part of the mask. */
const CANID: EmatchKindCodec = {
  id: TCF_EM_KIND.CANID,
  encode(x, path) {
    const m = x as CanidEmatch;
    const rules = m.rules;
    if (!Array.isArray(rules) || rules.length === 0 || rules.length > CANID_RULES_MAX) {
      throw new ValidationError(`${path}.rules`, rules, `expected 1..${CANID_RULES_MAX} rules`);
    }
    return rules.map((r: CanidRule, i) => {
      const p = `${path}.rules[${i}]`;
      if (r === null || typeof r !== "object") throw new ValidationError(p, r, "expected { format, id, mask? }");
      const eff = need(oneOf(r.format, ["sff", "eff"], `${p}.format`), `${p}.format`, "the frame format") === "eff";
      const max = eff ? CAN.EFF_MASK : CAN.SFF_MASK;
      const id = need(intIn(r.id, 0, max, `${p}.id`), `${p}.id`, "the identifier");
      const mask = intIn(r.mask, 0, max, `${p}.mask`) ?? max;
      return {
        struct: CAN_FILTER,
        value: { canId: (id | (eff ? CAN.EFF_FLAG : 0)) >>> 0, canMask: (mask | CAN.EFF_FLAG) >>> 0 },
      };
    });
  },
  decode(b, v, off, len) {
    const rules: CanidRule[] = [];
    for (let at = off; at + CAN_FILTER.size <= off + len; at += CAN_FILTER.size) {
      const f = CAN_FILTER.decode(b, v, at, CAN_FILTER.size) as { canId: number; canMask: number };
      const eff = (f.canId & CAN.EFF_FLAG) !== 0;
      const max = eff ? CAN.EFF_MASK : CAN.SFF_MASK;
      const rule: CanidRule = { format: eff ? "eff" : "sff", id: f.canId & max };
      if ((f.canMask & ~CAN.EFF_FLAG) >>> 0 !== max) rule.mask = (f.canMask & ~CAN.EFF_FLAG) >>> 0;
      rules.push(rule);
    }
    return rules.length === 0 ? undefined : { kind: "canid", rules };
  },
};

/** ipset: struct xt_set_info; bit N of flags set means dimension N looks up the source address. */
const IPSET: EmatchKindCodec = {
  id: TCF_EM_KIND.IPSET,
  encode(x, path) {
    const m = x as IpsetEmatch;
    if (typeof m.set === "string") {
      throw new ValidationError(`${path}.set`, m.set, "give the set's index (nlink does not look ipset names up)");
    }
    const index = need(intIn(m.set, 0, 0xfffe, `${path}.set`), `${path}.set`, "the set's index");
    const dirs = m.dirs;
    if (!Array.isArray(dirs) || dirs.length === 0 || dirs.length > IPSET_DIM.MAX) {
      throw new ValidationError(`${path}.dirs`, dirs, `expected 1..${IPSET_DIM.MAX} of src, dst`);
    }
    let flags = 0;
    dirs.forEach((d, i) => {
      if (oneOf(d, ["src", "dst"], `${path}.dirs[${i}]`) === "src") flags |= 1 << (i + 1);
    });
    return [{ struct: XT_SET_INFO, value: { index, dim: dirs.length, flags } }];
  },
  decode(b, v, off, len) {
    if (len !== XT_SET_INFO.size) return undefined;
    const s = XT_SET_INFO.decode(b, v, off, len) as Record<string, number>;
    const dirs: ("src" | "dst")[] = [];
    for (let i = 1; i <= s.dim; i++) dirs.push(s.flags & (1 << i) ? "src" : "dst");
    return { kind: "ipset", set: s.index, dirs };
  },
};

/** Netfilter hooks tc(8) picks for ipt: NF_INET_PRE_ROUTING under an ingress qdisc, else NF_INET_POST_ROUTING. */
const NF_INET = cTable("linux/netfilter.h", "NF_INET_", { PRE_ROUTING: 0, POST_ROUTING: 4 });
/** TC_H_MAJ(TC_H_INGRESS): the parent `ffff:` (an ingress qdisc). */
const INGRESS_PARENT = 0xffff0000;

/** ipt: TCA_EM_IPT_* attributes (hook, name, revision, family, data). */
const IPT: EmatchKindCodec = {
  id: TCF_EM_KIND.IPT,
  encode(x, path, env) {
    const m = x as IptEmatch;
    if (typeof m.match !== "string" || !/^[\w.-]{1,28}$/.test(m.match)) {
      throw new ValidationError(`${path}.match`, m.match, "expected an xtables match name of 1..28 characters");
    }
    if (!(m.data instanceof Uint8Array)) {
      throw new ValidationError(`${path}.data`, m.data, "expected the match's bytes");
    }
    const hook = intIn(m.hook, 0, 0xffffffff, `${path}.hook`) ??
      (env.parent === INGRESS_PARENT ? NF_INET.PRE_ROUTING : NF_INET.POST_ROUTING);
    return [{
      attrs: IPT_ATTRS,
      value: {
        hook,
        matchName: m.match,
        matchRevision: intIn(m.revision, 0, 255, `${path}.revision`) ?? 0,
        nfproto: NFPROTO.value(oneOf(m.nfproto, ["ipv4", "ipv6"], `${path}.nfproto`) ?? "ipv4"),
        matchData: m.data,
      },
    }];
  },
  decode(b, v, off, len) {
    const a = decodeAttrs(IPT_ATTRS, b, v, off, off + len);
    if (typeof a.matchName !== "string" || !(a.matchData instanceof Uint8Array)) return undefined;
    const fam = NFPROTO.name((a.nfproto as number) ?? 0);
    return {
      kind: "ipt",
      match: a.matchName,
      revision: (a.matchRevision as number) ?? 0,
      ...(typeof fam === "string" ? { nfproto: fam as "ipv4" | "ipv6" } : {}),
      ...(a.hook !== undefined ? { hook: a.hook as number } : {}),
      data: a.matchData,
    };
  },
};

/** The kinds nlink types, by the `kind` of a typed match. */
export const EMATCH_KINDS: Readonly<Record<string, EmatchKindCodec>> = {
  cmp: CMP,
  u32: U32,
  meta: META,
  nbyte: NBYTE,
  canid: CANID,
  ipset: IPSET,
  ipt: IPT,
};

/** The same, by TCF_EM_* number. */
export const EMATCH_KINDS_BY_ID: ReadonlyMap<number, EmatchKindCodec> = new Map(
  Object.values(EMATCH_KINDS).map((k) => [k.id, k]),
);
