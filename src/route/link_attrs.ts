/**
 * Link (RTM_*LINK) layout as data: struct ifinfomsg, every IFLA_* attribute and
 * the nested sets under it (af_spec, xdp, VF info, ports, link info).
 *
 * @module
 */
import { cEnum } from "../core/enums.ts";
import { messageSchema } from "../core/message.ts";
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { cStruct } from "../core/struct.ts";
import { familyNumber } from "./constants.ts";
import {
  IF_LINK_MODE,
  IF_OPER,
  IFINFOMSG,
  IFLA_EVENT,
  IN6_ADDR_GEN_MODE,
  LINK_NAME_ATTRS,
  XDP_ATTACHED,
} from "./link_header.ts";
// The kinds register their layouts when they load (link_kinds.ts): a link without kind data never needs them.
import { linkKindSchemas, linkSlaveKindSchemas } from "./link_kind_registry.ts";
import { LINK_STATS, LINK_STATS64 } from "./link_stats.ts";

export {
  ARPHRD,
  IF_LINK_MODE,
  IF_OPER,
  IFF,
  IFINFOMSG,
  IFLA_EVENT,
  IN6_ADDR_GEN_MODE,
  VF_LINK_STATE,
  XDP_ATTACHED,
} from "./link_header.ts";

/** struct rtnl_link_ifmap (IFLA_MAP). */
export const LINK_IFMAP = cStruct("linux/if_link.h", "struct rtnl_link_ifmap", [
  { c: "mem_start", type: "u64" },
  { c: "mem_end", type: "u64" },
  { c: "base_addr", type: "u64" },
  { c: "irq", type: "u16" },
  { c: "dma", type: "u8" },
  { c: "port", type: "u8" },
]);

/** struct ifla_cacheinfo (IFLA_INET6_CACHEINFO). */
export const IFLA_CACHEINFO = cStruct("linux/if_link.h", "struct ifla_cacheinfo", [
  { c: "max_reasm_len", type: "u32" },
  { c: "tstamp", type: "u32" },
  { c: "reachable_time", type: "u32" },
  { c: "retrans_time", type: "u32" },
]);

/** IPv4 per-device settings, positions of IFLA_INET_CONF (IPV4_DEVCONF_*, first is 1). */
export const IPV4_DEVCONF = cEnum("linux/ip.h", "IPV4_DEVCONF_", {
  FORWARDING: 1,
  MC_FORWARDING: 2,
  PROXY_ARP: 3,
  ACCEPT_REDIRECTS: 4,
  SECURE_REDIRECTS: 5,
  SEND_REDIRECTS: 6,
  SHARED_MEDIA: 7,
  RP_FILTER: 8,
  ACCEPT_SOURCE_ROUTE: 9,
  BOOTP_RELAY: 10,
  LOG_MARTIANS: 11,
  TAG: 12,
  ARPFILTER: 13,
  MEDIUM_ID: 14,
  NOXFRM: 15,
  NOPOLICY: 16,
  FORCE_IGMP_VERSION: 17,
  ARP_ANNOUNCE: 18,
  ARP_IGNORE: 19,
  PROMOTE_SECONDARIES: 20,
  ARP_ACCEPT: 21,
  ARP_NOTIFY: 22,
  ACCEPT_LOCAL: 23,
  SRC_VMARK: 24,
  PROXY_ARP_PVLAN: 25,
  ROUTE_LOCALNET: 26,
  IGMPV2_UNSOLICITED_REPORT_INTERVAL: 27,
  IGMPV3_UNSOLICITED_REPORT_INTERVAL: 28,
  IGNORE_ROUTES_WITH_LINKDOWN: 29,
  DROP_UNICAST_IN_L2_MULTICAST: 30,
  DROP_GRATUITOUS_ARP: 31,
  BC_FORWARDING: 32,
  ARP_EVICT_NOCARRIER: 33,
});

