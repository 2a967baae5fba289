/**
 * The multiqueue priority qdisc (mqprio): maps packet priorities to traffic
 * classes and each class to a range of the device's transmit queues, in
 * software (`hw 0`) or offloaded to the device (`hw 1`, with the channel
 * mode's shaper and the frame-preemption setting of each class). Needs a
 * device with several transmit queues. tc_mqprio_qopt also heads taprio's
 * options, so its layout and option handling live here.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { listOf } from "../../route/kinds/common.ts";
import { intIn, oneOf, type Rate } from "../common.ts";
import type { TcKindCodec, TcOptions } from "../kind.ts";
import { parseRate } from "../units.ts";
import { listOption, structThenAttrs } from "./sched_layout.ts";

/** TC_QOPT_MAX_QUEUE: traffic classes at most (and entries of the count and offset arrays). */
const MAX_TC = 16;

/** struct tc_mqprio_qopt: traffic classes, the priority → class map and each class's queues (also taprio's TCA_TAPRIO_ATTR_PRIOMAP). */
export const TC_MQPRIO_QOPT: StructDef = cStruct("linux/pkt_sched.h", "struct tc_mqprio_qopt", [
  { c: "num_tc", type: "u8" },
  { c: "prio_tc_map", type: "u8", count: 16 },
  { c: "hw", type: "u8" },
  { c: "count", type: "u16", count: 16 },
  { c: "offset", type: "u16", count: 16 },
]);

/** TC_MQPRIO_MODE_*: what the offload configures. */
const MQPRIO_MODE: EnumTable = cEnum("linux/pkt_sched.h", "TC_MQPRIO_MODE_", { DCB: 0, CHANNEL: 1 });

/** TC_MQPRIO_SHAPER_*: the offloaded shaper (tc(8) calls the rate shaper `bw_rlimit`). */
const MQPRIO_SHAPER: EnumTable = cEnum(
  "linux/pkt_sched.h",
  "TC_MQPRIO_SHAPER_",
  { DCB: 0, BW_RATE: 1 },
  (key) => key === "BW_RATE" ? "bw_rlimit" : key.toLowerCase(),
);

/**
 * TC_FP_*: a traffic class's frame preemption (Linux 6.4, newer than the
 * audited headers: not audited).
 */
export const TC_FP: EnumTable = cEnum("", "TC_FP_", { EXPRESS: 1, PREEMPTIBLE: 2 }, (k) => k[0]);

/** TCA_MQPRIO_TC_ENTRY_*: one traffic class's settings (Linux 6.4). */
const MQPRIO_TC_ENTRY: AttrSchema = attrSchema("TCA_MQPRIO_TC_ENTRY_", "linux/pkt_sched.h", {
  INDEX: { id: 1, type: "u32", since: "6.4" },
  FP: { id: 2, type: "u32", enum: TC_FP, since: "6.4" },
});

/** A nest of 16 u64 rates, each in an attribute of the nest's own type. */
function rates(key: "MIN_RATE64" | "MAX_RATE64", id: number): CustomCodec {
  return listOf("TCA_MQPRIO_", "linux/pkt_sched.h", key, { id, type: "u64" });
}

/** TCA_MQPRIO_*: the attributes after tc_mqprio_qopt. */
const MQPRIO_ATTRS: AttrSchema = attrSchema("TCA_MQPRIO_", "linux/pkt_sched.h", {
  MODE: { id: 1, type: "u16", enum: MQPRIO_MODE },
  SHAPER: { id: 2, type: "u16", enum: MQPRIO_SHAPER },
  MIN_RATE64: { id: 3, type: "custom", codec: rates("MIN_RATE64", 3), nestedFlag: true, name: "minRate" },
  MAX_RATE64: { id: 4, type: "custom", codec: rates("MAX_RATE64", 4), nestedFlag: true, name: "maxRate" },
  TC_ENTRY: {
    id: 5,
    type: "nested",
    schema: MQPRIO_TC_ENTRY,
    multi: true,
    nestedFlag: true,
    name: "tcEntries",
    since: "6.4",
  },
});

