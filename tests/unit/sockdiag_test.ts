/**
 * sock_diag without a kernel: request bytes against what iproute2's `ss`
 * sends (tests/fixtures/sockdiag.json, from tests/fixtures/sockdiag_capture.ts),
 * the byte-code compiler run by a model of the kernel's interpreter against
 * the JavaScript evaluator, and captured kernel replies decoded.
 */
import { deepStrictEqual as assertEquals, ok, throws } from "node:assert/strict";
import type { MessageView } from "../../src/core/message.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { compileFilter } from "../../src/sockdiag/bytecode.ts";
import { compileFilterPredicate, type FilterableSocket } from "../../src/sockdiag/filter.ts";
import { inetDestroyRequest, inetDumpRequest, type InetQuery, inetSocketDecoder } from "../../src/sockdiag/inet.ts";
import { decodeNetlinkSocket, netlinkDumpRequest } from "../../src/sockdiag/netlink.ts";
import { decodePacketSocket, packetDumpRequest } from "../../src/sockdiag/packet.ts";
import { decodeUnixSocket, unixDumpRequest } from "../../src/sockdiag/unix.ts";
import { vsockDumpRequest } from "../../src/sockdiag/vsock.ts";
import { xdpDumpRequest } from "../../src/sockdiag/xdp.ts";
import { type HelperSockets, PORTS, randomFilter, rng } from "../_lib/sockdiag_sockets.ts";
import { parseIPv4, parseIPv6 } from "../../src/util/addr.ts";

interface Fixture {
  requests: Record<string, { command: string; hex: string[] }>;
  replies: Record<string, string[]>;
  sockets: HelperSockets;
}

const data = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/sockdiag.json", import.meta.url)),
) as Fixture;

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

/** ss(8) leaves the two padding bytes of each inet_diag_hostcond uninitialized: zero them. */
function zeroHostcondPadding(hex: string): string {
  const b = fromHex(hex);
  const v = new DataView(b.buffer);
  let off = 72; // nlmsghdr + inet_diag_req_v2
  while (off + 4 <= b.length) {
    const len = v.getUint16(off, true);
    if (v.getUint16(off + 2, true) === 1) {
      for (let op = off + 4; op < off + len;) {
        if (b[op] === 7 || b[op] === 8) b.fill(0, op + 6, op + 8);
        op += b[op + 1];
      }
    }
    off += (len + 3) & ~3;
  }
  return toHex(b);
}

const SS_ALL = 0xfff; // ss -a: (1 << SS_MAX) - 1
const SS_CONN = 0xb37; // ss's default: every state but listen, close, time-wait, syn-recv (bit 0 included)
const both = (q: InetQuery) => [inetDumpRequest(q, "inet"), inetDumpRequest(q, "inet6")];

