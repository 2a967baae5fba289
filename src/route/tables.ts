/**
 * rtnetlink's constant tables (interface flags and types, address flags,
 * route types, scopes, protocols, tables and flags, neighbour states and
 * flags, rule actions, bridge port states and multicast flags, nexthop group
 * types, link dump filters), defined here apart from the message layouts
 * that use them: a program that prints what it reads gets the names without
 * loading any layout or operation (`jsr:@nlink/nlink/tables`; `ip link show`
 * loads this and not the route, rule or bridge layouts). The root module
 * exports the same objects, and each layout module re-exports its own.
 *
 * @example
 * ```ts
 * import { IFF, RT_SCOPE } from "./tables.ts";
 * IFF.bit("UP"); // 1
 * RT_SCOPE.name(253); // "link"
 * ```
 *
 * @module
 */
import { cTable } from "../core/ctable.ts";
import { cEnum, cFlags, EnumTable, FlagTable } from "../core/enums.ts";

export { ARPHRD, IF_LINK_MODE, IF_OPER, IFF } from "./link_header.ts";
export { RTEXT_FILTER } from "./constants.ts";

// ---------------------------------------------------------------- Routes (linux/rtnetlink.h)

/** Route types (RTN_*). */
export const RTN: EnumTable = cEnum("linux/rtnetlink.h", "RTN_", {
  UNSPEC: 0,
  UNICAST: 1,
  LOCAL: 2,
  BROADCAST: 3,
  ANYCAST: 4,
  MULTICAST: 5,
  BLACKHOLE: 6,
  UNREACHABLE: 7,
  PROHIBIT: 8,
  THROW: 9,
  NAT: 10,
  XRESOLVE: 11,
});

/** Route origins (RTPROT_*), named as iproute2 names them. */
export const RTPROT: EnumTable = cEnum("linux/rtnetlink.h", "RTPROT_", {
  UNSPEC: 0,
  REDIRECT: 1,
  KERNEL: 2,
  BOOT: 3,
  STATIC: 4,
  GATED: 8,
  RA: 9,
  MRT: 10,
  ZEBRA: 11,
  BIRD: 12,
  DNROUTED: 13,
  XORP: 14,
  NTK: 15,
  DHCP: 16,
  MROUTED: 17,
  KEEPALIVED: 18,
  BABEL: 42,
  OPENR: 99,
  BGP: 186,
  ISIS: 187,
  OSPF: 188,
  RIP: 189,
  EIGRP: 192,
});

/** Scopes (RT_SCOPE_*); iproute2 calls RT_SCOPE_UNIVERSE "global". */
export const RT_SCOPE: EnumTable = cEnum(
  "linux/rtnetlink.h",
  "RT_SCOPE_",
  { UNIVERSE: 0, SITE: 200, LINK: 253, HOST: 254, NOWHERE: 255 },
  (k) => (k === "UNIVERSE" ? "global" : k.toLowerCase()),
  { universe: 0 },
);

/** Reserved table ids (RT_TABLE_*). */
export const RT_TABLE: {
  readonly UNSPEC: number;
  readonly COMPAT: number;
  readonly DEFAULT: number;
  readonly MAIN: number;
  readonly LOCAL: number;
} = cTable("linux/rtnetlink.h", "RT_TABLE_", {
  UNSPEC: 0,
  COMPAT: 252,
  DEFAULT: 253,
  MAIN: 254,
  LOCAL: 255,
});

/**
 * The families of multicast routing tables (RTNL_FAMILY_*): a route message
 * of family 128 is an IPv4 multicast forwarding entry, 129 an IPv6 one.
 */
export const RTNL_FAMILY: { readonly IPMR: number; readonly IP6MR: number } = cTable(
  "linux/rtnetlink.h",
  "RTNL_FAMILY_",
  { IPMR: 128, IP6MR: 129 },
);

/** Table names as iproute2 reads them. */
export const TABLE_NAMES: EnumTable = new EnumTable(
  "table",
  { UNSPEC: 0, DEFAULT: 253, MAIN: 254, LOCAL: 255 },
  "lower",
  { all: 0 },
);

const RTNH_F = cTable("linux/rtnetlink.h", "RTNH_F_", {
  DEAD: 1,
  PERVASIVE: 2,
  ONLINK: 4,
  OFFLOAD: 8,
  LINKDOWN: 16,
  UNRESOLVED: 32,
  TRAP: 64,
});

const RTM_F = cTable("linux/rtnetlink.h", "RTM_F_", {
  NOTIFY: 0x100,
  CLONED: 0x200,
  EQUALIZE: 0x400,
  PREFIX: 0x800,
  LOOKUP_TABLE: 0x1000,
  FIB_MATCH: 0x2000,
  OFFLOAD: 0x4000,
  TRAP: 0x8000,
  OFFLOAD_FAILED: 0x20000000,
});

