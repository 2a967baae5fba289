/**
 * The attributes of sock_diag replies, described once as data for the
 * schema engine: INET_DIAG_* (with the INFO attribute's layout chosen by the
 * protocol: tcp_info, mptcp_info or raw bytes), UNIX_DIAG_*, PACKET_DIAG_*,
 * NETLINK_DIAG_* and XDP_DIAG_*, and the few codecs no generic type
 * describes (bit-field structs, runs of structs, a bitmap of groups).
 *
 * @module
 */
import { type AttrSchema, attrSchema, type AttrSpec, type CustomCodec } from "../core/schema.ts";
import { cEnum } from "../core/enums.ts";
import { ValidationError } from "../core/errors.ts";
import type { StructDef } from "../core/struct.ts";
import { AF_INET, AF_INET6, formatIP, formatMac } from "../util/addr.ts";
import { MPTCP_SUBFLOW_FLAG, NDIAG_FLAG, SCTP_STATE, type SctpState, TLS_CONF } from "./constants.ts";
import {
  INET_DIAG_MEMINFO,
  MPTCP_INFO,
  NETLINK_DIAG_RING,
  PACKET_DIAG_INFO,
  PACKET_DIAG_MCLIST,
  PACKET_DIAG_RING,
  SCTP_INFO,
  SOCK_FILTER,
  SOCKADDR_IN,
  SOCKADDR_IN6,
  SOCKADDR_STORAGE,
  TCP_BBR_INFO,
  TCP_DCTCP_INFO,
  TCP_DIAG_MD5SIG,
  TCP_INFO,
  TCPVEGAS_INFO,
  UNIX_DIAG_RQLEN,
  UNIX_DIAG_VFS,
  XDP_DIAG_INFO,
  XDP_DIAG_STATS,
  XDP_DIAG_UMEM,
} from "./structs.ts";

/** The socket memory counters (SK_MEMINFO_*), by position in the u32 array. */
export const SK_MEMINFO = cEnum("linux/sock_diag.h", "SK_MEMINFO_", {
  RMEM_ALLOC: 0,
  RCVBUF: 1,
  WMEM_ALLOC: 2,
  SNDBUF: 3,
  FWD_ALLOC: 4,
  WMEM_QUEUED: 5,
  OPTMEM: 6,
  BACKLOG: 7,
  DROPS: 8,
});

/** skmeminfo: a u32 array named by SK_MEMINFO_* (newer kernels' extra counters kept as `unknownN`). */
const SKMEMINFO_SPEC: AttrSpec = { id: 0, type: "values", of: "u32", names: SK_MEMINFO, namesBase: 0 };

/** Not a string and not wire-encodable: these attributes only come from the kernel. */
function decodeOnly(decode: CustomCodec["decode"]): CustomCodec {
  return {
    decode,
    encode(_w, value, path) {
      throw new ValidationError(path, value, "a reply-only attribute cannot be sent");
    },
  };
}

/** A struct that may come shorter or longer than the header's (decodes what fits). */
function structCodec(st: StructDef): CustomCodec {
  return decodeOnly((b, v, off, len) => st.decode(b, v, off, Math.min(len, st.size)));
}

/** A run of fixed-size structs (md5 keys, multicast memberships, BPF instructions). */
function structRun(st: StructDef, post?: (x: Record<string, unknown>) => unknown): CustomCodec {
  return decodeOnly((b, v, off, len) => {
    const out: unknown[] = [];
    for (let at = off; at + st.size <= off + len; at += st.size) {
      const x = st.decode(b, v, at, st.size);
      out.push(post ? post(x) : x);
    }
    return out;
  });
}

/**
 * tcp_info: the struct, with its two bit-field bytes split into the window
 * scales, the app-limited flag and the fast-open client failure code.
 */
