/**
 * Deleting a tun/tap device that this process does not hold (a persistent
 * one, made by `ip tuntap add` or by another program) through rtnetlink.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import type { Dev } from "../route/link_types.ts";
import { delLink, getLink } from "../route/link.ts";

/**
 * Deletes the tun/tap device `dev` (name or index) with RTM_DELLINK, after
 * checking that it is one (a `ValidationError` otherwise). Processes holding
 * its queues are detached; their reads then fail.
 *
 * @example
 * ```ts ignore
 * import { Connection, deleteTunTap } from "@nlink/nlink";
 * using conn = await Connection.open();
 * await deleteTunTap(conn, "tap0");
 * ```
 */
export async function deleteTunTap(conn: NetlinkConnection, dev: Dev): Promise<void> {
  const link = await getLink(conn, dev);
  if (link.linkinfo?.kind !== "tun") {
    throw new ValidationError("dev", dev, `not a tun/tap device (kind ${link.linkinfo?.kind ?? "none"})`);
  }
  await delLink(conn, link.index);
}
