/**
 * CAKE, Common Applications Kept Enhanced (`tc qdisc add … cake bandwidth
 * 100mbit diffserv4 nat`): a shaper with flow isolation, DiffServ tins and
 * link-layer overhead compensation. Its options as tc(8) sends them, and its
 * statistics (a nest of TCA_CAKE_STATS_* with per-tin nests).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum } from "../../core/enums.ts";
import { type AttrSchema, attrSchema, type CustomCodec, decodeAttrs, encodeAttrs } from "../../core/schema.ts";
import { intIn, oneOf, type Rate, type Size, type Time } from "../common.ts";
import type { TcKindCodec, TcOptions } from "../kind.ts";
import { parseRate, parseSize, parseTime } from "../units.ts";
import { bool, u32, U32_BOOL, U32_PRESENT } from "./aqm_common.ts";

/** CAKE_DIFFSERV_*: how packets are sorted into tins. */
const CAKE_DIFFSERV = cEnum(
  "linux/pkt_sched.h",
  "CAKE_DIFFSERV_",
  {
    DIFFSERV3: 0,
    DIFFSERV4: 1,
    DIFFSERV8: 2,
    BESTEFFORT: 3,
    PRECEDENCE: 4,
  },
  "lower",
  { diffserv: 1 },
);

/** CAKE_FLOW_*: flow isolation, by tc(8)'s words. */
const CAKE_FLOW_WORDS: Readonly<Record<string, string>> = {
  NONE: "flowblind",
  SRC_IP: "srchost",
  DST_IP: "dsthost",
  HOSTS: "hosts",
  FLOWS: "flows",
  DUAL_SRC: "dual-srchost",
  DUAL_DST: "dual-dsthost",
  TRIPLE: "triple-isolate",
};
const CAKE_FLOW = cEnum("linux/pkt_sched.h", "CAKE_FLOW_", {
  NONE: 0,
  SRC_IP: 1,
  DST_IP: 2,
  HOSTS: 3,
  FLOWS: 4,
  DUAL_SRC: 5,
  DUAL_DST: 6,
  TRIPLE: 7,
}, (key) => CAKE_FLOW_WORDS[key]);

/** CAKE_ATM_*: the link's cell framing. */
const CAKE_ATM = cEnum(
  "linux/pkt_sched.h",
  "CAKE_ATM_",
  { NONE: 0, ATM: 1, PTM: 2 },
  (key) => key === "NONE" ? "noatm" : key.toLowerCase(),
);

/** CAKE_ACK_*: TCP ACK filtering. */
const CAKE_ACK = cEnum(
  "linux/pkt_sched.h",
  "CAKE_ACK_",
  { NONE: 0, FILTER: 1, AGGRESSIVE: 2 },
  (key) =>
    ({ NONE: "no-ack-filter", FILTER: "ack-filter", AGGRESSIVE: "ack-filter-aggressive" } as Record<string, string>)[
      key
    ],
);

/** TCA_CAKE_*: cake's options (times in microseconds). */
export const CAKE_ATTRS: AttrSchema = attrSchema("TCA_CAKE_", "linux/pkt_sched.h", {
  PAD: { id: 1, type: "pad" },
  BASE_RATE64: { id: 2, type: "u64" },
  DIFFSERV_MODE: { id: 3, type: "u32", enum: CAKE_DIFFSERV },
  ATM: { id: 4, type: "u32", enum: CAKE_ATM },
  FLOW_MODE: { id: 5, type: "u32", enum: CAKE_FLOW },
  OVERHEAD: { id: 6, type: "s32" },
  RTT: { id: 7, type: "u32" },
  TARGET: { id: 8, type: "u32" },
  AUTORATE: { id: 9, type: "custom", codec: U32_BOOL },
  MEMORY: { id: 10, type: "u32" },
  NAT: { id: 11, type: "custom", codec: U32_BOOL },
  RAW: { id: 12, type: "custom", codec: U32_PRESENT },
  WASH: { id: 13, type: "custom", codec: U32_BOOL },
  MPU: { id: 14, type: "u32" },
  INGRESS: { id: 15, type: "custom", codec: U32_BOOL },
  ACK_FILTER: { id: 16, type: "u32", enum: CAKE_ACK },
  SPLIT_GSO: { id: 17, type: "custom", codec: U32_BOOL },
  FWMARK: { id: 18, type: "u32" },
});

