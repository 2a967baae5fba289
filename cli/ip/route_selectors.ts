/**
 * The route selectors `ip route flush` and `ip route save` take (iproute2's
 * iproute_list_flush_or_save argument loop, the one `ip route show` uses),
 * read into a {@linkcode RouteFilter}, with the matching the printer does.
 *
 * @module
 */
import type { Connection, Route } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { AF_INET, AF_UNSPEC, getPrefix, parseUnsigned } from "../common/inet.ts";
import { protoId, realmsValue, rtnTypeId, scopeId, tableId } from "../common/names.ts";
import { Printer } from "../common/output.ts";
import { RTN } from "@nlink/nlink/tables";
import { ctxFamilyNumber, type IpContext, readFamily } from "./context.ts";
import type { LinkNames } from "./links.ts";
import { defaultRouteFilter, type RouteFilter, RoutePrinter } from "./route_print.ts";
import { vrfTable } from "./vrf_table.ts";

/** Parsed selectors: the filter, the family to dump, and the devices still as names. */
export interface RouteSelectors {
  /** The filter (table main unless told). */
  f: RouteFilter;
  /** The family the dump asks for (AF_INET when a table is selected and no family was given). */
  dumpFamily: number;
  /** `iif NAME`. */
  iif?: string;
  /** `dev NAME` / `oif NAME`. */
  oif?: string;
  /** `vrf NAME`: its table is looked up once connected ({@linkcode resolveSelectorVrf}). */
  vrf?: string;
  /** Whether the VRF's table is the one shown (no `table` word came after `vrf`). */
  vrfTable?: boolean;
}

/**
 * Reads the selectors (`table`, `vrf`, `proto`, `scope`, `type`, `dev`, `via`,
 * `src`, `root`/`match`/`exact` prefixes, `realms`, …) as iproute2 does.
 *
 * @example
 * ```ts ignore
 * const { f, dumpFamily } = parseRouteSelectors(ctx, ["root", "10.0.0.0/8"], usage);
 * ```
 */
export function parseRouteSelectors(
  ctx: IpContext,
  args: string[],
  usage: () => never,
): RouteSelectors {
  const dumpFamily = ctxFamilyNumber(ctx);
  const f = defaultRouteFilter();
  f.family = ctx.family;
  const sel: RouteSelectors = { f, dumpFamily };
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
      sel.vrfTable = false;
    } else if (matches(a, "vrf")) {
      sel.vrf = next();
      sel.vrfTable = true;
      // A VRF's table is shown without its local and broadcast routes.
      f.typemask = ~((1 << RTN_LOCAL) | (1 << RTN_BROADCAST));
    } else if (matches(a, "cached") || matches(a, "cloned")) f.cloned = true;
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
    } else if (a === "dev" || a === "oif") sel.oif = next();
    else if (a === "iif") sel.iif = next();
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
    else if (matches(a, "realms")) {
      const v = next();
      const realm = realmsValue(v);
      if (realm === undefined) throw invalidArgument("invalid realms\n", v);
      f.realm = realm;
      // Only the halves given are compared: `A/` is the source alone, `B` (or `/B`) the destination alone.
      f.realmmask = 0xffffffff;
      if ((realm & 0xffff) === 0 && v.endsWith("/")) f.realmmask &= ~0xffff;
      if ((realm & 0xffff0000) === 0 && (!v.includes("/") || v.startsWith("/"))) f.realmmask &= ~0xffff0000;
      f.realmmask >>>= 0;
    } else if (matches(a, "from")) {
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
  sel.dumpFamily = tableDumpFamily(dumpFamily, f.tb);
  return sel;
}

/** Route types `vrf` leaves out. */
const RTN_LOCAL = RTN.value("local");
const RTN_BROADCAST = RTN.value("broadcast");

/**
 * Looks up the table of `vrf NAME` (iproute2's ipvrf_get_table, with the
 * command's `family`: `Invalid VRF`, exit 255, for a device that is not a
 * VRF) and selects it, unless a
 * later `table` word chose another; a dump of no family then asks for IPv4,
 * as for any table.
 *
 * @example
 * ```ts ignore
 * await resolveSelectorVrf(sel, conn, ctxFamilyNumber(ctx));
 * ```
 */
export async function resolveSelectorVrf(sel: RouteSelectors, conn: Connection, family: number): Promise<void> {
  if (sel.vrf === undefined) return;
  const table = await vrfTable(conn, sel.vrf, family);
  if (sel.vrfTable) sel.f.tb = table;
  sel.dumpFamily = tableDumpFamily(sel.dumpFamily, sel.f.tb);
}

/** iproute2 dumps IPv4 when a table is selected and no family was given. */
function tableDumpFamily(family: number, tb: number): number {
  return family === AF_UNSPEC && tb ? AF_INET : family;
}

/**
 * Resolves the selectors' devices (iproute2's `Cannot find device`, exit 1).
 *
 * @example
 * ```ts ignore
 * resolveSelectorDevs(sel, await LinkCache.load(conn));
 * ```
 */
export function resolveSelectorDevs(sel: RouteSelectors, links: LinkNames): void {
  for (const [name, key] of [[sel.iif, "iif"], [sel.oif, "oif"]] as const) {
    if (name === undefined) continue;
    const idx = links.index(name);
    if (!idx) throw new UsageError(`Cannot find device "${name}"`, 1);
    sel.f[key] = idx;
    sel.f[`${key}mask`] = -1;
  }
}

/**
 * A test for "the selectors pick this route", exactly as the route printer
 * filters (iproute2's filter_nlmsg): the route is printed into a scratch
 * buffer and counts as picked when something was written.
 *
 * @example
 * ```ts ignore
 * const picks = routePicker(sel.f, links);
 * if (picks(route)) …
 * ```
 */
export function routePicker(f: RouteFilter, links: LinkNames): (r: Route) => boolean {
  const scratch = new Printer({ json: false, pretty: false });
  const rp = new RoutePrinter(scratch, f, links, { details: 0, stats: 0, numeric: true });
  return (r) => {
    const sink = scratch.itemSink();
    sink.reset();
    rp.print(r);
    const picked = sink.len > 0;
    sink.reset();
    return picked;
  };
}
