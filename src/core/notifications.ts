/**
 * The receive loop of a multicast subscription, shared by every family's
 * event stream: read what the socket holds without blocking, decode each
 * notification, wait on the reactor only when nothing is there, and report a
 * full receive buffer (ENOBUFS) instead of losing it silently.
 *
 * @module
 */
import { type NetlinkSocket, WOULD_BLOCK } from "../../ffi/socket.ts";
import { forEachMessage, type NetlinkConnection, waitReadable } from "./connection.ts";
import { NetlinkError } from "./errors.ts";
import { NLMSG } from "./header.ts";
import type { MessageView } from "./message.ts";

/**
 * A socket of its own beside `conn` (same protocol and namespace), joined to
 * `groups`: from this call on every notification of theirs waits in it. If a
 * join fails, the socket is closed and the error thrown.
 *
 * @example
 * ```ts ignore
 * const socket = joinedSocket(conn, [RTNLGRP.LINK], 8 << 20);
 * ```
 */
export function joinedSocket(conn: NetlinkConnection, groups: Iterable<number>, receiveBuffer: number): NetlinkSocket {
  const socket = conn.openSibling({ receiveBuffer });
  try {
    for (const g of groups) socket.join(g);
  } catch (e) {
    socket.close();
    throw e;
  }
  return socket;
}

/**
 * One receive buffer for every stream of the process: each read is decoded
 * into values before anything is yielded, so no stream keeps views into it.
 */
const BUFFER = new Uint8Array(256 * 1024);
const VIEW = new DataView(BUFFER.buffer);

/**
 * Yields `decode(message, nsid)` for each notification arriving on `socket`
 * (an undefined result is skipped), and `onOverrun()`'s items when the kernel
 * dropped notifications because the receive buffer was full. Ends when the
 * socket is closed or `signal` aborts; the caller owns (and closes) the socket.
 * With `withNsid` (a socket set to listen to all namespaces, see
 * `NetlinkSocket.listenAllNsid`), each datagram is read with its control
 * messages and `nsid` is the id of the namespace it came from (undefined for
 * the socket's own); otherwise `nsid` is always undefined.
 *
 * @example
 * ```ts ignore
 * yield* notifications(socket, decodeEvent, () => [{ type: "overrun" }], options.signal);
 * ```
 */
export async function* notifications<T>(
  socket: NetlinkSocket,
  decode: (m: MessageView, nsid: number | undefined) => T | undefined,
  onOverrun: () => Iterable<T> | AsyncIterable<T>,
  signal?: AbortSignal,
  withNsid = false,
): AsyncGenerator<T> {
  const cursor: MessageView = { bytes: BUFFER, view: VIEW, offset: 0, length: 0, type: 0, flags: 0, seq: 0, pid: 0 };
  const batch: T[] = [];
  let nsid: number | undefined;
  for (;;) {
    if (socket.closed) return; // the connection was closed
    let n: number;
    try {
      if (withNsid) {
        const d = socket.recvWithNsid(BUFFER);
        n = d.length;
        nsid = d.nsid;
      } else n = socket.recv(BUFFER);
    } catch (e) {
      if (e instanceof NetlinkError && e.isOverrun()) {
        yield* onOverrun();
        continue;
      }
      throw e;
    }
    if (n === WOULD_BLOCK) {
      if (!(await waitReadable(socket, signal))) return;
      continue;
    }
    forEachMessage(BUFFER, VIEW, n, cursor, (m) => {
      if (m.type === NLMSG.DONE || m.type === NLMSG.ERROR || m.type === NLMSG.NOOP) return;
      const item = decode(m, nsid);
      if (item !== undefined) batch.push(item);
    });
    for (let i = 0; i < batch.length; i++) yield batch[i];
    batch.length = 0;
  }
}
