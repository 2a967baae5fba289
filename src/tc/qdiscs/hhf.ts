/**
 * Heavy-Hitter Filter: the `hhf` qdisc, which puts flows that send a lot
 * (heavy hitters) in a queue of lower weight — layout, typed options, encoder
 * and decoded data.
 *
 * @module
 */
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn, optSize, put, type Size, type Time } from "../common.ts";
import type { TcKindCodec } from "../kind.ts";
import { parseTime } from "../units.ts";

/**
 * TCA_HHF_*: hhf's options (times in microseconds).
 *
 * @example
 * ```ts
 * import { HHF_ATTRS } from "./hhf.ts";
 * HHF_ATTRS.field("nonHhWeight").id; // 7
 * ```
 */
export const HHF_ATTRS: AttrSchema = attrSchema("TCA_HHF_", "linux/pkt_sched.h", {
  BACKLOG_LIMIT: { id: 1, type: "u32" },
  QUANTUM: { id: 2, type: "u32" },
  HH_FLOWS_LIMIT: { id: 3, type: "u32" },
  RESET_TIMEOUT: { id: 4, type: "u32" },
  ADMIT_BYTES: { id: 5, type: "u32" },
  EVICT_TIMEOUT: { id: 6, type: "u32" },
  NON_HH_WEIGHT: { id: 7, type: "u32" },
});

/** struct tc_hhf_xstats: hhf's counters. */
const TC_HHF_XSTATS = cStruct("linux/pkt_sched.h", "struct tc_hhf_xstats", [
  { c: "drop_overlimit", type: "u32" },
  { c: "hh_overlimit", type: "u32" },
  { c: "hh_tot_count", type: "u32" },
  { c: "hh_cur_count", type: "u32" },
]);

/**
 * The heavy-hitter filter (`tc qdisc add … hhf hh_limit 2048 admit_bytes 128k`).
 *
 * @example
 * ```ts ignore
 * await conn.addQdisc({ dev: "p0", kind: "hhf", hhLimit: 2048, admitBytes: "128k" });
 * ```
 */
export interface HhfOptions {
  /** The kind. */
  kind: "hhf";
  /** The queue limit in packets (`limit`; default 1000). */
  limit?: number;
  /** Bytes dequeued per round (`quantum`; default 1514). */
  quantum?: Size;
  /** The most heavy hitters tracked (`hh_limit`; default 2048). */
  hhLimit?: number;
  /** How often the counters are reset (`reset_timeout`; default 40ms). */
  resetTimeout?: Time;
  /** Bytes a flow sends before it counts as a heavy hitter (`admit_bytes`; default 128k). */
  admitBytes?: Size;
  /** Idle time after which a heavy hitter is forgotten (`evict_timeout`; default 1s). */
  evictTimeout?: Time;
  /** The non-heavy-hitter queue's weight against the heavy one (`non_hh_weight`; default 2). */
  nonHhWeight?: number;
}

/** hhf's decoded options (times in microseconds). */
export interface HhfData {
  /** Packets. */
  backlogLimit?: number;
  /** Bytes per round. */
  quantum?: number;
  /** Heavy hitters tracked. */
  hhFlowsLimit?: number;
  /** Counter reset interval. */
  resetTimeout?: number;
  /** Admission threshold in bytes. */
  admitBytes?: number;
  /** Eviction idle time. */
  evictTimeout?: number;
  /** Non-heavy-hitter weight. */
  nonHhWeight?: number;
}

/** hhf's extended statistics. */
export interface HhfXstats {
  /** Times the packet limit was hit. */
  dropOverlimit: number;
  /** Times the heavy-hitter limit was hit. */
  hhOverlimit: number;
  /** Heavy hitters caught so far. */
  hhTotCount: number;
  /** Heavy hitters now. */
  hhCurCount: number;
}

const time = (value: unknown, name: string) => value === undefined ? undefined : parseTime(value as Time, name);

/**
 * The hhf codec.
 *
 * @example
 * ```ts
 * import { HHF } from "./hhf.ts";
 * HHF.keys?.includes("hhLimit"); // true
 * ```
 */
export const HHF: TcKindCodec = {
  options: HHF_ATTRS,
  xstats: TC_HHF_XSTATS,
  keys: ["limit", "quantum", "hhLimit", "resetTimeout", "admitBytes", "evictTimeout", "nonHhWeight"],
  encode(o) {
    const out: Record<string, unknown> = {};
    put(out, "backlogLimit", intIn(o.limit, 0, 0xffffffff, "limit"));
    put(out, "quantum", optSize(o.quantum, "quantum"));
    put(out, "hhFlowsLimit", intIn(o.hhLimit, 0, 0xffffffff, "hhLimit"));
    put(out, "resetTimeout", time(o.resetTimeout, "resetTimeout"));
    put(out, "admitBytes", optSize(o.admitBytes, "admitBytes"));
    put(out, "evictTimeout", time(o.evictTimeout, "evictTimeout"));
    put(out, "nonHhWeight", intIn(o.nonHhWeight, 0, 0xffffffff, "nonHhWeight"));
    return out;
  },
};
