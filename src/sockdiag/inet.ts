/**
 * inet sockets (IPv4 and IPv6: TCP, UDP, UDP-lite, raw, SCTP, DCCP, MPTCP):
 * the dump request (`inet_diag_req_v2` with states, extensions and filter
 * byte code), the SOCK_DESTROY request, and the decoder of replies into
 * {@linkcode InetSocket}s.
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";
import { NLM_F, NLMSG_HDRLEN, REQUEST_FLAGS } from "../core/header.ts";
import type { MessageView } from "../core/message.ts";
import { type AttrSchema, decodeAttrs } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF_INET, AF_INET6, formatIPv4, formatIPv6, parseIPv4Into, parseIPv6Into } from "../util/addr.ts";
import {
  INET_ATTRS_MPTCP,
  INET_ATTRS_OTHER,
  INET_ATTRS_SCTP,
  INET_ATTRS_TCP,
  type SctpAddress,
  type SctpInfo,
} from "./attrs.ts";
import { compileFilter } from "./bytecode.ts";
import {
  ALL_STATES,
  INET_DIAG_EXT,
  INET_DIAG_REQ,
  INET_PROTOCOLS,
  INET_TIMERS,
  type InetExtension,
  type InetProtocol,
  type InetTimer,
  IPPROTO,
  SCTP_STATE,
  type SctpState,
  SOCK_DIAG,
  type SocketState,
  TCP_STATE,
} from "./constants.ts";
import type { SocketFilter } from "./filter.ts";
import { INET_DIAG_MSG, INET_DIAG_REQ_V2 } from "./structs.ts";
import type { MemInfo, SkMemInfo } from "./types.ts";

/** States to dump: a list, `"all"` (every bit), or a raw mask of `1 << state` bits. */
export type StateSelection = readonly SocketState[] | "all" | number;

/** What to dump: one protocol, one or both IP families, some states, a filter. */
export interface InetQuery {
  /** The protocol (`"tcp"`, `"udp"`, …) or an IPPROTO number. */
  protocol: InetProtocol | number;
  /** `"inet"` (IPv4), `"inet6"`, or both (default; two dumps, IPv4 first, as ss(8) does). */
  family?: "inet" | "inet6";
  /**
   * States to include (default: all), or the raw mask (`1 << state` each; ss(8) sends 0xfff for `-a`).
   * UDP and raw sockets are `"close"` unless connected (`"established"`).
   */
  states?: StateSelection;
  /** Extensions to ask for (`"info"` for tcp_info, `"meminfo"`, `"cong"`, …). */
  extensions?: readonly InetExtension[];
  /** A filter the kernel runs on each socket (compiled to byte code; `dev` names are resolved first). */
  filter?: SocketFilter;
  /** Raw sockets only: the IP protocol they were opened with (default: any). */
  rawProtocol?: number;
}

/**
 * An inet socket as the kernel reports it. Addresses are text (`"10.0.0.1"`,
 * `"::"`), ports numbers, `cookie` the kernel's 64-bit socket id. The
 * optional fields appear when asked for (see {@linkcode InetQuery.extensions})
 * or when the kernel sends them unasked (mark and cgroup id as root, sockopt,
 * shutdown, v6only).
 */
