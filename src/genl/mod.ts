/**
 * Generic netlink (`@nlink/nlink/genl`): {@linkcode GenlConnection}, which
 * finds families through the controller and keeps their ids, and the MPTCP
 * path manager's constants. The families nlink types — ethtool link modes,
 * the MPTCP path manager, segment routing — are methods of
 * `Connection` (`getLinkModes`, `addMptcpEndpoint`, `getSeg6Hmacs`, …), whose
 * types the root module exports too; so is the TCP metrics cache
 * (`getTcpMetrics`, `deleteTcpMetrics`, `flushTcpMetrics`, …), whose
 * functions this module also exports with their request builder and decoder,
 * and so are IPv6 IOAM namespaces and schemas (`getIoamNamespaces`,
 * `addIoamSchema`, `setIoamNamespaceSchema`, …).
 * A subpath of its own, so that a program that does not use generic netlink
 * does not load it at start-up.
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
export {
  addIoamNamespace,
  addIoamSchema,
  decodeIoamNamespace,
  decodeIoamSchema,
  delIoamNamespace,
  delIoamSchema,
  getIoamNamespaces,
  getIoamSchemas,
  ioamRequest,
  setIoamNamespaceSchema,
} from "./ioam6/ioam6.ts";
export type { IoamNamespace, IoamNamespaceOptions, IoamRequest, IoamSchema, IoamSchemaOptions } from "./ioam6/ioam6.ts";
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
export {
  decodeTcpMetrics,
  deleteTcpMetrics,
  flushTcpMetrics,
  getTcpMetric,
  getTcpMetrics,
  tcpMetricsFilter,
  tcpMetricsRequest,
} from "./tcp_metrics/tcp_metrics.ts";
export type {
  TcpMetricsCommand,
  TcpMetricsEntry,
  TcpMetricsFamily,
  TcpMetricsFilter,
  TcpMetricsFlushOptions,
  TcpMetricsSelector,
  TcpMetricValues,
} from "./tcp_metrics/tcp_metrics.ts";
