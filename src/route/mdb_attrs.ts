/**
 * The bridge multicast database (RTM_*MDB) as data: struct br_port_msg, the
 * MDBA_* tree the kernel sends (entries with struct br_mdb_entry and their
 * MDBA_MDB_EATTR_* attributes, multicast router ports) and the MDBA_SET_*
 * attributes of add/del requests.
 *
 * @module
 */
import { cEnum, type EnumTable } from "../core/enums.ts";
import { type MessageSchema, messageSchema } from "../core/message.ts";
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { FAMILY, familyNumber } from "./constants.ts";
import { MDB_RTR_TYPE } from "./bridge_attrs.ts";
import { RTPROT } from "./route_attrs.ts";
import { MDB_FLAGS, MDB_STATE } from "./tables.ts";
export { MDB_FLAGS, MDB_STATE } from "./tables.ts";

/** IGMPv3/MLDv2 filter modes (MCAST_EXCLUDE, MCAST_INCLUDE). */
export const MCAST_FILTER_MODE: EnumTable = cEnum("linux/in.h", "MCAST_", { EXCLUDE: 0, INCLUDE: 1 });

/** struct br_port_msg: the MDB message header (family AF_BRIDGE, the bridge's ifindex). */
export const BR_PORT_MSG: StructDef = cStruct("linux/if_bridge.h", "struct br_port_msg", [
  { c: "family", type: "u8", enum: FAMILY },
  { c: "ifindex", type: "u32" },
]);

/**
 * struct br_mdb_entry: the port, state, flags, VLAN and group of one entry.
 * The group is a union (IPv4, IPv6 or MAC address) told apart by `proto`
 * (ETH_P_IP, ETH_P_IPV6, or 0 for a layer-2 group).
 */
export const BR_MDB_ENTRY: StructDef = cStruct("linux/if_bridge.h", "struct br_mdb_entry", [
  { c: "ifindex", type: "u32", name: "port" },
  { c: "state", type: "u8", enum: MDB_STATE },
  { c: "flags", type: "u8", flags: MDB_FLAGS },
  { c: "vid", type: "u16" },
  { c: "addr.u", type: "bytes", size: 16, name: "addr" },
  { c: "addr.proto", type: "be16", name: "proto" },
]);

/**
 * A router port record (MDBA_ROUTER_PORT): a bare u32 ifindex followed by
 * MDBA_ROUTER_PATTR_* attributes (older kernels send the ifindex alone).
 */
const ROUTER_PORT_HEAD: StructDef = cStruct("linux/types.h", "__u32", [{ type: "u32", name: "port" }]);

const SRCATTR_ATTRS = attrSchema("MDBA_MDB_SRCATTR_", "linux/if_bridge.h", {
  ADDRESS: { id: 1, type: "addr" },
  TIMER: { id: 2, type: "u32" },
});

const SRCLIST_ATTRS = attrSchema("MDBA_MDB_SRCLIST_", "linux/if_bridge.h", {
  ENTRY: { id: 1, type: "nested", schema: SRCATTR_ATTRS, multi: true },
});

/** MDBA_MDB_EATTR_*: what follows struct br_mdb_entry in MDBA_MDB_ENTRY_INFO. */
export const MDB_EATTR_ATTRS: AttrSchema = attrSchema("MDBA_MDB_EATTR_", "linux/if_bridge.h", {
  TIMER: { id: 1, type: "u32" },
  SRC_LIST: { id: 2, type: "nested", schema: SRCLIST_ATTRS, name: "sourceList" },
  GROUP_MODE: { id: 3, type: "u8", enum: MCAST_FILTER_MODE, name: "filterMode" },
  SOURCE: { id: 4, type: "addr" },
  RTPROT: { id: 5, type: "u8", enum: RTPROT, name: "protocol" },
  // VXLAN MDB entries (Linux 6.5), newer than the audited headers; numbers
  // from the kernel's include/uapi/linux/if_bridge.h.
  DST: { id: 6, type: "addr", since: "6.5" },
  DST_PORT: { id: 7, type: "u16", since: "6.5" },
  VNI: { id: 8, type: "u32", since: "6.5" },
  IFINDEX: { id: 9, type: "u32", name: "remoteIfindex", since: "6.5" },
  SRC_VNI: { id: 10, type: "u32", since: "6.5" },
});

const MDB_ENTRY_ATTRS = attrSchema("MDBA_MDB_ENTRY_", "linux/if_bridge.h", {
  INFO: { id: 1, type: "message", struct: BR_MDB_ENTRY, schema: MDB_EATTR_ATTRS, multi: true },
});

const MDB_LIST_ATTRS = attrSchema("MDBA_MDB_", "linux/if_bridge.h", {
  ENTRY: { id: 1, type: "nested", schema: MDB_ENTRY_ATTRS, multi: true },
});

/** MDBA_ROUTER_PATTR_*: a router port's timers, type and VLAN. */
const ROUTER_PATTR_ATTRS = attrSchema("MDBA_ROUTER_PATTR_", "linux/if_bridge.h", {
  TIMER: { id: 1, type: "u32" },
  TYPE: { id: 2, type: "u8", enum: MDB_RTR_TYPE },
  INET_TIMER: { id: 3, type: "u32" },
  INET6_TIMER: { id: 4, type: "u32" },
  VID: { id: 5, type: "u16" },
});

/** MDBA_ROUTER_*: the multicast router ports (also a VLAN's, in BRIDGE_VLANDB_GOPTS_MCAST_ROUTER_PORTS). */
export const MDB_ROUTER_ATTRS: AttrSchema = attrSchema("MDBA_ROUTER_", "linux/if_bridge.h", {
  PORT: { id: 1, type: "message", struct: ROUTER_PORT_HEAD, schema: ROUTER_PATTR_ATTRS, multi: true },
});

/** MDBA_*: a dump reply or notification. */
const MDB_ATTRS = attrSchema("MDBA_", "linux/if_bridge.h", {
  MDB: { id: 1, type: "nested", schema: MDB_LIST_ATTRS },
  ROUTER: { id: 2, type: "nested", schema: MDB_ROUTER_ATTRS },
});

/** MDBE_ATTR_*: an entry's extra attributes in an add/del request. */
const MDBE_ATTRS = attrSchema("MDBE_ATTR_", "linux/if_bridge.h", {
  SOURCE: { id: 1, type: "addr" },
});

/** MDBA_SET_*: an add/del request's entry and its attributes (iproute2 marks the latter NLA_F_NESTED). */
const MDB_SET_ATTRS = attrSchema("MDBA_SET_", "linux/if_bridge.h", {
  ENTRY: { id: 1, type: "struct", struct: BR_MDB_ENTRY },
  ENTRY_ATTRS: { id: 2, type: "nested", schema: MDBE_ATTRS, nestedFlag: true },
});

/** An MDB dump reply or RTM_NEWMDB/RTM_DELMDB notification: br_port_msg + MDBA_*. */
export const MDB_MESSAGE: MessageSchema = messageSchema("mdb", BR_PORT_MSG, MDB_ATTRS, "family", familyNumber);

/** An MDB add/del request: br_port_msg + MDBA_SET_*. */
export const MDB_SET_MESSAGE: MessageSchema = messageSchema(
  "mdb",
  BR_PORT_MSG,
  MDB_SET_ATTRS,
  "family",
  familyNumber,
);
