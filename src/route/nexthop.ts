/**
 * Nexthop objects, like `ip nexthop`: single next hops (gateway, device,
 * onlink, blackhole, fdb, encapsulation), groups (multipath with weights,
 * resilient with buckets and timers), add / replace / delete, get, dumps with
 * the kernel's filters, and the buckets of resilient groups. Routes use them
 * through `nhid`. Requests are byte-for-byte what iproute2 sends.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { NetlinkError, ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, type MessageView } from "../core/message.ts";
import type { RawAttribute } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF_INET, ipFamily } from "../util/addr.ts";
import { FAMILY, familyNumber, RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import {
  encapAttrs,
  type EncapDevs,
  type EncapOptions,
  finishEncap,
  resolveEncapDevs,
  type RouteEncap,
} from "./lwtunnel.ts";
import { NEXTHOP_MESSAGE, type NexthopGroupMember } from "./nexthop_attrs.ts";
import { NEXTHOP_FLAGS, RTPROT } from "./route_attrs.ts";

export type { NexthopGroupMember } from "./nexthop_attrs.ts";

/** Clock ticks per second of the kernel's clock_t (USER_HZ), the unit of the resilient-group timers. */
const USER_HZ = 100;

/** A nexthop object, decoded completely from RTM_NEWNEXTHOP. */
export interface Nexthop {
  /** `"inet"`, `"inet6"`, or `"unspec"` for groups. */
  family: string | number;
  /** Scope (`"global"`, `"link"`, `"host"`). */
  scope: string | number;
  /** Who installed it: `"unspec"`, `"static"`, `"zebra"`, … */
  protocol: string | number;
  /** Next-hop flags (`"onlink"`, `"dead"`, `"linkdown"`, …). */
  flags: string[];
  /** The id. */
  id: number;
  /** A group's members and their weights. */
  group?: { id: number; weight: number }[];
  /** A group's type: `"mpath"` or `"resilient"`. */
  groupType?: string | number;
  /** A blackhole nexthop. */
  blackhole?: boolean;
  /** Output interface index. */
  oif?: number;
  /** Gateway. */
  gateway?: string;
  /** Encapsulation type (also `encap.type`). */
  encapType?: string | number;
  /** Encapsulation, typed: `{ type: "mpls", labels: [100] }`. */
  encap?: RouteEncap;
  /** A nexthop (or group) for bridge FDB entries (VXLAN). */
  fdb?: boolean;
  /**
   * A resilient group's parameters: `idleTimer` and `unbalancedTimer` in
   * seconds (as given when adding); `unbalancedTime` as the kernel counts it,
   * in 1/100 s.
   */
  resilient?: { buckets?: number; idleTimer?: number; unbalancedTimer?: number; unbalancedTime?: bigint };
  /** Group statistics, per member (Linux 6.9+, when asked for). */
  groupStats?: { id?: number; packets?: bigint; packetsHw?: bigint }[];
  /** Whether hardware statistics are enabled (Linux 6.9+). */
  hwStatsEnable?: number;
  /** Whether a driver collects hardware statistics (Linux 6.9+). */
  hwStatsUsed?: number;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/** One bucket of a resilient group, decoded from RTM_NEWNEXTHOPBUCKET. */
export interface NexthopBucket {
  /** Family (as the group's). */
  family: string | number;
  /** Flags of the bucket's nexthop (`"offload"`, `"trap"`, …). */
  flags: string[];
  /** The group's id. */
  id: number;
  /** The bucket's index. */
  index: number;
  /** Time since the bucket last carried traffic, in 1/100 s. */
  idleTime: bigint;
  /** The nexthop the bucket is assigned to. */
  nhId: number;
}

/**
 * Decodes an RTM_NEWNEXTHOP / RTM_DELNEXTHOP message (for dumps and events).
 *
 * @example
 * ```ts ignore
 * import { decodeNexthop } from "./nexthop.ts";
 * const nh = decodeNexthop(msg); // { id: 1, gateway: "10.0.0.2", oif: 3, … }
 * ```
 */
export function decodeNexthop(msg: MessageView): Nexthop {
  const nh = decodeMessage(NEXTHOP_MESSAGE, msg) as unknown as Nexthop & { resvd?: number };
  delete nh.resvd;
  // The kernel sends NHA_ENCAP before NHA_ENCAP_TYPE: type the encapsulation now.
  if (nh.encap !== undefined) finishEncap(nh);
  const res = nh.resilient;
  if (res !== undefined) {
    if (res.idleTimer !== undefined) res.idleTimer /= USER_HZ;
    if (res.unbalancedTimer !== undefined) res.unbalancedTimer /= USER_HZ;
  }
  return nh;
}

/**
 * Decodes an RTM_NEWNEXTHOPBUCKET message (for dumps and events).
 *
 * @example
 * ```ts ignore
 * import { decodeNexthopBucket } from "./nexthop.ts";
 * const b = decodeNexthopBucket(msg); // { id: 10, index: 3, nhId: 1, idleTime: 0n, … }
 * ```
 */
export function decodeNexthopBucket(msg: MessageView): NexthopBucket {
  const m = decodeMessage(NEXTHOP_MESSAGE, msg) as {
    family: string | number;
    flags: string[];
    id: number;
    bucket?: { index?: number; idleTime?: bigint; nhId?: number };
  };
  return {
    family: m.family,
    flags: m.flags,
    id: m.id,
    index: m.bucket?.index ?? 0,
    idleTime: m.bucket?.idleTime ?? 0n,
    nhId: m.bucket?.nhId ?? 0,
  };
}

const decodeNew = (m: MessageView): Nexthop | undefined => (m.type === RTM.NEWNEXTHOP ? decodeNexthop(m) : undefined);
const decodeNewBucket = (m: MessageView): NexthopBucket | undefined =>
  m.type === RTM.NEWNEXTHOPBUCKET ? decodeNexthopBucket(m) : undefined;

/** What every kind of nexthop object takes. */
export interface NexthopCommonOptions {
  /** The id (1..4294967295); without one, or with 0 (as `ip nexthop add id 0`), the kernel picks one (not reported back). */
  id?: number;
  /** Who installs it (`"static"`, `"zebra"`, a number, …; default unspec as iproute2). */
  protocol?: string | number;
}

/** A single next hop: `ip nexthop add id N [encap …] [via GW] [dev D] [onlink] [fdb]`. */
export interface NexthopGatewayOptions extends NexthopCommonOptions {
  /** Gateway address. */
  gateway?: string;
  /** Output device. */
  dev?: Dev;
  /** Treat the gateway as directly attached. */
  onlink?: boolean;
  /** Encapsulation (MPLS labels, SRv6 …). */
  encap?: EncapOptions;
  /** A nexthop for bridge FDB entries (gateway only, no device). */
  fdb?: boolean;
  /** Family (inferred from the gateway; `"inet"` for a device alone). */
  family?: "inet" | "inet6";
  /** Not a group. */
  group?: never;
  /** Not a blackhole. */
  blackhole?: never;
}

/** A blackhole nexthop: `ip nexthop add id N blackhole`. */
export interface NexthopBlackholeOptions extends NexthopCommonOptions {
  /** Discriminant. */
  blackhole: true;
  /** Family (default `"inet"`). */
  family?: "inet" | "inet6";
  /** Not a group. */
  group?: never;
}

/** A group: `ip nexthop add id N group ID[,WEIGHT]/… [type mpath|resilient …] [fdb]`. */
export interface NexthopGroupOptions extends NexthopCommonOptions {
  /** The members. */
  group: NexthopGroupMember[];
  /** `"mpath"` (hash-threshold, the kernel's default) or `"resilient"`. */
  type?: "mpath" | "resilient";
  /** Resilient: number of buckets (u16). */
  buckets?: number;
  /** Resilient: seconds a bucket must be idle before it may move to another nexthop. */
  idleTimer?: number;
  /** Resilient: seconds the group may stay unbalanced before busy buckets move too. */
  unbalancedTimer?: number;
  /** A group of fdb nexthops. */
  fdb?: boolean;
  /** Not a blackhole. */
  blackhole?: never;
}

/** What {@linkcode addNexthop} and {@linkcode replaceNexthop} take. */
export type NexthopObjectOptions = NexthopGatewayOptions | NexthopBlackholeOptions | NexthopGroupOptions;

/** Indexes a nexthop request names, resolved. */
export interface NexthopDevs {
  /** The output device. */
  oif?: number;
  /** Devices the encapsulation names. */
  encap?: EncapDevs;
}

function checkId(id: unknown, field = "id", min = 1): number {
  if (typeof id !== "number" || !Number.isInteger(id) || id < min || id > 0xffffffff) {
    throw new ValidationError(field, id, `a nexthop id ${min}..4294967295`);
  }
  return id;
}

/** Seconds → clock_t as iproute2 converts them (× 100), refusing what does not fit a u32. */
function ticks(x: unknown, field: string): number {
  if (typeof x !== "number" || !Number.isFinite(x) || x < 0 || Math.round(x * USER_HZ) > 0xffffffff) {
    throw new ValidationError(field, x, "seconds, 0..42949672");
  }
  return Math.round(x * USER_HZ);
}

/**
 * Builds the RTM_NEWNEXTHOP request `ip nexthop add|replace` sends: `id`
 * first, then group and group type, or blackhole, or a single next hop's
 * encap, `via`, `dev` and `fdb` in the order of the option keys (iproute2's
 * word order).
 *
 * @example
 * ```ts
 * import { nexthopRequest } from "./nexthop.ts";
 * nexthopRequest("add", { id: 1, gateway: "10.0.0.2", dev: 3 }).length; // 48
 * ```
 */
export function nexthopRequest(op: "add" | "replace", o: NexthopObjectOptions, devs: NexthopDevs = {}): Uint8Array {
  if (o === null || typeof o !== "object") throw new ValidationError("nexthop", o, "expected nexthop options");
  const attrs: Record<string, unknown> = {};
  const header: Record<string, unknown> = { family: 0, protocol: 0, flags: 0 };
  if (o.protocol !== undefined) header.protocol = RTPROT.value(o.protocol, "protocol");
  // 0 asks the kernel to pick the id, as no id does (iproute2 sends it as given).
  if (o.id !== undefined) attrs.id = checkId(o.id, "id", 0);
  if ("group" in o && o.group !== undefined) {
    const g = o as NexthopGroupOptions;
    attrs.group = g.group;
    const resilient = g.buckets !== undefined || g.idleTimer !== undefined || g.unbalancedTimer !== undefined;
    if (resilient && g.type !== "resilient") {
      throw new ValidationError("type", g.type, 'buckets and timers belong to type "resilient"');
    }
    if (resilient) {
      attrs.resilient = {
        buckets: g.buckets,
        idleTimer: g.idleTimer === undefined ? undefined : ticks(g.idleTimer, "idleTimer"),
        unbalancedTimer: g.unbalancedTimer === undefined ? undefined : ticks(g.unbalancedTimer, "unbalancedTimer"),
      };
    }
    if (g.type !== undefined) attrs.groupType = g.type;
    if (g.fdb !== undefined) attrs.fdb = g.fdb;
  } else if ("blackhole" in o && o.blackhole !== undefined) {
    const b = o as NexthopBlackholeOptions;
    if (b.blackhole !== true) throw new ValidationError("blackhole", b.blackhole, "true");
    attrs.blackhole = true;
    header.family = familyNumber(b.family ?? "inet");
  } else {
    const n = o as NexthopGatewayOptions;
    let family = n.family === undefined ? 0 : familyNumber(n.family);
    if (n.gateway !== undefined) {
      const fam = typeof n.gateway === "string" ? ipFamily(n.gateway) : 0;
      if (!fam) throw new ValidationError("gateway", n.gateway, "an IP address");
      if (family !== 0 && fam !== family) throw new ValidationError("gateway", n.gateway, `a gateway of ${n.family}`);
      family = fam;
    }
    if (n.dev !== undefined && family === 0) family = AF_INET;
    // After the id, attributes go out in the order of the caller's keys: iproute2 writes them in
    // the order of the words (`encap mpls 100 via A dev D` and `via A dev D encap mpls 100` differ).
    for (const key in n) {
      switch (key) {
        case "encap":
          if (n.encap === undefined) break;
          attrs.encap = encapAttrs(n.encap, "encap", devs.encap);
          attrs.encapType = n.encap.type;
          break;
        case "gateway":
          if (n.gateway !== undefined) attrs.gateway = n.gateway;
          break;
        case "dev": {
          const oif = typeof n.dev === "number" ? n.dev : devs.oif;
          if (oif !== undefined) attrs.oif = oif;
          break;
        }
        case "fdb":
          if (n.fdb !== undefined) attrs.fdb = n.fdb;
          break;
      }
    }
    if (n.dev === undefined && devs.oif !== undefined) attrs.oif = devs.oif;
    if (n.onlink) header.flags = NEXTHOP_FLAGS.bit("onlink");
    // Neither gateway nor device is the kernel's to refuse, in its own words ("Invalid address family", or
    // "Device attribute required …" once a family is given), as iproute2 leaves it.
    header.family = family;
  }
  header.family = FAMILY.name(header.family as number);
  const w = new MessageWriter(128);
  const flags = op === "add" ? REQUEST_FLAGS.create : REQUEST_FLAGS.replace;
  encodeMessage(w, NEXTHOP_MESSAGE, RTM.NEWNEXTHOP, flags, header, attrs, familyNumber(header.family));
  return w.bytes();
}

/**
 * Builds the RTM_DELNEXTHOP request of `ip nexthop del id ID`.
 *
 * @example
 * ```ts
 * import { nexthopDelRequest } from "./nexthop.ts";
 * nexthopDelRequest(10).length; // 32
 * ```
 */
export function nexthopDelRequest(id: number): Uint8Array {
  const w = new MessageWriter(32);
  encodeMessage(w, NEXTHOP_MESSAGE, RTM.DELNEXTHOP, REQUEST_FLAGS.ack, {}, { id: checkId(id) });
  return w.bytes();
}

/**
 * Builds the RTM_GETNEXTHOP request of `ip nexthop get id ID` (one object, no dump).
 *
 * @example
 * ```ts
 * import { nexthopGetRequest } from "./nexthop.ts";
 * nexthopGetRequest(1).length; // 32
 * ```
 */
export function nexthopGetRequest(id: number): Uint8Array {
  const w = new MessageWriter(32);
  encodeMessage(w, NEXTHOP_MESSAGE, RTM.GETNEXTHOP, REQUEST_FLAGS.get, {}, { id: checkId(id) });
  return w.bytes();
}

/** Filters for {@linkcode getNexthops}. */
export interface GetNexthopsOptions extends DumpOptions {
  /** Only this nexthop (a single get; an empty list if it does not exist). */
  id?: number;
  /** Only `"inet"` or `"inet6"` nexthops (filtered by the kernel). */
  family?: "inet" | "inet6";
  /** Only nexthops through this device (filtered by the kernel). */
  dev?: Dev;
  /** Only groups (filtered by the kernel). */
  groups?: boolean;
  /** Only fdb nexthops and groups (asked of the kernel, and tested here too). */
  fdb?: boolean;
  /** Only nexthops whose device is enslaved to this master, e.g. a VRF (filtered by the kernel). */
  master?: Dev;
  /** Only nexthops installed by this protocol (tested here, as iproute2 does). */
  protocol?: string | number;
}

/**
 * Builds the RTM_GETNEXTHOP dump request of `ip nexthop show [dev D] [groups]
 * [master M] [fdb]`.
 *
 * @example
 * ```ts
 * import { nexthopDumpRequest } from "./nexthop.ts";
 * nexthopDumpRequest({ groups: true }).length; // 28
 * ```
 */
export function nexthopDumpRequest(
  o: { family?: "inet" | "inet6"; oif?: number; groups?: boolean; master?: number; fdb?: boolean },
): Uint8Array {
  const attrs: Record<string, unknown> = {};
  if (o.oif) attrs.oif = o.oif;
  if (o.groups) attrs.groups = true;
  if (o.master) attrs.master = o.master;
  if (o.fdb) attrs.fdb = true;
  const w = new MessageWriter(48);
  encodeMessage(w, NEXTHOP_MESSAGE, RTM.GETNEXTHOP, REQUEST_FLAGS.dump, { family: o.family ?? "unspec" }, attrs);
  return w.bytes();
}

async function dumpRequestFor(conn: NetlinkConnection, o: GetNexthopsOptions): Promise<Uint8Array> {
  nexthopDumpRequest({ family: o.family }); // bad input fails here, before any device look-up
  const oif = o.dev === undefined ? undefined : await resolveDev(conn, o.dev);
  const master = o.master === undefined ? undefined : await resolveDev(conn, o.master, "master");
  return nexthopDumpRequest({ family: o.family, oif, groups: o.groups, master, fdb: o.fdb });
}

/** The tests applied here: the protocol (as iproute2), and fdb (which kernels accept but do not apply in dumps). */
function localTest(o: GetNexthopsOptions): (nh: Nexthop) => boolean {
  const want = o.protocol === undefined ? undefined : RTPROT.value(o.protocol, "protocol");
  return (nh) => (want === undefined || RTPROT.value(nh.protocol, "protocol") === want) && (!o.fdb || nh.fdb === true);
}

/**
 * One nexthop by id, like `ip nexthop get id ID`. Rejects with a
 * {@linkcode NetlinkError} whose `isNotFound()` is true when there is none.
 *
 * @example
 * ```ts ignore
 * const nh = await getNexthop(conn, 1);
 * ```
 */
export function getNexthop(conn: NetlinkConnection, id: number): Promise<Nexthop> {
  return conn.get(nexthopGetRequest(id), decodeNew, `getNexthop ${id}`);
}

/**
 * Every nexthop object (or those matching the filters), like `ip nexthop show`.
 *
 * @example
 * ```ts ignore
 * const groups = await getNexthops(conn, { groups: true });
 * ```
 */
export async function getNexthops(conn: NetlinkConnection, o: GetNexthopsOptions = {}): Promise<Nexthop[]> {
  const keep = localTest(o);
  if (o.id !== undefined) {
    try {
      const nh = await getNexthop(conn, o.id);
      return keep(nh) ? [nh] : [];
    } catch (e) {
      if (e instanceof NetlinkError && e.isNotFound()) return [];
      throw e;
    }
  }
  const request = await dumpRequestFor(conn, o);
  const decode = (m: MessageView) => {
    const nh = decodeNew(m);
    return nh !== undefined && keep(nh) ? nh : undefined;
  };
  return conn.dump(request, decode, "getNexthops", o);
}

/**
 * Streams nexthop objects one by one.
 *
 * @example
 * ```ts ignore
 * for await (const nh of streamNexthops(conn, { dev: "p0" })) console.log(nh.id);
 * ```
 */
export async function* streamNexthops(
  conn: NetlinkConnection,
  o: Omit<GetNexthopsOptions, "id"> = {},
): AsyncGenerator<Nexthop> {
  const keep = localTest(o);
  const decode = (m: MessageView) => {
    const nh = decodeNew(m);
    return nh !== undefined && keep(nh) ? nh : undefined;
  };
  yield* conn.stream(await dumpRequestFor(conn, o), decode, "streamNexthops", streamOptionsOf(o));
}

async function modify(conn: NetlinkConnection, op: "add" | "replace", o: NexthopObjectOptions): Promise<void> {
  nexthopRequest(op, o); // bad input fails here, before any device look-up
  const n = o as NexthopGatewayOptions;
  const devs: NexthopDevs = {
    oif: n.dev === undefined ? undefined : await resolveDev(conn, n.dev),
    encap: await resolveEncapDevs(conn, n.encap, "encap"),
  };
  await conn.ack(nexthopRequest(op, o, devs), `${op}Nexthop ${o.id ?? ""}`.trimEnd());
}

/**
 * Adds a nexthop object, like `ip nexthop add`; fails with EEXIST if the id is taken.
 *
 * @example
 * ```ts ignore
 * await addNexthop(conn, { id: 1, gateway: "10.0.0.2", dev: "p0" });
 * await addNexthop(conn, { id: 2, gateway: "10.0.0.3", dev: "p0" });
 * await addNexthop(conn, { id: 10, group: [{ id: 1 }, { id: 2, weight: 3 }] });
 * await addNexthop(conn, { id: 11, group: [{ id: 1 }, { id: 2 }], type: "resilient", buckets: 32 });
 * ```
 */
export function addNexthop(conn: NetlinkConnection, o: NexthopObjectOptions): Promise<void> {
  return modify(conn, "add", o);
}

/**
 * Adds or replaces a nexthop object, like `ip nexthop replace` (routes using
 * it follow the change).
 *
 * @example
 * ```ts ignore
 * await replaceNexthop(conn, { id: 1, gateway: "10.0.0.4", dev: "p0" });
 * ```
 */
export function replaceNexthop(conn: NetlinkConnection, o: NexthopObjectOptions): Promise<void> {
  return modify(conn, "replace", o);
}

/**
 * Deletes a nexthop object, like `ip nexthop del id ID` (routes using it go too).
 *
 * @example
 * ```ts ignore
 * await delNexthop(conn, 10);
 * ```
 */
export async function delNexthop(conn: NetlinkConnection, id: number): Promise<void> {
  await conn.ack(nexthopDelRequest(id), `delNexthop ${id}`);
}

/** Filters for {@linkcode getNexthopBuckets}, applied by the kernel. */
export interface GetNexthopBucketsOptions extends DumpOptions {
  /** Only this resilient group's buckets. */
  id?: number;
  /** Only buckets assigned to this nexthop. */
  nhid?: number;
  /** Only buckets whose nexthop uses this device. */
  dev?: Dev;
  /** Only buckets whose nexthop's device is enslaved to this master. */
  master?: Dev;
  /** Only `"inet"` or `"inet6"`. */
  family?: "inet" | "inet6";
}

/**
 * Builds the RTM_GETNEXTHOPBUCKET dump request of `ip nexthop bucket show
 * [dev D] [master M] [id ID] [nhid NHID]`.
 *
 * @example
 * ```ts
 * import { nexthopBucketDumpRequest } from "./nexthop.ts";
 * nexthopBucketDumpRequest({ id: 12 }).length; // 32
 * ```
 */
export function nexthopBucketDumpRequest(
  o: { family?: "inet" | "inet6"; id?: number; nhid?: number; oif?: number; master?: number },
): Uint8Array {
  const attrs: Record<string, unknown> = {};
  if (o.oif) attrs.oif = o.oif;
  if (o.master) attrs.master = o.master;
  if (o.id !== undefined) attrs.id = checkId(o.id);
  if (o.nhid !== undefined) attrs.bucket = { nhId: checkId(o.nhid, "nhid") };
  const w = new MessageWriter(48);
  encodeMessage(w, NEXTHOP_MESSAGE, RTM.GETNEXTHOPBUCKET, REQUEST_FLAGS.dump, { family: o.family ?? "unspec" }, attrs);
  return w.bytes();
}

/**
 * Builds the RTM_GETNEXTHOPBUCKET request of `ip nexthop bucket get id ID index N`.
 *
 * @example
 * ```ts
 * import { nexthopBucketGetRequest } from "./nexthop.ts";
 * nexthopBucketGetRequest(12, 3).length; // 40
 * ```
 */
export function nexthopBucketGetRequest(id: number, index: number): Uint8Array {
  const w = new MessageWriter(48);
  const attrs = { id: checkId(id), bucket: { index } };
  encodeMessage(w, NEXTHOP_MESSAGE, RTM.GETNEXTHOPBUCKET, REQUEST_FLAGS.get, {}, attrs);
  return w.bytes();
}

/**
 * The buckets of resilient groups (or those matching the filters), like
 * `ip nexthop bucket show`.
 *
 * @example
 * ```ts ignore
 * const buckets = await getNexthopBuckets(conn, { id: 11 });
 * ```
 */
export async function getNexthopBuckets(
  conn: NetlinkConnection,
  o: GetNexthopBucketsOptions = {},
): Promise<NexthopBucket[]> {
  nexthopBucketDumpRequest({ family: o.family, id: o.id, nhid: o.nhid }); // bad input fails before look-ups
  const oif = o.dev === undefined ? undefined : await resolveDev(conn, o.dev);
  const master = o.master === undefined ? undefined : await resolveDev(conn, o.master, "master");
  const request = nexthopBucketDumpRequest({ family: o.family, id: o.id, nhid: o.nhid, oif, master });
  return conn.dump(request, decodeNewBucket, "getNexthopBuckets", o);
}

/**
 * One bucket of a resilient group, like `ip nexthop bucket get id ID index N`.
 *
 * @example
 * ```ts ignore
 * const b = await getNexthopBucket(conn, 11, 0); // b.nhId
 * ```
 */
export function getNexthopBucket(conn: NetlinkConnection, id: number, index: number): Promise<NexthopBucket> {
  return conn.get(nexthopBucketGetRequest(id, index), decodeNewBucket, `getNexthopBucket ${id} ${index}`);
}
