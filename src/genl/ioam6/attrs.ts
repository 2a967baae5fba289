/**
 * The IPv6 IOAM generic netlink family (`IOAM6`, linux/ioam6_genl.h) as data:
 * its commands, the one flat attribute set every request and reply uses, and
 * the size limit of a schema's data.
 *
 * @module
 */
import { cTable } from "../../core/ctable.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import type { MessageSchema } from "../../core/message.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { genlMessageSchema } from "../header.ts";

/** The family's name, as the controller knows it (IOAM6_GENL_NAME). */
export const IOAM6_GENL_NAME = "IOAM6";

/**
 * The family's interface version (IOAM6_GENL_VERSION), written in every
 * request's genlmsghdr.
 *
 * @example
 * ```ts
 * import { IOAM6_GENL } from "./attrs.ts";
 * IOAM6_GENL.VERSION; // 1
 * ```
 */
export const IOAM6_GENL: { readonly VERSION: number } = cTable("linux/ioam6_genl.h", "IOAM6_GENL_", { VERSION: 1 });

/**
 * The longest data a schema holds (IOAM6_MAX_SCHEMA_DATA_LEN, bytes: 255
 * words of 4).
 *
 * @example
 * ```ts
 * import { IOAM6_MAX } from "./attrs.ts";
 * IOAM6_MAX.SCHEMA_DATA_LEN; // 1020
 * ```
 */
export const IOAM6_MAX: { readonly SCHEMA_DATA_LEN: number } = cTable("linux/ioam6_genl.h", "IOAM6_MAX_", {
  SCHEMA_DATA_LEN: 1020,
});

/**
 * The family's commands (IOAM6_CMD_*): add, delete and dump IOAM namespaces
 * and schemas, and attach a schema to a namespace (or detach it).
 *
 * @example
 * ```ts
 * import { IOAM6_CMD } from "./attrs.ts";
 * IOAM6_CMD.value("ns_set_schema"); // 7
 * ```
 */
export const IOAM6_CMD: EnumTable = cEnum("linux/ioam6_genl.h", "IOAM6_CMD_", {
  UNSPEC: 0,
  ADD_NAMESPACE: 1,
  DEL_NAMESPACE: 2,
  DUMP_NAMESPACES: 3,
  ADD_SCHEMA: 4,
  DEL_SCHEMA: 5,
  DUMP_SCHEMAS: 6,
  NS_SET_SCHEMA: 7,
});

/**
 * IOAM6_ATTR_*: a namespace's id (u16), data (u32) and wide data (u64), a
 * schema's id (u32) and data (bytes), and SC_NONE, the flag that detaches a
 * namespace's schema.
 */
export const IOAM6_ATTRS: AttrSchema = attrSchema("IOAM6_ATTR_", "linux/ioam6_genl.h", {
  NS_ID: { id: 1, type: "u16" },
  NS_DATA: { id: 2, type: "u32" },
  NS_DATA_WIDE: { id: 3, type: "u64" },
  SC_ID: { id: 4, type: "u32" },
  SC_DATA: { id: 5, type: "binary" },
  SC_NONE: { id: 6, type: "flag" },
  PAD: { id: 7, type: "pad" },
});

/** An IOAM6 message: genlmsghdr and IOAM6_ATTR_*. */
export const IOAM6_MESSAGE: MessageSchema = genlMessageSchema("ioam6", IOAM6_ATTRS);
