/**
 * NETLINK_SOCK_DIAG constants: message types, socket families and protocols,
 * TCP states (shared by inet, Unix, netlink and vsock sockets), the
 * extensions an inet dump can ask for, the filter byte-code operations and the
 * `show` bits of the other families. Each table names its C header (audited).
 *
 * @module
 */
import { cTable } from "../core/ctable.ts";
import { cEnum, cFlags, EnumTable } from "../core/enums.ts";

/** sock_diag message types. */
export const SOCK_DIAG = cTable("linux/sock_diag.h", "", {
  SOCK_DIAG_BY_FAMILY: 20,
  SOCK_DESTROY: 21,
});

/** The socket families sock_diag answers for (AF_*). */
export const AF = cTable("sys/socket.h", "AF_", {
  UNIX: 1,
  INET: 2,
  INET6: 10,
  NETLINK: 16,
  PACKET: 17,
  VSOCK: 40,
  XDP: 44,
});

/** Socket types (SOCK_*), as Unix, packet, netlink and vsock sockets report them. */
export const SOCK_TYPE = cEnum("sys/socket.h", "SOCK_", {
  STREAM: 1,
  DGRAM: 2,
  RAW: 3,
  RDM: 4,
  SEQPACKET: 5,
});

/** Transport protocols of inet sockets (IPPROTO_*). */
export const IPPROTO = cTable("netinet/in.h", "IPPROTO_", {
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  DCCP: 33,
  ICMPV6: 58,
  SCTP: 132,
  UDPLITE: 136,
  RAW: 255,
  MPTCP: 262,
});

/** The inet protocols a dump can ask for, by name. */
export type InetProtocol = "tcp" | "udp" | "udplite" | "raw" | "sctp" | "dccp" | "mptcp";

/** Protocol name → IPPROTO number. */
export const INET_PROTOCOLS: Readonly<Record<InetProtocol, number>> = {
  tcp: IPPROTO.TCP,
  udp: IPPROTO.UDP,
  udplite: IPPROTO.UDPLITE,
  raw: IPPROTO.RAW,
  sctp: IPPROTO.SCTP,
  dccp: IPPROTO.DCCP,
  mptcp: IPPROTO.MPTCP,
};

/**
 * A socket state: the kernel's TCP state numbers, which Unix, netlink and
 * vsock sockets use too (an unconnected datagram socket is `"close"`).
 */
export type SocketState =
  | "established"
  | "syn-sent"
  | "syn-recv"
  | "fin-wait-1"
  | "fin-wait-2"
  | "time-wait"
  | "close"
  | "close-wait"
  | "last-ack"
  | "listen"
  | "closing"
  | "new-syn-recv"
  | "bound-inactive";

const STATE_NAMES: Record<string, SocketState> = {
  ESTABLISHED: "established",
  SYN_SENT: "syn-sent",
  SYN_RECV: "syn-recv",
  FIN_WAIT1: "fin-wait-1",
  FIN_WAIT2: "fin-wait-2",
  TIME_WAIT: "time-wait",
  CLOSE: "close",
  CLOSE_WAIT: "close-wait",
  LAST_ACK: "last-ack",
  LISTEN: "listen",
  CLOSING: "closing",
  NEW_SYN_RECV: "new-syn-recv",
  BOUND_INACTIVE: "bound-inactive",
};

/**
 * TCP states (include/net/tcp_states.h). Not audited: the only user-space
 * header with them, netinet/tcp.h, cannot be compiled beside linux/tcp.h,
 * whose struct tcp_info the audit checks; the numbers are fixed ABI (every
 * sock_diag reply carries them).
 */
const TCP_STATE_NUMBERS = {
  ESTABLISHED: 1,
  SYN_SENT: 2,
  SYN_RECV: 3,
  FIN_WAIT1: 4,
  FIN_WAIT2: 5,
  TIME_WAIT: 6,
  CLOSE: 7,
  CLOSE_WAIT: 8,
  LAST_ACK: 9,
  LISTEN: 10,
  CLOSING: 11,
  NEW_SYN_RECV: 12,
  BOUND_INACTIVE: 13,
};

/**
 * Socket states, number ⇄ name (`1` ⇄ `"established"`). NEW_SYN_RECV (12) is
 * a pending connection's request socket, BOUND_INACTIVE (13, Linux 6.8) a
 * bound socket that neither listens nor connects.
 *
 * @example
 * ```ts
 * import { TCP_STATE } from "./constants.ts";
 * TCP_STATE.name(10); // "listen"
 * TCP_STATE.value("time-wait"); // 6
 * ```
 */
