/**
 * Neighbour tables (arp_cache, ndisc_cache, …): their thresholds, statistics
 * and parameters, per table and per device (RTM_GETNEIGHTBL), and changing
 * them (RTM_SETNEIGHTBL). Requests are byte-for-byte what `ip ntable` sends.
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import {
  decodeMessage,
  encodeMessage,
  inOptionOrder,
  type MessageSchema,
  messageSchema,
  type MessageView,
} from "../core/message.ts";
import { type AttrSchema, attrSchema, type RawAttribute } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { MessageWriter } from "../core/writer.ts";
import { checkIpFamily, FAMILY, familyNumber, RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";

/** struct ndtmsg. */
export const NDTMSG: StructDef = cStruct("linux/neighbour.h", "struct ndtmsg", [
  { c: "ndtm_family", type: "u8", enum: FAMILY },
  { type: "pad", size: 3 },
], { strip: "ndtm_" });

/** struct ndt_config: the table's fixed configuration (read-only). */
export const NDT_CONFIG: StructDef = cStruct("linux/neighbour.h", "struct ndt_config", [
  { c: "ndtc_key_len", type: "u16" },
  { c: "ndtc_entry_size", type: "u16" },
  { c: "ndtc_entries", type: "u32" },
  { c: "ndtc_last_flush", type: "u32" },
  { c: "ndtc_last_rand", type: "u32" },
  { c: "ndtc_hash_rnd", type: "u32" },
  { c: "ndtc_hash_mask", type: "u32" },
  { c: "ndtc_hash_chain_gc", type: "u32" },
  { c: "ndtc_proxy_qlen", type: "u32" },
], { strip: "ndtc_" });

/** struct ndt_stats: the table's counters (summed over CPUs). */
export const NDT_STATS: StructDef = cStruct("linux/neighbour.h", "struct ndt_stats", [
  { c: "ndts_allocs", type: "u64" },
  { c: "ndts_destroys", type: "u64" },
  { c: "ndts_hash_grows", type: "u64" },
  { c: "ndts_res_failed", type: "u64" },
  { c: "ndts_lookups", type: "u64" },
  { c: "ndts_hits", type: "u64" },
  { c: "ndts_rcv_probes_mcast", type: "u64" },
  { c: "ndts_rcv_probes_ucast", type: "u64" },
  { c: "ndts_periodic_gc_runs", type: "u64" },
  { c: "ndts_forced_gc_runs", type: "u64" },
  { c: "ndts_table_fulls", type: "u64" },
], { strip: "ndts_" });

/** NDTPA_*: a parameter set (the table's default, or one device's). Times are in milliseconds. */
export const NDTPA_ATTRS: AttrSchema = attrSchema("NDTPA_", "linux/neighbour.h", {
  IFINDEX: { id: 1, type: "u32" },
  REFCNT: { id: 2, type: "u32" },
  REACHABLE_TIME: { id: 3, type: "u64" },
  BASE_REACHABLE_TIME: { id: 4, type: "u64" },
  RETRANS_TIME: { id: 5, type: "u64" },
  GC_STALETIME: { id: 6, type: "u64" },
  DELAY_PROBE_TIME: { id: 7, type: "u64" },
  QUEUE_LEN: { id: 8, type: "u32" },
  APP_PROBES: { id: 9, type: "u32" },
  UCAST_PROBES: { id: 10, type: "u32" },
  MCAST_PROBES: { id: 11, type: "u32" },
  ANYCAST_DELAY: { id: 12, type: "u64" },
  PROXY_DELAY: { id: 13, type: "u64" },
  PROXY_QLEN: { id: 14, type: "u32" },
  LOCKTIME: { id: 15, type: "u64" },
  QUEUE_LENBYTES: { id: 16, type: "u32" },
  MCAST_REPROBES: { id: 17, type: "u32" },
  PAD: { id: 18, type: "pad" },
  INTERVAL_PROBE_TIME_MS: { id: 19, type: "u64" },
});

