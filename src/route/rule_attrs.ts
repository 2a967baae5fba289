/**
 * Policy-routing rule (RTM_*RULE) layout as data: struct fib_rule_hdr, every
 * FRA_* attribute, the actions (FR_ACT_*), rule flags and IP protocol names.
 *
 * @module
 */
import { type MessageSchema, messageSchema } from "../core/message.ts";
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { AF, FAMILY, familyNumber } from "./constants.ts";
import { RTNL_FAMILY, RTPROT } from "./route_attrs.ts";
import { FIB_RULE_FLAGS, FR_ACT, IPPROTO } from "./tables.ts";
export { FIB_RULE_FLAGS, FR_ACT, IPPROTO } from "./tables.ts";

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
