/**
 * Routes: list (as an array or a stream), add, replace, append, prepend,
 * delete, look up (`ip route get`), flush; with MPLS and SRv6 encapsulation,
 * MPLS label routes and nexthop objects. Requests are byte-for-byte what
 * `ip route` sends.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, type MessageView } from "../core/message.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF_INET, AF_INET6, ipFamily, parsePrefix, prefixFamily } from "../util/addr.ts";
import { AF, FAMILY, familyNumber, RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import { encapAttrs, type EncapDevs, type EncapOptions, finishEncap, resolveEncapDevs } from "./lwtunnel.ts";
import {
  NEXTHOP_FLAGS,
  ROUTE_MESSAGE,
  RT_SCOPE,
  RT_TABLE,
  RTN,
  RTNL_FAMILY,
  RTPROT,
  tableId,
  type Via,
} from "./route_attrs.ts";

export type { Route, RouteMetrics, RouteNexthop } from "./route_types.ts";
import type { Route, RouteMetrics } from "./route_types.ts";

/**
 * Decodes an RTM_NEWROUTE / RTM_DELROUTE message; `dst` and `src` become prefixes.
 *
 * @example
 * ```ts ignore
 * import { decodeRoute } from "./route.ts";
 * decodeRoute(msg).dst; // "10.0.0.0/24"
 * ```
 */
export function decodeRoute(msg: MessageView): Route {
  const r = decodeMessage(ROUTE_MESSAGE, msg) as unknown as Route;
  // dst and src decode as prefixes (see ROUTE_ATTRS); a default route has no dst.
  if (r.dst === undefined && (r.family === "inet" || r.family === "inet6")) {
    r.dst = (r.family === "inet" ? "0.0.0.0" : "::") + SLASH[r.dstLen];
  }
  // The kernel sends RTA_ENCAP before RTA_ENCAP_TYPE, so the engine could not
  // pick its layout yet: finish it now that the type is known.
  if (r.encap !== undefined) finishEncap(r);
  if (r.multipath !== undefined) { for (const nh of r.multipath) if (nh.encap !== undefined) finishEncap(nh); }
  return r;
}

/** "/0" … "/255", precomputed (one concatenation per route instead of two). */
const SLASH = Array.from({ length: 256 }, (_, i) => "/" + i);

/** Decodes RTM_NEWROUTE only (dumps and lookups skip anything else). */
export const decodeNewRoute = (
  m: MessageView,
): Route | undefined => (m.type === RTM.NEWROUTE ? decodeRoute(m) : undefined);

/** A table: its id, or `"main"`, `"local"`, `"default"`. */
export type Table = number | "main" | "local" | "default";

/**
 * Filters for {@linkcode getRoutes}, applied by the kernel.
 *
 * `family: "ipmr"` / `"ip6mr"` lists the multicast forwarding cache (what
 * `ip mroute show` lists): each entry is a route of family 128 / 129 and type
 * `"multicast"` whose `src` and `dst` are the source and group addresses, `iif`
 * the input interface, `multipath` the output interfaces (each path's `hops`
 * is the TTL threshold), `mfcStats` the counters and `expires` the time since
 * the entry was last used, in hundredths of a second.
 */
export interface GetRoutesOptions extends DumpOptions {
  /**
   * `"inet"`, `"inet6"` or `"mpls"`; `"ipmr"` / `"ip6mr"` for IPv4 / IPv6 multicast
   * forwarding entries (default: all, multicast entries included).
   */
  family?: "inet" | "inet6" | "mpls" | "ipmr" | "ip6mr";
  /** Only this table (default: all tables). */
  table?: Table;
  /** Only routes of this origin. */
  protocol?: string | number;
  /** Only routes of this type. */
  type?: string | number;
  /** Only routes through this device. */
  dev?: Dev;
  /** Only cached (cloned) routes, as `ip route show cache` asks (RTM_F_CLONED). */
  cloned?: boolean;
}

