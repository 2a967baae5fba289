/**
 * `ip route get`: the route the kernel would use for one destination.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { encodeMessage, inOptionOrder } from "../core/message.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF_INET, ipFamily, parsePrefix } from "../util/addr.ts";
import { AF, FAMILY, familyNumber, RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import { decodeNewRoute } from "./route.ts";
import { ROUTE_FLAGS, ROUTE_IPPROTO, ROUTE_MESSAGE } from "./route_attrs.ts";
import type { Route } from "./route_types.ts";

/** What {@linkcode getRoute} looks up: `ip route get DST [from …] [iif …] [oif …] …`. */
export interface RouteGetOptions {
  /**
   * The destination address (`/32` or `/128` may be written), or a label for `family: "mpls"` (`"100"`, or
   * `"100/LEN"` with a prefix length as iproute2 writes it).
   */
  dst: string;
  /** Family; inferred from `dst` when omitted. */
  family?: "inet" | "inet6" | "mpls";
  /** Source address (or prefix) of the packet (`from`). */
  from?: string;
  /** The packet arrives on this device (an input-route lookup; needs forwarding on for foreign addresses). */
  iif?: Dev;
  /** Force this output device (`oif` / `dev`). */
  oif?: Dev;
  /** Firewall mark. */
  mark?: number;
  /** Socket owner's uid (for uid-range rules). */
  uid?: number;
  /** IP protocol: a number or `tcp`, `udp`, `icmp`, `ipv6-icmp`, `sctp`, … */
  ipproto?: string | number;
  /** Source port (for multipath hashing and rules). */
  sport?: number;
  /** Destination port. */
  dport?: number;
  /** TOS / DSCP field. */
  tos?: number;
  /** Return the FIB entry that matched (`fibmatch`) instead of the resolved route. */
  fibmatch?: boolean;
  /**
   * RTA_NEWDST (`as [to] ADDR`): an address of the lookup's family, or for MPLS a label stack (`"200/300"`),
   * sent as iproute2 sends it.
   */
  newdst?: string;
}

/**
 * The route attribute each packet field of {@linkcode RouteGetOptions} is sent
 * as, in the order typed; the devices and the mark are not here: iproute2 adds
 * them once every word is read.
 */
const FIELD_ATTRS = {
  dst: "dst",
  from: "src",
  uid: "uid",
  newdst: "newdst",
  ipproto: "ipProto",
  sport: "sport",
  dport: "dport",
} as const;

/**
 * Builds the RTM_GETROUTE request (one lookup, not a dump) exactly as
 * `ip route get DST [from F] [uid U] [as A] [ipproto P] [sport S] [dport D] [iif I]
 * [oif O] [mark M] [tos T] [fibmatch]` sends it. As iproute2 adds each of
 * the packet's fields (dst, from, uid, as, ipproto, sport, dport) when it
 * reads its word, they are sent in the order of the options' keys; the
 * devices and the mark follow them.
 *
 * @example
 * ```ts
 * import { routeGetRequest } from "./route_get.ts";
 * routeGetRequest({ dst: "10.0.0.5" }).length; // 36
 * ```
 */
export function routeGetRequest(o: RouteGetOptions, devs: { iif?: number; oif?: number } = {}): Uint8Array {
  if (o === null || typeof o !== "object") throw new ValidationError("route get", o, "expected options with dst");
  const family = o.family !== undefined
    ? familyNumber(o.family)
    : typeof o.dst === "string" && /^\d+$/.test(o.dst)
    ? AF.MPLS
    : ipFamily(String(o.dst).split("/")[0]) || AF_INET;
  const header: Record<string, unknown> = { family: FAMILY.name(family), tos: o.tos ?? 0 };
  const attrs: Record<string, unknown> = {};
  if (family === AF.MPLS) {
    // One label, or `LABEL/LEN` as iproute2 reads a prefix (its length is sent as given).
    const m = typeof o.dst === "string" ? /^(\d+)(?:\/(\d+))?$/.exec(o.dst) : null;
    if (m === null || (m[2] !== undefined && Number(m[2]) > 20)) {
      throw new ValidationError("dst", o.dst, "an MPLS lookup's dst is one label (or LABEL/LEN, LEN 0..20)");
    }
    attrs.dst = m[1];
    header.dstLen = m[2] === undefined ? 20 : Number(m[2]);
  } else {
    const dst = parsePrefix(o.dst, "dst", family);
    const max = family === AF_INET ? 32 : 128;
    if (dst.length !== max) throw new ValidationError("dst", o.dst, `route get takes an address (or /${max})`);
    attrs.dst = dst.address;
    header.dstLen = max;
  }
  if (o.from !== undefined) {
    const from = parsePrefix(o.from, "from", family);
    attrs.src = from.address;
    header.srcLen = from.length;
  }
  if (o.uid !== undefined) attrs.uid = o.uid;
  if (o.newdst !== undefined) attrs.newdst = o.newdst;
  if (o.ipproto !== undefined) attrs.ipProto = ROUTE_IPPROTO.value(o.ipproto, "ipproto");
  if (o.sport !== undefined) attrs.sport = o.sport;
  if (o.dport !== undefined) attrs.dport = o.dport;
  const iif = typeof o.iif === "number" ? o.iif : devs.iif;
  const oif = typeof o.oif === "number" ? o.oif : devs.oif;
  if (iif !== undefined) attrs.iif = iif;
  if (oif !== undefined) attrs.oif = oif;
  // iproute2 leaves out a zero mark.
  if (o.mark) attrs.mark = o.mark;
  let flags = 0;
  // Only IPv4 knows RTM_F_LOOKUP_TABLE (report the table the route came from).
  if (family === AF_INET) flags |= ROUTE_FLAGS.bit("lookup_table");
  if (o.fibmatch) flags |= ROUTE_FLAGS.bit("fib_match");
  header.flags = flags;
  const w = new MessageWriter(96);
  encodeMessage(
    w,
    ROUTE_MESSAGE,
    RTM.GETROUTE,
    REQUEST_FLAGS.get,
    header,
    inOptionOrder(o, attrs, FIELD_ATTRS),
    family,
  );
  return w.bytes();
}

/**
 * Looks up the route the kernel would use, like `ip route get`: the resolved
 * route (`oif`, `gateway`, `prefsrc`, `table`, …), or with `fibmatch` the
 * FIB entry that matched. Rejects with ENETUNREACH (or the kernel's error)
 * when there is none.
 *
 * @example
 * ```ts ignore
 * const r = await getRoute(conn, { dst: "192.0.2.7" });
 * console.log(r.oif, r.gateway, r.prefsrc);
 * ```
 */
export async function getRoute(conn: NetlinkConnection, o: RouteGetOptions): Promise<Route> {
  routeGetRequest(o); // bad input fails here, before any device look-up
  const devs = {
    iif: o.iif === undefined ? undefined : await resolveDev(conn, o.iif, "iif"),
    oif: o.oif === undefined ? undefined : await resolveDev(conn, o.oif, "oif"),
  };
  return conn.get(routeGetRequest(o, devs), decodeNewRoute, `getRoute ${o.dst}`);
}
