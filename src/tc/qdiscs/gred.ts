/**
 * Generalized RED: the `gred` qdisc, up to 16 virtual queues (VQs, "DPs")
 * each with its own RED parameters, picked by the packet's tc_index. A gred
 * is made in two steps, as with tc(8): `setup` (how many VQs, the default
 * one, grio) and then each VQ's parameters by a change — layouts, typed
 * options, encoder and decoded data.
 *
 * @module
 */
import { NLM_F } from "../../core/header.ts";
import { DecodeError, ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { listOf } from "../../route/kinds/common.ts";
import { hasAny, intIn, onOff, optSize, type Rate, type Size } from "../common.ts";
import type { TcContext, TcKindCodec, TcOptions } from "../kind.ts";
import { parseSize } from "../units.ts";
import { RED_FLAGS, redBandwidth, redDamping, redLogs, redMaxP, redProbability, u32 } from "./red.ts";

/** The most virtual queues a gred has (MAX_DPs). */
const MAX_DPS = 16;

/** struct tc_gred_qopt: one VQ's RED parameters (and, when dumped, its counters). */
const TC_GRED_QOPT = cStruct("linux/pkt_sched.h", "struct tc_gred_qopt", [
  { c: "limit", type: "u32" },
  { c: "qth_min", type: "u32" },
  { c: "qth_max", type: "u32" },
  { c: "DP", type: "u32", name: "vq" },
  { c: "backlog", type: "u32" },
  { c: "qave", type: "u32" },
  { c: "forced", type: "u32" },
  { c: "early", type: "u32" },
  { c: "other", type: "u32" },
  { c: "pdrop", type: "u32" },
  { c: "Wlog", type: "u8" },
  { c: "Plog", type: "u8" },
  { c: "Scell_log", type: "u8" },
  { c: "prio", type: "u8" },
  { c: "packets", type: "u32" },
  { c: "bytesin", type: "u32" },
]);

/** struct tc_gred_sopt: the setup (number of VQs, the default one, grio, flags). */
const TC_GRED_SOPT = cStruct("linux/pkt_sched.h", "struct tc_gred_sopt", [
  { c: "DPs", type: "u32", name: "vqs" },
  { c: "def_DP", type: "u32", name: "default" },
  { c: "grio", type: "u8" },
  { c: "flags", type: "u8", flags: RED_FLAGS },
  { type: "pad", size: 2 },
]);

/**
 * TCA_GRED_PARMS: one tc_gred_qopt when sent; when dumped, all 16 slots, of
 * which those with a VQ number of 16 and more are unused. Decoded as the list
 * of configured VQs.
 */
const GRED_PARMS: CustomCodec = {
  decode(b, v, off, len) {
    if (len < TC_GRED_QOPT.size) throw new DecodeError(`TCA_GRED_PARMS: ${len} bytes, less than one VQ`, off);
    const out: Record<string, unknown>[] = [];
    for (let p = off; p + TC_GRED_QOPT.size <= off + len; p += TC_GRED_QOPT.size) {
      const vq = TC_GRED_QOPT.decode(b, v, p, TC_GRED_QOPT.size);
      if ((vq.vq as number) < MAX_DPS) out.push(vq);
    }
    return out;
  },
  encode(w, x, path) {
    if (x === null || typeof x !== "object") throw new ValidationError(path, x, "expected struct tc_gred_qopt");
    TC_GRED_QOPT.encode(w, x as Record<string, unknown>, path);
  },
};

/** TCA_GRED_MAX_P: one u32 when sent; 16 (by VQ number) when dumped. Decoded as the list. */
const GRED_MAX_P: CustomCodec = {
  decode(_b, v, off, len) {
    const out: number[] = [];
    for (let p = off; p + 4 <= off + len; p += 4) out.push(v.getUint32(p, true));
    return out;
  },
  encode(w, x, path) {
    const n = intIn(x, 0, 0xffffffff, path);
    if (n === undefined) throw new ValidationError(path, x, "expected a u32");
    w.u32(n);
  },
};

/** TCA_GRED_VQ_*: one VQ's number, flags and counters. */
const GRED_VQ_ATTRS = attrSchema("TCA_GRED_VQ_", "linux/pkt_sched.h", {
  PAD: { id: 1, type: "pad" },
  DP: { id: 2, type: "u32", name: "vq" },
  STAT_BYTES: { id: 3, type: "u64", name: "bytes" },
  STAT_PACKETS: { id: 4, type: "u32", name: "packets" },
  STAT_BACKLOG: { id: 5, type: "u32", name: "backlog" },
  STAT_PROB_DROP: { id: 6, type: "u32", name: "probDrop" },
  STAT_PROB_MARK: { id: 7, type: "u32", name: "probMark" },
  STAT_FORCED_DROP: { id: 8, type: "u32", name: "forcedDrop" },
  STAT_FORCED_MARK: { id: 9, type: "u32", name: "forcedMark" },
  STAT_PDROP: { id: 10, type: "u32", name: "pdrop" },
  STAT_OTHER: { id: 11, type: "u32", name: "other" },
  FLAGS: { id: 12, type: "u32", flags: RED_FLAGS },
});

/**
 * TCA_GRED_*: gred's options.
 *
 * @example
 * ```ts
 * import { GRED_ATTRS } from "./gred.ts";
 * GRED_ATTRS.field("vqList").id; // 6
 * ```
 */
export const GRED_ATTRS: AttrSchema = attrSchema("TCA_GRED_", "linux/pkt_sched.h", {
  PARMS: { id: 1, type: "custom", codec: GRED_PARMS },
  STAB: { id: 2, type: "binary" },
  DPS: { id: 3, type: "struct", struct: TC_GRED_SOPT },
  MAX_P: { id: 4, type: "custom", codec: GRED_MAX_P },
  LIMIT: { id: 5, type: "u32" },
  // TCA_GRED_VQ_LIST holds TCA_GRED_VQ_ENTRY nests, one per VQ.
  VQ_LIST: {
    id: 6,
    type: "custom",
    codec: listOf("TCA_GRED_VQ_", "linux/pkt_sched.h", "ENTRY", {
      id: 1,
      type: "nested",
      schema: GRED_VQ_ATTRS,
    }),
  },
});

/**
 * gred's first step (`tc qdisc add … gred setup vqs 4 default 0 grio`).
 *
 * @example
 * ```ts ignore
 * await conn.addQdisc({ dev: "p0", handle: "1:", kind: "gred", vqs: 4, default: 0, grio: true });
 * ```
 */
export interface GredSetupOptions {
  /** The kind. */
  kind: "gred";
  /** The number of virtual queues (`vqs`, 1–16). */
  vqs: number;
  /** The VQ of packets whose tc_index names none (`default`, below vqs). */
  default: number;
  /** Priority mode: a VQ's average includes those of higher priority (`grio`). */
  grio?: boolean;
  /** The whole qdisc's limit in bytes (`limit`; default the device's txqueuelen × MTU). */
  limit?: Size;
  /** Default flags of the VQs: mark with ECN (`ecn`). */
  ecn?: boolean;
  /** Default flags of the VQs: drop ECN packets above max (`harddrop`). */
  harddrop?: boolean;
}

/**
 * One VQ's parameters (`tc qdisc change … gred vq 1 limit 100k min 10k max 30k avpkt 1k`).
 *
 * @example
 * ```ts ignore
 * await conn.changeQdisc({
 *   dev: "p0",
 *   handle: "1:",
 *   kind: "gred",
 *   vq: 1,
 *   limit: "100k",
 *   min: "10k",
 *   max: "30k",
 *   avpkt: 1000,
 * });
 * ```
 */
export interface GredVqOptions {
  /** The kind. */
  kind: "gred";
  /** The VQ to set (`vq`, 0–15, below the setup's vqs). */
  vq: number;
  /** The VQ's hard limit in bytes (`limit`, required). */
  limit: Size;
  /** Where marking starts (`min`, bytes, required). */
  min: Size;
  /** Where the probability peaks (`max`, bytes, required). */
  max: Size;
  /** The average packet size (`avpkt`, required). */
  avpkt: Size;
  /** Packets a burst may hold (`burst`; default (2 × min + max) / (3 × avpkt)). */
  burst?: number;
  /** The probability at max (`probability`; default 0.02). */
  probability?: number;
  /** The link's rate, for the idle-damping table (`bandwidth`; default 10mbit; `"10%"`: a share of the link speed). */
  bandwidth?: Rate;
  /** The VQ's priority with grio (`prio`, 0–255). */
  prio?: number;
  /** Mark with ECN instead of dropping (`ecn`). */
  ecn?: boolean;
  /** Drop even ECN-capable packets above max (`harddrop`). */
  harddrop?: boolean;
}

/** gred's options: the setup or one VQ's parameters. */
export type GredOptions = GredSetupOptions | GredVqOptions;

/** One VQ's parameters and counters as dumped (struct tc_gred_qopt). */
export interface GredVqParmsData {
  /** Hard limit (bytes). */
  limit: number;
  /** Min threshold. */
  qthMin: number;
  /** Max threshold. */
  qthMax: number;
  /** The VQ's number. */
  vq: number;
  /** Bytes queued. */
  backlog: number;
  /** The average queue (scaled by Wlog). */
  qave: number;
  /** Forced drops (above max). */
  forced: number;
  /** Early (probabilistic) drops. */
  early: number;
  /** Other drops. */
  other: number;
  /** Drops over the limit. */
  pdrop: number;
  /** log2 of the EWMA weight's inverse. */
  wlog: number;
  /** log2 of the probability's slope. */
  plog: number;
  /** Idle damping cell log. */
  scellLog: number;
  /** Priority. */
  prio: number;
  /** Packets seen. */
  packets: number;
  /** Bytes seen (32 bits; see the VQ list's `bytes`). */
  bytesin: number;
}

/** One VQ of TCA_GRED_VQ_LIST. */
export interface GredVqData {
  /** The VQ's number. */
  vq: number;
  /** `ecn`, `harddrop`. */
  flags?: string[];
  /** Bytes seen. */
  bytes?: bigint;
  /** Packets seen. */
  packets?: number;
  /** Bytes queued. */
  backlog?: number;
  /** Early drops. */
  probDrop?: number;
  /** Early marks. */
  probMark?: number;
  /** Drops above max. */
  forcedDrop?: number;
  /** Marks above max. */
  forcedMark?: number;
  /** Drops over the limit. */
  pdrop?: number;
  /** Other drops. */
  other?: number;
}

/** gred's decoded options. */
export interface GredData {
  /** The configured VQs' parameters and counters. */
  parms?: GredVqParmsData[];
  /** The idle-damping table (sent, not dumped). */
  stab?: Uint8Array;
  /** The setup. */
  dps?: { vqs: number; default: number; grio: number; flags: string[] };
  /** The probabilities at max (fractions of 2^32), by VQ number. */
  maxP?: number[];
  /** The qdisc's limit in bytes. */
  limit?: number;
  /** The VQs' flags and 64-bit counters. */
  vqList?: GredVqData[];
}

const SETUP = ["vqs", "default", "grio", "limit", "ecn", "harddrop"];
const VQ_ONLY = ["vq", "min", "max", "avpkt", "burst", "probability", "bandwidth", "prio"];

function flagsOf(o: TcOptions): number {
  let flags = 0;
  if (onOff(o.ecn, "ecn")) flags |= RED_FLAGS.bit("ecn");
  if (onOff(o.harddrop, "harddrop")) flags |= RED_FLAGS.bit("harddrop");
  return flags;
}

function setup(o: TcOptions): Record<string, unknown> {
  for (const name of VQ_ONLY) {
    if (o[name] !== undefined) throw new ValidationError(name, o[name], "not a gred setup option (vqs is given)");
  }
  const vqs = intIn(o.vqs, 1, MAX_DPS, "vqs")!;
  if (o.default === undefined) throw new ValidationError("default", o.default, "gred setup needs default");
  const def = intIn(o.default, 0, vqs - 1, "default")!;
  const out: Record<string, unknown> = {
    dps: { vqs, default: def, grio: onOff(o.grio, "grio") ?? 0, flags: flagsOf(o) },
  };
  if (o.limit !== undefined) out.limit = parseSize(o.limit as Size, "limit");
  return out;
}

function vq(o: TcOptions, ctx: TcContext): Record<string, unknown> {
  if (o.grio !== undefined) throw new ValidationError("grio", o.grio, "a setup option (give vqs and default)");
  const dp = intIn(o.vq, 0, MAX_DPS - 1, "vq")!;
  const need = (name: string) => {
    const n = optSize(o[name], name) ?? 0;
    if (n === 0) throw new ValidationError(name, o[name], `a gred VQ needs ${name} (above 0)`);
    return n;
  };
  const limit = need("limit");
  const min = need("min");
  const max = need("max");
  const avpkt = need("avpkt");
  let burst = intIn(o.burst, 0, 0xffffffff, "burst") ?? 0;
  const probability = redProbability(o.probability, "probability");
  const rate = redBandwidth(o.bandwidth, "bandwidth", ctx);
  if (!burst) burst = Math.floor(u32(2 * min + max) / u32(3 * avpkt));
  const { wlog, plog } = redLogs(min, max, burst, avpkt, probability);
  const { scellLog, stab } = redDamping(wlog, avpkt, rate);
  return {
    parms: {
      limit,
      qthMin: min,
      qthMax: max,
      vq: dp,
      wlog,
      plog,
      scellLog,
      prio: intIn(o.prio, 0, 255, "prio") ?? 0,
    },
    stab,
    maxP: redMaxP(probability),
    vqList: [{ vq: dp, flags: flagsOf(o) }],
  };
}

/**
 * The gred codec.
 *
 * @example
 * ```ts
 * import { GRED } from "./gred.ts";
 * GRED.keys?.includes("vqs"); // true
 * ```
 */
export const GRED: TcKindCodec = {
  options: GRED_ATTRS,
  keys: [...SETUP, ...VQ_ONLY],
  // tc(8) asks for creation with `setup`, even on `tc qdisc change` (NLM_F_CREATE).
  extraFlags: (o) => (o.vqs !== undefined ? NLM_F.CREATE : 0),
  encode(o, ctx) {
    if (o.vqs !== undefined) return setup(o);
    if (o.vq !== undefined) return vq(o, ctx);
    if (hasAny(o, [...SETUP, ...VQ_ONLY])) {
      throw new ValidationError("vq", o.vq, "gred needs either vqs and default (setup) or vq (a VQ's parameters)");
    }
    throw new ValidationError("vqs", o.vqs, "gred needs either vqs and default (setup) or vq (a VQ's parameters)");
  },
};
