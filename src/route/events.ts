/**
 * rtnetlink notifications as an `AsyncIterable` of typed {@linkcode NetworkEvent}s,
 * for one namespace or several merged into one stream. A full receive buffer
 * is never silent: the stream yields an `overrun` event, and with `resync` it
 * then re-reads the affected tables and yields them whole.
 *
 * @module
 */
import { notifications } from "../core/notifications.ts";
import type { NetlinkConnection } from "../core/connection.ts";
import { headerField, type MessageView } from "../core/message.ts";
import type { NetlinkSocket } from "../../ffi/socket.ts";
import { eventGroupNumbers, subscribeEvents } from "./event_subscribe.ts";
import { type Address, decodeAddress, getAddresses } from "./addr.ts";
import { type AddressLabel, decodeAddressLabel } from "./addrlabel.ts";
import { RTM, RTNLGRP } from "./constants.ts";
import { type BridgePort, decodeBridgePort } from "./bridge_port.ts";
import { type BridgeVlanDbMessage, decodeBridgeVlanDb } from "./bridge_vlan.ts";
import { decodeLink, getLinks } from "./link_read.ts";
// Link notifications are decoded as they arrive and cannot wait for a module: the kinds load with the stream.
import "./link_kinds.ts";
import { LINK_MESSAGE } from "./link_attrs.ts";
import type { Link } from "./link_types.ts";
import { decodeMdb, type MdbMessage } from "./mdb.ts";
import { decodeNeighbour, getNeighbours, type Neighbour } from "./neigh.ts";
import { decodeNetconf, getNetconfs, type Netconf, type NetconfFamily } from "./netconf.ts";
import { decodeNexthop, decodeNexthopBucket, getNexthops, type Nexthop, type NexthopBucket } from "./nexthop.ts";
import { decodeNsid, type NamespaceId } from "./nsid.ts";
import { decodePrefix, type Ipv6Prefix } from "./prefix.ts";
import { decodeRoute, getRoutes, type Route } from "./route.ts";
import { decodeRule, getRules, type Rule } from "./rule.ts";
import { decodeInterfaceStats, type InterfaceStats } from "./stats_groups.ts";
import type { Action } from "../tc/action.ts";
import type { Chain } from "../tc/chain.ts";
import type { TcClass } from "../tc/class.ts";
import type { Filter } from "../tc/filter.ts";
import type { Qdisc } from "../tc/qdisc.ts";

export { EVENT_GROUPS } from "./event_subscribe.ts";

/** A group name (`"link"`, `"ipv4-route"`, …) or an RTNLGRP_* number. */
export type EventGroup =
  | "link"
  | "neigh"
  | "tc"
  | "ipv4-ifaddr"
  | "ipv6-ifaddr"
  | "ipv4-route"
  | "ipv6-route"
  | "ipv4-rule"
  | "ipv6-rule"
  | "mpls-route"
  | "nsid"
  | "nexthop"
  | "ipv4-netconf"
  | "ipv6-netconf"
  | "mdb"
  | "brvlan"
  | "ipv6-prefix"
  | (string & Record<never, never>)
  | number;

/** The tables a `resync` event carries: what the subscribed groups cover, read again whole. */
export interface ResyncTables {
  /** All links (group `link`). */
  links?: Link[];
  /** All addresses of the subscribed families (groups `ipv4-ifaddr`, `ipv6-ifaddr`). */
  addresses?: Address[];
  /** All routes of the subscribed families (groups `ipv4-route`, `ipv6-route`, `mpls-route`). */
  routes?: Route[];
  /** The whole neighbour cache, FDB entries included (group `neigh`). */
  neighbours?: Neighbour[];
  /** All rules of the subscribed families (groups `ipv4-rule`, `ipv6-rule`). */
  rules?: Rule[];
  /** All nexthop objects (group `nexthop`). */
  nexthops?: Nexthop[];
  /** Every device's configuration of the subscribed families (groups `*-netconf`). */
  netconf?: Netconf[];
  /** Every qdisc (group `tc`). */
  qdiscs?: Qdisc[];
  /** The classes of every device with a qdisc (group `tc`). */
  classes?: TcClass[];
  /** The filters of every qdisc and hook (group `tc`). */
  filters?: Filter[];
  /** Other tables, by group, from readers registered with {@linkcode registerResync}. */
  [table: string]: unknown[] | undefined;
}

