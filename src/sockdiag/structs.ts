/**
 * The fixed C structs of NETLINK_SOCK_DIAG: requests and message headers of
 * every family, and the structs the attributes carry (tcp_info, memory
 * counters, congestion-control info, MPTCP info, rings, …). Layouts are
 * audited against the C headers.
 *
 * @module
 */
import { cStruct } from "../core/struct.ts";
import { PDI, SOCK_TYPE, TCP_CA, TCP_STATE, TCPI_OPT, XDP_DU_F } from "./constants.ts";

// ------------------------------------------------------------------ inet

/** struct inet_diag_sockid: ports and addresses in network order, cookie as two u32s. */
export const INET_DIAG_SOCKID = cStruct("linux/inet_diag.h", "struct inet_diag_sockid", [
  { c: "idiag_sport", type: "be16" },
  { c: "idiag_dport", type: "be16" },
  { c: "idiag_src", type: "bytes", size: 16 },
  { c: "idiag_dst", type: "bytes", size: 16 },
  { c: "idiag_if", type: "u32" },
  { c: "idiag_cookie", type: "u32", count: 2 },
], { strip: "idiag_" });

/** struct inet_diag_req_v2 (a dump request; SOCK_DESTROY's too). */
export const INET_DIAG_REQ_V2 = cStruct("linux/inet_diag.h", "struct inet_diag_req_v2", [
  { c: "sdiag_family", type: "u8", name: "family" },
  { c: "sdiag_protocol", type: "u8", name: "protocol" },
  { c: "idiag_ext", type: "u8", name: "ext" },
  { c: "pad", type: "u8" },
  { c: "idiag_states", type: "u32", name: "states" },
  { c: "id", type: "struct", struct: INET_DIAG_SOCKID },
]);

/** struct inet_diag_req_raw: inet_diag_req_v2 with the raw protocol in the pad byte. */
export const INET_DIAG_REQ_RAW = cStruct("linux/inet_diag.h", "struct inet_diag_req_raw", [
  { c: "sdiag_family", type: "u8", name: "family" },
  { c: "sdiag_protocol", type: "u8", name: "protocol" },
  { c: "idiag_ext", type: "u8", name: "ext" },
  { c: "sdiag_raw_protocol", type: "u8", name: "rawProtocol" },
  { c: "idiag_states", type: "u32", name: "states" },
  { c: "id", type: "struct", struct: INET_DIAG_SOCKID },
]);

/** struct inet_diag_msg: the header of every inet reply. */
export const INET_DIAG_MSG = cStruct("linux/inet_diag.h", "struct inet_diag_msg", [
  { c: "idiag_family", type: "u8" },
  { c: "idiag_state", type: "u8" },
  { c: "idiag_timer", type: "u8" },
  { c: "idiag_retrans", type: "u8" },
  { c: "id", type: "struct", struct: INET_DIAG_SOCKID },
  { c: "idiag_expires", type: "u32" },
  { c: "idiag_rqueue", type: "u32" },
  { c: "idiag_wqueue", type: "u32" },
  { c: "idiag_uid", type: "u32" },
  { c: "idiag_inode", type: "u32" },
], { strip: "idiag_" });

/** struct inet_diag_bc_op: one filter instruction. */
export const INET_DIAG_BC_OP = cStruct("linux/inet_diag.h", "struct inet_diag_bc_op", [
  { c: "code", type: "u8" },
  { c: "yes", type: "u8" },
  { c: "no", type: "u16" },
]);

/** struct inet_diag_hostcond (followed by 0, 4 or 16 address bytes). */
export const INET_DIAG_HOSTCOND = cStruct("linux/inet_diag.h", "struct inet_diag_hostcond", [
  { c: "family", type: "u8" },
  { c: "prefix_len", type: "u8" },
  { c: "port", type: "s32" },
]);

/** struct inet_diag_markcond. */
export const INET_DIAG_MARKCOND = cStruct("linux/inet_diag.h", "struct inet_diag_markcond", [
  { c: "mark", type: "u32" },
  { c: "mask", type: "u32" },
]);