/** TCA_CAKE_TIN_STATS_*: one tin's statistics. */
const CAKE_TIN_STATS = attrSchema("TCA_CAKE_TIN_STATS_", "linux/pkt_sched.h", {
  PAD: { id: 1, type: "pad" },
  SENT_PACKETS: { id: 2, type: "u32" },
  SENT_BYTES64: { id: 3, type: "u64" },
  DROPPED_PACKETS: { id: 4, type: "u32" },
  DROPPED_BYTES64: { id: 5, type: "u64" },
  ACKS_DROPPED_PACKETS: { id: 6, type: "u32" },
  ACKS_DROPPED_BYTES64: { id: 7, type: "u64" },
  ECN_MARKED_PACKETS: { id: 8, type: "u32" },
  ECN_MARKED_BYTES64: { id: 9, type: "u64" },
  BACKLOG_PACKETS: { id: 10, type: "u32" },
  BACKLOG_BYTES: { id: 11, type: "u32" },
  THRESHOLD_RATE64: { id: 12, type: "u64" },
  TARGET_US: { id: 13, type: "u32" },
  INTERVAL_US: { id: 14, type: "u32" },
  WAY_INDIRECT_HITS: { id: 15, type: "u32" },
  WAY_MISSES: { id: 16, type: "u32" },
  WAY_COLLISIONS: { id: 17, type: "u32" },
  PEAK_DELAY_US: { id: 18, type: "u32" },
  AVG_DELAY_US: { id: 19, type: "u32" },
  BASE_DELAY_US: { id: 20, type: "u32" },
  SPARSE_FLOWS: { id: 21, type: "u32" },
  BULK_FLOWS: { id: 22, type: "u32" },
  UNRESPONSIVE_FLOWS: { id: 23, type: "u32" },
  MAX_SKBLEN: { id: 24, type: "u32" },
  FLOW_QUANTUM: { id: 25, type: "u32" },
});

/** TCA_CAKE_STATS_*: the qdisc's statistics (and a flow's, dumped as a class); tins are numbered from 1. */
const CAKE_STATS = attrSchema("TCA_CAKE_STATS_", "linux/pkt_sched.h", {
  PAD: { id: 1, type: "pad" },
  CAPACITY_ESTIMATE64: { id: 2, type: "u64" },
  MEMORY_LIMIT: { id: 3, type: "u32" },
  MEMORY_USED: { id: 4, type: "u32" },
  AVG_NETOFF: { id: 5, type: "u32" },
  MIN_NETLEN: { id: 6, type: "u32" },
  MAX_NETLEN: { id: 7, type: "u32" },
  MIN_ADJLEN: { id: 8, type: "u32" },
  MAX_ADJLEN: { id: 9, type: "u32" },
  TIN_STATS: { id: 10, type: "array", schema: CAKE_TIN_STATS },
  DEFICIT: { id: 11, type: "s32" },
  COBALT_COUNT: { id: 12, type: "u32" },
  DROPPING: { id: 13, type: "u32" },
  DROP_NEXT_US: { id: 14, type: "s32" },
  P_DROP: { id: 15, type: "u32" },
  BLUE_TIMER_US: { id: 16, type: "s32" },
});

/** cake's statistics: the TCA_CAKE_STATS_* attributes that fill its application-specific block. */
const CAKE_XSTATS: CustomCodec = {
  decode: (b, v, off, len, ctx) => decodeAttrs(CAKE_STATS, b, v, off, off + len, ctx),
  encode: (w, x, path, ctx) => encodeAttrs(w, CAKE_STATS, x as Record<string, unknown>, path, ctx),
};

/** A cake RTT preset (`datacentre` … `interplanetary`; `internet` is the kernel's default). */
export type CakePreset =
  | "datacentre"
  | "lan"
  | "metro"
  | "regional"
  | "internet"
  | "oceanic"
  | "satellite"
  | "interplanetary";

/** tc(8)'s round-trip-time presets: the target and interval each sets (µs). */
const PRESETS: Readonly<Record<CakePreset, readonly [number, number]>> = {
  datacentre: [5, 100],
  lan: [50, 1000],
  metro: [500, 10000],
  regional: [1500, 30000],
  internet: [5000, 100000],
  oceanic: [15000, 300000],
  satellite: [50000, 1000000],
  interplanetary: [50000000, 1000000000],
};

/** A cake framing keyword (`pppoe-ptm`, `ethernet`, `docsis`, …). */
export type CakeFraming =
  | "conservative"
  | "ipoa-vcmux"
  | "ipoa-llcsnap"
  | "bridged-vcmux"
  | "bridged-llcsnap"
  | "pppoa-vcmux"
  | "pppoa-llc"
  | "pppoe-vcmux"
  | "pppoe-llcsnap"
  | "pppoe-ptm"
  | "bridged-ptm"
  | "via-ethernet"
  | "ethernet"
  | "ether-vlan"
  | "docsis";

