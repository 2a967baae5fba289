/**
 * IPv6 prefix notifications (RTM_NEWPREFIX, group `ipv6-prefix`): the kernel
 * sends one when an interface accepts a Router Advertisement carrying a Prefix
 * Information option, telling the prefix, whether it is on-link and usable for
 * address autoconfiguration, and its lifetimes. There is no request for them:
 * they are only ever notifications (what `ip monitor prefix` prints).
 *
 * @module
 */
import { decodeMessage, type MessageSchema, messageSchema, type MessageView } from "../core/message.ts";
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { cTable } from "../core/ctable.ts";
import { FAMILY } from "./constants.ts";

/**
 * `prefix_flags` as kernels before early 2024 wrote it (IF_PREFIX_*). These live in the kernel's private
 * net/if_inet6.h, not in a header user space can include, so the audit cannot check them.
 */
export const IF_PREFIX: { readonly ONLINK: number; readonly AUTOCONF: number } = cTable("", "IF_PREFIX_", {
  ONLINK: 0x01,
  AUTOCONF: 0x02,
});

/**
 * `prefix_flags` as later kernels write it: the Prefix Information option's own flag byte (L, A, R bits; the
 * kernel commit "support reporting otherwise unknown prefix flags in RTM_NEWPREFIX" made the change). These and
 * ND_OPT_* are glibc's netinet/icmp6.h, which cannot be compiled beside linux/icmpv6.h: not audited.
 */
export const ND_OPT_PI_FLAG: { readonly ONLINK: number; readonly AUTO: number; readonly RADDR: number } = cTable(
  "",
  "ND_OPT_PI_FLAG_",
  { ONLINK: 0x80, AUTO: 0x40, RADDR: 0x20 },
);

/** ND_OPT_PREFIX_INFORMATION (netinet/icmp6.h): the option type every prefix notification carries. */
export const ND_OPT: { readonly PREFIX_INFORMATION: number } = cTable("", "ND_OPT_", {
  PREFIX_INFORMATION: 3,
});

/** struct prefixmsg: the header of RTM_NEWPREFIX. */
export const PREFIXMSG: StructDef = cStruct("linux/rtnetlink.h", "struct prefixmsg", [
  { c: "prefix_family", type: "u8", enum: FAMILY },
  { type: "pad", size: 1 },
  { type: "pad", size: 2 },
  { c: "prefix_ifindex", type: "s32" },
  { c: "prefix_type", type: "u8", name: "optionType" },
  { c: "prefix_len", type: "u8", name: "prefixLen" },
  { c: "prefix_flags", type: "u8" },
  { type: "pad", size: 1 },
], { strip: "prefix_" });

/** struct prefix_cacheinfo: the option's lifetimes in seconds (0xffffffff = infinite). */
export const PREFIX_CACHEINFO: StructDef = cStruct("linux/rtnetlink.h", "struct prefix_cacheinfo", [
  { c: "preferred_time", type: "u32", name: "preferred" },
  { c: "valid_time", type: "u32", name: "valid" },
]);

/** Every PREFIX_* attribute. */
export const PREFIX_ATTRS: AttrSchema = attrSchema("PREFIX_", "linux/rtnetlink.h", {
  ADDRESS: { id: 1, type: "addr" },
  CACHEINFO: { id: 2, type: "struct", struct: PREFIX_CACHEINFO },
});

/** The prefix message: prefixmsg + PREFIX_* attributes. */
export const PREFIX_MESSAGE: MessageSchema = messageSchema("prefix", PREFIXMSG, PREFIX_ATTRS, "family");

/** One prefix an interface learnt from a Router Advertisement. */
export interface Ipv6Prefix {
  /** Address family: `inet6` (the kernel sends no other). */
  family: string | number;
  /** The interface that received the advertisement. */
  ifindex: number;
  /** The Neighbour Discovery option type: 3 (ND_OPT_PREFIX_INFORMATION). */
  optionType: number;
  /** Prefix length. */
  prefixLen: number;
  /**
   * The flag byte as the kernel sent it. Its encoding changed in early 2024: before, {@linkcode IF_PREFIX}
   * (0x01 on-link, 0x02 autoconf); since, the option's own byte, {@linkcode ND_OPT_PI_FLAG} (0x80 L, 0x40 A,
   * 0x20 R, and any bit the router set). `onlink` and `autoconf` read either.
   */
  flags: number;
  /** The prefix is on-link (the option's L bit). */
  onlink: boolean;
  /** The prefix may be used for stateless address autoconfiguration (the option's A bit). */
  autoconf: boolean;
  /** The prefix, e.g. `2001:db8:1::`. */
  address?: string;
  /** The lifetimes in seconds (0xffffffff: infinite). */
  cacheinfo?: { preferred: number; valid: number };
}

/** Bits the old encoding never set: when one is present, the byte is the option's own. */
const OPTION_BYTE = 0xf0;

/**
 * Decodes RTM_NEWPREFIX.
 *
 * @example
 * ```ts ignore
 * import { decodePrefix } from "./prefix.ts";
 * const p = decodePrefix(msg); // { family: "inet6", ifindex: 2, prefixLen: 64, flags: 0xc0, onlink: true, … }
 * ```
 */
export function decodePrefix(m: MessageView): Ipv6Prefix {
  const p = decodeMessage(PREFIX_MESSAGE, m) as unknown as Ipv6Prefix;
  // The option's reserved low bits are zero from a conforming router, so the two encodings do not collide.
  const option = (p.flags & OPTION_BYTE) !== 0;
  p.onlink = option ? (p.flags & ND_OPT_PI_FLAG.ONLINK) !== 0 : (p.flags & IF_PREFIX.ONLINK) !== 0;
  p.autoconf = option ? (p.flags & ND_OPT_PI_FLAG.AUTO) !== 0 : (p.flags & IF_PREFIX.AUTOCONF) !== 0;
  return p;
}