/**
 * Builds the RTM_GETROUTE dump request (filters as strict-checking kernels apply them).
 *
 * @example
 * ```ts
 * import { routeDumpRequest } from "./route.ts";
 * routeDumpRequest({ family: "inet", table: "main" }).length; // 36
 * routeDumpRequest({ family: "ipmr", table: "default" })[16]; // 128 (RTNL_FAMILY_IPMR)
 * ```
 */
export function routeDumpRequest(
  options: Omit<GetRoutesOptions, "dev" | "signal" | "onInterrupt"> & { oif?: number },
): Uint8Array {
  const family = options.family === "ipmr"
    ? RTNL_FAMILY.IPMR
    : options.family === "ip6mr"
    ? RTNL_FAMILY.IP6MR
    : options.family ?? "unspec";
  const header: Record<string, unknown> = { family };
  if (options.protocol !== undefined) header.protocol = options.protocol;
  if (options.type !== undefined) header.type = options.type;
  if (options.cloned) header.flags = ["cloned"];
  const attrs: Record<string, unknown> = {};
  if (options.table !== undefined) attrs.table = tableId(options.table);
  if (options.oif !== undefined) attrs.oif = options.oif;
  const w = new MessageWriter(48);
  encodeMessage(w, ROUTE_MESSAGE, RTM.GETROUTE, REQUEST_FLAGS.dump, header, attrs);
  return w.bytes();
}

/**
 * Every route (or those matching the filters), fully decoded.
 *
 * @example
 * ```ts ignore
 * const main4 = await getRoutes(conn, { family: "inet", table: "main" });
 * const mfc = await getRoutes(conn, { family: "ipmr" }); // `ip mroute show table all`
 * ```
 */
export async function getRoutes(conn: NetlinkConnection, options: GetRoutesOptions = {}): Promise<Route[]> {
  const oif = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  return conn.dump(routeDumpRequest({ ...options, oif }), decodeNewRoute, "getRoutes", options);
}

/**
 * Streams routes one by one without building a list: memory stays flat for
 * tables of any size, and the kernel is read only as fast as you consume.
 *
 * @example
 * ```ts ignore
 * for await (const r of streamRoutes(conn, { family: "inet" })) if (r.gateway) count++;
 * ```
 */
export function streamRoutes(conn: NetlinkConnection, options: GetRoutesOptions = {}): AsyncGenerator<Route> {
  const stream = (oif?: number) =>
    conn.stream(routeDumpRequest({ ...options, oif }), decodeNewRoute, "streamRoutes", streamOptionsOf(options));
  // Without a device to look up, the connection's stream is returned as it is:
  // a generator wrapped around it would cost a second hop per route.
  if (options.dev === undefined) return stream();
  const dev = options.dev;
  return (async function* () {
    yield* stream(await resolveDev(conn, dev));
  })();
}

/**
 * Calls `fn` with each route as it is decoded, without building a list or
 * going through an async iterator: the cheapest way through a big table (the
 * CLI prints 100,000 routes this way; an async generator's hop per route costs
 * about as much as decoding it). Like a stream, it cannot retry: an interrupted
 * dump rejects with `DumpInterruptedError` after the last route
 * unless `onInterrupt` is `"ignore"`. If `fn` throws, the rest of the dump is
 * read and dropped and the promise rejects with that error.
 *
 * @example
 * ```ts ignore
 * let n = 0;
 * await forEachRoute(conn, { family: "inet", table: "main" }, (r) => {
 *   if (r.gateway !== undefined) n++;
 * });
 * ```
 */
export function forEachRoute(
  conn: NetlinkConnection,
  options: GetRoutesOptions,
  fn: (route: Route) => void,
): Promise<void> {
  return forEachRouteMessage(conn, options, (_m, decode) => fn(decode()));
}