const TCP_INFO_CODEC = decodeOnly((b, v, off, len) => {
  const x = TCP_INFO.decode(b, v, off, Math.min(len, TCP_INFO.size), {});
  if (len > 6) {
    x.sndWscale = b[off + 6] & 0x0f;
    x.rcvWscale = b[off + 6] >> 4;
  }
  if (len > 7) {
    x.deliveryRateAppLimited = (b[off + 7] & 1) === 1;
    x.fastopenClientFail = (b[off + 7] >> 1) & 3;
  }
  delete x.wscaleBits;
  delete x.rateBits;
  return x;
});

/** tcp_bbr_info with the bandwidth joined into one bigint (bytes per second). */
const BBR_CODEC = decodeOnly((b, v, off, len) => {
  const x = TCP_BBR_INFO.decode(b, v, off, Math.min(len, TCP_BBR_INFO.size), {});
  if (len >= 8) x.bw = (BigInt(x.bwHi as number) << 32n) | BigInt(x.bwLo as number);
  delete x.bwLo;
  delete x.bwHi;
  return x;
});

/**
 * INET_DIAG_SOCKOPT: the inet socket options that are set, as booleans (two
 * bytes of bit-fields, in struct inet_diag_sockopt's order). Every inet
 * socket of a dump carries it: one object literal, one hidden class.
 */
const SOCKOPT_CODEC = decodeOnly((b, _v, off, len) => {
  const lo = b[off];
  const hi = len > 1 ? b[off + 1] : 0;
  return {
    recverr: (lo & 1) !== 0,
    isIcsk: (lo & 2) !== 0,
    freebind: (lo & 4) !== 0,
    hdrincl: (lo & 8) !== 0,
    mcLoop: (lo & 16) !== 0,
    transparent: (lo & 32) !== 0,
    mcAll: (lo & 64) !== 0,
    nodefrag: (lo & 128) !== 0,
    bindAddressNoPort: (hi & 1) !== 0,
    recverrRfc4884: (hi & 2) !== 0,
    deferConnect: (hi & 4) !== 0,
  };
});

/** A run of tcp_diag_md5sig: the TCP-MD5 keys of a socket (address, prefix, key). */
const MD5SIG_CODEC = structRun(TCP_DIAG_MD5SIG, (x) => {
  const addr = x.addr as Uint8Array;
  const key = x.key as Uint8Array;
  return {
    family: x.family,
    prefixLength: x.prefixlen,
    address: formatIP(addr, 0, x.family === 10 ? 16 : 4),
    key: key.slice(0, x.keylen as number),
  };
});

/** The group numbers set in a bitmap of u32 words (NETLINK_DIAG_GROUPS). */
const GROUPS_CODEC = decodeOnly((_b, v, off, len) => {
  const out: number[] = [];
  for (let w = 0; w * 4 + 4 <= len; w++) {
    const word = v.getUint32(off + w * 4, true);
    if (word === 0) continue;
    for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) out.push(w * 32 + bit + 1);
  }
  return out;
});

/** UNIX_DIAG_NAME: a path, or an abstract name (leading NUL) shown as `@name` like ss(8). */
const UNIX_NAME_CODEC = decodeOnly((b, _v, off, len) => {
  if (len === 0) return "";
  const abstract = b[off] === 0;
  let end = off + len;
  if (!abstract) {
    const nul = b.indexOf(0, off);
    if (nul >= 0 && nul < end) end = nul;
  }
  const text = new TextDecoder().decode(b.subarray(abstract ? off + 1 : off, end));
  return abstract ? "@" + text : text;
});

/** A run of u32 inode numbers (UNIX_DIAG_ICONS: the pending connections of a listener). */
const U32_RUN: AttrSpec = { id: 0, type: "values", of: "u32" };

/** PACKET_DIAG_FANOUT: group id (low 16 bits), mode (next 8) and flags (top 8). */
const FANOUT_CODEC = decodeOnly((_b, v, off, len) => {
  if (len < 4) return undefined;
  const x = v.getUint32(off, true);
  return { id: x & 0xffff, type: (x >>> 16) & 0xff, flags: x >>> 24 };
});

/** A packet multicast membership with its address formatted. */
const MCLIST_CODEC = structRun(PACKET_DIAG_MCLIST, (x) => ({
  index: x.index,
  count: x.count,
  type: x.type,
  address: formatMac(x.addr as Uint8Array, 0, Math.min(x.alen as number, 32)),
}));

