/**
 * {@linkcode NetlinkConnection}: the protocol-independent half of a connection.
 * Sequence numbers, request/ack, single replies, multi-part dumps, streaming
 * dumps, pipelined batches; concurrent requests on one socket demultiplexed by
 * sequence number.
 *
 * How reading works (see DESIGN-NOTES): the kernel answers most requests inside
 * `send`, so every send is followed by a non-blocking drain of the socket, and
 * the reactor is only asked to wait when that finds nothing. Draining right
 * after each send also keeps the socket's receive buffer from overflowing when a
 * thousand requests are issued at once.
 *
 * @module
 */
import { NetlinkSocket, type SocketOptions, WOULD_BLOCK } from "../../ffi/socket.ts";
import { parseDone, parseError } from "./ack.ts";
import { DumpInterruptedError, NetlinkError, ValidationError } from "./errors.ts";
import { NLM_F, NLMSG, NLMSG_HDRLEN } from "./header.ts";
import type { MessageView } from "./message.ts";
import { describeNetns, type NetnsHandle, type NetnsTarget, openNetns } from "../netns/mod.ts";

/** Options shared by every kind of connection. */
export interface ConnectionOptions {
  /** Open the connection inside this network namespace (the caller does not move). */
  netns?: NetnsTarget;
  /** Receive buffer in bytes (default: the kernel's; batches raise it themselves). */
  receiveBuffer?: number;
}

/** A warning the kernel gave with a successful request's ack (see {@linkcode NetlinkConnection.onWarning}). */
export interface NetlinkWarning {
  /** The extended-ack message. */
  message: string;
  /** The operation whose request it answered. */
  operation: string;
}

/** What to do when a dump reports NLM_F_DUMP_INTR (the table changed while it was read). */
export type DumpInterruptPolicy = "retry" | "error" | "ignore";