/** NDTA_*: a table. */
export const NDTA_ATTRS: AttrSchema = attrSchema("NDTA_", "linux/neighbour.h", {
  NAME: { id: 1, type: "string" },
  THRESH1: { id: 2, type: "u32" },
  THRESH2: { id: 3, type: "u32" },
  THRESH3: { id: 4, type: "u32" },
  CONFIG: { id: 5, type: "struct", struct: NDT_CONFIG },
  PARMS: { id: 6, type: "nested", schema: NDTPA_ATTRS },
  STATS: { id: 7, type: "struct", struct: NDT_STATS },
  GC_INTERVAL: { id: 8, type: "u64" },
  PAD: { id: 9, type: "pad" },
});

/** The neighbour-table message: ndtmsg + NDTA_* attributes. */
export const NEIGHTBL_MESSAGE: MessageSchema = messageSchema("neightbl", NDTMSG, NDTA_ATTRS, "family", familyNumber);

/** A parameter set, as decoded (times in milliseconds). */
export interface NeighbourTableParms {
  /** The device these parameters belong to (absent: the table's defaults). */
  ifindex?: number;
  /** References. */
  refcnt?: number;
  /** The current randomized reachable time. */
  reachableTime?: bigint;
  /** `base_reachable`: the base of the reachable time. */
  baseReachableTime?: bigint;
  /** `retrans`: time between probes. */
  retransTime?: bigint;
  /** `gc_stale`: how long a stale entry is kept. */
  gcStaletime?: bigint;
  /** `delay_probe`: delay before the first probe. */
  delayProbeTime?: bigint;
  /** `queue`: packets queued per unresolved entry (in packets; see queueLenbytes). */
  queueLen?: number;
  /** `app_probes`: probes through the user-space daemon. */
  appProbes?: number;
  /** `ucast_probes`: unicast probes before multicast. */
  ucastProbes?: number;
  /** `mcast_probes`: multicast probes before giving up. */
  mcastProbes?: number;
  /** `anycast_delay`: maximal random delay for answers to neighbour solicitations. */
  anycastDelay?: bigint;
  /** `proxy_delay`: maximal random delay for proxied answers. */
  proxyDelay?: bigint;
  /** `proxy_queue`: packets queued for proxied addresses. */
  proxyQlen?: number;
  /** `locktime`: minimum time an entry is kept before it can be replaced. */
  locktime?: bigint;
  /** Bytes queued per unresolved entry. */
  queueLenbytes?: number;
  /** Multicast re-probes in the probe state. */
  mcastReprobes?: number;
  /** Interval between probes of managed entries. */
  intervalProbeTimeMs?: bigint;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/**
 * One RTM_NEWNEIGHTBL message: a table's first message carries its
 * thresholds, config, statistics and default parameters; then one message per
 * device carries only `name` and that device's `parms`.
 */
export interface NeighbourTable {
  /** `"inet"` (arp_cache), `"inet6"` (ndisc_cache), … */
  family: string | number;
  /** The table's name: `"arp_cache"`, `"ndisc_cache"`. */
  name?: string;
  /** `thresh1`: below this many entries the garbage collector leaves the table alone. */
  thresh1?: number;
  /** `thresh2`: the soft maximum. */
  thresh2?: number;
  /** `thresh3`: the hard maximum. */
  thresh3?: number;
  /** Fixed configuration (first message only; `lastFlush`/`lastRand` are ms ago). */
  config?: {
    keyLen: number;
    entrySize: number;
    entries: number;
    lastFlush: number;
    lastRand: number;
    hashRnd: number;
    hashMask: number;
    hashChainGc: number;
    proxyQlen: number;
  };
  /** The default parameters, or a device's. */
  parms?: NeighbourTableParms;
  /** Counters (first message only). */
  stats?: {
    allocs: bigint;
    destroys: bigint;
    hashGrows: bigint;
    resFailed: bigint;
    lookups: bigint;
    hits: bigint;
    rcvProbesMcast: bigint;
    rcvProbesUcast: bigint;
    periodicGcRuns: bigint;
    forcedGcRuns: bigint;
    tableFulls: bigint;
  };
  /** `gc_int`: garbage-collection interval in ms. */
  gcInterval?: bigint;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/**
 * Decodes an RTM_NEWNEIGHTBL message.
 *
 * @example
 * ```ts ignore
 * import { decodeNeighbourTable } from "./neightbl.ts";
 * decodeNeighbourTable(msg); // { family: "inet", name: "arp_cache", thresh1: 128, parms: {…}, … }
 * ```
 */
export function decodeNeighbourTable(msg: MessageView): NeighbourTable {
  return decodeMessage(NEIGHTBL_MESSAGE, msg) as unknown as NeighbourTable;
}

/**
 * Builds the RTM_GETNEIGHTBL dump request `ip ntable show` sends.
 *
 * @example
 * ```ts
 * import { neighbourTableDumpRequest } from "./neightbl.ts";
 * neighbourTableDumpRequest().length; // 20
 * ```
 */
export function neighbourTableDumpRequest(family?: "inet" | "inet6"): Uint8Array {
  checkIpFamily(family);
  const w = new MessageWriter(32);
  encodeMessage(w, NEIGHTBL_MESSAGE, RTM.GETNEIGHTBL, REQUEST_FLAGS.dump, { family: family ?? "unspec" });
  return w.bytes();
}

/** Filters for {@linkcode getNeighbourTables} (applied here, as iproute2 does). */
export interface GetNeighbourTablesOptions extends DumpOptions {
  /** `"inet"` or `"inet6"` (default: every family). */
  family?: "inet" | "inet6";
  /** Only this table (`"arp_cache"`, `"ndisc_cache"`). */
  name?: string;
  /** Only this device's parameters, or `"none"` for the tables' own messages. */
  dev?: Dev | "none";
}

/**
 * Every neighbour table's messages, fully decoded, like `ip ntable show`.
 *
 * @example
 * ```ts ignore
 * const [arp] = await getNeighbourTables(conn, { name: "arp_cache", dev: "none" });
 * console.log(arp.thresh3, arp.stats?.lookups);
 * ```
 */
export async function getNeighbourTables(
  conn: NetlinkConnection,
  options: GetNeighbourTablesOptions = {},
): Promise<NeighbourTable[]> {
  checkIpFamily(options.family);
  const dev = options.dev;
  const ifindex = dev === undefined || dev === "none" ? undefined : await resolveDev(conn, dev);
  const decode = (m: MessageView) => {
    if (m.type !== RTM.NEWNEIGHTBL) return undefined;
    const t = decodeNeighbourTable(m);
    if (options.name !== undefined && t.name !== options.name) return undefined;
    const own = t.parms?.ifindex;
    if (dev === "none" && own !== undefined) return undefined;
    if (ifindex !== undefined && own !== ifindex) return undefined;
    return t;
  };
  return conn.dump(neighbourTableDumpRequest(options.family), decode, "getNeighbourTables", options);
}

/** A millisecond value (a u64: a number or a bigint). */
export type Milliseconds = number | bigint;

/** What {@linkcode setNeighbourTable} changes (`ip ntable change name NAME [dev DEV] …`). */
export interface SetNeighbourTableOptions {
  /** The table: `"arp_cache"` or `"ndisc_cache"`. */
  name: string;
  /** Its family (default: any table of that name, as iproute2 without -4/-6). */
  family?: "inet" | "inet6";
  /** Change this device's parameters instead of the table's defaults. */
  dev?: Dev;
  /** `thresh1`. */
  thresh1?: number;
  /** `thresh2`. */
  thresh2?: number;
  /** `thresh3`. */
  thresh3?: number;
  /** `gc_int`: garbage-collection interval. */
  gcInterval?: Milliseconds;
  /** `base_reachable`. */
  baseReachableTime?: Milliseconds;
  /** `retrans`. */
  retransTime?: Milliseconds;
  /** `gc_stale`. */
  gcStaletime?: Milliseconds;
  /** `delay_probe`. */
  delayProbeTime?: Milliseconds;
  /** `queue` (packets). */
  queueLen?: number;
  /** `app_probes`. */
  appProbes?: number;
  /** `ucast_probes`. */
  ucastProbes?: number;
  /** `mcast_probes`. */
  mcastProbes?: number;
  /** `anycast_delay`. */
  anycastDelay?: Milliseconds;
  /** `proxy_delay`. */
  proxyDelay?: Milliseconds;
  /** `proxy_queue`. */
  proxyQlen?: number;
  /** `locktime`. */
  locktime?: Milliseconds;
  /** Bytes queued per unresolved entry (not in iproute2 6.1). */
  queueLenbytes?: number;
  /** Multicast re-probes (not in iproute2 6.1). */
  mcastReprobes?: number;
  /** Probe interval of managed entries (not in iproute2 6.1). */
  intervalProbeTimeMs?: Milliseconds;
}

/** The parameters in iproute2's usage order, then the ones it lacks. */
const PARMS = [
  "baseReachableTime",
  "retransTime",
  "gcStaletime",
  "delayProbeTime",
  "queueLen",
  "appProbes",
  "ucastProbes",
  "mcastProbes",
  "anycastDelay",
  "proxyDelay",
  "proxyQlen",
  "locktime",
  "queueLenbytes",
  "mcastReprobes",
  "intervalProbeTimeMs",
] as const;

/** Each option's attribute, for {@linkcode inOptionOrder}: the table's own, and the parameters (`dev` is the index). */
const TABLE_ATTRS = {
  name: "name",
  thresh1: "thresh1",
  thresh2: "thresh2",
  thresh3: "thresh3",
  gcInterval: "gcInterval",
};
const PARM_ATTRS: Record<string, string> = { dev: "ifindex", ...Object.fromEntries(PARMS.map((k) => [k, k])) };

/**
 * Builds the RTM_SETNEIGHTBL request `ip ntable change` sends, in the order
 * of `ip ntable change name N [thresh1 V] [thresh2 V] [thresh3 V] [gc_int MS]
 * [dev D] [base_reachable MS] [retrans MS] [gc_stale MS] [delay_probe MS]
 * [queue N] [app_probes N] [ucast_probes N] [mcast_probes N] [anycast_delay MS]
 * [proxy_delay MS] [proxy_queue N] [locktime MS]`, for the device with
 * ifindex `ifindex`. As iproute2 sends them in the order typed, the
 * attributes follow the order of the options' keys (the device's index where
 * `dev` is); the parameters are nested after the table's own attributes.
 *
 * @example
 * ```ts
 * import { neighbourTableSetRequest } from "./neightbl.ts";
 * neighbourTableSetRequest({ name: "arp_cache", thresh1: 256 }).length; // 44
 * ```
 */
export function neighbourTableSetRequest(o: SetNeighbourTableOptions, ifindex?: number): Uint8Array {
  if (o === null || typeof o !== "object") throw new ValidationError("ntable", o, "expected table options");
  checkIpFamily(o.family);
  if (typeof o.name !== "string" || o.name === "") {
    throw new ValidationError("name", o.name, 'expected a table name such as "arp_cache"');
  }
  const changesParms = PARMS.some((k) => o[k] !== undefined);
  if (
    o.thresh1 === undefined && o.thresh2 === undefined && o.thresh3 === undefined && o.gcInterval === undefined &&
    !changesParms
  ) {
    throw new ValidationError("ntable", o.name, "nothing to change: give a threshold, gcInterval or a parameter");
  }
  // iproute2 adds each attribute as it reads its word (the device's index where `dev` is), the parameters
  // nested after the table's own attributes.
  const attrs = inOptionOrder(o, {
    name: o.name,
    thresh1: o.thresh1,
    thresh2: o.thresh2,
    thresh3: o.thresh3,
    gcInterval: o.gcInterval,
  }, TABLE_ATTRS);
  const parms: Record<string, unknown> = { ifindex };
  for (const k of PARMS) parms[k] = o[k];
  if (ifindex !== undefined || changesParms) attrs.parms = inOptionOrder(o, parms, PARM_ATTRS);
  const w = new MessageWriter(128);
  encodeMessage(w, NEIGHTBL_MESSAGE, RTM.SETNEIGHTBL, REQUEST_FLAGS.change, { family: o.family ?? "unspec" }, attrs);
  return w.bytes();
}

/**
 * Changes a neighbour table's thresholds or parameters (the defaults, or one
 * device's), like `ip ntable change`.
 *
 * @example
 * ```ts ignore
 * await setNeighbourTable(conn, { name: "arp_cache", thresh1: 256, thresh2: 1024, thresh3: 2048 });
 * await setNeighbourTable(conn, { name: "arp_cache", dev: "p0", queueLen: 10, baseReachableTime: 60_000 });
 * ```
 */
export async function setNeighbourTable(conn: NetlinkConnection, options: SetNeighbourTableOptions): Promise<void> {
  neighbourTableSetRequest(options, options?.dev === undefined ? undefined : 1); // bad input fails before any look-up
  const ifindex = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  await conn.ack(neighbourTableSetRequest(options, ifindex), `setNeighbourTable ${options.name}`);
}
