/**
 * Traffic control against the kernel, scheduling qdiscs and their classes:
 * prio, multiq, pfifo_fast, skbprio, plug, hfsc, drr, qfq, ets, mqprio,
 * taprio, etf and cbs — created, read back (the kernel's own reply decoded
 * and compared with what was asked), changed where the kind can change, and
 * deleted; statistics move when traffic crosses a veth pair. mqprio, taprio
 * and multiq get a veth with four transmit queues. This host's kernel has
 * only pfifo_fast of these (the others skip with the reason); the
 * full-kernel VM lane runs them.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type Connection, NetlinkError, type Qdisc, type TcClass } from "../../mod.ts";
import { classData } from "../../src/tc/class.ts";
import { qdiscData } from "../../src/tc/qdisc.ts";
import type { DrrStats, HfscStats, QfqStats } from "../../src/tc/qdiscs/sched.ts";
import { kernelTest } from "../_lib/netns.ts";
import { sendUdp, subset } from "../_lib/setup.ts";

/** A veth pair v0–v1 (with `queues` transmit and receive queues each), both up. */
async function pair(conn: Connection, queues = 1): Promise<void> {
  const q = { numTxQueues: queues, numRxQueues: queues };
  await conn.addLink({ kind: "veth", name: "v0", ...q, peer: { name: "v1", ...q } });
  await conn.setLinkUp("v0");
  await conn.setLinkUp("v1");
}

/** `pair`, plus 10.0.0.1/24 on v0 and a static neighbour 10.0.0.2, so UDP to it leaves through v0's qdisc. */
async function wired(conn: Connection, queues = 1): Promise<void> {
  await pair(conn, queues);
  await conn.addAddress({ dev: "v0", address: "10.0.0.1/24" });
  await conn.addNeighbour({ dev: "v0", dst: "10.0.0.2", lladdr: "02:00:00:00:00:02" });
}

/** v0's one qdisc of `kind`. */
async function qdiscOf(conn: Connection, kind: string): Promise<Qdisc> {
  const qs = (await conn.getQdiscs({ dev: "v0" })).filter((q) => q.kind === kind);
  equal(qs.length, 1, `one ${kind} on v0`);
  return qs[0];
}

/** v0's class `classid`. */
async function classOf(conn: Connection, classid: string): Promise<TcClass> {
  const cs = await conn.getClasses({ dev: "v0", classid });
  equal(cs.length, 1, `class ${classid} on v0`);
  return cs[0];
}

/** Deletes v0's root qdisc and checks that `kind` is gone. */
async function deleteAndCheck(conn: Connection, kind: string): Promise<void> {
  await conn.deleteQdisc({ dev: "v0" });
  deepStrictEqual((await conn.getQdiscs({ dev: "v0" })).filter((q) => q.kind === kind), []);
}

/** Reads until `done` (qdiscs and classes count packets as they leave, a moment after they are sent). */
async function until<T>(read: () => Promise<T>, done: (x: T) => boolean, what: (x: T) => string): Promise<T> {
  let x = await read();
  for (let i = 0; i < 50 && !done(x); i++) {
    await new Promise((r) => setTimeout(r, 20));
    x = await read();
  }
  ok(done(x), what(x));
  return x;
}

/** Sends 20 datagrams of 200 bytes through v0 and waits until `read`'s statistics count them. */
async function trafficMoves(ns: string, read: () => Promise<TcClass | Qdisc>, what: string): Promise<void> {
  const before = (await read()).stats?.packets ?? 0n;
  await sendUdp(ns, "10.0.0.2", 20, 200);
  const after = await until(
    read,
    (x) => (x.stats?.packets ?? 0n) - before >= 20n,
    (x) => `${what} counted ${(x.stats?.packets ?? 0n) - before} packets`,
  );
  ok(after.stats!.bytes >= 20n * 200n, `${what} counted ${after.stats!.bytes} bytes`);
}

