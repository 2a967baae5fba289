/**
 * Adding and removing a link-layer multicast address on an interface: the
 * SIOCADDMULTI / SIOCDELMULTI ioctls, which have no netlink equivalent. The
 * ioctl acts in the network namespace of the socket it is made on, so the
 * socket is created with the thread switched into the target namespace.
 *
 * @module
 */
import { cString, errno, libc } from "./libc.ts";
import { inNetns } from "./namespace.ts";
import { SOCK } from "./constants.ts";
import { cTable, registerCStruct } from "../src/core/ctable.ts";
import { NetlinkError, ValidationError } from "../src/core/errors.ts";

/** The multicast-list ioctl requests (<linux/sockios.h>). */
export const SIOC_MULTI: Readonly<Record<"SIOCADDMULTI" | "SIOCDELMULTI", number>> = cTable("linux/sockios.h", "", {
  SIOCADDMULTI: 0x8931,
  SIOCDELMULTI: 0x8932,
});

/** The socket families a multicast ioctl may be made on (<sys/socket.h>). */
export const MULTICAST_SOCKET_FAMILY: Readonly<Record<"AF_INET" | "AF_INET6" | "AF_PACKET", number>> = cTable(
  "sys/socket.h",
  "",
  { AF_INET: 2, AF_INET6: 10, AF_PACKET: 17 },
);

/** struct ifreq: the name (IFNAMSIZ bytes), then `struct sockaddr ifr_hwaddr` (family u16, 14 data bytes). */
const IFREQ_SIZE = 40;
const IFNAMSIZ = 16;
const HWADDR_FAMILY = 16;
const HWADDR_DATA = 18;
/** sa_data's room: the longest address the ioctl can carry. */
const HWADDR_ROOM = 14;
registerCStruct("linux/if.h", "struct ifreq", IFREQ_SIZE, { ifr_name: 0, ifr_hwaddr: HWADDR_FAMILY });

/**
 * The struct ifreq for SIOCADDMULTI/SIOCDELMULTI: the interface name and the
 * address in `ifr_hwaddr.sa_data`, its family AF_UNSPEC (the kernel insists).
 *
 * @example
 * ```ts
 * import { encodeMulticastIfreq } from "./multicast.ts";
 * encodeMulticastIfreq("p0", new Uint8Array([0x33, 0x33, 0, 0, 0, 5]))[18]; // 0x33
 * ```
 */
export function encodeMulticastIfreq(dev: string, address: Uint8Array): Uint8Array<ArrayBuffer> {
  const name = cString(dev);
  if (dev.length === 0 || name.length > IFNAMSIZ || dev.includes("\0")) {
    throw new ValidationError("dev", dev, `expected an interface name of 1..${IFNAMSIZ - 1} bytes`);
  }
  if (address.length === 0 || address.length > HWADDR_ROOM) {
    throw new ValidationError("address", address, `expected 1..${HWADDR_ROOM} bytes`);
  }
  const b = new Uint8Array(IFREQ_SIZE);
  b.set(name, 0);
  b.set(address, HWADDR_DATA);
  return b;
}

/**
 * Runs SIOCADDMULTI (`add`) or SIOCDELMULTI on a datagram socket of `family`
 * made in the namespace `netnsFd` (default: the caller's). A failure of
 * socket(2) or ioctl(2) is a {@linkcode NetlinkError} whose operation names
 * the call (`socket`, `ioctl`).
 *
 * @example
 * ```ts ignore
 * import { changeMulticastList, encodeMulticastIfreq } from "./multicast.ts";
 * changeMulticastList(true, encodeMulticastIfreq("p0", mac), 2);
 * ```
 */
export function changeMulticastList(
  add: boolean,
  ifreq: Uint8Array<ArrayBuffer>,
  family: number,
  netnsFd?: number,
): void {
  const c = libc();
  const open = () => {
    const fd = c.socket(family, SOCK.SOCK_DGRAM | SOCK.SOCK_CLOEXEC, 0);
    if (fd < 0) throw NetlinkError.fromErrno(errno(), { operation: "socket" });
    return fd;
  };
  const fd = netnsFd === undefined ? open() : inNetns(netnsFd, open);
  try {
    const request = add ? SIOC_MULTI.SIOCADDMULTI : SIOC_MULTI.SIOCDELMULTI;
    if (c.ioctl(fd, BigInt(request), ifreq) < 0) throw NetlinkError.fromErrno(errno(), { operation: "ioctl" });
  } finally {
    c.close(fd);
  }
}
