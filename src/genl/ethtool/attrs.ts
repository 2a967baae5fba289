/**
 * The ethtool generic netlink family as data: the request header every
 * ethtool message starts with, bitsets (link modes, features), the link-mode
 * attributes, and the names of duplex, master/slave and rate-matching values.
 *
 * @module
 */
import { cTable } from "../../core/ctable.ts";
import { cEnum, cFlags, type EnumTable, type FlagTable } from "../../core/enums.ts";
import type { MessageSchema } from "../../core/message.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { genlMessageSchema } from "../header.ts";

/** The family's name, as the controller knows it (ETHTOOL_GENL_NAME). */
export const ETHTOOL_GENL_NAME = "ethtool";

/** The family's interface version (ETHTOOL_GENL_VERSION). */
export const ETHTOOL_GENL: { readonly VERSION: number } = cTable("linux/ethtool_netlink.h", "ETHTOOL_GENL_", {
  VERSION: 1,
});

/**
 * Message types: requests (`LINKMODES_GET`) and the kernel's replies
 * (`LINKMODES_GET_REPLY`) are numbered in two separate enumerations.
 *
 * @example
 * ```ts
 * import { ETHTOOL_MSG } from "./attrs.ts";
 * ETHTOOL_MSG.LINKMODES_GET; // 4
 * ```
 */
export const ETHTOOL_MSG: {
  readonly LINKINFO_GET: number;
  readonly LINKMODES_GET: number;
  readonly LINKINFO_GET_REPLY: number;
  readonly LINKMODES_GET_REPLY: number;
} = cTable("linux/ethtool_netlink.h", "ETHTOOL_MSG_", {
  LINKINFO_GET: 2,
  LINKMODES_GET: 4,
  LINKINFO_GET_REPLY: 2,
  LINKMODES_GET_REPLY: 4,
});

/** Request header flags (ETHTOOL_FLAG_*): `compact_bitsets`, `omit_reply`, `stats`. */
export const ETHTOOL_FLAG: FlagTable = cFlags("linux/ethtool_netlink.h", "ETHTOOL_FLAG_", {
  COMPACT_BITSETS: 1 << 0,
  OMIT_REPLY: 1 << 1,
  STATS: 1 << 2,
});

/** ETHTOOL_A_HEADER_*: which device (by index or name) and how to answer. */
export const ETHTOOL_HEADER_ATTRS: AttrSchema = attrSchema("ETHTOOL_A_HEADER_", "linux/ethtool_netlink.h", {
  DEV_INDEX: { id: 1, type: "u32", name: "ifindex" },
  DEV_NAME: { id: 2, type: "string", name: "ifname" },
  FLAGS: { id: 3, type: "u32", flags: ETHTOOL_FLAG },
});

/** ETHTOOL_A_BITSET_BIT_*: one bit of a verbose bitset. */
const BITSET_BIT_ATTRS: AttrSchema = attrSchema("ETHTOOL_A_BITSET_BIT_", "linux/ethtool_netlink.h", {
  INDEX: { id: 1, type: "u32" },
  NAME: { id: 2, type: "string" },
  VALUE: { id: 3, type: "flag" },
});

/** ETHTOOL_A_BITSET_BITS_*: the bits of a verbose bitset. */
const BITSET_BITS_ATTRS: AttrSchema = attrSchema("ETHTOOL_A_BITSET_BITS_", "linux/ethtool_netlink.h", {
  BIT: { id: 1, type: "nested", schema: BITSET_BIT_ATTRS, multi: true },
});

/**
 * ETHTOOL_A_BITSET_*: a bitset, verbose (named bits, each with a VALUE flag
 * when set; the bits listed are the mask unless NOMASK) or compact (VALUE
 * and MASK as bit arrays).
 */