/** TLS_INFO_* (a kTLS socket's ULP info). */
export const TLS_INFO_ATTRS: AttrSchema = attrSchema("TLS_INFO_", "linux/tls.h", {
  VERSION: { id: 1, type: "u16" },
  CIPHER: { id: 2, type: "u16" },
  TXCONF: { id: 3, type: "u16", enum: TLS_CONF },
  RXCONF: { id: 4, type: "u16", enum: TLS_CONF },
  ZC_RO_TX: { id: 5, type: "flag", name: "zerocopySendfile" },
  RX_NO_PAD: { id: 6, type: "flag", name: "rxNoPad" },
});

/** MPTCP_SUBFLOW_ATTR_* (a subflow's ULP info). */
export const MPTCP_SUBFLOW_ATTRS: AttrSchema = attrSchema("MPTCP_SUBFLOW_ATTR_", "linux/mptcp.h", {
  TOKEN_REM: { id: 1, type: "u32", name: "tokenRemote" },
  TOKEN_LOC: { id: 2, type: "u32", name: "tokenLocal" },
  RELWRITE_SEQ: { id: 3, type: "u32", name: "relativeWriteSeq" },
  MAP_SEQ: { id: 4, type: "u64", name: "mapSeq" },
  MAP_SFSEQ: { id: 5, type: "u32", name: "mapSubflowSeq" },
  SSN_OFFSET: { id: 6, type: "u32", name: "ssnOffset" },
  MAP_DATALEN: { id: 7, type: "u16", name: "mapDataLength" },
  FLAGS: { id: 8, type: "u32", flags: MPTCP_SUBFLOW_FLAG },
  ID_REM: { id: 9, type: "u8", name: "idRemote" },
  ID_LOC: { id: 10, type: "u8", name: "idLocal" },
  PAD: { id: 11, type: "pad" },
});

/** INET_ULP_INFO_* (INET_DIAG_ULP_INFO: the upper-layer protocol, kTLS or an MPTCP subflow). */
export const INET_ULP_INFO_ATTRS: AttrSchema = attrSchema("INET_ULP_INFO_", "linux/inet_diag.h", {
  NAME: { id: 1, type: "string" },
  TLS: { id: 2, type: "nested", schema: TLS_INFO_ATTRS },
  MPTCP: { id: 3, type: "nested", schema: MPTCP_SUBFLOW_ATTRS },
});

/** An address of an SCTP endpoint or association (INET_DIAG_LOCALS/PEERS, sctp_info's primary path). */
export interface SctpAddress {
  /** `"inet"` or `"inet6"` (another family's number as is). */
  family: "inet" | "inet6" | number;
  /** The address as text. */
  address: string;
  /** The port (0 in address lists, which carry the socket's port in its header). */
  port: number;
}

/**
 * struct sctp_info decoded (INET_DIAG_INFO of SCTP): an association's
 * counters and primary path, or for an endpoint only the socket options
 * (the last eight fields; the rest are zero). A shorter struct from an older
 * kernel leaves its missing fields out.
 */
