/**
 * nlink: Linux network management over netlink, for Deno.
 *
 * Open a {@linkcode Connection} (in your namespace or another), then read and
 * change links, addresses and routes; batch thousands of changes; watch events.
 * Needs `--allow-ffi` (and `--allow-read` to list named namespaces).
 *
 * @example
 * ```ts ignore
 * import { Connection } from "@nlink/nlink";
 *
 * using conn = await Connection.open();
 * for (const link of await conn.getLinks()) {
 *   console.log(link.index, link.name, link.operstate);
 * }
 * await conn.addRoute({ dst: "10.0.0.0/24", dev: "p0", gateway: "192.0.2.1" });
 * ```
 *
 * @module
 */

export { Connection } from "./src/route/connection.ts";
export type { Batch, BatchItemResult, BatchResult } from "./src/route/batch.ts";
export type {
  AddLinkOptions,
  Dev,
  GenericLinkOptions,
  GetLinksOptions,
  LinkCommonOptions,
  SetLinkOptions,
  VethOptions,
} from "./src/route/link.ts";
export type { Link, LinkAfSpec, LinkInfo, LinkStats, LinkXdp } from "./src/route/link_types.ts";
export { ARPHRD, IF_LINK_MODE, IF_OPER, IFF } from "./src/route/link_header.ts";
export type { Address, AddressFlag, AddressOptions, GetAddressesOptions } from "./src/route/addr.ts";
export { IFA_F, IFAPROT } from "./src/route/addr_attrs.ts";
export type {
  GetRoutesOptions,
  NexthopOptions,
  Route,
  RouteMetrics,
  RouteNexthop,
  RouteOptions,
  Table,
} from "./src/route/route.ts";
export type { Via } from "./src/route/route_attrs.ts";
export {
  LWTUNNEL_ENCAP,
  NEXTHOP_FLAGS,
  ROUTE_FLAGS,
  ROUTER_PREF,
  RT_SCOPE,
  RTN,
  RTPROT,
  TABLE_NAMES,
} from "./src/route/route_attrs.ts";
export { EnumTable, FlagTable } from "./src/core/enums.ts";

export {
  type EventGroup,
  type EventOptions,
  type NetworkEvent,
  type ResyncTables,
  type WatchedNamespace,
  watchNamespaces,
} from "./src/route/events.ts";
export { type LinkCounters, type LinkRates, statsDelta, type StatsSnapshot, StatsTracker } from "./src/route/stats.ts";
export type { NamespaceId } from "./src/route/nsid.ts";

export {
  DecodeError,
  DumpInterruptedError,
  type ExtendedAck,
  NetlinkError,
  PermissionError,
  ValidationError,
} from "./src/core/errors.ts";
export {
  type BatchOutcome,
  type ConnectionOptions,
  type Decoder,
  type DumpInterruptPolicy,
  type DumpOptions,
  NetlinkConnection,
  type StreamOptions,
} from "./src/core/connection.ts";
export type { MessageView } from "./src/core/message.ts";
export type { RawAttribute } from "./src/core/schema.ts";
export { MessageWriter } from "./src/core/writer.ts";
export { NetlinkSocket, type SocketOptions } from "./ffi/socket.ts";

export {
  formatIP,
  formatIPv4,
  formatIPv6,
  formatMac,
  ipFamily,
  parseIP,
  parseIPv4,
  parseIPv4Into,
  parseIPv6,
  parseIPv6Into,
  parseMac,
  parsePrefix,
  type Prefix,
} from "./src/util/addr.ts";
export {
  addNetns,
  deleteNetns,
  listNetns,
  NETNS_RUN_DIR,
  netnsExists,
  netnsPath,
  type NetnsTarget,
} from "./src/netns/mod.ts";
