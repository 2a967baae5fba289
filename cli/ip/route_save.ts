/**
 * `ip route save | restore | showdump`: iproute2's binary route dump (a magic
 * number, then the kernel's messages) on stdout and stdin, through the
 * library's dump-file support; files are interchangeable with iproute2's.
 *
 * @module
 */
import { readSavedRoutes, restoreRoutes as restoreFile, saveRoutes as saveFile } from "@nlink/nlink";
import { UsageError } from "../common/args.ts";
import { AF_INET, AF_INET6, AF_MPLS } from "../common/inet.ts";
import { Printer } from "../common/output.ts";
import { connect, ctxFamilyNumber, type IpContext } from "./context.ts";
import { LinkCache } from "./links.ts";
import { defaultRouteFilter, RoutePrinter } from "./route_print.ts";
import { parseRouteSelectors, resolveSelectorDevs, resolveSelectorVrf, routePicker } from "./route_selectors.ts";

const FAMILIES: Record<number, "inet" | "inet6" | "mpls"> = {
  [AF_INET]: "inet",
  [AF_INET6]: "inet6",
  [AF_MPLS]: "mpls",
};

/** Writes all of `bytes` to stdout. */
export function writeAll(bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
}

/** Reads all of stdin (iproute2 refuses a terminal: `what` names the dump in its message; exit `code`). */
export async function readStdin(what: string, code: number): Promise<Uint8Array> {
  if (Deno.stdin.isTerminal()) {
    console.error(`Can't restore ${what} dump from a terminal`);
    throw new UsageError("", code, true);
  }
  return new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
}

/**
 * The library's complaint about a dump file, in iproute2's words (its
 * ValidationError says "Magic mismatch (…)" or what is malformed); exit `code`.
 */
export function badFile(e: unknown, code: number): never {
  const why = e instanceof Error ? e.message.replace(/^.*?: /, "") : String(e);
  const magic = /Magic mismatch \([^)]*\)/.exec(why);
  console.error(magic ? magic[0] : /truncated/.test(why) ? "rtnl-from_file: truncated message" : `!!!${why}`);
  throw new UsageError("", code, true);
}

/**
 * Runs `ip route save SELECTORS…`.
 *
 * @example
 * ```ts ignore
 * await saveRoutes(ctx, ["table", "all"], usage);
 * ```
 */
export async function saveRoutes(ctx: IpContext, args: string[], usage: () => never): Promise<number> {
  if (Deno.stdout.isTerminal()) {
    console.error("Not sending a binary stream to stdout");
    throw new UsageError("", 1, true);
  }
  const sel = parseRouteSelectors(ctx, args, usage);
  using conn = await connect(ctx);
  await resolveSelectorVrf(sel, conn, ctxFamilyNumber(ctx));
  const { f, dumpFamily } = sel;
  const links = await LinkCache.loadNames(conn);
  resolveSelectorDevs(sel, links);
  const file = await saveFile(conn, {
    family: FAMILIES[dumpFamily],
    table: f.tb || undefined,
    protocol: f.protocol || undefined,
    dev: f.oif || undefined,
    cloned: f.cloned || undefined,
    filter: routePicker(f, links),
  });
  writeAll(file);
  return 0;
}

/**
 * Runs `ip route restore` (the dump on stdin).
 *
 * @example
 * ```ts ignore
 * await restoreRoutes(ctx);
 * ```
 */
export async function restoreRoutes(ctx: IpContext): Promise<number> {
  const file = await readStdin("route", 1);
  try {
    readSavedRoutes(file);
  } catch (e) {
    badFile(e, 1);
  }
  using conn = await connect(ctx);
  await restoreFile(conn, file);
  return 0;
}

/**
 * Runs `ip route showdump` (the dump on stdin): each saved route as `ip route
 * show` prints it (always as text, like iproute2).
 *
 * @example
 * ```ts ignore
 * await showRouteDump(ctx);
 * ```
 */
export async function showRouteDump(ctx: IpContext): Promise<number> {
  const file = await readStdin("route", 1);
  let routes;
  try {
    routes = readSavedRoutes(file);
  } catch (e) {
    badFile(e, 1);
  }
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  const f = defaultRouteFilter();
  f.tb = 0;
  const p = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
  const rp = new RoutePrinter(p, f, links, { details: ctx.details, stats: ctx.stats, numeric: ctx.numeric });
  for (const r of routes) rp.print(r);
  p.flush();
  return 0;
}
