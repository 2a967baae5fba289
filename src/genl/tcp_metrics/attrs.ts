/**
 * The TCP metrics cache's generic netlink family (`tcp_metrics`) as data: its
 * commands, the metric indices of linux/tcp_metrics.h, and the two attribute
 * sets (one cache entry, and the metric values nested in it).
 *
 * @module
 */
import { cTable } from "../../core/ctable.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import type { MessageSchema } from "../../core/message.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { genlMessageSchema } from "../header.ts";

/** The family's name, as the controller knows it (TCP_METRICS_GENL_NAME). */
export const TCP_METRICS_GENL_NAME = "tcp_metrics";

/**
 * The family's interface version (TCP_METRICS_GENL_VERSION), written in every
 * request's genlmsghdr.
 *
 * @example
 * ```ts
 * import { TCP_METRICS_GENL } from "./attrs.ts";
 * TCP_METRICS_GENL.VERSION; // 1
 * ```
 */
export const TCP_METRICS_GENL: { readonly VERSION: number } = cTable("linux/tcp_metrics.h", "TCP_METRICS_GENL_", {
  VERSION: 1,
});

/**
 * The family's commands (TCP_METRICS_CMD_*): `get` (one entry, or the dump of
 * them all) and `del` (one destination's entries, or every entry when no
 * address is given).
 *
 * @example
 * ```ts
 * import { TCP_METRICS_CMD } from "./attrs.ts";
 * TCP_METRICS_CMD.value("del"); // 2
 * ```
 */
export const TCP_METRICS_CMD: EnumTable = cEnum("linux/tcp_metrics.h", "TCP_METRICS_CMD_", {
  UNSPEC: 0,
  GET: 1,
  DEL: 2,
});

/**
 * The metric indices (enum tcp_metric_index). On the wire each metric is the
 * attribute of id index + 1 inside TCP_METRICS_ATTR_VALS.
 *
 * @example
 * ```ts
 * import { TCP_METRIC } from "./attrs.ts";
 * TCP_METRIC.CWND; // 3
 * ```
 */
export const TCP_METRIC: {
  readonly RTT: number;
  readonly RTTVAR: number;
  readonly SSTHRESH: number;
  readonly CWND: number;
  readonly REORDERING: number;
  readonly RTT_US: number;
  readonly RTTVAR_US: number;
} = cTable("linux/tcp_metrics.h", "TCP_METRIC_", {
  RTT: 0,
  RTTVAR: 1,
  SSTHRESH: 2,
  CWND: 3,
  REORDERING: 4,
  RTT_US: 5,
  RTTVAR_US: 6,
});

/**
 * The metric values nested in TCP_METRICS_ATTR_VALS, each a u32 whose
 * attribute id is its TCP_METRIC_* index + 1 (the ids are derived from the
 * audited {@linkcode TCP_METRIC} table, so this set itself is not audited).
 */
export const TCP_METRICS_VALS_ATTRS: AttrSchema = attrSchema("TCP_METRIC_", "linux/tcp_metrics.h", {
  RTT: { id: TCP_METRIC.RTT + 1, type: "u32" },
  RTTVAR: { id: TCP_METRIC.RTTVAR + 1, type: "u32" },
  SSTHRESH: { id: TCP_METRIC.SSTHRESH + 1, type: "u32" },
  CWND: { id: TCP_METRIC.CWND + 1, type: "u32" },
  REORDERING: { id: TCP_METRIC.REORDERING + 1, type: "u32" },
  RTT_US: { id: TCP_METRIC.RTT_US + 1, type: "u32" },
  RTTVAR_US: { id: TCP_METRIC.RTTVAR_US + 1, type: "u32" },
}, { audit: false });

/**
 * TCP_METRICS_ATTR_*: one cache entry (destination and source address, age,
 * the metric values, TCP Fast Open data), and the selectors of requests.
 * The decoded names are those of `TcpMetricsEntry` (`metrics`, `fastopen…`).
 */
export const TCP_METRICS_ATTRS: AttrSchema = attrSchema("TCP_METRICS_ATTR_", "linux/tcp_metrics.h", {
  ADDR_IPV4: { id: 1, type: "ipv4" },
  ADDR_IPV6: { id: 2, type: "ipv6" },
  AGE: { id: 3, type: "u64" },
  TW_TSVAL: { id: 4, type: "u32" },
  TW_TS_STAMP: { id: 5, type: "s32" },
  VALS: { id: 6, type: "nested", schema: TCP_METRICS_VALS_ATTRS, name: "metrics" },
  FOPEN_MSS: { id: 7, type: "u16", name: "fastopenMss" },
  FOPEN_SYN_DROPS: { id: 8, type: "u16", name: "fastopenSynDrops" },
  FOPEN_SYN_DROP_TS: { id: 9, type: "u64", name: "fastopenSynDropTs" },
  FOPEN_COOKIE: { id: 10, type: "binary", name: "fastopenCookie" },
  SADDR_IPV4: { id: 11, type: "ipv4" },
  SADDR_IPV6: { id: 12, type: "ipv6" },
  PAD: { id: 13, type: "pad" },
});

/** A `tcp_metrics` message: genlmsghdr and TCP_METRICS_ATTR_*. */
export const TCP_METRICS_MESSAGE: MessageSchema = genlMessageSchema("tcp_metrics", TCP_METRICS_ATTRS);
