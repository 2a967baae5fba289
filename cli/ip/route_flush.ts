/**
 * `ip route flush SELECTORS`: the routes the selectors pick, deleted through
 * the library's flush (dump, deletes pipelined, repeated while something went
 * away), with iproute2's `-s` report (and `-s -s` listing of what goes).
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import { spawnInNetns } from "@nlink/nlink";
import { UsageError } from "../common/args.ts";
import { AF_INET, AF_INET6, AF_MPLS } from "../common/inet.ts";
import { Printer } from "../common/output.ts";
import { connect, ctxFamilyNumber, type IpContext } from "./context.ts";
import { flushRounds } from "./flush_rounds.ts";
import { LinkCache } from "./links.ts";
import { RoutePrinter } from "./route_print.ts";
import { parseRouteSelectors, resolveSelectorDevs, resolveSelectorVrf, routePicker } from "./route_selectors.ts";

const FAMILIES: Record<number, "inet" | "inet6" | "mpls"> = {
  [AF_INET]: "inet",
  [AF_INET6]: "inet6",
  [AF_MPLS]: "mpls",
};

/** The IPv4 routing cache's flush knob (per namespace: it must be written from inside the namespace). */
const IPV4_CACHE_FLUSH = "/proc/sys/net/ipv4/route/flush";

/** Writes -1 to the IPv4 cache flush knob of the context's namespace. */
async function flushIpv4Cache(ctx: IpContext): Promise<boolean> {
  try {
    if (ctx.netns === undefined) await Deno.writeTextFile(IPV4_CACHE_FLUSH, "-1");
    else {
      const child = spawnInNetns(ctx.netns, "sh", { args: ["-c", `echo -1 > ${IPV4_CACHE_FLUSH}`] });
      if (!(await child.status).success) throw new Error("write failed");
    }
    return true;
  } catch (e) {
    console.error(`Cannot open "${IPV4_CACHE_FLUSH}": ${e instanceof Error ? e.message : e}`);
    return false;
  }
}

/**
 * Runs `ip route flush SELECTORS…`.
 *
 * @example
 * ```ts ignore
 * await flushRoutes(ctx, ["root", "10.0.0.0/8"], usage);
 * ```
 */
export async function flushRoutes(ctx: IpContext, args: string[], usage: () => never): Promise<number> {
  if (args.length === 0) {
    console.error('"ip route flush" requires arguments.');
    throw new UsageError("", 1, true);
  }
  const sel = parseRouteSelectors(ctx, args, usage);
  const { f, dumpFamily } = sel;
  const out = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
  if (f.cloned) {
    if (dumpFamily !== AF_INET6) {
      if (!(await flushIpv4Cache(ctx))) return 1;
      if (ctx.stats) out.write("*** IPv4 routing cache is flushed.\n");
    }
    if (dumpFamily === AF_INET) {
      out.flush();
      return 0;
    }
  }
  using conn = await connect(ctx);
  await resolveSelectorVrf(sel, conn, ctxFamilyNumber(ctx));
  // Only `-s -s` prints routes, with their devices' names: it reads them all with one dump (iproute2 asks for each
  // name as it prints). Otherwise only the selectors' devices are looked up, one request each, as iproute2 does.
  const links = ctx.stats >= 2 ? await LinkCache.loadNames(conn) : await LinkCache.find(conn, [sel.iif, sel.oif]);
  resolveSelectorDevs(sel, links);
  const picks = routePicker(f, links);
  // `-s -s` lists each route as it is picked (as `ip route show` would print it); with `-d` a route with `nhid`
  // gets its object's `nh_info` line, the objects fetched first (iproute2 asks for each as it prints).
  const nhInfo = ctx.stats >= 2 && ctx.details > 0
    ? await (await import("./route_nhinfo.ts")).loadNhInfo(conn, links, { ...ctx, json: false })
    : undefined;
  const lister = ctx.stats >= 2
    ? new RoutePrinter(out, f, links, { details: ctx.details, stats: ctx.stats, numeric: ctx.numeric, nhInfo })
    : undefined;
  const report = flushRounds(out, ctx.stats, "entries");
  let picked = 0;
  const flushing = conn.flushRoutes({
    family: FAMILIES[sel.dumpFamily],
    table: f.tb === 0 ? "all" : f.tb,
    protocol: f.protocol || undefined,
    dev: f.oif || undefined,
    cloned: f.cloned || undefined,
    filter: (r) => {
      // iproute2 keeps IPv6's catch-all unreachable route (metric 0xffffffff).
      if (r.family === "inet6" && r.dstLen === 0 && r.type === "unreachable" && r.priority === 0xffffffff) {
        return false;
      }
      if (!picks(r)) return false;
      lister?.print(r);
      picked++;
      return true;
    },
    onRound: report.onRound,
  });
  try {
    await flushing;
  } catch (e) {
    // What was listed stays printed. A refused deletion (a route with `nhid`: the kernel refuses the route
    // echoed back with its nexthop's gateway and device) is reported by errno alone, as iproute2 does.
    out.flush();
    if (picked > 0 && e instanceof NetlinkError) {
      console.error(`Failed to send flush request: ${e.reason}`);
      return 2;
    }
    throw e;
  }
  report.finish();
  return 0;
}
