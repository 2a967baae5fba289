/**
 * Random Early Detection: the `red` and `choke` qdiscs, and the RED
 * arithmetic they share with sfq and gred — the EWMA weight (Wlog), the drop
 * probability's log (Plog) and the 256-byte idle-damping table (Scell_log and
 * its cells), computed step by step as iproute2 6.1's tc computes them, so
 * that the requests carry the same bytes.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cFlags, type FlagTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { intIn, onOff, optSize, type Rate, rateOf, type Size } from "../common.ts";
import type { TcContext, TcKindCodec } from "../kind.ts";
import { parseSize, xmitTime } from "../units.ts";

// ------------------------------------------------------------------ shared

/**
 * TC_RED_*: the RED flags (`ecn`, `harddrop`, `adaptive`, `nodrop`), as red, sfq, gred and choke use them.
 *
 * @example
 * ```ts
 * import { RED_FLAGS } from "./red.ts";
 * RED_FLAGS.decode(5); // ["ecn", "adaptive"]
 * ```
 */
export const RED_FLAGS: FlagTable = cFlags(
  "linux/pkt_sched.h",
  "TC_RED_",
  { ECN: 1, HARDDROP: 2, ADAPTATIVE: 4, NODROP: 8 },
  // The C name keeps an old misspelling; tc(8) prints and takes "adaptive".
  (k) => k === "ADAPTATIVE" ? "adaptive" : k.toLowerCase(),
);

/** The flags `red` may carry in TCA_RED_FLAGS: the historic three and nodrop (iproute2's selector). */
const RED_SUPPORTED_FLAGS = 1 | 2 | 4 | 8;

/** The bandwidth RED assumes when none is given: 10 Mbit/s, in bytes per second. */
const DEFAULT_BANDWIDTH = 1_250_000;

/** The drop probability at the max threshold when none is given. */
const DEFAULT_PROBABILITY = 0.02;

/** 2^32: the kernel's max_P is the probability as a 32-bit fraction. */
const TWO_32 = 2 ** 32;

/**
 * The log2 of the drop probability's slope (`Plog`): the smallest i with
 * probability / (max - min) × 2^i above 1, as tc_red_eval_P finds it. The
 * threshold difference is taken as C's int (so a max below min, or a range of
 * 2^31 and more, is negative): -1 when that is negative or no i below 32 fits.
 *
 * @example
 * ```ts
 * import { redPlog } from "./red.ts";
 * redPlog(30000, 90000, 0.02); // 22
 * ```
 */
export function redPlog(qmin: number, qmax: number, probability: number): number {
  const range = (qmax - qmin) | 0;
  if (range === 0) return 0;
  if (range < 0) return -1;
  let p = probability / range;
  let i = 0;
  for (; i < 32; i++) {
    if (p > 1.0) break;
    p *= 2;
  }
  return i >= 32 ? -1 : i;
}

/**
 * The EWMA weight's log (`Wlog`): the smallest wlog from 1 whose weight
 * W = 2^-wlog lets a burst of `burst` packets of `avpkt` bytes arrive before
 * the average reaches `qmin`, as tc_red_eval_ewma solves
 * burst + 1 - qmin/avpkt <= (1 - (1-W)^burst) / W. -1 when the burst is too
 * small (below 1 + qmin/avpkt) or no wlog below 32 fits.
 *
 * @example
 * ```ts
 * import { redWlog } from "./red.ts";
 * redWlog(30000, 55, 1000); // 5
 * ```
 */
export function redWlog(qmin: number, burst: number, avpkt: number): number {
  const a = burst + 1 - qmin / avpkt;
  if (a < 1.0) return -1;
  let w = 0.5;
  for (let wlog = 1; wlog < 32; wlog++, w /= 2) {
    if (a <= (1 - Math.pow(1 - w, burst)) / w) return wlog;
  }
  return -1;
}

/**
 * A double stored into a C `__u8` as gcc does on x86-64: truncated into a
 * 32-bit register (NaN, infinities and magnitudes of 2^31 and more give the
 * "integer indefinite" 0x80000000), then its low byte kept.
 */
