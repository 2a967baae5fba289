/**
 * What the classic filters share: the classifier flags (TCA_CLS_FLAGS_*:
 * `skip_hw`, `skip_sw`, …), class ids decoded as tc(8) prints them, an input
 * device given by name, and the rule that tc(8) sends no TCA_OPTIONS when a
 * filter is given no options at all.
 *
 * @module
 */
import { DecodeError, ValidationError } from "../../core/errors.ts";
import { cFlags, type FlagTable } from "../../core/enums.ts";
import type { CustomCodec } from "../../core/schema.ts";
import { formatHandle, parseClassId } from "../handle.ts";
import type { TcContext, TcOptions } from "../kind.ts";
import { POLICE, type PoliceOptions } from "../actions/police.ts";
import { checkKeys } from "../request.ts";

/** TCA_CLS_FLAGS_*: a filter's offload flags (`skip_hw`, `skip_sw`) and what the kernel reports (`in_hw`, …). */
export const CLS_FLAGS: FlagTable = cFlags("linux/pkt_cls.h", "TCA_CLS_FLAGS_", {
  SKIP_HW: 1,
  SKIP_SW: 2,
  IN_HW: 4,
  NOT_IN_HW: 8,
  VERBOSE: 16,
});

/**
 * The flags value of the `skipHw`/`skipSw` options (undefined when neither is
 * set); both at once is refused, as tc(8) refuses it.
 *
 * @example
 * ```ts
 * import { clsFlags } from "./cls_common.ts";
 * clsFlags({ skipSw: true }); // 2
 * ```
 */
export function clsFlags(o: TcOptions): number | undefined {
  const flags = (o.skipHw === true ? 1 : 0) | (o.skipSw === true ? 2 : 0);
  for (const name of ["skipHw", "skipSw"]) {
    if (o[name] !== undefined && typeof o[name] !== "boolean") {
      throw new ValidationError(name, o[name], "expected true or false");
    }
  }
  if (flags === 3) throw new ValidationError("skipSw", o.skipSw, "skipHw and skipSw exclude each other");
  return flags === 0 ? undefined : flags;
}

/**
 * A class id attribute (u32): encodes tc(8) text (`"1:10"`) or the number,
 * decodes as tc(8) prints it (`"1:10"`).
 *
 * @example
 * ```ts
 * import { attrSchema } from "../../core/schema.ts";
 * import { CLASSID } from "./cls_common.ts";
 * const S = attrSchema("DEMO_", "", { CLASSID: { id: 1, type: "custom", codec: CLASSID } }, { audit: false });
 * ```
 */
export const CLASSID: CustomCodec = {
  decode(_b, v, off, len) {
    if (len < 4) throw new DecodeError(`class id needs 4 bytes, got ${len}`, off);
    return formatHandle(v.getUint32(off, true));
  },
  encode(w, x, path) {
    w.u32(parseClassId(x as string | number, path));
  },
};

/**
 * The `classid` option (`flowid` in tc(8) is the same word), parsed; undefined passes through.
 *
 * @example
 * ```ts
 * import { classidOf } from "./cls_common.ts";
 * classidOf({ classid: "1:10" }); // 65552
 * ```
 */
export function classidOf(o: TcOptions): number | undefined {
  return o.classid === undefined ? undefined : parseClassId(o.classid as string | number, "classid");
}

/**
 * An input device option as tc(8) sends it: the name itself (the kernel
 * looks it up), so it must be a name, not an index.
 *
 * @example
 * ```ts
 * import { indevOf } from "./cls_common.ts";
 * indevOf({ indev: "p1" }); // "p1"
 * ```
 */
export function indevOf(o: TcOptions): string | undefined {
  const x = o.indev;
  if (x === undefined) return undefined;
  if (typeof x !== "string" || x === "" || x.length > 15 || /[\s/]/.test(x)) {
    throw new ValidationError("indev", x, "expected an interface name (the kernel matches it by name)");
  }
  return x;
}

/**
 * Whether any of a kind's options is given: tc(8) sends no TCA_OPTIONS for a
 * filter command that has none (`tc filter add … handle 1: u32`).
 *
 * @example
 * ```ts
 * import { anyOption } from "./cls_common.ts";
 * anyOption({ kind: "fw", dev: "p0" }, ["classid"]); // false
 * ```
 */
export function anyOption(o: TcOptions, keys: readonly string[]): boolean {
  return keys.some((k) => o[k] !== undefined);
}

/**
 * A u32 attribute holding 0 or 1, decoded as a boolean (tcindex's fall_through).
 *
 * @example
 * ```ts
 * import { attrSchema } from "../../core/schema.ts";
 * import { U32_BOOL } from "./cls_common.ts";
 * const S = attrSchema("DEMO_", "", { ON: { id: 1, type: "custom", codec: U32_BOOL } }, { audit: false });
 * ```
 */
export const U32_BOOL: CustomCodec = {
  decode(_b, v, off, len) {
    if (len < 4) throw new DecodeError(`u32 flag needs 4 bytes, got ${len}`, off);
    return v.getUint32(off, true) !== 0;
  },
  encode(w, x, path) {
    if (typeof x !== "boolean") throw new ValidationError(path, x, "expected true or false");
    w.u32(x ? 1 : 0);
  },
};

/**
 * A classic filter's old-style policer (`police …` among its words, as in
 * `u32 match … police rate 1mbit burst 10k drop flowid :1`): the police
 * action's settings, sent in the filter's own TCA_*_POLICE attribute as
 * police's TCA_ACT_OPTIONS would carry them.
 */
export type FilterPoliceOptions = Omit<PoliceOptions, "kind">;

/**
 * The TCA_*_POLICE value of `o.police`, or undefined without one.
 *
 * @example
 * ```ts ignore
 * policeOf({ police: { rate: "1mbit", burst: "10k", control: "drop" } }, ctx);
 * ```
 */
export function policeOf(o: TcOptions, ctx: TcContext): unknown {
  const p = o.police as FilterPoliceOptions | undefined;
  if (p === undefined) return undefined;
  if (p === null || typeof p !== "object") throw new ValidationError("police", p, "expected police settings");
  checkKeys(p, POLICE.keys, new Set(["index"]), "police");
  return POLICE.encode!({ ...p, kind: "police" }, ctx);
}
