/**
 * MPTCP path-manager endpoints and limits (`ip mptcp endpoint …`,
 * `ip mptcp limits …`) through the `mptcp_pm` generic netlink family, in the
 * connection's own network namespace. Requests are iproute2's bytes for the
 * same command; the same impossible combinations are refused before anything
 * is sent.
 *
 * @module
 */
import type { NetlinkConnection } from "../../core/connection.ts";
import { ValidationError } from "../../core/errors.ts";
import { REQUEST_FLAGS } from "../../core/header.ts";
import { decodeMessage, type MessageView } from "../../core/message.ts";
import { NETLINK } from "../../../ffi/constants.ts";
import { resolveDev } from "../../route/link_lookup.ts";
import type { Dev } from "../../route/link_types.ts";
import { AF_INET, AF_INET6, ipFamily } from "../../util/addr.ts";
import { familyBeside, withFamilyId } from "../connection.ts";
import { genlRequest } from "../header.ts";
import { MPTCP_PM, MPTCP_PM_ADDR_FLAG, MPTCP_PM_CMD, MPTCP_PM_MESSAGE, MPTCP_PM_NAME } from "./attrs.ts";

/** An endpoint flag (MPTCP_PM_ADDR_FLAG_*). */
export type MptcpEndpointFlag = "signal" | "subflow" | "backup" | "fullmesh" | "implicit";

/** An endpoint of the in-kernel path manager, as the kernel reports it. */
export interface MptcpEndpoint {
  /** The endpoint id (1–255; 0 is the address of a connection's first subflow). */
  id: number;
  /** `inet` or `inet6` (the number itself for any other family). */
  family: "inet" | "inet6" | number;
  /** The address (absent only if the kernel sent none). */
  address?: string;
  /** The port signalled with the address (absent when none: 0). */
  port?: number;
  /** Its flags (`signal`, `subflow`, `backup`, `fullmesh`, `implicit`; unknown bits as `"0x20"`). */
  flags: string[];
  /** The device it is bound to (absent when none). */
  ifindex?: number;
}

/** A new endpoint (`ip mptcp endpoint add ADDRESS [ dev NAME ] [ id ID ] [ port NR ] [ FLAG… ]`). */
export interface MptcpEndpointOptions {
  /** The local address, IPv4 or IPv6. */
  address: string;
  /** The endpoint id, 0–255 (the kernel picks the next free one when absent). */
  id?: number;
  /** A port to announce with the address (needs the `signal` flag). */
  port?: number;
  /** `signal`, `subflow`, `backup`, `fullmesh` (`signal` and `fullmesh` exclude each other). */
  flags?: readonly MptcpEndpointFlag[];
  /** The device subflows from this address use, by name (looked up in this namespace) or index. */
  dev?: Dev;
}

/**
 * Which endpoint to delete: by id; id 0 (the address of a connection's first
 * subflow) also needs the address, any other id refuses one.
 */
export interface MptcpEndpointSelector {
  /** The endpoint id, 0–255. */
  id: number;
  /** The address: required with id 0, refused otherwise. */
  address?: string;
}

/**
 * A change of an endpoint's flags (`ip mptcp endpoint change`): picked by id,
 * or by address (and port); `flags` is the new state of `backup` and
 * `fullmesh` (a flag left out is cleared), and only those two may be named.
 */
export interface MptcpEndpointChange {
  /** The endpoint id. */
  id?: number;
  /** The endpoint's address (instead of, or with, the id). */
  address?: string;
  /** The port, with an address (not with an id). */
  port?: number;
  /** The new flags: `backup`, `fullmesh`, both or none. */
  flags: readonly ("backup" | "fullmesh")[];
}

/** The path manager's limits per connection. */
export interface MptcpLimits {
  /** The most addresses accepted from ADD_ADDR announcements (MPTCP_PM_ATTR_RCV_ADD_ADDRS). */
  addAddrAccepted?: number;
  /** The most additional subflows. */
  subflows?: number;
}

/** The endpoint attributes of one request, as iproute2 fills them (the device already an index). */
export interface MptcpEndpointFields {
  /** MPTCP_PM_ADDR_ATTR_ID. */
  id?: number;
  /** MPTCP_PM_ADDR_ATTR_FLAGS: names or a mask (none or 0: not sent). */
  flags?: readonly string[] | number;
  /** MPTCP_PM_ADDR_ATTR_IF_IDX (0: not sent). */
  ifindex?: number;
  /** MPTCP_PM_ADDR_ATTR_PORT (0: not sent). */
  port?: number;
  /** MPTCP_PM_ADDR_ATTR_FAMILY and ADDR4 or ADDR6. */
  address?: string;
}