/**
 * The framing keywords: each sets the cell framing and adds to the overhead
 * (and `ethernet`, `docsis` set the MPU) as tc(8) does; `conservative` sets
 * ATM with 48 bytes; `via-ethernet` does nothing (kept for old scripts).
 */
const FRAMING: Readonly<Record<CakeFraming, { atm?: number; add?: number; set?: number; mpu?: number }>> = {
  "conservative": { atm: 1, set: 48 },
  "ipoa-vcmux": { atm: 1, add: 8 },
  "ipoa-llcsnap": { atm: 1, add: 16 },
  "bridged-vcmux": { atm: 1, add: 24 },
  "bridged-llcsnap": { atm: 1, add: 32 },
  "pppoa-vcmux": { atm: 1, add: 10 },
  "pppoa-llc": { atm: 1, add: 14 },
  "pppoe-vcmux": { atm: 1, add: 32 },
  "pppoe-llcsnap": { atm: 1, add: 40 },
  "pppoe-ptm": { atm: 2, add: 30 },
  "bridged-ptm": { atm: 2, add: 22 },
  "via-ethernet": {},
  "ethernet": { add: 38, mpu: 84 },
  "ether-vlan": { add: 4 },
  "docsis": { atm: 0, add: 18, mpu: 64 },
};

/** The CAKE shaper (`tc qdisc add … cake bandwidth 100mbit diffserv4 dual-dsthost nat ack-filter`). */
export interface CakeOptions {
  /** The kind. */
  kind: "cake";
  /** The shaped rate (`bandwidth`), or `"unlimited"` (default: unlimited). */
  bandwidth?: Rate | "unlimited";
  /** Estimate the rate from arriving traffic (`autorate-ingress`); `bandwidth` alone turns it off, as tc does. */
  autorateIngress?: boolean;
  /** The expected round-trip time (`rtt`; the target is 1/20 of it). Not with `preset`. */
  rtt?: Time;
  /** A round-trip-time preset (`metro`, `internet`, …). Not with `rtt`. */
  preset?: CakePreset;
  /** Tin layout (`besteffort`, `diffserv3`, `diffserv4`, `diffserv8`, `precedence`; `diffserv` is diffserv4). */
  diffserv?: "diffserv3" | "diffserv4" | "diffserv8" | "besteffort" | "precedence" | "diffserv";
  /** Flow isolation (`triple-isolate`, `dual-dsthost`, `flows`, `flowblind`, …). */
  flowMode?:
    | "flowblind"
    | "srchost"
    | "dsthost"
    | "hosts"
    | "flows"
    | "dual-srchost"
    | "dual-dsthost"
    | "triple-isolate";
  /** Look up NAT mappings for flow isolation (`nat`/`nonat`). */
  nat?: boolean;
  /** Clear DSCP marks after classifying (`wash`/`nowash`). */
  wash?: boolean;
  /** Split GSO super-packets (`split-gso`/`no-split-gso`). */
  splitGso?: boolean;
  /** Shape as an ingress shaper, counting drops (`ingress`/`egress`). */
  ingress?: boolean;
  /** TCP ACK filtering (`ack-filter`, `ack-filter-aggressive`, `no-ack-filter`). */
  ackFilter?: "no-ack-filter" | "ack-filter" | "ack-filter-aggressive";
  /** Memory the queues may use (`memlimit`). */
  memlimit?: Size;
  /** Mask of the firewall mark that selects the tin (`fwmark`; 0 turns it off). */
  fwmark?: number;
  /** Bytes added to each packet, -64..256 (`overhead`); framing keywords add to it. */
  overhead?: number;
  /** Framing keywords applied after `overhead`, in order, as tc(8) applies them (`pppoe-ptm`, `ether-vlan`, …). */
  framing?: CakeFraming | readonly CakeFraming[];
  /** Cell framing (`atm`, `ptm`, `noatm`); overrides what framing keywords set. */
  atm?: "noatm" | "atm" | "ptm";
  /** Minimum packet size, 0..256 (`mpu`); overrides what framing keywords set. */
  mpu?: number;
  /** Use the packet sizes as they are, no overhead compensation (`raw`). Not with overhead, framing or atm. */
  raw?: boolean;
}