export interface InetSocket {
  /** `"inet"` or `"inet6"`. */
  family: "inet" | "inet6";
  /** The protocol the dump asked for (a name when known). */
  protocol: InetProtocol | number;
  /**
   * Socket state (TCP states; connectionless sockets are "close" or
   * "established"; an SCTP association, the entry with `peers`, has an SCTP state).
   */
  state: SocketState | SctpState | number;
  /** The pending timer. */
  timer: InetTimer;
  /** Retransmissions (timer on) or keep-alive probes (keepalive) so far. */
  retrans: number;
  /** Local address. */
  src: string;
  /** Local port. */
  sport: number;
  /** Remote address (`0.0.0.0` / `::` when not connected). */
  dst: string;
  /** Remote port (0 when not connected). */
  dport: number;
  /** The device the socket is bound to (0: none). */
  ifindex: number;
  /** The kernel's socket cookie. */
  cookie: bigint;
  /** Milliseconds until the timer fires. */
  expires: number;
  /** Receive queue: bytes (listeners: pending connections). */
  rqueue: number;
  /** Send queue: bytes (listeners: the backlog). */
  wqueue: number;
  /** Owner uid. */
  uid: number;
  /** Inode number (0 for request and time-wait sockets). */
  inode: number;
  /** INET_DIAG_MEMINFO. */
  meminfo?: MemInfo;
  /** INET_DIAG_SKMEMINFO. */
  skmeminfo?: SkMemInfo;
  /** INET_DIAG_INFO of TCP and DCCP. */
  tcpInfo?: TcpInfo;
  /** INET_DIAG_INFO of MPTCP. */
  mptcpInfo?: MptcpInfo;
  /** INET_DIAG_INFO of SCTP (struct sctp_info). */
  sctpInfo?: SctpInfo;
  /** INET_DIAG_INFO of other protocols, as bytes. */
  info?: Uint8Array;
  /** The congestion control algorithm. */
  congestion?: string;
  /** IPv4 TOS. */
  tos?: number;
  /** IPv6 traffic class. */
  tclass?: number;
  /** Shutdown state: bit 0 receive side shut, bit 1 send side. */
  shutdown?: number;
  /** TCP Vegas info. */
  vegasInfo?: VegasInfo;
  /** DCTCP info. */
  dctcpInfo?: DctcpInfo;
  /** BBR info. */
  bbrInfo?: BbrInfo;
  /** The raw socket's protocol (INET_DIAG_PROTOCOL). */
  rawProtocol?: number;
  /** IPV6_V6ONLY (1) of an IPv6 socket. */
  v6only?: number;
  /** SO_MARK (sent to CAP_NET_ADMIN). */
  mark?: number;
  /** net_cls class id (or the priority when no class is set). */
  classId?: number;
  /** TCP-MD5 keys (sent to CAP_NET_ADMIN). */
  md5sig?: Md5Key[];
  /** Upper-layer protocol info: kTLS or an MPTCP subflow. */
  ulp?: UlpInfo;
  /** The socket's cgroup v2 id. */
  cgroupId?: bigint;
  /** inet socket options that are set. */
  sockopt?: InetSockopt;
  /** SCTP: the endpoint's or association's local addresses. */
  locals?: SctpAddress[];
  /** SCTP: an association's peer addresses (only associations have them). */
  peers?: SctpAddress[];
  /** BPF socket storages (as bytes). */
  bpfStorages?: Uint8Array;
}

