/**
 * Value codecs the queue-management qdiscs share: on/off settings the kernel
 * keeps in a u32 (codel's `ecn`, fq's pacing, cake's `nat`, netem's `ecn`, …)
 * read back as booleans, and cake's `raw`, whose presence is its meaning.
 *
 * @module
 */
import { DecodeError, ValidationError } from "../../core/errors.ts";
import type { CustomCodec } from "../../core/schema.ts";
import { onOff } from "../common.ts";

/**
 * An on/off u32 (0 or 1) as a boolean; encodes `true`/`false` (or 1/0).
 *
 * @example
 * ```ts
 * import { attrSchema } from "../../core/schema.ts";
 * import { U32_BOOL } from "./aqm_common.ts";
 * const S = attrSchema("DEMO_", "", { ECN: { id: 4, type: "custom", codec: U32_BOOL } }, { audit: false });
 * ```
 */
export const U32_BOOL: CustomCodec = {
  decode(_b, v, off, len) {
    if (len < 4) throw new DecodeError(`on/off u32 of ${len} bytes`, off);
    return v.getUint32(off, true) !== 0;
  },
  encode(w, x, path) {
    const n = onOff(x, path);
    if (n === undefined) throw new ValidationError(path, x, "expected true or false");
    w.u32(n);
  },
};

/**
 * A u32 whose presence is the setting and whose value is ignored (cake's
 * TCA_CAKE_RAW: tc sends 0, the kernel checks only that it is there):
 * decodes as `true`, encodes `true` as a u32 0.
 *
 * @example
 * ```ts
 * import { attrSchema } from "../../core/schema.ts";
 * import { U32_PRESENT } from "./aqm_common.ts";
 * const S = attrSchema("DEMO_", "", { RAW: { id: 11, type: "custom", codec: U32_PRESENT } }, { audit: false });
 * ```
 */
export const U32_PRESENT: CustomCodec = {
  decode: () => true,
  encode(w, x, path) {
    if (x !== true) throw new ValidationError(path, x, "expected true (a setting that is on when present)");
    w.u32(0);
  },
};

/**
 * Checks a u32 option given as a number (undefined passes through).
 *
 * @example
 * ```ts
 * import { u32 } from "./aqm_common.ts";
 * u32(1024, "flows"); // 1024
 * ```
 */
export function u32(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new ValidationError(field, value, "expected an integer 0..4294967295");
  }
  return value;
}

/**
 * Checks a boolean option (undefined passes through).
 *
 * @example
 * ```ts
 * import { bool } from "./aqm_common.ts";
 * bool(true, "ecn"); // true
 * ```
 */
export function bool(value: unknown, field: string): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw new ValidationError(field, value, "expected true or false");
}
