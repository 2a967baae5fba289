/**
 * The requests `tc qdisc del`, `tc class del` and `tc qdisc link` send, each
 * another request with the netlink header's type and flags rewritten. tc
 * parses the kind and its options on a delete as on an add, and sends both
 * (the kernel checks only the kind): so a delete that names a kind is the add
 * request of the same words, as RTM_DELQDISC / RTM_DELTCLASS with only the
 * request and ack flags. Without a kind, the library's delete request. A
 * link is the replace request with only NLM_F_REPLACE, or without a kind the
 * bare tcmsg (which grafts the qdisc that has the handle).
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

const RTM_NEWQDISC = 36;
const RTM_DELQDISC = 37;
const RTM_DELTCLASS = 41;
/** NLM_F_REQUEST | NLM_F_ACK: what tc sends a delete with. */
const DELETE_FLAGS = 0x1 | 0x4;
/** NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE: what `tc qdisc link` sends. */
const LINK_FLAGS = 0x1 | 0x4 | 0x100;

/** A built request with another type and flags in its netlink header. */
function retyped(bytes: Uint8Array, type: number, flags: number): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  v.setUint16(4, type, true);
  v.setUint16(6, flags, true);
  return bytes;
}

/** The placement of a parsed qdisc or class (device as an ifindex). */
type Placed = { parent?: number; handle?: number; kind?: string };

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
  const d = o as Placed;
  if (d.kind === undefined) return deleteQdiscRequest(index, { dev: index, parent: d.parent, handle: d.handle });
  return retyped(qdiscRequest("add", index, o, lookups), RTM_DELQDISC, DELETE_FLAGS);
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
  return retyped(classRequest("add", index, o, lookups), RTM_DELTCLASS, DELETE_FLAGS);
}

/**
 * The request of `tc qdisc link …` for parsed options (device as an ifindex).
 *
 * @example
 * ```ts
 * import { qdiscLinkRequest } from "./qdisc_delete.ts";
 * qdiscLinkRequest(3, { dev: 3, parent: 0x10010, handle: 0xa0000 } as never).length; // 36
 * ```
 */
export function qdiscLinkRequest(index: number, o: QdiscOptions): Uint8Array {
  const d = o as Placed;
  const bytes = d.kind === undefined
    ? deleteQdiscRequest(index, { dev: index, parent: d.parent, handle: d.handle })
    : qdiscRequest("replace", index, o);
  return retyped(bytes, RTM_NEWQDISC, LINK_FLAGS);
}