/** struct inet_diag_meminfo (INET_DIAG_MEMINFO): queue and buffer memory. */
export const INET_DIAG_MEMINFO = cStruct("linux/inet_diag.h", "struct inet_diag_meminfo", [
  { c: "idiag_rmem", type: "u32" },
  { c: "idiag_wmem", type: "u32" },
  { c: "idiag_fmem", type: "u32" },
  { c: "idiag_tmem", type: "u32" },
], { strip: "idiag_" });

/** struct tcpvegas_info (INET_DIAG_VEGASINFO). */
export const TCPVEGAS_INFO = cStruct("linux/inet_diag.h", "struct tcpvegas_info", [
  { c: "tcpv_enabled", type: "u32" },
  { c: "tcpv_rttcnt", type: "u32" },
  { c: "tcpv_rtt", type: "u32" },
  { c: "tcpv_minrtt", type: "u32" },
], { strip: "tcpv_" });

/** struct tcp_dctcp_info (INET_DIAG_DCTCPINFO). */
export const TCP_DCTCP_INFO = cStruct("linux/inet_diag.h", "struct tcp_dctcp_info", [
  { c: "dctcp_enabled", type: "u16" },
  { c: "dctcp_ce_state", type: "u16" },
  { c: "dctcp_alpha", type: "u32" },
  { c: "dctcp_ab_ecn", type: "u32" },
  { c: "dctcp_ab_tot", type: "u32" },
], { strip: "dctcp_" });

/** struct tcp_bbr_info (INET_DIAG_BBRINFO): the bandwidth comes as two u32 halves. */
export const TCP_BBR_INFO = cStruct("linux/inet_diag.h", "struct tcp_bbr_info", [
  { c: "bbr_bw_lo", type: "u32" },
  { c: "bbr_bw_hi", type: "u32" },
  { c: "bbr_min_rtt", type: "u32" },
  { c: "bbr_pacing_gain", type: "u32" },
  { c: "bbr_cwnd_gain", type: "u32" },
], { strip: "bbr_" });

/**
 * struct tcp_info (INET_DIAG_INFO of TCP and DCCP sockets), every field of
 * linux/tcp.h. Bytes 6 and 7 hold bit-fields (window scales, app-limited,
 * fast-open failure): read here as whole bytes and split by the decoder.
 * Kernels older than the header send a shorter struct: the fields that fit
 * are decoded.
 */
export const TCP_INFO = cStruct("linux/tcp.h", "struct tcp_info", [
  { c: "tcpi_state", type: "u8", enum: TCP_STATE },
  { c: "tcpi_ca_state", type: "u8", enum: TCP_CA },
  { c: "tcpi_retransmits", type: "u8" },
  { c: "tcpi_probes", type: "u8" },
  { c: "tcpi_backoff", type: "u8" },
  { c: "tcpi_options", type: "u8", flags: TCPI_OPT },
  { type: "u8", name: "wscaleBits" },
  { type: "u8", name: "rateBits" },
  { c: "tcpi_rto", type: "u32" },
  { c: "tcpi_ato", type: "u32" },
  { c: "tcpi_snd_mss", type: "u32" },
  { c: "tcpi_rcv_mss", type: "u32" },
  { c: "tcpi_unacked", type: "u32" },
  { c: "tcpi_sacked", type: "u32" },
  { c: "tcpi_lost", type: "u32" },
  { c: "tcpi_retrans", type: "u32" },
  { c: "tcpi_fackets", type: "u32" },
  { c: "tcpi_last_data_sent", type: "u32" },
  { c: "tcpi_last_ack_sent", type: "u32" },
  { c: "tcpi_last_data_recv", type: "u32" },
  { c: "tcpi_last_ack_recv", type: "u32" },
  { c: "tcpi_pmtu", type: "u32" },
  { c: "tcpi_rcv_ssthresh", type: "u32" },
  { c: "tcpi_rtt", type: "u32" },
  { c: "tcpi_rttvar", type: "u32" },
  { c: "tcpi_snd_ssthresh", type: "u32" },
  { c: "tcpi_snd_cwnd", type: "u32" },
  { c: "tcpi_advmss", type: "u32" },
  { c: "tcpi_reordering", type: "u32" },
  { c: "tcpi_rcv_rtt", type: "u32" },
  { c: "tcpi_rcv_space", type: "u32" },
  { c: "tcpi_total_retrans", type: "u32" },
  { c: "tcpi_pacing_rate", type: "u64" },
  { c: "tcpi_max_pacing_rate", type: "u64" },
  { c: "tcpi_bytes_acked", type: "u64" },
  { c: "tcpi_bytes_received", type: "u64" },
  { c: "tcpi_segs_out", type: "u32" },
  { c: "tcpi_segs_in", type: "u32" },
  { c: "tcpi_notsent_bytes", type: "u32" },
  { c: "tcpi_min_rtt", type: "u32" },
  { c: "tcpi_data_segs_in", type: "u32" },
  { c: "tcpi_data_segs_out", type: "u32" },
  { c: "tcpi_delivery_rate", type: "u64" },
  { c: "tcpi_busy_time", type: "u64" },
  { c: "tcpi_rwnd_limited", type: "u64" },
  { c: "tcpi_sndbuf_limited", type: "u64" },
  { c: "tcpi_delivered", type: "u32" },
  { c: "tcpi_delivered_ce", type: "u32" },
  { c: "tcpi_bytes_sent", type: "u64" },
  { c: "tcpi_bytes_retrans", type: "u64" },
  { c: "tcpi_dsack_dups", type: "u32" },
  { c: "tcpi_reord_seen", type: "u32" },
  { c: "tcpi_rcv_ooopack", type: "u32" },
  { c: "tcpi_snd_wnd", type: "u32" },
], { strip: "tcpi_" });

