/**
 * Reading links: the dump of every link (or those of a kind or master), one
 * link by name or index, and the few properties iproute2 reads before a
 * change. Apart from link.ts, which builds the changes: a program that only
 * reads links loads neither the change builders nor the kinds' layouts
 * (these load when a link carries kind data, see link_kind_registry.ts).
 * link.ts re-exports everything here.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { NetlinkError, ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, type MessageView } from "../core/message.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF, RTEXT_FILTER, RTM } from "./constants.ts";
import { LINK_MESSAGE } from "./link_attrs.ts";
import { LinkKindsNotLoaded, loadLinkKinds } from "./link_kind_registry.ts";
import { askLink, checkIndex, checkName, linkFindRequest, linkLookupRequest, resolveDev } from "./link_lookup.ts";
import type { Dev, Link } from "./link_types.ts";

/**
 * Decodes an RTM_NEWLINK / RTM_DELLINK message. A link that carries kind
 * data needs the kinds' layouts: until they are loaded (link.ts loads them,
 * as does {@linkcode loadLinkKinds}) it throws `LinkKindsNotLoaded`; the
 * readers here then keep the message and decode it once they have loaded them.
 *
 * @example
 * ```ts ignore
 * import { decodeLink } from "./link_read.ts";
 * const link = decodeLink(msg);
 * ```
 */
export function decodeLink(msg: MessageView): Link {
  return decodeMessage(LINK_MESSAGE, msg) as unknown as Link;
}

const decodeNewLink = (m: MessageView): Link | undefined => (m.type === RTM.NEWLINK ? decodeLink(m) : undefined);

/**
 * A link message that carries kind data, received before the kinds' layouts
 * were loaded: a copy (receive buffers are reused), decoded once they are.
 */
class LinkLater {
  constructor(readonly message: MessageView) {}
}

/**
 * An RTM_NEWLINK decoded, or kept for later when it needs the kinds and they
 * are not loaded yet: the request is never sent twice, so the kernel (and a
 * capture of what nlink sends) sees exactly iproute2's requests.
 */
function decodeNewLinkOrLater(m: MessageView): Link | LinkLater | undefined {
  if (m.type !== RTM.NEWLINK) return undefined;
  try {
    return decodeLink(m);
  } catch (e) {
    if (!(e instanceof LinkKindsNotLoaded)) throw e;
    const bytes = m.bytes.slice(m.offset, m.offset + m.length);
    return new LinkLater({ ...m, bytes, view: new DataView(bytes.buffer), offset: 0 });
  }
}

/** The links read, those kept for later decoded now (the kinds load first). */
async function decodedLinks(read: (Link | LinkLater)[]): Promise<Link[]> {
  if (!read.some((x) => x instanceof LinkLater)) return read as Link[];
  await loadLinkKinds();
  return read.map((x) => (x instanceof LinkLater ? decodeLink(x.message) : x));
}

/** The link read, decoded now if it was kept for later. */
async function decodedLink(read: Link | LinkLater): Promise<Link> {
  return (await decodedLinks([read]))[0];
}

/** Filters for {@linkcode getLinks}, applied by the kernel. */
export interface GetLinksOptions extends DumpOptions {
  /** Only links of this kind (`"veth"`, `"bridge"`, …). */
  kind?: string;
  /** Only links enslaved to this master. */
  master?: Dev;
  /** RTEXT_FILTER_* bits (default: VF info, as iproute2 asks). */
  extMask?: number;
  /**
   * The family the request carries: `"packet"` (the default, as `ip link
   * show` asks) or `"unspec"` (as iproute2's link table, ll_init_map, asks).
   * The kernel dumps every link either way.
   */
  family?: "packet" | "unspec";
}

/**
 * Builds the RTM_GETLINK dump request (as `ip link show`: family AF_PACKET,
 * VF information asked for; see {@linkcode GetLinksOptions} for the rest).
 *
 * @example
 * ```ts
 * import { linkDumpRequest } from "./link_read.ts";
 * linkDumpRequest({}).length; // 40
 * ```
 */
export function linkDumpRequest(
  options: { kind?: string; master?: number; extMask?: number; family?: "packet" | "unspec" },
): Uint8Array {
  const family = options.family ?? "packet";
  if (family !== "packet" && family !== "unspec") {
    throw new ValidationError("family", family, 'expected "packet" or "unspec"');
  }
  const w = new MessageWriter(64);
  const attrs: Record<string, unknown> = { extMask: options.extMask ?? RTEXT_FILTER.VF };
  if (options.master !== undefined) attrs.master = options.master;
  if (options.kind !== undefined) attrs.linkinfo = { kind: options.kind };
  encodeMessage(
    w,
    LINK_MESSAGE,
    RTM.GETLINK,
    REQUEST_FLAGS.dump,
    { family: family === "packet" ? AF.PACKET : 0 },
    attrs,
  );
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
  const request = linkDumpRequest({ kind: options.kind, master, extMask: options.extMask, family: options.family });
  return decodedLinks(await conn.dump(request, decodeNewLinkOrLater, "getLinks", options));
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
  const request = linkDumpRequest({ kind: options.kind, master, extMask: options.extMask, family: options.family });
  // A stream cannot read its links again: the kinds load before it starts.
  await loadLinkKinds();
  yield* conn.stream(request, decodeNewLink, "streamLinks", streamOptionsOf(options));
}

