/**
 * The network emulator (`tc qdisc add … netem delay 100ms 10ms 25% loss 1%`):
 * delay with jitter, correlation and a distribution table, loss (random, the
 * 4-state Gilbert-Intuitive model, Gilbert-Elliot), ECN marking instead of
 * loss, duplication, reordering, corruption, rate limiting with per-packet
 * and per-cell overheads, and slotted delivery.
 *
 * TCA_OPTIONS of netem is a struct tc_netem_qopt followed by TCA_NETEM_*
 * attributes. It decodes as `{ header, ...attributes }`: `header` holds the
 * struct (latency and jitter in psched ticks, probabilities scaled to
 * 0..2^32-1), the attributes what the kernel adds (`latency64`/`jitter64` in
 * nanoseconds, `corr`, `reorder`, `rate`, `loss.gi`/`loss.ge`, …).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn, type Rate, rateOf, type Size, type Time } from "../common.ts";
import type { TcContext, TcKindCodec, TcOptions } from "../kind.ts";
import { parsePercent, parseSize, parseTime, parseTime64, timeToTicks } from "../units.ts";
import { bool, u32, U32_BOOL } from "./aqm_common.ts";

// ------------------------------------------------------------------ layouts

/** struct tc_netem_qopt: the settings every netem request carries. */
const TC_NETEM_QOPT = cStruct("linux/pkt_sched.h", "struct tc_netem_qopt", [
  { c: "latency", type: "u32" },
  { c: "limit", type: "u32" },
  { c: "loss", type: "u32" },
  { c: "gap", type: "u32" },
  { c: "duplicate", type: "u32" },
  { c: "jitter", type: "u32" },
]);

const TC_NETEM_CORR = cStruct("linux/pkt_sched.h", "struct tc_netem_corr", [
  { c: "delay_corr", type: "u32" },
  { c: "loss_corr", type: "u32" },
  { c: "dup_corr", type: "u32" },
]);

const TC_NETEM_REORDER = cStruct("linux/pkt_sched.h", "struct tc_netem_reorder", [
  { c: "probability", type: "u32" },
  { c: "correlation", type: "u32" },
]);

const TC_NETEM_CORRUPT = cStruct("linux/pkt_sched.h", "struct tc_netem_corrupt", [
  { c: "probability", type: "u32" },
  { c: "correlation", type: "u32" },
]);

const TC_NETEM_RATE = cStruct("linux/pkt_sched.h", "struct tc_netem_rate", [
  { c: "rate", type: "u32" },
  { c: "packet_overhead", type: "s32" },
  { c: "cell_size", type: "u32" },
  { c: "cell_overhead", type: "s32" },
]);

const TC_NETEM_SLOT = cStruct("linux/pkt_sched.h", "struct tc_netem_slot", [
  { c: "min_delay", type: "s64" },
  { c: "max_delay", type: "s64" },
  { c: "max_packets", type: "s32" },
  { c: "max_bytes", type: "s32" },
  { c: "dist_delay", type: "s64" },
  { c: "dist_jitter", type: "s64" },
]);

const TC_NETEM_GIMODEL = cStruct("linux/pkt_sched.h", "struct tc_netem_gimodel", [
  { c: "p13", type: "u32" },
  { c: "p31", type: "u32" },
  { c: "p32", type: "u32" },
  { c: "p14", type: "u32" },
  { c: "p23", type: "u32" },
]);

const TC_NETEM_GEMODEL = cStruct("linux/pkt_sched.h", "struct tc_netem_gemodel", [
  { c: "p", type: "u32" },
  { c: "r", type: "u32" },
  { c: "h", type: "u32" },
  { c: "k1", type: "u32" },
]);

/** NETEM_LOSS_*: the loss model nest (one of the two). */
const NETEM_LOSS_ATTRS = attrSchema("NETEM_LOSS_", "linux/pkt_sched.h", {
  GI: { id: 1, type: "struct", struct: TC_NETEM_GIMODEL },
  GE: { id: 2, type: "struct", struct: TC_NETEM_GEMODEL },
});

