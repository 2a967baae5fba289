/**
 * Traffic control against the kernel, core objects: fifo, tbf, htb (qdisc
 * and classes), ingress, clsact, noqueue and mq — created, read back (the kernel's own
 * reply decoded and compared with what was asked), changed, replaced and
 * deleted; statistics move when traffic crosses a veth pair.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { NetlinkError, type Qdisc } from "../../mod.ts";
import { qdiscData } from "../../src/tc/qdisc.ts";
import { classData } from "../../src/tc/class.ts";
import { kernelTest } from "../_lib/netns.ts";
import { sendUdp, veth } from "../_lib/setup.ts";

const only = (qs: Qdisc[], kind: string) => qs.filter((q) => q.kind === kind);

await kernelTest("tc: fifo qdiscs are added, read back, replaced and deleted", { needs: ["veth"] }, async (conn) => {
  await veth(conn);
  await conn.addQdisc({ dev: "v0", handle: "5:", kind: "pfifo", limit: 77 });
  const [q] = only(await conn.getQdiscs({ dev: "v0" }), "pfifo");
  deepStrictEqual([q.handle, q.parent, q.options], ["5:", "root", { limit: 77 }]);
  await rejects(
    conn.addQdisc({ dev: "v0", handle: "5:", kind: "pfifo" }),
    (e) => e instanceof NetlinkError && e.isExists(),
  );
  await conn.replaceQdisc({ dev: "v0", kind: "bfifo", limit: "3kb" }); // a new kind: no handle (it must match the kind)
  const [b] = only(await conn.getQdiscs({ dev: "v0" }), "bfifo");
  deepStrictEqual(b.options, { limit: 3072 });
  await conn.deleteQdisc({ dev: "v0" });
  deepStrictEqual(only(await conn.getQdiscs({ dev: "v0" }), "bfifo"), []);
  await rejects(conn.deleteQdisc({ dev: "v0" }), NetlinkError);
});

await kernelTest("tc: tbf's rate, bucket and limit read back as sent", { needs: ["veth", "sch_tbf"] }, async (conn) => {
  await veth(conn);
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "tbf", rate: "1mbit", burst: "10k", latency: "50ms" });
  const tbf = qdiscData(only(await conn.getQdiscs({ dev: "v0" }), "tbf")[0], "tbf")!;
  equal(tbf.parms!.rate.rate, 125000);
  equal(tbf.parms!.limit, 16490); // 125000 B/s × 50 ms + 10 KiB, as tc computes it
  equal(tbf.parms!.buffer, 1280000); // 10 KiB at 125000 B/s = 81.92 ms = 1,280,000 psched ticks
  await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "tbf", rate: "50gbit", burst: "1mb", limit: "1mb" });
  const changed = qdiscData(only(await conn.getQdiscs({ dev: "v0" }), "tbf")[0], "tbf")!;
  equal(changed.rate64, 6_250_000_000n);
  equal(changed.parms!.limit, 1048576);
});

await kernelTest(
  "tc: an htb tree classifies traffic into its default class",
  { needs: ["veth", "sch_htb"] },
  async (conn, ns) => {
    await veth(conn, { addresses: { v0: ["10.0.0.1/24"] } });
    await conn.addNeighbour({ dev: "v0", dst: "10.0.0.2", lladdr: "02:00:00:00:00:02" });
    await conn.addQdisc({ dev: "v0", handle: "1:", kind: "htb", default: 0x20, r2q: 5 });
    await conn.addClass({ dev: "v0", parent: "1:", classid: "1:1", kind: "htb", rate: "100mbit" });
    await conn.addClass({
      dev: "v0",
      parent: "1:1",
      classid: "1:10",
      kind: "htb",
      rate: "10mbit",
      ceil: "50mbit",
      prio: 1,
    });
    await conn.addClass({ dev: "v0", parent: "1:1", classid: "1:20", kind: "htb", rate: "5mbit", quantum: 3000 });
    const root = only(await conn.getQdiscs({ dev: "v0" }), "htb")[0];
    const { version, directPkts, ...init } = qdiscData(root, "htb")!.init!;
    equal(version >>> 16, 3); // the kernel answers with its own HTB_VER, 3.17
    deepStrictEqual(init, { rate2quantum: 5, defcls: 0x20, debug: 0 });
    // A counter, not an option: the link is up, so an IPv6 router solicitation or MLD report
    // sent before class 1:20 existed may already have gone out directly.
    equal(typeof directPkts, "number");
    const classes = await conn.getClasses({ dev: "v0" });
    deepStrictEqual(classes.map((c) => [c.handle, c.parent]).sort(), [["1:1", "root"], ["1:10", "1:1"], [
      "1:20",
      "1:1",
    ]]);
    const c10 = classData(classes.find((c) => c.handle === "1:10")!, "htb")!.parms!;
    deepStrictEqual([c10.rate.rate, c10.ceil.rate, c10.prio], [1_250_000, 6_250_000, 1]);
    equal(classData(classes.find((c) => c.handle === "1:20")!, "htb")!.parms!.quantum, 3000);

    await sendUdp(ns, "10.0.0.2", 20, 200);
    // htb counts a packet when it leaves the class: give the last ones time to go.
    let after = await conn.getClasses({ dev: "v0", classid: "1:20" });
    for (let i = 0; i < 50 && after[0].stats!.packets < 20n; i++) {
      await new Promise((r) => setTimeout(r, 20));
      after = await conn.getClasses({ dev: "v0", classid: "1:20" });
    }
    ok(after[0].stats!.packets >= 20n, `class 1:20 saw ${after[0].stats!.packets} packets`);
    ok(after[0].stats!.bytes >= 20n * 200n);
    ok(after[0].xstats !== undefined, "htb classes report xstats");
    const q = only(await conn.getQdiscs({ dev: "v0" }), "htb")[0];
    ok(q.stats!.packets >= 20n, "the qdisc counts the packets too");

    await conn.changeClass({ dev: "v0", parent: "1:1", classid: "1:20", kind: "htb", rate: "7mbit" });
    const [c20] = await conn.getClasses({ dev: "v0", classid: "1:20" });
    equal(classData(c20, "htb")!.parms!.rate.rate, 875_000);
    await conn.deleteClass({ dev: "v0", classid: "1:20" });
    deepStrictEqual(await conn.getClasses({ dev: "v0", classid: "1:20" }), []);
    await rejects(conn.deleteClass({ dev: "v0", classid: "1:1" }), (e) => e instanceof NetlinkError && e.isBusy());
  },
);

await kernelTest("tc: ingress and clsact sit on their hook with handle ffff:", { needs: ["veth"] }, async (conn) => {
  await veth(conn);
  await conn.addQdisc({ dev: "v0", kind: "ingress" });
  await conn.addQdisc({ dev: "v1", kind: "clsact" });
  const [ingress] = only(await conn.getQdiscs({ dev: "v0" }), "ingress");
  deepStrictEqual([ingress.handle, ingress.parent], ["ffff:", "ffff:fff1"]);
  const [clsact] = only(await conn.getQdiscs({ dev: "v1" }), "clsact");
  deepStrictEqual([clsact.handle, clsact.parent], ["ffff:", "ffff:fff1"]);
  await conn.deleteQdisc({ dev: "v0", kind: "ingress" });
  await conn.deleteQdisc({ dev: "v1", kind: "clsact" });
  deepStrictEqual([...only(await conn.getQdiscs(), "ingress"), ...only(await conn.getQdiscs(), "clsact")], []);
});

await kernelTest(
  "tc: noqueue and mq, sent by their names alone, take their place",
  { needs: ["veth"] },
  async (conn) => {
    // mq needs a device with several transmit queues: one child qdisc per queue, under 1:1, 1:2, …
    await conn.addLink({ kind: "veth", name: "m0", numTxQueues: 3, peer: { name: "m1" } });
    await conn.setLinkUp("m0");
    await conn.addQdisc({ dev: "m0", handle: "1:", kind: "mq" });
    const qdiscs = await conn.getQdiscs({ dev: "m0" });
    deepStrictEqual(only(qdiscs, "mq").map((q) => [q.handle, q.parent, q.options]), [["1:", "root", undefined]]);
    deepStrictEqual(qdiscs.filter((q) => q.kind !== "mq").map((q) => q.parent).sort(), ["1:1", "1:2", "1:3"]);
    await conn.replaceQdisc({ dev: "m0", kind: "noqueue" });
    deepStrictEqual((await conn.getQdiscs({ dev: "m0" })).map((q) => q.kind), ["noqueue"]);
    // a kind the kernel does not have: refused by the kernel, nothing changed
    await rejects(
      conn.replaceQdisc({ dev: "m0", kind: "nosuchqdisc" } as never),
      (e) => e instanceof NetlinkError && /kind is unknown/.test(e.message),
    );
    deepStrictEqual((await conn.getQdiscs({ dev: "m0" })).map((q) => q.kind), ["noqueue"]);
  },
);

await kernelTest("tc: chains are added, listed and deleted", { needs: ["veth"] }, async (conn) => {
  await veth(conn);
  await conn.addQdisc({ dev: "v0", kind: "clsact" });
  await conn.addChain({ dev: "v0", parent: "ingress", chain: 7 });
  deepStrictEqual((await conn.getChains({ dev: "v0", parent: "ingress" })).map((c) => c.chain), [7]);
  await conn.deleteChain({ dev: "v0", parent: "ingress", chain: 7 });
  deepStrictEqual(await conn.getChains({ dev: "v0", parent: "ingress" }), []);
});

await kernelTest("tc: bad options change nothing in the kernel", { needs: ["veth"] }, async (conn) => {
  await veth(conn);
  const before = await conn.getQdiscs({ dev: "v0" });
  await rejects(conn.addQdisc({ dev: "v0", kind: "tbf", rate: "1mbit", burst: "10k" } as never), /limit/);
  await rejects(conn.addQdisc({ dev: "nosuch0", kind: "pfifo" }), (e) => e instanceof NetlinkError && e.isNotFound());
  deepStrictEqual(await conn.getQdiscs({ dev: "v0" }), before);
});

await kernelTest("tc: qdisc, class and chain events arrive typed", { needs: ["veth", "sch_htb"] }, async (conn) => {
  await veth(conn);
  const controller = new AbortController();
  const stream = conn.events({ groups: ["tc"], signal: controller.signal });
  const first = stream.next(); // joins the group before the changes below
  await new Promise((r) => setTimeout(r, 50));
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "htb", default: 0x10 });
  await conn.addClass({ dev: "v0", parent: "1:", classid: "1:10", kind: "htb", rate: "1mbit" });
  await conn.addQdisc({ dev: "v1", kind: "clsact" });
  await conn.addChain({ dev: "v1", parent: "ingress", chain: 2 });
  await conn.deleteQdisc({ dev: "v0" });
  const seen: string[] = [];
  let next = await first;
  while (!next.done) {
    const ev = next.value;
    if (ev.type === "newqdisc" || ev.type === "delqdisc") seen.push(`${ev.type} ${ev.qdisc.kind} ${ev.qdisc.handle}`);
    else if (ev.type === "newtclass" || ev.type === "deltclass") seen.push(`${ev.type} ${ev.tclass.handle}`);
    else if (ev.type === "newchain") seen.push(`newchain ${ev.chain.chain}`);
    if (seen.includes("delqdisc htb 1:")) break;
    next = await stream.next();
  }
  controller.abort();
  for (const want of ["newqdisc htb 1:", "newtclass 1:10", "newqdisc clsact ffff:", "newchain 2", "delqdisc htb 1:"]) {
    ok(seen.includes(want), `${want} in ${JSON.stringify(seen)}`);
  }
});
