/**
 * gate: time-based gating (IEEE 802.1Qci PSFP) — a cyclic schedule of open
 * and closed intervals; packets pass only while the gate is open
 * (`action gate base-time 0 sched-entry open 200ms -1 -1 sched-entry close 100ms`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { listOf } from "../../route/kinds/common.ts";
import { intIn, type Size } from "../common.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { parseSize, parseTime64 } from "../units.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";

const HEADER = "linux/tc_act/tc_gate.h";

/** The clocks a schedule may follow (CLOCK_*), by tc(8)'s names in lower case. */
export const GATE_CLOCK: EnumTable = cEnum("time.h", "CLOCK_", {
  REALTIME: 0,
  MONOTONIC: 1,
  BOOTTIME: 7,
  TAI: 11,
});

/** struct tc_gate: just tc_gen. */
const TC_GATE = cStruct(HEADER, "struct tc_gate", [...TC_GEN]);

/** TCA_GATE_ENTRY_*: one schedule entry. */
const ENTRY_ATTRS = attrSchema("TCA_GATE_ENTRY_", HEADER, {
  INDEX: { id: 1, type: "u32" },
  GATE: { id: 2, type: "flag" },
  INTERVAL: { id: 3, type: "u32" },
  IPV: { id: 4, type: "s32" },
  MAX_OCTETS: { id: 5, type: "s32" },
});

/** TCA_GATE_*. */
export const GATE_ATTRS: AttrSchema = attrSchema("TCA_GATE_", HEADER, {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "struct", struct: TC_GATE },
  PAD: { id: 3, type: "pad" },
  PRIORITY: { id: 4, type: "s32" },
  ENTRY_LIST: {
    id: 5,
    type: "custom",
    nestedFlag: true,
    codec: listOf("TCA_GATE_ONE_", HEADER, "ENTRY", { id: 1, type: "nested", schema: ENTRY_ATTRS, nestedFlag: true }),
  },
  BASE_TIME: { id: 6, type: "u64" },
  CYCLE_TIME: { id: 7, type: "u64" },
  CYCLE_TIME_EXT: { id: 8, type: "u64" },
  FLAGS: { id: 9, type: "u32" },
  CLOCKID: { id: 10, type: "s32", enum: GATE_CLOCK },
});

/** A nanosecond time: a number or bigint of nanoseconds, or tc(8) text (`"100ms"`, `"1.5s"`). */
export type Time64 = number | bigint | string;

/** One schedule entry (`sched-entry open|close INTERVAL [IPV MAXOCTETS]`). */
export interface GateEntry {
  /** Whether the gate is open during the interval. */
  gate: "open" | "close";
  /** How long (nanoseconds, or time text; 1 ns to 2^32-1 ns). */
  interval: Time64;
  /** Open entries: the internal priority packets get (`-1`, the default: unchanged). */
  ipv?: number;
  /** Open entries: the most bytes passed during the interval (`-1`, the default: no limit). */
  maxOctets?: number | Size;
}

