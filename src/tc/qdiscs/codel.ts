/**
 * CoDel (`tc qdisc add … codel`) and its flow-queueing variant fq_codel:
 * their options, as tc(8) sends them, and their extended statistics.
 *
 * @module
 */
import { DecodeError, ValidationError } from "../../core/errors.ts";
import { cEnum } from "../../core/enums.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { intIn, put, type Size, type Time } from "../common.ts";
import type { TcKindCodec, TcOptions } from "../kind.ts";
import { parseSize, parseTime } from "../units.ts";
import { bool, u32, U32_BOOL } from "./aqm_common.ts";

/** tc's "not set" for ce_threshold and memory_limit (~0U). */
const UNSET = 0xffffffff;

/** A time option in microseconds, below the ~0 that means "not set" where `unset` says so. */
function micros(value: unknown, field: string, unset = false): number | undefined {
  if (value === undefined) return undefined;
  const us = parseTime(value as Time, field);
  if (unset && us === UNSET) throw new ValidationError(field, value, '4294967295 µs means "not set" to the kernel');
  return us;
}

// ------------------------------------------------------------------ codel

/** TCA_CODEL_*: codel's options (times in microseconds). */
export const CODEL_ATTRS: AttrSchema = attrSchema("TCA_CODEL_", "linux/pkt_sched.h", {
  TARGET: { id: 1, type: "u32" },
  LIMIT: { id: 2, type: "u32" },
  INTERVAL: { id: 3, type: "u32" },
  ECN: { id: 4, type: "custom", codec: U32_BOOL },
  CE_THRESHOLD: { id: 5, type: "u32" },
});

/** struct tc_codel_xstats: codel's extended statistics. */
const TC_CODEL_XSTATS: StructDef = cStruct("linux/pkt_sched.h", "struct tc_codel_xstats", [
  { c: "maxpacket", type: "u32" },
  { c: "count", type: "u32" },
  { c: "lastcount", type: "u32" },
  { c: "ldelay", type: "u32" },
  { c: "drop_next", type: "s32" },
  { c: "drop_overlimit", type: "u32" },
  { c: "ecn_mark", type: "u32" },
  { c: "dropping", type: "u32" },
  { c: "ce_mark", type: "u32" },
]);

/** Controlled Delay (`tc qdisc add … codel target 5ms interval 100ms ecn`). */
export interface CodelOptions {
  /** The kind. */
  kind: "codel";
  /** Packets the queue holds (`limit`; kernel default 1000). */
  limit?: number;
  /** The acceptable standing queue delay (`target`; kernel default 5 ms). */
  target?: Time;
  /** The window the target is checked over, about a worst-case RTT (`interval`; kernel default 100 ms). */
  interval?: Time;
  /** Mark ECN-capable packets instead of dropping them (`ecn`: true, `noecn`: false). */
  ecn?: boolean;
  /** Mark packets queued longer than this with CE, DCTCP-style (`ce_threshold`). */
  ceThreshold?: Time;
}

/** codel's decoded options (times in microseconds). */
export interface CodelData {
  /** Target delay (µs). */
  target?: number;
  /** Packets. */
  limit?: number;
  /** Interval (µs). */
  interval?: number;
  /** ECN marking. */
  ecn?: boolean;
  /** CE marking threshold (µs). */
  ceThreshold?: number;
}

/** codel's extended statistics (`tc -s qdisc show`). */
export interface CodelXstats {
  /** Largest packet seen. */
  maxpacket: number;
  /** Drops since entering the dropping state. */
  count: number;
  /** The count when the dropping state was last entered. */
  lastcount: number;
  /** Queue delay of the last dequeued packet (µs). */
  ldelay: number;
  /** Time to the next drop (µs, negative when overdue). */
  dropNext: number;
  /** Times the packet limit was hit. */
  dropOverlimit: number;
  /** Packets ECN-marked instead of dropped. */
  ecnMark: number;
  /** Whether in the dropping state (0/1). */
  dropping: number;
  /** Packets CE-marked for the threshold. */
  ceMark: number;
}

const CODEL: TcKindCodec = {
  options: CODEL_ATTRS,
  xstats: TC_CODEL_XSTATS,
  keys: ["limit", "target", "interval", "ecn", "ceThreshold"],
  encode(o: TcOptions) {
    // tc writes an empty nest when no option is given, and this order.
    const out: Record<string, unknown> = {};
    put(out, "limit", u32(o.limit, "limit"));
    put(out, "interval", micros(o.interval, "interval"));
    put(out, "target", micros(o.target, "target"));
    put(out, "ecn", bool(o.ecn, "ecn"));
    put(out, "ceThreshold", micros(o.ceThreshold, "ceThreshold", true));
    return out;
  },
};

// ------------------------------------------------------------------ fq_codel

/** FQ_CODEL_QUANTUM_MAX: the largest quantum the kernel takes. */
const FQ_CODEL_QUANTUM_MAX = 1 << 20;

