/**
 * Bridge forwarding database (FDB): the neighbour messages with family
 * AF_BRIDGE. List, add, append, replace, delete and flush entries of a
 * bridge, its ports, or a VXLAN device. Requests are byte-for-byte what
 * iproute2's `bridge fdb` sends.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { NLM_F, REQUEST_FLAGS } from "../core/header.ts";
import { encodeMessage, type MessageView } from "../core/message.ts";
import { MessageWriter } from "../core/writer.ts";
import { ipFamily, parseMac } from "../util/addr.ts";
import { AF, RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import { decodeNeighbour, type Neighbour } from "./neigh.ts";
import { NEIGH_MESSAGE, NTF, NUD } from "./neigh_attrs.ts";

/**
 * An FDB entry: a {@linkcode Neighbour} of family `"bridge"` whose `lladdr`
 * is the MAC, `ifindex` the port (or device), `master` the bridge, and
 * `dst`/`port`/`vni`/`srcVni`/`via` a VXLAN remote. Its `state` is
 * `["permanent"]` (local), `["noarp"]` (static) or `["reachable"]`/`["stale"]` (dynamic).
 */
export type FdbEntry = Neighbour;

/** Filters for {@linkcode getFdb}. */
export interface GetFdbOptions extends DumpOptions {
  /** Only entries of this bridge (`bridge fdb show br BR`). */
  master?: Dev;
  /** Only entries on this port or device (`bridge fdb show brport|dev DEV`). */
  dev?: Dev;
  /** Only entries of this VLAN (filtered here, as iproute2 does). */
  vlan?: number;
}

/**
 * Builds the RTM_GETNEIGH dump request `bridge fdb show [br BR] [brport DEV]`
 * sends (on strict-checking kernels).
 *
 * @example
 * ```ts
 * import { fdbDumpRequest } from "./fdb.ts";
 * fdbDumpRequest({ master: 4 }).length; // 36
 * ```
 */
export function fdbDumpRequest(filter: { index?: number; master?: number } = {}): Uint8Array {
  const w = new MessageWriter(48);
  encodeMessage(w, NEIGH_MESSAGE, RTM.GETNEIGH, REQUEST_FLAGS.dump, {
    family: AF.BRIDGE,
    ifindex: filter.index ?? 0,
  }, { master: filter.master });
  return w.bytes();
}

function checkVlan(vlan: unknown, field = "vlan"): number {
  if (typeof vlan !== "number" || !Number.isInteger(vlan) || vlan < 1 || vlan > 4094) {
    throw new ValidationError(field, vlan, "a VLAN id is 1..4094");
  }
  return vlan;
}

async function fdbDump(conn: NetlinkConnection, o: GetFdbOptions): Promise<{ request: Uint8Array; vlan?: number }> {
  const vlan = o.vlan === undefined ? undefined : checkVlan(o.vlan);
  const index = o.dev === undefined ? undefined : await resolveDev(conn, o.dev);
  const master = o.master === undefined ? undefined : await resolveDev(conn, o.master, "master");
  return { request: fdbDumpRequest({ index, master }), vlan };
}

function fdbDecoder(vlan: number | undefined): (m: MessageView) => FdbEntry | undefined {
  return (m) => {
    if (m.type !== RTM.NEWNEIGH) return undefined;
    const e = decodeNeighbour(m);
    if (e.family !== "bridge") return undefined;
    return vlan === undefined || e.vlan === vlan ? e : undefined;
  };
}

/**
 * FDB entries (or those matching the filters), like `bridge fdb show`.
 *
 * @example
 * ```ts ignore
 * const entries = await getFdb(conn, { master: "br0", vlan: 10 });
 * ```
 */
export async function getFdb(conn: NetlinkConnection, options: GetFdbOptions = {}): Promise<FdbEntry[]> {
  const { request, vlan } = await fdbDump(conn, options);
  return conn.dump(request, fdbDecoder(vlan), "getFdb", options);
}

/**
 * Streams FDB entries one by one without building a list.
 *
 * @example
 * ```ts ignore
 * for await (const e of streamFdb(conn, { dev: "vx0" })) console.log(e.lladdr, e.dst);
 * ```
 */
export async function* streamFdb(conn: NetlinkConnection, options: GetFdbOptions = {}): AsyncGenerator<FdbEntry> {
  const { request, vlan } = await fdbDump(conn, options);
  yield* conn.stream(request, fdbDecoder(vlan), "streamFdb", streamOptionsOf(options));
}