export const TCP_STATE: EnumTable<SocketState> = new EnumTable<SocketState>(
  "state",
  TCP_STATE_NUMBERS,
  (key) => STATE_NAMES[key],
);

/** An SCTP association's state (the state of a sock_diag entry that has peers). */
export type SctpState =
  | "closed"
  | "cookie-wait"
  | "cookie-echoed"
  | "established"
  | "shutdown-pending"
  | "shutdown-sent"
  | "shutdown-received"
  | "shutdown-ack-sent";

/**
 * SCTP association states, number ⇄ name (the kernel's enum sctp_state,
 * include/net/sctp/constants.h). Not audited: no user-space header has them
 * (iproute2's ss declares its own copy); the numbers are fixed ABI, carried in
 * every SCTP association's sock_diag entry and sctp_info.
 *
 * @example
 * ```ts
 * import { SCTP_STATE } from "./constants.ts";
 * SCTP_STATE.name(3); // "established"
 * ```
 */
export const SCTP_STATE: EnumTable<SctpState> = new EnumTable<SctpState>("sctp state", {
  CLOSED: 0,
  COOKIE_WAIT: 1,
  COOKIE_ECHOED: 2,
  ESTABLISHED: 3,
  SHUTDOWN_PENDING: 4,
  SHUTDOWN_SENT: 5,
  SHUTDOWN_RECEIVED: 6,
  SHUTDOWN_ACK_SENT: 7,
}, (key) => key.toLowerCase().replaceAll("_", "-"));

/** Every state, as the bit mask a request carries (`1 << state`). */
export const ALL_STATES = 0xffffffff;

/**
 * ss(8)'s state groups, as lists of states: `connected` is every state but
 * listen and close (and the request states), `synchronized` is connected
 * without syn-sent, `bucket` the minisockets (syn-recv and time-wait), `big`
 * every state but those.
 *
 * @example
 * ```ts
 * import { STATE_GROUPS } from "./constants.ts";
 * STATE_GROUPS.bucket; // ["syn-recv", "time-wait"]
 * ```
 */
export const STATE_GROUPS: Readonly<Record<"all" | "connected" | "synchronized" | "bucket" | "big", SocketState[]>> = {
  all: [
    "established",
    "syn-sent",
    "syn-recv",
    "fin-wait-1",
    "fin-wait-2",
    "time-wait",
    "close",
    "close-wait",
    "last-ack",
    "listen",
    "closing",
  ],
  connected: ["established", "syn-sent", "fin-wait-1", "fin-wait-2", "close-wait", "last-ack", "closing"],
  synchronized: ["established", "fin-wait-1", "fin-wait-2", "close-wait", "last-ack", "closing"],
  bucket: ["syn-recv", "time-wait"],
  big: ["established", "syn-sent", "fin-wait-1", "fin-wait-2", "close", "close-wait", "last-ack", "listen", "closing"],
};

/** The pending timer of an inet socket (idiag_timer; ss(8)'s `timer:(…)`). */
export type InetTimer = "off" | "on" | "keepalive" | "timewait" | "persist" | "unknown";

/** idiag_timer values (net/ipv4/inet_diag.c and tcp_diag.c; no header names them). */
export const INET_TIMERS: readonly InetTimer[] = ["off", "on", "keepalive", "timewait", "persist", "unknown"];

/** inet_diag request attributes. */
export const INET_DIAG_REQ = cTable("linux/inet_diag.h", "INET_DIAG_REQ_", {
  NONE: 0,
  BYTECODE: 1,
  SK_BPF_STORAGES: 2,
  PROTOCOL: 3,
});

/**
 * Extensions an inet dump can ask for (bit `1 << (id - 1)` of idiag_ext):
 * `info` (tcp_info; also the congestion module's info), `vegasinfo` (asks for
 * vegas/dctcp/bbr info), `cong` (the algorithm's name), memory, TOS/TClass
 * (and the net_cls class id), `shutdown`.
 */
export type InetExtension = "meminfo" | "info" | "vegasinfo" | "cong" | "tos" | "tclass" | "skmeminfo" | "shutdown";

/** The attribute ids behind the requestable extensions (INET_DIAG_*). */
export const INET_DIAG_EXT = cEnum("linux/inet_diag.h", "INET_DIAG_", {
  MEMINFO: 1,
  INFO: 2,
  VEGASINFO: 3,
  CONG: 4,
  TOS: 5,
  TCLASS: 6,
  SKMEMINFO: 7,
  SHUTDOWN: 8,
});

