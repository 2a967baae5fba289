/**
 * A raw netlink socket of any protocol: non-blocking, close-on-exec, extended
 * acks and strict checking on, receive buffer settable, waits through the
 * process-wide {@linkcode reactor}.
 *
 * @module
 */
import { check, errno, libc } from "./libc.ts";
import { CMSGHDR, IOVEC, MSGHDR, NETLINK_OPT, SOCK } from "./constants.ts";
import { reactor } from "./reactor.ts";
import { inNetns } from "./namespace.ts";
import { NetlinkError } from "../src/core/errors.ts";

/** Options for {@linkcode NetlinkSocket.open}. */
export interface SocketOptions {
  /** Multicast group bitmask to bind with (groups 1–32; use `join()` for higher ones). */
  groups?: number;
  /** Receive buffer in bytes; SO_RCVBUFFORCE is tried first (needs CAP_NET_ADMIN). */
  receiveBuffer?: number;
  /** Send buffer in bytes. */
  sendBuffer?: number;
  /** NETLINK_EXT_ACK (default true): the kernel explains its errors. */
  extendedAck?: boolean;
  /** NETLINK_GET_STRICT_CHK (default true): the kernel validates dump requests and filters. */
  strictCheck?: boolean;
  /** NETLINK_CAP_ACK (default true): error replies omit the echoed request payload. */
  capAck?: boolean;
  /** NETLINK_NO_ENOBUFS (default false): hide receive-buffer overruns. Keep it off. */
  noEnobufs?: boolean;
  /** Create the socket inside this network namespace (an open namespace fd). */
  netnsFd?: number;
}

/** recv() result meaning "nothing to read now" (EAGAIN). */
export const WOULD_BLOCK = -1;
const EAGAIN = 11;
const EINTR = 4;

/**
 * A netlink socket. Reads never block; {@linkcode NetlinkSocket.readable} waits
 * through the reactor.
 *
 * @example
 * ```ts ignore
 * import { NetlinkSocket } from "./socket.ts";
 * using sock = NetlinkSocket.open(0); // NETLINK_ROUTE
 * sock.send(request);
 * const buf = new Uint8Array(65536);
 * let n = sock.recv(buf);
 * while (n === -1) { await sock.readable(); n = sock.recv(buf); }
 * ```
 */
export class NetlinkSocket {
  /** The file descriptor (-1 once closed). */
  fd: number;
  /** The protocol number (NETLINK_ROUTE = 0, NETLINK_GENERIC = 16, …). */
  readonly protocol: number;
  /** The port id, read on first use (getsockname: a libc symbol few programs need). */
  #portId: number | undefined;
  #closed = false;
  /** The send running on Deno's blocking pool, if any (see sendOnPool). */
  #onPool: Promise<void> | undefined;
  /** recvmsg's header and buffers, made on the first recvWithNsid. */
  #message: MessageHeader | undefined;

  private constructor(fd: number, protocol: number) {
    this.fd = fd;
    this.protocol = protocol;
  }

  /** The port id the kernel assigned at bind time. */
  get portId(): number {
    if (this.#portId === undefined) {
      this.#assertOpen();
      const addr = sockaddrNl(0, 0);
      const len = new Uint8Array(new Uint32Array([12]).buffer);
      check(libc().getsockname(this.fd, addr, len), "getsockname");
      this.#portId = new DataView(addr.buffer).getUint32(4, true);
    }
    return this.#portId;
  }

  /**
   * Opens and binds a socket for `protocol`, optionally inside a namespace.
   *
   * @example
   * ```ts ignore
   * import { NetlinkSocket } from "./socket.ts";
   * const s = NetlinkSocket.open(0, { groups: 1, receiveBuffer: 1 << 20 });
   * ```
   */
  static open(protocol: number, options: SocketOptions = {}): NetlinkSocket {
    const c = libc();
    const create = () =>
      check(
        c.socket(SOCK.AF_NETLINK, SOCK.SOCK_RAW | SOCK.SOCK_CLOEXEC | SOCK.SOCK_NONBLOCK, protocol),
        `socket(AF_NETLINK, ${protocol})`,
      );
    const fd = options.netnsFd === undefined ? create() : inNetns(options.netnsFd, create);
    try {
      const setFlag = (opt: number, on: boolean, name: string) => {
        if (on) setInt(fd, SOCK.SOL_NETLINK, opt, 1, name, true);
      };
      setFlag(NETLINK_OPT.EXT_ACK, options.extendedAck ?? true, "NETLINK_EXT_ACK");
      setFlag(NETLINK_OPT.GET_STRICT_CHK, options.strictCheck ?? true, "NETLINK_GET_STRICT_CHK");
      setFlag(NETLINK_OPT.CAP_ACK, options.capAck ?? true, "NETLINK_CAP_ACK");
      setFlag(NETLINK_OPT.NO_ENOBUFS, options.noEnobufs ?? false, "NETLINK_NO_ENOBUFS");
      if (options.sendBuffer) {
        setBuffer(fd, SOCK.SO_SNDBUFFORCE, SOCK.SO_SNDBUF, options.sendBuffer, "send");
      }
      if (options.receiveBuffer) {
        setBuffer(fd, SOCK.SO_RCVBUFFORCE, SOCK.SO_RCVBUF, options.receiveBuffer, "receive");
      }
      const addr = sockaddrNl(0, options.groups ?? 0);
      check(c.bind(fd, addr, addr.length), `bind(netlink ${protocol})`);
      return new NetlinkSocket(fd, protocol);
    } catch (e) {
      c.close(fd);
      throw e;
    }
  }

