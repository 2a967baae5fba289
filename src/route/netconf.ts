/**
 * Per-device IP configuration as the kernel reports it over netlink
 * (RTM_GETNETCONF): forwarding, reverse-path filter, proxy neighbour, …, of a
 * device, of `all` or of `default`. Requests are byte-for-byte what
 * `ip netconf show` sends.
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, type MessageSchema, messageSchema, type MessageView } from "../core/message.ts";
import { type AttrSchema, attrSchema, type RawAttribute } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { cTable } from "../core/ctable.ts";
import { MessageWriter } from "../core/writer.ts";
import { FAMILY, familyNumber, RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";

/** The ifindex values that stand for `all` and `default` (NETCONFA_IFINDEX_*). */
export const NETCONFA_IFINDEX: { readonly ALL: number; readonly DEFAULT: number } = cTable(
  "linux/netconf.h",
  "NETCONFA_IFINDEX_",
  { ALL: -1, DEFAULT: -2 },
);

/** struct netconfmsg (one byte, padded to four on the wire). */
export const NETCONFMSG: StructDef = cStruct("linux/netconf.h", "struct netconfmsg", [
  { c: "ncm_family", type: "u8", enum: FAMILY },
], { strip: "ncm_" });

/** Every NETCONFA_* attribute. */
export const NETCONF_ATTRS: AttrSchema = attrSchema("NETCONFA_", "linux/netconf.h", {
  IFINDEX: { id: 1, type: "s32" },
  FORWARDING: { id: 2, type: "u32" },
  RP_FILTER: { id: 3, type: "u32" },
  MC_FORWARDING: { id: 4, type: "u32" },
  PROXY_NEIGH: { id: 5, type: "u32" },
  IGNORE_ROUTES_WITH_LINKDOWN: { id: 6, type: "u32" },
  INPUT: { id: 7, type: "u32" },
  BC_FORWARDING: { id: 8, type: "u32" },
});

/** The netconf message: netconfmsg + NETCONFA_* attributes. */
export const NETCONF_MESSAGE: MessageSchema = messageSchema(
  "netconf",
  NETCONFMSG,
  NETCONF_ATTRS,
  "family",
  familyNumber,
);

