/**
 * System-call constants used by the FFI layer (audited against the C headers).
 *
 * @module
 */
import { cTable, registerCStruct } from "../src/core/ctable.ts";

/** Socket-level constants (<sys/socket.h>). */
export const SOCK = cTable("sys/socket.h", "", {
  AF_NETLINK: 16,
  SOCK_RAW: 3,
  SOCK_DGRAM: 2,
  SOCK_CLOEXEC: 0o2000000,
  SOCK_NONBLOCK: 0o4000,
  SOL_SOCKET: 1,
  SO_RCVBUF: 8,
  SO_SNDBUF: 7,
  SO_RCVBUFFORCE: 33,
  SO_SNDBUFFORCE: 32,
  SOL_NETLINK: 270,
  MSG_DONTWAIT: 0x40,
  MSG_TRUNC: 0x20,
});

/** Netlink socket options (SOL_NETLINK level, <linux/netlink.h>). */
export const NETLINK_OPT = cTable("linux/netlink.h", "NETLINK_", {
  ADD_MEMBERSHIP: 1,
  DROP_MEMBERSHIP: 2,
  PKTINFO: 3,
  BROADCAST_ERROR: 4,
  NO_ENOBUFS: 5,
  LISTEN_ALL_NSID: 8,
  LIST_MEMBERSHIPS: 9,
  CAP_ACK: 10,
  EXT_ACK: 11,
  GET_STRICT_CHK: 12,
});

/** Netlink protocol numbers (the third argument of socket(AF_NETLINK, …)). */
export const NETLINK = cTable("linux/netlink.h", "NETLINK_", {
  ROUTE: 0,
  USERSOCK: 2,
  SOCK_DIAG: 4,
  NFLOG: 5,
  XFRM: 6,
  SELINUX: 7,
  ISCSI: 8,
  AUDIT: 9,
  FIB_LOOKUP: 10,
  CONNECTOR: 11,
  NETFILTER: 12,
  KOBJECT_UEVENT: 15,
  GENERIC: 16,
  SCSITRANSPORT: 18,
  ECRYPTFS: 19,
  RDMA: 20,
  CRYPTO: 21,
  SMC: 22,
});

/** epoll constants (<sys/epoll.h>). */
export const EPOLL = cTable("sys/epoll.h", "", {
  EPOLL_CLOEXEC: 0o2000000,
  EPOLL_CTL_ADD: 1,
  EPOLL_CTL_DEL: 2,
  EPOLL_CTL_MOD: 3,
  EPOLLIN: 0x001,
  EPOLLERR: 0x008,
  EPOLLHUP: 0x010,
  EPOLLONESHOT: 1 << 30,
});

/** eventfd flags (<sys/eventfd.h>). */
export const EFD = cTable("sys/eventfd.h", "EFD_", {
  CLOEXEC: 0o2000000,
  NONBLOCK: 0o4000,
});

/** open(2) flags (<fcntl.h>). */
export const O = cTable("fcntl.h", "O_", {
  RDONLY: 0,
  CREAT: 0o100,
  EXCL: 0o200,
  CLOEXEC: 0o2000000,
});

/** Namespace flags for setns/unshare (<sched.h>). */
export const CLONE = cTable("sched.h", "CLONE_", {
  NEWNET: 0x40000000,
  NEWNS: 0x00020000,
});

/** mount(2)/umount2(2) flags (<sys/mount.h>). */
export const MOUNT = cTable("sys/mount.h", "", {
  MS_BIND: 4096,
  MS_REC: 16384,
  MS_SHARED: 1 << 20,
  MS_SLAVE: 1 << 19,
  MNT_DETACH: 2,
});

/**
 * Byte layouts of the recvmsg(2) structures (LP64: pointers and size_t are 8 bytes), registered for the
 * constants audit. `NetlinkSocket.recvWithNsid` fills them by hand to read the control messages that carry
 * a notification's source namespace id.
 */
export const MSGHDR = {
  size: 56,
  name: 0,
  namelen: 8,
  iov: 16,
  iovlen: 24,
  control: 32,
  controllen: 40,
  flags: 48,
} as const;
registerCStruct("sys/socket.h", "struct msghdr", MSGHDR.size, {
  msg_name: MSGHDR.name,
  msg_namelen: MSGHDR.namelen,
  msg_iov: MSGHDR.iov,
  msg_iovlen: MSGHDR.iovlen,
  msg_control: MSGHDR.control,
  msg_controllen: MSGHDR.controllen,
  msg_flags: MSGHDR.flags,
});

/** struct iovec: one buffer of a scatter/gather list. */
export const IOVEC = { size: 16, base: 0, len: 8 } as const;
registerCStruct("sys/socket.h", "struct iovec", IOVEC.size, { iov_base: IOVEC.base, iov_len: IOVEC.len });

/** struct cmsghdr: a control message's header; its data follows at `size` (CMSG_DATA, already aligned). */
export const CMSGHDR = { size: 16, len: 0, level: 8, type: 12 } as const;
registerCStruct("sys/socket.h", "struct cmsghdr", CMSGHDR.size, {
  cmsg_len: CMSGHDR.len,
  cmsg_level: CMSGHDR.level,
  cmsg_type: CMSGHDR.type,
});
