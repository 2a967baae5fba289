/**
 * sock_diag's destroy notifications (`ss -E`): the kernel multicasts an inet
 * socket's last state to the SKNLGRP_*_DESTROY groups as it frees the
 * socket. The messages are inet_diag_msg replies like a dump's, tagged with
 * INET_DIAG_PROTOCOL, so they decode with the dump decoder of that protocol.
 *
 * @module
 */
import type { NetlinkSocket } from "../../ffi/socket.ts";
import type { NetlinkConnection } from "../core/connection.ts";
import { forEachAttr } from "../core/attr_walk.ts";
import { cTable } from "../core/ctable.ts";
import { ValidationError } from "../core/errors.ts";
import { NLMSG_HDRLEN } from "../core/header.ts";
import type { MessageView } from "../core/message.ts";
import { joinedSocket, notifications } from "../core/notifications.ts";
import { type InetSocket, inetSocketDecoder } from "./inet.ts";
import { INET_DIAG_MSG } from "./structs.ts";

/** sock_diag's multicast groups (enum in linux/sock_diag.h). */
export const SKNLGRP: {
  readonly INET_TCP_DESTROY: 1;
  readonly INET_UDP_DESTROY: 2;
  readonly INET6_TCP_DESTROY: 3;
  readonly INET6_UDP_DESTROY: 4;
} = cTable("linux/sock_diag.h", "SKNLGRP_", {
  INET_TCP_DESTROY: 1,
  INET_UDP_DESTROY: 2,
  INET6_TCP_DESTROY: 3,
  INET6_UDP_DESTROY: 4,
});

/** The attribute that says which protocol a notified socket belongs to. */
const INET_DIAG = cTable("linux/inet_diag.h", "INET_DIAG_", { PROTOCOL: 10 });

/** A destroy group by name: SKNLGRP_* in lower case, `_` as `-`, without the `_DESTROY`. */
export type SockDiagGroup = "inet-tcp" | "inet-udp" | "inet6-tcp" | "inet6-udp";

const GROUPS: Readonly<Record<SockDiagGroup, number>> = {
  "inet-tcp": SKNLGRP.INET_TCP_DESTROY,
  "inet-udp": SKNLGRP.INET_UDP_DESTROY,
  "inet6-tcp": SKNLGRP.INET6_TCP_DESTROY,
  "inet6-udp": SKNLGRP.INET6_UDP_DESTROY,
};

/** What {@linkcode sockDiagEvents} subscribes to. */
export interface SockDiagEventOptions {
  /** The groups to join (default: all four). */
  groups?: readonly SockDiagGroup[];
  /** Ends the stream when aborted. */
  signal?: AbortSignal;
  /** The subscription socket's receive buffer in bytes (default 8 MiB; SO_RCVBUFFORCE as root). */
  receiveBuffer?: number;
}

/**
 * One notification: a socket that was just destroyed (its last state, as a
 * dump would have shown it; inode and uid are 0, the socket having left its
 * file), or `overrun` when the kernel dropped notifications because the
 * receive buffer was full.
 */
export type SockDiagEvent = { type: "destroy"; socket: InetSocket } | { type: "overrun" };

/**
 * The SKNLGRP_* numbers of `groups` (all four when absent); a ValidationError
 * names an unknown one.
 *
 * @example
 * ```ts
 * import { sockDiagGroupNumbers } from "./events.ts";
 * sockDiagGroupNumbers(["inet-tcp", "inet6-tcp"]); // [1, 3]
 * ```
 */
export function sockDiagGroupNumbers(groups?: readonly SockDiagGroup[]): number[] {
  if (groups === undefined) return Object.values(GROUPS);
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new ValidationError("groups", groups, "expected a non-empty list of " + Object.keys(GROUPS).join(", "));
  }
  return groups.map((g, i) => {
    const n = Object.hasOwn(GROUPS, g) ? (GROUPS as Record<string, number>)[g] : undefined;
    if (n === undefined) {
      throw new ValidationError(`groups[${i}]`, g, "expected one of " + Object.keys(GROUPS).join(", "));
    }
    return n;
  });
}

/** One decoder per protocol number, made on first use. */
const DECODERS = new Map<number, (m: MessageView) => InetSocket | undefined>();

/**
 * Decodes one destroy notification into the socket it describes (its
 * protocol read from INET_DIAG_PROTOCOL, TCP when absent), or undefined for
 * a message that is not one.
 *
 * @example
 * ```ts ignore
 * import { decodeDestroyEvent } from "./events.ts";
 * const s = decodeDestroyEvent(msg); // { family: "inet", protocol: "tcp", state: "close", … }
 * ```
 */
export function decodeDestroyEvent(m: MessageView): InetSocket | undefined {
  const off = m.offset + NLMSG_HDRLEN;
  const end = m.offset + m.length;
  if (end - off < INET_DIAG_MSG.size) return undefined;
  let protocol = 6;
  forEachAttr(m.view, off + INET_DIAG_MSG.size, end, (type, at, stop) => {
    if (type === INET_DIAG.PROTOCOL && stop > at) protocol = m.bytes[at];
  });
  let decode = DECODERS.get(protocol);
  if (decode === undefined) DECODERS.set(protocol, decode = inetSocketDecoder(protocol));
  return decode(m);
}

/**
 * A socket of its own in `conn`'s namespace (a sock_diag connection),
 * joined to the destroy groups: from this call on, every notification waits
 * in it. Closed with the connection if the stream never closes it.
 *
 * @example
 * ```ts ignore
 * const socket = subscribeSockDiag(diag, ["inet-tcp"]);
 * ```
 */
export function subscribeSockDiag(conn: NetlinkConnection, options: SockDiagEventOptions = {}): NetlinkSocket {
  return joinedSocket(conn, sockDiagGroupNumbers(options.groups), options.receiveBuffer ?? 8 << 20);
}

/**
 * Destroyed sockets as they go, until the loop breaks, `signal` aborts or the
 * connection closes; idle, it waits on the reactor and costs no CPU. The
 * stream owns `subscribed` (a socket from {@linkcode subscribeSockDiag}) when
 * given, else subscribes itself.
 *
 * @example
 * ```ts ignore
 * for await (const ev of sockDiagEvents(diag, { groups: ["inet-tcp"] })) {
 *   if (ev.type === "destroy") console.log(ev.socket.src, ev.socket.sport, ev.socket.state);
 * }
 * ```
 */
export async function* sockDiagEvents(
  conn: NetlinkConnection,
  options: SockDiagEventOptions = {},
  subscribed?: NetlinkSocket,
): AsyncGenerator<SockDiagEvent> {
  const socket = subscribed ?? subscribeSockDiag(conn, options);
  try {
    yield* notifications(
      socket,
      (m): SockDiagEvent | undefined => {
        const s = decodeDestroyEvent(m);
        return s === undefined ? undefined : { type: "destroy", socket: s };
      },
      () => [{ type: "overrun" }],
      options.signal,
    );
  } finally {
    socket.close();
  }
}