/** TCA_FQ_CODEL_*: fq_codel's options (times in microseconds). */
export const FQ_CODEL_ATTRS: AttrSchema = attrSchema("TCA_FQ_CODEL_", "linux/pkt_sched.h", {
  TARGET: { id: 1, type: "u32" },
  LIMIT: { id: 2, type: "u32" },
  INTERVAL: { id: 3, type: "u32" },
  ECN: { id: 4, type: "custom", codec: U32_BOOL },
  FLOWS: { id: 5, type: "u32" },
  QUANTUM: { id: 6, type: "u32" },
  CE_THRESHOLD: { id: 7, type: "u32" },
  DROP_BATCH_SIZE: { id: 8, type: "u32" },
  MEMORY_LIMIT: { id: 9, type: "u32" },
  CE_THRESHOLD_SELECTOR: { id: 10, type: "u8" },
  CE_THRESHOLD_MASK: { id: 11, type: "u8" },
});

/** TCA_FQ_CODEL_XSTATS_*: which half of struct tc_fq_codel_xstats's union is filled. */
const FQ_CODEL_XSTATS_TYPE = cEnum("linux/pkt_sched.h", "TCA_FQ_CODEL_XSTATS_", { QDISC: 0, CLASS: 1 });

const TC_FQ_CODEL_QD_STATS = cStruct("linux/pkt_sched.h", "struct tc_fq_codel_qd_stats", [
  { c: "maxpacket", type: "u32" },
  { c: "drop_overlimit", type: "u32" },
  { c: "ecn_mark", type: "u32" },
  { c: "new_flow_count", type: "u32" },
  { c: "new_flows_len", type: "u32" },
  { c: "old_flows_len", type: "u32" },
  { c: "ce_mark", type: "u32" },
  { c: "memory_usage", type: "u32" },
  { c: "drop_overmemory", type: "u32" },
]);

const TC_FQ_CODEL_CL_STATS = cStruct("linux/pkt_sched.h", "struct tc_fq_codel_cl_stats", [
  { c: "deficit", type: "s32" },
  { c: "ldelay", type: "u32" },
  { c: "count", type: "u32" },
  { c: "lastcount", type: "u32" },
  { c: "dropping", type: "u32" },
  { c: "drop_next", type: "s32" },
]);

/**
 * struct tc_fq_codel_xstats, one layout per arm of its union (the qdisc's
 * statistics, or one flow's when dumped as a class): both start at offset 4,
 * and the class arm is padded to the union's size.
 */
const FQ_CODEL_XSTATS_ARMS: readonly StructDef[] = [
  cStruct("linux/pkt_sched.h", "struct tc_fq_codel_xstats", [
    { c: "type", type: "u32", enum: FQ_CODEL_XSTATS_TYPE },
    { c: "qdisc_stats", type: "struct", struct: TC_FQ_CODEL_QD_STATS },
  ]),
  cStruct("linux/pkt_sched.h", "struct tc_fq_codel_xstats", [
    { c: "type", type: "u32", enum: FQ_CODEL_XSTATS_TYPE },
    { c: "class_stats", type: "struct", struct: TC_FQ_CODEL_CL_STATS },
    { type: "pad", size: TC_FQ_CODEL_QD_STATS.size - TC_FQ_CODEL_CL_STATS.size },
  ]),
];

/** fq_codel's extended statistics: the `type` word picks the union's arm. */
const FQ_CODEL_XSTATS: CustomCodec = {
  decode(b, v, off, len) {
    if (len < 4) throw new DecodeError(`tc_fq_codel_xstats of ${len} bytes`, off);
    const arm = FQ_CODEL_XSTATS_ARMS[v.getUint32(off, true)];
    return arm ? arm.decode(b, v, off, len) : { type: v.getUint32(off, true), data: b.slice(off + 4, off + len) };
  },
  encode(w, x, path) {
    const type = (x as { type?: unknown } | null)?.type;
    const arm = FQ_CODEL_XSTATS_ARMS[type === "class" || type === 1 ? 1 : 0];
    arm.encode(w, x as Record<string, unknown>, path);
  },
};

/** Flow-queueing CoDel (`tc qdisc add … fq_codel limit 10240 flows 1024 ecn`). */
export interface FqCodelOptions {
  /** The kind. */
  kind: "fq_codel";
  /** Packets all queues hold together (`limit`; kernel default 10240). */
  limit?: number;
  /** Number of flow queues, 1..65536 (`flows`; only when creating; kernel default 1024). */
  flows?: number;
  /** Bytes dequeued from a flow per round (`quantum`, up to 2^20; kernel default the MTU). */
  quantum?: number;
  /** The acceptable standing queue delay (`target`; kernel default 5 ms). */
  target?: Time;
  /** The window the target is checked over (`interval`; kernel default 100 ms). */
  interval?: Time;
  /** Mark ECN-capable packets instead of dropping them (`ecn`/`noecn`; kernel default on). */
  ecn?: boolean;
  /** Mark packets queued longer than this with CE (`ce_threshold`). */
  ceThreshold?: Time;
  /**
   * Apply `ceThreshold` only to packets whose DS field, masked with `mask`,
   * equals `value` (`ce_threshold_selector VALUE/MASK`: an object, or tc's text).
   */
  ceThresholdSelector?: { value: number; mask: number } | string;
  /** Bytes of memory all queues may use (`memory_limit`; kernel default 32 MB). */
  memoryLimit?: Size;
  /** Packets dropped at once when over the limit (`drop_batch`; kernel default 64). */
  dropBatch?: number;
}