/** One notification. */
export type NetworkEvent =
  & (
    | { type: "newlink" | "dellink"; link: Link }
    | { type: "newaddr" | "deladdr"; address: Address }
    | { type: "newroute" | "delroute"; route: Route }
    | {
      /**
       * An IPv6 address-label entry. The kernel multicasts none (no group carries them), so these
       * come only from saved files (`readMonitorFile`) that hold the table's messages.
       */
      type: "newaddrlabel" | "deladdrlabel";
      label: AddressLabel;
    }
    | { type: "newnsid" | "delnsid"; nsid: NamespaceId }
    | {
      /** A neighbour cache entry; with family `bridge`, a forwarding database entry. */
      type: "newneigh" | "delneigh";
      neighbour: Neighbour;
    }
    | {
      /**
       * The kernel asks user space to resolve a neighbour (RTM_GETNEIGH, sent while the entry's
       * `app_probes` last): what `ip monitor` prints as `miss`. An ARP daemon answers it by adding
       * the entry.
       */
      type: "getneigh";
      neighbour: Neighbour;
    }
    | { type: "newrule" | "delrule"; rule: Rule }
    | { type: "newnexthop" | "delnexthop"; nexthop: Nexthop }
    | { type: "newnexthopbucket" | "delnexthopbucket"; bucket: NexthopBucket }
    | { type: "newnetconf" | "delnetconf"; netconf: Netconf }
    | {
      /** An IPv6 interface accepted a Router Advertisement's prefix option (group `ipv6-prefix`). */
      type: "newprefix";
      prefix: Ipv6Prefix;
    }
    | {
      /**
       * A link's statistics changed in a way the kernel reports (group `stats`): so far, whether its
       * hardware L3 counters are requested and in use (`offload.hwStatsInfo`), as `ip monitor stats` prints it.
       */
      type: "newstats";
      stats: InterfaceStats;
    }
    | { type: "newqdisc" | "delqdisc"; qdisc: Qdisc }
    | { type: "newtclass" | "deltclass"; tclass: TcClass }
    | { type: "newtfilter" | "deltfilter"; filter: Filter; change?: TcChange }
    | { type: "newchain" | "delchain"; chain: Chain; change?: TcChange }
    | { type: "newaction" | "delaction"; actions: Action[]; change?: TcChange }
    | {
      /** A bridge port's state changed (group `link`, family `bridge`: what `bridge monitor link` shows). */
      type: "newbridgeport" | "delbridgeport";
      port: BridgePort;
    }
    | { type: "newmdb" | "delmdb"; mdb: MdbMessage }
    | {
      /** Per-VLAN state on a bridge or port (group `brvlan`). */
      type: "newvlan" | "delvlan";
      vlan: BridgeVlanDbMessage;
    }
    | {
      /** The receive buffer overflowed: events were lost. Re-read the tables, or ask for `resync`. */
      type: "overrun";
    }
    | {
      /** After an overrun (with `resync`): the subscribed tables as they are now; replace your view with them. */
      type: "resync";
      tables: ResyncTables;
    }
    | {
      /** A message nlink has no event type for yet: its type and bytes. */
      type: "other";
      messageType: number;
      data: Uint8Array;
    }
  )
  & {
    /** In a merged stream ({@linkcode watchNamespaces}): the namespace it came from. */
    netns?: string;
    /**
     * With `allNsid`: the id (in the listening namespace) of the namespace the notification came from;
     * undefined for the listening namespace's own (unless it has an id for itself).
     */
    sourceNsid?: number;
  };

/**
 * What a traffic-control notification's header flags say about the request
 * behind it (the kernel copies the request's NLM_F_CREATE / EXCL / REPLACE
 * into it), as `tc monitor` tells them apart: a filter or chain `"added"`
 * (create, exclusive) or `"replaced"` (create without exclusive); an action
 * `"added"` (create) or `"replaced"` (replace); an action table `"flushed"`.
 * Absent when the flags say none of these.
 *
 * @example
 * ```ts ignore
 * for await (const ev of conn.events({ groups: ["tc"] })) {
 *   if (ev.type === "newtfilter" && ev.change === "replaced") console.log("filter replaced");
 * }
 * ```
 */