/** Next-hop flags (RTNH_F_*): `dead`, `onlink`, `linkdown`, … */
export const NEXTHOP_FLAGS: FlagTable = new FlagTable("nexthop flags", RTNH_F, "lower");

/**
 * rtm_flags: next-hop flags plus RTM_F_*; iproute2 prints RTM_F_OFFLOAD as
 * `rt_offload` to tell it from the next hop's `offload`.
 */
export const ROUTE_FLAGS: FlagTable = new FlagTable(
  "route flags",
  { ...RTNH_F, ...Object.fromEntries(Object.entries(RTM_F).map(([k, v]) => [`RTM_${k}`, v])) },
  (k) => {
    if (!k.startsWith("RTM_")) return k.toLowerCase();
    const rest = k.slice(4);
    return rest === "OFFLOAD" || rest === "TRAP" || rest === "OFFLOAD_FAILED"
      ? `rt_${rest.toLowerCase()}`
      : rest.toLowerCase();
  },
);

/** Lightweight-tunnel encapsulation types (LWTUNNEL_ENCAP_*), named as iproute2 names them (`seg6local`). */
export const LWTUNNEL_ENCAP: EnumTable = cEnum(
  "linux/lwtunnel.h",
  "LWTUNNEL_ENCAP_",
  { NONE: 0, MPLS: 1, IP: 2, ILA: 3, IP6: 4, SEG6: 5, BPF: 6, SEG6_LOCAL: 7, RPL: 8, IOAM6: 9, XFRM: 10 },
  (k) => (k === "SEG6_LOCAL" ? "seg6local" : k.toLowerCase()),
  { seg6_local: 7 },
);

/** IP protocols a route lookup may name (`ipproto`), with the names iproute2 reads from /etc/protocols. */
export const ROUTE_IPPROTO: EnumTable = cEnum(
  "netinet/in.h",
  "IPPROTO_",
  { ICMP: 1, IGMP: 2, TCP: 6, UDP: 17, DCCP: 33, GRE: 47, ICMPV6: 58, SCTP: 132, UDPLITE: 136 },
  "lower",
  { "ipv6-icmp": 58 },
);

/** IPv6 router preference (RTA_PREF). */
export const ROUTER_PREF: EnumTable = cEnum("linux/icmpv6.h", "ICMPV6_ROUTER_PREF_", {
  LOW: 3,
  MEDIUM: 0,
  HIGH: 1,
  INVALID: 2,
});

// ---------------------------------------------------------------- Addresses (linux/if_addr.h)

/** Address flags (IFA_F_*). */
export const IFA_F: FlagTable = cFlags("linux/if_addr.h", "IFA_F_", {
  SECONDARY: 0x01,
  NODAD: 0x02,
  OPTIMISTIC: 0x04,
  DADFAILED: 0x08,
  HOMEADDRESS: 0x10,
  DEPRECATED: 0x20,
  TENTATIVE: 0x40,
  PERMANENT: 0x80,
  MANAGETEMPADDR: 0x100,
  NOPREFIXROUTE: 0x200,
  MCAUTOJOIN: 0x400,
  STABLE_PRIVACY: 0x800,
});

/** Who configured an address (IFAPROT_*). */
export const IFAPROT: EnumTable = cEnum("linux/if_addr.h", "IFAPROT_", {
  UNSPEC: 0,
  KERNEL_LO: 1,
  KERNEL_RA: 2,
  KERNEL_LL: 3,
});

// ---------------------------------------------------------------- Neighbours (linux/neighbour.h)

/** Neighbour states (NUD_*): `incomplete`, `reachable`, `stale`, `delay`, `probe`, `failed`, `noarp`, `permanent`. */
export const NUD: FlagTable = cFlags("linux/neighbour.h", "NUD_", {
  NONE: 0x00,
  INCOMPLETE: 0x01,
  REACHABLE: 0x02,
  STALE: 0x04,
  DELAY: 0x08,
  PROBE: 0x10,
  FAILED: 0x20,
  NOARP: 0x40,
  PERMANENT: 0x80,
});

/** A neighbour state name (NUD_* in lower case; `none` is 0). */
export type NudState =
  | "none"
  | "incomplete"
  | "reachable"
  | "stale"
  | "delay"
  | "probe"
  | "failed"
  | "noarp"
  | "permanent";

const NTF_BITS = cTable("linux/neighbour.h", "NTF_", {
  USE: 1 << 0,
  SELF: 1 << 1,
  MASTER: 1 << 2,
  PROXY: 1 << 3,
  EXT_LEARNED: 1 << 4,
  OFFLOADED: 1 << 5,
  STICKY: 1 << 6,
  ROUTER: 1 << 7,
});

