/**
 * Golden tests for the queue-management qdiscs: nlink's request bytes equal
 * tc(8)'s for the same command (tests/fixtures/tc_aqm.json, captured by
 * tests/fixtures/captures/tc_aqm.ts): netem, codel, fq_codel, fq and cake.
 * Also: decoding gives back what was encoded (the kernel's replies have the
 * same layout), extended statistics decode, distribution tables read as tc
 * reads them, and bad options are refused before anything is sent.
 */
import { deepStrictEqual as assertEquals, ok, rejects, throws } from "node:assert/strict";
import type { NetlinkConnection } from "../../src/core/connection.ts";
import { ValidationError } from "../../src/core/errors.ts";
import type { MessageView } from "../../src/core/message.ts";
import { MessageWriter } from "../../src/core/writer.ts";
import { applyNetem } from "../../src/tc/netem_helpers.ts";
import { decodeQdisc, type QdiscOptions, qdiscRequest } from "../../src/tc/qdisc.ts";
import {
  loadNetemDistribution,
  type NetemOptions,
  parseNetemDistribution,
  scalePercent,
} from "../../src/tc/qdiscs/netem.ts";
import { asMessage, goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("tc_aqm");
const { p0 } = data.indexes;

/** Qdisc options without the device (distributed over the union of kinds). */
type NoDev = QdiscOptions extends infer T ? T extends unknown ? Omit<T, "dev"> : never : never;
type Kind<K extends string> = Omit<Extract<QdiscOptions, { kind: K }>, "dev" | "kind">;
const add = (o: NoDev) => () => qdiscRequest("add", p0, { dev: p0, ...o } as QdiscOptions);
const netem = (o: Kind<"netem"> = {}) => add({ kind: "netem", ...o });
const codel = (o: Kind<"codel"> = {}) => add({ kind: "codel", ...o });
const fqCodel = (o: Kind<"fq_codel"> = {}) => add({ kind: "fq_codel", ...o });
const fq = (o: Kind<"fq"> = {}) => add({ kind: "fq", ...o });
const cake = (o: Kind<"cake"> = {}) => add({ kind: "cake", ...o });

const OURS: Record<string, () => Uint8Array> = {
  "netem": netem(),
  "netem.limit": netem({ limit: 5000 }),
  "netem.limit.size": netem({ limit: "2k" }),
  "netem.delay": netem({ delay: "100ms" }),
  "netem.delay.jitter": netem({ delay: "100ms", jitter: "10ms" }),
  "netem.delay.corr": netem({ delay: "100ms", jitter: "10ms", delayCorrelation: "25%" }),
  "netem.delay.big": netem({ delay: "200s", jitter: "1.5s" }),
  "netem.dist.normal": netem({ delay: "100ms", jitter: "20ms", distribution: "normal" }),
  "netem.dist.pareto": netem({ delay: 100000, jitter: 20000, delayCorrelation: 0.25, distribution: "pareto" }),
  "netem.dist.paretonormal": netem({ delay: "10ms", jitter: "2ms", distribution: "paretonormal" }),
  "netem.dist.experimental": netem({ delay: "10ms", jitter: "2ms", distribution: "experimental" }),
  "netem.loss": netem({ loss: "1%" }),
  "netem.loss.random": netem({ loss: "0.3%", lossCorrelation: "25%" }),
  "netem.loss.state": netem({ lossState: { p13: "1%" } }),
  "netem.loss.state.all": netem({ lossState: { p13: "1%", p31: "30%", p32: "5%", p23: "20%", p14: "2%" } }),
  "netem.loss.state.two": netem({ lossState: { p13: "2.5%", p31: "40%" } }),
  "netem.loss.gemodel": netem({ lossGemodel: { p: "1%" } }),
  "netem.loss.gemodel.all": netem({ lossGemodel: { p: "1%", r: "10%", oneMinusH: "70%", oneMinusK: "0.1%" } }),
  "netem.loss.ecn": netem({ loss: 0.05, ecn: true }),
  "netem.loss.gemodel.ecn": netem({ lossGemodel: { p: "2%", r: "20%" }, ecn: true }),
  "netem.duplicate": netem({ duplicate: "1%" }),
  "netem.duplicate.corr": netem({
    delay: "10ms",
    jitter: "5ms",
    delayCorrelation: "20%",
    duplicate: "1%",
    duplicateCorrelation: "50%",
  }),
  "netem.reorder": netem({ delay: "10ms", reorder: "25%", reorderCorrelation: "50%" }),
  "netem.reorder.gap": netem({ delay: "10ms", reorder: "25%", gap: 5 }),
  "netem.corrupt": netem({ corrupt: "0.1%" }),
  "netem.corrupt.corr": netem({ corrupt: "0.1%", corruptCorrelation: "10%" }),
  "netem.rate": netem({ rate: "1mbit" }),
  "netem.rate.overheads": netem({ rate: "100kbit", packetOverhead: 20, cellSize: 100, cellOverhead: 5 }),
  "netem.rate.negative": netem({ rate: "1mbit", packetOverhead: -10, cellSize: 53, cellOverhead: -4 }),
  "netem.rate64": netem({ rate: "100gbit" }),
  "netem.slot": netem({ slot: { min: "10ms" } }),
  "netem.slot.all": netem({ slot: { min: "1ms", max: "5ms", packets: 10, bytes: "64k" } }),
  "netem.slot.dist": netem({ slot: { distribution: "normal", delay: "10ms", jitter: 2_000_000n, packets: 5 } }),
  "netem.everything": netem({
    limit: 2000,
    delay: "50ms",
    jitter: "10ms",
    delayCorrelation: "5%",
    distribution: "normal",
    lossState: { p13: "1%", p31: "30%" },
    ecn: true,
    duplicate: "0.5%",
    corrupt: "0.2%",
    corruptCorrelation: "5%",
    reorder: "10%",
    gap: 3,
    rate: "10mbit",
    packetOverhead: 14,
    slot: { min: "2ms", max: "4ms", bytes: 3000 },
  }),
  "netem.parent": add({ kind: "netem", parent: "1:10", handle: "10:", delay: "5ms" }),
  "netem.change": () => qdiscRequest("change", p0, { dev: p0, kind: "netem", loss: "2%" }),
  "netem.replace": () => qdiscRequest("replace", p0, { dev: p0, kind: "netem", delay: "20ms", rate: "5mbit" }),

  "codel": codel(),
  "codel.all": codel({ limit: 1000, target: "5ms", interval: "100ms", ecn: true, ceThreshold: "1ms" }),
  "codel.noecn": codel({ ecn: false, target: 2000 }),
  "fq_codel": fqCodel(),
  "fq_codel.all": fqCodel({
    limit: 10240,
    flows: 1024,
    quantum: 1514,
    target: "5ms",
    interval: "100ms",
    ecn: true,
    ceThreshold: "2ms",
    ceThresholdSelector: "0x1/0x3",
    memoryLimit: "32mb",
    dropBatch: 64,
  }),
  "fq_codel.noecn": fqCodel({ ecn: false, memoryLimit: 4 * 1024 * 1024 }),

  "fq": fq(),
  "fq.all": fq({
    limit: 10000,
    flowLimit: 100,
    quantum: 3028,
    initialQuantum: 15140,
    buckets: 1024,
    maxrate: "1gbit",
    lowRateThreshold: "550kbit",
    defrate: "10mbit",
    refillDelay: "40ms",
    orphanMask: 1023,
    ceThreshold: "4ms",
    timerSlack: "10us",
    horizon: "10s",
    horizonDrop: true,
    pacing: true,
  }),
  "fq.nopacing": fq({ pacing: false, horizonDrop: false, buckets: 1000 }),

  "cake": cake(),
  "cake.bandwidth": cake({ bandwidth: "100mbit" }),
  "cake.bandwidth64": cake({ bandwidth: 12_500_000_000n }),
  "cake.unlimited": cake({ bandwidth: "unlimited" }),
  "cake.autorate": cake({ autorateIngress: true }),
  "cake.bandwidth.autorate": cake({ bandwidth: "20mbit", autorateIngress: true }),
  "cake.rtt": cake({ rtt: "50ms" }),
  "cake.rtt.tiny": cake({ rtt: 10 }),
  "cake.preset": cake({ preset: "metro" }),
  "cake.interplanetary": cake({ preset: "interplanetary", diffserv: "besteffort" }),
  "cake.diffserv8": cake({ diffserv: "diffserv8" }),
  "cake.precedence": cake({ diffserv: "precedence", flowMode: "flowblind" }),
  "cake.flows": cake({
    flowMode: "dual-dsthost",
    nat: true,
    wash: true,
    splitGso: true,
    ingress: true,
    ackFilter: "ack-filter",
  }),
  "cake.negatives": cake({
    nat: false,
    wash: false,
    splitGso: false,
    ingress: false,
    ackFilter: "no-ack-filter",
    flowMode: "triple-isolate",
  }),
  "cake.ack.aggressive": cake({ ackFilter: "ack-filter-aggressive", flowMode: "srchost" }),
  "cake.overhead": cake({ overhead: 18, mpu: 64, atm: "atm" }),
  "cake.overhead.negative": cake({ overhead: -4, atm: "ptm" }),
  "cake.framing": cake({ framing: ["pppoe-ptm", "ether-vlan"] }),
  "cake.ethernet": cake({ framing: "ethernet" }),
  "cake.docsis": cake({ framing: "docsis" }),
  "cake.conservative": cake({ framing: "conservative" }),
  "cake.adsl": cake({ overhead: 4, framing: ["pppoa-vcmux", "bridged-llcsnap"] }),
  "cake.raw": cake({ raw: true }),
  "cake.noatm": cake({ atm: "noatm", framing: "via-ethernet" }),
  "cake.memlimit": cake({ memlimit: "32mb", fwmark: 0xff }),
  "cake.everything": cake({
    bandwidth: "50mbit",
    rtt: "30ms",
    diffserv: "diffserv4",
    flowMode: "hosts",
    nat: true,
    wash: false,
    splitGso: true,
    ingress: false,
    ackFilter: "ack-filter",
    memlimit: "8m",
    fwmark: 0xf0,
    overhead: 34,
    mpu: 72,
    atm: "ptm",
  }),
  "cake.change": () => qdiscRequest("change", p0, { dev: p0, kind: "cake", bandwidth: "50mbit" }),
};

goldenTests("tc aqm", data, OURS);

const decoded = (o: NoDev) => decodeQdisc(asMessage(qdiscRequest("add", 3, { dev: 3, ...o } as QdiscOptions))).options;

Deno.test("tc aqm: netem decodes back to what was encoded", () => {
  assertEquals(decoded({ kind: "netem" }), {
    header: { latency: 0, limit: 1000, loss: 0, gap: 0, duplicate: 0, jitter: 0 },
  });
  const all = decoded({
    kind: "netem",
    delay: "10ms",
    jitter: "1ms",
    delayCorrelation: "10%",
    distribution: [1, -2, 3],
    lossGemodel: { p: "1%", oneMinusH: "50%" },
    ecn: true,
    reorder: "5%",
    corrupt: 0.5,
    rate: "100gbit",
    cellSize: 48,
    slot: { distribution: Int16Array.of(7, 8), delay: 100n, jitter: 10n, bytes: 1500 },
  });
  assertEquals(all, {
    header: { latency: 156250, limit: 1000, loss: 0, gap: 1, duplicate: 0, jitter: 15625 },
    corr: { delayCorr: scalePercent(0.1), lossCorr: 0, dupCorr: 0 },
    reorder: { probability: scalePercent(0.05), correlation: 0 },
    ecn: true,
    corrupt: { probability: 2147483648, correlation: 0 },
    slot: { minDelay: 0n, maxDelay: 0n, maxPackets: 0, maxBytes: 1500, distDelay: 100n, distJitter: 10n },
    loss: { ge: { p: scalePercent(0.01), r: scalePercent(0.99), h: 0xffffffff - scalePercent(0.5), k1: 0 } },
    rate64: 12_500_000_000n,
    rate: { rate: 0xffffffff, packetOverhead: 0, cellSize: 48, cellOverhead: 0 },
    delayDist: [1, -2, 3],
    slotDist: [7, 8],
  });
  const state = decoded({ kind: "netem", lossState: { p13: 0.25, p14: 0.5 } });
  assertEquals((state as { loss: unknown }).loss, {
    gi: { p13: scalePercent(0.25), p31: scalePercent(0.75), p32: 0, p14: scalePercent(0.5), p23: 0xffffffff },
  });
});

Deno.test("tc aqm: codel, fq_codel, fq and cake decode back to what was encoded", () => {
  assertEquals(decoded({ kind: "codel" }), {});
  assertEquals(decoded({ kind: "codel", limit: 5, target: "1ms", ecn: false, ceThreshold: 0 }), {
    limit: 5,
    target: 1000,
    ecn: false,
    ceThreshold: 0,
  });
  assertEquals(decoded({ kind: "fq_codel", flows: 16, ceThreshold: 100, ceThresholdSelector: { value: 1, mask: 1 } }), {
    flows: 16,
    ceThreshold: 100,
    ceThresholdMask: 1,
    ceThresholdSelector: 1,
  });
  assertEquals(decoded({ kind: "fq", buckets: 2, maxrate: 1000, timerSlack: 5n, pacing: false, horizonDrop: true }), {
    bucketsLog: 1,
    rateEnable: false,
    flowMaxRate: 1000,
    timerSlack: 5,
    horizonDrop: 1,
  });
  assertEquals(
    decoded({
      kind: "cake",
      bandwidth: 1000n,
      diffserv: "diffserv",
      flowMode: "dual-srchost",
      raw: true,
      mpu: 20,
      preset: "lan",
      nat: true,
      ackFilter: "ack-filter-aggressive",
    }),
    {
      baseRate64: 1000n,
      diffservMode: "diffserv4",
      atm: "noatm",
      flowMode: "dual-srchost",
      overhead: 0,
      raw: true,
      mpu: 20,
      rtt: 1000,
      target: 50,
      autorate: false,
      nat: true,
      ackFilter: "ack-filter-aggressive",
    },
  );
});

/** A qdisc reply carrying TCA_XSTATS (`payload`) for `kind`. */
function withXstats(kind: string, payload: Uint8Array): MessageView {
  const w = new MessageWriter();
  const start = w.beginMessage(36, 0);
  w.zeros(20);
  w.attrString(1, kind);
  w.attr(4, payload);
  w.endMessage(start);
  return asMessage(w.bytes());
}

function u32s(...values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(b.buffer).setUint32(i * 4, v >>> 0, true));
  return b;
}

