/**
 * The time-aware priority scheduler (taprio, IEEE 802.1Qbv): mqprio's
 * traffic classes plus a cyclic gate schedule — each entry opens a set of
 * classes' gates for an interval — starting at a base time on a clock.
 * Needs a device with several transmit queues.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum, cFlags, type EnumTable, type FlagTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { listOf } from "../../route/kinds/common.ts";
import { intIn } from "../common.ts";
import type { TcKindCodec, TcOptions } from "../kind.ts";
import {
  fpList,
  type FramePreemption,
  type MqprioQoptData,
  qoptOf,
  type QueueRange,
  TC_FP,
  TC_MQPRIO_QOPT,
  type TcEntryData,
} from "./mqprio.ts";
import { CLOCKID, type ClockId, clockId, listOption, s64 } from "./sched_layout.ts";

/** TC_TAPRIO_CMD_*: what an entry does with the gates, by tc(8)'s letters. */
const TAPRIO_CMD: EnumTable = cEnum(
  "linux/pkt_sched.h",
  "TC_TAPRIO_CMD_",
  { SET_GATES: 0, SET_AND_HOLD: 1, SET_AND_RELEASE: 2 },
  (key) => ({ SET_GATES: "S", SET_AND_HOLD: "H", SET_AND_RELEASE: "R" })[key] ?? key,
);

/** TCA_TAPRIO_ATTR_FLAG_*: taprio's modes. */
const TAPRIO_FLAGS: FlagTable = cFlags("linux/pkt_sched.h", "TCA_TAPRIO_ATTR_FLAG_", {
  TXTIME_ASSIST: 1,
  FULL_OFFLOAD: 2,
});

/** TCA_TAPRIO_SCHED_ENTRY_*: one schedule entry. */
const SCHED_ENTRY: AttrSchema = attrSchema("TCA_TAPRIO_SCHED_ENTRY_", "linux/pkt_sched.h", {
  INDEX: { id: 1, type: "u32" },
  CMD: { id: 2, type: "u8", enum: TAPRIO_CMD },
  GATE_MASK: { id: 3, type: "u32" },
  INTERVAL: { id: 4, type: "u32" },
});

/** TCA_TAPRIO_TC_ENTRY_*: one traffic class's settings. */
const TC_ENTRY: AttrSchema = attrSchema("TCA_TAPRIO_TC_ENTRY_", "linux/pkt_sched.h", {
  INDEX: { id: 1, type: "u32" },
  MAX_SDU: { id: 2, type: "u32" },
  FP: { id: 3, type: "u32", enum: TC_FP, since: "6.4" },
});

/**
 * TCA_TAPRIO_*: taprio's options. The C names mix TCA_TAPRIO_ATTR_* and
 * TCA_TAPRIO_PAD, so the keys carry the ATTR_ part and the names drop it.
 */
const TAPRIO_ATTRS: AttrSchema = attrSchema("TCA_TAPRIO_", "linux/pkt_sched.h", {
  ATTR_PRIOMAP: { id: 1, type: "struct", struct: TC_MQPRIO_QOPT, name: "priomap" },
  ATTR_SCHED_ENTRY_LIST: {
    id: 2,
    type: "custom",
    codec: listOf("TCA_TAPRIO_SCHED_", "linux/pkt_sched.h", "ENTRY", { id: 1, type: "nested", schema: SCHED_ENTRY }),
    nestedFlag: true,
    name: "schedule",
  },
  ATTR_SCHED_BASE_TIME: { id: 3, type: "s64", name: "baseTime" },
  ATTR_SCHED_SINGLE_ENTRY: { id: 4, type: "nested", schema: SCHED_ENTRY, name: "singleEntry" },
  ATTR_SCHED_CLOCKID: { id: 5, type: "s32", enum: CLOCKID, name: "clockid" },
  PAD: { id: 6, type: "pad" },
  ATTR_ADMIN_SCHED: { id: 7, type: "nested", schema: () => TAPRIO_ATTRS, name: "adminSched" },
  ATTR_SCHED_CYCLE_TIME: { id: 8, type: "s64", name: "cycleTime" },
  ATTR_SCHED_CYCLE_TIME_EXTENSION: { id: 9, type: "s64", name: "cycleTimeExtension" },
  ATTR_FLAGS: { id: 10, type: "u32", flags: TAPRIO_FLAGS, name: "flags" },
  ATTR_TXTIME_DELAY: { id: 11, type: "u32", name: "txtimeDelay" },
  ATTR_TC_ENTRY: { id: 12, type: "nested", schema: TC_ENTRY, multi: true, nestedFlag: true, name: "tcEntries" },
});

