/**
 * `ip mroute show [[to] PREFIX] [from PREFIX] [iif DEVICE] [table TABLE_ID]`
 * (iproute2's ipmroute.c): the multicast forwarding cache, dumped through the
 * library (`getRoutes` with family `ipmr` / `ip6mr`) and printed by
 * {@linkcode printMroute}.
 *
 * As in iproute2 6.1: IPv4 shows the `default` table unless told (`table all`
 * for every table), IPv6 every table; other families print nothing; `to` and
 * `from` accept only `default`, `any` and `all` (6.1 reads their prefixes in a
 * family no address has, and fails with `Error: ??? prefix is expected …`).
 *
 * @module
 */
import { RT_TABLE, RTNL_FAMILY } from "@nlink/nlink/tables";
import { NetlinkError } from "@nlink/nlink/core";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { kernelMessage } from "../common/errors.ts";
import { getPrefix } from "../common/inet.ts";
import { tableId } from "../common/names.ts";
import { connect, type IpContext, printer } from "./context.ts";
import { LinkCache } from "./links.ts";
import { type MrouteFilter, printMroute } from "./mroute_print.ts";

const USAGE = `Usage: ip mroute show [ [ to ] PREFIX ] [ from PREFIX ] [ iif DEVICE ]
                      [ table TABLE_ID ]
TABLE_ID := [ local | main | default | all | NUMBER ]`;

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip mroute ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./mroute.ts";
 * await run(ctx, ["show", "table", "all"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0) return await show(ctx, []);
  const [word] = args;
  if (matches(word, "list") || matches(word, "show") || matches(word, "lst")) return await show(ctx, args.slice(1));
  if (matches(word, "help")) usage();
  throw new UsageError(`Command "${word}" is unknown, try "ip mroute help".`);
}

async function show(ctx: IpContext, words: string[]): Promise<number> {
  let filter: MrouteFilter;
  if (ctx.family === undefined || ctx.family === "inet") {
    filter = { af: RTNL_FAMILY.IPMR, tb: RT_TABLE.DEFAULT, iif: 0 }; // iproute2 shows IPv4's default table unless told
  } else if (ctx.family === "inet6") filter = { af: RTNL_FAMILY.IP6MR, tb: 0, iif: 0 };
  else return 0; // no multicast routing in this family
  let iifName: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const next = () => {
      if (i + 1 >= words.length) throw new UsageError('Command line is not complete. Try option "help"');
      return words[++i];
    };
    const w = words[i];
    if (matches(w, "table")) {
      const t = next();
      const id = tableId(t);
      if (id !== undefined) filter.tb = id;
      else if (t === "all") filter.tb = 0;
      else if (t === "help") usage();
      else throw invalidArgument("table id value is invalid\n", t);
    } else if (w === "iif") iifName = next();
    else if (matches(w, "from")) getPrefix(next(), filter.af);
    else {
      const p = w === "to" ? next() : w;
      if (matches(p, "help")) usage();
      getPrefix(p, filter.af);
    }
  }
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  if (iifName !== undefined) {
    filter.iif = links.index(iifName);
    if (!filter.iif) throw new UsageError(`Cannot find device "${iifName}"`, 1);
  }
  const p = printer(ctx);
  const options = { stats: ctx.stats, details: ctx.details, numeric: ctx.numeric };
  p.startList();
  try {
    const family = filter.af === RTNL_FAMILY.IPMR ? "ipmr" : "ip6mr";
    const routes = await conn.getRoutes(filter.tb ? { family, table: filter.tb } : { family });
    for (const r of routes) printMroute(p, r, false, filter, links, options);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    // iproute2 closes the listing, then says the dump ended (`table 100` with no such table).
    console.error(kernelMessage(e));
    p.endList();
    p.flush();
    console.error("Dump terminated");
    return 1;
  }
  p.endList();
  p.flush();
  return 0;
}