/** Options for a dump. */
export interface DumpOptions {
  /** Default `"retry"` (up to 5 times, then {@linkcode DumpInterruptedError}). */
  onInterrupt?: DumpInterruptPolicy;
  /** Stop waiting (rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** Options for a streamed dump: a stream cannot retry (its items are already out). */
export interface StreamOptions {
  /** `"error"` (default): throw {@linkcode DumpInterruptedError} after the last item; `"ignore"`: don't. */
  onInterrupt?: "error" | "ignore";
  /** Stop waiting (ends the stream with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * The stream options implied by dump options (`"retry"` becomes `"error"`).
 *
 * @example
 * ```ts
 * import { streamOptionsOf } from "./connection.ts";
 * streamOptionsOf({ onInterrupt: "retry" }).onInterrupt; // "error"
 * ```
 */
export function streamOptionsOf(options: DumpOptions): StreamOptions {
  return { signal: options.signal, onInterrupt: options.onInterrupt === "ignore" ? "ignore" : "error" };
}

/** Turns one received message into a result; return `undefined` to skip it. */
export type Decoder<T> = (msg: MessageView) => T | undefined;

/**
 * Options for {@linkcode NetlinkConnection.sendBatch}.
 *
 * @example
 * ```ts ignore
 * const outcomes = conn.sendBatch(requests, "add routes", { overlap: true });
 * prepareTheNextOnes(); // while the kernel works on these
 * await outcomes;
 * ```
 */
export interface SendBatchOptions {
  /**
   * Let the kernel apply the batch on a thread of Deno's blocking pool
   * (default false): the promise is returned before the kernel has done its
   * work, so the caller can prepare the next batch meanwhile. Only chunks of at
   * least {@linkcode OVERLAP_MIN} messages go there; smaller ones are not worth
   * the hand-off.
   */
  overlap?: boolean;
  /**
   * Which messages ask the kernel for an acknowledgement (default `"last"`):
   * - `"last"`: only each chunk's last one; the others answer only when they
   *   fail, and that last ack proves every earlier one was handled.
   * - `"each"`: every message, as tools that send one request at a time do
   *   (iproute2's `ip rule flush`).
   * - `"none"`: none, as iproute2's flushes send their deletes. The kernel
   *   handles a request inside `send` and queues a failure's error before the
   *   call returns, so a chunk is settled by reading what is queued right
   *   after it: a message with no error there succeeded. Only for families the
   *   kernel handles within `send` (rtnetlink, generic netlink); never with
   *   `overlap`, which it ignores.
   */
  acks?: "last" | "each" | "none";
}

/**
 * The fewest messages in a chunk that {@linkcode SendBatchOptions.overlap}
 * sends on the pool: the kernel takes about 2 µs per route, the hand-off to a
 * pool thread and back tens of µs on an idle machine (more on a busy one).
 *
 * @example
 * ```ts
 * import { OVERLAP_MIN } from "./connection.ts";
 * OVERLAP_MIN; // 256
 * ```
 */
export const OVERLAP_MIN = 256;

/** The outcome of one message of a batch. */
export type BatchOutcome =
  | { ok: true; index: number }
  | { ok: false; index: number; error: NetlinkError };

interface Pending {
  /** The sequence number (set when sent). */
  seq?: number;
  /** Handles a data message (not ERROR/DONE); returns true when that ends the request. */
  data(msg: MessageView): boolean | void;
  /** NLMSG_ERROR with code 0 (an ack) or a failure. */
  error(errno: number, error: NetlinkError | undefined, msg: MessageView): void;
  /** NLMSG_DONE. */
  done(error: NetlinkError | undefined, msg: MessageView): void;
  /** Called when the connection fails or closes. */
  abort(error: unknown): void;
  request: Uint8Array;
  /** For a batch chunk: the request with this sequence number (for extended-ack offsets). */
  requestFor?(seq: number): Uint8Array;
  operation: string;
}

/** A batch chunk: consecutive sequence numbers answered by one handler. */
interface Range {
  first: number;
  last: number;
  pending: Pending;
}

const MAX_RETRIES = 5;
/** Bytes per batch send: well under the default 208 KiB send buffer. */
const CHUNK_BYTES = 128 * 1024;
/** One receive buffer for the process: messages are decoded synchronously out of it. */
const RECV_BUFFER = new Uint8Array(256 * 1024);
const RECV_VIEW = new DataView(RECV_BUFFER.buffer);

/**
 * A netlink connection for any protocol. Family-specific connections
 * (`Connection` for rtnetlink) extend it with typed operations.
 *
 * @example
 * ```ts ignore
 * import { NetlinkConnection } from "./connection.ts";
 * using conn = NetlinkConnection.openProtocol(0); // NETLINK_ROUTE
 * const msgs = await conn.dump(request, (m) => m.type, "raw dump");
 * ```
 */
export class NetlinkConnection {
  /** The request socket. */
  readonly socket: NetlinkSocket;
  /** The namespace the connection lives in, if not the caller's. */
  readonly netns?: NetnsTarget;
  /**
   * Told of the kernel's warnings: extended-ack messages on requests that
   * succeeded (sch_htb's "quantum of class 10005 is small. Consider r2q
   * change.", for one), which iproute2 prints as `Warning: …`. Unset, they
   * are dropped.
   *
   * @example
   * ```ts ignore
   * conn.onWarning = (w) => console.error(`Warning: ${w.message}`);
   * ```
   */
  onWarning?: (warning: NetlinkWarning) => void;
  readonly #ns?: NetnsHandle;
  #seq = 0;
  readonly #pending = new Map<number, Pending>();
  readonly #ranges = new Set<Range>();
  /** Sockets of streams and subscriptions: closed with the connection. */
  readonly #siblings = new Set<NetlinkSocket>();
  /** Connections of other protocols in the same namespace: closed with this one. */
  readonly #companions = new Set<NetlinkConnection>();
  #pumping = false;
  /**
   * A batch is being sent (its chunks one after another, on the pool or not):
   * other sends queue behind it, in order, so the kernel sees requests in the
   * order they were made.
   */
  #busy = false;
  readonly #sendQueue: (() => void)[] = [];
  #dumpBusy = false;
  #dumpDraining = false;
  readonly #dumpQueue: (() => void)[] = [];
  #closed = false;
  readonly #cursor: MessageView = {
    bytes: RECV_BUFFER,
    view: RECV_VIEW,
    offset: 0,
    length: 0,
    type: 0,
    flags: 0,
    seq: 0,
    pid: 0,
  };

  /** Wraps an open socket; use a subclass's `open()` instead. */
  protected constructor(socket: NetlinkSocket, netns?: NetnsTarget, ns?: NetnsHandle) {
    this.socket = socket;
    this.netns = netns;
    this.#ns = ns;
  }