/** TCA_NETEM_*: the attributes after struct tc_netem_qopt. */
export const NETEM_ATTRS: AttrSchema = attrSchema("TCA_NETEM_", "linux/pkt_sched.h", {
  CORR: { id: 1, type: "struct", struct: TC_NETEM_CORR },
  DELAY_DIST: { id: 2, type: "values", of: "s16" },
  REORDER: { id: 3, type: "struct", struct: TC_NETEM_REORDER },
  CORRUPT: { id: 4, type: "struct", struct: TC_NETEM_CORRUPT },
  // tc sets NLA_F_NESTED on this one nest.
  LOSS: { id: 5, type: "nested", schema: NETEM_LOSS_ATTRS, nestedFlag: true },
  RATE: { id: 6, type: "struct", struct: TC_NETEM_RATE },
  ECN: { id: 7, type: "custom", codec: U32_BOOL },
  RATE64: { id: 8, type: "u64" },
  PAD: { id: 9, type: "pad" },
  LATENCY64: { id: 10, type: "s64" },
  JITTER64: { id: 11, type: "s64" },
  SLOT: { id: 12, type: "struct", struct: TC_NETEM_SLOT },
  SLOT_DIST: { id: 13, type: "values", of: "s16" },
  PRNG_SEED: { id: 14, type: "u64", since: "6.6" },
});

/**
 * netem's TCA_OPTIONS: struct tc_netem_qopt, then TCA_NETEM_* attributes —
 * the engine's "message" layout, decoded as `{ header, ...attributes }`.
 */
const NETEM_OPTIONS: CustomCodec = (() => {
  const holder = attrSchema("TCA_", "linux/rtnetlink.h", {
    OPTIONS: { id: 2, type: "message", struct: TC_NETEM_QOPT, schema: NETEM_ATTRS },
  }, { audit: false });
  const field = holder.field("options");
  return {
    decode: (b, v, off, len, ctx) => field.decode(b, v, off, len, ctx),
    encode: (w, x, path, ctx) => field.encode(w, x, path, ctx),
  };
})();

// ------------------------------------------------------------------ distribution tables

/** NETEM_DIST_MAX: the most values a distribution table may have. */
const NETEM_DIST_MAX = 16384;

/** The tables tc(8) ships (`/usr/lib/tc/NAME.dist`, or its multiarch directory on Debian). */
export type NetemDistributionName = "normal" | "pareto" | "paretonormal" | "experimental";

/**
 * A delay distribution: the name of a table in tc's library directory (read
 * from disk when the request is built: needs `--allow-read` for it), or the
 * table itself (signed 16-bit values, at most 16384 of them, in units of
 * 1/8192 of the jitter).
 */
export type NetemDistribution =
  | NetemDistributionName
  | (string & Record<never, never>)
  | Int16Array
  | readonly number[];

/** The directories tc reads distribution tables from: $TC_LIB_DIR, then where distributions install them. */
function tcLibDirs(): string[] {
  const dirs: string[] = [];
  const env = Deno.permissions.querySync({ name: "env", variable: "TC_LIB_DIR" }).state === "granted"
    ? Deno.env.get("TC_LIB_DIR")
    : undefined;
  if (env) dirs.push(env);
  const triplet = Deno.build.arch === "aarch64" ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
  dirs.push(`/usr/lib/${triplet}/tc`, "/usr/lib/tc", "/usr/lib64/tc", "/usr/local/lib/tc");
  return dirs;
}

/** One C `strtol(…, 0)` number at the start of `s`: decimal, 0x hexadecimal or 0 octal. */
const STRTOL = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/;

/**
 * Reads a distribution table's text as tc does: lines starting with `#` (and
 * empty ones) are skipped, every other line holds numbers separated by white
 * space (C integer syntax), read until something that is not one.
 *
 * @example
 * ```ts
 * import { parseNetemDistribution } from "./netem.ts";
 * parseNetemDistribution("# a table\n -3 0x10 7\n"); // Int16Array [-3, 16, 7]
 * ```
 */