export const ETHTOOL_BITSET_ATTRS: AttrSchema = attrSchema("ETHTOOL_A_BITSET_", "linux/ethtool_netlink.h", {
  NOMASK: { id: 1, type: "flag" },
  SIZE: { id: 2, type: "u32" },
  BITS: { id: 3, type: "nested", schema: BITSET_BITS_ATTRS },
  VALUE: { id: 4, type: "binary" },
  MASK: { id: 5, type: "binary" },
});

/** Duplex (DUPLEX_*): `half`, `full`, `unknown`. */
export const DUPLEX: EnumTable = cEnum("linux/ethtool.h", "DUPLEX_", { HALF: 0x00, FULL: 0x01, UNKNOWN: 0xff });

/** Master/slave configuration (MASTER_SLAVE_CFG_*): `unsupported`, `unknown`, `master_preferred`, … */
export const MASTER_SLAVE_CFG: EnumTable = cEnum("linux/ethtool.h", "MASTER_SLAVE_CFG_", {
  UNSUPPORTED: 0,
  UNKNOWN: 1,
  MASTER_PREFERRED: 2,
  SLAVE_PREFERRED: 3,
  MASTER_FORCE: 4,
  SLAVE_FORCE: 5,
});

/** Master/slave state (MASTER_SLAVE_STATE_*): `unsupported`, `unknown`, `master`, `slave`, `err`. */
export const MASTER_SLAVE_STATE: EnumTable = cEnum("linux/ethtool.h", "MASTER_SLAVE_STATE_", {
  UNSUPPORTED: 0,
  UNKNOWN: 1,
  MASTER: 2,
  SLAVE: 3,
  ERR: 4,
});

/** How the PHY adapts a slower link (RATE_MATCH_*): `none`, `pause`, `crs`, `open_loop`. */
export const RATE_MATCH: EnumTable = cEnum("linux/ethtool.h", "RATE_MATCH_", {
  NONE: 0,
  PAUSE: 1,
  CRS: 2,
  OPEN_LOOP: 3,
});

/**
 * SPEED_UNKNOWN: the speed a device reports when it has none (a link that is
 * down, a virtual device without a configured speed). -1 in C; on the wire
 * the u32 0xffffffff.
 */
export const SPEED: { readonly UNKNOWN: number } = cTable("linux/ethtool.h", "SPEED_", { UNKNOWN: -1 });

/** AUTONEG_*: autonegotiation off or on. */
export const AUTONEG: { readonly DISABLE: number; readonly ENABLE: number } = cTable("linux/ethtool.h", "AUTONEG_", {
  DISABLE: 0x00,
  ENABLE: 0x01,
});

/** ETHTOOL_A_LINKMODES_*: speed, duplex, autonegotiation and the link modes of a device. */
export const LINKMODES_ATTRS: AttrSchema = attrSchema("ETHTOOL_A_LINKMODES_", "linux/ethtool_netlink.h", {
  HEADER: { id: 1, type: "nested", schema: ETHTOOL_HEADER_ATTRS, nestedFlag: true },
  AUTONEG: { id: 2, type: "u8" },
  OURS: { id: 3, type: "nested", schema: ETHTOOL_BITSET_ATTRS },
  PEER: { id: 4, type: "nested", schema: ETHTOOL_BITSET_ATTRS },
  SPEED: { id: 5, type: "u32" },
  DUPLEX: { id: 6, type: "u8", enum: DUPLEX },
  MASTER_SLAVE_CFG: { id: 7, type: "u8", enum: MASTER_SLAVE_CFG },
  MASTER_SLAVE_STATE: { id: 8, type: "u8", enum: MASTER_SLAVE_STATE },
  LANES: { id: 9, type: "u32" },
  RATE_MATCHING: { id: 10, type: "u8", enum: RATE_MATCH },
});

/** An ETHTOOL_MSG_LINKMODES_* message: genlmsghdr and ETHTOOL_A_LINKMODES_*. */
export const LINKMODES_MESSAGE: MessageSchema = genlMessageSchema("ethtool linkmodes", LINKMODES_ATTRS);
