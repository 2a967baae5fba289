/**
 * Traffic control against the kernel, fair-queueing and early-drop qdiscs:
 * pie, fq_pie, hhf, sfq, red, choke, gred and sfb — created, read back (the
 * kernel's own reply decoded and compared with what was asked), changed and
 * deleted; statistics and typed extended statistics move when traffic
 * crosses a veth pair. This host's kernel has none of these kinds (the tests
 * skip with the reason); the full-kernel VM lane runs them.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import type { Connection, Qdisc } from "../../mod.ts";
import type { MessageView } from "../../src/core/message.ts";
import type { GredVqParmsData } from "../../src/tc/qdiscs/fair.ts";
import { decodeQdisc, qdiscData, type QdiscOptions, qdiscRequest } from "../../src/tc/qdisc.ts";
import { kernelTest } from "../_lib/netns.ts";
import { sendUdp, veth } from "../_lib/setup.ts";

/** The root qdisc of v0 (the test's only one of its kind). */
async function root(conn: Connection, kind: string): Promise<Qdisc> {
  const qs = (await conn.getQdiscs({ dev: "v0" })).filter((q) => q.kind === kind);
  equal(qs.length, 1, `one ${kind} on v0`);
  return qs[0];
}

/** What we send for `o`, decoded: the values the kernel should echo (Wlog, Plog, … as tc computes them). */
function asked(o: QdiscOptions): Record<string, unknown> {
  const b = qdiscRequest("add", 1, { ...o, dev: 1 });
  const v = new DataView(b.buffer);
  const msg: MessageView = { bytes: b, view: v, offset: 0, length: b.length, type: 36, flags: 0, seq: 0, pid: 0 };
  return decodeQdisc(msg).options as Record<string, unknown>;
}

/** Deletes v0's root qdisc and checks that `kind` is gone. */
async function deleteAndCheck(conn: Connection, kind: string): Promise<void> {
  await conn.deleteQdisc({ dev: "v0" });
  deepStrictEqual((await conn.getQdiscs({ dev: "v0" })).filter((q) => q.kind === kind), []);
}

/** v0 with 10.0.0.1/24 and a static neighbour 10.0.0.2, so UDP to it leaves through v0's qdisc. */
async function wired(conn: Connection): Promise<void> {
  await veth(conn, { addresses: { v0: ["10.0.0.1/24"] } });
  await conn.addNeighbour({ dev: "v0", dst: "10.0.0.2", lladdr: "02:00:00:00:00:02" });
}

/** Sends 20 datagrams through v0 and checks that the root `kind` counted them. */
async function trafficMoves(conn: Connection, ns: string, kind: string): Promise<Qdisc> {
  const before = (await root(conn, kind)).stats!.packets;
  await sendUdp(ns, "10.0.0.2", 20, 200);
  const after = await root(conn, kind);
  ok(after.stats!.packets - before >= 20n, `${kind} counted ${after.stats!.packets - before} packets`);
  ok(after.stats!.bytes >= 20n * 200n);
  return after;
}

await kernelTest(
  "tc: pie is added, read back, changed, counts traffic",
  { needs: ["veth", "sch_pie"] },
  async (conn, ns) => {
    await wired(conn);
    const o = {
      dev: "v0",
      handle: "1:",
      kind: "pie",
      limit: 500,
      target: "20ms",
      tupdate: "40ms", // whole jiffies at HZ 100, 250 and 1000: the kernel keeps tupdate in jiffies
      alpha: 2,
      beta: 20,
      ecn: true,
      bytemode: true,
      dqRateEstimator: true,
    } as const;
    await conn.addQdisc(o);
    deepStrictEqual(qdiscData(await root(conn, "pie"), "pie"), {
      target: 20000,
      limit: 500,
      tupdate: 40000,
      alpha: 2,
      beta: 20,
      ecn: true,
      bytemode: true,
      dqRateEstimator: true,
    });
    await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "pie", limit: 2000, ecn: false });
    const changed = qdiscData(await root(conn, "pie"), "pie")!;
    deepStrictEqual([changed.limit, changed.ecn, changed.target], [2000, false, 20000]);
    const q = await trafficMoves(conn, ns, "pie");
    const x = q.xstats as { packetsIn: number; prob: bigint };
    ok(x.packetsIn >= 20, `pie xstats: ${JSON.stringify(x, (_k, v) => typeof v === "bigint" ? `${v}` : v)}`);
    equal(typeof x.prob, "bigint");
    await deleteAndCheck(conn, "pie");
  },
);

