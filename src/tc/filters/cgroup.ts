/**
 * The cgroup filter: classifies by the net_cls class id of the sending
 * socket's control group (`tc filter add … handle 1: cgroup`), optionally
 * only where an ematch tree matches, with actions.
 *
 * Ematches are a typed tree (see ematch_types.ts), flattened as tc(8)
 * flattens it.
 *
 * @module
 */
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { type Action, type ActionOptions, ACTIONS, actionsValue } from "../action.ts";
import type { TcKindCodec } from "../kind.ts";
import { EMATCH_TREE, ematchValue } from "./ematch.ts";
import type { Ematch } from "./ematch_types.ts";
import { POLICE_ATTRS, type PoliceData } from "../actions/police.ts";
import { type FilterPoliceOptions, policeOf } from "./cls_common.ts";

/** TCA_CGROUP_*: cgroup filter options. */
export const CGROUP_ATTRS: AttrSchema = attrSchema("TCA_CGROUP_", "linux/pkt_cls.h", {
  ACT: { id: 1, type: "custom", codec: ACTIONS },
  POLICE: { id: 2, type: "nested", schema: POLICE_ATTRS },
  EMATCHES: { id: 3, type: "custom", codec: EMATCH_TREE },
});

/**
 * A cgroup filter.
 *
 * @example
 * ```ts
 * import type { CgroupOptions } from "./cgroup.ts";
 * const f: CgroupOptions = { kind: "cgroup" };
 * ```
 */
export interface CgroupOptions {
  /** The kind. */
  kind: "cgroup";
  /**
   * The ematch tree (`match …`): typed, or (an escape hatch) the raw value
   * of TCA_CGROUP_EMATCHES (TCA_EMATCH_TREE_HDR and TCA_EMATCH_TREE_LIST).
   */
  ematches?: Ematch | Uint8Array;
  /** An old-style policer (`police …` among the filter's words), sent in TCA_*_POLICE. */
  police?: FilterPoliceOptions;
  /** Actions on matching packets (`action …`). */
  actions?: ActionOptions[];
}

/** cgroup's decoded options. */
export interface CgroupData {
  /** Actions. */
  act?: Action[];
  /** The old-style policer. */
  police?: PoliceData;
  /** The ematch tree (its bytes only when they do not form one). */
  ematches?: Ematch | Uint8Array;
}

/** The cgroup codec. */
export const CGROUP: TcKindCodec = {
  options: CGROUP_ATTRS,
  keys: ["ematches", "police", "actions"],
  encode(o, ctx) {
    // tc always sends TCA_OPTIONS for cgroup, empty when the command has no options.
    const out: Record<string, unknown> = {};
    const ematches = ematchValue(o.ematches, "ematches", o);
    if (ematches !== undefined) out.ematches = ematches;
    const police = policeOf(o, ctx);
    if (police !== undefined) out.police = police;
    if (o.actions !== undefined) out.act = actionsValue(o.actions, ctx, "actions");
    return out;
  },
};
