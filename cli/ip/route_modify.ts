/**
 * `ip route add | change | replace | prepend | append | delete`: iproute2's
 * argument rules (iproute_modify, parse_nexthops), mapped onto the library's
 * RouteOptions.
 *
 * @module
 */
import type { NexthopOptions, RouteMetrics, RouteOptions, Via } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import {
  AF_INET,
  AF_INET6,
  AF_MPLS,
  AF_UNSPEC,
  getAddr,
  getPrefix,
  parseUnsigned,
  prefixText,
  strtoul,
} from "../common/inet.ts";
import { protoId, realmsValue, rtnTypeId, scopeId, tableId } from "../common/names.ts";
import { connect, ctxFamilyNumber, type IpContext, readFamily } from "./context.ts";
import { LinkCache } from "./links.ts";
import { vrfTable } from "./vrf_table.ts";
import { type DeviceLookup, encapLookups, encapWithIndexes, parseEncap } from "./route_encap_parse.ts";

/** The route operations. */
export type RouteOp = "add" | "change" | "replace" | "prepend" | "append" | "delete";

const FAMILY_NAMES: Record<number, "inet" | "inet6" | "mpls"> = {
  [AF_INET]: "inet",
  [AF_INET6]: "inet6",
  [AF_MPLS]: "mpls",
};

/** RTAX numbers of the metrics that take a plain number, by keyword (and whether iproute2 matches abbreviations). */
const NUMBER_METRICS: [string, keyof RouteMetrics, number, boolean, string][] = [
  ["mtu", "mtu", 2, false, "mtu"],
  ["hoplimit", "hoplimit", 10, false, "hoplimit"],
  ["advmss", "advmss", 8, false, "mss"],
  ["reordering", "reordering", 9, true, "reordering"],
  ["window", "window", 3, true, "window"],
  ["cwnd", "cwnd", 7, true, "cwnd"],
  ["initcwnd", "initcwnd", 11, true, "initcwnd"],
  ["initrwnd", "initrwnd", 14, true, "initrwnd"],
  ["ssthresh", "ssthresh", 6, true, "ssthresh"],
];

/** RTAX numbers of the time metrics (their lock bits). */
const RTAX_RTT = 4;
const RTAX_RTTVAR = 5;
const RTAX_RTO_MIN = 13;

/**
 * iproute2's get_time_rtt: a number of milliseconds, or with a unit (`s`,
 * `sec`, `secs`, `ms`, `msec`, `msecs`, any case); fractions round up. `raw`
 * when no unit was given (iproute2 then stores the number as it is, unscaled).
 *
 * @example
 * ```ts
 * import { timeRtt } from "./route_modify.ts";
 * timeRtt("1.5s"); // { ms: 1500, raw: false }
 * ```
 */
export function timeRtt(arg: string): { ms: number; raw: boolean } | undefined {
  let t: number;
  let rest: string;
  if (arg.includes(".")) {
    const m = /^[ \t\n\r\f\v]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(arg);
    if (!m) return undefined;
    t = Number(m[1]);
    if (t < 0) return undefined;
    rest = arg.slice(m[0].length);
  } else {
    const r = strtoul(arg, 0);
    if (Number.isNaN(r.value)) return undefined;
    t = r.value;
    rest = r.rest;
  }
  const unit = rest.toLowerCase();
  if (unit === "s" || unit === "sec" || unit === "secs") t *= 1000;
  else if (unit !== "" && unit !== "ms" && unit !== "msec" && unit !== "msecs") return undefined;
  // C would convert a value beyond 32 bits without a defined result: refused here instead.
  const ms = Math.ceil(t);
  if (ms > 0xffffffff) return undefined;
  return { ms, raw: rest === "" };
}

/**
 * Runs `ip route OP ROUTE…`.
 *
 * @example
 * ```ts ignore
 * await modifyRoute(ctx, "add", ["10.0.0.0/24", "via", "192.0.2.1"], usage);
 * ```
 */