  /**
   * Opens a socket for `protocol` (inside `options.netns` if given) and returns
   * the pieces a subclass constructor takes.
   */
  protected static openSocket(
    protocol: number,
    options: ConnectionOptions = {},
  ): [NetlinkSocket, NetnsTarget | undefined, NetnsHandle | undefined] {
    const ns = options.netns === undefined ? undefined : openNetns(options.netns);
    try {
      const socket = NetlinkSocket.open(protocol, { netnsFd: ns?.fd, receiveBuffer: options.receiveBuffer });
      return [socket, options.netns, ns];
    } catch (e) {
      ns?.close();
      if (e instanceof NetlinkError && options.netns !== undefined && !e.message.includes("netns")) {
        throw new NetlinkError(e.errno, `${describeNetns(options.netns)}: ${e.message}`, {
          cause: e,
          operation: e.operation,
        });
      }
      throw e;
    }
  }

  /**
   * Opens a bare connection for any netlink protocol number.
   *
   * @example
   * ```ts ignore
   * import { NetlinkConnection } from "./connection.ts";
   * const conn = NetlinkConnection.openProtocol(4); // NETLINK_SOCK_DIAG
   * ```
   */
  static openProtocol(protocol: number, options: ConnectionOptions = {}): NetlinkConnection {
    const [socket, netns, ns] = NetlinkConnection.openSocket(protocol, options);
    return new NetlinkConnection(socket, netns, ns);
  }

  /**
   * Opens another socket of the same protocol in the same namespace (for a
   * stream or an event subscription that must not share the request socket).
   */
  openSibling(options: Omit<SocketOptions, "netnsFd"> = {}): NetlinkSocket {
    this.#assertOpen();
    for (const s of this.#siblings) if (s.closed) this.#siblings.delete(s);
    const socket = NetlinkSocket.open(this.socket.protocol, { ...options, netnsFd: this.#ns?.fd });
    this.#siblings.add(socket);
    return socket;
  }

  /**
   * Opens a connection of another netlink protocol in this connection's
   * network namespace (generic netlink beside rtnetlink, for one), closed
   * together with this one. `make` wraps the pieces as a subclass's
   * constructor takes them; the namespace handle it gets belongs to this
   * connection.
   *
   * @example
   * ```ts ignore
   * const genl = conn.openCompanion(16, (socket, netns, ns) => new GenlConnection(socket, netns, ns));
   * ```
   */
  openCompanion<T extends NetlinkConnection>(
    protocol: number,
    make: (socket: NetlinkSocket, netns: NetnsTarget | undefined, ns: NetnsHandle | undefined) => T,
  ): T {
    this.#assertOpen();
    for (const c of this.#companions) if (c.closed) this.#companions.delete(c);
    const fd = this.#ns?.fd;
    // The companion uses this connection's namespace descriptor and must not close it.
    const ns: NetnsHandle | undefined = fd === undefined ? undefined : { fd, close() {} };
    const socket = NetlinkSocket.open(protocol, { netnsFd: fd });
    try {
      const companion = make(socket, this.netns, ns);
      this.#companions.add(companion);
      return companion;
    } catch (e) {
      socket.close();
      throw e;
    }
  }

  /** Whether {@linkcode NetlinkConnection.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Requests still waiting for the kernel. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Closes the socket; pending requests fail. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const err = new NetlinkError(9, "connection closed", { operation: "close" });
    for (const p of new Set(this.#pending.values())) p.abort(err);
    this.#pending.clear();
    // Sends still queued run now and fail on the closed socket (their requests were aborted above).
    for (const send of this.#sendQueue.splice(0)) send();
    this.socket.close();
    // Streams and subscriptions waiting on these end (they return) at once.
    for (const s of this.#siblings) s.close();
    this.#siblings.clear();
    for (const c of this.#companions) c.close();
    this.#companions.clear();
    this.#ns?.close();
  }

  /** Same as {@linkcode NetlinkConnection.close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new NetlinkError(9, "connection is closed", { operation: "request" });
  }

  #nextSeq(): number {
    this.#seq = this.#seq >= 0xfffffffe ? 1 : this.#seq + 1;
    return this.#seq;
  }

  /**
   * Sends one request and resolves when the kernel acknowledges it (the request
   * must carry NLM_F_ACK), or rejects with the kernel's {@linkcode NetlinkError}.
   */
  ack(request: Uint8Array, operation: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#send(request, operation, {
        data() {},
        error: (errno, error) => (errno === 0 ? resolve() : reject(error)),
        done: (error) => (error ? reject(error) : resolve()),
        abort: reject,
        request,
        operation,
      });
    });
  }

