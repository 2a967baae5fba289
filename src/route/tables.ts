/**
 * rtnetlink's constant tables alone (interface flags and types, address
 * flags, route types, scopes, protocols, tables and flags, neighbour states
 * and flags, rule actions, bridge port states and multicast flags,
 * nexthop group types, link dump filters): for programs that
 * print what they read and want the names without loading the operations
 * (`jsr:@nlink/nlink/tables`). The root module exports the same objects.
 *
 * @example
 * ```ts
 * import { IFF, RT_SCOPE } from "./tables.ts";
 * IFF.bit("UP"); // 1
 * RT_SCOPE.name(253); // "link"
 * ```
 *
 * @module
 */
export { ARPHRD, IF_LINK_MODE, IF_OPER, IFF } from "./link_header.ts";
export { IFA_F, IFAPROT } from "./addr_attrs.ts";
export {
  LWTUNNEL_ENCAP,
  NEXTHOP_FLAGS,
  ROUTE_FLAGS,
  ROUTE_IPPROTO,
  ROUTER_PREF,
  RT_SCOPE,
  RT_TABLE,
  RTN,
  RTNL_FAMILY,
  RTPROT,
  TABLE_NAMES,
} from "./route_attrs.ts";
export { NTF, NTF_EXT, NUD, type NudState } from "./neigh_attrs.ts";
export { RTEXT_FILTER } from "./constants.ts";
export { FIB_RULE_FLAGS, FR_ACT, IPPROTO } from "./rule_attrs.ts";
export { NEXTHOP_GRP_TYPE } from "./nexthop_attrs.ts";
export { MDB_FLAGS, MDB_STATE } from "./mdb_attrs.ts";
export {
  BR_STATE,
  BRIDGE_VLAN_INFO,
  type BridgePortState,
  MDB_RTR_TYPE,
  type MulticastRouterType,
} from "./bridge_attrs.ts";