/** A traffic class's queues: `"count@offset"` as tc(8) writes it, or the two numbers. */
export type QueueRange = string | { count: number; offset: number };

/** A traffic class's frame preemption: `E` (express) or `P` (preemptible). */
export type FramePreemption = "E" | "P";

/** The mqprio qdisc (`tc qdisc add … mqprio num_tc 2 map 0 0 0 0 1 1 1 1 queues 2@0 2@2 hw 0`). */
export interface MqprioOptions {
  /** The kind. */
  kind: "mqprio";
  /** Traffic classes, 1..16 (`num_tc`, default 8). */
  numTc?: number;
  /**
   * Traffic class of each priority 0..15, each below `numTc` (`map`; those
   * not given are 0); default `0 1 2 3 4 5 6 7 0 1 1 1 3 3 3 3`.
   */
  map?: number[];
  /** Each class's transmit queues, `"count@offset"` (`queues`; at most `numTc`). */
  queues?: QueueRange[];
  /** Offload to the device (`hw`, default 1; a veth needs 0). */
  hw?: boolean | number;
  /** What the offload configures (`mode`, needs hw; default dcb). */
  mode?: "dcb" | "channel";
  /** The offloaded shaper (`shaper`, needs hw; `bw_rlimit` enables the rates). */
  shaper?: "dcb" | "bw_rlimit";
  /** Each class's minimum rate (`min_rate`, with shaper bw_rlimit). */
  minRate?: Rate[];
  /** Each class's maximum rate (`max_rate`, with shaper bw_rlimit). */
  maxRate?: Rate[];
  /** Each class's frame preemption (`fp E P …`, Linux 6.4+). */
  fp?: FramePreemption[];
}

/** tc_mqprio_qopt as decoded. */
export interface MqprioQoptData {
  /** Traffic classes. */
  numTc: number;
  /** Traffic class of each priority. */
  prioTcMap: number[];
  /** Offload mode (0: none). */
  hw: number;
  /** Queues of each class. */
  count: number[];
  /** First queue of each class. */
  offset: number[];
}

/** One traffic class's settings as decoded. */
export interface TcEntryData {
  /** The traffic class. */
  index?: number;
  /** taprio: the largest frame (0: no limit). */
  maxSdu?: number;
  /** `E` (express) or `P` (preemptible). */
  fp?: string | number;
}

/** mqprio's decoded options. */
export interface MqprioData extends MqprioQoptData {
  /** `dcb` or `channel`. */
  mode?: string | number;
  /** `dcb` or `bw_rlimit`. */
  shaper?: string | number;
  /** Minimum rates, bytes per second (16 entries). */
  minRate?: bigint[];
  /** Maximum rates, bytes per second (16 entries). */
  maxRate?: bigint[];
  /** Per-class settings. */
  tcEntries?: TcEntryData[];
}

/** tc(8)'s mqprio map. */
const DEFAULT_MAP: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 1, 1, 3, 3, 3, 3];

/** A `count@offset` option. */
function queueRange(value: unknown, field: string): { count: number; offset: number } {
  if (typeof value === "string") {
    const m = /^(\d+)@(\d+)$/.exec(value);
    if (m) {
      return { count: intIn(Number(m[1]), 0, 0xffff, field)!, offset: intIn(Number(m[2]), 0, 0xffff, field)! };
    }
  } else if (value !== null && typeof value === "object") {
    const q = value as Record<string, unknown>;
    return {
      count: intIn(q.count, 0, 0xffff, `${field}.count`)!,
      offset: intIn(q.offset, 0, 0xffff, `${field}.offset`)!,
    };
  }
  throw new ValidationError(field, value, 'expected "count@offset" or { count, offset }');
}