  /**
   * Sends one GET request (no dump) and resolves with its decoded reply.
   */
  get<T>(request: Uint8Array, decode: Decoder<T>, operation: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let result: T | undefined;
      let have = false;
      const plainGet = !(request[6] & NLM_F.ACK);
      this.#send(request, operation, {
        data: (msg) => {
          if (have) return false;
          try {
            result = decode(msg);
          } catch (e) {
            reject(e);
            return true;
          }
          have = result !== undefined;
          // A plain GET gets one reply and no ack: that reply ends it.
          if (have && plainGet && !(msg.flags & NLM_F.MULTI)) {
            resolve(result as T);
            return true;
          }
          return false;
        },
        error: (errno, error) => (errno === 0 && have ? resolve(result as T) : reject(error ?? noReply(operation))),
        done: (error) => (error ? reject(error) : have ? resolve(result as T) : reject(noReply(operation))),
        abort: reject,
        request,
        operation,
      });
    });
  }

  /**
   * Sends a dump request and collects every decoded reply. Dumps on one
   * connection run one after another (the kernel allows one per socket).
   */
  async dump<T>(request: Uint8Array, decode: Decoder<T>, operation: string, options: DumpOptions = {}): Promise<T[]> {
    const policy = options.onInterrupt ?? "retry";
    options.signal?.throwIfAborted();
    await this.#acquireDump(options.signal);
    try {
      for (let attempt = 0;; attempt++) {
        const { results, interrupted } = await this.#dumpOnce(request, decode, operation, options.signal);
        if (!interrupted || policy === "ignore") return results;
        if (policy === "error" || attempt >= MAX_RETRIES) throw new DumpInterruptedError(operation);
      }
    } finally {
      // An aborted dump is still running in the kernel: the socket is free for
      // the next dump only once its rest has been read (see #dumpOnce).
      if (!this.#dumpDraining) this.#releaseDump();
    }
  }

  #dumpOnce<T>(
    request: Uint8Array,
    decode: Decoder<T>,
    operation: string,
    signal?: AbortSignal,
  ): Promise<{ results: T[]; interrupted: boolean }> {
    return new Promise((resolve, reject) => {
      const results: T[] = [];
      let interrupted = false;
      let failed: unknown;
      let finished = false;
      let discarding = false;
      const endDrain = () => {
        if (!discarding) return;
        discarding = false;
        this.#dumpDraining = false;
        this.#releaseDump();
      };
      const onAbort = () => {
        // The caller stops waiting now; the rest of the dump is read and dropped.
        discarding = true;
        this.#dumpDraining = true;
        finish(signal!.reason);
      };
      const finish = (error?: unknown) => {
        if (finished) return;
        finished = true;
        signal?.removeEventListener("abort", onAbort);
        if (error ?? failed) reject(error ?? failed);
        else resolve({ results, interrupted });
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const pending: Pending = {
        data(msg) {
          if (msg.flags & NLM_F.DUMP_INTR) interrupted = true;
          if (failed || discarding) return;
          try {
            const r = decode(msg);
            if (r !== undefined) results.push(r);
          } catch (e) {
            failed = e; // keep reading to the end of the dump, then report
          }
        },
        error: (errno, error) => {
          endDrain();
          finish(errno === 0 ? undefined : error);
        },
        done: (error, msg) => {
          endDrain();
          if (msg.flags & NLM_F.DUMP_INTR) interrupted = true;
          finish(error);
        },
        abort: (e) => {
          endDrain();
          finish(e);
        },
        request,
        operation,
      };
      this.#send(request, operation, pending);
    });
  }

  async #acquireDump(signal?: AbortSignal): Promise<void> {
    this.#assertOpen();
    if (!this.#dumpBusy) {
      this.#dumpBusy = true;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.#dumpQueue.indexOf(go);
        if (i >= 0) this.#dumpQueue.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#dumpQueue.push(go);
    });
  }

  #releaseDump(): void {
    const next = this.#dumpQueue.shift();
    if (next) next();
    else this.#dumpBusy = false;
  }

  /**
   * Streams a dump: yields decoded replies as they arrive, reading from the
   * kernel only as fast as the consumer takes them, without building a list.
   * Each stream has its own socket, so breaking out of the loop ends the dump
   * at once. A dump interrupted by a concurrent change throws
   * {@linkcode DumpInterruptedError} after its last item unless `onInterrupt`
   * is `"ignore"` (a stream cannot be retried: its items are already out).
   */
  async *stream<T>(
    request: Uint8Array,
    decode: Decoder<T>,
    operation: string,
    options: StreamOptions = {},
  ): AsyncGenerator<T, void, undefined> {
    const socket = this.openSibling();
    try {
      const seq = 1;
      new DataView(request.buffer, request.byteOffset).setUint32(8, seq, true);
      socket.send(request);
      let interrupted = false;
      const batch: T[] = [];
      for (;;) {
        const n = socket.recv(RECV_BUFFER);
        if (n === WOULD_BLOCK) {
          if (!(await waitReadable(socket, options.signal))) return; // the connection was closed
          continue;
        }
        let end = false;
        let failure: NetlinkError | undefined;
        forEachMessage(RECV_BUFFER, RECV_VIEW, n, this.#cursor, (m) => {
          if (m.seq !== seq || end) return;
          if (m.flags & NLM_F.DUMP_INTR) interrupted = true;
          const last = dumpEnd(m, request, operation);
          if (last !== undefined) {
            end = true;
            failure = last ?? undefined;
          } else if (m.type >= NLMSG.MIN_TYPE) {
            const r = decode(m);
            if (r !== undefined) batch.push(r);
          }
        });
        // Decoding happened synchronously above; now hand the items out.
        for (let i = 0; i < batch.length; i++) yield batch[i];
        batch.length = 0;
        if (failure) throw failure;
        if (end) break;
      }
      if (interrupted && options.onInterrupt !== "ignore") throw new DumpInterruptedError(operation);
    } finally {
      socket.close();
    }
  }

  /**
   * A dump's replies as the kernel sent them, undecoded: every datagram
   * received (padded to 4 bytes), the closing NLMSG_DONE included — what
   * `ss -D FILE` saves. Read on a socket of its own, with a 64 KiB buffer (the
   * kernel then fills each datagram up to about 32 KiB, as for iproute2); a
   * failed dump rejects.
   *
   * @example
   * ```ts ignore
   * const datagrams = await conn.rawDump(request, "raw dump");
   * ```
   */
  async rawDump(request: Uint8Array, operation: string, signal?: AbortSignal): Promise<Uint8Array[]> {
    const seq = 1;
    new DataView(request.buffer, request.byteOffset).setUint32(8, seq, true);
    const socket = this.openSibling();
    const buffer = new Uint8Array(64 * 1024);
    const view = new DataView(buffer.buffer);
    const cursor: MessageView = { bytes: buffer, view, offset: 0, length: 0, type: 0, flags: 0, seq: 0, pid: 0 };
    const datagrams: Uint8Array[] = [];
    try {
      socket.send(request);
      for (let end = false; !end;) {
        const n = socket.recv(buffer);
        if (n === WOULD_BLOCK) {
          if (!(await waitReadable(socket, signal))) throw new NetlinkError(9, `${operation}: connection closed`);
          continue;
        }
        datagrams.push(buffer.slice(0, (n + 3) & ~3));
        let failure: NetlinkError | undefined;
        forEachMessage(buffer, view, n, cursor, (m) => {
          if (m.seq !== seq || end) return;
          const last = dumpEnd(m, request, operation);
          if (last !== undefined) {
            end = true;
            failure = last ?? undefined;
          }
        });
        if (failure) throw failure;
      }
      return datagrams;
    } finally {
      socket.close();
    }
  }

  /**
   * Sends many requests pipelined — hundreds per `send`, the kernel's ack asked
   * only of each chunk's last message unless `acks` says otherwise — and
   * reports every message's outcome in order. `requests` holds the messages
   * back to back (as a MessageWriter builds them); their sequence numbers and
   * ack flags are rewritten. With
   * `overlap` the kernel works on another thread (see
   * {@linkcode SendBatchOptions}); either way requests reach the kernel in the
   * order they were sent on this connection, and `requests` must stay
   * unchanged until the promise settles.
   */
  sendBatch(requests: Uint8Array, operation: string, options: SendBatchOptions = {}): Promise<BatchOutcome[]> {
    try {
      this.#assertOpen();
      const offsets = messageOffsets(requests);
      if (offsets.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        // Started at once when nothing else is being sent (the first chunk is then on its way
        // when this returns), else after what was sent before.
        this.#inOrder(() => {
          this.#busy = true;
          this.#sendChunks(requests, offsets, operation, options).then(resolve, reject).finally(
            () => {
              this.#busy = false;
              this.#runQueued();
            },
          );
        });
      });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Sends a batch chunk by chunk, each after the one before was answered. */
  async #sendChunks(
    requests: Uint8Array,
    offsets: number[],
    operation: string,
    options: SendBatchOptions,
  ): Promise<BatchOutcome[]> {
    const acks = options.acks ?? "last";
    if (acks !== "last" && acks !== "each" && acks !== "none") {
      throw new ValidationError("acks", acks, 'expected "last", "each" or "none"');
    }
    const overlap = options.overlap === true && acks !== "none";
    const outcomes: BatchOutcome[] = new Array(offsets.length);
    // Failures come back as one error message each; size the chunks so that a
    // chunk of failures always fits in the receive buffer.
    let rcvbuf = this.socket.receiveBuffer;
    if (rcvbuf < 4 << 20) rcvbuf = this.socket.setReceiveBuffer(4 << 20);
    const perChunk = Math.max(16, Math.min(1024, Math.floor(rcvbuf / 2 / 1024)));
    const view = new DataView(requests.buffer, requests.byteOffset, requests.byteLength);
    let first = 0;
    while (first < offsets.length) {
      // A chunk also stays well below the socket's send buffer (EMSGSIZE otherwise).
      let last = first;
      let bytes = (view.getUint32(offsets[first], true) + 3) & ~3;
      while (last + 1 < offsets.length && last + 1 - first < perChunk) {
        const next = (view.getUint32(offsets[last + 1], true) + 3) & ~3;
        if (bytes + next > CHUNK_BYTES) break;
        bytes += next;
        last++;
      }
      for (let i = first; i <= last; i++) {
        const flags = view.getUint16(offsets[i] + 6, true);
        const ack = acks === "each" || (acks === "last" && i === last);
        view.setUint16(offsets[i] + 6, ack ? flags | NLM_F.ACK : flags & ~NLM_F.ACK, true);
      }
      const onPool = overlap && last - first + 1 >= OVERLAP_MIN;
      await this.#sendChunk(requests, offsets, first, last, outcomes, operation, onPool, acks === "none");
      first = last + 1;
    }
    return outcomes;
  }

  #sendChunk(
    requests: Uint8Array,
    offsets: number[],
    first: number,
    last: number,
    outcomes: BatchOutcome[],
    operation: string,
    onPool: boolean,
    unacked: boolean,
  ): Promise<void> {
    return new Promise((resolve) => {
      const count = last - first + 1;
      // Consecutive sequence numbers: one range entry serves the whole chunk.
      if (this.#seq + count >= 0xfffffff0) this.#seq = 0;
      const firstSeq = this.#seq + 1;
      this.#seq += count;
      const view = new DataView(requests.buffer, requests.byteOffset, requests.byteLength);
      for (let i = first; i <= last; i++) {
        view.setUint32(offsets[i] + 8, firstSeq + (i - first), true);
        view.setUint32(offsets[i] + 12, 0, true);
      }
      const start = offsets[first];
      const end = offsets[last] + ((view.getUint32(offsets[last], true) + 3) & ~3);
      const chunk = requests.subarray(start, end);
      let finished = false;
      // On the pool the answers can be read (by a reader already waiting) before the
      // call has returned: the chunk is done when both have happened.
      let returned = !onPool;
      const done = () => {
        if (finished && returned) resolve();
      };
      const complete = (failAll?: unknown) => {
        if (finished) return;
        finished = true;
        this.#pending.delete(firstSeq + count - 1);
        this.#ranges.delete(range);
        for (let i = first; i <= last; i++) {
          if (outcomes[i] === undefined) {
            outcomes[i] = failAll
              ? { ok: false, index: i, error: asNetlinkError(failAll, operation) }
              : { ok: true, index: i };
          }
        }
        done();
      };
      // The chunk is done at its last message's ack (or failure): the messages
      // before it were handled first. Without acks, once its failures are read.
      const range: Range = {
        first: firstSeq,
        last: firstSeq + count - 1,
        pending: {
          data() {},
          error: (errno, error, msg) => {
            const index = first + (msg.seq - firstSeq);
            if (errno !== 0) outcomes[index] = { ok: false, index, error: error! };
            if (index === last) complete();
          },
          done: (_error, msg) => {
            if (first + (msg.seq - firstSeq) === last) complete();
          },
          abort: (e) => complete(e),
          request: chunk,
          requestFor: (seq) => {
            const i = first + (seq - firstSeq);
            return requests.subarray(offsets[i], offsets[i] + view.getUint32(offsets[i], true));
          },
          operation,
        },
      };
      this.#ranges.add(range);
      this.#pending.set(range.last, range.pending);
      if (onPool) {
        this.#sendOnPool(chunk, complete).then(() => {
          returned = true;
          done();
        });
        return;
      }
      try {
        this.socket.send(chunk);
      } catch (e) {
        complete(e);
        return;
      }
      this.#drain();
      if (unacked) complete(); // the failures were queued before send returned, and are read
      this.#pump();
    });
  }

  /** Runs `send` now, or after a batch being sent and the sends queued before it. */
  #inOrder(send: () => void): void {
    if (this.#busy || this.#sendQueue.length > 0) this.#sendQueue.push(send);
    else send();
  }

  /** Runs the queued sends, in order, until one of them is a batch (which runs the rest when done). */
  #runQueued(): void {
    while (!this.#busy && this.#sendQueue.length > 0) this.#sendQueue.shift()!();
  }

  /**
   * Sends `chunk` on Deno's blocking pool; when the call returns, reads the
   * answers the kernel queued meanwhile. Resolves then (`fail` took any error).
   */
  #sendOnPool(chunk: Uint8Array, fail: (e: unknown) => void): Promise<void> {
    const after = () => {
      if (this.#closed) return;
      this.#drain();
      this.#pump();
    };
    let sent: Promise<void>;
    try {
      sent = this.socket.sendOnPool(chunk);
    } catch (e) {
      fail(e);
      return Promise.resolve();
    }
    return sent.then(after, (e) => {
      fail(e);
      after();
    });
  }

  /** Registers `pending` under a fresh sequence number, sends, drains. Returns the seq. */
  #send(request: Uint8Array, operation: string, pending: Pending): number {
    this.#assertOpen();
    const seq = this.#nextSeq();
    const v = new DataView(request.buffer, request.byteOffset, request.byteLength);
    v.setUint32(8, seq, true);
    v.setUint32(12, 0, true);
    pending.operation = operation;
    pending.seq = seq;
    this.#pending.set(seq, pending);
    this.#inOrder(() => {
      try {
        this.socket.send(request);
      } catch (e) {
        this.#pending.delete(seq);
        pending.abort(asNetlinkError(e, operation));
        return;
      }
      this.#drain();
      this.#pump();
    });
    return seq;
  }

  /** Reads and dispatches everything queued on the socket, without blocking. */
  #drain(): void {
    while (this.#pending.size > 0 && !this.#closed) {
      let n: number;
      try {
        n = this.socket.recv(RECV_BUFFER);
      } catch (e) {
        this.#failAll(e);
        return;
      }
      if (n === WOULD_BLOCK) return;
      this.#dispatch(n);
    }
  }

  /** Waits on the reactor while requests are pending and nothing is queued. */
  #pump(): void {
    if (this.#pumping || this.#pending.size === 0 || this.#closed) return;
    this.#pumping = true;
    (async () => {
      try {
        while (this.#pending.size > 0 && !this.#closed) {
          await this.socket.readable();
          this.#drain();
        }
      } catch (e) {
        if (!this.#closed) this.#failAll(e);
      } finally {
        this.#pumping = false;
      }
    })();
  }

  #failAll(e: unknown): void {
    const err = asNetlinkError(e, "receive");
    const all = new Set(this.#pending.values());
    this.#pending.clear();
    for (const p of all) p.abort(err);
  }

  #rangeOf(seq: number): Pending | undefined {
    for (const r of this.#ranges) if (seq >= r.first && seq <= r.last) return r.pending;
    return undefined;
  }

  #dispatch(n: number): void {
    forEachMessage(RECV_BUFFER, RECV_VIEW, n, this.#cursor, (m) => {
      const p = this.#pending.get(m.seq) ?? this.#rangeOf(m.seq);
      if (p === undefined) return; // a late reply to an aborted request, or a stray notification
      switch (m.type) {
        case NLMSG.ERROR: {
          const request = p.requestFor ? p.requestFor(m.seq) : p.request;
          const { errno, error, warning } = parseError(
            m.bytes,
            m.view,
            m.offset,
            m.length,
            m.flags,
            request,
            p.operation,
          );
          if (warning !== undefined) this.onWarning?.({ message: warning, operation: p.operation });
          if (!p.requestFor) this.#pending.delete(m.seq);
          p.error(errno, error, m);
          break;
        }
        case NLMSG.DONE:
          this.#pending.delete(m.seq);
          p.done(parseDone(m.bytes, m.view, m.offset, m.length, m.flags, p.request, p.operation), m);
          break;
        case NLMSG.NOOP:
          break;
        case NLMSG.OVERRUN:
          this.#pending.delete(m.seq);
          p.abort(new NetlinkError(105, `${p.operation}: data lost (NLMSG_OVERRUN)`, { operation: p.operation }));
          break;
        default:
          if (p.data(m) === true) this.#pending.delete(m.seq);
      }
    });
  }
}

