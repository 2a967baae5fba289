/**
 * MPTCP path-manager events (the `mptcp_pm_events` multicast group of the
 * `mptcp_pm` family) as an `AsyncIterable` of typed {@linkcode MptcpEvent}s:
 * connections created, established and closed, addresses announced and
 * removed by the peer, subflows established, closed or reprioritised, and
 * listeners created and closed.
 *
 * @module
 */
import { joinedSocket, notifications } from "../../core/notifications.ts";
import type { NetlinkConnection } from "../../core/connection.ts";
import { NetlinkError } from "../../core/errors.ts";
import { decodeMessage, type MessageView } from "../../core/message.ts";
import { GenlConnection } from "../connection.ts";
import { MPTCP_EVENT, MPTCP_EVENT_MESSAGE, MPTCP_PM_EV_GRP_NAME, MPTCP_PM_NAME } from "./attrs.ts";

/** An event type (enum mptcp_event_type). */
export type MptcpEventType =
  | "created"
  | "established"
  | "closed"
  | "announced"
  | "removed"
  | "sub_established"
  | "sub_closed"
  | "sub_priority"
  | "listener_created"
  | "listener_closed";

/**
 * One path-manager event. Which fields are present depends on the type
 * (see linux/mptcp.h): `token` on every connection and subflow event,
 * addresses and ports on most, `locId`/`remId`, `backup` and `ifindex` on
 * subflow events, `error` when a subflow failed.
 */
export interface MptcpEvent {
  /** The event (a number for types this library does not name). */
  type: MptcpEventType | number;
  /** The connection's local token. */
  token?: number;
  /** The address family (AF_INET 2, AF_INET6 10). */
  family?: number;
  /** The local address id. */
  locId?: number;
  /** The remote address id. */
  remId?: number;
  /** Source (local) IPv4 address. */
  saddr4?: string;
  /** Source (local) IPv6 address. */
  saddr6?: string;
  /** Destination (remote) IPv4 address. */
  daddr4?: string;
  /** Destination (remote) IPv6 address. */
  daddr6?: string;
  /** Source port. */
  sport?: number;
  /** Destination port. */
  dport?: number;
  /** The subflow is a backup (1) or not (0). */
  backup?: number;
  /** A subflow's socket error (sk_err). */
  error?: number;
  /** MPTCP_PM_EV_FLAG_* (`deny_join_id0`: 1). */
  flags?: number;
  /** The timeout of an announcement. */
  timeout?: number;
  /** The device a subflow uses. */
  ifindex?: number;
  /** Why a subflow was reset (MPTCP_RST_*). */
  resetReason?: number;
  /** The reset's flags. */
  resetFlags?: number;
  /** The connection was accepted (1) rather than opened (0). */
  serverSide?: number;
  /** Attributes this library does not know, kept as they came. */
  unknownAttrs?: { type: number; data: Uint8Array }[];
}

/** What {@linkcode mptcpEvents} yields: events, or `overrun` when the receive buffer overflowed. */
export type MptcpEventItem = MptcpEvent | { type: "overrun" };

/** Options of {@linkcode mptcpEvents}. */
export interface MptcpEventOptions {
  /** Ends the stream when aborted. */
  signal?: AbortSignal;
  /** The socket's receive buffer in bytes (default 1 MiB). */
  receiveBuffer?: number;
}

/**
 * Decodes an event message of the family `familyId` (anything else gives
 * undefined).
 *
 * @example
 * ```ts ignore
 * import { decodeMptcpEvent } from "./events.ts";
 * decodeMptcpEvent(msg, 28); // { type: "created", token: 0x1c0f52e2, family: 2, saddr4: "10.0.0.1", … }
 * ```
 */
export function decodeMptcpEvent(msg: MessageView, familyId: number): MptcpEvent | undefined {
  if (msg.type !== familyId) return undefined;
  const m = decodeMessage(MPTCP_EVENT_MESSAGE, msg);
  const { cmd, version: _version, reserved: _reserved, ...attrs } = m;
  return { type: MPTCP_EVENT.name(cmd as number) as MptcpEventType | number, ...attrs } as MptcpEvent;
}

/**
 * Subscribes to path-manager events in `conn`'s network namespace (a
 * generic netlink socket of its own, beside `conn`). Breaking out of the
 * loop, aborting `signal` or closing `conn` ends the stream. An overflowed
 * receive buffer yields `{ type: "overrun" }`, never silently. Rejects with
 * ENOENT when the kernel has no MPTCP.
 *
 * @example
 * ```ts ignore
 * import { Connection } from "@nlink/nlink";
 * import { mptcpEvents } from "./events.ts";
 * using conn = await Connection.open();
 * for await (const ev of mptcpEvents(conn)) {
 *   if (ev.type === "sub_established") console.log(ev.token, ev.saddr4, ev.daddr4);
 * }
 * ```
 */
export async function* mptcpEvents(
  conn: NetlinkConnection,
  options: MptcpEventOptions = {},
): AsyncGenerator<MptcpEventItem> {
  const genl = GenlConnection.beside(conn);
  const family = await genl.family(MPTCP_PM_NAME);
  const group = family.mcastGroups.find((g) => g.name === MPTCP_PM_EV_GRP_NAME);
  if (group === undefined) {
    throw new NetlinkError(2, `the ${MPTCP_PM_NAME} family has no "${MPTCP_PM_EV_GRP_NAME}" group`, {
      operation: "mptcpEvents",
    });
  }
  const socket = joinedSocket(genl, [group.id], options.receiveBuffer ?? 1 << 20);
  try {
    yield* notifications<MptcpEventItem>(
      socket,
      (m) => decodeMptcpEvent(m, family.id),
      () => [{ type: "overrun" }],
      options.signal,
    );
  } finally {
    socket.close();
  }
}
