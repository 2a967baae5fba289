/**
 * The kernel's TCP metrics cache (what `ip tcp_metrics` shows and clears)
 * through the `tcp_metrics` generic netlink family, in the connection's own
 * network namespace: what TCP learned about each destination (RTT, RTT
 * variance, slow-start threshold, congestion window, reordering, TCP Fast
 * Open data), per destination and source address. Requests are byte for byte
 * what iproute2's `ip tcp_metrics` sends.
 *
 * @module
 */
import type { NetlinkConnection } from "../../core/connection.ts";
import { ERRNO } from "../../core/errno.ts";
import { ValidationError } from "../../core/errors.ts";
import { REQUEST_FLAGS } from "../../core/header.ts";
import { decodeMessage, type MessageView } from "../../core/message.ts";
import { checkIpFamily, familyNumber } from "../../route/constants.ts";
import { prefixTest } from "../../route/flush.ts";
import { AF_INET, ipFamily } from "../../util/addr.ts";
import { familyBeside, withFamilyId } from "../connection.ts";
import { genlRequest } from "../header.ts";
import { TCP_METRICS_CMD, TCP_METRICS_GENL, TCP_METRICS_GENL_NAME, TCP_METRICS_MESSAGE } from "./attrs.ts";

/** An address family of the cache. */
export type TcpMetricsFamily = "inet" | "inet6";

/**
 * The metric values of an entry, as the kernel sends them (a value it holds
 * as 0 is not sent). The RTT values carry fractional bits, as the kernel
 * keeps them: shift `rttUs` right by 3 and `rttvarUs` right by 2 for
 * microseconds (`rtt` and `rttvar` are the same in milliseconds, at least 1).
 */
export interface TcpMetricValues {
  /** Smoothed RTT in milliseconds × 8 (TCP_METRIC_RTT). */
  rtt?: number;
  /** RTT variance in milliseconds × 4 (TCP_METRIC_RTTVAR). */
  rttvar?: number;
  /** Slow-start threshold, in segments. */
  ssthresh?: number;
  /** Congestion window, in segments. */
  cwnd?: number;
  /** Reordering metric. */
  reordering?: number;
  /** Smoothed RTT in microseconds × 8 (TCP_METRIC_RTT_US). */
  rttUs?: number;
  /** RTT variance in microseconds × 4 (TCP_METRIC_RTTVAR_US). */
  rttvarUs?: number;
}

/** One entry of the TCP metrics cache (`ip tcp_metrics show`). */
export interface TcpMetricsEntry {
  /** The family of the destination address. */
  family: TcpMetricsFamily;
  /** The destination address. */
  address: string;
  /** The source address (kernels before 3.13 send none). */
  source?: string;
  /**
   * Milliseconds since the entry was last updated (TCP_METRICS_ATTR_AGE, a
   * u64 in the kernel, hence a bigint).
   */
  age?: bigint;
  /** The last timestamp value received from the peer in TIME-WAIT (kernels before 4.10). */
  twTsval?: number;
  /** Seconds since {@linkcode TcpMetricsEntry.twTsval} was received (kernels before 4.10). */
  twTsStamp?: number;
  /** The metric values (empty when the kernel holds none). */
  metrics: TcpMetricValues;
  /** TCP Fast Open: the MSS the peer announced. */
  fastopenMss?: number;
  /** TCP Fast Open: SYNs with data that went unanswered. */
  fastopenSynDrops?: number;
  /** TCP Fast Open: milliseconds since the last such drop (u64, a bigint). */
  fastopenSynDropTs?: bigint;
  /** TCP Fast Open: the cookie the peer gave. */
  fastopenCookie?: Uint8Array;
}

/**
 * One destination (and optionally one source) of the cache, as `ip
 * tcp_metrics show|delete ADDRESS` names it: plain addresses, no prefixes.
 */
export interface TcpMetricsSelector {
  /** The destination address. */
  address: string;
  /** The source address: only that destination's entry from this source (all sources when absent). */
  source?: string;
}

/**
 * Which entries a listing or flush takes, as iproute2 filters them: the
 * destination inside `address` and the source inside `source` (prefixes, or
 * plain addresses for exactly those); `family` restricts the destination and
 * the source to that family wherever no prefix names one. An entry without a
 * source (kernels before 3.13) passes any source filter.
 */
