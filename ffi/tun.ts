/**
 * The TUN/TAP character device: open `/dev/net/tun` (in a chosen network
 * namespace), the `TUN*` ioctls, and non-blocking packet reads and writes that
 * wait through the process-wide {@linkcode reactor}.
 *
 * A tun file remembers the network namespace of the thread that opened it, and
 * TUNSETIFF creates the device there; so {@linkcode openTun} opens (and sets the
 * interface) with the thread switched into the target namespace.
 *
 * @module
 */
import { check, cString, errno, libc } from "./libc.ts";
import { inNetns } from "./namespace.ts";
import { reactor } from "./reactor.ts";
import { cTable, registerCStruct } from "../src/core/ctable.ts";
import { NetlinkError, ValidationError } from "../src/core/errors.ts";

// <linux/if_tun.h> spells its requests with _IOW/_IOR but does not include the header that
// defines them: an empty table brings <linux/ioctl.h> into the constants audit's program.
cTable("linux/ioctl.h", "", {});

/** The TUN ioctl request numbers (<linux/if_tun.h>, `_IOW('T', n, …)`). */
export const TUN_IOCTL = cTable("linux/if_tun.h", "", {
  TUNSETIFF: 0x400454ca,
  TUNSETPERSIST: 0x400454cb,
  TUNSETOWNER: 0x400454cc,
  TUNSETGROUP: 0x400454ce,
  TUNGETFEATURES: 0x800454cf,
  TUNSETOFFLOAD: 0x400454d0,
  TUNGETIFF: 0x800454d2,
  TUNGETVNETHDRSZ: 0x800454d7,
  TUNSETVNETHDRSZ: 0x400454d8,
  TUNSETQUEUE: 0x400454d9,
  TUNSETCARRIER: 0x400454e2,
});

/** TUNSETIFF flags and the read-only flags TUNGETIFF and sysfs `tun_flags` report (<linux/if_tun.h>). */
export const TUN_FLAG: Readonly<
  Record<
    | "TUN"
    | "TAP"
    | "NAPI"
    | "NAPI_FRAGS"
    | "NO_CARRIER"
    | "MULTI_QUEUE"
    | "ATTACH_QUEUE"
    | "DETACH_QUEUE"
    | "PERSIST"
    | "NO_PI"
    | "ONE_QUEUE"
    | "VNET_HDR"
    | "TUN_EXCL",
    number
  >
> = cTable("linux/if_tun.h", "IFF_", {
  TUN: 0x0001,
  TAP: 0x0002,
  NAPI: 0x0010,
  NAPI_FRAGS: 0x0020,
  NO_CARRIER: 0x0040,
  MULTI_QUEUE: 0x0100,
  ATTACH_QUEUE: 0x0200,
  DETACH_QUEUE: 0x0400,
  PERSIST: 0x0800,
  NO_PI: 0x1000,
  ONE_QUEUE: 0x2000,
  VNET_HDR: 0x4000,
  TUN_EXCL: 0x8000,
});

/** GSO offload bits for TUNSETOFFLOAD (<linux/if_tun.h>). */
export const TUN_OFFLOAD: Readonly<Record<"CSUM" | "TSO4" | "TSO6" | "TSO_ECN" | "UFO", number>> = cTable(
  "linux/if_tun.h",
  "TUN_F_",
  {
    CSUM: 0x01,
    TSO4: 0x02,
    TSO6: 0x04,
    TSO_ECN: 0x08,
    UFO: 0x10,
  },
);

/** open(2) flags for the tun device (<fcntl.h>). */
const O_TUN = cTable("fcntl.h", "O_", { RDWR: 2, NONBLOCK: 0o4000, CLOEXEC: 0o2000000 });

/** struct ifreq: a 16-byte name, then a 24-byte union whose first member here is `short ifr_flags`. */
export const IFREQ_SIZE = 40;
/** IFNAMSIZ: names are at most 15 bytes plus the NUL. */
export const IFNAMSIZ = 16;
const IFR_FLAGS = 16;
registerCStruct("linux/if.h", "struct ifreq", IFREQ_SIZE, { ifr_name: 0, ifr_flags: IFR_FLAGS });

