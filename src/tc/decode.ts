/**
 * Decoding traffic-control messages into plain objects: the generic decode
 * of struct tcmsg and TCA_* (options and extended statistics laid out by the
 * kind), handles printed as tc(8) prints them, and the statistics blocks
 * merged into one {@linkcode TcStats}.
 *
 * @module
 */
import { decodeMessage, type MessageSchema, type MessageView } from "../core/message.ts";
import type { RawAttribute } from "../core/schema.ts";
import { TCM_IFINDEX_MAGIC_BLOCK } from "./constants.ts";
import { formatHandle } from "./handle.ts";
import type { KindTable } from "./kind.ts";
import { StructDef } from "../core/struct.ts";

/** A qdisc's, class's, filter's or action's statistics, merged from TCA_STATS2 (or the old TCA_STATS). */
export interface TcStats {
  /** Bytes seen. */
  bytes: bigint;
  /** Packets seen (64-bit where the kernel sends TCA_STATS_PKT64). */
  packets: bigint;
  /** Packets dropped. */
  drops: number;
  /** Enqueues over the limit (throttle events). */
  overlimits: number;
  /** Requeued packets. */
  requeues: number;
  /** Packets queued now. */
  qlen: number;
  /** Bytes queued now. */
  backlog: number;
  /** Estimated rate in bytes per second (with an estimator). */
  bps: bigint;
  /** Estimated rate in packets per second (with an estimator). */
  pps: bigint;
  /** What hardware offload handled (TCA_STATS_BASIC_HW), when reported. */
  hw?: { bytes: bigint; packets: number };
  /**
   * Whether the kernel reported a rate estimator block (TCA_STATS_RATE_EST or TCA_STATS_RATE_EST64): then
   * `bps`/`pps` are measured values, possibly 0; otherwise they are 0 because nothing measures them. Always set
   * by the decoder (false for the old TCA_STATS, whose rate fields are always there); optional so that
   * hand-built statistics need not say.
   */
  rateEst?: boolean;
  /**
   * Which counter blocks the kernel reported: TCA_STATS_BASIC and TCA_STATS_QUEUE inside TCA_STATS2 (both for
   * the old TCA_STATS). An object without counters of its own (a tbf qdisc's class) sends an empty TCA_STATS2:
   * its counters are then 0 because nothing counts them, and tc prints no counter lines. Always set by the
   * decoder; optional so that hand-built statistics need not say.
   */
  reported?: { basic: boolean; queue: boolean };
  /**
   * Only the old TCA_STATS came, no TCA_STATS2 (as for a filter with an
   * old-style policer, whose counters the kernel copies in compat mode): tc
   * prints them in the old one-line format.
   */
  compat?: boolean;
}

