/**
 * The qdiscs every kernel has, and nlink's worked examples of a kind:
 * pfifo, bfifo, pfifo_head_drop, ingress, clsact, noqueue, mq, htb (qdisc and
 * class) and tbf — their layouts, typed options, encoders and decoded data.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import {
  intIn,
  linkLayer,
  optRate,
  optSize,
  put,
  type Rate,
  rate32,
  rateOf,
  rateSpec,
  type Size,
  sizeAndCell,
  TC_RATESPEC,
  type Time,
} from "../common.ts";
import type { KindTable, TcKindCodec, TcOptions } from "../kind.ts";
import { parseSize, parseTime, xmitTime } from "../units.ts";

// ------------------------------------------------------------------ fifo

/** struct tc_fifo_qopt: the queue limit (packets for pfifo, bytes for bfifo). */
const TC_FIFO_QOPT: StructDef = cStruct("linux/pkt_sched.h", "struct tc_fifo_qopt", [{ c: "limit", type: "u32" }]);

/**
 * A first-in first-out queue: `pfifo` and `pfifo_head_drop` count packets,
 * `bfifo` bytes (`tc qdisc add … pfifo limit 100`).
 */
export interface FifoOptions {
  /** The kind. */
  kind: "pfifo" | "bfifo" | "pfifo_head_drop";
  /** The queue limit: packets (pfifo, pfifo_head_drop) or a size (bfifo); default: the device's txqueuelen. */
  limit?: number | Size;
}

/** A fifo's decoded options. */
export interface FifoData {
  /** Packets or bytes. */
  limit: number;
}

function fifo(bytes: boolean): TcKindCodec {
  return {
    options: TC_FIFO_QOPT,
    keys: ["limit"],
    encode(o) {
      if (o.limit === undefined) return undefined; // iproute2 sends no options then
      const limit = bytes ? parseSize(o.limit as Size, "limit") : intIn(o.limit, 0, 0xffffffff, "limit");
      return { limit };
    },
  };
}

// ------------------------------------------------------------------ ingress, clsact

/** The ingress hook qdisc (`tc qdisc add dev D ingress`): its handle is always `ffff:`. */
export interface IngressOptions {
  /** The kind. */
  kind: "ingress";
}

/** The clsact qdisc (`tc qdisc add dev D clsact`): ingress and egress filter hooks. */
export interface ClsactOptions {
  /** The kind. */
  kind: "clsact";
}

/**
 * No queue at all (`tc qdisc add dev D root noqueue`): packets go straight to
 * the driver, as on virtual devices by default.
 */
export interface NoqueueOptions {
  /** The kind. */
  kind: "noqueue";
}

/**
 * The multiqueue root (`tc qdisc add dev D root handle 1: mq`): one child
 * qdisc per transmit queue, each under class `1:N`.
 */
export interface MqOptions {
  /** The kind. */
  kind: "mq";
}

const NO_OPTIONS: TcKindCodec = { keys: [] };

// ------------------------------------------------------------------ htb

/** struct tc_htb_glob: the htb qdisc's settings. */
const TC_HTB_GLOB = cStruct("linux/pkt_sched.h", "struct tc_htb_glob", [
  { c: "version", type: "u32" },
  { c: "rate2quantum", type: "u32" },
  { c: "defcls", type: "u32" },
  { c: "debug", type: "u32" },
  { c: "direct_pkts", type: "u32" },
]);

/** struct tc_htb_opt: an htb class's rates and buckets (buffers in psched ticks). */
const TC_HTB_OPT = cStruct("linux/pkt_sched.h", "struct tc_htb_opt", [
  { c: "rate", type: "struct", struct: TC_RATESPEC },
  { c: "ceil", type: "struct", struct: TC_RATESPEC },
  { c: "buffer", type: "u32" },
  { c: "cbuffer", type: "u32" },
  { c: "quantum", type: "u32" },
  { c: "level", type: "u32" },
  { c: "prio", type: "u32" },
]);

/** struct tc_htb_xstats: an htb class's extended statistics. */
const TC_HTB_XSTATS = cStruct("linux/pkt_sched.h", "struct tc_htb_xstats", [
  { c: "lends", type: "u32" },
  { c: "borrows", type: "u32" },
  { c: "giants", type: "u32" },
  { c: "tokens", type: "s32" },
  { c: "ctokens", type: "s32" },
]);

