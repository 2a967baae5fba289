/**
 * Traffic control against the kernel, basic actions: each kind is added as
 * a standalone (shared) action, read back (the kernel's own reply decoded
 * and compared with what was asked), replaced, listed and deleted; mirred
 * and police also inside a u32 filter on a clsact hook, with traffic across
 * a veth pair moving their counters. Kinds this kernel lacks (it has
 * act_mirred only) skip with the reason; the full-kernel VM lane runs them.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type Action, type ActionOptions, type Connection, NetlinkError } from "../../mod.ts";
import { actionData } from "../../src/tc/action.ts";
import { filterData } from "../../src/tc/filter.ts";
import { kernelTest } from "../_lib/netns.ts";
import { mirrorLab, sendUdp, subset, veth } from "../_lib/setup.ts";

/** The parameters every action reports, as decoded. */
const parmsOf = (a: Action) => (a.options as { parms?: Record<string, unknown>; tbf?: Record<string, unknown> });

/** Adds `options` at `index`, reads it back, replaces it with `replaced`, reads that back, deletes it. */
async function roundTrip(
  conn: Connection,
  options: ActionOptions,
  want: Record<string, unknown>,
  replaced: ActionOptions,
  wantReplaced: Record<string, unknown>,
): Promise<void> {
  const { kind } = options;
  const index = 40;
  await conn.addActions([{ ...options, index }]);
  const got = await conn.getAction(kind, index);
  equal(got.kind, kind);
  subset(got.options, want, `${kind} as added`);
  await rejects(conn.addActions([{ ...options, index }]), (e) => e instanceof NetlinkError && e.isExists());

  await conn.replaceActions([{ ...replaced, index }]);
  subset((await conn.getAction(kind, index)).options, wantReplaced, `${kind} as replaced`);
  deepStrictEqual((await conn.getActions(kind)).map((a) => a.index ?? parmsOf(a).parms?.index), [index]);

  await conn.deleteAction(kind, index);
  deepStrictEqual(await conn.getActions(kind), []);
  await rejects(conn.getAction(kind, index), (e) => e instanceof NetlinkError && e.isNotFound());
}

/** tc_gen as the kernel reports a standalone action: one reference (the action table's), no filter bound. */
const gen = (action: string, index = 40) => ({ index, capab: 0, action, refcnt: 1, bindcnt: 0 });

// ---------------------------------------------------------------- mirred (this kernel has it)

await kernelTest(
  "tc mirred: standalone actions are added, read back, replaced, listed, deleted and flushed",
  { needs: ["veth", "act_mirred"] },
  async (conn) => {
    const { v0, v1 } = await veth(conn);
    await conn.addActions([{ kind: "mirred", direction: "egress", action: "mirror", dev: "v1", index: 10 }]);
    const a = await conn.getAction("mirred", 10);
    equal(a.kind, "mirred");
    const m = actionData(a, "mirred")!;
    deepStrictEqual(m.parms, { ...gen("pipe", 10), eaction: "egress mirror", ifindex: v1 });
    equal(typeof m.tm?.install, "bigint");
    await rejects(
      conn.addActions([{ kind: "mirred", direction: "egress", action: "mirror", dev: "v1", index: 10 }]),
      (e) => e instanceof NetlinkError && e.isExists(),
    );

    await conn.replaceActions([{ kind: "mirred", direction: "ingress", action: "redirect", dev: v0, index: 10 }]);
    deepStrictEqual(actionData(await conn.getAction("mirred", 10), "mirred")!.parms, {
      ...gen("stolen", 10),
      eaction: "ingress redirect",
      ifindex: v0,
    });

    await conn.addActions([
      {
        kind: "mirred",
        direction: "ingress",
        action: "mirror",
        dev: "v0",
        control: "pass",
        index: 11,
        cookie: "c0ffee",
      },
    ]);
    const listed = await conn.getActions("mirred");
    deepStrictEqual(listed.map((x) => actionData(x, "mirred")!.parms!.index), [10, 11]);
    const eleven = listed.find((x) => actionData(x, "mirred")!.parms!.index === 11)!;
    deepStrictEqual([eleven.cookie, actionData(eleven, "mirred")!.parms!.action], [
      new Uint8Array([0xc0, 0xff, 0xee]),
      "pass",
    ]);

    await conn.deleteAction("mirred", 10);
    deepStrictEqual((await conn.getActions("mirred")).map((x) => actionData(x, "mirred")!.parms!.index), [11]);
    await rejects(conn.getAction("mirred", 10), (e) => e instanceof NetlinkError && e.isNotFound());
    await conn.flushActions("mirred");
    deepStrictEqual(await conn.getActions("mirred"), []);
  },
);

