/**
 * A device named on tc's command line, looked up as tc does (ll_name_to_index
 * after ll_init_map).
 *
 * @module
 */
import type { Connection } from "@nlink/nlink";
import { UsageError } from "../common/args.ts";
import { LinkCache, type LinkNames } from "../ip/links.ts";

/**
 * The ifindex of `name`: in the link table (read with ll_init_map's dump
 * unless given), else asked for by name, else `ifN`; tc's `Cannot find
 * device` (exit 1) when nothing matches.
 *
 * @example
 * ```ts ignore
 * const index = await deviceIndex(conn, "p0");
 * ```
 */
export async function deviceIndex(conn: Connection, name: string, links?: LinkNames): Promise<number> {
  const index = await (links ?? await LinkCache.loadNames(conn)).lookup(conn, name);
  if (!index) throw new UsageError(`Cannot find device "${name}"`, 1);
  return index;
}