/** struct tcp_info: every field of linux/tcp.h (a shorter struct from an older kernel leaves the rest out). */
export interface TcpInfo {
  /** The connection's state. */
  state: SocketState | number;
  /** Congestion-avoidance state: "open", "disorder", "cwr", "recovery", "loss". */
  caState: string | number;
  /** Retransmissions of the current segment (unrecovered RTO timeouts). */
  retransmits: number;
  /** Unanswered zero-window probes. */
  probes: number;
  /** Exponential backoff of the retransmission timer. */
  backoff: number;
  /** Negotiated options: "timestamps", "sack", "wscale", "ecn", "ecn_seen", "syn_data" (other bits as hex). */
  options: string[];
  /** Send window scale (with "wscale"). */
  sndWscale: number;
  /** Receive window scale. */
  rcvWscale: number;
  /** The delivery-rate sample was application-limited. */
  deliveryRateAppLimited: boolean;
  /** Why a TCP fast-open client attempt failed (0: it did not). */
  fastopenClientFail: number;
  /** Retransmission timeout, µs. */
  rto: number;
  /** Delayed-ACK timeout, µs. */
  ato: number;
  /** Send MSS, bytes. */
  sndMss: number;
  /** Estimated receive MSS, bytes. */
  rcvMss: number;
  /** Segments sent, not yet acknowledged. */
  unacked: number;
  /** Segments SACKed (listeners: the backlog). */
  sacked: number;
  /** Segments considered lost. */
  lost: number;
  /** Segments retransmitted, not yet acknowledged. */
  retrans: number;
  /** Unused (always 0 since Linux 4.12). */
  fackets: number;
  /** Time since the last data sent, ms. */
  lastDataSent: number;
  /** Time since the last ACK sent, ms (not tracked: 0). */
  lastAckSent: number;
  /** Time since the last data received, ms. */
  lastDataRecv: number;
  /** Time since the last ACK received, ms. */
  lastAckRecv: number;
  /** Path MTU. */
  pmtu: number;
  /** Receive slow-start threshold. */
  rcvSsthresh: number;
  /** Smoothed RTT, µs. */
  rtt: number;
  /** RTT variance, µs. */
  rttvar: number;
  /** Send slow-start threshold, segments. */
  sndSsthresh: number;
  /** Congestion window, segments. */
  sndCwnd: number;
  /** Advertised MSS. */
  advmss: number;
  /** Reordering metric, segments. */
  reordering: number;
  /** Receiver-side RTT estimate, µs. */
  rcvRtt: number;
  /** Receive buffer space the application is estimated to use. */
  rcvSpace: number;
  /** Retransmissions over the connection's life. */
  totalRetrans: number;
  /** Pacing rate, bytes per second (all ones: no pacing). */
  pacingRate: bigint;
  /** SO_MAX_PACING_RATE, bytes per second. */
  maxPacingRate: bigint;
  /** Bytes acknowledged by the peer. */
  bytesAcked: bigint;
  /** Bytes received. */
  bytesReceived: bigint;
  /** Segments sent. */
  segsOut: number;
  /** Segments received. */
  segsIn: number;
  /** Bytes written but not yet sent. */
  notsentBytes: number;
  /** Minimum RTT seen, µs. */
  minRtt: number;
  /** Segments received with data. */
  dataSegsIn: number;
  /** Segments sent with data. */
  dataSegsOut: number;
  /** Latest delivery-rate sample, bytes per second. */
  deliveryRate: bigint;
  /** Time busy sending, µs. */
  busyTime: bigint;
  /** Time limited by the receive window, µs. */
  rwndLimited: bigint;
  /** Time limited by the send buffer, µs. */
  sndbufLimited: bigint;
  /** Segments delivered (acknowledged, SACKed or lost-then-delivered). */
  delivered: number;
  /** Delivered segments that carried a CE mark. */
  deliveredCe: number;
  /** Bytes sent, retransmissions included. */
  bytesSent: bigint;
  /** Bytes retransmitted. */
  bytesRetrans: bigint;
  /** Duplicate segments reported by D-SACK. */
  dsackDups: number;
  /** Reordering events seen. */
  reordSeen: number;
  /** Out-of-order segments received. */
  rcvOoopack: number;
  /** The peer's advertised receive window, bytes (after scaling). */
  sndWnd: number;
}

/** struct mptcp_info (an MPTCP connection). */
export interface MptcpInfo {
  /** Subflows in use. */
  subflows: number;
  /** ADD_ADDR announcements sent. */
  addAddrSignal: number;
  /** ADD_ADDR announcements accepted. */
  addAddrAccepted: number;
  /** Subflow limit. */
  subflowsMax: number;
  /** ADD_ADDR signal limit. */
  addAddrSignalMax: number;
  /** ADD_ADDR accept limit. */
  addAddrAcceptedMax: number;
  /** MPTCP_INFO_FLAG_* bits. */
  flags: number;
  /** The connection token. */
  token: number;
  /** Data sequence number to send next. */
  writeSeq: bigint;
  /** Oldest unacknowledged data sequence number. */
  sndUna: bigint;
  /** Next data sequence number expected. */
  rcvNxt: bigint;
  /** Local addresses in use. */
  localAddrUsed: number;
  /** Local address limit. */
  localAddrMax: number;
  /** Data checksums enabled (1). */
  csumEnabled: number;
}

/** struct tcpvegas_info. */
export interface VegasInfo {
  /** Vegas is active (1). */
  enabled: number;
  /** RTT samples in the last round. */
  rttcnt: number;
  /** Latest RTT, µs. */
  rtt: number;
  /** Minimum RTT, µs. */
  minrtt: number;
}