/**
 * tc_mqprio_qopt from mqprio's or taprio's options: `numTc`, `map` and
 * `queues` checked as the kernel will (map entries below numTc, at most
 * numTc queue ranges); `defaults` are tc(8)'s mqprio defaults, else zeros.
 *
 * @example
 * ```ts ignore
 * qoptOf({ numTc: 2, map: [0, 1], queues: ["1@0", "1@1"] }, 2, false);
 * ```
 */
export function qoptOf(o: TcOptions, numTc: number, defaults: boolean): Record<string, unknown> {
  let map: number[];
  const given = listOption(o.map, 16, "map");
  if (given !== undefined) {
    map = given.map((tc, i) => intIn(tc, 0, numTc - 1, `map[${i}]`)!);
  } else {
    map = defaults ? [...DEFAULT_MAP] : [];
    if (map.some((tc) => tc >= numTc)) {
      throw new ValidationError("map", o.map, `the default map uses classes 0..7: give one for ${numTc} classes`);
    }
  }
  const queues = (listOption(o.queues, numTc, "queues") ?? []).map((q, i) => queueRange(q, `queues[${i}]`));
  return {
    numTc,
    prioTcMap: map,
    hw: 0,
    count: queues.map((q) => q.count),
    offset: queues.map((q) => q.offset),
  };
}

/**
 * A per-class frame-preemption option (`fp E P …`) as TC_FP_* values, at
 * most `max` of them (undefined passes through).
 *
 * @example
 * ```ts ignore
 * fpList(["E", "P"], 16); // [1, 2]
 * ```
 */
export function fpList(value: unknown, max: number): number[] | undefined {
  return listOption(value, max, "fp")?.map((x, i) => {
    if (x === "E" || x === "P") return TC_FP.value(x);
    throw new ValidationError(`fp[${i}]`, x, "expected E (express) or P (preemptible)");
  });
}

function rateList(value: unknown, numTc: number, field: string): bigint[] | undefined {
  const list = listOption(value, numTc, field);
  if (list === undefined) return undefined;
  const out = new Array<bigint>(MAX_TC).fill(0n);
  list.forEach((r, i) => out[i] = parseRate(r as Rate, `${field}[${i}]`));
  return out;
}

function hwOf(value: unknown): number {
  if (value === undefined || value === true) return 1;
  if (value === false) return 0;
  return intIn(value, 0, 0xff, "hw")!;
}

/** mqprio's codec. */
export const MQPRIO: TcKindCodec = {
  options: structThenAttrs(TC_MQPRIO_QOPT, MQPRIO_ATTRS),
  keys: ["numTc", "map", "queues", "hw", "mode", "shaper", "minRate", "maxRate", "fp"],
  encode(o) {
    const numTc = intIn(o.numTc, 1, MAX_TC, "numTc") ?? 8;
    const out = qoptOf(o, numTc, true);
    out.hw = hwOf(o.hw);
    const mode = oneOf(o.mode, ["dcb", "channel"], "mode");
    const shaper = oneOf(o.shaper, ["dcb", "bw_rlimit"], "shaper");
    if (out.hw === 0 && (mode ?? shaper) !== undefined) {
      throw new ValidationError(mode ? "mode" : "shaper", mode ?? shaper, "needs hw (offload)");
    }
    if (shaper !== "bw_rlimit" && (o.minRate ?? o.maxRate) !== undefined) {
      throw new ValidationError(o.minRate ? "minRate" : "maxRate", o.minRate ?? o.maxRate, "needs shaper bw_rlimit");
    }
    if (mode === "channel") out.mode = "channel";
    if (shaper === "bw_rlimit") out.shaper = "bw_rlimit";
    const fp = fpList(o.fp, numTc);
    if (fp) out.tcEntries = fp.map((v, index) => ({ index, fp: v }));
    const min = rateList(o.minRate, numTc, "minRate");
    const max = rateList(o.maxRate, numTc, "maxRate");
    if (min) out.minRate = min;
    if (max) out.maxRate = max;
    return out;
  },
};
