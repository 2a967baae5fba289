/**
 * The netlink message header (struct nlmsghdr), its flags and the control
 * message types, plus attribute header flags.
 *
 * @module
 */
import { cTable, registerCStruct } from "./ctable.ts";

/** Size of struct nlmsghdr. */
export const NLMSG_HDRLEN = 16;
/** Size of struct nlattr. */
export const NLA_HDRLEN = 4;

registerCStruct("linux/netlink.h", "struct nlmsghdr", NLMSG_HDRLEN, {
  nlmsg_len: 0,
  nlmsg_type: 4,
  nlmsg_flags: 6,
  nlmsg_seq: 8,
  nlmsg_pid: 12,
});
registerCStruct("linux/netlink.h", "struct nlattr", NLA_HDRLEN, { nla_len: 0, nla_type: 2 });
registerCStruct("linux/netlink.h", "struct nlmsgerr", 20, { error: 0, msg: 4 });

/** Control message types (< 0x10). */
export const NLMSG = cTable("linux/netlink.h", "NLMSG_", {
  NOOP: 0x1,
  ERROR: 0x2,
  DONE: 0x3,
  OVERRUN: 0x4,
  MIN_TYPE: 0x10,
});

/** nlmsg_flags bits. GET requests use the first group, NEW/DEL the others. */
export const NLM_F = cTable("linux/netlink.h", "NLM_F_", {
  REQUEST: 0x01,
  MULTI: 0x02,
  ACK: 0x04,
  ECHO: 0x08,
  DUMP_INTR: 0x10,
  DUMP_FILTERED: 0x20,
  ROOT: 0x100,
  MATCH: 0x200,
  ATOMIC: 0x400,
  DUMP: 0x300,
  REPLACE: 0x100,
  EXCL: 0x200,
  CREATE: 0x400,
  APPEND: 0x800,
  NONREC: 0x100,
  BULK: 0x200,
  CAPPED: 0x100,
  ACK_TLVS: 0x200,
});

/** Attribute type flags (high bits of nla_type). */
export const NLA_F = cTable("linux/netlink.h", "NLA_F_", {
  NESTED: 1 << 15,
  NET_BYTEORDER: 1 << 14,
});

/** Mask that strips {@linkcode NLA_F} bits from nla_type. */
export const NLA_TYPE_MASK = 0x3fff;

/** Extended-ack attributes inside NLMSG_ERROR / NLMSG_DONE. */
export const NLMSGERR_ATTR = cTable("linux/netlink.h", "NLMSGERR_ATTR_", {
  MSG: 1,
  OFFS: 2,
  COOKIE: 3,
  POLICY: 4,
  MISS_TYPE: 5,
  MISS_NEST: 6,
});

/**
 * Rounds up to the 4-byte netlink alignment.
 *
 * @example
 * ```ts
 * import { align4 } from "./header.ts";
 * align4(5); // 8
 * ```
 */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Request flags for the common operations, as iproute2 sends them.
 *
 * @example
 * ```ts
 * import { REQUEST_FLAGS } from "./header.ts";
 * REQUEST_FLAGS.create; // REQUEST | ACK | CREATE | EXCL
 * ```
 */
export const REQUEST_FLAGS = {
  /** Create; fail if it exists (`ip … add`). */
  create: NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.EXCL,
  /** Create or replace (`ip … replace`). */
  replace: NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.REPLACE,
  /** Change an existing object only (`ip … change`). */
  change: NLM_F.REQUEST | NLM_F.ACK | NLM_F.REPLACE,
  /** Append (`ip route append`). */
  append: NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.APPEND,
  /** Prepend (`ip route prepend`). */
  prepend: NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE,
  /** Modify or delete with an acknowledgement. */
  ack: NLM_F.REQUEST | NLM_F.ACK,
  /** A dump. */
  dump: NLM_F.REQUEST | NLM_F.DUMP,
  /** A single GET (reply, no ack). */
  get: NLM_F.REQUEST,
} as const;
