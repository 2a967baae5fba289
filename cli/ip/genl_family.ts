/**
 * The first step of iproute2's generic netlink objects (`ip mptcp`, `ip sr`,
 * `ip tcp_metrics`): the family is asked for before anything else is sent,
 * and a kernel without it stops the command there, with iproute2's message.
 *
 * @module
 */
import type { Connection } from "@nlink/nlink";
import { NetlinkError } from "@nlink/nlink/core";
import { GenlConnection } from "@nlink/nlink/genl";
import { UsageError } from "../common/args.ts";
import { kernelMessage } from "../common/errors.ts";

/**
 * Resolves the generic netlink family `name` beside `conn`; a failure becomes
 * iproute2's `… Error talking to the kernel` (exit 1).
 *
 * @example
 * ```ts ignore
 * await requireGenlFamily(conn, "mptcp_pm");
 * ```
 */
export async function requireGenlFamily(conn: Connection, name: string): Promise<void> {
  try {
    await GenlConnection.beside(conn).family(name);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    throw new UsageError(`${kernelMessage(e)}\nError talking to the kernel`, 1);
  }
}