/** The endpoint commands. */
export type MptcpEndpointCommand = "add_addr" | "del_addr" | "get_addr" | "set_flags";

const SIGNAL = MPTCP_PM_ADDR_FLAG.encode(["signal"]);
const FULLMESH = MPTCP_PM_ADDR_FLAG.encode(["fullmesh"]);
const CHANGEABLE = MPTCP_PM_ADDR_FLAG.encode(["backup", "fullmesh"]);

function checkU8(x: unknown, field: string): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > 255) {
    throw new ValidationError(field, x, "expected an integer 0..255");
  }
  return x;
}

function checkPort(x: unknown): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > 65535) {
    throw new ValidationError("port", x, "expected a port 0..65535");
  }
  return x;
}

/**
 * One endpoint request (`familyId`: the `mptcp_pm` family's id on this
 * kernel). Attributes go in iproute2's order (id, flags, device, port,
 * address) inside MPTCP_PM_ATTR_ADDR; iproute2's rules are checked first: an
 * address to add, `signal` with a port and never with `fullmesh`, only
 * `backup`/`fullmesh` to change and no port with an id, an id to delete (with
 * the address for id 0 only). `get_addr` is a plain request (the reply is the
 * answer), the others ask for an acknowledgement.
 *
 * @example
 * ```ts
 * import { mptcpEndpointRequest } from "./endpoints.ts";
 * // ip mptcp endpoint add 10.0.0.1 dev p0 subflow (p0 is ifindex 3; the family id 28)
 * mptcpEndpointRequest(28, "add_addr", { flags: ["subflow"], ifindex: 3, address: "10.0.0.1" }).length; // 56
 * ```
 */
export function mptcpEndpointRequest(familyId: number, cmd: MptcpEndpointCommand, f: MptcpEndpointFields): Uint8Array {
  const flags = f.flags === undefined ? 0 : MPTCP_PM_ADDR_FLAG.encode(f.flags, "flags");
  const id = f.id === undefined ? undefined : checkU8(f.id, "id");
  const port = f.port === undefined ? 0 : checkPort(f.port);
  const family = f.address === undefined ? 0 : ipFamily(f.address);
  if (f.address !== undefined && family === 0) {
    throw new ValidationError("address", f.address, "expected an IPv4 or IPv6 address");
  }
  if (f.ifindex !== undefined && (!Number.isInteger(f.ifindex) || f.ifindex < 0 || f.ifindex > 0x7fffffff)) {
    throw new ValidationError("dev", f.ifindex, "an interface index is a positive integer");
  }
  if (cmd === "add_addr") {
    if (f.address === undefined) throw new ValidationError("address", undefined, "an endpoint needs an address");
    if ((flags & SIGNAL) && (flags & FULLMESH)) {
      throw new ValidationError("flags", f.flags, "signal and fullmesh exclude each other");
    }
    if (port && !(flags & SIGNAL)) throw new ValidationError("port", port, "a port needs the signal flag");
  } else if (cmd === "set_flags") {
    if (flags & ~CHANGEABLE) throw new ValidationError("flags", f.flags, "only backup and fullmesh can change");
    if (id !== undefined && port) throw new ValidationError("port", port, "a port cannot be given with an id");
  } else if (cmd === "del_addr") {
    if (id === undefined) throw new ValidationError("id", undefined, "an endpoint to delete is named by its id");
    if (id !== 0 && f.address !== undefined) {
      throw new ValidationError("address", f.address, "only endpoint id 0 is deleted with its address");
    }
    if (id === 0 && f.address === undefined) {
      throw new ValidationError("address", undefined, "endpoint id 0 is deleted by its address");
    }
  }
  const addr: Record<string, unknown> = {};
  if (id !== undefined) addr.id = id;
  if (flags) addr.flags = flags;
  if (f.ifindex) addr.ifindex = f.ifindex;
  if (port) addr.port = port;
  if (f.address !== undefined) {
    addr.family = family;
    if (family === AF_INET) addr.addr4 = f.address;
    else addr.addr6 = f.address;
  }
  return genlRequest({
    familyId,
    flags: cmd === "get_addr" ? REQUEST_FLAGS.get : REQUEST_FLAGS.ack,
    cmd: MPTCP_PM_CMD.value(cmd),
    version: MPTCP_PM.VER,
    schema: MPTCP_PM_MESSAGE,
    attrs: { addr },
  });
}

/**
 * A request without endpoint attributes: the dump of every endpoint
 * (`get_addr`), `flush_addrs`, `get_limits`, or `set_limits` with the limits
 * given (iproute2's order: add_addr_accepted, then subflows).
 *
 * @example
 * ```ts
 * import { mptcpRequest } from "./endpoints.ts";
 * mptcpRequest(28, "set_limits", { subflows: 3, addAddrAccepted: 4 }).length; // 36
 * ```
 */