/** IPv6 per-device settings, positions of IFLA_INET6_CONF (DEVCONF_*, first is 0). */
export const IPV6_DEVCONF = cEnum("linux/ipv6.h", "DEVCONF_", {
  FORWARDING: 0,
  HOPLIMIT: 1,
  MTU6: 2,
  ACCEPT_RA: 3,
  ACCEPT_REDIRECTS: 4,
  AUTOCONF: 5,
  DAD_TRANSMITS: 6,
  RTR_SOLICITS: 7,
  RTR_SOLICIT_INTERVAL: 8,
  RTR_SOLICIT_DELAY: 9,
  USE_TEMPADDR: 10,
  TEMP_VALID_LFT: 11,
  TEMP_PREFERED_LFT: 12,
  REGEN_MAX_RETRY: 13,
  MAX_DESYNC_FACTOR: 14,
  MAX_ADDRESSES: 15,
  FORCE_MLD_VERSION: 16,
  ACCEPT_RA_DEFRTR: 17,
  ACCEPT_RA_PINFO: 18,
  ACCEPT_RA_RTR_PREF: 19,
  RTR_PROBE_INTERVAL: 20,
  ACCEPT_RA_RT_INFO_MAX_PLEN: 21,
  PROXY_NDP: 22,
  OPTIMISTIC_DAD: 23,
  ACCEPT_SOURCE_ROUTE: 24,
  MC_FORWARDING: 25,
  DISABLE_IPV6: 26,
  ACCEPT_DAD: 27,
  FORCE_TLLAO: 28,
  NDISC_NOTIFY: 29,
  MLDV1_UNSOLICITED_REPORT_INTERVAL: 30,
  MLDV2_UNSOLICITED_REPORT_INTERVAL: 31,
  SUPPRESS_FRAG_NDISC: 32,
  ACCEPT_RA_FROM_LOCAL: 33,
  USE_OPTIMISTIC: 34,
  ACCEPT_RA_MTU: 35,
  STABLE_SECRET: 36,
  USE_OIF_ADDRS_ONLY: 37,
  ACCEPT_RA_MIN_HOP_LIMIT: 38,
  IGNORE_ROUTES_WITH_LINKDOWN: 39,
  DROP_UNICAST_IN_L2_MULTICAST: 40,
  DROP_UNSOLICITED_NA: 41,
  KEEP_ADDR_ON_DOWN: 42,
  RTR_SOLICIT_MAX_INTERVAL: 43,
  SEG6_ENABLED: 44,
  SEG6_REQUIRE_HMAC: 45,
  ENHANCED_DAD: 46,
  ADDR_GEN_MODE: 47,
  DISABLE_POLICY: 48,
  ACCEPT_RA_RT_INFO_MIN_PLEN: 49,
  NDISC_TCLASS: 50,
  RPL_SEG_ENABLED: 51,
  RA_DEFRTR_METRIC: 52,
  IOAM6_ENABLED: 53,
  IOAM6_ID: 54,
  IOAM6_ID_WIDE: 55,
  NDISC_EVICT_NOCARRIER: 56,
  ACCEPT_UNTRACKED_NA: 57,
  ACCEPT_RA_MIN_LFT: 58,
});

/** IPv6 statistics positions (IPSTATS_MIB_*, first is the count). */
export const IPSTATS_MIB = cEnum("linux/snmp.h", "IPSTATS_MIB_", {
  NUM: 0,
  INPKTS: 1,
  INOCTETS: 2,
  INDELIVERS: 3,
  OUTFORWDATAGRAMS: 4,
  OUTPKTS: 5,
  OUTOCTETS: 6,
  INHDRERRORS: 7,
  INTOOBIGERRORS: 8,
  INNOROUTES: 9,
  INADDRERRORS: 10,
  INUNKNOWNPROTOS: 11,
  INTRUNCATEDPKTS: 12,
  INDISCARDS: 13,
  OUTDISCARDS: 14,
  OUTNOROUTES: 15,
  REASMTIMEOUT: 16,
  REASMREQDS: 17,
  REASMOKS: 18,
  REASMFAILS: 19,
  FRAGOKS: 20,
  FRAGFAILS: 21,
  FRAGCREATES: 22,
  INMCASTPKTS: 23,
  OUTMCASTPKTS: 24,
  INBCASTPKTS: 25,
  OUTBCASTPKTS: 26,
  INMCASTOCTETS: 27,
  OUTMCASTOCTETS: 28,
  INBCASTOCTETS: 29,
  OUTBCASTOCTETS: 30,
  CSUMERRORS: 31,
  NOECTPKTS: 32,
  ECT1PKTS: 33,
  ECT0PKTS: 34,
  CEPKTS: 35,
  REASM_OVERLAPS: 36,
});