/** One device's (or `all`'s, or `default`'s) configuration, decoded from RTM_NEWNETCONF. */
export interface Netconf {
  /** `"inet"`, `"inet6"` or `"mpls"`. */
  family: string | number;
  /** The device's ifindex; -1 for `all`, -2 for `default`. */
  ifindex: number;
  /** `forwarding` (0 or 1). */
  forwarding?: number;
  /** `rp_filter`: 0 off, 1 strict, 2 loose (IPv4). */
  rpFilter?: number;
  /** `mc_forwarding` (read-only: set by a multicast routing daemon). */
  mcForwarding?: number;
  /** `proxy_arp` (IPv4) or `proxy_ndp` (IPv6). */
  proxyNeigh?: number;
  /** `ignore_routes_with_linkdown`. */
  ignoreRoutesWithLinkdown?: number;
  /** MPLS: `input` (accept labelled packets on the device). */
  input?: number;
  /** `bc_forwarding` (IPv4: forward directed broadcasts). */
  bcForwarding?: number;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/**
 * Decodes an RTM_NEWNETCONF / RTM_DELNETCONF message (a notification carries
 * only the values that changed).
 *
 * @example
 * ```ts ignore
 * import { decodeNetconf } from "./netconf.ts";
 * decodeNetconf(msg); // { family: "inet", ifindex: 3, forwarding: 1, rpFilter: 2, … }
 * ```
 */
export function decodeNetconf(msg: MessageView): Netconf {
  const n = decodeMessage(NETCONF_MESSAGE, msg) as unknown as Netconf;
  n.ifindex ??= 0;
  return n;
}

const decodeNewNetconf = (m: MessageView): Netconf | undefined =>
  m.type === RTM.NEWNETCONF ? decodeNetconf(m) : undefined;

/** The families that have netconf. */
export type NetconfFamily = "inet" | "inet6" | "mpls";

function checkFamily(family: unknown): NetconfFamily {
  if (family !== "inet" && family !== "inet6" && family !== "mpls") {
    throw new ValidationError("family", family, 'expected "inet", "inet6" or "mpls"');
  }
  return family;
}

/**
 * Builds the RTM_GETNETCONF request `ip -4 netconf show dev DEV` sends, for an
 * ifindex (or -1 for `all`, -2 for `default`).
 *
 * @example
 * ```ts
 * import { netconfGetRequest } from "./netconf.ts";
 * netconfGetRequest("inet", 3).length; // 28
 * ```
 */
export function netconfGetRequest(family: NetconfFamily, ifindex: number): Uint8Array {
  checkFamily(family);
  if (!Number.isInteger(ifindex) || ifindex < -2 || ifindex === 0 || ifindex > 0x7fffffff) {
    throw new ValidationError("dev", ifindex, "expected an ifindex, -1 (all) or -2 (default)");
  }
  const w = new MessageWriter(32);
  encodeMessage(w, NETCONF_MESSAGE, RTM.GETNETCONF, REQUEST_FLAGS.ack, { family }, { ifindex });
  return w.bytes();
}

/**
 * Builds the RTM_GETNETCONF dump request `ip netconf show` sends per family.
 *
 * @example
 * ```ts
 * import { netconfDumpRequest } from "./netconf.ts";
 * netconfDumpRequest("inet6").length; // 20
 * ```
 */
export function netconfDumpRequest(family: NetconfFamily): Uint8Array {
  checkFamily(family);
  const w = new MessageWriter(32);
  encodeMessage(w, NETCONF_MESSAGE, RTM.GETNETCONF, REQUEST_FLAGS.dump, { family });
  return w.bytes();
}

/** What {@linkcode getNetconf} looks up. */
export interface GetNetconfOptions {
  /** `"inet"`, `"inet6"` or `"mpls"`. */
  family: NetconfFamily;
  /**
   * A device (name or ifindex), or `"all"` / `"default"` for the
   * `net.ipv4.conf.all` / `.default` values (a device literally named so must
   * be given by ifindex).
   */
  dev: Dev | "all" | "default";
}

/**
 * One device's configuration for one family, like `ip -4 netconf show dev DEV`.
 *
 * @example
 * ```ts ignore
 * const c = await getNetconf(conn, { family: "inet", dev: "p0" });
 * if (c.forwarding) console.log("p0 forwards IPv4");
 * ```
 */
export async function getNetconf(conn: NetlinkConnection, options: GetNetconfOptions): Promise<Netconf> {
  if (options === null || typeof options !== "object") {
    throw new ValidationError("netconf", options, "expected { family, dev }");
  }
  checkFamily(options.family);
  const dev = options.dev;
  const ifindex = dev === "all"
    ? NETCONFA_IFINDEX.ALL
    : dev === "default"
    ? NETCONFA_IFINDEX.DEFAULT
    : await resolveDev(conn, dev);
  return conn.get(netconfGetRequest(options.family, ifindex), decodeNewNetconf, `getNetconf ${options.family} ${dev}`);
}

/** Filters for {@linkcode getNetconfs}. */
export interface GetNetconfsOptions extends DumpOptions {
  /** One family (default: `inet` then `inet6`, as `ip netconf show`). */
  family?: NetconfFamily;
  /** Only this device's entries (filtered here, as iproute2 does). */
  dev?: Dev | "all" | "default";
}

/**
 * Every device's configuration (and `all`'s and `default`'s), like
 * `ip netconf show [dev DEV]`.
 *
 * @example
 * ```ts ignore
 * for (const c of await getNetconfs(conn, { family: "inet6" })) console.log(c.ifindex, c.forwarding);
 * ```
 */
export async function getNetconfs(conn: NetlinkConnection, options: GetNetconfsOptions = {}): Promise<Netconf[]> {
  const families = options.family === undefined ? ["inet", "inet6"] as const : [checkFamily(options.family)];
  const dev = options.dev;
  const ifindex = dev === undefined
    ? undefined
    : dev === "all"
    ? NETCONFA_IFINDEX.ALL
    : dev === "default"
    ? NETCONFA_IFINDEX.DEFAULT
    : await resolveDev(conn, dev);
  const out: Netconf[] = [];
  for (const family of families) {
    const decode = (m: MessageView) => {
      const n = decodeNewNetconf(m);
      return n === undefined || (ifindex !== undefined && n.ifindex !== ifindex) ? undefined : n;
    };
    out.push(...await conn.dump(netconfDumpRequest(family), decode, `getNetconfs ${family}`, options));
  }
  return out;
}
