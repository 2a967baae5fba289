/**
 * Traffic control against the kernel, classic filters: u32 (keys, hash
 * tables, links with hash keys, samples, actions), fw, route, matchall, and
 * tcindex and rsvp where the kernel still has them — created, read back (the
 * kernel's own reply decoded and compared with what was asked), changed and
 * deleted; traffic across a veth pair is classified into an htb class, and
 * redirected to another veth by a mirred action, with counters moving.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import type { Connection, Filter } from "../../mod.ts";
import { filterData } from "../../src/tc/filter.ts";
import { routeHandle } from "../../src/tc/filters/route.ts";
import type { U32Data } from "../../src/tc/filters/u32.ts";
import { kernelTest } from "../_lib/netns.ts";
import { mirrorLab, sendUdp, veth } from "../_lib/setup.ts";

/** v0 with an htb root `1:` and classes 1:10 and 1:20 (unclassified packets, such as IPv6 ones, go to neither). */
async function htbTree(conn: Connection): Promise<void> {
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "htb" });
  for (const minor of ["10", "20"]) {
    await conn.addClass({ dev: "v0", parent: "1:", classid: `1:${minor}`, kind: "htb", rate: "100mbit" });
  }
}

const byHandle = (fs: Filter[], handle: number) => fs.find((f) => f.handle === handle);