export async function modifyRoute(ctx: IpContext, op: RouteOp, args: string[], usage: () => never): Promise<number> {
  const parsed = parseRoute(ctx, args, usage);
  using conn = await connect(ctx);
  // iproute2 reads `vrf` (and `nexthop` paths' devices) as it meets them, `dev` at the end.
  const table = parsed.vrf === undefined ? undefined : await vrfTable(conn, parsed.vrf, ctxFamilyNumber(ctx));
  const route = routeOptions(parsed, await LinkCache.find(conn, routeDevices(parsed), true), table);
  switch (op) {
    case "add":
      await conn.addRoute(route);
      break;
    case "change":
      await conn.changeRoute(route);
      break;
    case "replace":
      await conn.replaceRoute(route);
      break;
    case "prepend":
      await conn.prependRoute(route);
      break;
    case "append":
      await conn.appendRoute(route);
      break;
    case "delete":
      await conn.delRoute(route);
      break;
  }
  return 0;
}

/** A parsed `ip route OP` command line, its devices still names. */
export interface ParsedRoute {
  /** Everything but the devices and the family. */
  options: Partial<RouteOptions>;
  /** The destination, as the library takes it. */
  dst: string;
  /** `dev NAME`. */
  dev?: string;
  /** `nexthop …` paths, each with its `dev NAME`. */
  hops: { dev?: string; nh: NexthopOptions }[];
  /** The family number the words implied (AF_UNSPEC when none). */
  family: number;
  /** `vrf NAME`: the route goes into that VRF device's table. */
  vrf?: string;
  /**
   * The device names in the order iproute2 looks them up: a seg6local
   * encapsulation's `iif`/`oif` and a path's `dev` as it reads them, the
   * route's `dev` once every word is read; `from` says whose name it is.
   */
  lookups: DeviceLookup[];
}

/**
 * Parses `ip route OP ROUTE…` words without touching the kernel (iproute2's
 * iproute_modify argument loop); throws a UsageError (or calls `usage`) as
 * iproute2 would fail.
 *
 * @example
 * ```ts ignore
 * const parsed = parseRoute(ctx, ["10.0.0.0/24", "via", "192.0.2.1"], usage);
 * ```
 */
