/**
 * Creating a tun/tap device and the handle that owns its queues.
 *
 * @module
 */
import { NetlinkError, ValidationError } from "../core/errors.ts";
import { type NetnsHandle, openNetns } from "../netns/mod.ts";
import { closeTun, openTun, TUN_FLAG, TUN_IOCTL, tunSetIntPointer, tunSetValue } from "../../ffi/tun.ts";
import { type CheckedTunOptions, checkTunOptions, type TunMode, type TunOptions } from "./options.ts";
import { DEFAULT_READ_BUFFER, TunQueue } from "./queue.ts";

/**
 * A tun/tap device opened by this process: its real name, its queues (one,
 * or more for a multi-queue device), and packet I/O on the first queue.
 * Closing it closes every queue; a device that is not persistent then
 * disappears.
 *
 * @example
 * ```ts ignore
 * import { createTun } from "@nlink/nlink";
 * using dev = createTun({ mode: "tun", name: "vpn%d" });
 * console.log(dev.name); // "vpn0"
 * const packet = await dev.read();
 * ```
 */
export class TunDevice implements Disposable, AsyncIterable<Uint8Array> {
  /** The device's name as the kernel made it (a `%d` pattern filled in). */
  readonly name: string;
  /** `"tun"` or `"tap"`. */
  readonly mode: TunMode;
  /** The TUNSETIFF flags it was opened with (IFF_*). */
  readonly flags: number;
  readonly #queues: TunQueue[] = [];
  readonly #ns: NetnsHandle | undefined;
  readonly #readBuffer: number;
  #closed = false;

  /** Use {@linkcode createTun}. */
  constructor(name: string, mode: TunMode, flags: number, fd: number, ns: NetnsHandle | undefined, readBuffer: number) {
    this.name = name;
    this.mode = mode;
    this.flags = flags;
    this.#ns = ns;
    this.#readBuffer = readBuffer;
    this.#queues.push(this.#wrap(fd));
  }

  /** The open queues, first the one made with the device. */
  get queues(): readonly TunQueue[] {
    return this.#queues;
  }