/**
 * Like {@linkcode forEachRoute}, but hands `fn` each route's RTM_NEWROUTE
 * message undecoded (valid only during the call) with `decode`, which
 * decodes it: for readers that take a few values straight from the bytes
 * and decode only the rest. The CLI prints plain routes of big tables this
 * way (cli/ip/route_plain.ts).
 *
 * @example
 * ```ts ignore
 * // Count the routes through a gateway, decoding only those that also carry metrics.
 * const index = new Int32Array(32), RTA_GATEWAY = 5, RTA_METRICS = 8;
 * const withMetrics: Route[] = [];
 * let viaGateway = 0;
 * await forEachRouteMessage(conn, { family: "inet" }, (m, decode) => {
 *   const seen = indexAttrs(m.view, m.offset + 28, m.offset + m.length, index); // after nlmsghdr + rtmsg
 *   if (seen & (1 << RTA_GATEWAY)) viaGateway++;
 *   if (seen & (1 << RTA_METRICS)) withMetrics.push(decode());
 * });
 * ```
 */
export async function forEachRouteMessage(
  conn: NetlinkConnection,
  options: GetRoutesOptions,
  fn: (message: MessageView, decode: () => Route) => void,
): Promise<void> {
  const oif = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  let current: MessageView;
  const decode = () => decodeRoute(current);
  const each = (m: MessageView): undefined => {
    if (m.type === RTM.NEWROUTE) fn(current = m, decode);
    return undefined; // nothing is collected
  };
  await conn.dump(routeDumpRequest({ ...options, oif }), each, "forEachRoute", streamOptionsOf(options));
}

/** One path of a multipath route to add. */
export interface NexthopOptions {
  /** Output device. */
  dev?: Dev;
  /** Gateway (same family as the route). */
  gateway?: string;
  /** Gateway in another family. */
  via?: Via;
  /** Relative weight, 1..256 (default 1). */
  weight?: number;
  /** Treat the gateway as directly attached. */
  onlink?: boolean;
  /** Encapsulation on this path (`nexthop encap mpls 100 via …`). */
  encap?: EncapOptions;
  /** MPLS routes: labels to swap to on this path (`nexthop as 200 via inet …`). */
  newdst?: string;
  /** Realm of this path (RTA_FLOW): the destination realm, or `(from << 16) | to`. */
  realm?: number;
}

/** What {@linkcode addRoute} and friends take. */
export interface RouteOptions {
  /**
   * Destination prefix (`"10.0.0.0/24"`), `"default"`, or an MPLS label for `family: "mpls"` (`"100"`, or
   * `"100/20"` with a length as iproute2 writes it; the kernel refuses lengths other than 20).
   */
  dst: string;
  /** Family; inferred from the addresses when omitted. */
  family?: "inet" | "inet6" | "mpls";
  /** Route type (default `"unicast"`). */
  type?: string | number;
  /** Output device (name or index). */
  dev?: Dev;
  /** Gateway address. */
  gateway?: string;
  /** Gateway of another family (`via inet6 fe80::1` on an IPv4 route). */
  via?: Via;
  /** Source prefix (IPv6 source routing; iproute2's `from`). */
  from?: string;
  /** Preferred source address (iproute2's `src`). */
  src?: string;
  /** MPLS labels to push/swap to (iproute2's `as`). */
  newdst?: string;
  /** Table (default main). */
  table?: Table;
  /** Metric / preference. */
  metric?: number;
  /** Realm (RTA_FLOW): the destination realm, or `(from << 16) | to`. */
  realm?: number;
  /** Use a nexthop object. */
  nhid?: number;
  /** IPv6 router preference: a name, or the raw 8-bit value (`pref 2`, as iproute2 takes it). */
  pref?: "low" | "medium" | "high" | number;
  /** Expiry in seconds (IPv6). */
  expires?: number;
  /** MPLS TTL propagation (0 or 1). */
  ttlPropagate?: number;
  /** Scope (default as iproute2 chooses: link for device routes, host for local, …). */
  scope?: string | number;
  /** Origin (default `"boot"`, as iproute2). */
  protocol?: string | number;
  /** TOS. */
  tos?: number;
  /** Gateway is directly attached. */
  onlink?: boolean;
  /** Shorthand for `metrics.mtu`. */
  mtu?: number;
  /** Metrics; `lock` is a mask of 1 << RTAX_* bits. */
  metrics?: Omit<RouteMetrics, "unknownAttrs">;
  /** Multipath (ECMP) next hops. */
  multipath?: NexthopOptions[];
  /** Lightweight-tunnel encapsulation: MPLS labels, SRv6 encap or a seg6local behavior. */
  encap?: EncapOptions;
}

