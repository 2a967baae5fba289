/**
 * {@linkcode SockDiagConnection}: a NETLINK_SOCK_DIAG connection that lists
 * sockets of every family — inet (TCP, UDP, UDP-lite, raw, SCTP, DCCP,
 * MPTCP over IPv4 and IPv6), Unix, packet, netlink, vsock, XDP — filtered by
 * the kernel, and closes inet sockets (SOCK_DESTROY).
 *
 * @module
 */
import { NETLINK } from "../../ffi/constants.ts";
import type { NetlinkSocket } from "../../ffi/socket.ts";
import {
  type ConnectionOptions,
  type Decoder,
  type DumpOptions,
  NetlinkConnection,
  type StreamOptions,
} from "../core/connection.ts";
import { NetlinkError } from "../core/errors.ts";
import type { NetnsHandle, NetnsTarget } from "../netns/mod.ts";
import type { SocketFilter } from "./filter.ts";
import { inetDestroyRequest, inetDumpRequest, type InetQuery, type InetSocket, inetSocketDecoder } from "./inet.ts";
import { type SockDiagEvent, type SockDiagEventOptions, sockDiagEvents, subscribeSockDiag } from "./events.ts";
import { decodeNetlinkSocket, netlinkDumpRequest, type NetlinkQuery, type NetlinkSocketInfo } from "./netlink.ts";
import { decodePacketSocket, packetDumpRequest, type PacketQuery, type PacketSocket } from "./packet.ts";
import { decodeUnixSocket, unixDumpRequest, type UnixQuery, type UnixSocket } from "./unix.ts";
import { decodeVsockSocket, vsockDumpRequest, type VsockQuery, type VsockSocket } from "./vsock.ts";
import { decodeXdpSocket, xdpDumpRequest, type XdpQuery, type XdpSocket } from "./xdp.ts";

/** The sock_diag connection opened beside each connection, kept for reuse. */
const COMPANIONS = new WeakMap<NetlinkConnection, SockDiagConnection>();

/** What {@linkcode SockDiagConnection.destroySockets} did. */
export interface DestroyResult {
  /** The sockets closed (or already gone when their turn came). */
  destroyed: InetSocket[];
  /** The sockets the kernel refused to close, with its error. */
  failed: { socket: InetSocket; error: NetlinkError }[];
}

/**
 * A socket-diagnostics connection, in the caller's network namespace, another
 * one, or beside an existing connection. Every dump has an array form
 * (`get…`) and a streaming form (`stream…`, for large tables).
 *
 * @example
 * ```ts ignore
 * import { SockDiagConnection } from "@nlink/nlink";
 * using diag = SockDiagConnection.open({ netns: "blue" });
 * const ssh = await diag.getInetSockets({
 *   protocol: "tcp",
 *   states: ["established"],
 *   filter: { or: [{ kind: "dport", op: "=", port: 22 }, { kind: "sport", op: "=", port: 22 }] },
 *   extensions: ["info", "cong"],
 * });
 * for (const s of ssh) console.log(s.src, s.sport, s.dst, s.dport, s.tcpInfo?.rtt, s.congestion);
 * ```
 */
export class SockDiagConnection extends NetlinkConnection {
  /** The rtnetlink connection that resolves device names of filters (opened on first use). */
  #links?: NetlinkConnection;

  /**
   * Opens a sock_diag connection, optionally inside a network namespace
   * (`{ netns: "blue" }`). Sockets are listed as that namespace sees them
   * (those created in it, Unix sockets included).
   *
   * @example
   * ```ts ignore
   * using diag = SockDiagConnection.open({ netns: "blue" });
   * ```
   */
  static open(options: ConnectionOptions = {}): SockDiagConnection {
    const [socket, netns, ns] = NetlinkConnection.openSocket(NETLINK.SOCK_DIAG, options);
    return new SockDiagConnection(socket, netns, ns);
  }

  /**
   * The sock_diag connection in the same namespace as `conn` (an rtnetlink
   * `Connection`, say): opened on first use, reused, closed with `conn`.
   *
   * @example
   * ```ts ignore
   * using conn = await Connection.open({ netns: "blue" });
   * const diag = SockDiagConnection.beside(conn);
   * ```
   */
  static beside(conn: NetlinkConnection): SockDiagConnection {
    if (conn instanceof SockDiagConnection) return conn;
    const known = COMPANIONS.get(conn);
    if (known !== undefined && !known.closed) return known;
    const diag = conn.openCompanion(NETLINK.SOCK_DIAG, (s, netns, ns) => new SockDiagConnection(s, netns, ns));
    COMPANIONS.set(conn, diag);
    return diag;
  }