  /** Whether {@linkcode NetlinkSocket.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends one buffer (one or many netlink messages) to the kernel.
   * Throws a {@linkcode NetlinkError} on failure.
   */
  send(data: Uint8Array, length = data.length): void {
    this.#assertOpen();
    const c = libc();
    for (;;) {
      const n = c.sendto(this.fd, data, BigInt(length), 0, null, 0);
      if (Number(n) >= 0) return;
      const e = errno();
      if (e === EINTR) continue;
      throw NetlinkError.fromErrno(e, { operation: "netlink send" });
    }
  }

  /**
   * Sends like {@linkcode NetlinkSocket.send}, but the system call runs on a
   * thread of Deno's blocking pool and the returned promise settles when it has
   * returned. The kernel handles a netlink request inside `sendmsg`, so for a
   * large batch this is where its work happens: meanwhile JS may prepare the
   * next one. One at a time per socket (a second call while one runs throws:
   * the kernel must see requests in order); `data` must stay unchanged until it
   * settles. The call never waits (the socket is non-blocking and the kernel
   * takes the data at once), so it cannot keep the process alive for longer
   * than the kernel's work. A failure rejects with a {@linkcode NetlinkError}.
   *
   * @example
   * ```ts ignore
   * import { NetlinkSocket } from "./socket.ts";
   * using sock = NetlinkSocket.open(0);
   * const sent = sock.sendOnPool(chunk); // the kernel applies `chunk` on another thread
   * prepareNext();
   * await sent;
   * ```
   */
  sendOnPool(data: Uint8Array, length = data.length): Promise<void> {
    this.#assertOpen();
    if (this.#onPool) {
      throw new NetlinkError(16, "netlink send: another send is still running on this socket", {
        operation: "netlink send",
      });
    }
    const fd = this.fd;
    const sent = libc().sendto_pool(fd, data, BigInt(length), 0, null, 0).then((n) => {
      this.#onPool = undefined;
      if (this.#closed) {
        libc().close(fd); // deferred by close(): the number could not be reused while the call ran
        if (Number(n) < 0) throw new NetlinkError(9, "netlink socket is closed", { operation: "netlink send" });
        return;
      }
      if (Number(n) >= 0) return;
      // errno belongs to the pool thread. A netlink send that fails has delivered
      // nothing (every error comes before the kernel takes the data), so sending
      // again here is safe and tells us why (or succeeds, after EINTR).
      this.send(data, length);
    });
    this.#onPool = sent;
    return sent;
  }

  /**
   * Reads one datagram into `into` without blocking. Returns its length, or
   * {@linkcode WOULD_BLOCK} when nothing is queued. A datagram larger than `into`
   * throws (its tail would be lost). ENOBUFS (receive-buffer overrun) throws a
   * {@linkcode NetlinkError} whose `isOverrun()` is true; the socket stays usable.
   */
  recv(into: Uint8Array): number {
    this.#assertOpen();
    const c = libc();
    for (;;) {
      const n = Number(c.recv(this.fd, into, BigInt(into.length), SOCK.MSG_DONTWAIT | SOCK.MSG_TRUNC));
      if (n >= 0) {
        if (n > into.length) {
          throw new NetlinkError(90, `netlink message of ${n} bytes exceeds the ${into.length}-byte receive buffer`, {
            operation: "netlink recv",
          });
        }
        return n;
      }
      const e = errno();
      if (e === EAGAIN) return WOULD_BLOCK;
      if (e === EINTR) continue;
      throw NetlinkError.fromErrno(e, { operation: "netlink recv" });
    }
  }

