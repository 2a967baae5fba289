/**
 * The credit-based shaper (cbs, IEEE 802.1Qav): a queue sends while its
 * credit is positive; credit grows at `idleslope` while waiting and drains at
 * `sendslope` while sending, bounded by `hicredit` and `locredit`. Usually a
 * child of mqprio or taprio, optionally offloaded.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { intIn } from "../common.ts";
import type { TcKindCodec } from "../kind.ts";

/** struct tc_cbs_qopt: slopes in kilobits per second, credits in bytes. */
const TC_CBS_QOPT: StructDef = cStruct("linux/pkt_sched.h", "struct tc_cbs_qopt", [
  { c: "offload", type: "u8" },
  { type: "pad", size: 3 },
  { c: "hicredit", type: "s32" },
  { c: "locredit", type: "s32" },
  { c: "idleslope", type: "s32" },
  { c: "sendslope", type: "s32" },
]);

/** TCA_CBS_*: cbs's options. */
const CBS_ATTRS: AttrSchema = attrSchema("TCA_CBS_", "linux/pkt_sched.h", {
  PARMS: { id: 1, type: "struct", struct: TC_CBS_QOPT },
});

/** The cbs qdisc (`tc qdisc add … cbs idleslope 20000 sendslope -980000 hicredit 30 locredit -1470`). */
export interface CbsOptions {
  /** The kind. */
  kind: "cbs";
  /** Credit gained per second while waiting, kbit/s (`idleslope`). */
  idleslope?: number;
  /** Credit spent per second while sending, kbit/s, negative (`sendslope`). */
  sendslope?: number;
  /** The most credit, bytes (`hicredit`). */
  hicredit?: number;
  /** The least credit, bytes, negative (`locredit`). */
  locredit?: number;
  /** Offload to the device (`offload 1`). */
  offload?: boolean;
}

/** cbs's decoded options. */
export interface CbsData {
  /** The parameters. */
  parms?: { offload: number; hicredit: number; locredit: number; idleslope: number; sendslope: number };
}

const S32_MIN = -0x80000000, S32_MAX = 0x7fffffff;

/** cbs's codec: tc always sends the parameters (zero when not given). */
export const CBS: TcKindCodec = {
  options: CBS_ATTRS,
  keys: ["idleslope", "sendslope", "hicredit", "locredit", "offload"],
  encode(o) {
    if (o.offload !== undefined && typeof o.offload !== "boolean") {
      throw new ValidationError("offload", o.offload, "expected true or false");
    }
    return {
      parms: {
        offload: o.offload ? 1 : 0,
        hicredit: intIn(o.hicredit, S32_MIN, S32_MAX, "hicredit") ?? 0,
        locredit: intIn(o.locredit, S32_MIN, S32_MAX, "locredit") ?? 0,
        idleslope: intIn(o.idleslope, S32_MIN, S32_MAX, "idleslope") ?? 0,
        sendslope: intIn(o.sendslope, S32_MIN, S32_MAX, "sendslope") ?? 0,
      },
    };
  },
};