export function parseRoute(ctx: IpContext, args: string[], usage: () => never): ParsedRoute {
  let family = ctxFamilyNumber(ctx);
  const o: Partial<RouteOptions> = {};
  const metrics: Omit<RouteMetrics, "unknownAttrs"> = {};
  let lock = 0;
  let gwOk = false;
  let dst: string | undefined;
  let dev: string | undefined;
  let vrf: string | undefined;
  const hops: { dev?: string; nh: NexthopOptions }[] = [];
  const lookups: DeviceLookup[] = [];
  let i = 0;
  const next = () => {
    if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
    return args[++i];
  };
  /** `via [FAMILY] ADDR` into gateway (same family) or via (another one). */
  const via = (target: { gateway?: string; via?: Via }) => {
    let v = next();
    const c0 = v.charCodeAt(0);
    let fam = c0 >= 48 && c0 <= 57 ? AF_UNSPEC : readFamily(v); // no family word starts with a digit
    if (fam === AF_UNSPEC) fam = family;
    else v = next();
    const addr = getAddr(v, fam);
    if (family === AF_UNSPEC) family = addr.family;
    if (addr.family === family) target.gateway = prefixText(addr, false);
    else target.via = { family: FAMILY_NAMES[addr.family] ?? String(addr.family), address: prefixText(addr, false) };
  };
  /** The destination prefix. */
  const destination = (a: string) => {
    if (dst !== undefined) throw new UsageError(`Error: either "to" is duplicate, or "${a}" is a garbage.`);
    const pfx = getPrefix(a, family);
    if (family === AF_UNSPEC) family = pfx.family;
    // An MPLS destination is one label; another length than 20 is sent as given (the kernel refuses it).
    if (pfx.family === AF_MPLS) dst = pfx.bitlen === 20 ? prefixText(pfx) : `${prefixText(pfx)}/${pfx.bitlen}`;
    else dst = pfx.wildcard && pfx.bitlen === 0 ? "default" : prefixText(pfx, true);
  };
  for (; i < args.length; i++) {
    let a = args[i];
    // `dev` first, and a shortcut for the destination (`ip -batch` parses 100,000s of lines):
    // no keyword below is matched by "dev"/"oif" or starts with a digit.
    const c0 = a.charCodeAt(0);
    if (c0 >= 48 && c0 <= 57) destination(a);
    else if (a === "dev" || a === "oif") dev = next();
    else if (a === "src") {
      const addr = getAddr(next(), family);
      if (family === AF_UNSPEC) family = addr.family;
      o.src = prefixText(addr, false);
    } else if (a === "as") {
      let v = next();
      if (v === "to") v = next();
      const addr = getAddr(v, family);
      if (family === AF_UNSPEC) family = addr.family;
      o.newdst = prefixText(addr, false);
    } else if (a === "via") {
      if (gwOk) throw invalidArgument("use nexthop syntax to specify multiple via\n", a);
      gwOk = true;
      via(o);
    } else if (a === "from") {
      const pfx = getPrefix(next(), family);
      if (family === AF_UNSPEC) family = pfx.family;
      o.from = prefixText(pfx, true);
    } else if (a === "tos" || matches(a, "dsfield")) {
      const v = next();
      const tos = parseUnsigned(v, 255, 16);
      if (tos === undefined) throw invalidArgument('"tos" value is invalid\n', v);
      o.tos = tos;
    } else if (a === "expires") {
      const v = next();
      const n = parseUnsigned(v);
      if (n === undefined) throw invalidArgument('"expires" value is invalid\n', v);
      o.expires = n;
    } else if (matches(a, "metric") || matches(a, "priority") || a === "preference") {
      const v = next();
      const n = parseUnsigned(v);
      if (n === undefined) throw invalidArgument('"metric" value is invalid\n', v);
      o.metric = n;
    } else if (a === "scope") {
      const v = next();
      const s = scopeId(v);
      if (s === undefined) throw invalidArgument('invalid "scope" value\n', v);
      o.scope = s;
    } else if (NUMBER_METRICS.some(([w, , , abbr]) => (abbr ? matches(a, w) : a === w))) {
      const [, key, rtax, , label] = NUMBER_METRICS.find(([w, , , abbr]) => (abbr ? matches(a, w) : a === w))!;
      let v = next();
      if (v === "lock") {
        lock |= 1 << rtax;
        v = next();
      }
      const n = parseUnsigned(v);
      if (n === undefined || (key === "hoplimit" && n > 255)) throw invalidArgument(`"${label}" value is invalid\n`, v);
      (metrics as Record<string, number>)[key] = n;
    } else if (a === "rtt" || matches(a, "rttvar")) {
      // rtt in milliseconds is stored ×8 and rttvar ×4 (the kernel's fixed point); a bare number is taken raw.
      const rtt = a === "rtt";
      let v = next();
      if (v === "lock") {
        lock |= 1 << (rtt ? RTAX_RTT : RTAX_RTTVAR);
        v = next();
      }
      const t = timeRtt(v);
      if (t === undefined) throw invalidArgument(`"${rtt ? "rtt" : "rttvar"}" value is invalid\n`, v);
      const n = t.raw ? t.ms : (t.ms * (rtt ? 8 : 4)) % 2 ** 32;
      if (rtt) metrics.rtt = n;
      else metrics.rttvar = n;
    } else if (a === "rto_min") {
      // iproute2 always locks rto_min, and stores it unscaled.
      const v = next();
      lock |= 1 << RTAX_RTO_MIN;
      const t = timeRtt(v);
      if (t === undefined) throw invalidArgument('"rto_min" value is invalid\n', v);
      metrics.rtoMin = t.ms;
    } else if (matches(a, "features")) {
      const v = next();
      if (v !== "ecn") throw invalidArgument('"features" value not valid\n', v);
      metrics.features = 1;
    } else if (matches(a, "quickack") || matches(a, "fastopen_no_cookie")) {
      const q = matches(a, "quickack");
      const name = q ? "quickack" : "fastopen_no_cookie";
      const v = next();
      const n = parseUnsigned(v);
      if (n === undefined) throw invalidArgument(`"${name}" value is invalid\n`, v);
      if (n > 1) throw invalidArgument(`"${name}" value should be 0 or 1\n`, v);
      if (q) metrics.quickack = n;
      else metrics.fastopenNoCookie = n;
    } else if (matches(a, "congctl")) {
      let v = next();
      if (v === "lock") {
        lock |= 1 << 16;
        v = next();
      }
      metrics.ccAlgo = v;
    } else if (matches(a, "realms")) {
      const v = next();
      const n = realmsValue(v);
      if (n === undefined) throw invalidArgument('"realm" value is invalid\n', v);
      o.realm = n;
    } else if (a === "onlink") o.onlink = true;
    else if (a === "nexthop") {
      parseNexthops(args.slice(i), hops, lookups, () => family, (f) => (family = f));
      break;
    } else if (a === "nhid") {
      const v = next();
      const n = parseUnsigned(v);
      if (n === undefined) throw invalidArgument('"id" value is invalid\n', v);
      o.nhid = n;
    } else if (matches(a, "protocol")) {
      const v = next();
      const p = protoId(v);
      if (p === undefined) throw invalidArgument('"protocol" value is invalid\n', v);
      o.protocol = p;
    } else if (matches(a, "table")) {
      const v = next();
      const t = tableId(v);
      if (t === undefined) throw invalidArgument('"table" value is invalid\n', v);
      o.table = t;
      vrf = undefined; // the last of table and vrf wins
    } else if (matches(a, "vrf")) {
      // The table is the VRF device's: looked up with the other devices (routeOptions).
      vrf = next();
      delete o.table;
    } else if (matches(a, "pref")) {
      const v = next();
      if (v === "low" || v === "medium" || v === "high") o.pref = v;
      else {
        const n = parseUnsigned(v, 255);
        if (n === undefined) throw invalidArgument('"pref" value is invalid\n', v);
        o.pref = n;
      }
    } else if (a === "encap") {
      i = parseEncap(args, i, o);
      encapLookups(o.encap, lookups);
    } else if (a === "ttl-propagate") {
      const v = next();
      if (matches(v, "enabled")) o.ttlPropagate = 1;
      else if (matches(v, "disabled")) o.ttlPropagate = 0;
      else throw invalidArgument('"ttl-propagate" value is invalid\n', v);
    } else {
      if (a === "to") a = next();
      const t = (a[0] < "0" || a[0] > "9") ? rtnTypeId(a) : undefined;
      if (t !== undefined) {
        o.type = t;
        a = next();
      }
      if (matches(a, "help")) usage();
      destination(a);
    }
  }
  if (dst === undefined) usage();
  if (Object.keys(metrics).length || lock) o.metrics = lock ? { ...metrics, lock } : metrics;
  if (dev !== undefined) lookups.push({ name: dev, from: "dev" });
  const parsed: ParsedRoute = { options: o, dst, dev, hops, family, lookups };
  if (vrf !== undefined) parsed.vrf = vrf;
  return parsed;
}