export function mptcpRequest(
  familyId: number,
  cmd: "get_addr" | "flush_addrs" | "get_limits" | "set_limits",
  limits: MptcpLimits = {},
): Uint8Array {
  const attrs: Record<string, unknown> = {};
  if (cmd === "set_limits" || cmd === "get_limits") {
    if (limits.addAddrAccepted !== undefined) attrs.rcvAddAddrs = limits.addAddrAccepted;
    if (limits.subflows !== undefined) attrs.subflows = limits.subflows;
  }
  return genlRequest({
    familyId,
    flags: cmd === "get_addr" ? REQUEST_FLAGS.dump : cmd === "get_limits" ? REQUEST_FLAGS.get : REQUEST_FLAGS.ack,
    cmd: MPTCP_PM_CMD.value(cmd),
    version: MPTCP_PM.VER,
    schema: MPTCP_PM_MESSAGE,
    attrs,
  });
}

interface AddrData {
  family?: number;
  id?: number;
  addr4?: string;
  addr6?: string;
  port?: number;
  flags?: string[];
  ifindex?: number;
}

/**
 * Decodes an endpoint (a GET_ADDR reply or dump message of the family
 * `familyId`); anything else gives undefined.
 *
 * @example
 * ```ts ignore
 * import { decodeMptcpEndpoint } from "./endpoints.ts";
 * decodeMptcpEndpoint(msg, 28); // { id: 5, family: "inet", address: "10.0.0.2", port: 1234, flags: ["signal"] }
 * ```
 */
export function decodeMptcpEndpoint(msg: MessageView, familyId: number): MptcpEndpoint | undefined {
  if (msg.type !== familyId) return undefined;
  const m = decodeMessage(MPTCP_PM_MESSAGE, msg);
  const a = m.addr as AddrData | undefined;
  if (a === undefined) return undefined;
  const family = a.family ?? 0;
  const out: MptcpEndpoint = {
    id: a.id ?? 0,
    family: family === AF_INET ? "inet" : family === AF_INET6 ? "inet6" : family,
    flags: a.flags === undefined ? [] : [...a.flags],
  };
  const address = family === AF_INET ? a.addr4 : a.addr6 ?? a.addr4;
  if (address !== undefined) out.address = address;
  if (a.port) out.port = a.port;
  if (a.ifindex) out.ifindex = a.ifindex;
  return out;
}

/**
 * Decodes the limits (a GET_LIMITS reply of the family `familyId`).
 *
 * @example
 * ```ts ignore
 * import { decodeMptcpLimits } from "./endpoints.ts";
 * decodeMptcpLimits(msg, 28); // { addAddrAccepted: 0, subflows: 2 }
 * ```
 */
export function decodeMptcpLimits(msg: MessageView, familyId: number): MptcpLimits | undefined {
  if (msg.type !== familyId) return undefined;
  const m = decodeMessage(MPTCP_PM_MESSAGE, msg);
  const out: MptcpLimits = {};
  if (m.rcvAddAddrs !== undefined) out.addAddrAccepted = m.rcvAddAddrs as number;
  if (m.subflows !== undefined) out.subflows = m.subflows as number;
  return out;
}

/** A device option as an index: names are looked up through `conn`, which must be rtnetlink for that. */
function ifindexOf(conn: NetlinkConnection, dev: Dev | undefined): Promise<number | undefined> {
  if (dev === undefined) return Promise.resolve(undefined);
  if (typeof dev === "string" && conn.socket.protocol !== NETLINK.ROUTE) {
    return Promise.reject(
      new ValidationError("dev", dev, "a device name is looked up through an rtnetlink Connection; pass an index"),
    );
  }
  return resolveDev(conn, dev);
}

/**
 * Adds an endpoint (`ip mptcp endpoint add`). Rejects with EEXIST
 * (`isExists()`) for an id or address already in use, and with ENOENT when
 * the kernel has no MPTCP.
 *
 * @example
 * ```ts ignore
 * import { Connection } from "@nlink/nlink";
 * import { addMptcpEndpoint } from "./endpoints.ts";
 * using conn = await Connection.open();
 * await addMptcpEndpoint(conn, { address: "10.0.0.1", dev: "p0", flags: ["subflow"] });
 * ```
 */
export async function addMptcpEndpoint(conn: NetlinkConnection, o: MptcpEndpointOptions): Promise<void> {
  const fields = { id: o.id, flags: o.flags, port: o.port, address: o.address };
  mptcpEndpointRequest(0, "add_addr", fields); // refuse bad options before any look-up
  const ifindex = await ifindexOf(conn, o.dev);
  const [genl, id] = await familyBeside(conn, MPTCP_PM_NAME);
  await genl.ack(mptcpEndpointRequest(id, "add_addr", { ...fields, ifindex }), `addMptcpEndpoint ${o.address}`);
}