  /** Wraps an open socket; use {@linkcode SockDiagConnection.open} or {@linkcode SockDiagConnection.beside}. */
  protected constructor(socket: NetlinkSocket, netns?: NetnsTarget, ns?: NetnsHandle) {
    super(socket, netns, ns);
  }

  // ------------------------------------------------------------------ inet

  /**
   * inet sockets of one protocol (both IP families unless `family` says one):
   * `ss -tan state established '( dport = :ssh )'` is
   * `{ protocol: "tcp", states: ["established"], filter: { kind: "dport", op: "=", port: 22 } }`.
   *
   * @example
   * ```ts ignore
   * const listeners = await diag.getInetSockets({ protocol: "tcp", states: ["listen"] });
   * ```
   */
  async getInetSockets(query: InetQuery, options: DumpOptions = {}): Promise<InetSocket[]> {
    const q = await this.#resolved(query);
    const decode = inetSocketDecoder(q.protocol);
    const out: InetSocket[] = [];
    for (const family of familiesOf(q)) {
      const op = `getInetSockets ${family} ${q.protocol}`;
      const list = await this.dump(inetDumpRequest(q, family), decode, op, options).catch((e) => {
        throw explainMissing(e, `${family} ${q.protocol}`);
      });
      for (const s of list) out.push(s);
    }
    return out;
  }

  /**
   * inet sockets one at a time, without building the list (each family's
   * dump on a socket of its own; breaking out of the loop ends it).
   *
   * @example
   * ```ts ignore
   * for await (const s of diag.streamInetSockets({ protocol: "udp" })) console.log(s.src, s.sport);
   * ```
   */
  async *streamInetSockets(query: InetQuery, options: StreamOptions = {}): AsyncGenerator<InetSocket> {
    const q = await this.#resolved(query);
    const decode = inetSocketDecoder(q.protocol);
    for (const family of familiesOf(q)) {
      yield* this.#stream(inetDumpRequest(q, family), decode, `streamInetSockets ${family} ${q.protocol}`, options);
    }
  }

  /**
   * One inet dump's replies as the kernel sent them, undecoded: every
   * datagram received, the closing NLMSG_DONE included — what `ss -D FILE`
   * saves (see `rawDump`). One IP family per call (ss dumps IPv4, then IPv6).
   *
   * @example
   * ```ts ignore
   * const datagrams = await diag.rawInetDump({ protocol: "tcp", states: ["listen"] }, "inet");
   * await Deno.writeFile("tcp.diag", new Uint8Array(await new Blob(datagrams).arrayBuffer()));
   * ```
   */
  async rawInetDump(query: InetQuery, family: "inet" | "inet6", signal?: AbortSignal): Promise<Uint8Array[]> {
    const q = await this.#resolved(query);
    const request = inetDumpRequest(q, family);
    const operation = `rawInetDump ${family} ${q.protocol}`;
    try {
      return await this.rawDump(request, operation, signal);
    } catch (e) {
      throw explainMissing(e, `${family} ${q.protocol}`);
    }
  }

  /**
   * Closes one inet socket (SOCK_DESTROY, as `ss -K` does): the peer of a TCP
   * connection gets a reset, a local reader ECONNABORTED. Needs
   * CAP_NET_ADMIN and a kernel built with CONFIG_INET_DIAG_DESTROY; without
   * it the error says so (`isNotSupported()`).
   *
   * @example
   * ```ts ignore
   * const [victim] = await diag.getInetSockets({ protocol: "tcp", filter: { kind: "dport", op: "=", port: 5201 } });
   * await diag.destroySocket(victim);
   * ```
   */
  async destroySocket(socket: InetSocket): Promise<void> {
    try {
      await this.ack(inetDestroyRequest(socket), `destroySocket ${socket.src}:${socket.sport}`);
    } catch (e) {
      throw explainDestroy(e, socket);
    }
  }

