/**
 * Links: query (all, one, filtered by kind or master), set up/down and other
 * properties, create, delete. Requests are byte-for-byte what iproute2 sends.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { NetlinkError, ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, type MessageView } from "../core/message.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF, RTEXT_FILTER, RTM } from "./constants.ts";
import { IFF } from "./link_header.ts";
import { LINK_MESSAGE } from "./link_attrs.ts";
import type { Link } from "./link_types.ts";

/** A device: its name, or its ifindex. */
export type Dev = string | number;

/**
 * Decodes an RTM_NEWLINK / RTM_DELLINK message.
 *
 * @example
 * ```ts ignore
 * import { decodeLink } from "./link.ts";
 * const link = decodeLink(msg);
 * ```
 */
export function decodeLink(msg: MessageView): Link {
  return decodeMessage(LINK_MESSAGE, msg) as unknown as Link;
}

const decodeNewLink = (m: MessageView): Link | undefined => (m.type === RTM.NEWLINK ? decodeLink(m) : undefined);

/** Filters for {@linkcode getLinks}, applied by the kernel. */
export interface GetLinksOptions extends DumpOptions {
  /** Only links of this kind (`"veth"`, `"bridge"`, …). */
  kind?: string;
  /** Only links enslaved to this master. */
  master?: Dev;
  /** RTEXT_FILTER_* bits (default: VF info, as iproute2 asks). */
  extMask?: number;
}

/**
 * Builds the RTM_GETLINK dump request (as `ip link show`: family AF_PACKET,
 * VF information asked for).
 *
 * @example
 * ```ts
 * import { linkDumpRequest } from "./link.ts";
 * linkDumpRequest({}).length; // 40
 * ```
 */
export function linkDumpRequest(options: { kind?: string; master?: number; extMask?: number }): Uint8Array {
  const w = new MessageWriter(64);
  const attrs: Record<string, unknown> = { extMask: options.extMask ?? RTEXT_FILTER.VF };
  if (options.master !== undefined) attrs.master = options.master;
  if (options.kind !== undefined) attrs.linkinfo = { kind: options.kind };
  encodeMessage(w, LINK_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.dump, { family: AF.PACKET }, attrs);
  return w.bytes();
}

/**
 * Every link (or those matching the filters), fully decoded.
 *
 * @example
 * ```ts ignore
 * const links = await getLinks(conn, { kind: "veth" });
 * ```
 */
export async function getLinks(conn: NetlinkConnection, options: GetLinksOptions = {}): Promise<Link[]> {
  const master = options.master === undefined ? undefined : await resolveDev(conn, options.master, "master");
  const request = linkDumpRequest({ kind: options.kind, master, extMask: options.extMask });
  return conn.dump(request, decodeNewLink, "getLinks", options);
}

/**
 * Streams links one by one without building the list.
 *
 * @example
 * ```ts ignore
 * for await (const link of streamLinks(conn)) console.log(link.name);
 * ```
 */
export async function* streamLinks(conn: NetlinkConnection, options: GetLinksOptions = {}): AsyncGenerator<Link> {
  const master = options.master === undefined ? undefined : await resolveDev(conn, options.master, "master");
  const request = linkDumpRequest({ kind: options.kind, master, extMask: options.extMask });
  yield* conn.stream(request, decodeNewLink, "streamLinks", streamOptionsOf(options));
}

/**
 * Builds the RTM_GETLINK request for one device (by index, or by name as
 * iproute2 does: family AF_PACKET, IFLA_IFNAME, IFLA_EXT_MASK).
 *
 * @example
 * ```ts
 * import { linkGetRequest } from "./link.ts";
 * linkGetRequest("p0").length; // 48
 * ```
 */
export function linkGetRequest(dev: Dev, extMask: number = RTEXT_FILTER.VF): Uint8Array {
  const w = new MessageWriter(64);
  if (typeof dev === "number") {
    checkIndex(dev, "dev");
    encodeMessage(w, LINK_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.get, { index: dev }, { extMask });
  } else {
    checkName(dev, "dev");
    // Names longer than IFNAMSIZ-1 can only be alternative names.
    const attrs = dev.length < 16 ? { name: dev, extMask } : { altIfname: dev, extMask };
    encodeMessage(w, LINK_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.get, { family: AF.PACKET }, attrs);
  }
  return w.bytes();
}

/**
 * One link by name (or alternative name) or index. Rejects with a
 * {@linkcode NetlinkError} whose `isNotFound()` is true when there is none.
 *
 * @example
 * ```ts ignore
 * const lo = await getLink(conn, "lo");
 * ```
 */
export async function getLink(conn: NetlinkConnection, dev: Dev): Promise<Link> {
  try {
    return await conn.get(linkGetRequest(dev), decodeNewLink, `getLink ${dev}`);
  } catch (e) {
    if (e instanceof NetlinkError && e.errno === 19) {
      throw new NetlinkError(19, `Device "${dev}" does not exist (ENODEV)`, {
        operation: `getLink ${dev}`,
        extAck: e.extAck,
        cause: e,
      });
    }
    throw e;
  }
}

