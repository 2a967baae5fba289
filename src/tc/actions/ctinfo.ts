/**
 * ctinfo: restore information stored in the conntrack mark — the DSCP
 * (under a mask, optionally only when state bits are set) and the packet
 * mark (`ctinfo dscp 0xfc000000 0x01000000 cpmark zone 2`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn, put } from "../common.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";

/** struct tc_ctinfo. */
const TC_CTINFO = cStruct("linux/tc_act/tc_ctinfo.h", "struct tc_ctinfo", [...TC_GEN]);

/** TCA_CTINFO_*. */
export const CTINFO_ATTRS: AttrSchema = attrSchema("TCA_CTINFO_", "linux/tc_act/tc_ctinfo.h", {
  PAD: { id: 1, type: "pad" },
  TM: { id: 2, type: "struct", struct: TCF_T },
  ACT: { id: 3, type: "struct", struct: TC_CTINFO, name: "parms" },
  ZONE: { id: 4, type: "u16" },
  PARMS_DSCP_MASK: { id: 5, type: "u32", name: "dscpMask" },
  PARMS_DSCP_STATEMASK: { id: 6, type: "u32", name: "dscpStatemask" },
  PARMS_CPMARK_MASK: { id: 7, type: "u32", name: "cpmarkMask" },
  STATS_DSCP_SET: { id: 8, type: "u64", name: "dscpSet" },
  STATS_DSCP_ERROR: { id: 9, type: "u64", name: "dscpError" },
  STATS_CPMARK_SET: { id: 10, type: "u64", name: "cpmarkSet" },
});

/** Restore the DSCP and mark kept in the conntrack mark (`ctinfo dscp MASK [STATEMASK] cpmark [MASK]`). */
export interface CtinfoOptions {
  /** The kind. */
  kind: "ctinfo";
  /** Where the DSCP is in the conntrack mark: 6 contiguous bits (`dscp MASK`). */
  dscpMask?: number;
  /** Restore the DSCP only when these conntrack mark bits are set (`dscp MASK STATEMASK`; not overlapping the mask). */
  dscpStatemask?: number;
  /** Copy the conntrack mark to the packet mark: `true` for all bits, or the mask (`cpmark [MASK]`). */
  cpmark?: boolean | number;
  /** The conntrack zone (`zone`, default 0). */
  zone?: number;
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** ctinfo's decoded options and counters. */
export interface CtinfoData {
  /** Parameters. */
  parms?: TcGenData;
  /** The conntrack zone. */
  zone?: number;
  /** The DSCP's bits in the conntrack mark. */
  dscpMask?: number;
  /** The state bits that allow restoring the DSCP. */
  dscpStatemask?: number;
  /** The bits of the conntrack mark copied to the packet mark. */
  cpmarkMask?: number;
  /** Packets whose DSCP was set. */
  dscpSet?: bigint;
  /** Packets whose DSCP could not be set. */
  dscpError?: bigint;
  /** Packets whose mark was set. */
  cpmarkSet?: bigint;
  /** Timestamps. */
  tm?: TcfTData;
}

/** The ctinfo codec. */
export const CTINFO: TcKindCodec = {
  options: CTINFO_ATTRS,
  keys: ["dscpMask", "dscpStatemask", "cpmark", "zone", "control"],
  encode(o) {
    const mask = intIn(o.dscpMask, 0, 0xffffffff, "dscpMask") ?? 0;
    const statemask = intIn(o.dscpStatemask, 0, 0xffffffff, "dscpStatemask") ?? 0;
    if (statemask && !mask) throw new ValidationError("dscpStatemask", o.dscpStatemask, "needs a dscpMask");
    if ((mask & statemask) !== 0) {
      throw new ValidationError("dscpStatemask", o.dscpStatemask, "must not overlap the dscpMask");
    }
    // The DSCP's six bits, contiguous: the mask shifted down to its lowest set bit is 0x3f.
    if (mask && mask >>> (31 - Math.clz32((mask & -mask) >>> 0)) !== 0x3f) {
      throw new ValidationError("dscpMask", o.dscpMask, "must be 6 contiguous bits");
    }
    const cpmark = o.cpmark === true ? 0xffffffff : o.cpmark === false ? 0 : intIn(o.cpmark, 0, 0xffffffff, "cpmark");
    const out: Record<string, unknown> = { parms: tcGen(o, "pipe"), zone: intIn(o.zone, 0, 0xffff, "zone") ?? 0 };
    if (mask) out.dscpMask = mask;
    if (statemask) out.dscpStatemask = statemask;
    put(out, "cpmarkMask", cpmark || undefined);
    return out;
  },
};