await kernelTest("tc: fq_pie is added, read back, changed", { needs: ["veth", "sch_fq_pie"] }, async (conn, ns) => {
  await wired(conn);
  await conn.addQdisc({
    dev: "v0",
    kind: "fq_pie",
    limit: 10240,
    flows: 256,
    target: "15ms",
    tupdate: "20ms",
    alpha: 2,
    beta: 20,
    quantum: 1514,
    memoryLimit: "16mb",
    ecnProb: 20,
    ecn: true,
    bytemode: false,
    dqRateEstimator: false,
  });
  deepStrictEqual(qdiscData(await root(conn, "fq_pie"), "fq_pie"), {
    limit: 10240,
    flows: 256,
    target: 15000,
    tupdate: 20000,
    alpha: 2,
    beta: 20,
    quantum: 1514,
    memoryLimit: 16 * 1024 * 1024,
    ecnProb: 20,
    ecn: true,
    bytemode: false,
    dqRateEstimator: false,
  });
  await conn.changeQdisc({ dev: "v0", kind: "fq_pie", limit: 5000, ecnProb: 50 });
  const changed = qdiscData(await root(conn, "fq_pie"), "fq_pie")!;
  deepStrictEqual([changed.limit, changed.ecnProb, changed.flows], [5000, 50, 256]);
  const q = await trafficMoves(conn, ns, "fq_pie");
  ok((q.xstats as { packetsIn: number }).packetsIn >= 20);
  await deleteAndCheck(conn, "fq_pie");
});

await kernelTest("tc: hhf is added, read back, changed", { needs: ["veth", "sch_hhf"] }, async (conn) => {
  await veth(conn);
  await conn.addQdisc({
    dev: "v0",
    kind: "hhf",
    limit: 1000,
    quantum: 1514,
    hhLimit: 2048,
    resetTimeout: "40ms",
    admitBytes: 131072,
    evictTimeout: "1s",
    nonHhWeight: 2,
  });
  deepStrictEqual(qdiscData(await root(conn, "hhf"), "hhf"), {
    backlogLimit: 1000,
    quantum: 1514,
    hhFlowsLimit: 2048,
    resetTimeout: 40000,
    admitBytes: 131072,
    evictTimeout: 1000000,
    nonHhWeight: 2,
  });
  await conn.changeQdisc({ dev: "v0", kind: "hhf", nonHhWeight: 4, limit: 500 });
  const changed = qdiscData(await root(conn, "hhf"), "hhf")!;
  deepStrictEqual([changed.nonHhWeight, changed.backlogLimit, changed.hhFlowsLimit], [4, 500, 2048]);
  const x = (await root(conn, "hhf")).xstats as Record<string, number>;
  deepStrictEqual(Object.keys(x), ["dropOverlimit", "hhOverlimit", "hhTotCount", "hhCurCount"]);
  await deleteAndCheck(conn, "hhf");
});

