/**
 * `tc chain`: add, delete, show (tc_filter.c's chain commands), through the
 * library's chain functions; shown chains print as tc's print_filter prints them.
 *
 * @module
 */
import type { ChainOptions } from "@nlink/nlink/tc";
import { matches, UsageError } from "../common/args.ts";
import { LinkCache } from "../ip/links.ts";
import { parseChainCommand } from "./chain_parse.ts";
import { connect, type TcCliContext, type TcObject } from "./context.ts";
import { asUsageError, showFilters } from "./filter.ts";

const CHAIN_USAGE = `Usage: tc chain [ add | del | get | show ] [ dev STRING ]
       tc chain [ add | del | get | show ] [ block BLOCK_INDEX ] ]`;

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
      const links = await LinkCache.load(conn);
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
  if (matches(verb, "get")) throw new UsageError('nlink: "tc chain get" is not supported yet', 1);
  if (matches(verb, "list") || matches(verb, "show") || matches(verb, "lst")) return await showFilters(ctx, rest, true);
  if (matches(verb, "help")) {
    console.error(CHAIN_USAGE);
    return 0;
  }
  throw new UsageError(`Command "${verb}" is unknown, try "tc chain help".`, 255);
};
