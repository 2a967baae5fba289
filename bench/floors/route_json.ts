/**
 * The floor for `ip -j route show` in a Deno process: the least any Deno
 * program can do for it. Like ss_dump.ts it calls libc directly (none of
 * nlink): it enters the namespace, reads the link names (one RTM_GETLINK
 * dump), dumps the IPv4 routes and writes iproute2's JSON for the main
 * table straight from the reply bytes into one output buffer: no objects,
 * no strings per route, no schema. It knows only what the benchmark's table
 * holds (unicast routes with a destination, a gateway or a preferred source,
 * a device, protocol boot or kernel, scope global or link) and stops on
 * anything else. bench/cli.ts checks that its output is iproute2's and times
 * this whole process beside iproute2: when this alone is not faster than
 * iproute2, no Deno program can meet the "not slower than iproute2" target
 * on that machine.
 *
 *   deno run -A bench/floors/route_json.ts NETNS
 *
 * @module
 */

import { buf, dump, dumpRequest, netlinkSocketIn, view } from "./netlink.ts";

const AF_INET = 2, NETLINK_ROUTE = 0;
const RTM_NEWLINK = 16, RTM_GETLINK = 18, RTM_NEWROUTE = 24, RTM_GETROUTE = 26;
const IFLA_IFNAME = 3;
const RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PREFSRC = 7, RTA_TABLE = 15;
const RT_TABLE_MAIN = 254, RTN_UNICAST = 1;
const RTPROT_KERNEL = 2, RTPROT_BOOT = 3, RT_SCOPE_UNIVERSE = 0, RT_SCOPE_LINK = 253;

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A dump request for IPv4: nlmsghdr and a family header of `size` bytes. */
function request(type: number, size: number, seq: number): Uint8Array<ArrayBuffer> {
  const b = dumpRequest(type, size, seq);
  b[16] = AF_INET;
  return b;
}

const out = new Uint8Array(1 << 20);
let len = 0;
function flush(): void {
  for (let off = 0; off < len;) off += Deno.stdout.writeSync(out.subarray(off, len));
  len = 0;
}
function put(b: Uint8Array): void {
  if (len + 256 > out.length) flush();
  for (let i = 0; i < b.length; i++) out[len++] = b[i];
}
/** The IPv4 address at `at` in the reply buffer, as inet_ntop writes it. */
function quad(at: number): void {
  for (let i = 0; i < 4; i++) {
    let x = buf[at + i];
    if (x >= 100) {
      out[len++] = 48 + ((x / 100) | 0);
      x %= 100;
      out[len++] = 48 + ((x / 10) | 0);
    } else if (x >= 10) out[len++] = 48 + ((x / 10) | 0);
    out[len++] = 48 + (x % 10);
    if (i < 3) out[len++] = 46;
  }
}

const fd = netlinkSocketIn(Deno.args[0], NETLINK_ROUTE);

const names: Uint8Array[] = [];
dump(fd, request(RTM_GETLINK, 16, 1), (at, end) => {
  if (view.getUint16(at + 4, true) !== RTM_NEWLINK) return;
  const index = view.getInt32(at + 20, true);
  for (let a = at + 32; a + 4 <= end; a += (view.getUint16(a, true) + 3) & ~3) {
    if ((view.getUint16(a + 2, true) & 0x3fff) === IFLA_IFNAME) {
      names[index] = buf.slice(a + 4, a + view.getUint16(a, true) - 1);
    }
  }
});

const K = {
  open: ascii('{"dst":"'),
  default: ascii('{"dst":"default"'),
  prefixLen: ascii("/"),
  quote: ascii('"'),
  gateway: ascii(',"gateway":"'),
  dev: ascii(',"dev":"'),
  kernel: ascii(',"protocol":"kernel"'),
  link: ascii(',"scope":"link"'),
  prefsrc: ascii(',"prefsrc":"'),
  close: ascii(',"flags":[]}'),
};
let first = true;
out[len++] = 91; // [
dump(fd, request(RTM_GETROUTE, 12, 2), (at, end) => {
  if (view.getUint16(at + 4, true) !== RTM_NEWROUTE) return;
  const h = at + 16;
  let table = buf[h + 4], dst = -1, gateway = -1, prefsrc = -1, oif = 0;
  for (let a = h + 12; a + 4 <= end; a += (view.getUint16(a, true) + 3) & ~3) {
    const type = view.getUint16(a + 2, true) & 0x3fff;
    if (type === RTA_DST) dst = a + 4;
    else if (type === RTA_GATEWAY) gateway = a + 4;
    else if (type === RTA_PREFSRC) prefsrc = a + 4;
    else if (type === RTA_OIF) oif = view.getUint32(a + 4, true);
    else if (type === RTA_TABLE) table = view.getUint32(a + 4, true);
  }
  if (table !== RT_TABLE_MAIN) return;
  const dstLen = buf[h + 1], protocol = buf[h + 5], scope = buf[h + 6];
  if (
    buf[h + 7] !== RTN_UNICAST || buf[h + 2] !== 0 || (protocol !== RTPROT_BOOT && protocol !== RTPROT_KERNEL) ||
    (scope !== RT_SCOPE_UNIVERSE && scope !== RT_SCOPE_LINK) || view.getUint32(h + 8, true) !== 0 || !names[oif]
  ) throw new Error("a route this floor does not print");
  if (!first) out[len++] = 44; // ,
  first = false;
  if (dstLen === 0) put(K.default);
  else {
    put(K.open);
    quad(dst);
    if (dstLen !== 32) {
      put(K.prefixLen);
      if (dstLen >= 10) out[len++] = 48 + ((dstLen / 10) | 0);
      out[len++] = 48 + (dstLen % 10);
    }
    put(K.quote);
  }
  if (gateway >= 0) {
    put(K.gateway);
    quad(gateway);
    put(K.quote);
  }
  put(K.dev);
  put(names[oif]);
  put(K.quote);
  if (protocol === RTPROT_KERNEL) put(K.kernel);
  if (scope === RT_SCOPE_LINK) put(K.link);
  if (prefsrc >= 0) {
    put(K.prefsrc);
    quad(prefsrc);
    put(K.quote);
  }
  put(K.close);
});
put(ascii("]\n"));
flush();