const TUN_PATH = "/dev/net/tun";
const EAGAIN = 11;
const EINTR = 4;
/** {@linkcode readPacket}/{@linkcode writePacket} result: nothing can move now (EAGAIN). */
export const WOULD_BLOCK = -1;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encodes a struct ifreq with a name (empty: let the kernel pick) and flags.
 * Throws a `ValidationError` when the name does not fit IFNAMSIZ.
 *
 * @example
 * ```ts
 * import { encodeIfreq } from "./tun.ts";
 * const req = encodeIfreq("tun%d", 0x1001);
 * req.length; // 40
 * ```
 */
export function encodeIfreq(name: string, flags: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(IFREQ_SIZE);
  const { written, read } = encoder.encodeInto(name, b.subarray(0, IFNAMSIZ - 1));
  if (read !== name.length || written >= IFNAMSIZ) {
    throw new ValidationError("name", name, `expected at most ${IFNAMSIZ - 1} bytes`);
  }
  new DataView(b.buffer).setUint16(IFR_FLAGS, flags & 0xffff, true);
  return b;
}

/**
 * Decodes a struct ifreq's name and flags (the TUNSETIFF/TUNGETIFF answer).
 *
 * @example
 * ```ts
 * import { decodeIfreq, encodeIfreq } from "./tun.ts";
 * decodeIfreq(encodeIfreq("tap0", 2)); // { name: "tap0", flags: 2 }
 * ```
 */
export function decodeIfreq(b: Uint8Array): { name: string; flags: number } {
  let end = b.indexOf(0);
  if (end < 0 || end > IFNAMSIZ) end = IFNAMSIZ;
  const flags = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(IFR_FLAGS, true);
  return { name: decoder.decode(b.subarray(0, end)), flags };
}

/**
 * Opens `/dev/net/tun` (non-blocking, close-on-exec) and attaches it with
 * TUNSETIFF to the device `name` (created when absent; a `%d` pattern picks a
 * free number), inside the network namespace `netnsFd` when given. Returns the
 * fd and the device's real name; on failure closes the fd and throws.
 *
 * @example
 * ```ts ignore
 * import { openTun } from "./tun.ts";
 * const { fd, name } = openTun("tun%d", 0x1001); // IFF_TUN | IFF_NO_PI
 * ```
 */
export function openTun(name: string, flags: number, netnsFd?: number): { fd: number; name: string } {
  const req = encodeIfreq(name, flags);
  const attach = () => {
    const c = libc();
    const fd = c.open(cString(TUN_PATH), O_TUN.RDWR | O_TUN.NONBLOCK | O_TUN.CLOEXEC, 0);
    if (fd < 0) throw NetlinkError.fromErrno(errno(), { operation: `open ${TUN_PATH}` });
    if (c.ioctl(fd, BigInt(TUN_IOCTL.TUNSETIFF), req) < 0) {
      const e = errno();
      c.close(fd);
      throw NetlinkError.fromErrno(e, { operation: "ioctl(TUNSETIFF)" });
    }
    return fd;
  };
  const fd = netnsFd === undefined ? attach() : inNetns(netnsFd, attach);
  return { fd, name: decodeIfreq(req).name };
}

/**
 * TUNGETIFF: the attached device's name and flags (with IFF_PERSIST and the
 * features set at TUNSETIFF).
 *
 * @example
 * ```ts ignore
 * import { tunGetIff } from "./tun.ts";
 * tunGetIff(fd).flags & 0x0800; // persistent?
 * ```
 */
export function tunGetIff(fd: number): { name: string; flags: number } {
  const req = new Uint8Array(IFREQ_SIZE);
  check(libc().ioctl(fd, BigInt(TUN_IOCTL.TUNGETIFF), req), "ioctl(TUNGETIFF)");
  return decodeIfreq(req);
}

/**
 * An ioctl whose argument is a plain integer (TUNSETPERSIST, TUNSETOWNER,
 * TUNSETGROUP, TUNSETOFFLOAD).
 *
 * @example
 * ```ts ignore
 * import { TUN_IOCTL, tunSetValue } from "./tun.ts";
 * tunSetValue(fd, TUN_IOCTL.TUNSETPERSIST, 1, "TUNSETPERSIST");
 * ```
 */
export function tunSetValue(fd: number, request: number, value: number | bigint, name: string): void {
  check(libc().ioctl_int(fd, BigInt(request), BigInt(value)), `ioctl(${name})`);
}

