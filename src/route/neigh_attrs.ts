/**
 * Neighbour (RTM_*NEIGH) layout as data: struct ndmsg, every NDA_* attribute,
 * the NUD_* states and NTF_* flags as names. Bridge FDB entries use the same
 * messages with family AF_BRIDGE.
 *
 * @module
 */
import { cFlags, type FlagTable } from "../core/enums.ts";
import { type MessageSchema, messageSchema } from "../core/message.ts";
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { FAMILY, familyNumber } from "./constants.ts";
import { RTN, RTPROT } from "./route_attrs.ts";
import { NTF, NTF_EXT, NUD } from "./tables.ts";
export { NTF, NTF_EXT, NUD, type NudState } from "./tables.ts";

/** FDB activity-notification bits (NFEA_ACTIVITY_NOTIFY): `notify`, `inactive`. */
export const FDB_NOTIFY: FlagTable = cFlags(
  "linux/neighbour.h",
  "FDB_",
  { NOTIFY_BIT: 1 << 0, NOTIFY_INACTIVE_BIT: 1 << 1 },
  (k) => (k === "NOTIFY_BIT" ? "notify" : "inactive"),
);

/** struct ndmsg: the header of every neighbour and FDB message. */
export const NDMSG: StructDef = cStruct("linux/neighbour.h", "struct ndmsg", [
  { c: "ndm_family", type: "u8", enum: FAMILY },
  { type: "pad", size: 3 },
  { c: "ndm_ifindex", type: "s32" },
  { c: "ndm_state", type: "u16", flags: NUD },
  { c: "ndm_flags", type: "u8", flags: NTF },
  { c: "ndm_type", type: "u8", enum: RTN },
], { strip: "ndm_" });

/** struct nda_cacheinfo: ages in jiffies (clock ticks) since the entry was confirmed, used and updated. */
export const NDA_CACHEINFO: StructDef = cStruct("linux/neighbour.h", "struct nda_cacheinfo", [
  { c: "ndm_confirmed", type: "u32" },
  { c: "ndm_used", type: "u32" },
  { c: "ndm_updated", type: "u32" },
  { c: "ndm_refcnt", type: "u32" },
], { strip: "ndm_" });

/** NFEA_*: bridge FDB extension attributes (NDA_FDB_EXT_ATTRS). */
export const FDB_EXT_ATTRS: AttrSchema = attrSchema("NFEA_", "linux/neighbour.h", {
  ACTIVITY_NOTIFY: { id: 1, type: "u8", flags: FDB_NOTIFY },
  DONT_REFRESH: { id: 2, type: "flag" },
});

/**
 * Every NDA_* attribute. NDA_IFINDEX is `via` (the device a VXLAN remote is
 * reached through, iproute2's `via`; in dump requests the device filter),
 * so as not to collide with the header's `ifindex`.
 */
export const NEIGH_ATTRS: AttrSchema = attrSchema("NDA_", "linux/neighbour.h", {
  DST: { id: 1, type: "addr" },
  LLADDR: { id: 2, type: "lladdr" },
  CACHEINFO: { id: 3, type: "struct", struct: NDA_CACHEINFO },
  PROBES: { id: 4, type: "u32" },
  VLAN: { id: 5, type: "u16" },
  PORT: { id: 6, type: "be16" },
  VNI: { id: 7, type: "u32" },
  IFINDEX: { id: 8, type: "u32", name: "via" },
  MASTER: { id: 9, type: "u32" },
  LINK_NETNSID: { id: 10, type: "s32" },
  SRC_VNI: { id: 11, type: "u32" },
  PROTOCOL: { id: 12, type: "u8", enum: RTPROT },
  NH_ID: { id: 13, type: "u32" },
  FDB_EXT_ATTRS: { id: 14, type: "nested", schema: FDB_EXT_ATTRS },
  FLAGS_EXT: { id: 15, type: "u32", flags: NTF_EXT },
  NDM_STATE_MASK: { id: 16, type: "u16", flags: NUD },
  NDM_FLAGS_MASK: { id: 17, type: "u8", flags: NTF },
});

/** The neighbour message: ndmsg + NDA_* attributes. */
export const NEIGH_MESSAGE: MessageSchema = messageSchema("neighbour", NDMSG, NEIGH_ATTRS, "family", familyNumber);