/**
 * The ifindex of a device given by name or index (a name is looked up through
 * this connection, so in its namespace). Numbers pass through after a range check.
 *
 * @example
 * ```ts ignore
 * const index = await resolveDev(conn, "p0");
 * ```
 */
export async function resolveDev(conn: NetlinkConnection, dev: Dev, field = "dev"): Promise<number> {
  if (typeof dev === "number") return checkIndex(dev, field);
  checkName(dev, field);
  return (await getLink(conn, dev)).index;
}

function checkIndex(dev: number, field: string): number {
  if (!Number.isInteger(dev) || dev <= 0 || dev > 0x7fffffff) {
    throw new ValidationError(field, dev, "an interface index is a positive integer");
  }
  return dev;
}

function checkName(dev: string, field: string): void {
  if (typeof dev !== "string" || dev === "" || dev.length > 127 || /[\s/]/.test(dev)) {
    throw new ValidationError(field, dev, "expected an interface name or index");
  }
}

/** Properties {@linkcode setLink} can change. */
export interface SetLinkOptions {
  /** Bring the link up (true) or down (false). */
  up?: boolean;
  /** New MTU. */
  mtu?: number;
  /** New name. */
  name?: string;
  /** New link-layer address. */
  address?: string;
  /** New broadcast address. */
  broadcast?: string;
  /** Transmit queue length. */
  txqlen?: number;
  /** Interface alias ("" clears it). */
  alias?: string;
  /** Device group. */
  group?: number;
  /** Enslave to this master. */
  master?: Dev;
  /** Release from its master. */
  nomaster?: boolean;
  /** Turn ARP off (true) or on (false). */
  noarp?: boolean;
  /** Promiscuous mode. */
  promisc?: boolean;
  /** All-multicast mode. */
  allmulticast?: boolean;
  /** Multicast flag. */
  multicast?: boolean;
}

/**
 * Builds the RTM_NEWLINK request `ip link set` sends for these changes.
 *
 * @example
 * ```ts
 * import { linkSetRequest } from "./link.ts";
 * linkSetRequest(3, { up: true }).length; // 32
 * ```
 */
export function linkSetRequest(
  index: number,
  options: SetLinkOptions,
  master?: number,
  w: MessageWriter = new MessageWriter(128),
): Uint8Array {
  let flags = 0;
  let change = 0;
  const flag = (on: boolean | undefined, bit: number) => {
    if (on === undefined) return;
    change |= bit;
    if (on) flags |= bit;
  };
  flag(options.up, IFF.bit("UP"));
  flag(options.noarp, IFF.bit("NOARP"));
  flag(options.promisc, IFF.bit("PROMISC"));
  flag(options.allmulticast, IFF.bit("ALLMULTI"));
  flag(options.multicast, IFF.bit("MULTICAST"));
  const attrs: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) attrs[key] = value;
  };
  // iproute2 adds attributes in argument order and the new name last; this is
  // the order of `ip link set DEV txqlen Q address A broadcast B mtu M master X alias S group G name N`.
  put("txqlen", options.txqlen);
  put("address", options.address);
  put("broadcast", options.broadcast);
  put("mtu", options.mtu);
  put("master", options.nomaster ? 0 : master);
  put("ifalias", options.alias);
  put("group", options.group);
  put("name", options.name);
  const at = encodeMessage(w, LINK_MESSAGE, RTM.NEWLINK, REQUEST_FLAGS.ack, { index, flags, change }, attrs);
  return w.bytes().subarray(at);
}

/**
 * Changes a link's properties in one request, like `ip link set`.
 *
 * @example
 * ```ts ignore
 * await setLink(conn, "p0", { mtu: 9000, up: true });
 * ```
 */
export async function setLink(conn: NetlinkConnection, dev: Dev, options: SetLinkOptions): Promise<void> {
  if (options.master !== undefined && options.nomaster) {
    throw new ValidationError("nomaster", true, "master and nomaster exclude each other");
  }
  linkSetRequest(1, options, options.master === undefined ? undefined : 1); // bad input fails before any look-up
  const index = await resolveDev(conn, dev);
  const master = options.master === undefined ? undefined : await resolveDev(conn, options.master, "master");
  await conn.ack(linkSetRequest(index, options, master), `setLink ${dev}`);
}

/** Options common to every kind for {@linkcode addLink}. */
export interface LinkCommonOptions {
  /** The new link's name. */
  name: string;
  /** MTU. */
  mtu?: number;
  /** Link-layer address. */
  address?: string;
  /** Transmit queue length. */
  txqlen?: number;
  /** Number of transmit queues. */
  numTxQueues?: number;
  /** Number of receive queues. */
  numRxQueues?: number;
  /** Master to enslave it to. */
  master?: Dev;
  /** Bring it up at creation. */
  up?: boolean;
  /** Create it in another namespace (a namespace file descriptor). */
  netnsFd?: number;
}