/** Polls a class until it has counted `want` packets (htb counts a packet as it leaves). */
async function classPackets(conn: Connection, classid: string, want: bigint): Promise<bigint> {
  let n = 0n;
  for (let i = 0; i < 50; i++) {
    n = (await conn.getClasses({ dev: "v0", classid }))[0]?.stats?.packets ?? 0n;
    if (n >= want) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return n;
}

await kernelTest(
  "tc u32: a key node is added, read back, changed and deleted",
  { needs: ["veth", "sch_htb", "cls_u32"] },
  async (conn) => {
    await veth(conn);
    await htbTree(conn);
    await conn.addFilter({
      dev: "v0",
      parent: "1:",
      protocol: "ip",
      prio: 1,
      handle: "800::800",
      kind: "u32",
      match: [
        { type: "ip", field: "src", value: "10.0.0.0/8" },
        { type: "ip", field: "protocol", value: 17 },
        { type: "udp", field: "dst", value: 9 },
      ],
      classid: "1:10",
    });
    const f = byHandle(await conn.getFilters({ dev: "v0", parent: "1:" }), 0x80000800)!;
    ok(f, "the key node is listed");
    deepStrictEqual([f.kind, f.prio, f.protocol], ["u32", 1, "ip"]);
    const u = filterData(f, "u32")!;
    deepStrictEqual([u.classid, u.hash], ["1:10", "800:"]);
    deepStrictEqual(u.sel!.flags, ["terminal"]);
    deepStrictEqual(u.sel!.keys, [
      { mask: 0xff000000, val: 0x0a000000, off: 12, offmask: 0 },
      { mask: 0x00ff0000, val: 0x00110000, off: 8, offmask: 0 },
      { mask: 0x0000ffff, val: 9, off: 0, offmask: -1 },
    ]);

    await conn.changeFilter({
      dev: "v0",
      parent: "1:",
      protocol: "ip",
      prio: 1,
      handle: "800::800",
      kind: "u32",
      classid: "1:20",
    });
    const changed = filterData(byHandle(await conn.getFilters({ dev: "v0", parent: "1:" }), 0x80000800)!, "u32")!;
    equal(changed.classid, "1:20");
    equal(changed.sel!.nkeys, 3, "a change keeps the keys");

    await conn.deleteFilter({ dev: "v0", parent: "1:", protocol: "ip", prio: 1, handle: "800::800", kind: "u32" });
    equal(byHandle(await conn.getFilters({ dev: "v0", parent: "1:" }), 0x80000800), undefined);
  },
);

await kernelTest(
  "tc u32: traffic is classified into an htb class, and the counters move",
  { needs: ["veth", "sch_htb", "cls_u32"] },
  async (conn, ns) => {
    await veth(conn, { addresses: { v0: ["10.0.0.1/24"] } });
    await conn.addNeighbour({ dev: "v0", dst: "10.0.0.2", lladdr: "02:00:00:00:00:02" });
    await htbTree(conn);
    await conn.addFilter({
      dev: "v0",
      parent: "1:",
      protocol: "ip",
      prio: 1,
      kind: "u32",
      // ip dport: `udp dst` counts from the next header, which only a linked table's offset finds.
      match: [{ type: "ip", field: "protocol", value: 17 }, { type: "ip", field: "dport", value: 9 }],
      classid: "1:10",
    });
    await sendUdp(ns, "10.0.0.2", 20, 100);
    ok(await classPackets(conn, "1:10", 20n) >= 20n, "class 1:10 counts the datagrams");
    equal(await classPackets(conn, "1:20", 0n), 0n, "nothing goes to the class no filter names");
    const node = (await conn.getFilters({ dev: "v0", parent: "1:" })).find((f) => (f.handle & 0xfff) !== 0)!;
    const pcnt = filterData(node, "u32")!.pcnt;
    // Per-key counters exist on kernels built with CONFIG_CLS_U32_PERF.
    if (pcnt) {
      ok(pcnt.rhit >= 20n, `the filter matched ${pcnt.rhit}`);
      ok(pcnt.kcnts.length === 2 && pcnt.kcnts[1] >= 20n, "each key counts its successes");
    }
  },
);

await kernelTest(
  "tc u32: a hash table, a link hashing on the source and a sampled bucket",
  { needs: ["veth", "sch_htb", "cls_u32"] },
  async (conn, ns) => {
    await veth(conn, { addresses: { v0: ["10.0.0.5/24"] } });
    await conn.addNeighbour({ dev: "v0", dst: "10.0.0.2", lladdr: "02:00:00:00:00:02" });
    await htbTree(conn);
    const base = { dev: "v0", parent: "1:", protocol: "ip", prio: 1, kind: "u32" } as const;
    await conn.addFilter({ ...base, handle: "2:", divisor: 256 });
    await conn.addFilter({
      ...base,
      ht: "2:",
      sample: { match: { type: "ip", field: "src", value: "10.0.0.5/32" } },
      match: [{ type: "ip", field: "src", value: "10.0.0.5/32" }],
      classid: "1:10",
    });
    await conn.addFilter({
      ...base,
      link: "2:",
      hashkey: { mask: 0x000000ff, at: 12 },
      match: [{ type: "ip", field: "src", value: "10.0.0.0/24" }],
    });
    const filters = await conn.getFilters({ dev: "v0", parent: "1:" });
    deepStrictEqual(filterData(byHandle(filters, 0x00200000)!, "u32"), { divisor: 256 });
    const inBucket = filters.find((f) => f.handle >>> 12 === 0x205)!;
    ok(inBucket, "the sampled node sits in bucket 5 of table 2");
    equal(filterData(inBucket, "u32")!.hash, "2:5");
    const link = filters.find((f) => filterData(f, "u32")?.link === "2:")!;
    const sel = (filterData(link, "u32") as U32Data).sel!;
    deepStrictEqual([sel.hmask, sel.hoff], [0xff, 12]);

    // 10.0.0.5 hashes to bucket 5, whose node sends the packets to 1:10.
    await sendUdp(ns, "10.0.0.2", 10, 100);
    ok(await classPackets(conn, "1:10", 10n) >= 10n, "the linked table classified the datagrams");
  },
);

await kernelTest(
  "tc u32: a mirred action redirects matching packets to another veth",
  { needs: ["veth", "cls_u32", "act_mirred"] },
  async (conn, ns) => {
    await mirrorLab(conn);
    await conn.addQdisc({ dev: "v0", kind: "clsact" });
    await conn.addFilter({
      dev: "v0",
      parent: "egress",
      protocol: "ip",
      prio: 1,
      kind: "u32",
      match: [{ type: "ip", field: "dst", value: "10.0.0.2/32" }],
      actions: [{ kind: "mirred", direction: "egress", action: "redirect", dev: "w0" }],
    });
    const rx = async () => (await conn.getLink("w1")).stats64?.rxPackets ?? 0n;
    const before = await rx();
    await sendUdp(ns, "10.0.0.2", 10, 100);
    ok((await rx()) - before >= 10n, "w1 received the redirected datagrams");
    const node = (await conn.getFilters({ dev: "v0", parent: "egress" })).find((f) => (f.handle & 0xfff) !== 0)!;
    const u = filterData(node, "u32")!;
    deepStrictEqual(u.sel!.flags, ["terminal"]);
    const [act] = u.act!;
    const parms = (act.options as { parms: { eaction: string; ifindex: number } }).parms;
    deepStrictEqual([act.kind, parms.eaction, parms.ifindex], [
      "mirred",
      "egress redirect",
      (await conn.getLink("w0")).index,
    ]);
    ok(act.stats!.packets >= 10n, `the action counted ${act.stats!.packets}`);
  },
);

await kernelTest(
  "tc fw: a mark filter is added, read back, changed and deleted",
  { needs: ["veth", "sch_htb", "cls_fw"] },
  async (conn) => {
    await veth(conn);
    await htbTree(conn);
    await conn.addFilter({
      dev: "v0",
      parent: "1:",
      protocol: "ip",
      prio: 1,
      handle: "0x10/0xff",
      kind: "fw",
      classid: "1:10",
    });
    const [f] = (await conn.getFilters({ dev: "v0", parent: "1:" })).filter((f) => f.handle === 0x10);
    deepStrictEqual([f.kind, filterData(f, "fw")], ["fw", { classid: "1:10", mask: 0xff }]);
    await conn.changeFilter({
      dev: "v0",
      parent: "1:",
      protocol: "ip",
      prio: 1,
      handle: "0x10/0xff",
      kind: "fw",
      classid: "1:20",
    });
    const [g] = (await conn.getFilters({ dev: "v0", parent: "1:" })).filter((f) => f.handle === 0x10);
    equal(filterData(g, "fw")!.classid, "1:20");
    await conn.deleteFilter({ dev: "v0", parent: "1:", protocol: "ip", prio: 1, handle: "0x10", kind: "fw" });
    deepStrictEqual((await conn.getFilters({ dev: "v0", parent: "1:" })).filter((f) => f.handle === 0x10), []);
  },
);

await kernelTest(
  "tc route: realm filters are added, read back and deleted",
  { needs: ["veth", "sch_htb", "cls_route"] },
  async (conn) => {
    await veth(conn);
    await htbTree(conn);
    await conn.addFilter({
      dev: "v0",
      parent: "1:",
      protocol: "ip",
      prio: 1,
      // The kernel wants the handle the realms give (it refuses 0), as tc(8) computes it.
      handle: routeHandle({ to: 10, from: 5 }),
      kind: "route",
      to: 10,
      from: 5,
      classid: "1:10",
    });
    const [f] = (await conn.getFilters({ dev: "v0", parent: "1:" })).filter((f) => f.handle === 0x0005000a);
    deepStrictEqual(filterData(f, "route"), { classid: "1:10", to: 10, from: 5 });
    // Linux refuses to change a route filter in place (EEXIST for its own handle): add another instead.
    await conn.addFilter({
      dev: "v0",
      parent: "1:",
      protocol: "ip",
      prio: 1,
      handle: routeHandle({ to: 11, fromif: f.ifindex }),
      kind: "route",
      to: 11,
      fromif: "v0",
      classid: "1:20",
    });
    const other = (await conn.getFilters({ dev: "v0", parent: "1:" })).find((g) =>
      g.handle === routeHandle({ to: 11, fromif: f.ifindex })
    );
    deepStrictEqual(filterData(other!, "route"), { classid: "1:20", to: 11, iif: f.ifindex });
    await conn.deleteFilter({ dev: "v0", parent: "1:", protocol: "ip", prio: 1, handle: 0x0005000a, kind: "route" });
    const left = (await conn.getFilters({ dev: "v0", parent: "1:" })).filter((f) => f.kind === "route" && f.handle);
    deepStrictEqual(left.map((f) => f.handle), [other!.handle]);
  },
);

await kernelTest(
  "tc matchall: every packet is mirrored to another veth, the filter counts them, and it is deleted",
  { needs: ["veth", "cls_matchall", "act_mirred"] },
  async (conn, ns) => {
    await mirrorLab(conn);
    await conn.addQdisc({ dev: "v0", kind: "clsact" });
    await conn.addFilter({
      dev: "v0",
      parent: "egress",
      prio: 1,
      handle: 1,
      kind: "matchall",
      skipHw: true,
      actions: [{ kind: "mirred", direction: "egress", action: "mirror", dev: "w0" }],
    });
    const rx = async () => (await conn.getLink("w1")).stats64?.rxPackets ?? 0n;
    const before = await rx();
    await sendUdp(ns, "10.0.0.2", 10, 100);
    ok((await rx()) - before >= 10n, "w1 received the mirrored datagrams");
    const [f] = (await conn.getFilters({ dev: "v0", parent: "egress" })).filter((f) => f.handle === 1);
    const m = filterData(f, "matchall")!;
    ok(m.flags!.includes("skip_hw"));
    ok(m.pcnt!.rhit >= 10n, `matchall matched ${m.pcnt!.rhit}`);
    equal(m.act![0].kind, "mirred");
    // matchall has no change: a priority holds one filter, replaced by deleting it.
    await conn.deleteFilter({ dev: "v0", parent: "egress", prio: 1 });
    deepStrictEqual(await conn.getFilters({ dev: "v0", parent: "egress" }), []);
  },
);

await kernelTest(
  "tc tcindex: an entry is added, read back, changed and deleted",
  { needs: ["veth", "sch_htb", "cls_tcindex"], optional: true },
  async (conn) => {
    await veth(conn);
    await htbTree(conn);
    await conn.addFilter({
      dev: "v0",
      parent: "1:",
      protocol: "ip",
      prio: 1,
      kind: "tcindex",
      hash: 64,
      mask: 0xfc,
      shift: 2,
      fallThrough: true,
    });
    await conn.addFilter({
      dev: "v0",
      parent: "1:",
      protocol: "ip",
      prio: 1,
      handle: 1,
      kind: "tcindex",
      classid: "1:10",
    });
    const fs = await conn.getFilters({ dev: "v0", parent: "1:" });
    const entry = fs.find((f) => f.handle === 1)!;
    equal(filterData(entry, "tcindex")!.classid, "1:10");
    // The parameters come with handle ~0.
    const head = filterData(fs.find((f) => filterData(f, "tcindex")?.hash !== undefined)!, "tcindex")!;
    deepStrictEqual([head.hash, head.mask, head.shift, head.fallThrough], [64, 0xfc, 2, true]);
    await conn.changeFilter({
      dev: "v0",
      parent: "1:",
      protocol: "ip",
      prio: 1,
      handle: 1,
      kind: "tcindex",
      classid: "1:20",
    });
    equal(
      filterData((await conn.getFilters({ dev: "v0", parent: "1:" })).find((f) => f.handle === 1)!, "tcindex")!.classid,
      "1:20",
    );
    await conn.deleteFilter({ dev: "v0", parent: "1:", protocol: "ip", prio: 1 });
    deepStrictEqual(await conn.getFilters({ dev: "v0", parent: "1:" }), []);
  },
);

await kernelTest(
  "tc rsvp: a session filter is added, read back and deleted",
  { needs: ["veth", "sch_htb", "cls_rsvp"], optional: true },
  async (conn) => {
    await veth(conn);
    await htbTree(conn);
    await conn.addFilter({
      dev: "v0",
      parent: "1:",
      protocol: "ip",
      prio: 1,
      kind: "rsvp",
      session: "10.0.0.2/53",
      ipproto: "udp",
      classid: "1:10",
    });
    const [f] = (await conn.getFilters({ dev: "v0", parent: "1:" })).filter((f) => f.handle !== 0);
    const r = filterData(f, "rsvp")!;
    deepStrictEqual([r.dst, r.classid, r.pinfo!.protocol, r.pinfo!.dpi], ["10.0.0.2", "1:10", 17, {
      key: 53,
      mask: 0xffff,
      offset: 0,
    }]);
    await conn.deleteFilter({ dev: "v0", parent: "1:", protocol: "ip", prio: 1 });
    deepStrictEqual(await conn.getFilters({ dev: "v0", parent: "1:" }), []);
  },
);