/** ICMPv6 statistics positions (ICMP6_MIB_*, first is the count). */
export const ICMP6_MIB = cEnum("linux/snmp.h", "ICMP6_MIB_", {
  NUM: 0,
  INMSGS: 1,
  INERRORS: 2,
  OUTMSGS: 3,
  OUTERRORS: 4,
  CSUMERRORS: 5,
  RATELIMITHOST: 6,
});

const INET_ATTRS = attrSchema("IFLA_INET_", "linux/if_link.h", {
  CONF: { id: 1, type: "values", of: "u32", names: IPV4_DEVCONF, namesBase: 1 },
});

/** IFLA_INET6_*: IPv6's per-link state (under IFLA_AF_SPEC, and as IFLA_PROTINFO of an AF_INET6 link dump). */
export const INET6_ATTRS: AttrSchema = attrSchema("IFLA_INET6_", "linux/if_link.h", {
  FLAGS: { id: 1, type: "u32" },
  CONF: { id: 2, type: "values", of: "s32", names: IPV6_DEVCONF, namesBase: 0 },
  STATS: { id: 3, type: "values", of: "u64", names: IPSTATS_MIB, namesBase: 0 },
  MCAST: { id: 4, type: "binary" },
  CACHEINFO: { id: 5, type: "struct", struct: IFLA_CACHEINFO },
  ICMP6STATS: { id: 6, type: "values", of: "u64", names: ICMP6_MIB, namesBase: 0 },
  TOKEN: { id: 7, type: "ipv6" },
  ADDR_GEN_MODE: { id: 8, type: "u8", enum: IN6_ADDR_GEN_MODE },
  RA_MTU: { id: 9, type: "u32" },
});

const BRIDGE_AF_ATTRS = attrSchema("IFLA_BRIDGE_", "linux/if_bridge.h", {
  FLAGS: { id: 0, type: "u16" },
  MODE: { id: 1, type: "u16" },
  VLAN_INFO: {
    id: 2,
    type: "struct",
    multi: true,
    struct: cStruct("linux/if_bridge.h", "struct bridge_vlan_info", [
      { c: "flags", type: "u16" },
      { c: "vid", type: "u16" },
    ]),
  },
  VLAN_TUNNEL_INFO: { id: 3, type: "binary", multi: true },
  MRP: { id: 4, type: "binary" },
  CFM: { id: 5, type: "binary" },
  MST: { id: 6, type: "binary" },
});

const MCTP_AF_ATTRS = attrSchema("IFLA_MCTP_", "linux/if_link.h", {
  NET: { id: 1, type: "u32" },
});

/** IFLA_AF_SPEC: one nest per address family. */
const AF_SPEC_ATTRS = attrSchema("AF_", "sys/socket.h", {
  INET: { id: 2, type: "nested", schema: INET_ATTRS },
  INET6: { id: 10, type: "nested", schema: INET6_ATTRS },
  BRIDGE: { id: 7, type: "nested", schema: BRIDGE_AF_ATTRS },
  MCTP: { id: 45, type: "nested", schema: MCTP_AF_ATTRS },
});

const XDP_ATTRS = attrSchema("IFLA_XDP_", "linux/if_link.h", {
  FD: { id: 1, type: "s32" },
  ATTACHED: { id: 2, type: "u8", enum: XDP_ATTACHED },
  FLAGS: { id: 3, type: "u32" },
  PROG_ID: { id: 4, type: "u32" },
  DRV_PROG_ID: { id: 5, type: "u32" },
  SKB_PROG_ID: { id: 6, type: "u32" },
  HW_PROG_ID: { id: 7, type: "u32" },
  EXPECTED_FD: { id: 8, type: "s32" },
});

