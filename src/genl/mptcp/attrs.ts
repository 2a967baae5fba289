/**
 * The MPTCP path manager's generic netlink family (`mptcp_pm`) as data: its
 * commands, endpoint flags, the attribute sets of requests and endpoints, and
 * the events of the `mptcp_pm_events` multicast group with their attributes.
 *
 * @module
 */
import { cTable } from "../../core/ctable.ts";
import { cEnum, cFlags, EnumTable, type FlagTable } from "../../core/enums.ts";
import type { MessageSchema } from "../../core/message.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { genlMessageSchema } from "../header.ts";

/** The family's name, as the controller knows it (MPTCP_PM_NAME). */
export const MPTCP_PM_NAME = "mptcp_pm";

/** The multicast group of path-manager events (MPTCP_PM_EV_GRP_NAME). */
export const MPTCP_PM_EV_GRP_NAME = "mptcp_pm_events";

/** The family's interface version (MPTCP_PM_VER), written in every request's genlmsghdr. */
export const MPTCP_PM: { readonly VER: number } = cTable("linux/mptcp.h", "MPTCP_PM_", { VER: 1 });

/**
 * The family's commands (MPTCP_PM_CMD_*).
 *
 * @example
 * ```ts
 * import { MPTCP_PM_CMD } from "./attrs.ts";
 * MPTCP_PM_CMD.value("add_addr"); // 1
 * ```
 */
export const MPTCP_PM_CMD: EnumTable = cEnum("linux/mptcp.h", "MPTCP_PM_CMD_", {
  UNSPEC: 0,
  ADD_ADDR: 1,
  DEL_ADDR: 2,
  GET_ADDR: 3,
  FLUSH_ADDRS: 4,
  SET_LIMITS: 5,
  GET_LIMITS: 6,
  SET_FLAGS: 7,
  ANNOUNCE: 8,
  REMOVE: 9,
  SUBFLOW_CREATE: 10,
  SUBFLOW_DESTROY: 11,
});

/**
 * Endpoint flags (MPTCP_PM_ADDR_FLAG_*): `signal` (announce the address to
 * peers), `subflow` (open subflows from it), `backup`, `fullmesh` (a subflow
 * to every address the peer announced), `implicit` (made by the kernel for an
 * address a subflow used, never configured).
 */
export const MPTCP_PM_ADDR_FLAG: FlagTable = cFlags("linux/mptcp.h", "MPTCP_PM_ADDR_FLAG_", {
  SIGNAL: 1 << 0,
  SUBFLOW: 1 << 1,
  BACKUP: 1 << 2,
  FULLMESH: 1 << 3,
  IMPLICIT: 1 << 4,
});

/** MPTCP_PM_ADDR_ATTR_*: one endpoint (its id, address, port, flags and device). */
export const MPTCP_PM_ADDR_ATTRS: AttrSchema = attrSchema("MPTCP_PM_ADDR_ATTR_", "linux/mptcp.h", {
  FAMILY: { id: 1, type: "u16" },
  ID: { id: 2, type: "u8" },
  ADDR4: { id: 3, type: "ipv4" },
  ADDR6: { id: 4, type: "ipv6" },
  PORT: { id: 5, type: "u16" },
  FLAGS: { id: 6, type: "u32", flags: MPTCP_PM_ADDR_FLAG },
  IF_IDX: { id: 7, type: "s32", name: "ifindex" },
});

/**
 * MPTCP_PM_ATTR_*: a path-manager request or reply: an endpoint (nested,
 * with NLA_F_NESTED as iproute2 sends it), the limits, and the token, local
 * id and remote address of the commands that act on one connection.
 */
export const MPTCP_PM_ATTRS: AttrSchema = attrSchema("MPTCP_PM_ATTR_", "linux/mptcp.h", {
  ADDR: { id: 1, type: "nested", schema: MPTCP_PM_ADDR_ATTRS, nestedFlag: true },
  RCV_ADD_ADDRS: { id: 2, type: "u32" },
  SUBFLOWS: { id: 3, type: "u32" },
  TOKEN: { id: 4, type: "u32" },
  LOC_ID: { id: 5, type: "u8" },
  ADDR_REMOTE: { id: 6, type: "nested", schema: MPTCP_PM_ADDR_ATTRS, nestedFlag: true },
});

/** An `mptcp_pm` command message: genlmsghdr and MPTCP_PM_ATTR_*. */
export const MPTCP_PM_MESSAGE: MessageSchema = genlMessageSchema("mptcp_pm", MPTCP_PM_ATTRS);

/** The events the installed C headers define (MPTCP_EVENT_*), audited. */
const HEADER_EVENTS = cTable("linux/mptcp.h", "MPTCP_EVENT_", {
  UNSPEC: 0,
  CREATED: 1,
  ESTABLISHED: 2,
  CLOSED: 3,
  ANNOUNCED: 6,
  REMOVED: 7,
  SUB_ESTABLISHED: 10,
  SUB_CLOSED: 11,
  SUB_PRIORITY: 13,
});

/**
 * The listener events (Linux 6.2) are newer than the C headers this project
 * is audited against; their numbers come from the kernel's netlink spec
 * (Documentation/netlink/specs/mptcp_pm.yaml), so they are not audited.
 */
const SPEC_EVENTS = cTable("", "MPTCP_EVENT_", { LISTENER_CREATED: 15, LISTENER_CLOSED: 16 });

/**
 * Event types (enum mptcp_event_type), named in lower case: `created`,
 * `established`, `closed`, `announced`, `removed`, `sub_established`,
 * `sub_closed`, `sub_priority`, `listener_created`, `listener_closed`.
 *
 * @example
 * ```ts
 * import { MPTCP_EVENT } from "./attrs.ts";
 * MPTCP_EVENT.name(10); // "sub_established"
 * ```
 */
export const MPTCP_EVENT: EnumTable = new EnumTable("MPTCP_EVENT_", { ...HEADER_EVENTS, ...SPEC_EVENTS }, "lower");

/** MPTCP_ATTR_*: what an event says (which attributes come depends on the event). */
export const MPTCP_EVENT_ATTRS: AttrSchema = attrSchema("MPTCP_ATTR_", "linux/mptcp.h", {
  TOKEN: { id: 1, type: "u32" },
  FAMILY: { id: 2, type: "u16" },
  LOC_ID: { id: 3, type: "u8" },
  REM_ID: { id: 4, type: "u8" },
  SADDR4: { id: 5, type: "ipv4" },
  SADDR6: { id: 6, type: "ipv6" },
  DADDR4: { id: 7, type: "ipv4" },
  DADDR6: { id: 8, type: "ipv6" },
  SPORT: { id: 9, type: "be16" },
  DPORT: { id: 10, type: "be16" },
  BACKUP: { id: 11, type: "u8" },
  ERROR: { id: 12, type: "u8" },
  FLAGS: { id: 13, type: "u16" },
  TIMEOUT: { id: 14, type: "u32" },
  IF_IDX: { id: 15, type: "s32", name: "ifindex" },
  RESET_REASON: { id: 16, type: "u32" },
  RESET_FLAGS: { id: 17, type: "u32" },
  SERVER_SIDE: { id: 18, type: "u8" },
});

/** An `mptcp_pm_events` message: genlmsghdr (the event type in `cmd`) and MPTCP_ATTR_*. */
export const MPTCP_EVENT_MESSAGE: MessageSchema = genlMessageSchema("mptcp_pm event", MPTCP_EVENT_ATTRS);