await kernelTest(
  "tc mirred: a shared action bound by a u32 filter on clsact ingress redirects traffic, and the counters move",
  { needs: ["veth", "cls_u32", "act_mirred"] },
  async (conn, ns) => {
    const { w0 } = await mirrorLab(conn);
    await conn.addActions([{ kind: "mirred", direction: "egress", action: "redirect", dev: "w0", index: 20 }]);
    await conn.addQdisc({ dev: "v1", kind: "clsact" });
    await conn.addFilter({
      dev: "v1",
      parent: "ingress",
      protocol: "ip",
      prio: 1,
      kind: "u32",
      match: [{ type: "ip", field: "dst", value: "10.0.0.2/32" }],
      actions: [{ kind: "mirred", index: 20 }],
    });
    const bound = actionData(await conn.getAction("mirred", 20), "mirred")!.parms!;
    deepStrictEqual([bound.refcnt, bound.bindcnt, bound.eaction, bound.ifindex], [2, 1, "egress redirect", w0]);

    const rx = async () => (await conn.getLink("w1")).stats64?.rxPackets ?? 0n;
    const before = await rx();
    await sendUdp(ns, "10.0.0.2", 20, 100);
    ok((await rx()) - before >= 20n, "w1 received the redirected datagrams");
    const stats = (await conn.getAction("mirred", 20)).stats!;
    ok(stats.packets >= 20n && stats.bytes >= 20n * 128n, `the shared action counted ${stats.packets} packets`);

    const node = (await conn.getFilters({ dev: "v1", parent: "ingress" })).find((f) => (f.handle & 0xfff) !== 0)!;
    const [act] = filterData(node, "u32")!.act!;
    equal(act.kind, "mirred");
    subset(
      actionData(act, "mirred")!.parms,
      { index: 20, eaction: "egress redirect", ifindex: w0 },
      "the bound action",
    );
    ok(act.stats!.packets >= 20n, `the filter's action counted ${act.stats!.packets}`);

    await conn.deleteFilter({ dev: "v1", parent: "ingress", prio: 1 });
    // The filter lets go of its actions after an RCU grace period: wait for the binding to go.
    let parms = actionData(await conn.getAction("mirred", 20), "mirred")!.parms!;
    for (let i = 0; i < 100 && parms.bindcnt !== 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      parms = actionData(await conn.getAction("mirred", 20), "mirred")!.parms!;
    }
    subset(parms, { refcnt: 1, bindcnt: 0 }, "the shared action outlives the filter, unbound");
    await conn.deleteAction("mirred", 20);
  },
);

// ---------------------------------------------------------------- the other kinds (the VM lane)

await kernelTest("tc gact: added, read back, replaced and deleted", { needs: ["act_gact"] }, (conn) =>
  roundTrip(
    conn,
    { kind: "gact", control: "drop", random: { type: "netrand", control: "pass", value: 50 } },
    { parms: gen("drop"), prob: { ptype: "netrand", pval: 50, paction: "pass" } },
    // goto chain needs a filter's chain: standalone, the kernel refuses it.
    { kind: "gact", control: "jump 1" },
    { parms: gen("jump 1") },
  ));

await kernelTest("tc police: added, read back, replaced and deleted", { needs: ["act_police"] }, async (conn) => {
  await conn.addActions([{
    kind: "police",
    rate: "1mbit",
    burst: "10k",
    mtu: 2000,
    control: "drop",
    conform: "pipe",
    index: 40,
  }]);
  const p = actionData(await conn.getAction("police", 40), "police")!;
  subset(p.tbf, { index: 40, action: "drop", mtu: 2000, refcnt: 1, bindcnt: 0 }, "police as added");
  equal(p.tbf!.rate.rate, 125000);
  ok(p.tbf!.burst > 0, "the bucket is in psched ticks");
  equal(p.result, "pipe");
  await conn.replaceActions([{ kind: "police", pktsRate: 1000, pktsBurst: 10, control: "drop", index: 40 }]);
  const q = actionData(await conn.getAction("police", 40), "police")!;
  deepStrictEqual([q.pktrate64, q.tbf!.action], [1000n, "drop"]);
  await conn.deleteAction("police", 40);
  deepStrictEqual(await conn.getActions("police"), []);
});

