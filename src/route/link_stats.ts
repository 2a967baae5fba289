/**
 * The link counters structs (struct rtnl_link_stats and rtnl_link_stats64),
 * apart from the link schema: interface statistics (RTM_GETSTATS) read them
 * too, without loading every link kind's attributes.
 *
 * @module
 */
import { cStruct, type StructDef } from "../core/struct.ts";

/** The counters of struct rtnl_link_stats, in order (struct rtnl_hw_stats64 has the first nine). */
export const STAT_FIELDS: readonly string[] = [
  "rx_packets",
  "tx_packets",
  "rx_bytes",
  "tx_bytes",
  "rx_errors",
  "tx_errors",
  "rx_dropped",
  "tx_dropped",
  "multicast",
  "collisions",
  "rx_length_errors",
  "rx_over_errors",
  "rx_crc_errors",
  "rx_frame_errors",
  "rx_fifo_errors",
  "rx_missed_errors",
  "tx_aborted_errors",
  "tx_carrier_errors",
  "tx_fifo_errors",
  "tx_heartbeat_errors",
  "tx_window_errors",
  "rx_compressed",
  "tx_compressed",
  "rx_nohandler",
];

/** struct rtnl_link_stats (32-bit counters, IFLA_STATS). */
export const LINK_STATS: StructDef = cStruct(
  "linux/if_link.h",
  "struct rtnl_link_stats",
  STAT_FIELDS.map((c) => ({ c, type: "u32" as const })),
);

/** struct rtnl_link_stats64 (IFLA_STATS64): every counter a bigint. */
export const LINK_STATS64: StructDef = cStruct(
  "linux/if_link.h",
  "struct rtnl_link_stats64",
  [...STAT_FIELDS, "rx_otherhost_dropped"].map((c) => ({ c, type: "u64" as const })),
);