export interface TcpMetricsFilter {
  /** Only this family (for the destination unless `address` is given, for the source unless `source` is). */
  family?: TcpMetricsFamily;
  /** Destinations inside this prefix (`"10.0.0.0/8"`; an address is a full-length prefix). */
  address?: string;
  /** Sources inside this prefix. */
  source?: string;
}

/** What {@linkcode flushTcpMetrics} takes: a filter, and a look at each round. */
export interface TcpMetricsFlushOptions extends TcpMetricsFilter {
  /**
   * Called after each round's deletes were answered, with the entries the
   * round sent deletes for and the round's number (from 1); a promise it
   * returns is awaited before the next round. A flush of everything (no
   * filter) is one request and has no rounds.
   */
  onRound?: (deleted: TcpMetricsEntry[], round: number) => void | Promise<void>;
}

/** The requests of the family: one entry (`get`), the dump of all, a delete. */
export type TcpMetricsCommand = "get" | "dump" | "del";

/** The nlmsg_flags iproute2 sends each request with. */
const FLAGS: Readonly<Record<TcpMetricsCommand, number>> = {
  get: REQUEST_FLAGS.get,
  dump: REQUEST_FLAGS.dump,
  del: REQUEST_FLAGS.ack,
};

/** A plain address's family (AF_INET or AF_INET6), or a ValidationError naming the field. */
function addressFamily(field: string, x: unknown): number {
  const family = typeof x === "string" ? ipFamily(x) : 0;
  if (family === 0) throw new ValidationError(field, x, "expected an IPv4 or IPv6 address (not a prefix)");
  return family;
}

/**
 * One `tcp_metrics` request (`familyId`: the family's id on this kernel):
 * `get` one entry by destination (and source), `dump` every entry, or `del`
 * a destination's entries (only the one from `source` if given; every entry
 * of the cache when no address is given). The destination goes before the
 * source, as iproute2 writes them.
 *
 * @example
 * ```ts
 * import { tcpMetricsRequest } from "./tcp_metrics.ts";
 * // ip tcp_metrics delete 10.0.0.2 (the family has id 25, say)
 * tcpMetricsRequest(25, "del", { address: "10.0.0.2" }).length; // 28
 * tcpMetricsRequest(25, "dump").length; // 20
 * ```
 */
export function tcpMetricsRequest(
  familyId: number,
  cmd: TcpMetricsCommand,
  selector?: Partial<TcpMetricsSelector>,
): Uint8Array {
  if (!Object.hasOwn(FLAGS, cmd)) throw new ValidationError("cmd", cmd, 'expected "get", "dump" or "del"');
  const attrs: Record<string, unknown> = {};
  const { address, source } = selector ?? {};
  if (cmd === "dump" && (address !== undefined || source !== undefined)) {
    throw new ValidationError("selector", selector, "a dump takes no address (filter its entries instead)");
  }
  if (address === undefined && cmd === "get") {
    throw new ValidationError("address", address, "an entry is named by its destination address");
  }
  if (address === undefined && source !== undefined) {
    throw new ValidationError("source", source, "a source is given with a destination address");
  }
  if (address !== undefined) {
    attrs[addressFamily("address", address) === AF_INET ? "addrIpv4" : "addrIpv6"] = address;
  }
  if (source !== undefined) {
    attrs[addressFamily("source", source) === AF_INET ? "saddrIpv4" : "saddrIpv6"] = source;
  }
  return genlRequest({
    familyId,
    flags: FLAGS[cmd],
    cmd: TCP_METRICS_CMD.value(cmd === "dump" ? "get" : cmd),
    version: TCP_METRICS_GENL.VERSION,
    schema: TCP_METRICS_MESSAGE,
    attrs,
  });
}

/** What the generic decoder gives for one message: the entry's fields, its addresses by family, the header. */
type Decoded = Omit<TcpMetricsEntry, "family" | "address" | "source" | "metrics"> & {
  cmd?: number;
  version?: number;
  reserved?: number;
  addrIpv4?: string;
  addrIpv6?: string;
  saddrIpv4?: string;
  saddrIpv6?: string;
  metrics?: TcpMetricValues;
};

