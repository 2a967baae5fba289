/**
 * The meta ematch's identifiers: what `meta(nf_mark gt 24)` can compare (a
 * packet's priority, mark, length, its socket's state, …), by tc(8)'s names,
 * with the value types each supports (integer, or variable-length bytes for
 * `dev` and `sk_bind_if`, which compare by interface name).
 *
 * @module
 */
import { cEnum, type EnumTable } from "../../core/enums.ts";

/** TCF_META_ID_*: the kernel's meta identifiers (35, SK_ROUTE_CAPS, is reserved and unimplemented). */
export const TCF_META_ID: EnumTable = cEnum("linux/tc_ematch/tc_em_meta.h", "TCF_META_ID_", {
  VALUE: 0,
  RANDOM: 1,
  LOADAVG_0: 2,
  LOADAVG_1: 3,
  LOADAVG_2: 4,
  DEV: 5,
  PRIORITY: 6,
  PROTOCOL: 7,
  PKTTYPE: 8,
  PKTLEN: 9,
  DATALEN: 10,
  MACLEN: 11,
  NFMARK: 12,
  TCINDEX: 13,
  RTCLASSID: 14,
  RTIIF: 15,
  SK_FAMILY: 16,
  SK_STATE: 17,
  SK_REUSE: 18,
  SK_BOUND_IF: 19,
  SK_REFCNT: 20,
  SK_SHUTDOWN: 21,
  SK_PROTO: 22,
  SK_TYPE: 23,
  SK_RCVBUF: 24,
  SK_RMEM_ALLOC: 25,
  SK_WMEM_ALLOC: 26,
  SK_OMEM_ALLOC: 27,
  SK_WMEM_QUEUED: 28,
  SK_RCV_QLEN: 29,
  SK_SND_QLEN: 30,
  SK_ERR_QLEN: 31,
  SK_FORWARD_ALLOCS: 32,
  SK_SNDBUF: 33,
  SK_ALLOCS: 34,
  SK_HASH: 36,
  SK_LINGERTIME: 37,
  SK_ACK_BACKLOG: 38,
  SK_MAX_ACK_BACKLOG: 39,
  SK_PRIO: 40,
  SK_RCVLOWAT: 41,
  SK_RCVTIMEO: 42,
  SK_SNDTIMEO: 43,
  SK_SENDMSG_OFF: 44,
  SK_WRITE_PENDING: 45,
  VLAN_TAG: 46,
  RXHASH: 47,
});

/** TCF_META_TYPE_*: how a meta value compares — variable-length bytes, or an integer. */
export const TCF_META_TYPE: EnumTable = cEnum("linux/tc_ematch/tc_em_meta.h", "TCF_META_TYPE_", { VAR: 0, INT: 1 });

/**
 * A meta identifier as tc(8) names it (`fwmark` is tc's alias of `nf_mark`).
 * The names from `sk_allocs` on are ones the kernel knows but tc(8) 6.1 does
 * not list: nlink names them the same way, and its text parser accepts them.
 */
export type MetaId =
  | "random"
  | "loadavg_1"
  | "loadavg_5"
  | "loadavg_15"
  | "dev"
  | "priority"
  | "protocol"
  | "pkt_type"
  | "pkt_len"
  | "data_len"
  | "mac_len"
  | "nf_mark"
  | "fwmark"
  | "tc_index"
  | "rt_classid"
  | "rt_iif"
  | "vlan"
  | "sk_family"
  | "sk_state"
  | "sk_reuse"
  | "sk_bind_if"
  | "sk_refcnt"
  | "sk_shutdown"
  | "sk_proto"
  | "sk_type"
  | "sk_rcvbuf"
  | "sk_rmem"
  | "sk_wmem"
  | "sk_omem"
  | "sk_wmem_queue"
  | "sk_snd_queue"
  | "sk_rcv_queue"
  | "sk_err_queue"
  | "sk_fwd_alloc"
  | "sk_sndbuf"
  | "sk_allocs"
  | "sk_hash"
  | "sk_lingertime"
  | "sk_ack_backlog"
  | "sk_max_ack_backlog"
  | "sk_prio"
  | "sk_rcvlowat"
  | "sk_rcvtimeo"
  | "sk_sndtimeo"
  | "sk_sendmsg_off"
  | "sk_write_pending"
  | "rxhash";

/** The value types a meta id supports: the first is the one tc(8) picks unless the other side needs another. */
export type MetaTypes = readonly ("int" | "var")[];

