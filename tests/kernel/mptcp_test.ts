/**
 * The MPTCP path manager against the kernel, in a private namespace:
 * endpoints added (device by name and by index), listed, read by id,
 * changed, deleted and flushed; limits set and read; and the events of an
 * MPTCP connection made over loopback by a `python3` helper (IPPROTO_MPTCP
 * sockets) under `ip netns exec`.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type Connection, type MptcpEvent, NetlinkError, ValidationError } from "../../mod.ts";
import { GenlConnection } from "../../src/genl/mod.ts";
import { kernelTest } from "../_lib/netns.ts";
import { veth } from "../_lib/setup.ts";

/** Why MPTCP cannot be used here, if it cannot: no MPTCP in the kernel, or turned off. */
const NO_MPTCP: string | undefined = await (async () => {
  let enabled: string;
  try {
    enabled = (await Deno.readTextFile("/proc/sys/net/mptcp/enabled")).trim();
  } catch {
    return "kernel lacks MPTCP (no /proc/sys/net/mptcp/enabled)";
  }
  if (enabled === "0") return "MPTCP is disabled (sysctl net.mptcp.enabled = 0)";
  try {
    using genl = GenlConnection.open();
    await genl.family("mptcp_pm");
    return undefined;
  } catch (e) {
    return `no mptcp_pm generic netlink family (${e instanceof Error ? e.message : String(e)})`;
  }
})();

/** Whether python3 can run the helper that opens MPTCP sockets. */
const NO_PYTHON: string | undefined = await (async () => {
  try {
    const r = await new Deno.Command("python3", { args: ["-c", "import socket"], stdout: "null", stderr: "null" })
      .output();
    return r.success ? undefined : "python3 cannot import socket";
  } catch {
    return "python3 is not installed";
  }
})();

async function mptcpTest(
  name: string,
  fn: (conn: Connection, ns: string) => Promise<void>,
  extra?: string,
): Promise<void> {
  const reason = NO_MPTCP ?? extra;
  if (reason !== undefined) Deno.test({ name: `${name} [skipped: ${reason}]`, ignore: true, fn() {} });
  else await kernelTest(name, { needs: ["veth"] }, fn);
}

await mptcpTest("mptcp: endpoints are added, listed, read, changed, deleted and flushed", async (conn) => {
  const { v0 } = await veth(conn, { addresses: { v0: ["10.0.0.1/24", "2001:db8::1/64"] } });
  deepStrictEqual(await conn.getMptcpEndpoints(), []);
  await conn.addMptcpEndpoint({ address: "10.0.0.1", dev: "v0", flags: ["subflow"] });
  await conn.addMptcpEndpoint({ address: "10.0.0.1", id: 5, port: 1234, flags: ["signal", "backup"], dev: v0 });
  await conn.addMptcpEndpoint({ address: "2001:db8::1", id: 9, flags: ["subflow", "fullmesh"] });
  const all = await conn.getMptcpEndpoints();
  deepStrictEqual(all, [
    { id: 1, family: "inet", address: "10.0.0.1", flags: ["subflow"], ifindex: v0 },
    { id: 5, family: "inet", address: "10.0.0.1", port: 1234, flags: ["signal", "backup"], ifindex: v0 },
    { id: 9, family: "inet6", address: "2001:db8::1", flags: ["subflow", "fullmesh"] },
  ]);
  deepStrictEqual(await conn.getMptcpEndpoint(5), all[1]);
  await rejects(conn.getMptcpEndpoint(77), (e) => e instanceof NetlinkError && e.extAck?.message !== undefined);
  // A second endpoint with the same id is refused by the kernel.
  await rejects(conn.addMptcpEndpoint({ address: "10.0.0.9", id: 5 }), NetlinkError);
  // A name is looked up in this namespace, before anything goes to the path manager.
  await rejects(conn.addMptcpEndpoint({ address: "10.0.0.9", dev: "no-such-dev" }), NetlinkError);
  await rejects(conn.addMptcpEndpoint({ address: "10.0.0.9", port: 80 }), ValidationError);

  await conn.setMptcpEndpointFlags({ id: 5, flags: [] });
  deepStrictEqual((await conn.getMptcpEndpoint(5)).flags, ["signal"]);
  await conn.setMptcpEndpointFlags({ id: 1, flags: ["backup"] });
  deepStrictEqual((await conn.getMptcpEndpoint(1)).flags, ["subflow", "backup"]);

  await conn.delMptcpEndpoint({ id: 9 });
  deepStrictEqual((await conn.getMptcpEndpoints()).map((e) => e.id), [1, 5]);
  await rejects(conn.delMptcpEndpoint({ id: 9 }), NetlinkError);
  await conn.flushMptcpEndpoints();
  deepStrictEqual(await conn.getMptcpEndpoints(), []);
});

