/**
 * Packet sockets (packet_diag.h): the dump request and the decoded
 * {@linkcode PacketSocket}s: type and protocol, bound device and version,
 * multicast memberships, ring configuration, fanout, owner, memory and the
 * attached classic BPF filter.
 *
 * @module
 */
import type { MessageView } from "../core/message.ts";
import { AF, PACKET_SHOW, SOCK_TYPE } from "./constants.ts";
import { PACKET_ATTRS } from "./attrs.ts";
import { familyDecoder, familyDumpRequest, offsetsOf } from "./family.ts";
import { PACKET_DIAG_MSG, PACKET_DIAG_REQ } from "./structs.ts";
import type { SkMemInfo } from "./types.ts";
import type { SocketType } from "./unix.ts";

/** What a packet dump includes besides the header (PACKET_SHOW_*). */
export type PacketShow = "info" | "mclist" | "ring_cfg" | "fanout" | "meminfo" | "filter";

/** What to dump. */
export interface PacketQuery {
  /** What to include (default: everything). ss(8) asks for info, meminfo, filter, ring_cfg and fanout. */
  show?: readonly PacketShow[];
}

/** A packet ring's configuration (struct packet_diag_ring). */
export interface PacketRing {
  /** Block size, bytes. */
  blockSize: number;
  /** Number of blocks. */
  blockNr: number;
  /** Frame size, bytes. */
  frameSize: number;
  /** Number of frames. */
  frameNr: number;
  /** TPACKET_V3 block retire timeout, ms. */
  retireTmo: number;
  /** TPACKET_V3 private area per block, bytes. */
  sizeofPriv: number;
  /** TPACKET_V3 feature request word. */
  features: number;
}

/** A packet socket. */
export interface PacketSocket {
  /** Always `"packet"`. */
  family: "packet";
  /** raw (link-layer header included) or dgram. */
  type: SocketType | number;
  /** The ethertype it receives (host order; 3 = ETH_P_ALL, 0 = none). */
  protocol: number;
  /** Inode number. */
  inode: number;
  /** The kernel's socket cookie. */
  cookie: bigint;
  /** Bound device, TPACKET version, flags ("running", "auxdata", "origdev", "vnethdr", "loss"), … */
  info?: { index: number; version: number; reserve: number; copyThresh: number; tstamp: number; flags: string[] };
  /** Multicast memberships. */
  mclist?: { index: number; count: number; type: number; address: string }[];
  /** Receive ring (PACKET_RX_RING). */
  rxRing?: PacketRing;
  /** Transmit ring (PACKET_TX_RING). */
  txRing?: PacketRing;
  /** Fanout group: id, mode (PACKET_FANOUT_*), flags. */
  fanout?: { id: number; type: number; flags: number };
  /** Owner uid. */
  uid?: number;
  /** Memory counters. */
  skmeminfo?: SkMemInfo;
  /** The attached classic BPF program. */
  filter?: { code: number; jt: number; jf: number; k: number }[];
}

const ALL_SHOW: readonly PacketShow[] = ["info", "mclist", "ring_cfg", "fanout", "meminfo", "filter"];

/**
 * Builds the packet dump request.
 *
 * @example
 * ```ts
 * import { packetDumpRequest } from "./packet.ts";
 * packetDumpRequest().length; // 36
 * ```
 */
export function packetDumpRequest(query: PacketQuery = {}): Uint8Array<ArrayBuffer> {
  return familyDumpRequest(PACKET_DIAG_REQ, {
    family: AF.PACKET,
    show: PACKET_SHOW.encode(query.show ?? ALL_SHOW, "show"),
  });
}

const O = offsetsOf(PACKET_DIAG_MSG);

/**
 * Decodes one reply of a packet dump.
 *
 * @example
 * ```ts ignore
 * import { decodePacketSocket } from "./packet.ts";
 * decodePacketSocket(msg)?.protocol; // 3
 * ```
 */
export const decodePacketSocket: (m: MessageView) => PacketSocket | undefined = familyDecoder(
  PACKET_DIAG_MSG,
  PACKET_ATTRS,
  (b, v, off): PacketSocket => ({
    family: "packet",
    type: SOCK_TYPE.name(b[off + O.type]) as SocketType | number,
    protocol: v.getUint16(off + O.protocol, true),
    inode: v.getUint32(off + O.inode, true),
    cookie: v.getBigUint64(off + O.cookie, true),
  }),
);