/**
 * Decodes one cache entry (a GET reply or dump message of the family
 * `familyId`); anything else (another command, an entry without a
 * destination address) gives undefined.
 *
 * @example
 * ```ts ignore
 * import { decodeTcpMetrics } from "./tcp_metrics.ts";
 * decodeTcpMetrics(msg, 25);
 * // { family: "inet", address: "127.0.0.1", source: "127.0.0.1", age: 12n, metrics: { rttUs: 219, rtt: 1, … } }
 * ```
 */
export function decodeTcpMetrics(msg: MessageView, familyId: number): TcpMetricsEntry | undefined {
  if (msg.type !== familyId) return undefined;
  const { cmd, version: _version, reserved: _reserved, addrIpv4, addrIpv6, saddrIpv4, saddrIpv6, metrics, ...rest } =
    decodeMessage(TCP_METRICS_MESSAGE, msg) as Decoded;
  if (cmd !== TCP_METRICS_CMD.value("get")) return undefined;
  const address = addrIpv4 ?? addrIpv6;
  if (address === undefined) return undefined;
  const family = addrIpv4 !== undefined ? "inet" : "inet6";
  const source = saddrIpv4 ?? saddrIpv6;
  return source === undefined
    ? { family, address, metrics: metrics ?? {}, ...rest }
    : { family, address, source, metrics: metrics ?? {}, ...rest };
}

/** One side's test: the family, then the prefix; `undefined` addresses pass when `optional`. */
function sideTest(
  field: string,
  prefix: string | undefined,
  family: number | undefined,
): (addr: string | undefined, optional: boolean) => boolean {
  if (prefix === undefined) {
    if (family === undefined) return () => true;
    return (addr, optional) => addr === undefined ? optional : ipFamily(addr) === family;
  }
  const inside = prefixTest(prefix, field, family);
  return (addr, optional) => addr === undefined ? optional : inside(addr, addr.includes(":") ? 128 : 32);
}

/**
 * The test {@linkcode getTcpMetrics} and {@linkcode flushTcpMetrics} apply
 * to each entry (checked when made: a bad prefix, or one of another family
 * than `family`, throws a ValidationError).
 *
 * @example
 * ```ts
 * import { tcpMetricsFilter } from "./tcp_metrics.ts";
 * const keep = tcpMetricsFilter({ address: "10.0.0.0/8" });
 * keep({ family: "inet", address: "10.1.2.3", metrics: {} }); // true
 * keep({ family: "inet6", address: "::1", metrics: {} }); // false
 * ```
 */
export function tcpMetricsFilter(filter: TcpMetricsFilter = {}): (entry: TcpMetricsEntry) => boolean {
  if (filter === null || typeof filter !== "object") {
    throw new ValidationError("filter", filter, "expected { family?, address?, source? }");
  }
  checkIpFamily(filter.family);
  const family = filter.family === undefined ? undefined : familyNumber(filter.family);
  const dst = sideTest("address", filter.address, family);
  const src = sideTest("source", filter.source, family);
  return (e) => dst(e.address, false) && src(e.source, true);
}

/**
 * Every entry of the cache (`ip tcp_metrics show [ PREFIX ]`), or those the
 * filter takes, in the kernel's order.
 *
 * @example
 * ```ts ignore
 * import { Connection } from "@nlink/nlink";
 * import { getTcpMetrics } from "@nlink/nlink/genl";
 * using conn = await Connection.open();
 * for (const e of await getTcpMetrics(conn, { family: "inet" })) {
 *   console.log(e.address, e.source, e.metrics.cwnd, Number(e.age) / 1000);
 * }
 * ```
 */
export async function getTcpMetrics(
  conn: NetlinkConnection,
  filter: TcpMetricsFilter = {},
): Promise<TcpMetricsEntry[]> {
  const keep = tcpMetricsFilter(filter);
  const [genl, id] = await familyBeside(conn, TCP_METRICS_GENL_NAME);
  const all = await genl.dump(tcpMetricsRequest(id, "dump"), (m) => decodeTcpMetrics(m, id), "getTcpMetrics");
  return all.filter(keep);
}