const OURS: Record<string, () => Uint8Array[]> = {
  sshEstablished: () =>
    both({
      protocol: "tcp",
      states: ["established"],
      filter: { or: [{ kind: "dport", op: "=", port: 22 }, { kind: "sport", op: "=", port: 22 }] },
    }),
  portRange: () =>
    both({
      protocol: "tcp",
      states: SS_ALL,
      filter: { and: [{ kind: "dport", op: ">=", port: 1024 }, { kind: "dport", op: "<=", port: 2048 }] },
    }),
  portOutside: () =>
    both({
      protocol: "tcp",
      states: SS_ALL,
      filter: { or: [{ kind: "sport", op: "<", port: 100 }, { kind: "sport", op: ">", port: 60000 }] },
    }),
  portNot: () => both({ protocol: "tcp", states: SS_ALL, filter: { kind: "sport", op: "!=", port: 22 } }),
  srcPrefix: () => both({ protocol: "tcp", states: SS_ALL, filter: { kind: "src", address: "10.0.0.0/8" } }),
  srcPrefixPort: () =>
    both({ protocol: "tcp", states: SS_ALL, filter: { kind: "src", address: "10.0.0.0/8", port: 80 } }),
  dstHostPort: () =>
    both({ protocol: "tcp", states: SS_ALL, filter: { kind: "dst", address: "192.168.1.1", port: 80 } }),
  dstV6Port: () =>
    both({ protocol: "tcp", states: SS_ALL, filter: { kind: "dst", address: "2001:db8::1", port: 443 } }),
  notOrAuto: () =>
    both({
      protocol: "tcp",
      states: SS_ALL,
      filter: { not: { or: [{ kind: "src", address: "127.0.0.1" }, { kind: "autobound" }] } },
    }),
  fwmark: () => both({ protocol: "tcp", states: SS_ALL, filter: { kind: "mark", mark: 0x10, mask: 0xff } }),
  nested: () =>
    both({
      protocol: "tcp",
      states: SS_ALL,
      filter: {
        and: [
          { or: [{ kind: "sport", op: "=", port: 22 }, { kind: "sport", op: "=", port: 80 }] },
          { not: { kind: "dst", address: "10.0.0.0/8" } },
          { kind: "dport", op: ">", port: 1023 },
        ],
      },
    }),
  udpAll: () => both({ protocol: "udp", states: SS_ALL }),
  rawAll: () => [inetDumpRequest({ protocol: "raw", states: SS_ALL }, "inet")],
  tcpInfo: () => both({ protocol: "tcp", states: SS_CONN, extensions: ["info", "vegasinfo", "cong"] }),
  tcpMem: () => both({ protocol: "tcp", states: SS_CONN, extensions: ["meminfo", "skmeminfo"] }),
  mptcp: () => both({ protocol: "mptcp", states: SS_CONN }),
  sctp: () => [inetDumpRequest({ protocol: "sctp", states: SS_ALL }, "inet")],
  unixAll: () => [unixDumpRequest({ states: SS_ALL, show: ["name", "peer", "rqlen"] })],
  unixExtended: () => [
    unixDumpRequest({ states: SS_ALL, show: ["name", "peer", "rqlen", "meminfo", "vfs", "icons"] }),
  ],
  packetAll: () => [packetDumpRequest({ show: ["info", "meminfo", "filter", "ring_cfg", "fanout"] })],
  netlinkAll: () => [netlinkDumpRequest({ show: ["groups", "meminfo"] })],
  vsockAll: () => [vsockDumpRequest({ states: SS_ALL })],
  xdpAll: () => [xdpDumpRequest()],
};

Deno.test("every captured ss request has an nlink equivalent", () => {
  assertEquals(Object.keys(data.requests).filter((k) => !(k in OURS)), []);
});

for (const [name, fixture] of Object.entries(data.requests)) {
  Deno.test(`golden: ${fixture.command}`, () => {
    assertEquals(OURS[name]().map(toHex), fixture.hex.map(zeroHostcondPadding));
  });
}

// ----------------------------------------------- byte code vs the evaluator

/**
 * The kernel's byte-code interpreter (inet_diag_bc_run), written from its
 * documented semantics: a holding condition moves by `yes`, a failing one by
 * `no`; the program passes when it ends exactly at its end.
 */
function runBytecode(bc: Uint8Array, s: FilterableSocket, autobound: boolean): boolean {
  const v = new DataView(bc.buffer, bc.byteOffset, bc.byteLength);
  let at = 0;
  let len = bc.length;
  const fam = s.family === "inet6" ? 10 : 2;
  while (len > 0) {
    const code = bc[at];
    let yes = true;
    switch (code) {
      case 1: // JMP
        yes = false;
        break;
      case 2:
        yes = s.sport >= v.getUint16(at + 6, true);
        break;
      case 3:
        yes = s.sport <= v.getUint16(at + 6, true);
        break;
      case 4:
        yes = s.dport >= v.getUint16(at + 6, true);
        break;
      case 5:
        yes = s.dport <= v.getUint16(at + 6, true);
        break;
      case 6:
        yes = autobound;
        break;
      case 7:
      case 8: {
        const port = v.getInt32(at + 8, true);
        const cfam = bc[at + 4];
        const plen = bc[at + 5];
        const local = code === 7;
        if (port !== -1 && port !== (local ? s.sport : s.dport)) {
          yes = false;
          break;
        }
        if (plen === 0) break;
        const addr = addrBytes(local ? s.src : s.dst, fam);
        let a = addr;
        if (cfam !== fam) {
          const mapped = fam === 10 && cfam === 2 && addr.subarray(0, 10).every((x) => x === 0) &&
            addr[10] === 0xff && addr[11] === 0xff;
          if (!mapped) {
            yes = false;
            break;
          }
          a = addr.subarray(12);
        }
        yes = bitsEqual(a, bc.subarray(at + 12), plen);
        break;
      }
      case 9:
        yes = s.ifindex === v.getUint32(at + 4, true);
        break;
      case 10:
        yes = (((s.mark ?? 0) & v.getUint32(at + 8, true)) >>> 0) === v.getUint32(at + 4, true);
        break;
      case 13:
        yes = (s.cgroupId ?? 0n) === v.getBigUint64(at + 4, true);
        break;
      default:
        throw new Error(`unknown op ${code}`);
    }
    const step = yes ? bc[at + 1] : v.getUint16(at + 2, true);
    at += step;
    len -= step;
  }
  return len === 0;
}