/** struct mptcp_info (INET_DIAG_INFO of an MPTCP socket). */
export const MPTCP_INFO = cStruct("linux/mptcp.h", "struct mptcp_info", [
  { c: "mptcpi_subflows", type: "u8" },
  { c: "mptcpi_add_addr_signal", type: "u8" },
  { c: "mptcpi_add_addr_accepted", type: "u8" },
  { c: "mptcpi_subflows_max", type: "u8" },
  { c: "mptcpi_add_addr_signal_max", type: "u8" },
  { c: "mptcpi_add_addr_accepted_max", type: "u8" },
  { c: "mptcpi_flags", type: "u32" },
  { c: "mptcpi_token", type: "u32" },
  { c: "mptcpi_write_seq", type: "u64" },
  { c: "mptcpi_snd_una", type: "u64" },
  { c: "mptcpi_rcv_nxt", type: "u64" },
  { c: "mptcpi_local_addr_used", type: "u8" },
  { c: "mptcpi_local_addr_max", type: "u8" },
  { c: "mptcpi_csum_enabled", type: "u8" },
], { strip: "mptcpi_" });

/** struct tcp_diag_md5sig (INET_DIAG_MD5SIG carries a run of them). */
export const TCP_DIAG_MD5SIG = cStruct("linux/tcp.h", "struct tcp_diag_md5sig", [
  { c: "tcpm_family", type: "u8" },
  { c: "tcpm_prefixlen", type: "u8" },
  { c: "tcpm_keylen", type: "u16" },
  { c: "tcpm_addr", type: "bytes", size: 16 },
  { c: "tcpm_key", type: "bytes", size: 80 },
], { strip: "tcpm_" });

// ------------------------------------------------------------------ unix

/** struct unix_diag_req. */
export const UNIX_DIAG_REQ = cStruct("linux/unix_diag.h", "struct unix_diag_req", [
  { c: "sdiag_family", type: "u8", name: "family" },
  { c: "sdiag_protocol", type: "u8", name: "protocol" },
  { c: "pad", type: "u16" },
  { c: "udiag_states", type: "u32", name: "states" },
  { c: "udiag_ino", type: "u32", name: "ino" },
  { c: "udiag_show", type: "u32", name: "show" },
  { c: "udiag_cookie", type: "u32", count: 2, name: "cookie" },
]);