export function parseNetemDistribution(text: string, source = "distribution"): Int16Array {
  const values: number[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    let rest = line;
    for (let m = STRTOL.exec(rest); m; m = STRTOL.exec(rest)) {
      const digits = m[2];
      const magnitude = /^0[xX]/.test(digits)
        ? parseInt(digits.slice(2), 16)
        : digits.length > 1 && digits.startsWith("0")
        ? parseInt(digits, 8)
        : parseInt(digits, 10);
      const value = m[1] === "-" ? -magnitude : magnitude;
      if (value < -32768 || value > 32767) throw new ValidationError(source, value, "a table value is 16-bit signed");
      if (values.length === NETEM_DIST_MAX) {
        throw new ValidationError(source, text.length, `a table holds at most ${NETEM_DIST_MAX} values`);
      }
      values.push(value);
      rest = rest.slice(m[0].length);
    }
  }
  if (values.length === 0) throw new ValidationError(source, text.slice(0, 40), "no values in the table");
  return Int16Array.from(values);
}

const loaded = new Map<string, Int16Array>();

/**
 * Loads a distribution table by name from tc's library directory
 * ($TC_LIB_DIR, /usr/lib/<multiarch>/tc, /usr/lib/tc, /usr/lib64/tc,
 * /usr/local/lib/tc), as `tc … distribution NAME` does. Needs `--allow-read`
 * (and `--allow-env=TC_LIB_DIR` for that variable to count). Tables are
 * read once and cached.
 *
 * @example
 * ```ts ignore
 * import { loadNetemDistribution } from "./netem.ts";
 * loadNetemDistribution("normal").length; // 4096
 * ```
 */
export function loadNetemDistribution(name: string, field = "distribution"): Int16Array {
  if (!/^[\w.+-]+$/.test(name) || name.startsWith(".")) {
    throw new ValidationError(field, name, "a distribution name such as normal, pareto, paretonormal, experimental");
  }
  const cached = loaded.get(name);
  if (cached) return cached;
  const tried: string[] = [];
  for (const dir of tcLibDirs()) {
    const path = `${dir}/${name}.dist`;
    tried.push(path);
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) continue;
      if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
        throw new ValidationError(field, name, `cannot read ${path}: run with --allow-read, or pass the table itself`);
      }
      throw e;
    }
    const table = parseNetemDistribution(text, field);
    loaded.set(name, table);
    return table;
  }
  throw new ValidationError(field, name, `no distribution table (looked for ${tried.join(", ")})`);
}

/** A distribution option as the list of values the attribute carries. */
function distributionValues(value: unknown, field: string): number[] {
  if (typeof value === "string") return Array.from(loadNetemDistribution(value, field));
  if (value instanceof Int16Array || Array.isArray(value)) {
    const table = Array.from(value as ArrayLike<number>);
    if (table.length === 0 || table.length > NETEM_DIST_MAX) {
      throw new ValidationError(field, table.length, `a table holds 1..${NETEM_DIST_MAX} values`);
    }
    table.forEach((x, i) => intIn(x, -32768, 32767, `${field}[${i}]`));
    return table;
  }
  throw new ValidationError(field, value, "expected a table name (normal, pareto, …) or a list of 16-bit values");
}

// ------------------------------------------------------------------ typed options

/** A probability: a fraction from 0 to 1 (`0.01`), or tc's percentage text (`"1%"`). */
export type Percent = number | string;

/** A time with nanosecond precision: tc text (`"1.5ms"`), or nanoseconds as a number or bigint. */
export type NetemTime64 = string | number | bigint;

/** The 4-state Gilbert-Intuitive loss model (`loss state P13 [P31 [P32 [P23 P14]]]`). */
export interface NetemLossState {
  /** From good reception to burst loss (state 1 to 3). */
  p13: Percent;
  /** From burst loss back to good reception (default 1 - p13). */
  p31?: Percent;
  /** From burst loss to good reception within the burst (default 0). */
  p32?: Percent;
  /** From good reception within a burst back to burst loss (default 1). */
  p23?: Percent;
  /** From good reception to an isolated loss (default 0). */
  p14?: Percent;
}