function addrBytes(text: string, fam: number): Uint8Array {
  return (fam === 2 ? parseIPv4(text) : parseIPv6(text))!;
}

function bitsEqual(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    if (((a[i >> 3] >> (7 - (i & 7))) & 1) !== ((b[i >> 3] >> (7 - (i & 7))) & 1)) return false;
  }
  return true;
}

const show = (x: unknown) => JSON.stringify(x, (_k, v) => typeof v === "bigint" ? `${v}n` : v);

function randomSocket(r: () => number): FilterableSocket {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const v6 = r() < 0.5;
  const v4addrs = ["10.1.0.1", "127.0.0.1", "192.168.1.1", "0.0.0.0"];
  const v6addrs = ["::1", "2001:db8::1", "::ffff:10.1.2.3", "::ffff:127.0.0.1", "::", "fe80::1"];
  return {
    family: v6 ? "inet6" : "inet",
    src: pick(v6 ? v6addrs : v4addrs),
    dst: pick(v6 ? v6addrs : v4addrs),
    sport: pick(PORTS),
    dport: pick(PORTS),
    ifindex: pick([0, 1, 2]),
    mark: pick([0, 7, 0x10, 0x117]),
    cgroupId: pick([0n, 1n, 42n]),
  };
}

Deno.test("byte code run as the kernel runs it selects what the evaluator selects (random filters)", () => {
  const r = rng(7);
  for (let i = 0; i < 400; i++) {
    const f = randomFilter(r);
    const bc = compileFilter(f);
    const js = compileFilterPredicate(f);
    for (let j = 0; j < 40; j++) {
      const s = randomSocket(r);
      const auto = s.sport >= 32768 && s.sport <= 60999;
      assertEquals(runBytecode(bc, s, auto), js(s), `${show(f)} on ${show(s)}`);
    }
  }
});

Deno.test("filters: bad leaves are refused before anything is sent", () => {
  throws(() => compileFilter({ kind: "sport", op: "=", port: 70000 }), ValidationError);
  throws(() => compileFilter({ kind: "src", address: "10.0.0.0/33" }), ValidationError);
  throws(() => compileFilter({ kind: "dev", dev: "eth0" }), /names are resolved/);
  throws(() => compileFilter({ or: [] }), ValidationError);
  throws(() => inetDumpRequest({ protocol: "tcp", states: ["establ" as "established"] }, "inet"), ValidationError);
  throws(() => inetDumpRequest({ protocol: "tcpx" as "tcp" }, "inet"), ValidationError);
});

Deno.test("filters: device, mark and cgroup leaves compile as the kernel reads them", () => {
  assertEquals(toHex(compileFilter({ kind: "dev", dev: 3 })), "09080c0003000000");
  assertEquals(toHex(compileFilter({ kind: "cgroup", id: 0x1234n })), "0d0c10003412000000000000");
  assertEquals(toHex(compileFilter({ kind: "autobound" })), "06040800");
});

// ------------------------------------------------------ decoding replies

function view(hex: string): MessageView {
  const bytes = fromHex(hex);
  const v = new DataView(bytes.buffer);
  return { bytes, view: v, offset: 0, length: bytes.length, type: v.getUint16(4, true), flags: 0, seq: 0, pid: 0 };
}

const S = data.sockets;

