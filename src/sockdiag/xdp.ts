/**
 * XDP sockets (xdp_diag.h): the dump request and the decoded
 * {@linkcode XdpSocket}s: bound device and queue, ring sizes, umem, memory,
 * statistics.
 *
 * @module
 */
import type { MessageView } from "../core/message.ts";
import { AF, SOCK_TYPE, XDP_SHOW } from "./constants.ts";
import { XDP_ATTRS } from "./attrs.ts";
import { familyDecoder, familyDumpRequest, offsetsOf } from "./family.ts";
import { XDP_DIAG_MSG, XDP_DIAG_REQ } from "./structs.ts";
import type { SkMemInfo } from "./types.ts";
import type { SocketType } from "./unix.ts";

/** What an XDP dump includes besides the header (XDP_SHOW_*). */
export type XdpShow = "info" | "ring_cfg" | "umem" | "meminfo" | "stats";

/** What to dump. */
export interface XdpQuery {
  /** What to include (default: everything). */
  show?: readonly XdpShow[];
}

/** An XDP (AF_XDP) socket. */
export interface XdpSocket {
  /** Always `"xdp"`. */
  family: "xdp";
  /** raw. */
  type: SocketType | number;
  /** Inode number. */
  inode: number;
  /** The kernel's socket cookie. */
  cookie: bigint;
  /** Bound device and queue. */
  info?: { ifindex: number; queueId: number };
  /** Owner uid. */
  uid?: number;
  /** Receive ring size (descriptors). */
  rxRing?: number;
  /** Transmit ring size. */
  txRing?: number;
  /** Umem fill ring size. */
  fillRing?: number;
  /** Umem completion ring size. */
  completionRing?: number;
  /** The umem. */
  umem?: {
    size: bigint;
    id: number;
    numPages: number;
    chunkSize: number;
    headroom: number;
    ifindex: number;
    queueId: number;
    flags: string[];
    refs: number;
  };
  /** Memory counters. */
  skmeminfo?: SkMemInfo;
  /** Drop and error counters. */
  stats?: {
    rxDropped: bigint;
    rxInvalid: bigint;
    rxFull: bigint;
    fillRingEmpty: bigint;
    txInvalid: bigint;
    txRingEmpty: bigint;
  };
}

const ALL_SHOW: readonly XdpShow[] = ["info", "ring_cfg", "umem", "meminfo", "stats"];

/**
 * Builds the XDP dump request.
 *
 * @example
 * ```ts
 * import { xdpDumpRequest } from "./xdp.ts";
 * xdpDumpRequest().length; // 36
 * ```
 */
export function xdpDumpRequest(query: XdpQuery = {}): Uint8Array<ArrayBuffer> {
  return familyDumpRequest(XDP_DIAG_REQ, { family: AF.XDP, show: XDP_SHOW.encode(query.show ?? ALL_SHOW, "show") });
}

const O = offsetsOf(XDP_DIAG_MSG);

/**
 * Decodes one reply of an XDP dump.
 *
 * @example
 * ```ts ignore
 * import { decodeXdpSocket } from "./xdp.ts";
 * decodeXdpSocket(msg)?.info?.ifindex;
 * ```
 */
export const decodeXdpSocket: (m: MessageView) => XdpSocket | undefined = familyDecoder(
  XDP_DIAG_MSG,
  XDP_ATTRS,
  (b, v, off): XdpSocket => ({
    family: "xdp",
    type: SOCK_TYPE.name(b[off + O.type]) as SocketType | number,
    inode: v.getUint32(off + O.inode, true),
    cookie: v.getBigUint64(off + O.cookie, true),
  }),
);
