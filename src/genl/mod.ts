/**
 * Generic netlink (`@nlink/nlink/genl`): {@linkcode GenlConnection}, which
 * finds families through the controller and keeps their ids, and the MPTCP
 * path manager's constants. The families nlink types — ethtool link modes,
 * the MPTCP path manager, segment routing — are methods of
 * `Connection` (`getLinkModes`, `addMptcpEndpoint`, `getSeg6Hmacs`, …), whose
 * types the root module exports too. A subpath of its own, so that a program
 * that does not use generic netlink does not load it at start-up.
 *
 * @example
 * ```ts ignore
 * import { GenlConnection } from "@nlink/nlink/genl";
 * using genl = GenlConnection.open();
 * const ethtool = await genl.family("ethtool");
 * console.log(ethtool.id, ethtool.version, ethtool.mcastGroups);
 * ```
 *
 * @module
 */
export { GenlConnection } from "./connection.ts";
export type { GenlFamily, GenlMulticastGroup, GenlOperation } from "./controller.ts";
export type { LinkModes } from "./ethtool/linkmodes.ts";
export { MPTCP_EVENT, MPTCP_PM_ADDR_FLAG } from "./mptcp/attrs.ts";
export type {
  MptcpEndpoint,
  MptcpEndpointChange,
  MptcpEndpointFlag,
  MptcpEndpointOptions,
  MptcpEndpointSelector,
  MptcpLimits,
} from "./mptcp/endpoints.ts";
export type { MptcpEvent, MptcpEventItem, MptcpEventOptions, MptcpEventType } from "./mptcp/events.ts";
export type { Seg6Hmac, Seg6HmacAlgorithm, Seg6HmacOptions } from "./seg6/seg6.ts";
