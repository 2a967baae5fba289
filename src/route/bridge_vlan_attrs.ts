/**
 * The bridge VLAN database (RTM_NEWVLAN / RTM_DELVLAN / RTM_GETVLAN) as data:
 * struct br_vlan_msg, per-VLAN entries (BRIDGE_VLANDB_ENTRY_*: state,
 * multicast router, tunnel id, statistics) and a bridge's global per-VLAN
 * options (BRIDGE_VLANDB_GOPTS_*: multicast snooping and its timers).
 *
 * @module
 */
import { cFlags, type FlagTable } from "../core/enums.ts";
import { type MessageSchema, messageSchema } from "../core/message.ts";
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { FAMILY, familyNumber } from "./constants.ts";
import { BOOL_U8, BR_STATE, BRIDGE_VLAN_INFO_STRUCT, MDB_RTR_TYPE } from "./bridge_attrs.ts";
import { MDB_ROUTER_ATTRS } from "./mdb_attrs.ts";

/** BRIDGE_VLANDB_DUMPF_*: what a VLAN dump includes. */
export const BRIDGE_VLANDB_DUMPF: FlagTable = cFlags("linux/if_bridge.h", "BRIDGE_VLANDB_DUMPF_", {
  STATS: 1 << 0,
  GLOBAL: 1 << 1,
});

/** struct br_vlan_msg: family AF_BRIDGE and the device's ifindex (0: every device, in dumps). */
export const BR_VLAN_MSG: StructDef = cStruct("linux/if_bridge.h", "struct br_vlan_msg", [
  { c: "family", type: "u8", enum: FAMILY },
  { type: "pad", size: 3 }, // reserved1, reserved2
  { c: "ifindex", type: "u32" },
]);

const TINFO_ATTRS = attrSchema("BRIDGE_VLANDB_TINFO_", "linux/if_bridge.h", {
  ID: { id: 1, type: "u32" },
  CMD: { id: 2, type: "u32" },
});

const STATS_ATTRS = attrSchema("BRIDGE_VLANDB_STATS_", "linux/if_bridge.h", {
  RX_BYTES: { id: 1, type: "u64" },
  RX_PACKETS: { id: 2, type: "u64" },
  TX_BYTES: { id: 3, type: "u64" },
  TX_PACKETS: { id: 4, type: "u64" },
  PAD: { id: 5, type: "pad" },
});

/** BRIDGE_VLANDB_ENTRY_*: one VLAN (or range) of a port or of the bridge itself. */
export const VLANDB_ENTRY_ATTRS: AttrSchema = attrSchema("BRIDGE_VLANDB_ENTRY_", "linux/if_bridge.h", {
  INFO: { id: 1, type: "struct", struct: BRIDGE_VLAN_INFO_STRUCT },
  RANGE: { id: 2, type: "u16" },
  STATE: { id: 3, type: "u8", enum: BR_STATE },
  TUNNEL_INFO: { id: 4, type: "nested", schema: TINFO_ATTRS },
  STATS: { id: 5, type: "nested", schema: STATS_ATTRS },
  MCAST_ROUTER: { id: 6, type: "u8", enum: MDB_RTR_TYPE },
  // Newer than the audited headers; numbers from the kernel's include/uapi/linux/if_bridge.h.
  MCAST_N_GROUPS: { id: 7, type: "u32", since: "6.3" },
  MCAST_MAX_GROUPS: { id: 8, type: "u32", since: "6.3" },
  NEIGH_SUPPRESS: { id: 9, type: "custom", codec: BOOL_U8, since: "6.6" },
});

/** The multicast querier a VLAN currently sees (BRIDGE_QUERIER_*). */
const QUERIER_STATE_ATTRS = attrSchema("BRIDGE_QUERIER_", "linux/if_bridge.h", {
  IP_ADDRESS: { id: 1, type: "ipv4" },
  IP_PORT: { id: 2, type: "u32" },
  IP_OTHER_TIMER: { id: 3, type: "u64" },
  PAD: { id: 4, type: "pad" },
  IPV6_ADDRESS: { id: 5, type: "ipv6" },
  IPV6_PORT: { id: 6, type: "u32" },
  IPV6_OTHER_TIMER: { id: 7, type: "u64" },
});

