/**
 * Address (RTM_*ADDR) layout as data: struct ifaddrmsg and every IFA_* attribute.
 *
 * @module
 */
import { messageSchema } from "../core/message.ts";
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { cStruct } from "../core/struct.ts";
import { FAMILY, familyNumber } from "./constants.ts";
import { RT_SCOPE } from "./route_attrs.ts";
import { IFA_F, IFAPROT } from "./tables.ts";
export { IFA_F, IFAPROT } from "./tables.ts";

/** struct ifaddrmsg. ifa_flags holds only the low 8 flag bits; IFA_FLAGS holds all. */
export const IFADDRMSG = cStruct("linux/if_addr.h", "struct ifaddrmsg", [
  { c: "ifa_family", type: "u8", enum: FAMILY },
  { c: "ifa_prefixlen", type: "u8" },
  { c: "ifa_flags", type: "u8", flags: IFA_F },
  { c: "ifa_scope", type: "u8", enum: RT_SCOPE },
  { c: "ifa_index", type: "u32" },
], { strip: "ifa_" });

/** struct ifa_cacheinfo: lifetimes in seconds (0xffffffff = forever), stamps in 1/100 s. */
export const IFA_CACHEINFO = cStruct("linux/if_addr.h", "struct ifa_cacheinfo", [
  { c: "ifa_prefered", type: "u32", name: "preferred" },
  { c: "ifa_valid", type: "u32" },
  { c: "cstamp", type: "u32" },
  { c: "tstamp", type: "u32" },
], { strip: "ifa_" });

/** Every IFA_* attribute. */
export const ADDR_ATTRS: AttrSchema = attrSchema("IFA_", "linux/if_addr.h", {
  ADDRESS: { id: 1, type: "addr" },
  LOCAL: { id: 2, type: "addr" },
  LABEL: { id: 3, type: "string" },
  BROADCAST: { id: 4, type: "addr" },
  ANYCAST: { id: 5, type: "addr" },
  CACHEINFO: { id: 6, type: "struct", struct: IFA_CACHEINFO },
  MULTICAST: { id: 7, type: "addr" },
  FLAGS: { id: 8, type: "u32", flags: IFA_F },
  RT_PRIORITY: { id: 9, type: "u32" },
  TARGET_NETNSID: { id: 10, type: "s32" },
  PROTO: { id: 11, type: "u8", enum: IFAPROT },
});

/** The address message: ifaddrmsg + IFA_* attributes. */
export const ADDR_MESSAGE = messageSchema("address", IFADDRMSG, ADDR_ATTRS, "family", familyNumber);
