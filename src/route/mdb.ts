/**
 * The bridge multicast database: list its entries and multicast router ports
 * (`bridge mdb show`), add and delete entries (`bridge mdb add|del`).
 * Requests are byte-for-byte what the `bridge` tool sends.
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, type MessageView } from "../core/message.ts";
import type { RawAttribute } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF_INET, formatIPv4, formatIPv6, formatMac, parseIP, parseMac } from "../util/addr.ts";
import { checkInt, compact, ETH_P_GROUP, type MulticastRouterType } from "./bridge_attrs.ts";
import { AF, RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import { MDB_MESSAGE, MDB_SET_MESSAGE } from "./mdb_attrs.ts";

/** One multicast group membership of a bridge port. */
export interface MdbEntry {
  /** The bridge's ifindex. */
  ifindex: number;
  /** The port's ifindex (the bridge's own when the bridge itself joined the group). */
  port: number;
  /** The group: an IPv4 or IPv6 multicast address, or a MAC address for a layer-2 entry. */
  group: string;
  /** `"permanent"` (added by hand, never expires) or `"temp"` (learned, or added to expire). */
  state: "permanent" | "temp" | number;
  /** `"offload"`, `"fast_leave"`, `"star_excl"` (added by a (*, G) exclude entry), `"blocked"`. */
  flags: string[];
  /** The VLAN, when the entry is per VLAN. */
  vid?: number;
  /** Time left before a temporary entry expires, in 1/100 s. */
  timer?: number;
  /** The source of an (S, G) entry. */
  source?: string;
  /** IGMPv3/MLDv2 filter mode of a (*, G) entry: `"include"` or `"exclude"`. */
  filterMode?: "include" | "exclude" | number;
  /** IGMPv3/MLDv2 sources of a (*, G) entry, with their timers (1/100 s). */
  sourceList?: { address: string; timer: number }[];
  /** Who added it: `"static"` (by hand), `"kernel"` (snooping), … */
  protocol?: string | number;
  /** VXLAN entries: the remote's IP address. */
  dst?: string;
  /** VXLAN entries: the remote's UDP port. */
  dstPort?: number;
  /** VXLAN entries: the remote's VNI. */
  vni?: number;
  /** VXLAN entries: the device to reach the remote through. */
  remoteIfindex?: number;
  /** VXLAN entries: the source VNI (metadata mode). */
  srcVni?: number;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/** A multicast router port: where the bridge forwards all multicast traffic. */
export interface MulticastRouterPort {
  /** The port's ifindex. */
  port: number;
  /** Time left as a router port (temporary ones), in 1/100 s. */
  timer?: number;
  /** How it became a router port. */
  type?: MulticastRouterType | number;
  /** Time left as an IPv4 router port, in 1/100 s. */
  inetTimer?: number;
  /** Time left as an IPv6 router port, in 1/100 s. */
  inet6Timer?: number;
  /** The VLAN (per-VLAN multicast snooping). */
  vid?: number;
}

/** A bridge's multicast router port. */
export interface MdbRouterPort extends MulticastRouterPort {
  /** The bridge's ifindex. */
  ifindex: number;
}

/** One MDB message: a dump reply, or an RTM_NEWMDB / RTM_DELMDB notification. */
export interface MdbMessage {
  /** The bridge's ifindex. */
  ifindex: number;
  /** The entries it carries. */
  entries: MdbEntry[];
  /** The router ports it carries. */
  routers: MdbRouterPort[];
}

/** The multicast database: every entry and router port of the bridges asked for. */
export interface Mdb {
  /** The group memberships. */
  entries: MdbEntry[];
  /** The multicast router ports. */
  routers: MdbRouterPort[];
}

type RawEntry = Record<string, unknown> & {
  header: { port: number; state: MdbEntry["state"]; flags: string[]; vid: number; addr: Uint8Array; proto: number };
  sourceList?: { entry?: { address: string; timer: number }[] };
};
type RawRouterPort = Record<string, unknown> & { header: { port: number } };

function formatGroup(addr: Uint8Array, proto: number): string {
  if (proto === ETH_P_GROUP.IP) return formatIPv4(addr, 0);
  if (proto === ETH_P_GROUP.IPV6) return formatIPv6(addr, 0);
  return formatMac(addr, 0, 6);
}

function toEntry(ifindex: number, raw: RawEntry): MdbEntry {
  const { header: h, sourceList, ...attrs } = raw;
  return compact({
    ifindex,
    port: h.port,
    group: formatGroup(h.addr, h.proto),
    state: h.state,
    flags: h.flags,
    vid: h.vid || undefined,
    ...attrs,
    sourceList: sourceList ? sourceList.entry ?? [] : undefined,
  });
}

/**
 * A decoded MDBA_ROUTER_PORT record as a {@linkcode MulticastRouterPort}.
 *
 * @example
 * ```ts
 * import { toRouterPort } from "./mdb.ts";
 * toRouterPort({ header: { port: 3 }, type: "perm" }); // { port: 3, type: "perm" }
 * ```
 */
export function toRouterPort(raw: Record<string, unknown>): MulticastRouterPort {
  const { header, ...attrs } = raw as RawRouterPort;
  return { port: header.port, ...attrs };
}

/**
 * Decodes an MDB message (a dump reply, or an RTM_NEWMDB / RTM_DELMDB notification).
 *
 * @example
 * ```ts ignore
 * import { decodeMdb } from "./mdb.ts";
 * const { entries, routers } = decodeMdb(msg);
 * ```
 */
export function decodeMdb(msg: MessageView): MdbMessage {
  const m = decodeMessage(MDB_MESSAGE, msg) as {
    ifindex: number;
    mdb?: { entry?: { info?: RawEntry[] }[] };
    router?: { port?: RawRouterPort[] };
  };
  const entries: MdbEntry[] = [];
  for (const e of m.mdb?.entry ?? []) for (const info of e.info ?? []) entries.push(toEntry(m.ifindex, info));
  const routers = (m.router?.port ?? []).map((r) => ({ ifindex: m.ifindex, ...toRouterPort(r) }));
  return { ifindex: m.ifindex, entries, routers };
}

// Dump replies are RTM_GETMDB; notifications RTM_NEWMDB.
const decodeDumped = (m: MessageView): MdbMessage | undefined =>
  m.type === RTM.GETMDB || m.type === RTM.NEWMDB ? decodeMdb(m) : undefined;

/**
 * Builds the RTM_GETMDB dump request (`bridge mdb show`). The kernel filters
 * by nothing: {@linkcode getMdb} filters the replies.
 *
 * @example
 * ```ts
 * import { mdbDumpRequest } from "./mdb.ts";
 * mdbDumpRequest().length; // 24
 * ```
 */
export function mdbDumpRequest(): Uint8Array {
  const w = new MessageWriter(32);
  encodeMessage(w, MDB_MESSAGE, RTM.GETMDB, REQUEST_FLAGS.dump, { family: "bridge" });
  return w.bytes();
}

/** Filters for {@linkcode getMdb}. */
export interface GetMdbOptions extends DumpOptions {
  /** Only this bridge's entries and router ports. */
  dev?: Dev;
  /** Only entries of this VLAN (and router ports of it, for per-VLAN router ports). */
  vid?: number;
}

/**
 * The multicast database, like `bridge mdb show`: entries (with their
 * timers, sources and protocol) and multicast router ports.
 *
 * @example
 * ```ts ignore
 * const { entries, routers } = await getMdb(conn, { dev: "br0" });
 * ```
 */
export async function getMdb(conn: NetlinkConnection, options: GetMdbOptions = {}): Promise<Mdb> {
  const vid = options.vid === undefined ? undefined : checkInt(options.vid, "vid", 0, 4094);
  const bridge = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  const messages = await conn.dump(mdbDumpRequest(), decodeDumped, "getMdb", options);
  const mine = messages.filter((m) => bridge === undefined || m.ifindex === bridge);
  return {
    entries: mine.flatMap((m) => m.entries).filter((e) => vid === undefined || (e.vid ?? 0) === vid),
    routers: mine.flatMap((m) => m.routers).filter((r) => vid === undefined || r.vid === undefined || r.vid === vid),
  };
}

/** What {@linkcode addMdb} / {@linkcode delMdb} take (`bridge mdb add|del dev BR port PORT grp GROUP …`). */
export interface MdbOptions {
  /** The bridge. */
  dev: Dev;
  /** The port (or the bridge itself, for a group the bridge joins). */
  port: Dev;
  /** The group: an IPv4 or IPv6 multicast address, or a multicast MAC address. */
  group: string;
  /** A permanent entry (default: temporary, which expires unless refreshed). Ignored by delete, as iproute2 does. */
  permanent?: boolean;
  /** The VLAN (default: none). */
  vid?: number;
  /** The source of an (S, G) entry (same family as the group). */
  source?: string;
}

/** The MDB operations: `bridge mdb add|del`. */
export type MdbOp = "add" | "del";

/** The group as struct br_mdb_entry holds it: the union's bytes and the protocol telling which member. */
function parseGroup(group: unknown): { addr: Uint8Array; proto: number; family?: number } {
  if (typeof group === "string") {
    const ip = parseIP(group);
    if (ip) {
      const v4 = ip.family === AF_INET;
      if (v4 ? ip.bytes[0] >> 4 !== 0xe : ip.bytes[0] !== 0xff) {
        throw new ValidationError("group", group, `expected a multicast address (${v4 ? "224.0.0.0/4" : "ff00::/8"})`);
      }
      return { addr: ip.bytes, proto: v4 ? ETH_P_GROUP.IP : ETH_P_GROUP.IPV6, family: ip.family };
    }
    const mac = parseMac(group);
    if (mac?.length === 6) {
      if (!(mac[0] & 1)) throw new ValidationError("group", group, "a layer-2 group is a multicast MAC address");
      return { addr: mac, proto: 0 };
    }
  }
  throw new ValidationError("group", group, "expected a multicast IPv4, IPv6 or MAC address");
}

/**
 * Builds the RTM_NEWMDB / RTM_DELMDB request `bridge mdb add|del` sends;
 * `index` holds the ifindexes of the bridge and the port.
 *
 * @example
 * ```ts
 * import { mdbRequest } from "./mdb.ts";
 * mdbRequest("add", { dev: 4, port: 3, group: "239.1.1.1", permanent: true }, { dev: 4, port: 3 }).length; // 56
 * ```
 */
export function mdbRequest(op: MdbOp, o: MdbOptions, index: { dev: number; port: number }): Uint8Array {
  const w = new MessageWriter(96);
  writeMdbRequest(w, op, o, index);
  return w.bytes();
}

/**
 * Appends the request {@linkcode mdbRequest} builds to `w` (for batches).
 *
 * @example
 * ```ts
 * import { writeMdbRequest } from "./mdb.ts";
 * import { MessageWriter } from "../core/writer.ts";
 * writeMdbRequest(new MessageWriter(), "del", { dev: 4, port: 3, group: "ff0e::1" }, { dev: 4, port: 3 });
 * ```
 */
export function writeMdbRequest(
  w: MessageWriter,
  op: MdbOp,
  o: MdbOptions,
  index: { dev: number; port: number },
): void {
  if (o === null || typeof o !== "object") throw new ValidationError("mdb options", o, "expected an object");
  if (op !== "add" && op !== "del") throw new ValidationError("op", op, 'expected "add" or "del"');
  const { addr, proto, family } = parseGroup(o.group);
  const vid = o.vid === undefined ? 0 : checkInt(o.vid, "vid", 0, 4094);
  const attrs: Record<string, unknown> = {
    entry: { port: index.port, state: op === "add" && o.permanent ? "permanent" : "temp", vid, addr, proto },
  };
  if (o.source !== undefined) {
    const src = typeof o.source === "string" ? parseIP(o.source) : undefined;
    if (!src || src.family !== family) {
      throw new ValidationError("source", o.source, "expected a source address of the group's family (IP groups only)");
    }
    attrs.entryAttrs = { source: o.source };
  }
  const add = op === "add";
  const header = { family: "bridge", ifindex: index.dev };
  encodeMessage(
    w,
    MDB_SET_MESSAGE,
    add ? RTM.NEWMDB : RTM.DELMDB,
    add ? REQUEST_FLAGS.create : REQUEST_FLAGS.ack,
    header,
    attrs,
    AF.BRIDGE,
  );
}

async function mdbChange(conn: NetlinkConnection, op: MdbOp, o: MdbOptions): Promise<void> {
  mdbRequest(op, o, { dev: 1, port: 1 }); // bad input fails here, before any device look-up
  const dev = await resolveDev(conn, o.dev);
  const port = await resolveDev(conn, o.port, "port");
  await conn.ack(mdbRequest(op, o, { dev, port }), `${op}Mdb dev ${o.dev} port ${o.port} grp ${o.group}`);
}

/**
 * Adds a multicast group entry to a bridge port, like `bridge mdb add`.
 *
 * @example
 * ```ts ignore
 * await addMdb(conn, { dev: "br0", port: "p0", group: "239.1.1.1", permanent: true, vid: 10 });
 * ```
 */
export function addMdb(conn: NetlinkConnection, options: MdbOptions): Promise<void> {
  return mdbChange(conn, "add", options);
}

/**
 * Deletes a multicast group entry, like `bridge mdb del`.
 *
 * @example
 * ```ts ignore
 * await delMdb(conn, { dev: "br0", port: "p0", group: "239.1.1.1", vid: 10 });
 * ```
 */
export function delMdb(conn: NetlinkConnection, options: MdbOptions): Promise<void> {
  return mdbChange(conn, "del", options);
}