await kernelTest("tc vlan: added, read back, replaced and deleted", { needs: ["act_vlan"] }, (conn) =>
  roundTrip(
    conn,
    { kind: "vlan", action: "push", id: 100, protocol: "802.1ad", priority: 5 },
    {
      parms: { ...gen("pipe"), vAction: "push" },
      pushVlanId: 100,
      pushVlanProtocol: "802.1ad",
      pushVlanPriority: 5,
    },
    { kind: "vlan", action: "pop", control: "pass" },
    { parms: { ...gen("pass"), vAction: "pop" } },
  ));

await kernelTest("tc mpls: added, read back, replaced and deleted", { needs: ["act_mpls"] }, (conn) =>
  roundTrip(
    conn,
    { kind: "mpls", action: "push", protocol: "mpls_mc", label: 100, tc: 3, ttl: 64, bos: 1 },
    { parms: { ...gen("pipe"), mAction: "push" }, proto: "mpls_mc", label: 100, tc: 3, ttl: 64, bos: 1 },
    { kind: "mpls", action: "pop", protocol: "ip" },
    { parms: { ...gen("pipe"), mAction: "pop" }, proto: "ip" },
  ));

await kernelTest("tc skbedit: added, read back, replaced and deleted", { needs: ["act_skbedit"] }, (conn) =>
  roundTrip(
    conn,
    { kind: "skbedit", queueMapping: 1, priority: "1:10", mark: 5, mask: 0xff, ptype: "host" },
    { parms: gen("pipe"), queueMapping: 1, priority: 0x10010, mark: 5, mask: 0xff, ptype: "host" },
    { kind: "skbedit", queueMapping: { from: 0, to: 3 }, inheritDsfield: true, control: "drop" },
    { parms: gen("drop"), queueMapping: 0, queueMappingMax: 3, flags: 0x60n },
  ));

await kernelTest("tc skbmod: added, read back, replaced and deleted", { needs: ["act_skbmod"] }, (conn) =>
  roundTrip(
    conn,
    { kind: "skbmod", dmac: "02:00:00:00:00:01", smac: "02:00:00:00:00:02", etype: 0x88b5 },
    {
      parms: { ...gen("pipe"), flags: 7n },
      dmac: "02:00:00:00:00:01",
      smac: "02:00:00:00:00:02",
      etype: 0x88b5,
    },
    { kind: "skbmod", swapMac: true },
    { parms: { ...gen("pipe"), flags: 8n } },
  ));

await kernelTest("tc nat: added, read back, replaced and deleted", { needs: ["act_nat"] }, (conn) =>
  roundTrip(
    conn,
    { kind: "nat", direction: "egress", old: "10.0.0.0/8", new: "192.168.0.0" },
    {
      parms: { ...gen("pass"), oldAddr: "10.0.0.0", newAddr: "192.168.0.0", mask: "255.0.0.0", flags: ["egress"] },
    },
    { kind: "nat", direction: "ingress", old: "192.0.2.1", new: "10.1.1.1", control: "pipe" },
    {
      parms: { ...gen("pipe"), oldAddr: "192.0.2.1", newAddr: "10.1.1.1", mask: "255.255.255.255", flags: [] },
    },
  ));

await kernelTest("tc csum: added, read back, replaced and deleted", { needs: ["act_csum"] }, (conn) =>
  roundTrip(
    conn,
    { kind: "csum", update: ["iph", "tcp"] },
    { parms: { ...gen("pass"), updateFlags: ["iph", "tcp"] } },
    { kind: "csum", update: ["udp", "udplite", "sctp"], control: "pipe" },
    { parms: { ...gen("pipe"), updateFlags: ["udp", "udplite", "sctp"] } },
  ));

await kernelTest("tc sample: added, read back, replaced and deleted", { needs: ["act_sample"] }, (conn) =>
  roundTrip(
    conn,
    { kind: "sample", rate: 100, group: 5, trunc: 128 },
    { parms: gen("pipe"), rate: 100, psampleGroup: 5, truncSize: 128 },
    { kind: "sample", rate: 10, group: 6 },
    { parms: gen("pipe"), rate: 10, psampleGroup: 6 },
  ));