/** Indices resolved for a route request: the route's device and each path's. */
export interface ResolvedDevs {
  /** The route's oif. */
  oif?: number;
  /** Each multipath path's ifindex. */
  paths?: (number | undefined)[];
  /** Devices the route's encapsulation names (seg6local iif/oif). */
  encap?: EncapDevs;
  /** Devices each path's encapsulation names. */
  pathEncaps?: (EncapDevs | undefined)[];
}

function inferFamily(o: RouteOptions): number {
  if (o.family !== undefined) return familyNumber(o.family);
  // A batch builds 100,000s of these: no lists, no splitting.
  const fam = prefixFamily(o.dst) || prefixFamily(o.gateway) || prefixFamily(o.src) || prefixFamily(o.from);
  if (fam) return fam;
  for (const nh of o.multipath ?? []) {
    const f = prefixFamily(nh?.gateway);
    if (f) return f;
  }
  return AF_INET;
}

// Values the request builder needs for every route, looked up once.
const PROTO_BOOT = RTPROT.value("boot");
const SCOPE_NOWHERE = RT_SCOPE.value("nowhere");
const SCOPE_HOST = RT_SCOPE.value("host");
const SCOPE_LINK = RT_SCOPE.value("link");
const TYPE_UNICAST = RTN.value("unicast");
const TYPE_LOCAL = RTN.value("local");
const TYPE_NAT = RTN.value("nat");
/** Types iproute2 puts in the local table unless told otherwise. */
const LOCAL_TABLE_TYPES = new Set([TYPE_LOCAL, RTN.value("broadcast"), TYPE_NAT, RTN.value("anycast")]);
/** Types whose default scope is link. */
const LINK_SCOPE_TYPES = new Set([RTN.value("broadcast"), RTN.value("multicast"), RTN.value("anycast")]);
const ONLINK = NEXTHOP_FLAGS.bit("onlink");
const OP_FLAGS: Readonly<Record<RouteOp, number>> = {
  add: REQUEST_FLAGS.create,
  replace: REQUEST_FLAGS.replace,
  append: REQUEST_FLAGS.append,
  prepend: REQUEST_FLAGS.prepend,
  change: REQUEST_FLAGS.change,
  del: REQUEST_FLAGS.ack,
};

/**
 * Builds an RTM_NEWROUTE / RTM_DELROUTE request exactly as iproute2 does for
 * `ip route OP DST [from F] [src S] [via G] [as L] [table T] [metric M]
 * [realm R] [nhid N] [pref P] [expires E] [ttl-propagate X] [dev D] [mtu …] [nexthop …]`.
 *
 * @example
 * ```ts
 * import { routeRequest } from "./route.ts";
 * routeRequest("add", { dst: "10.9.0.0/24", gateway: "10.0.0.2", table: 100, metric: 5 }, { oif: 3 }).length; // 60
 * ```
 */
export function routeRequest(op: RouteOp, o: RouteOptions, devs: ResolvedDevs = {}): Uint8Array {
  const w = new MessageWriter(128);
  writeRouteRequest(w, op, o, devs);
  return w.bytes();
}

/** The route operations: `ip route add|replace|append|prepend|change|del`. */
export type RouteOp = "add" | "replace" | "append" | "prepend" | "change" | "del";