/**
 * Whether `m` ends a dump: undefined when it does not, null for a clean
 * NLMSG_DONE, the error for a failed one (an error in NLMSG_DONE or NLMSG_ERROR).
 */
function dumpEnd(m: MessageView, request: Uint8Array, operation: string): NetlinkError | null | undefined {
  if (m.type === NLMSG.DONE) return parseDone(m.bytes, m.view, m.offset, m.length, m.flags, request, operation) ?? null;
  if (m.type === NLMSG.ERROR) {
    return parseError(m.bytes, m.view, m.offset, m.length, m.flags, request, operation).error ?? null;
  }
  return undefined;
}

function noReply(operation: string): NetlinkError {
  return new NetlinkError(61, `${operation}: the kernel sent no reply`, { operation });
}

function asNetlinkError(e: unknown, operation: string): NetlinkError {
  if (e instanceof NetlinkError) return e;
  return new NetlinkError(0, `${operation}: ${e instanceof Error ? e.message : String(e)}`, { operation, cause: e });
}

/**
 * Waits until `socket` is readable. Returns false when the socket was closed
 * meanwhile (a stream then ends quietly); rejects when `signal` aborts.
 */
export async function waitReadable(socket: NetlinkSocket, signal?: AbortSignal): Promise<boolean> {
  try {
    await socket.readable(signal);
    return true;
  } catch (e) {
    if (socket.closed && !signal?.aborted) return false;
    throw e;
  }
}

