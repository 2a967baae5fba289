/**
 * Policy-routing rule (RTM_*RULE) layout as data: struct fib_rule_hdr, every
 * FRA_* attribute, the actions (FR_ACT_*), rule flags and IP protocol names.
 *
 * @module
 */
import { cTable } from "../core/ctable.ts";
import { cEnum, cFlags, EnumTable, type FlagTable } from "../core/enums.ts";
import { type MessageSchema, messageSchema } from "../core/message.ts";
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { AF, FAMILY, familyNumber } from "./constants.ts";
import { RTN, RTNL_FAMILY, RTPROT } from "./route_attrs.ts";

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

/** struct fib_rule_hdr. `table` is only 8 bits: ids above 255 travel in FRA_TABLE. */
export const FIB_RULE_HDR: StructDef = cStruct("linux/fib_rules.h", "struct fib_rule_hdr", [
  { c: "family", type: "u8", enum: FAMILY },
  { c: "dst_len", type: "u8" },
  { c: "src_len", type: "u8" },
  { c: "tos", type: "u8" },
  { c: "table", type: "u8" },
  { type: "pad", size: 2 },
  { c: "action", type: "u8", enum: FR_ACT },
  { c: "flags", type: "u32", flags: FIB_RULE_FLAGS },
]);

/** struct fib_rule_uid_range: an inclusive range of user ids. */
export const FIB_RULE_UID_RANGE: StructDef = cStruct("linux/fib_rules.h", "struct fib_rule_uid_range", [
  { c: "start", type: "u32" },
  { c: "end", type: "u32" },
]);

/** struct fib_rule_port_range: an inclusive range of ports (host byte order). */
export const FIB_RULE_PORT_RANGE: StructDef = cStruct("linux/fib_rules.h", "struct fib_rule_port_range", [
  { c: "start", type: "u16" },
  { c: "end", type: "u16" },
]);

/**
 * Every FRA_* attribute. Id 5 (FRA_UNUSED2) is where `ip rule add nat ADDR`
 * puts its address (as RTA_GATEWAY, which has that number); the interface
 * selectors are names (`iif`, `oif`), since a rule may name a device that does
 * not exist yet.
 */
export const RULE_ATTRS: AttrSchema = attrSchema("FRA_", "linux/fib_rules.h", {
  DST: { id: 1, type: "addr" },
  SRC: { id: 2, type: "addr" },
  IIFNAME: { id: 3, type: "string", name: "iif" },
  GOTO: { id: 4, type: "u32" },
  UNUSED2: { id: 5, type: "addr", name: "gateway" },
  PRIORITY: { id: 6, type: "u32" },
  FWMARK: { id: 10, type: "u32" },
  FLOW: { id: 11, type: "u32" },
  TUN_ID: { id: 12, type: "be64" },
  SUPPRESS_IFGROUP: { id: 13, type: "s32" },
  SUPPRESS_PREFIXLEN: { id: 14, type: "s32" },
  TABLE: { id: 15, type: "u32" },
  FWMASK: { id: 16, type: "u32" },
  OIFNAME: { id: 17, type: "string", name: "oif" },
  PAD: { id: 18, type: "pad" },
  L3MDEV: { id: 19, type: "u8" },
  UID_RANGE: { id: 20, type: "struct", struct: FIB_RULE_UID_RANGE },
  PROTOCOL: { id: 21, type: "u8", enum: RTPROT },
  IP_PROTO: { id: 22, type: "u8", enum: IPPROTO },
  SPORT_RANGE: { id: 23, type: "struct", struct: FIB_RULE_PORT_RANGE },
  DPORT_RANGE: { id: 24, type: "struct", struct: FIB_RULE_PORT_RANGE },
  DSCP: { id: 25, type: "u8", since: "6.12" },
  FLOWLABEL: { id: 26, type: "be32", since: "6.14" },
  FLOWLABEL_MASK: { id: 27, type: "be32", since: "6.14" },
  SPORT_MASK: { id: 28, type: "u16", since: "6.15" },
  DPORT_MASK: { id: 29, type: "u16", since: "6.15" },
  DSCP_MASK: { id: 30, type: "u8", since: "6.15" },
});

/** The rule message: fib_rule_hdr + FRA_* attributes. */
export const RULE_MESSAGE: MessageSchema = messageSchema("rule", FIB_RULE_HDR, RULE_ATTRS, "family", ruleAddressFamily);

/**
 * The address family of a rule's prefixes: its own, or for the multicast
 * routing rules (`ip mrule`, families RTNL_FAMILY_IPMR and IP6MR) IPv4's or IPv6's.
 *
 * @example
 * ```ts
 * import { ruleAddressFamily } from "./rule_attrs.ts";
 * ruleAddressFamily(128); // 2
 * ```
 */
export function ruleAddressFamily(family: unknown): number {
  const n = familyNumber(family);
  return n === RTNL_FAMILY.IPMR ? AF.INET : n === RTNL_FAMILY.IP6MR ? AF.INET6 : n;
}
