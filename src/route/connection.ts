/**
 * {@linkcode Connection}: an rtnetlink connection with typed operations on
 * links, addresses and routes, batches and events.
 *
 * @module
 */
import { type ConnectionOptions, NetlinkConnection } from "../core/connection.ts";
import { NETLINK } from "../../ffi/constants.ts";
import {
  addAddress,
  type Address,
  type AddressOptions,
  delAddress,
  getAddresses,
  type GetAddressesOptions,
  replaceAddress,
  streamAddresses,
} from "./addr.ts";
import { Batch } from "./batch.ts";
import { type EventOptions, events, type NetworkEvent } from "./events.ts";
import {
  addLink,
  type AddLinkOptions,
  delLink,
  type Dev,
  getLink,
  getLinks,
  type GetLinksOptions,
  resolveDev,
  setLink,
  type SetLinkOptions,
  streamLinks,
} from "./link.ts";
import type { Link } from "./link_types.ts";
import { getNsid, getNsidNames, getNsids, type NamespaceId, setNsid } from "./nsid.ts";
import { getLinkStats, type LinkCounters, type StatsSnapshot, takeStatsSnapshot } from "./stats.ts";
import type { NetnsTarget } from "../netns/mod.ts";
import {
  addRoute,
  appendRoute,
  changeRoute,
  delRoute,
  getRoutes,
  type GetRoutesOptions,
  prependRoute,
  replaceRoute,
  type Route,
  type RouteOptions,
  streamRoutes,
} from "./route.ts";

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
    return getLinks(this, options);
  }
  /** Links one at a time, without building the list. */
  streamLinks(options?: GetLinksOptions): AsyncGenerator<Link> {
    return streamLinks(this, options);
  }
  /** One link by name or index; rejects with ENODEV (`isNotFound()`) when absent. */
  getLink(dev: Dev): Promise<Link> {
    return getLink(this, dev);
  }
  /** The ifindex of a device name (looked up in this connection's namespace). */
  resolveDev(dev: Dev): Promise<number> {
    return resolveDev(this, dev);
  }
  /** `ip link set DEV up`. */
  setLinkUp(dev: Dev): Promise<void> {
    return setLink(this, dev, { up: true });
  }
  /** `ip link set DEV down`. */
  setLinkDown(dev: Dev): Promise<void> {
    return setLink(this, dev, { up: false });
  }
  /** `ip link set DEV …`: MTU, name, address, alias, master, flags in one request. */
  setLink(dev: Dev, options: SetLinkOptions): Promise<void> {
    return setLink(this, dev, options);
  }
  /** `ip link add NAME type KIND …`. */
  addLink(options: AddLinkOptions): Promise<void> {
    return addLink(this, options);
  }
  /** `ip link del DEV`. */
  delLink(dev: Dev): Promise<void> {
    return delLink(this, dev);
  }

  // -------------------------------------------------------------- addresses

  /** Every address, fully decoded (filters: family, dev). */
  getAddresses(options?: GetAddressesOptions): Promise<Address[]> {
    return getAddresses(this, options);
  }
  /** Addresses one at a time. */
  streamAddresses(options?: GetAddressesOptions): AsyncGenerator<Address> {
    return streamAddresses(this, options);
  }
  /** `ip address add`. */
  addAddress(options: AddressOptions): Promise<void> {
    return addAddress(this, options);
  }
  /** `ip address replace`. */
  replaceAddress(options: AddressOptions): Promise<void> {
    return replaceAddress(this, options);
  }
  /** `ip address del`. */
  delAddress(options: AddressOptions): Promise<void> {
    return delAddress(this, options);
  }

  // ----------------------------------------------------------------- routes

  /** Every route, fully decoded (filters: family, table, protocol, type, dev). */
  getRoutes(options?: GetRoutesOptions): Promise<Route[]> {
    return getRoutes(this, options);
  }
  /** Routes one at a time, reading the kernel only as fast as they are consumed. */
  streamRoutes(options?: GetRoutesOptions): AsyncGenerator<Route> {
    return streamRoutes(this, options);
  }
  /** `ip route add`. */
  addRoute(options: RouteOptions): Promise<void> {
    return addRoute(this, options);
  }
  /** `ip route replace`. */
  replaceRoute(options: RouteOptions): Promise<void> {
    return replaceRoute(this, options);
  }
  /** `ip route append`. */
  appendRoute(options: RouteOptions): Promise<void> {
    return appendRoute(this, options);
  }
  /** `ip route prepend`. */
  prependRoute(options: RouteOptions): Promise<void> {
    return prependRoute(this, options);
  }
  /** `ip route change`. */
  changeRoute(options: RouteOptions): Promise<void> {
    return changeRoute(this, options);
  }
  /** `ip route del`. */
  delRoute(options: RouteOptions): Promise<void> {
    return delRoute(this, options);
  }

  // ------------------------------------------------------------ statistics

  /** The 64-bit counters of every link (or one), through RTM_GETSTATS. */
  getLinkStats(options?: { dev?: Dev }): Promise<LinkCounters[]> {
    return getLinkStats(this, options);
  }
  /** Every link's counters now; `statsDelta(a, b)` or a `StatsTracker` turn two into rates. */
  takeStatsSnapshot(options?: { dev?: Dev }): Promise<StatsSnapshot> {
    return takeStatsSnapshot(this, options);
  }

  // ------------------------------------------------------- namespace ids

  /** The id this connection's namespace uses for another namespace (-1: none assigned). */
  getNsid(target: NetnsTarget): Promise<number> {
    return getNsid(this, target);
  }
  /** Assigns an id to another namespace here (`ip netns set NAME NSID`; -1: the next free one). */
  setNsid(target: NetnsTarget, nsid: number): Promise<void> {
    return setNsid(this, target, nsid);
  }
  /** Every namespace id assigned here (`ip netns list-id`). */
  getNsids(): Promise<NamespaceId[]> {
    return getNsids(this);
  }
  /** Names under /var/run/netns for the assigned ids (`link-netns NAME` in `ip link`). */
  getNsidNames(): Promise<Map<number, string>> {
    return getNsidNames(this);
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
   * namespace, on a socket of their own.
   *
   * @example
   * ```ts ignore
   * for await (const ev of conn.events({ groups: ["ipv4-route"] })) console.log(ev.type);
   * ```
   */
  events(options?: EventOptions): AsyncGenerator<NetworkEvent> {
    return events(this, options);
  }
}