/** The Gilbert-Elliot loss model (`loss gemodel P [R [1-H [1-K]]]`). */
export interface NetemLossGemodel {
  /** From the good state to the bad one. */
  p: Percent;
  /** From the bad state to the good one (default 1 - p). */
  r?: Percent;
  /** Loss in the bad state, tc's `1-h` (default 1: every packet). */
  oneMinusH?: Percent;
  /** Loss in the good state, tc's `1-k` (default 0). */
  oneMinusK?: Percent;
}

/** Slotted delivery between fixed bounds (`slot MIN [MAX] [packets N] [bytes B]`). */
export interface NetemSlotRange {
  /** The shortest wait for the next slot (a bare number is nanoseconds, as tc reads it). */
  min: NetemTime64;
  /** The longest wait (default `min`). */
  max?: NetemTime64;
  /** Packets delivered per slot. */
  packets?: number;
  /** Bytes delivered per slot. */
  bytes?: Size;
}

/** Slotted delivery with waits drawn from a distribution (`slot distribution NAME DELAY JITTER …`). */
export interface NetemSlotDistribution {
  /** The distribution table. */
  distribution: NetemDistribution;
  /** The mean wait. */
  delay: NetemTime64;
  /** Its spread (above 0). */
  jitter: NetemTime64;
  /** Packets delivered per slot. */
  packets?: number;
  /** Bytes delivered per slot. */
  bytes?: Size;
}

/**
 * The network emulator (`tc qdisc add … netem …`). Probabilities are
 * fractions (`0.01`) or percentages (`"1%"`); times are tc text (`"100ms"`)
 * or microseconds.
 */
export interface NetemOptions {
  /** The kind. */
  kind: "netem";
  /** Packets queued at most (`limit`; tc reads a size: `"2k"` is 2048; default 1000). */
  limit?: number | Size;
  /** Added delay (`delay`). */
  delay?: Time;
  /** Random variation of the delay (`delay D JITTER`). */
  jitter?: Time;
  /** How much each delay depends on the previous one (`delay D J CORRELATION`; needs `jitter`). */
  delayCorrelation?: Percent;
  /** The delay's distribution (`distribution normal`; needs `delay` and `jitter`; default uniform). */
  distribution?: NetemDistribution;
  /** Random loss (`loss random P`). */
  loss?: Percent;
  /** Loss correlation (`loss random P CORRELATION`). */
  lossCorrelation?: Percent;
  /** Loss by the Gilbert-Intuitive model (`loss state …`). */
  lossState?: NetemLossState;
  /** Loss by the Gilbert-Elliot model (`loss gemodel …`). */
  lossGemodel?: NetemLossGemodel;
  /** Mark ECN-capable packets instead of dropping them (`ecn`; needs a loss). */
  ecn?: boolean;
  /** Duplicated packets (`duplicate P`). */
  duplicate?: Percent;
  /**
   * Duplication correlation (`duplicate P CORRELATION`). Sent even when no
   * other correlation is (tc(8) drops it then).
   */
  duplicateCorrelation?: Percent;
  /** Packets sent at once, ahead of the delayed ones (`reorder P`; needs `delay`). */
  reorder?: Percent;
  /** Reordering correlation (`reorder P CORRELATION`). */
  reorderCorrelation?: Percent;
  /** Reorder every Nth packet (`gap N`; needs `reorder`; default 1 with reorder). */
  gap?: number;
  /** Packets with a flipped bit (`corrupt P`). */
  corrupt?: Percent;
  /** Corruption correlation (`corrupt P CORRELATION`). */
  corruptCorrelation?: Percent;
  /** Limit the rate (`rate`; rates of 2^32 bytes/s and more are sent in 64 bits; `"5%"`: a share of the link speed). */
  rate?: Rate;
  /** Bytes added to (or, negative, taken from) each packet for the rate (`rate R PACKETOVERHEAD`). */
  packetOverhead?: number;
  /** Cell size the packets are rounded up to for the rate (`rate R PO CELLSIZE`). */
  cellSize?: number;
  /** Bytes added to each cell (`rate R PO CS CELLOVERHEAD`). */
  cellOverhead?: number;
  /** Deliver packets in slots (`slot …`). */
  slot?: NetemSlotRange | NetemSlotDistribution;
}

