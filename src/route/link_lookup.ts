/**
 * Finding a link's index from its name, and checking the `dev` options every
 * rtnetlink request takes, without the full link schema. The full one
 * (link_attrs.ts) carries every link kind's attributes, and loading those
 * modules is most of a short command's start-up; route, address, neighbour
 * and TC requests only ever need the index, so they import this module, and
 * the link module loads when links themselves are asked for.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { NetlinkError, ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { encodeMessage, headerField, type MessageSchema, messageSchema, type MessageView } from "../core/message.ts";
import { attrSchema } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF, familyNumber, RTEXT_FILTER, RTM } from "./constants.ts";
import { IFINFOMSG, LINK_NAME_ATTRS } from "./link_header.ts";
import type { Dev } from "./link_types.ts";

export type { Dev };

/** The link message with only the attributes a lookup sends (declared once in link_header.ts). */
export const LINK_LOOKUP_MESSAGE: MessageSchema = messageSchema(
  "link",
  IFINFOMSG,
  attrSchema("IFLA_", "linux/if_link.h", LINK_NAME_ATTRS),
  "family",
  familyNumber,
);

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
  // Only the index is wanted: read ifi_index, skip the statistics, decode nothing else.
  return askLink(conn, dev, linkLookupRequest(dev, RTEXT_FILTER.SKIP_STATS), readIfindex);
}

/** The index of an RTM_NEWLINK reply, read without decoding the rest. */
const readIfindex = (m: MessageView): number | undefined =>
  m.type === RTM.NEWLINK ? headerField(LINK_LOOKUP_MESSAGE, m, "index") as number : undefined;