/**
 * Entry flags (NTF_*), named as iproute2 prints them: `use`, `self`, `master`,
 * `proxy`, `extern_learn`, `offload`, `sticky`, `router`.
 */
export const NTF: FlagTable = new FlagTable(
  "ndm_flags",
  NTF_BITS,
  (k) => k === "EXT_LEARNED" ? "extern_learn" : k === "OFFLOADED" ? "offload" : k.toLowerCase(),
);

/**
 * Extended flags (NDA_FLAGS_EXT): `managed`; `locked` (Linux 6.2) and
 * `ext_validated` (Linux 6.16) are newer than the audited headers.
 */
export const NTF_EXT: FlagTable = new FlagTable(
  "flagsExt",
  { ...cTable("linux/neighbour.h", "NTF_EXT_", { MANAGED: 1 << 0 }), LOCKED: 1 << 1, EXT_VALIDATED: 1 << 2 },
  "lower",
);

// ---------------------------------------------------------------- Rules (linux/fib_rules.h)

const FR_ACT_VALUES = cTable("linux/fib_rules.h", "FR_ACT_", {
  UNSPEC: 0,
  TO_TBL: 1,
  GOTO: 2,
  NOP: 3,
  RES3: 4,
  RES4: 5,
  BLACKHOLE: 6,
  UNREACHABLE: 7,
  PROHIBIT: 8,
});

/**
 * Rule actions: `lookup` (FR_ACT_TO_TBL, iproute2's word; `to_tbl` also
 * reads), `goto`, `nop`, `blackhole`, `unreachable`, `prohibit`, and `nat`
 * (RTN_NAT, the deprecated `ip rule add nat ADDR`).
 */
export const FR_ACT: EnumTable = new EnumTable(
  "action",
  { ...FR_ACT_VALUES, NAT: RTN.value("nat") },
  (k) => (k === "TO_TBL" ? "lookup" : k.toLowerCase()),
  { to_tbl: FR_ACT_VALUES.TO_TBL },
);

/** Rule flags (FIB_RULE_*): `permanent`, `invert` (iproute2's `not`), `unresolved`, `iif_detached`, `oif_detached`, `find_saddr`. */
export const FIB_RULE_FLAGS: FlagTable = cFlags("linux/fib_rules.h", "FIB_RULE_", {
  PERMANENT: 0x1,
  INVERT: 0x2,
  UNRESOLVED: 0x4,
  IIF_DETACHED: 0x8,
  OIF_DETACHED: 0x10,
  FIND_SADDR: 0x10000,
});

/** IP protocols by name (FRA_IP_PROTO), as /etc/protocols spells the common ones. */
export const IPPROTO: EnumTable = cEnum(
  "netinet/in.h",
  "IPPROTO_",
  {
    IP: 0,
    ICMP: 1,
    IGMP: 2,
    IPIP: 4,
    TCP: 6,
    EGP: 8,
    PUP: 12,
    UDP: 17,
    IDP: 22,
    TP: 29,
    DCCP: 33,
    IPV6: 41,
    RSVP: 46,
    GRE: 47,
    ESP: 50,
    AH: 51,
    ICMPV6: 58,
    MTP: 92,
    BEETPH: 94,
    ENCAP: 98,
    PIM: 103,
    COMP: 108,
    SCTP: 132,
    UDPLITE: 136,
    MPLS: 137,
    ETHERNET: 143,
    RAW: 255,
  },
  (k) => (k === "ICMPV6" ? "ipv6-icmp" : k.toLowerCase()),
  { icmpv6: 58 },
);

// ---------------------------------------------------------------- Next-hop objects (linux/nexthop.h)

/** Group types (NEXTHOP_GRP_TYPE_*): `mpath` (hash-threshold) or `resilient`. */
export const NEXTHOP_GRP_TYPE: EnumTable = cEnum(
  "linux/nexthop.h",
  "NEXTHOP_GRP_TYPE_",
  { MPATH: 0, RES: 1 },
  (k) => (k === "RES" ? "resilient" : k.toLowerCase()),
);

// ---------------------------------------------------------------- Multicast database entries (linux/if_bridge.h)

/** An entry's state (MDB_TEMPORARY, MDB_PERMANENT), named as iproute2 prints it. */
export const MDB_STATE: EnumTable = cEnum(
  "linux/if_bridge.h",
  "MDB_",
  { TEMPORARY: 0, PERMANENT: 1 },
  (k) => (k === "TEMPORARY" ? "temp" : "permanent"),
);

/** An entry's flags (MDB_FLAGS_*). */
export const MDB_FLAGS: FlagTable = cFlags("linux/if_bridge.h", "MDB_FLAGS_", {
  OFFLOAD: 1 << 0,
  FAST_LEAVE: 1 << 1,
  STAR_EXCL: 1 << 2,
  BLOCKED: 1 << 3,
});

