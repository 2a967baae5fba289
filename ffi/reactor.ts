/**
 * One reactor for the whole process: a single epoll set watches every socket
 * somebody is waiting on, plus an eventfd for wake-ups.
 *
 * Why it looks like this (see DESIGN-NOTES): a pending non-blocking FFI call keeps
 * the Deno process alive and occupies one thread of Deno's 32-thread blocking
 * pool. So there is exactly one `epoll_wait` in flight, and only while at least
 * one caller waits; when the last waiter leaves, the eventfd wakes the wait and
 * the loop stops, so a finished script exits by itself and an idle process uses
 * no CPU. Each socket is registered EPOLLONESHOT and re-armed per wait, so a
 * readable socket nobody waits on never spins the loop.
 *
 * @module
 */
import { check, errno, libc } from "./libc.ts";
import { EFD, EPOLL } from "./constants.ts";
import { NetlinkError } from "../src/core/errors.ts";

/** struct epoll_event is packed (12 bytes) on x86_64 only. */
const EVENT_SIZE = Deno.build.arch === "x86_64" ? 12 : 16;
const DATA_OFFSET = Deno.build.arch === "x86_64" ? 4 : 8;
const MAX_EVENTS = 64;

interface Waiter {
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * Waits for file descriptors to become readable, for the whole process.
 * Use {@linkcode reactor} to get the instance.
 *
 * @example
 * ```ts ignore
 * import { reactor } from "./reactor.ts";
 * await reactor().readable(fd); // resolves when fd has data (or an error)
 * ```
 */
export class Reactor {
  #epfd = -1;
  #eventfd = -1;
  #waiters = new Map<number, Waiter[]>();
  #registered = new Set<number>();
  #running = false;
  #events = new Uint8Array(EVENT_SIZE * MAX_EVENTS);
  #ctl = new Uint8Array(EVENT_SIZE);
  #one = new Uint8Array(new BigUint64Array([1n]).buffer);
  #drain = new Uint8Array(8);

  /**
   * Creates the epoll set and the wake-up eventfd, when the first descriptor is
   * armed: a program whose requests never wait (the kernel answered them inside
   * the send) does not pay for them, nor for opening their libc symbols, and
   * closing its sockets (`forget`) costs nothing.
   */
  #open(): void {
    const c = libc();
    const epfd = check(c.epoll_create1(EPOLL.EPOLL_CLOEXEC), "epoll_create1");
    const eventfd = c.eventfd(0, EFD.CLOEXEC | EFD.NONBLOCK);
    if (eventfd < 0) {
      const e = errno();
      c.close(epfd); // both are made again at the next wait
      throw NetlinkError.fromErrno(e, { operation: "eventfd" });
    }
    this.#epfd = epfd;
    this.#eventfd = eventfd;
    this.#control(EPOLL.EPOLL_CTL_ADD, this.#eventfd, EPOLL.EPOLLIN);
  }

  /** How many file descriptors have a waiter right now. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Whether an `epoll_wait` is in flight. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Resolves when `fd` is readable (or has an error/hang-up to report); rejects
   * when `signal` aborts or the fd is {@linkcode Reactor.forget forgotten}.
   */
  readable(fd: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      let onAbort: (() => void) | undefined;
      const waiter: Waiter = {
        resolve: () => {
          if (onAbort) signal!.removeEventListener("abort", onAbort);
          resolve();
        },
        reject: (e) => {
          if (onAbort) signal!.removeEventListener("abort", onAbort);
          reject(e);
        },
      };
      const list = this.#waiters.get(fd);
      if (list) list.push(waiter);
      else {
        this.#waiters.set(fd, [waiter]);
        this.#arm(fd);
      }
      if (signal) {
        onAbort = () => {
          this.#remove(fd, waiter);
          reject(signal.reason);
        };
        signal.addEventListener("abort", onAbort, { once: true });
      }
      this.#start();
    });
  }

  /**
   * Stops watching `fd` (call before closing it): its waiters are rejected with
   * `reason`, and the loop stops at once if nobody else waits.
   */
  forget(fd: number, reason?: unknown): void {
    const list = this.#waiters.get(fd);
    this.#waiters.delete(fd);
    if (this.#registered.delete(fd)) this.#control(EPOLL.EPOLL_CTL_DEL, fd, 0, true);
    if (list) {
      const err = reason ?? new NetlinkError(9, "socket closed while waiting", { operation: "wait" });
      for (const w of list) w.reject(err);
    }
    if (this.#waiters.size === 0) this.#wake();
  }

  #remove(fd: number, waiter: Waiter): void {
    const list = this.#waiters.get(fd);
    if (!list) return;
    const i = list.indexOf(waiter);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) {
      this.#waiters.delete(fd);
      if (this.#waiters.size === 0) this.#wake();
    }
  }

  #arm(fd: number): void {
    if (this.#epfd < 0) this.#open();
    const events = EPOLL.EPOLLIN | EPOLL.EPOLLONESHOT;
    if (this.#registered.has(fd)) this.#control(EPOLL.EPOLL_CTL_MOD, fd, events);
    else {
      this.#control(EPOLL.EPOLL_CTL_ADD, fd, events);
      this.#registered.add(fd);
    }
  }

  #control(op: number, fd: number, events: number, ignoreErrors = false): void {
    const v = new DataView(this.#ctl.buffer);
    v.setUint32(0, events >>> 0, true);
    v.setBigUint64(DATA_OFFSET, BigInt(fd), true);
    const r = libc().epoll_ctl(this.#epfd, op, fd, this.#ctl);
    if (!ignoreErrors) check(r, "epoll_ctl");
  }

  #wake(): void {
    if (this.#running) libc().write(this.#eventfd, this.#one, 8n);
  }

  #start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop().catch((e) => {
      for (const fd of [...this.#waiters.keys()]) this.forget(fd, e);
    }).finally(() => {
      this.#running = false;
      // A waiter may have arrived while the last wait was returning.
      if (this.#waiters.size > 0) this.#start();
    });
  }

  async #loop(): Promise<void> {
    const c = libc();
    const view = new DataView(this.#events.buffer);
    let failures = 0;
    while (this.#waiters.size > 0) {
      const n = await c.epoll_wait(this.#epfd, this.#events, MAX_EVENTS, -1);
      if (n < 0) {
        // EINTR on the pool thread; errno is that thread's, so just retry, but
        // never spin forever on a broken epoll set.
        if (++failures > 1000) {
          const err = new NetlinkError(0, "epoll_wait keeps failing", { operation: "reactor" });
          for (const fd of [...this.#waiters.keys()]) this.forget(fd, err);
        }
        continue;
      }
      failures = 0;
      for (let i = 0; i < n; i++) {
        const fd = Number(view.getBigUint64(i * EVENT_SIZE + DATA_OFFSET, true));
        if (fd === this.#eventfd) {
          c.read(this.#eventfd, this.#drain, 8n);
          continue;
        }
        const list = this.#waiters.get(fd);
        if (!list) continue;
        this.#waiters.delete(fd);
        for (const w of list) w.resolve();
      }
    }
  }
}

let instance: Reactor | undefined;

/**
 * The process-wide reactor, created on first use.
 *
 * @example
 * ```ts ignore
 * import { reactor } from "./reactor.ts";
 * reactor().waiting; // 0 when nothing waits
 * ```
 */
export function reactor(): Reactor {
  return instance ??= new Reactor();
}
