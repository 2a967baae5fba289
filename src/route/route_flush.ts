/**
 * `ip route flush`: every route matching the selectors, removed in one
 * pipelined pass (see flush.ts).
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { ERRNO } from "../core/errno.ts";
import { ValidationError } from "../core/errors.ts";
import type { MessageView } from "../core/message.ts";
import { formatIP, parseIP } from "../util/addr.ts";
import { AF, familyNumber, RTM } from "./constants.ts";
import { flushByEcho, inside, prefixBits } from "./flush.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import { decodeRoute, routeDumpRequest, type Table } from "./route.ts";
import { RT_SCOPE, RTN, tableId } from "./route_attrs.ts";
import type { Route } from "./route_types.ts";

/** What {@linkcode flushRoutes} removes: `ip route flush SELECTORS`. */
export interface FlushRoutesOptions extends DumpOptions {
  /** Family (default `"inet"`, as `ip route flush`; every family when `table` is `"all"`). */
  family?: "inet" | "inet6" | "mpls";
  /** Table (default `"main"`, as `ip route flush`), or `"all"`. */
  table?: Table | "all";
  /** Only routes of this origin (filtered by the kernel). */
  protocol?: string | number;
  /** Only routes through this device (filtered by the kernel). */
  dev?: Dev;
  /** Only routes of this type (`"unicast"`, `"blackhole"`, …). */
  type?: string | number;
  /** Only the route to exactly this prefix. */
  dst?: string;
  /** Only routes inside this prefix (it and longer prefixes: `root` in iproute2). */
  root?: string;
  /** Only routes via this gateway (on the route or one of its paths). */
  gateway?: string;
  /** Only routes of this scope. */
  scope?: string | number;
  /** Only routes with this metric. */
  metric?: number;
  /** Any further test. */
  filter?: (route: Route) => boolean;
  /** Flush cached routes (IPv6 route exceptions, RTM_F_CLONED) instead of the FIB's, as `ip -6 route flush cache`. */
  cloned?: boolean;
  /** Called after each round that deleted routes, with the round's number (from 1) and its count of deletes. */
  onRound?: (round: number, deleted: number) => void;
}

/**
 * Builds the dump request `ip route flush` starts with (family, table,
 * protocol and device filtered by the kernel; the rest is tested here).
 *
 * @example
 * ```ts
 * import { routeFlushRequest } from "./route_flush.ts";
 * routeFlushRequest({ table: 100 }).length; // 36
 * ```
 */
export function routeFlushRequest(o: FlushRoutesOptions, oif?: number): Uint8Array {
  // Table 0 is every table; then iproute2 dumps every family too.
  const table = o.table === "all" ? 0 : tableId(o.table ?? "main");
  return routeDumpRequest({
    family: o.family ?? (table === 0 ? undefined : "inet"),
    table: table === 0 ? undefined : table,
    protocol: o.protocol,
    oif,
    cloned: o.cloned,
  });
}

function routeMatcher(o: FlushRoutesOptions): (r: Route) => boolean {
  const family = o.family === undefined ? undefined : familyNumber(o.family);
  const ip = family === AF.MPLS ? undefined : family;
  const exact = o.dst === undefined ? undefined : prefixBits(o.dst, "dst", ip);
  const root = o.root === undefined ? undefined : prefixBits(o.root, "root", ip);
  const gw = o.gateway === undefined ? undefined : parseIP(o.gateway);
  if (o.gateway !== undefined && gw === undefined) throw new ValidationError("gateway", o.gateway, "an IP address");
  const gateway = gw && formatIP(gw.bytes);
  const type = o.type === undefined ? undefined : RTN.value(o.type, "type");
  const scope = o.scope === undefined ? undefined : RT_SCOPE.value(o.scope, "scope");
  if (o.metric !== undefined && (!Number.isInteger(o.metric) || o.metric < 0 || o.metric > 0xffffffff)) {
    throw new ValidationError("metric", o.metric, "0..4294967295");
  }
  if (o.filter !== undefined && typeof o.filter !== "function") {
    throw new ValidationError("filter", o.filter, "a function of the route");
  }
  return (r) =>
    (exact === undefined || (r.dstLen === exact.length && inside(exact, r.dst, r.dstLen))) &&
    (root === undefined || inside(root, r.dst, r.dstLen)) &&
    (gateway === undefined || r.gateway === gateway || (r.multipath ?? []).some((n) => n.gateway === gateway)) &&
    (type === undefined || RTN.value(r.type, "type") === type) &&
    (scope === undefined || RT_SCOPE.value(r.scope, "scope") === scope) &&
    (o.metric === undefined || (r.priority ?? 0) === o.metric) &&
    (o.filter === undefined || o.filter(r));
}

/**
 * Deletes every route matching the selectors, like `ip route flush`: one
 * dump, then the deletes pipelined. Defaults as iproute2's: IPv4, table main.
 * Resolves with the routes removed.
 *
 * @example
 * ```ts ignore
 * const removed = await flushRoutes(conn, { dev: "p0" });
 * await flushRoutes(conn, { family: "inet6", table: "all", protocol: "static" });
 * ```
 */
export async function flushRoutes(conn: NetlinkConnection, o: FlushRoutesOptions = {}): Promise<Route[]> {
  if (o === null || typeof o !== "object") throw new ValidationError("flush options", o, "expected an object");
  const match = routeMatcher(o);
  routeFlushRequest(o); // bad input fails here, before any device look-up
  const oif = o.dev === undefined ? undefined : await resolveDev(conn, o.dev);
  const pick = (m: MessageView) => {
    if (m.type !== RTM.NEWROUTE) return undefined;
    const r = decodeRoute(m);
    return match(r) ? r : undefined;
  };
  let round = 0;
  return flushByEcho(conn, routeFlushRequest(o, oif), pick, RTM.DELROUTE, "flushRoutes", {
    gone: [ERRNO.ESRCH, ERRNO.ENOENT],
    acks: "none",
    afterRound: o.onRound && ((sent) => o.onRound!(++round, sent)),
    onInterrupt: o.onInterrupt,
    signal: o.signal,
  });
}