/**
 * Appends the request {@linkcode routeRequest} builds to `w` (for batches).
 *
 * @example
 * ```ts
 * import { writeRouteRequest } from "./route.ts";
 * import { MessageWriter } from "../core/writer.ts";
 * const w = new MessageWriter();
 * writeRouteRequest(w, "add", { dst: "10.0.0.0/24" }, { oif: 2 });
 * ```
 */
export function writeRouteRequest(w: MessageWriter, op: RouteOp, o: RouteOptions, devs: ResolvedDevs = {}): void {
  if (o === null || typeof o !== "object") throw new ValidationError("route", o, "expected route options");
  // Most routes name their family by their destination: parsed once, here.
  const dstPrefix = o.family === undefined && typeof o.dst === "string" && o.dst !== "default"
    ? parsePrefix(o.dst, "dst")
    : undefined;
  const family = dstPrefix?.family ?? inferFamily(o);
  const del = op === "del";
  const mpls = family === AF.MPLS;
  const header = {
    family,
    dstLen: 0,
    srcLen: 0,
    tos: o.tos ?? 0,
    table: RT_TABLE.MAIN as number,
    protocol: del ? 0 : PROTO_BOOT,
    scope: del ? SCOPE_NOWHERE : 0,
    type: del ? 0 : TYPE_UNICAST,
    flags: o.onlink ? ONLINK : 0,
  };
  if (o.protocol !== undefined) header.protocol = RTPROT.value(o.protocol, "protocol");
  if (o.type !== undefined) header.type = RTN.value(o.type, "type");
  const attrs: Record<string, unknown> = {};
  if (mpls) {
    // One label, or `LABEL/LEN` as iproute2 writes a prefix length (the kernel takes only 20).
    const m = typeof o.dst === "string" ? /^(\d+)(?:\/(\d+))?$/.exec(o.dst) : null;
    if (m === null || (m[2] !== undefined && Number(m[2]) > 20)) {
      throw new ValidationError("dst", o.dst, "an MPLS route's dst is one label (or LABEL/LEN, LEN 0..20)");
    }
    attrs.dst = m[1];
    header.dstLen = m[2] === undefined ? 20 : Number(m[2]);
  } else if (o.dst !== "default") {
    const dst = dstPrefix ?? parsePrefix(o.dst, "dst", family);
    attrs.dst = dst.address;
    header.dstLen = dst.length;
  }
  if (o.from !== undefined) {
    const from = parsePrefix(o.from, "from", family);
    attrs.src = from.address;
    header.srcLen = from.length;
  }
  // iproute2's order for `ip route add DST encap … as LABELS src S via G …`.
  if (o.encap !== undefined) {
    attrs.encap = encapAttrs(o.encap, "encap", devs.encap);
    attrs.encapType = o.encap.type;
  }
  if (o.newdst !== undefined) attrs.newdst = o.newdst;
  if (o.src !== undefined) attrs.prefsrc = parsePrefix(o.src, "src", family).address;
  if (o.gateway !== undefined && o.via !== undefined) {
    throw new ValidationError("via", o.via, "give gateway or via, not both");
  }
  if (o.gateway !== undefined) setGateway(attrs, o.gateway, "gateway", family);
  if (o.via !== undefined) attrs.via = o.via;
  if (o.nhid !== undefined) attrs.nhId = o.nhid;
  let tableSet = false;
  if (o.table !== undefined) {
    const id = tableId(o.table);
    tableSet = true;
    if (id < 256) header.table = id;
    else {
      header.table = RT_TABLE.UNSPEC;
      attrs.table = id;
    }
  }
  if (o.metric !== undefined) attrs.priority = o.metric;
  if (o.realm !== undefined) attrs.flow = o.realm;
  if (o.pref !== undefined) attrs.pref = o.pref;
  if (o.expires !== undefined) attrs.expires = o.expires;
  if (o.ttlPropagate !== undefined) attrs.ttlPropagate = o.ttlPropagate;
  if (devs.oif !== undefined) attrs.oif = devs.oif;
  if (o.mtu !== undefined || o.metrics !== undefined) {
    // `mtu` first: it is the metric iproute2 users write first (`… mtu 1400 advmss 1360`).
    const metrics = o.mtu !== undefined ? { mtu: o.mtu, ...o.metrics } : { ...o.metrics };
    if (Object.keys(metrics).length > 0) {
      // iproute2 writes the lock mask after the metrics.
      const { lock, ...rest } = metrics;
      attrs.metrics = lock === undefined ? rest : { ...rest, lock };
    }
  }
  if (o.multipath !== undefined) {
    if (!Array.isArray(o.multipath) || o.multipath.length === 0) {
      throw new ValidationError("multipath", o.multipath, "a non-empty list of next hops");
    }
    attrs.multipath = o.multipath.map((nh, i) => {
      const weight = nh.weight ?? 1;
      if (!Number.isInteger(weight) || weight < 1 || weight > 256) {
        throw new ValidationError(`multipath[${i}].weight`, weight, "1..256");
      }
      const rec: Record<string, unknown> = {
        flags: nh.onlink ? ONLINK : 0,
        hops: weight - 1,
        ifindex: devs.paths?.[i] ?? 0,
      };
      if (nh.gateway !== undefined && nh.via !== undefined) {
        throw new ValidationError(`multipath[${i}].via`, nh.via, "give gateway or via, not both");
      }
      // A path's attributes go out in the order of its keys: iproute2 writes them in the order of
      // the words (`nexthop via A encap mpls 100` and `nexthop encap mpls 100 via A` differ).
      for (const key in nh) {
        switch (key) {
          case "encap":
            if (nh.encap === undefined) break;
            rec.encap = encapAttrs(nh.encap, `multipath[${i}].encap`, devs.pathEncaps?.[i]);
            rec.encapType = nh.encap.type;
            break;
          case "newdst":
            if (nh.newdst !== undefined) rec.newdst = nh.newdst;
            break;
          case "gateway":
            if (nh.gateway !== undefined) setGateway(rec, nh.gateway, `multipath[${i}].gateway`, family);
            break;
          case "via":
            if (nh.via !== undefined) rec.via = nh.via;
            break;
          case "realm":
            if (nh.realm !== undefined) rec.flow = nh.realm;
            break;
        }
      }
      return rec;
    });
  }
  // iproute2's defaults for what was not given (ip/iproute.c, iproute_modify).
  const type = header.type;
  if (!tableSet && !del && LOCAL_TABLE_TYPES.has(type)) header.table = RT_TABLE.LOCAL;
  if (o.scope !== undefined) header.scope = RT_SCOPE.value(o.scope, "scope");
  else if (family === AF_INET6 || mpls) header.scope = 0;
  else if (type === TYPE_LOCAL || type === TYPE_NAT) header.scope = SCOPE_HOST;
  else if (LINK_SCOPE_TYPES.has(type)) header.scope = SCOPE_LINK;
  else if (type === TYPE_UNICAST || type === 0) {
    if (del) header.scope = SCOPE_NOWHERE;
    else if (o.gateway === undefined && o.via === undefined && o.multipath === undefined && o.nhid === undefined) {
      header.scope = SCOPE_LINK;
    }
  }
  if (mpls && o.type === undefined) header.type = TYPE_UNICAST;
  encodeMessage(w, ROUTE_MESSAGE, del ? RTM.DELROUTE : RTM.NEWROUTE, OP_FLAGS[op], header, attrs, family);
}