export interface SctpInfo {
  /** The association's state (`"closed"` for an endpoint). */
  state: SctpState | number;
  /** Our verification tag. */
  tag: number;
  /** Our advertised receive window. */
  rwnd: number;
  /** Data chunks sent and not yet acknowledged. */
  unackData: number;
  /** Data chunks received, waiting to be delivered. */
  pendData: number;
  /** Inbound streams. */
  inStreams: number;
  /** Outbound streams. */
  outStreams: number;
  /** The fragmentation point (bytes). */
  fragmentationPoint: number;
  /** Chunks in the inbound queue. */
  inQueue: number;
  /** Chunks in the outbound queue. */
  outQueue: number;
  /** The association's error counter. */
  overallError: number;
  /** Maximum burst. */
  maxBurst: number;
  /** Maximum segment (the fragmentation point as set). */
  maxSeg: number;
  /** The peer's receive window. */
  peerRwnd: number;
  /** The peer's verification tag. */
  peerTag: number;
  /** The peer's capabilities (bits: auth, PR-SCTP, ASCONF, hostname, IPv6, IPv4, ECN, low first). */
  peerCapable: number;
  /** SACK state (bits: zero window announced, SACK generation, SACK needed). */
  peerSack: number;
  /** SACKs received. */
  inSacks: bigint;
  /** SACKs sent. */
  outSacks: bigint;
  /** Packets sent. */
  outPackets: bigint;
  /** Packets received. */
  inPackets: bigint;
  /** Chunks retransmitted. */
  rtxChunks: bigint;
  /** TSNs received out of sequence. */
  outOfSeqTsns: bigint;
  /** Duplicate chunks received. */
  inDupChunks: bigint;
  /** Gap reports received. */
  gapCount: bigint;
  /** Unordered data chunks sent. */
  outUnorderedChunks: bigint;
  /** Unordered data chunks received. */
  inUnorderedChunks: bigint;
  /** Ordered data chunks sent. */
  outOrderedChunks: bigint;
  /** Ordered data chunks received. */
  inOrderedChunks: bigint;
  /** Control chunks sent. */
  outCtrlChunks: bigint;
  /** Control chunks received. */
  inCtrlChunks: bigint;
  /** The primary path's state (SCTP_INACTIVE, SCTP_ACTIVE, …). */
  primaryState: number;
  /** The primary path's congestion window. */
  primaryCwnd: number;
  /** The primary path's smoothed round-trip time (ms). */
  primarySrtt: number;
  /** The primary path's retransmission timeout (ms). */
  primaryRto: number;
  /** The primary path's heartbeat interval (ms). */
  primaryHbInterval: number;
  /** The primary path's maximum retransmissions. */
  primaryPathMaxRxt: number;
  /** The primary path's SACK delay (ms). */
  primarySackDelay: number;
  /** The primary path's SACK frequency. */
  primarySackFreq: number;
  /** The primary path's slow-start threshold. */
  primarySsthresh: number;
  /** The primary path's partially acknowledged bytes. */
  primaryPartialBytesAcked: number;
  /** The primary path's bytes in flight. */
  primaryFlightSize: number;
  /** The primary path's error counter. */
  primaryError: number;
  /** SCTP_AUTOCLOSE (seconds; 0: off). */
  autoclose: number;
  /** The adaptation layer indication. */
  adaptationInd: number;
  /** The partial delivery point. */
  pdPoint: number;
  /** SCTP_NODELAY. */
  nodelay: number;
  /** SCTP_DISABLE_FRAGMENTS. */
  disableFragments: number;
  /** SCTP_I_WANT_MAPPED_V4_ADDR. */
  v4mapped: number;
  /** SCTP_FRAGMENT_INTERLEAVE. */
  fragInterleave: number;
  /** The socket's style (0: one-to-one, 1: one-to-many). */
  socketType: number;
  /** The primary path's address (undefined for an endpoint). */
  primaryAddress?: SctpAddress;
}

/** One sockaddr_storage at `off` as an {@linkcode SctpAddress}, or undefined when its family is neither IP. */
function sockaddr(b: Uint8Array, v: DataView, off: number): SctpAddress | undefined {
  const family = v.getUint16(off, true);
  const st = family === AF_INET ? SOCKADDR_IN : family === AF_INET6 ? SOCKADDR_IN6 : undefined;
  if (st === undefined) return undefined;
  const x = st.decode(b, v, off, st.size);
  return { family: family === AF_INET ? "inet" : "inet6", address: x.address as string, port: x.port as number };
}

/** INET_DIAG_LOCALS/PEERS: a run of sockaddr_storage (an element of another family is skipped). */
const SOCKADDR_LIST_CODEC = decodeOnly((b, v, off, len) => {
  const out: SctpAddress[] = [];
  for (let at = off; at + SOCKADDR_STORAGE.size <= off + len; at += SOCKADDR_STORAGE.size) {
    const a = sockaddr(b, v, at);
    if (a) out.push(a);
  }
  return out;
});