export type TcChange = "added" | "replaced" | "flushed";

/** Options for {@linkcode events}. */
export interface EventOptions {
  /** Groups to join (default: links, IPv4/IPv6 addresses and routes). */
  groups?: EventGroup[];
  /** Receive buffer in bytes (default 8 MiB; SO_RCVBUFFORCE when permitted). */
  receiveBuffer?: number;
  /** Ends the stream: its socket closes and a waiting `next()` rejects with the signal's reason (as `fetch` does). */
  signal?: AbortSignal;
  /** After an `overrun` event, re-read the subscribed tables and yield a `resync` event. */
  resync?: boolean;
  /**
   * Also receive the groups' notifications from every namespace that has an id in this one
   * (NETLINK_LISTEN_ALL_NSID, as `ip monitor all-nsid`); each such event carries that id in `sourceNsid`.
   * A `resync` still reads this namespace's tables only. Needs CAP_NET_BROADCAST.
   */
  allNsid?: boolean;
}

/** Turns a notification of one message type into an event. */
export type EventDecoder = (m: MessageView) => NetworkEvent;

/** Link messages of family AF_BRIDGE describe bridge ports. */
const isBridgePort = (m: MessageView) => headerField(LINK_MESSAGE, m, "family") === "bridge";

const linkEvent = (type: "newlink" | "dellink", port: "newbridgeport" | "delbridgeport"): EventDecoder => (m) => {
  if (isBridgePort(m)) {
    const p = decodeBridgePort(m);
    if (p !== undefined) return { type: port, port: p };
  }
  return { type, link: decodeLink(m) };
};

const DECODERS = new Map<number, EventDecoder>([
  [RTM.NEWLINK, linkEvent("newlink", "newbridgeport")],
  [RTM.DELLINK, linkEvent("dellink", "delbridgeport")],
  [RTM.NEWADDR, (m) => ({ type: "newaddr", address: decodeAddress(m) })],
  [RTM.DELADDR, (m) => ({ type: "deladdr", address: decodeAddress(m) })],
  [RTM.NEWADDRLABEL, (m) => ({ type: "newaddrlabel", label: decodeAddressLabel(m)! })],
  [RTM.DELADDRLABEL, (m) => ({ type: "deladdrlabel", label: decodeAddressLabel(m)! })],
  [RTM.NEWROUTE, (m) => ({ type: "newroute", route: decodeRoute(m) })],
  [RTM.DELROUTE, (m) => ({ type: "delroute", route: decodeRoute(m) })],
  [RTM.NEWNSID, (m) => ({ type: "newnsid", nsid: decodeNsid(m)! })],
  [RTM.DELNSID, (m) => ({ type: "delnsid", nsid: decodeNsid(m)! })],
  [RTM.NEWNEIGH, (m) => ({ type: "newneigh", neighbour: decodeNeighbour(m) })],
  [RTM.DELNEIGH, (m) => ({ type: "delneigh", neighbour: decodeNeighbour(m) })],
  [RTM.GETNEIGH, (m) => ({ type: "getneigh", neighbour: decodeNeighbour(m) })],
  [RTM.NEWRULE, (m) => ({ type: "newrule", rule: decodeRule(m) })],
  [RTM.DELRULE, (m) => ({ type: "delrule", rule: decodeRule(m) })],
  [RTM.NEWNEXTHOP, (m) => ({ type: "newnexthop", nexthop: decodeNexthop(m) })],
  [RTM.DELNEXTHOP, (m) => ({ type: "delnexthop", nexthop: decodeNexthop(m) })],
  [RTM.NEWNEXTHOPBUCKET, (m) => ({ type: "newnexthopbucket", bucket: decodeNexthopBucket(m) })],
  [RTM.DELNEXTHOPBUCKET, (m) => ({ type: "delnexthopbucket", bucket: decodeNexthopBucket(m) })],
  [RTM.NEWNETCONF, (m) => ({ type: "newnetconf", netconf: decodeNetconf(m) })],
  [RTM.DELNETCONF, (m) => ({ type: "delnetconf", netconf: decodeNetconf(m) })],
  [RTM.NEWMDB, (m) => ({ type: "newmdb", mdb: decodeMdb(m) })],
  [RTM.DELMDB, (m) => ({ type: "delmdb", mdb: decodeMdb(m) })],
  [RTM.NEWVLAN, (m) => ({ type: "newvlan", vlan: decodeBridgeVlanDb(m) })],
  [RTM.DELVLAN, (m) => ({ type: "delvlan", vlan: decodeBridgeVlanDb(m) })],
  [RTM.NEWPREFIX, (m) => ({ type: "newprefix", prefix: decodePrefix(m) })],
  [RTM.NEWSTATS, (m) => ({ type: "newstats", stats: decodeInterfaceStats(m)! })],
]);

