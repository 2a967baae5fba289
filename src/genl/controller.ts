/**
 * The generic netlink controller (`nlctrl`, family id 16): it names the
 * families the running kernel has and gives each its id, version, header
 * size, commands and multicast groups (CTRL_CMD_GETFAMILY).
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { cEnum, type EnumTable } from "../core/enums.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, type MessageSchema, type MessageView } from "../core/message.ts";
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { GENL, GENL_CMD_FLAGS, genlMessageSchema, genlRequest } from "./header.ts";

/** The controller's commands (CTRL_CMD_*). */
export const CTRL_CMD: EnumTable = cEnum("linux/genetlink.h", "CTRL_CMD_", {
  UNSPEC: 0,
  NEWFAMILY: 1,
  DELFAMILY: 2,
  GETFAMILY: 3,
  NEWOPS: 4,
  DELOPS: 5,
  GETOPS: 6,
  NEWMCAST_GRP: 7,
  DELMCAST_GRP: 8,
  GETMCAST_GRP: 9,
  GETPOLICY: 10,
});

/** CTRL_ATTR_OP_*: one command of a family. */
const CTRL_OP_ATTRS: AttrSchema = attrSchema("CTRL_ATTR_OP_", "linux/genetlink.h", {
  ID: { id: 1, type: "u32" },
  FLAGS: { id: 2, type: "u32", flags: GENL_CMD_FLAGS },
});

/** CTRL_ATTR_MCAST_GRP_*: one multicast group of a family. */
const CTRL_MCAST_GRP_ATTRS: AttrSchema = attrSchema("CTRL_ATTR_MCAST_GRP_", "linux/genetlink.h", {
  NAME: { id: 1, type: "string" },
  ID: { id: 2, type: "u32" },
});

/**
 * CTRL_ATTR_*: a family as the controller describes it. Commands and groups
 * come as arrays of nests (each nest's type is its position). Policies
 * (CTRL_CMD_GETPOLICY) are kept as bytes.
 */
export const CTRL_ATTRS: AttrSchema = attrSchema("CTRL_ATTR_", "linux/genetlink.h", {
  FAMILY_ID: { id: 1, type: "u16", name: "id" },
  FAMILY_NAME: { id: 2, type: "string", name: "name" },
  VERSION: { id: 3, type: "u32" },
  HDRSIZE: { id: 4, type: "u32" },
  MAXATTR: { id: 5, type: "u32" },
  OPS: { id: 6, type: "array", schema: CTRL_OP_ATTRS },
  MCAST_GROUPS: { id: 7, type: "array", schema: CTRL_MCAST_GRP_ATTRS, name: "mcastGroups" },
  POLICY: { id: 8, type: "binary" },
  OP_POLICY: { id: 9, type: "binary" },
  OP: { id: 10, type: "u32" },
});

/** A controller message: genlmsghdr and CTRL_ATTR_*. */
export const CTRL_MESSAGE: MessageSchema = genlMessageSchema("nlctrl", CTRL_ATTRS);

/** One command of a family. */
export interface GenlOperation {
  /** The command number. */
  id: number;
  /** What it allows: `cmd_cap_do`, `cmd_cap_dump`, `admin_perm`, … */
  flags: string[];
}

/** One multicast group of a family. */
export interface GenlMulticastGroup {
  /** Its name (`"monitor"`, `"config"`, …). */
  name: string;
  /** The group id to join. */
  id: number;
}

/** A generic netlink family, as the controller describes it. */
export interface GenlFamily {
  /** The family's name (`"ethtool"`, `"wireguard"`, …). */
  name: string;
  /** The id its messages carry in nlmsg_type (handed out at registration: differs between boots). */
  id: number;
  /** The family's interface version (goes in genlmsghdr.version). */
  version: number;
  /** The size of the family's own header after genlmsghdr (0 for most). */
  hdrsize: number;
  /** The highest attribute number the family takes. */
  maxattr: number;
  /** Its commands. */
  ops: GenlOperation[];
  /** Its multicast groups. */
  mcastGroups: GenlMulticastGroup[];
}

/**
 * A family name option, checked: non-empty, shorter than GENL_NAMSIZ.
 *
 * @example
 * ```ts
 * import { checkFamilyName } from "./controller.ts";
 * checkFamilyName("ethtool", "family"); // "ethtool"
 * ```
 */