/**
 * The entry of one destination (`ip tcp_metrics show ADDRESS`): the kernel's
 * first for that address, or the one from `source`. Rejects with ESRCH
 * (`isNotFound()`) when there is none.
 *
 * @example
 * ```ts ignore
 * import { getTcpMetric } from "@nlink/nlink/genl";
 * (await getTcpMetric(conn, { address: "10.0.0.2" })).metrics.rttUs;
 * ```
 */
export async function getTcpMetric(conn: NetlinkConnection, selector: TcpMetricsSelector): Promise<TcpMetricsEntry> {
  const request = tcpMetricsRequest(0, "get", selectorOf(selector));
  const [genl, id] = await familyBeside(conn, TCP_METRICS_GENL_NAME);
  return genl.get(withFamilyId(request, id), (m) => decodeTcpMetrics(m, id), `getTcpMetric ${selector.address}`);
}

/**
 * Deletes the entries of one destination (`ip tcp_metrics delete ADDRESS`),
 * or only the one from `source`. Rejects with ESRCH when there is none.
 *
 * @example
 * ```ts ignore
 * import { deleteTcpMetrics } from "@nlink/nlink/genl";
 * await deleteTcpMetrics(conn, { address: "10.0.0.2" });
 * ```
 */
export async function deleteTcpMetrics(conn: NetlinkConnection, selector: TcpMetricsSelector): Promise<void> {
  const request = tcpMetricsRequest(0, "del", selectorOf(selector));
  const [genl, id] = await familyBeside(conn, TCP_METRICS_GENL_NAME);
  await genl.ack(withFamilyId(request, id), `deleteTcpMetrics ${selector.address}`);
}

function selectorOf(s: TcpMetricsSelector): TcpMetricsSelector {
  if (s === null || typeof s !== "object") throw new ValidationError("selector", s, "expected { address, source? }");
  return s.source === undefined ? { address: s.address } : { address: s.address, source: s.source };
}

/**
 * Deletes entries as `ip tcp_metrics flush` does. Without a filter: every
 * entry, by one request (resolves with an empty list: the kernel does not say
 * what it removed). With one: rounds of a dump, then a delete of each entry
 * the filter takes (by its destination and source, pipelined), until a dump
 * finds none; resolves with the entries deleted. An entry gone meanwhile
 * (ESRCH) is not an error; a failed dump rejects with the operation
 * `flushTcpMetrics: dump`, a refused delete with `flushTcpMetrics: delete`.
 *
 * @example
 * ```ts ignore
 * import { flushTcpMetrics } from "@nlink/nlink/genl";
 * await flushTcpMetrics(conn); // everything
 * const gone = await flushTcpMetrics(conn, { address: "10.0.0.0/8" });
 * ```
 */
export async function flushTcpMetrics(
  conn: NetlinkConnection,
  options: TcpMetricsFlushOptions = {},
): Promise<TcpMetricsEntry[]> {
  const keep = tcpMetricsFilter(options);
  const [genl, id] = await familyBeside(conn, TCP_METRICS_GENL_NAME);
  if (options.family === undefined && options.address === undefined && options.source === undefined) {
    await genl.ack(tcpMetricsRequest(id, "del"), "flushTcpMetrics");
    return [];
  }
  const deleted: TcpMetricsEntry[] = [];
  for (let round = 1;; round++) {
    const victims = await genl.dump(
      tcpMetricsRequest(id, "dump"),
      (m) => {
        const e = decodeTcpMetrics(m, id);
        return e !== undefined && keep(e) ? e : undefined;
      },
      "flushTcpMetrics: dump",
    );
    if (victims.length === 0) return deleted;
    const requests = victims.map((e) => tcpMetricsRequest(id, "del", { address: e.address, source: e.source }));
    const all = new Uint8Array(requests.reduce((n, r) => n + r.length, 0));
    let at = 0;
    for (const r of requests) all.set(r, at), at += r.length;
    let progress = false;
    for (const outcome of await genl.sendBatch(all, "flushTcpMetrics: delete", { acks: "none" })) {
      if (outcome.ok) {
        deleted.push(victims[outcome.index]);
        progress = true;
      } else if (outcome.error.errno !== ERRNO.ESRCH) throw outcome.error;
    }
    await options.onRound?.(victims, round);
    if (!progress) return deleted;
  }
}
