/**
 * Event streams with `allNsid` (NETLINK_LISTEN_ALL_NSID): a namespace that gave
 * another an id hears that one's notifications, each tagged with the id; its own
 * carry none; a namespace without an id stays unheard; without the option the
 * stream stays in its own namespace.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { addNetns, Connection, deleteNetns, type NetworkEvent } from "../../mod.ts";
import { events } from "../../src/route/events.ts";
import { kernelTest, uniqueNetnsName } from "../_lib/netns.ts";
import { collectEvents } from "../_lib/setup.ts";

const newLink = (name: string) => (e: NetworkEvent) => e.type === "newlink" && e.link.name === name;

await kernelTest("allNsid: a link added in a namespace with an id arrives tagged with it", {
  needs: ["veth"],
}, async (conn) => {
  const b = uniqueNetnsName("Ob"), c = uniqueNetnsName("Oc");
  await addNetns(b);
  await addNetns(c);
  const inB = await Connection.open({ netns: b });
  const inC = await Connection.open({ netns: c });
  try {
    await conn.setNsid(b, 7); // c gets no id here: its notifications must not arrive
    const all = events(conn, { groups: ["link"], allNsid: true });
    const own = events(conn, { groups: ["link"] });
    const gotAll = collectEvents(all, (s) => s.some(newLink("oa0")));
    const gotOwn = collectEvents(own, (s) => s.some(newLink("oa0")));
    await new Promise((r) => setTimeout(r, 20)); // both generators have subscribed
    await inC.addLink({ kind: "veth", name: "oc0", peer: { name: "oc1" } });
    await inB.addLink({ kind: "veth", name: "ob0", peer: { name: "ob1" } });
    await conn.addLink({ kind: "veth", name: "oa0", peer: { name: "oa1" } });
    const [seenAll, seenOwn] = await Promise.all([gotAll, gotOwn]);

    const fromB = seenAll.find(newLink("ob0"));
    ok(fromB, "the link added in b arrived");
    equal(fromB.sourceNsid, 7);
    equal(seenAll.find(newLink("ob1"))?.sourceNsid, 7);
    const fromHere = seenAll.find(newLink("oa0"));
    ok(fromHere, "the link added here arrived");
    equal(fromHere.sourceNsid, undefined);
    equal(seenAll.some((e) => e.type === "newlink" && e.link.name?.startsWith("oc")), false, "c has no id here");

    deepStrictEqual(seenOwn.filter((e) => e.type === "newlink").map((e) => e.type === "newlink" && e.link.name), [
      "oa1",
      "oa0",
    ]);
    equal(seenOwn.some((e) => e.sourceNsid !== undefined), false);
  } finally {
    inB.close();
    inC.close();
    await deleteNetns(b);
    await deleteNetns(c);
  }
});

await kernelTest("allNsid: breaking out closes the socket and later streams work", {}, async (conn) => {
  const before = [...Deno.readDirSync("/proc/self/fd")].length;
  for (let i = 0; i < 3; i++) {
    const stream = events(conn, { groups: ["link"], allNsid: true });
    const got = collectEvents(stream, (s) => s.some(newLink(`oz${i}`)), 2000);
    await new Promise((r) => setTimeout(r, 10));
    await conn.addLink({ kind: "veth", name: `oz${i}`, peer: { name: `oy${i}` } });
    ok((await got).some(newLink(`oz${i}`)));
  }
  equal([...Deno.readDirSync("/proc/self/fd")].length, before, "no socket left open");
});
