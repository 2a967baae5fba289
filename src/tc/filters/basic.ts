/**
 * The basic filter: matches by an ematch tree, or every packet when it has
 * none (`tc filter add … basic classid 1:10 action …`).
 *
 * Ematches are a typed tree (see ematch_types.ts; `parseEmatch` (ematch_parse.ts)
 * reads tc(8)'s `match` text into one), flattened as tc(8) flattens it.
 *
 * @module
 */
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { type Action, type ActionOptions, ACTIONS, actionsValue } from "../action.ts";
import type { Handle } from "../handle.ts";
import type { TcKindCodec } from "../kind.ts";
import { anyOption, CLASSID, classidOf, type FilterPoliceOptions, policeOf } from "./cls_common.ts";
import { POLICE_ATTRS, type PoliceData } from "../actions/police.ts";
import { EMATCH_TREE, ematchValue } from "./ematch.ts";
import type { Ematch } from "./ematch_types.ts";

/** struct tc_basic_pcnt: packets looked at and matched. */
const TC_BASIC_PCNT = cStruct("linux/pkt_cls.h", "struct tc_basic_pcnt", [
  { c: "rcnt", type: "u64" },
  { c: "rhit", type: "u64" },
]);

/** TCA_BASIC_*: basic filter options. */
export const BASIC_ATTRS: AttrSchema = attrSchema("TCA_BASIC_", "linux/pkt_cls.h", {
  CLASSID: { id: 1, type: "custom", codec: CLASSID },
  EMATCHES: { id: 2, type: "custom", codec: EMATCH_TREE },
  ACT: { id: 3, type: "custom", codec: ACTIONS },
  POLICE: { id: 4, type: "nested", schema: POLICE_ATTRS },
  PCNT: { id: 5, type: "struct", struct: TC_BASIC_PCNT },
  PAD: { id: 6, type: "pad" },
});

/**
 * A basic filter.
 *
 * @example
 * ```ts
 * import type { BasicOptions } from "./basic.ts";
 * const f: BasicOptions = {
 *   kind: "basic",
 *   ematches: { kind: "meta", left: { id: "priority" }, op: "eq", right: 1 },
 *   classid: "1:10",
 * };
 * ```
 */
export interface BasicOptions {
  /** The kind. */
  kind: "basic";
  /** An old-style policer (`police …` among the filter's words), sent in TCA_*_POLICE. */
  police?: FilterPoliceOptions;
  /**
   * The ematch tree (`match …`): typed, or (an escape hatch) the raw value
   * of TCA_BASIC_EMATCHES (TCA_EMATCH_TREE_HDR and TCA_EMATCH_TREE_LIST).
   */
  ematches?: Ematch | Uint8Array;
  /** The class matching packets go to (`classid`/`flowid`). */
  classid?: Handle;
  /** Actions on matching packets (`action …`). */
  actions?: ActionOptions[];
}

/** basic's decoded options. */
export interface BasicData {
  /** The class (`"1:10"`). */
  classid?: string;
  /** The ematch tree (its bytes only when they do not form one). */
  ematches?: Ematch | Uint8Array;
  /** Actions. */
  act?: Action[];
  /** The old-style policer (`police …`). */
  police?: PoliceData;
  /** Packets looked at and matched. */
  pcnt?: { rcnt: bigint; rhit: bigint };
}

const BASIC_KEYS = ["ematches", "police", "classid", "actions"];

/** The basic codec. */
export const BASIC: TcKindCodec = {
  options: BASIC_ATTRS,
  keys: BASIC_KEYS,
  encode(o, ctx) {
    // tc sends no options when the command has none.
    if (!anyOption(o, BASIC_KEYS)) return undefined;
    // In tc's argument order: nlink writes the ematches, the class, then the actions.
    const out: Record<string, unknown> = {};
    const ematches = ematchValue(o.ematches, "ematches", o);
    if (ematches !== undefined) out.ematches = ematches;
    const police = policeOf(o, ctx);
    if (police !== undefined) out.police = police;
    const classid = classidOf(o);
    if (classid !== undefined) out.classid = classid;
    if (o.actions !== undefined) out.act = actionsValue(o.actions, ctx, "actions");
    return out;
  },
};