function cU8(x: number): number {
  if (!(Math.abs(x) < 2 ** 31)) return 0;
  return Math.trunc(x) & 0xff;
}

/**
 * The idle-damping table (TCA_*_STAB) and its cell log (`Scell_log`), as
 * tc_red_eval_idle_damping builds them. While the queue is idle the kernel
 * decays the average as if packets of `avpkt` bytes had left at `rate` bytes
 * per second: after an idle time t (psched ticks) it shifts the average right
 * by stab[t >> Scell_log]. Cell i holds -log(1-W) × (i << Scell_log) /
 * xmit_time, truncated to a byte and capped at 31 (cell 0 is 0, cell 255 is
 * 31); `Scell_log` is the smallest that fits the time to decay fully
 * (31 / lW ticks) in 512 cells. Undefined when none below 32 does. C's int
 * shifts wrap at 32 bits, as `<<` does here.
 *
 * @example
 * ```ts
 * import { redIdleDamping } from "./red.ts";
 * const d = redIdleDamping(9, 1000, 1250000)!;
 * d.scellLog; // 19
 * d.stab[255]; // 31
 * ```
 */
export function redIdleDamping(
  wlog: number,
  avpkt: number,
  rate: number,
): { scellLog: number; stab: Uint8Array } | undefined {
  const xmit = xmitTime(rate, avpkt); // ticks, as an integer (0 at very high rates: lW is then infinite)
  const lW = -Math.log(1.0 - 1.0 / (1 << wlog)) / xmit;
  const maxtime = 31 / lW;
  let clog = 0;
  for (; clog < 32; clog++) {
    if (maxtime / (1 << clog) < 512) break;
  }
  if (clog >= 32) return undefined;
  const stab = new Uint8Array(256);
  for (let i = 1; i < 255; i++) {
    const v = cU8((i << clog) * lW);
    stab[i] = v > 31 ? 31 : v;
  }
  stab[255] = 31;
  return { scellLog: clog, stab };
}

/**
 * The probability as the kernel's max_P (a fraction of 2^32), converted to
 * u32 as tc does: truncated, and 1.0 (2^32) wraps to 0, which the kernel reads
 * as "derive it from Plog" (nearly 1 again).
 *
 * @example
 * ```ts
 * import { redMaxP } from "./red.ts";
 * redMaxP(0.02); // 85899345
 * ```
 */
export function redMaxP(probability: number): number {
  return Math.trunc(probability * TWO_32) % TWO_32;
}

/**
 * A `probability` option: a number above 0 and at most 1 (default 0.02).
 *
 * @example
 * ```ts
 * import { redProbability } from "./red.ts";
 * redProbability(undefined, "probability"); // 0.02
 * ```
 */
export function redProbability(value: unknown, field: string): number {
  if (value === undefined) return DEFAULT_PROBABILITY;
  if (typeof value !== "number" || !(value > 0 && value <= 1)) {
    throw new ValidationError(field, value, "expected a probability above 0 and at most 1");
  }
  return value;
}

/**
 * A `bandwidth` option: a rate tc reads into 32 bits (get_rate), so below
 * 2^32 bytes per second and above 0; default 10 Mbit/s. With a context it may
 * be a share of the link speed (`"10%"`, as get_percent_rate reads it).
 *
 * @example
 * ```ts
 * import { redBandwidth } from "./red.ts";
 * redBandwidth("100mbit", "bandwidth"); // 12500000
 * ```
 */
export function redBandwidth(value: unknown, field: string, ctx?: TcContext): number {
  if (value === undefined) return DEFAULT_BANDWIDTH;
  const rate = rateOf(value, field, ctx, 32);
  if (rate === 0n) throw new ValidationError(field, value, "must be above 0");
  if (rate >= 0x100000000n) throw new ValidationError(field, value, "must be below 2^32 bytes/s (a 32-bit rate)");
  return Number(rate);
}

/**
 * Wlog and Plog for thresholds `qmin`..`qmax` (bytes), a burst of packets and
 * the average packet size, refusing what tc refuses (with the option to
 * blame): a burst too small or too large, a max below min, a probability too
 * small for the range.
 *
 * @example
 * ```ts
 * import { redLogs } from "./red.ts";
 * redLogs(30000, 90000, 55, 1000, 0.02); // { wlog: 5, plog: 22 }
 * ```
 */