/** Common fields of a decoded qdisc, class or filter. */
export interface TcObject {
  /** The kind (`"htb"`, `"u32"`, …). */
  kind: string;
  /** The device's ifindex (0 for a shared block's filters; see `block`). */
  ifindex: number;
  /** The shared block's index, for filters of a block. */
  block?: number;
  /** The parent: `"root"`, `"1:"`, `"1:10"`, `"ffff:fff1"`, … */
  parent: string;
  /**
   * struct tcmsg's `tcm_info` as the kernel sent it: a qdisc's reference count (tc's `refcnt`), a class's leaf
   * qdisc handle (tc's `leaf 10:`; 0 without one), a filter's priority << 16 | protocol in network order.
   */
  info: number;
  /** Kind-specific options, decoded by the kind's layout (raw bytes for a kind nlink does not know). */
  options?: unknown;
  /** Statistics. */
  stats?: TcStats;
  /** Kind-specific statistics (TCA_XSTATS), decoded by the kind's layout. */
  xstats?: unknown;
  /** The rate estimator (TCA_RATE). */
  estimator?: { interval: number; ewmaLog: number };
  /** Offloaded to hardware. */
  hwOffload?: number;
  /** The chain (filters). */
  chain?: number;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

type Raw = Record<string, unknown>;

/**
 * Merges TCA_STATS2 (or TCA_STATS) into one statistics object.
 *
 * @example
 * ```ts
 * import { mergeStats } from "./decode.ts";
 * mergeStats({ basic: { bytes: 10n, packets: 1 } })?.packets; // 1n
 * mergeStats({ rateEst: { bps: 0, pps: 0 } })?.rateEst; // true: an estimator runs, measuring 0
 * mergeStats({})?.reported; // { basic: false, queue: false }: an empty TCA_STATS2
 * ```
 */
export function mergeStats(stats2: Raw | undefined, v1?: Raw): TcStats | undefined {
  if (stats2 === undefined && v1 === undefined) return undefined;
  // TCA_STATS is the kernel's compatibility copy: read only when TCA_STATS2 is missing, as tc does.
  const basic = (stats2 ? stats2.basic : v1) as { bytes?: bigint; packets?: number } | undefined;
  const queue = (stats2 ? stats2.queue : v1) as Partial<Record<string, number>> | undefined;
  const est64 = stats2?.rateEst64 as { bps: bigint; pps: bigint } | undefined;
  const est = (stats2 ? stats2.rateEst : v1) as { bps?: number; pps?: number } | undefined;
  const pkt64 = stats2?.pkt64 as bigint | undefined;
  const out: TcStats = {
    bytes: basic?.bytes ?? 0n,
    packets: pkt64 ?? BigInt(basic?.packets ?? 0),
    drops: queue?.drops ?? 0,
    overlimits: queue?.overlimits ?? 0,
    requeues: queue?.requeues ?? 0,
    qlen: queue?.qlen ?? 0,
    backlog: queue?.backlog ?? 0,
    bps: est64?.bps ?? BigInt(est?.bps ?? 0),
    pps: est64?.pps ?? BigInt(est?.pps ?? 0),
    rateEst: est64 !== undefined || stats2?.rateEst !== undefined,
    reported: { basic: basic !== undefined, queue: queue !== undefined },
  };
  if (stats2 === undefined) out.compat = true;
  const hw = stats2?.basicHw as { bytes: bigint; packets: number } | undefined;
  if (hw) out.hw = { bytes: hw.bytes, packets: hw.packets };
  return out;
}

/**
 * Decodes a qdisc, class, filter or chain message into the common shape; the
 * caller adds its own header fields (handle, priority, protocol) from `raw`.
 * Kinds that report their statistics only in TCA_STATS_APP (cake) have them
 * decoded by `app` when there is no TCA_XSTATS.
 *
 * @example
 * ```ts ignore
 * const { object, raw } = decodeTcObject(QDISC_MESSAGE, msg);
 * ```
 */
export function decodeTcObject(
  schema: MessageSchema,
  msg: MessageView,
  app?: (kind: string, bytes: Uint8Array) => unknown,
): { object: TcObject; raw: Raw } {
  const raw = decodeMessage(schema, msg);
  const ifindex = raw.ifindex as number;
  const parentNum = raw.parent as number;
  const object: TcObject = {
    kind: (raw.kind as string | undefined) ?? "",
    ifindex: ifindex === (TCM_IFINDEX_MAGIC_BLOCK | 0) ? 0 : ifindex,
    parent: formatHandle(parentNum),
    info: raw.info as number,
  };
  if (ifindex === (TCM_IFINDEX_MAGIC_BLOCK | 0)) object.block = parentNum;
  if (raw.options !== undefined) object.options = raw.options;
  const stats = mergeStats(raw.stats2 as Raw | undefined, raw.statsV1 as Raw | undefined);
  if (stats) object.stats = stats;
  if (raw.xstats !== undefined) object.xstats = raw.xstats;
  else if (app !== undefined) {
    const bytes = (raw.stats2 as Raw | undefined)?.app as Uint8Array | undefined;
    const xstats = bytes === undefined ? undefined : app(object.kind, bytes);
    if (xstats !== undefined) object.xstats = xstats;
  }
  if (raw.estimator !== undefined) object.estimator = raw.estimator as TcObject["estimator"];
  if (raw.hwOffload !== undefined) object.hwOffload = raw.hwOffload as number;
  if (raw.chain !== undefined) object.chain = raw.chain as number;
  if (raw.unknownAttrs !== undefined) object.unknownAttrs = raw.unknownAttrs as RawAttribute[];
  return { object, raw };
}

/**
 * Decodes TCA_STATS_APP bytes with the kind's extended-statistics layout
 * (undefined when the kind has none).
 *
 * @example
 * ```ts ignore
 * decodeTcObject(QDISC_MESSAGE, msg, appStats(qdiscKinds));
 * ```
 */
export function appStats(kinds: () => KindTable): (kind: string, bytes: Uint8Array) => unknown {
  return (kind, bytes) => {
    const layout = kinds()[kind]?.xstats;
    if (layout === undefined) return undefined;
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return layout instanceof StructDef
      ? layout.decode(bytes, v, 0, bytes.length)
      : layout.decode(bytes, v, 0, bytes.length, { family: 0 });
  };
}

/**
 * How statistics changed between two snapshots, and the rates over `seconds`.
 *
 * @example
 * ```ts
 * import { tcStatsDelta } from "./decode.ts";
 * const zero = { bytes: 0n, packets: 0n, drops: 0, overlimits: 0, requeues: 0, qlen: 0, backlog: 0, bps: 0n, pps: 0n };
 * tcStatsDelta(zero, { ...zero, bytes: 1000n, packets: 10n }, 2).bytesPerSecond; // 500
 * ```
 */
export function tcStatsDelta(before: TcStats, after: TcStats, seconds: number): TcStatsDelta {
  const bytes = after.bytes - before.bytes;
  const packets = after.packets - before.packets;
  return {
    bytes,
    packets,
    drops: after.drops - before.drops,
    overlimits: after.overlimits - before.overlimits,
    requeues: after.requeues - before.requeues,
    bytesPerSecond: seconds > 0 ? Number(bytes) / seconds : 0,
    packetsPerSecond: seconds > 0 ? Number(packets) / seconds : 0,
  };
}

/** The change between two statistics snapshots ({@linkcode tcStatsDelta}). */
export interface TcStatsDelta {
  /** Bytes in the interval. */
  bytes: bigint;
  /** Packets in the interval. */
  packets: bigint;
  /** Drops in the interval. */
  drops: number;
  /** Overlimits in the interval. */
  overlimits: number;
  /** Requeues in the interval. */
  requeues: number;
  /** Bytes per second over the interval. */
  bytesPerSecond: number;
  /** Packets per second over the interval. */
  packetsPerSecond: number;
}
