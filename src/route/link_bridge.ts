/**
 * Bridge link data as data: IFLA_BR_* (the bridge itself, IFLA_INFO_DATA of
 * kind "bridge") and IFLA_BRPORT_* (a port, IFLA_INFO_SLAVE_DATA of slave kind
 * "bridge").
 *
 * @module
 */
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { cStruct } from "../core/struct.ts";

/** struct ifla_bridge_id: a bridge id, priority then MAC address. */
export const IFLA_BRIDGE_ID = cStruct("linux/if_link.h", "struct ifla_bridge_id", [
  { c: "prio", type: "be16" },
  { c: "addr", type: "mac", size: 6, name: "address" },
]);

/** struct br_boolopt_multi: bridge boolean options (bit per option) and which ones apply. */
export const BR_BOOLOPT_MULTI = cStruct("linux/if_bridge.h", "struct br_boolopt_multi", [
  { c: "optval", type: "u32" },
  { c: "optmask", type: "u32" },
]);

/** The multicast querier the bridge currently sees (BRIDGE_QUERIER_*). */
const QUERIER_STATE_ATTRS = attrSchema("BRIDGE_QUERIER_", "linux/if_bridge.h", {
  IP_ADDRESS: { id: 1, type: "ipv4" },
  IP_PORT: { id: 2, type: "u32" },
  IP_OTHER_TIMER: { id: 3, type: "u64" },
  PAD: { id: 4, type: "pad" },
  IPV6_ADDRESS: { id: 5, type: "ipv6" },
  IPV6_PORT: { id: 6, type: "u32" },
  IPV6_OTHER_TIMER: { id: 7, type: "u64" },
});

/** IFLA_BR_*: a bridge's settings and state (timers in 1/100 s, as the kernel reports them). */
export const BRIDGE_ATTRS: AttrSchema = attrSchema("IFLA_BR_", "linux/if_link.h", {
  FORWARD_DELAY: { id: 1, type: "u32" },
  HELLO_TIME: { id: 2, type: "u32" },
  MAX_AGE: { id: 3, type: "u32" },
  AGEING_TIME: { id: 4, type: "u32" },
  STP_STATE: { id: 5, type: "u32" },
  PRIORITY: { id: 6, type: "u16" },
  VLAN_FILTERING: { id: 7, type: "u8" },
  VLAN_PROTOCOL: { id: 8, type: "be16" },
  GROUP_FWD_MASK: { id: 9, type: "u16" },
  ROOT_ID: { id: 10, type: "struct", struct: IFLA_BRIDGE_ID },
  BRIDGE_ID: { id: 11, type: "struct", struct: IFLA_BRIDGE_ID },
  ROOT_PORT: { id: 12, type: "u16" },
  ROOT_PATH_COST: { id: 13, type: "u32" },
  TOPOLOGY_CHANGE: { id: 14, type: "u8" },
  TOPOLOGY_CHANGE_DETECTED: { id: 15, type: "u8" },
  HELLO_TIMER: { id: 16, type: "u64" },
  TCN_TIMER: { id: 17, type: "u64" },
  TOPOLOGY_CHANGE_TIMER: { id: 18, type: "u64" },
  GC_TIMER: { id: 19, type: "u64" },
  GROUP_ADDR: { id: 20, type: "lladdr" },
  FDB_FLUSH: { id: 21, type: "flag" },
  MCAST_ROUTER: { id: 22, type: "u8" },
  MCAST_SNOOPING: { id: 23, type: "u8" },
  MCAST_QUERY_USE_IFADDR: { id: 24, type: "u8" },
  MCAST_QUERIER: { id: 25, type: "u8" },
  MCAST_HASH_ELASTICITY: { id: 26, type: "u32" },
  MCAST_HASH_MAX: { id: 27, type: "u32" },
  MCAST_LAST_MEMBER_CNT: { id: 28, type: "u32" },
  MCAST_STARTUP_QUERY_CNT: { id: 29, type: "u32" },
  MCAST_LAST_MEMBER_INTVL: { id: 30, type: "u64" },
  MCAST_MEMBERSHIP_INTVL: { id: 31, type: "u64" },
  MCAST_QUERIER_INTVL: { id: 32, type: "u64" },
  MCAST_QUERY_INTVL: { id: 33, type: "u64" },
  MCAST_QUERY_RESPONSE_INTVL: { id: 34, type: "u64" },
  MCAST_STARTUP_QUERY_INTVL: { id: 35, type: "u64" },
  NF_CALL_IPTABLES: { id: 36, type: "u8" },
  NF_CALL_IP6TABLES: { id: 37, type: "u8" },
  NF_CALL_ARPTABLES: { id: 38, type: "u8" },
  VLAN_DEFAULT_PVID: { id: 39, type: "u16" },
  PAD: { id: 40, type: "pad" },
  VLAN_STATS_ENABLED: { id: 41, type: "u8" },
  MCAST_STATS_ENABLED: { id: 42, type: "u8" },
  MCAST_IGMP_VERSION: { id: 43, type: "u8" },
  MCAST_MLD_VERSION: { id: 44, type: "u8" },
  VLAN_STATS_PER_PORT: { id: 45, type: "u8" },
  MULTI_BOOLOPT: { id: 46, type: "struct", struct: BR_BOOLOPT_MULTI },
  MCAST_QUERIER_STATE: { id: 47, type: "nested", schema: QUERIER_STATE_ATTRS },
  // Newer than the audited headers; numbers from the kernel's rt-link spec.
  FDB_N_LEARNED: { id: 48, type: "u32", since: "6.8" },
  FDB_MAX_LEARNED: { id: 49, type: "u32", since: "6.8" },
});

