/**
 * Bridge VLANs. Per port: list (`bridge vlan show`, an AF_BRIDGE link dump),
 * add and delete VLANs and ranges with their PVID/untagged flags and VXLAN
 * tunnel ids (`bridge vlan add|del`). The VLAN database (RTM_*VLAN): each
 * VLAN's state, multicast router mode and counters (`bridge -d -s vlan show`,
 * `bridge vlan set`), and a bridge's global per-VLAN multicast options
 * (`bridge vlan global show|set`). Requests are byte-for-byte what the
 * `bridge` tool sends.
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, type MessageView } from "../core/message.ts";
import type { RawAttribute } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import {
  BRIDGE_FLAGS,
  BRIDGE_VLAN_INFO,
  type BridgePortState,
  checkInt,
  checkNamed,
  compact,
  type MulticastRouterType,
} from "./bridge_attrs.ts";
import { BRIDGE_LINK_MESSAGE } from "./bridge_link_attrs.ts";
import { BRIDGE_VLANDB_DUMPF, VLANDB_DUMP_MESSAGE, VLANDB_MESSAGE } from "./bridge_vlan_attrs.ts";
import { AF, RTEXT_FILTER, RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import { type MulticastRouterPort, toRouterPort } from "./mdb.ts";

const BEGIN = BRIDGE_VLAN_INFO.bit("range_begin");
const END = BRIDGE_VLAN_INFO.bit("range_end");

/** The largest id a VLAN tag holds (0 and 4095 are the kernel's to refuse, "Vlan id is invalid", as iproute2 leaves them). */
const VID_MAX = 4095;

/** One VLAN, or a range of VLANs with the same flags, on a bridge port (or the bridge itself). */
export interface BridgeVlan {
  /** The VLAN id (the first of a range). */
  vid: number;
  /** The last VLAN id of a range. */
  vidEnd?: number;
  /** The port's PVID: untagged frames coming in belong to this VLAN. */
  pvid: boolean;
  /** Frames of this VLAN leave the port untagged. */
  untagged: boolean;
}

/** A VLAN (or range) mapped to a tunnel id (the VNI, on a VXLAN port with vlan_tunnel on). */
export interface BridgeVlanTunnel {
  /** The VLAN id (the first of a range). */
  vid: number;
  /** The last VLAN id of a range. */
  vidEnd?: number;
  /** The tunnel id (the first of a range). */
  tunnelId: number;
  /** The last tunnel id of a range. */
  tunnelIdEnd?: number;
}

/** A port's (or the bridge's own) VLANs, as `bridge vlan show` lists them. */
export interface BridgePortVlans {
  /** The device's ifindex. */
  ifindex: number;
  /** Its name. */
  name?: string;
  /** Its bridge (absent for the bridge itself). */
  master?: number;
  /** Its VLANs. */
  vlans: BridgeVlan[];
  /** Its VLAN-to-tunnel mappings, when it has any. */
  tunnels?: BridgeVlanTunnel[];
}

type RawVlanInfo = { flags: string[]; vid: number };
type RawTunnel = { id: number; vid: number; flags: string[] };

/** Folds RANGE_BEGIN/RANGE_END pairs (compressed dumps, range requests) into one item. */
function foldRanges<T extends { flags: string[]; vid: number }, R>(list: T[], make: (first: T, last?: T) => R): R[] {
  const out: R[] = [];
  let begin: T | undefined;
  for (const x of list) {
    if (x.flags.includes("range_begin")) begin = x;
    else {
      out.push(x.flags.includes("range_end") && begin ? make(begin, x) : make(x));
      begin = undefined;
    }
  }
  return out;
}

/**
 * The VLANs an AF_BRIDGE RTM_NEWLINK message carries (a `bridge vlan show`
 * dump reply, or a notification), or undefined for any other link message.
 *
 * @example
 * ```ts ignore
 * import { decodeBridgePortVlans } from "./bridge_vlan.ts";
 * const port = decodeBridgePortVlans(msg); // { ifindex, name, master, vlans: [{ vid, pvid, untagged }] }
 * ```
 */