/** TCA_HTB_*: htb qdisc and class options. */
const HTB_ATTRS: AttrSchema = attrSchema("TCA_HTB_", "linux/pkt_sched.h", {
  PARMS: { id: 1, type: "struct", struct: TC_HTB_OPT },
  INIT: { id: 2, type: "struct", struct: TC_HTB_GLOB },
  CTAB: { id: 3, type: "binary" },
  RTAB: { id: 4, type: "binary" },
  DIRECT_QLEN: { id: 5, type: "u32" },
  RATE64: { id: 6, type: "u64" },
  CEIL64: { id: 7, type: "u64" },
  PAD: { id: 8, type: "pad" },
  OFFLOAD: { id: 9, type: "flag" },
});

/** The hierarchical token bucket qdisc (`tc qdisc add … htb default 10`). */
export interface HtbQdiscOptions {
  /** The kind. */
  kind: "htb";
  /** The minor number of the class unclassified traffic goes to (tc(8) reads `default 10` as hexadecimal: pass `"10"` or 0x10). */
  default?: number | string;
  /** Divisor from rate to quantum (`r2q`, default 10). */
  r2q?: number;
  /** Packets the direct queue holds (`direct_qlen`). */
  directQlen?: number;
  /** Offload to hardware (`offload`). */
  offload?: boolean;
  /** Debug levels, 2 bits per subsystem (`debug`). */
  debug?: number;
}

/** An htb class (`tc class add … htb rate 10mbit ceil 20mbit`). */
export interface HtbClassOptions {
  /** The kind. */
  kind: "htb";
  /** The guaranteed rate (required; `"25%"`: a share of the device's link speed). */
  rate: Rate;
  /** The most it may borrow up to (default: `rate`; may be a share of the link speed). */
  ceil?: Rate;
  /** Bytes sent at `ceil` speed in a burst (`burst`, `"10k"`, `"10k/8"` with a cell size); default rate/HZ + mtu. */
  burst?: Size;
  /** Bytes sent at unlimited speed in a burst (`cburst`). */
  cburst?: Size;
  /** Priority of spare bandwidth (0 first). */
  prio?: number;
  /** Bytes served per round (`quantum`; default from r2q). */
  quantum?: number;
  /** The largest packet the rate tables cover (default 1600). */
  mtu?: number;
  /** Minimum packet size accounted (`mpu`). */
  mpu?: number;
  /** Bytes added to each packet's size (`overhead`). */
  overhead?: number;
  /** Link layer of the rate tables (`ethernet`, `atm`). */
  linklayer?: "ethernet" | "atm" | "adsl";
}

/** A tc_ratespec as decoded. */
export interface RateSpecData {
  /** log2 of the rate table's cell size. */
  cellLog: number;
  /** `ethernet`, `atm` or `unaware`. */
  linklayer: string | number;
  /** Per-packet overhead. */
  overhead: number;
  /** Cell alignment. */
  cellAlign: number;
  /** Minimum packet unit. */
  mpu: number;
  /** Bytes per second (~0 when the 64-bit attribute holds it). */
  rate: number;
}

/** htb options as decoded (qdisc: `init`, `directQlen`; class: `parms`, `rate64`, `ceil64`). */
export interface HtbData {
  /** The qdisc's settings. */
  init?: { version: number; rate2quantum: number; defcls: number; debug: number; directPkts: number };
  /** A class's settings (buffers in psched ticks). */
  parms?: {
    rate: RateSpecData;
    ceil: RateSpecData;
    buffer: number;
    cbuffer: number;
    quantum: number;
    level: number;
    prio: number;
  };
  /** Packets the direct queue holds. */
  directQlen?: number;
  /** The rate when 2^32 bytes/s or more. */
  rate64?: bigint;
  /** The ceil when 2^32 bytes/s or more. */
  ceil64?: bigint;
  /** Offloaded. */
  offload?: boolean;
}

/**
 * The bytes per second a kernel with high-resolution timers reports as its
 * timer frequency (the last field of /proc/net/psched: NSEC_PER_SEC divided by
 * a 1 ns hrtimer resolution). iproute2 adds rate/HZ to default bursts.
 */
const HZ = 1_000_000_000n;

function htbDefault(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && /^(0x)?[0-9a-fA-F]+$/.test(value)) return parseInt(value, 16);
  return intIn(value, 0, 0xffffffff, "default");
}

const HTB_QDISC: TcKindCodec = {
  options: HTB_ATTRS,
  xstats: TC_HTB_XSTATS,
  keys: ["default", "r2q", "directQlen", "offload", "debug"],
  encode(o) {
    const init = {
      version: 3,
      rate2quantum: intIn(o.r2q, 0, 0xffffffff, "r2q") ?? 10,
      defcls: htbDefault(o.default) ?? 0,
      debug: intIn(o.debug, 0, 0xffffffff, "debug") ?? 0,
    };
    const out: Record<string, unknown> = { init };
    put(out, "directQlen", intIn(o.directQlen, 0, 0xfffffffe, "directQlen"));
    if (o.offload) out.offload = true;
    return out;
  },
};