/**
 * Registers the event for a message type (the modules for neighbours, rules,
 * nexthops, … register theirs, so that this one needs not know them all).
 *
 * @example
 * ```ts ignore
 * registerEvent(RTM.NEWNEIGH, (m) => ({ type: "newneigh", neighbour: decodeNeighbour(m) }));
 * ```
 */
export function registerEvent(messageType: number, decode: EventDecoder): void {
  DECODERS.set(messageType, decode);
}

/** Reads one table again for a resync: the group it serves and where it goes in {@linkcode ResyncTables}. */
export type ResyncReader = (conn: NetlinkConnection, groups: ReadonlySet<number>) => Promise<Partial<ResyncTables>>;

const RESYNC: ResyncReader[] = [
  async (conn, g) => (g.has(RTNLGRP.LINK) ? { links: await getLinks(conn) } : {}),
  async (conn, g) => {
    const v4 = g.has(RTNLGRP.IPV4_IFADDR), v6 = g.has(RTNLGRP.IPV6_IFADDR);
    if (!v4 && !v6) return {};
    return { addresses: await getAddresses(conn, v4 && v6 ? {} : { family: v4 ? "inet" : "inet6" }) };
  },
  async (conn, g) => {
    const fams = [
      g.has(RTNLGRP.IPV4_ROUTE) && "inet",
      g.has(RTNLGRP.IPV6_ROUTE) && "inet6",
      g.has(RTNLGRP.MPLS_ROUTE) && "mpls",
    ].filter((f): f is "inet" | "inet6" | "mpls" => !!f);
    if (fams.length === 0) return {};
    const routes: Route[] = [];
    for (const family of fams) routes.push(...await getRoutes(conn, { family }));
    return { routes };
  },
  async (conn, g) => (g.has(RTNLGRP.NEIGH) ? { neighbours: await getNeighbours(conn) } : {}),
  async (conn, g) => {
    const v4 = g.has(RTNLGRP.IPV4_RULE), v6 = g.has(RTNLGRP.IPV6_RULE);
    if (!v4 && !v6) return {};
    return { rules: await getRules(conn, v4 && v6 ? {} : { family: v4 ? "inet" : "inet6" }) };
  },
  async (conn, g) => (g.has(RTNLGRP.NEXTHOP) ? { nexthops: await getNexthops(conn) } : {}),
  async (conn, g) => {
    const fams = [
      g.has(RTNLGRP.IPV4_NETCONF) && "inet",
      g.has(RTNLGRP.IPV6_NETCONF) && "inet6",
      g.has(RTNLGRP.MPLS_NETCONF) && "mpls",
    ].filter((f): f is NetconfFamily => !!f);
    if (fams.length === 0) return {};
    const netconf: Netconf[] = [];
    for (const family of fams) netconf.push(...await getNetconfs(conn, { family }));
    return { netconf };
  },
];

/**
 * Registers a table reader for resyncs (neighbours, rules, nexthops, …).
 *
 * @example
 * ```ts ignore
 * registerResync(async (conn, g) => (g.has(RTNLGRP.NEIGH) ? { neighbours: await getNeighbours(conn) } : {}));
 * ```
 */
export function registerResync(reader: ResyncReader): void {
  RESYNC.push(reader);
}

/**
 * Decodes one notification message.
 *
 * @example
 * ```ts ignore
 * import { decodeEvent } from "./events.ts";
 * const ev = decodeEvent(msg); // { type: "newroute", route: {...} }
 * ```
 */
export function decodeEvent(m: MessageView): NetworkEvent {
  const decode = DECODERS.get(m.type);
  if (decode) return decode(m);
  return { type: "other", messageType: m.type, data: m.bytes.slice(m.offset, m.offset + m.length) };
}

