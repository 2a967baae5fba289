/**
 * Printers of the fair-queueing and RED-family kinds' options and extended
 * statistics, as iproute2 6.1 prints them (q_sfq.c, q_red.c, q_choke.c,
 * q_sfb.c: their print_opt and print_xstats). This host's kernel lacks
 * these kinds: the unit tests check them against the text read from
 * iproute2's code, and the VM lane against tc itself.
 *
 * @module
 */
import type {
  ChokeData,
  GredData,
  GredVqData,
  GredVqParmsData,
  RedData,
  SfbData,
  SfbXstats,
  SfqData,
} from "@nlink/nlink/tc";
import { Kind, type Printer } from "../common/output.ts";
import type { KindPrintContext } from "./q_types.ts";
import { printFloat, printRedFlags, printSize, sprintTime } from "./tc_print.ts";

/** SFB_MAX_PROB: sfb's probabilities are fractions of this. */
const SFB_MAX_PROB = 0xffff;

/** RED's `-d` tail: ewma, then probability (or Plog when `maxP` is undefined), then Scell_log. */
function printRedDetails(
  p: Printer,
  q: { wlog: number; plog: number; scellLog: number },
  maxP: number | undefined,
  tail: string,
): void {
  p.uint(Kind.Any, "ewma", "ewma %u ", q.wlog);
  if (maxP !== undefined) printFloat(p, Kind.Any, "probability", "probability %s ", maxP / 2 ** 32);
  else p.uint(Kind.Any, "Plog", "Plog %u ", q.plog);
  p.uint(Kind.Any, "Scell_log", `Scell_log %u${tail}`, q.scellLog);
}

// ------------------------------------------------------------------ sfq

function printSfq(p: Printer, o: unknown, ctx: KindPrintContext): void {
  const d = o as SfqData | undefined;
  const v0 = d?.v0;
  if (!d || !v0) return;
  p.uint(Kind.Any, "limit", "limit %up ", v0.limit);
  printSize(p, Kind.Any, "quantum", "quantum %s ", v0.quantum);
  if (d.depth) p.uint(Kind.Any, "depth", "depth %u ", d.depth);
  if (d.headdrop) p.bool(Kind.Any, "headdrop", "headdrop ", true);
  if (ctx.details) p.uint(Kind.Any, "flows", "flows %u ", v0.flows);
  p.uint(Kind.Any, "divisor", "divisor %u ", v0.divisor);
  if (v0.perturbPeriod) p.int(Kind.Any, "perturb", "perturb %dsec ", v0.perturbPeriod);
  if (d.qthMin) {
    p.uint(Kind.Any, "ewma", "ewma %u ", d.wlog ?? 0);
    printSize(p, Kind.Any, "min", "min %s ", d.qthMin);
    printSize(p, Kind.Any, "max", "max %s ", d.qthMax ?? 0);
    printFloat(p, Kind.Any, "probability", "probability %s ", (d.maxP ?? 0) / 2 ** 32);
    printRedFlags(p, d.flags);
    if (ctx.stats && d.stats) {
      const s = d.stats;
      p.nl();
      p.uint(Kind.Any, "prob_mark", "  prob_mark %u", s.probMark);
      p.uint(Kind.Any, "prob_mark_head", " prob_mark_head %u", s.probMarkHead);
      p.uint(Kind.Any, "prob_drop", " prob_drop %u", s.probDrop);
      p.nl();
      p.uint(Kind.Any, "forced_mark", "  forced_mark %u", s.forcedMark);
      p.uint(Kind.Any, "forced_mark_head", " forced_mark_head %u", s.forcedMarkHead);
      p.uint(Kind.Any, "forced_drop", " forced_drop %u", s.forcedDrop);
    }
  }
}

function printSfqXstats(p: Printer, x: unknown): void {
  const s = x as { allot?: number } | undefined;
  if (s?.allot !== undefined) p.int(Kind.Any, "allot", "  allot %d", s.allot);
}

// ------------------------------------------------------------------ red