export function checkFamilyName(name: string, field: string): string {
  if (typeof name !== "string" || name === "" || name.length >= GENL.NAMSIZ || name.includes("\0")) {
    throw new ValidationError(field, name, `a generic netlink family name has 1 to ${GENL.NAMSIZ - 1} characters`);
  }
  return name;
}

/**
 * The CTRL_CMD_GETFAMILY request for one family by name, or a dump of every
 * family when `name` is undefined. One family is asked for as iproute2's
 * tools resolve a family before using it (libgenl's genl_resolve_family, as
 * `ip mptcp`, `ip sr`, `ip tcp_metrics` and `ip ioam` send it): a plain GET
 * that the answer ends, no acknowledgement; `ack: true` adds one, as
 * `genl ctrl get name NAME` sends it.
 *
 * @example
 * ```ts
 * import { getFamilyRequest } from "./controller.ts";
 * getFamilyRequest("nlctrl").length; // 32
 * ```
 */
export function getFamilyRequest(name?: string, options: { ack?: boolean } = {}): Uint8Array {
  return genlRequest({
    familyId: GENL.ID_CTRL,
    flags: name === undefined ? REQUEST_FLAGS.dump : options.ack ? REQUEST_FLAGS.ack : REQUEST_FLAGS.get,
    cmd: CTRL_CMD.value("getfamily"),
    version: 0,
    schema: CTRL_MESSAGE,
    attrs: name === undefined ? undefined : { name: checkFamilyName(name, "family") },
  });
}

/**
 * Decodes a CTRL_CMD_NEWFAMILY message (the controller's answer); other
 * messages give undefined.
 *
 * @example
 * ```ts ignore
 * import { decodeFamily } from "./controller.ts";
 * decodeFamily(msg); // { name: "ethtool", id: 21, version: 1, hdrsize: 0, maxattr: 0, ops: […], mcastGroups: […] }
 * ```
 */
export function decodeFamily(msg: MessageView): GenlFamily | undefined {
  if (msg.type !== GENL.ID_CTRL) return undefined;
  const m = decodeMessage(CTRL_MESSAGE, msg);
  if (m.cmd !== CTRL_CMD.value("newfamily") || m.id === undefined) return undefined;
  return {
    name: (m.name as string | undefined) ?? "",
    id: m.id as number,
    version: (m.version as number | undefined) ?? 0,
    hdrsize: (m.hdrsize as number | undefined) ?? 0,
    maxattr: (m.maxattr as number | undefined) ?? 0,
    ops: ((m.ops as { id?: number; flags?: string[] }[] | undefined) ?? []).map((o) => ({
      id: o.id ?? 0,
      flags: o.flags ?? [],
    })),
    mcastGroups: ((m.mcastGroups as { name?: string; id?: number }[] | undefined) ?? []).map((g) => ({
      name: g.name ?? "",
      id: g.id ?? 0,
    })),
  };
}

/**
 * Asks the controller about one family (`genl ctrl get name NAME`). A
 * family the kernel does not have (module not loaded, or not built) rejects
 * with ENOENT (`isNotFound()`). `conn` must be a NETLINK_GENERIC connection.
 *
 * @example
 * ```ts ignore
 * import { GenlConnection } from "./connection.ts";
 * import { getFamily } from "./controller.ts";
 * using genl = GenlConnection.open();
 * (await getFamily(genl, "ethtool")).id; // 21, say
 * ```
 */
export function getFamily(conn: NetlinkConnection, name: string): Promise<GenlFamily> {
  let request: Uint8Array;
  try {
    request = getFamilyRequest(name);
  } catch (e) {
    return Promise.reject(e);
  }
  return conn.get(request, decodeFamily, `getFamily ${name}`);
}

/**
 * Every family the kernel has (`genl ctrl list`). `conn` must be a
 * NETLINK_GENERIC connection.
 *
 * @example
 * ```ts ignore
 * import { GenlConnection } from "./connection.ts";
 * import { getFamilies } from "./controller.ts";
 * using genl = GenlConnection.open();
 * for (const f of await getFamilies(genl)) console.log(f.name, f.id);
 * ```
 */
export function getFamilies(conn: NetlinkConnection): Promise<GenlFamily[]> {
  return conn.dump(getFamilyRequest(), decodeFamily, "getFamilies");
}
