/**
 * What the Deno floors share: the five libc calls they make themselves (none
 * of nlink), a netlink socket in a named namespace, and a dump read with
 * blocking receives (nothing else runs meanwhile). A floor is the least any
 * Deno program can do for a command, so it stays this small.
 *
 * @module
 */

const SYMBOLS = {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  setns: { parameters: ["i32", "i32"], result: "i32" },
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
} as const;

const AF_NETLINK = 16;
const SOCK_RAW_CLOEXEC = 3 | 0o2000000;
const CLONE_NEWNET = 0x40000000;
const NLMSG_DONE = 3, NLMSG_ERROR = 2;
const NLM_F_REQUEST_DUMP = 0x301;

const libc = Deno.dlopen("libc.so.6", SYMBOLS).symbols;

/** The receive buffer: each reply is valid until the next receive. */
export const buf: Uint8Array<ArrayBuffer> = new Uint8Array(65536);
/** A DataView over {@linkcode buf}. */
export const view: DataView = new DataView(buf.buffer);

/**
 * Enters the network namespace `/run/netns/NAME` and opens a netlink socket
 * of `protocol` there; returns its descriptor.
 *
 * @example
 * ```ts ignore
 * const fd = netlinkSocketIn("blue", 0); // NETLINK_ROUTE
 * ```
 */
export function netlinkSocketIn(netns: string, protocol: number): number {
  const nsFd = libc.open(new TextEncoder().encode(`/run/netns/${netns}\0`), 0);
  if (nsFd < 0 || libc.setns(nsFd, CLONE_NEWNET) < 0) throw new Error(`cannot enter netns ${netns}`);
  const fd = libc.socket(AF_NETLINK, SOCK_RAW_CLOEXEC, protocol);
  if (fd < 0) throw new Error("socket failed");
  return fd;
}

/**
 * A dump request of `type` (nlmsghdr, NLM_F_REQUEST | NLM_F_DUMP) with a
 * zeroed body of `size` bytes for the caller to fill.
 *
 * @example
 * ```ts ignore
 * const req = dumpRequest(26, 12, 1); // RTM_GETROUTE, struct rtmsg
 * req[16] = 2; // AF_INET
 * ```
 */
export function dumpRequest(type: number, size: number, seq: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(16 + size);
  const v = new DataView(b.buffer);
  v.setUint32(0, b.length, true);
  v.setUint16(4, type, true);
  v.setUint16(6, NLM_F_REQUEST_DUMP, true);
  v.setUint32(8, seq, true);
  return b;
}

/**
 * Sends one dump request and hands each reply's offset and end in
 * {@linkcode buf} to `each` (of every type but NLMSG_DONE and NLMSG_ERROR,
 * which end the dump).
 *
 * @example
 * ```ts ignore
 * let count = 0;
 * dump(fd, request, () => count++);
 * ```
 */
export function dump(fd: number, request: Uint8Array<ArrayBuffer>, each: (at: number, end: number) => void): void {
  if (libc.send(fd, request, BigInt(request.length), 0) < 0) throw new Error("send failed");
  for (;;) {
    const n = Number(libc.recv(fd, buf, BigInt(buf.length), 0));
    if (n < 0) throw new Error("recv failed");
    for (let off = 0; off + 16 <= n;) {
      const len = view.getUint32(off, true), type = view.getUint16(off + 4, true);
      if (type === NLMSG_DONE || type === NLMSG_ERROR) return;
      each(off, off + len);
      off += (len + 3) & ~3;
    }
  }
}
