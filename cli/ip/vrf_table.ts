/**
 * iproute2's ipvrf_get_table for commands that take `vrf NAME`: the routing
 * table a VRF device uses.
 *
 * @module
 */
import { RT_TABLE } from "@nlink/nlink/tables";
import { invalidArgument } from "../common/args.ts";
import type { LinkCache } from "./links.ts";

/**
 * The table of VRF device `name`, found in `links` (`default` is the main
 * table when no device has that name); iproute2's `Invalid VRF` error (exit
 * 255) for anything else.
 *
 * @example
 * ```ts ignore
 * const table = vrfTable("blue", await LinkCache.find(conn, ["blue"]));
 * ```
 */
export function vrfTable(name: string, links: LinkCache): number {
  const link = links.get(links.index(name));
  const info = link?.linkinfo;
  if (!link && name === "default") return RT_TABLE.MAIN;
  const table = info?.kind === "vrf" && info.data !== undefined && !(info.data instanceof Uint8Array)
    ? (info.data as { table?: number }).table ?? 0
    : 0;
  if (!table) throw invalidArgument("Invalid VRF\n", name);
  return table;
}