/**
 * What {@linkcode getFdbEntry} looks up (`bridge fdb get MAC …`): the MAC and
 * a `dev` (port or device) or a `bridge`, which the kernel takes one at a time.
 */
export interface FdbLookup {
  /** The entry's MAC address. */
  mac: string;
  /** The port, or a device with an FDB of its own (`brport|dev DEV`). */
  dev?: Dev;
  /** The bridge whose FDB to search (`br BRDEV`, NDA_MASTER). */
  bridge?: Dev;
  /** VLAN id (1..4094). */
  vlan?: number;
  /** VXLAN: the VNI (0..16777215). */
  vni?: number;
  /** Ask the device's own FDB (NTF_SELF). */
  self?: boolean;
  /** Ask the FDB of the device's master bridge (NTF_MASTER; what the kernel does when neither flag is set). */
  master?: boolean;
}

/**
 * Builds the RTM_GETNEIGH request (a single GET, no dump) `bridge fdb get`
 * sends, for the device with ifindex `index` and the bridge with ifindex `bridge`.
 *
 * @example
 * ```ts
 * import { fdbGetRequest } from "./fdb.ts";
 * fdbGetRequest({ mac: "02:00:00:00:00:01", dev: 3, vlan: 10 }, 3).length; // 48
 * ```
 */
export function fdbGetRequest(o: FdbLookup, index?: number, bridge?: number): Uint8Array {
  if (o === null || typeof o !== "object") throw new ValidationError("fdb", o, "expected FDB look-up options");
  const mac = typeof o.mac === "string" ? parseMac(o.mac) : undefined;
  if (!mac || mac.length !== 6) {
    throw new ValidationError("mac", o.mac, "expected a MAC address like 02:00:00:00:00:01");
  }
  if (o.dev === undefined && o.bridge === undefined) {
    throw new ValidationError("dev", o.dev, "a look-up needs dev or bridge");
  }
  let flags = 0;
  if (o.self) flags |= NTF.bit("self");
  if (o.master) flags |= NTF.bit("master");
  const attrs: Record<string, unknown> = {
    lladdr: mac,
    vlan: o.vlan === undefined ? undefined : checkVlan(o.vlan),
    vni: o.vni === undefined ? undefined : checkRange(o.vni, "vni", 0, 0xffffff, "a VNI is 0..16777215"),
    master: bridge,
  };
  const w = new MessageWriter(48);
  const header = { family: AF.BRIDGE, ifindex: index ?? 0, flags };
  encodeMessage(w, NEIGH_MESSAGE, RTM.GETNEIGH, REQUEST_FLAGS.get, header, attrs);
  return w.bytes();
}

const decodeFdbReply = (m: MessageView): FdbEntry | undefined =>
  m.type === RTM.NEWNEIGH ? decodeNeighbour(m) : undefined;

/**
 * Looks up one FDB entry, like `bridge fdb get`; an absent entry rejects with
 * a `NetlinkError` whose `isNotFound()` is true (ENOENT, "Fdb entry not found").
 *
 * @example
 * ```ts ignore
 * const e = await getFdbEntry(conn, { mac: "02:00:00:00:00:01", dev: "p0", vlan: 10 });
 * e.master; // the bridge's ifindex
 * ```
 */
export async function getFdbEntry(conn: NetlinkConnection, options: FdbLookup): Promise<FdbEntry> {
  fdbGetRequest(options, 1, options?.bridge === undefined ? undefined : 1); // bad input fails before any look-up
  const index = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  const bridge = options.bridge === undefined ? undefined : await resolveDev(conn, options.bridge, "bridge");
  return await conn.get(fdbGetRequest(options, index, bridge), decodeFdbReply, `getFdbEntry ${options.mac}`);
}