/**
 * IFLA_BRPORT_*: a bridge port's settings and state. The on/off settings are
 * u8 on the wire (0 or 1), as the kernel sends and expects them.
 */
export const BRIDGE_PORT_ATTRS: AttrSchema = attrSchema("IFLA_BRPORT_", "linux/if_link.h", {
  STATE: { id: 1, type: "u8" },
  PRIORITY: { id: 2, type: "u16" },
  COST: { id: 3, type: "u32" },
  MODE: { id: 4, type: "u8" },
  GUARD: { id: 5, type: "u8" },
  PROTECT: { id: 6, type: "u8" },
  FAST_LEAVE: { id: 7, type: "u8" },
  LEARNING: { id: 8, type: "u8" },
  UNICAST_FLOOD: { id: 9, type: "u8" },
  PROXYARP: { id: 10, type: "u8" },
  LEARNING_SYNC: { id: 11, type: "u8" },
  PROXYARP_WIFI: { id: 12, type: "u8" },
  ROOT_ID: { id: 13, type: "struct", struct: IFLA_BRIDGE_ID },
  BRIDGE_ID: { id: 14, type: "struct", struct: IFLA_BRIDGE_ID },
  DESIGNATED_PORT: { id: 15, type: "u16" },
  DESIGNATED_COST: { id: 16, type: "u16" },
  ID: { id: 17, type: "u16" },
  NO: { id: 18, type: "u16" },
  TOPOLOGY_CHANGE_ACK: { id: 19, type: "u8" },
  CONFIG_PENDING: { id: 20, type: "u8" },
  MESSAGE_AGE_TIMER: { id: 21, type: "u64" },
  FORWARD_DELAY_TIMER: { id: 22, type: "u64" },
  HOLD_TIMER: { id: 23, type: "u64" },
  FLUSH: { id: 24, type: "flag" },
  MULTICAST_ROUTER: { id: 25, type: "u8" },
  PAD: { id: 26, type: "pad" },
  MCAST_FLOOD: { id: 27, type: "u8" },
  MCAST_TO_UCAST: { id: 28, type: "u8" },
  VLAN_TUNNEL: { id: 29, type: "u8" },
  BCAST_FLOOD: { id: 30, type: "u8" },
  GROUP_FWD_MASK: { id: 31, type: "u16" },
  NEIGH_SUPPRESS: { id: 32, type: "u8" },
  ISOLATED: { id: 33, type: "u8" },
  BACKUP_PORT: { id: 34, type: "u32" },
  MRP_RING_OPEN: { id: 35, type: "u8" },
  MRP_IN_OPEN: { id: 36, type: "u8" },
  MCAST_EHT_HOSTS_LIMIT: { id: 37, type: "u32" },
  MCAST_EHT_HOSTS_CNT: { id: 38, type: "u32" },
  LOCKED: { id: 39, type: "u8" },
  // Newer than the audited headers; numbers from the kernel's rt-link spec.
  MAB: { id: 40, type: "u8", since: "6.2" },
  MCAST_N_GROUPS: { id: 41, type: "u32", since: "6.3" },
  MCAST_MAX_GROUPS: { id: 42, type: "u32", since: "6.3" },
  NEIGH_VLAN_SUPPRESS: { id: 43, type: "u8", since: "6.6" },
  BACKUP_NHID: { id: 44, type: "u32", since: "6.7" },
});