export function redLogs(
  qmin: number,
  qmax: number,
  burst: number,
  avpkt: number,
  probability: number,
): { wlog: number; plog: number } {
  // Thresholds first: a max below min is the mistake to name, though tc computes Wlog first.
  const plog = redPlog(qmin, qmax, probability);
  if (plog < 0) {
    if (((qmax - qmin) | 0) < 0) throw new ValidationError("max", qmax, `must be at least min (${qmin})`);
    throw new ValidationError("probability", probability, `too small for the thresholds ${qmin}..${qmax}`);
  }
  const wlog = redWlog(qmin, burst, avpkt);
  if (wlog < 0) {
    const small = burst + 1 - qmin / avpkt < 1;
    throw new ValidationError(
      "burst",
      burst,
      small
        ? `too small for min ${qmin} and avpkt ${avpkt}: at least ${1 + Math.floor(qmin / avpkt)}`
        : `no EWMA weight fits it with min ${qmin} and avpkt ${avpkt} (min must exceed avpkt; a smaller burst helps)`,
    );
  }
  return { wlog, plog };
}

/**
 * tc's thresholds for red (bytes) and choke (packets): the missing ones by
 * Sally Floyd's recommendations, as red_parse_opt and choke_parse_opt fill
 * them in (C's unsigned arithmetic), and `qmin`/`qmax` in bytes for the
 * EWMA weight and the probability's slope (choke scales its packets by
 * avpkt in 32 bits).
 *
 * @example
 * ```ts
 * import { redThresholds } from "./red.ts";
 * redThresholds("red", { limit: 400000, min: 0, max: 0, burst: 0, avpkt: 1000 }).burst; // 55
 * ```
 */
export function redThresholds(
  kind: "red" | "choke",
  t: { limit: number; min: number; max: number; burst: number; avpkt: number },
): { min: number; max: number; burst: number; qmin: number; qmax: number } {
  let { min, max, burst } = t;
  const { limit, avpkt } = t;
  if (kind === "red") {
    if (!max) max = min ? u32(min * 3) : Math.floor(limit / 4);
    if (!min) min = Math.floor(max / 3);
    if (!burst) burst = Math.floor(u32(2 * min + max) / u32(3 * avpkt));
    return { min, max, burst, qmin: min, qmax: max };
  }
  if (!max) max = Math.floor(limit / 4);
  if (!min) min = Math.floor(max / 3);
  if (!burst) burst = Math.floor(u32(2 * min + max) / 3);
  return { min, max, burst, qmin: Math.imul(min, avpkt) >>> 0, qmax: Math.imul(max, avpkt) >>> 0 };
}

/**
 * The idle-damping table, or a ValidationError naming `bandwidth`.
 *
 * @example
 * ```ts
 * import { redDamping } from "./red.ts";
 * redDamping(5, 1000, 1250000).stab.length; // 256
 * ```
 */
export function redDamping(wlog: number, avpkt: number, rate: number): { scellLog: number; stab: Uint8Array } {
  const d = redIdleDamping(wlog, avpkt, rate);
  if (d === undefined) throw new ValidationError("bandwidth", rate, "no idle-damping table fits this rate and avpkt");
  return d;
}

/**
 * C's unsigned int arithmetic: the value modulo 2^32.
 *
 * @example
 * ```ts
 * import { u32 } from "./red.ts";
 * u32(3 * 0x60000000); // 536870912
 * ```
 */
export function u32(x: number): number {
  return x % TWO_32;
}

/**
 * struct tc_red_qopt: RED's thresholds (bytes) and logs; the same layout is
 * choke's struct tc_choke_qopt (thresholds in packets).
 *
 * @example
 * ```ts
 * import { TC_RED_QOPT } from "./red.ts";
 * TC_RED_QOPT.size; // 16
 * ```
 */
export const TC_RED_QOPT: StructDef = cStruct("linux/pkt_sched.h", "struct tc_red_qopt", [
  { c: "limit", type: "u32" },
  { c: "qth_min", type: "u32" },
  { c: "qth_max", type: "u32" },
  { c: "Wlog", type: "u8" },
  { c: "Plog", type: "u8" },
  { c: "Scell_log", type: "u8" },
  { c: "flags", type: "u8", flags: RED_FLAGS },
]);