export function decodeBridgePortVlans(msg: MessageView): BridgePortVlans | undefined {
  const m = decodeMessage(BRIDGE_LINK_MESSAGE, msg) as {
    family: unknown;
    index: number;
    name?: string;
    master?: number;
    afSpec?: { vlanInfo?: RawVlanInfo[]; vlanTunnelInfo?: RawTunnel[] };
  };
  if (m.family !== "bridge" || m.afSpec === undefined) return undefined;
  const vlans = foldRanges(m.afSpec.vlanInfo ?? [], (first, last): BridgeVlan =>
    compact({
      vid: first.vid,
      vidEnd: last?.vid,
      pvid: first.flags.includes("pvid"),
      untagged: first.flags.includes("untagged"),
    }));
  const tunnels = m.afSpec.vlanTunnelInfo &&
    foldRanges(
      m.afSpec.vlanTunnelInfo,
      (first, last): BridgeVlanTunnel =>
        compact({ vid: first.vid, vidEnd: last?.vid, tunnelId: first.id, tunnelIdEnd: last?.id }),
    );
  return compact({ ifindex: m.index, name: m.name, master: m.master, vlans, tunnels });
}

const decodeDumpedVlans = (m: MessageView): BridgePortVlans | undefined =>
  m.type === RTM.NEWLINK ? decodeBridgePortVlans(m) : undefined;

/**
 * Builds the AF_BRIDGE RTM_GETLINK dump request of `bridge vlan show`
 * (IFLA_EXT_MASK RTEXT_FILTER_BRVLAN; `compressed`: _BRVLAN_COMPRESSED,
 * ranges as ranges, as `bridge -compressvlans vlan show`).
 *
 * @example
 * ```ts
 * import { bridgeVlanDumpRequest } from "./bridge_vlan.ts";
 * bridgeVlanDumpRequest({}).length; // 40
 * ```
 */
export function bridgeVlanDumpRequest(options: { compressed?: boolean } = {}): Uint8Array {
  const w = new MessageWriter(48);
  const extMask = options.compressed ? RTEXT_FILTER.BRVLAN_COMPRESSED : RTEXT_FILTER.BRVLAN;
  encodeMessage(w, BRIDGE_LINK_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.dump, { family: "bridge" }, { extMask });
  return w.bytes();
}

/** Filters for {@linkcode getBridgeVlans} (the kernel filters bridge link dumps by nothing: these filter the replies). */
export interface GetBridgeVlansOptions extends DumpOptions {
  /** Only this device's VLANs. */
  dev?: Dev;
  /** Only this bridge's and its ports' VLANs. */
  master?: Dev;
  /** Ranges as ranges (`vidEnd`), rather than one item per VLAN. */
  compressed?: boolean;
}

/**
 * Every bridge port's (and every VLAN-filtering bridge's own) VLANs, like
 * `bridge vlan show`.
 *
 * @example
 * ```ts ignore
 * const [p0] = await getBridgeVlans(conn, { dev: "p0" });
 * p0.vlans; // [{ vid: 1, pvid: true, untagged: true }, { vid: 10, pvid: false, untagged: false }]
 * ```
 */
export async function getBridgeVlans(
  conn: NetlinkConnection,
  options: GetBridgeVlansOptions = {},
): Promise<BridgePortVlans[]> {
  const dev = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  const master = options.master === undefined ? undefined : await resolveDev(conn, options.master, "master");
  const all = await conn.dump(bridgeVlanDumpRequest(options), decodeDumpedVlans, "getBridgeVlans", options);
  return all.filter((p) =>
    (dev === undefined || p.ifindex === dev) && (master === undefined || p.master === master || p.ifindex === master)
  );
}