/** BRIDGE_VLANDB_GOPTS_*: a bridge's options for one VLAN (or range); timers in 1/100 s. */
export const VLANDB_GOPTS_ATTRS: AttrSchema = attrSchema("BRIDGE_VLANDB_GOPTS_", "linux/if_bridge.h", {
  ID: { id: 1, type: "u16", name: "vid" },
  RANGE: { id: 2, type: "u16", name: "vidEnd" },
  MCAST_SNOOPING: { id: 3, type: "custom", codec: BOOL_U8 },
  MCAST_IGMP_VERSION: { id: 4, type: "u8" },
  MCAST_MLD_VERSION: { id: 5, type: "u8" },
  MCAST_LAST_MEMBER_CNT: { id: 6, type: "u32", name: "mcastLastMemberCount" },
  MCAST_STARTUP_QUERY_CNT: { id: 7, type: "u32", name: "mcastStartupQueryCount" },
  MCAST_LAST_MEMBER_INTVL: { id: 8, type: "u64", name: "mcastLastMemberInterval" },
  PAD: { id: 9, type: "pad" },
  MCAST_MEMBERSHIP_INTVL: { id: 10, type: "u64", name: "mcastMembershipInterval" },
  MCAST_QUERIER_INTVL: { id: 11, type: "u64", name: "mcastQuerierInterval" },
  MCAST_QUERY_INTVL: { id: 12, type: "u64", name: "mcastQueryInterval" },
  MCAST_QUERY_RESPONSE_INTVL: { id: 13, type: "u64", name: "mcastQueryResponseInterval" },
  MCAST_STARTUP_QUERY_INTVL: { id: 14, type: "u64", name: "mcastStartupQueryInterval" },
  MCAST_QUERIER: { id: 15, type: "custom", codec: BOOL_U8 },
  MCAST_ROUTER_PORTS: { id: 16, type: "nested", schema: MDB_ROUTER_ATTRS },
  MCAST_QUERIER_STATE: { id: 17, type: "nested", schema: QUERIER_STATE_ATTRS },
  MSTI: { id: 18, type: "u16" },
});

/** BRIDGE_VLANDB_*: entries and global options (both marked NLA_F_NESTED, as iproute2 and the kernel do). */
const VLANDB_ATTRS = attrSchema("BRIDGE_VLANDB_", "linux/if_bridge.h", {
  ENTRY: { id: 1, type: "nested", schema: VLANDB_ENTRY_ATTRS, multi: true, nestedFlag: true },
  GLOBAL_OPTIONS: { id: 2, type: "nested", schema: VLANDB_GOPTS_ATTRS, multi: true, nestedFlag: true },
});

/** BRIDGE_VLANDB_DUMP_*: the attributes of a dump request. */
const VLANDB_DUMP_ATTRS = attrSchema("BRIDGE_VLANDB_DUMP_", "linux/if_bridge.h", {
  FLAGS: { id: 1, type: "u32", flags: BRIDGE_VLANDB_DUMPF },
});

/** A VLAN message (dump reply, notification, or set request): br_vlan_msg + BRIDGE_VLANDB_*. */
export const VLANDB_MESSAGE: MessageSchema = messageSchema("vlan", BR_VLAN_MSG, VLANDB_ATTRS, "family", familyNumber);

/** An RTM_GETVLAN dump request: br_vlan_msg + BRIDGE_VLANDB_DUMP_*. */
export const VLANDB_DUMP_MESSAGE: MessageSchema = messageSchema(
  "vlan dump",
  BR_VLAN_MSG,
  VLANDB_DUMP_ATTRS,
  "family",
  familyNumber,
);
