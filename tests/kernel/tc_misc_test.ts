/**
 * Traffic control against the kernel, filters bpf, basic, flow and cgroup —
 * created, read back (the kernel's own reply decoded and compared with what
 * was asked), changed where the kind allows and deleted; a classic-BPF filter
 * that accepts every packet mirrors traffic to another veth, counters moving.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import type { Connection } from "../../mod.ts";
import { filterData } from "../../src/tc/filter.ts";
import { kernelTest } from "../_lib/netns.ts";
import { mirrorLab, sendUdp, veth } from "../_lib/setup.ts";

const ACCEPT_ALL = "1,6 0 0 4294967295";

/** v0 with an htb root `1:` and a class 1:10. */
async function htbTree(conn: Connection): Promise<void> {
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "htb" });
  await conn.addClass({ dev: "v0", parent: "1:", classid: "1:10", kind: "htb", rate: "100mbit" });
}

await kernelTest(
  "tc bpf: a classic program mirrors every packet, is read back, changed and deleted",
  { needs: ["veth", "cls_bpf", "act_mirred"] },
  async (conn, ns) => {
    await mirrorLab(conn);
    await conn.addQdisc({ dev: "v0", kind: "clsact" });
    await conn.addFilter({
      dev: "v0",
      parent: "egress",
      prio: 1,
      handle: 1,
      kind: "bpf",
      bytecode: ACCEPT_ALL,
      classid: "1:10",
      skipHw: true,
      actions: [{ kind: "mirred", direction: "egress", action: "mirror", dev: "w0" }],
    });
    const rx = async () => (await conn.getLink("w1")).stats64?.rxPackets ?? 0n;
    const before = await rx();
    await sendUdp(ns, "10.0.0.2", 10, 100);
    ok((await rx()) - before >= 10n, "w1 received the mirrored datagrams");
    const [f] = (await conn.getFilters({ dev: "v0", parent: "egress" })).filter((f) => f.handle === 1);
    equal(f.kind, "bpf");
    const b = filterData(f, "bpf")!;
    deepStrictEqual([b.classid, b.opsLen, b.ops], ["1:10", 1, [{ code: 6, jt: 0, jf: 0, k: 0xffffffff }]]);
    ok(b.flagsGen!.includes("skip_hw"), `flags ${b.flagsGen}`);
    equal(b.act![0].kind, "mirred");

    await conn.changeFilter({
      dev: "v0",
      parent: "egress",
      prio: 1,
      handle: 1,
      kind: "bpf",
      bytecode: "1,6 0 0 0",
      directAction: true,
      skipHw: true, // the kernel refuses a change of the offload flags
    });
    const [g] = (await conn.getFilters({ dev: "v0", parent: "egress" })).filter((f) => f.handle === 1);
    const c = filterData(g, "bpf")!;
    deepStrictEqual([c.classid, c.ops, c.flags], [undefined, [{ code: 6, jt: 0, jf: 0, k: 0 }], ["act_direct"]]);

    await conn.deleteFilter({ dev: "v0", parent: "egress", prio: 1 });
    deepStrictEqual(await conn.getFilters({ dev: "v0", parent: "egress" }), []);
  },
);

await kernelTest(
  "tc basic: a filter with a class is added, read back, changed and deleted",
  { needs: ["veth", "sch_htb", "cls_basic"] },
  async (conn) => {
    await veth(conn);
    await htbTree(conn);
    await conn.addFilter({ dev: "v0", parent: "1:", prio: 1, handle: 1, kind: "basic", classid: "1:10" });
    const [f] = (await conn.getFilters({ dev: "v0", parent: "1:" })).filter((f) => f.handle === 1);
    equal(filterData(f, "basic")!.classid, "1:10");
    await conn.changeFilter({ dev: "v0", parent: "1:", prio: 1, handle: 1, kind: "basic", classid: "1:20" });
    const [g] = (await conn.getFilters({ dev: "v0", parent: "1:" })).filter((f) => f.handle === 1);
    equal(filterData(g, "basic")!.classid, "1:20");
    await conn.deleteFilter({ dev: "v0", parent: "1:", prio: 1 });
    deepStrictEqual(await conn.getFilters({ dev: "v0", parent: "1:" }), []);
  },
);

await kernelTest(
  "tc flow: a hash filter is added, read back and deleted",
  { needs: ["veth", "sch_htb", "cls_flow"] },
  async (conn) => {
    await veth(conn);
    await htbTree(conn);
    await conn.addFilter({
      dev: "v0",
      parent: "1:",
      prio: 1,
      handle: 1,
      kind: "flow",
      mode: "hash",
      keys: ["src", "dst"],
      divisor: 16,
      baseclass: "1:1",
      perturb: 10,
    });
    const [f] = (await conn.getFilters({ dev: "v0", parent: "1:" })).filter((f) => f.handle === 1);
    const d = filterData(f, "flow")!;
    deepStrictEqual([d.mode, d.keys, d.divisor, d.baseclass, d.perturb], ["hash", ["src", "dst"], 16, "1:1", 10]);
    await conn.deleteFilter({ dev: "v0", parent: "1:", prio: 1 });
    deepStrictEqual(await conn.getFilters({ dev: "v0", parent: "1:" }), []);
  },
);

await kernelTest(
  "tc cgroup: a filter is added, read back and deleted",
  { needs: ["veth", "sch_htb", "cls_cgroup"] },
  async (conn) => {
    await veth(conn);
    await htbTree(conn);
    await conn.addFilter({ dev: "v0", parent: "1:", prio: 1, handle: 1, kind: "cgroup" });
    const fs = await conn.getFilters({ dev: "v0", parent: "1:" });
    ok(fs.some((f) => f.kind === "cgroup" && f.handle === 1), "the cgroup filter is listed");
    await conn.deleteFilter({ dev: "v0", parent: "1:", prio: 1 });
    deepStrictEqual(await conn.getFilters({ dev: "v0", parent: "1:" }), []);
  },
);
