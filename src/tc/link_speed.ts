/**
 * The link speed of a device, for rates given as a share of it.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import type { Dev } from "../route/link_types.ts";

/**
 * The speed of `dev` in Mbit/s. (Placeholder: being written.)
 *
 * @example
 * ```ts ignore
 * await linkSpeedOf(conn, "p0", "rate"); // 10000 for a veth
 * ```
 */
export function linkSpeedOf(_conn: NetlinkConnection, dev: Dev, field: string): Promise<number> {
  return Promise.reject(new ValidationError(field, dev, "rates as a percentage are not supported yet"));
}