/** struct tc_red_qopt as decoded (choke's tc_choke_qopt too). */
export interface RedParmsData {
  /** The hard limit (red: bytes; choke: packets). */
  limit: number;
  /** The min threshold of the average queue. */
  qthMin: number;
  /** The max threshold of the average queue. */
  qthMax: number;
  /** log2 of the EWMA weight's inverse. */
  wlog: number;
  /** log2 of the drop probability's slope. */
  plog: number;
  /** log2 of the idle-damping table's cell (in psched ticks). */
  scellLog: number;
  /** Historic flags (`ecn`, `harddrop`, `adaptive`). */
  flags: string[];
}

// ------------------------------------------------------------------ red

/** struct nla_bitfield32 of RED flags: which flags are set (`value`) among those meant (`selector`). */
const RED_FLAGS_BITFIELD = cStruct("linux/netlink.h", "struct nla_bitfield32", [
  { c: "value", type: "u32", flags: RED_FLAGS },
  { c: "selector", type: "u32", flags: RED_FLAGS },
]);

/** struct tc_red_xstats: red's drop and mark counters. */
const TC_RED_XSTATS = cStruct("linux/pkt_sched.h", "struct tc_red_xstats", [
  { c: "early", type: "u32" },
  { c: "pdrop", type: "u32" },
  { c: "other", type: "u32" },
  { c: "marked", type: "u32" },
]);

/**
 * TCA_RED_*: red's options.
 *
 * @example
 * ```ts
 * import { RED_ATTRS } from "./red.ts";
 * RED_ATTRS.field("maxP").id; // 3
 * ```
 */
export const RED_ATTRS: AttrSchema = attrSchema("TCA_RED_", "linux/pkt_sched.h", {
  PARMS: { id: 1, type: "struct", struct: TC_RED_QOPT },
  STAB: { id: 2, type: "binary" },
  MAX_P: { id: 3, type: "u32" },
  FLAGS: { id: 4, type: "struct", struct: RED_FLAGS_BITFIELD },
  EARLY_DROP_BLOCK: { id: 5, type: "u32" },
  MARK_BLOCK: { id: 6, type: "u32" },
});

/**
 * Random Early Detection (`tc qdisc add … red limit 400k avpkt 1000 bandwidth 10mbit`):
 * drops or marks packets with a probability that grows with the average queue.
 *
 * @example
 * ```ts ignore
 * await conn.addQdisc({ dev: "p0", kind: "red", limit: "400k", avpkt: 1000, bandwidth: "100mbit", ecn: true });
 * ```
 */
export interface RedOptions {
  /** The kind. */
  kind: "red";
  /** The hard queue limit in bytes (`limit`, required). */
  limit: Size;
  /** The average queue (bytes) where marking starts (`min`; default max/3). */
  min?: Size;
  /** The average queue (bytes) where the probability peaks (`max`; default 3 × min, else limit/4). */
  max?: Size;
  /** The average packet size (`avpkt`, required). */
  avpkt: Size;
  /** Packets a burst may hold before the average reacts (`burst`; default (2 × min + max) / (3 × avpkt)). */
  burst?: number;
  /** The marking probability at max (`probability`, above 0 and at most 1; default 0.02). */
  probability?: number;
  /** The link's rate for the idle-damping table (`bandwidth`, below 2^32 bytes/s, or `"10%"`; default 10mbit). */
  bandwidth?: Rate;
  /** Mark with ECN instead of dropping where the packet allows (`ecn`). */
  ecn?: boolean;
  /** Drop even ECN-capable packets above max (`harddrop`). */
  harddrop?: boolean;
  /** Adapt the probability to keep the average between the thresholds (`adaptive`). */
  adaptive?: boolean;
  /** With ecn: never drop ECN-capable packets early, only mark them (`nodrop`). */
  nodrop?: boolean;
  /** The filter block run on early drops (`qevent early_drop block N`). */
  earlyDropBlock?: number;
  /** The filter block run on marks (`qevent mark block N`). */
  markBlock?: number;
}