/** What {@linkcode addBridgeVlan} / {@linkcode delBridgeVlan} take (`bridge vlan add|del dev DEV vid V[-V2] …`). */
export interface BridgeVlanOptions {
  /** The port, or the bridge itself (with `self`). */
  dev: Dev;
  /** The VLAN id, 1-4094 (the first of a range; the kernel refuses 0 and 4095). */
  vid: number;
  /** The last VLAN id of a range. */
  vidEnd?: number;
  /** Make it the port's PVID (not for a range). */
  pvid?: boolean;
  /** Frames of the VLAN leave the port untagged. */
  untagged?: boolean;
  /** Apply to the device itself (the bridge's own VLANs, or a device that bridges in hardware). */
  self?: boolean;
  /** Apply through the device's bridge (the default when neither is given). */
  master?: boolean;
  /** Map the VLAN to this tunnel id (VNI) instead (`tunnel_info id`; a VXLAN port with vlan_tunnel on). */
  tunnelId?: number;
  /** The last tunnel id, for a range: as many as VLANs. */
  tunnelIdEnd?: number;
}

/** The per-port VLAN operations: `bridge vlan add|del`. */
export type BridgeVlanOp = "add" | "del";

/**
 * Builds the AF_BRIDGE RTM_SETLINK (add) / RTM_DELLINK (del) request of
 * `bridge vlan add|del`: IFLA_AF_SPEC with the master/self flags, then the
 * VLAN (a range as a RANGE_BEGIN and a RANGE_END entry) or its tunnel mapping.
 *
 * @example
 * ```ts
 * import { bridgeVlanRequest } from "./bridge_vlan.ts";
 * bridgeVlanRequest("add", 3, { dev: 3, vid: 10, pvid: true, untagged: true }).length; // 44
 * ```
 */
export function bridgeVlanRequest(op: BridgeVlanOp, index: number, o: BridgeVlanOptions): Uint8Array {
  const w = new MessageWriter(96);
  writeBridgeVlanRequest(w, op, index, o);
  return w.bytes();
}

/**
 * Appends the request {@linkcode bridgeVlanRequest} builds to `w` (for batches).
 *
 * @example
 * ```ts
 * import { writeBridgeVlanRequest } from "./bridge_vlan.ts";
 * import { MessageWriter } from "../core/writer.ts";
 * writeBridgeVlanRequest(new MessageWriter(), "del", 3, { dev: 3, vid: 100, vidEnd: 200 });
 * ```
 */
export function writeBridgeVlanRequest(w: MessageWriter, op: BridgeVlanOp, index: number, o: BridgeVlanOptions): void {
  if (o === null || typeof o !== "object") throw new ValidationError("vlan options", o, "expected an object");
  if (op !== "add" && op !== "del") throw new ValidationError("op", op, 'expected "add" or "del"');
  const vid = checkInt(o.vid, "vid", 0, VID_MAX);
  const end = o.vidEnd === undefined ? undefined : checkInt(o.vidEnd, "vidEnd", vid + 1, VID_MAX);
  const afSpec: Record<string, unknown> = {};
  const flags = (o.master ? BRIDGE_FLAGS.bit("master") : 0) | (o.self ? BRIDGE_FLAGS.bit("self") : 0);
  if (flags) afSpec.flags = flags;
  if (o.tunnelId !== undefined) {
    if (o.pvid || o.untagged) {
      throw new ValidationError("tunnelId", o.tunnelId, "a tunnel mapping has no pvid/untagged");
    }
    const id = checkInt(o.tunnelId, "tunnelId", 1, 0xffffff);
    if ((end === undefined) !== (o.tunnelIdEnd === undefined)) {
      throw new ValidationError("tunnelIdEnd", o.tunnelIdEnd, "a VLAN range maps to a tunnel id range, and only it");
    }
    if (end !== undefined && o.tunnelIdEnd !== id + end - vid) {
      throw new ValidationError(
        "tunnelIdEnd",
        o.tunnelIdEnd,
        `${end - vid + 1} VLANs map to as many ids: ${id + end - vid}`,
      );
    }
    afSpec.vlanTunnelInfo = end === undefined
      ? [{ id, vid, flags: 0 }]
      : [{ id, vid, flags: BEGIN }, { id: checkInt(o.tunnelIdEnd, "tunnelIdEnd", id, 0xffffff), vid: end, flags: END }];
  } else {
    if (o.tunnelIdEnd !== undefined) throw new ValidationError("tunnelIdEnd", o.tunnelIdEnd, "needs tunnelId");
    if (end !== undefined && o.pvid) throw new ValidationError("pvid", o.pvid, "a range cannot be the PVID");
    const f = (o.pvid ? BRIDGE_VLAN_INFO.bit("pvid") : 0) | (o.untagged ? BRIDGE_VLAN_INFO.bit("untagged") : 0);
    afSpec.vlanInfo = end === undefined
      ? [{ flags: f, vid }]
      : [{ flags: f | BEGIN, vid }, { flags: f | END, vid: end }];
  }
  const type = op === "add" ? RTM.SETLINK : RTM.DELLINK;
  encodeMessage(w, BRIDGE_LINK_MESSAGE, type, REQUEST_FLAGS.ack, { family: "bridge", index }, { afSpec }, AF.BRIDGE);
}

