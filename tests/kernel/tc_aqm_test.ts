/**
 * Traffic control against the kernel, queue-management qdiscs: netem, codel,
 * fq_codel, fq and cake — created, read back (the kernel's own reply decoded
 * and compared with what was asked), changed and deleted; statistics move
 * when traffic crosses a veth pair; the netem helpers apply and remove netem
 * idempotently. This host's kernel lacks these kinds (the tests skip with
 * the reason); the full-kernel VM lane runs them.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import type { Connection, Qdisc } from "../../mod.ts";
import { applyNetem, removeNetem } from "../../src/tc/netem_helpers.ts";
import { qdiscData } from "../../src/tc/qdisc.ts";
import type { FqCodelXstats } from "../../src/tc/qdiscs/codel.ts";
import { scalePercent } from "../../src/tc/qdiscs/netem.ts";
import { kernelTest } from "../_lib/netns.ts";
import { sendUdp, subset, veth } from "../_lib/setup.ts";

const root = async (conn: Connection, dev = "v0"): Promise<Qdisc | undefined> =>
  (await conn.getQdiscs({ dev })).find((q) => q.parent === "root");

/** The root qdisc of `dev`, which must be of `kind`. */
async function rootOf(conn: Connection, kind: string, dev = "v0"): Promise<Qdisc> {
  const q = await root(conn, dev);
  equal(q?.kind, kind, `the root qdisc of ${dev}`);
  return q!;
}

/** CoDel keeps times in 1024 ns units: a time read back may be 1 µs short of the one sent. */
function near(got: unknown, want: number, what: string): void {
  ok(typeof got === "number" && Math.abs(got - want) <= 1, `${what}: ${got}, wanted ${want} (±1)`);
}

/** Waits until the root qdisc of v0 has counted `packets`, or gives up after a second. */
async function counted(conn: Connection, packets: bigint): Promise<Qdisc> {
  let q = (await root(conn))!;
  for (let i = 0; i < 50 && q.stats!.packets < packets; i++) {
    await new Promise((r) => setTimeout(r, 20));
    q = (await root(conn))!;
  }
  return q;
}

/** A veth pair whose v0 sends to 10.0.0.2 (a static neighbour) out of its root qdisc. */
async function wired(conn: Connection): Promise<void> {
  await veth(conn, { addresses: { v0: ["10.0.0.1/24"] } });
  await conn.addNeighbour({ dev: "v0", dst: "10.0.0.2", lladdr: "02:00:00:00:00:02" });
}

const needs = (kind: string) => ({ needs: ["veth", `sch_${kind}`] });

await kernelTest(
  "tc netem: every impairment reads back as sent, then changes and goes",
  needs("netem"),
  async (conn) => {
    await veth(conn);
    await conn.addQdisc({
      dev: "v0",
      handle: "1:",
      kind: "netem",
      limit: 500,
      delay: "10ms",
      jitter: "2ms",
      delayCorrelation: "25%",
      distribution: [-4096, -2048, 0, 2048, 4096],
      loss: "1%",
      lossCorrelation: "10%",
      duplicate: "2%",
      duplicateCorrelation: "4%",
      reorder: "5%",
      reorderCorrelation: "3%",
      gap: 2,
      corrupt: "0.5%",
      corruptCorrelation: "6%",
      rate: "1mbit",
      packetOverhead: 14,
      cellSize: 53,
      cellOverhead: -5,
      ecn: true,
    });
    const q = await rootOf(conn, "netem");
    equal(q.handle, "1:");
    const netem = qdiscData(q, "netem")!;
    deepStrictEqual(netem.header, {
      latency: 156250, // 10 ms in 64 ns psched ticks
      limit: 500,
      loss: scalePercent(0.01),
      gap: 2,
      duplicate: scalePercent(0.02),
      jitter: 31250,
    });
    subset(netem, {
      latency64: 10_000_000n,
      jitter64: 2_000_000n,
      corr: { delayCorr: scalePercent(0.25), lossCorr: scalePercent(0.1), dupCorr: scalePercent(0.04) },
      reorder: { probability: scalePercent(0.05), correlation: scalePercent(0.03) },
      corrupt: { probability: scalePercent(0.005), correlation: scalePercent(0.06) },
      rate: { rate: 125000, packetOverhead: 14, cellSize: 53, cellOverhead: -5 },
      ecn: true,
    }, "netem options");
    equal(netem.loss, undefined, "random loss reports no loss model");

    await conn.changeQdisc({
      dev: "v0",
      handle: "1:",
      kind: "netem",
      delay: "5ms",
      lossState: { p13: "1%", p31: "30%" },
    });
    const changed = qdiscData(await rootOf(conn, "netem"), "netem")!;
    subset(changed.header, { latency: 78125, loss: 0, limit: 1000 }, "changed header");
    equal(changed.latency64, 5_000_000n);
    deepStrictEqual(changed.loss, {
      gi: { p13: scalePercent(0.01), p31: scalePercent(0.3), p32: 0, p14: 0, p23: 0xffffffff },
    });

    await conn.deleteQdisc({ dev: "v0", handle: "1:" });
    equal((await root(conn))?.kind, "noqueue", "v0 is back to its default");
  },
);