/** struct unix_diag_msg. */
export const UNIX_DIAG_MSG = cStruct("linux/unix_diag.h", "struct unix_diag_msg", [
  { c: "udiag_family", type: "u8" },
  { c: "udiag_type", type: "u8", enum: SOCK_TYPE },
  { c: "udiag_state", type: "u8", enum: TCP_STATE },
  { c: "pad", type: "u8" },
  { c: "udiag_ino", type: "u32", name: "inode" },
  { c: "udiag_cookie", type: "u32", count: 2 },
], { strip: "udiag_" });

/** struct unix_diag_vfs (UNIX_DIAG_VFS): the bound file's inode and device. */
export const UNIX_DIAG_VFS = cStruct("linux/unix_diag.h", "struct unix_diag_vfs", [
  { c: "udiag_vfs_ino", type: "u32", name: "ino" },
  { c: "udiag_vfs_dev", type: "u32", name: "dev" },
]);

/** struct unix_diag_rqlen (UNIX_DIAG_RQLEN). */
export const UNIX_DIAG_RQLEN = cStruct("linux/unix_diag.h", "struct unix_diag_rqlen", [
  { c: "udiag_rqueue", type: "u32" },
  { c: "udiag_wqueue", type: "u32" },
], { strip: "udiag_" });

// ---------------------------------------------------------------- packet

/** struct packet_diag_req. */
export const PACKET_DIAG_REQ = cStruct("linux/packet_diag.h", "struct packet_diag_req", [
  { c: "sdiag_family", type: "u8", name: "family" },
  { c: "sdiag_protocol", type: "u8", name: "protocol" },
  { c: "pad", type: "u16" },
  { c: "pdiag_ino", type: "u32", name: "ino" },
  { c: "pdiag_show", type: "u32", name: "show" },
  { c: "pdiag_cookie", type: "u32", count: 2, name: "cookie" },
]);

/** struct packet_diag_msg. */
export const PACKET_DIAG_MSG = cStruct("linux/packet_diag.h", "struct packet_diag_msg", [
  { c: "pdiag_family", type: "u8" },
  { c: "pdiag_type", type: "u8", enum: SOCK_TYPE },
  { c: "pdiag_num", type: "u16", name: "protocol" },
  { c: "pdiag_ino", type: "u32", name: "inode" },
  { c: "pdiag_cookie", type: "u32", count: 2 },
], { strip: "pdiag_" });

/** struct packet_diag_info (PACKET_DIAG_INFO). */
export const PACKET_DIAG_INFO = cStruct("linux/packet_diag.h", "struct packet_diag_info", [
  { c: "pdi_index", type: "u32" },
  { c: "pdi_version", type: "u32" },
  { c: "pdi_reserve", type: "u32" },
  { c: "pdi_copy_thresh", type: "u32" },
  { c: "pdi_tstamp", type: "u32" },
  { c: "pdi_flags", type: "u32", flags: PDI },
], { strip: "pdi_" });

/** struct packet_diag_mclist (PACKET_DIAG_MCLIST carries a run of them). */
export const PACKET_DIAG_MCLIST = cStruct("linux/packet_diag.h", "struct packet_diag_mclist", [
  { c: "pdmc_index", type: "u32" },
  { c: "pdmc_count", type: "u32" },
  { c: "pdmc_type", type: "u16" },
  { c: "pdmc_alen", type: "u16" },
  { c: "pdmc_addr", type: "bytes", size: 32 },
], { strip: "pdmc_" });

/** struct packet_diag_ring (PACKET_DIAG_RX_RING / TX_RING). */
export const PACKET_DIAG_RING = cStruct("linux/packet_diag.h", "struct packet_diag_ring", [
  { c: "pdr_block_size", type: "u32" },
  { c: "pdr_block_nr", type: "u32" },
  { c: "pdr_frame_size", type: "u32" },
  { c: "pdr_frame_nr", type: "u32" },
  { c: "pdr_retire_tmo", type: "u32" },
  { c: "pdr_sizeof_priv", type: "u32" },
  { c: "pdr_features", type: "u32" },
], { strip: "pdr_" });

