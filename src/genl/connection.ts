/**
 * {@linkcode GenlConnection}: a NETLINK_GENERIC connection that knows its
 * families. A family's id is asked of the controller once per connection and
 * kept; a connection opened {@linkcode GenlConnection.beside} another lives
 * in that connection's network namespace (families such as ethtool name
 * devices, and a device name means something only in one namespace).
 *
 * @module
 */
import { NETLINK } from "../../ffi/constants.ts";
import { type ConnectionOptions, NetlinkConnection } from "../core/connection.ts";
import { NetlinkError } from "../core/errors.ts";
import { type GenlFamily, getFamilies, getFamily } from "./controller.ts";

/** The generic netlink connection opened beside each connection, kept for reuse. */
const COMPANIONS = new WeakMap<NetlinkConnection, GenlConnection>();

/**
 * A generic netlink connection, in the caller's namespace, another one, or
 * beside an existing connection.
 *
 * @example
 * ```ts ignore
 * import { GenlConnection } from "@nlink/nlink";
 * using genl = GenlConnection.open();
 * const ethtool = await genl.family("ethtool");
 * console.log(ethtool.id, ethtool.version, ethtool.mcastGroups);
 * ```
 */
export class GenlConnection extends NetlinkConnection {
  /** Families asked for so far, by name (a failed look-up is not kept). */
  readonly #families = new Map<string, Promise<GenlFamily>>();

  /**
   * Opens a generic netlink connection, optionally inside a network
   * namespace (`{ netns: "blue" }`).
   *
   * @example
   * ```ts ignore
   * using genl = GenlConnection.open({ netns: "blue" });
   * ```
   */
  static open(options: ConnectionOptions = {}): GenlConnection {
    const [socket, netns, ns] = NetlinkConnection.openSocket(NETLINK.GENERIC, options);
    return new GenlConnection(socket, netns, ns);
  }

  /**
   * The generic netlink connection in the same network namespace as `conn`
   * (an rtnetlink `Connection`, say): opened on first use, then reused, and
   * closed when `conn` closes. A GenlConnection is its own.
   *
   * @example
   * ```ts ignore
   * using conn = await Connection.open({ netns: "blue" });
   * const genl = GenlConnection.beside(conn); // also in "blue"
   * ```
   */
  static beside(conn: NetlinkConnection): GenlConnection {
    if (conn instanceof GenlConnection) return conn;
    const known = COMPANIONS.get(conn);
    if (known !== undefined && !known.closed) return known;
    const genl = conn.openCompanion(NETLINK.GENERIC, (socket, netns, ns) => new GenlConnection(socket, netns, ns));
    COMPANIONS.set(conn, genl);
    return genl;
  }

  /**
   * A family by name, from the controller on first use and from this
   * connection's cache afterwards. Rejects with a {@linkcode NetlinkError}
   * whose `isNotFound()` is true when the kernel lacks the family.
   *
   * @example
   * ```ts ignore
   * (await genl.family("ethtool")).id;
   * ```
   */
  family(name: string): Promise<GenlFamily> {
    let found = this.#families.get(name);
    if (found === undefined) {
      found = getFamily(this, name).catch((e) => {
        this.#families.delete(name);
        throw notFoundExplained(e, name);
      });
      this.#families.set(name, found);
    }
    return found;
  }

  /**
   * Every family the kernel has (`genl ctrl list`); also fills the cache.
   *
   * @example
   * ```ts ignore
   * for (const f of await genl.families()) console.log(f.name, f.id);
   * ```
   */
  async families(): Promise<GenlFamily[]> {
    const all = await getFamilies(this);
    for (const f of all) this.#families.set(f.name, Promise.resolve(f));
    return all;
  }

  /**
   * The id of a family (what its messages carry in nlmsg_type).
   *
   * @example
   * ```ts ignore
   * await genl.familyId("ethtool"); // 21, say
   * ```
   */
  async familyId(name: string): Promise<number> {
    return (await this.family(name)).id;
  }
}

/**
 * The generic netlink connection beside `conn` (see
 * {@linkcode GenlConnection.beside}) and family `name`'s id there: the first
 * step of every family's operations.
 *
 * @example
 * ```ts ignore
 * const [genl, id] = await familyBeside(conn, "tcp_metrics");
 * ```
 */
export async function familyBeside(conn: NetlinkConnection, name: string): Promise<[GenlConnection, number]> {
  const genl = GenlConnection.beside(conn);
  return [genl, await genl.familyId(name)];
}

/**
 * Puts a family's id into a request's nlmsg_type, for requests built (and so
 * checked) before the id was known; returns the request.
 *
 * @example
 * ```ts
 * import { withFamilyId } from "./connection.ts";
 * withFamilyId(new Uint8Array(20), 25)[4]; // 25
 * ```
 */
export function withFamilyId(request: Uint8Array, id: number): Uint8Array {
  new DataView(request.buffer, request.byteOffset).setUint16(4, id, true);
  return request;
}

/** ENOENT from the controller, said in words: the kernel has no such family. */
function notFoundExplained(e: unknown, name: string): unknown {
  if (!(e instanceof NetlinkError) || e.errno !== 2) return e;
  return new NetlinkError(2, `generic netlink family "${name}" not found (module not loaded or not built)`, {
    cause: e,
    operation: e.operation,
    extAck: e.extAck,
  });
}