async function vlanChange(conn: NetlinkConnection, op: BridgeVlanOp, o: BridgeVlanOptions): Promise<void> {
  bridgeVlanRequest(op, 1, o); // bad input fails here, before any device look-up
  const index = await resolveDev(conn, o.dev);
  const range = o.vidEnd === undefined ? "" : `-${o.vidEnd}`;
  await conn.ack(bridgeVlanRequest(op, index, o), `${op}BridgeVlan dev ${o.dev} vid ${o.vid}${range}`);
}

/**
 * Adds a VLAN (or range) to a bridge port, like `bridge vlan add`.
 *
 * @example
 * ```ts ignore
 * await addBridgeVlan(conn, { dev: "p0", vid: 10, pvid: true, untagged: true });
 * await addBridgeVlan(conn, { dev: "p0", vid: 100, vidEnd: 200 });
 * ```
 */
export function addBridgeVlan(conn: NetlinkConnection, options: BridgeVlanOptions): Promise<void> {
  return vlanChange(conn, "add", options);
}

/**
 * Removes a VLAN (or range) from a bridge port, like `bridge vlan del`.
 *
 * @example
 * ```ts ignore
 * await delBridgeVlan(conn, { dev: "p0", vid: 100, vidEnd: 200 });
 * ```
 */
export function delBridgeVlan(conn: NetlinkConnection, options: BridgeVlanOptions): Promise<void> {
  return vlanChange(conn, "del", options);
}

// ---------------------------------------------------------------- VLAN database

/** A VLAN's traffic counters. */
export interface BridgeVlanStats {
  /** Bytes received. */
  rxBytes: bigint;
  /** Packets received. */
  rxPackets: bigint;
  /** Bytes sent. */
  txBytes: bigint;
  /** Packets sent. */
  txPackets: bigint;
}