/** What {@linkcode addFdb} and friends take (`bridge fdb add MAC dev DEV …`). */
export interface FdbOptions {
  /** The entry's MAC address. */
  mac: string;
  /** The port (with `master`), the bridge itself, or a VXLAN device. */
  dev: Dev;
  /** The device's own FDB (NTF_SELF; the default when `master` is not given, as in iproute2). */
  self?: boolean;
  /** The FDB of the device's master bridge (NTF_MASTER). */
  master?: boolean;
  /**
   * `"permanent"` (default; iproute2's `local`/`permanent`), `"static"`
   * (does not age) or `"dynamic"` (ages out).
   */
  state?: "permanent" | "static" | "dynamic";
  /** VLAN id (1..4094). */
  vlan?: number;
  /** VXLAN: the remote's IP address. */
  dst?: string;
  /** VXLAN: the remote's UDP port. */
  port?: number;
  /** VXLAN: the remote's VNI (0..16777215). */
  vni?: number;
  /** VXLAN: the source VNI (collect-metadata devices). */
  srcVni?: number;
  /** VXLAN: the device the remote is reached through. */
  via?: Dev;
  /** VXLAN: a nexthop group instead of dst/port/vni. */
  nhid?: number;
  /** The destination is a router (NTF_ROUTER). */
  router?: boolean;
  /** Mark the entry as used (NTF_USE). */
  use?: boolean;
  /** Learned outside the kernel (NTF_EXT_LEARNED). */
  externLearn?: boolean;
  /** The entry may not move to another port (NTF_STICKY). */
  sticky?: boolean;
}

/** The FDB operations: `bridge fdb add|append|replace|del`. */
export type FdbOp = "add" | "append" | "replace" | "del";

const OP_FLAGS: Record<FdbOp, number> = {
  add: REQUEST_FLAGS.create,
  append: REQUEST_FLAGS.append,
  replace: REQUEST_FLAGS.replace,
  del: REQUEST_FLAGS.ack,
};

function checkRange(x: unknown, field: string, min: number, max: number, what: string): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) throw new ValidationError(field, x, what);
  return x;
}

/**
 * Builds the RTM_NEWNEIGH / RTM_DELNEIGH request `bridge fdb` sends for the
 * device with ifindex `index` (and `via`, the resolved index of `o.via`).
 *
 * @example
 * ```ts
 * import { fdbRequest } from "./fdb.ts";
 * fdbRequest("add", 3, { mac: "02:00:00:00:00:01", dev: 3, master: true, state: "static" }).length; // 40
 * ```
 */
export function fdbRequest(op: FdbOp, index: number, o: FdbOptions, via?: number): Uint8Array {
  const w = new MessageWriter(96);
  writeFdbRequest(w, op, index, o, via);
  return w.bytes();
}

/**
 * Appends the request {@linkcode fdbRequest} builds to `w` (for batches).
 *
 * @example
 * ```ts
 * import { writeFdbRequest } from "./fdb.ts";
 * import { MessageWriter } from "../core/writer.ts";
 * writeFdbRequest(new MessageWriter(), "del", 3, { mac: "02:00:00:00:00:01", dev: 3, master: true });
 * ```
 */
export function writeFdbRequest(w: MessageWriter, op: FdbOp, index: number, o: FdbOptions, via?: number): void {
  if (o === null || typeof o !== "object") throw new ValidationError("fdb", o, "expected FDB options");
  if (!(op in OP_FLAGS)) throw new ValidationError("op", op, "expected add, append, replace or del");
  const mac = typeof o.mac === "string" ? parseMac(o.mac) : undefined;
  if (!mac || mac.length !== 6) {
    throw new ValidationError("mac", o.mac, "expected a MAC address like 02:00:00:00:00:01");
  }
  let flags = 0;
  if (o.self) flags |= NTF.bit("self");
  if (o.master) flags |= NTF.bit("master");
  if (o.router) flags |= NTF.bit("router");
  if (o.use) flags |= NTF.bit("use");
  if (o.externLearn) flags |= NTF.bit("extern_learn");
  if (o.sticky) flags |= NTF.bit("sticky");
  if (!(flags & (NTF.bit("self") | NTF.bit("master")))) flags |= NTF.bit("self"); // iproute2: "Assume self"
  // iproute2 starts from NUD_NOARP: static adds REACHABLE, dynamic is REACHABLE alone, permanent adds PERMANENT.
  const noarp = NUD.bit("noarp"), reachable = NUD.bit("reachable"), permanent = NUD.bit("permanent");
  const state = {
    permanent: noarp | permanent,
    static: noarp | reachable,
    dynamic: reachable,
  }[o.state ?? "permanent"];
  if (state === undefined) throw new ValidationError("state", o.state, 'expected "permanent", "static" or "dynamic"');
  if (o.nhid !== undefined && (o.dst !== undefined || o.port !== undefined || o.vni !== undefined)) {
    throw new ValidationError("nhid", o.nhid, "dst, port and vni exclude nhid");
  }
  const attrs: Record<string, unknown> = { lladdr: mac };
  if (o.dst !== undefined) {
    if (typeof o.dst !== "string" || ipFamily(o.dst) === 0) {
      throw new ValidationError("dst", o.dst, "expected an IPv4 or IPv6 address");
    }
    attrs.dst = o.dst;
  }
  if (o.vlan !== undefined) attrs.vlan = checkVlan(o.vlan);
  if (o.nhid !== undefined) attrs.nhId = checkRange(o.nhid, "nhid", 1, 0xffffffff, "a nexthop id is 1..4294967295");
  if (o.port !== undefined) attrs.port = checkRange(o.port, "port", 1, 0xffff, "a UDP port is 1..65535");
  if (o.vni !== undefined) attrs.vni = checkRange(o.vni, "vni", 0, 0xffffff, "a VNI is 0..16777215");
  if (o.srcVni !== undefined) attrs.srcVni = checkRange(o.srcVni, "srcVni", 0, 0xffffff, "a VNI is 0..16777215");
  if (via !== undefined) attrs.via = via;
  const header = { family: AF.BRIDGE, ifindex: index, state, flags };
  encodeMessage(w, NEIGH_MESSAGE, op === "del" ? RTM.DELNEIGH : RTM.NEWNEIGH, OP_FLAGS[op], header, attrs);
}