/** struct sock_filter (PACKET_DIAG_FILTER carries the attached classic BPF program). */
export const SOCK_FILTER = cStruct("linux/filter.h", "struct sock_filter", [
  { c: "code", type: "u16" },
  { c: "jt", type: "u8" },
  { c: "jf", type: "u8" },
  { c: "k", type: "u32" },
]);

// --------------------------------------------------------------- netlink

/** struct netlink_diag_req. */
export const NETLINK_DIAG_REQ = cStruct("linux/netlink_diag.h", "struct netlink_diag_req", [
  { c: "sdiag_family", type: "u8", name: "family" },
  { c: "sdiag_protocol", type: "u8", name: "protocol" },
  { c: "pad", type: "u16" },
  { c: "ndiag_ino", type: "u32", name: "ino" },
  { c: "ndiag_show", type: "u32", name: "show" },
  { c: "ndiag_cookie", type: "u32", count: 2, name: "cookie" },
]);

/** struct netlink_diag_msg. */
export const NETLINK_DIAG_MSG = cStruct("linux/netlink_diag.h", "struct netlink_diag_msg", [
  { c: "ndiag_family", type: "u8" },
  { c: "ndiag_type", type: "u8", enum: SOCK_TYPE },
  { c: "ndiag_protocol", type: "u8" },
  { c: "ndiag_state", type: "u8", enum: TCP_STATE },
  { c: "ndiag_portid", type: "u32" },
  { c: "ndiag_dst_portid", type: "u32" },
  { c: "ndiag_dst_group", type: "u32" },
  { c: "ndiag_ino", type: "u32", name: "inode" },
  { c: "ndiag_cookie", type: "u32", count: 2 },
], { strip: "ndiag_" });

/** struct netlink_diag_ring (NETLINK_DIAG_RX_RING / TX_RING, kernels before 4.6). */
export const NETLINK_DIAG_RING = cStruct("linux/netlink_diag.h", "struct netlink_diag_ring", [
  { c: "ndr_block_size", type: "u32" },
  { c: "ndr_block_nr", type: "u32" },
  { c: "ndr_frame_size", type: "u32" },
  { c: "ndr_frame_nr", type: "u32" },
], { strip: "ndr_" });

// ----------------------------------------------------------------- vsock

/** struct vsock_diag_req. */
export const VSOCK_DIAG_REQ = cStruct("linux/vm_sockets_diag.h", "struct vsock_diag_req", [
  { c: "sdiag_family", type: "u8", name: "family" },
  { c: "sdiag_protocol", type: "u8", name: "protocol" },
  { c: "pad", type: "u16" },
  { c: "vdiag_states", type: "u32", name: "states" },
  { c: "vdiag_ino", type: "u32", name: "ino" },
  { c: "vdiag_show", type: "u32", name: "show" },
  { c: "vdiag_cookie", type: "u32", count: 2, name: "cookie" },
]);

/** struct vsock_diag_msg. */
export const VSOCK_DIAG_MSG = cStruct("linux/vm_sockets_diag.h", "struct vsock_diag_msg", [
  { c: "vdiag_family", type: "u8" },
  { c: "vdiag_type", type: "u8", enum: SOCK_TYPE },
  { c: "vdiag_state", type: "u8", enum: TCP_STATE },
  { c: "vdiag_shutdown", type: "u8" },
  { c: "vdiag_src_cid", type: "u32" },
  { c: "vdiag_src_port", type: "u32" },
  { c: "vdiag_dst_cid", type: "u32" },
  { c: "vdiag_dst_port", type: "u32" },
  { c: "vdiag_ino", type: "u32", name: "inode" },
  { c: "vdiag_cookie", type: "u32", count: 2 },
], { strip: "vdiag_" });

// ------------------------------------------------------------------- xdp

/** struct xdp_diag_req. */
export const XDP_DIAG_REQ = cStruct("linux/xdp_diag.h", "struct xdp_diag_req", [
  { c: "sdiag_family", type: "u8", name: "family" },
  { c: "sdiag_protocol", type: "u8", name: "protocol" },
  { c: "pad", type: "u16" },
  { c: "xdiag_ino", type: "u32", name: "ino" },
  { c: "xdiag_show", type: "u32", name: "show" },
  { c: "xdiag_cookie", type: "u32", count: 2, name: "cookie" },
]);

