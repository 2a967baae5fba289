/**
 * Golden tests for the fair-queueing and early-drop qdiscs (pie, fq_pie, hhf,
 * sfq, red, gred, choke, sfb): nlink's request bytes equal iproute2's for the
 * same `tc qdisc` command (tests/fixtures/tc_fair.json, captured by
 * tests/fixtures/captures/tc_fair.ts) — for the RED family that includes the
 * Wlog, Plog, Scell_log and 256-byte idle-damping table tc computes. Also:
 * decoding what we encode gives the values back, extended statistics decode
 * typed, and bad options are refused before anything is sent.
 */
import { deepStrictEqual as assertEquals, ok, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { decodeQdisc, qdiscData, type QdiscOptions, qdiscRequest } from "../../src/tc/qdisc.ts";
import type { FairQdiscOptions } from "../../src/tc/qdiscs/fair.ts";
import { redIdleDamping, redMaxP, redPlog, redWlog } from "../../src/tc/qdiscs/red.ts";
import { asMessage, goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("tc_fair");
const { p0 } = data.indexes;

type Op = "add" | "replace" | "change";
/** A qdisc of this group on p0, maybe with a handle. */
type Opts = FairQdiscOptions & { handle?: string };
const q = (op: Op, o: Opts) => () => qdiscRequest(op, p0, { dev: p0, ...o } as QdiscOptions);

/** Our request for each fixture, built with the equivalent options. */
const OURS: Record<string, () => Uint8Array> = {
  "pie.default": q("add", { kind: "pie" }),
  "pie.all": q("add", {
    kind: "pie",
    handle: "1:",
    limit: 500,
    target: "20ms",
    tupdate: "30ms",
    alpha: 2,
    beta: 20,
    ecn: true,
    bytemode: true,
    dqRateEstimator: true,
  }),
  "pie.off": q("replace", { kind: "pie", ecn: false, bytemode: false, dqRateEstimator: false }),
  "pie.change": q("change", { kind: "pie", limit: 2000, target: 5000 }),

  "fq_pie.default": q("add", { kind: "fq_pie" }),
  "fq_pie.all": q("add", {
    kind: "fq_pie",
    limit: 10240,
    flows: 1024,
    target: "15ms",
    tupdate: "15ms",
    alpha: 2,
    beta: 20,
    quantum: 1514,
    memoryLimit: "32mb",
    ecnProb: 10,
    ecn: true,
    bytemode: true,
    dqRateEstimator: true,
  }),
  "fq_pie.off": q("replace", { kind: "fq_pie", ecn: false, bytemode: false, dqRateEstimator: false }),

  "hhf.default": q("add", { kind: "hhf" }),
  "hhf.all": q("add", {
    kind: "hhf",
    limit: 1000,
    quantum: 1514,
    hhLimit: 2048,
    resetTimeout: "40ms",
    admitBytes: 131072,
    evictTimeout: "1s",
    nonHhWeight: 2,
  }),
  "hhf.change": q("change", { kind: "hhf", nonHhWeight: 4 }),

  "sfq.default": q("add", { kind: "sfq" }),
  "sfq.perturb": q("add", { kind: "sfq", perturb: 10 }),
  "sfq.all": q("add", {
    kind: "sfq",
    handle: "10:",
    limit: 100,
    perturb: 10,
    quantum: 1514,
    divisor: 1024,
    flows: 127,
    depth: 64,
    headdrop: true,
  }),
  "sfq.red": q("add", {
    kind: "sfq",
    limit: 3000,
    depth: 64,
    headdrop: true,
    redflowlimit: 100000,
    min: 8000,
    max: 60000,
    probability: 0.2,
    ecn: true,
    harddrop: true,
  }),
  "sfq.red.defaults": q("add", { kind: "sfq", redflowlimit: 40000 }),
  "sfq.red.burst": q("add", { kind: "sfq", redflowlimit: 100000, avpkt: 1400, burst: 20 }),
  "sfq.quantum.size": q("replace", { kind: "sfq", quantum: "1.5k" }),

  "red.defaults": q("add", { kind: "red", limit: 400000, avpkt: 1000 }),
  "red.all": q("add", {
    kind: "red",
    handle: "1:",
    limit: 400000,
    min: 30000,
    max: 90000,
    avpkt: 1000,
    burst: 55,
    probability: 0.02,
    bandwidth: "100mbit",
    ecn: true,
    adaptive: true,
    harddrop: true,
    nodrop: true,
  }),
  "red.min": q("add", { kind: "red", limit: 1000000, min: 50000, avpkt: 1500, bandwidth: "1gbit" }),
  "red.max": q("add", { kind: "red", limit: 600000, max: 100000, avpkt: 1000, bandwidth: "10gbit" }),
  "red.slow": q("add", {
    kind: "red",
    limit: "100k",
    min: "10k",
    max: "30k",
    avpkt: "1k",
    bandwidth: "64kbit",
    probability: 0.5,
  }),
  "red.tiny": q("add", {
    kind: "red",
    limit: 10000000,
    min: 15000,
    max: 900000,
    avpkt: 9000,
    burst: 2,
    probability: 0.001,
    bandwidth: "3mbit",
  }),
  "red.one": q("add", { kind: "red", limit: 60000, avpkt: 1000, probability: 1, adaptive: true }),
  "red.qevent": q("add", {
    kind: "red",
    limit: 400000,
    avpkt: 1000,
    ecn: true,
    earlyDropBlock: 10,
    markBlock: 20,
  }),
  "red.change": q("change", { kind: "red", limit: 200000, min: 20000, max: 60000, avpkt: 1000 }),

  "choke.min": q("add", { kind: "choke", limit: 1000, bandwidth: "10mbit" }),
  "choke.all": q("add", {
    kind: "choke",
    limit: 1000,
    bandwidth: "100mbit",
    min: 100,
    max: 300,
    burst: 150,
    avpkt: 1500,
    probability: 0.1,
    ecn: true,
  }),
  "choke.fast": q("add", { kind: "choke", limit: 5000, bandwidth: "10gbit", avpkt: 64 }),

  "gred.setup": q("add", { kind: "gred", handle: "1:", vqs: 4, default: 0 }),
  "gred.setup.change": q("change", { kind: "gred", vqs: 4, default: 1 }),
  "gred.setup.all": q("add", {
    kind: "gred",
    vqs: 8,
    default: 3,
    grio: true,
    limit: "100k",
    ecn: true,
    harddrop: true,
  }),
  "gred.vq": q("change", {
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
    harddrop: true,
  }),
  "gred.vq.defaults": q("change", { kind: "gred", vq: 0, limit: "60k", min: "15k", max: "45k", avpkt: 1500 }),

  "sfb.default": q("add", { kind: "sfb" }),
  "sfb.all": q("add", {
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
  }),
  "sfb.target": q("add", { kind: "sfb", target: 20 }),
  "sfb.max": q("replace", { kind: "sfb", max: 30, increment: 1, decrement: 0 }),
};

goldenTests("tc fair qdisc", data, OURS);

/** `bytes` with one more attribute appended (a dump's TCA_XSTATS, …), lengths fixed. */
function withAttr(bytes: Uint8Array, type: number, payload: Uint8Array): Uint8Array {
  const len = 4 + payload.length;
  const out = new Uint8Array(bytes.length + ((len + 3) & ~3));
  out.set(bytes);
  const v = new DataView(out.buffer);
  v.setUint16(bytes.length, len, true);
  v.setUint16(bytes.length + 2, type, true);
  out.set(payload, bytes.length + 4);
  v.setUint32(0, out.length, true);
  return out;
}

function u32s(...values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 4);
  values.forEach((x, i) => new DataView(b.buffer).setUint32(i * 4, x, true));
  return b;
}

const decode = (o: Opts, op: Op = "add") => decodeQdisc(asMessage(q(op, o)()));

Deno.test("tc_red math: the EWMA, probability and idle-damping steps", () => {
  assertEquals(redPlog(30000, 90000, 0.02), 22);
  assertEquals(redPlog(5, 5, 0.02), 0); // an empty range
  assertEquals(redPlog(9, 5, 0.02), -1); // max below min
  assertEquals(redPlog(0, 2 ** 31, 0.5), -1); // a range C's int sees as negative
  assertEquals(redPlog(0, 2 ** 30, 1e-12), -1); // no Plog below 32
  assertEquals(redWlog(30000, 55, 1000), 5);
  assertEquals(redWlog(30000, 2, 1000), -1); // burst below 1 + min/avpkt
  assertEquals(redMaxP(0.02), 85899345);
  assertEquals(redMaxP(1), 0); // 2^32 wraps, as in tc
  // At 10gbit an average packet takes 0 ticks: the slope is infinite and every cell
  // but the last converts to 0 (the x86-64 "integer indefinite"), as tc's bytes show.
  const fast = redIdleDamping(7, 1000, 1250000000)!;
  assertEquals(fast.scellLog, 0);
  assertEquals([...fast.stab].filter((x) => x !== 0), [31]);
  const slow = redIdleDamping(5, 1000, 1250000)!;
  assertEquals(slow.stab[0], 0);
  assertEquals(slow.stab[255], 31);
  ok(slow.stab.every((x, i) => i === 0 || x >= slow.stab[i - 1]));
});

Deno.test("decoders read back the requests: pie, fq_pie, hhf", () => {
  const pie = decode({ kind: "pie", limit: 500, target: "20ms", tupdate: 30000, alpha: 2, beta: 20, ecn: true });
  assertEquals(pie.kind, "pie");
  assertEquals(qdiscData(pie, "pie"), { limit: 500, tupdate: 30000, target: 20000, alpha: 2, beta: 20, ecn: true });
  const fq = decode({ kind: "fq_pie", flows: 64, quantum: "1.5k", memoryLimit: "1mb", ecnProb: 50, bytemode: false });
  assertEquals(qdiscData(fq, "fq_pie"), {
    flows: 64,
    quantum: 1536,
    memoryLimit: 1048576,
    ecnProb: 50,
    bytemode: false,
  });
  const hhf = decode({ kind: "hhf", limit: 10, hhLimit: 20, resetTimeout: "1ms", admitBytes: "1k", nonHhWeight: 3 });
  assertEquals(qdiscData(hhf, "hhf"), {
    backlogLimit: 10,
    hhFlowsLimit: 20,
    resetTimeout: 1000,
    admitBytes: 1024,
    nonHhWeight: 3,
  });
});

Deno.test("decoders read back the requests: sfq (classic and RED), sfb", () => {
  const sfq = qdiscData(decode({ kind: "sfq", limit: 100, perturb: 10, depth: 64, headdrop: true }), "sfq")!;
  assertEquals(sfq.v0, { quantum: 0, perturbPeriod: 10, limit: 100, divisor: 0, flows: 0 });
  assertEquals([sfq.depth, sfq.headdrop, sfq.limit, sfq.flags], [64, 1, 0, []]);
  const red = qdiscData(decode({ kind: "sfq", redflowlimit: 100000, min: 8000, max: 60000, ecn: true }), "sfq")!;
  assertEquals([red.limit, red.qthMin, red.qthMax, red.flags, red.maxP], [100000, 8000, 60000, ["ecn"], 85899345]);
  ok(red.wlog! > 0 && red.plog! > 0);
  assertEquals(decode({ kind: "sfq" }).options, undefined); // tc sends no options then
  const sfb = qdiscData(decode({ kind: "sfb", target: 20, increment: 0.5 }), "sfb")!;
  assertEquals(sfb.parms, {
    rehashInterval: 600000,
    warmupTime: 60000,
    max: 25,
    binSize: 20,
    increment: 32768,
    decrement: 3,
    limit: 0,
    penaltyRate: 10,
    penaltyBurst: 20,
  });
});

Deno.test("decoders read back the requests: red, choke", () => {
  const red = qdiscData(
    decode({ kind: "red", limit: 400000, min: 30000, max: 90000, avpkt: 1000, burst: 55, ecn: true, markBlock: 7 }),
    "red",
  )!;
  assertEquals(red.parms, {
    limit: 400000,
    qthMin: 30000,
    qthMax: 90000,
    wlog: 5,
    plog: 22,
    scellLog: red.parms!.scellLog,
    flags: [],
  });
  assertEquals(red.flags, { value: ["ecn"], selector: ["ecn", "harddrop", "adaptive", "nodrop"] });
  assertEquals([red.maxP, red.markBlock, red.earlyDropBlock, red.stab?.length], [85899345, 7, undefined, 256]);
  const choke = qdiscData(decode({ kind: "choke", limit: 1000, bandwidth: "10mbit", ecn: true }), "choke")!;
  assertEquals([choke.parms?.limit, choke.parms?.qthMin, choke.parms?.qthMax, choke.parms?.flags], [
    1000,
    83,
    250,
    ["ecn"],
  ]);
});

Deno.test("decoders read back the requests: gred setup and VQ; a dump's 16 slots", () => {
  const setup = qdiscData(decode({ kind: "gred", vqs: 4, default: 1, grio: true, limit: 1000, ecn: true }), "gred")!;
  assertEquals(setup, { dps: { vqs: 4, default: 1, grio: 1, flags: ["ecn"] }, limit: 1000 });
  const vq = qdiscData(
    decode({ kind: "gred", vq: 2, prio: 3, limit: "60k", min: "15k", max: "45k", avpkt: 1500, harddrop: true }),
    "gred",
  )!;
  assertEquals(vq.parms?.length, 1);
  assertEquals([vq.parms![0].vq, vq.parms![0].prio, vq.parms![0].qthMin], [2, 3, 15360]);
  assertEquals(vq.maxP, [85899345]);
  assertEquals(vq.vqList, [{ vq: 2, flags: ["harddrop"] }]);
  // A dump: TCA_GRED_PARMS holds all 16 slots, unused ones numbered 16 and up.
  const slot = (dp: number) => {
    const b = new Uint8Array(52); // sizeof(struct tc_gred_qopt)
    new DataView(b.buffer).setUint32(12, dp, true);
    return b;
  };
  const parms = new Uint8Array(52 * 16);
  for (let i = 0; i < 16; i++) parms.set(slot(i === 0 || i === 5 ? i : 16 + i), i * 52);
  const nest = new Uint8Array(4 + parms.length);
  new DataView(nest.buffer).setUint16(0, nest.length, true);
  new DataView(nest.buffer).setUint16(2, 1, true); // TCA_GRED_PARMS
  nest.set(parms, 4);
  // Append them to TCA_OPTIONS (the request's last attribute), growing it and the message.
  const base = q("add", { kind: "gred", vqs: 6, default: 0 })();
  const out = new Uint8Array(base.length + nest.length);
  out.set(base);
  out.set(nest, base.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, out.length, true);
  const optionsAt = 36 + 12; // nlmsghdr, tcmsg, TCA_KIND "gred"
  v.setUint16(optionsAt, v.getUint16(optionsAt, true) + nest.length, true);
  const dumped = qdiscData(decodeQdisc(asMessage(out)), "gred")!;
  assertEquals(dumped.parms?.map((p) => p.vq), [0, 5]);
});

Deno.test("extended statistics decode typed", () => {
  const xstats = (o: Opts, payload: Uint8Array) => decodeQdisc(asMessage(withAttr(q("add", o)(), 4, payload))).xstats;
  const pie = new Uint8Array(40);
  const pv = new DataView(pie.buffer);
  pv.setBigUint64(0, 1n << 63n, true);
  pv.setUint32(8, 1500, true);
  pv.setUint32(36, 9, true);
  assertEquals(xstats({ kind: "pie" }, pie), {
    prob: 1n << 63n,
    delay: 1500,
    avgDqRate: 0,
    dqRateEstimating: 0,
    packetsIn: 0,
    dropped: 0,
    overlimit: 0,
    maxq: 0,
    ecnMark: 9,
  });
  assertEquals(xstats({ kind: "fq_pie" }, u32s(1, 2, 3, 4, 5, 6, 7, 8, 9)), {
    packetsIn: 1,
    dropped: 2,
    overlimit: 3,
    overmemory: 4,
    ecnMark: 5,
    newFlowCount: 6,
    newFlowsLen: 7,
    oldFlowsLen: 8,
    memoryUsage: 9,
  });
  assertEquals(xstats({ kind: "hhf" }, u32s(1, 2, 3, 4)), {
    dropOverlimit: 1,
    hhOverlimit: 2,
    hhTotCount: 3,
    hhCurCount: 4,
  });
  assertEquals(xstats({ kind: "sfq" }, u32s(0xfffffa24)), { allot: -1500 });
  assertEquals(xstats({ kind: "red", limit: 400000, avpkt: 1000 }, u32s(1, 2, 3, 4)), {
    early: 1,
    pdrop: 2,
    other: 3,
    marked: 4,
  });
  assertEquals(xstats({ kind: "choke", limit: 100, bandwidth: 125000 }, u32s(1, 2, 3, 4, 5)), {
    early: 1,
    pdrop: 2,
    other: 3,
    marked: 4,
    matched: 5,
  });
  assertEquals(xstats({ kind: "sfb" }, u32s(1, 2, 3, 4, 5, 6, 7, 8, 9)), {
    earlydrop: 1,
    penaltydrop: 2,
    bucketdrop: 3,
    queuedrop: 4,
    childdrop: 5,
    marked: 6,
    maxqlen: 7,
    maxprob: 8,
    avgprob: 9,
  });
});

/** Asserts that building the request throws a ValidationError naming `field`. */
function refuses(o: Record<string, unknown>, field: string): void {
  throws(() => qdiscRequest("add", p0, { dev: p0, ...o } as unknown as QdiscOptions), (e: unknown) => {
    ok(e instanceof ValidationError, String(e));
    assertEquals(e.field, field);
    return true;
  });
}

Deno.test("bad options are refused before anything is sent", () => {
  // Unknown option names.
  refuses({ kind: "pie", limt: 10 }, "limt");
  refuses({ kind: "sfb", rate: 10 }, "rate");
  // Out of range.
  refuses({ kind: "pie", alpha: 33 }, "alpha");
  refuses({ kind: "fq_pie", ecnProb: 100 }, "ecnProb");
  refuses({ kind: "hhf", resetTimeout: "1 fortnight" }, "resetTimeout");
  refuses({ kind: "sfq", limit: 1 }, "limit");
  refuses({ kind: "sfq", perturb: -1 }, "perturb");
  refuses({ kind: "red", limit: 400000, avpkt: 1000, probability: 1.5 }, "probability");
  refuses({ kind: "red", limit: 400000, avpkt: 1000, bandwidth: "40gbit" }, "bandwidth");
  refuses({ kind: "red", limit: 400000, avpkt: 1000, earlyDropBlock: 0 }, "earlyDropBlock");
  refuses({ kind: "gred", vqs: 17, default: 0 }, "vqs");
  refuses({ kind: "gred", vqs: 4, default: 4 }, "default");
  refuses({ kind: "gred", vq: 16, limit: 1, min: 1, max: 2, avpkt: 1 }, "vq");
  refuses({ kind: "gred", vq: 1, limit: 1000, min: 100, max: 300, avpkt: 100, prio: 256 }, "prio");
  refuses({ kind: "sfb", increment: 2 }, "increment");
  // Missing required options.
  refuses({ kind: "red", avpkt: 1000 }, "limit");
  refuses({ kind: "red", limit: 1000 }, "avpkt");
  refuses({ kind: "choke", limit: 1000 }, "bandwidth");
  refuses({ kind: "choke", bandwidth: "10mbit" }, "limit");
  refuses({ kind: "sfq", min: 1000 }, "redflowlimit");
  refuses({ kind: "gred", vqs: 4 }, "default");
  refuses({ kind: "gred", vq: 1, limit: 1000, max: 300, avpkt: 100 }, "min");
  refuses({ kind: "gred" }, "vqs");
  // Impossible combinations, and what tc's RED arithmetic cannot solve.
  refuses({ kind: "gred", vqs: 4, default: 0, avpkt: 1000 }, "avpkt");
  refuses({ kind: "gred", vq: 1, grio: true, limit: 1000, min: 100, max: 300, avpkt: 100 }, "grio");
  refuses({ kind: "choke", limit: 100, max: 200, bandwidth: "1mbit" }, "max");
  refuses({ kind: "choke", limit: 100, min: 30, max: 20, bandwidth: "1mbit" }, "min");
  refuses({ kind: "sfq", redflowlimit: 1000, max: 2000 }, "max");
  refuses({ kind: "red", limit: 400000, min: 90000, max: 30000, avpkt: 1000 }, "max");
  refuses({ kind: "red", limit: 10000000, min: 20000, max: 900000, avpkt: 9000, burst: 2 }, "burst");
  refuses({ kind: "red", limit: 10000000, min: 15000, max: 9000000, avpkt: 9000, probability: 1e-4 }, "probability");
});