/**
 * One schedule entry (`sched-entry S 01 300000`): the command (`S` set the
 * gates, `H` set and hold, `R` set and release; default `S`), the gates open
 * as a mask of traffic classes, and how long in nanoseconds. tc(8)'s text
 * form is accepted too (`"S 01 300000"`, the mask in hexadecimal).
 */
export type TaprioEntry = string | {
  /** The command (default `S`). */
  cmd?: "S" | "H" | "R";
  /** Open gates: bit N is traffic class N. */
  gateMask: number;
  /** How long, nanoseconds. */
  interval: number;
};

/** The taprio qdisc (`tc qdisc add … taprio num_tc 3 map … queues … base-time … sched-entry S 01 300000 … clockid CLOCK_TAI`). */
export interface TaprioOptions {
  /** The kind. */
  kind: "taprio";
  /** Traffic classes, 1..16 (`num_tc`; needed to send `map` and `queues`). */
  numTc?: number;
  /** Traffic class of each priority 0..15, each below `numTc` (`map`; those not given are 0). */
  map?: number[];
  /** Each class's transmit queues, `"count@offset"` (`queues`). */
  queues?: QueueRange[];
  /** The gate schedule (`sched-entry`, repeated). */
  schedule?: TaprioEntry[];
  /** When the schedule starts, nanoseconds on the clock (`base-time`). */
  baseTime?: bigint | number;
  /** The cycle's length, nanoseconds (`cycle-time`; default: the entries' sum). */
  cycleTime?: bigint | number;
  /** How long a cycle may stretch when a new schedule takes over, nanoseconds (`cycle-time-extension`). */
  cycleTimeExtension?: bigint | number;
  /**
   * The clock (`clockid`, e.g. `"CLOCK_TAI"`): required unless fully
   * offloaded — on creation, and by the kernel on every change too (the same
   * clock: it cannot change). nlink checks it on add and replace only (a
   * change cannot tell whether the running qdisc is offloaded).
   */
  clockid?: ClockId;
  /** Modes (`flags`): a mask, or `["txtime_assist"]` / `["full_offload"]`. */
  flags?: number | ("txtime_assist" | "full_offload")[];
  /** txtime-assist mode: nanoseconds a packet is sent ahead of its slot (`txtime-delay`). */
  txtimeDelay?: number;
  /** Each class's largest frame in bytes, 0 for no limit (`max-sdu`, Linux 6.1+). */
  maxSdu?: number[];
  /** Each class's frame preemption (`fp E P …`, Linux 6.4+). */
  fp?: FramePreemption[];
}

/** A schedule entry as decoded. */
export interface TaprioEntryData {
  /** Its position. */
  index?: number;
  /** `S`, `H` or `R`. */
  cmd?: string | number;
  /** Open gates. */
  gateMask?: number;
  /** Nanoseconds. */
  interval?: number;
}

/** taprio's decoded options (the schedule in operation; the one waiting to start in `adminSched`). */
export interface TaprioData {
  /** Traffic classes and queues. */
  priomap?: MqprioQoptData;
  /** The schedule's entries. */
  schedule?: TaprioEntryData[];
  /** When it starts, nanoseconds. */
  baseTime?: bigint;
  /** The clock: `TAI`, `REALTIME`, `MONOTONIC`, `BOOTTIME`, or a number. */
  clockid?: string | number;
  /** The schedule waiting to take over. */
  adminSched?: TaprioData;
  /** The cycle, nanoseconds. */
  cycleTime?: bigint;
  /** The cycle's extension, nanoseconds. */
  cycleTimeExtension?: bigint;
  /** Modes (`txtime_assist`, `full_offload`). */
  flags?: string[];
  /** txtime-assist delay, nanoseconds. */
  txtimeDelay?: number;
  /** Per-class settings (max-sdu, fp). */
  tcEntries?: TcEntryData[];
}