/** struct xdp_diag_msg. */
export const XDP_DIAG_MSG = cStruct("linux/xdp_diag.h", "struct xdp_diag_msg", [
  { c: "xdiag_family", type: "u8" },
  { c: "xdiag_type", type: "u8", enum: SOCK_TYPE },
  { c: "pad", type: "u16" },
  { c: "xdiag_ino", type: "u32", name: "inode" },
  { c: "xdiag_cookie", type: "u32", count: 2 },
], { strip: "xdiag_" });

/** struct xdp_diag_info (XDP_DIAG_INFO). */
export const XDP_DIAG_INFO = cStruct("linux/xdp_diag.h", "struct xdp_diag_info", [
  { c: "ifindex", type: "u32" },
  { c: "queue_id", type: "u32" },
]);

/** struct xdp_diag_umem (XDP_DIAG_UMEM). */
export const XDP_DIAG_UMEM = cStruct("linux/xdp_diag.h", "struct xdp_diag_umem", [
  { c: "size", type: "u64" },
  { c: "id", type: "u32" },
  { c: "num_pages", type: "u32" },
  { c: "chunk_size", type: "u32" },
  { c: "headroom", type: "u32" },
  { c: "ifindex", type: "u32" },
  { c: "queue_id", type: "u32" },
  { c: "flags", type: "u32", flags: XDP_DU_F },
  { c: "refs", type: "u32" },
]);

/** struct xdp_diag_stats (XDP_DIAG_STATS). */
export const XDP_DIAG_STATS = cStruct("linux/xdp_diag.h", "struct xdp_diag_stats", [
  { c: "n_rx_dropped", type: "u64", name: "rxDropped" },
  { c: "n_rx_invalid", type: "u64", name: "rxInvalid" },
  { c: "n_rx_full", type: "u64", name: "rxFull" },
  { c: "n_fill_ring_empty", type: "u64", name: "fillRingEmpty" },
  { c: "n_tx_invalid", type: "u64", name: "txInvalid" },
  { c: "n_tx_ring_empty", type: "u64", name: "txRingEmpty" },
]);

// ------------------------------------------------------------------ sctp

/** struct sockaddr_in (an SCTP address list element or primary path of the IPv4 family). */
export const SOCKADDR_IN = cStruct("linux/in.h", "struct sockaddr_in", [
  { c: "sin_family", type: "u16", name: "family" },
  { c: "sin_port", type: "be16", name: "port" },
  { c: "sin_addr", type: "ipv4", name: "address" },
  { type: "pad", size: 8 },
]);

/** struct sockaddr_in6 (the same, IPv6). */
export const SOCKADDR_IN6 = cStruct("linux/in6.h", "struct sockaddr_in6", [
  { c: "sin6_family", type: "u16", name: "family" },
  { c: "sin6_port", type: "be16", name: "port" },
  { c: "sin6_flowinfo", type: "be32", name: "flowinfo" },
  { c: "sin6_addr", type: "ipv6", name: "address" },
  { c: "sin6_scope_id", type: "u32", name: "scopeId" },
]);

/** struct __kernel_sockaddr_storage: the stride of INET_DIAG_LOCALS/PEERS and sctp_info's primary address. */
export const SOCKADDR_STORAGE = cStruct("linux/socket.h", "struct __kernel_sockaddr_storage", [
  { c: "ss_family", type: "u16", name: "family" },
  { type: "pad", size: 126 },
]);

/**
 * struct sctp_info (INET_DIAG_INFO of an SCTP socket): association counters
 * and its primary path, or for an endpoint only the `s*` socket options.
 * The primary address stays bytes here; the codec decodes it.
 */