await kernelTest("tc netem: Gilbert-Elliot loss, slots and a 64-bit rate", needs("netem"), async (conn) => {
  await veth(conn);
  await conn.addQdisc({
    dev: "v0",
    kind: "netem",
    lossGemodel: { p: "1%", r: "10%", oneMinusH: "70%", oneMinusK: "0.1%" },
    rate: "100gbit",
    slot: { min: "1ms", max: "5ms", packets: 10, bytes: "64k" },
  });
  const netem = qdiscData(await rootOf(conn, "netem"), "netem")!;
  deepStrictEqual(netem.loss, {
    ge: { p: scalePercent(0.01), r: scalePercent(0.1), h: 0xffffffff - scalePercent(0.7), k1: scalePercent(0.001) },
  });
  equal(netem.rate64, 12_500_000_000n);
  equal(netem.rate?.rate, 0xffffffff);
  deepStrictEqual(netem.slot, {
    minDelay: 1_000_000n,
    maxDelay: 5_000_000n,
    maxPackets: 10,
    maxBytes: 65536,
    distDelay: 0n,
    distJitter: 0n,
  });

  await conn.replaceQdisc({
    dev: "v0",
    kind: "netem",
    slot: { distribution: [-100, 0, 100], delay: "2ms", jitter: "500us", packets: 4 },
  });
  const slotted = qdiscData(await rootOf(conn, "netem"), "netem")!;
  subset(
    slotted.slot,
    { minDelay: 0n, maxDelay: 0n, maxPackets: 4, distDelay: 2_000_000n, distJitter: 500_000n },
    "slot",
  );
  equal(slotted.loss, undefined, "the loss model is gone: a change without one means random loss");
});

await kernelTest("tc netem: delayed traffic is counted, lost traffic dropped", needs("netem"), async (conn, ns) => {
  await wired(conn);
  // Half the packets lost: both counters must move (all 40 kept or all lost has odds of 2^-39).
  await conn.addQdisc({ dev: "v0", kind: "netem", delay: "2ms", loss: "50%" });
  await sendUdp(ns, "10.0.0.2", 40, 200);
  let q = (await root(conn))!;
  for (let i = 0; i < 50 && q.stats!.packets + BigInt(q.stats!.drops) < 40n; i++) {
    await new Promise((r) => setTimeout(r, 20)); // the kept ones leave 2 ms late
    q = (await root(conn))!;
  }
  const { packets, drops, bytes } = q.stats!;
  ok(packets > 0n && drops > 0 && packets + BigInt(drops) >= 40n, `netem passed ${packets}, dropped ${drops} of 40`);
  ok(bytes >= 242n, "a datagram is 200 bytes of payload and 42 of UDP, IP and Ethernet headers");
});

