/**
 * Netlink sockets (netlink_diag.h): the dump request and the decoded
 * {@linkcode NetlinkSocketInfo}s: protocol, port ids, destination group,
 * subscribed groups, flags, memory.
 *
 * The kernel lists a socket that is both bound to a port id and subscribed
 * to groups twice (once from each of its tables), and so does ss(8): the
 * dump keeps that (dedupe by inode where it matters).
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";
import type { MessageView } from "../core/message.ts";
import { AF, NDIAG_PROTO_ALL, NDIAG_SHOW, SOCK_TYPE, type SocketState, TCP_STATE } from "./constants.ts";
import { NETLINK_ATTRS } from "./attrs.ts";
import { familyDecoder, familyDumpRequest, offsetsOf } from "./family.ts";
import { NETLINK_DIAG_MSG, NETLINK_DIAG_REQ } from "./structs.ts";
import type { SkMemInfo } from "./types.ts";
import type { SocketType } from "./unix.ts";

/** What a netlink dump includes besides the header (NDIAG_SHOW_*). */
export type NetlinkShow = "meminfo" | "groups" | "ring_cfg" | "flags";

/** What to dump. */
export interface NetlinkQuery {
  /** One netlink protocol (NETLINK_ROUTE = 0, …); default all. */
  protocol?: number;
  /** What to include (default meminfo, groups, flags). ss(8) asks for groups and meminfo. */
  show?: readonly NetlinkShow[];
}

/** A netlink socket (named so as not to clash with the library's own NetlinkSocket). */
export interface NetlinkSocketInfo {
  /** Always `"netlink"`. */
  family: "netlink";
  /** raw or dgram. */
  type: SocketType | number;
  /** The netlink protocol (0 = NETLINK_ROUTE, 4 = SOCK_DIAG, 16 = GENERIC, …). */
  protocol: number;
  /** "close" (unconnected) or "established" (connected). */
  state: SocketState | number;
  /** Its port id (0 until bound; negative-looking values are kernel-assigned). */
  portid: number;
  /** The connected peer's port id. */
  dstPortid: number;
  /** The connected peer's group. */
  dstGroup: number;
  /** Inode number. */
  inode: number;
  /** The kernel's socket cookie. */
  cookie: bigint;
  /** Memory counters. */
  skmeminfo?: SkMemInfo;
  /** Multicast groups subscribed to (1-based group numbers). */
  groups?: number[];
  /** Flags: "cb_running", "pktinfo", "broadcast_error", "no_enobufs", "listen_all_nsid", "cap_ack". */
  flags?: string[];
  /** Ring configuration (kernels before 4.6). */
  rxRing?: { blockSize: number; blockNr: number; frameSize: number; frameNr: number };
  /** Ring configuration (kernels before 4.6). */
  txRing?: { blockSize: number; blockNr: number; frameSize: number; frameNr: number };
}

/**
 * Builds the netlink dump request.
 *
 * @example
 * ```ts
 * import { netlinkDumpRequest } from "./netlink.ts";
 * netlinkDumpRequest({ show: ["groups", "meminfo"] }).length; // 36
 * ```
 */
export function netlinkDumpRequest(query: NetlinkQuery = {}): Uint8Array<ArrayBuffer> {
  const protocol = query.protocol ?? NDIAG_PROTO_ALL;
  if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255) {
    throw new ValidationError("protocol", protocol, "expected a netlink protocol 0..255");
  }
  return familyDumpRequest(NETLINK_DIAG_REQ, {
    family: AF.NETLINK,
    protocol,
    show: NDIAG_SHOW.encode(query.show ?? ["meminfo", "groups", "flags"], "show"),
  });
}

const O = offsetsOf(NETLINK_DIAG_MSG);

/**
 * Decodes one reply of a netlink dump.
 *
 * @example
 * ```ts ignore
 * import { decodeNetlinkSocket } from "./netlink.ts";
 * decodeNetlinkSocket(msg)?.portid;
 * ```
 */
export const decodeNetlinkSocket: (m: MessageView) => NetlinkSocketInfo | undefined = familyDecoder(
  NETLINK_DIAG_MSG,
  NETLINK_ATTRS,
  (b, v, off): NetlinkSocketInfo => ({
    family: "netlink",
    type: SOCK_TYPE.name(b[off + O.type]) as SocketType | number,
    protocol: b[off + O.protocol],
    state: TCP_STATE.name(b[off + O.state]),
    portid: v.getUint32(off + O.portid, true),
    dstPortid: v.getUint32(off + O.dstPortid, true),
    dstGroup: v.getUint32(off + O.dstGroup, true),
    inode: v.getUint32(off + O.inode, true),
    cookie: v.getBigUint64(off + O.cookie, true),
  }),
);