/** tc(8)'s word for each TCF_META_ID_* key, and the types it supports (the id numbers come from the audited table). */
const WORDS: Readonly<Record<string, [MetaId, MetaTypes]>> = {
  RANDOM: ["random", ["int"]],
  LOADAVG_0: ["loadavg_1", ["int"]],
  LOADAVG_1: ["loadavg_5", ["int"]],
  LOADAVG_2: ["loadavg_15", ["int"]],
  DEV: ["dev", ["int", "var"]],
  PRIORITY: ["priority", ["int"]],
  PROTOCOL: ["protocol", ["int"]],
  PKTTYPE: ["pkt_type", ["int"]],
  PKTLEN: ["pkt_len", ["int"]],
  DATALEN: ["data_len", ["int"]],
  MACLEN: ["mac_len", ["int"]],
  NFMARK: ["nf_mark", ["int"]],
  TCINDEX: ["tc_index", ["int"]],
  RTCLASSID: ["rt_classid", ["int"]],
  RTIIF: ["rt_iif", ["int"]],
  VLAN_TAG: ["vlan", ["int"]],
  SK_FAMILY: ["sk_family", ["int"]],
  SK_STATE: ["sk_state", ["int"]],
  SK_REUSE: ["sk_reuse", ["int"]],
  SK_BOUND_IF: ["sk_bind_if", ["int", "var"]],
  SK_REFCNT: ["sk_refcnt", ["int"]],
  SK_SHUTDOWN: ["sk_shutdown", ["int"]],
  SK_PROTO: ["sk_proto", ["int"]],
  SK_TYPE: ["sk_type", ["int"]],
  SK_RCVBUF: ["sk_rcvbuf", ["int"]],
  SK_RMEM_ALLOC: ["sk_rmem", ["int"]],
  SK_WMEM_ALLOC: ["sk_wmem", ["int"]],
  SK_OMEM_ALLOC: ["sk_omem", ["int"]],
  SK_WMEM_QUEUED: ["sk_wmem_queue", ["int"]],
  SK_SND_QLEN: ["sk_snd_queue", ["int"]],
  SK_RCV_QLEN: ["sk_rcv_queue", ["int"]],
  SK_ERR_QLEN: ["sk_err_queue", ["int"]],
  SK_FORWARD_ALLOCS: ["sk_fwd_alloc", ["int"]],
  SK_SNDBUF: ["sk_sndbuf", ["int"]],
  SK_ALLOCS: ["sk_allocs", ["int"]],
  SK_HASH: ["sk_hash", ["int"]],
  SK_LINGERTIME: ["sk_lingertime", ["int"]],
  SK_ACK_BACKLOG: ["sk_ack_backlog", ["int"]],
  SK_MAX_ACK_BACKLOG: ["sk_max_ack_backlog", ["int"]],
  SK_PRIO: ["sk_prio", ["int"]],
  SK_RCVLOWAT: ["sk_rcvlowat", ["int"]],
  SK_RCVTIMEO: ["sk_rcvtimeo", ["int"]],
  SK_SNDTIMEO: ["sk_sndtimeo", ["int"]],
  SK_SENDMSG_OFF: ["sk_sendmsg_off", ["int"]],
  SK_WRITE_PENDING: ["sk_write_pending", ["int"]],
  RXHASH: ["rxhash", ["int"]],
};

/** One meta identifier: its number, name and supported types. */
export interface MetaIdInfo {
  /** TCF_META_ID_* value. */
  readonly id: number;
  /** tc(8)'s name. */
  readonly name: MetaId;
  /** Supported value types, tc(8)'s default first. */
  readonly types: MetaTypes;
}

const BY_NAME = new Map<string, MetaIdInfo>();
const BY_ID = new Map<number, MetaIdInfo>();
for (const [key, [name, types]] of Object.entries(WORDS)) {
  const info = { id: TCF_META_ID.values[key], name, types };
  BY_NAME.set(name, info);
  BY_ID.set(info.id, info);
}
BY_NAME.set("fwmark", { ...BY_ID.get(TCF_META_ID.values.NFMARK)!, name: "fwmark" });

/**
 * A meta identifier by tc(8)'s name (or number), or undefined.
 *
 * @example
 * ```ts
 * import { metaIdInfo } from "./ematch_meta.ts";
 * metaIdInfo("priority")?.id; // 6
 * ```
 */
export function metaIdInfo(x: string | number): MetaIdInfo | undefined {
  return typeof x === "number" ? BY_ID.get(x) : BY_NAME.get(x);
}

/**
 * All meta identifier names nlink accepts.
 *
 * @example
 * ```ts
 * import { metaIdNames } from "./ematch_meta.ts";
 * metaIdNames().includes("nf_mark"); // true
 * ```
 */
export function metaIdNames(): string[] {
  return [...BY_NAME.keys()];
}