await kernelTest("tc netem: applyNetem and removeNetem are idempotent", needs("netem"), async (conn) => {
  await veth(conn);
  equal(await removeNetem(conn, "v0"), false, "nothing to remove at first");
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "htb", default: 0x10 });
  await applyNetem(conn, "v0", {
    rate: "10mbit",
    ecn: true,
    loss: "1%",
    distribution: [1, 2],
    delay: "1ms",
    jitter: 1,
  });
  let netem = qdiscData(await rootOf(conn, "netem"), "netem")!;
  equal(netem.rate?.rate, 1_250_000);
  equal(netem.ecn, true);

  await applyNetem(conn, "v0", { delay: "20ms" });
  await applyNetem(conn, "v0", { delay: "20ms" });
  const qdiscs = await conn.getQdiscs({ dev: "v0" });
  deepStrictEqual(qdiscs.map((q) => q.kind), ["netem"], "one netem, nothing else");
  netem = qdiscData(qdiscs[0], "netem")!;
  equal(netem.latency64, 20_000_000n);
  equal(netem.rate?.rate, 0, "the earlier rate is gone");
  equal(netem.ecn, undefined, "the earlier ecn is gone");

  equal(await removeNetem(conn, "v0"), true);
  equal(await removeNetem(conn, "v0"), false);
  equal((await root(conn))?.kind, "noqueue");

  await conn.addQdisc({ dev: "v0", handle: "2:", kind: "htb" });
  equal(await removeNetem(conn, "v0"), false, "another root qdisc is left alone");
  equal((await root(conn))?.kind, "htb");
});

await kernelTest("tc codel: options read back, change and delete", needs("codel"), async (conn, ns) => {
  await wired(conn);
  await conn.addQdisc({
    dev: "v0",
    handle: "1:",
    kind: "codel",
    limit: 600,
    target: "5ms",
    interval: "100ms",
    ecn: true,
    ceThreshold: "2ms",
  });
  const codel = qdiscData(await rootOf(conn, "codel"), "codel")!;
  subset(codel, { limit: 600, ecn: true }, "codel");
  near(codel.target, 5000, "target");
  near(codel.interval, 100000, "interval");
  near(codel.ceThreshold, 2000, "ceThreshold");

  await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "codel", limit: 300, ecn: false });
  const changed = qdiscData(await rootOf(conn, "codel"), "codel")!;
  subset(changed, { limit: 300, ecn: false }, "changed codel");
  near(changed.target, 5000, "target kept");

  await sendUdp(ns, "10.0.0.2", 10, 300);
  const q = await counted(conn, 10n);
  ok(q.stats!.packets >= 10n, `codel passed ${q.stats!.packets} packets`);
  // Packets that find the queue empty bypass it: the counters may still be 0, but they are there.
  const xstats = q.xstats as Record<string, unknown> | undefined;
  ok(
    typeof xstats?.maxpacket === "number" && typeof xstats.dropNext === "number",
    `codel xstats: ${JSON.stringify(xstats)}`,
  );

  await conn.deleteQdisc({ dev: "v0", handle: "1:" });
  equal((await root(conn))?.kind, "noqueue");
});

await kernelTest(
  "tc fq_codel: options read back, change, statistics and delete",
  needs("fq_codel"),
  async (conn, ns) => {
    await wired(conn);
    await conn.addQdisc({
      dev: "v0",
      handle: "1:",
      kind: "fq_codel",
      limit: 2048,
      flows: 256,
      quantum: 1514,
      target: "5ms",
      interval: "100ms",
      ecn: false,
      ceThreshold: "2ms",
      ceThresholdSelector: { value: 1, mask: 3 },
      memoryLimit: "4mb",
      dropBatch: 32,
    });
    const fq = qdiscData(await rootOf(conn, "fq_codel"), "fq_codel")!;
    subset(fq, {
      limit: 2048,
      flows: 256,
      quantum: 1514,
      ecn: false,
      memoryLimit: 4 * 1024 * 1024,
      dropBatchSize: 32,
      ceThresholdSelector: 1,
      ceThresholdMask: 3,
    }, "fq_codel");
    near(fq.target, 5000, "target");
    near(fq.interval, 100000, "interval");
    near(fq.ceThreshold, 2000, "ceThreshold");

    await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "fq_codel", limit: 1000, ecn: true });
    subset(qdiscData(await rootOf(conn, "fq_codel"), "fq_codel"), { limit: 1000, ecn: true, flows: 256 }, "changed");

    await sendUdp(ns, "10.0.0.2", 20, 400);
    const q = await counted(conn, 20n);
    ok(q.stats!.packets >= 20n, `fq_codel passed ${q.stats!.packets} packets`);
    const xstats = q.xstats as FqCodelXstats;
    equal(xstats?.type, "qdisc");
    ok(xstats.type === "qdisc" && typeof xstats.qdiscStats.memoryUsage === "number", JSON.stringify(xstats));

    await conn.deleteQdisc({ dev: "v0", handle: "1:" });
    equal((await root(conn))?.kind, "noqueue");
  },
);

