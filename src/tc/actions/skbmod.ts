/**
 * skbmod: rewrite a packet's Ethernet header — set the destination or
 * source MAC or the ethertype, swap the MACs — or mark ECN-capable packets
 * CE (`skbmod set dmac 02:00:00:00:00:01 etype 0x8100`, `skbmod swap mac`,
 * `skbmod ecn`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cFlags, type FlagTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn, put } from "../common.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";
import { macOption } from "./vlan.ts";

/** What skbmod changes (SKBMOD_F_*), in the flags of its parameters. */
export const SKBMOD_F: FlagTable = cFlags("linux/tc_act/tc_skbmod.h", "SKBMOD_F_", {
  DMAC: 0x1,
  SMAC: 0x2,
  ETYPE: 0x4,
  SWAPMAC: 0x8,
  ECN: 0x10,
});

/** struct tc_skbmod. */
const TC_SKBMOD = cStruct("linux/tc_act/tc_skbmod.h", "struct tc_skbmod", [
  ...TC_GEN,
  { c: "flags", type: "u64" },
]);

/** TCA_SKBMOD_*. */
export const SKBMOD_ATTRS: AttrSchema = attrSchema("TCA_SKBMOD_", "linux/tc_act/tc_skbmod.h", {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "struct", struct: TC_SKBMOD },
  DMAC: { id: 3, type: "lladdr" },
  SMAC: { id: 4, type: "lladdr" },
  ETYPE: { id: 5, type: "u16" },
  PAD: { id: 6, type: "pad" },
});

/** Rewrite the Ethernet header (`skbmod set dmac … smac … etype …`, `skbmod swap mac`, `skbmod ecn`). */
export interface SkbmodOptions {
  /** The kind. */
  kind: "skbmod";
  /** The destination MAC to set (`set dmac`). */
  dmac?: string;
  /** The source MAC to set (`set smac`). */
  smac?: string;
  /** The ethertype to set, 1..0xffff (`set etype`). */
  etype?: number;
  /** Swap the destination and source MACs (`swap mac`). */
  swapMac?: boolean;
  /** Mark ECN-capable IP packets CE (`ecn`). */
  ecn?: boolean;
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** skbmod's decoded options. */
export interface SkbmodData {
  /** Parameters: `flags` is SKBMOD_F_* (1 dmac, 2 smac, 4 etype, 8 swap mac, 16 ecn). */
  parms?: TcGenData & { flags: bigint };
  /** The destination MAC set. */
  dmac?: string;
  /** The source MAC set. */
  smac?: string;
  /** The ethertype set. */
  etype?: number;
  /** Timestamps. */
  tm?: TcfTData;
}

/** The skbmod codec. */
export const SKBMOD: TcKindCodec = {
  options: SKBMOD_ATTRS,
  keys: ["dmac", "smac", "etype", "swapMac", "ecn", "control"],
  encode(o) {
    for (const key of ["swapMac", "ecn"]) {
      if (o[key] !== undefined && typeof o[key] !== "boolean") {
        throw new ValidationError(key, o[key], "expected true or false");
      }
    }
    const dmac = macOption(o.dmac, "dmac");
    const smac = macOption(o.smac, "smac");
    const etype = intIn(o.etype, 1, 0xffff, "etype");
    let flags = 0;
    if (dmac !== undefined) flags |= SKBMOD_F.bit("dmac");
    if (smac !== undefined) flags |= SKBMOD_F.bit("smac");
    if (etype !== undefined) flags |= SKBMOD_F.bit("etype");
    if (o.swapMac) flags |= SKBMOD_F.bit("swapmac");
    if (o.ecn) flags |= SKBMOD_F.bit("ecn");
    // The kernel lets swap mac, then ecn, override everything else: refuse the mixes it would ignore.
    const alone = o.swapMac ? "swapMac" : o.ecn ? "ecn" : undefined;
    if (alone !== undefined && flags !== SKBMOD_F.bit(alone === "swapMac" ? "swapmac" : "ecn")) {
      throw new ValidationError(alone, o[alone], "takes no other change with it (the kernel would ignore them)");
    }
    if (!flags && o.index === undefined) {
      throw new ValidationError("kind", "skbmod", "skbmod needs something to change (or an index)");
    }
    const out: Record<string, unknown> = { parms: { ...tcGen(o, "pipe"), flags: BigInt(flags) } };
    put(out, "dmac", dmac);
    put(out, "etype", etype);
    put(out, "smac", smac);
    return out;
  },
};
