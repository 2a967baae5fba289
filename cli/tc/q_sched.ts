/**
 * `tc` words and output of the scheduling kinds (q_prio.c, q_multiq.c,
 * q_skbprio.c, q_plug.c, q_hfsc.c, q_drr.c, q_qfq.c, q_ets.c, q_mqprio.c,
 * q_taprio.c, q_etf.c, q_cbs.c). Their printers follow iproute2's; this
 * host's kernel lacks these kinds, so they are not compared live.
 *
 * @module
 */
import { type Args, invalidArgument } from "../common/args.ts";
import { Kind, type Printer } from "../common/output.ts";
import { isWord, kindError, type KindOptions, type KindPrintContext, type QdiscKindCli, readUint } from "./q_types.ts";
import { CLASS_USAGE, QDISC_USAGE } from "./q_usage.ts";
import { readWords } from "./q_words.ts";
import { readRate, readTime } from "./q_core.ts";
import { printRate, printSize, sprintTime } from "./tc_print.ts";

type Data = Record<string, unknown>;

// ------------------------------------------------------------------ prio, multiq, pfifo_fast, skbprio

const PRIO_USAGE = "Usage: ... prio bands NUMBER priomap P1 P2...[multiqueue]";

function parsePrio(a: Args): KindOptions {
  const o: KindOptions = {};
  while (a.more) {
    const w = a.next()!;
    if (w === "bands") {
      const v = a.value(w);
      const n = readUint(v, 10);
      if (n === undefined) throw kindError(`Illegal "bands"`);
      o.bands = n;
    } else if (w === "priomap") {
      const map: number[] = [];
      while (a.more && map.length < 16) {
        const n = readUint(a.peek()!, 10, 255);
        if (n === undefined) break;
        a.next();
        map.push(n);
      }
      o.priomap = map;
    } else if (w === "multiqueue") o.multiqueue = true;
    else if (w === "help") throw kindError(PRIO_USAGE);
    else throw kindError(`What is "${w}"?`, PRIO_USAGE);
  }
  return o;
}

function printPrio(p: Printer, o: unknown): void {
  const d = o as { bands?: number; priomap?: number[]; multiqueue?: boolean } | undefined;
  if (!d || d.bands === undefined) return;
  p.uint(Kind.Any, "bands", "bands %u ", d.bands);
  p.openArray(Kind.Any, "priomap", "priomap");
  for (const x of d.priomap ?? []) p.uint(Kind.Any, null, " %d", x);
  p.closeArray(Kind.Any, "");
  if (d.multiqueue !== undefined) p.printf(" multiqueue: %s ", d.multiqueue ? "on" : "off");
  p.bool(Kind.Json, "multiqueue", "", !!d.multiqueue);
}

function printMultiq(p: Printer, o: unknown): void {
  const d = o as { bands?: number; maxBands?: number } | undefined;
  if (!d || d.bands === undefined) return;
  p.printf("bands %u/%u ", d.bands, d.maxBands ?? 0);
}

function printSkbprio(p: Printer, o: unknown): void {
  const d = o as { limit?: number } | undefined;
  if (d?.limit !== undefined) p.uint(Kind.Any, "limit", "limit %u ", d.limit);
}

// ------------------------------------------------------------------ plug

const PLUG_USAGE = "Usage: ... plug [block | release | release_indefinite | limit NUMBER]";

function parsePlug(a: Args): KindOptions {
  return readWords(a, {
    kind: "plug",
    usage: PLUG_USAGE,
    unknown: (w) => `plug: unknown parameter "${w}"`,
    words: {
      block: { key: "action", type: "flag", value: "block" },
      release: { key: "action", type: "flag", value: "release" },
      release_indefinite: { key: "action", type: "flag", value: "release_indefinite" },
      limit: { key: "limit", type: "size" },
    },
  });
}

// ------------------------------------------------------------------ hfsc

const HFSC_USAGE = `Usage: ... hfsc [ default CLASSID ]

 default: default class for unclassified packets`;

function parseHfsc(a: Args): KindOptions {
  const o: KindOptions = {};
  while (a.more) {
    const w = a.next()!;
    if (isWord(w, "default")) {
      const v = a.value(w);
      if (readUint(v, 16) === undefined) throw kindError(`HFSC: Illegal "default"`);
      o.default = v;
    } else if (isWord(w, "help")) throw kindError(HFSC_USAGE);
    else throw kindError(`HFSC: What is "${w}" ?`, HFSC_USAGE);
  }
  return o;
}