const vfStruct = (cType: string, fields: { c: string; type: "u32" | "u64" | "be16" | "bytes"; size?: number }[]) =>
  cStruct("linux/if_link.h", `struct ${cType}`, fields);

const VF_STATS_ATTRS = attrSchema("IFLA_VF_STATS_", "linux/if_link.h", {
  RX_PACKETS: { id: 0, type: "u64" },
  TX_PACKETS: { id: 1, type: "u64" },
  RX_BYTES: { id: 2, type: "u64" },
  TX_BYTES: { id: 3, type: "u64" },
  BROADCAST: { id: 4, type: "u64" },
  MULTICAST: { id: 5, type: "u64" },
  PAD: { id: 6, type: "pad" },
  RX_DROPPED: { id: 7, type: "u64" },
  TX_DROPPED: { id: 8, type: "u64" },
});

const VF_VLAN_INFO = vfStruct("ifla_vf_vlan_info", [
  { c: "vf", type: "u32" },
  { c: "vlan", type: "u32" },
  { c: "qos", type: "u32" },
  { c: "vlan_proto", type: "be16" },
]);

const VF_ATTRS = attrSchema("IFLA_VF_", "linux/if_link.h", {
  MAC: {
    id: 1,
    type: "struct",
    struct: vfStruct("ifla_vf_mac", [{ c: "vf", type: "u32" }, { c: "mac", type: "bytes", size: 32 }]),
  },
  VLAN: {
    id: 2,
    type: "struct",
    struct: vfStruct("ifla_vf_vlan", [{ c: "vf", type: "u32" }, { c: "vlan", type: "u32" }, { c: "qos", type: "u32" }]),
  },
  TX_RATE: {
    id: 3,
    type: "struct",
    struct: vfStruct("ifla_vf_tx_rate", [{ c: "vf", type: "u32" }, { c: "rate", type: "u32" }]),
  },
  SPOOFCHK: {
    id: 4,
    type: "struct",
    struct: vfStruct("ifla_vf_spoofchk", [{ c: "vf", type: "u32" }, { c: "setting", type: "u32" }]),
  },
  LINK_STATE: {
    id: 5,
    type: "struct",
    struct: vfStruct("ifla_vf_link_state", [{ c: "vf", type: "u32" }, { c: "link_state", type: "u32" }]),
  },
  RATE: {
    id: 6,
    type: "struct",
    struct: vfStruct("ifla_vf_rate", [{ c: "vf", type: "u32" }, { c: "min_tx_rate", type: "u32" }, {
      c: "max_tx_rate",
      type: "u32",
    }]),
  },
  RSS_QUERY_EN: {
    id: 7,
    type: "struct",
    struct: vfStruct("ifla_vf_rss_query_en", [{ c: "vf", type: "u32" }, { c: "setting", type: "u32" }]),
  },
  STATS: { id: 8, type: "nested", schema: VF_STATS_ATTRS },
  TRUST: {
    id: 9,
    type: "struct",
    struct: vfStruct("ifla_vf_trust", [{ c: "vf", type: "u32" }, { c: "setting", type: "u32" }]),
  },
  IB_NODE_GUID: {
    id: 10,
    type: "struct",
    struct: vfStruct("ifla_vf_guid", [{ c: "vf", type: "u32" }, { c: "guid", type: "u64" }]),
  },
  IB_PORT_GUID: {
    id: 11,
    type: "struct",
    struct: vfStruct("ifla_vf_guid", [{ c: "vf", type: "u32" }, { c: "guid", type: "u64" }]),
  },
  VLAN_LIST: {
    id: 12,
    type: "nested",
    schema: attrSchema("IFLA_VF_VLAN_", "linux/if_link.h", {
      INFO: { id: 1, type: "struct", struct: VF_VLAN_INFO, multi: true },
    }),
  },
  BROADCAST: {
    id: 13,
    type: "struct",
    struct: vfStruct("ifla_vf_broadcast", [{ c: "broadcast", type: "bytes", size: 32 }]),
  },
});

