/**
 * {@linkcode Connection}: an rtnetlink connection with typed operations on
 * links, addresses and routes, batches and events.
 *
 * @module
 */
import { type ConnectionOptions, NetlinkConnection } from "../core/connection.ts";
import { NETLINK } from "../../ffi/constants.ts";
import { LazyModule } from "../core/lazy.ts";
import type { MessageView } from "../core/message.ts";
import type { Address, AddressOptions, FlushAddressesOptions, GetAddressesOptions } from "./addr.ts";
import { Batch } from "./batch.ts";
import type {
  BridgePortVlans,
  BridgeVlanEntry,
  BridgeVlanGlobalOptions,
  BridgeVlanGlobalSetOptions,
  BridgeVlanOptions,
  BridgeVlanSetOptions,
  GetBridgeVlanEntriesOptions,
  GetBridgeVlanGlobalOptionsOptions,
  GetBridgeVlansOptions,
} from "./bridge_vlan.ts";
import type { BridgePort, BridgePortOptions, GetBridgePortsOptions } from "./bridge_port.ts";
import type { FdbEntry, FdbLookup, FdbOptions, FlushFdbOptions, GetFdbOptions } from "./fdb.ts";
import type { GetMdbOptions, Mdb, MdbOptions } from "./mdb.ts";
import type {
  FlushNeighboursOptions,
  GetNeighbourOptions,
  GetNeighboursOptions,
  Neighbour,
  NeighbourOptions,
} from "./neigh.ts";
import type { GetNeighbourTablesOptions, NeighbourTable, SetNeighbourTableOptions } from "./neightbl.ts";
import type { GetNetconfOptions, GetNetconfsOptions, Netconf } from "./netconf.ts";
import type {
  GetNexthopBucketsOptions,
  GetNexthopsOptions,
  Nexthop,
  NexthopBucket,
  NexthopObjectOptions,
} from "./nexthop.ts";
import type { FlushRoutesOptions } from "./route_flush.ts";
import type { RouteGetOptions } from "./route_get.ts";
import type { FlushRulesOptions, GetRulesOptions, Rule, RuleOptions, SaveRulesOptions } from "./rule.ts";
import type { EventOptions, NetworkEvent } from "./events.ts";
import { subscribeEvents } from "./event_subscribe.ts";
import type { GetLinksOptions, NewLinkXdpOptions, SetLinkOptions, SetLinkXdpOptions } from "./link.ts";
import { type Dev, getLinkNames, type GetLinkNamesOptions, type LinkName, resolveDev } from "./link_lookup.ts";
import type { Link } from "./link_types.ts";
import type { NamespaceId } from "./nsid.ts";
import type { Ipv6Token } from "./token.ts";
import type { AddressLabel, AddressLabelOptions, GetAddressLabelsOptions } from "./addrlabel.ts";
import type { LinkCounters, StatsSnapshot } from "./stats.ts";
import type { NetnsTarget } from "../netns/mod.ts";
import type { DeleteQdiscOptions, GetQdiscsOptions, Qdisc, QdiscOptions } from "../tc/qdisc.ts";
import type { ClassOptions, GetClassesOptions, TcClass } from "../tc/class.ts";
import type { Filter, FilterOptions, FilterPlace, FilterSelector, GetFiltersOptions } from "../tc/filter.ts";
import type { Chain, ChainOptions } from "../tc/chain.ts";
import type { Action, ActionOptions } from "../tc/action.ts";
import type { DumpOptions } from "../core/connection.ts";
import type { LinkModes } from "../genl/ethtool/linkmodes.ts";
import type {
  MptcpEndpoint,
  MptcpEndpointChange,
  MptcpEndpointOptions,
  MptcpEndpointSelector,
  MptcpLimits,
} from "../genl/mptcp/endpoints.ts";
import type { MptcpEventItem, MptcpEventOptions } from "../genl/mptcp/events.ts";
import type { Seg6Hmac, Seg6HmacOptions } from "../genl/seg6/seg6.ts";
import type {
  TcpMetricsEntry,
  TcpMetricsFilter,
  TcpMetricsFlushOptions,
  TcpMetricsSelector,
} from "../genl/tcp_metrics/tcp_metrics.ts";
import type { IoamNamespace, IoamNamespaceOptions, IoamSchema, IoamSchemaOptions } from "../genl/ioam6/ioam6.ts";

import type { GetRoutesOptions, Route, RouteOptions } from "./route.ts";

// Each group of operations loads on its first use, so that a program pays at start-up only for what it
// calls (`ip link show` loads no address, route, neighbour, rule or bridge code). Calls after the first go
// straight to the loaded module (LazyModule.call), so the hot paths (route dumps) pay nothing per call.
const ADDR = new LazyModule(() => import("./addr.ts"));
const ROUTE = new LazyModule(() => import("./route.ts"));
const LINK = new LazyModule(() => import("./link.ts"));
/** Reading links: neither the change builders nor the kinds (see link_kind_registry.ts). */
const LINK_READ = new LazyModule(() => import("./link_read.ts"));
const BRIDGE_VLAN = new LazyModule(() => import("./bridge_vlan.ts"));
const BRIDGE_PORT = new LazyModule(() => import("./bridge_port.ts"));
const FDB = new LazyModule(() => import("./fdb.ts"));
const MDB = new LazyModule(() => import("./mdb.ts"));
const NEIGH = new LazyModule(() => import("./neigh.ts"));
const NEIGHTBL = new LazyModule(() => import("./neightbl.ts"));
const NETCONF = new LazyModule(() => import("./netconf.ts"));
const NEXTHOP = new LazyModule(() => import("./nexthop.ts"));
const ROUTE_FLUSH = new LazyModule(() => import("./route_flush.ts"));
const ROUTE_GET = new LazyModule(() => import("./route_get.ts"));
const RULE = new LazyModule(() => import("./rule.ts"));
const EVENTS = new LazyModule(() => import("./events.ts"));
const ADDRLABEL = new LazyModule(() => import("./addrlabel.ts"));
const TOKEN = new LazyModule(() => import("./token.ts"));
const NSID = new LazyModule(() => import("./nsid.ts"));
const STATS = new LazyModule(() => import("./stats.ts"));