await kernelTest(
  "tc: sfq, classic and with RED, reads back and counts traffic",
  { needs: ["veth", "sch_sfq"] },
  async (conn, ns) => {
    await wired(conn);
    await conn.addQdisc({
      dev: "v0",
      handle: "10:",
      kind: "sfq",
      limit: 1000,
      perturb: 10,
      quantum: 1514,
      divisor: 1024,
      flows: 127,
      depth: 64,
      headdrop: true,
    });
    const sfq = qdiscData(await root(conn, "sfq"), "sfq")!;
    deepStrictEqual(sfq.v0, { quantum: 1514, perturbPeriod: 10, limit: 1000, divisor: 1024, flows: 127 });
    deepStrictEqual([sfq.depth, sfq.headdrop], [64, 1]);
    await trafficMoves(conn, ns, "sfq");

    const red = {
      dev: "v0",
      handle: "10:",
      kind: "sfq",
      limit: 3000,
      depth: 64,
      redflowlimit: 100000,
      min: 8000,
      max: 60000,
      probability: 0.2,
      ecn: true,
      harddrop: true,
    } as const;
    // sfq has no change operation before Linux 6.12, and replace with the same kind is a change: re-add it.
    await conn.deleteQdisc({ dev: "v0" });
    await conn.addQdisc(red);
    const want = asked(red);
    const got = qdiscData(await root(conn, "sfq"), "sfq")!;
    deepStrictEqual(
      [got.qthMin, got.qthMax, got.wlog, got.plog, got.maxP, got.flags],
      [want.qthMin, want.qthMax, want.wlog, want.plog, want.maxP, ["ecn", "harddrop"]],
    );
    await deleteAndCheck(conn, "sfq");
  },
);

await kernelTest("tc: red reads back tc's Wlog, Plog and Scell_log, changes, counts traffic", {
  needs: ["veth", "sch_red"],
}, async (conn, ns) => {
  await wired(conn);
  const o = {
    dev: "v0",
    handle: "1:",
    kind: "red",
    limit: 400000,
    min: 30000,
    max: 90000,
    avpkt: 1000,
    burst: 55,
    probability: 0.02,
    bandwidth: "100mbit",
    ecn: true,
    harddrop: true,
  } as const;
  await conn.addQdisc(o);
  const want = asked(o) as { parms: Record<string, unknown>; maxP: number };
  const red = qdiscData(await root(conn, "red"), "red")!;
  const { flags: _historic, ...parms } = red.parms!;
  const { flags: _sent, ...wantParms } = want.parms;
  deepStrictEqual(parms, wantParms);
  equal(red.maxP, want.maxP);
  deepStrictEqual(red.flags?.value, ["ecn", "harddrop"]);
  const changed = { ...o, limit: 200000, min: 20000, max: 60000, ecn: false, harddrop: false, nodrop: false };
  await conn.changeQdisc(changed);
  const after = qdiscData(await root(conn, "red"), "red")!;
  deepStrictEqual([after.parms!.limit, after.parms!.qthMin, after.parms!.qthMax], [200000, 20000, 60000]);
  deepStrictEqual(after.flags?.value, []);
  const q = await trafficMoves(conn, ns, "red");
  deepStrictEqual(Object.keys(q.xstats as object), ["early", "pdrop", "other", "marked"]);
  await deleteAndCheck(conn, "red");
});

await kernelTest(
  "tc: choke reads back its thresholds in packets",
  { needs: ["veth", "sch_choke"] },
  async (conn, ns) => {
    await wired(conn);
    const o = { dev: "v0", kind: "choke", limit: 1000, bandwidth: "10mbit", min: 100, max: 300, ecn: true } as const;
    await conn.addQdisc(o);
    const want = asked(o) as { parms: Record<string, unknown>; maxP: number };
    const choke = qdiscData(await root(conn, "choke"), "choke")!;
    deepStrictEqual(choke.parms, want.parms);
    equal(choke.maxP, want.maxP);
    await conn.changeQdisc({ ...o, limit: 2000, min: 200, max: 600, ecn: false });
    const after = qdiscData(await root(conn, "choke"), "choke")!;
    deepStrictEqual([after.parms!.limit, after.parms!.qthMin, after.parms!.qthMax, after.parms!.flags], [
      2000,
      200,
      600,
      [],
    ]);
    const q = await trafficMoves(conn, ns, "choke");
    ok((q.xstats as { matched: number }).matched >= 0);
    await deleteAndCheck(conn, "choke");
  },
);

