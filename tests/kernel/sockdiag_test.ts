/**
 * sock_diag against the kernel, in a private namespace: a python3 helper
 * started inside it opens a known set of sockets (tests/_lib/sockdiag_sockets.ts);
 * the library must find each with the right fields, the kernel's byte-code
 * filter must select exactly what the JavaScript evaluator selects, and
 * SOCK_DESTROY must close one chosen connection.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { kernelTest, NO_NETNS_REASON } from "../_lib/netns.ts";
import { helperUnavailable, randomFilter, rng, startSocketHelper } from "../_lib/sockdiag_sockets.ts";
import { SockDiagConnection } from "../../src/sockdiag/connection.ts";
import { compileFilterPredicate } from "../../src/sockdiag/filter.ts";
import type { InetSocket } from "../../src/sockdiag/inet.ts";
import { NetlinkError } from "../../src/core/errors.ts";

const NO_HELPER = await helperUnavailable();

/** Whether the running kernel was built with an option (undefined: cannot tell). */
async function kernelConfig(option: string): Promise<boolean | undefined> {
  try {
    const gz = (await Deno.open("/proc/config.gz")).readable.pipeThrough(new DecompressionStream("gzip"));
    const text = await new Response(gz).text();
    return text.split("\n").some((l) => l === `${option}=y` || l === `${option}=m`);
  } catch {
    return undefined;
  }
}

/** Registers a kernel test that also needs the python3 helper (skipped with the reason if missing). */
async function socketTest(name: string, fn: Parameters<typeof kernelTest>[2], lacking?: string): Promise<void> {
  const reason = lacking ?? NO_HELPER;
  if (reason !== undefined && NO_NETNS_REASON === undefined) {
    Deno.test({ name: `${name} [skipped: ${reason}]`, ignore: true, fn() {} });
    return;
  }
  await kernelTest(name, {}, fn);
}

await socketTest(
  "sock_diag: TCP v4/v6, UDP, Unix, packet and netlink sockets are found with their fields",
  async (conn, ns) => {
    const helper = await startSocketHelper(ns);
    try {
      const S = helper.sockets;
      const diag = SockDiagConnection.beside(conn);
      const tcp = await diag.getInetSockets({ protocol: "tcp", extensions: ["info", "cong", "skmeminfo", "meminfo"] });
      const byInode = new Map(tcp.map((s) => [s.inode, s]));
      for (const [name, port, family] of [["listen4", 2000, "inet"], ["listen6", 4000, "inet6"]] as const) {
        const s = byInode.get(S.inodes[name]);
        ok(s, name);
        assertEquals([s.family, s.state, s.sport, s.dport], [family, "listen", port, 0]);
      }
      for (const [name, [src, sport, dst, dport]] of Object.entries(S.tcp)) {
        const s = byInode.get(S.inodes[name]);
        ok(s, name);
        assertEquals([s.src, s.sport, s.dst, s.dport, s.state], [src, sport, dst, dport, "established"], name);
        ok(s.tcpInfo && s.tcpInfo.state === "established" && s.tcpInfo.rtt > 0, `${name}: tcp_info`);
        ok(s.skmeminfo && s.skmeminfo.sndbuf > 0, `${name}: skmeminfo`);
        ok(s.congestion, `${name}: congestion`);
      }
      assertEquals(byInode.get(S.inodes.c2)!.mark, 7);
      assertEquals(byInode.get(S.inodes.c3)!.ifindex, 1);
      assertEquals(byInode.get(S.inodes.c6)!.family, "inet6");
      // The IPv4 states filter: only listeners.
      const listeners = await diag.getInetSockets({ protocol: "tcp", family: "inet", states: ["listen"] });
      ok(listeners.every((s) => s.state === "listen" && s.family === "inet"));
      const mine = [S.inodes.listen4, S.inodes.listen4b];
      assertEquals(listeners.filter((s) => mine.includes(s.inode)).map((s) => s.sport).sort(), [2000, 3000]);
      // Streaming gives the same sockets.
      const streamed: InetSocket[] = [];
      for await (const s of diag.streamInetSockets({ protocol: "tcp" })) streamed.push(s);
      assertEquals(streamed.map((s) => s.cookie).sort(), tcp.map((s) => s.cookie).sort());

      const udp = await diag.getInetSockets({ protocol: "udp" });
      const u4 = udp.find((s) => s.inode === S.inodes.udp4)!;
      assertEquals([u4.family, u4.state, u4.src, u4.sport], ["inet", "close", "127.0.0.1", 2053]);
      const u6 = udp.find((s) => s.inode === S.inodes.udp6)!;
      assertEquals([u6.family, u6.state, u6.dst, u6.dport], ["inet6", "established", "::1", 2054]);

      const unix = new Map((await diag.getUnixSockets()).map((s) => [s.inode, s]));
      const listen = unix.get(S.inodes["unix-listen"])!;
      assertEquals([listen.type, listen.state, listen.name], ["stream", "listen", S.unixNames.abstract]);
      assertEquals(listen.icons!.length, 1);
      assertEquals(unix.get(S.inodes["unix-client"])!.peer, S.inodes["unix-accepted"]);
      assertEquals(unix.get(S.inodes["unix-accepted"])!.peer, S.inodes["unix-client"]);
      const a = unix.get(S.inodes["unix-dgram-a"])!;
      assertEquals([a.type, a.state, a.peer, a.rqlen?.rqueue], ["dgram", "established", S.inodes["unix-dgram-b"], 5]);
      assertEquals(unix.get(S.inodes["unix-bound"])!.name, S.unixNames.path);

      if (S.inodes["mptcp-listen"] !== undefined) {
        const mptcp = await diag.getInetSockets({ protocol: "mptcp", family: "inet", extensions: ["info"] });
        const ml = mptcp.find((s) => s.inode === S.inodes["mptcp-listen"]);
        assertEquals([ml?.protocol, ml?.state, ml?.sport], ["mptcp", "listen", 6000]);
        const mc = mptcp.find((s) => s.inode === S.inodes["mptcp-client"]);
        assertEquals([mc?.state, mc?.dport], ["established", 6000]);
        ok(mc?.mptcpInfo && typeof mc.mptcpInfo.writeSeq === "bigint" && mc.mptcpInfo.token !== 0, "mptcp_info");
      }

      const packet = (await diag.getPacketSockets()).find((s) => s.inode === S.inodes.packet)!;
      assertEquals([packet.type, packet.protocol, packet.info?.index], ["raw", 3, 1]);
      const netlink = (await diag.getNetlinkSockets({ protocol: 0 })).find((s) => s.inode === S.inodes.netlink)!;
      assertEquals([netlink.protocol, netlink.groups], [0, [1]]);
    } finally {
      await helper.close();
    }
  },
);

