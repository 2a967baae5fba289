/**
 * The tcindex filter: classifies by the packet's tc_index (set by dsmark or
 * an ingress qdisc), `(tc_index & mask) >> shift` as the key
 * (`tc filter add … tcindex mask 0xfc shift 2 pass_on`). Linux removed it in
 * 6.3; older kernels still have it.
 *
 * @module
 */
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { type Action, type ActionOptions, ACTIONS, actionsValue } from "../action.ts";
import type { Handle } from "../handle.ts";
import type { TcKindCodec } from "../kind.ts";
import { intIn } from "../common.ts";
import { anyOption, CLASSID, classidOf, type FilterPoliceOptions, policeOf, U32_BOOL } from "./cls_common.ts";
import { POLICE_ATTRS, type PoliceData } from "../actions/police.ts";

/** TCA_TCINDEX_*: tcindex filter options. */
export const TCINDEX_ATTRS: AttrSchema = attrSchema("TCA_TCINDEX_", "linux/pkt_cls.h", {
  HASH: { id: 1, type: "u32" },
  MASK: { id: 2, type: "u16" },
  SHIFT: { id: 3, type: "u32" },
  FALL_THROUGH: { id: 4, type: "custom", codec: U32_BOOL },
  CLASSID: { id: 5, type: "custom", codec: CLASSID },
  POLICE: { id: 6, type: "nested", schema: POLICE_ATTRS },
  ACT: { id: 7, type: "custom", codec: ACTIONS },
});

/** A tc_index filter. The handle is the key value this entry matches. */
export interface TcindexOptions {
  /** The kind. */
  kind: "tcindex";
  /** The size of the lookup table (`hash`, 1..65536). */
  hash?: number;
  /** The bits of tc_index used (`mask`, 16 bits). */
  mask?: number;
  /** Right shift after masking (`shift`). */
  shift?: number;
  /** Whether an unmatched key falls through to the class it names (`fall_through`) or passes on (`pass_on`). */
  fallThrough?: boolean;
  /** An old-style policer (`police …` among the filter's words), sent in TCA_*_POLICE. */
  police?: FilterPoliceOptions;
  /** The class matching packets go to (`classid`). */
  classid?: Handle;
  /** Actions on matching packets (`action …`). */
  actions?: ActionOptions[];
}

/** tcindex's decoded options. */
export interface TcindexData {
  /** The lookup table's size. */
  hash?: number;
  /** The mask. */
  mask?: number;
  /** The shift. */
  shift?: number;
  /** fall_through (true) or pass_on (false). */
  fallThrough?: boolean;
  /** The class (`"1:10"`). */
  classid?: string;
  /** The old-style policer. */
  police?: PoliceData;
  /** Actions. */
  act?: Action[];
}

const TCINDEX_KEYS = ["hash", "mask", "shift", "fallThrough", "police", "classid", "actions"];

/** The tcindex codec. */
export const TCINDEX: TcKindCodec = {
  options: TCINDEX_ATTRS,
  keys: TCINDEX_KEYS,
  encode(o, ctx) {
    if (!anyOption(o, TCINDEX_KEYS)) return undefined;
    const out: Record<string, unknown> = {};
    const hash = intIn(o.hash, 1, 0x10000, "hash");
    if (hash !== undefined) out.hash = hash;
    const mask = intIn(o.mask, 0, 0xffff, "mask");
    if (mask !== undefined) out.mask = mask;
    const shift = intIn(o.shift, 0, 0xffffffff, "shift");
    if (shift !== undefined) out.shift = shift;
    if (o.fallThrough !== undefined) out.fallThrough = o.fallThrough;
    const police = policeOf(o, ctx);
    if (police !== undefined) out.police = police;
    const classid = classidOf(o);
    if (classid !== undefined) out.classid = classid;
    if (o.actions !== undefined) out.act = actionsValue(o.actions, ctx, "actions");
    return out;
  },
};