/**
 * Builds the RTM_GETLINK request for one device (by index, or by name as
 * iproute2 does: family AF_PACKET, IFLA_IFNAME, IFLA_EXT_MASK).
 *
 * @example
 * ```ts
 * import { linkGetRequest } from "./link_read.ts";
 * linkGetRequest("p0").length; // 48
 * ```
 */
export function linkGetRequest(dev: Dev, extMask: number = RTEXT_FILTER.VF): Uint8Array {
  return linkLookupRequest(dev, extMask);
}

/**
 * The link a command names, looked up as iproute2's commands look up a device
 * word ({@linkcode linkFindRequest}): one request, and `undefined` when there
 * is no such link. Where {@linkcode getLink} sends `ip link show dev NAME`'s
 * request and rejects when the link is missing, this is for resolving names
 * given on a command line with the bytes iproute2 sends.
 *
 * @example
 * ```ts ignore
 * const p0 = await findLink(conn, "p0"); // Link | undefined
 * ```
 */
export async function findLink(conn: NetlinkConnection, name: string): Promise<Link | undefined> {
  try {
    return await decodedLink(await conn.get(linkFindRequest(name), decodeNewLinkOrLater, `findLink ${name}`));
  } catch (e) {
    if (e instanceof NetlinkError && e.isNotFound()) return undefined;
    throw e;
  }
}

/** The family number of a request's header (a command's `-4`/`-6`), or a ValidationError. */
function checkFamilyNumber(family: number): void {
  if (!Number.isInteger(family) || family < 0 || family > 255) {
    throw new ValidationError("family", family, "expected an address family number, 0..255");
  }
}

/**
 * Builds the request iproute2 sends to read a VRF device's table
 * (`ipvrf_get_table`, for `vrf NAME` words): RTM_GETLINK with the command's
 * family (`-4`/`-6`, else 0) and IFLA_IFNAME alone.
 *
 * @example
 * ```ts
 * import { vrfTableRequest } from "./link_read.ts";
 * vrfTableRequest("blue").length; // 40
 * ```
 */
export function vrfTableRequest(name: string, family = 0): Uint8Array {
  checkName(name, "name");
  checkFamilyNumber(family);
  const w = new MessageWriter(48);
  encodeMessage(w, LINK_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.get, { family }, { name });
  return w.bytes();
}

/**
 * Builds the request iproute2 sends to learn a device's hardware address
 * length before it sets an address, its own or a VF's
 * (`nl_get_ll_addr_len`): RTM_GETLINK for the ifindex, with the command's
 * family (`-4`/`-6`, else 0) and no attributes.
 *
 * @example
 * ```ts
 * import { linkAddressLengthRequest } from "./link_read.ts";
 * linkAddressLengthRequest(3).length; // 32
 * ```
 */
export function linkAddressLengthRequest(index: number, family = 0): Uint8Array {
  checkIndex(index, "index");
  checkFamilyNumber(family);
  const w = new MessageWriter(32);
  encodeMessage(w, LINK_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.get, { family, index }, {});
  return w.bytes();
}

/**
 * The length in bytes of link `index`'s hardware address, read with
 * {@linkcode linkAddressLengthRequest}; `undefined` when it has none. Rejects
 * with a {@linkcode NetlinkError} whose `isNotFound()` is true when there is
 * no such link.
 *
 * @example
 * ```ts ignore
 * const length = await getLinkAddressLength(conn, 3); // 6
 * ```
 */
export async function getLinkAddressLength(
  conn: NetlinkConnection,
  index: number,
  family = 0,
): Promise<number | undefined> {
  const request = linkAddressLengthRequest(index, family);
  const link = await decodedLink(await conn.get(request, decodeNewLinkOrLater, `getLinkAddressLength ${index}`));
  return link.address === undefined ? undefined : link.address.split(":").length;
}

/**
 * The routing table of VRF device `name` (asked as iproute2 asks,
 * {@linkcode vrfTableRequest}); `undefined` when the link is not a VRF.
 * Rejects with a {@linkcode NetlinkError} whose `isNotFound()` is true when
 * there is no such link.
 *
 * @example
 * ```ts ignore
 * const table = await getVrfTable(conn, "blue"); // 10
 * ```
 */
export async function getVrfTable(conn: NetlinkConnection, name: string, family = 0): Promise<number | undefined> {
  const link = await decodedLink(
    await conn.get(vrfTableRequest(name, family), decodeNewLinkOrLater, `getVrfTable ${name}`),
  );
  const info = link.linkinfo;
  if (info?.kind !== "vrf" || info.data === undefined || info.data instanceof Uint8Array) return undefined;
  return (info.data as { table?: number }).table || undefined;
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
  return await decodedLink(await askLink(conn, dev, linkGetRequest(dev), decodeNewLinkOrLater));
}
