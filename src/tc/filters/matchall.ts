/**
 * The matchall filter: every packet matches (`tc filter add dev D ingress
 * matchall action mirred egress mirror dev p1`).
 *
 * @module
 */
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { type Action, type ActionOptions, ACTIONS, actionsValue } from "../action.ts";
import type { Handle } from "../handle.ts";
import type { TcKindCodec } from "../kind.ts";
import { anyOption, CLASSID, classidOf, CLS_FLAGS, clsFlags } from "./cls_common.ts";

/** struct tc_matchall_pcnt: how many packets the filter matched. */
const TC_MATCHALL_PCNT = cStruct("linux/pkt_cls.h", "struct tc_matchall_pcnt", [{ c: "rhit", type: "u64" }]);

/** TCA_MATCHALL_*: matchall filter options. */
export const MATCHALL_ATTRS: AttrSchema = attrSchema("TCA_MATCHALL_", "linux/pkt_cls.h", {
  CLASSID: { id: 1, type: "custom", codec: CLASSID },
  ACT: { id: 2, type: "custom", codec: ACTIONS },
  FLAGS: { id: 3, type: "u32", flags: CLS_FLAGS },
  PCNT: { id: 4, type: "struct", struct: TC_MATCHALL_PCNT },
  PAD: { id: 5, type: "pad" },
});

/** A filter every packet matches. */
export interface MatchallOptions {
  /** The kind. */
  kind: "matchall";
  /** The class packets go to (`classid`/`flowid`). */
  classid?: Handle;
  /** Actions on every packet (`action …`). */
  actions?: ActionOptions[];
  /** Not in hardware (`skip_hw`). */
  skipHw?: boolean;
  /** Only in hardware (`skip_sw`). */
  skipSw?: boolean;
}

/** matchall's decoded options. */
export interface MatchallData {
  /** The class (`"1:10"`). */
  classid?: string;
  /** Actions. */
  act?: Action[];
  /** `skip_hw`, `skip_sw`, `in_hw`, `not_in_hw`. */
  flags?: string[];
  /** Packets matched. */
  pcnt?: { rhit: bigint };
}

const MATCHALL_KEYS = ["classid", "actions", "skipHw", "skipSw"];

/** The matchall codec. */
export const MATCHALL: TcKindCodec = {
  options: MATCHALL_ATTRS,
  keys: MATCHALL_KEYS,
  encode(o, ctx) {
    if (!anyOption(o, MATCHALL_KEYS)) return undefined;
    const out: Record<string, unknown> = {};
    const classid = classidOf(o);
    if (classid !== undefined) out.classid = classid;
    if (o.actions !== undefined) out.act = actionsValue(o.actions, ctx, "actions");
    const flags = clsFlags(o);
    if (flags !== undefined) out.flags = flags;
    return out;
  },
};