/** cake's decoded options (rate in bytes per second, times in microseconds). */
export interface CakeData {
  /** The shaped rate (0: unlimited). */
  baseRate64?: bigint;
  /** Tin layout. */
  diffservMode?: string | number;
  /** Cell framing. */
  atm?: string | number;
  /** Flow isolation. */
  flowMode?: string | number;
  /** Per-packet overhead. */
  overhead?: number;
  /** Round-trip time (µs). */
  rtt?: number;
  /** Target delay (µs). */
  target?: number;
  /** Ingress rate estimation. */
  autorate?: boolean;
  /** Memory limit (bytes). */
  memory?: number;
  /** NAT lookups. */
  nat?: boolean;
  /** Raw sizes, no overhead compensation (present only then). */
  raw?: boolean;
  /** DSCP washing. */
  wash?: boolean;
  /** Minimum packet unit. */
  mpu?: number;
  /** Ingress mode. */
  ingress?: boolean;
  /** ACK filtering. */
  ackFilter?: string | number;
  /** GSO splitting. */
  splitGso?: boolean;
  /** Firewall mark mask. */
  fwmark?: number;
}

/** One tin's statistics. */
export interface CakeTinStats {
  /** Packets sent. */
  sentPackets?: number;
  /** Bytes sent. */
  sentBytes64?: bigint;
  /** Packets dropped. */
  droppedPackets?: number;
  /** Bytes dropped. */
  droppedBytes64?: bigint;
  /** ACKs dropped by the filter. */
  acksDroppedPackets?: number;
  /** Bytes of ACKs dropped. */
  acksDroppedBytes64?: bigint;
  /** Packets ECN-marked. */
  ecnMarkedPackets?: number;
  /** Bytes ECN-marked. */
  ecnMarkedBytes64?: bigint;
  /** Packets queued. */
  backlogPackets?: number;
  /** Bytes queued. */
  backlogBytes?: number;
  /** The tin's rate threshold. */
  thresholdRate64?: bigint;
  /** Target (µs). */
  targetUs?: number;
  /** Interval (µs). */
  intervalUs?: number;
  /** Set-associative hash: indirect hits. */
  wayIndirectHits?: number;
  /** Set-associative hash: misses. */
  wayMisses?: number;
  /** Set-associative hash: collisions. */
  wayCollisions?: number;
  /** Peak delay (µs). */
  peakDelayUs?: number;
  /** Average delay (µs). */
  avgDelayUs?: number;
  /** Base delay (µs). */
  baseDelayUs?: number;
  /** Sparse flows. */
  sparseFlows?: number;
  /** Bulk flows. */
  bulkFlows?: number;
  /** Unresponsive flows. */
  unresponsiveFlows?: number;
  /** Largest packet. */
  maxSkblen?: number;
  /** Flow quantum. */
  flowQuantum?: number;
}

/** cake's statistics (the qdisc's; a flow's, dumped as a class, has deficit … blueTimerUs). */
export interface CakeXstats {
  /** Estimated capacity (autorate-ingress). */
  capacityEstimate64?: bigint;
  /** Memory limit (bytes). */
  memoryLimit?: number;
  /** Memory used (bytes). */
  memoryUsed?: number;
  /** Average network header offset. */
  avgNetoff?: number;
  /** Smallest network-layer size. */
  minNetlen?: number;
  /** Largest network-layer size. */
  maxNetlen?: number;
  /** Smallest overhead-adjusted size. */
  minAdjlen?: number;
  /** Largest overhead-adjusted size. */
  maxAdjlen?: number;
  /** Per-tin statistics, in tin order. */
  tinStats?: CakeTinStats[];
  /** A flow's deficit. */
  deficit?: number;
  /** A flow's COBALT drop count. */
  cobaltCount?: number;
  /** A flow is dropping (0/1). */
  dropping?: number;
  /** Time to a flow's next drop (µs). */
  dropNextUs?: number;
  /** A flow's BLUE drop probability. */
  pDrop?: number;
  /** A flow's BLUE timer (µs). */
  blueTimerUs?: number;
}