/** red's decoded options. */
export interface RedData {
  /** Thresholds and logs. */
  parms?: RedParmsData;
  /** The idle-damping table (sent, not dumped). */
  stab?: Uint8Array;
  /** The probability at max, as a fraction of 2^32. */
  maxP?: number;
  /** The flags set (`value`) among those meant (`selector`). */
  flags?: { value: string[]; selector: string[] };
  /** The early-drop qevent's block. */
  earlyDropBlock?: number;
  /** The mark qevent's block. */
  markBlock?: number;
}

function required(value: unknown, field: string, what: string): number {
  const n = value === undefined ? 0 : parseSize(value as Size, field);
  if (n === 0) throw new ValidationError(field, value, `${what} needs ${field} (above 0)`);
  return n;
}

function redFlagBits(o: Readonly<Record<string, unknown>>, names: readonly string[]): number {
  let bits = 0;
  for (const name of names) if (onOff(o[name], name)) bits |= RED_FLAGS.bit(name);
  return bits;
}

const RED: TcKindCodec = {
  options: RED_ATTRS,
  xstats: TC_RED_XSTATS,
  keys: [
    "limit",
    "min",
    "max",
    "avpkt",
    "burst",
    "probability",
    "bandwidth",
    "ecn",
    "harddrop",
    "adaptive",
    "nodrop",
    "earlyDropBlock",
    "markBlock",
  ],
  encode(o, ctx) {
    const limit = required(o.limit, "limit", "red");
    const avpkt = required(o.avpkt, "avpkt", "red");
    const probability = redProbability(o.probability, "probability");
    const rate = redBandwidth(o.bandwidth, "bandwidth", ctx);
    const { min, max, burst } = redThresholds("red", {
      limit,
      avpkt,
      min: optSize(o.min, "min") ?? 0,
      max: optSize(o.max, "max") ?? 0,
      burst: intIn(o.burst, 0, 0xffffffff, "burst") ?? 0,
    });
    const { wlog, plog } = redLogs(min, max, burst, avpkt, probability);
    const { scellLog, stab } = redDamping(wlog, avpkt, rate);
    const out: Record<string, unknown> = {
      parms: { limit, qthMin: min, qthMax: max, wlog, plog, scellLog, flags: 0 },
      stab,
      maxP: redMaxP(probability),
      flags: { value: redFlagBits(o, ["ecn", "harddrop", "adaptive", "nodrop"]), selector: RED_SUPPORTED_FLAGS },
    };
    if (o.earlyDropBlock !== undefined) out.earlyDropBlock = intIn(o.earlyDropBlock, 1, 0xffffffff, "earlyDropBlock");
    if (o.markBlock !== undefined) out.markBlock = intIn(o.markBlock, 1, 0xffffffff, "markBlock");
    return out;
  },
};

// ------------------------------------------------------------------ choke

/** struct tc_choke_qopt: choke's thresholds (packets) and logs. */
const TC_CHOKE_QOPT = cStruct("linux/pkt_sched.h", "struct tc_choke_qopt", [
  { c: "limit", type: "u32" },
  { c: "qth_min", type: "u32" },
  { c: "qth_max", type: "u32" },
  { c: "Wlog", type: "u8" },
  { c: "Plog", type: "u8" },
  { c: "Scell_log", type: "u8" },
  { c: "flags", type: "u8", flags: RED_FLAGS },
]);

/** struct tc_choke_xstats: choke's drop and mark counters. */
const TC_CHOKE_XSTATS = cStruct("linux/pkt_sched.h", "struct tc_choke_xstats", [
  { c: "early", type: "u32" },
  { c: "pdrop", type: "u32" },
  { c: "other", type: "u32" },
  { c: "marked", type: "u32" },
  { c: "matched", type: "u32" },
]);

/**
 * TCA_CHOKE_*: choke's options.
 *
 * @example
 * ```ts
 * import { CHOKE_ATTRS } from "./red.ts";
 * CHOKE_ATTRS.field("stab").id; // 2
 * ```
 */