/** Runs `tc ARGS` in namespace `ns` (filters that classify into a drr/qfq class). */
async function tc(ns: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("tc", { args: ["-n", ns, ...args], stderr: "piped" }).output();
  if (!out.success) throw new Error(`tc ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
}

const DEFAULT_PRIOMAP = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

await kernelTest("tc: pfifo_fast reads back its bands and priomap", { needs: ["veth"] }, async (conn) => {
  await pair(conn);
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "pfifo_fast" });
  const q = await qdiscOf(conn, "pfifo_fast");
  deepStrictEqual(qdiscData(q, "pfifo_fast"), { bands: 3, priomap: DEFAULT_PRIOMAP });
  await deleteAndCheck(conn, "pfifo_fast");
});

await kernelTest(
  "tc: prio is added, read back, changed, counts traffic",
  { needs: ["veth", "sch_prio"] },
  async (conn, ns) => {
    await wired(conn);
    const priomap = [3, 2, 1, 0, 3, 2, 1, 0, 3, 3, 3, 3, 3, 3, 3, 3];
    await conn.addQdisc({ dev: "v0", handle: "1:", kind: "prio", bands: 4, priomap });
    deepStrictEqual(qdiscData(await qdiscOf(conn, "prio"), "prio"), { bands: 4, priomap });
    // Its bands are classes 1:1 … 1:4.
    const bands = (await conn.getClasses({ dev: "v0" })).filter((c) => c.kind === "prio").map((c) => c.handle);
    deepStrictEqual(bands.sort(), ["1:1", "1:2", "1:3", "1:4"]);
    // Priority 0 (a plain socket's) goes to band 3 = class 1:4.
    await trafficMoves(ns, () => classOf(conn, "1:4"), "prio band 1:4");
    await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "prio", bands: 5, priomap: [4, 4, 4, 4, 4, 4] });
    deepStrictEqual(qdiscData(await qdiscOf(conn, "prio"), "prio"), {
      bands: 5,
      priomap: [4, 4, 4, 4, 4, 4, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
    });
    await deleteAndCheck(conn, "prio");
  },
);

await kernelTest("tc: multiq takes one band per transmit queue", { needs: ["veth", "sch_multiq"] }, async (conn) => {
  await pair(conn, 4);
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "multiq" });
  deepStrictEqual(qdiscData(await qdiscOf(conn, "multiq"), "multiq"), { bands: 4, maxBands: 4 });
  await deleteAndCheck(conn, "multiq");
});

await kernelTest(
  "tc: skbprio is added, read back and changed",
  { needs: ["veth", "sch_skbprio"] },
  async (conn, ns) => {
    await wired(conn);
    await conn.addQdisc({ dev: "v0", handle: "1:", kind: "skbprio", limit: 100 });
    deepStrictEqual(qdiscData(await qdiscOf(conn, "skbprio"), "skbprio"), { limit: 100 });
    await trafficMoves(ns, () => qdiscOf(conn, "skbprio"), "skbprio");
    await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "skbprio", limit: 250 });
    deepStrictEqual(qdiscData(await qdiscOf(conn, "skbprio"), "skbprio"), { limit: 250 });
    await deleteAndCheck(conn, "skbprio");
  },
);

await kernelTest("tc: plug buffers packets until released", { needs: ["veth", "sch_plug"] }, async (conn, ns) => {
  await wired(conn);
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "plug", limit: "64k" });
  await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "plug", action: "block" });
  await sendUdp(ns, "10.0.0.2", 5, 100);
  const held = await qdiscOf(conn, "plug");
  equal(held.options, undefined, "plug reports no options");
  // (IPv6 neighbour discovery may add a few packets of its own.)
  ok(held.stats!.qlen >= 5, `the plug holds ${held.stats!.qlen} packets`);
  equal(held.stats!.packets, 0n, "nothing left");
  await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "plug", action: "release_indefinite" });
  await until(
    () => qdiscOf(conn, "plug"),
    (q) => q.stats!.qlen === 0 && q.stats!.packets >= 5n,
    (q) => `after release: qlen ${q.stats!.qlen}, sent ${q.stats!.packets}`,
  );
  await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "plug", limit: 1000 });
  await deleteAndCheck(conn, "plug");
});

await kernelTest("tc: hfsc classes read back their curves and serve the default class", {
  needs: ["veth", "sch_hfsc"],
}, async (conn, ns) => {
  await wired(conn);
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "hfsc", default: "10" });
  deepStrictEqual(qdiscData(await qdiscOf(conn, "hfsc"), "hfsc"), { defcls: 0x10 });
  await conn.addClass({ dev: "v0", parent: "1:", classid: "1:1", kind: "hfsc", ls: { m2: "100mbit" } });
  await conn.addClass({
    dev: "v0",
    parent: "1:1",
    classid: "1:10",
    kind: "hfsc",
    rt: { m1: "20mbit", d: "10ms", m2: "10mbit" },
    ls: { umax: 1500, dmax: "5ms", rate: "20mbit" },
    ul: { m2: "50mbit" },
  });
  deepStrictEqual(classData(await classOf(conn, "1:1"), "hfsc"), { fsc: { m1: 0, d: 0, m2: 12_500_000 } });
  deepStrictEqual(classData(await classOf(conn, "1:10"), "hfsc"), {
    rsc: { m1: 2_500_000, d: 10_000, m2: 1_250_000 },
    fsc: { m1: 0, d: 4_400, m2: 2_500_000 },
    usc: { m1: 0, d: 0, m2: 6_250_000 },
  });
  await trafficMoves(ns, () => classOf(conn, "1:10"), "hfsc class 1:10");
  const x = (await classOf(conn, "1:10")).xstats as HfscStats;
  equal(x.level, 0, "1:10 is a leaf");
  ok(x.work >= 20n * 200n, `work ${x.work}`);
  equal(((await classOf(conn, "1:1")).xstats as HfscStats).level, 1);

  await conn.changeClass({ dev: "v0", parent: "1:1", classid: "1:10", kind: "hfsc", sc: { m2: "30mbit" } });
  const curve = { m1: 0, d: 0, m2: 3_750_000 };
  subset(classData(await classOf(conn, "1:10"), "hfsc"), { rsc: curve, fsc: curve }, "changed curves");
  await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "hfsc", default: 0x20 });
  deepStrictEqual(qdiscData(await qdiscOf(conn, "hfsc"), "hfsc"), { defcls: 0x20 });
  await conn.deleteClass({ dev: "v0", classid: "1:10" });
  deepStrictEqual(await conn.getClasses({ dev: "v0", classid: "1:10" }), []);
  await deleteAndCheck(conn, "hfsc");
});

await kernelTest("tc: drr classes read back their quantum and count traffic", {
  needs: ["veth", "sch_drr", "cls_u32"],
}, async (conn, ns) => {
  await wired(conn);
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "drr" });
  equal((await qdiscOf(conn, "drr")).options, undefined);
  await conn.addClass({ dev: "v0", parent: "1:", classid: "1:1", kind: "drr", quantum: 1500 });
  await conn.addClass({ dev: "v0", parent: "1:", classid: "1:2", kind: "drr" });
  deepStrictEqual(classData(await classOf(conn, "1:1"), "drr"), { quantum: 1500 });
  const mtu = classData(await classOf(conn, "1:2"), "drr")!.quantum!;
  equal(mtu, 1514, "the default quantum is the device's MTU plus its link-layer header");
  await tc(ns, "filter", "add", "dev", "v0", "parent", "1:", "protocol", "all", "prio", "1", "u32", ...[
    "match",
    "u32",
    "0",
    "0",
    "classid",
    "1:1",
  ]);
  await trafficMoves(ns, () => classOf(conn, "1:1"), "drr class 1:1");
  ok(typeof ((await classOf(conn, "1:1")).xstats as DrrStats).deficit === "number");
  await conn.changeClass({ dev: "v0", parent: "1:", classid: "1:1", kind: "drr", quantum: "10k" });
  deepStrictEqual(classData(await classOf(conn, "1:1"), "drr"), { quantum: 10240 });
  await conn.deleteClass({ dev: "v0", classid: "1:2" });
  deepStrictEqual(await conn.getClasses({ dev: "v0", classid: "1:2" }), []);
  await deleteAndCheck(conn, "drr");
});

await kernelTest("tc: qfq classes read back weight and maxpkt and count traffic", {
  needs: ["veth", "sch_qfq", "cls_u32"],
}, async (conn, ns) => {
  await wired(conn);
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "qfq" });
  await conn.addClass({ dev: "v0", parent: "1:", classid: "1:1", kind: "qfq", weight: 10, maxpkt: 2048 });
  await conn.addClass({ dev: "v0", parent: "1:", classid: "1:2", kind: "qfq" });
  deepStrictEqual(classData(await classOf(conn, "1:1"), "qfq"), { weight: 10, lmax: 2048 });
  deepStrictEqual((await classOf(conn, "1:1")).xstats as QfqStats, { weight: 10, lmax: 2048 });
  equal(classData(await classOf(conn, "1:2"), "qfq")!.weight, 1);
  await tc(ns, "filter", "add", "dev", "v0", "parent", "1:", "protocol", "all", "prio", "1", "u32", ...[
    "match",
    "u32",
    "0",
    "0",
    "classid",
    "1:1",
  ]);
  await trafficMoves(ns, () => classOf(conn, "1:1"), "qfq class 1:1");
  await conn.changeClass({ dev: "v0", parent: "1:", classid: "1:1", kind: "qfq", weight: 30, maxpkt: 9000 });
  deepStrictEqual(classData(await classOf(conn, "1:1"), "qfq"), { weight: 30, lmax: 9000 });
  await deleteAndCheck(conn, "qfq");
});

await kernelTest("tc: ets reads back bands, quanta and priomap; its bands are classes", {
  needs: ["veth", "sch_ets"],
}, async (conn, ns) => {
  await wired(conn);
  await conn.addQdisc({
    dev: "v0",
    handle: "1:",
    kind: "ets",
    bands: 4,
    strict: 1,
    quanta: [2000, 3000],
    priomap: [3, 2, 1, 0],
  });
  deepStrictEqual(qdiscData(await qdiscOf(conn, "ets"), "ets"), {
    nbands: 4,
    nstrict: 1,
    quanta: [2000, 3000, 1514], // the band without a quantum gets the MTU
    priomap: [3, 2, 1, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3], // the rest: the last band
  });
  deepStrictEqual(classData(await classOf(conn, "1:1"), "ets"), {}); // strict: no quantum
  deepStrictEqual(classData(await classOf(conn, "1:2"), "ets"), { quantum: 2000 });
  await conn.changeClass({ dev: "v0", parent: "1:", classid: "1:3", kind: "ets", quantum: 4000 });
  deepStrictEqual(classData(await classOf(conn, "1:3"), "ets"), { quantum: 4000 });
  await rejects(
    conn.changeClass({ dev: "v0", parent: "1:", classid: "1:1", kind: "ets", quantum: 1000 }),
    NetlinkError,
    "a strict band has no quantum",
  );
  // Priority 0 goes to band 4 (class 1:4).
  await trafficMoves(ns, () => classOf(conn, "1:4"), "ets band 1:4");
  await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "ets", bands: 2, quanta: [5000, 6000] });
  deepStrictEqual(qdiscData(await qdiscOf(conn, "ets"), "ets"), {
    nbands: 2,
    quanta: [5000, 6000],
    priomap: new Array(16).fill(1),
  });
  await deleteAndCheck(conn, "ets");
});

await kernelTest("tc: mqprio maps priorities to queue ranges", { needs: ["veth", "sch_mqprio"] }, async (conn, ns) => {
  await wired(conn, 4);
  const map = [0, 0, 0, 0, 1, 1, 1, 1];
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "mqprio", numTc: 2, map, queues: ["2@0", "2@2"], hw: 0 });
  const zeros = new Array(14).fill(0);
  subset(qdiscData(await qdiscOf(conn, "mqprio"), "mqprio"), {
    numTc: 2,
    prioTcMap: [...map, ...new Array(8).fill(0)],
    hw: 0,
    count: [2, 2, ...zeros],
    offset: [0, 2, ...zeros],
  }, "mqprio");
  await trafficMoves(ns, () => qdiscOf(conn, "mqprio"), "mqprio");
  // mqprio cannot change: a new configuration needs a new qdisc.
  await rejects(conn.changeQdisc({ dev: "v0", handle: "1:", kind: "mqprio", numTc: 1, map: [0], hw: 0 }), NetlinkError);
  await deleteAndCheck(conn, "mqprio");
});

await kernelTest("tc: taprio runs a gate schedule on CLOCK_TAI", { needs: ["veth", "sch_taprio"] }, async (conn) => {
  await pair(conn, 4);
  const map = [2, 2, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2];
  await conn.addQdisc({
    dev: "v0",
    handle: "100:",
    kind: "taprio",
    numTc: 3,
    map,
    queues: ["1@0", "1@1", "2@2"],
    baseTime: 1_000_000_000n,
    schedule: ["S 01 300000", { gateMask: 0x2, interval: 300000 }, { cmd: "S", gateMask: 0x4, interval: 400000 }],
    clockid: "CLOCK_TAI",
    maxSdu: [0, 1000],
  });
  const t = qdiscData(await qdiscOf(conn, "taprio"), "taprio")!;
  equal(t.clockid, "TAI");
  // Every class's entry comes back (16 of them), with its max-sdu.
  deepStrictEqual(t.tcEntries?.slice(0, 3), [{ index: 0, maxSdu: 0 }, { index: 1, maxSdu: 1000 }, {
    index: 2,
    maxSdu: 0,
  }]);
  subset(t.priomap, { numTc: 3, prioTcMap: map, count: [1, 1, 2, ...new Array(13).fill(0)] }, "taprio priomap");
  // The schedule is "admin" until its first cycle starts, then "oper" (top level).
  const sched = t.schedule ? t : t.adminSched!;
  equal(sched.baseTime, 1_000_000_000n);
  equal(sched.cycleTime, 1_000_000n, "the cycle is the entries' sum");
  deepStrictEqual(sched.schedule!.map(({ cmd, gateMask, interval }) => ({ cmd, gateMask, interval })), [
    { cmd: "S", gateMask: 1, interval: 300000 },
    { cmd: "S", gateMask: 2, interval: 300000 },
    { cmd: "S", gateMask: 4, interval: 400000 },
  ]);

  // A new schedule on a running taprio (the kernel wants the clock again, unchanged).
  await rejects(
    conn.changeQdisc({ dev: "v0", handle: "100:", kind: "taprio", clockid: "CLOCK_MONOTONIC", schedule: ["S 7 1000"] }),
    NetlinkError,
    "the clock of a running schedule cannot change",
  );
  await conn.changeQdisc({
    dev: "v0",
    handle: "100:",
    kind: "taprio",
    clockid: "CLOCK_TAI",
    baseTime: 2_000_000_000n,
    schedule: [{ gateMask: 0x7, interval: 500000 }],
  });
  await until(
    async () => qdiscData(await qdiscOf(conn, "taprio"), "taprio")!,
    (d) => [d.schedule, d.adminSched?.schedule].some((s) => s?.length === 1 && s[0].gateMask === 7),
    (d) => `new schedule not seen: ${JSON.stringify(d, (_k, v) => typeof v === "bigint" ? String(v) : v)}`,
  );
  await deleteAndCheck(conn, "taprio");
});

await kernelTest("tc: etf reads back its clock, delta and modes", { needs: ["veth", "sch_etf"] }, async (conn, ns) => {
  await wired(conn);
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "etf", clockid: "CLOCK_TAI", delta: 300000 });
  deepStrictEqual(qdiscData(await qdiscOf(conn, "etf"), "etf"), {
    parms: { delta: 300000, clockid: "TAI", flags: [] },
  });
  await deleteAndCheck(conn, "etf");
  await rejects(
    conn.addQdisc({ dev: "v0", handle: "1:", kind: "etf", clockid: "TAI", offload: true }),
    NetlinkError,
    "a veth has no launch-time offload",
  );
  await conn.addQdisc({
    dev: "v0",
    handle: "1:",
    kind: "etf",
    clockid: "TAI",
    delta: 1000,
    deadlineMode: true,
    skipSockCheck: true,
  });
  deepStrictEqual(qdiscData(await qdiscOf(conn, "etf"), "etf"), {
    parms: { delta: 1000, clockid: "TAI", flags: ["deadline_mode", "skip_sock_check"] },
  });
  // Packets without a transmit time (0: long past) are dropped.
  await sendUdp(ns, "10.0.0.2", 10, 100);
  await until(() => qdiscOf(conn, "etf"), (q) => q.stats!.drops >= 10, (q) => `etf dropped ${q.stats!.drops}`);
  await deleteAndCheck(conn, "etf");
});

await kernelTest(
  "tc: cbs is added, read back, changed, counts traffic",
  { needs: ["veth", "sch_cbs"] },
  async (conn, ns) => {
    await wired(conn);
    const parms = { idleslope: 20000, sendslope: -980000, hicredit: 30, locredit: -1470 };
    await conn.addQdisc({ dev: "v0", handle: "1:", kind: "cbs", ...parms });
    deepStrictEqual(qdiscData(await qdiscOf(conn, "cbs"), "cbs"), { parms: { offload: 0, ...parms } });
    await trafficMoves(ns, () => qdiscOf(conn, "cbs"), "cbs");
    const changed = { idleslope: 98688, sendslope: -901312, hicredit: 153, locredit: -1389 };
    await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "cbs", ...changed });
    deepStrictEqual(qdiscData(await qdiscOf(conn, "cbs"), "cbs"), { parms: { offload: 0, ...changed } });
    await deleteAndCheck(conn, "cbs");
  },
);
