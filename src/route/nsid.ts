/**
 * Namespace ids (RTM_GETNSID): the number a connection's namespace uses for
 * another namespace, e.g. in a veth's `linkNetnsid`; and the reverse, names
 * for the ids (`ip link` prints `link-netns blue` instead of `link-netnsid 0`).
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, messageSchema, type MessageView } from "../core/message.ts";
import { attrSchema } from "../core/schema.ts";
import { cStruct } from "../core/struct.ts";
import { MessageWriter } from "../core/writer.ts";
import { ValidationError } from "../core/errors.ts";
import { listNetns, type NetnsTarget, openNetns } from "../netns/mod.ts";
import { FAMILY, RTM } from "./constants.ts";

/** struct rtgenmsg (the header of RTM_*NSID messages, padded to 4 bytes on the wire). */
export const RTGENMSG = cStruct("linux/rtnetlink.h", "struct rtgenmsg", [
  { c: "rtgen_family", type: "u8", enum: FAMILY },
], { strip: "rtgen_" });

/** NETNSA_* attributes. */
export const NSID_ATTRS = attrSchema("NETNSA_", "linux/net_namespace.h", {
  NSID: { id: 1, type: "s32" },
  PID: { id: 2, type: "u32" },
  FD: { id: 3, type: "u32" },
  TARGET_NSID: { id: 4, type: "s32" },
  CURRENT_NSID: { id: 5, type: "s32" },
});

/** The namespace-id message. */
export const NSID_MESSAGE = messageSchema("nsid", RTGENMSG, NSID_ATTRS);

/** A namespace id as the kernel reports it. */
export interface NamespaceId {
  /** The id, or -1 (NETNSA_NSID_NOT_ASSIGNED) when the namespace has none here. */
  nsid: number;
  /** The process whose namespace was asked about (requests by pid). */
  pid?: number;
  /** The descriptor asked about (requests by fd). */
  fd?: number;
  /** The id in a target namespace (cross-namespace requests). */
  targetNsid?: number;
  /** The id of the current namespace as seen from the target. */
  currentNsid?: number;
}

/**
 * Decodes RTM_NEWNSID / RTM_DELNSID.
 *
 * @example
 * ```ts ignore
 * import { decodeNsid } from "./nsid.ts";
 * decodeNsid(msg)?.nsid; // 0
 * ```
 */
export function decodeNsid(m: MessageView): NamespaceId | undefined {
  return m.type === RTM.NEWNSID || m.type === RTM.DELNSID
    ? decodeMessage(NSID_MESSAGE, m) as unknown as NamespaceId
    : undefined;
}

/**
 * Builds the RTM_GETNSID request for a namespace given by open descriptor or
 * by process id (as `ip netns identify` / `ip netns list-id` do).
 *
 * @example
 * ```ts
 * import { nsidRequest } from "./nsid.ts";
 * nsidRequest({ pid: 1 }).length; // 28
 * ```
 */
export function nsidRequest(target: { fd: number } | { pid: number }): Uint8Array {
  const w = new MessageWriter(32);
  const attrs = "fd" in target ? { fd: target.fd } : { pid: target.pid };
  encodeMessage(w, NSID_MESSAGE, RTM.GETNSID, REQUEST_FLAGS.get, { family: "unspec" }, attrs);
  return w.bytes();
}

/**
 * The id the connection's namespace uses for `target` (a name, path, pid or
 * descriptor), or -1 when it has assigned none.
 *
 * @example
 * ```ts ignore
 * await getNsid(conn, "blue"); // 0
 * ```
 */
export async function getNsid(conn: NetlinkConnection, target: NetnsTarget): Promise<number> {
  if (typeof target === "object" && "pid" in target) {
    return (await conn.get(nsidRequest({ pid: target.pid }), decodeNsid, `getNsid pid ${target.pid}`)).nsid;
  }
  const ns = openNetns(target);
  try {
    return (await conn.get(nsidRequest({ fd: ns.fd }), decodeNsid, "getNsid")).nsid;
  } finally {
    ns.close();
  }
}

/**
 * Builds the RTM_NEWNSID request `ip netns set NAME NSID` sends (target first, then the id).
 *
 * @example
 * ```ts
 * import { nsidSetRequest } from "./nsid.ts";
 * nsidSetRequest({ fd: 6 }, 7).length; // 36
 * ```
 */
export function nsidSetRequest(target: { fd: number } | { pid: number }, nsid: number): Uint8Array {
  if (!Number.isInteger(nsid) || nsid < -1 || nsid > 0x7fffffff) {
    throw new ValidationError("nsid", nsid, "an id is 0..2147483647 (or -1 to let the kernel choose)");
  }
  const w = new MessageWriter(48);
  const attrs = "fd" in target ? { fd: target.fd, nsid } : { pid: target.pid, nsid };
  encodeMessage(w, NSID_MESSAGE, RTM.NEWNSID, REQUEST_FLAGS.ack, { family: "unspec" }, attrs);
  return w.bytes();
}

/**
 * Assigns `nsid` to `target` in the connection's namespace (`ip netns set`);
 * -1 lets the kernel pick the next free id.
 *
 * @example
 * ```ts ignore
 * await setNsid(conn, "blue", 7);
 * ```
 */
export async function setNsid(conn: NetlinkConnection, target: NetnsTarget, nsid: number): Promise<void> {
  nsidSetRequest({ pid: 1 }, nsid); // bad input fails before the namespace is opened
  if (typeof target === "object" && "pid" in target) {
    return await conn.ack(nsidSetRequest({ pid: target.pid }, nsid), `setNsid pid ${target.pid}`);
  }
  const ns = openNetns(target);
  try {
    await conn.ack(nsidSetRequest({ fd: ns.fd }, nsid), "setNsid");
  } finally {
    ns.close();
  }
}

/**
 * Every namespace id the connection's namespace has assigned (`ip netns list-id`).
 *
 * @example
 * ```ts ignore
 * for (const { nsid, currentNsid } of await getNsids(conn)) console.log(nsid, currentNsid);
 * ```
 */
export function getNsids(conn: NetlinkConnection): Promise<NamespaceId[]> {
  return conn.dump(nsidDumpRequest(), decodeNsid, "getNsids");
}

/**
 * Builds the RTM_GETNSID dump request (`ip netns list-id`).
 *
 * @example
 * ```ts
 * import { nsidDumpRequest } from "./nsid.ts";
 * nsidDumpRequest().length; // 20
 * ```
 */
export function nsidDumpRequest(): Uint8Array {
  const w = new MessageWriter(32);
  encodeMessage(w, NSID_MESSAGE, RTM.GETNSID, REQUEST_FLAGS.dump, { family: "unspec" });
  return w.bytes();
}

/**
 * Names under /var/run/netns for the ids the connection's namespace has
 * assigned (iproute2 prints these names instead of the numbers). Namespaces
 * that cannot be opened are skipped.
 *
 * @example
 * ```ts ignore
 * const names = await getNsidNames(conn);
 * names.get(0); // "blue"
 * ```
 */
export async function getNsidNames(conn: NetlinkConnection): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const name of await listNetns()) {
    try {
      const id = await getNsid(conn, name);
      if (id >= 0 && !out.has(id)) out.set(id, name);
    } catch {
      // not a namespace file, or gone: skipped, as iproute2 does
    }
  }
  return out;
}