/** A veth pair: this end and its peer. */
export interface VethOptions extends LinkCommonOptions {
  /** The kind. */
  kind: "veth";
  /** The peer end. */
  peer: Omit<LinkCommonOptions, "master" | "up"> & { name: string };
}

/** A kind without options in this version (`dummy`, `ifb`, `bridge`, …), or raw kind data. */
export interface GenericLinkOptions extends LinkCommonOptions {
  /** The kind, e.g. `"dummy"`, `"ifb"`, `"bridge"`. */
  kind: "dummy" | "ifb" | "bridge" | "nlmon" | "vcan" | (string & Record<never, never>);
  /** Raw IFLA_INFO_DATA payload, if the kind needs options nlink does not type yet. */
  data?: Uint8Array;
}

/** What {@linkcode addLink} creates. */
export type AddLinkOptions = VethOptions | GenericLinkOptions;

/**
 * The common attributes in iproute2's byte order: it adds them in argument
 * order and the name after them, so this is the order of `ip link add txqlen Q
 * address A mtu M numtxqueues N numrxqueues N master X netns NS name NAME type KIND …`.
 */
function commonAttrs(o: Omit<LinkCommonOptions, "master" | "up">, master?: number): Record<string, unknown> {
  checkNewName(o.name);
  return {
    txqlen: o.txqlen,
    address: o.address,
    mtu: o.mtu,
    numTxQueues: o.numTxQueues,
    numRxQueues: o.numRxQueues,
    master,
    netNsFd: o.netnsFd,
    name: o.name,
  };
}

function checkNewName(name: string): void {
  if (
    typeof name !== "string" || name === "" || name.length > 15 || /[\s/:]/.test(name) || name === "." || name === ".."
  ) {
    throw new ValidationError("name", name, "an interface name is 1-15 characters without spaces, '/' or ':'");
  }
}

/**
 * Builds the RTM_NEWLINK create request (`ip link add … type KIND …`).
 *
 * @example
 * ```ts
 * import { linkAddRequest } from "./link.ts";
 * linkAddRequest({ kind: "veth", name: "v0", peer: { name: "v1" } }).length; // 84
 * ```
 */
export function linkAddRequest(
  options: AddLinkOptions,
  master?: number,
  w: MessageWriter = new MessageWriter(256),
): Uint8Array {
  if (options === null || typeof options !== "object" || typeof options.kind !== "string" || options.kind === "") {
    throw new ValidationError("kind", (options as { kind?: unknown })?.kind, 'expected a link kind such as "veth"');
  }
  const attrs = commonAttrs(options, master);
  const linkinfo: Record<string, unknown> = { kind: options.kind };
  if (options.kind === "veth") {
    const peer = (options as VethOptions).peer;
    if (!peer || typeof peer !== "object") throw new ValidationError("peer", peer, "a veth needs { peer: { name } }");
    linkinfo.data = { peer: { header: {}, ...commonAttrs(peer) } };
  } else if ((options as GenericLinkOptions).data !== undefined) {
    linkinfo.data = (options as GenericLinkOptions).data;
  }
  attrs.linkinfo = linkinfo;
  const up = options.up ? IFF.bit("UP") : 0;
  const at = encodeMessage(w, LINK_MESSAGE, RTM.NEWLINK, REQUEST_FLAGS.create, { flags: up, change: up }, attrs);
  return w.bytes().subarray(at);
}

/**
 * Creates a link, like `ip link add NAME type KIND …`.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "veth", name: "v0", peer: { name: "v1" } });
 * ```
 */
export async function addLink(conn: NetlinkConnection, options: AddLinkOptions): Promise<void> {
  linkAddRequest(options, options?.master === undefined ? undefined : 1); // bad input fails before any look-up
  const master = options.master === undefined ? undefined : await resolveDev(conn, options.master, "master");
  await conn.ack(linkAddRequest(options, master), `addLink ${options.name} type ${options.kind}`);
}

/**
 * Builds the RTM_DELLINK request.
 *
 * @example
 * ```ts
 * import { linkDelRequest } from "./link.ts";
 * linkDelRequest(5).length; // 32
 * ```
 */
export function linkDelRequest(index: number, w: MessageWriter = new MessageWriter(32)): Uint8Array {
  const at = encodeMessage(w, LINK_MESSAGE, RTM.DELLINK, REQUEST_FLAGS.ack, { index });
  return w.bytes().subarray(at);
}

/**
 * Deletes a link (and, for a veth, its peer), like `ip link del`.
 *
 * @example
 * ```ts ignore
 * await delLink(conn, "v0");
 * ```
 */
export async function delLink(conn: NetlinkConnection, dev: Dev): Promise<void> {
  const index = await resolveDev(conn, dev);
  await conn.ack(linkDelRequest(index), `delLink ${dev}`);
}