async function modify(conn: NetlinkConnection, op: FdbOp, o: FdbOptions): Promise<void> {
  fdbRequest(op, 1, o, o?.via === undefined ? undefined : 1); // bad input fails here, before any look-up
  const index = await resolveDev(conn, o.dev);
  const via = o.via === undefined ? undefined : await resolveDev(conn, o.via, "via");
  await conn.ack(fdbRequest(op, index, o, via), `${op}Fdb ${o.mac} dev ${o.dev}`);
}

/**
 * Adds an FDB entry, like `bridge fdb add`; fails with EEXIST if it exists.
 *
 * @example
 * ```ts ignore
 * await addFdb(conn, { mac: "02:00:00:00:00:01", dev: "p0", master: true, state: "static", vlan: 10 });
 * await addFdb(conn, { mac: "00:00:00:00:00:00", dev: "vx0", dst: "192.0.2.2", vni: 100 });
 * ```
 */
export function addFdb(conn: NetlinkConnection, options: FdbOptions): Promise<void> {
  return modify(conn, "add", options);
}

/**
 * Appends an FDB entry, like `bridge fdb append` (VXLAN: one more remote for the same MAC).
 *
 * @example
 * ```ts ignore
 * await appendFdb(conn, { mac: "00:00:00:00:00:00", dev: "vx0", dst: "192.0.2.3" });
 * ```
 */
export function appendFdb(conn: NetlinkConnection, options: FdbOptions): Promise<void> {
  return modify(conn, "append", options);
}

/**
 * Adds or replaces an FDB entry, like `bridge fdb replace`.
 *
 * @example
 * ```ts ignore
 * await replaceFdb(conn, { mac: "02:00:00:00:00:01", dev: "p1", master: true, state: "static" });
 * ```
 */
export function replaceFdb(conn: NetlinkConnection, options: FdbOptions): Promise<void> {
  return modify(conn, "replace", options);
}

/**
 * Deletes an FDB entry, like `bridge fdb del`.
 *
 * @example
 * ```ts ignore
 * await delFdb(conn, { mac: "02:00:00:00:00:01", dev: "p0", master: true, vlan: 10 });
 * ```
 */
export function delFdb(conn: NetlinkConnection, options: FdbOptions): Promise<void> {
  return modify(conn, "del", options);
}

/**
 * What {@linkcode flushFdb} deletes (`bridge fdb flush dev DEV …`). Each
 * state and flag selector is `true` (only entries with it) or `false` (only
 * entries without it, iproute2's `no…` keywords); unset means either.
 */
export interface FlushFdbOptions {
  /** The bridge (or, with `master`, one of its ports). */
  dev: Dev;
  /** Only entries on this port of the bridge. */
  port?: Dev;
  /** Only entries of this VLAN. */
  vlan?: number;
  /** Flush the device's own FDB (NTF_SELF; the default when `master` is not given). */
  self?: boolean;
  /** Flush the FDB of the device's master bridge (NTF_MASTER). */
  master?: boolean;
  /** Permanent (local) entries. */
  permanent?: boolean;
  /** Static entries (NUD_NOARP, not permanent). */
  static?: boolean;
  /** Dynamic entries (neither static nor permanent): `dynamic: true` flushes what the bridge learned. */
  dynamic?: boolean;
  /** Entries added by a user (NTF_USE). */
  addedByUser?: boolean;
  /** Externally learned entries. */
  externLearn?: boolean;
  /** Sticky entries. */
  sticky?: boolean;
  /** Offloaded entries. */
  offloaded?: boolean;
}