/**
 * Calls `fn` for each netlink message in `b[0, n)`, reusing `cursor`.
 * Stops at the first malformed header (the rest of the datagram is unusable).
 */
export function forEachMessage(
  b: Uint8Array,
  v: DataView,
  n: number,
  cursor: MessageView,
  fn: (m: MessageView) => void,
): void {
  cursor.bytes = b;
  cursor.view = v;
  let off = 0;
  while (off + NLMSG_HDRLEN <= n) {
    const len = v.getUint32(off, true);
    if (len < NLMSG_HDRLEN || off + len > n) return;
    cursor.offset = off;
    cursor.length = len;
    cursor.type = v.getUint16(off + 4, true);
    cursor.flags = v.getUint16(off + 6, true);
    cursor.seq = v.getUint32(off + 8, true);
    cursor.pid = v.getUint32(off + 12, true);
    fn(cursor);
    off += (len + 3) & ~3;
  }
}

/**
 * The offsets of back-to-back messages in a buffer.
 *
 * @example
 * ```ts
 * import { messageOffsets } from "./connection.ts";
 * messageOffsets(new Uint8Array(0)); // []
 * ```
 */
export function messageOffsets(b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  let off = 0;
  while (off + NLMSG_HDRLEN <= b.length) {
    const len = v.getUint32(off, true);
    if (len < NLMSG_HDRLEN || off + len > b.length) {
      throw new NetlinkError(22, `malformed request buffer at byte ${off}`, { operation: "batch" });
    }
    out.push(off);
    off += (len + 3) & ~3;
  }
  return out;
}