/**
 * Deletes an endpoint by id (`ip mptcp endpoint delete id ID`); id 0 takes
 * the address too. Rejects with EINVAL for an id the path manager does not
 * have (the kernel's extended ack says so).
 *
 * @example
 * ```ts ignore
 * await delMptcpEndpoint(conn, { id: 5 });
 * ```
 */
export async function delMptcpEndpoint(conn: NetlinkConnection, sel: MptcpEndpointSelector): Promise<void> {
  const request = mptcpEndpointRequest(0, "del_addr", { id: sel.id, address: sel.address });
  const [genl, id] = await familyBeside(conn, MPTCP_PM_NAME);
  await genl.ack(withFamilyId(request, id), `delMptcpEndpoint ${sel.id}`);
}

/**
 * One endpoint by id (`ip mptcp endpoint show id ID`). Rejects when there
 * is none (the kernel's extended ack: "address not found").
 *
 * @example
 * ```ts ignore
 * (await getMptcpEndpoint(conn, 5)).address;
 * ```
 */
export async function getMptcpEndpoint(conn: NetlinkConnection, endpointId: number): Promise<MptcpEndpoint> {
  const request = mptcpEndpointRequest(0, "get_addr", { id: endpointId });
  const [genl, id] = await familyBeside(conn, MPTCP_PM_NAME);
  return genl.get(withFamilyId(request, id), (m) => decodeMptcpEndpoint(m, id), `getMptcpEndpoint ${endpointId}`);
}

/**
 * Every endpoint (`ip mptcp endpoint show`).
 *
 * @example
 * ```ts ignore
 * for (const e of await getMptcpEndpoints(conn)) console.log(e.id, e.address, e.flags);
 * ```
 */
export async function getMptcpEndpoints(conn: NetlinkConnection): Promise<MptcpEndpoint[]> {
  const [genl, id] = await familyBeside(conn, MPTCP_PM_NAME);
  return genl.dump(mptcpRequest(id, "get_addr"), (m) => decodeMptcpEndpoint(m, id), "getMptcpEndpoints");
}

/**
 * Deletes every endpoint (`ip mptcp endpoint flush`).
 *
 * @example
 * ```ts ignore
 * await flushMptcpEndpoints(conn);
 * ```
 */
export async function flushMptcpEndpoints(conn: NetlinkConnection): Promise<void> {
  const [genl, id] = await familyBeside(conn, MPTCP_PM_NAME);
  await genl.ack(mptcpRequest(id, "flush_addrs"), "flushMptcpEndpoints");
}

/**
 * Sets an endpoint's `backup` and `fullmesh` flags (`ip mptcp endpoint
 * change`); an endpoint of id 0 (or none given) is picked by address.
 *
 * @example
 * ```ts ignore
 * await setMptcpEndpointFlags(conn, { id: 5, flags: ["backup"] });
 * ```
 */
export async function setMptcpEndpointFlags(conn: NetlinkConnection, c: MptcpEndpointChange): Promise<void> {
  const request = mptcpEndpointRequest(0, "set_flags", { id: c.id, flags: c.flags, port: c.port, address: c.address });
  const [genl, id] = await familyBeside(conn, MPTCP_PM_NAME);
  await genl.ack(withFamilyId(request, id), "setMptcpEndpointFlags");
}

/**
 * The limits per connection (`ip mptcp limits show`).
 *
 * @example
 * ```ts ignore
 * const { subflows, addAddrAccepted } = await getMptcpLimits(conn);
 * ```
 */
export async function getMptcpLimits(conn: NetlinkConnection): Promise<MptcpLimits> {
  const [genl, id] = await familyBeside(conn, MPTCP_PM_NAME);
  return genl.get(mptcpRequest(id, "get_limits"), (m) => decodeMptcpLimits(m, id), "getMptcpLimits");
}

/**
 * Sets the limits per connection (`ip mptcp limits set`); a limit left out
 * keeps its value. The kernel refuses more than 8 of either (EINVAL).
 *
 * @example
 * ```ts ignore
 * await setMptcpLimits(conn, { subflows: 4, addAddrAccepted: 4 });
 * ```
 */
export async function setMptcpLimits(conn: NetlinkConnection, limits: MptcpLimits): Promise<void> {
  const request = mptcpRequest(0, "set_limits", limits);
  const [genl, id] = await familyBeside(conn, MPTCP_PM_NAME);
  await genl.ack(withFamilyId(request, id), "setMptcpLimits");
}
