/**
 * Event streams: typed events, several namespaces merged, and the overrun +
 * resync contract under a flood of 100,000 route additions.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { addNetns, Connection, deleteNetns, type NetworkEvent } from "../../mod.ts";
import { events, watchNamespaces } from "../../src/route/events.ts";
import { kernelTest, NO_NETNS_REASON, uniqueNetnsName } from "../_lib/netns.ts";

/** Collects events until `until` returns true or `ms` pass. */
async function collect(
  stream: AsyncGenerator<NetworkEvent>,
  until: (seen: NetworkEvent[]) => boolean,
  ms = 3000,
): Promise<NetworkEvent[]> {
  const seen: NetworkEvent[] = [];
  const deadline = setTimeout(() => stream.return(undefined), ms);
  try {
    for await (const ev of stream) {
      seen.push(ev);
      if (until(seen)) break;
    }
  } finally {
    clearTimeout(deadline);
  }
  return seen;
}

await kernelTest("namespace-id events: newnsid when an id is assigned", { needs: ["veth"] }, async (conn, ns) => {
  const other = uniqueNetnsName("peer");
  await addNetns(other);
  try {
    const ac = new AbortController();
    const stream = events(conn, { groups: ["nsid"], signal: ac.signal });
    const got = collect(stream, (s) => s.some((e) => e.type === "newnsid"));
    await new Promise((r) => setTimeout(r, 20));
    const out = await new Deno.Command("ip", {
      args: ["-n", ns, "link", "add", "n0", "type", "veth", "peer", "name", "n1", "netns", other],
    }).output();
    equal(out.code, 0);
    const seen = await got;
    const ev = seen.find((e) => e.type === "newnsid");
    ok(ev && ev.type === "newnsid");
    equal(ev.nsid.nsid, await conn.getNsid(other));
  } finally {
    await deleteNetns(other);
  }
});

Deno.test({
  name: `several namespaces merged into one stream, each event tagged${
    NO_NETNS_REASON ? ` [skipped: ${NO_NETNS_REASON}]` : ""
  }`,
  ignore: NO_NETNS_REASON !== undefined,
  async fn() {
    const a = uniqueNetnsName("wa"), b = uniqueNetnsName("wb");
    await addNetns(a);
    await addNetns(b);
    const ca = await Connection.open({ netns: a });
    const cb = await Connection.open({ netns: b });
    try {
      const stream = watchNamespaces([{ conn: ca, label: a }, { conn: cb, label: b }], { groups: ["link"] });
      const got = collect(stream, (s) => s.filter((e) => e.type === "newlink" && e.link.name === "m0").length === 2);
      await new Promise((r) => setTimeout(r, 30));
      await ca.addLink({ kind: "bridge", name: "m0" });
      await cb.addLink({ kind: "bridge", name: "m0" });
      const seen = (await got).filter((e) => e.type === "newlink" && e.link.name === "m0");
      deepStrictEqual(seen.map((e) => e.netns).sort(), [a, b].sort());
      // Breaking out ended both subscriptions: new changes reach nobody, nothing hangs.
      const t0 = performance.now();
      const again = watchNamespaces([{ conn: ca, label: a }, { conn: cb, label: b }], { groups: ["link"] });
      const first = again.next();
      await new Promise((r) => setTimeout(r, 30));
      const ended = again.return(undefined);
      await ca.addLink({ kind: "bridge", name: "m1" }); // wakes the pending read so return() can run
      await ended;
      void first;
      ok(performance.now() - t0 < 1000);
    } finally {
      ca.close();
      cb.close();
      await deleteNetns(a);
      await deleteNetns(b);
    }
  },
});

await kernelTest(
  "100,000 route additions: every one seen, or an overrun and a resync that restores the whole table",
  { needs: ["veth"] },
  async (conn) => {
    await conn.addLink({ kind: "veth", name: "f0", peer: { name: "f1" } });
    await conn.setLinkUp("f0");
    await conn.addAddress({ dev: "f0", address: "10.0.0.1/16" });
    const view = new Set<string>();
    let overruns = 0, resyncs = 0, lastEvent = performance.now();
    const ac = new AbortController();
    const consumer = (async () => {
      try {
        for await (const ev of conn.events({ groups: ["ipv4-route"], resync: true, signal: ac.signal })) {
          lastEvent = performance.now();
          if (ev.type === "newroute" && ev.route.table === 254) view.add(ev.route.dst);
          else if (ev.type === "delroute") view.delete(ev.route.dst);
          else if (ev.type === "overrun") overruns++;
          else if (ev.type === "resync") {
            resyncs++;
            view.clear();
            for (const r of ev.tables.routes ?? []) if (r.table === 254) view.add(r.dst);
          }
        }
      } catch (e) {
        if (!ac.signal.aborted) throw e;
      }
    })();
    await new Promise((r) => setTimeout(r, 30));
    const b = conn.batch();
    for (let i = 0; i < 100_000; i++) {
      b.addRoute({ dst: `172.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`, gateway: "10.0.0.2", dev: "f0" });
    }
    const result = await b.execute();
    equal(result.succeeded, 100_000);
    // The batch kept this thread busy; the stream catches up now. Wait until it is quiet.
    lastEvent = performance.now();
    while (performance.now() - lastEvent < 300) await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await consumer;
    ok(overruns === resyncs, `every overrun (${overruns}) was followed by a resync (${resyncs})`);
    const added = [...view].filter((d) => d.startsWith("172.")).length;
    equal(added, 100_000, `view holds ${added} of 100000 routes (${overruns} overruns)`);
    console.log(`    ${overruns} overrun(s), ${resyncs} resync(s)`);
  },
);
