/**
 * The multiqueue schedulers' options as iproute2 6.1 prints them
 * (q_mqprio.c, q_taprio.c). This host's kernel lacks both: the unit tests
 * check them against the text read from iproute2's code, and the VM lane
 * against tc itself.
 *
 * @module
 */
import type { MqprioData, MqprioQoptData, TaprioData } from "@nlink/nlink/tc";
import { Kind, type Printer } from "../common/output.ts";
import type { KindPrintContext } from "./q_types.ts";
import { printRate } from "./tc_print.ts";

// ------------------------------------------------------------------ mqprio

function printMqprio(p: Printer, o: unknown, ctx: KindPrintContext): void {
  const d = o as MqprioData | undefined;
  if (!d || d.numTc === undefined) return;
  p.uint(Kind.Any, "tc", "tc %u ", d.numTc);
  p.openArray(Kind.Any, "map", "map ");
  for (const tc of d.prioTcMap) p.uint(Kind.Any, null, "%u ", tc);
  p.closeArray(Kind.Any, "");
  p.openArray(Kind.Any, "queues", "\n             queues:");
  for (let i = 0; i < d.numTc && i < d.offset.length; i++) {
    p.openArray(Kind.Json);
    p.uint(Kind.Any, null, "(%u:", d.offset[i]);
    p.uint(Kind.Any, null, "%u) ", d.offset[i] + d.count[i] - 1);
    p.closeArray(Kind.Json);
  }
  p.closeArray(Kind.Any, "");
  // tc reads the attributes only when some follow the struct
  const attrs = d.mode !== undefined || d.shaper !== undefined || d.minRate !== undefined ||
    d.maxRate !== undefined || d.tcEntries !== undefined;
  if (!attrs) return;
  if (d.mode === undefined) p.string(Kind.Any, "mode", "\n             mode:%s", "dcb");
  else if (d.mode === "channel") p.string(Kind.Any, "mode", "\n             mode:%s", "channel");
  if (d.shaper === undefined) p.string(Kind.Any, "shaper", "\n             shaper:%s", "dcb");
  else if (d.shaper === "bw_rlimit") p.string(Kind.Any, "shaper", "\n             shaper:%s", "bw_rlimit");
  for (const [key, rates] of [["min_rate", d.minRate], ["max_rate", d.maxRate]] as const) {
    if (rates === undefined) continue;
    p.openArray(Kind.Any, key, `\t${key}:`);
    for (let i = 0; i < d.numTc; i++) printRate(p, Kind.Any, null, "%s ", rates[i] ?? 0n, ctx.iec);
    p.closeArray(Kind.Any, "");
  }
}

// ------------------------------------------------------------------ taprio

/** taprio's clock names (without CLOCK_), as tc prints them. */
const CLOCKS = new Set(["REALTIME", "TAI", "BOOTTIME", "MONOTONIC"]);

/** TCA_TAPRIO_ATTR_FLAG_* by the library's names. */
const TAPRIO_FLAG_BITS: Record<string, number> = { txtime_assist: 1, full_offload: 2 };

function flagBits(flags: readonly (string | number)[]): number {
  let bits = 0;
  for (const f of flags) bits |= typeof f === "number" ? f : TAPRIO_FLAG_BITS[f] ?? 0;
  return bits >>> 0;
}

function printSchedule(p: Printer, d: TaprioData): void {
  p.uint(Kind.Any, "base_time", "\tbase-time %d", d.baseTime ?? 0n);
  p.uint(Kind.Any, "cycle_time", " cycle-time %d", d.cycleTime ?? 0n);
  p.uint(Kind.Any, "cycle_time_extension", " cycle-time-extension %d", d.cycleTimeExtension ?? 0n);
  if (d.schedule === undefined) return;
  p.openArray(Kind.Json, "schedule");
  p.nl();
  for (const e of d.schedule) {
    p.openObject();
    p.uint(Kind.Any, "index", "\tindex %u", e.index ?? 0);
    p.string(Kind.Any, "cmd", " cmd %s", e.cmd === undefined || e.cmd === "S" || e.cmd === 0 ? "S" : "Invalid");
    p.hex0x(Kind.Any, "gatemask", " gatemask %#x", e.gateMask ?? 0);
    p.uint(Kind.Any, "interval", " interval %u", e.interval ?? 0);
    p.closeObject();
    p.nl();
  }
  p.closeArray(Kind.Any, "");
}

function printTaprio(p: Printer, o: unknown): void {
  const d = o as TaprioData | undefined;
  const q: MqprioQoptData | undefined = d?.priomap;
  if (!d || !q) return;
  p.uint(Kind.Any, "tc", "tc %u ", q.numTc);
  p.openArray(Kind.Any, "map", "map");
  for (const tc of q.prioTcMap) p.uint(Kind.Any, null, " %u", tc);
  p.closeArray(Kind.Any, "");
  p.nl();
  p.openArray(Kind.Any, "queues", "queues");
  for (let i = 0; i < q.numTc && i < q.offset.length; i++) {
    p.openObject();
    p.uint(Kind.Any, "offset", " offset %u", q.offset[i]);
    p.uint(Kind.Any, "count", " count %u", q.count[i]);
    p.closeObject();
  }
  p.closeArray(Kind.Any, "");
  p.nl();
  const clock = typeof d.clockid === "string" && CLOCKS.has(d.clockid) ? d.clockid : "invalid";
  p.string(Kind.Any, "clockid", "clockid %s", clock);
  if (d.flags !== undefined) p.hex0x(Kind.Any, "flags", " flags %#x", flagBits(d.flags));
  if (d.txtimeDelay !== undefined) p.uint(Kind.Any, "txtime_delay", " txtime delay %d", d.txtimeDelay | 0);
  printSchedule(p, d);
  if (d.adminSched) {
    p.openObject();
    printSchedule(p, d.adminSched);
    p.closeObject();
  }
}

/** The multiqueue schedulers' printers (merged into the kind table). */
export const MQ_PRINT = {
  mqprio: { print: printMqprio },
  taprio: { print: printTaprio },
} as const;