  /**
   * Closes every inet socket `query` selects (`ss -K FILTER`). Sockets that
   * vanished meanwhile count as destroyed; refusals are listed in `failed`.
   * Rejects (`isNotSupported()`) when the kernel cannot destroy sockets of
   * this protocol at all.
   *
   * @example
   * ```ts ignore
   * const { destroyed } = await diag.destroySockets({ protocol: "tcp", filter: { kind: "dst", address: "10.0.0.9" } });
   * ```
   */
  async destroySockets(query: InetQuery): Promise<DestroyResult> {
    const result: DestroyResult = { destroyed: [], failed: [] };
    for (const socket of await this.getInetSockets(query)) {
      try {
        await this.destroySocket(socket);
        result.destroyed.push(socket);
      } catch (e) {
        if (!(e instanceof NetlinkError)) throw e;
        if (e.isNotFound()) result.destroyed.push(socket);
        else result.failed.push({ socket, error: e });
      }
    }
    const unsupported = result.failed.filter((f) => f.error.isNotSupported());
    if (result.destroyed.length === 0 && unsupported.length > 0 && unsupported.length === result.failed.length) {
      throw unsupported[0].error;
    }
    return result;
  }

  // ---------------------------------------------------------------- events

  /**
   * Destroyed inet sockets as they go (`ss -E`): TCP and UDP over IPv4 and
   * IPv6, each with its last state, until the loop breaks, `signal` aborts or
   * the connection closes. The subscription starts with this call (not at the
   * first iteration), on a socket of its own; idle, it costs no CPU.
   *
   * @example
   * ```ts ignore
   * using diag = SockDiagConnection.open({ netns: "blue" });
   * for await (const ev of diag.events({ groups: ["inet-tcp", "inet6-tcp"] })) {
   *   if (ev.type === "destroy") console.log(ev.socket.src, ev.socket.sport, ev.socket.state);
   *   else console.log("notifications were lost");
   * }
   * ```
   */
  events(options: SockDiagEventOptions = {}): AsyncGenerator<SockDiagEvent> {
    return sockDiagEvents(this, options, subscribeSockDiag(this, options));
  }

  // ------------------------------------------------------------ the others

  /**
   * Unix sockets (`ss -x`) created in this connection's namespace.
   *
   * @example
   * ```ts ignore
   * const listening = await diag.getUnixSockets({ states: ["listen"] });
   * ```
   */
  getUnixSockets(query: UnixQuery = {}, options: DumpOptions = {}): Promise<UnixSocket[]> {
    return this.#dump(unixDumpRequest(query), decodeUnixSocket, "getUnixSockets", "unix", options);
  }

  /** Unix sockets one at a time. */
  streamUnixSockets(query: UnixQuery = {}, options: StreamOptions = {}): AsyncGenerator<UnixSocket> {
    return this.#stream(unixDumpRequest(query), decodeUnixSocket, "streamUnixSockets", options);
  }

  /**
   * Packet sockets (`ss -0`).
   *
   * @example
   * ```ts ignore
   * for (const p of await diag.getPacketSockets()) console.log(p.protocol, p.info?.index);
   * ```
   */
  getPacketSockets(query: PacketQuery = {}, options: DumpOptions = {}): Promise<PacketSocket[]> {
    return this.#dump(packetDumpRequest(query), decodePacketSocket, "getPacketSockets", "packet", options);
  }

  /** Packet sockets one at a time. */
  streamPacketSockets(query: PacketQuery = {}, options: StreamOptions = {}): AsyncGenerator<PacketSocket> {
    return this.#stream(packetDumpRequest(query), decodePacketSocket, "streamPacketSockets", options);
  }

  /**
   * Netlink sockets (`ss -A netlink`).
   *
   * @example
   * ```ts ignore
   * const rtnl = await diag.getNetlinkSockets({ protocol: 0 });
   * ```
   */
  getNetlinkSockets(query: NetlinkQuery = {}, options: DumpOptions = {}): Promise<NetlinkSocketInfo[]> {
    return this.#dump(netlinkDumpRequest(query), decodeNetlinkSocket, "getNetlinkSockets", "netlink", options);
  }

  /** Netlink sockets one at a time. */
  streamNetlinkSockets(query: NetlinkQuery = {}, options: StreamOptions = {}): AsyncGenerator<NetlinkSocketInfo> {
    return this.#stream(netlinkDumpRequest(query), decodeNetlinkSocket, "streamNetlinkSockets", options);
  }