/** One service curve's words: `[m1 R d T] m2 R` or `[umax B dmax T] rate R`. */
function readCurve(a: Args): Record<string, string> {
  const sc: Record<string, string> = {};
  for (const key of ["m1", "d", "m2", "umax", "dmax", "rate"]) {
    if (!isWord(a.peek(), key)) continue;
    a.next();
    const v = a.value(key);
    const ok = key === "d" || key === "dmax" ? readTime(v) !== undefined : key === "umax" || readRate(v) !== undefined;
    if (!ok) throw kindError(`HFSC: Illegal "${key}"`);
    sc[key] = v;
  }
  if (Object.keys(sc).length === 0) throw kindError(`HFSC: Illegal "${a.peek() ?? ""}"`, CLASS_USAGE.hfsc);
  return sc;
}

function parseHfscClass(a: Args): KindOptions {
  const o: KindOptions = {};
  while (a.more) {
    const w = a.next()!;
    if (w === "rt" || w === "ls" || w === "sc" || w === "ul") o[w] = readCurve(a);
    else if (isWord(w, "help")) throw kindError(CLASS_USAGE.hfsc);
    else throw kindError(`HFSC: What is "${w}" ?`, CLASS_USAGE.hfsc);
  }
  if (!o.rt && !o.ls && !o.sc && !o.ul) throw kindError("HFSC: no parameters given", CLASS_USAGE.hfsc);
  return o;
}

function printHfsc(p: Printer, o: unknown): void {
  const d = o as { defcls?: number } | undefined;
  if (d?.defcls !== undefined) p.printf("default %x ", d.defcls);
}

type Curve = { m1: number; d: number; m2: number };

function printCurve(p: Printer, name: string, sc: Curve, iec: boolean): void {
  p.printf("%s ", name);
  printRate(p, Kind.Text, null, "m1 %s ", sc.m1, iec);
  p.printf("d %s ", sprintTime(Math.trunc(sc.d)));
  printRate(p, Kind.Text, null, "m2 %s ", sc.m2, iec);
}

function printHfscClass(p: Printer, o: unknown, ctx: KindPrintContext): void {
  const d = o as { rsc?: Curve; fsc?: Curve; usc?: Curve } | undefined;
  if (!d) return;
  const same = (x?: Curve, y?: Curve) => x && y && x.m1 === y.m1 && x.d === y.d && x.m2 === y.m2;
  if (d.rsc && d.fsc && same(d.rsc, d.fsc)) printCurve(p, "sc", d.rsc, ctx.iec);
  else {
    if (d.rsc) printCurve(p, "rt", d.rsc, ctx.iec);
    if (d.fsc) printCurve(p, "ls", d.fsc, ctx.iec);
  }
  if (d.usc) printCurve(p, "ul", d.usc, ctx.iec);
}

function printHfscXstats(p: Printer, x: unknown): void {
  const s = x as { level: number; period: number; work: bigint; rtwork: bigint } | undefined;
  if (!s || s.period === undefined) return;
  p.printf(" period %u ", s.period);
  if (s.work) p.printf("work %u bytes ", s.work);
  if (s.rtwork) p.printf("rtwork %u bytes ", s.rtwork);
  p.printf("level %u ", s.level);
  p.printf("\n");
}

// ------------------------------------------------------------------ drr, qfq

function parseDrrClass(a: Args): KindOptions {
  return readWords(a, {
    kind: "drr",
    usage: "Usage: ... drr quantum SIZE",
    illegal: () => 'Illegal "quantum"',
    words: { quantum: { key: "quantum", type: "size" } },
  });
}

function printDrrClass(p: Printer, o: unknown): void {
  const d = o as { quantum?: number } | undefined;
  if (d?.quantum !== undefined) printSize(p, Kind.Any, "quantum", "quantum %s ", d.quantum);
}

function printDrrXstats(p: Printer, x: unknown): void {
  const s = x as { deficit?: number } | undefined;
  if (s?.deficit !== undefined) printSize(p, Kind.Any, "deficit", " deficit %s ", s.deficit);
}

function parseQfqClass(a: Args): KindOptions {
  return readWords(a, {
    kind: "qfq",
    usage: CLASS_USAGE.qfq,
    unknown: (w) => `What is "${w}"?`,
    illegal: (w) => `Illegal "${w}"`,
    words: { weight: { key: "weight", type: "uint" }, maxpkt: { key: "maxpkt", type: "uint" } },
  });
}

function printQfqClass(p: Printer, o: unknown): void {
  const d = o as { weight?: number; lmax?: number } | undefined;
  if (d?.weight !== undefined) p.uint(Kind.Any, "weight", "weight %u ", d.weight);
  if (d?.lmax !== undefined) p.uint(Kind.Any, "maxpkt", "maxpkt %u ", d.lmax);
}

// ------------------------------------------------------------------ ets

const ETS_USAGE = QDISC_USAGE.ets;

