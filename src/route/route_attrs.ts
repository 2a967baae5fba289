/**
 * Route (RTM_*ROUTE) layout as data: struct rtmsg, every RTA_* attribute,
 * metrics, multipath next hops, and the enumerations (types, scopes,
 * protocols, tables) with iproute2's names.
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";
import { messageSchema } from "../core/message.ts";
import { type AttrSchema, attrSchema, type CustomCodec, type Variants, writeAddr } from "../core/schema.ts";
import { cStruct } from "../core/struct.ts";
import { formatIP } from "../util/addr.ts";
import { FAMILY, familyNumber } from "./constants.ts";
import { MPLS_IPTUNNEL_ATTRS } from "./mpls.ts";
import { SEG6_IPTUNNEL_ATTRS, SEG6_LOCAL_ATTRS } from "./srv6.ts";
import {
  LWTUNNEL_ENCAP,
  NEXTHOP_FLAGS,
  ROUTE_FLAGS,
  ROUTER_PREF,
  RT_SCOPE,
  RTN,
  RTPROT,
  TABLE_NAMES,
} from "./tables.ts";
export {
  LWTUNNEL_ENCAP,
  NEXTHOP_FLAGS,
  ROUTE_FLAGS,
  ROUTE_IPPROTO,
  ROUTER_PREF,
  RT_SCOPE,
  RT_TABLE,
  RTN,
  RTNL_FAMILY,
  RTPROT,
  TABLE_NAMES,
} from "./tables.ts";

/**
 * A table id from a number or a name (`"main"`, `"local"`, `"default"`),
 * checked; `field` names the option in the error.
 *
 * @example
 * ```ts
 * import { tableId } from "./route_attrs.ts";
 * tableId("main"); // 254
 * ```
 */
export function tableId(t: number | string, field = "table"): number {
  const id = typeof t === "number" ? t : TABLE_NAMES.value(t, field);
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new ValidationError(field, t, "a table id is 0..4294967295 or main/local/default");
  }
  return id;
}

/**
 * The attribute layout of RTA_ENCAP / NHA_ENCAP by encapsulation type (the
 * ENCAP_TYPE sibling's name). Types without a layout here stay raw bytes.
 */
export const ENCAP_VARIANTS: Variants = {
  mpls: MPLS_IPTUNNEL_ATTRS,
  seg6: SEG6_IPTUNNEL_ATTRS,
  seg6local: SEG6_LOCAL_ATTRS,
};

/** struct rtmsg. */
export const RTMSG = cStruct("linux/rtnetlink.h", "struct rtmsg", [
  { c: "rtm_family", type: "u8", enum: FAMILY },
  { c: "rtm_dst_len", type: "u8" },
  { c: "rtm_src_len", type: "u8" },
  { c: "rtm_tos", type: "u8" },
  { c: "rtm_table", type: "u8" },
  { c: "rtm_protocol", type: "u8", enum: RTPROT },
  { c: "rtm_scope", type: "u8", enum: RT_SCOPE },
  { c: "rtm_type", type: "u8", enum: RTN },
  { c: "rtm_flags", type: "u32", flags: ROUTE_FLAGS },
], { strip: "rtm_" });

/** struct rta_cacheinfo. */
export const RTA_CACHEINFO = cStruct("linux/rtnetlink.h", "struct rta_cacheinfo", [
  { c: "rta_clntref", type: "u32" },
  { c: "rta_lastuse", type: "u32" },
  { c: "rta_expires", type: "s32" },
  { c: "rta_error", type: "u32" },
  { c: "rta_used", type: "u32" },
  { c: "rta_id", type: "u32" },
  { c: "rta_ts", type: "u32" },
  { c: "rta_tsage", type: "u32" },
], { strip: "rta_" });

/** struct rta_mfc_stats. */
export const RTA_MFC_STATS = cStruct("linux/rtnetlink.h", "struct rta_mfc_stats", [
  { c: "mfcs_packets", type: "u64" },
  { c: "mfcs_bytes", type: "u64" },
  { c: "mfcs_wrong_if", type: "u64" },
], { strip: "mfcs_" });

/** struct rtnexthop: one path of a multipath route (weight = hops + 1). */
export const RTNEXTHOP = cStruct("linux/rtnetlink.h", "struct rtnexthop", [
  { c: "rtnh_len", type: "u16" },
  { c: "rtnh_flags", type: "u8", flags: NEXTHOP_FLAGS },
  { c: "rtnh_hops", type: "u8" },
  { c: "rtnh_ifindex", type: "s32" },
], { strip: "rtnh_" });

