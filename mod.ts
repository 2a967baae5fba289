/**
 * nlink: Linux network management over netlink, for Deno.
 *
 * Open a {@linkcode Connection} (in your namespace or another), then read and
 * change links, addresses and routes; batch thousands of changes; watch events.
 * Needs `--allow-ffi` (and `--allow-read` to list named namespaces).
 *
 * Subsystems a program may not need have subpaths of their own, so that
 * importing this module loads only rtnetlink's core (and `Connection` loads
 * each group of operations on its first use):
 * `@nlink/nlink/tc` (traffic control's request builders, decoders and units),
 * `@nlink/nlink/sockdiag` (`SockDiagConnection`: sockets, as `ss` lists them),
 * `@nlink/nlink/tuntap` (`createTun`, TUN/TAP devices) and
 * `@nlink/nlink/genl` (`GenlConnection`, MPTCP constants); and the lightest
 * entry points: `@nlink/nlink/connection` (`Connection` alone),
 * `@nlink/nlink/tables` (the constant tables alone) and `@nlink/nlink/core`.
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
export type { Batch, BatchItemResult, BatchResult, PreparedBatch } from "./src/route/batch.ts";
export type {
  AddLinkOptions,
  BridgeOptions,
  Dev,
  GenericLinkOptions,
  Link,
  LinkAfSpec,
  LinkCommonOptions,
  LinkInfo,
  LinkKindDataMap,
  LinkNetns,
  LinkSlaveDataMap,
  LinkStats,
  LinkTypeChange,
  LinkVfOptions,
  LinkVfVlan,
  LinkXdp,
  SetLinkOptions,
  TunnelChange,
} from "./src/route/link_types.ts";
export type { NewLinkOptions, UnnamedLinkOptions } from "./src/route/link_types.ts";
export type { LinkFlagOptions } from "./src/route/kinds/link_common.ts";
export type * from "./src/route/kinds/types.ts";
export { needsCurrentRates, withCurrentVfRates } from "./src/route/link_vf.ts";
export { linkData, linkSlaveData } from "./src/route/link_data.ts";
export type { GetLinkNamesOptions, LinkName } from "./src/route/link_lookup.ts";
export type { GetLinksOptions, LinkXdpChange, NewLinkXdpOptions, SetLinkXdpOptions } from "./src/route/link.ts";
export type { AddressLabel, AddressLabelOptions, GetAddressLabelsOptions } from "./src/route/addrlabel.ts";
export type { Ipv6Token } from "./src/route/token.ts";
export type {
  Address,
  AddressFlag,
  AddressOptions,
  FlushAddressesOptions,
  GetAddressesOptions,
} from "./src/route/addr.ts";
export type {
  GetRoutesOptions,
  NexthopOptions,
  Route,
  RouteMetrics,
  RouteNexthop,
  RouteOptions,
  Table,
} from "./src/route/route.ts";
export { decodeRoute, forEachRoute, forEachRouteMessage } from "./src/route/route.ts";
export {
  DUMP_MAGIC,
  type DumpFileKind,
  readDumpFile,
  readSavedAddresses,
  readSavedRoutes,
  restoreAddresses,
  restoreRoutes,
  saveAddresses,
  saveRoutes,
  splitDumpFile,
} from "./src/route/dump_file.ts";
export {
  MONITOR_FILE_TIMESTAMP,
  type MonitorFile,
  type MonitorFileDamage,
  type MonitorFileEntry,
  type MonitorFileHeader,
  readMonitorFile,
} from "./src/route/monitor_file.ts";
export type { Via } from "./src/route/route_attrs.ts";
// The constant tables of links, addresses, routes, neighbours, rules, nexthops and bridges (also @nlink/nlink/tables).
export * from "./src/route/tables.ts";
export type { RouteGetOptions } from "./src/route/route_get.ts";
export type { FlushRoutesOptions } from "./src/route/route_flush.ts";
export type {
  EncapOptions,
  MplsEncap,
  MplsEncapOptions,
  RawEncap,
  RouteEncap,
  Seg6Encap,
  Seg6EncapOptions,
  Seg6LocalAction,
  Seg6LocalEncap,
  Seg6LocalEncapOptions,
  Seg6LocalFlavor,
  Seg6Mode,
} from "./src/route/lwtunnel.ts";
export { SEG6_LOCAL_ACTION, SEG6_LOCAL_FLAVORS, SEG6_MODE, type Srh } from "./src/route/srv6.ts";
export { MPLS_LABEL_MAX } from "./src/route/mpls.ts";
export type {
  GetNexthopBucketsOptions,
  GetNexthopsOptions,
  Nexthop,
  NexthopBlackholeOptions,
  NexthopBucket,
  NexthopCommonOptions,
  NexthopGatewayOptions,
  NexthopGroupMember,
  NexthopGroupOptions,
  NexthopObjectOptions,
} from "./src/route/nexthop.ts";
export type {
  FlushRulesOptions,
  GetRulesOptions,
  PortRange,
  Rule,
  RuleFamily,
  RuleGotoAction,
  RuleLookupAction,
  RuleNatAction,
  RuleOptions,
  RuleSelectors,
  RuleTypeAction,
  SaveRulesOptions,
} from "./src/route/rule.ts";
export type {
  FlushNeighboursOptions,
  GetNeighbourOptions,
  GetNeighboursOptions,
  Neighbour,
  NeighbourCommonOptions,
  NeighbourEntryOptions,
  NeighbourOptions,
  ProxyNeighbourOptions,
} from "./src/route/neigh.ts";
export type {
  GetNeighbourTablesOptions,
  Milliseconds,
  NeighbourTable,
  NeighbourTableParms,
  SetNeighbourTableOptions,
} from "./src/route/neightbl.ts";
export type { GetNetconfOptions, GetNetconfsOptions, Netconf, NetconfFamily } from "./src/route/netconf.ts";
export type { FdbEntry, FdbLookup, FdbOptions, FlushFdbOptions, GetFdbOptions } from "./src/route/fdb.ts";
export type {
  BridgeId,
  BridgePort,
  BridgePortInfo,
  BridgePortOptions,
  GetBridgePortsOptions,
} from "./src/route/bridge_port.ts";
export type {
  BridgePortVlans,
  BridgeVlan,
  BridgeVlanDbMessage,
  BridgeVlanEntry,
  BridgeVlanGlobalOptions,
  BridgeVlanGlobalSetOptions,
  BridgeVlanOptions,
  BridgeVlanSetOptions,
  BridgeVlanStats,
  BridgeVlanTunnel,
  GetBridgeVlanEntriesOptions,
  GetBridgeVlanGlobalOptionsOptions,
  GetBridgeVlansOptions,
} from "./src/route/bridge_vlan.ts";
export type {
  GetMdbOptions,
  Mdb,
  MdbEntry,
  MdbMessage,
  MdbOptions,
  MdbRouterPort,
  MulticastRouterPort,
} from "./src/route/mdb.ts";
export { EnumTable, FlagTable } from "./src/core/enums.ts";

export type {
  EventGroup,
  EventOptions,
  NetworkEvent,
  ResyncTables,
  TcChange,
  WatchedNamespace,
} from "./src/route/events.ts";
export { watchNamespaces } from "./src/route/watch.ts";
export { type LinkCounters, type LinkRates, statsDelta, type StatsSnapshot, StatsTracker } from "./src/route/stats.ts";
export type { NamespaceId } from "./src/route/nsid.ts";
export type { Ipv6Prefix } from "./src/route/prefix.ts";
export { getProcessVrf } from "./src/route/vrf_process.ts";
export { type BpfProgInfo, getBpfProgInfo } from "./src/route/bpf_info.ts";
export {
  cgroup2Mount,
  type EbpfInstruction,
  enterVrf,
  execInVrf,
  getVrfPids,
  type VrfConnection,
  type VrfProcess,
  vrfSocketProgram,
} from "./src/route/vrf_exec.ts";
export {
  type Bond3adStats,
  type BridgeMcastStats,
  type BridgeStpStats,
  type BridgeVlanXstats,
  getInterfaceStats,
  type GetInterfaceStatsOptions,
  type HwStats64,
  type HwStatsInfo,
  type InterfaceStats,
  interfaceStatsRequest,
  type LinkXstats,
  type MplsLinkStats,
  type OffloadStat,
  setInterfaceStats,
  type SetInterfaceStatsOptions,
  setInterfaceStatsRequest,
  type StatsGroup,
} from "./src/route/stats_groups.ts";
export {
  addMulticastAddress,
  deleteMulticastAddress,
  getMulticastMemberships,
  type GetMulticastMembershipsOptions,
  type MulticastAddressOptions,
  type MulticastFamily,
  type MulticastMembership,
} from "./src/route/maddr.ts";
export type * from "./src/tc/mod.ts";
export type { GenlFamily, GenlMulticastGroup, GenlOperation } from "./src/genl/controller.ts";
export type { LinkModes } from "./src/genl/ethtool/linkmodes.ts";
export type { IoamNamespace, IoamNamespaceOptions, IoamSchema, IoamSchemaOptions } from "./src/genl/ioam6/ioam6.ts";
export type {
  MptcpEndpoint,
  MptcpEndpointChange,
  MptcpEndpointFlag,
  MptcpEndpointOptions,
  MptcpEndpointSelector,
  MptcpLimits,
} from "./src/genl/mptcp/endpoints.ts";
export type { MptcpEvent, MptcpEventItem, MptcpEventOptions, MptcpEventType } from "./src/genl/mptcp/events.ts";
export type { Seg6Hmac, Seg6HmacAlgorithm, Seg6HmacOptions } from "./src/genl/seg6/seg6.ts";
export type {
  TcpMetricsEntry,
  TcpMetricsFamily,
  TcpMetricsFilter,
  TcpMetricsFlushOptions,
  TcpMetricsSelector,
  TcpMetricValues,
} from "./src/genl/tcp_metrics/tcp_metrics.ts";

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
  type NetlinkWarning,
  OVERLAP_MIN,
  type SendBatchOptions,
  type StreamOptions,
} from "./src/core/connection.ts";
export type { MessageView } from "./src/core/message.ts";
export { indexAttrs, OTHER_ATTRS } from "./src/core/attr_index.ts";
export type {
  AttrSchema,
  AttrsDecoder,
  AttrsEncoder,
  AttrSpec,
  AttrType,
  CustomCodec,
  Decode,
  DecodeContext,
  Encode,
  Field,
  RawAttribute,
  SubmessageContext,
  Variants,
} from "./src/core/schema.ts";
export type { StructDef, StructField, StructFieldSpec, StructOptions } from "./src/core/struct.ts";
export type { ScalarCodec, ScalarType } from "./src/core/scalars.ts";
export type { ChildPath } from "./src/core/path.ts";
export { MessageWriter } from "./src/core/writer.ts";
export { NetlinkSocket, type SocketOptions } from "./ffi/socket.ts";

export {
  formatIP,
  formatIPv4,
  formatIPv6,
  formatMac,
  ipFamily,
  ipv6ZeroRun,
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
  attachNetns,
  deleteNetns,
  listNetns,
  NETNS_RUN_DIR,
  netnsExists,
  type NetnsHandle,
  netnsPath,
  type NetnsTarget,
  spawnInNetns,
} from "./src/netns/mod.ts";