await kernelTest("tc simple: added, read back, replaced and deleted", { needs: ["act_simple"] }, (conn) =>
  roundTrip(
    conn,
    { kind: "simple", sdata: "Incoming ICMP" },
    { parms: gen("pipe"), data: "Incoming ICMP" },
    { kind: "simple", sdata: "replaced", control: "pass" },
    { parms: gen("pass"), data: "replaced" },
  ));

await kernelTest(
  "tc connmark: added, read back, replaced and deleted",
  { needs: ["act_connmark"] },
  (conn) =>
    roundTrip(
      conn,
      { kind: "connmark", zone: 5 },
      { parms: { ...gen("pipe"), zone: 5 } },
      { kind: "connmark", zone: 7, control: "pass" },
      { parms: { ...gen("pass"), zone: 7 } },
    ),
);

await kernelTest("tc ctinfo: added, read back, replaced and deleted", { needs: ["act_ctinfo"] }, (conn) =>
  roundTrip(
    conn,
    { kind: "ctinfo", dscpMask: 0xfc000000, dscpStatemask: 0x01000000, cpmark: true, zone: 2 },
    { parms: gen("pipe"), zone: 2, dscpMask: 0xfc000000, dscpStatemask: 0x01000000, cpmarkMask: 0xffffffff },
    { kind: "ctinfo", cpmark: 0xff },
    { parms: gen("pipe"), zone: 0, cpmarkMask: 0xff },
  ));

await kernelTest(
  "tc bpf: a classic program is added, read back, replaced and deleted",
  { needs: ["act_bpf"] },
  (conn) =>
    roundTrip(
      conn,
      { kind: "bpf", bytecode: "1,6 0 0 4294967295" },
      { parms: gen("pipe"), opsLen: 1, ops: [{ code: 6, jt: 0, jf: 0, k: 0xffffffff }] },
      { kind: "bpf", bytecode: [{ code: 6, jt: 0, jf: 0, k: 2 }], control: "pass" },
      { parms: gen("pass"), opsLen: 1, ops: [{ code: 6, jt: 0, jf: 0, k: 2 }] },
    ),
);

await kernelTest(
  "tc police and gact in a u32 filter: over-limit traffic is dropped, and the counters move",
  { needs: ["veth", "cls_u32", "act_police", "act_gact"] },
  async (conn, ns) => {
    await veth(conn, { addresses: { v0: ["10.0.0.1/24"] } });
    await conn.addNeighbour({ dev: "v0", dst: "10.0.0.2", lladdr: "02:00:00:00:00:02" });
    await conn.addQdisc({ dev: "v1", kind: "clsact" });
    // 8 packets of burst, then about none: most of 50 back-to-back datagrams are over the limit.
    await conn.addFilter({
      dev: "v1",
      parent: "ingress",
      protocol: "ip",
      prio: 1,
      kind: "u32",
      match: [{ type: "ip", field: "dst", value: "10.0.0.2/32" }],
      actions: [
        { kind: "police", pktsRate: 1, pktsBurst: 8, control: "drop", conform: "pipe", index: 7 },
        { kind: "gact", control: "goto chain 5", index: 8 },
      ],
    });
    await sendUdp(ns, "10.0.0.2", 50, 100);
    const police = (await conn.getAction("police", 7)).stats!;
    const gact = (await conn.getAction("gact", 8)).stats!;
    ok(police.packets >= 50n, `the policer saw ${police.packets}`);
    ok(police.overlimits >= 30, `the policer counted ${police.overlimits} over the limit`);
    ok(police.drops >= 30, `the policer dropped ${police.drops}`);
    ok(gact.packets >= 1n && gact.packets <= 20n, `gact saw only what conformed (${gact.packets})`);
    const [p, g] = filterData(
      (await conn.getFilters({ dev: "v1", parent: "ingress" })).find((f) => (f.handle & 0xfff) !== 0)!,
      "u32",
    )!.act!;
    deepStrictEqual([p.kind, g.kind, actionData(g, "gact")!.parms!.action], ["police", "gact", "goto chain 5"]);
  },
);