await kernelTest("tc fq: options read back, change, statistics and delete", needs("fq"), async (conn, ns) => {
  await wired(conn);
  await conn.addQdisc({
    dev: "v0",
    handle: "1:",
    kind: "fq",
    limit: 5000,
    flowLimit: 50,
    quantum: 3028,
    initialQuantum: 15140,
    buckets: 512,
    maxrate: "100mbit",
    lowRateThreshold: "550kbit",
    refillDelay: "40ms",
    orphanMask: 511,
    ceThreshold: "4ms",
    timerSlack: "20us",
    horizon: "5s",
    horizonDrop: false,
    pacing: true,
  });
  const fq = qdiscData(await rootOf(conn, "fq"), "fq")!;
  subset(fq, {
    plimit: 5000,
    flowPlimit: 50,
    quantum: 3028,
    initialQuantum: 15140,
    bucketsLog: 9,
    flowMaxRate: 12_500_000,
    lowRateThreshold: 68750,
    flowRefillDelay: 40000,
    orphanMask: 511,
    ceThreshold: 4000,
    timerSlack: 20000,
    horizon: 5_000_000,
    horizonDrop: 0,
    rateEnable: true,
  }, "fq");

  await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "fq", limit: 2000, pacing: false, horizonDrop: true });
  subset(qdiscData(await rootOf(conn, "fq"), "fq"), { plimit: 2000, rateEnable: false, horizonDrop: 1 }, "changed");

  await sendUdp(ns, "10.0.0.2", 20, 300);
  const q = await counted(conn, 20n);
  ok(q.stats!.packets >= 20n, `fq passed ${q.stats!.packets} packets`);
  const xstats = q.xstats as { flows: number; gcFlows: bigint } | undefined;
  ok(
    xstats !== undefined && typeof xstats.gcFlows === "bigint" && xstats.flows >= 0,
    JSON.stringify(xstats, (_, v) => typeof v === "bigint" ? String(v) : v),
  );

  await conn.deleteQdisc({ dev: "v0", handle: "1:" });
  equal((await root(conn))?.kind, "noqueue");
});

await kernelTest("tc cake: options read back, change, statistics and delete", needs("cake"), async (conn, ns) => {
  await wired(conn);
  await conn.addQdisc({
    dev: "v0",
    handle: "1:",
    kind: "cake",
    bandwidth: "50mbit",
    rtt: "30ms",
    diffserv: "diffserv4",
    flowMode: "dual-dsthost",
    nat: true,
    wash: true,
    splitGso: false,
    ackFilter: "ack-filter",
    memlimit: "8mb",
    fwmark: 0xf0,
    overhead: 18,
    mpu: 64,
    atm: "ptm",
  });
  const cake = qdiscData(await rootOf(conn, "cake"), "cake")!;
  subset(cake, {
    baseRate64: 6_250_000n,
    diffservMode: "diffserv4",
    flowMode: "dual-dsthost",
    nat: true,
    wash: true,
    splitGso: false,
    ackFilter: "ack-filter",
    memory: 8 * 1024 * 1024,
    fwmark: 0xf0,
    overhead: 18,
    mpu: 64,
    atm: "ptm",
    rtt: 30000,
    target: 1500,
    autorate: false,
  }, "cake");

  await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "cake", bandwidth: "unlimited", preset: "lan", nat: false });
  subset(qdiscData(await rootOf(conn, "cake"), "cake"), {
    baseRate64: 0n,
    rtt: 1000,
    target: 50,
    nat: false,
    diffservMode: "diffserv4",
  }, "changed");

  await sendUdp(ns, "10.0.0.2", 20, 300);
  const q = await counted(conn, 20n);
  ok(q.stats!.packets >= 20n, `cake passed ${q.stats!.packets} packets`);
  // cake reports its statistics only in TCA_STATS2's application block; where they are decoded, tins come in order.
  const xstats = q.xstats as { tinStats?: unknown[] } | undefined;
  if (xstats !== undefined) equal(xstats.tinStats?.length, 4, "diffserv4 has four tins");

  await conn.deleteQdisc({ dev: "v0", handle: "1:" });
  equal((await root(conn))?.kind, "noqueue");
});
