/**
 * The cgroup filter: classifies by the net_cls class id of the sending
 * socket's control group (`tc filter add … handle 1: cgroup`), optionally
 * only where an ematch tree matches, with actions.
 *
 * Ematches are passed through as the bytes of the TCA_CGROUP_EMATCHES nest's
 * value: typed ematches are not done yet.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { type Action, type ActionOptions, ACTIONS, actionsValue } from "../action.ts";
import type { TcKindCodec } from "../kind.ts";

/** TCA_CGROUP_*: cgroup filter options. */
export const CGROUP_ATTRS: AttrSchema = attrSchema("TCA_CGROUP_", "linux/pkt_cls.h", {
  ACT: { id: 1, type: "custom", codec: ACTIONS },
  POLICE: { id: 2, type: "binary" },
  EMATCHES: { id: 3, type: "binary" },
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
   * An ematch tree (`match …`) as the raw value of TCA_CGROUP_EMATCHES
   * (TCA_EMATCH_TREE_HDR and TCA_EMATCH_TREE_LIST attributes): typed
   * ematches are not done yet.
   */
  ematches?: Uint8Array;
  /** Actions on matching packets (`action …`). */
  actions?: ActionOptions[];
}

/** cgroup's decoded options. */
export interface CgroupData {
  /** Actions. */
  act?: Action[];
  /** An old-style policer, as bytes. */
  police?: Uint8Array;
  /** The ematch tree, as bytes. */
  ematches?: Uint8Array;
}

/**
 * The `ematches` option checked: raw bytes of an ematch tree (a whole number
 * of 4-byte aligned attributes is up to the caller), undefined passes through.
 *
 * @example
 * ```ts
 * import { ematchBytes } from "./cgroup.ts";
 * ematchBytes(new Uint8Array(8), "ematches"); // the same bytes
 * ```
 */
export function ematchBytes(x: unknown, field: string): Uint8Array | undefined {
  if (x === undefined) return undefined;
  if (!(x instanceof Uint8Array) || x.length === 0) {
    throw new ValidationError(field, x, "expected the ematch tree's bytes (typed ematches are not done yet)");
  }
  return x;
}

/** The cgroup codec. */
export const CGROUP: TcKindCodec = {
  options: CGROUP_ATTRS,
  keys: ["ematches", "actions"],
  encode(o, ctx) {
    // tc always sends TCA_OPTIONS for cgroup, empty when the command has no options.
    const out: Record<string, unknown> = {};
    const ematches = ematchBytes(o.ematches, "ematches");
    if (ematches !== undefined) out.ematches = ematches;
    if (o.actions !== undefined) out.act = actionsValue(o.actions, ctx, "actions");
    return out;
  },
};