  /**
   * Sets NETLINK_LISTEN_ALL_NSID: from now on the socket also receives its groups' notifications from every
   * namespace that has an id in its own, and {@linkcode NetlinkSocket.recvWithNsid} tells where each came from.
   * Needs CAP_NET_BROADCAST.
   *
   * @example
   * ```ts ignore
   * import { NetlinkSocket } from "./socket.ts";
   * using sock = NetlinkSocket.open(0, { groups: 1 });
   * sock.listenAllNsid();
   * ```
   */
  listenAllNsid(): void {
    this.#assertOpen();
    setInt(this.fd, SOCK.SOL_NETLINK, NETLINK_OPT.LISTEN_ALL_NSID, 1, "NETLINK_LISTEN_ALL_NSID");
  }

  /**
   * Reads one datagram like {@linkcode NetlinkSocket.recv}, through recvmsg(2) with a control buffer, and
   * returns its length ({@linkcode WOULD_BLOCK} when nothing is queued) with the id, in this socket's
   * namespace, of the namespace it came from (see {@linkcode NetlinkSocket.listenAllNsid}): undefined when the
   * kernel attached none, i.e. for the socket's own namespace unless that has an id for itself. Slower than
   * `recv` (the control messages are parsed), so only streams that listen to all namespaces use it. The
   * returned object is reused by the next call.
   *
   * @example
   * ```ts ignore
   * import { NetlinkSocket } from "./socket.ts";
   * const r = sock.recvWithNsid(buf);
   * if (r.length !== -1) console.log(r.nsid ?? "current", r.length);
   * ```
   */
  recvWithNsid(into: Uint8Array): { length: number; nsid: number | undefined } {
    this.#assertOpen();
    const m = this.#message ??= new MessageHeader();
    m.point(into);
    const c = libc();
    for (;;) {
      const n = Number(c.recvmsg(this.fd, m.bytes, SOCK.MSG_DONTWAIT | SOCK.MSG_TRUNC));
      if (n >= 0) {
        if (n > into.length) {
          throw new NetlinkError(90, `netlink message of ${n} bytes exceeds the ${into.length}-byte receive buffer`, {
            operation: "netlink recv",
          });
        }
        m.result.length = n;
        m.result.nsid = m.sourceNsid();
        return m.result;
      }
      const e = errno();
      if (e === EAGAIN) {
        m.result.length = WOULD_BLOCK;
        m.result.nsid = undefined;
        return m.result;
      }
      if (e === EINTR) continue;
      throw NetlinkError.fromErrno(e, { operation: "netlink recv" });
    }
  }

  /** Resolves when data (or an error) is waiting; rejects if the socket closes or `signal` aborts. */
  readable(signal?: AbortSignal): Promise<void> {
    this.#assertOpen();
    return reactor().readable(this.fd, signal);
  }

  /** Joins multicast group `group` (any number, unlike bind's 32-bit mask). */
  join(group: number): void {
    this.#assertOpen();
    setInt(this.fd, SOCK.SOL_NETLINK, NETLINK_OPT.ADD_MEMBERSHIP, group, "NETLINK_ADD_MEMBERSHIP");
  }

  /** Leaves multicast group `group`. */
  leave(group: number): void {
    this.#assertOpen();
    setInt(this.fd, SOCK.SOL_NETLINK, NETLINK_OPT.DROP_MEMBERSHIP, group, "NETLINK_DROP_MEMBERSHIP");
  }

  /** Sets the receive buffer (SO_RCVBUFFORCE when permitted); returns the size the kernel granted. */
  setReceiveBuffer(bytes: number): number {
    this.#assertOpen();
    setBuffer(this.fd, SOCK.SO_RCVBUFFORCE, SOCK.SO_RCVBUF, bytes, "receive");
    return this.receiveBuffer;
  }

  /** The receive buffer size the kernel reports (twice what was asked: it counts overhead). */
  get receiveBuffer(): number {
    this.#assertOpen();
    return getInt(this.fd, SOCK.SOL_SOCKET, SOCK.SO_RCVBUF, "SO_RCVBUF");
  }