Deno.test("tc aqm: extended statistics decode by kind", () => {
  const codel = decodeQdisc(withXstats("codel", u32s(1514, 2, 1, 300, -5, 7, 8, 1, 9))).xstats;
  assertEquals(codel, {
    maxpacket: 1514,
    count: 2,
    lastcount: 1,
    ldelay: 300,
    dropNext: -5,
    dropOverlimit: 7,
    ecnMark: 8,
    dropping: 1,
    ceMark: 9,
  });
  const qd = decodeQdisc(withXstats("fq_codel", u32s(0, 1514, 1, 2, 3, 4, 5, 6, 7, 8))).xstats;
  assertEquals(qd, {
    type: "qdisc",
    qdiscStats: {
      maxpacket: 1514,
      dropOverlimit: 1,
      ecnMark: 2,
      newFlowCount: 3,
      newFlowsLen: 4,
      oldFlowsLen: 5,
      ceMark: 6,
      memoryUsage: 7,
      dropOvermemory: 8,
    },
  });
  const cl = decodeQdisc(withXstats("fq_codel", u32s(1, -100, 20, 3, 2, 0, -7, 0, 0, 0))).xstats;
  assertEquals(cl, {
    type: "class",
    classStats: { deficit: -100, ldelay: 20, count: 3, lastcount: 2, dropping: 0, dropNext: -7 },
  });
  const fqStats = new Uint8Array(112);
  new DataView(fqStats.buffer).setBigUint64(0, 5n, true);
  new DataView(fqStats.buffer).setUint32(64, 12, true);
  const fqX = decodeQdisc(withXstats("fq", fqStats)).xstats as Record<string, unknown>;
  assertEquals([fqX.gcFlows, fqX.flows, fqX.horizonCaps], [5n, 12, 0n]);
  // cake: TCA_CAKE_STATS_MEMORY_USED, and TIN_STATS with two tins.
  const w = new MessageWriter();
  w.attrU32(4, 4096);
  const tins = w.beginAttr(10);
  for (const [i, sent] of [[1, 10], [2, 20]]) {
    const tin = w.beginAttr(i);
    w.attrU32(2, sent);
    w.attrU64(3, BigInt(sent * 100));
    w.endAttr(tin);
  }
  w.endAttr(tins);
  const cake = decodeQdisc(withXstats("cake", w.bytes())).xstats;
  assertEquals(cake, {
    memoryUsed: 4096,
    tinStats: [{ sentPackets: 10, sentBytes64: 1000n }, { sentPackets: 20, sentBytes64: 2000n }],
  });
});

