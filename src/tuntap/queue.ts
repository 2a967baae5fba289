/**
 * One queue of a tun/tap device: a non-blocking `/dev/net/tun` file
 * descriptor. Reads wait through the process-wide reactor, so a queue nobody
 * reads costs nothing and an idle one costs no CPU.
 *
 * @module
 */
import { NetlinkError } from "../core/errors.ts";
import {
  closeTun,
  readPacket,
  TUN_IOCTL,
  tunGetIff,
  tunReadable,
  tunSetQueue,
  tunSetValue,
  WOULD_BLOCK,
  writePacket,
} from "../../ffi/tun.ts";

/** Default read buffer: the largest packet (64 KiB) plus virtio-net and packet-info headers. */
export const DEFAULT_READ_BUFFER = 65_600;

/**
 * A queue (file descriptor) of a tun/tap device. Packets are whole: one read
 * returns one packet (an IP packet for tun, an Ethernet frame for tap, after
 * the packet-info and virtio-net headers when those are on); one write sends one.
 *
 * @example
 * ```ts ignore
 * import { createTun } from "@nlink/nlink";
 * using dev = createTun({ mode: "tun", multiQueue: true });
 * const q = dev.openQueue();
 * for await (const packet of q) console.log(packet.length);
 * ```
 */
export class TunQueue implements Disposable, AsyncIterable<Uint8Array> {
  #fd: number;
  #buffer: Uint8Array;
  #closed = false;
  #onClose: ((q: TunQueue) => void) | undefined;

  /** Wraps an attached fd (from `openTun`); use `createTun` / `TunDevice.openQueue`. */
  constructor(fd: number, readBuffer: number, onClose?: (q: TunQueue) => void) {
    this.#fd = fd;
    this.#buffer = new Uint8Array(readBuffer);
    this.#onClose = onClose;
  }

  /** The file descriptor (-1 once closed). */
  get fd(): number {
    return this.#closed ? -1 : this.#fd;
  }

  /** Whether {@linkcode TunQueue.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Reads the next packet, waiting (without blocking the event loop) until
   * one arrives. Rejects when `signal` aborts or the queue is closed.
   */
  async read(signal?: AbortSignal): Promise<Uint8Array> {
    const n = await this.readInto(this.#buffer, signal);
    return this.#buffer.slice(0, n);
  }

  /**
   * Reads the next packet into `into` (no copy); returns its length. A packet
   * longer than `into` is cut short, so size it for the MTU plus headers.
   */
  async readInto(into: Uint8Array, signal?: AbortSignal): Promise<number> {
    for (;;) {
      const n = this.tryRead(into);
      if (n !== WOULD_BLOCK) return n;
      await tunReadable(this.#fd, signal);
    }
  }

  /** Reads a packet into `into` if one is queued: its length, or -1 (nothing now). Never waits. */
  tryRead(into: Uint8Array): number {
    this.#assertOpen();
    return readPacket(this.#fd, into);
  }

  /**
   * Writes one packet (for tun: an IP packet; for tap: an Ethernet frame;
   * preceded by the headers that are on). Returns the bytes written. The kernel
   * refuses packets while the device is down (EIO).
   */
  async write(packet: Uint8Array): Promise<number> {
    // A tun device's send buffer is unlimited unless TUNSETSNDBUF lowers it, so a
    // full one is rare; the reactor watches readability only, so back off on a timer.
    for (let delay = 1;; delay = Math.min(delay * 2, 50)) {
      this.#assertOpen();
      const n = writePacket(this.#fd, packet);
      if (n !== WOULD_BLOCK) return n;
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /**
   * Enables (`true`) or disables this queue of a multi-queue device
   * (TUNSETQUEUE): a disabled queue gets no packets and its writes are refused.
   */
  setEnabled(enabled: boolean): void {
    this.#assertOpen();
    tunSetQueue(this.#fd, enabled);
  }

  /** The device's name and current flags (TUNGETIFF). */
  info(): { name: string; flags: number } {
    this.#assertOpen();
    return tunGetIff(this.#fd);
  }

  /** Sets or clears the device's persistence through this queue (TUNSETPERSIST). */
  setPersist(persist: boolean): void {
    this.#assertOpen();
    tunSetValue(this.#fd, TUN_IOCTL.TUNSETPERSIST, persist ? 1 : 0, "TUNSETPERSIST");
  }

  /**
   * Packets as they arrive, until the queue is closed (closing ends the loop;
   * leaving the loop does not close the queue).
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    while (!this.#closed) {
      try {
        yield await this.read();
      } catch (e) {
        if (this.#closed) return;
        throw e;
      }
    }
  }

  /** Closes the file descriptor; a pending read rejects. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeTun(this.#fd);
    this.#onClose?.(this);
  }

  /** Same as {@linkcode TunQueue.close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new NetlinkError(9, "tun queue is closed", { operation: "tun queue" });
  }
}
