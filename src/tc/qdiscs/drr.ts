/**
 * The round-robin class schedulers: drr (deficit round robin: each class
 * sends up to its quantum per round) and qfq (quick fair queueing: classes
 * share by weight, with a per-class maximum packet size). Their qdiscs take
 * no options; their classes do.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { intIn, optSize, type Size } from "../common.ts";
import type { TcKindCodec } from "../kind.ts";

/** TCA_DRR_*: a drr class's options. */
const DRR_ATTRS: AttrSchema = attrSchema("TCA_DRR_", "linux/pkt_sched.h", {
  QUANTUM: { id: 1, type: "u32" },
});

/** struct tc_drr_stats: a drr class's extended statistics. */
const TC_DRR_STATS: StructDef = cStruct("linux/pkt_sched.h", "struct tc_drr_stats", [
  { c: "deficit", type: "u32" },
]);

/** TCA_QFQ_*: a qfq class's options. */
const QFQ_ATTRS: AttrSchema = attrSchema("TCA_QFQ_", "linux/pkt_sched.h", {
  WEIGHT: { id: 1, type: "u32" },
  LMAX: { id: 2, type: "u32" },
});

/** struct tc_qfq_stats: a qfq class's extended statistics. */
const TC_QFQ_STATS: StructDef = cStruct("linux/pkt_sched.h", "struct tc_qfq_stats", [
  { c: "weight", type: "u32" },
  { c: "lmax", type: "u32" },
]);

/** QFQ_MAX_WEIGHT and QFQ_MIN_LMAX..QFQ_MAX_LMAX: what the kernel accepts (net/sched/sch_qfq.c). */
const QFQ_MAX_WEIGHT = 1 << 10, QFQ_MIN_LMAX = 512, QFQ_MAX_LMAX = 1 << 16;

/** The drr qdisc (`tc qdisc add … drr`): no options. */
export interface DrrQdiscOptions {
  /** The kind. */
  kind: "drr";
}

/** A drr class (`tc class add … drr quantum 1500`). */
export interface DrrClassOptions {
  /** The kind. */
  kind: "drr";
  /** Bytes the class may send per round (`quantum`, above 0; default: the device's MTU). */
  quantum?: Size;
}

/** A drr class's decoded options. */
export interface DrrClassData {
  /** Bytes per round. */
  quantum?: number;
}

/** A drr class's extended statistics. */
export interface DrrStats {
  /** Bytes the class may still send this round. */
  deficit: number;
}

/** The qfq qdisc (`tc qdisc add … qfq`): no options. */
export interface QfqQdiscOptions {
  /** The kind. */
  kind: "qfq";
}

/** A qfq class (`tc class add … qfq weight 10 maxpkt 2048`). */
export interface QfqClassOptions {
  /** The kind. */
  kind: "qfq";
  /** Its share, 1..1024 (`weight`; default 1). */
  weight?: number;
  /** Its largest packet, 512..65536 bytes (`maxpkt`; default: the device's MTU). */
  maxpkt?: number;
}

/** A qfq class's decoded options. */
export interface QfqClassData {
  /** Its share. */
  weight?: number;
  /** Its largest packet (`maxpkt`). */
  lmax?: number;
}

/** A qfq class's extended statistics. */
export interface QfqStats {
  /** Its share. */
  weight: number;
  /** Its largest packet. */
  lmax: number;
}

/** The drr and qfq qdiscs: tc sends no options. */
const NO_OPTIONS: TcKindCodec = { keys: [] };

/** drr's class codec: tc always sends the nest, empty without a quantum. */
const DRR_CLASS: TcKindCodec = {
  options: DRR_ATTRS,
  xstats: TC_DRR_STATS,
  keys: ["quantum"],
  encode(o) {
    const quantum = optSize(o.quantum, "quantum");
    if (quantum === 0) throw new ValidationError("quantum", o.quantum, "a drr quantum must be above 0");
    return quantum === undefined ? {} : { quantum };
  },
};

/** qfq's class codec: tc always sends the nest. */
const QFQ_CLASS: TcKindCodec = {
  options: QFQ_ATTRS,
  xstats: TC_QFQ_STATS,
  keys: ["weight", "maxpkt"],
  encode(o) {
    const out: Record<string, unknown> = {};
    const weight = intIn(o.weight, 1, QFQ_MAX_WEIGHT, "weight");
    const lmax = intIn(o.maxpkt, QFQ_MIN_LMAX, QFQ_MAX_LMAX, "maxpkt");
    if (weight !== undefined) out.weight = weight;
    if (lmax !== undefined) out.lmax = lmax;
    return out;
  },
};

/** The drr and qfq qdisc codecs. */
export const DRR_QDISCS: Readonly<Record<"drr" | "qfq", TcKindCodec>> = { drr: NO_OPTIONS, qfq: NO_OPTIONS };

/** The drr and qfq class codecs. */
export const DRR_CLASSES: Readonly<Record<"drr" | "qfq", TcKindCodec>> = { drr: DRR_CLASS, qfq: QFQ_CLASS };
