/**
 * The link speed of a device, for rates given as a share of it
 * (`rate: "10%"`). tc(8) reads /sys/class/net/DEV/speed, which shows the
 * caller's namespace; nlink asks ethtool's generic netlink family through the
 * connection, so the device is the one in the connection's namespace.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { NetlinkError, ValidationError } from "../core/errors.ts";
import { getLinkModes } from "../genl/ethtool/linkmodes.ts";
import type { Dev } from "../route/link_types.ts";

/**
 * The speed of `dev` in Mbit/s, read through ethtool netlink in `conn`'s
 * namespace. A device that reports no speed (SPEED_UNKNOWN: a link that is
 * down, a dummy or bridge device), has no link settings, or a kernel without
 * ethtool netlink, gives a ValidationError naming `field` and the device, as
 * tc(8) refuses a percentage it cannot compute. A missing device rejects with
 * the kernel's ENODEV.
 *
 * @example
 * ```ts ignore
 * await linkSpeedOf(conn, "p0", "rate"); // 10000 for a veth
 * ```
 */
export async function linkSpeedOf(conn: NetlinkConnection, dev: Dev, field: string): Promise<number> {
  let speed: number | undefined;
  try {
    speed = (await getLinkModes(conn, dev)).speed;
  } catch (e) {
    if (e instanceof NetlinkError && !(e instanceof ValidationError) && !e.isNoDevice()) {
      throw new ValidationError(
        field,
        dev,
        `a rate as a share of the link speed needs the device's speed, which could not be read: ${e.message}`,
        { cause: e },
      );
    }
    throw e;
  }
  // 0 would mean "not looked up yet" to the encoders (see rateOf in common.ts); no link runs at 0 Mbit/s.
  if (speed === undefined || speed === 0) {
    throw new ValidationError(
      field,
      dev,
      "the device reports no link speed, so a rate as a share of it cannot be computed",
    );
  }
  return speed;
}