/**
 * The device names a parsed route gives, in the order iproute2 looks them up:
 * a seg6local encapsulation's `iif`/`oif` and each `nexthop` path's `dev` as
 * it reads them (paths end the command), then `dev`, which it looks up once
 * every word is read.
 *
 * @example
 * ```ts ignore
 * const links = await LinkCache.find(conn, routeDevices(parsed));
 * ```
 */
export function routeDevices(parsed: ParsedRoute): string[] {
  return parsed.lookups.map((l) => l.name);
}

/**
 * The library's RouteOptions for a parsed route, its device names resolved
 * through `links` and its `vrf` table (looked up by {@linkcode vrfTable})
 * given; throws iproute2's error for a missing device.
 *
 * @example
 * ```ts ignore
 * const route = routeOptions(parsed, await LinkCache.find(conn, routeDevices(parsed)), vrfTable);
 * ```
 */
export function routeOptions(parsed: ParsedRoute, links: LinkCache, vrfTable?: number): RouteOptions {
  const { dst, dev, hops } = parsed;
  // The first name iproute2 would not find ends the command, with its error.
  for (const { name, from } of parsed.lookups) {
    if (links.index(name)) continue;
    if (from === "dev") throw new UsageError(`Cannot find device "${name}"`, 1);
    // A path's is reported by parse_nexthops as well; both exit 255.
    throw new UsageError(`Cannot find device "${name}"${from === "nexthop" ? "\nError: cannot parse nexthop" : ""}`);
  }
  const o = { ...parsed.options };
  let family = parsed.family;
  if (vrfTable !== undefined) o.table = vrfTable;
  if (dev !== undefined) o.dev = links.index(dev);
  if (o.encap !== undefined) o.encap = encapWithIndexes(o.encap, links);
  if (hops.length) {
    o.multipath = hops.map(({ dev, nh }) => {
      const path = nh.encap === undefined ? nh : { ...nh, encap: encapWithIndexes(nh.encap, links) };
      return dev === undefined ? path : { ...path, dev: links.index(dev) };
    });
  }
  if (family === AF_UNSPEC) family = AF_INET;
  const fam = FAMILY_NAMES[family];
  if (!fam) throw new UsageError(`nlink: routes of family ${family} are not supported`, 1);
  return { ...o, dst, family: fam };
}

