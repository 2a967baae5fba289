/**
 * `ip route show`: selectors (iproute2's iproute_list_flush_or_save), one
 * route dump through the library's connection, printed as it arrives.
 *
 * @module
 */
import type { GetRoutesOptions } from "@nlink/nlink";
import { DumpInterruptedError, NetlinkError } from "@nlink/nlink/core";
import { kernelMessage } from "../common/errors.ts";
import { AF_INET, AF_INET6, AF_MPLS } from "../common/inet.ts";
import { connect, ctxFamilyNumber, type IpContext, printer } from "./context.ts";
import { LinkCache } from "./links.ts";
import { type RouteFilter, RoutePrinter } from "./route_print.ts";
import { parseRouteSelectors, resolveSelectorDevs, resolveSelectorVrf } from "./route_selectors.ts";

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
  const sel = parseRouteSelectors(ctx, args, usage);
  using conn = await connect(ctx);
  await resolveSelectorVrf(sel, conn, ctxFamilyNumber(ctx));
  const { f, dumpFamily } = sel;
  const links = await LinkCache.loadNames(conn);
  resolveSelectorDevs(sel, links);
  const p = printer(ctx);
  const nhInfo = ctx.details > 0
    ? await (await import("./route_nhinfo.ts")).loadNhInfo(conn, links, {
      json: ctx.json,
      details: ctx.details,
      numeric: ctx.numeric,
    })
    : undefined;
  const rp = new RoutePrinter(p, f, links, { details: ctx.details, stats: ctx.stats, numeric: ctx.numeric, nhInfo });
  p.stream();
  p.startList();
  let interrupted = false;
  try {
    // Printed as it arrives, so a retried dump would print twice: report the interruption instead.
    // A callback per route rather than `for await`: the async hop per route cost as much as decoding it.
    // Messages rather than routes: plain ones are printed from their bytes (route_plain.ts).
    await conn.forEachRouteMessage(
      { ...routeDumpOptions(dumpFamily, f), onInterrupt: "error" },
      (m, decode) => rp.printMessage(m, decode),
    );
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