Deno.test("tc aqm: distribution tables read as tc reads them", () => {
  assertEquals(Array.from(parseNetemDistribution("# c\n\n 1 -2 0x10 010 09\n#x 5\n  7 junk 8\n")), [
    1,
    -2,
    16,
    8,
    0,
    9,
    7,
  ]);
  throws(() => parseNetemDistribution("# only a comment\n"), ValidationError);
  throws(() => parseNetemDistribution("40000\n"), ValidationError);
  const normal = loadNetemDistribution("normal");
  assertEquals([normal.length, normal[0]], [4096, -32768]);
  ok(loadNetemDistribution("normal") === normal, "tables are cached");
  throws(() => loadNetemDistribution("../etc/passwd"), /distribution/);
  throws(() => loadNetemDistribution("nosuchtable"), /no distribution table/);
});

Deno.test("tc aqm: bad options are refused, naming the option", () => {
  const q = (o: Omit<NetemOptions, "kind">) => ({ kind: "netem", ...o }) as QdiscOptions;
  const bad: [QdiscOptions, RegExp][] = [
    [{ kind: "netem", dely: "1ms" } as unknown as QdiscOptions, /dely/],
    [q({ jitter: "1ms" }), /jitter/],
    [q({ delay: "1ms", delayCorrelation: "5%" }), /delayCorrelation/],
    [q({ loss: "101%" }), /loss/],
    [q({ loss: 5 }), /loss/],
    [q({ loss: "1%", lossState: { p13: "1%" } }), /lossState/],
    [q({ lossState: {} as never }), /p13/],
    [q({ lossGemodel: { p: "1%", r: "x" } }), /lossGemodel\.r/],
    [q({ lossCorrelation: "1%" }), /lossCorrelation/],
    [q({ lossState: { p13: "1%", p33: "2%" } as never }), /lossState\.p33/],
    [q({ ecn: true }), /ecn/],
    [q({ reorder: "5%" }), /reorder/],
    [q({ delay: "1ms", gap: 3 }), /gap/],
    [q({ distribution: "normal", delay: "1ms" }), /distribution/],
    [q({ distribution: [40000], delay: "1ms", jitter: "1ms" }), /distribution\[0\]/],
    [q({ distribution: [], delay: "1ms", jitter: "1ms" }), /distribution/],
    [q({ delay: "300s" }), /delay/],
    [q({ cellSize: 5 }), /cellSize/],
    [q({ rate: "1mbit", packetOverhead: 2 ** 31 }), /packetOverhead/],
    [q({ rate: "10%" }), /rate/],
    [q({ slot: { min: "5ms", max: "1ms" } }), /slot\.max/],
    [q({ slot: { max: "1ms" } as never }), /slot\.min/],
    [q({ slot: { distribution: "normal", delay: "1ms", jitter: 0 } }), /slot\.jitter/],
    [q({ slot: { min: "1ms", packts: 3 } as never }), /slot\.packts/],
    [q({ limit: -1 }), /limit/],
    [{ kind: "codel", target: "5 parsecs" } as QdiscOptions, /target/],
    [{ kind: "codel", ecn: "yes" } as unknown as QdiscOptions, /ecn/],
    [{ kind: "codel", ceThreshold: 0xffffffff } as QdiscOptions, /ceThreshold/],
    [{ kind: "fq_codel", flows: 0 } as QdiscOptions, /flows/],
    [{ kind: "fq_codel", quantum: 2 ** 21 } as QdiscOptions, /quantum/],
    [{ kind: "fq_codel", ceThresholdSelector: "1/2" } as QdiscOptions, /ceThresholdSelector/],
    [{ kind: "fq_codel", ceThreshold: 1, ceThresholdSelector: "0x100/1" } as QdiscOptions, /ceThresholdSelector/],
    [{ kind: "fq", buckets: 1 } as QdiscOptions, /buckets/],
    [{ kind: "fq", maxrate: "50gbit" } as QdiscOptions, /maxrate/],
    [{ kind: "fq", timerSlack: "5s" } as QdiscOptions, /timerSlack/],
    [{ kind: "cake", rtt: "1ms", preset: "lan" } as QdiscOptions, /preset/],
    [{ kind: "cake", preset: "moon" } as unknown as QdiscOptions, /preset/],
    [{ kind: "cake", overhead: 300 } as QdiscOptions, /overhead/],
    [{ kind: "cake", raw: true, overhead: 4 } as QdiscOptions, /raw/],
    [{ kind: "cake", framing: ["pppoe-ptm", "dialup"] } as unknown as QdiscOptions, /framing\[1\]/],
    [{ kind: "cake", diffserv: "diffserv5" } as unknown as QdiscOptions, /diffserv/],
    [{ kind: "cake", bandwidth: "fast" } as QdiscOptions, /bandwidth/],
    [{ kind: "cake", mpu: 300 } as QdiscOptions, /mpu/],
  ];
  for (const [o, field] of bad) {
    throws(
      () => qdiscRequest("add", 3, { ...o, dev: 3 }),
      (e: Error) => e instanceof ValidationError && field.test(e.message),
      `${JSON.stringify(o)} should be refused naming ${field}`,
    );
  }
});

Deno.test("tc aqm: applyNetem refuses bad settings before it asks the kernel anything", async () => {
  const untouchable = new Proxy({}, {
    get(_, name) {
      throw new Error(`the connection was used (${String(name)})`);
    },
  }) as NetlinkConnection;
  await rejects(
    applyNetem(untouchable, "p0", { jitter: "1ms" }),
    (e) => e instanceof ValidationError && /jitter/.test(e.message),
  );
  await rejects(applyNetem(untouchable, "p0", { lossState: { p13: "200%" } }), /lossState\.p13/);
  await rejects(applyNetem(untouchable, "p0", { parent: "1:" } as never), /parent/);
  await rejects(applyNetem(untouchable, "p0", { rate: "1mbit", sped: 1 } as never), /sped/);
});