/** struct tcp_dctcp_info. */
export interface DctcpInfo {
  /** DCTCP is active (1). */
  enabled: number;
  /** The CE state. */
  ceState: number;
  /** The alpha estimate (fraction of marked bytes, scaled by 1024). */
  alpha: number;
  /** Bytes acknowledged with ECE. */
  abEcn: number;
  /** Bytes acknowledged. */
  abTot: number;
}

/** struct tcp_bbr_info with the bandwidth as one number. */
export interface BbrInfo {
  /** Bandwidth estimate, bytes per second. */
  bw: bigint;
  /** Minimum RTT, µs. */
  minRtt: number;
  /** Pacing gain shifted left 8 bits (256 = 1.0). */
  pacingGain: number;
  /** Congestion-window gain shifted left 8 bits. */
  cwndGain: number;
}

/** A TCP-MD5 key of a socket. */
export interface Md5Key {
  /** AF_INET or AF_INET6. */
  family: number;
  /** Prefix length of the peer address the key applies to. */
  prefixLength: number;
  /** The peer address. */
  address: string;
  /** The key. */
  key: Uint8Array;
}

/** INET_DIAG_ULP_INFO: the upper-layer protocol of a socket. */
export interface UlpInfo {
  /** "tls", "mptcp", … */
  name?: string;
  /** kTLS: version, cipher, and the configuration of each direction ("sw", "hw", …). */
  tls?: {
    version?: number;
    cipher?: number;
    txconf?: string | number;
    rxconf?: string | number;
    zerocopySendfile?: boolean;
    rxNoPad?: boolean;
  };
  /** An MPTCP subflow's tokens, sequence mapping, flags and ids (MPTCP_SUBFLOW_ATTR_*). */
  mptcp?: Record<string, unknown>;
}

/** struct inet_diag_sockopt: which inet socket options are set. */
export interface InetSockopt {
  /** IP_RECVERR / IPV6_RECVERR. */
  recverr: boolean;
  /** A connection-oriented (inet_connection_sock) socket. */
  isIcsk: boolean;
  /** IP_FREEBIND. */
  freebind: boolean;
  /** IP_HDRINCL. */
  hdrincl: boolean;
  /** IP_MULTICAST_LOOP. */
  mcLoop: boolean;
  /** IP_TRANSPARENT. */
  transparent: boolean;
  /** IP_MULTICAST_ALL. */
  mcAll: boolean;
  /** IP_NODEFRAG. */
  nodefrag: boolean;
  /** IP_BIND_ADDRESS_NO_PORT. */
  bindAddressNoPort: boolean;
  /** IP_RECVERR_RFC4884. */
  recverrRfc4884: boolean;
  /** TCP_FASTOPEN_CONNECT's deferred connect. */
  deferConnect: boolean;
}

const PROTOCOL_NAMES = new Map<number, InetProtocol>(
  Object.entries(INET_PROTOCOLS).map(([k, v]) => [v, k as InetProtocol]),
);

/**
 * The IPPROTO number of a protocol name (or a number passed through).
 *
 * @example
 * ```ts
 * import { protocolNumber } from "./inet.ts";
 * protocolNumber("mptcp"); // 262
 * ```
 */
export function protocolNumber(p: InetProtocol | number, field = "protocol"): number {
  if (typeof p === "number") {
    if (Number.isInteger(p) && p >= 0 && p <= 0xffff) return p;
    throw new ValidationError(field, p, "expected an IPPROTO number");
  }
  const n = INET_PROTOCOLS[p];
  if (n === undefined) throw new ValidationError(field, p, "expected one of " + Object.keys(INET_PROTOCOLS).join(", "));
  return n;
}

/**
 * The state mask of a request (`1 << state` for each).
 *
 * @example
 * ```ts
 * import { stateMask } from "./inet.ts";
 * stateMask(["established"]); // 2
 * ```
 */
export function stateMask(states: StateSelection | undefined, field = "states"): number {
  if (states === undefined || states === "all") return ALL_STATES;
  if (typeof states === "number") {
    if (Number.isInteger(states) && states >= 0 && states <= 0xffffffff) return states;
    throw new ValidationError(field, states, "expected a u32 state mask");
  }
  if (!Array.isArray(states)) throw new ValidationError(field, states, 'expected a list of states or "all"');
  let mask = 0;
  for (const s of states) mask |= 1 << TCP_STATE.value(s, field);
  return mask >>> 0;
}