function printRed(p: Printer, o: unknown, ctx: KindPrintContext): void {
  const d = o as RedData | undefined;
  const q = d?.parms;
  if (!d || !q) return;
  printSize(p, Kind.Any, "limit", "limit %s ", q.limit);
  printSize(p, Kind.Any, "min", "min %s ", q.qthMin);
  printSize(p, Kind.Any, "max", "max %s ", q.qthMax);
  // TCA_RED_FLAGS, when the kernel sends it, replaces the struct's flags
  printRedFlags(p, d.flags?.value ?? q.flags);
  if (ctx.details) printRedDetails(p, q, d.maxP || undefined, "");
  // the qevents, in tc's table order
  let first = true;
  for (const [name, block] of [["early_drop", d.earlyDropBlock], ["mark", d.markBlock]] as const) {
    if (!block) continue;
    if (first) p.openArray(Kind.Json, "qevents");
    first = false;
    p.openObject();
    p.string(Kind.Any, "kind", "qevent %s", name);
    p.uint(Kind.Any, "block", " block %u", block);
    p.printf(" ");
    p.closeObject();
  }
  if (!first) p.closeArray(Kind.Json);
}

function printRedXstats(p: Printer, x: unknown): void {
  const s = x as { early: number; pdrop: number; other: number; marked: number } | undefined;
  if (!s || s.marked === undefined) return;
  p.uint(Kind.Any, "marked", "  marked %u ", s.marked);
  p.uint(Kind.Any, "early", "early %u ", s.early);
  p.uint(Kind.Any, "pdrop", "pdrop %u ", s.pdrop);
  p.uint(Kind.Any, "other", "other %u ", s.other);
}

// ------------------------------------------------------------------ choke

function printChoke(p: Printer, o: unknown, ctx: KindPrintContext): void {
  const d = o as ChokeData | undefined;
  const q = d?.parms;
  if (!d || !q) return;
  p.uint(Kind.Any, "limit", "limit %up ", q.limit);
  p.uint(Kind.Any, "min", "min %up ", q.qthMin);
  p.uint(Kind.Any, "max", "max %up ", q.qthMax);
  printRedFlags(p, q.flags);
  if (ctx.details) printRedDetails(p, q, d.maxP || undefined, "");
}

function printChokeXstats(p: Printer, x: unknown): void {
  const s = x as { early: number; pdrop: number; other: number; marked: number; matched: number } | undefined;
  if (!s || s.marked === undefined) return;
  p.uint(Kind.Any, "marked", "  marked %u", s.marked);
  p.uint(Kind.Any, "early", " early %u", s.early);
  p.uint(Kind.Any, "pdrop", " pdrop %u", s.pdrop);
  p.uint(Kind.Any, "other", " other %u", s.other);
  p.uint(Kind.Any, "matched", " matched %u", s.matched);
}

// ------------------------------------------------------------------ sfb

function printSfb(p: Printer, o: unknown): void {
  const q = (o as SfbData | undefined)?.parms;
  if (!q) return;
  // rehash and db are milliseconds; tc prints them as times in µs
  const rehash = (q.rehashInterval * 1000) >>> 0;
  const db = (q.warmupTime * 1000) >>> 0;
  p.uint(Kind.Json, "rehash", "", rehash);
  p.printf("rehash %s ", sprintTime(rehash));
  p.uint(Kind.Json, "db", "", db);
  p.printf("db %s ", sprintTime(db));
  p.uint(Kind.Any, "limit", "limit %up ", q.limit);
  p.uint(Kind.Any, "max", "max %up ", q.max);
  p.uint(Kind.Any, "target", "target %up ", q.binSize);
  printFloat(p, Kind.Any, "increment", "increment %s ", q.increment / SFB_MAX_PROB);
  printFloat(p, Kind.Any, "decrement", "decrement %s ", q.decrement / SFB_MAX_PROB);
  p.uint(Kind.Any, "penalty_rate", "penalty_rate %upps ", q.penaltyRate);
  p.uint(Kind.Any, "penalty_burst", "penalty_burst %up ", q.penaltyBurst);
}

function printSfbXstats(p: Printer, x: unknown): void {
  const s = x as SfbXstats | undefined;
  if (!s || s.earlydrop === undefined) return;
  p.uint(Kind.Any, "earlydrop", "  earlydrop %u", s.earlydrop);
  p.uint(Kind.Any, "penaltydrop", " penaltydrop %u", s.penaltydrop);
  p.uint(Kind.Any, "bucketdrop", " bucketdrop %u", s.bucketdrop);
  p.uint(Kind.Any, "queuedrop", " queuedrop %u", s.queuedrop);
  p.uint(Kind.Any, "childdrop", " childdrop %u", s.childdrop);
  p.uint(Kind.Any, "marked", " marked %u", s.marked);
  p.nl();
  p.uint(Kind.Any, "maxqlen", "  maxqlen %u", s.maxqlen);
  printFloat(p, Kind.Any, "maxprob", " maxprob %s", s.maxprob / SFB_MAX_PROB);
  printFloat(p, Kind.Any, "avgprob", " avgprob %s", s.avgprob / SFB_MAX_PROB);
}

