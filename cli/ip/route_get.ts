/**
 * `ip route get`: one route lookup through the library (iproute2's
 * iproute_get), printed like `ip route show` prints a route.
 *
 * @module
 */
import { ROUTE_IPPROTO } from "@nlink/nlink/tables";
import type { Route, RouteGetOptions } from "@nlink/nlink";
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
import type { Printer } from "../common/output.ts";
import { connect, ctxFamilyNumber, type IpContext, printer } from "./context.ts";
import { LinkCache } from "./links.ts";
import type { NhInfo } from "./route_nhinfo.ts";
import { defaultRouteFilter, RoutePrinter } from "./route_print.ts";

const FAMILIES: Record<number, RouteGetOptions["family"]> = {
  [AF_INET]: "inet",
  [AF_INET6]: "inet6",
  [AF_MPLS]: "mpls",
};

/** iproute2's inet_proto_a2n for the protocols the library names: a number or a name. */
function ipProto(v: string): number | string | undefined {
  const n = parseUnsigned(v, 255);
  if (n !== undefined) return n;
  try {
    ROUTE_IPPROTO.value(v);
    return v;
  } catch {
    return undefined;
  }
}

/** A parsed `ip route get` line: the lookup, with its devices still names. */
interface GetLine {
  options: Omit<RouteGetOptions, "dst"> & { dst?: string };
  iif?: string;
  oif?: string;
  /** `vrf NAME`: the output device must be a VRF. */
  vrf?: string;
  connected: boolean;
  /** `from` was given (then `connected` does nothing more). */
  fromGiven: boolean;
}

function parse(ctx: IpContext, args: string[], usage: () => never): GetLine {
  let family = ctxFamilyNumber(ctx);
  const line: GetLine = { options: {}, connected: false, fromGiven: false };
  const o = line.options;
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (a === "tos" || matches(a, "dsfield")) {
      const v = next();
      const tos = parseUnsigned(v, 255, 16);
      if (tos === undefined) throw invalidArgument("TOS value is invalid\n", v);
      o.tos = tos;
    } else if (matches(a, "from")) {
      const v = next();
      if (matches(v, "help")) usage();
      line.fromGiven = true;
      const p = getPrefix(v, family);
      if (family === AF_UNSPEC) family = p.family;
      if (p.bytelen) o.from = prefixText(p, true);
    } else if (matches(a, "iif")) line.iif = next();
    else if (matches(a, "mark")) {
      const v = next();
      const mark = parseUnsigned(v);
      if (mark === undefined) throw invalidArgument("invalid mark value", v);
      o.mark = mark;
    } else if (matches(a, "oif") || a === "dev") line.oif = next();
    else if (matches(a, "notify")) throw new UsageError('nlink: "ip route get notify" is not supported yet', 1);
    else if (matches(a, "connected")) line.connected = true;
    else if (matches(a, "vrf")) line.vrf = line.oif = next();
    else if (matches(a, "uid")) {
      const v = next();
      const uid = parseUnsigned(v);
      if (uid === undefined) throw invalidArgument("invalid UID\n", v);
      o.uid = uid;
    } else if (matches(a, "fibmatch")) o.fibmatch = true;
    else if (a === "as") {
      // RTA_NEWDST: an address (for MPLS a label stack), read without a prefix length.
      let v = next();
      if (v === "to") v = next();
      const addr = getAddr(v, family);
      if (family === AF_UNSPEC) family = addr.family;
      o.newdst = prefixText(addr, false);
    } else if (matches(a, "sport") || matches(a, "dport")) {
      const sport = matches(a, "sport");
      const v = next();
      const port = parseUnsigned(v, 0xffff);
      if (port === undefined) throw invalidArgument(sport ? "invalid sport\n" : "invalid dport\n", v);
      if (sport) o.sport = port;
      else o.dport = port;
    } else if (matches(a, "ipproto")) {
      const v = next();
      const p = ipProto(v);
      if (p === undefined) throw invalidArgument('Invalid "ipproto" value\n', v);
      o.ipproto = p;
    } else {
      if (a === "to") a = next();
      if (matches(a, "help")) usage();
      const p = getPrefix(a, family);
      if (family === AF_UNSPEC) family = p.family;
      const host = family === AF_INET ? 32 : family === AF_INET6 ? 128 : p.bitlen;
      if ((family === AF_INET || family === AF_INET6) && p.bitlen !== host) {
        // iproute2 warns and looks up the address anyway.
        console.error(`Warning: /${p.bitlen} as prefix is invalid, only /${host} (or none) is supported.`);
      }
      // An MPLS label's length other than 20 is sent as given (the kernel refuses it).
      o.dst = p.family === AF_MPLS && p.bitlen !== 20 ? `${prefixText(p)}/${p.bitlen}` : prefixText(p, false);
    }
  }
  if (o.dst === undefined) {
    console.error("need at least a destination address");
    throw new UsageError("", 1, true);
  }
  if (family === AF_UNSPEC) family = AF_INET;
  o.family = FAMILIES[family];
  if (o.family === undefined) throw new UsageError(`nlink: "ip route get" in family ${family} is not supported`, 1);
  return line;
}

