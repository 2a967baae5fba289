/**
 * Event streams: typed events, several namespaces merged, and the overrun +
 * resync contract under a flood of 100,000 route additions.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { addNetns, Connection, deleteNetns } from "../../mod.ts";
import { events, watchNamespaces } from "../../src/route/events.ts";
import { kernelTest, NO_NETNS_REASON, uniqueNetnsName } from "../_lib/netns.ts";
import { collectEvents } from "../_lib/setup.ts";

await kernelTest("namespace-id events: newnsid when an id is assigned", { needs: ["veth"] }, async (conn, ns) => {
  const other = uniqueNetnsName("peer");
  await addNetns(other);
  try {
    const ac = new AbortController();
    const stream = events(conn, { groups: ["nsid"], signal: ac.signal });
    const got = collectEvents(stream, (s) => s.some((e) => e.type === "newnsid"));
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
      const got = collectEvents(
        stream,
        (s) => s.filter((e) => e.type === "newlink" && e.link.name === "m0").length === 2,
      );
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
    // The batch kept this thread busy; the stream catches up now. Wait until the view is whole, or until the
    // stream, once it has started delivering, has been quiet for a while (under emulation its first event can
    // take seconds: the decoders load and run cold).
    const counted = () => [...view].filter((d) => d.startsWith("172.")).length;
    const deadline = performance.now() + 60_000;
    const started = lastEvent;
    while (performance.now() < deadline) {
      if (overruns === resyncs && counted() === 100_000) break;
      if (lastEvent !== started && performance.now() - lastEvent > 2_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    ac.abort();
    await consumer;
    ok(overruns === resyncs, `every overrun (${overruns}) was followed by a resync (${resyncs})`);
    const added = counted();
    equal(added, 100_000, `view holds ${added} of 100000 routes (${overruns} overruns)`);
    console.log(`    ${overruns} overrun(s), ${resyncs} resync(s)`);
  },
);

await kernelTest(
  "typed events for neighbours, rules, nexthops, bridge ports and FDB entries",
  { needs: ["veth", "bridge"] },
  async (conn) => {
    await conn.addLink({ kind: "veth", name: "e0", peer: { name: "e1" } });
    await conn.addLink({ kind: "bridge", name: "br0" });
    await conn.setLinkUp("e0");
    await conn.setLinkUp("e1");
    const stream = conn.events({ groups: ["link", "neigh", "ipv4-rule", "nexthop"] });
    const wanted = [
      ...["newneigh", "newrule", "newnexthop", "newbridgeport"],
      ...["delneigh", "delrule", "delnexthop"],
    ];
    const got = collectEvents(stream, (s) => wanted.every((t) => s.some((e) => e.type === t)));
    await new Promise((r) => setTimeout(r, 20));
    await conn.addNeighbour({ dev: "e0", dst: "192.0.2.7", lladdr: "02:00:00:00:00:07" });
    await conn.addRule({ priority: 1234, table: 42 });
    await conn.addNexthop({ id: 7, dev: "e0" });
    await conn.setLink("e1", { master: "br0" });
    await conn.addFdb({ mac: "02:00:00:00:00:0f", dev: "e1", master: true, state: "static" });
    await conn.delNeighbour({ dev: "e0", dst: "192.0.2.7" });
    await conn.delRule({ priority: 1234, table: 42 });
    await conn.delNexthop(7);
    const seen = await got;
    for (const t of wanted) ok(seen.some((e) => e.type === t), `no ${t} event`);
    const neigh = seen.find((e) => e.type === "newneigh" && e.neighbour.family === "inet");
    ok(neigh?.type === "newneigh");
    equal(neigh.neighbour.dst, "192.0.2.7");
    equal(neigh.neighbour.lladdr, "02:00:00:00:00:07");
    const rule = seen.find((e) => e.type === "newrule");
    ok(rule?.type === "newrule");
    equal(rule.rule.priority, 1234);
    equal(rule.rule.table, 42);
    const nh = seen.find((e) => e.type === "newnexthop");
    ok(nh?.type === "newnexthop");
    equal(nh.nexthop.id, 7);
    const port = seen.find((e) => e.type === "newbridgeport");
    ok(port?.type === "newbridgeport");
    equal(port.port.name, "e1");
    // A bridge FDB entry is a neighbour of family "bridge".
    const fdb = seen.find((e) =>
      e.type === "newneigh" && e.neighbour.family === "bridge" && e.neighbour.lladdr === "02:00:00:00:00:0f"
    );
    ok(fdb?.type === "newneigh", "no event for the FDB entry");
    equal(fdb.neighbour.ifindex, port.port.ifindex);
  },
);

await kernelTest(
  "per-VLAN events (group brvlan) on a VLAN-filtering bridge",
  { needs: ["veth", "bridge", "bridge-vlan-filtering"] },
  async (conn, ns) => {
    await conn.addLink({ kind: "veth", name: "e0", peer: { name: "e1" } });
    await conn.addLink({ kind: "bridge", name: "br0" });
    const set = await new Deno.Command("ip", {
      args: ["-n", ns, "link", "set", "br0", "type", "bridge", "vlan_filtering", "1"],
    }).output();
    equal(set.code, 0);
    await conn.setLink("e1", { master: "br0" });
    const e1 = await conn.resolveDev("e1");
    const stream = conn.events({ groups: ["brvlan"] });
    const got = collectEvents(stream, (s) => s.some((e) => e.type === "newvlan" && e.vlan.ifindex === e1));
    await new Promise((r) => setTimeout(r, 20));
    await conn.addBridgeVlan({ dev: "e1", vid: 10 });
    const ev = (await got).find((e) => e.type === "newvlan" && e.vlan.ifindex === e1);
    ok(ev?.type === "newvlan", "no newvlan event for e1");
    ok(ev.vlan.entries.some((v) => v.vid === 10 || (v.vid <= 10 && 10 <= (v.vidEnd ?? v.vid))));
  },
);