/** The filter byte-code operations (INET_DIAG_BC_*). */
export const INET_DIAG_BC = cTable("linux/inet_diag.h", "INET_DIAG_BC_", {
  NOP: 0,
  JMP: 1,
  S_GE: 2,
  S_LE: 3,
  D_GE: 4,
  D_LE: 5,
  AUTO: 6,
  S_COND: 7,
  D_COND: 8,
  DEV_COND: 9,
  MARK_COND: 10,
  S_EQ: 11,
  D_EQ: 12,
  CGROUP_COND: 13,
});

/** Unix socket dump: what to include (UDIAG_SHOW_*). */
export const UDIAG_SHOW = cFlags("linux/unix_diag.h", "UDIAG_SHOW_", {
  NAME: 0x01,
  VFS: 0x02,
  PEER: 0x04,
  ICONS: 0x08,
  RQLEN: 0x10,
  MEMINFO: 0x20,
  UID: 0x40,
});

/** Packet socket dump: what to include (PACKET_SHOW_*). */
export const PACKET_SHOW = cFlags("linux/packet_diag.h", "PACKET_SHOW_", {
  INFO: 0x01,
  MCLIST: 0x02,
  RING_CFG: 0x04,
  FANOUT: 0x08,
  MEMINFO: 0x10,
  FILTER: 0x20,
});

/** packet_diag_info flags (PDI_*). */
export const PDI = cFlags("linux/packet_diag.h", "PDI_", {
  RUNNING: 0x1,
  AUXDATA: 0x2,
  ORIGDEV: 0x4,
  VNETHDR: 0x8,
  LOSS: 0x10,
});

/** Netlink socket dump: what to include (NDIAG_SHOW_*). */
export const NDIAG_SHOW = cFlags("linux/netlink_diag.h", "NDIAG_SHOW_", {
  MEMINFO: 0x1,
  GROUPS: 0x2,
  RING_CFG: 0x4,
  FLAGS: 0x8,
});

/** Netlink socket flags (NDIAG_FLAG_*). */
export const NDIAG_FLAG = cFlags("linux/netlink_diag.h", "NDIAG_FLAG_", {
  CB_RUNNING: 0x01,
  PKTINFO: 0x02,
  BROADCAST_ERROR: 0x04,
  NO_ENOBUFS: 0x08,
  LISTEN_ALL_NSID: 0x10,
  CAP_ACK: 0x20,
});

/** Every netlink protocol (NDIAG_PROTO_ALL). */
export const NDIAG_PROTO_ALL = 255;

/** XDP socket dump: what to include (XDP_SHOW_*). */
export const XDP_SHOW = cFlags("linux/xdp_diag.h", "XDP_SHOW_", {
  INFO: 1 << 0,
  RING_CFG: 1 << 1,
  UMEM: 1 << 2,
  MEMINFO: 1 << 3,
  STATS: 1 << 4,
});

/** XDP umem flags (XDP_DU_F_*). */
export const XDP_DU_F = cFlags("linux/xdp_diag.h", "XDP_DU_F_", { ZEROCOPY: 1 << 0 });

/** tcp_info options (TCPI_OPT_*). */
export const TCPI_OPT = cFlags("linux/tcp.h", "TCPI_OPT_", {
  TIMESTAMPS: 1,
  SACK: 2,
  WSCALE: 4,
  ECN: 8,
  ECN_SEEN: 16,
  SYN_DATA: 32,
});

/** Congestion-avoidance states of tcp_info (TCP_CA_*). */
export const TCP_CA = cEnum("linux/tcp.h", "TCP_CA_", {
  Open: 0,
  Disorder: 1,
  CWR: 2,
  Recovery: 3,
  Loss: 4,
});

/** MPTCP subflow flags (MPTCP_SUBFLOW_FLAG_*). */
export const MPTCP_SUBFLOW_FLAG = cFlags("linux/mptcp.h", "MPTCP_SUBFLOW_FLAG_", {
  MCAP_REM: 1 << 0,
  MCAP_LOC: 1 << 1,
  JOIN_REM: 1 << 2,
  JOIN_LOC: 1 << 3,
  BKUP_REM: 1 << 4,
  BKUP_LOC: 1 << 5,
  FULLY_ESTABLISHED: 1 << 6,
  CONNECTED: 1 << 7,
  MAPVALID: 1 << 8,
});

/** TLS configurations of a kTLS socket (TLS_CONF_*). */
export const TLS_CONF = cEnum("linux/tls.h", "TLS_CONF_", { BASE: 1, SW: 2, HW: 3, HW_RECORD: 4 });
