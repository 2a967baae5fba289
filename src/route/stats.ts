/**
 * Link statistics over time: counters read with RTM_GETSTATS (only the 64-bit
 * counters, lighter than a full link dump), snapshots, deltas and rates.
 *
 * @example
 * ```ts ignore
 * const a = await takeStatsSnapshot(conn);
 * await new Promise((r) => setTimeout(r, 1000));
 * const b = await takeStatsSnapshot(conn);
 * for (const r of statsDelta(a, b)) console.log(r.index, r.rxBytesPerSecond, r.txBytesPerSecond);
 * ```
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, messageSchema, type MessageView } from "../core/message.ts";
import { attrSchema } from "../core/schema.ts";
import { cStruct } from "../core/struct.ts";
import { MessageWriter } from "../core/writer.ts";
import { FAMILY, RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import { LINK_STATS64 } from "./link_stats.ts";
import type { LinkStats } from "./link_types.ts";

/** struct if_stats_msg. */
export const IF_STATS_MSG = cStruct("linux/if_link.h", "struct if_stats_msg", [
  { c: "family", type: "u8", enum: FAMILY },
  { type: "pad", size: 3 }, // pad1, pad2
  { c: "ifindex", type: "u32" },
  { c: "filter_mask", type: "u32" },
]);

/** IFLA_STATS_*: what RTM_NEWSTATS carries (the 64-bit counters decoded; the rest kept raw). */
export const STATS_ATTRS = attrSchema("IFLA_STATS_", "linux/if_link.h", {
  LINK_64: { id: 1, type: "struct", struct: LINK_STATS64 },
  LINK_XSTATS: { id: 2, type: "binary" },
  LINK_XSTATS_SLAVE: { id: 3, type: "binary" },
  LINK_OFFLOAD_XSTATS: { id: 4, type: "binary" },
  AF_SPEC: { id: 5, type: "binary" },
});

/** The statistics message. */
export const STATS_MESSAGE = messageSchema("stats", IF_STATS_MSG, STATS_ATTRS);

/** One link's counters. */
export interface LinkCounters {
  /** Interface index. */
  index: number;
  /** The 64-bit counters. */
  stats: LinkStats<bigint>;
}

/** IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64). */
const LINK_64_BIT = 1 << (1 - 1);

const decodeCounters = (m: MessageView): LinkCounters | undefined => {
  if (m.type !== RTM.NEWSTATS) return undefined;
  const d = decodeMessage(STATS_MESSAGE, m) as { ifindex: number; link64?: LinkStats<bigint> };
  return d.link64 ? { index: d.ifindex, stats: d.link64 } : undefined;
};

/**
 * Builds the RTM_GETSTATS request for the 64-bit counters of one link (or a dump of all).
 *
 * @example
 * ```ts
 * import { statsRequest } from "./stats.ts";
 * statsRequest().length; // 28
 * ```
 */
export function statsRequest(index?: number): Uint8Array {
  const w = new MessageWriter(32);
  const flags = index === undefined ? REQUEST_FLAGS.dump : REQUEST_FLAGS.get;
  encodeMessage(w, STATS_MESSAGE, RTM.GETSTATS, flags, {
    family: "unspec",
    ifindex: index ?? 0,
    filterMask: LINK_64_BIT,
  });
  return w.bytes();
}

/**
 * The 64-bit counters of every link, or of one.
 *
 * @example
 * ```ts ignore
 * const [lo] = await getLinkStats(conn, { dev: "lo" });
 * lo.stats.rxBytes; // 1234n
 * ```
 */
export async function getLinkStats(conn: NetlinkConnection, options: { dev?: Dev } = {}): Promise<LinkCounters[]> {
  if (options.dev === undefined) return await conn.dump(statsRequest(), decodeCounters, "getLinkStats");
  const index = await resolveDev(conn, options.dev);
  return [await conn.get(statsRequest(index), decodeCounters, `getLinkStats ${options.dev}`)];
}

/** Counters of every link at one moment. */
export interface StatsSnapshot {
  /** When it was taken (`performance.now()`, milliseconds). */
  time: number;
  /** Counters by interface index. */
  links: Map<number, LinkStats<bigint>>;
}

/**
 * Reads every link's counters (or one link's) as a snapshot.
 *
 * @example
 * ```ts ignore
 * const snap = await takeStatsSnapshot(conn);
 * ```
 */
export async function takeStatsSnapshot(conn: NetlinkConnection, options: { dev?: Dev } = {}): Promise<StatsSnapshot> {
  const counters = await getLinkStats(conn, options);
  return { time: performance.now(), links: new Map(counters.map((c) => [c.index, c.stats])) };
}

/** What changed on one link between two snapshots, and the rates. */
export interface LinkRates {
  /** Interface index. */
  index: number;
  /** Seconds between the snapshots. */
  interval: number;
  /** Counter increases (a counter that went down — a reset — counts from zero). */
  delta: LinkStats<bigint>;
  /** Received bytes per second. */
  rxBytesPerSecond: number;
  /** Sent bytes per second. */
  txBytesPerSecond: number;
  /** Received packets per second. */
  rxPacketsPerSecond: number;
  /** Sent packets per second. */
  txPacketsPerSecond: number;
  /** Received bits per second. */
  rxBitsPerSecond: number;
  /** Sent bits per second. */
  txBitsPerSecond: number;
}

/**
 * The deltas and rates between two snapshots, for links present in both.
 *
 * @example
 * ```ts ignore
 * for (const r of statsDelta(before, after)) console.log(r.index, r.txBitsPerSecond);
 * ```
 */
export function statsDelta(before: StatsSnapshot, after: StatsSnapshot): LinkRates[] {
  const interval = Math.max(1e-9, (after.time - before.time) / 1000);
  const out: LinkRates[] = [];
  for (const [index, b] of after.links) {
    const a = before.links.get(index);
    if (!a) continue;
    const delta = {} as Record<string, bigint>;
    for (const [k, v] of Object.entries(b) as [string, bigint][]) {
      const old = (a as unknown as Record<string, bigint | undefined>)[k] ?? 0n;
      delta[k] = v >= old ? v - old : v; // a reset: count what is there now
    }
    const d = delta as unknown as LinkStats<bigint>;
    const rate = (x: bigint) => Number(x) / interval;
    out.push({
      index,
      interval,
      delta: d,
      rxBytesPerSecond: rate(d.rxBytes),
      txBytesPerSecond: rate(d.txBytes),
      rxPacketsPerSecond: rate(d.rxPackets),
      txPacketsPerSecond: rate(d.txPackets),
      rxBitsPerSecond: rate(d.rxBytes) * 8,
      txBitsPerSecond: rate(d.txBytes) * 8,
    });
  }
  return out;
}

/**
 * Keeps the previous snapshot: each `update` returns the rates since the last one.
 *
 * @example
 * ```ts ignore
 * const tracker = new StatsTracker();
 * setInterval(async () => {
 *   const rates = tracker.update(await takeStatsSnapshot(conn));
 *   if (rates) console.log(rates.map((r) => `${r.index}: ${(r.rxBitsPerSecond / 1e6).toFixed(1)} Mbit/s`));
 * }, 1000);
 * ```
 */
export class StatsTracker {
  #last?: StatsSnapshot;

  /** Returns the rates since the previous snapshot (undefined for the first). */
  update(snapshot: StatsSnapshot): LinkRates[] | undefined {
    const last = this.#last;
    this.#last = snapshot;
    return last ? statsDelta(last, snapshot) : undefined;
  }
}