/**
 * iproute2's parse_nexthops / parse_one_nh: `nexthop via A dev D weight W onlink realms R encap … as L`.
 * Each path's keys are set in the order of its words: the library encodes them in that order, as iproute2 does.
 */
function parseNexthops(
  args: string[],
  out: { dev?: string; nh: NexthopOptions }[],
  lookups: DeviceLookup[],
  getFamily: () => number,
  setFamily: (f: number) => void,
): void {
  let i = 0;
  while (i < args.length) {
    if (args[i] !== "nexthop") {
      throw new UsageError(`Error: "nexthop" or end of line is expected instead of "${args[i]}"`);
    }
    if (i + 1 >= args.length) throw new UsageError('Error: unexpected end of line after "nexthop"');
    const hop: { dev?: string; nh: NexthopOptions } = { nh: {} };
    i++;
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    for (; i < args.length; i++) {
      const a = args[i];
      if (a === "via") {
        let v = next();
        let fam = readFamily(v);
        if (fam === AF_UNSPEC) fam = getFamily();
        else v = next();
        const addr = getAddr(v, fam);
        if (getFamily() === AF_UNSPEC) setFamily(addr.family);
        if (addr.family === getFamily()) hop.nh.gateway = prefixText(addr, false);
        else {
          hop.nh.via = { family: FAMILY_NAMES[addr.family] ?? String(addr.family), address: prefixText(addr, false) };
        }
      } else if (a === "dev") {
        hop.dev = next();
        lookups.push({ name: hop.dev, from: "nexthop" });
      } else if (a === "weight") {
        const v = next();
        const w = parseUnsigned(v);
        if (w === undefined || w === 0 || w > 256) throw invalidArgument('"weight" is invalid\n', v);
        hop.nh.weight = w;
      } else if (a === "onlink") hop.nh.onlink = true;
      else if (matches(a, "realms")) {
        const v = next();
        const n = realmsValue(v);
        if (n === undefined) throw invalidArgument('"realm" value is invalid\n', v);
        hop.nh.realm = n;
      } else if (a === "encap") {
        i = parseEncap(args, i, hop.nh);
        encapLookups(hop.nh.encap, lookups);
      } else if (a === "as") {
        let v = next();
        if (v === "to") v = next();
        // Read in the route's family, which a path's labels do not set (as in iproute2's parse_one_nh).
        hop.nh.newdst = prefixText(getAddr(v, getFamily()), false);
      } else break;
    }
    out.push(hop);
  }
}