Deno.test("decode: captured TCP replies carry the sockets opened, with tcp_info and memory", () => {
  const decode = inetSocketDecoder("tcp");
  const v4 = data.replies.tcp4.map((h) => decode(view(h))!);
  const v6 = data.replies.tcp6.map((h) => decode(view(h))!);
  const byInode = new Map([...v4, ...v6].map((s) => [s.inode, s]));
  const listener = byInode.get(S.inodes.listen4)!;
  assertEquals([listener.family, listener.state, listener.src, listener.sport], ["inet", "listen", "127.0.0.1", 2000]);
  for (const name of ["c1", "c2", "c3", "c4", "c5", "c6", "c1-peer", "c7-peer"]) {
    const s = byInode.get(S.inodes[name]);
    ok(s, name);
    assertEquals([s.src, s.sport, s.dst, s.dport], S.tcp[name], name);
    assertEquals(s.state, "established");
    assertEquals(s.protocol, "tcp");
    ok(s.tcpInfo && s.tcpInfo.state === "established" && s.tcpInfo.sndMss > 0, `${name} tcp_info`);
    ok(typeof s.tcpInfo.pacingRate === "bigint");
    ok(s.skmeminfo && s.skmeminfo.rcvbuf > 0 && s.meminfo !== undefined);
    ok(typeof s.congestion === "string" && s.congestion.length > 0);
    ok(typeof s.cookie === "bigint" && s.cookie > 0n);
  }
  assertEquals(byInode.get(S.inodes.c2)!.mark, 7);
  assertEquals(byInode.get(S.inodes.c3)!.ifindex, 1);
  assertEquals(byInode.get(S.inodes.c7 + 0)?.family, "inet");
  assertEquals(byInode.get(S.inodes["c7-peer"])!.family, "inet6");
});

Deno.test("decode: captured MPTCP replies carry mptcp_info", () => {
  const mptcp = data.replies.mptcp.map((h) => inetSocketDecoder("mptcp")(view(h))!);
  const client = mptcp.find((s) => s.inode === S.inodes["mptcp-client"]);
  ok(client, "the MPTCP client socket");
  assertEquals([client.protocol, client.state, client.dport], ["mptcp", "established", 6000]);
  ok(client.mptcpInfo && client.mptcpInfo.token !== 0 && typeof client.mptcpInfo.sndUna === "bigint");
});

Deno.test("decode: captured UDP, Unix, packet and netlink replies", () => {
  const udp = [...data.replies.udp4, ...data.replies.udp6].map((h) => inetSocketDecoder("udp")(view(h))!);
  const u4 = udp.find((s) => s.inode === S.inodes.udp4)!;
  assertEquals([u4.state, u4.src, u4.sport], ["close", "127.0.0.1", 2053]);
  const u6 = udp.find((s) => s.inode === S.inodes.udp6)!;
  assertEquals([u6.state, u6.src, u6.sport, u6.dst, u6.dport], ["established", "::1", 2053, "::1", 2054]);

  const unix = new Map(data.replies.unix.map((h) => decodeUnixSocket(view(h))!).map((s) => [s.inode, s]));
  const listen = unix.get(S.inodes["unix-listen"])!;
  assertEquals([listen.type, listen.state, listen.name], ["stream", "listen", S.unixNames.abstract]);
  ok(listen.icons!.length === 1 && listen.rqlen!.rqueue === 1, "one pending connection");
  assertEquals(unix.get(S.inodes["unix-client"])!.peer, S.inodes["unix-accepted"]);
  const dgram = unix.get(S.inodes["unix-dgram-a"])!;
  assertEquals([dgram.type, dgram.peer, dgram.rqlen!.rqueue], ["dgram", S.inodes["unix-dgram-b"], 5]);
  const bound = unix.get(S.inodes["unix-bound"])!;
  assertEquals([bound.name, bound.state], [S.unixNames.path, "close"]);
  ok(bound.vfs && bound.vfs.ino > 0);

  const packet = data.replies.packet.map((h) => decodePacketSocket(view(h))!).find((s) => s.inode === S.inodes.packet)!;
  assertEquals([packet.type, packet.protocol, packet.info!.index, packet.info!.flags], ["raw", 3, 1, ["running"]]);

  const netlink = data.replies.netlink.map((h) => decodeNetlinkSocket(view(h))!).find((s) =>
    s.inode === S.inodes.netlink
  )!;
  assertEquals([netlink.type, netlink.protocol, netlink.groups], ["raw", 0, [1]]);
  ok(netlink.portid > 0);
});

Deno.test("SOCK_DESTROY request carries the socket's whole id, cookie included", () => {
  const hex = toHex(inetDestroyRequest({
    family: "inet",
    protocol: "tcp",
    state: "established",
    timer: "off",
    retrans: 0,
    src: "127.0.0.1",
    sport: 2000,
    dst: "127.0.0.2",
    dport: 5004,
    ifindex: 1,
    cookie: 0x0000000100000002n,
    expires: 0,
    rqueue: 0,
    wqueue: 0,
    uid: 0,
    inode: 5,
  }));
  assertEquals(
    hex,
    "48000000150005000000000000000000" + "02060000" + "00000000" + "07d0138c" + "7f000001" + "0".repeat(24) +
      "7f000002" + "0".repeat(24) + "01000000" + "0200000001000000",
  );
});
