/**
 * The requests `tc qdisc del` and `tc class del` send. tc parses the kind
 * and its options on a delete as on an add, and sends both (the kernel
 * checks only the kind): so a delete that names a kind is the add request
 * of the same words, as RTM_DELQDISC / RTM_DELTCLASS with only the request
 * and ack flags. Without a kind, the library's delete request.
 *
 * @module
 */
import {
  type ClassOptions,
  classRequest,
  deleteClassRequest,
  deleteQdiscRequest,
  type QdiscOptions,
  qdiscRequest,
  type TcLookups,
} from "@nlink/nlink/tc";

const RTM_DELQDISC = 37;
const RTM_DELTCLASS = 41;
/** NLM_F_REQUEST | NLM_F_ACK: what tc sends a delete with. */
const DELETE_FLAGS = 0x1 | 0x4;

/** Turns a built request into a delete of the same object (type and flags in the netlink header). */
function asDelete(bytes: Uint8Array, type: number): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  v.setUint16(4, type, true);
  v.setUint16(6, DELETE_FLAGS, true);
  return bytes;
}

/**
 * The request of `tc qdisc del …` for parsed options (device as an ifindex).
 *
 * @example
 * ```ts
 * import { qdiscDeleteRequest } from "./qdisc_delete.ts";
 * qdiscDeleteRequest(3, { dev: 3, parent: 0xffffffff, kind: "pfifo", limit: 10 } as never).length; // 56
 * ```
 */
export function qdiscDeleteRequest(index: number, o: QdiscOptions, lookups: TcLookups = {}): Uint8Array {
  const d = o as { parent?: number; handle?: number; kind?: string };
  if (d.kind === undefined) return deleteQdiscRequest(index, { dev: index, parent: d.parent, handle: d.handle });
  return asDelete(qdiscRequest("add", index, o, lookups), RTM_DELQDISC);
}

/**
 * The request of `tc class del …` for parsed options (device as an ifindex).
 *
 * @example
 * ```ts
 * import { classDeleteRequest } from "./qdisc_delete.ts";
 * classDeleteRequest(3, { dev: 3, classid: 0x10010, parent: 0 } as never).length; // 36
 * ```
 */
export function classDeleteRequest(index: number, o: ClassOptions, lookups: TcLookups = {}): Uint8Array {
  const d = o as { classid: number; parent: number; kind?: string };
  if (d.kind === undefined) return deleteClassRequest(index, { classid: d.classid, parent: d.parent });
  return asDelete(classRequest("add", index, o, lookups), RTM_DELTCLASS);
}
