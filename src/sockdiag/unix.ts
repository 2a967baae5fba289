/**
 * Unix sockets (unix_diag.h): the dump request and the decoded
 * {@linkcode UnixSocket}s: type, state, name, peer, pending connections,
 * queues, memory, shutdown state, owner.
 *
 * The dump lists the sockets created in the connection's network namespace.
 *
 * @module
 */
import type { MessageView } from "../core/message.ts";
import { AF, SOCK_TYPE, type SocketState, TCP_STATE, UDIAG_SHOW } from "./constants.ts";
import { UNIX_ATTRS } from "./attrs.ts";
import { familyDecoder, familyDumpRequest, offsetsOf } from "./family.ts";
import { stateMask, type StateSelection } from "./inet.ts";
import { UNIX_DIAG_MSG, UNIX_DIAG_REQ } from "./structs.ts";
import type { SkMemInfo } from "./types.ts";

/** A socket type: stream, dgram, raw, rdm, seqpacket (a number when unknown). */
export type SocketType = "stream" | "dgram" | "raw" | "rdm" | "seqpacket";

/** What a Unix dump includes besides the header (UDIAG_SHOW_*). */
export type UnixShow = "name" | "vfs" | "peer" | "icons" | "rqlen" | "meminfo" | "uid";

/** What to dump. */
export interface UnixQuery {
  /** States (listening sockets are `"listen"`, connected `"established"`, others `"close"`); default all. */
  states?: StateSelection;
  /** What to include (default: everything). ss(8) asks for name, peer and rqlen (+meminfo, vfs, icons). */
  show?: readonly UnixShow[];
}

/** A Unix socket. */
export interface UnixSocket {
  /** Always `"unix"`. */
  family: "unix";
  /** stream, dgram or seqpacket. */
  type: SocketType | number;
  /** listen, established, close (unconnected), … */
  state: SocketState | number;
  /** Inode number: the socket's identity (ss(8)'s `Port`). */
  inode: number;
  /** The kernel's socket cookie. */
  cookie: bigint;
  /** The bound path, or an abstract name as `@name`; absent when unbound. */
  name?: string;
  /** The bound file's inode and device. */
  vfs?: { ino: number; dev: number };
  /** The peer's inode (connected sockets). */
  peer?: number;
  /** Inodes of connections waiting to be accepted (listeners). */
  icons?: number[];
  /** Receive and send queue (listeners: pending connections and backlog). */
  rqlen?: { rqueue: number; wqueue: number };
  /** Memory counters. */
  skmeminfo?: SkMemInfo;
  /** Shutdown state: bit 0 receive side, bit 1 send side. */
  shutdown?: number;
  /** Owner uid. */
  uid?: number;
}

const ALL_SHOW: readonly UnixShow[] = ["name", "vfs", "peer", "icons", "rqlen", "meminfo", "uid"];

/**
 * Builds the Unix dump request.
 *
 * @example
 * ```ts
 * import { unixDumpRequest } from "./unix.ts";
 * unixDumpRequest({ show: ["name", "peer", "rqlen"] }).length; // 40
 * ```
 */
export function unixDumpRequest(query: UnixQuery = {}): Uint8Array<ArrayBuffer> {
  return familyDumpRequest(UNIX_DIAG_REQ, {
    family: AF.UNIX,
    states: stateMask(query.states),
    show: UDIAG_SHOW.encode(query.show ?? ALL_SHOW, "show"),
  });
}

const O = offsetsOf(UNIX_DIAG_MSG);

/**
 * Decodes one reply of a Unix dump.
 *
 * @example
 * ```ts ignore
 * import { decodeUnixSocket } from "./unix.ts";
 * decodeUnixSocket(msg)?.name; // "/run/x.sock"
 * ```
 */
export const decodeUnixSocket: (m: MessageView) => UnixSocket | undefined = familyDecoder(
  UNIX_DIAG_MSG,
  UNIX_ATTRS,
  (b, v, off): UnixSocket => ({
    family: "unix",
    type: SOCK_TYPE.name(b[off + O.type]) as SocketType | number,
    state: TCP_STATE.name(b[off + O.state]),
    inode: v.getUint32(off + O.inode, true),
    cookie: v.getBigUint64(off + O.cookie, true),
  }),
);