// ------------------------------------------------------------------ gred

/** MAX_DPs: gred's table has 16 virtual queues; unused ones carry a DP out of range. */
const MAX_DPS = 16;

/** One VQ's `-s` block (gred_print_stats): the VQ list's counters when the kernel sent it, else the table's. */
function printGredStats(p: Printer, info: GredVqData | undefined, q: GredVqParmsData): void {
  const bytes = info ? Number(info.bytes ?? 0n) : q.bytesin;
  p.printf("\n  Queue size: ");
  printSize(p, Kind.Any, "qave", "average %s ", q.qave);
  printSize(p, Kind.Any, "backlog", "current %s ", q.backlog);
  p.printf("\n  Dropped packets: ");
  if (info) {
    p.uint(Kind.Any, "forced_drop", "forced %u ", info.forcedDrop ?? 0);
    p.uint(Kind.Any, "prob_drop", "early %u ", info.probDrop ?? 0);
    p.uint(Kind.Any, "pdrop", "pdrop %u ", info.pdrop ?? 0);
    p.uint(Kind.Any, "other", "other %u ", info.other ?? 0);
    p.printf("\n  Marked packets: ");
    p.uint(Kind.Any, "forced_mark", "forced %u ", info.forcedMark ?? 0);
    p.uint(Kind.Any, "prob_mark", "early %u ", info.probMark ?? 0);
  } else {
    p.uint(Kind.Any, "forced_drop", "forced %u ", q.forced);
    p.uint(Kind.Any, "prob_drop", "early %u ", q.early);
    p.uint(Kind.Any, "pdrop", "pdrop %u ", q.pdrop);
    p.uint(Kind.Any, "other", "other %u ", q.other);
  }
  p.printf("\n  Total packets: ");
  p.uint(Kind.Any, "packets", "%u ", q.packets);
  printSize(p, Kind.Any, "bytes", "(%s) ", bytes);
}

function printGred(p: Printer, o: unknown, ctx: KindPrintContext): void {
  const d = o as GredData | undefined;
  if (!d?.parms || !d.dps) return;
  // the VQ list's entries, by DP (tc looks them up by the table's position, as here)
  const infos: (GredVqData | undefined)[] = [];
  for (const e of d.vqList ?? []) if (e.vq < MAX_DPS) infos[e.vq] = e;
  p.uint(Kind.Any, "dp_cnt", "vqs %u ", d.dps.vqs);
  p.uint(Kind.Any, "dp_default", "default %u ", d.dps.default);
  if (d.dps.grio) p.bool(Kind.Any, "grio", "grio ", true);
  else p.bool(Kind.Json, "grio", "", false);
  if (d.limit !== undefined) printSize(p, Kind.Any, "limit", "limit %s ", d.limit);
  printRedFlags(p, d.dps.flags);
  p.openArray(Kind.Json, "vqs");
  d.parms.forEach((q, i) => {
    if (q.vq >= MAX_DPS) return;
    p.openObject();
    p.uint(Kind.Any, "vq", "\n vq %u ", q.vq);
    p.uint(Kind.Any, "prio", "prio %u ", q.prio);
    printSize(p, Kind.Any, "limit", "limit %s ", q.limit);
    printSize(p, Kind.Any, "min", "min %s ", q.qthMin);
    printSize(p, Kind.Any, "max", "max %s ", q.qthMax);
    const info = d.vqList ? infos[i] : undefined;
    if (info?.flags !== undefined) printRedFlags(p, info.flags);
    if (ctx.details) printRedDetails(p, q, d.maxP ? d.maxP[i] ?? 0 : undefined, " ");
    if (ctx.stats) printGredStats(p, d.vqList ? infos[i] ?? { vq: i } : undefined, q);
    p.closeObject();
  });
  p.closeArray(Kind.Json);
}

/** The printers of the fair-queueing and RED-family kinds, by kind (merged into the kind table). */
export const FAIR_PRINT = {
  sfq: { print: printSfq, printXstats: printSfqXstats },
  red: { print: printRed, printXstats: printRedXstats },
  choke: { print: printChoke, printXstats: printChokeXstats },
  sfb: { print: printSfb, printXstats: printSfbXstats },
  gred: { print: printGred },
} as const;
