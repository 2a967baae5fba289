/**
 * `ip route show`: selectors (iproute2's iproute_list_flush_or_save), one
 * route dump through the library's connection, printed as it arrives.
 *
 * @module
 */
import { DumpInterruptedError, type GetRoutesOptions, NetlinkError } from "@nlink/nlink";
import { kernelMessage } from "../common/errors.ts";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { AF_INET, AF_INET6, AF_MPLS, AF_UNSPEC, getPrefix, parseUnsigned } from "../common/inet.ts";
import { protoId, rtnTypeId, scopeId, tableId } from "../common/names.ts";
import { connect, type IpContext, printer } from "./context.ts";
import { LinkCache } from "./links.ts";
import { defaultRouteFilter, type RouteFilter, RoutePrinter } from "./route_print.ts";

/**
 * The family of `-4`/`-6`/`-f` as a number (AF_*).
 *
 * @example
 * ```ts ignore
 * ctxFamilyNumber(ctx); // 2 with -4
 * ```
 */
export function ctxFamilyNumber(ctx: IpContext): number {
  switch (ctx.family) {
    case "inet":
      return AF_INET;
    case "inet6":
      return AF_INET6;
    case "mpls":
      return AF_MPLS;
    case "bridge":
      return 7;
    case "packet":
      return 17;
  }
  return AF_UNSPEC;
}

/**
 * iproute2's read_family: a family word, or AF_UNSPEC.
 *
 * @example
 * ```ts
 * import { readFamily } from "./route_show.ts";
 * readFamily("inet6"); // 10
 * ```
 */
export function readFamily(word: string): number {
  return ({ inet: AF_INET, inet6: AF_INET6, link: 17, mpls: AF_MPLS, bridge: 7 } as Record<string, number>)[word] ??
    AF_UNSPEC;
}

/**
 * What iproute2 asks the kernel to filter for these selectors (family,
 * protocol, cloned flag, table and output device), as the library's dump
 * options. Families without routes of their own (`-f bridge`, `-f link`) are
 * not asked for: the kernel would answer with every family's routes, which
 * the printer's family selector then drops, as iproute2's does.
 *
 * @example
 * ```ts
 * import { routeDumpOptions } from "./route_show.ts";
 * import { defaultRouteFilter } from "./route_print.ts";
 * routeDumpOptions(2, defaultRouteFilter()); // { family: "inet", table: 254 }
 * ```
 */
export function routeDumpOptions(family: number, f: RouteFilter): GetRoutesOptions {
  const o: GetRoutesOptions = {};
  if (family === AF_INET) o.family = "inet";
  else if (family === AF_INET6) o.family = "inet6";
  else if (family === AF_MPLS) o.family = "mpls";
  if (f.protocol) o.protocol = f.protocol;
  if (f.cloned) o.cloned = true;
  if (f.tb) o.table = f.tb;
  if (f.oif) o.dev = f.oif;
  return o;
}

/**
 * Runs `ip route show SELECTORS…`.
 *
 * @example
 * ```ts ignore
 * await showRoutes(ctx, ["table", "all"], usage);
 * ```
 */