function numbers(a: Args, max: number): number[] {
  const out: number[] = [];
  while (a.more) {
    const n = readUint(a.peek()!, 10, max);
    if (n === undefined) break;
    a.next();
    out.push(n);
  }
  return out;
}

function parseEts(a: Args): KindOptions {
  const o: KindOptions = {};
  while (a.more) {
    const w = a.next()!;
    if (w === "bands" || w === "strict") {
      const v = a.value(w);
      const n = readUint(v, 10, 255);
      if (n === undefined) throw kindError(`ETS: Illegal "${w}"`);
      o[w] = n;
    } else if (w === "quanta") o.quanta = numbers(a, 0xffffffff);
    else if (w === "priomap") o.priomap = numbers(a, 255);
    else if (w === "help") throw kindError(ETS_USAGE);
    else throw kindError(`What is "${w}"?`, ETS_USAGE);
  }
  return o;
}

function parseEtsClass(a: Args): KindOptions {
  return readWords(a, {
    kind: "ets",
    usage: CLASS_USAGE.ets,
    illegal: () => 'ETS: Illegal "quantum"',
    words: { quantum: { key: "quantum", type: "uint" } },
  });
}

function printEts(p: Printer, o: unknown): void {
  const d = o as { nbands?: number; nstrict?: number; quanta?: number[]; priomap?: number[] } | undefined;
  if (!d || d.nbands === undefined) return;
  p.uint(Kind.Any, "bands", "bands %u ", d.nbands);
  if (d.nstrict) p.uint(Kind.Any, "strict", "strict %u ", d.nstrict);
  if (d.quanta) {
    p.openArray(Kind.Any, "quanta", "quanta");
    for (const q of d.quanta) p.uint(Kind.Any, null, " %u", q);
    p.closeArray(Kind.Any, " ");
  }
  if (d.priomap) {
    p.openArray(Kind.Any, "priomap", "priomap");
    for (const b of d.priomap) p.uint(Kind.Any, null, " %u", b);
    p.closeArray(Kind.Any, " ");
  }
}

function printEtsClass(p: Printer, o: unknown): void {
  const d = o as { quantum?: number } | undefined;
  if (d?.quantum !== undefined) p.uint(Kind.Any, "quantum", "quantum %u ", d.quantum);
}

// ------------------------------------------------------------------ mqprio, taprio

function readQueues(a: Args): string[] {
  const out: string[] = [];
  while (a.more && /^\d+@\d+$/.test(a.peek()!)) out.push(a.next()!);
  return out;
}

function parseMqprio(a: Args): KindOptions {
  const o: KindOptions = {};
  while (a.more) {
    const w = a.next()!;
    if (w === "num_tc") {
      const n = readUint(a.value(w), 10, 255);
      if (n === undefined) throw kindError('Illegal "num_tc"');
      o.numTc = n;
    } else if (w === "map") o.map = numbers(a, 255);
    else if (w === "queues") o.queues = readQueues(a);
    else if (w === "hw") {
      const n = readUint(a.value(w), 10, 255);
      if (n === undefined) throw kindError('Illegal "hw"');
      o.hw = n;
    } else if (w === "mode") o.mode = a.value(w);
    else if (w === "shaper") o.shaper = a.value(w);
    else if (w === "min_rate" || w === "max_rate") {
      const rates: string[] = [];
      while (a.more && readRate(a.peek()!) !== undefined) rates.push(a.next()!);
      o[w === "min_rate" ? "minRate" : "maxRate"] = rates;
    } else if (w === "help") throw kindError(QDISC_USAGE.mqprio);
    else throw invalidArgument("unknown argument", w);
  }
  return o;
}

function parseTaprio(a: Args): KindOptions {
  const o: KindOptions = {};
  const schedule: string[] = [];
  while (a.more) {
    const w = a.next()!;
    if (w === "num_tc") {
      const n = readUint(a.value(w), 10, 255);
      if (n === undefined) throw kindError('Illegal "num_tc"');
      o.numTc = n;
    } else if (w === "map") o.map = numbers(a, 255);
    else if (w === "queues") o.queues = readQueues(a);
    else if (w === "sched-entry") schedule.push([a.value(w), a.value(w), a.value(w)].join(" "));
    else if (w === "base-time" || w === "cycle-time" || w === "cycle-time-extension") {
      const v = a.value(w);
      if (!/^\d+$/.test(v)) throw kindError(`taprio: Illegal "${w}"`);
      const key = w === "base-time" ? "baseTime" : w === "cycle-time" ? "cycleTime" : "cycleTimeExtension";
      o[key] = BigInt(v);
    } else if (w === "clockid") o.clockid = a.value(w);
    else if (w === "flags") {
      const n = readUint(a.value(w), 0);
      if (n === undefined) throw kindError('taprio: Illegal "flags"');
      o.flags = n;
    } else if (w === "txtime-delay") {
      const n = readUint(a.value(w), 0);
      if (n === undefined) throw kindError('taprio: Illegal "txtime-delay"');
      o.txtimeDelay = n;
    } else if (w === "help") throw kindError(QDISC_USAGE.taprio);
    else throw kindError(`Unknown argument`);
  }
  if (schedule.length) o.schedule = schedule;
  return o;
}