/** fq_codel's decoded options (times in microseconds). */
export interface FqCodelData {
  /** Target delay (µs). */
  target?: number;
  /** Packets. */
  limit?: number;
  /** Interval (µs). */
  interval?: number;
  /** ECN marking. */
  ecn?: boolean;
  /** Flow queues. */
  flows?: number;
  /** Bytes per round. */
  quantum?: number;
  /** CE marking threshold (µs). */
  ceThreshold?: number;
  /** Packets dropped at once. */
  dropBatchSize?: number;
  /** Bytes of memory. */
  memoryLimit?: number;
  /** DS field value the CE threshold applies to. */
  ceThresholdSelector?: number;
  /** DS field mask for the selector. */
  ceThresholdMask?: number;
}

/** fq_codel's extended statistics: the qdisc's (`type: "qdisc"`) or one flow's (`type: "class"`). */
export type FqCodelXstats =
  | {
    type: "qdisc";
    qdiscStats: {
      maxpacket: number;
      dropOverlimit: number;
      ecnMark: number;
      newFlowCount: number;
      newFlowsLen: number;
      oldFlowsLen: number;
      ceMark: number;
      memoryUsage: number;
      dropOvermemory: number;
    };
  }
  | {
    type: "class";
    classStats: {
      deficit: number;
      ldelay: number;
      count: number;
      lastcount: number;
      dropping: number;
      dropNext: number;
    };
  };

function selector(value: unknown): { value: number; mask: number } | undefined {
  if (value === undefined) return undefined;
  const field = "ceThresholdSelector";
  if (typeof value === "string") {
    const m = /^(0x[0-9a-f]+|\d+)\/(0x[0-9a-f]+|\d+)$/i.exec(value);
    if (!m) throw new ValidationError(field, value, 'expected "VALUE/MASK", e.g. "0x1/0x3"');
    return { value: intIn(Number(m[1]), 0, 255, field)!, mask: intIn(Number(m[2]), 0, 255, field)! };
  }
  if (value === null || typeof value !== "object") throw new ValidationError(field, value, "expected { value, mask }");
  const s = value as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (k !== "value" && k !== "mask") throw new ValidationError(`${field}.${k}`, s[k], "expected { value, mask }");
  }
  return { value: intIn(s.value, 0, 255, `${field}.value`)!, mask: intIn(s.mask, 0, 255, `${field}.mask`)! };
}

const FQ_CODEL: TcKindCodec = {
  options: FQ_CODEL_ATTRS,
  xstats: FQ_CODEL_XSTATS,
  keys: [
    "limit",
    "flows",
    "quantum",
    "target",
    "interval",
    "ecn",
    "ceThreshold",
    "ceThresholdSelector",
    "memoryLimit",
    "dropBatch",
  ],
  encode(o: TcOptions) {
    const out: Record<string, unknown> = {};
    put(out, "limit", u32(o.limit, "limit"));
    put(out, "flows", intIn(o.flows, 1, 65536, "flows"));
    put(out, "quantum", intIn(o.quantum, 0, FQ_CODEL_QUANTUM_MAX, "quantum"));
    put(out, "interval", micros(o.interval, "interval"));
    put(out, "target", micros(o.target, "target"));
    put(out, "ecn", bool(o.ecn, "ecn"));
    put(out, "ceThreshold", micros(o.ceThreshold, "ceThreshold", true));
    const sel = selector(o.ceThresholdSelector);
    if (sel) {
      if (o.ceThreshold === undefined) {
        throw new ValidationError("ceThresholdSelector", o.ceThresholdSelector, "a selector needs ceThreshold");
      }
      out.ceThresholdMask = sel.mask; // tc writes the mask first
      out.ceThresholdSelector = sel.value;
    }
    if (o.memoryLimit !== undefined) {
      const bytes = parseSize(o.memoryLimit as Size, "memoryLimit");
      if (bytes === UNSET) throw new ValidationError("memoryLimit", o.memoryLimit, '~0 means "not set" to tc');
      out.memoryLimit = bytes;
    }
    put(out, "dropBatchSize", intIn(o.dropBatch, 1, 0xffffffff, "dropBatch"));
    return out;
  },
};

/** The codecs of codel and fq_codel. */
export const CODEL_QDISCS = { codel: CODEL, fq_codel: FQ_CODEL } as const;

/** fq_codel's flows, dumped as classes (`tc -s class show dev D`): their statistics only. */
export const FQ_CODEL_CLASS: TcKindCodec = { xstats: FQ_CODEL_XSTATS, keys: [] };
