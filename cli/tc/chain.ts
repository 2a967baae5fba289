/**
 * `tc chain`: add, delete, show (tc_filter.c's chain commands), through the
 * library's chain functions; shown chains print as tc's print_filter prints them.
 *
 * @module
 */
import { type ChainOptions, getChain } from "@nlink/nlink/tc";
import { matches, UsageError } from "../common/args.ts";
import { LinkCache } from "../ip/links.ts";
import { parseChainCommand } from "./chain_parse.ts";
import { connect, printer, type TcCliContext, type TcObject } from "./context.ts";
import { asUsageError, printContext, showFilters } from "./filter.ts";
import { Words } from "./filter_args.ts";
import { parseFilterHeader } from "./filter_parse.ts";
import { printFilter } from "./filter_print.ts";

const CHAIN_USAGE = `Usage: tc chain [ add | del | get | show ] [ dev STRING ]
       tc chain [ add | del | get | show ] [ block BLOCK_INDEX ] ]`;

/** `tc chain get dev D parent P chain N`: one RTM_GETCHAIN, printed as print_filter prints it. */
async function getOne(ctx: TcCliContext, args: string[]): Promise<number> {
  const w = new Words(args);
  const h = parseFilterHeader(w);
  if (w.more) {
    throw new UsageError(`Garbage instead of arguments "${w.word} ...". Try "tc filter help".`, 255);
  }
  if (h.parent === undefined) throw new UsageError("Must specify filter parent", 255);
  if (h.dev === undefined && h.block === undefined) {
    throw new UsageError('Must specify netdevice "dev" or block index "block"', 255);
  }
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  let index = 0;
  if (h.dev !== undefined) {
    index = links.index(h.dev);
    if (!index) throw new UsageError(`Cannot find device "${h.dev}"`, 1);
  }
  const place = h.block === undefined ? { dev: index } : { block: h.block };
  let c;
  try {
    c = await getChain(conn, { ...place, parent: h.parent, chain: h.chain ?? 0 });
  } catch (e) {
    throw asUsageError(e);
  }
  const p = printer(ctx);
  p.startList();
  // A chain has no handle, priority or protocol of its own: print_filter prints none for it.
  const shown = { ...c, handle: 0, prio: 0, protocol: 0 };
  printFilter(p, shown, printContext(ctx, links), index ? { ifindex: index } : {}, (i) => links.name(i), true);
  p.endList();
  p.flush();
  return 0;
}

/**
 * Runs `tc chain ARGS…`.
 *
 * @example
 * ```ts ignore
 * await run(ctx, ["add", "dev", "p0", "ingress", "chain", "1"]);
 * ```
 */
export const run: TcObject = async (ctx: TcCliContext, args: string[]): Promise<number> => {
  if (args.length === 0) return await showFilters(ctx, [], true);
  const [verb, ...rest] = args;
  if (matches(verb, "add") || matches(verb, "delete")) {
    const o = parseChainCommand(rest) as unknown as ChainOptions & { dev?: string | number };
    using conn = await connect(ctx);
    if (typeof o.dev === "string") {
      const links = await LinkCache.loadNames(conn);
      const i = links.index(o.dev);
      if (!i) throw new UsageError(`Cannot find device "${o.dev}"`, 1);
      o.dev = i;
    }
    try {
      if (matches(verb, "add")) await conn.addChain(o);
      else await conn.deleteChain(o);
    } catch (e) {
      throw asUsageError(e);
    }
    return 0;
  }
  if (matches(verb, "get")) return await getOne(ctx, rest);
  if (matches(verb, "list") || matches(verb, "show") || matches(verb, "lst")) return await showFilters(ctx, rest, true);
  if (matches(verb, "help")) {
    console.error(CHAIN_USAGE);
    return 0;
  }
  throw new UsageError(`Command "${verb}" is unknown, try "tc chain help".`, 255);
};