const HTB_CLASS: TcKindCodec = {
  options: HTB_ATTRS,
  xstats: TC_HTB_XSTATS,
  keys: ["rate", "ceil", "burst", "cburst", "prio", "quantum", "mtu", "mpu", "overhead", "linklayer"],
  encode(o, ctx) {
    if (o.rate === undefined) throw new ValidationError("rate", o.rate, "an htb class needs a rate");
    const rate = rateOf(o.rate, "rate", ctx);
    if (rate === 0n) throw new ValidationError("rate", o.rate, "an htb class needs a rate above 0");
    const ceil = optRate(o.ceil, "ceil", ctx) ?? rate;
    const mtu = intIn(o.mtu, 0, 0xffffffff, "mtu") ?? 1600;
    const mpu = intIn(o.mpu, 0, 0xffff, "mpu") ?? 0;
    const overhead = intIn(o.overhead, 0, 0xffff, "overhead") ?? 0;
    const linklayer = linkLayer(o.linklayer, "linklayer");
    const burst = o.burst === undefined ? undefined : sizeAndCell(o.burst, "burst");
    const cburst = o.cburst === undefined ? undefined : sizeAndCell(o.cburst, "cburst");
    const buffer = burst?.size || Number(rate / HZ) + mtu;
    const cbuffer = cburst?.size || Number(ceil / HZ) + mtu;
    const r = rateSpec(rate, { cellLog: burst?.cellLog, mtu, mpu, overhead, linklayer });
    const c = rateSpec(ceil, { cellLog: cburst?.cellLog, mtu, mpu, overhead, linklayer });
    const out: Record<string, unknown> = {};
    if (rate >= 0x100000000n) out.rate64 = rate;
    if (ceil >= 0x100000000n) out.ceil64 = ceil;
    out.parms = {
      rate: r.spec,
      ceil: c.spec,
      buffer: xmitTime(rate, buffer),
      cbuffer: xmitTime(ceil, cbuffer),
      quantum: intIn(o.quantum, 0, 0xffffffff, "quantum") ?? 0,
      level: 0,
      prio: intIn(o.prio, 0, 0xffffffff, "prio") ?? 0,
    };
    out.rtab = r.table;
    out.ctab = c.table;
    return out;
  },
};

// ------------------------------------------------------------------ tbf

/** struct tc_tbf_qopt: tbf's rates, limit and buckets (in psched ticks). */
const TC_TBF_QOPT = cStruct("linux/pkt_sched.h", "struct tc_tbf_qopt", [
  { c: "rate", type: "struct", struct: TC_RATESPEC },
  { c: "peakrate", type: "struct", struct: TC_RATESPEC },
  { c: "limit", type: "u32" },
  { c: "buffer", type: "u32" },
  { c: "mtu", type: "u32" },
]);

/** TCA_TBF_*: tbf options. */
const TBF_ATTRS: AttrSchema = attrSchema("TCA_TBF_", "linux/pkt_sched.h", {
  PARMS: { id: 1, type: "struct", struct: TC_TBF_QOPT },
  RTAB: { id: 2, type: "binary" },
  PTAB: { id: 3, type: "binary" },
  RATE64: { id: 4, type: "u64" },
  PRATE64: { id: 5, type: "u64" },
  BURST: { id: 6, type: "u32" },
  PBURST: { id: 7, type: "u32" },
  PAD: { id: 8, type: "pad" },
});

/** The token bucket filter (`tc qdisc add … tbf rate 1mbit burst 10k latency 50ms`). */
export interface TbfOptions {
  /** The kind. */
  kind: "tbf";
  /** The rate (required; `"10%"`: a share of the device's link speed). */
  rate: Rate;
  /** The bucket size (required; `"10k"`, or `"10k/8"` with a cell size). */
  burst: Size;
  /** Bytes that may queue (give this or `latency`). */
  limit?: Size;
  /** The longest a packet may wait (give this or `limit`). */
  latency?: Time;
  /** The peak rate (needs `mtu`; may be a share of the link speed). */
  peakrate?: Rate;
  /** The peak bucket (`mtu`/`minburst`), for `peakrate`. */
  mtu?: Size;
  /** Minimum packet unit. */
  mpu?: Size;
  /** Per-packet overhead. */
  overhead?: number;
  /** Link layer of the rate tables. */
  linklayer?: "ethernet" | "atm" | "adsl";
}