// ------------------------------------------------------------------ etf, cbs

function parseEtf(a: Args): KindOptions {
  return readWords(a, {
    kind: "etf",
    usage: QDISC_USAGE.etf,
    unknown: (w) => `etf: unknown parameter "${w}"`,
    words: {
      delta: { key: "delta", type: "uint" },
      clockid: { key: "clockid", type: "text" },
      offload: { key: "offload", type: "flag" },
      deadline_mode: { key: "deadlineMode", type: "flag" },
      skip_sock_check: { key: "skipSockCheck", type: "flag" },
    },
  });
}

function parseCbs(a: Args): KindOptions {
  const o = readWords(a, {
    kind: "cbs",
    usage: QDISC_USAGE.cbs,
    unknown: (w) => `cbs: unknown parameter "${w}"`,
    words: {
      idleslope: { key: "idleslope", type: "int" },
      sendslope: { key: "sendslope", type: "int" },
      hicredit: { key: "hicredit", type: "int" },
      locredit: { key: "locredit", type: "int" },
      offload: { key: "offload", type: "uint" },
    },
  });
  if (o.offload !== undefined) o.offload = o.offload !== 0;
  return o;
}

function printEtf(p: Printer, o: unknown): void {
  const d = (o as Data | undefined)?.parms as
    | { delta: number; clockid: string | number; flags: string[] | number }
    | undefined;
  if (!d) return;
  const clock = typeof d.clockid === "string" ? d.clockid : d.clockid === -1 ? "invalid" : String(d.clockid);
  p.string(Kind.Any, "clockid", "clockid %s ", clock);
  p.uint(Kind.Any, "delta", "delta %d ", d.delta);
  const flags = Array.isArray(d.flags) ? d.flags : [];
  p.onOff(Kind.Any, "offload", "offload %s ", flags.includes("offload"));
  p.onOff(Kind.Any, "deadline_mode", "deadline_mode %s ", flags.includes("deadline_mode"));
  p.onOff(Kind.Any, "skip_sock_check", "skip_sock_check %s", flags.includes("skip_sock_check"));
}

function printCbs(p: Printer, o: unknown): void {
  const d = (o as Data | undefined)?.parms as Record<string, number> | undefined;
  if (!d) return;
  p.int(Kind.Any, "hicredit", "hicredit %d ", d.hicredit);
  p.int(Kind.Any, "locredit", "locredit %d ", d.locredit);
  p.int(Kind.Any, "sendslope", "sendslope %d ", d.sendslope);
  p.int(Kind.Any, "idleslope", "idleslope %d ", d.idleslope);
  p.int(Kind.Any, "offload", "offload %d ", d.offload);
}

/** The scheduling kinds by name. */
export const SCHED_CLI: Record<string, QdiscKindCli> = {
  prio: { parse: parsePrio, print: printPrio },
  pfifo_fast: { print: printPrio },
  multiq: { parse: (a) => readWords(a, { kind: "multiq", usage: QDISC_USAGE.multiq, words: {} }), print: printMultiq },
  skbprio: {
    parse: (a) =>
      readWords(a, {
        kind: "skbprio",
        usage: QDISC_USAGE.skbprio,
        unknown: (w) => `skbprio: unknown parameter "${w}"`,
        words: { limit: { key: "limit", type: "uint" } },
      }),
    print: printSkbprio,
  },
  plug: { parse: parsePlug },
  hfsc: {
    parse: parseHfsc,
    parseClass: parseHfscClass,
    print: printHfsc,
    printClass: printHfscClass,
    printXstats: printHfscXstats,
  },
  drr: {
    parse: (a) => readWords(a, { kind: "drr", words: {} }),
    parseClass: parseDrrClass,
    printClass: printDrrClass,
    printXstats: printDrrXstats,
  },
  qfq: {
    parse: (a) => readWords(a, { kind: "qfq", help: "prefix", words: {} }),
    parseClass: parseQfqClass,
    printClass: printQfqClass,
  },
  ets: { parse: parseEts, parseClass: parseEtsClass, print: printEts, printClass: printEtsClass },
  mqprio: { parse: parseMqprio },
  taprio: { parse: parseTaprio },
  etf: { parse: parseEtf, print: printEtf },
  cbs: { parse: parseCbs, print: printCbs },
};