/**
 * RTA_GATEWAY for a gateway of the route's family; an MPLS route's gateway
 * (always another family) becomes RTA_VIA, as iproute2's `via inet …` does.
 */
function setGateway(attrs: Record<string, unknown>, a: string, field: string, family: number): void {
  const fam = typeof a === "string" ? ipFamily(a) : 0;
  if (!fam) throw new ValidationError(field, a, "expected an IP address");
  if (family === AF.MPLS) {
    attrs.via = { family: FAMILY.name(fam), address: a };
    return;
  }
  if (fam !== family) {
    throw new ValidationError(
      field,
      a,
      `expected an ${family === AF_INET ? "IPv4" : "IPv6"} address like the destination`,
    );
  }
  attrs.gateway = a;
}

/**
 * Resolves the devices a route request names (the route's and each path's).
 *
 * @example
 * ```ts ignore
 * const devs = await resolveRouteDevs(conn, { dst: "default", dev: "p0", gateway: "10.0.0.1" });
 * ```
 */
export async function resolveRouteDevs(conn: NetlinkConnection, o: RouteOptions): Promise<ResolvedDevs> {
  const oif = o.dev === undefined ? undefined : await resolveDev(conn, o.dev);
  const paths = o.multipath === undefined ? undefined : await Promise.all(
    o.multipath.map((nh, i) => nh.dev === undefined ? undefined : resolveDev(conn, nh.dev, `multipath[${i}].dev`)),
  );
  const encap = await resolveEncapDevs(conn, o.encap, "encap");
  const pathEncaps = o.multipath === undefined ? undefined : await Promise.all(
    o.multipath.map((nh, i) => resolveEncapDevs(conn, nh.encap, `multipath[${i}].encap`)),
  );
  return { oif, paths, encap, pathEncaps };
}