export async function showRoutes(ctx: IpContext, args: string[], usage: () => never): Promise<number> {
  const preferred = ctxFamilyNumber(ctx);
  let dumpFamily = preferred;
  const f = defaultRouteFilter();
  f.family = ctx.family;
  let iifName: string | undefined;
  let oifName: string | undefined;
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (matches(a, "table")) {
      const v = next();
      const id = tableId(v);
      if (id !== undefined) f.tb = id;
      else if (v === "all") f.tb = 0;
      else if (v === "cache") f.cloned = true;
      else if (v === "help") usage();
      else throw invalidArgument("table id value is invalid\n", v);
    } else if (matches(a, "vrf")) throw new UsageError('nlink: "ip route show vrf" is not supported yet', 1);
    else if (matches(a, "cached") || matches(a, "cloned")) f.cloned = true;
    else if (a === "tos" || matches(a, "dsfield")) {
      const v = next();
      const tos = parseUnsigned(v, 255, 16);
      if (tos === undefined) throw invalidArgument("TOS value is invalid\n", v);
      f.tos = tos;
      f.tosmask = -1;
    } else if (matches(a, "protocol")) {
      const v = next();
      f.protocolmask = -1;
      const id = protoId(v);
      if (id === undefined) {
        if (v !== "all") throw invalidArgument('invalid "protocol"\n', v);
        f.protocol = 0;
        f.protocolmask = 0;
      } else f.protocol = id;
    } else if (matches(a, "scope")) {
      const v = next();
      f.scopemask = -1;
      const id = scopeId(v);
      if (id === undefined) {
        if (v !== "all") throw invalidArgument('invalid "scope"\n', v);
        f.scope = 255;
        f.scopemask = 0;
      } else f.scope = id;
    } else if (matches(a, "type")) {
      const v = next();
      const t = rtnTypeId(v);
      if (t === undefined) throw invalidArgument("node type value is invalid\n", v);
      f.typemask = 1 << t;
    } else if (a === "dev" || a === "oif") oifName = next();
    else if (a === "iif") iifName = next();
    else if (a === "mark") {
      const v = next();
      const mark = parseUnsigned(v);
      if (mark === undefined) throw invalidArgument("invalid mark value", v);
      f.mark = mark;
      f.markmask = -1;
    } else if (matches(a, "metric") || matches(a, "priority") || a === "preference") {
      const v = next();
      const metric = parseUnsigned(v);
      if (metric === undefined) throw invalidArgument('"metric" value is invalid\n', v);
      f.metric = metric;
      f.metricmask = -1;
    } else if (a === "via") {
      let v = next();
      let family = readFamily(v);
      if (family === AF_UNSPEC) family = dumpFamily;
      else v = next();
      f.rvia = getPrefix(v, family);
    } else if (a === "src") f.rprefsrc = getPrefix(next(), dumpFamily);
    else if (matches(a, "realms")) throw new UsageError('nlink: "ip route show realms" is not supported yet', 1);
    else if (matches(a, "from")) {
      a = next();
      if (matches(a, "root")) f.rsrc = getPrefix(next(), dumpFamily);
      else if (matches(a, "match")) f.msrc = getPrefix(next(), dumpFamily);
      else {
        if (matches(a, "exact")) a = next();
        f.msrc = getPrefix(a, dumpFamily);
        f.rsrc = f.msrc;
      }
    } else {
      if (matches(a, "to")) a = next();
      if (matches(a, "root")) f.rdst = getPrefix(next(), dumpFamily);
      else if (matches(a, "match")) f.mdst = getPrefix(next(), dumpFamily);
      else {
        if (matches(a, "exact")) a = next();
        f.mdst = getPrefix(a, dumpFamily);
        f.rdst = f.mdst;
      }
    }
  }
  if (dumpFamily === AF_UNSPEC && f.tb) dumpFamily = AF_INET;
  using conn = await connect(ctx);
  const links = await LinkCache.load(conn);
  if (iifName !== undefined) {
    const idx = links.index(iifName);
    if (!idx) throw new UsageError(`Cannot find device "${iifName}"`, 1);
    f.iif = idx;
    f.iifmask = -1;
  }
  if (oifName !== undefined) {
    const idx = links.index(oifName);
    if (!idx) throw new UsageError(`Cannot find device "${oifName}"`, 1);
    f.oif = idx;
    f.oifmask = -1;
  }
  const p = printer(ctx);
  const rp = new RoutePrinter(p, f, links, { details: ctx.details, stats: ctx.stats, numeric: ctx.numeric });
  p.stream();
  p.startList();
  let interrupted = false;
  try {
    // Printed as it arrives, so a retried dump would print twice: report the interruption instead.
    for await (const route of conn.streamRoutes({ ...routeDumpOptions(dumpFamily, f), onInterrupt: "error" })) {
      rp.print(route);
    }
  } catch (e) {
    if (e instanceof NetlinkError && !(e instanceof DumpInterruptedError)) {
      // iproute2 stops here: the list stays open (stdio flushes it at exit, after the error).
      console.error(kernelMessage(e));
      console.error("Dump terminated");
      p.flush();
      return 2;
    }
    if (!(e instanceof DumpInterruptedError)) throw e;
    interrupted = true;
  }
  p.endList();
  p.flush();
  if (interrupted) console.error("Dump was interrupted and may be inconsistent.");
  return 0;
}