await socketTest(
  "sock_diag: the kernel's byte-code filter selects exactly what the evaluator selects",
  async (conn, ns) => {
    const helper = await startSocketHelper(ns);
    try {
      const diag = SockDiagConnection.beside(conn);
      const all = await diag.getInetSockets({ protocol: "tcp" });
      ok(all.length >= 19, `${all.length} sockets`);
      const key = (s: InetSocket) => `${s.family} ${s.cookie}`;
      const r = rng(20261122);
      let selective = 0;
      for (let i = 0; i < 120; i++) {
        const filter = randomFilter(r);
        const kernel = (await diag.getInetSockets({ protocol: "tcp", filter })).map(key).sort();
        const js = all.filter(compileFilterPredicate(filter)).map(key).sort();
        const show = JSON.stringify(filter, (_k, x) => typeof x === "bigint" ? `${x}n` : x);
        assertEquals(kernel, js, show);
        if (kernel.length > 0 && kernel.length < all.length) selective++;
      }
      ok(selective > 30, `only ${selective} of the random filters selected some but not all sockets`);
      // A device given by name resolves in the connection's namespace.
      const onLo = await diag.getInetSockets({ protocol: "tcp", filter: { kind: "dev", dev: "lo" } });
      assertEquals(onLo.map((s) => s.inode).sort(), [helper.sockets.inodes.c3, helper.sockets.inodes.c6].sort());
    } finally {
      await helper.close();
    }
  },
);

const destroyLacking = (await kernelConfig("CONFIG_INET_DIAG_DESTROY")) === false
  ? "kernel built without CONFIG_INET_DIAG_DESTROY"
  : undefined;

await socketTest("sock_diag: SOCK_DESTROY closes the chosen connection and leaves the others", async (conn, ns) => {
  const helper = await startSocketHelper(ns);
  try {
    const S = helper.sockets;
    const diag = SockDiagConnection.beside(conn);
    const before = await diag.getInetSockets({ protocol: "tcp" });
    let result;
    try {
      result = await diag.destroySockets({
        protocol: "tcp",
        family: "inet",
        filter: { and: [{ kind: "sport", op: "=", port: 2000 }, { kind: "dport", op: "=", port: 5004 }] },
      });
    } catch (e) {
      if (e instanceof NetlinkError && e.isNotSupported()) throw new Error(`SOCK_DESTROY unsupported: ${e.message}`);
      throw e;
    }
    assertEquals(result.destroyed.map((s) => s.inode), [S.inodes["victim-peer"]]);
    assertEquals(result.failed, []);
    assertEquals(await helper.probe("victim"), "reset");
    assertEquals(await helper.probe("c1"), "timeout");
    const after = await diag.getInetSockets({ protocol: "tcp" });
    const alive = new Set(after.filter((s) => s.state !== "close").map((s) => s.cookie));
    for (const s of before) {
      if (s.inode === S.inodes["victim-peer"] || s.inode === S.inodes.victim) continue;
      ok(alive.has(s.cookie), `${s.src}:${s.sport} → ${s.dst}:${s.dport} survived`);
    }
    ok(!alive.has(result.destroyed[0].cookie));
  } finally {
    await helper.close();
  }
}, destroyLacking);

for (
  const [what, get] of [
    ["vsock", (d: SockDiagConnection) => d.getVsockSockets()],
    ["xdp", (d: SockDiagConnection) => d.getXdpSockets()],
  ] as const
) {
  const option = what === "vsock" ? "CONFIG_VSOCKETS_DIAG" : "CONFIG_XDP_SOCKETS_DIAG";
  const built = await kernelConfig(option);
  await socketTest(`sock_diag: ${what} sockets are listed (none here)`, async (conn) => {
    assertEquals(await get(SockDiagConnection.beside(conn)), []);
  }, built === false ? `kernel built without ${option}` : undefined);
}