/**
 * An ioctl whose argument points at an int (TUNSETVNETHDRSZ, TUNSETCARRIER).
 *
 * @example
 * ```ts ignore
 * import { TUN_IOCTL, tunSetIntPointer } from "./tun.ts";
 * tunSetIntPointer(fd, TUN_IOCTL.TUNSETVNETHDRSZ, 12, "TUNSETVNETHDRSZ");
 * ```
 */
export function tunSetIntPointer(fd: number, request: number, value: number, name: string): void {
  const b = new Uint8Array(new Int32Array([value]).buffer);
  check(libc().ioctl(fd, BigInt(request), b), `ioctl(${name})`);
}

/**
 * An ioctl that fills an int (TUNGETVNETHDRSZ, TUNGETFEATURES).
 *
 * @example
 * ```ts ignore
 * import { TUN_IOCTL, tunGetInt } from "./tun.ts";
 * tunGetInt(fd, TUN_IOCTL.TUNGETVNETHDRSZ, "TUNGETVNETHDRSZ"); // 10
 * ```
 */
export function tunGetInt(fd: number, request: number, name: string): number {
  const b = new Uint8Array(4);
  check(libc().ioctl(fd, BigInt(request), b), `ioctl(${name})`);
  return new DataView(b.buffer).getInt32(0, true);
}

/**
 * TUNSETQUEUE: enables (`attach`) or disables a multi-queue device's queue on this fd.
 *
 * @example
 * ```ts ignore
 * import { tunSetQueue } from "./tun.ts";
 * tunSetQueue(fd, false); // the kernel stops steering packets to this queue
 * ```
 */
export function tunSetQueue(fd: number, attach: boolean): void {
  const req = encodeIfreq("", attach ? TUN_FLAG.ATTACH_QUEUE : TUN_FLAG.DETACH_QUEUE);
  check(libc().ioctl(fd, BigInt(TUN_IOCTL.TUNSETQUEUE), req), "ioctl(TUNSETQUEUE)");
}

/**
 * Reads one packet into `into` without blocking: its length, or
 * {@linkcode WOULD_BLOCK} when none is queued. A packet longer than `into` is
 * cut short by the kernel, so pass a buffer of MTU plus headers.
 *
 * @example
 * ```ts ignore
 * import { readPacket, WOULD_BLOCK } from "./tun.ts";
 * const n = readPacket(fd, buf);
 * ```
 */
export function readPacket(fd: number, into: Uint8Array): number {
  const c = libc();
  for (;;) {
    const n = Number(c.read(fd, into, BigInt(into.length)));
    if (n >= 0) return n;
    const e = errno();
    if (e === EAGAIN) return WOULD_BLOCK;
    if (e === EINTR) continue;
    throw NetlinkError.fromErrno(e, { operation: "tun read" });
  }
}

/**
 * Writes one packet without blocking: the bytes written, or
 * {@linkcode WOULD_BLOCK} when the device's send buffer is full.
 *
 * @example
 * ```ts ignore
 * import { writePacket } from "./tun.ts";
 * writePacket(fd, packet, packet.length);
 * ```
 */
export function writePacket(fd: number, packet: Uint8Array, length = packet.length): number {
  const c = libc();
  for (;;) {
    const n = Number(c.write(fd, packet, BigInt(length)));
    if (n >= 0) return n;
    const e = errno();
    if (e === EAGAIN) return WOULD_BLOCK;
    if (e === EINTR) continue;
    throw NetlinkError.fromErrno(e, { operation: "tun write" });
  }
}

/**
 * Resolves when `fd` has a packet (or an error) to read; rejects when `signal`
 * aborts or the fd is closed with {@linkcode closeTun}.
 *
 * @example
 * ```ts ignore
 * import { tunReadable } from "./tun.ts";
 * await tunReadable(fd);
 * ```
 */
export function tunReadable(fd: number, signal?: AbortSignal): Promise<void> {
  return reactor().readable(fd, signal);
}

/**
 * Closes a tun fd; whoever waits on it is woken with an error. A device that
 * is not persistent disappears with its last fd.
 *
 * @example
 * ```ts ignore
 * import { closeTun } from "./tun.ts";
 * closeTun(fd);
 * ```
 */
export function closeTun(fd: number): void {
  reactor().forget(fd, new NetlinkError(9, "tun queue closed while waiting", { operation: "tun read" }));
  libc().close(fd);
}
