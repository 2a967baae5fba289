/**
 * Traffic-control message layouts as data: struct tcmsg, the TCA_*
 * attributes of qdisc, class, filter and chain messages (TCA_OPTIONS and
 * TCA_XSTATS chosen by the kind), statistics (TCA_STATS, TCA_STATS2), the
 * rate estimator and the size table.
 *
 * @module
 */
import { type MessageSchema, messageSchema } from "../core/message.ts";
import { type AttrSchema, attrSchema, type Variants } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import type { KindTable } from "./kind.ts";

/** struct tcmsg: the header of qdisc, class, filter and chain messages. */
export const TCMSG: StructDef = cStruct("linux/rtnetlink.h", "struct tcmsg", [
  { c: "tcm_family", type: "u8" },
  { type: "pad", size: 3 },
  { c: "tcm_ifindex", type: "s32" },
  { c: "tcm_handle", type: "u32" },
  { c: "tcm_parent", type: "u32" },
  { c: "tcm_info", type: "u32" },
], { strip: "tcm_" });

/** struct nla_bitfield32: a value and the bits of it that count. */
export const BITFIELD32: StructDef = cStruct("linux/netlink.h", "struct nla_bitfield32", [
  { c: "value", type: "u32" },
  { c: "selector", type: "u32" },
]);

/** struct tc_estimator: a rate estimator's sampling interval (2^interval/4 s) and averaging constant. */
export const TC_ESTIMATOR: StructDef = cStruct("linux/pkt_sched.h", "struct tc_estimator", [
  { c: "interval", type: "s8" },
  { c: "ewma_log", type: "u8" },
]);

/** struct tc_stats: the old statistics block (TCA_STATS). */
export const TC_STATS: StructDef = cStruct("linux/pkt_sched.h", "struct tc_stats", [
  { c: "bytes", type: "u64" },
  { c: "packets", type: "u32" },
  { c: "drops", type: "u32" },
  { c: "overlimits", type: "u32" },
  { c: "bps", type: "u32" },
  { c: "pps", type: "u32" },
  { c: "qlen", type: "u32" },
  { c: "backlog", type: "u32" },
]);

const GNET_BASIC = cStruct("linux/gen_stats.h", "struct gnet_stats_basic", [
  { c: "bytes", type: "u64" },
  { c: "packets", type: "u32" },
]);

const GNET_RATE_EST = cStruct("linux/gen_stats.h", "struct gnet_stats_rate_est", [
  { c: "bps", type: "u32" },
  { c: "pps", type: "u32" },
]);

const GNET_RATE_EST64 = cStruct("linux/gen_stats.h", "struct gnet_stats_rate_est64", [
  { c: "bps", type: "u64" },
  { c: "pps", type: "u64" },
]);

const GNET_QUEUE = cStruct("linux/gen_stats.h", "struct gnet_stats_queue", [
  { c: "qlen", type: "u32" },
  { c: "backlog", type: "u32" },
  { c: "drops", type: "u32" },
  { c: "requeues", type: "u32" },
  { c: "overlimits", type: "u32" },
]);

/** TCA_STATS_*: the statistics nest (TCA_STATS2, TCA_ACT_STATS). */
export const TCA_STATS2_ATTRS: AttrSchema = attrSchema("TCA_STATS_", "linux/gen_stats.h", {
  BASIC: { id: 1, type: "struct", struct: GNET_BASIC },
  RATE_EST: { id: 2, type: "struct", struct: GNET_RATE_EST },
  QUEUE: { id: 3, type: "struct", struct: GNET_QUEUE },
  APP: { id: 4, type: "binary" },
  RATE_EST64: { id: 5, type: "struct", struct: GNET_RATE_EST64 },
  PAD: { id: 6, type: "pad" },
  BASIC_HW: { id: 7, type: "struct", struct: GNET_BASIC },
  PKT64: { id: 8, type: "u64" },
});

/** struct tc_sizespec: a size table's parameters. */
export const TC_SIZESPEC: StructDef = cStruct("linux/pkt_sched.h", "struct tc_sizespec", [
  { c: "cell_log", type: "u8" },
  { c: "size_log", type: "u8" },
  { c: "cell_align", type: "s16" },
  { c: "overhead", type: "s32" },
  { c: "linklayer", type: "u32" },
  { c: "mpu", type: "u32" },
  { c: "mtu", type: "u32" },
  { c: "tsize", type: "u32" },
]);

/** TCA_STAB_*: a qdisc's size table (`stab`): parameters and the u16 table. */
export const TCA_STAB_ATTRS: AttrSchema = attrSchema("TCA_STAB_", "linux/pkt_sched.h", {
  BASE: { id: 1, type: "struct", struct: TC_SIZESPEC },
  DATA: { id: 2, type: "binary" },
});

/**
 * TCA_*: the attributes of one kind of object (qdiscs, classes, filters or
 * chains), TCA_OPTIONS and TCA_XSTATS laid out by the object's kinds.
 */
function tcaSchema(kinds: () => KindTable): AttrSchema {
  let options: Variants | undefined;
  let xstats: Variants | undefined;
  const optionVariants = () =>
    options ??= Object.fromEntries(
      Object.entries(kinds()).flatMap(([name, k]) => k.options ? [[name, k.options]] : []),
    );
  const xstatsVariants = () =>
    xstats ??= Object.fromEntries(
      Object.entries(kinds()).flatMap(([name, k]) => k.xstats ? [[name, k.xstats]] : []),
    );
  return attrSchema("TCA_", "linux/rtnetlink.h", {
    KIND: { id: 1, type: "string" },
    OPTIONS: { id: 2, type: "submessage", selector: "kind", variants: optionVariants },
    STATS: { id: 3, type: "struct", struct: TC_STATS, name: "statsV1" },
    XSTATS: { id: 4, type: "submessage", selector: "kind", variants: xstatsVariants },
    RATE: { id: 5, type: "struct", struct: TC_ESTIMATOR, name: "estimator" },
    FCNT: { id: 6, type: "u32" },
    STATS2: { id: 7, type: "nested", schema: TCA_STATS2_ATTRS },
    STAB: { id: 8, type: "nested", schema: TCA_STAB_ATTRS },
    PAD: { id: 9, type: "pad" },
    DUMP_INVISIBLE: { id: 10, type: "flag" },
    CHAIN: { id: 11, type: "u32" },
    HW_OFFLOAD: { id: 12, type: "u8" },
    INGRESS_BLOCK: { id: 13, type: "u32" },
    EGRESS_BLOCK: { id: 14, type: "u32" },
    DUMP_FLAGS: { id: 15, type: "struct", struct: BITFIELD32 },
    EXT_WARN_MSG: { id: 16, type: "string" },
  });
}

/** A message layout (struct tcmsg + TCA_*) whose options are laid out by `kinds`. */
export function tcMessage(name: string, kinds: () => KindTable): MessageSchema {
  return messageSchema(name, TCMSG, tcaSchema(kinds));
}