export const SCTP_INFO = cStruct("linux/sctp.h", "struct sctp_info", [
  { c: "sctpi_tag", type: "u32" },
  { c: "sctpi_state", type: "u32" },
  { c: "sctpi_rwnd", type: "u32" },
  { c: "sctpi_unackdata", type: "u16", name: "unackData" },
  { c: "sctpi_penddata", type: "u16", name: "pendData" },
  { c: "sctpi_instrms", type: "u16", name: "inStreams" },
  { c: "sctpi_outstrms", type: "u16", name: "outStreams" },
  { c: "sctpi_fragmentation_point", type: "u32" },
  { c: "sctpi_inqueue", type: "u32", name: "inQueue" },
  { c: "sctpi_outqueue", type: "u32", name: "outQueue" },
  { c: "sctpi_overall_error", type: "u32" },
  { c: "sctpi_max_burst", type: "u32" },
  { c: "sctpi_maxseg", type: "u32", name: "maxSeg" },
  { c: "sctpi_peer_rwnd", type: "u32" },
  { c: "sctpi_peer_tag", type: "u32" },
  { c: "sctpi_peer_capable", type: "u8" },
  { c: "sctpi_peer_sack", type: "u8" },
  { type: "pad", size: 2 },
  { c: "sctpi_isacks", type: "u64", name: "inSacks" },
  { c: "sctpi_osacks", type: "u64", name: "outSacks" },
  { c: "sctpi_opackets", type: "u64", name: "outPackets" },
  { c: "sctpi_ipackets", type: "u64", name: "inPackets" },
  { c: "sctpi_rtxchunks", type: "u64", name: "rtxChunks" },
  { c: "sctpi_outofseqtsns", type: "u64", name: "outOfSeqTsns" },
  { c: "sctpi_idupchunks", type: "u64", name: "inDupChunks" },
  { c: "sctpi_gapcnt", type: "u64", name: "gapCount" },
  { c: "sctpi_ouodchunks", type: "u64", name: "outUnorderedChunks" },
  { c: "sctpi_iuodchunks", type: "u64", name: "inUnorderedChunks" },
  { c: "sctpi_oodchunks", type: "u64", name: "outOrderedChunks" },
  { c: "sctpi_iodchunks", type: "u64", name: "inOrderedChunks" },
  { c: "sctpi_octrlchunks", type: "u64", name: "outCtrlChunks" },
  { c: "sctpi_ictrlchunks", type: "u64", name: "inCtrlChunks" },
  { c: "sctpi_p_address", type: "bytes", size: 128, name: "primaryAddress" },
  { c: "sctpi_p_state", type: "s32", name: "primaryState" },
  { c: "sctpi_p_cwnd", type: "u32", name: "primaryCwnd" },
  { c: "sctpi_p_srtt", type: "u32", name: "primarySrtt" },
  { c: "sctpi_p_rto", type: "u32", name: "primaryRto" },
  { c: "sctpi_p_hbinterval", type: "u32", name: "primaryHbInterval" },
  { c: "sctpi_p_pathmaxrxt", type: "u32", name: "primaryPathMaxRxt" },
  { c: "sctpi_p_sackdelay", type: "u32", name: "primarySackDelay" },
  { c: "sctpi_p_sackfreq", type: "u32", name: "primarySackFreq" },
  { c: "sctpi_p_ssthresh", type: "u32", name: "primarySsthresh" },
  { c: "sctpi_p_partial_bytes_acked", type: "u32", name: "primaryPartialBytesAcked" },
  { c: "sctpi_p_flight_size", type: "u32", name: "primaryFlightSize" },
  { c: "sctpi_p_error", type: "u16", name: "primaryError" },
  { type: "pad", size: 2 },
  { c: "sctpi_s_autoclose", type: "u32", name: "autoclose" },
  { c: "sctpi_s_adaptation_ind", type: "u32", name: "adaptationInd" },
  { c: "sctpi_s_pd_point", type: "u32", name: "pdPoint" },
  { c: "sctpi_s_nodelay", type: "u8", name: "nodelay" },
  { c: "sctpi_s_disable_fragments", type: "u8", name: "disableFragments" },
  { c: "sctpi_s_v4mapped", type: "u8", name: "v4mapped" },
  { c: "sctpi_s_frag_interleave", type: "u8", name: "fragInterleave" },
  { c: "sctpi_s_type", type: "u32", name: "socketType" },
  { type: "pad", size: 4 },
], { strip: "sctpi_" });
