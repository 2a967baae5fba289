/**
 * rtnetlink's constant tables alone (interface flags and types, address
 * flags, route types, scopes, protocols, tables, flags): for programs that
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