/** A schedule entry as the nest carries it. */
function entryOf(value: unknown, field: string): Record<string, unknown> {
  let cmd: unknown = "S", mask: unknown, interval: unknown;
  if (typeof value === "string") {
    const m = /^\s*([SHR])\s+(?:0x)?([0-9a-f]{1,8})\s+(\d+)\s*$/i.exec(value);
    if (!m) throw new ValidationError(field, value, 'expected "S|H|R MASK INTERVAL", the mask in hexadecimal');
    [cmd, mask, interval] = [m[1].toUpperCase(), parseInt(m[2], 16), Number(m[3])];
  } else if (value !== null && typeof value === "object") {
    const e = value as Record<string, unknown>;
    [cmd, mask, interval] = [e.cmd ?? "S", e.gateMask, e.interval];
    for (const k of Object.keys(e)) {
      if (!["cmd", "gateMask", "interval"].includes(k)) {
        throw new ValidationError(`${field}.${k}`, e[k], "an entry has cmd, gateMask and interval");
      }
    }
  } else throw new ValidationError(field, value, "expected { cmd, gateMask, interval } or text");
  if (cmd !== "S" && cmd !== "H" && cmd !== "R") throw new ValidationError(`${field}.cmd`, cmd, "expected S, H or R");
  return {
    cmd,
    gateMask: intIn(mask, 0, 0xffffffff, `${field}.gateMask`),
    interval: intIn(interval, 0, 0xffffffff, `${field}.interval`),
  };
}

/** The per-class nests: one for each class up to the longer of the two lists. */
function tcEntries(o: TcOptions): Record<string, unknown>[] | undefined {
  const maxSdu = listOption(o.maxSdu, 16, "maxSdu")?.map((n, i) => intIn(n, 0, 0xffffffff, `maxSdu[${i}]`)!);
  const fp = fpList(o.fp, 16);
  if (maxSdu === undefined && fp === undefined) return undefined;
  const n = Math.max(maxSdu?.length ?? 0, fp?.length ?? 0);
  return Array.from({ length: n }, (_, index) => {
    const e: Record<string, unknown> = { index };
    if (maxSdu && index < maxSdu.length) e.maxSdu = maxSdu[index];
    if (fp && index < fp.length) e.fp = fp[index];
    return e;
  });
}

/** A nonzero time option (tc sends none for 0). */
function nonZero(value: bigint | undefined): bigint | undefined {
  return value === 0n ? undefined : value;
}

/** taprio's codec: attributes in iproute2's order; the schedule nest is always sent, even empty. */
export const TAPRIO: TcKindCodec = {
  options: TAPRIO_ATTRS,
  keys: [
    "numTc",
    "map",
    "queues",
    "schedule",
    "baseTime",
    "cycleTime",
    "cycleTimeExtension",
    "clockid",
    "flags",
    "txtimeDelay",
    "maxSdu",
    "fp",
  ],
  encode(o) {
    const numTc = intIn(o.numTc, 1, 16, "numTc");
    if (numTc === undefined && (o.map ?? o.queues) !== undefined) {
      throw new ValidationError(o.map ? "map" : "queues", o.map ?? o.queues, "needs numTc");
    }
    const flags = o.flags === undefined ? 0 : TAPRIO_FLAGS.encode(o.flags as string[] | number, "flags");
    // Without a clockid (and not fully offloaded) the kernel refuses a new taprio, as tc leaves it to.
    const clockid = clockId(o.clockid, "clockid");
    const out: Record<string, unknown> = {};
    if (clockid !== undefined) out.clockid = clockid;
    if (flags) out.flags = flags;
    if (numTc !== undefined) out.priomap = qoptOf(o, numTc, false);
    const delay = intIn(o.txtimeDelay, 0, 0xffffffff, "txtimeDelay");
    if (delay) out.txtimeDelay = delay;
    out.baseTime = nonZero(s64(o.baseTime, "baseTime"));
    out.cycleTime = nonZero(s64(o.cycleTime, "cycleTime"));
    out.cycleTimeExtension = nonZero(s64(o.cycleTimeExtension, "cycleTimeExtension"));
    out.tcEntries = tcEntries(o);
    out.schedule = (listOption(o.schedule, 0xffff, "schedule") ?? []).map((e, i) => entryOf(e, `schedule[${i}]`));
    return out;
  },
};