const VFINFO_LIST_ATTRS = attrSchema("IFLA_VF_", "linux/if_link.h", {
  INFO: { id: 1, type: "nested", schema: VF_ATTRS, multi: true },
});

const PORT_ATTRS = attrSchema("IFLA_PORT_", "linux/if_link.h", {
  VF: { id: 1, type: "u32" },
  PROFILE: { id: 2, type: "string" },
  VSI_TYPE: {
    id: 3,
    type: "struct",
    struct: cStruct("linux/if_link.h", "struct ifla_port_vsi", [
      { c: "vsi_mgr_id", type: "u8" },
      { c: "vsi_type_id", type: "bytes", size: 3 },
      { c: "vsi_type_version", type: "u8" },
      { c: "pad", type: "pad", size: 3 },
    ]),
  },
  INSTANCE_UUID: { id: 4, type: "binary" },
  HOST_UUID: { id: 5, type: "binary" },
  REQUEST: { id: 6, type: "u8" },
  RESPONSE: { id: 7, type: "u16" },
});

const VF_PORTS_ATTRS = attrSchema("IFLA_VF_", "linux/if_link.h", {
  PORT: { id: 1, type: "nested", schema: PORT_ATTRS, multi: true },
});

const PROTO_DOWN_REASON_ATTRS = attrSchema("IFLA_PROTO_DOWN_REASON_", "linux/if_link.h", {
  MASK: { id: 1, type: "u32" },
  VALUE: { id: 2, type: "u32" },
});

const DPLL_PIN_ATTRS = attrSchema("DPLL_A_PIN_", "linux/dpll.h", {
  ID: { id: 1, type: "u32" },
}, { audit: false }); // linux/dpll.h is newer than the headers here (kernel 6.7)

/** IFLA_LINKINFO: the kind and its kind-specific data. */
export const LINKINFO_ATTRS: AttrSchema = attrSchema("IFLA_INFO_", "linux/if_link.h", {
  KIND: { id: 1, type: "string", noNul: true },
  DATA: { id: 2, type: "submessage", selector: "kind", variants: linkKindSchemas },
  XSTATS: { id: 3, type: "binary" },
  SLAVE_KIND: { id: 4, type: "string" },
  SLAVE_DATA: { id: 5, type: "submessage", selector: "slaveKind", variants: linkSlaveKindSchemas },
});

