/**
 * Ematch trees against the kernel: basic, flow and cgroup filters with typed
 * trees (cmp, u32, meta, nbyte; and, or, not, groups) are added, read back
 * (the kernel's own dump decoded into the same typed tree), changed and
 * deleted; a basic filter whose tree matches short UDP datagrams mirrors
 * them, its hit counter moving for those and not for long ones. This host lacks cls_basic (the tests skip with
 * the reason); the full-kernel VM lane runs them.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import type { Connection } from "../../mod.ts";
import { filterData } from "../../src/tc/filter.ts";
import type { Ematch } from "../../src/tc/filters/ematch_types.ts";
import { parseEmatch } from "../../src/tc/filters/ematch_parse.ts";
import { kernelTest } from "../_lib/netns.ts";
import { mirrorLab, sendUdp, veth } from "../_lib/setup.ts";

const EMATCHES = ["em_cmp", "em_u32", "em_meta", "em_nbyte"];

/** v0 with an htb root `1:` and a class 1:10. */
async function htbTree(conn: Connection): Promise<void> {
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "htb" });
  await conn.addClass({ dev: "v0", parent: "1:", classid: "1:10", kind: "htb", rate: "100mbit" });
}

/** Every kind and combination, in the form the kernel's dump decodes to. */
const TREE: Ematch = {
  and: [
    {
      or: [{ kind: "meta", left: { id: "priority" }, op: "eq", right: 0 }, {
        kind: "meta",
        left: { id: "nf_mark", mask: 0xff },
        op: "gt",
        right: 3,
      }],
    },
    { not: { kind: "cmp", size: "u8", offset: 9, layer: "network", op: "eq", value: 6 } },
    {
      group: {
        or: [
          { kind: "u32", value: 0x00110000, mask: 0x00ff0000, offset: 8 },
          { kind: "nbyte", needle: "GET ", offset: 8, layer: "transport" },
          { not: { group: { kind: "meta", left: "v1", op: "eq", right: { id: "dev" } } } },
        ],
      },
    },
  ],
};

const filterOf = async (conn: Connection, parent: string) =>
  (await conn.getFilters({ dev: "v0", parent })).filter((f) => f.handle === 1);

await kernelTest(
  "tc basic ematch: a typed tree is added, read back as the same tree, changed and deleted",
  { needs: ["veth", "sch_htb", "cls_basic", ...EMATCHES] },
  async (conn) => {
    await veth(conn);
    await htbTree(conn);
    await conn.addFilter({
      dev: "v0",
      parent: "1:",
      prio: 1,
      handle: 1,
      kind: "basic",
      ematches: TREE,
      classid: "1:10",
    });
    const [f] = await filterOf(conn, "1:");
    const d = filterData(f, "basic")!;
    deepStrictEqual(d.ematches, TREE);
    equal(d.classid, "1:10");

    const next = parseEmatch('nbyte("\\x45" at 0 layer network) or meta(pkt_len lt 100)');
    await conn.changeFilter({ dev: "v0", parent: "1:", prio: 1, handle: 1, kind: "basic", ematches: next });
    const [g] = await filterOf(conn, "1:");
    deepStrictEqual(filterData(g, "basic")!.ematches, {
      or: [
        { kind: "nbyte", needle: "E", offset: 0, layer: "network" },
        { kind: "meta", left: { id: "pkt_len" }, op: "lt", right: 100 },
      ],
    });
    await conn.deleteFilter({ dev: "v0", parent: "1:", prio: 1 });
    deepStrictEqual(await conn.getFilters({ dev: "v0", parent: "1:" }), []);
  },
);

await kernelTest(
  "tc basic ematch: a tree matching short UDP datagrams mirrors them and counts its hits",
  { needs: ["veth", "cls_basic", "act_mirred", ...EMATCHES] },
  async (conn, ns) => {
    await mirrorLab(conn);
    await conn.addQdisc({ dev: "v0", kind: "clsact" });
    await conn.addFilter({
      dev: "v0",
      parent: "egress",
      prio: 1,
      handle: 1,
      protocol: "ip",
      kind: "basic",
      ematches: parseEmatch("cmp(u8 at 9 layer network eq 17) and not meta(pkt_len gt 1000)"),
      actions: [{ kind: "mirred", direction: "egress", action: "mirror", dev: "w0" }],
    });
    const rx = async () => (await conn.getLink("w1")).stats64?.rxPackets ?? 0n;
    const counts = async () => filterData((await filterOf(conn, "egress"))[0], "basic")!.pcnt!;
    const before = await rx();
    await sendUdp(ns, "10.0.0.2", 10, 100); // matches
    ok((await rx()) - before >= 10n, "w1 received the mirrored datagrams");
    const small = await counts();
    ok(small.rhit >= 10n, `the filter counted ${small.rhit} hits`);
    await sendUdp(ns, "10.0.0.2", 5, 1200); // longer than 1000 bytes: looked at, not matched
    const large = await counts();
    ok(large.rcnt - small.rcnt >= 5n, `the filter looked at ${large.rcnt - small.rcnt} more packets`);
    equal(large.rhit, small.rhit, "no long datagram matched");
  },
);

await kernelTest(
  "tc flow and cgroup ematch: trees are added, read back and deleted",
  { needs: ["veth", "sch_htb", "cls_flow", "cls_cgroup", ...EMATCHES] },
  async (conn) => {
    await veth(conn);
    await htbTree(conn);
    const tree: Ematch = {
      and: [{ kind: "meta", left: { id: "priority" }, op: "eq", right: 1 }, {
        not: { kind: "u32", value: 0x50, mask: 0xffff, offset: 0, nexthdr: true },
      }],
    };
    await conn.addFilter({
      dev: "v0",
      parent: "1:",
      prio: 1,
      handle: 1,
      kind: "flow",
      keys: ["mark"],
      divisor: 16,
      baseclass: "1:1",
      ematches: tree,
    });
    const [f] = await filterOf(conn, "1:");
    deepStrictEqual(filterData(f, "flow")!.ematches, tree);
    await conn.deleteFilter({ dev: "v0", parent: "1:", prio: 1 });

    await conn.addFilter({ dev: "v0", parent: "1:", prio: 2, handle: 1, kind: "cgroup", ematches: { not: tree } });
    const [g] = await filterOf(conn, "1:");
    deepStrictEqual(filterData(g, "cgroup")!.ematches, { not: tree });
    await conn.deleteFilter({ dev: "v0", parent: "1:", prio: 2 });
    deepStrictEqual(await conn.getFilters({ dev: "v0", parent: "1:" }), []);
  },
);
