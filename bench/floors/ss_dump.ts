/**
 * The floor for `ss -tan` in a Deno process: the least any Deno program can
 * do for it. Like bench/dump.c it calls libc directly (the five calls it
 * needs, none of nlink): it enters the namespace, asks the kernel for every
 * TCP socket (IPv4, then IPv6, no extensions), counts the replies and prints
 * the count. Nothing is decoded, formatted or written per socket.
 * bench/ss.ts times this whole process beside iproute2's `ss -tan`: when this
 * alone is slower than iproute2, no Deno program can meet the "not slower
 * than iproute2" target on that machine.
 *
 *   deno run -A bench/floors/ss_dump.ts NETNS
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
const NETLINK_SOCK_DIAG = 4;
const SOCK_DIAG_BY_FAMILY = 20;
const NLM_F_REQUEST_DUMP = 0x301;
const NLMSG_DONE = 3;
const NLMSG_ERROR = 2;
const IPPROTO_TCP = 6;
const ALL_STATES = 0xfff;
const CLONE_NEWNET = 0x40000000;

/** nlmsghdr + inet_diag_req_v2 (family, protocol, ext, pad, states, a zero socket id). */
function request(family: number, seq: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(16 + 56);
  const v = new DataView(b.buffer);
  v.setUint32(0, b.length, true);
  v.setUint16(4, SOCK_DIAG_BY_FAMILY, true);
  v.setUint16(6, NLM_F_REQUEST_DUMP, true);
  v.setUint32(8, seq, true);
  b[16] = family;
  b[17] = IPPROTO_TCP;
  v.setUint32(20, ALL_STATES, true);
  return b;
}

const libc = Deno.dlopen("libc.so.6", SYMBOLS).symbols;
const buf = new Uint8Array(65536);
const view = new DataView(buf.buffer);

/** Sends one dump and counts its replies (blocking reads: nothing else runs meanwhile). */
function countDump(fd: number, req: Uint8Array<ArrayBuffer>): number {
  if (libc.send(fd, req, BigInt(req.length), 0) < 0) throw new Error("send failed");
  let count = 0;
  for (;;) {
    const n = Number(libc.recv(fd, buf, BigInt(buf.length), 0));
    if (n < 0) throw new Error("recv failed");
    for (let off = 0; off + 16 <= n;) {
      const type = view.getUint16(off + 4, true);
      if (type === NLMSG_DONE || type === NLMSG_ERROR) return count;
      count++;
      off += (view.getUint32(off, true) + 3) & ~3;
    }
  }
}

const nsFd = libc.open(new TextEncoder().encode(`/run/netns/${Deno.args[0]}\0`), 0);
if (nsFd < 0 || libc.setns(nsFd, CLONE_NEWNET) < 0) throw new Error(`cannot enter netns ${Deno.args[0]}`);
const fd = libc.socket(AF_NETLINK, SOCK_RAW_CLOEXEC, NETLINK_SOCK_DIAG);
if (fd < 0) throw new Error("socket failed");
console.log(countDump(fd, request(2, 1)) + countDump(fd, request(10, 2)));