await kernelTest(
  "tc: gred is set up, its VQs configured and read back",
  { needs: ["veth", "sch_gred"] },
  async (conn) => {
    await veth(conn);
    await conn.addQdisc({ dev: "v0", handle: "1:", kind: "gred", vqs: 4, default: 0, grio: true, limit: "200k" });
    const setup = qdiscData(await root(conn, "gred"), "gred")!;
    deepStrictEqual(setup.dps, { vqs: 4, default: 0, grio: 1, flags: [] });
    equal(setup.limit, 204800);
    deepStrictEqual(setup.parms, []);

    const vq1 = {
      dev: "v0",
      handle: "1:",
      kind: "gred",
      vq: 1,
      prio: 2,
      limit: "100k",
      min: "10k",
      max: "30k",
      avpkt: "1k",
      burst: 20,
      probability: 0.1,
      bandwidth: "100mbit",
      ecn: true,
    } as const;
    const vq0 = {
      dev: "v0",
      handle: "1:",
      kind: "gred",
      vq: 0,
      limit: "60k",
      min: "15k",
      max: "45k",
      avpkt: 1500,
    } as const;
    await conn.changeQdisc(vq0);
    await conn.changeQdisc(vq1);
    const gred = qdiscData(await root(conn, "gred"), "gred")!;
    deepStrictEqual(gred.parms?.map((p) => p.vq), [0, 1]);
    for (const o of [vq0, vq1]) {
      const want = asked(o) as { parms: Record<string, number>[]; maxP: number[] };
      const w = want.parms[0];
      const p: GredVqParmsData | undefined = gred.parms?.find((x) => x.vq === o.vq);
      ok(p, `VQ ${o.vq} is dumped`);
      deepStrictEqual(
        [p.limit, p.qthMin, p.qthMax, p.wlog, p.plog, p.scellLog],
        [w.limit, w.qthMin, w.qthMax, w.wlog, w.plog, w.scellLog],
      );
      equal(gred.maxP?.[o.vq], want.maxP[0]);
    }
    // The kernel keeps a prio only in grio mode; a VQ without one gets the default VQ's, or 8.
    deepStrictEqual(gred.parms!.map((p) => p.prio), [8, 2]);
    deepStrictEqual(gred.vqList?.map((v) => [v.vq, v.flags]), [[0, []], [1, ["ecn"]]]);

    await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "gred", vqs: 4, default: 1, grio: false });
    deepStrictEqual(qdiscData(await root(conn, "gred"), "gred")!.dps, { vqs: 4, default: 1, grio: 0, flags: [] });
    await deleteAndCheck(conn, "gred");
  },
);

await kernelTest("tc: sfb is added, read back, changed", { needs: ["veth", "sch_sfb"] }, async (conn, ns) => {
  await wired(conn);
  await conn.addQdisc({
    dev: "v0",
    kind: "sfb",
    rehash: 300000,
    db: 30000,
    limit: 1000,
    max: 50,
    target: 40,
    increment: 0.001,
    decrement: 0.0001,
    penaltyRate: 20,
    penaltyBurst: 40,
  });
  deepStrictEqual(qdiscData(await root(conn, "sfb"), "sfb")!.parms, {
    rehashInterval: 300000,
    warmupTime: 30000,
    max: 50,
    binSize: 40,
    increment: 66,
    decrement: 7,
    limit: 1000,
    penaltyRate: 20,
    penaltyBurst: 40,
  });
  await conn.changeQdisc({ dev: "v0", kind: "sfb", limit: 500, target: 20 });
  const after = qdiscData(await root(conn, "sfb"), "sfb")!.parms!;
  deepStrictEqual([after.limit, after.binSize, after.max, after.rehashInterval], [500, 20, 25, 600000]);
  const q = await trafficMoves(conn, ns, "sfb");
  deepStrictEqual(Object.keys(q.xstats as object).length, 9);
  await deleteAndCheck(conn, "sfb");
});