/**
 * A connection to the kernel's routing subsystem (NETLINK_ROUTE), in the
 * caller's network namespace or another one. Requests may be issued
 * concurrently; replies are matched by sequence number.
 *
 * @example
 * ```ts ignore
 * import { Connection } from "@nlink/nlink";
 * using conn = await Connection.open();
 * for (const link of await conn.getLinks()) console.log(link.index, link.name);
 * await conn.addRoute({ dst: "10.0.0.0/24", dev: "p0" });
 * ```
 */
export class Connection extends NetlinkConnection {
  /**
   * Opens a connection, optionally inside a network namespace:
   * `{ netns: "blue" }`, `{ netns: { pid: 1234 } }`, `{ netns: { path } }`.
   *
   * @example
   * ```ts ignore
   * const conn = await Connection.open({ netns: "blue" });
   * ```
   */
  static open(options: ConnectionOptions = {}): Promise<Connection> {
    try {
      const [socket, netns, ns] = NetlinkConnection.openSocket(NETLINK.ROUTE, options);
      return Promise.resolve(new Connection(socket, netns, ns));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  // ------------------------------------------------------------------ links

  /** Every link, fully decoded (filters: kind, master). */
  getLinks(options?: GetLinksOptions): Promise<Link[]> {
    return LINK_READ.call((m) => m.getLinks(this, options));
  }
  /** Links one at a time, without building the list. */
  streamLinks(options?: GetLinksOptions): AsyncGenerator<Link> {
    return LINK_READ.stream((m) => m.streamLinks(this, options));
  }
  /** One link by name or index; rejects with ENODEV (`isNotFound()`) when absent. */
  getLink(dev: Dev): Promise<Link> {
    return LINK_READ.call((m) => m.getLink(this, dev));
  }
  /**
   * The link a command line names, looked up with the request iproute2's
   * commands send for a device word; `undefined` when there is none.
   */
  findLink(name: string): Promise<Link | undefined> {
    return LINK_READ.call((m) => m.findLink(this, name));
  }
  /**
   * The routing table of VRF device `name` (`undefined` when the link is not a
   * VRF; rejects with ENODEV when there is none), asked as iproute2 asks for a
   * `vrf NAME` word, with `family` as its `-4`/`-6` (default 0).
   */
  getVrfTable(name: string, family?: number): Promise<number | undefined> {
    return LINK_READ.call((m) => m.getVrfTable(this, name, family));
  }
  /**
   * The length in bytes of link `index`'s hardware address (`undefined` when
   * it has none), asked as iproute2 asks before it sets an address, with
   * `family` as its `-4`/`-6` (default 0).
   */
  getLinkAddressLength(index: number, family?: number): Promise<number | undefined> {
    return LINK_READ.call((m) => m.getLinkAddressLength(this, index, family));
  }
  /**
   * Every link's index, name, flags and alternative names, decoded from one
   * dump without the rest (a name table; much lighter than `getLinks`).
   */
  getLinkNames(options?: GetLinkNamesOptions): Promise<LinkName[]> {
    return getLinkNames(this, options);
  }
  /** The ifindex of a device name (looked up in this connection's namespace). */
  resolveDev(dev: Dev): Promise<number> {
    return resolveDev(this, dev);
  }
  /** `ip link set DEV up`. */
  setLinkUp(dev: Dev): Promise<void> {
    return LINK.call((m) => m.setLink(this, dev, { up: true }));
  }
  /** `ip link set DEV down`. */
  setLinkDown(dev: Dev): Promise<void> {
    return LINK.call((m) => m.setLink(this, dev, { up: false }));
  }
  /**
   * `ip link set DEV …`: MTU, name, address, alias, master, flags, namespace
   * (`netns`), queues, GSO/GRO limits, carrier, an XDP program (`xdp: { pinned, mode }`), and kind settings
   * (`type: { kind: "bond", miimon: 100 }`) in one request.
   */
  setLink(dev: Dev, options: SetLinkXdpOptions): Promise<void> {
    return LINK.call((m) => m.setLink(this, dev, options));
  }
  /**
   * `ip link add [NAME] type KIND …`: every kind typed (`{ kind: "vxlan", name, id, … }`); without a name
   * the kernel picks one (`veth0`, `bridge0`, …); `carrier` and `xdp` are sent as iproute2 sends them.
   */
  addLink(options: NewLinkXdpOptions): Promise<void> {
    return LINK.call((m) => m.addLink(this, options));
  }
  /**
   * `ip link replace [NAME] type KIND …`: as addLink but with NLM_F_CREATE | NLM_F_REPLACE (no NLM_F_EXCL); the
   * kernel still refuses an existing device (EOPNOTSUPP). Without a name the kernel names the link.
   */
  replaceLink(options: NewLinkXdpOptions): Promise<void> {
    return LINK.call((m) => m.replaceLink(this, options));
  }
  /** `ip link del DEV`. */
  delLink(dev: Dev): Promise<void> {
    return LINK.call((m) => m.delLink(this, dev));
  }
  /** `ip link set group G …`: the changes applied by the kernel to every link of device group G. */
  setLinkGroup(group: number, options: SetLinkOptions): Promise<void> {
    return LINK.call((m) => m.setLinkGroup(this, group, options));
  }
  /** `ip link del group G`: every link of device group G. */
  delLinkGroup(group: number): Promise<void> {
    return LINK.call((m) => m.delLinkGroup(this, group));
  }
  /** `ip link property add dev DEV altname NAME…`: alternative names (one or several). */
  addAltName(dev: Dev, name: string | readonly string[]): Promise<void> {
    return LINK.call((m) => m.addAltName(this, dev, name));
  }
  /** `ip link property del dev DEV altname NAME…`. */
  delAltName(dev: Dev, name: string | readonly string[]): Promise<void> {
    return LINK.call((m) => m.delAltName(this, dev, name));
  }

  // -------------------------------------------------------------- addresses

  /** Every address, fully decoded (filters: family, dev). */
  getAddresses(options?: GetAddressesOptions): Promise<Address[]> {
    return ADDR.call((m) => m.getAddresses(this, options));
  }
  /** Addresses one at a time. */
  streamAddresses(options?: GetAddressesOptions): AsyncGenerator<Address> {
    return ADDR.stream((m) => m.streamAddresses(this, options));
  }
  /** `ip address add`. */
  addAddress(options: AddressOptions): Promise<void> {
    return ADDR.call((m) => m.addAddress(this, options));
  }
  /** `ip address replace`. */
  replaceAddress(options: AddressOptions): Promise<void> {
    return ADDR.call((m) => m.replaceAddress(this, options));
  }
  /** `ip address change`: NLM_F_REPLACE without NLM_F_CREATE. */
  changeAddress(options: AddressOptions): Promise<void> {
    return ADDR.call((m) => m.changeAddress(this, options));
  }
  /** `ip address del`. */
  delAddress(options: AddressOptions): Promise<void> {
    return ADDR.call((m) => m.delAddress(this, options));
  }
  /** `ip address flush`: deletes the matching addresses and returns them (at least one filter). */
  flushAddresses(options?: FlushAddressesOptions): Promise<Address[]> {
    return ADDR.call((m) => m.flushAddresses(this, options));
  }
  /** The IPv6 address-label table (`ip addrlabel list`). */
  getAddressLabels(options?: GetAddressLabelsOptions): Promise<AddressLabel[]> {
    return ADDRLABEL.call((m) => m.getAddressLabels(this, options));
  }
  /** `ip addrlabel add prefix P [dev D] label L`. */
  addAddressLabel(options: AddressLabelOptions): Promise<void> {
    return ADDRLABEL.call((m) => m.addAddressLabel(this, options));
  }
  /** `ip addrlabel del prefix P [dev D] label L`. */
  delAddressLabel(options: AddressLabelOptions): Promise<void> {
    return ADDRLABEL.call((m) => m.delAddressLabel(this, options));
  }
  /** `ip addrlabel flush`: deletes every entry, the defaults too, and returns them. */
  flushAddressLabels(): Promise<AddressLabel[]> {
    return ADDRLABEL.call((m) => m.flushAddressLabels(this));
  }
  /** Every link's IPv6 token (`ip token list`). */
  getIpv6Tokens(options?: DumpOptions): Promise<Ipv6Token[]> {
    return TOKEN.call((m) => m.getIpv6Tokens(this, options));
  }
  /** `ip token set TOKEN dev DEV` (`"::"` removes it, as `ip token del dev DEV`). */
  setIpv6Token(dev: Dev, token: string): Promise<void> {
    return TOKEN.call((m) => m.setIpv6Token(this, dev, token));
  }

  // ----------------------------------------------------------------- routes

  /** Every route, fully decoded (filters: family, table, protocol, type, dev). */
  getRoutes(options?: GetRoutesOptions): Promise<Route[]> {
    return ROUTE.call((m) => m.getRoutes(this, options));
  }
  /** Each route to `fn` as it is decoded, building no list (the cheapest way through a big table). */
  forEachRoute(options: GetRoutesOptions, fn: (route: Route) => void): Promise<void> {
    return ROUTE.call((m) => m.forEachRoute(this, options, fn));
  }
  /** Each route's message undecoded, to read in place, with a function that decodes it. */
  forEachRouteMessage(
    options: GetRoutesOptions,
    fn: (message: MessageView, decode: () => Route) => void,
  ): Promise<void> {
    return ROUTE.call((m) => m.forEachRouteMessage(this, options, fn));
  }
  /** Routes one at a time, reading the kernel only as fast as they are consumed. */
  streamRoutes(options?: GetRoutesOptions): AsyncGenerator<Route> {
    return ROUTE.stream((m) => m.streamRoutes(this, options));
  }
  /** `ip route add`. */
  addRoute(options: RouteOptions): Promise<void> {
    return ROUTE.call((m) => m.addRoute(this, options));
  }
  /** `ip route replace`. */
  replaceRoute(options: RouteOptions): Promise<void> {
    return ROUTE.call((m) => m.replaceRoute(this, options));
  }
  /** `ip route append`. */
  appendRoute(options: RouteOptions): Promise<void> {
    return ROUTE.call((m) => m.appendRoute(this, options));
  }
  /** `ip route prepend`. */
  prependRoute(options: RouteOptions): Promise<void> {
    return ROUTE.call((m) => m.prependRoute(this, options));
  }
  /** `ip route change`. */
  changeRoute(options: RouteOptions): Promise<void> {
    return ROUTE.call((m) => m.changeRoute(this, options));
  }
  /** `ip route del`. */
  delRoute(options: RouteOptions): Promise<void> {
    return ROUTE.call((m) => m.delRoute(this, options));
  }
  /** `ip route get`: the route the kernel would use for a destination (with `fibmatch`, the FIB entry). */
  getRoute(options: RouteGetOptions): Promise<Route> {
    return ROUTE_GET.call((m) => m.getRoute(this, options));
  }
  /** `ip route flush`: deletes the matching routes and returns them. */
  flushRoutes(options?: FlushRoutesOptions): Promise<Route[]> {
    return ROUTE_FLUSH.call((m) => m.flushRoutes(this, options));
  }

  // --------------------------------------------------------------- nexthops

  /** Nexthop objects (`ip nexthop show`; filters: dev, groups, fdb, master, id). */
  getNexthops(options?: GetNexthopsOptions): Promise<Nexthop[]> {
    return NEXTHOP.call((m) => m.getNexthops(this, options));
  }
  /** Nexthop objects one at a time. */
  streamNexthops(options?: Omit<GetNexthopsOptions, "id">): AsyncGenerator<Nexthop> {
    return NEXTHOP.stream((m) => m.streamNexthops(this, options));
  }
  /** One nexthop object by id; rejects with ENOENT (`isNotFound()`) when absent. */
  getNexthop(id: number): Promise<Nexthop> {
    return NEXTHOP.call((m) => m.getNexthop(this, id));
  }
  /** `ip nexthop add`: a gateway/device, blackhole or group object. */
  addNexthop(options: NexthopObjectOptions): Promise<void> {
    return NEXTHOP.call((m) => m.addNexthop(this, options));
  }
  /** `ip nexthop replace`. */
  replaceNexthop(options: NexthopObjectOptions): Promise<void> {
    return NEXTHOP.call((m) => m.replaceNexthop(this, options));
  }
  /** `ip nexthop del id ID`. */
  delNexthop(id: number): Promise<void> {
    return NEXTHOP.call((m) => m.delNexthop(this, id));
  }
  /** The buckets of resilient groups (`ip nexthop bucket show`). */
  getNexthopBuckets(options?: GetNexthopBucketsOptions): Promise<NexthopBucket[]> {
    return NEXTHOP.call((m) => m.getNexthopBuckets(this, options));
  }
  /** One bucket of a resilient group (`ip nexthop bucket get id ID index N`). */
  getNexthopBucket(id: number, index: number): Promise<NexthopBucket> {
    return NEXTHOP.call((m) => m.getNexthopBucket(this, id, index));
  }

  // ------------------------------------------------------------------ rules

  /** Policy routing rules (`ip rule show`; filters: family, table, priority, …). */
  getRules(options?: GetRulesOptions): Promise<Rule[]> {
    return RULE.call((m) => m.getRules(this, options));
  }
  /** Rules one at a time. */
  streamRules(options?: GetRulesOptions): AsyncGenerator<Rule> {
    return RULE.stream((m) => m.streamRules(this, options));
  }
  /** `ip rule add`. */
  addRule(options: RuleOptions): Promise<void> {
    return RULE.call((m) => m.addRule(this, options));
  }
  /** `ip rule del`. */
  delRule(options: RuleOptions): Promise<void> {
    return RULE.call((m) => m.delRule(this, options));
  }
  /** `ip rule flush`: deletes the matching rules (never the defaults) and returns them. */
  flushRules(options?: FlushRulesOptions): Promise<Rule[]> {
    return RULE.call((m) => m.flushRules(this, options));
  }
  /** `ip rule save`: a family's rules as iproute2's rule dump file (default `inet`). */
  saveRules(options?: SaveRulesOptions): Promise<Uint8Array> {
    return RULE.call((m) => m.saveRules(this, options));
  }
  /** `ip rule restore`: sends back each rule of a rule dump file (from either tool), in order. */
  restoreRules(file: Uint8Array): Promise<void> {
    return RULE.call((m) => m.restoreRules(this, file));
  }

  // ------------------------------------------------------------- neighbours

  /** The neighbour (ARP / NDP) cache (`ip neigh show`; filters: dev, family, state, master, proxy). */
  getNeighbours(options?: GetNeighboursOptions): Promise<Neighbour[]> {
    return NEIGH.call((m) => m.getNeighbours(this, options));
  }
  /** Neighbours one at a time. */
  streamNeighbours(options?: GetNeighboursOptions): AsyncGenerator<Neighbour> {
    return NEIGH.stream((m) => m.streamNeighbours(this, options));
  }
  /** One entry (`ip neigh get ADDR dev DEV`); rejects with ENOENT when absent. */
  getNeighbour(options: GetNeighbourOptions): Promise<Neighbour> {
    return NEIGH.call((m) => m.getNeighbour(this, options));
  }
  /** `ip neigh add` (or a proxy entry with `proxy: true`). */
  addNeighbour(options: NeighbourOptions): Promise<void> {
    return NEIGH.call((m) => m.addNeighbour(this, options));
  }
  /** `ip neigh replace`. */
  replaceNeighbour(options: NeighbourOptions): Promise<void> {
    return NEIGH.call((m) => m.replaceNeighbour(this, options));
  }
  /** `ip neigh change`. */
  changeNeighbour(options: NeighbourOptions): Promise<void> {
    return NEIGH.call((m) => m.changeNeighbour(this, options));
  }
  /** `ip neigh del`. */
  delNeighbour(options: NeighbourOptions): Promise<void> {
    return NEIGH.call((m) => m.delNeighbour(this, options));
  }
  /** `ip neigh flush`: deletes the matching entries and returns them. */
  flushNeighbours(options?: FlushNeighboursOptions): Promise<Neighbour[]> {
    return NEIGH.call((m) => m.flushNeighbours(this, options));
  }
  /** Neighbour tables and their parameters (`ip ntable show`). */
  getNeighbourTables(options?: GetNeighbourTablesOptions): Promise<NeighbourTable[]> {
    return NEIGHTBL.call((m) => m.getNeighbourTables(this, options));
  }
  /** `ip ntable change`: thresholds, GC interval, per-device parameters. */
  setNeighbourTable(options: SetNeighbourTableOptions): Promise<void> {
    return NEIGHTBL.call((m) => m.setNeighbourTable(this, options));
  }

  // ---------------------------------------------------------------- netconf

  /** Per-device (or all/default) IP configuration (`ip netconf show dev DEV`). */
  getNetconf(options: GetNetconfOptions): Promise<Netconf> {
    return NETCONF.call((m) => m.getNetconf(this, options));
  }
  /** Every device's IP configuration (`ip netconf show`). */
  getNetconfs(options?: GetNetconfsOptions): Promise<Netconf[]> {
    return NETCONF.call((m) => m.getNetconfs(this, options));
  }

  // ---------------------------------------------------------------- bridges

  /** Forwarding database entries (`bridge fdb show`; filters: dev, master, …). */
  getFdb(options?: GetFdbOptions): Promise<FdbEntry[]> {
    return FDB.call((m) => m.getFdb(this, options));
  }
  /** FDB entries one at a time. */
  streamFdb(options?: GetFdbOptions): AsyncGenerator<FdbEntry> {
    return FDB.stream((m) => m.streamFdb(this, options));
  }
  /** One FDB entry (`bridge fdb get MAC dev DEV`); ENOENT when there is none. */
  getFdbEntry(options: FdbLookup): Promise<FdbEntry> {
    return FDB.call((m) => m.getFdbEntry(this, options));
  }
  /** `bridge fdb add`. */
  addFdb(options: FdbOptions): Promise<void> {
    return FDB.call((m) => m.addFdb(this, options));
  }
  /** `bridge fdb append` (several remotes for one MAC on VXLAN). */
  appendFdb(options: FdbOptions): Promise<void> {
    return FDB.call((m) => m.appendFdb(this, options));
  }
  /** `bridge fdb replace`. */
  replaceFdb(options: FdbOptions): Promise<void> {
    return FDB.call((m) => m.replaceFdb(this, options));
  }
  /** `bridge fdb del`. */
  delFdb(options: FdbOptions): Promise<void> {
    return FDB.call((m) => m.delFdb(this, options));
  }
  /** `bridge fdb flush` (bulk delete in the kernel). */
  flushFdb(options: FlushFdbOptions): Promise<void> {
    return FDB.call((m) => m.flushFdb(this, options));
  }
  /** Bridge ports and their settings (`bridge link show`). */
  getBridgePorts(options?: GetBridgePortsOptions): Promise<BridgePort[]> {
    return BRIDGE_PORT.call((m) => m.getBridgePorts(this, options));
  }
  /** `bridge link set dev DEV …`: cost, priority, learning, flooding, isolation, … */
  setBridgePort(dev: Dev, options: BridgePortOptions): Promise<void> {
    return BRIDGE_PORT.call((m) => m.setBridgePort(this, dev, options));
  }
  /** Per-port VLAN membership (`bridge vlan show`). */
  getBridgeVlans(options?: GetBridgeVlansOptions): Promise<BridgePortVlans[]> {
    return BRIDGE_VLAN.call((m) => m.getBridgeVlans(this, options));
  }
  /** `bridge vlan add`. */
  addBridgeVlan(options: BridgeVlanOptions): Promise<void> {
    return BRIDGE_VLAN.call((m) => m.addBridgeVlan(this, options));
  }
  /** `bridge vlan del`. */
  delBridgeVlan(options: BridgeVlanOptions): Promise<void> {
    return BRIDGE_VLAN.call((m) => m.delBridgeVlan(this, options));
  }
  /** Per-VLAN state and statistics through RTM_GETVLAN (`bridge -s vlan show`). */
  getBridgeVlanEntries(options?: GetBridgeVlanEntriesOptions): Promise<BridgeVlanEntry[]> {
    return BRIDGE_VLAN.call((m) => m.getBridgeVlanEntries(this, options));
  }
  /** `bridge vlan set`: per-VLAN STP state, multicast router, … */
  setBridgeVlan(options: BridgeVlanSetOptions): Promise<void> {
    return BRIDGE_VLAN.call((m) => m.setBridgeVlan(this, options));
  }
  /** A bridge's global per-VLAN options (`bridge vlan global show`). */
  getBridgeVlanGlobalOptions(options?: GetBridgeVlanGlobalOptionsOptions): Promise<BridgeVlanGlobalOptions[]> {
    return BRIDGE_VLAN.call((m) => m.getBridgeVlanGlobalOptions(this, options));
  }
  /** `bridge vlan global set`. */
  setBridgeVlanGlobalOptions(options: BridgeVlanGlobalSetOptions): Promise<void> {
    return BRIDGE_VLAN.call((m) => m.setBridgeVlanGlobalOptions(this, options));
  }
  /** The multicast database (`bridge mdb show`): groups and router ports. */
  getMdb(options?: GetMdbOptions): Promise<Mdb> {
    return MDB.call((m) => m.getMdb(this, options));
  }
  /** `bridge mdb add`. */
  addMdb(options: MdbOptions): Promise<void> {
    return MDB.call((m) => m.addMdb(this, options));
  }
  /** `bridge mdb del`. */
  delMdb(options: MdbOptions): Promise<void> {
    return MDB.call((m) => m.delMdb(this, options));
  }

  // ------------------------------------------------------------ statistics

  /** The 64-bit counters of every link (or one), through RTM_GETSTATS. */
  getLinkStats(options?: { dev?: Dev }): Promise<LinkCounters[]> {
    return STATS.call((m) => m.getLinkStats(this, options));
  }
  /** Every link's counters now; `statsDelta(a, b)` or a `StatsTracker` turn two into rates. */
  takeStatsSnapshot(options?: { dev?: Dev }): Promise<StatsSnapshot> {
    return STATS.call((m) => m.takeStatsSnapshot(this, options));
  }

  // ------------------------------------------------------- namespace ids

  /** The id this connection's namespace uses for another namespace (-1: none assigned). */
  getNsid(target: NetnsTarget): Promise<number> {
    return NSID.call((m) => m.getNsid(this, target));
  }
  /** Assigns an id to another namespace here (`ip netns set NAME NSID`; -1: the next free one). */
  setNsid(target: NetnsTarget, nsid: number): Promise<void> {
    return NSID.call((m) => m.setNsid(this, target, nsid));
  }
  /** Every namespace id assigned here (`ip netns list-id`). */
  getNsids(): Promise<NamespaceId[]> {
    return NSID.call((m) => m.getNsids(this));
  }
  /** Names under /var/run/netns for the assigned ids (`link-netns NAME` in `ip link`). */
  getNsidNames(): Promise<Map<number, string>> {
    return NSID.call((m) => m.getNsidNames(this));
  }

  // ------------------------------------------------------- traffic control
  // Loaded on first use: a program that never touches traffic control (the
  // `ip` tool) does not pay for compiling it at start-up.

  /** Qdiscs, decoded completely (`tc qdisc show [dev D]`). */
  async getQdiscs(options?: GetQdiscsOptions): Promise<Qdisc[]> {
    return (await import("../tc/qdisc.ts")).getQdiscs(this, options);
  }

  /** Streams qdiscs one by one. */
  async *streamQdiscs(options?: GetQdiscsOptions): AsyncGenerator<Qdisc> {
    yield* (await import("../tc/qdisc.ts")).streamQdiscs(this, options);
  }

  /** Adds a qdisc (`tc qdisc add`): `{ dev, parent?, handle?, kind, …kind options }`. */
  async addQdisc(options: QdiscOptions): Promise<void> {
    return (await import("../tc/qdisc.ts")).addQdisc(this, options);
  }

  /** Adds or replaces a qdisc (`tc qdisc replace`). */
  async replaceQdisc(options: QdiscOptions): Promise<void> {
    return (await import("../tc/qdisc.ts")).replaceQdisc(this, options);
  }

  /** Changes a qdisc's options (`tc qdisc change`). */
  async changeQdisc(options: QdiscOptions): Promise<void> {
    return (await import("../tc/qdisc.ts")).changeQdisc(this, options);
  }

  /** Deletes a qdisc (`tc qdisc del`). */
  async deleteQdisc(options: DeleteQdiscOptions): Promise<void> {
    return (await import("../tc/qdisc.ts")).deleteQdisc(this, options);
  }

  /** A device's classes (`tc class show dev D`). */
  async getClasses(options: GetClassesOptions): Promise<TcClass[]> {
    return (await import("../tc/class.ts")).getClasses(this, options);
  }

  /** Adds a class (`tc class add`). */
  async addClass(options: ClassOptions): Promise<void> {
    return (await import("../tc/class.ts")).addClass(this, options);
  }

  /** Adds or replaces a class (`tc class replace`). */
  async replaceClass(options: ClassOptions): Promise<void> {
    return (await import("../tc/class.ts")).replaceClass(this, options);
  }

  /** Changes a class (`tc class change`). */
  async changeClass(options: ClassOptions): Promise<void> {
    return (await import("../tc/class.ts")).changeClass(this, options);
  }

  /** Deletes a class (`tc class del`). */
  async deleteClass(options: { dev: Dev; classid: string | number; parent?: string | number }): Promise<void> {
    return (await import("../tc/class.ts")).deleteClass(this, options);
  }

  /** A device's or block's filters (`tc filter show`). */
  async getFilters(options: GetFiltersOptions): Promise<Filter[]> {
    return (await import("../tc/filter.ts")).getFilters(this, options);
  }

  /** Streams filters one by one. */
  async *streamFilters(options: GetFiltersOptions): AsyncGenerator<Filter> {
    yield* (await import("../tc/filter.ts")).streamFilters(this, options);
  }

  /** One filter (`tc filter get`). */
  async getFilter(options: FilterSelector): Promise<Filter> {
    return (await import("../tc/filter.ts")).getFilter(this, options);
  }

  /** Adds a filter (`tc filter add`). */
  async addFilter(options: FilterOptions): Promise<void> {
    return (await import("../tc/filter.ts")).addFilter(this, options);
  }

  /** Adds or replaces a filter (`tc filter replace`). */
  async replaceFilter(options: FilterOptions): Promise<void> {
    return (await import("../tc/filter.ts")).replaceFilter(this, options);
  }

  /** Changes a filter (`tc filter change`). */
  async changeFilter(options: FilterOptions): Promise<void> {
    return (await import("../tc/filter.ts")).changeFilter(this, options);
  }

  /** Deletes filters (`tc filter del`). */
  async deleteFilter(options: FilterSelector): Promise<void> {
    return (await import("../tc/filter.ts")).deleteFilter(this, options);
  }

  /** Chains (`tc chain show`). */
  async getChains(options: FilterPlace & DumpOptions): Promise<Chain[]> {
    return (await import("../tc/chain.ts")).getChains(this, options);
  }

  /** Adds a chain (`tc chain add`). */
  async addChain(options: ChainOptions): Promise<void> {
    return (await import("../tc/chain.ts")).addChain(this, options);
  }

  /** Deletes a chain (`tc chain del`). */
  async deleteChain(options: ChainOptions): Promise<void> {
    return (await import("../tc/chain.ts")).deleteChain(this, options);
  }

  /** Adds shared actions (`tc actions add`). */
  async addActions(actions: readonly ActionOptions[]): Promise<void> {
    return (await import("../tc/action.ts")).addActions(this, actions);
  }

  /** Adds or replaces shared actions (`tc actions replace`). */
  async replaceActions(actions: readonly ActionOptions[]): Promise<void> {
    return (await import("../tc/action.ts")).replaceActions(this, actions);
  }

  /** One shared action (`tc actions get action KIND index N`). */
  async getAction(kind: string, index: number): Promise<Action> {
    return (await import("../tc/action.ts")).getAction(this, kind, index);
  }

  /** Every shared action of a kind (`tc actions list action KIND`). */
  async getActions(kind: string): Promise<Action[]> {
    return (await import("../tc/action.ts")).getActions(this, kind);
  }

  /** Deletes a shared action (`tc actions del action KIND index N`). */
  async deleteAction(kind: string, index: number): Promise<void> {
    return (await import("../tc/action.ts")).deleteAction(this, kind, index);
  }

  /** Deletes every shared action of a kind (`tc actions flush action KIND`). */
  async flushActions(kind: string): Promise<void> {
    return (await import("../tc/action.ts")).flushActions(this, kind);
  }

  // ------------------------------------------------------------- ethtool

  /**
   * A device's speed, duplex, autonegotiation and link modes (`ethtool DEV`),
   * through ethtool's generic netlink family in this connection's namespace.
   *
   * @example
   * ```ts ignore
   * (await conn.getLinkModes("p0")).speed; // 10000 for a veth
   * ```
   */
  async getLinkModes(dev: Dev): Promise<LinkModes> {
    return (await import("../genl/ethtool/linkmodes.ts")).getLinkModes(this, dev);
  }

  // --------------------------------------------------------------- mptcp
  // The MPTCP path manager (generic netlink family "mptcp_pm"), in this
  // connection's namespace; the module loads on first use.

  /**
   * Adds an MPTCP endpoint (`ip mptcp endpoint add`); `dev` is looked up in this namespace.
   *
   * @example
   * ```ts ignore
   * await conn.addMptcpEndpoint({ address: "10.0.0.1", dev: "p0", flags: ["subflow"] });
   * ```
   */
  async addMptcpEndpoint(options: MptcpEndpointOptions): Promise<void> {
    return (await import("../genl/mptcp/endpoints.ts")).addMptcpEndpoint(this, options);
  }

  /**
   * Deletes an MPTCP endpoint by id (`ip mptcp endpoint delete id ID`; id 0 with its address).
   *
   * @example
   * ```ts ignore
   * await conn.delMptcpEndpoint({ id: 5 });
   * ```
   */
  async delMptcpEndpoint(selector: MptcpEndpointSelector): Promise<void> {
    return (await import("../genl/mptcp/endpoints.ts")).delMptcpEndpoint(this, selector);
  }

  /**
   * One MPTCP endpoint by id (`ip mptcp endpoint show id ID`).
   *
   * @example
   * ```ts ignore
   * (await conn.getMptcpEndpoint(5)).flags; // ["signal", "backup"]
   * ```
   */
  async getMptcpEndpoint(id: number): Promise<MptcpEndpoint> {
    return (await import("../genl/mptcp/endpoints.ts")).getMptcpEndpoint(this, id);
  }

  /**
   * Every MPTCP endpoint (`ip mptcp endpoint show`).
   *
   * @example
   * ```ts ignore
   * for (const e of await conn.getMptcpEndpoints()) console.log(e.id, e.address);
   * ```
   */
  async getMptcpEndpoints(): Promise<MptcpEndpoint[]> {
    return (await import("../genl/mptcp/endpoints.ts")).getMptcpEndpoints(this);
  }

  /**
   * Deletes every MPTCP endpoint (`ip mptcp endpoint flush`).
   *
   * @example
   * ```ts ignore
   * await conn.flushMptcpEndpoints();
   * ```
   */
  async flushMptcpEndpoints(): Promise<void> {
    return (await import("../genl/mptcp/endpoints.ts")).flushMptcpEndpoints(this);
  }

  /**
   * Sets an MPTCP endpoint's `backup` and `fullmesh` flags (`ip mptcp endpoint change`).
   *
   * @example
   * ```ts ignore
   * await conn.setMptcpEndpointFlags({ id: 5, flags: ["backup"] });
   * ```
   */
  async setMptcpEndpointFlags(change: MptcpEndpointChange): Promise<void> {
    return (await import("../genl/mptcp/endpoints.ts")).setMptcpEndpointFlags(this, change);
  }

  /**
   * The MPTCP limits per connection (`ip mptcp limits show`).
   *
   * @example
   * ```ts ignore
   * (await conn.getMptcpLimits()).subflows; // 2 by default
   * ```
   */
  async getMptcpLimits(): Promise<MptcpLimits> {
    return (await import("../genl/mptcp/endpoints.ts")).getMptcpLimits(this);
  }

  /**
   * Sets the MPTCP limits per connection (`ip mptcp limits set`); a limit left out keeps its value.
   *
   * @example
   * ```ts ignore
   * await conn.setMptcpLimits({ subflows: 4, addAddrAccepted: 4 });
   * ```
   */
  async setMptcpLimits(limits: MptcpLimits): Promise<void> {
    return (await import("../genl/mptcp/endpoints.ts")).setMptcpLimits(this, limits);
  }

  /**
   * MPTCP path-manager events (`ip mptcp monitor`) in this namespace, on a socket of their own.
   *
   * @example
   * ```ts ignore
   * for await (const ev of conn.mptcpEvents()) if (ev.type === "established") console.log(ev.token);
   * ```
   */
  async *mptcpEvents(options?: MptcpEventOptions): AsyncGenerator<MptcpEventItem> {
    yield* (await import("../genl/mptcp/events.ts")).mptcpEvents(this, options);
  }

  // ---------------------------------------------------------------- seg6
  // Segment routing settings (generic netlink family "SEG6"), in this
  // connection's namespace; the module loads on first use.

  /**
   * The source address of packets encapsulated with a segment routing header (`ip sr tunsrc show`); `::` when unset.
   *
   * @example
   * ```ts ignore
   * await conn.getSeg6Tunsrc(); // "fc00::1"
   * ```
   */
  async getSeg6Tunsrc(): Promise<string> {
    return (await import("../genl/seg6/seg6.ts")).getSeg6Tunsrc(this);
  }

  /**
   * Sets the source address of SRv6-encapsulated packets (`ip sr tunsrc set ADDRESS`); `::` clears it.
   *
   * @example
   * ```ts ignore
   * await conn.setSeg6Tunsrc("fc00::1");
   * ```
   */
  async setSeg6Tunsrc(address: string): Promise<void> {
    return (await import("../genl/seg6/seg6.ts")).setSeg6Tunsrc(this, address);
  }

  /**
   * Every SRv6 HMAC key (`ip sr hmac show`).
   *
   * @example
   * ```ts ignore
   * for (const k of await conn.getSeg6Hmacs()) console.log(k.keyId, k.algorithm);
   * ```
   */
  async getSeg6Hmacs(): Promise<Seg6Hmac[]> {
    return (await import("../genl/seg6/seg6.ts")).getSeg6Hmacs(this);
  }

  /**
   * Adds or replaces an SRv6 HMAC key (`ip sr hmac set KEYID ALGO`); an empty secret deletes it.
   *
   * @example
   * ```ts ignore
   * await conn.setSeg6Hmac({ keyId: 7, algorithm: "sha256", secret: "s3cret" });
   * ```
   */
  async setSeg6Hmac(options: Seg6HmacOptions): Promise<void> {
    return (await import("../genl/seg6/seg6.ts")).setSeg6Hmac(this, options);
  }

  /**
   * Deletes an SRv6 HMAC key (ENOENT when there is none).
   *
   * @example
   * ```ts ignore
   * await conn.delSeg6Hmac(7);
   * ```
   */
  async delSeg6Hmac(keyId: number): Promise<void> {
    return (await import("../genl/seg6/seg6.ts")).delSeg6Hmac(this, keyId);
  }

  // --------------------------------------------------------- tcp metrics
  // The TCP metrics cache (generic netlink family "tcp_metrics"), in this
  // connection's namespace; the module loads on first use.

  /**
   * The TCP metrics cache (`ip tcp_metrics show`), filtered as iproute2 filters it.
   *
   * @example
   * ```ts ignore
   * for (const m of await conn.getTcpMetrics({ family: "inet" })) console.log(m.address, m.metrics.cwnd);
   * ```
   */
  async getTcpMetrics(filter?: TcpMetricsFilter): Promise<TcpMetricsEntry[]> {
    return (await import("../genl/tcp_metrics/tcp_metrics.ts")).getTcpMetrics(this, filter);
  }

  /**
   * One destination's entry (`ip tcp_metrics show ADDRESS`); ESRCH when there is none.
   *
   * @example
   * ```ts ignore
   * (await conn.getTcpMetric({ address: "10.0.0.2" })).metrics.rttUs;
   * ```
   */
  async getTcpMetric(selector: TcpMetricsSelector): Promise<TcpMetricsEntry> {
    return (await import("../genl/tcp_metrics/tcp_metrics.ts")).getTcpMetric(this, selector);
  }

  /**
   * Deletes a destination's entries (`ip tcp_metrics delete ADDRESS [source ADDRESS]`).
   *
   * @example
   * ```ts ignore
   * await conn.deleteTcpMetrics({ address: "10.0.0.2" });
   * ```
   */
  async deleteTcpMetrics(selector: TcpMetricsSelector): Promise<void> {
    return (await import("../genl/tcp_metrics/tcp_metrics.ts")).deleteTcpMetrics(this, selector);
  }

  /**
   * Empties the cache, or deletes what a filter selects (`ip tcp_metrics flush [PREFIX]`);
   * resolves with the entries deleted (none for a flush of everything, which is one request).
   *
   * @example
   * ```ts ignore
   * await conn.flushTcpMetrics({ address: "10.0.0.0/8" });
   * ```
   */
  async flushTcpMetrics(options?: TcpMetricsFlushOptions): Promise<TcpMetricsEntry[]> {
    return (await import("../genl/tcp_metrics/tcp_metrics.ts")).flushTcpMetrics(this, options);
  }

  // ---------------------------------------------------------------- IOAM
  // IPv6 in-situ OAM namespaces and schemas (generic netlink family "IOAM6"),
  // in this connection's namespace; the module loads on first use.

  /**
   * The IOAM namespaces (`ip ioam namespace show`).
   *
   * @example
   * ```ts ignore
   * for (const ns of await conn.getIoamNamespaces()) console.log(ns.id, ns.schema, ns.data, ns.wide);
   * ```
   */
  async getIoamNamespaces(): Promise<IoamNamespace[]> {
    return (await import("../genl/ioam6/ioam6.ts")).getIoamNamespaces(this);
  }

  /**
   * Adds an IOAM namespace (`ip ioam namespace add ID [data DATA32] [wide DATA64]`); EEXIST when it exists.
   *
   * @example
   * ```ts ignore
   * await conn.addIoamNamespace({ id: 123, data: 0xdeadbeef });
   * ```
   */
  async addIoamNamespace(options: IoamNamespaceOptions): Promise<void> {
    return (await import("../genl/ioam6/ioam6.ts")).addIoamNamespace(this, options);
  }

  /**
   * Deletes an IOAM namespace (`ip ioam namespace del ID`); ENOENT when there is none.
   *
   * @example
   * ```ts ignore
   * await conn.delIoamNamespace(123);
   * ```
   */
  async delIoamNamespace(id: number): Promise<void> {
    return (await import("../genl/ioam6/ioam6.ts")).delIoamNamespace(this, id);
  }

  /**
   * The IOAM schemas (`ip ioam schema show`).
   *
   * @example
   * ```ts ignore
   * for (const s of await conn.getIoamSchemas()) console.log(s.id, s.namespace, s.data);
   * ```
   */
  async getIoamSchemas(): Promise<IoamSchema[]> {
    return (await import("../genl/ioam6/ioam6.ts")).getIoamSchemas(this);
  }

  /**
   * Adds an IOAM schema (`ip ioam schema add ID DATA`); EEXIST when it exists.
   *
   * @example
   * ```ts ignore
   * await conn.addIoamSchema({ id: 7, data: "abc" });
   * ```
   */
  async addIoamSchema(options: IoamSchemaOptions): Promise<void> {
    return (await import("../genl/ioam6/ioam6.ts")).addIoamSchema(this, options);
  }

  /**
   * Deletes an IOAM schema (`ip ioam schema del ID`); ENOENT when there is none.
   *
   * @example
   * ```ts ignore
   * await conn.delIoamSchema(7);
   * ```
   */
  async delIoamSchema(id: number): Promise<void> {
    return (await import("../genl/ioam6/ioam6.ts")).delIoamSchema(this, id);
  }

  /**
   * Attaches a schema to an IOAM namespace, or detaches it with `null`
   * (`ip ioam namespace set ID schema { ID | none }`).
   *
   * @example
   * ```ts ignore
   * await conn.setIoamNamespaceSchema(123, 7);
   * ```
   */
  async setIoamNamespaceSchema(namespace: number, schema: number | null): Promise<void> {
    return (await import("../genl/ioam6/ioam6.ts")).setIoamNamespaceSchema(this, namespace, schema);
  }

  // ------------------------------------------------------- batches, events

  /**
   * A batch: queue many changes, then `execute()` sends them pipelined and
   * reports each one's result.
   *
   * @example
   * ```ts ignore
   * const b = conn.batch();
   * b.addRoute({ dst: "10.1.0.0/24", dev: "p0" }).addRoute({ dst: "10.2.0.0/24", dev: "p0" });
   * const { ok, failures } = await b.execute();
   * ```
   */
  batch(): Batch {
    return new Batch(this);
  }

  /**
   * Notifications (links, addresses, routes by default) in this connection's
   * namespace, on a socket of their own, subscribed when this returns: every
   * change made after the call is in the stream.
   *
   * @example
   * ```ts ignore
   * for await (const ev of conn.events({ groups: ["ipv4-route"] })) console.log(ev.type);
   * ```
   */
  events(options: EventOptions = {}): AsyncGenerator<NetworkEvent> {
    // Subscribed before this returns, so every change made after the call is seen, however long the
    // stream's own code takes to load.
    const socket = subscribeEvents(this, options);
    return EVENTS.stream((m) => m.events(this, options, socket));
  }
}
