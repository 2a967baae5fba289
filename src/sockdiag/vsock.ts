/**
 * vsock sockets (vm_sockets_diag.h): the dump request and the decoded
 * {@linkcode VsockSocket}s (context ids and ports of both ends). The reply
 * carries no attributes.
 *
 * @module
 */
import type { MessageView } from "../core/message.ts";
import { attrSchema } from "../core/schema.ts";
import { AF, SOCK_TYPE, type SocketState, TCP_STATE } from "./constants.ts";
import { familyDecoder, familyDumpRequest, offsetsOf } from "./family.ts";
import { stateMask, type StateSelection } from "./inet.ts";
import { VSOCK_DIAG_MSG, VSOCK_DIAG_REQ } from "./structs.ts";
import type { SocketType } from "./unix.ts";

/** What to dump. */
export interface VsockQuery {
  /** States (default all). */
  states?: StateSelection;
}

/** A vsock socket. */
export interface VsockSocket {
  /** Always `"vsock"`. */
  family: "vsock";
  /** stream, dgram or seqpacket. */
  type: SocketType | number;
  /** listen, established, close, … */
  state: SocketState | number;
  /** Shutdown state: bit 0 receive side, bit 1 send side. */
  shutdown: number;
  /** Local context id. */
  srcCid: number;
  /** Local port. */
  srcPort: number;
  /** Remote context id. */
  dstCid: number;
  /** Remote port. */
  dstPort: number;
  /** Inode number. */
  inode: number;
  /** The kernel's socket cookie. */
  cookie: bigint;
}

/**
 * Builds the vsock dump request.
 *
 * @example
 * ```ts
 * import { vsockDumpRequest } from "./vsock.ts";
 * vsockDumpRequest().length; // 40
 * ```
 */
export function vsockDumpRequest(query: VsockQuery = {}): Uint8Array<ArrayBuffer> {
  return familyDumpRequest(VSOCK_DIAG_REQ, { family: AF.VSOCK, states: stateMask(query.states) });
}

const O = offsetsOf(VSOCK_DIAG_MSG);
const NO_ATTRS = attrSchema("VSOCK_DIAG_", "", {}, { audit: false });

/**
 * Decodes one reply of a vsock dump.
 *
 * @example
 * ```ts ignore
 * import { decodeVsockSocket } from "./vsock.ts";
 * decodeVsockSocket(msg)?.srcCid;
 * ```
 */
export const decodeVsockSocket: (m: MessageView) => VsockSocket | undefined = familyDecoder(
  VSOCK_DIAG_MSG,
  NO_ATTRS,
  (b, v, off): VsockSocket => ({
    family: "vsock",
    type: SOCK_TYPE.name(b[off + O.type]) as SocketType | number,
    state: TCP_STATE.name(b[off + O.state]),
    shutdown: b[off + O.shutdown],
    srcCid: v.getUint32(off + O.srcCid, true),
    srcPort: v.getUint32(off + O.srcPort, true),
    dstCid: v.getUint32(off + O.dstCid, true),
    dstPort: v.getUint32(off + O.dstPort, true),
    inode: v.getUint32(off + O.inode, true),
    cookie: v.getBigUint64(off + O.cookie, true),
  }),
);
