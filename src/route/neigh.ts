/**
 * Neighbours (ARP and NDP entries, proxy entries): list, look up, add,
 * replace, change, delete, flush. Requests are byte-for-byte what
 * `ip neigh` sends.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { ERRNO } from "../core/errno.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, type MessageView } from "../core/message.ts";
import type { RawAttribute } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import { ipFamily } from "../util/addr.ts";
import { checkIpFamily, FAMILY, RTM } from "./constants.ts";
import { flushByEcho } from "./flush.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import { NEIGH_MESSAGE, NTF, NTF_EXT, NUD, type NudState } from "./neigh_attrs.ts";
import { RTPROT } from "./route_attrs.ts";

/** A neighbour (or bridge FDB) entry, decoded completely from RTM_NEWNEIGH. */
export interface Neighbour {
  /** `"inet"`, `"inet6"`, or `"bridge"` for FDB entries. */
  family: string | number;
  /** The device's ifindex (0 for a proxy entry without a device). */
  ifindex: number;
  /** State names (NUD_*): `["reachable"]`, `["permanent"]`, … (empty for NUD_NONE). */
  state: string[];
  /** Flags (NTF_*): `"router"`, `"proxy"`, `"extern_learn"`, `"self"`, `"master"`, … */
  flags: string[];
  /** Route type of the address (`"unicast"`, `"multicast"`, …). */
  type: string | number;
  /** The protocol address (FDB: the remote of a VXLAN entry). */
  dst?: string;
  /** The link-layer address (FDB: the entry's MAC). */
  lladdr?: string;
  /** Ages in clock ticks (USER_HZ) since the entry was last confirmed, used and updated; references. */
  cacheinfo?: { confirmed: number; used: number; updated: number; refcnt: number };
  /** Probes sent. */
  probes?: number;
  /** FDB: the VLAN id. */
  vlan?: number;
  /** FDB (VXLAN): the remote UDP port. */
  port?: number;
  /** FDB (VXLAN): the remote VNI. */
  vni?: number;
  /** FDB (VXLAN): the ifindex the remote is reached through (NDA_IFINDEX, iproute2's `via`). */
  via?: number;
  /** The ifindex of the device's master (a bridge or VRF). */
  master?: number;
  /** Namespace id of `via`'s namespace. */
  linkNetnsid?: number;
  /** FDB (VXLAN): the source VNI (collect-metadata devices). */
  srcVni?: number;
  /** Who added the entry (`"static"`, `"zebra"`, … or a number). */
  protocol?: string | number;
  /** FDB: the nexthop group id. */
  nhId?: number;
  /** FDB: bridge extensions. */
  fdbExtAttrs?: {
    /** Activity-notification bits: `"notify"`, `"inactive"`. */
    activityNotify?: string[];
    /** Do not refresh the entry's activity. */
    dontRefresh?: boolean;
    /** Attributes nlink does not know. */
    unknownAttrs?: RawAttribute[];
  };
  /** Extended flags: `"managed"`, `"locked"`, `"ext_validated"`. */
  flagsExt?: string[];
  /** State mask (bulk-delete requests only). */
  ndmStateMask?: string[];
  /** Flags mask (bulk-delete requests only). */
  ndmFlagsMask?: string[];
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/**
 * Decodes an RTM_NEWNEIGH / RTM_DELNEIGH message (neighbours and FDB entries).
 *
 * @example
 * ```ts ignore
 * import { decodeNeighbour } from "./neigh.ts";
 * const n = decodeNeighbour(msg); // { family: "inet", dst: "10.0.0.2", lladdr: "02:…", state: ["reachable"], … }
 * ```
 */
export function decodeNeighbour(msg: MessageView): Neighbour {
  return decodeMessage(NEIGH_MESSAGE, msg) as unknown as Neighbour;
}

/** What the dump request filters on (the kernel applies these). */
export interface NeighbourDumpFilter {
  /** Address family (default: all). */
  family?: string | number;
  /** Only this device's entries (NDA_IFINDEX for neighbours; the header's ifindex for FDB). */
  index?: number;
  /** Only entries of devices enslaved to this master (NDA_MASTER). */
  master?: number;
  /** Proxy entries instead of ordinary ones (NTF_PROXY). */
  proxy?: boolean;
}

/**
 * Builds the RTM_GETNEIGH dump request `ip neigh show` sends
 * (`[dev D] [master M] [proxy]`).
 *
 * @example
 * ```ts
 * import { neighbourDumpRequest } from "./neigh.ts";
 * neighbourDumpRequest({ family: "inet", index: 3 }).length; // 36
 * ```
 */
export function neighbourDumpRequest(filter: NeighbourDumpFilter = {}): Uint8Array {
  const w = new MessageWriter(48);
  const header = { family: filter.family ?? "unspec", flags: filter.proxy ? NTF.bit("proxy") : 0 };
  encodeMessage(w, NEIGH_MESSAGE, RTM.GETNEIGH, REQUEST_FLAGS.dump, header, {
    via: filter.index, // NDA_IFINDEX: the device filter
    master: filter.master,
  });
  return w.bytes();
}

/** Filters for {@linkcode getNeighbours}. */
export interface GetNeighboursOptions extends DumpOptions {
  /** `"inet"` or `"inet6"` (default: both). */
  family?: "inet" | "inet6";
  /** Only this device's entries. */
  dev?: Dev;
  /** Only entries of devices enslaved to this master (a bridge or VRF). */
  master?: Dev;
  /** Proxy entries (`ip neigh show proxy`) instead of ordinary ones. */
  proxy?: boolean;
  /**
   * Only entries in one of these states (filtered here, as iproute2 does;
   * proxy and externally learned entries always match, as there).
   */
  state?: NudState[];
}

/** A compiled state filter: the NUD bits, and whether NUD_NONE (0) matches. */
interface StateFilter {
  mask: number;
  none: boolean;
}

function stateFilter(states: readonly NudState[] | undefined, field = "state"): StateFilter | undefined {
  if (states === undefined) return undefined;
  if (!Array.isArray(states)) throw new ValidationError(field, states, "expected a list of states");
  return { mask: NUD.encode(states, field), none: states.includes("none") };
}

/** iproute2's test (ip/ipneigh.c): proxy and externally learned entries pass any state filter. */
function stateMatches(n: Neighbour, f: StateFilter): boolean {
  const state = NUD.encode(n.state);
  if (state & f.mask) return true;
  if (n.flags.includes("proxy") || n.flags.includes("extern_learn")) return true;
  return state === 0 && f.none;
}

async function dumpRequestFor(
  conn: NetlinkConnection,
  o: { family?: string; dev?: Dev; master?: Dev; proxy?: boolean },
): Promise<Uint8Array> {
  checkIpFamily(o.family);
  const index = o.dev === undefined ? undefined : await resolveDev(conn, o.dev);
  const master = o.master === undefined ? undefined : await resolveDev(conn, o.master, "master");
  return neighbourDumpRequest({ family: o.family, index, master, proxy: o.proxy });
}

function newNeighbourFilter(f: StateFilter | undefined): (m: MessageView) => Neighbour | undefined {
  return (m) => {
    if (m.type !== RTM.NEWNEIGH) return undefined;
    const n = decodeNeighbour(m);
    return f === undefined || stateMatches(n, f) ? n : undefined;
  };
}

/**
 * Neighbour entries (or those matching the filters), fully decoded, like
 * `ip neigh show [dev D] [master M] [proxy] [nud S]`.
 *
 * @example
 * ```ts ignore
 * const arp = await getNeighbours(conn, { family: "inet", dev: "p0", state: ["reachable", "stale"] });
 * ```
 */
export async function getNeighbours(conn: NetlinkConnection, options: GetNeighboursOptions = {}): Promise<Neighbour[]> {
  const f = stateFilter(options.state);
  const request = await dumpRequestFor(conn, options);
  return conn.dump(request, newNeighbourFilter(f), "getNeighbours", options);
}

/**
 * Streams neighbour entries one by one without building a list.
 *
 * @example
 * ```ts ignore
 * for await (const n of streamNeighbours(conn, { family: "inet6" })) console.log(n.dst, n.lladdr);
 * ```
 */
export async function* streamNeighbours(
  conn: NetlinkConnection,
  options: GetNeighboursOptions = {},
): AsyncGenerator<Neighbour> {
  const f = stateFilter(options.state);
  const request = await dumpRequestFor(conn, options);
  yield* conn.stream(request, newNeighbourFilter(f), "streamNeighbours", streamOptionsOf(options));
}

/** Options shared by ordinary and proxy entries. */
export interface NeighbourCommonOptions {
  /** The protocol address, IPv4 or IPv6 (its family is the entry's). */
  dst: string;
  /** Mark the neighbour as a router (IPv6). */
  router?: boolean;
  /** Who adds the entry (NDA_PROTOCOL): `"static"`, `"zebra"`, … or a number. */
  protocol?: string | number;
}

/** An ordinary neighbour entry (`ip neigh add ADDR [lladdr MAC] dev DEV [nud STATE] …`). */
export interface NeighbourEntryOptions extends NeighbourCommonOptions {
  /** Not a proxy entry. */
  proxy?: false;
  /** The device. */
  dev: Dev;
  /** The link-layer address (omit for an entry without one, iproute2's `lladdr null`). */
  lladdr?: string;
  /** The state (default `"permanent"`; `"none"` with `managed`). */
  state?: NudState;
  /** Use the entry as if a packet had used it (NTF_USE). */
  use?: boolean;
  /** Learned outside the kernel (NTF_EXT_LEARNED). */
  externLearn?: boolean;
  /** Kernel-managed entry, kept resolved (NTF_EXT_MANAGED); the state defaults to `"none"`. */
  managed?: boolean;
}

/** A proxy entry (`ip neigh add proxy ADDR [dev DEV]`): answer ARP/NDP for `dst`. */
export interface ProxyNeighbourOptions extends NeighbourCommonOptions {
  /** A proxy entry (NTF_PROXY). */
  proxy: true;
  /** The device to answer on (default: every device). */
  dev?: Dev;
}

/** What {@linkcode addNeighbour} and friends take. */
export type NeighbourOptions = NeighbourEntryOptions | ProxyNeighbourOptions;

/** The neighbour operations: `ip neigh add|replace|change|del`. */
export type NeighbourOp = "add" | "replace" | "change" | "del";

const OP_FLAGS: Record<NeighbourOp, number> = {
  add: REQUEST_FLAGS.create,
  replace: REQUEST_FLAGS.replace,
  change: REQUEST_FLAGS.change,
  del: REQUEST_FLAGS.ack,
};

function addressFamily(dst: unknown, field = "dst"): number {
  const family = typeof dst === "string" ? ipFamily(dst) : 0;
  if (family === 0) throw new ValidationError(field, dst, "expected an IPv4 or IPv6 address");
  return family;
}

/**
 * Builds the RTM_NEWNEIGH / RTM_DELNEIGH request `ip neigh` sends, for the
 * device with ifindex `index` (0: none, for proxy entries).
 *
 * @example
 * ```ts
 * import { neighbourRequest } from "./neigh.ts";
 * neighbourRequest("add", 3, { dst: "10.0.0.2", lladdr: "02:00:00:00:00:02", dev: 3 }).length; // 48
 * ```
 */
export function neighbourRequest(op: NeighbourOp, index: number, o: NeighbourOptions): Uint8Array {
  const w = new MessageWriter(96);
  writeNeighbourRequest(w, op, index, o);
  return w.bytes();
}

/**
 * Appends the request {@linkcode neighbourRequest} builds to `w` (for batches).
 *
 * @example
 * ```ts
 * import { writeNeighbourRequest } from "./neigh.ts";
 * import { MessageWriter } from "../core/writer.ts";
 * writeNeighbourRequest(new MessageWriter(), "del", 3, { dst: "10.0.0.2", dev: 3 });
 * ```
 */
export function writeNeighbourRequest(w: MessageWriter, op: NeighbourOp, index: number, o: NeighbourOptions): void {
  if (o === null || typeof o !== "object") throw new ValidationError("neighbour", o, "expected neighbour options");
  if (!(op in OP_FLAGS)) throw new ValidationError("op", op, "expected add, replace, change or del");
  const family = addressFamily(o.dst);
  let flags = 0;
  if (o.proxy) flags |= NTF.bit("proxy");
  else if (o.proxy !== undefined && o.proxy !== false) {
    throw new ValidationError("proxy", o.proxy, "expected a boolean");
  }
  if (o.router) flags |= NTF.bit("router");
  const attrs: Record<string, unknown> = {};
  // iproute2 adds NDA_PROTOCOL while parsing, the rest after: protocol, dst, flags_ext, lladdr.
  if (o.protocol !== undefined) attrs.protocol = RTPROT.value(o.protocol, "protocol");
  attrs.dst = o.dst;
  let state = NUD.bit("permanent");
  if (!o.proxy) {
    if (o.use) flags |= NTF.bit("use");
    if (o.externLearn) flags |= NTF.bit("extern_learn");
    if (o.managed) {
      attrs.flagsExt = NTF_EXT.bit("managed");
      state = 0;
    }
    if (o.state !== undefined) state = oneState(o.state);
    if (o.lladdr !== undefined) attrs.lladdr = o.lladdr;
  }
  const header = { family: FAMILY.name(family), ifindex: index, state, flags };
  encodeMessage(w, NEIGH_MESSAGE, op === "del" ? RTM.DELNEIGH : RTM.NEWNEIGH, OP_FLAGS[op], header, attrs, family);
}

function oneState(s: unknown): number {
  if (typeof s !== "string" || !NUD.names.includes(s)) {
    throw new ValidationError("state", s, "expected one of " + NUD.names.join(", "));
  }
  return NUD.encode([s], "state");
}

async function modify(conn: NetlinkConnection, op: NeighbourOp, o: NeighbourOptions): Promise<void> {
  neighbourRequest(op, 1, o); // bad input fails here, before any device look-up
  if (!o.proxy && o.dev === undefined) throw new ValidationError("dev", o.dev, "a neighbour entry needs a device");
  const index = o.dev === undefined ? 0 : await resolveDev(conn, o.dev);
  await conn.ack(
    neighbourRequest(op, index, o),
    `${op}Neighbour ${o.dst}${o.dev === undefined ? "" : ` dev ${o.dev}`}`,
  );
}

/**
 * Adds a neighbour entry, like `ip neigh add`; fails with EEXIST if it exists.
 *
 * @example
 * ```ts ignore
 * await addNeighbour(conn, { dst: "10.0.0.2", lladdr: "02:00:00:00:00:02", dev: "p0", state: "reachable" });
 * await addNeighbour(conn, { proxy: true, dst: "10.0.0.9", dev: "p0" });
 * ```
 */
export function addNeighbour(conn: NetlinkConnection, options: NeighbourOptions): Promise<void> {
  return modify(conn, "add", options);
}

/**
 * Adds or replaces a neighbour entry, like `ip neigh replace`.
 *
 * @example
 * ```ts ignore
 * await replaceNeighbour(conn, { dst: "fe80::2", lladdr: "02:00:00:00:00:02", dev: "p0", router: true });
 * ```
 */
export function replaceNeighbour(conn: NetlinkConnection, options: NeighbourOptions): Promise<void> {
  return modify(conn, "replace", options);
}

/**
 * Changes an existing neighbour entry, like `ip neigh change`.
 *
 * @example
 * ```ts ignore
 * await changeNeighbour(conn, { dst: "10.0.0.2", lladdr: "02:00:00:00:00:03", dev: "p0", state: "stale" });
 * ```
 */
export function changeNeighbour(conn: NetlinkConnection, options: NeighbourOptions): Promise<void> {
  return modify(conn, "change", options);
}

/**
 * Deletes a neighbour entry, like `ip neigh del ADDR dev DEV` (or `ip neigh del proxy ADDR`).
 *
 * @example
 * ```ts ignore
 * await delNeighbour(conn, { dst: "10.0.0.2", dev: "p0" });
 * ```
 */
export function delNeighbour(conn: NetlinkConnection, options: NeighbourOptions): Promise<void> {
  return modify(conn, "del", options);
}

/** What {@linkcode getNeighbour} looks up. */
export interface GetNeighbourOptions {
  /** The protocol address. */
  dst: string;
  /** The device (required except for proxy entries). */
  dev?: Dev;
  /** Look up a proxy entry. */
  proxy?: boolean;
}

/**
 * Builds the RTM_GETNEIGH request `ip neigh get ADDR dev DEV` sends.
 *
 * @example
 * ```ts
 * import { neighbourGetRequest } from "./neigh.ts";
 * neighbourGetRequest(3, { dst: "10.0.0.2" }).length; // 36
 * ```
 */
export function neighbourGetRequest(index: number, o: GetNeighbourOptions): Uint8Array {
  if (o === null || typeof o !== "object") throw new ValidationError("neighbour", o, "expected { dst, dev }");
  const family = addressFamily(o.dst);
  const w = new MessageWriter(48);
  const header = { family: FAMILY.name(family), ifindex: index, flags: o.proxy ? NTF.bit("proxy") : 0 };
  encodeMessage(w, NEIGH_MESSAGE, RTM.GETNEIGH, REQUEST_FLAGS.get, header, { dst: o.dst }, family);
  return w.bytes();
}

/**
 * One neighbour entry, like `ip neigh get ADDR dev DEV`. Rejects with a
 * {@linkcode NetlinkError} whose `isNotFound()` is true when there is none.
 *
 * @example
 * ```ts ignore
 * const n = await getNeighbour(conn, { dst: "10.0.0.2", dev: "p0" });
 * ```
 */
export async function getNeighbour(conn: NetlinkConnection, options: GetNeighbourOptions): Promise<Neighbour> {
  neighbourGetRequest(1, options);
  if (!options.proxy && options.dev === undefined) {
    throw new ValidationError("dev", options.dev, "a neighbour look-up needs a device");
  }
  const index = options.dev === undefined ? 0 : await resolveDev(conn, options.dev);
  return conn.get(neighbourGetRequest(index, options), newNeighbourFilter(undefined), `getNeighbour ${options.dst}`);
}

/** What {@linkcode flushNeighbours} deletes. */
export interface FlushNeighboursOptions extends DumpOptions {
  /** `"inet"` or `"inet6"` (default: both). */
  family?: "inet" | "inet6";
  /** Only this device's entries. */
  dev?: Dev;
  /** Only entries of devices enslaved to this master. */
  master?: Dev;
  /** Flush proxy entries instead of ordinary ones. */
  proxy?: boolean;
  /**
   * Only entries in these states (default: every state but `permanent` and
   * `noarp`, as `ip neigh flush`; include `"none"` for entries without state).
   */
  state?: NudState[];
  /** Deletes only the entries (of those the other options pick) this returns true for. */
  filter?: (neighbour: Neighbour) => boolean;
  /** Called after each round that deleted something, with its number (from 1) and how many deletes it sent. */
  onRound?: (round: number, deleted: number) => void;
}

/** iproute2 gives up after this many dump-and-delete rounds. */
const MAX_FLUSH_ROUNDS = 10;

/**
 * Deletes the entries matching the filters, as `ip neigh flush` does: dumps
 * them, sends every deletion pipelined (each is the dumped message turned into
 * RTM_DELNEIGH), and repeats until a dump finds nothing more (at most 10
 * rounds; entries that fail to resolve meanwhile are left after the first).
 * Resolves with the entries it deleted; an entry that vanished meanwhile is
 * not an error.
 *
 * @example
 * ```ts ignore
 * const gone = await flushNeighbours(conn, { dev: "p0" });
 * console.log(`${gone.length} entries flushed`);
 * ```
 */
export async function flushNeighbours(
  conn: NetlinkConnection,
  options: FlushNeighboursOptions = {},
): Promise<Neighbour[]> {
  const given = stateFilter(options.state);
  // ~(PERMANENT|NOARP) with the "none" bit, as ip/ipneigh.c sets it for flush.
  const filter = given ?? { mask: 0xff & ~(NUD.bit("permanent") | NUD.bit("noarp")), none: true };
  const request = await dumpRequestFor(conn, options);
  const pick = (m: MessageView) => {
    if (m.type !== RTM.NEWNEIGH) return undefined;
    const n = decodeNeighbour(m);
    return stateMatches(n, filter) && (options.filter?.(n) ?? true) ? n : undefined;
  };
  let round = 0;
  return flushByEcho(conn, request, pick, RTM.DELNEIGH, "flushNeighbours", {
    ...options,
    gone: [ERRNO.ENOENT],
    acks: "none",
    rounds: MAX_FLUSH_ROUNDS,
    afterRound: (sent) => {
      filter.mask &= ~NUD.bit("failed"); // entries that failed to resolve go in the first round only
      options.onRound?.(++round, sent);
    },
  });
}
