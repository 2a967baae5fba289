/**
 * The fw filter: classifies by the packet's firewall mark, the filter's
 * handle (`tc filter add … handle 5 fw classid 1:10`, `handle 0x10/0xff fw`
 * to compare only the masked bits).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { type Action, type ActionOptions, ACTIONS, actionsValue } from "../action.ts";
import type { Handle } from "../handle.ts";
import type { TcKindCodec } from "../kind.ts";
import { anyOption, CLASSID, classidOf, type FilterPoliceOptions, indevOf, policeOf } from "./cls_common.ts";
import { POLICE_ATTRS, type PoliceData } from "../actions/police.ts";

/** TCA_FW_*: fw filter options. */
export const FW_ATTRS: AttrSchema = attrSchema("TCA_FW_", "linux/pkt_cls.h", {
  CLASSID: { id: 1, type: "custom", codec: CLASSID },
  POLICE: { id: 2, type: "nested", schema: POLICE_ATTRS },
  INDEV: { id: 3, type: "string" },
  ACT: { id: 4, type: "custom", codec: ACTIONS },
  MASK: { id: 5, type: "u32" },
});

/**
 * A firewall-mark filter. Its `handle` is the mark, optionally with a mask
 * (`"0x10/0xff"`; default mask 0xffffffff).
 */
export interface FwOptions {
  /** The kind. */
  kind: "fw";
  /** An old-style policer (`police …` among the filter's words), sent in TCA_*_POLICE. */
  police?: FilterPoliceOptions;
  /** The class marked packets go to (`classid`/`flowid`). */
  classid?: Handle;
  /** Only packets that came in through this device (`indev`, a name). */
  indev?: string;
  /** Actions on matching packets (`action …`). */
  actions?: ActionOptions[];
}

/** fw's decoded options. */
export interface FwData {
  /** The class (`"1:10"`). */
  classid?: string;
  /** The old-style policer (`police …`). */
  police?: PoliceData;
  /** The input device's name. */
  indev?: string;
  /** Actions. */
  act?: Action[];
  /** The mask the mark is compared under. */
  mask?: number;
}

function u32Text(text: string, field: string, whole: unknown): number {
  const t = text.trim();
  const n = /^0[xX][0-9a-fA-F]+$/.test(t)
    ? parseInt(t, 16)
    : /^0[0-7]*$/.test(t)
    ? parseInt(t, 8)
    : /^[1-9][0-9]*$/.test(t)
    ? Number(t)
    : NaN;
  if (!(n >= 0 && n <= 0xffffffff)) {
    throw new ValidationError(field, whole, "expected MARK or MARK/MASK (32-bit numbers)");
  }
  return n;
}

/**
 * An fw handle: the mark and its mask (`"5"`, `"0x10/0xff"`, or the mark as a
 * number); the mask is undefined when not given.
 *
 * @example
 * ```ts
 * import { parseFwHandle } from "./fw.ts";
 * parseFwHandle("0x10/0xff", "handle"); // { mark: 16, mask: 255 }
 * ```
 */
export function parseFwHandle(value: unknown, field: string): { mark: number; mask?: number } {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return { mark: value };
    throw new ValidationError(field, value, "expected a 32-bit mark");
  }
  if (typeof value !== "string") throw new ValidationError(field, value, "expected MARK or MARK/MASK");
  const slash = value.indexOf("/");
  if (slash < 0) return { mark: u32Text(value, field, value) };
  return { mark: u32Text(value.slice(0, slash), field, value), mask: u32Text(value.slice(slash + 1), field, value) };
}

const FW_KEYS = ["police", "classid", "indev", "actions"];

/** The fw codec. */
export const FW: TcKindCodec = {
  options: FW_ATTRS,
  keys: FW_KEYS,
  encode(o, ctx) {
    // tc sends no options (and so drops a handle's mask) when the command has none.
    if (!anyOption(o, FW_KEYS)) return undefined;
    const out: Record<string, unknown> = {};
    const mask = o.handle === undefined ? undefined : parseFwHandle(o.handle, "handle").mask;
    if (mask !== undefined) out.mask = mask;
    const police = policeOf(o, ctx);
    if (police !== undefined) out.police = police;
    const classid = classidOf(o);
    if (classid !== undefined) out.classid = classid;
    const indev = indevOf(o);
    if (indev !== undefined) out.indev = indev;
    if (o.actions !== undefined) out.act = actionsValue(o.actions, ctx, "actions");
    return out;
  },
  parseHandle: (value, field) => parseFwHandle(value, field).mark,
};
