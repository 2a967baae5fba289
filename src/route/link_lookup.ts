/**
 * Finding a link's index from its name, and checking the `dev` options every
 * rtnetlink request takes, without the full link schema. The full one
 * (link_attrs.ts) carries every link kind's attributes, and loading those
 * modules is most of a short command's start-up; route, address, neighbour
 * and TC requests only ever need the index, so they import this module, and
 * the link module loads when links themselves are asked for. Name tables
 * (every link's index, name and flags) are read here too.
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { NetlinkError, ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import {
  decodeMessage,
  encodeMessage,
  headerField,
  type MessageSchema,
  messageSchema,
  type MessageView,
} from "../core/message.ts";
import { attrSchema } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF, familyNumber, RTEXT_FILTER, RTM } from "./constants.ts";
import { IFINFOMSG, LINK_NAME_ATTRS } from "./link_header.ts";
import type { Dev, Link } from "./link_types.ts";

export type { Dev };

/** The link message with only the naming attributes, for lookups and name tables (declared once in link_header.ts). */
export const LINK_LOOKUP_MESSAGE: MessageSchema = messageSchema(
  "link",
  IFINFOMSG,
  attrSchema("IFLA_", "linux/if_link.h", LINK_NAME_ATTRS),
  "family",
  familyNumber,
);

/**
 * What a name table needs of a link: the {@linkcode Link} fields that the
 * link header and the naming attributes give. A full `Link` is one too.
 */
export type LinkName = Pick<Link, "family" | "type" | "index" | "flags" | "change" | "name" | "propList">;

/** Options of {@linkcode getLinkNames}. */
export interface GetLinkNamesOptions extends DumpOptions {
  /** RTEXT_FILTER_* bits sent with the dump (default: SKIP_STATS; iproute2's ll_init_map sends VF). */
  extMask?: number;
}

/**
 * Every link's index, name, flags and alternative names, from one dump
 * decoded with the naming attributes only: iproute2's ll_init_map table,
 * without the cost (nor the modules) of decoding every link kind's details.
 *
 * @example
 * ```ts ignore
 * for (const l of await getLinkNames(conn)) console.log(l.index, l.name);
 * ```
 */
export function getLinkNames(conn: NetlinkConnection, options: GetLinkNamesOptions = {}): Promise<LinkName[]> {
  const w = new MessageWriter(64);
  const extMask = options.extMask ?? RTEXT_FILTER.SKIP_STATS;
  // No family, as iproute2's ll_init_map asks (the kernel dumps every link either way).
  encodeMessage(w, LINK_LOOKUP_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.dump, {}, { extMask });
  return conn.dump(w.bytes(), decodeLinkName, "getLinkNames", options);
}

/**
 * One link's index, name, flags and alternative names (by name or index),
 * decoded as {@linkcode getLinkNames} does; ENODEV when there is none.
 *
 * @example
 * ```ts ignore
 * const { name } = await getLinkName(conn, 2);
 * ```
 */
export function getLinkName(conn: NetlinkConnection, dev: Dev): Promise<LinkName> {
  try {
    return askLink(conn, dev, linkLookupRequest(dev, RTEXT_FILTER.SKIP_STATS), decodeLinkName);
  } catch (e) {
    return Promise.reject(e);
  }
}

const decodeLinkName = (m: MessageView): LinkName | undefined =>
  m.type === RTM.NEWLINK ? decodeMessage(LINK_LOOKUP_MESSAGE, m) as unknown as LinkName : undefined;

/**
 * An interface index option, checked (a positive 31-bit integer).
 *
 * @example
 * ```ts
 * import { checkIndex } from "./link_lookup.ts";
 * checkIndex(3, "dev"); // 3
 * ```
 */
export function checkIndex(dev: number, field: string): number {
  if (!Number.isInteger(dev) || dev <= 0 || dev > 0x7fffffff) {
    throw new ValidationError(field, dev, "an interface index is a positive integer");
  }
  return dev;
}

/**
 * An interface name option, checked (non-empty, no blanks or slashes, at most
 * 127 characters: alternative names are longer than IFNAMSIZ).
 *
 * @example
 * ```ts
 * import { checkName } from "./link_lookup.ts";
 * checkName("p0", "dev");
 * ```
 */
export function checkName(dev: string, field: string): void {
  if (typeof dev !== "string" || dev === "" || dev.length > 127 || /[\s/]/.test(dev)) {
    throw new ValidationError(field, dev, "expected an interface name or index");
  }
}

/**
 * The RTM_GETLINK request for one device (by index, or by name as iproute2
 * asks: family AF_PACKET, IFLA_IFNAME, or IFLA_ALT_IFNAME for a name longer
 * than IFNAMSIZ-1, and IFLA_EXT_MASK).
 *
 * @example
 * ```ts
 * import { linkLookupRequest } from "./link_lookup.ts";
 * linkLookupRequest("p0", 1).length; // 48
 * ```
 */
export function linkLookupRequest(dev: Dev, extMask: number): Uint8Array {
  const w = new MessageWriter(64);
  if (typeof dev === "number") {
    checkIndex(dev, "dev");
    encodeMessage(w, LINK_LOOKUP_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.get, { index: dev }, { extMask });
  } else {
    checkName(dev, "dev");
    const attrs = dev.length < 16 ? { name: dev, extMask } : { altIfname: dev, extMask };
    encodeMessage(w, LINK_LOOKUP_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.get, { family: AF.PACKET }, attrs);
  }
  return w.bytes();
}

/**
 * Builds the RTM_GETLINK request iproute2's commands send to look up a device
 * word (lib/ll_map.c `ll_link_get`): no family, IFLA_EXT_MASK (VF and
 * SKIP_STATS) first, then IFLA_IFNAME, or IFLA_ALT_IFNAME for a name too long
 * for it.
 *
 * @example
 * ```ts
 * import { linkFindRequest } from "./link_lookup.ts";
 * linkFindRequest("p0").length; // 48
 * ```
 */
export function linkFindRequest(name: string): Uint8Array {
  checkName(name, "name");
  const w = new MessageWriter(64);
  const extMask = RTEXT_FILTER.VF | RTEXT_FILTER.SKIP_STATS;
  const attrs = name.length < 16 ? { extMask, name } : { extMask, altIfname: name };
  encodeMessage(w, LINK_LOOKUP_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.get, {}, attrs);
  return w.bytes();
}

/**
 * Sends a link request and decodes its reply; ENODEV becomes iproute2's
 * `Device "NAME" does not exist` error.
 *
 * @example
 * ```ts ignore
 * const index = await askLink(conn, "p0", linkLookupRequest("p0", 8), readIfindex);
 * ```
 */
export async function askLink<T>(
  conn: NetlinkConnection,
  dev: Dev,
  request: Uint8Array,
  decode: (m: MessageView) => T | undefined,
): Promise<T> {
  try {
    return await conn.get(request, decode, `getLink ${dev}`);
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
export function resolveDev(conn: NetlinkConnection, dev: Dev, field = "dev"): Promise<number> {
  try {
    if (typeof dev === "number") return Promise.resolve(checkIndex(dev, field));
    checkName(dev, field);
  } catch (e) {
    return Promise.reject(e);
  }
  // Only the index is wanted: asked as iproute2's ll_name_to_index asks, read from ifi_index, nothing else decoded.
  return askLink(conn, dev, linkFindRequest(dev), readIfindex);
}

/** The index of an RTM_NEWLINK reply, read without decoding the rest. */
const readIfindex = (m: MessageView): number | undefined =>
  m.type === RTM.NEWLINK ? headerField(LINK_LOOKUP_MESSAGE, m, "index") as number : undefined;