/** netem's decoded options: the struct as `header`, then the attributes. */
export interface NetemData {
  /** struct tc_netem_qopt (latency and jitter in psched ticks; probabilities scaled to 0..2^32-1). */
  header: { latency: number; limit: number; loss: number; gap: number; duplicate: number; jitter: number };
  /** Correlations (scaled). */
  corr?: { delayCorr: number; lossCorr: number; dupCorr: number };
  /** The delay distribution table. */
  delayDist?: number[];
  /** Reordering. */
  reorder?: { probability: number; correlation: number };
  /** Corruption. */
  corrupt?: { probability: number; correlation: number };
  /** The loss model. */
  loss?: {
    gi?: { p13: number; p31: number; p32: number; p14: number; p23: number };
    ge?: { p: number; r: number; h: number; k1: number };
  };
  /** The rate (bytes/s; ~0 when `rate64` holds it) and its overheads. */
  rate?: { rate: number; packetOverhead: number; cellSize: number; cellOverhead: number };
  /** ECN marking. */
  ecn?: boolean;
  /** The rate when 2^32 bytes/s or more. */
  rate64?: bigint;
  /** The delay in nanoseconds (the kernel reports it). */
  latency64?: bigint;
  /** The jitter in nanoseconds (the kernel reports it). */
  jitter64?: bigint;
  /** Slotted delivery (nanoseconds). */
  slot?: {
    minDelay: bigint;
    maxDelay: bigint;
    maxPackets: number;
    maxBytes: number;
    distDelay: bigint;
    distJitter: bigint;
  };
  /** The slot distribution table. */
  slotDist?: number[];
  /** The seed of the random generator (Linux 6.6+). */
  prngSeed?: bigint;
}

// ------------------------------------------------------------------ encoding

/**
 * A probability scaled as the kernel keeps it: fraction × (2^32 - 1),
 * rounded as C's rint (ties to even), as tc scales it.
 *
 * @example
 * ```ts
 * import { scalePercent } from "./netem.ts";
 * scalePercent(0.01); // 42949673
 * scalePercent(1); // 4294967295
 * ```
 */
