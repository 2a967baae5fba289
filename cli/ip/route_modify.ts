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
} from "../common/inet.ts";
import { protoId, rtnTypeId, scopeId, tableId } from "../common/names.ts";
import { connect, type IpContext } from "./context.ts";
import { LinkCache } from "./links.ts";
import { ctxFamilyNumber, readFamily } from "./route_show.ts";
import { parseEncap } from "./route_encap_parse.ts";

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

function unsupported(what: string): UsageError {
  return new UsageError(`nlink: "ip route ${what}" is not supported yet`, 1);
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
  const route = routeOptions(parsed, await LinkCache.load(conn));
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
  const hops: { dev?: string; nh: NexthopOptions }[] = [];
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
    dst = pfx.wildcard && pfx.bitlen === 0 ? "default" : prefixText(pfx, true);
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
      o.newdst = v;
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
    } else if (a === "rtt" || a === "rto_min" || matches(a, "rttvar")) throw unsupported(a);
    else if (matches(a, "features")) {
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
      const n = parseUnsigned(v);
      if (n === undefined) throw unsupported("realms NAME");
      o.realm = n;
    } else if (a === "onlink") o.onlink = true;
    else if (a === "nexthop") {
      parseNexthops(args.slice(i), hops, () => family, (f) => (family = f));
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
    } else if (matches(a, "vrf")) throw unsupported("vrf");
    else if (matches(a, "pref")) {
      const v = next();
      if (v === "low" || v === "medium" || v === "high") o.pref = v;
      else if (parseUnsigned(v, 255) !== undefined) throw unsupported("pref NUMBER");
      else throw invalidArgument('"pref" value is invalid\n', v);
    } else if (a === "encap") i = parseEncap(args, i, o);
    else if (a === "ttl-propagate") {
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
  return { options: o, dst, dev, hops, family };
}

/**
 * The library's RouteOptions for a parsed route, its device names resolved
 * through `links`; throws iproute2's error for a missing device.
 *
 * @example
 * ```ts ignore
 * const route = routeOptions(parseRoute(ctx, args, usage), await LinkCache.load(conn));
 * ```
 */
export function routeOptions(parsed: ParsedRoute, links: LinkCache): RouteOptions {
  const { dst, dev, hops } = parsed;
  const o = { ...parsed.options };
  let family = parsed.family;
  if (dev !== undefined) {
    const idx = links.index(dev);
    if (!idx) throw new UsageError(`Cannot find device "${dev}"`, 1);
    o.dev = idx;
  }
  if (hops.length) {
    o.multipath = hops.map(({ dev, nh }) => {
      if (dev === undefined) return nh;
      const idx = links.index(dev);
      // iproute2 prints both lines, then exits 255.
      if (!idx) throw new UsageError(`Cannot find device "${dev}"\nError: cannot parse nexthop`);
      return { ...nh, dev: idx };
    });
  }
  if (family === AF_UNSPEC) family = AF_INET;
  const fam = FAMILY_NAMES[family];
  if (!fam) throw new UsageError(`nlink: routes of family ${family} are not supported`, 1);
  return { ...o, dst, family: fam };
}

/** iproute2's parse_nexthops / parse_one_nh: `nexthop via A dev D weight W onlink …`. */
function parseNexthops(
  args: string[],
  out: { dev?: string; nh: NexthopOptions }[],
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
      } else if (a === "dev") hop.dev = next();
      else if (a === "weight") {
        const v = next();
        const w = parseUnsigned(v);
        if (w === undefined || w === 0 || w > 256) throw invalidArgument('"weight" is invalid\n', v);
        hop.nh.weight = w;
      } else if (a === "onlink") hop.nh.onlink = true;
      else if (matches(a, "realms") || a === "encap" || a === "as") throw unsupported(`nexthop ${a}`);
      else break;
    }
    out.push(hop);
  }
}
