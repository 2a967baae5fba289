/**
 * rtnetlink notifications as an `AsyncIterable` of typed {@linkcode NetworkEvent}s.
 * A full receive buffer is never silent: the stream yields an `overrun` event.
 *
 * @module
 */
import { forEachMessage, type NetlinkConnection, waitReadable } from "../core/connection.ts";
import { NetlinkError, ValidationError } from "../core/errors.ts";
import { NLMSG } from "../core/header.ts";
import type { MessageView } from "../core/message.ts";
import { WOULD_BLOCK } from "../../ffi/socket.ts";
import { type Address, decodeAddress } from "./addr.ts";
import { RTM, RTNLGRP } from "./constants.ts";
import { decodeLink } from "./link.ts";
import type { Link } from "./link_types.ts";
import { decodeRoute, type Route } from "./route.ts";

/** Multicast groups by name (RTNLGRP_* in lower case, `_` as `-`). */
export const EVENT_GROUPS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(RTNLGRP).filter(([k]) => k !== "NONE").map(([k, v]) => [k.toLowerCase().replaceAll("_", "-"), v]),
);

/** A group name (`"link"`, `"ipv4-route"`, …) or an RTNLGRP_* number. */
export type EventGroup =
  | "link"
  | "neigh"
  | "tc"
  | "ipv4-ifaddr"
  | "ipv6-ifaddr"
  | "ipv4-route"
  | "ipv6-route"
  | "ipv4-rule"
  | "ipv6-rule"
  | "mpls-route"
  | "nsid"
  | "nexthop"
  | "ipv4-netconf"
  | "ipv6-netconf"
  | (string & Record<never, never>)
  | number;

/** One notification. */
export type NetworkEvent =
  | { type: "newlink" | "dellink"; link: Link }
  | { type: "newaddr" | "deladdr"; address: Address }
  | { type: "newroute" | "delroute"; route: Route }
  | {
    /** The receive buffer overflowed: events were lost. Re-read the tables to resync. */
    type: "overrun";
  }
  | {
    /** A message nlink does not type yet: its type and raw bytes. */
    type: "other";
    messageType: number;
    data: Uint8Array;
  };

/** Options for {@linkcode events}. */
export interface EventOptions {
  /** Groups to join (default: links, IPv4/IPv6 addresses and routes). */
  groups?: EventGroup[];
  /** Receive buffer in bytes (default 4 MiB; SO_RCVBUFFORCE when permitted). */
  receiveBuffer?: number;
  /** Ends the stream. */
  signal?: AbortSignal;
}

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
 * Decodes one notification message.
 *
 * @example
 * ```ts ignore
 * import { decodeEvent } from "./events.ts";
 * const ev = decodeEvent(msg); // { type: "newroute", route: {...} }
 * ```
 */
export function decodeEvent(m: MessageView): NetworkEvent {
  switch (m.type) {
    case RTM.NEWLINK:
      return { type: "newlink", link: decodeLink(m) };
    case RTM.DELLINK:
      return { type: "dellink", link: decodeLink(m) };
    case RTM.NEWADDR:
      return { type: "newaddr", address: decodeAddress(m) };
    case RTM.DELADDR:
      return { type: "deladdr", address: decodeAddress(m) };
    case RTM.NEWROUTE:
      return { type: "newroute", route: decodeRoute(m) };
    case RTM.DELROUTE:
      return { type: "delroute", route: decodeRoute(m) };
    default:
      return { type: "other", messageType: m.type, data: m.bytes.slice(m.offset, m.offset + m.length) };
  }
}

const BUFFER = new Uint8Array(256 * 1024);
const VIEW = new DataView(BUFFER.buffer);

/**
 * Subscribes to notifications in the connection's namespace. The stream owns
 * its own socket: breaking out of the loop (or aborting `signal`) closes it;
 * closing the connection ends the stream.
 *
 * @example
 * ```ts ignore
 * for await (const ev of events(conn, { groups: ["link"] })) {
 *   if (ev.type === "newlink") console.log(ev.link.name, ev.link.operstate);
 * }
 * ```
 */
export async function* events(conn: NetlinkConnection, options: EventOptions = {}): AsyncGenerator<NetworkEvent> {
  const groups = (options.groups ?? DEFAULT_GROUPS).map(groupNumber);
  const socket = conn.openSibling({ receiveBuffer: options.receiveBuffer ?? 4 << 20 });
  const cursor: MessageView = { bytes: BUFFER, view: VIEW, offset: 0, length: 0, type: 0, flags: 0, seq: 0, pid: 0 };
  try {
    for (const g of groups) socket.join(g);
    const batch: NetworkEvent[] = [];
    for (;;) {
      if (socket.closed) return; // the connection was closed
      let n: number;
      try {
        n = socket.recv(BUFFER);
      } catch (e) {
        if (e instanceof NetlinkError && e.isOverrun()) {
          yield { type: "overrun" };
          continue;
        }
        throw e;
      }
      if (n === WOULD_BLOCK) {
        if (!(await waitReadable(socket, options.signal))) return;
        continue;
      }
      forEachMessage(BUFFER, VIEW, n, cursor, (m) => {
        if (m.type === NLMSG.DONE || m.type === NLMSG.ERROR || m.type === NLMSG.NOOP) return;
        batch.push(decodeEvent(m));
      });
      for (let i = 0; i < batch.length; i++) yield batch[i];
      batch.length = 0;
    }
  } finally {
    socket.close();
  }
}
