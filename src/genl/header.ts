/**
 * Generic netlink framing: every generic netlink message is a netlink header,
 * then struct genlmsghdr (the family's command and version), then the
 * family's attributes. The family is not a protocol number but an id the
 * controller hands out at run time (see `controller.ts`), carried in
 * nlmsg_type.
 *
 * @module
 */
import { cTable } from "../core/ctable.ts";
import { cFlags, type FlagTable } from "../core/enums.ts";
import { type MessageSchema, messageSchema } from "../core/message.ts";
import { type AttrSchema, encodeAttrs } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { MessageWriter } from "../core/writer.ts";

/** struct genlmsghdr: the command and the family's interface version. */
export const GENLMSGHDR: StructDef = cStruct("linux/genetlink.h", "struct genlmsghdr", [
  { c: "cmd", type: "u8" },
  { c: "version", type: "u8" },
  { c: "reserved", type: "u16" },
]);

/**
 * Generic netlink constants: the controller's fixed family id (`ID_CTRL`),
 * the range of ids families get, the header length and the longest family
 * name (with its NUL).
 *
 * @example
 * ```ts
 * import { GENL } from "./header.ts";
 * GENL.ID_CTRL; // 16
 * ```
 */
export const GENL: {
  readonly NAMSIZ: number;
  readonly MIN_ID: number;
  readonly MAX_ID: number;
  readonly HDRLEN: number;
  readonly ID_CTRL: number;
} = cTable("linux/genetlink.h", "GENL_", {
  NAMSIZ: 16,
  MIN_ID: 16,
  MAX_ID: 1023,
  HDRLEN: 4,
  ID_CTRL: 16,
});

/**
 * What a family's command allows (CTRL_ATTR_OP_FLAGS): `admin_perm` (needs
 * CAP_NET_ADMIN), `cmd_cap_do` (a plain request), `cmd_cap_dump` (a dump),
 * `cmd_cap_haspol` (has an attribute policy), `uns_admin_perm` (CAP_NET_ADMIN
 * in the namespace's user namespace).
 */
export const GENL_CMD_FLAGS: FlagTable = cFlags("linux/genetlink.h", "GENL_", {
  ADMIN_PERM: 0x01,
  CMD_CAP_DO: 0x02,
  CMD_CAP_DUMP: 0x04,
  CMD_CAP_HASPOL: 0x08,
  UNS_ADMIN_PERM: 0x10,
});

/**
 * The message layout of a generic netlink family: genlmsghdr, then `attrs`.
 * Decoding a reply with it gives `cmd`, `version` and the attributes side by
 * side.
 *
 * @example
 * ```ts ignore
 * import { genlMessageSchema } from "./header.ts";
 * const LINKMODES_MESSAGE = genlMessageSchema("ethtool linkmodes", LINKMODES_ATTRS);
 * ```
 */
export function genlMessageSchema(name: string, attrs: AttrSchema): MessageSchema {
  return messageSchema(name, GENLMSGHDR, attrs);
}

/** One generic netlink request. */
export interface GenlRequest {
  /** The family's id (nlmsg_type), as the controller resolved it. */
  familyId: number;
  /** nlmsg_flags (`REQUEST_FLAGS.get`, `REQUEST_FLAGS.dump`, …). */
  flags: number;
  /** The family's command. */
  cmd: number;
  /** The family's interface version (the family's `version`; most families take 1). */
  version: number;
  /** The message layout (its attributes). */
  schema: MessageSchema;
  /** The attributes, in the order they are written. */
  attrs?: Readonly<Record<string, unknown>>;
}

/**
 * Builds one generic netlink request (sequence number and port left 0 for
 * the connection to fill).
 *
 * @example
 * ```ts ignore
 * import { genlRequest } from "./header.ts";
 * import { REQUEST_FLAGS } from "../core/header.ts";
 * genlRequest({ familyId: 16, flags: REQUEST_FLAGS.get, cmd: 3, version: 2, schema: CTRL_MESSAGE,
 *   attrs: { familyName: "ethtool" } });
 * ```
 */
export function genlRequest(r: GenlRequest): Uint8Array {
  const w = new MessageWriter(64);
  writeGenlRequest(w, r);
  return w.bytes();
}

/**
 * Appends one generic netlink request to `w` (for batches).
 *
 * @example
 * ```ts ignore
 * import { writeGenlRequest } from "./header.ts";
 * writeGenlRequest(w, { familyId, flags: REQUEST_FLAGS.get, cmd: 4, version: 1, schema, attrs });
 * ```
 */
export function writeGenlRequest(w: MessageWriter, r: GenlRequest): void {
  const start = w.beginMessage(r.familyId, r.flags);
  r.schema.header.encode(w, { cmd: r.cmd, version: r.version, reserved: 0 }, r.schema.name);
  if (r.attrs) encodeAttrs(w, r.schema.attrs, r.attrs, r.schema.name);
  w.endMessage(start);
}