/** How the link-layer options combine, as tc(8) applies its words. */
function linkLayer(o: TcOptions): { atm?: number; overhead?: number; raw?: true; mpu?: number } {
  const framing = o.framing === undefined ? [] : Array.isArray(o.framing) ? o.framing : [o.framing];
  const raw = bool(o.raw, "raw");
  if (raw) {
    for (const key of ["overhead", "framing", "atm"]) {
      if (o[key] !== undefined) {
        throw new ValidationError("raw", true, `raw takes no ${key}: it turns compensation off`);
      }
    }
  }
  let atm: number | undefined;
  let overhead = intIn(o.overhead, -64, 256, "overhead");
  let mpu: number | undefined;
  framing.forEach((word: unknown, i: number) => {
    const f = oneOf(word, Object.keys(FRAMING) as CakeFraming[], `framing[${i}]`)!;
    const effect = FRAMING[f];
    if (effect.atm !== undefined) atm = effect.atm;
    if (effect.set !== undefined) overhead = effect.set;
    if (effect.add !== undefined) overhead = (overhead ?? 0) + effect.add;
    if (effect.mpu !== undefined) mpu = effect.mpu;
  });
  if (o.atm !== undefined) atm = CAKE_ATM.value(oneOf(o.atm, ["noatm", "atm", "ptm"], "atm")!, "atm");
  if (o.mpu !== undefined) mpu = intIn(o.mpu, 0, 256, "mpu");
  return raw ? { atm: 0, overhead: 0, raw: true, mpu } : { atm, overhead, mpu };
}

const CAKE: TcKindCodec = {
  options: CAKE_ATTRS,
  keys: [
    "bandwidth",
    "autorateIngress",
    "rtt",
    "preset",
    "diffserv",
    "flowMode",
    "nat",
    "wash",
    "splitGso",
    "ingress",
    "ackFilter",
    "memlimit",
    "fwmark",
    "overhead",
    "framing",
    "atm",
    "mpu",
    "raw",
  ],
  encode(o: TcOptions) {
    // tc always sends TCA_OPTIONS (empty when nothing is given), in this order.
    const out: Record<string, unknown> = {};
    if (o.bandwidth !== undefined) {
      out.baseRate64 = o.bandwidth === "unlimited" ? 0n : parseRate(o.bandwidth as Rate, "bandwidth");
    }
    if (o.diffserv !== undefined) {
      const names = ["diffserv3", "diffserv4", "diffserv8", "besteffort", "precedence", "diffserv"] as const;
      out.diffservMode = CAKE_DIFFSERV.value(oneOf(o.diffserv, names, "diffserv")!, "diffserv");
    }
    const ll = linkLayer(o);
    if (ll.atm !== undefined) out.atm = ll.atm;
    if (o.flowMode !== undefined) {
      out.flowMode = CAKE_FLOW.value(oneOf(o.flowMode, Object.values(CAKE_FLOW_WORDS), "flowMode")!, "flowMode");
    }
    if (ll.overhead !== undefined) out.overhead = ll.overhead;
    if (ll.raw) out.raw = true;
    if (ll.mpu !== undefined) out.mpu = ll.mpu;
    if (o.rtt !== undefined && o.preset !== undefined) {
      throw new ValidationError("preset", o.preset, "give either rtt or a preset");
    }
    if (o.rtt !== undefined) {
      const rtt = parseTime(o.rtt as Time, "rtt");
      if (rtt === 0) throw new ValidationError("rtt", o.rtt, "must be above 0");
      out.rtt = rtt;
      out.target = Math.max(1, Math.floor(rtt / 20));
    } else if (o.preset !== undefined) {
      const [target, interval] = PRESETS[oneOf(o.preset, Object.keys(PRESETS) as CakePreset[], "preset")!];
      out.rtt = interval;
      out.target = target;
    }
    const autorate = bool(o.autorateIngress, "autorateIngress");
    if (autorate !== undefined || o.bandwidth !== undefined) out.autorate = autorate ?? false;
    if (o.memlimit !== undefined) out.memory = parseSize(o.memlimit as Size, "memlimit");
    if (o.fwmark !== undefined) out.fwmark = u32(o.fwmark, "fwmark");
    if (o.nat !== undefined) out.nat = bool(o.nat, "nat");
    if (o.wash !== undefined) out.wash = bool(o.wash, "wash");
    if (o.splitGso !== undefined) out.splitGso = bool(o.splitGso, "splitGso");
    if (o.ingress !== undefined) out.ingress = bool(o.ingress, "ingress");
    if (o.ackFilter !== undefined) {
      const words = ["no-ack-filter", "ack-filter", "ack-filter-aggressive"] as const;
      out.ackFilter = CAKE_ACK.value(oneOf(o.ackFilter, words, "ackFilter")!, "ackFilter");
    }
    return out;
  },
  xstats: CAKE_XSTATS,
};

/** The codec of cake. */
export const CAKE_QDISCS = { cake: CAKE } as const;

/** cake's flows, dumped as classes (`tc -s class show dev D`): their statistics only. */
export const CAKE_CLASS: TcKindCodec = { xstats: CAKE_XSTATS, keys: [] };