  /** Closes the socket; anyone waiting on it is woken with an error. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    reactor().forget(this.fd);
    // A send on the pool still uses the descriptor: it is closed when that call returns
    // (see sendOnPool), so that its number is not reused by another socket meanwhile.
    if (this.#onPool === undefined) libc().close(this.fd);
    this.fd = -1;
  }

  /** Same as {@linkcode NetlinkSocket.close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new NetlinkError(9, "netlink socket is closed", { operation: "netlink socket" });
  }
}

/** Where in {@linkcode MessageHeader}'s memory each part lives (8-byte aligned, after the msghdr). */
const IOV_AT = MSGHDR.size;
const NAME_AT = IOV_AT + IOVEC.size;
const CONTROL_AT = NAME_AT + 16; // sockaddr_nl is 12 bytes; control messages are 8-byte aligned
const CONTROL_SIZE = 128; // room for several control messages, though netlink sends at most two
const SOCKADDR_NL_SIZE = 12;
const CMSG_LEN_INT = CMSGHDR.size + 4; // CMSG_LEN(sizeof(int))

/**
 * A struct msghdr for recvmsg(2) with its iovec, sender address and control buffer, all in one ArrayBuffer
 * (whose memory never moves, so the pointers stored in it stay valid).
 */
class MessageHeader {
  readonly bytes: Uint8Array<ArrayBuffer> = new Uint8Array(new ArrayBuffer(CONTROL_AT + CONTROL_SIZE));
  readonly view = new DataView(this.bytes.buffer);
  readonly result: { length: number; nsid: number | undefined } = { length: 0, nsid: undefined };
  readonly #base: bigint = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(this.bytes.buffer)));
  #into: Uint8Array | undefined;

  constructor() {
    const v = this.view;
    v.setBigUint64(MSGHDR.name, this.#base + BigInt(NAME_AT), true);
    v.setBigUint64(MSGHDR.iov, this.#base + BigInt(IOV_AT), true);
    v.setBigUint64(MSGHDR.iovlen, 1n, true);
    v.setBigUint64(MSGHDR.control, this.#base + BigInt(CONTROL_AT), true);
  }

  /** Aims the iovec at `into` and resets the lengths the kernel overwrites. */
  point(into: Uint8Array): void {
    const v = this.view;
    if (into !== this.#into) {
      this.#into = into;
      v.setBigUint64(IOV_AT + IOVEC.base, BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(into))), true);
      v.setBigUint64(IOV_AT + IOVEC.len, BigInt(into.length), true);
    }
    v.setUint32(MSGHDR.namelen, SOCKADDR_NL_SIZE, true);
    v.setBigUint64(MSGHDR.controllen, BigInt(CONTROL_SIZE), true);
    v.setInt32(MSGHDR.flags, 0, true);
  }

  /** The NETLINK_LISTEN_ALL_NSID control message's id, if the kernel attached one (CMSG_FIRSTHDR/NXTHDR). */
  sourceNsid(): number | undefined {
    const v = this.view;
    const end = CONTROL_AT + Number(v.getBigUint64(MSGHDR.controllen, true));
    let nsid: number | undefined;
    for (let at = CONTROL_AT; at + CMSGHDR.size <= end;) {
      const len = Number(v.getBigUint64(at + CMSGHDR.len, true));
      if (len < CMSGHDR.size || at + len > end) break;
      if (
        v.getInt32(at + CMSGHDR.level, true) === SOCK.SOL_NETLINK &&
        v.getInt32(at + CMSGHDR.type, true) === NETLINK_OPT.LISTEN_ALL_NSID && len === CMSG_LEN_INT
      ) nsid = v.getInt32(at + CMSGHDR.size, true);
      at += (len + 7) & ~7;
    }
    return nsid;
  }
}

/** struct sockaddr_nl { sa_family_t nl_family; unsigned short pad; u32 nl_pid; u32 nl_groups; } */
function sockaddrNl(pid: number, groups: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setUint16(0, SOCK.AF_NETLINK, true);
  v.setUint32(4, pid, true);
  v.setUint32(8, groups >>> 0, true);
  return b;
}

function setInt(fd: number, level: number, opt: number, value: number, name: string, optional = false): void {
  const b = new Uint8Array(new Int32Array([value]).buffer);
  const r = libc().setsockopt(fd, level, opt, b, 4);
  if (r < 0 && !(optional && errno() === 92 /* ENOPROTOOPT: older kernel */)) {
    throw NetlinkError.fromErrno(errno(), { operation: `setsockopt ${name}` });
  }
}

function getInt(fd: number, level: number, opt: number, name: string): number {
  const b = new Uint8Array(4);
  const len = new Uint8Array(new Uint32Array([4]).buffer);
  check(libc().getsockopt(fd, level, opt, b, len), `getsockopt ${name}`);
  return new DataView(b.buffer).getInt32(0, true);
}

function setBuffer(fd: number, force: number, plain: number, bytes: number, what: string): void {
  const b = new Uint8Array(new Int32Array([bytes]).buffer);
  const c = libc();
  if (c.setsockopt(fd, SOCK.SOL_SOCKET, force, b, 4) === 0) return;
  // Without CAP_NET_ADMIN the forced variant fails with EPERM; the plain one is
  // capped at net.core.{r,w}mem_max, which is the best an unprivileged caller gets.
  check(c.setsockopt(fd, SOCK.SOL_SOCKET, plain, b, 4), `setsockopt ${what} buffer`);
}