/**
 * Subscribes to notifications in the connection's namespace. The stream owns
 * its own socket: breaking out of the loop (or aborting `signal`) closes it;
 * closing the connection ends the stream. With `resync`, an overrun is
 * followed by a `resync` event holding the subscribed tables, read through
 * `conn` after the overrun (so every change before it is in them).
 * `subscribed`, when given, is a socket already joined to the groups
 * ({@linkcode subscribeEvents}), which the stream then owns. With `allNsid`,
 * notifications from every namespace that has an id in this one arrive too,
 * each tagged with that id in `sourceNsid`.
 *
 * @example
 * ```ts ignore
 * for await (const ev of events(conn, { groups: ["link"] })) {
 *   if (ev.type === "newlink") console.log(ev.link.name, ev.link.operstate);
 * }
 * for await (const ev of events(conn, { groups: ["link"], allNsid: true })) {
 *   console.log(ev.sourceNsid ?? "here", ev.type);
 * }
 * ```
 */
export async function* events(
  conn: NetlinkConnection,
  options: EventOptions = {},
  subscribed?: NetlinkSocket,
): AsyncGenerator<NetworkEvent> {
  const groups = eventGroupNumbers(options);
  const socket = subscribed ?? subscribeEvents(conn, options);
  try {
    // Traffic control's decoders and table reader load (and register) only for streams that want them.
    if (groups.includes(RTNLGRP.TC)) await import("../tc/events.ts");
    yield* notifications(
      socket,
      options.allNsid ? decodeEventFromNsid : decodeEvent,
      async function* overrun(): AsyncGenerator<NetworkEvent> {
        yield { type: "overrun" };
        if (options.resync) yield { type: "resync", tables: await readTables(conn, new Set(groups)) };
      },
      options.signal,
      options.allNsid,
    );
  } finally {
    socket.close();
  }
}

/** {@linkcode decodeEvent}, tagged with the namespace id the notification came from (when it has one). */
function decodeEventFromNsid(m: MessageView, nsid: number | undefined): NetworkEvent {
  const ev = decodeEvent(m);
  if (nsid !== undefined) ev.sourceNsid = nsid;
  return ev;
}

async function readTables(conn: NetlinkConnection, groups: ReadonlySet<number>): Promise<ResyncTables> {
  const tables: ResyncTables = {};
  for (const read of RESYNC) Object.assign(tables, await read(conn, groups));
  return tables;
}

/** A namespace for {@linkcode watchNamespaces}: its connection and the label its events carry. */
export interface WatchedNamespace {
  /** A connection opened in that namespace. */
  conn: NetlinkConnection;
  /** The label put in each event's `netns` (e.g. the namespace's name; "" for your own). */
  label: string;
}

/**
 * Several namespaces' notifications merged into one stream, each event tagged
 * with its namespace's label. Breaking out (or aborting `signal`) ends every
 * subscription at once.
 *
 * @example
 * ```ts ignore
 * const blue = await Connection.open({ netns: "blue" });
 * const red = await Connection.open({ netns: "red" });
 * for await (const ev of watchNamespaces([{ conn: blue, label: "blue" }, { conn: red, label: "red" }])) {
 *   console.log(ev.netns, ev.type);
 * }
 * ```
 */
export async function* watchNamespaces(
  namespaces: WatchedNamespace[],
  options: EventOptions = {},
): AsyncGenerator<NetworkEvent> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const streams = namespaces.map((ns) => events(ns.conn, { ...options, signal: stop.signal }));
  type Next = { i: number; r: IteratorResult<NetworkEvent> };
  const pending = new Map<number, Promise<Next>>();
  const ask = (i: number) => pending.set(i, streams[i].next().then((r) => ({ i, r })));
  streams.forEach((_, i) => ask(i));
  try {
    while (pending.size > 0) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) {
        pending.delete(i);
        continue;
      }
      ask(i);
      yield { ...r.value, netns: namespaces[i].label };
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    if (!stop.signal.aborted) stop.abort(new Error("merged event stream closed"));
    // Every source is now failing its wait; let them finish so their sockets close.
    await Promise.allSettled([...pending.values()]);
    await Promise.allSettled(streams.map((s) => s.return(undefined)));
  }
}
