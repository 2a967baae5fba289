/**
 * What every action kind shares: the tc_gen head of its parameter struct
 * (index, capabilities, verdict, reference counts), struct tcf_t (its
 * timestamps), and the options every action takes.
 *
 * @module
 */
import type { StructFieldSpec } from "../../core/struct.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { intIn } from "../common.ts";
import { VERDICT, type Verdict, verdictValue } from "../constants.ts";

/**
 * The fields of tc_gen, which opens every action's parameter struct: `index`,
 * `capab`, `action` (the verdict, decoded by name), `refcnt`, `bindcnt`.
 *
 * @example
 * ```ts ignore
 * const TC_MIRRED = cStruct("linux/tc_act/tc_mirred.h", "struct tc_mirred", [...TC_GEN, { c: "eaction", type: "s32" }]);
 * ```
 */
export const TC_GEN: readonly StructFieldSpec[] = [
  { c: "index", type: "u32" },
  { c: "capab", type: "u32" },
  { c: "action", type: "s32", enum: VERDICT },
  { c: "refcnt", type: "s32" },
  { c: "bindcnt", type: "s32" },
];

/** struct tcf_t: when an action was installed, last used, expires and first used (jiffies). */
export const TCF_T: StructDef = cStruct("linux/pkt_cls.h", "struct tcf_t", [
  { c: "install", type: "u64" },
  { c: "lastuse", type: "u64" },
  { c: "expires", type: "u64" },
  { c: "firstuse", type: "u64" },
]);

/** Options every action takes (besides its kind's). */
export interface ActionCommonOptions {
  /** The action's index: shares the action instance with that index (`index N`). */
  index?: number;
  /** Opaque bytes (up to 16) the kernel stores with the action (`cookie`). */
  cookie?: Uint8Array | string;
  /** Hardware statistics types allowed (`hw_stats`): `"immediate"`, `"delayed"`, `"any"`, `"disabled"`. */
  hwStats?: "immediate" | "delayed" | "any" | "disabled";
  /** Do not use per-CPU statistics (`no_percpu`). */
  noPercpu?: boolean;
  /** Do not offload the action (`skip_hw`). */
  skipHw?: boolean;
  /** Run the action in hardware only (`skip_sw`). */
  skipSw?: boolean;
}

/** The option names every action takes. */
export const ACTION_COMMON_KEYS: ReadonlySet<string> = new Set([
  "kind",
  "index",
  "cookie",
  "hwStats",
  "noPercpu",
  "skipHw",
  "skipSw",
]);

/**
 * The tc_gen part of a parameter struct: the index (0: a new one) and the
 * verdict (`control`, defaulting as the kind's tc(8) parser does).
 *
 * @example
 * ```ts
 * import { tcGen } from "./common.ts";
 * tcGen({ index: 5 }, "pipe"); // { index: 5, action: 3 }
 * ```
 */
export function tcGen(o: { index?: unknown; control?: unknown }, defaultControl: Verdict): Record<string, unknown> {
  return {
    index: intIn(o.index, 0, 0xffffffff, "index") ?? 0,
    action: verdictValue(o.control ?? defaultControl, "control"),
  };
}