  /**
   * vsock sockets (`ss --vsock`); rejects with `isNotFound()` when the kernel
   * has no vsock_diag.
   *
   * @example
   * ```ts ignore
   * await diag.getVsockSockets({ states: ["listen"] });
   * ```
   */
  getVsockSockets(query: VsockQuery = {}, options: DumpOptions = {}): Promise<VsockSocket[]> {
    return this.#dump(vsockDumpRequest(query), decodeVsockSocket, "getVsockSockets", "vsock", options);
  }

  /**
   * XDP sockets (`ss --xdp`); rejects with `isNotFound()` when the kernel has
   * no xsk_diag.
   *
   * @example
   * ```ts ignore
   * await diag.getXdpSockets();
   * ```
   */
  getXdpSockets(query: XdpQuery = {}, options: DumpOptions = {}): Promise<XdpSocket[]> {
    return this.#dump(xdpDumpRequest(query), decodeXdpSocket, "getXdpSockets", "xdp", options);
  }

  // -------------------------------------------------------------- plumbing

  #dump<T>(request: Uint8Array, decode: Decoder<T>, op: string, what: string, options: DumpOptions): Promise<T[]> {
    return this.dump(request, decode, op, options).catch((e) => {
      throw explainMissing(e, what);
    });
  }

  async *#stream<T>(request: Uint8Array, decode: Decoder<T>, op: string, options: StreamOptions): AsyncGenerator<T> {
    try {
      yield* this.stream(request, decode, op, options);
    } catch (e) {
      throw explainMissing(e, op);
    }
  }

  /** The query with `dev` names in its filter turned into ifindexes (looked up in this namespace). */
  async #resolved(query: InetQuery): Promise<InetQuery> {
    if (query.filter === undefined || !hasDevName(query.filter)) return query;
    const links = this.#links ??= this.openCompanion(NETLINK.ROUTE, (s, netns, ns) => new LinkLookup(s, netns, ns));
    const { resolveDev } = await import("../route/link.ts");
    const resolve = async (f: SocketFilter, path: string): Promise<SocketFilter> => {
      if ("and" in f) return { and: await Promise.all(f.and.map((x, i) => resolve(x, `${path}.and[${i}]`))) };
      if ("or" in f) return { or: await Promise.all(f.or.map((x, i) => resolve(x, `${path}.or[${i}]`))) };
      if ("not" in f) return { not: await resolve(f.not, `${path}.not`) };
      if (f.kind === "dev" && typeof f.dev === "string") {
        return { kind: "dev", dev: await resolveDev(links, f.dev, `${path}.dev`) };
      }
      return f;
    };
    return { ...query, filter: await resolve(query.filter, "filter") };
  }
}

/** A bare rtnetlink connection, only for device-name look-ups. */
class LinkLookup extends NetlinkConnection {
  constructor(socket: NetlinkSocket, netns?: NetnsTarget, ns?: NetnsHandle) {
    super(socket, netns, ns);
  }
}

function hasDevName(f: SocketFilter): boolean {
  if ("and" in f) return f.and.some(hasDevName);
  if ("or" in f) return f.or.some(hasDevName);
  if ("not" in f) return hasDevName(f.not);
  return f.kind === "dev" && typeof f.dev === "string";
}

function familiesOf(q: InetQuery): ("inet" | "inet6")[] {
  return q.family === undefined ? ["inet", "inet6"] : [q.family];
}

/** ENOENT from sock_diag: no handler for the family or protocol (module missing). */
function explainMissing(e: unknown, what: string): unknown {
  if (!(e instanceof NetlinkError) || e.errno !== 2) return e;
  return new NetlinkError(
    2,
    `the kernel cannot list ${what} sockets (no sock_diag handler: module not loaded or not built)`,
    { cause: e, operation: e.operation, extAck: e.extAck },
  );
}

/** EOPNOTSUPP from SOCK_DESTROY, said in words. */
function explainDestroy(e: unknown, s: InetSocket): unknown {
  if (!(e instanceof NetlinkError) || !e.isNotSupported()) return e;
  return new NetlinkError(
    e.errno,
    `cannot destroy ${s.protocol} sockets: the kernel lacks SOCK_DESTROY for them ` +
      `(CONFIG_INET_DIAG_DESTROY not set, or the protocol cannot be aborted)`,
    { cause: e, operation: e.operation, extAck: e.extAck },
  );
}
