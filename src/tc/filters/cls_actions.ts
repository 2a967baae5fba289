/**
 * The action-list attribute of the classic filters (TCA_*_ACT), as a codec
 * that looks up the action list only when used.
 *
 * @module
 */
import type { CustomCodec } from "../../core/schema.ts";
import { ACTIONS } from "../action.ts";

/**
 * A codec for a filter's action list that reads {@linkcode ACTIONS} only when
 * it runs. The action module imports the kind registry, which imports the
 * filter kinds, which declare their schemas with this codec while those
 * modules may still be loading: a function declaration is ready before its
 * module runs, where a constant is not.
 *
 * @example
 * ```ts
 * import { attrSchema } from "../../core/schema.ts";
 * import { actionListCodec } from "./cls_actions.ts";
 * const S = attrSchema("DEMO_", "", { ACT: { id: 1, type: "custom", codec: actionListCodec() } }, { audit: false });
 * ```
 */
export function actionListCodec(): CustomCodec {
  return {
    decode: (b, v, off, len, ctx) => ACTIONS.decode(b, v, off, len, ctx),
    encode: (w, x, path, ctx) => ACTIONS.encode(w, x, path, ctx),
  };
}