async function modify(conn: NetlinkConnection, op: RouteOp, o: RouteOptions): Promise<void> {
  routeRequest(op, o); // bad input fails here, before any device look-up
  const devs = await resolveRouteDevs(conn, o);
  await conn.ack(routeRequest(op, o, devs), `${op}Route ${o?.dst}`);
}

/**
 * Adds a route, like `ip route add`; fails with EEXIST if it exists.
 *
 * @example
 * ```ts ignore
 * await addRoute(conn, { dst: "10.0.0.0/24", dev: "p0", gateway: "192.0.2.1" });
 * ```
 */
export function addRoute(conn: NetlinkConnection, o: RouteOptions): Promise<void> {
  return modify(conn, "add", o);
}

/**
 * Adds or replaces a route, like `ip route replace`.
 *
 * @example
 * ```ts ignore
 * await replaceRoute(conn, { dst: "default", gateway: "192.0.2.1" });
 * ```
 */
export function replaceRoute(conn: NetlinkConnection, o: RouteOptions): Promise<void> {
  return modify(conn, "replace", o);
}

/**
 * Appends a route after existing ones for the same prefix, like `ip route append`.
 *
 * @example
 * ```ts ignore
 * await appendRoute(conn, { dst: "2001:db8::/64", dev: "p0", gateway: "fe80::2" });
 * ```
 */
export function appendRoute(conn: NetlinkConnection, o: RouteOptions): Promise<void> {
  return modify(conn, "append", o);
}

/**
 * Adds a route before existing ones for the same prefix, like `ip route prepend`.
 *
 * @example
 * ```ts ignore
 * await prependRoute(conn, { dst: "10.0.0.0/24", dev: "p0" });
 * ```
 */
export function prependRoute(conn: NetlinkConnection, o: RouteOptions): Promise<void> {
  return modify(conn, "prepend", o);
}

/**
 * Changes an existing route, like `ip route change`.
 *
 * @example
 * ```ts ignore
 * await changeRoute(conn, { dst: "10.0.0.0/24", dev: "p0", metric: 10 });
 * ```
 */
export function changeRoute(conn: NetlinkConnection, o: RouteOptions): Promise<void> {
  return modify(conn, "change", o);
}

/**
 * Deletes a route, like `ip route del` (the fields given must match it).
 *
 * @example
 * ```ts ignore
 * await delRoute(conn, { dst: "10.0.0.0/24" });
 * ```
 */
export function delRoute(conn: NetlinkConnection, o: RouteOptions): Promise<void> {
  return modify(conn, "del", o);
}