/** Every IFLA_* attribute of a link message. */
export const LINK_ATTRS: AttrSchema = attrSchema("IFLA_", "linux/if_link.h", {
  ADDRESS: { id: 1, type: "lladdr" },
  BROADCAST: { id: 2, type: "lladdr" },
  IFNAME: LINK_NAME_ATTRS.IFNAME,
  MTU: { id: 4, type: "u32" },
  LINK: { id: 5, type: "u32" },
  QDISC: { id: 6, type: "string" },
  STATS: { id: 7, type: "struct", struct: LINK_STATS },
  COST: { id: 8, type: "binary" },
  PRIORITY: { id: 9, type: "binary" },
  MASTER: { id: 10, type: "u32" },
  WIRELESS: { id: 11, type: "binary" },
  // An AF_INET6 link dump (`ip token`) carries IPv6's per-link state here; other families' stay raw.
  PROTINFO: { id: 12, type: "submessage", selector: "family", variants: { inet6: INET6_ATTRS } },
  TXQLEN: { id: 13, type: "u32" },
  MAP: { id: 14, type: "struct", struct: LINK_IFMAP },
  WEIGHT: { id: 15, type: "u32" },
  OPERSTATE: { id: 16, type: "u8", enum: IF_OPER },
  LINKMODE: { id: 17, type: "u8", enum: IF_LINK_MODE },
  LINKINFO: { id: 18, type: "nested", schema: LINKINFO_ATTRS },
  NET_NS_PID: { id: 19, type: "u32" },
  IFALIAS: { id: 20, type: "string", noNul: true },
  NUM_VF: { id: 21, type: "u32" },
  VFINFO_LIST: { id: 22, type: "nested", schema: VFINFO_LIST_ATTRS },
  STATS64: { id: 23, type: "struct", struct: LINK_STATS64 },
  VF_PORTS: { id: 24, type: "nested", schema: VF_PORTS_ATTRS },
  PORT_SELF: { id: 25, type: "nested", schema: PORT_ATTRS },
  AF_SPEC: { id: 26, type: "nested", schema: AF_SPEC_ATTRS },
  GROUP: { id: 27, type: "u32" },
  NET_NS_FD: { id: 28, type: "u32" },
  EXT_MASK: LINK_NAME_ATTRS.EXT_MASK,
  PROMISCUITY: { id: 30, type: "u32" },
  NUM_TX_QUEUES: { id: 31, type: "u32" },
  NUM_RX_QUEUES: { id: 32, type: "u32" },
  CARRIER: { id: 33, type: "u8" },
  PHYS_PORT_ID: { id: 34, type: "binary" },
  CARRIER_CHANGES: { id: 35, type: "u32" },
  PHYS_SWITCH_ID: { id: 36, type: "binary" },
  LINK_NETNSID: { id: 37, type: "s32" },
  PHYS_PORT_NAME: { id: 38, type: "string" },
  PROTO_DOWN: { id: 39, type: "u8" },
  GSO_MAX_SEGS: { id: 40, type: "u32" },
  GSO_MAX_SIZE: { id: 41, type: "u32" },
  PAD: { id: 42, type: "pad" },
  XDP: { id: 43, type: "nested", schema: XDP_ATTRS },
  EVENT: { id: 44, type: "u32", enum: IFLA_EVENT },
  NEW_NETNSID: { id: 45, type: "s32" },
  TARGET_NETNSID: { id: 46, type: "s32" },
  CARRIER_UP_COUNT: { id: 47, type: "u32" },
  CARRIER_DOWN_COUNT: { id: 48, type: "u32" },
  NEW_IFINDEX: { id: 49, type: "s32" },
  MIN_MTU: { id: 50, type: "u32" },
  MAX_MTU: { id: 51, type: "u32" },
  PROP_LIST: LINK_NAME_ATTRS.PROP_LIST,
  ALT_IFNAME: LINK_NAME_ATTRS.ALT_IFNAME,
  PERM_ADDRESS: { id: 54, type: "lladdr" },
  PROTO_DOWN_REASON: { id: 55, type: "nested", schema: PROTO_DOWN_REASON_ATTRS, nestedFlag: true },
  PARENT_DEV_NAME: { id: 56, type: "string" },
  PARENT_DEV_BUS_NAME: { id: 57, type: "string" },
  GRO_MAX_SIZE: { id: 58, type: "u32" },
  TSO_MAX_SIZE: { id: 59, type: "u32" },
  TSO_MAX_SEGS: { id: 60, type: "u32" },
  ALLMULTI: { id: 61, type: "u32" },
  // Newer than the audited headers (Linux 6.1); numbers from the kernel's rt-link spec.
  DEVLINK_PORT: { id: 62, type: "binary", since: "6.4" },
  GSO_IPV4_MAX_SIZE: { id: 63, type: "u32", since: "6.3" },
  GRO_IPV4_MAX_SIZE: { id: 64, type: "u32", since: "6.3" },
  DPLL_PIN: { id: 65, type: "nested", schema: DPLL_PIN_ATTRS, since: "6.7" },
  MAX_PACING_OFFLOAD_HORIZON: { id: 66, type: "uint", since: "6.13" },
  NETNS_IMMUTABLE: { id: 67, type: "u8", since: "6.13" },
  HEADROOM: { id: 68, type: "u16", since: "6.15" },
  TAILROOM: { id: 69, type: "u16", since: "6.15" },
});

/** The link message: ifinfomsg + IFLA_* attributes. */
export const LINK_MESSAGE = messageSchema("link", IFINFOMSG, LINK_ATTRS, "family", familyNumber);