export function scalePercent(fraction: number): number {
  const x = fraction * 0xffffffff;
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function percent(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : scalePercent(parsePercent(value as Percent, field));
}

/** A time as psched ticks, refusing what overflows 32 bits of ticks (tc's "too large"). */
function ticks(value: unknown, field: string): number {
  const us = parseTime(value as Time, field);
  if (us * 15.625 >= 2 ** 32) throw new ValidationError(field, value, "too large: at most 274.877906s");
  return timeToTicks(us);
}

function s32(value: unknown, field: string): number | undefined {
  return intIn(value, -0x80000000, 0x7fffffff, field);
}

function needs(o: TcOptions, field: string, other: string, why: string): void {
  if (o[field] !== undefined && o[other] === undefined) throw new ValidationError(field, o[field], why);
}

function lossModel(o: TcOptions): Record<string, unknown> | undefined {
  const given = ["loss", "lossState", "lossGemodel"].filter((k) => o[k] !== undefined);
  if (given.length > 1) {
    throw new ValidationError(given[1], o[given[1]], `give one loss model, not ${given.join(" and ")}`);
  }
  const object = (field: string, keys: readonly string[]): Record<string, unknown> => {
    const x = o[field];
    if (x === null || typeof x !== "object") throw new ValidationError(field, x, "expected an object");
    const r = x as Record<string, unknown>;
    for (const k of Object.keys(r)) {
      if (!keys.includes(k)) throw new ValidationError(`${field}.${k}`, r[k], `not one of ${keys.join(", ")}`);
    }
    return r;
  };
  if (o.lossState !== undefined) {
    const s = object("lossState", ["p13", "p31", "p32", "p23", "p14"]);
    if (s.p13 === undefined) throw new ValidationError("lossState.p13", undefined, "the state model needs p13");
    const p13 = parsePercent(s.p13 as Percent, "lossState.p13");
    return {
      gi: {
        p13: scalePercent(p13),
        p31: percent(s.p31, "lossState.p31") ?? scalePercent(1 - p13),
        p32: percent(s.p32, "lossState.p32") ?? 0,
        p23: percent(s.p23, "lossState.p23") ?? 0xffffffff,
        p14: percent(s.p14, "lossState.p14") ?? 0,
      },
    };
  }
  if (o.lossGemodel !== undefined) {
    const g = object("lossGemodel", ["p", "r", "oneMinusH", "oneMinusK"]);
    if (g.p === undefined) throw new ValidationError("lossGemodel.p", undefined, "the Gilbert-Elliot model needs p");
    const p = parsePercent(g.p as Percent, "lossGemodel.p");
    const oneMinusH = percent(g.oneMinusH, "lossGemodel.oneMinusH");
    return {
      ge: {
        p: scalePercent(p),
        r: percent(g.r, "lossGemodel.r") ?? scalePercent(1 - p),
        // The kernel takes h itself; tc (and this option) the loss in the bad state, 1-h.
        h: oneMinusH === undefined ? 0 : 0xffffffff - oneMinusH,
        k1: percent(g.oneMinusK, "lossGemodel.oneMinusK") ?? 0,
      },
    };
  }
  return undefined;
}

function slotOf(value: unknown): { slot: Record<string, unknown>; dist?: number[] } {
  if (value === null || typeof value !== "object") throw new ValidationError("slot", value, "expected slot settings");
  const s = value as Record<string, unknown>;
  const time = (k: string) => parseTime64(s[k] as NetemTime64, `slot.${k}`);
  const slot: Record<string, unknown> = { minDelay: 0n, maxDelay: 0n, distDelay: 0n, distJitter: 0n };
  let dist: number[] | undefined;
  if (s.distribution !== undefined) {
    for (const k of ["min", "max"]) {
      if (s[k] !== undefined) {
        throw new ValidationError(`slot.${k}`, s[k], "a slot distribution takes delay and jitter");
      }
    }
    if (s.delay === undefined || s.jitter === undefined) {
      throw new ValidationError("slot", value, "a slot distribution needs delay and jitter");
    }
    dist = distributionValues(s.distribution, "slot.distribution");
    slot.distDelay = time("delay");
    slot.distJitter = time("jitter");
    if (slot.distJitter === 0n) throw new ValidationError("slot.jitter", s.jitter, "must be above 0");
  } else {
    if (s.min === undefined) throw new ValidationError("slot.min", undefined, "a slot needs min (or a distribution)");
    for (const k of ["delay", "jitter"]) {
      if (s[k] !== undefined) throw new ValidationError(`slot.${k}`, s[k], "only a slot distribution takes it");
    }
    slot.minDelay = time("min");
    slot.maxDelay = s.max === undefined ? slot.minDelay : time("max");
    if ((slot.maxDelay as bigint) < (slot.minDelay as bigint)) {
      throw new ValidationError("slot.max", s.max, "must not be below min");
    }
  }
  slot.maxPackets = intIn(s.packets, 0, 0x7fffffff, "slot.packets") ?? 0;
  const bytes = s.bytes === undefined ? 0 : parseSize(s.bytes as Size, "slot.bytes");
  if (bytes > 0x7fffffff) throw new ValidationError("slot.bytes", s.bytes, "at most 2147483647 bytes");
  slot.maxBytes = bytes;
  for (const k of Object.keys(s)) {
    if (!["min", "max", "distribution", "delay", "jitter", "packets", "bytes"].includes(k)) {
      throw new ValidationError(
        `slot.${k}`,
        s[k],
        "not a slot setting (min, max, distribution, delay, jitter, packets, bytes)",
      );
    }
  }
  return { slot, dist };
}

function encodeNetem(o: TcOptions, ctx: TcContext): Record<string, unknown> {
  needs(o, "jitter", "delay", "jitter needs a delay");
  needs(o, "delayCorrelation", "jitter", "a delay correlation needs jitter");
  needs(o, "lossCorrelation", "loss", "a loss correlation needs random loss");
  needs(o, "duplicateCorrelation", "duplicate", "a duplicate correlation needs duplicate");
  needs(o, "reorderCorrelation", "reorder", "a reorder correlation needs reorder");
  needs(o, "corruptCorrelation", "corrupt", "a corrupt correlation needs corrupt");
  for (const k of ["packetOverhead", "cellSize", "cellOverhead"]) needs(o, k, "rate", `${k} needs a rate`);

  // tc 6.1 sends the delay and jitter as 32-bit psched ticks in the struct, never as TCA_NETEM_LATENCY64 or
  // JITTER64 (the kernel reports those, in nanoseconds).
  const latency = o.delay === undefined ? 0 : ticks(o.delay, "delay");
  const jitter = o.jitter === undefined ? 0 : ticks(o.jitter, "jitter");
  const limit = o.limit === undefined ? 1000 : parseSize(o.limit as Size, "limit");
  const header = {
    latency,
    limit,
    loss: percent(o.loss, "loss") ?? 0,
    gap: u32(o.gap, "gap") ?? 0,
    duplicate: percent(o.duplicate, "duplicate") ?? 0,
    jitter,
  };
  const reorder = percent(o.reorder, "reorder");
  if (reorder) {
    if (latency === 0) throw new ValidationError("reorder", o.reorder, "reordering needs a delay");
    if (header.gap === 0) header.gap = 1;
  } else if (header.gap > 0) throw new ValidationError("gap", o.gap, "a gap needs a reorder probability");
  const loss = lossModel(o);
  const ecn = bool(o.ecn, "ecn");
  if (ecn && header.loss === 0 && loss === undefined) throw new ValidationError("ecn", o.ecn, "ecn needs a loss");
  const dist = o.distribution === undefined ? undefined : distributionValues(o.distribution, "distribution");
  if (dist && (latency === 0 || jitter === 0)) {
    throw new ValidationError("distribution", o.distribution, "a distribution needs a delay and jitter");
  }
  const slot = o.slot === undefined ? undefined : slotOf(o.slot);

  // The order tc writes them in.
  const out: Record<string, unknown> = { header };
  const correlations = ["delay", "loss", "duplicate", "reorder", "corrupt"].map((k) => `${k}Correlation`);
  if (correlations.some((k) => o[k] !== undefined)) {
    out.corr = {
      delayCorr: percent(o.delayCorrelation, "delayCorrelation") ?? 0,
      lossCorr: percent(o.lossCorrelation, "lossCorrelation") ?? 0,
      dupCorr: percent(o.duplicateCorrelation, "duplicateCorrelation") ?? 0,
    };
  }
  if (reorder !== undefined) {
    out.reorder = { probability: reorder, correlation: percent(o.reorderCorrelation, "reorderCorrelation") ?? 0 };
  }
  if (ecn) out.ecn = true;
  if (o.corrupt !== undefined) {
    out.corrupt = {
      probability: percent(o.corrupt, "corrupt"),
      correlation: percent(o.corruptCorrelation, "corruptCorrelation") ?? 0,
    };
  }
  if (slot) out.slot = slot.slot;
  if (loss) out.loss = loss;
  if (o.rate !== undefined) {
    const rate = rateOf(o.rate, "rate", ctx);
    if (rate >= 0x100000000n) out.rate64 = rate;
    out.rate = {
      rate: rate >= 0x100000000n ? 0xffffffff : Number(rate),
      packetOverhead: s32(o.packetOverhead, "packetOverhead") ?? 0,
      cellSize: u32(o.cellSize, "cellSize") ?? 0,
      cellOverhead: s32(o.cellOverhead, "cellOverhead") ?? 0,
    };
  }
  if (dist) out.delayDist = dist;
  if (slot?.dist) out.slotDist = slot.dist;
  return out;
}

const NETEM: TcKindCodec = {
  options: NETEM_OPTIONS,
  keys: [
    "limit",
    "delay",
    "jitter",
    "delayCorrelation",
    "distribution",
    "loss",
    "lossCorrelation",
    "lossState",
    "lossGemodel",
    "ecn",
    "duplicate",
    "duplicateCorrelation",
    "reorder",
    "reorderCorrelation",
    "gap",
    "corrupt",
    "corruptCorrelation",
    "rate",
    "packetOverhead",
    "cellSize",
    "cellOverhead",
    "slot",
  ],
  encode: encodeNetem,
};

/** The codec of netem. */
export const NETEM_QDISCS = { netem: NETEM } as const;
