/**
 * The shaping helpers against the kernel: a rate limiter (egress tbf,
 * ingress through an ifb) and a per-host limiter (htb classes chosen by u32
 * filters) — applied, applied again (idempotent), traffic counted where it
 * belongs, removed (twice: nothing left, no error).
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { applyPerHostLimit, applyRateLimit, removePerHostLimit, removeRateLimit } from "../../src/tc/limiter.ts";
import { classData } from "../../src/tc/class.ts";
import { qdiscData } from "../../src/tc/qdisc.ts";
import type { Connection, Filter } from "../../mod.ts";
import { filterData } from "../../src/tc/filter.ts";
import { kernelTest } from "../_lib/netns.ts";
import { sendUdp, veth } from "../_lib/setup.ts";

/** A u32 rule (with a selector), not the hash table heads a u32 dump also lists. */
const isU32Rule = (f: Filter) => filterData(f, "u32")?.sel !== undefined;

const NEEDS = ["veth", "ifb", "sch_tbf", "sch_htb", "sch_ingress", "cls_u32", "act_mirred"];

async function packets(conn: Connection, dev: string, kind: string): Promise<bigint> {
  const q = (await conn.getQdiscs({ dev })).find((x) => x.kind === kind);
  return q?.stats?.packets ?? -1n;
}

await kernelTest(
  "tc helpers: a rate limit shapes egress and, through an ifb, ingress",
  { needs: NEEDS },
  async (conn, ns) => {
    const { v0 } = await veth(conn, { addresses: { v1: ["10.0.0.2/24"] } });
    const mac = (await conn.getLink("v0")).address!;
    await conn.addNeighbour({ dev: "v1", dst: "10.0.0.3", lladdr: mac });
    await applyRateLimit(conn, { dev: "v0", egress: "10mbit", ingress: "5mbit" });
    await applyRateLimit(conn, { dev: "v0", egress: "20mbit", ingress: "8mbit" }); // again: replaced, not doubled
    const root = (await conn.getQdiscs({ dev: "v0" })).find((q) => q.parent === "root")!;
    equal(qdiscData(root, "tbf")!.parms!.rate.rate, 2_500_000);
    const ifb = `ifb${v0}`;
    equal(
      qdiscData((await conn.getQdiscs({ dev: ifb })).find((q) => q.kind === "tbf")!, "tbf")!.parms!.rate.rate,
      1_000_000,
    );
    const filters = (await conn.getFilters({ dev: "v0", parent: "ffff:" })).filter(isU32Rule);
    equal(filters.length, 1, "one redirect filter");

    await sendUdp(ns, "10.0.0.3", 10, 100); // out of v1, into v0's ingress, on to the ifb
    ok(await packets(conn, ifb, "tbf") >= 10n, "the ifb's tbf shaped the ingress traffic");

    await removeRateLimit(conn, { dev: "v0" });
    await removeRateLimit(conn, { dev: "v0" });
    deepStrictEqual((await conn.getQdiscs({ dev: "v0" })).filter((q) => q.kind === "tbf" || q.kind === "ingress"), []);
    equal((await conn.getLinks()).some((l) => l.name === ifb), false);
  },
);

await kernelTest(
  "tc helpers: a per-host limit puts each host's traffic in its class",
  { needs: NEEDS },
  async (conn, ns) => {
    await veth(conn, { addresses: { v0: ["10.0.0.1/24"] } });
    for (const host of ["10.0.0.5", "10.0.0.9"]) {
      await conn.addNeighbour({
        dev: "v0",
        dst: host,
        lladdr: "02:00:00:00:00:09",
      });
    }
    const options = {
      dev: "v0",
      defaultRate: "50mbit",
      limits: [{ host: "10.0.0.5", rate: "1mbit" }, { host: "10.0.0.0/24", port: 7000, rate: "2mbit", ceil: "4mbit" }],
    };
    await applyPerHostLimit(conn, options);
    await applyPerHostLimit(conn, options);
    const classes = await conn.getClasses({ dev: "v0" });
    deepStrictEqual(classes.map((c) => c.handle).sort(), ["1:1", "1:10", "1:11", "1:ffff"]);
    equal(classData(classes.find((c) => c.handle === "1:11")!, "htb")!.parms!.ceil.rate, 500_000);
    equal((await conn.getFilters({ dev: "v0", parent: "1:" })).filter(isU32Rule).length, 2);

    await sendUdp(ns, "10.0.0.5", 5, 100);
    await sendUdp(ns, "10.0.0.9", 7, 100);
    await new Promise((r) => setTimeout(r, 100)); // the 1mbit class lets its packets go
    const after = await conn.getClasses({ dev: "v0" });
    const count = (h: string) => after.find((c) => c.handle === h)!.stats!.packets;
    ok(count("1:10") >= 5n, `1:10 (10.0.0.5) saw ${count("1:10")}`);
    ok(count("1:ffff") >= 7n, `1:ffff (the rest) saw ${count("1:ffff")}`);

    await removePerHostLimit(conn, { dev: "v0" });
    await removePerHostLimit(conn, { dev: "v0" });
    deepStrictEqual(await conn.getClasses({ dev: "v0" }), []);
  },
);
