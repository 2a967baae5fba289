/**
 * iproute2's ipvrf_get_table for commands that take `vrf NAME`: the routing
 * table a VRF device uses.
 *
 * @module
 */
import type { Connection } from "@nlink/nlink";
import { NetlinkError, ValidationError } from "@nlink/nlink/core";
import { RT_TABLE } from "@nlink/nlink/tables";
import { invalidArgument } from "../common/args.ts";

/**
 * The table of VRF device `name`, asked for with iproute2's request (its
 * `family` is the command's `-4`/`-6`, else 0); `default` is the main table
 * when no device has that name. iproute2's `Invalid VRF` error (exit 255)
 * for anything else.
 *
 * @example
 * ```ts ignore
 * const table = await vrfTable(conn, "blue", 0);
 * ```
 */
export async function vrfTable(conn: Connection, name: string, family: number): Promise<number> {
  let table: number | undefined;
  try {
    table = await conn.getVrfTable(name, family);
  } catch (e) {
    if (e instanceof NetlinkError && e.isNotFound() && name === "default") return RT_TABLE.MAIN;
    // iproute2 takes any failure of its request as "not a VRF".
    if (!(e instanceof NetlinkError) && !(e instanceof ValidationError)) throw e;
  }
  if (!table) throw invalidArgument("Invalid VRF\n", name);
  return table;
}
