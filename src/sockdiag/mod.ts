/**
 * Socket diagnostics (NETLINK_SOCK_DIAG): list the sockets of a network
 * namespace — inet (TCP, UDP, UDP-lite, raw, SCTP, DCCP, MPTCP), Unix,
 * packet, netlink, vsock, XDP — decoded fully, filter inet sockets in the
 * kernel with a typed filter tree (ss(8)'s filter language), and close them.
 *
 * @example
 * ```ts ignore
 * import { SockDiagConnection } from "@nlink/nlink";
 * using diag = SockDiagConnection.open();
 * for (const s of await diag.getInetSockets({ protocol: "tcp", states: ["listen"] })) {
 *   console.log(`${s.src}:${s.sport}`, s.rqueue, s.wqueue);
 * }
 * ```
 *
 * @module
 */
export { type DestroyResult, SockDiagConnection } from "./connection.ts";
export {
  type AutoboundFilter,
  type CgroupFilter,
  compileFilterPredicate,
  type DevFilter,
  type EvaluateOptions,
  type FilterableSocket,
  type FilterLeaf,
  type HostFilter,
  type MarkFilter,
  matchesFilter,
  type PortFilter,
  type PortOp,
  type SocketFilter,
} from "./filter.ts";
export { compileFilter } from "./bytecode.ts";
export {
  SKNLGRP,
  type SockDiagEvent,
  type SockDiagEventOptions,
  type SockDiagGroup,
  sockDiagGroupNumbers,
} from "./events.ts";
export type {
  BbrInfo,
  DctcpInfo,
  InetQuery,
  InetSocket,
  InetSockopt,
  Md5Key,
  MptcpInfo,
  StateSelection,
  TcpInfo,
  UlpInfo,
  VegasInfo,
} from "./inet.ts";
export type { SocketType, UnixQuery, UnixShow, UnixSocket } from "./unix.ts";
export type { PacketQuery, PacketRing, PacketShow, PacketSocket } from "./packet.ts";
export type { NetlinkQuery, NetlinkShow, NetlinkSocketInfo } from "./netlink.ts";
export type { VsockQuery, VsockSocket } from "./vsock.ts";
export type { XdpQuery, XdpShow, XdpSocket } from "./xdp.ts";
export type { MemInfo, SkMemInfo } from "./types.ts";
export type { SctpAddress, SctpInfo } from "./attrs.ts";
export {
  INET_PROTOCOLS,
  INET_TIMERS,
  type InetExtension,
  type InetProtocol,
  type InetTimer,
  SCTP_STATE,
  type SctpState,
  type SocketState,
  STATE_GROUPS,
  TCP_STATE,
} from "./constants.ts";