/**
 * Builds the bulk RTM_DELNEIGH request `bridge fdb flush` sends (NLM_F_BULK),
 * for the device with ifindex `index` and the port with ifindex `port`.
 *
 * @example
 * ```ts
 * import { fdbFlushRequest } from "./fdb.ts";
 * fdbFlushRequest(4, { dev: 4, dynamic: true }).length; // 36
 * ```
 */
export function fdbFlushRequest(index: number, o: FlushFdbOptions, port?: number): Uint8Array {
  if (o === null || typeof o !== "object") throw new ValidationError("flush", o, "expected flush options");
  const NOARP = NUD.bit("noarp"), PERMANENT = NUD.bit("permanent");
  let state = 0, stateMask = 0, flags = 0, flagsMask = 0;
  const bool = (x: unknown, field: string): x is boolean => {
    if (x !== undefined && typeof x !== "boolean") throw new ValidationError(field, x, "expected a boolean");
    return x !== undefined;
  };
  // The keywords' effects in ip/bridge/fdb.c, applied in this fixed order.
  if (bool(o.permanent, "permanent")) {
    state = o.permanent ? state | PERMANENT : state & ~PERMANENT;
    stateMask |= PERMANENT;
  }
  if (bool(o.static, "static")) {
    state = o.static ? state | NOARP : state & ~NOARP;
    stateMask |= o.static ? NOARP | PERMANENT : NOARP;
  }
  if (bool(o.dynamic, "dynamic")) {
    state = o.dynamic ? state & ~NOARP : state | NOARP;
    stateMask |= o.dynamic ? NOARP | PERMANENT : NOARP;
  }
  const flag = (on: unknown, field: string, bit: number) => {
    if (!bool(on, field)) return;
    flags = on ? flags | bit : flags & ~bit;
    flagsMask |= bit;
  };
  flag(o.addedByUser, "addedByUser", NTF.bit("use"));
  flag(o.externLearn, "externLearn", NTF.bit("extern_learn"));
  flag(o.sticky, "sticky", NTF.bit("sticky"));
  flag(o.offloaded, "offloaded", NTF.bit("offload"));
  if (o.self) flags |= NTF.bit("self");
  if (o.master) flags |= NTF.bit("master");
  if (!(flags & (NTF.bit("self") | NTF.bit("master")))) flags |= NTF.bit("self");
  const attrs: Record<string, unknown> = {
    via: port, // NDA_IFINDEX: the port filter
    vlan: o.vlan === undefined ? undefined : checkVlan(o.vlan),
    ndmFlagsMask: flagsMask || undefined,
    ndmStateMask: stateMask || undefined,
  };
  const w = new MessageWriter(64);
  const header = { family: AF.BRIDGE, ifindex: index, state, flags };
  encodeMessage(w, NEIGH_MESSAGE, RTM.DELNEIGH, NLM_F.REQUEST | NLM_F.ACK | NLM_F.BULK, header, attrs);
  return w.bytes();
}

/**
 * Deletes many FDB entries in one kernel operation (bulk delete, Linux 5.19+),
 * like `bridge fdb flush dev BR [brport P] [vlan V] [dynamic] …`. Without
 * selectors it flushes every entry of the device, permanent ones included, as
 * iproute2 does; `dynamic: true` flushes only learned entries.
 *
 * @example
 * ```ts ignore
 * await flushFdb(conn, { dev: "br0", port: "p0", dynamic: true });
 * ```
 */
export async function flushFdb(conn: NetlinkConnection, options: FlushFdbOptions): Promise<void> {
  fdbFlushRequest(1, options, options?.port === undefined ? undefined : 1); // bad input fails before any look-up
  const index = await resolveDev(conn, options.dev);
  const port = options.port === undefined ? undefined : await resolveDev(conn, options.port, "port");
  await conn.ack(fdbFlushRequest(index, options, port), `flushFdb dev ${options.dev}`);
}
