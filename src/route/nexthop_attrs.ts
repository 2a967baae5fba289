/**
 * Nexthop objects (RTM_*NEXTHOP, RTM_*NEXTHOPBUCKET) as data: struct nhmsg,
 * struct nexthop_grp, every NHA_* attribute, resilient-group and bucket
 * attributes, group statistics.
 *
 * @module
 */
import { DecodeError, ValidationError } from "../core/errors.ts";
import { type MessageSchema, messageSchema } from "../core/message.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { FAMILY, familyNumber } from "./constants.ts";
import { ENCAP_VARIANTS, LWTUNNEL_ENCAP, NEXTHOP_FLAGS, RT_SCOPE, RTPROT } from "./route_attrs.ts";
import { NEXTHOP_GRP_TYPE } from "./tables.ts";
export { NEXTHOP_GRP_TYPE } from "./tables.ts";

/** struct nhmsg. */
export const NHMSG: StructDef = cStruct("linux/nexthop.h", "struct nhmsg", [
  { c: "nh_family", type: "u8", enum: FAMILY },
  { c: "nh_scope", type: "u8", enum: RT_SCOPE },
  { c: "nh_protocol", type: "u8", enum: RTPROT },
  { c: "resvd", type: "u8" },
  { c: "nh_flags", type: "u32", flags: NEXTHOP_FLAGS },
], { strip: "nh_" });

/**
 * struct nexthop_grp: one member of a group. The weight is stored minus one;
 * Linux 6.12 turned resvd1 into its high byte (weight_high).
 */
const NEXTHOP_GRP = cStruct("linux/nexthop.h", "struct nexthop_grp", [
  { c: "id", type: "u32" },
  { c: "weight", type: "u8" },
  { c: "resvd1", type: "u8", name: "weightHigh" },
  { c: "resvd2", type: "u16" },
]);

/** A member of a nexthop group. */
export interface NexthopGroupMember {
  /** The member nexthop's id. */
  id: number;
  /** Relative weight, 1..256 (up to 65536 from Linux 6.12); default 1. */
  weight?: number;
}

/** NHA_GROUP: an array of struct nexthop_grp, as `{ id, weight }` (the real weight, not minus one). */
const GROUP_CODEC: CustomCodec = {
  decode(b, v, off, len) {
    if (len % NEXTHOP_GRP.size !== 0) throw new DecodeError(`NHA_GROUP of ${len} bytes`, off);
    const out: { id: number; weight: number }[] = [];
    for (let o = off; o < off + len; o += NEXTHOP_GRP.size) {
      const g = NEXTHOP_GRP.decode(b, v, o, NEXTHOP_GRP.size) as { id: number; weight: number; weightHigh: number };
      out.push({ id: g.id, weight: ((g.weightHigh << 8) | g.weight) + 1 });
    }
    return out;
  },
  encode(w, x, path) {
    if (!Array.isArray(x) || x.length === 0) throw new ValidationError(path, x, "a non-empty list of { id, weight }");
    x.forEach((m: NexthopGroupMember, i) => {
      const p = `${path}[${i}]`;
      if (m === null || typeof m !== "object") throw new ValidationError(p, m, "expected { id, weight }");
      if (!Number.isInteger(m.id) || m.id < 1 || m.id > 0xffffffff) {
        throw new ValidationError(`${p}.id`, m.id, "a nexthop id 1..4294967295");
      }
      const weight = m.weight ?? 1;
      if (!Number.isInteger(weight) || weight < 1 || weight > 65536) {
        throw new ValidationError(`${p}.weight`, weight, "1..256 (up to 65536 from Linux 6.12)");
      }
      NEXTHOP_GRP.encode(w, { id: m.id, weight: (weight - 1) & 0xff, weightHigh: (weight - 1) >> 8 }, p);
    });
  },
};

/** NHA_RES_GROUP: a resilient group's parameters (timers in clock_t, 1/100 s). */
export const NHA_RES_GROUP_ATTRS: AttrSchema = attrSchema("NHA_RES_GROUP_", "linux/nexthop.h", {
  PAD: { id: 0, type: "pad" },
  BUCKETS: { id: 1, type: "u16" },
  IDLE_TIMER: { id: 2, type: "u32" },
  UNBALANCED_TIMER: { id: 3, type: "u32" },
  UNBALANCED_TIME: { id: 4, type: "u64" },
});

/** NHA_RES_BUCKET: one bucket of a resilient group (idle time in clock_t). */
export const NHA_RES_BUCKET_ATTRS: AttrSchema = attrSchema("NHA_RES_BUCKET_", "linux/nexthop.h", {
  PAD: { id: 0, type: "pad" },
  INDEX: { id: 1, type: "u16" },
  IDLE_TIME: { id: 2, type: "u64" },
  NH_ID: { id: 3, type: "u32" },
});

/** NHA_GROUP_STATS_ENTRY (Linux 6.9+): packets forwarded through one member. */
const NHA_GROUP_STATS_ENTRY_ATTRS = attrSchema("NHA_GROUP_STATS_ENTRY_", "linux/nexthop.h", {
  ID: { id: 1, type: "u32", since: "6.9" },
  PACKETS: { id: 2, type: "uint", since: "6.9" },
  PACKETS_HW: { id: 3, type: "uint", since: "6.9" },
});

/** Every NHA_* attribute. */
export const NEXTHOP_ATTRS: AttrSchema = attrSchema("NHA_", "linux/nexthop.h", {
  ID: { id: 1, type: "u32" },
  GROUP: { id: 2, type: "custom", codec: GROUP_CODEC },
  GROUP_TYPE: { id: 3, type: "u16", enum: NEXTHOP_GRP_TYPE },
  BLACKHOLE: { id: 4, type: "flag" },
  OIF: { id: 5, type: "u32" },
  GATEWAY: { id: 6, type: "addr" },
  ENCAP_TYPE: { id: 7, type: "u16", enum: LWTUNNEL_ENCAP },
  ENCAP: { id: 8, type: "submessage", selector: "encapType", variants: ENCAP_VARIANTS, nestedFlag: true },
  GROUPS: { id: 9, type: "flag" },
  MASTER: { id: 10, type: "u32" },
  FDB: { id: 11, type: "flag" },
  RES_GROUP: { id: 12, type: "nested", schema: NHA_RES_GROUP_ATTRS, nestedFlag: true, name: "resilient" },
  RES_BUCKET: { id: 13, type: "nested", schema: NHA_RES_BUCKET_ATTRS, nestedFlag: true, name: "bucket" },
  OP_FLAGS: { id: 14, type: "u32", since: "6.9" },
  GROUP_STATS: { id: 15, type: "array", schema: NHA_GROUP_STATS_ENTRY_ATTRS, since: "6.9" },
  HW_STATS_ENABLE: { id: 16, type: "u32", since: "6.9" },
  HW_STATS_USED: { id: 17, type: "u32", since: "6.9" },
});

/** The nexthop message: nhmsg + NHA_* attributes (also the bucket messages'). */
export const NEXTHOP_MESSAGE: MessageSchema = messageSchema("nexthop", NHMSG, NEXTHOP_ATTRS, "family", familyNumber);
