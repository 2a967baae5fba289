/**
 * The connection and the reactor against the real kernel: concurrency,
 * descriptors, many sockets, prompt close, streams, idle processes.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { Connection, type NetlinkError } from "../../mod.ts";
import { reactor } from "../../ffi/reactor.ts";
import { kernelTest, NO_NETNS_REASON, withNetns } from "../_lib/netns.ts";

async function fdCount(): Promise<number> {
  let n = 0;
  for await (const _ of Deno.readDir("/proc/self/fd")) n++;
  return n;
}

await kernelTest("1,000 concurrent getLink calls on one connection all resolve correctly", {
  needs: ["veth"],
}, async (conn) => {
  await conn.addLink({ kind: "veth", name: "c0", peer: { name: "c1" } });
  const links = await conn.getLinks();
  const byName = new Map(links.map((l) => [l.name!, l.index]));
  const asks = Array.from({ length: 1000 }, (_, i) => {
    const name = ["lo", "c0", "c1"][i % 3];
    return i % 2 ? name : byName.get(name)!;
  });
  const got = await Promise.all(asks.map((d) => conn.getLink(d)));
  for (let i = 0; i < asks.length; i++) {
    const want = typeof asks[i] === "string" ? byName.get(asks[i] as string) : asks[i];
    equal(got[i].index, want);
  }
  equal(conn.pendingCount, 0);
});

await kernelTest("concurrent dumps and requests on one connection", { needs: ["veth"] }, async (conn) => {
  await conn.addLink({ kind: "veth", name: "d0", peer: { name: "d1" } });
  await conn.setLinkUp("d0");
  await conn.addAddress({ dev: "d0", address: "10.20.0.1/24" });
  const [a, b, c, d, e] = await Promise.all([
    conn.getLinks(),
    conn.getAddresses({ family: "inet" }),
    conn.getRoutes({ family: "inet" }),
    conn.getLink("d1"),
    conn.getLinks({ kind: "veth" }),
  ]);
  equal(a.length, 3);
  ok(b.some((x) => x.local === "10.20.0.1"));
  ok(c.some((r) => r.dst === "10.20.0.0/24"));
  equal(d.name, "d1");
  deepStrictEqual(e.map((l) => l.name).sort(), ["d0", "d1"]);
});

await kernelTest("opening and closing 10,000 connections leaves the fd count unchanged", {}, async (_conn, ns) => {
  // Warm up: the reactor's epoll and eventfd are created once per process.
  (await Connection.open({ netns: ns })).close();
  const before = await fdCount();
  for (let i = 0; i < 10000; i++) {
    const c = await Connection.open(i % 2 ? {} : { netns: ns });
    if (i % 1000 === 0) await c.getLink("lo");
    c.close();
  }
  equal(await fdCount(), before);
});

await kernelTest("100 connections open at once, each answering concurrently", {}, async (_conn, ns) => {
  const conns = await Promise.all(Array.from({ length: 100 }, () => Connection.open({ netns: ns })));
  try {
    const results = await Promise.all(conns.map((c) => Promise.all([c.getLink("lo"), c.getLinks(), c.getRoutes()])));
    for (const [lo, links] of results) {
      equal(lo.name, "lo");
      equal(links.length, 1);
    }
  } finally {
    for (const c of conns) c.close();
  }
});

await kernelTest("closing the connection ends a waiting event stream within 100 ms", {}, async (_conn, ns) => {
  const c = await Connection.open({ netns: ns });
  const it = c.events({ groups: ["link"] });
  const next = it.next();
  await new Promise((r) => setTimeout(r, 50)); // it is waiting on the reactor now
  ok(reactor().running);
  const t0 = performance.now();
  c.close();
  const r = await next;
  const ms = performance.now() - t0;
  equal(r.done, true);
  ok(ms < 100, `took ${ms.toFixed(1)} ms`);
  await new Promise((r) => setTimeout(r, 10));
  equal(reactor().waiting, 0);
});

await kernelTest("aborting a waiting event stream returns within 100 ms", {}, async (conn) => {
  const ac = new AbortController();
  const it = conn.events({ groups: ["link"], signal: ac.signal });
  const next = it.next();
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  ac.abort(new Error("stop"));
  await rejects(next, /stop/);
  ok(performance.now() - t0 < 100);
});

await kernelTest("breaking out of a streamed dump closes its socket at once", {}, async (conn) => {
  const b = conn.batch();
  for (let i = 0; i < 2000; i++) b.addRoute({ dst: `10.${i >> 8}.${i & 255}.0/24`, type: "blackhole" });
  equal((await b.execute()).ok, true);
  const before = await fdCount();
  let n = 0;
  const t0 = performance.now();
  for await (const _ of conn.streamRoutes({ family: "inet" })) if (++n === 10) break;
  ok(performance.now() - t0 < 100);
  equal(await fdCount(), before);
  let all = 0;
  for await (const r of conn.streamRoutes({ family: "inet", type: "blackhole" })) {
    ok(r.dst.endsWith(".0/24"));
    all++;
  }
  equal(all, 2000);
});

await kernelTest("events: link, address and route notifications, typed", { needs: ["veth"] }, async (conn) => {
  const ac = new AbortController();
  const seen: string[] = [];
  const done = (async () => {
    try {
      for await (const ev of conn.events({ signal: ac.signal })) {
        if (ev.type === "newlink" && ev.link.name === "e0") seen.push("newlink e0");
        if (ev.type === "newaddr" && ev.address.local === "10.30.0.1") seen.push("newaddr");
        if (ev.type === "newroute" && ev.route.dst === "10.31.0.0/24") seen.push("newroute");
        if (ev.type === "dellink" && ev.link.name === "e0") {
          seen.push("dellink e0");
          break;
        }
      }
    } catch (e) {
      if (!ac.signal.aborted) throw e;
    }
  })();
  await new Promise((r) => setTimeout(r, 20));
  await conn.addLink({ kind: "veth", name: "e0", peer: { name: "e1" } });
  await conn.setLinkUp("e0");
  await conn.setLinkUp("e1");
  await conn.addAddress({ dev: "e0", address: "10.30.0.1/24" });
  await conn.addRoute({ dst: "10.31.0.0/24", gateway: "10.30.0.2" });
  await conn.delLink("e0");
  const timer = setTimeout(() => ac.abort(), 3000);
  await done;
  clearTimeout(timer);
  for (const want of ["newlink e0", "newaddr", "newroute", "dellink e0"]) ok(seen.includes(want), `${want} in ${seen}`);
});

await kernelTest("events: a receive-buffer overrun is reported, never silent", {}, async (conn) => {
  const ac = new AbortController();
  const it = conn.events({ groups: ["ipv4-route"], receiveBuffer: 4096, signal: ac.signal });
  const first = it.next();
  await new Promise((r) => setTimeout(r, 20));
  const b = conn.batch();
  for (let i = 0; i < 5000; i++) b.addRoute({ dst: `10.${i >> 8}.${i & 255}.0/24`, type: "blackhole" });
  await b.execute();
  let overrun = false;
  let r = await first;
  for (let i = 0; i < 10000 && !r.done; i++) {
    if (r.value.type === "overrun") {
      overrun = true;
      break;
    }
    r = await it.next();
  }
  ac.abort();
  await it.return(undefined);
  ok(overrun, "an overrun event was yielded");
});

Deno.test({
  name: `a script that finished its work exits by itself; an idle stream uses no CPU${
    NO_NETNS_REASON ? ` [skipped: ${NO_NETNS_REASON}]` : ""
  }`,
  ignore: NO_NETNS_REASON !== undefined,
  async fn() {
    const mod = new URL("../../mod.ts", import.meta.url).href;
    await withNetns(async (_c, ns) => {
      const finish = `import { Connection } from "${mod}";
        const c = await Connection.open({ netns: "${ns}" });
        await c.getLinks(); await c.getRoutes();
        console.log("done");`;
      const t0 = performance.now();
      const out = await new Deno.Command(Deno.execPath(), { args: ["eval", finish], stdout: "piped", stderr: "piped" })
        .output();
      equal(new TextDecoder().decode(out.stdout).trim(), "done", new TextDecoder().decode(out.stderr));
      ok(performance.now() - t0 < 5000, "exited without being told to");

      const idle = `import { Connection } from "${mod}";
        const c = await Connection.open({ netns: "${ns}" });
        console.log("ready");
        for await (const _ of c.events()) {}`;
      const child = new Deno.Command(Deno.execPath(), { args: ["eval", idle], stdout: "piped", stderr: "null" })
        .spawn();
      const reader = child.stdout.getReader();
      await reader.read(); // "ready"
      // Let start-up's own work end (V8 compiles and collects on its threads for a while, longer under the VM
      // lane's emulated CPU).
      await new Promise((r) => setTimeout(r, 1000));
      const cpu = async () => {
        const f = (await Deno.readTextFile(`/proc/${child.pid}/stat`)).split(") ")[1].split(" ");
        return Number(f[11]) + Number(f[12]); // utime + stime, clock ticks
      };
      const a = await cpu();
      await new Promise((r) => setTimeout(r, 1000));
      const b = await cpu();
      child.kill();
      await child.status;
      reader.releaseLock();
      // Polling would take most of the 100 ticks of a second; a few are the runtime's housekeeping on a busy host.
      ok(b - a <= 5, `idle stream used ${b - a} ticks of CPU in 1 s`);
    });
  },
});

await kernelTest("requests fail with the kernel's errno and extended ack", {}, async (conn) => {
  await rejects(conn.getLink("nosuch0"), (e: NetlinkError) => e.isNotFound() && e.code === "ENODEV");
  await rejects(conn.delLink(999), (e: NetlinkError) => e.isNotFound());
  await conn.setLinkUp("lo");
  await rejects(
    conn.addRoute({ dst: "10.0.0.0/24", gateway: "192.0.2.1" }),
    (e: NetlinkError) => e.isUnreachable() && /gateway/i.test(e.extAck?.message ?? ""),
  );
});

await kernelTest("an aborted dump rejects with the signal's reason; the connection keeps working", {}, async (conn) => {
  const b = conn.batch();
  for (let i = 0; i < 3000; i++) b.addRoute({ dst: `10.${i >> 8}.${i & 255}.0/24`, type: "blackhole" });
  await b.execute();
  const ac = new AbortController();
  const first = conn.getRoutes({ family: "inet" });
  const second = conn.getRoutes({ family: "inet", signal: ac.signal }); // queued behind the first
  ac.abort(new Error("no longer needed"));
  await rejects(second, /no longer needed/);
  equal((await first).length, 3000);
  await rejects(conn.getRoutes({ signal: ac.signal }), /no longer needed/); // already aborted
  equal((await conn.getRoutes({ family: "inet" })).length, 3000);
});