/**
 * The idiag_ext bits for a list of extensions.
 *
 * @example
 * ```ts
 * import { extensionMask } from "./inet.ts";
 * extensionMask(["info", "vegasinfo", "cong"]); // 14
 * ```
 */
export function extensionMask(extensions: readonly InetExtension[] | undefined): number {
  let mask = 0;
  for (const e of extensions ?? []) mask |= 1 << (INET_DIAG_EXT.value(e, "extensions") - 1);
  return mask;
}

function familyNumber(family: "inet" | "inet6"): number {
  if (family === "inet") return AF_INET;
  if (family === "inet6") return AF_INET6;
  throw new ValidationError("family", family, 'expected "inet" or "inet6"');
}

/**
 * Builds the SOCK_DIAG_BY_FAMILY dump request for one family, as ss(8) does:
 * the header, then the filter byte code (if any), then the protocol attribute
 * for protocols above 255 (MPTCP). `filter` must hold resolved ifindexes.
 *
 * @example
 * ```ts
 * import { inetDumpRequest } from "./inet.ts";
 * inetDumpRequest({ protocol: "tcp", states: ["established"] }, "inet").length; // 72
 * ```
 */
export function inetDumpRequest(query: InetQuery, family: "inet" | "inet6"): Uint8Array<ArrayBuffer> {
  const protocol = protocolNumber(query.protocol);
  const header = {
    family: familyNumber(family),
    protocol: protocol & 0xff,
    ext: extensionMask(query.extensions),
    pad: protocol === IPPROTO.RAW ? rawProtocolOf(query.rawProtocol) : 0,
    states: stateMask(query.states),
  };
  const bytecode = query.filter === undefined ? undefined : compileFilter(query.filter);
  const w = new MessageWriter(72 + (bytecode?.length ?? 0));
  const start = w.beginMessage(SOCK_DIAG.SOCK_DIAG_BY_FAMILY, REQUEST_FLAGS.dump);
  INET_DIAG_REQ_V2.encode(w, header, "request");
  if (bytecode !== undefined) w.attr(INET_DIAG_REQ.BYTECODE, bytecode);
  if (protocol > 255) w.attrU32(INET_DIAG_REQ.PROTOCOL, protocol);
  w.endMessage(start);
  return w.bytes();
}

function rawProtocolOf(p: number | undefined): number {
  if (p === undefined) return 0;
  if (!Number.isInteger(p) || p < 0 || p > 255) throw new ValidationError("rawProtocol", p, "expected 0..255");
  return p;
}

/**
 * Builds the SOCK_DESTROY request for one socket (as `ss -K` sends it): the
 * socket's full id, cookie included, so only that very socket is closed
 * (MPTCP's protocol number also goes in INET_DIAG_REQ_PROTOCOL, which ss(8)
 * leaves out).
 *
 * @example
 * ```ts ignore
 * import { inetDestroyRequest } from "./inet.ts";
 * inetDestroyRequest(socket).length; // 72
 * ```
 */
export function inetDestroyRequest(s: InetSocket): Uint8Array<ArrayBuffer> {
  const protocol = protocolNumber(s.protocol);
  const w = new MessageWriter(72);
  const start = w.beginMessage(SOCK_DIAG.SOCK_DESTROY, NLM_F.REQUEST | NLM_F.ACK);
  const at = w.zeros(INET_DIAG_REQ_V2.size);
  const b = w.buffer;
  const v = w.view;
  const family = familyNumber(s.family);
  b[at] = family;
  b[at + 1] = protocol & 0xff;
  if (protocol === IPPROTO.RAW) b[at + 3] = rawProtocolOf(s.rawProtocol);
  const id = at + 8;
  v.setUint16(id, checkU16(s.sport, "sport"), false);
  v.setUint16(id + 2, checkU16(s.dport, "dport"), false);
  const parse = family === AF_INET ? parseIPv4Into : parseIPv6Into;
  if (!parse(s.src, b, id + 4)) throw new ValidationError("src", s.src, `not an ${s.family} address`);
  if (!parse(s.dst, b, id + 20)) throw new ValidationError("dst", s.dst, `not an ${s.family} address`);
  v.setUint32(id + 36, s.ifindex >>> 0, true);
  v.setBigUint64(id + 40, BigInt.asUintN(64, s.cookie), true);
  // MPTCP's number does not fit the header's byte: name it in an attribute, as dumps do.
  if (protocol > 255) w.attrU32(INET_DIAG_REQ.PROTOCOL, protocol);
  w.endMessage(start);
  return w.bytes();
}