await mptcpTest("mptcp: limits are set and read; a limit left out keeps its value", async (conn) => {
  await conn.setMptcpLimits({ subflows: 4, addAddrAccepted: 3 });
  deepStrictEqual(await conn.getMptcpLimits(), { addAddrAccepted: 3, subflows: 4 });
  await conn.setMptcpLimits({ subflows: 1 });
  deepStrictEqual(await conn.getMptcpLimits(), { addAddrAccepted: 3, subflows: 1 });
  // The kernel's maximum is 8.
  await rejects(conn.setMptcpLimits({ subflows: 9 }), (e) => e instanceof NetlinkError && e.errno === 22);
});

/** A client and a server on loopback, over IPPROTO_MPTCP (262); closes both after one exchange. */
const HELPER = `
import socket, time
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
srv.bind(("127.0.0.1", 5555)); srv.listen(1)
cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
cli.connect(("127.0.0.1", 5555))
peer, _ = srv.accept()
cli.sendall(b"hi"); peer.recv(2); peer.sendall(b"!"); cli.recv(1)
time.sleep(0.1)
cli.close(); peer.close(); srv.close()
`;

await mptcpTest(
  "mptcp: a connection's events arrive typed (listener, created, established, closed)",
  async (conn, ns) => {
    await conn.setLinkUp("lo");
    const stream = conn.mptcpEvents();
    const seen: MptcpEvent[] = [];
    const collect = (async () => {
      for await (const ev of stream) {
        if (ev.type === "overrun") continue;
        seen.push(ev);
        if (ev.type === "listener_closed" || seen.filter((e) => e.type === "closed").length === 2) break;
      }
    })();
    // Let the subscription take effect before the helper runs.
    await new Promise((r) => setTimeout(r, 100));
    const helper = await new Deno.Command("ip", {
      args: ["netns", "exec", ns, "python3", "-c", HELPER],
      stdout: "piped",
      stderr: "piped",
    }).output();
    equal(helper.success, true, new TextDecoder().decode(helper.stderr));
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      collect,
      new Promise((_, reject) => timer = setTimeout(() => reject(new Error("events did not arrive")), 5000)),
    ]);
    clearTimeout(timer);
    const types = seen.map((e) => e.type);
    for (const t of ["created", "established", "closed"]) {
      equal(types.filter((x) => x === t).length, 2, `two ${t} events (client and server) in ${types}`);
    }
    const created = seen.filter((e) => e.type === "created");
    deepStrictEqual(new Set(created.map((e) => e.sport)).has(5555), true);
    for (const e of created) {
      equal(e.family, 2);
      equal(e.saddr4, "127.0.0.1");
      equal(e.daddr4, "127.0.0.1");
      ok(typeof e.token === "number");
    }
    const tokens = new Set(created.map((e) => e.token));
    ok(seen.filter((e) => e.type === "closed").every((e) => tokens.has(e.token)), "closed names the tokens created");
  },
  NO_PYTHON,
);