/** sctp_info with its primary address decoded and its state named (an older, shorter struct decodes what fits). */
const SCTP_INFO_CODEC = decodeOnly((b, v, off, len) => {
  const x = SCTP_INFO.decode(b, v, off, Math.min(len, SCTP_INFO.size), {});
  const pa = SCTP_INFO.fields.find((f) => f.name === "primaryAddress")!;
  x.primaryAddress = len >= pa.offset + pa.size ? sockaddr(b, v, off + pa.offset) : undefined;
  if (x.primaryAddress === undefined) delete x.primaryAddress;
  if (typeof x.state === "number") x.state = SCTP_STATE.name(x.state);
  return x;
});

/** Which layout INET_DIAG_INFO has: it depends on the protocol asked for. */
export type InetInfoLayout = "tcp" | "mptcp" | "sctp" | "raw";

function inetAttrSpecs(info: InetInfoLayout): Record<string, AttrSpec> {
  return {
    MEMINFO: { id: 1, type: "struct", struct: INET_DIAG_MEMINFO, name: "meminfo" },
    INFO: info === "tcp"
      ? { id: 2, type: "custom", codec: TCP_INFO_CODEC, name: "tcpInfo" }
      : info === "mptcp"
      ? { id: 2, type: "custom", codec: structCodec(MPTCP_INFO), name: "mptcpInfo" }
      : info === "sctp"
      ? { id: 2, type: "custom", codec: SCTP_INFO_CODEC, name: "sctpInfo" }
      : { id: 2, type: "binary", name: "info" },
    VEGASINFO: { id: 3, type: "custom", codec: structCodec(TCPVEGAS_INFO), name: "vegasInfo" },
    CONG: { id: 4, type: "string", name: "congestion" },
    TOS: { id: 5, type: "u8", name: "tos" },
    TCLASS: { id: 6, type: "u8", name: "tclass" },
    SKMEMINFO: { ...SKMEMINFO_SPEC, id: 7, name: "skmeminfo" },
    SHUTDOWN: { id: 8, type: "u8", name: "shutdown" },
    DCTCPINFO: { id: 9, type: "custom", codec: structCodec(TCP_DCTCP_INFO), name: "dctcpInfo" },
    PROTOCOL: { id: 10, type: "u8", name: "rawProtocol" },
    SKV6ONLY: { id: 11, type: "u8", name: "v6only" },
    LOCALS: { id: 12, type: "custom", codec: SOCKADDR_LIST_CODEC, name: "locals" },
    PEERS: { id: 13, type: "custom", codec: SOCKADDR_LIST_CODEC, name: "peers" },
    PAD: { id: 14, type: "pad" },
    MARK: { id: 15, type: "u32", name: "mark" },
    BBRINFO: { id: 16, type: "custom", codec: BBR_CODEC, name: "bbrInfo" },
    CLASS_ID: { id: 17, type: "u32", name: "classId" },
    MD5SIG: { id: 18, type: "custom", codec: MD5SIG_CODEC, name: "md5sig" },
    ULP_INFO: { id: 19, type: "nested", schema: INET_ULP_INFO_ATTRS, name: "ulp" },
    SK_BPF_STORAGES: { id: 20, type: "binary", name: "bpfStorages" },
    CGROUP_ID: { id: 21, type: "u64", name: "cgroupId" },
    SOCKOPT: { id: 22, type: "custom", codec: SOCKOPT_CODEC, name: "sockopt" },
  };
}