// ---------------------------------------------------------------- Bridge ports and VLANs (linux/if_bridge.h)

/** Spanning-tree port states (BR_STATE_*), named as iproute2 names them. */
export const BR_STATE: EnumTable = cEnum("linux/if_bridge.h", "BR_STATE_", {
  DISABLED: 0,
  LISTENING: 1,
  LEARNING: 2,
  FORWARDING: 3,
  BLOCKING: 4,
});

/** A port's spanning-tree state. */
export type BridgePortState = "disabled" | "listening" | "learning" | "forwarding" | "blocking";

/** Multicast router modes of a port or VLAN (MDB_RTR_TYPE_*). */
export const MDB_RTR_TYPE: EnumTable = cEnum("linux/if_bridge.h", "MDB_RTR_TYPE_", {
  DISABLED: 0,
  TEMP_QUERY: 1,
  PERM: 2,
  TEMP: 3,
});

/**
 * A multicast router mode: `"disabled"` (never a router port),
 * `"temp_query"` (learned from queries, the default), `"perm"` (always),
 * `"temp"` (a router port until its timer runs out).
 */
export type MulticastRouterType = "disabled" | "temp_query" | "perm" | "temp";

/** struct bridge_vlan_info flags (BRIDGE_VLAN_INFO_*). */
export const BRIDGE_VLAN_INFO: FlagTable = cFlags("linux/if_bridge.h", "BRIDGE_VLAN_INFO_", {
  MASTER: 1 << 0,
  PVID: 1 << 1,
  UNTAGGED: 1 << 2,
  RANGE_BEGIN: 1 << 3,
  RANGE_END: 1 << 4,
  BRENTRY: 1 << 5,
  ONLY_OPTS: 1 << 6,
});

/**
 * Ethernet protocol numbers (ETH_P_*) by iproute2's names, in the order of
 * its ll_proto table (the first name of a number is the one printed): `ip`,
 * `802.1Q`, `802.1ad`, `all`, … The protocols link kinds (vlan, bareudp,
 * bridge) and traffic-control filters name. `LLDP`, and `ipv4` as another
 * name of `ip`, are those of the iproute2 6.1 this project compares with
 * (Debian's build; upstream's table has neither).
 *
 * @example
 * ```ts
 * import { ETH_P } from "./tables.ts";
 * ETH_P.name(0x8100); // "802.1Q"
 * ETH_P.value("ipv4"); // 2048
 * ```
 */
export const ETH_P: EnumTable = cEnum(
  "linux/if_ether.h",
  "ETH_P_",
  {
    LOOP: 0x0060,
    PUP: 0x0200,
    PUPAT: 0x0201,
    IP: 0x0800,
    X25: 0x0805,
    ARP: 0x0806,
    BPQ: 0x08ff,
    IEEEPUP: 0x0a00,
    IEEEPUPAT: 0x0a01,
    DEC: 0x6000,
    DNA_DL: 0x6001,
    DNA_RC: 0x6002,
    DNA_RT: 0x6003,
    LAT: 0x6004,
    DIAG: 0x6005,
    CUST: 0x6006,
    SCA: 0x6007,
    RARP: 0x8035,
    ATALK: 0x809b,
    AARP: 0x80f3,
    IPX: 0x8137,
    IPV6: 0x86dd,
    PPP_DISC: 0x8863,
    PPP_SES: 0x8864,
    ATMMPOA: 0x884c,
    ATMFATE: 0x8884,
    "802_3": 0x0001,
    AX25: 0x0002,
    ALL: 0x0003,
    "802_2": 0x0004,
    SNAP: 0x0005,
    DDCMP: 0x0006,
    WAN_PPP: 0x0007,
    PPP_MP: 0x0008,
    LOCALTALK: 0x0009,
    CAN: 0x000c,
    PPPTALK: 0x0010,
    TR_802_2: 0x0011,
    MOBITEX: 0x0015,
    CONTROL: 0x0016,
    IRDA: 0x0017,
    ECONET: 0x0018,
    TIPC: 0x88ca,
    PROFINET: 0x8892,
    AOE: 0x88a2,
    ETHERCAT: 0x88a4,
    "8021Q": 0x8100,
    "8021AD": 0x88a8,
    MPLS_UC: 0x8847,
    MPLS_MC: 0x8848,
    TEB: 0x6558,
    LLDP: 0x88cc,
  },
  (key) =>
    ({ "8021Q": "802.1Q", "8021AD": "802.1ad", LLDP: "LLDP" } as Record<string, string>)[key] ?? key.toLowerCase(),
  { ipv4: 0x0800 },
);
