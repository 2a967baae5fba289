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

import { dump, dumpRequest, netlinkSocketIn } from "./netlink.ts";

const NETLINK_SOCK_DIAG = 4;
const SOCK_DIAG_BY_FAMILY = 20;
const IPPROTO_TCP = 6;
const ALL_STATES = 0xfff;

/** nlmsghdr + inet_diag_req_v2 (family, protocol, ext, pad, states, a zero socket id). */
function request(family: number, seq: number): Uint8Array<ArrayBuffer> {
  const b = dumpRequest(SOCK_DIAG_BY_FAMILY, 56, seq);
  b[16] = family;
  b[17] = IPPROTO_TCP;
  new DataView(b.buffer).setUint32(20, ALL_STATES, true);
  return b;
}

/** Sends one dump and counts its replies. */
function countDump(fd: number, req: Uint8Array<ArrayBuffer>): number {
  let count = 0;
  dump(fd, req, () => count++);
  return count;
}

const fd = netlinkSocketIn(Deno.args[0], NETLINK_SOCK_DIAG);
console.log(countDump(fd, request(2, 1)) + countDump(fd, request(10, 2)));