function checkU16(x: number, field: string): number {
  if (!Number.isInteger(x) || x < 0 || x > 0xffff) throw new ValidationError(field, x, "expected 0..65535");
  return x;
}

// ---------------------------------------------------------------- decoding

// Offsets of inet_diag_msg, from its audited layout.
const OFF = Object.fromEntries(INET_DIAG_MSG.fields.map((f) => [f.name, f.offset])) as Record<string, number>;
const ID = OFF.id;

/**
 * The decoder for replies to a dump of `protocol` (its INFO attribute's
 * layout depends on it).
 *
 * @example
 * ```ts ignore
 * import { inetSocketDecoder } from "./inet.ts";
 * const decode = inetSocketDecoder("tcp");
 * const socket = decode(msg); // InetSocket
 * ```
 */
export function inetSocketDecoder(protocol: InetProtocol | number): (m: MessageView) => InetSocket | undefined {
  const number = protocolNumber(protocol);
  const named = PROTOCOL_NAMES.get(number) ?? number;
  const attrs: AttrSchema = number === IPPROTO.TCP || number === IPPROTO.DCCP
    ? INET_ATTRS_TCP
    : number === IPPROTO.MPTCP
    ? INET_ATTRS_MPTCP
    : number === IPPROTO.SCTP
    ? INET_ATTRS_SCTP
    : INET_ATTRS_OTHER;
  return (m) => {
    if (m.type !== SOCK_DIAG.SOCK_DIAG_BY_FAMILY) return undefined;
    const b = m.bytes;
    const v = m.view;
    const off = m.offset + NLMSG_HDRLEN;
    const end = m.offset + m.length;
    if (end - off < INET_DIAG_MSG.size) return undefined;
    const s = inetHeader(b, v, off, named) as unknown as Record<string, unknown>;
    const out = decodeAttrs(attrs, b, v, off + INET_DIAG_MSG.size, end, CTX, s) as unknown as InetSocket;
    // An SCTP entry with peers is an association: its state number is an SCTP state, not a TCP one.
    if (attrs === INET_ATTRS_SCTP && out.peers !== undefined) out.state = SCTP_STATE.name(b[off + OFF.state]);
    return out;
  };
}

const CTX = { family: 0 };

/**
 * The header's fields, read straight from the bytes at their audited offsets
 * (addresses formatted by family, the cookie as one u64); one object literal,
 * so a dump's sockets share a hidden class.
 */
function inetHeader(b: Uint8Array, v: DataView, off: number, protocol: InetProtocol | number): InetSocket {
  const v6 = b[off + OFF.family] === AF_INET6;
  const id = off + ID;
  return {
    family: v6 ? "inet6" : "inet",
    protocol,
    state: TCP_STATE.name(b[off + OFF.state]),
    timer: INET_TIMERS[b[off + OFF.timer]] ?? "unknown",
    retrans: b[off + OFF.retrans],
    src: v6 ? formatIPv6(b, id + 4) : formatIPv4(b, id + 4),
    sport: v.getUint16(id, false),
    dst: v6 ? formatIPv6(b, id + 20) : formatIPv4(b, id + 20),
    dport: v.getUint16(id + 2, false),
    ifindex: v.getUint32(id + 36, true),
    cookie: v.getBigUint64(id + 40, true),
    expires: v.getUint32(off + OFF.expires, true),
    rqueue: v.getUint32(off + OFF.rqueue, true),
    wqueue: v.getUint32(off + OFF.wqueue, true),
    uid: v.getUint32(off + OFF.uid, true),
    inode: v.getUint32(off + OFF.inode, true),
  };
}