export const CHOKE_ATTRS: AttrSchema = attrSchema("TCA_CHOKE_", "linux/pkt_sched.h", {
  PARMS: { id: 1, type: "struct", struct: TC_CHOKE_QOPT },
  STAB: { id: 2, type: "binary" },
  MAX_P: { id: 3, type: "u32" },
});

/**
 * CHOose and Keep for responsive flows, CHOose and Kill for unresponsive ones
 * (`tc qdisc add … choke limit 1000 bandwidth 10mbit`): RED in packets that
 * also drops pairs of packets of the same flow.
 *
 * @example
 * ```ts ignore
 * await conn.addQdisc({ dev: "p0", kind: "choke", limit: 1000, bandwidth: "10mbit", ecn: true });
 * ```
 */
export interface ChokeOptions {
  /** The kind. */
  kind: "choke";
  /** The hard queue limit in packets (`limit`, required). */
  limit: number;
  /** The link's rate (`bandwidth`, required; below 2^32 bytes/s; `"10%"`: a share of the link speed). */
  bandwidth: Rate;
  /** The average queue (packets) where dropping starts (`min`; default max/3). */
  min?: number;
  /** The average queue (packets) where the probability peaks (`max`; default limit/4; at most limit). */
  max?: number;
  /** Packets a burst may hold (`burst`; default (2 × min + max) / 3). */
  burst?: number;
  /** The average packet size (`avpkt`, default 1000). */
  avpkt?: Size;
  /** The probability at max (`probability`, default 0.02). */
  probability?: number;
  /** Mark with ECN instead of dropping (`ecn`). */
  ecn?: boolean;
}

/** choke's decoded options (thresholds in packets). */
export interface ChokeData {
  /** Thresholds and logs. */
  parms?: RedParmsData;
  /** The idle-damping table (sent, not dumped). */
  stab?: Uint8Array;
  /** The probability at max, as a fraction of 2^32. */
  maxP?: number;
}

const CHOKE: TcKindCodec = {
  options: CHOKE_ATTRS,
  xstats: TC_CHOKE_XSTATS,
  keys: ["limit", "bandwidth", "min", "max", "burst", "avpkt", "probability", "ecn"],
  encode(o, ctx) {
    const limit = intIn(o.limit, 0, 0xffffffff, "limit") ?? 0;
    if (limit === 0) throw new ValidationError("limit", o.limit, "choke needs limit (packets, above 0)");
    if (o.bandwidth === undefined) throw new ValidationError("bandwidth", o.bandwidth, "choke needs bandwidth");
    const rate = redBandwidth(o.bandwidth, "bandwidth", ctx);
    const avpkt = optSize(o.avpkt, "avpkt") ?? 1000;
    if (avpkt === 0) throw new ValidationError("avpkt", o.avpkt, "must be above 0");
    const probability = redProbability(o.probability, "probability");
    const { min, max, burst, qmin, qmax } = redThresholds("choke", {
      limit,
      avpkt,
      min: intIn(o.min, 0, 0xffffffff, "min") ?? 0,
      max: intIn(o.max, 0, 0xffffffff, "max") ?? 0,
      burst: intIn(o.burst, 0, 0xffffffff, "burst") ?? 0,
    });
    if (max > limit) throw new ValidationError("max", max, `must not exceed limit (${limit})`);
    if (min >= max) throw new ValidationError("min", min, `must be below max (${max})`);
    const { wlog, plog } = redLogs(qmin, qmax, burst, avpkt, probability);
    const { scellLog, stab } = redDamping(wlog, avpkt, rate);
    const flags = onOff(o.ecn, "ecn") ? RED_FLAGS.bit("ecn") : 0;
    return {
      parms: { limit, qthMin: min, qthMax: max, wlog, plog, scellLog, flags },
      stab,
      maxP: redMaxP(probability),
    };
  },
};

/**
 * The red and choke codecs, by kind.
 *
 * @example
 * ```ts
 * import { RED_QDISCS } from "./red.ts";
 * RED_QDISCS.choke.keys?.includes("bandwidth"); // true
 * ```
 */
export const RED_QDISCS: Readonly<Record<"red" | "choke", TcKindCodec>> = { red: RED, choke: CHOKE };