/** A VLAN (or range with the same settings) of a port or bridge in the VLAN database. */
export interface BridgeVlanEntry {
  /** The device's ifindex. */
  ifindex: number;
  /** The VLAN id (the first of a range). */
  vid: number;
  /** The last VLAN id of a range. */
  vidEnd?: number;
  /** The port's PVID. */
  pvid: boolean;
  /** Frames of this VLAN leave untagged. */
  untagged: boolean;
  /** All the BRIDGE_VLAN_INFO_* flags: `"pvid"`, `"untagged"`, `"brentry"`, … */
  flags: string[];
  /** The VLAN's spanning-tree state on this port. */
  state?: BridgePortState | number;
  /** The port's multicast router mode in this VLAN (per-VLAN multicast snooping). */
  mcastRouter?: MulticastRouterType | number;
  /** The tunnel id (VNI) the VLAN maps to. */
  tunnelId?: number;
  /** Counters (dumps asked with `stats`). */
  stats?: BridgeVlanStats;
  /** Multicast groups joined in this VLAN (Linux 6.3+). */
  mcastNGroups?: number;
  /** The most multicast groups allowed in this VLAN, 0 for no limit (Linux 6.3+). */
  mcastMaxGroups?: number;
  /** ARP/ND suppression in this VLAN (Linux 6.6+). */
  neighSuppress?: boolean;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/** A bridge's multicast options for one VLAN (or range); intervals in 1/100 s. */
export interface BridgeVlanGlobalOptions {
  /** The bridge's ifindex. */
  ifindex: number;
  /** The VLAN id (the first of a range). */
  vid: number;
  /** The last VLAN id of a range. */
  vidEnd?: number;
  /** Multicast snooping in this VLAN. */
  mcastSnooping?: boolean;
  /** IGMP version of the bridge's queries (2 or 3). */
  mcastIgmpVersion?: number;
  /** MLD version of the bridge's queries (1 or 2). */
  mcastMldVersion?: number;
  /** Last-member queries sent. */
  mcastLastMemberCount?: number;
  /** Startup queries sent. */
  mcastStartupQueryCount?: number;
  /** Interval between last-member queries. */
  mcastLastMemberInterval?: bigint;
  /** Group membership interval. */
  mcastMembershipInterval?: bigint;
  /** Other-querier-present interval. */
  mcastQuerierInterval?: bigint;
  /** Query interval. */
  mcastQueryInterval?: bigint;
  /** Query response interval. */
  mcastQueryResponseInterval?: bigint;
  /** Startup query interval. */
  mcastStartupQueryInterval?: bigint;
  /** The bridge acts as a querier in this VLAN. */
  mcastQuerier?: boolean;
  /** The VLAN's multicast router ports. */
  mcastRouterPorts?: MulticastRouterPort[];
  /** The querier the bridge sees in this VLAN. */
  mcastQuerierState?: {
    /** IPv4 querier's address. */
    ipAddress?: string;
    /** The port it was seen on. */
    ipPort?: number;
    /** Time left before another querier is considered gone (1/100 s). */
    ipOtherTimer?: bigint;
    /** IPv6 querier's address. */
    ipv6Address?: string;
    /** The port it was seen on. */
    ipv6Port?: number;
    /** Time left before another querier is considered gone (1/100 s). */
    ipv6OtherTimer?: bigint;
  };
  /** The multiple spanning tree instance the VLAN belongs to. */
  msti?: number;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/** One VLAN database message: a dump reply, or an RTM_NEWVLAN / RTM_DELVLAN notification. */
export interface BridgeVlanDbMessage {
  /** The device's ifindex. */
  ifindex: number;
  /** Its VLAN entries. */
  entries: BridgeVlanEntry[];
  /** Its global VLAN options (a bridge's, in global dumps). */
  globalOptions: BridgeVlanGlobalOptions[];
}

type RawEntry = Record<string, unknown> & {
  info: RawVlanInfo;
  range?: number;
  tunnelInfo?: { id?: number };
};
type RawGlobal = Record<string, unknown> & { vid: number; mcastRouterPorts?: { port?: Record<string, unknown>[] } };

/**
 * Decodes a VLAN database message (RTM_NEWVLAN dump reply or notification, RTM_DELVLAN).
 *
 * @example
 * ```ts ignore
 * import { decodeBridgeVlanDb } from "./bridge_vlan.ts";
 * const { ifindex, entries } = decodeBridgeVlanDb(msg);
 * ```
 */
export function decodeBridgeVlanDb(msg: MessageView): BridgeVlanDbMessage {
  const m = decodeMessage(VLANDB_MESSAGE, msg) as { ifindex: number; entry?: RawEntry[]; globalOptions?: RawGlobal[] };
  const entries = (m.entry ?? []).map(({ info, range, tunnelInfo, ...rest }): BridgeVlanEntry =>
    compact({
      ifindex: m.ifindex,
      vid: info.vid,
      vidEnd: range,
      pvid: info.flags.includes("pvid"),
      untagged: info.flags.includes("untagged"),
      flags: info.flags,
      tunnelId: tunnelInfo?.id,
      ...rest,
    })
  );
  const globalOptions = (m.globalOptions ?? []).map(({ mcastRouterPorts, ...rest }): BridgeVlanGlobalOptions =>
    compact({
      ifindex: m.ifindex,
      ...rest,
      mcastRouterPorts: mcastRouterPorts && (mcastRouterPorts.port ?? []).map(toRouterPort),
    })
  );
  return { ifindex: m.ifindex, entries, globalOptions };
}

const decodeDumpedDb = (m: MessageView): BridgeVlanDbMessage | undefined =>
  m.type === RTM.NEWVLAN ? decodeBridgeVlanDb(m) : undefined;

/**
 * Builds the RTM_GETVLAN dump request: `bridge -d vlan show` (`stats`:
 * `bridge -d -s vlan show`; `global`: `bridge vlan global show`); `index`
 * limits it to one device (the kernel filters).
 *
 * @example
 * ```ts
 * import { bridgeVlanDbDumpRequest } from "./bridge_vlan.ts";
 * bridgeVlanDbDumpRequest({ stats: true }).length; // 32
 * ```
 */
export function bridgeVlanDbDumpRequest(options: { index?: number; stats?: boolean; global?: boolean }): Uint8Array {
  const w = new MessageWriter(40);
  const flags = (options.stats ? BRIDGE_VLANDB_DUMPF.bit("stats") : 0) |
    (options.global ? BRIDGE_VLANDB_DUMPF.bit("global") : 0);
  const header = { family: "bridge", ifindex: options.index ?? 0 };
  encodeMessage(w, VLANDB_DUMP_MESSAGE, RTM.GETVLAN, REQUEST_FLAGS.dump, header, { flags });
  return w.bytes();
}

/** Filters for {@linkcode getBridgeVlanEntries}. */
export interface GetBridgeVlanEntriesOptions extends DumpOptions {
  /** Only this device's VLANs (the kernel filters). */
  dev?: Dev;
  /** Include each VLAN's counters. */
  stats?: boolean;
}

/**
 * The VLAN database: every port's and bridge's VLANs with their state,
 * multicast router mode, tunnel id and (with `stats`) counters, like
 * `bridge -d [-s] vlan show`.
 *
 * @example
 * ```ts ignore
 * const entries = await getBridgeVlanEntries(conn, { dev: "p0", stats: true });
 * ```
 */
export async function getBridgeVlanEntries(
  conn: NetlinkConnection,
  options: GetBridgeVlanEntriesOptions = {},
): Promise<BridgeVlanEntry[]> {
  const index = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  const request = bridgeVlanDbDumpRequest({ index, stats: options.stats });
  const messages = await conn.dump(request, decodeDumpedDb, "getBridgeVlanEntries", options);
  return messages.flatMap((m) => m.entries);
}

/** Filters for {@linkcode getBridgeVlanGlobalOptions}. */
export interface GetBridgeVlanGlobalOptionsOptions extends DumpOptions {
  /** Only this bridge's (the kernel filters). */
  dev?: Dev;
}

/**
 * Every VLAN-filtering bridge's global per-VLAN options (multicast snooping,
 * querier, timers, router ports), like `bridge vlan global show`.
 *
 * @example
 * ```ts ignore
 * const [v1] = await getBridgeVlanGlobalOptions(conn, { dev: "br0" });
 * v1.mcastSnooping; // true
 * ```
 */
export async function getBridgeVlanGlobalOptions(
  conn: NetlinkConnection,
  options: GetBridgeVlanGlobalOptionsOptions = {},
): Promise<BridgeVlanGlobalOptions[]> {
  const index = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  const request = bridgeVlanDbDumpRequest({ index, global: true });
  const messages = await conn.dump(request, decodeDumpedDb, "getBridgeVlanGlobalOptions", options);
  return messages.flatMap((m) => m.globalOptions);
}

/** What {@linkcode setBridgeVlan} changes (`bridge vlan set dev DEV vid V[-V2] …`): options of existing VLANs. */
export interface BridgeVlanSetOptions {
  /** The port or bridge. */
  dev: Dev;
  /** The VLAN id (the first of a range). */
  vid: number;
  /** The last VLAN id of a range. */
  vidEnd?: number;
  /** The VLAN's spanning-tree state on the port. */
  state?: BridgePortState | number;
  /** The port's multicast router mode in the VLAN (needs per-VLAN multicast snooping). */
  mcastRouter?: MulticastRouterType | number;
  /** The most multicast groups allowed, 0 for no limit (Linux 6.3+). */
  mcastMaxGroups?: number;
  /** ARP/ND suppression in the VLAN (Linux 6.6+). */
  neighSuppress?: boolean;
}

/**
 * Builds the RTM_NEWVLAN request of `bridge vlan set` (a BRIDGE_VLANDB_ENTRY
 * flagged ONLY_OPTS: the VLANs' options change, the VLANs themselves not).
 * Appends to `w` when given (for batches) and returns this request's bytes.
 *
 * @example
 * ```ts
 * import { bridgeVlanSetRequest } from "./bridge_vlan.ts";
 * bridgeVlanSetRequest(3, { dev: 3, vid: 10, state: "learning" }).length; // 44
 * ```
 */
export function bridgeVlanSetRequest(
  index: number,
  o: BridgeVlanSetOptions,
  w: MessageWriter = new MessageWriter(64),
): Uint8Array {
  if (o === null || typeof o !== "object") throw new ValidationError("vlan options", o, "expected an object");
  const vid = checkInt(o.vid, "vid", 0, VID_MAX);
  const entry = {
    info: { flags: BRIDGE_VLAN_INFO.bit("only_opts"), vid },
    range: o.vidEnd === undefined ? undefined : checkInt(o.vidEnd, "vidEnd", vid + 1, VID_MAX),
    state: checkNamed(o.state, "state", 4),
    mcastRouter: checkNamed(o.mcastRouter, "mcastRouter", 3),
    mcastMaxGroups: o.mcastMaxGroups,
    neighSuppress: o.neighSuppress,
  };
  const header = { family: "bridge", ifindex: index };
  const at = encodeMessage(w, VLANDB_MESSAGE, RTM.NEWVLAN, REQUEST_FLAGS.ack, header, { entry: [entry] }, AF.BRIDGE);
  return w.bytes().subarray(at);
}

/**
 * Changes the options of existing VLANs of a port or bridge, like `bridge vlan set`.
 *
 * @example
 * ```ts ignore
 * await setBridgeVlan(conn, { dev: "p0", vid: 10, state: "blocking" });
 * ```
 */
export async function setBridgeVlan(conn: NetlinkConnection, options: BridgeVlanSetOptions): Promise<void> {
  bridgeVlanSetRequest(1, options); // bad input fails here, before any device look-up
  const index = await resolveDev(conn, options.dev);
  await conn.ack(bridgeVlanSetRequest(index, options), `setBridgeVlan dev ${options.dev} vid ${options.vid}`);
}

/** What {@linkcode setBridgeVlanGlobalOptions} changes (`bridge vlan global set dev BR vid V[-V2] …`); intervals in 1/100 s. */
export interface BridgeVlanGlobalSetOptions {
  /** The bridge. */
  dev: Dev;
  /** The VLAN id (the first of a range). */
  vid: number;
  /** The last VLAN id of a range. */
  vidEnd?: number;
  /** Multicast snooping in the VLAN (needs the bridge's mcast_vlan_snooping on). */
  mcastSnooping?: boolean;
  /** Act as a querier in the VLAN. */
  mcastQuerier?: boolean;
  /** IGMP version of the bridge's queries (2 or 3). */
  mcastIgmpVersion?: number;
  /** MLD version of the bridge's queries (1 or 2). */
  mcastMldVersion?: number;
  /** Last-member queries to send. */
  mcastLastMemberCount?: number;
  /** Interval between last-member queries. */
  mcastLastMemberInterval?: bigint | number;
  /** Startup queries to send. */
  mcastStartupQueryCount?: number;
  /** Startup query interval. */
  mcastStartupQueryInterval?: bigint | number;
  /** Group membership interval. */
  mcastMembershipInterval?: bigint | number;
  /** Other-querier-present interval. */
  mcastQuerierInterval?: bigint | number;
  /** Query interval. */
  mcastQueryInterval?: bigint | number;
  /** Query response interval. */
  mcastQueryResponseInterval?: bigint | number;
}

/**
 * Builds the RTM_NEWVLAN request of `bridge vlan global set` (attributes in
 * the order of this interface, which is iproute2's usage order). Appends to
 * `w` when given (for batches) and returns this request's bytes.
 *
 * @example
 * ```ts
 * import { bridgeVlanGlobalSetRequest } from "./bridge_vlan.ts";
 * bridgeVlanGlobalSetRequest(4, { dev: 4, vid: 10, mcastSnooping: false }).length; // 44
 * ```
 */
export function bridgeVlanGlobalSetRequest(
  index: number,
  o: BridgeVlanGlobalSetOptions,
  w: MessageWriter = new MessageWriter(160),
): Uint8Array {
  if (o === null || typeof o !== "object") throw new ValidationError("vlan options", o, "expected an object");
  const vid = checkInt(o.vid, "vid", 0, VID_MAX);
  const opt = <T>(x: T | undefined, check: (x: T) => unknown) => (x === undefined ? undefined : (check(x), x));
  const global = {
    vid,
    vidEnd: opt(o.vidEnd, (x) => checkInt(x, "vidEnd", vid + 1, VID_MAX)),
    mcastSnooping: o.mcastSnooping,
    mcastQuerier: o.mcastQuerier,
    mcastIgmpVersion: opt(o.mcastIgmpVersion, (x) => checkInt(x, "mcastIgmpVersion", 2, 3)),
    mcastMldVersion: opt(o.mcastMldVersion, (x) => checkInt(x, "mcastMldVersion", 1, 2)),
    mcastLastMemberCount: o.mcastLastMemberCount,
    mcastLastMemberInterval: o.mcastLastMemberInterval,
    mcastStartupQueryCount: o.mcastStartupQueryCount,
    mcastStartupQueryInterval: o.mcastStartupQueryInterval,
    mcastMembershipInterval: o.mcastMembershipInterval,
    mcastQuerierInterval: o.mcastQuerierInterval,
    mcastQueryInterval: o.mcastQueryInterval,
    mcastQueryResponseInterval: o.mcastQueryResponseInterval,
  };
  const header = { family: "bridge", ifindex: index };
  const at = encodeMessage(
    w,
    VLANDB_MESSAGE,
    RTM.NEWVLAN,
    REQUEST_FLAGS.ack,
    header,
    { globalOptions: [global] },
    AF.BRIDGE,
  );
  return w.bytes().subarray(at);
}

/**
 * Changes a bridge's global options for some VLANs, like `bridge vlan global set`.
 *
 * @example
 * ```ts ignore
 * await setBridgeVlanGlobalOptions(conn, { dev: "br0", vid: 10, mcastSnooping: true, mcastQueryInterval: 12000n });
 * ```
 */
export async function setBridgeVlanGlobalOptions(
  conn: NetlinkConnection,
  options: BridgeVlanGlobalSetOptions,
): Promise<void> {
  bridgeVlanGlobalSetRequest(1, options); // bad input fails here, before any device look-up
  const index = await resolveDev(conn, options.dev);
  await conn.ack(
    bridgeVlanGlobalSetRequest(index, options),
    `setBridgeVlanGlobalOptions dev ${options.dev} vid ${options.vid}`,
  );
}
