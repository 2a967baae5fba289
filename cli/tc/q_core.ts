/**
 * `tc` words and output of the core kinds (q_fifo.c, q_ingress.c,
 * q_clsact.c, q_htb.c, q_tbf.c): pfifo, bfifo, pfifo_head_drop, ingress,
 * clsact, htb (qdisc and class) and tbf.
 *
 * @module
 */
import type { FifoData, HtbData, TbfData } from "@nlink/nlink/tc";
import { tcUnits } from "@nlink/nlink/tc";
import type { Args } from "../common/args.ts";
import { Kind, type Printer } from "../common/output.ts";
import { isWord, kindError, type KindOptions, type KindPrintContext, type QdiscKindCli, readUint } from "./q_types.ts";
import { linklayerName, linklayerNumber, printRate, printSize, sprintSize, sprintTime } from "./tc_print.ts";

/** A size word as get_size reads it, or undefined. */
export function readSize(word: string): number | undefined {
  try {
    return tcUnits.parseSize(word, "size");
  } catch {
    return undefined;
  }
}

/** A rate word as get_rate64 reads it (bytes/s), or undefined. */
export function readRate(word: string): bigint | undefined {
  try {
    return tcUnits.parseRate(word, "rate");
  } catch {
    return undefined;
  }
}

/** A time word as get_time reads it (µs), or undefined. */
export function readTime(word: string): number | undefined {
  try {
    return tcUnits.parseTime(word, "time");
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------ fifo

const FIFO_USAGE = "Usage: ... <[p|b]fifo | pfifo_head_drop> [ limit NUMBER ]";

function parseFifo(a: Args, kind: string): KindOptions {
  const o: KindOptions = {};
  while (a.more) {
    const w = a.next()!;
    if (w === "limit") {
      const v = a.value(w);
      const n = readSize(v);
      if (n === undefined) throw kindError(`${kind}: Illegal value for "limit": "${v}"`);
      o.limit = n;
    } else if (w === "help") throw kindError(FIFO_USAGE);
    else throw kindError(`${kind}: unknown parameter "${w}"`, FIFO_USAGE);
  }
  return o;
}

function printFifo(p: Printer, o: unknown, _ctx: KindPrintContext, kind: string): void {
  const d = o as FifoData;
  if (d?.limit === undefined) return;
  if (kind === "bfifo") printSize(p, Kind.Any, "limit", "limit %s", d.limit);
  else p.uint(Kind.Any, "limit", "limit %up", d.limit);
}

const FIFO: QdiscKindCli = { parse: parseFifo, print: printFifo };

// ------------------------------------------------------------------ ingress, clsact

function parseNone(usage: string, handle: boolean) {
  return (a: Args): KindOptions => {
    while (a.more) {
      const w = a.next()!;
      if (handle && w === "handle") {
        // tc accepts (and ignores) `ingress handle H`
        a.value(w);
        continue;
      }
      throw kindError(`What is "${w}"?`, usage);
    }
    return {};
  };
}

const INGRESS: QdiscKindCli = {
  parse: parseNone("Usage: ... ingress", true),
  print: (p) => p.printf("---------------- "),
};

const CLSACT: QdiscKindCli = { parse: parseNone("Usage: ... clsact", false) };

// ------------------------------------------------------------------ htb

const HTB_USAGE = `Usage: ... qdisc add ... htb [default N] [r2q N]
                      [direct_qlen P] [offload]
 default  minor id of class to which unclassified packets are sent {0}
 r2q      DRR quantums are computed as rate in Bps/r2q {10}
 debug    string of 16 numbers each 0-3 {0}

 direct_qlen  Limit of the direct queue {in packets}
 offload  enable hardware offload
... class add ... htb rate R1 [burst B1] [mpu B] [overhead O]
                      [prio P] [slot S] [pslot PS]
                      [ceil R2] [cburst B2] [mtu MTU] [quantum Q]
 rate     rate allocated to this class (class can still borrow)
 burst    max bytes burst which can be accumulated during idle period {computed}
 mpu      minimum packet size used in rate computations
 overhead per-packet size overhead used in rate computations
 linklay  adapting to a linklayer e.g. atm
 ceil     definite upper class rate (no borrows) {rate}
 cburst   burst but for ceil {computed}
 mtu      max packet size we create rate map for {1600}
 prio     priority of leaf; lower are served first {0}
 quantum  how much bytes to serve from leaf at once {use r2q}

TC HTB version 3.3`;

function htbIllegal(word: string) {
  return kindError(`Illegal "${word}"`, HTB_USAGE);
}

function parseHtb(a: Args): KindOptions {
  const o: KindOptions = {};
  while (a.more) {
    const w = a.next()!;
    if (isWord(w, "r2q")) {
      const n = readUint(a.value(w), 10);
      if (n === undefined) throw htbIllegal("r2q");
      o.r2q = n;
    } else if (isWord(w, "default")) {
      const n = readUint(a.value(w), 16);
      if (n === undefined) throw htbIllegal("default");
      o.default = n;
    } else if (isWord(w, "debug")) {
      const v = a.value(w);
      let debug = 0;
      for (let i = 0; i < 16 && i < v.length && v[i] >= "0" && v[i] <= "3"; i++) debug |= Number(v[i]) << (2 * i);
      o.debug = debug >>> 0;
    } else if (isWord(w, "direct_qlen")) {
      const n = readUint(a.value(w), 10);
      if (n === undefined) throw htbIllegal("direct_qlen");
      o.directQlen = n;
    } else if (isWord(w, "offload")) o.offload = true;
    else throw kindError(`What is "${w}"?`, HTB_USAGE);
  }
  return o;
}

function parseHtbClass(a: Args): KindOptions {
  const o: KindOptions = {};
  while (a.more) {
    const w = a.next()!;
    const num = (key: string, max: number) => {
      const n = readUint(a.value(w), 10, max);
      if (n === undefined) throw htbIllegal(key);
      o[key] = n;
    };
    if (isWord(w, "prio")) num("prio", 0xffffffff);
    else if (isWord(w, "mtu")) num("mtu", 0xffffffff);
    else if (isWord(w, "mpu")) num("mpu", 0xffff);
    else if (isWord(w, "overhead")) num("overhead", 0xffff);
    else if (isWord(w, "linklayer")) {
      const v = a.value(w);
      const ll = ["ethernet", "atm", "adsl"].find((x) => isWord(v, x));
      if (ll === undefined) throw htbIllegal("linklayer");
      o.linklayer = ll;
    } else if (isWord(w, "quantum")) num("quantum", 0xffffffff);
    else if (isWord(w, "burst") || w === "buffer" || w === "maxburst") {
      const v = a.value(w);
      if (readSize(v.split("/")[0]) === undefined) throw htbIllegal(w);
      o.burst = v;
    } else if (isWord(w, "cburst") || w === "cbuffer" || w === "cmaxburst") {
      const v = a.value(w);
      if (readSize(v.split("/")[0]) === undefined) throw htbIllegal(w);
      o.cburst = v;
    } else if (w === "ceil" || w === "rate") {
      const v = a.value(w);
      if (o[w] !== undefined) throw kindError(`Double "${w}" spec`);
      if (!v.includes("%") && readRate(v) === undefined) throw htbIllegal(w);
      o[w] = v;
    } else if (w === "help") throw kindError(HTB_USAGE);
    else throw kindError(`What is "${w}"?`, HTB_USAGE);
  }
  // tc tests the rate it read: 0 is as good as none.
  if (o.rate === undefined || readRate(o.rate as string) === 0n) throw kindError('"rate" is required.');
  return o;
}

function printHtb(p: Printer, o: unknown, ctx: KindPrintContext): void {
  const d = o as HtbData;
  if (!d) return;
  const parms = d.parms;
  if (parms) {
    if (!parms.level) {
      p.int(Kind.Any, "prio", "prio %d ", parms.prio | 0);
      if (ctx.details) p.int(Kind.Any, "quantum", "quantum %d ", parms.quantum | 0);
    }
    const rate = d.rate64 ?? BigInt(parms.rate.rate);
    const ceil = d.ceil64 ?? BigInt(parms.ceil.rate);
    printRate(p, Kind.Text, null, "rate %s ", rate, ctx.iec);
    if (parms.rate.overhead) p.printf("overhead %u ", parms.rate.overhead);
    const buffer = tcUnits.xmitSize(rate, parms.buffer);
    printRate(p, Kind.Text, null, "ceil %s ", ceil, ctx.iec);
    const cbuffer = tcUnits.xmitSize(ceil, parms.cbuffer);
    const ll = linklayerNumber(parms.rate.linklayer);
    if (ll > 1 || ctx.details) p.printf("linklayer %s ", linklayerName(ll));
    if (ctx.details) {
      p.printf("burst %s/", sprintSize(buffer));
      p.printf("%u ", 2 ** parms.rate.cellLog);
      p.printf("mpu %s ", sprintSize(parms.rate.mpu));
      p.printf("cburst %s/", sprintSize(cbuffer));
      p.printf("%u ", 2 ** parms.ceil.cellLog);
      p.printf("mpu %s ", sprintSize(parms.ceil.mpu));
      p.printf("level %d ", parms.level | 0);
    } else {
      p.printf("burst %s ", sprintSize(buffer));
      p.printf("cburst %s ", sprintSize(cbuffer));
    }
    if (ctx.raw) p.printf("buffer [%08x] cbuffer [%08x] ", parms.buffer, parms.cbuffer);
  }
  if (d.init) {
    p.int(Kind.Any, "r2q", "r2q %d", d.init.rate2quantum | 0);
    p.hex0x(Kind.Any, "default", " default %#x", d.init.defcls);
    p.uint(Kind.Any, "direct_packets_stat", " direct_packets_stat %u", d.init.directPkts);
    if (ctx.details) {
      p.string(Kind.Any, "ver", " ver %s", `${d.init.version >>> 16}.${d.init.version & 0xffff}`);
    }
  }
  if (d.directQlen !== undefined) p.uint(Kind.Any, "direct_qlen", " direct_qlen %u", d.directQlen);
  if (d.offload) p.null(Kind.Any, "offload", " offload", "");
}

function printHtbXstats(p: Printer, x: unknown): void {
  const s = x as { lends: number; borrows: number; giants: number; tokens: number; ctokens: number } | undefined;
  if (!s || typeof s !== "object" || s.lends === undefined) return;
  p.printf(" lended: %u borrowed: %u giants: %u\n", s.lends, s.borrows, s.giants);
  p.printf(" tokens: %d ctokens: %d\n", s.tokens, s.ctokens);
}

const HTB: QdiscKindCli = {
  parse: parseHtb,
  parseClass: parseHtbClass,
  print: printHtb,
  printClass: printHtb,
  printXstats: printHtbXstats,
};

// ------------------------------------------------------------------ tbf

const TBF_USAGE = `Usage: ... tbf limit BYTES burst BYTES[/BYTES] rate KBPS [ mtu BYTES[/BYTES] ]
	[ peakrate KBPS ] [ latency TIME ] [ overhead BYTES ] [ linklayer TYPE ]`;

function parseTbf(a: Args): KindOptions {
  const o: KindOptions = {};
  const illegal = (w: string, v: string) => kindError(`tbf: illegal value for "${w}": "${v}"`);
  const dup = (what: string) => kindError(`tbf: duplicate "${what}" specification`);
  while (a.more) {
    const w = a.next()!;
    if (isWord(w, "limit")) {
      const v = a.value(w);
      if (o.limit !== undefined) throw dup("limit");
      if (o.latency !== undefined) throw kindError('tbf: specifying both "latency" and "limit" is not allowed');
      if (readSize(v) === undefined) throw illegal("limit", v);
      o.limit = v;
    } else if (isWord(w, "latency")) {
      const v = a.value(w);
      if (o.latency !== undefined) throw dup("latency");
      if (o.limit !== undefined) throw kindError('tbf: specifying both "limit" and "/latency" is not allowed');
      if (readTime(v) === undefined) throw illegal("latency", v);
      o.latency = v;
    } else if (isWord(w, "burst") || w === "buffer" || w === "maxburst") {
      const v = a.value(w);
      if (o.burst !== undefined) throw dup("buffer/burst/maxburst");
      if (readSize(v.split("/")[0]) === undefined) throw illegal(w, v);
      o.burst = v;
    } else if (w === "mtu" || w === "minburst") {
      const v = a.value(w);
      if (o.mtu !== undefined) throw dup("mtu/minburst");
      if (readSize(v.split("/")[0]) === undefined) throw illegal(w, v);
      o.mtu = v;
    } else if (w === "mpu") {
      const v = a.value(w);
      if (o.mpu !== undefined) throw dup("mpu");
      if (readSize(v) === undefined) throw illegal("mpu", v);
      o.mpu = v;
    } else if (w === "rate" || isWord(w, "peakrate")) {
      const key = w === "rate" ? "rate" : "peakrate";
      const v = a.value(w);
      if (o[key] !== undefined) throw dup(key);
      if (!v.includes("%") && readRate(v) === undefined) throw illegal(key, v);
      o[key] = v;
    } else if (isWord(w, "overhead")) {
      const v = a.value(w);
      if (o.overhead !== undefined) throw dup("overhead");
      const n = readUint(v, 10, 0xffff);
      if (n === undefined) throw illegal("overhead", v);
      o.overhead = n;
    } else if (isWord(w, "linklayer")) {
      const v = a.value(w);
      const ll = ["ethernet", "atm", "adsl"].find((x) => isWord(v, x));
      if (ll === undefined) throw illegal("linklayer", v);
      o.linklayer = ll;
    } else if (w === "help") throw kindError(TBF_USAGE);
    else throw kindError(`tbf: unknown parameter "${w}"`, TBF_USAGE);
  }
  const missing: string[] = [];
  if (o.rate === undefined) missing.push('tbf: the "rate" parameter is mandatory.');
  if (o.burst === undefined) missing.push('tbf: the "burst" parameter is mandatory.');
  if (o.peakrate !== undefined && o.mtu === undefined) {
    missing.push('tbf: when "peakrate" is specified, "mtu" must also be specified.');
  }
  if (o.limit === undefined && o.latency === undefined) {
    missing.push('tbf: either "limit" or "latency" is required.');
  }
  if (missing.length) throw kindError(missing.join("\n"), TBF_USAGE);
  return o;
}

function printTbf(p: Printer, o: unknown, ctx: KindPrintContext): void {
  const d = o as TbfData;
  const q = d?.parms;
  if (!q) return;
  const rate = d.rate64 ?? BigInt(q.rate.rate);
  printRate(p, Kind.Any, "rate", "rate %s ", rate, ctx.iec);
  const buffer = tcUnits.xmitSize(rate, q.buffer);
  if (ctx.details) {
    p.string(Kind.Any, "burst", "burst %s ", `${sprintSize(buffer)}/${2 ** q.rate.cellLog}`);
    printSize(p, Kind.Any, "mpu", "mpu %s ", q.rate.mpu);
  } else printSize(p, Kind.Any, "burst", "burst %s ", buffer);
  if (ctx.raw) p.hex(Kind.Any, "burst_raw", "[%08x] ", q.buffer);
  const prate = d.prate64 ?? BigInt(q.peakrate.rate);
  if (prate) {
    printRate(p, Kind.Text, "peakrate", "peakrate %s ", prate, ctx.iec);
    if (q.mtu || q.peakrate.mpu) {
      const mtu = tcUnits.xmitSize(prate, q.mtu);
      if (ctx.details) {
        p.string(Kind.Any, "mtu", "mtu %s ", `${sprintSize(mtu)}/${2 ** q.peakrate.cellLog}`);
        printSize(p, Kind.Any, "mpu", "mpu %s ", q.peakrate.mpu);
      } else printSize(p, Kind.Any, "minburst", "minburst %s ", mtu);
      if (ctx.raw) p.hex(Kind.Any, "mtu_raw", "[%08x] ", q.mtu);
    }
  }
  let latency = 1e6 * (q.limit / Number(rate)) - tcUnits.ticksToTime(q.buffer);
  if (prate) {
    const lat2 = 1e6 * (q.limit / Number(prate)) - tcUnits.ticksToTime(q.mtu);
    if (lat2 > latency) latency = lat2;
  }
  if (latency >= 0) {
    p.uint(Kind.Json, "lat", "", BigInt(Math.trunc(latency)));
    p.printf("lat %s ", sprintTime(Math.trunc(latency)));
  }
  if (ctx.raw || latency < 0) printSize(p, Kind.Any, "limit", "limit %s ", q.limit);
  if (q.rate.overhead) p.int(Kind.Any, "overhead", "overhead %d ", q.rate.overhead);
  const ll = linklayerNumber(q.rate.linklayer);
  if (ll > 1 || ctx.details) p.string(Kind.Any, "linklayer", "linklayer %s ", linklayerName(ll));
}

const TBF: QdiscKindCli = { parse: parseTbf, print: printTbf };

/** The core kinds by name. */
export const CORE_CLI: Record<string, QdiscKindCli> = {
  pfifo: FIFO,
  bfifo: FIFO,
  pfifo_head_drop: FIFO,
  ingress: INGRESS,
  clsact: CLSACT,
  htb: HTB,
  tbf: TBF,
};