/** INET_DIAG_* of TCP and DCCP sockets (INFO is a tcp_info). */
export const INET_ATTRS_TCP: AttrSchema = attrSchema("INET_DIAG_", "linux/inet_diag.h", inetAttrSpecs("tcp"));
/** INET_DIAG_* of MPTCP sockets (INFO is an mptcp_info). */
export const INET_ATTRS_MPTCP: AttrSchema = attrSchema("INET_DIAG_", "linux/inet_diag.h", inetAttrSpecs("mptcp"), {
  audit: false,
});
/** INET_DIAG_* of SCTP sockets (INFO is an sctp_info). */
export const INET_ATTRS_SCTP: AttrSchema = attrSchema("INET_DIAG_", "linux/inet_diag.h", inetAttrSpecs("sctp"), {
  audit: false,
});
/** INET_DIAG_* of other protocols (INFO kept as bytes). */
export const INET_ATTRS_OTHER: AttrSchema = attrSchema("INET_DIAG_", "linux/inet_diag.h", inetAttrSpecs("raw"), {
  audit: false,
});

/** UNIX_DIAG_* (numbered from 0: the header asks for no NONE attribute). */
export const UNIX_ATTRS: AttrSchema = attrSchema("UNIX_DIAG_", "linux/unix_diag.h", {
  NAME: { id: 0, type: "custom", codec: UNIX_NAME_CODEC },
  VFS: { id: 1, type: "struct", struct: UNIX_DIAG_VFS },
  PEER: { id: 2, type: "u32" },
  ICONS: { ...U32_RUN, id: 3 },
  RQLEN: { id: 4, type: "struct", struct: UNIX_DIAG_RQLEN, name: "rqlen" },
  MEMINFO: { ...SKMEMINFO_SPEC, id: 5, name: "skmeminfo" },
  SHUTDOWN: { id: 6, type: "u8" },
  UID: { id: 7, type: "u32" },
});

/** PACKET_DIAG_* (numbered from 0). */
export const PACKET_ATTRS: AttrSchema = attrSchema("PACKET_DIAG_", "linux/packet_diag.h", {
  INFO: { id: 0, type: "custom", codec: structCodec(PACKET_DIAG_INFO) },
  MCLIST: { id: 1, type: "custom", codec: MCLIST_CODEC },
  RX_RING: { id: 2, type: "custom", codec: structCodec(PACKET_DIAG_RING) },
  TX_RING: { id: 3, type: "custom", codec: structCodec(PACKET_DIAG_RING) },
  FANOUT: { id: 4, type: "custom", codec: FANOUT_CODEC },
  UID: { id: 5, type: "u32" },
  MEMINFO: { ...SKMEMINFO_SPEC, id: 6, name: "skmeminfo" },
  FILTER: { id: 7, type: "custom", codec: structRun(SOCK_FILTER) },
});

/** NETLINK_DIAG_* (numbered from 0). */
export const NETLINK_ATTRS: AttrSchema = attrSchema("NETLINK_DIAG_", "linux/netlink_diag.h", {
  MEMINFO: { ...SKMEMINFO_SPEC, id: 0, name: "skmeminfo" },
  GROUPS: { id: 1, type: "custom", codec: GROUPS_CODEC },
  RX_RING: { id: 2, type: "custom", codec: structCodec(NETLINK_DIAG_RING) },
  TX_RING: { id: 3, type: "custom", codec: structCodec(NETLINK_DIAG_RING) },
  FLAGS: { id: 4, type: "u32", flags: NDIAG_FLAG },
});

/** XDP_DIAG_* (XDP_DIAG_NONE is 0 here). */
export const XDP_ATTRS: AttrSchema = attrSchema("XDP_DIAG_", "linux/xdp_diag.h", {
  INFO: { id: 1, type: "custom", codec: structCodec(XDP_DIAG_INFO) },
  UID: { id: 2, type: "u32" },
  RX_RING: { id: 3, type: "u32", name: "rxRing" },
  TX_RING: { id: 4, type: "u32", name: "txRing" },
  UMEM: { id: 5, type: "custom", codec: structCodec(XDP_DIAG_UMEM) },
  UMEM_FILL_RING: { id: 6, type: "u32", name: "fillRing" },
  UMEM_COMPLETION_RING: { id: 7, type: "u32", name: "completionRing" },
  MEMINFO: { ...SKMEMINFO_SPEC, id: 8, name: "skmeminfo" },
  STATS: { id: 9, type: "custom", codec: structCodec(XDP_DIAG_STATS) },
});
