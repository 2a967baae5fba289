/**
 * Joining rtnetlink's multicast groups for an event stream, kept apart from
 * the event decoders so that a connection can subscribe at once, before the
 * decoders (loaded on first use) have arrived.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { joinedSocket } from "../core/notifications.ts";
import type { NetlinkSocket } from "../../ffi/socket.ts";
import { RTNLGRP } from "./constants.ts";
import type { EventGroup, EventOptions } from "./events.ts";

/** Multicast groups by name (RTNLGRP_* in lower case, `_` as `-`). */
export const EVENT_GROUPS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(RTNLGRP).filter(([k]) => k !== "NONE").map(([k, v]) => [k.toLowerCase().replaceAll("_", "-"), v]),
);

const DEFAULT_GROUPS: EventGroup[] = ["link", "ipv4-ifaddr", "ipv6-ifaddr", "ipv4-route", "ipv6-route"];

function groupNumber(g: EventGroup): number {
  if (typeof g === "number" && Number.isInteger(g) && g > 0) return g;
  const n = typeof g === "string" ? EVENT_GROUPS[g] : undefined;
  if (n === undefined) {
    throw new ValidationError("groups", g, "expected one of " + Object.keys(EVENT_GROUPS).join(", "));
  }
  return n;
}

/**
 * The RTNLGRP_* numbers `options.groups` names (the default set when absent).
 *
 * @example
 * ```ts ignore
 * eventGroupNumbers({ groups: ["link", "ipv4-route"] }); // [1, 7]
 * ```
 */
export function eventGroupNumbers(options: EventOptions): number[] {
  return (options.groups ?? DEFAULT_GROUPS).map(groupNumber);
}

/**
 * A socket of its own in the connection's namespace, joined to the groups
 * `options` names: from this call on, every notification of those groups
 * waits in it (with `allNsid`, those of every namespace with an id here too).
 * Closed with the connection if the stream never closes it.
 *
 * @example
 * ```ts ignore
 * const socket = subscribeEvents(conn, { groups: ["link"] });
 * ```
 */
export function subscribeEvents(conn: NetlinkConnection, options: EventOptions): NetlinkSocket {
  const socket = joinedSocket(conn, eventGroupNumbers(options), options.receiveBuffer ?? 8 << 20);
  if (options.allNsid) {
    try {
      socket.listenAllNsid();
    } catch (e) {
      socket.close();
      throw e;
    }
  }
  return socket;
}