/** tbf's decoded options (buffer and mtu in psched ticks). */
export interface TbfData {
  /** Rates, limit and buckets. */
  parms?: { rate: RateSpecData; peakrate: RateSpecData; limit: number; buffer: number; mtu: number };
  /** The rate when 2^32 bytes/s or more. */
  rate64?: bigint;
  /** The peak rate when 2^32 bytes/s or more. */
  prate64?: bigint;
  /** The bucket in bytes. */
  burst?: number;
  /** The peak bucket in bytes. */
  pburst?: number;
}

const TBF: TcKindCodec = {
  options: TBF_ATTRS,
  keys: ["rate", "burst", "limit", "latency", "peakrate", "mtu", "mpu", "overhead", "linklayer"],
  encode(o: TcOptions, ctx) {
    if (o.rate === undefined) throw new ValidationError("rate", o.rate, "tbf needs a rate");
    if (o.burst === undefined) throw new ValidationError("burst", o.burst, "tbf needs a burst");
    if ((o.limit === undefined) === (o.latency === undefined)) {
      throw new ValidationError("limit", o.limit, "tbf needs either limit or latency");
    }
    const rate = rateOf(o.rate, "rate", ctx);
    if (rate === 0n) throw new ValidationError("rate", o.rate, "tbf needs a rate above 0");
    const burst = sizeAndCell(o.burst, "burst");
    const peak = optRate(o.peakrate, "peakrate", ctx) ?? 0n;
    const mtuCell = o.mtu === undefined ? { size: 0, cellLog: -1 } : sizeAndCell(o.mtu, "mtu");
    if (peak && !mtuCell.size) throw new ValidationError("mtu", o.mtu, "a peakrate needs mtu (the peak bucket)");
    const mpu = optSize(o.mpu, "mpu") ?? 0;
    const overhead = intIn(o.overhead, 0, 0xffff, "overhead") ?? 0;
    const linklayer = linkLayer(o.linklayer, "linklayer");
    let limit = optSize(o.limit, "limit") ?? 0;
    if (o.limit === undefined) {
      const latency = parseTime(o.latency as Time, "latency");
      let lim = Number(rate) * latency / 1e6 + burst.size;
      if (peak) lim = Math.min(lim, Number(peak) * latency / 1e6 + mtuCell.size);
      limit = Math.trunc(lim) >>> 0;
    }
    const r = rateSpec(rate, { cellLog: burst.cellLog, mtu: mtuCell.size, mpu, overhead, linklayer });
    const parms: Record<string, unknown> = {
      rate: r.spec,
      peakrate: { rate: rate32(peak) },
      limit,
      buffer: xmitTime(rate32(rate), burst.size),
      mtu: 0,
    };
    const out: Record<string, unknown> = { parms, burst: burst.size };
    if (rate >= 0x100000000n) out.rate64 = rate;
    out.rtab = r.table;
    if (peak) {
      const p = rateSpec(peak, { cellLog: mtuCell.cellLog, mtu: mtuCell.size, mpu, overhead, linklayer });
      parms.peakrate = p.spec;
      parms.mtu = xmitTime(rate32(peak), mtuCell.size);
      if (peak >= 0x100000000n) out.prate64 = peak;
      out.pburst = mtuCell.size;
      out.ptab = p.table;
    }
    return out;
  },
};

// ------------------------------------------------------------------ the group

/** This group's qdisc codecs, by kind. */
export const CORE_QDISCS: KindTable = {
  pfifo: fifo(false),
  pfifo_head_drop: fifo(false),
  bfifo: fifo(true),
  ingress: NO_OPTIONS,
  clsact: NO_OPTIONS,
  noqueue: NO_OPTIONS,
  mq: NO_OPTIONS,
  htb: HTB_QDISC,
  tbf: TBF,
};

/** This group's class codecs, by kind. */
export const CORE_CLASSES: KindTable = { htb: HTB_CLASS };

/** Options of this group's qdiscs. */
export type CoreQdiscOptions =
  | FifoOptions
  | IngressOptions
  | ClsactOptions
  | NoqueueOptions
  | MqOptions
  | HtbQdiscOptions
  | TbfOptions;

/** Options of this group's classes. */
export type CoreClassOptions = HtbClassOptions;

/** Decoded options of this group's qdiscs, by kind. */
export interface CoreQdiscData {
  /** pfifo. */
  pfifo: FifoData;
  /** bfifo. */
  bfifo: FifoData;
  /** pfifo_head_drop. */
  pfifo_head_drop: FifoData;
  /** htb. */
  htb: HtbData;
  /** tbf. */
  tbf: TbfData;
}

/** Decoded options of this group's classes, by kind. */
export interface CoreClassData {
  /** htb. */
  htb: HtbData;
}