/** A time gate (`action gate [priority P] [base-time T] [cycle-time T] [clockid C] sched-entry …`). */
export interface GateOptions {
  /** The kind. */
  kind: "gate";
  /** The priority of the gate's stream filter (`priority`; -1 or absent: none sent). */
  priority?: number;
  /** When the schedule starts (`base-time`, nanoseconds of `clockid`; 0: not sent). */
  baseTime?: Time64;
  /** The cycle's length (`cycle-time`; default: the entries' sum). */
  cycleTime?: Time64;
  /** The cycle extension (`cycle-time-ext`). */
  cycleTimeExt?: Time64;
  /** The clock of base-time (`clockid`): `tai`, `realtime`, `boottime`, `monotonic` (a `CLOCK_` prefix and any case accepted). */
  clockid?: string;
  /** Flags (`flags`; 0: not sent). */
  flags?: number;
  /** The schedule (at least one entry, unless `index` names an existing gate). */
  entries?: GateEntry[];
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** gate's decoded options. */
export interface GateData {
  /** Timestamps. */
  tm?: { install: bigint; lastuse: bigint; expires: bigint; firstuse: bigint };
  /** Parameters. */
  parms?: { index: number; capab: number; action: string | number; refcnt: number; bindcnt: number };
  /** Priority. */
  priority?: number;
  /** The schedule: `gate` is true while open; intervals in nanoseconds. */
  entryList?: { index?: number; gate?: boolean; interval?: number; ipv?: number; maxOctets?: number }[];
  /** Base time (ns). */
  baseTime?: bigint;
  /** Cycle time (ns). */
  cycleTime?: bigint;
  /** Cycle time extension (ns). */
  cycleTimeExt?: bigint;
  /** Flags. */
  flags?: number;
  /** Clock (`tai`, `realtime`, …). */
  clockid?: string | number;
}

/** A 64-bit time option, sent only when not zero (as iproute2 does). */
function time64(x: unknown, path: string): bigint | undefined {
  if (x === undefined) return undefined;
  const ns = parseTime64(x as Time64, path);
  return ns === 0n ? undefined : ns;
}

function clock(x: unknown): string | undefined {
  if (x === undefined) return undefined;
  const name = typeof x === "string" ? x.toLowerCase().replace(/^clock_/, "") : undefined;
  if (name === undefined || !["realtime", "tai", "boottime", "monotonic"].includes(name)) {
    throw new ValidationError("clockid", x, "expected tai, realtime, boottime or monotonic");
  }
  return name;
}

function entry(x: unknown, path: string): Record<string, unknown> {
  if (x === null || typeof x !== "object") throw new ValidationError(path, x, "expected { gate, interval }");
  const e = x as Record<string, unknown>;
  for (const k of Object.keys(e)) {
    if (!["gate", "interval", "ipv", "maxOctets"].includes(k) && e[k] !== undefined) {
      throw new ValidationError(`${path}.${k}`, e[k], "an entry takes gate, interval, ipv, maxOctets");
    }
  }
  if (e.gate !== "open" && e.gate !== "close") {
    throw new ValidationError(`${path}.gate`, e.gate, "expected open or close");
  }
  if (e.interval === undefined) throw new ValidationError(`${path}.interval`, e.interval, "required");
  const interval = parseTime64(e.interval as Time64, `${path}.interval`);
  if (interval < 1n || interval > 0xffffffffn) {
    throw new ValidationError(`${path}.interval`, e.interval, "expected 1 ns to 4294967295 ns");
  }
  const open = e.gate === "open";
  if (!open) {
    // tc(8) sends -1 (any) for closed entries whatever is given.
    if (e.ipv !== undefined) throw new ValidationError(`${path}.ipv`, e.ipv, "only open entries set a priority");
    if (e.maxOctets !== undefined) {
      throw new ValidationError(`${path}.maxOctets`, e.maxOctets, "only open entries limit octets");
    }
  }
  const maxOctets = e.maxOctets === undefined || e.maxOctets === -1
    ? -1
    : parseSize(e.maxOctets as Size, `${path}.maxOctets`);
  if (maxOctets > 0x7fffffff) throw new ValidationError(`${path}.maxOctets`, e.maxOctets, "at most 2^31-1 bytes");
  return {
    gate: open,
    interval: Number(interval),
    ipv: intIn(e.ipv, -1, 0x7fffffff, `${path}.ipv`) ?? -1,
    maxOctets,
  };
}

/** The gate codec. */
export const GATE: TcKindCodec = {
  options: GATE_ATTRS,
  keys: ["priority", "baseTime", "cycleTime", "cycleTimeExt", "clockid", "flags", "entries", "control"],
  encode(o) {
    const list = o.entries ?? [];
    if (!Array.isArray(list)) throw new ValidationError("entries", list, "expected a list of schedule entries");
    if (list.length === 0 && !o.index) {
      throw new ValidationError("entries", o.entries, "a gate needs at least one entry (or the index of one)");
    }
    const priority = intIn(o.priority, -1, 0x7fffffff, "priority");
    const flags = intIn(o.flags, 0, 0xffffffff, "flags");
    return {
      parms: tcGen(o, "pipe"),
      priority: priority === -1 ? undefined : priority,
      flags: flags || undefined,
      baseTime: time64(o.baseTime, "baseTime"),
      cycleTime: time64(o.cycleTime, "cycleTime"),
      cycleTimeExt: time64(o.cycleTimeExt, "cycleTimeExt"),
      clockid: clock(o.clockid),
      entryList: list.map((e, i) => entry(e, `entries[${i}]`)),
    };
  },
};