/** Route metrics (RTAX_*). */
export const METRICS_ATTRS: AttrSchema = attrSchema("RTAX_", "linux/rtnetlink.h", {
  LOCK: { id: 1, type: "u32" },
  MTU: { id: 2, type: "u32" },
  WINDOW: { id: 3, type: "u32" },
  RTT: { id: 4, type: "u32" },
  RTTVAR: { id: 5, type: "u32" },
  SSTHRESH: { id: 6, type: "u32" },
  CWND: { id: 7, type: "u32" },
  ADVMSS: { id: 8, type: "u32" },
  REORDERING: { id: 9, type: "u32" },
  HOPLIMIT: { id: 10, type: "u32" },
  INITCWND: { id: 11, type: "u32" },
  FEATURES: { id: 12, type: "u32" },
  RTO_MIN: { id: 13, type: "u32" },
  INITRWND: { id: 14, type: "u32" },
  QUICKACK: { id: 15, type: "u32" },
  CC_ALGO: { id: 16, type: "string" },
  FASTOPEN_NO_COOKIE: { id: 17, type: "u32" },
});

/** A gateway in another address family (RTA_VIA): `{ family: "inet6", address: "fe80::1" }`. */
export interface Via {
  /** The gateway's family. */
  family: string | number;
  /** The gateway address. */
  address: string;
}

/** RTA_VIA: struct rtvia { u16 family; u8 addr[]; }. */
const VIA_CODEC: CustomCodec = {
  decode(b, v, off, len) {
    if (len < 2) return { family: 0, address: "" };
    return { family: FAMILY.name(v.getUint16(off, true)), address: formatIP(b, off + 2, len - 2) };
  },
  encode(w, x, path) {
    const via = x as Via;
    if (via === null || typeof via !== "object") throw new ValidationError(path, x, "expected { family, address }");
    const fam = familyNumber(via.family);
    w.u16(fam);
    writeAddr(w, via.address, `${path}.address`, fam);
  },
};

/** Every RTA_* attribute (as in linux/rtnetlink.h). */
export const ROUTE_ATTRS: AttrSchema = attrSchema("RTA_", "linux/rtnetlink.h", {
  DST: { id: 1, type: "addr", prefixLength: "dstLen" },
  SRC: { id: 2, type: "addr", prefixLength: "srcLen" },
  IIF: { id: 3, type: "u32" },
  OIF: { id: 4, type: "u32" },
  GATEWAY: { id: 5, type: "addr" },
  PRIORITY: { id: 6, type: "u32" },
  PREFSRC: { id: 7, type: "addr" },
  METRICS: { id: 8, type: "nested", schema: METRICS_ATTRS },
  MULTIPATH: { id: 9, type: "records", struct: RTNEXTHOP, lengthField: "len", schema: () => ROUTE_ATTRS },
  PROTOINFO: { id: 10, type: "binary" },
  FLOW: { id: 11, type: "u32" },
  CACHEINFO: { id: 12, type: "struct", struct: RTA_CACHEINFO },
  SESSION: { id: 13, type: "binary" },
  MP_ALGO: { id: 14, type: "u32" },
  TABLE: { id: 15, type: "u32" },
  MARK: { id: 16, type: "u32" },
  MFC_STATS: { id: 17, type: "struct", struct: RTA_MFC_STATS },
  VIA: { id: 18, type: "custom", codec: VIA_CODEC },
  NEWDST: { id: 19, type: "addr" },
  PREF: { id: 20, type: "u8", enum: ROUTER_PREF },
  ENCAP_TYPE: { id: 21, type: "u16", enum: LWTUNNEL_ENCAP },
  ENCAP: { id: 22, type: "submessage", selector: "encapType", variants: ENCAP_VARIANTS, nestedFlag: true },
  EXPIRES: { id: 23, type: "uint" },
  PAD: { id: 24, type: "pad" },
  UID: { id: 25, type: "u32" },
  TTL_PROPAGATE: { id: 26, type: "u8" },
  IP_PROTO: { id: 27, type: "u8" },
  SPORT: { id: 28, type: "be16" },
  DPORT: { id: 29, type: "be16" },
  NH_ID: { id: 30, type: "u32" },
  FLOWLABEL: { id: 31, type: "be32", since: "6.11" },
});

/** The route message: rtmsg + RTA_* attributes. */
export const ROUTE_MESSAGE = messageSchema("route", RTMSG, ROUTE_ATTRS, "family", familyNumber);
