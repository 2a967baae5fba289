/**
 * ife: inter-FE encapsulation — carry packet metadata (skb mark, priority,
 * tcindex) to another box inside an ethernet frame of its own type
 * (`action ife encode allow mark dst 02:00:00:00:00:02`), and restore it there
 * (`action ife decode`).
 *
 * @module
 */
import { DecodeError, ValidationError } from "../../core/errors.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { parseMac } from "../../util/addr.ts";
import { intIn } from "../common.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";

const HEADER = "linux/tc_act/tc_ife.h";

/** The direction (`flags` of struct tc_ife): `encode` or `decode`. */
export const IFE_MODE: EnumTable = cEnum(HEADER, "IFE_", { ENCODE: 1, DECODE: 0 });

/** struct tc_ife. */
const TC_IFE = cStruct(HEADER, "struct tc_ife", [...TC_GEN, { c: "flags", type: "u16", enum: IFE_MODE }]);

/**
 * A metadatum of the list: empty when only allowed (its value comes from the
 * packet), or the static value used (`use mark 10`). Decodes to `true` or the number.
 */
function metadatum(size: 2 | 4): CustomCodec {
  return {
    decode(_b, v, off, len) {
      if (len === 0) return true;
      if (len < size) throw new DecodeError(`ife metadatum of ${len} bytes`, off);
      return size === 4 ? v.getUint32(off, true) : v.getUint16(off, true);
    },
    encode(w, x, path) {
      if (x === true) return;
      if (typeof x !== "number") throw new ValidationError(path, x, "expected true (allowed) or a value");
      if (size === 4) w.u32(intIn(x, 0, 0xffffffff, path)!);
      else w.u16(intIn(x, 0, 0xffff, path)!);
    },
  };
}

/** IFE_META_*: the metadata encoded (the attribute types are the metadata ids). */
const META_ATTRS = attrSchema("IFE_META_", "linux/ife.h", {
  SKBMARK: { id: 1, type: "custom", codec: metadatum(4), name: "mark" },
  HASHID: { id: 2, type: "custom", codec: metadatum(4) },
  PRIO: { id: 3, type: "custom", codec: metadatum(4) },
  QMAP: { id: 4, type: "custom", codec: metadatum(2) },
  TCINDEX: { id: 5, type: "custom", codec: metadatum(2) },
});

/** TCA_IFE_*. */
export const IFE_ATTRS: AttrSchema = attrSchema("TCA_IFE_", HEADER, {
  PARMS: { id: 1, type: "struct", struct: TC_IFE },
  TM: { id: 2, type: "struct", struct: TCF_T },
  DMAC: { id: 3, type: "lladdr" },
  SMAC: { id: 4, type: "lladdr" },
  // Host order, as the kernel reads it.
  TYPE: { id: 5, type: "u16" },
  METALST: { id: 6, type: "nested", schema: META_ATTRS },
  PAD: { id: 7, type: "pad" },
});

/** The metadata ife carries. */
export type IfeMetadatum = "mark" | "prio" | "tcindex";

/** Inter-FE encapsulation (`action ife encode|decode …`). */
export interface IfeOptions {
  /** The kind. */
  kind: "ife";
  /** `encode` (send) or `decode` (receive). */
  mode: "encode" | "decode";
  /** Metadata to carry from each packet (`allow mark`, …; encode). */
  allow?: IfeMetadatum[];
  /** Metadata to carry with a fixed value (`use mark 10`; encode). A value of 0 is sent as `allow`, as tc(8) does. */
  use?: { mark?: number; prio?: number; tcindex?: number };
  /** Destination MAC of the outer frame (`dst`; encode). */
  dst?: string;
  /** Source MAC of the outer frame (`src`; encode). */
  src?: string;
  /** Ethertype of the outer frame (`type`; encode; default the kernel's 0xED3E). */
  type?: number;
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** ife's decoded options. */
export interface IfeData {
  /** Parameters: `flags` is `"encode"` or `"decode"`. */
  parms?: {
    index: number;
    capab: number;
    action: string | number;
    refcnt: number;
    bindcnt: number;
    flags: string | number;
  };
  /** Timestamps. */
  tm?: { install: bigint; lastuse: bigint; expires: bigint; firstuse: bigint };
  /** Outer destination MAC. */
  dmac?: string;
  /** Outer source MAC. */
  smac?: string;
  /** Outer ethertype. */
  type?: number;
  /** Metadata: `true` when allowed, the value when used. */
  metalst?: {
    mark?: number | true;
    hashid?: number | true;
    prio?: number | true;
    qmap?: number | true;
    tcindex?: number | true;
  };
}

const META: readonly IfeMetadatum[] = ["mark", "prio", "tcindex"];
const ENCODE_ONLY = ["allow", "use", "dst", "src", "type"];

/** The metadata list: allowed ones empty, used ones with their value (0 as allowed, as iproute2 sends it). */
function metalst(o: Record<string, unknown>): Record<string, unknown> {
  const allow = o.allow ?? [];
  if (!Array.isArray(allow)) throw new ValidationError("allow", allow, `expected a list of ${META.join(", ")}`);
  allow.forEach((m, i) => {
    if (!META.includes(m as IfeMetadatum)) {
      throw new ValidationError(`allow[${i}]`, m, `expected one of ${META.join(", ")}`);
    }
  });
  const use = (o.use ?? {}) as Record<string, unknown>;
  if (use === null || typeof use !== "object") {
    throw new ValidationError("use", use, "expected { mark, prio, tcindex }");
  }
  for (const k of Object.keys(use)) {
    if (!META.includes(k as IfeMetadatum) && use[k] !== undefined) {
      throw new ValidationError(`use.${k}`, use[k], `expected one of ${META.join(", ")}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const m of META) {
    const value = intIn(use[m], 0, m === "tcindex" ? 0xffff : 0xffffffff, `use.${m}`);
    if (value !== undefined && allow.includes(m)) {
      throw new ValidationError(`use.${m}`, value, `${m} is both allowed and used`);
    }
    if (value) out[m] = value;
    else if (value === 0 || allow.includes(m)) out[m] = true;
  }
  return out;
}

/** A MAC address option (undefined passes through). */
function mac(x: unknown, path: string): string | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== "string" || parseMac(x)?.length !== 6) throw new ValidationError(path, x, "expected a MAC address");
  return x;
}

/** The ife codec. */
export const IFE: TcKindCodec = {
  options: IFE_ATTRS,
  keys: ["mode", ...ENCODE_ONLY, "control"],
  encode(o) {
    if (o.mode !== "encode" && o.mode !== "decode") {
      throw new ValidationError("mode", o.mode, "expected encode or decode");
    }
    const parms = { ...tcGen(o, "pipe"), flags: o.mode };
    if (o.mode === "decode") {
      const extra = ENCODE_ONLY.find((k) => o[k] !== undefined);
      if (extra !== undefined) throw new ValidationError(extra, o[extra], "only when encoding");
      return { parms };
    }
    return {
      parms,
      dmac: mac(o.dst, "dst"),
      type: intIn(o.type, 0, 0xffff, "type"),
      smac: mac(o.src, "src"),
      metalst: metalst(o),
    };
  },
};