  /** Whether {@linkcode TunDevice.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether the device outlives its file descriptors now (TUNGETIFF's IFF_PERSIST). */
  get persistent(): boolean {
    return (this.#first().info().flags & TUN_FLAG.PERSIST) !== 0;
  }

  /**
   * Opens another queue of a multi-queue device (another fd attached to it).
   *
   * @example
   * ```ts ignore
   * using dev = createTun({ mode: "tap", multiQueue: true });
   * const second = dev.openQueue();
   * ```
   */
  openQueue(): TunQueue {
    this.#assertOpen();
    if (!(this.flags & TUN_FLAG.MULTI_QUEUE)) {
      throw new ValidationError("multiQueue", false, "only a multi-queue device has more than one queue");
    }
    // Attach, never create: without IFF_TUN_EXCL, TUNSETIFF joins the existing device.
    const { fd } = openTun(this.name, this.flags & ~TUN_FLAG.TUN_EXCL, this.#ns?.fd);
    const q = this.#wrap(fd);
    this.#queues.push(q);
    return q;
  }

  /** Reads the next packet from the first queue. */
  async read(signal?: AbortSignal): Promise<Uint8Array> {
    return await this.#first().read(signal);
  }

  /** Reads the next packet from the first queue into `into`; returns its length. */
  async readInto(into: Uint8Array, signal?: AbortSignal): Promise<number> {
    return await this.#first().readInto(into, signal);
  }

  /** Writes one packet through the first queue. */
  async write(packet: Uint8Array): Promise<number> {
    return await this.#first().write(packet);
  }

  /** Packets arriving on the first queue, until the device is closed. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.#first()[Symbol.asyncIterator]();
  }

  /**
   * Makes the device persistent or not (TUNSETPERSIST). A device that is not
   * persistent disappears when its last file descriptor closes.
   */
  setPersist(persist: boolean): void {
    this.#first().setPersist(persist);
  }

  /** Lets `uid` open the device (TUNSETOWNER). */
  setOwner(uid: number): void {
    checkId(uid, "owner");
    tunSetValue(this.#first().fd, TUN_IOCTL.TUNSETOWNER, uid, "TUNSETOWNER");
  }

  /** Lets `gid` open the device (TUNSETGROUP). */
  setGroup(gid: number): void {
    checkId(gid, "group");
    tunSetValue(this.#first().fd, TUN_IOCTL.TUNSETGROUP, gid, "TUNSETGROUP");
  }

  /**
   * Deletes the device: clears persistence and closes every queue. (A device
   * other processes still hold open goes when they close it.)
   */
  delete(): void {
    this.setPersist(false);
    this.close();
  }

  /** Closes every queue (and the namespace handle). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const q of [...this.#queues]) q.close();
    this.#ns?.close();
  }

  /** Same as {@linkcode TunDevice.close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  #wrap(fd: number): TunQueue {
    return new TunQueue(fd, this.#readBuffer, (q) => {
      const i = this.#queues.indexOf(q);
      if (i >= 0) this.#queues.splice(i, 1);
    });
  }

  #first(): TunQueue {
    this.#assertOpen();
    const q = this.#queues[0];
    if (q === undefined) throw new NetlinkError(9, `${this.name}: every queue is closed`, { operation: "tun" });
    return q;
  }

  #assertOpen(): void {
    if (this.#closed) throw new NetlinkError(9, `${this.name}: device handle is closed`, { operation: "tun" });
  }
}

function checkId(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xfffffffe) {
    throw new ValidationError(field, value, "expected an id 0..4294967294");
  }
}

/**
 * Creates a tun/tap device (or attaches to an existing one of that name) and
 * returns its handle with one open queue. Options are checked before
 * anything is opened; then, in order: TUNSETIFF, owner, group, virtio-net
 * header size, offloads, persistence. If a step fails, the queue is closed
 * (a device it just made goes with it) and the error is thrown.
 *
 * @example
 * ```ts ignore
 * import { createTun } from "@nlink/nlink";
 * using tun = createTun({ mode: "tun", name: "vpn0", netns: "blue" });
 * await tun.write(ipPacket);
 * const reply = await tun.read();
 * ```
 */
export function createTun(options: TunOptions): TunDevice {
  const checked = checkTunOptions(options);
  const ns = options.netns === undefined ? undefined : openNetns(options.netns);
  let fd = -1;
  try {
    const opened = openTun(checked.name, checked.flags, ns?.fd);
    fd = opened.fd;
    configure(fd, checked);
    return new TunDevice(
      opened.name,
      checked.mode,
      checked.flags,
      fd,
      ns,
      options.readBuffer ?? DEFAULT_READ_BUFFER,
    );
  } catch (e) {
    if (fd >= 0) closeTun(fd);
    ns?.close();
    throw e;
  }
}

function configure(fd: number, c: CheckedTunOptions): void {
  const o = c.options;
  if (o.owner !== undefined) tunSetValue(fd, TUN_IOCTL.TUNSETOWNER, o.owner, "TUNSETOWNER");
  if (o.group !== undefined) tunSetValue(fd, TUN_IOCTL.TUNSETGROUP, o.group, "TUNSETGROUP");
  if (o.vnetHdrSize !== undefined) tunSetIntPointer(fd, TUN_IOCTL.TUNSETVNETHDRSZ, o.vnetHdrSize, "TUNSETVNETHDRSZ");
  if (c.offload !== undefined) tunSetValue(fd, TUN_IOCTL.TUNSETOFFLOAD, c.offload, "TUNSETOFFLOAD");
  if (o.persist) tunSetValue(fd, TUN_IOCTL.TUNSETPERSIST, 1, "TUNSETPERSIST");
}