/**
 * Runs `ip route get ADDRESS [from …] [iif …] [oif …] [mark …] [uid …]
 * [as [to] ADDRESS] [ipproto …] [sport …] [dport …] [tos …] [vrf …] [fibmatch] [connected]`.
 *
 * @example
 * ```ts ignore
 * await getRoute(ctx, ["10.0.0.5", "from", "10.0.0.1"], usage);
 * ```
 */
export async function getRoute(ctx: IpContext, args: string[], usage: () => never): Promise<number> {
  const line = parse(ctx, args, usage);
  using conn = await connect(ctx);
  const links = await LinkCache.load(conn);
  const options = { ...line.options, dst: line.options.dst! } as RouteGetOptions;
  if (line.vrf !== undefined && links.get(links.index(line.vrf))?.linkinfo?.kind !== "vrf") {
    throw invalidArgument("Invalid VRF\n", line.vrf);
  }
  for (const [key, name] of [["iif", line.iif], ["oif", line.oif]] as const) {
    if (name === undefined) continue;
    const idx = links.index(name);
    if (!idx) throw new UsageError(`Cannot find device "${name}"`, 1);
    options[key] = idx;
  }
  const route = await conn.getRoute(options);
  const p = printer(ctx);
  // `-d` prints the nexthop object of an answer with `nhid` (a fibmatch answer) below it.
  const nhInfo = ctx.details > 0 && route.nhId !== undefined
    ? await (await import("./route_nhinfo.ts")).loadNhInfo(conn, links, ctx, [route.nhId])
    : undefined;
  printOne(p, ctx, links, route, nhInfo);
  p.flush();
  if (line.connected && !line.fromGiven) {
    // iproute2 then asks again with the same request (its rewrite of the answer is never sent),
    // and prints the second answer after its JSON output has ended: as text.
    if (route.prefsrc === undefined && route.src === undefined) {
      console.error("Failed to connect the route");
      return 1;
    }
    const text = { ...ctx, json: false };
    const q = printer(text);
    printOne(q, text, links, await conn.getRoute(options));
    q.flush();
  }
  return 0;
}

/** Prints one answer as a one-element listing. */
function printOne(p: Printer, ctx: IpContext, links: LinkCache, route: Route, nhInfo?: NhInfo): void {
  const f = defaultRouteFilter();
  f.tb = 0;
  // iproute2's lookup filter lets cached and uncached answers through alike.
  f.cloned = route.flags.includes("cloned");
  const rp = new RoutePrinter(p, f, links, { details: ctx.details, stats: ctx.stats, numeric: ctx.numeric, nhInfo });
  p.startList();
  rp.print(route);
  p.endList();
}
