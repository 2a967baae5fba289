/**
 * skbedit: set a packet's transmit queue (one, or a range chosen by the
 * packet's hash), priority, firewall mark (under a mask) or packet type, or
 * take its priority from the DS field (`skbedit queue_mapping 3 priority
 * 1:10 mark 0x10/0xff ptype host inheritdsfield`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum, cFlags, type EnumTable, type FlagTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn, oneOf, put } from "../common.ts";
import type { Verdict } from "../constants.ts";
import { type Handle, parseClassId } from "../handle.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";

/** Packet types (PACKET_*) skbedit sets: `host`, `broadcast`, `multicast`, `otherhost`. */
export const PACKET_TYPE: EnumTable = cEnum("linux/if_packet.h", "PACKET_", {
  HOST: 0,
  BROADCAST: 1,
  MULTICAST: 2,
  OTHERHOST: 3,
});

/** skbedit's flags (SKBEDIT_F_*): which fields it sets; TCA_SKBEDIT_FLAGS carries the last two. */
export const SKBEDIT_F: FlagTable = cFlags("linux/tc_act/tc_skbedit.h", "SKBEDIT_F_", {
  PRIORITY: 0x1,
  QUEUE_MAPPING: 0x2,
  MARK: 0x4,
  PTYPE: 0x8,
  MASK: 0x10,
  INHERITDSFIELD: 0x20,
  TXQ_SKBHASH: 0x40,
});

/** struct tc_skbedit. */
const TC_SKBEDIT = cStruct("linux/tc_act/tc_skbedit.h", "struct tc_skbedit", [...TC_GEN]);

/** TCA_SKBEDIT_*. */
export const SKBEDIT_ATTRS: AttrSchema = attrSchema("TCA_SKBEDIT_", "linux/tc_act/tc_skbedit.h", {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "struct", struct: TC_SKBEDIT },
  PRIORITY: { id: 3, type: "u32" },
  QUEUE_MAPPING: { id: 4, type: "u16" },
  MARK: { id: 5, type: "u32" },
  PAD: { id: 6, type: "pad" },
  PTYPE: { id: 7, type: "u16", enum: PACKET_TYPE },
  MASK: { id: 8, type: "u32" },
  FLAGS: { id: 9, type: "u64" },
  QUEUE_MAPPING_MAX: { id: 10, type: "u16" },
});

/** Set packet metadata (`skbedit queue_mapping 3 mark 0x10/0xff`). */
export interface SkbeditOptions {
  /** The kind. */
  kind: "skbedit";
  /**
   * The transmit queue (`queue_mapping`), or a range `{ from, to }` the
   * packet's hash picks one from (SKBEDIT_F_TXQ_SKBHASH; kernels 5.18+).
   */
  queueMapping?: number | { from: number; to: number };
  /** The priority, as a class id (`priority 1:10`) or its number. */
  priority?: Handle;
  /** The firewall mark (`mark`). */
  mark?: number;
  /** Only these bits of the mark are set (`mark MARK/MASK`; default all). */
  mask?: number;
  /** The packet type (`ptype`). */
  ptype?: "host" | "otherhost" | "broadcast" | "multicast";
  /** Take the priority from the DS field (`inheritdsfield`). */
  inheritDsfield?: boolean;
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** skbedit's decoded options. */
export interface SkbeditData {
  /** Parameters. */
  parms?: TcGenData;
  /** The priority (a class id's number). */
  priority?: number;
  /** The transmit queue (the first of the range with SKBEDIT_F_TXQ_SKBHASH). */
  queueMapping?: number;
  /** The last queue of the range. */
  queueMappingMax?: number;
  /** The mark. */
  mark?: number;
  /** The mark's mask. */
  mask?: number;
  /** The packet type (`"host"`, …). */
  ptype?: string | number;
  /** SKBEDIT_F_INHERITDSFIELD (0x20) and SKBEDIT_F_TXQ_SKBHASH (0x40). */
  flags?: bigint;
  /** Timestamps. */
  tm?: TcfTData;
}

function queueRange(value: unknown): { from: number; to?: number } | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return { from: intIn(value, 0, 0xffff, "queueMapping")! };
  const r = value as { from?: unknown; to?: unknown } | null;
  if (r === null || typeof r !== "object") {
    throw new ValidationError("queueMapping", value, "expected a queue number or { from, to }");
  }
  const from = intIn(r.from, 0, 0xffff, "queueMapping.from");
  const to = intIn(r.to, 0, 0xffff, "queueMapping.to");
  if (from === undefined || to === undefined || to < from) {
    throw new ValidationError("queueMapping", value, "a range needs from <= to, each 0..65535");
  }
  return { from, to };
}

/** The skbedit codec. */
export const SKBEDIT: TcKindCodec = {
  options: SKBEDIT_ATTRS,
  keys: ["queueMapping", "priority", "mark", "mask", "ptype", "inheritDsfield", "control"],
  encode(o) {
    if (o.mask !== undefined && o.mark === undefined) throw new ValidationError("mask", o.mask, "a mask needs a mark");
    const queue = queueRange(o.queueMapping);
    const ptype = oneOf(o.ptype, ["host", "otherhost", "broadcast", "multicast"], "ptype");
    if (o.inheritDsfield !== undefined && typeof o.inheritDsfield !== "boolean") {
      throw new ValidationError("inheritDsfield", o.inheritDsfield, "expected true or false");
    }
    let flags = 0;
    if (o.inheritDsfield) flags |= SKBEDIT_F.bit("inheritdsfield");
    if (queue?.to !== undefined) flags |= SKBEDIT_F.bit("txq_skbhash");
    const given = queue !== undefined || o.priority !== undefined || o.mark !== undefined || ptype !== undefined;
    if (!given && !flags && o.index === undefined) {
      throw new ValidationError("kind", "skbedit", "skbedit needs something to set (or an index)");
    }
    const out: Record<string, unknown> = { parms: tcGen(o, "pipe") };
    put(out, "queueMapping", queue?.from);
    put(out, "queueMappingMax", queue?.to);
    put(out, "priority", o.priority === undefined ? undefined : parseClassId(o.priority as Handle, "priority"));
    put(out, "mark", intIn(o.mark, 0, 0xffffffff, "mark"));
    put(out, "mask", intIn(o.mask, 0, 0xffffffff, "mask"));
    put(out, "ptype", ptype);
    if (flags) out.flags = BigInt(flags);
    return out;
  },
};
