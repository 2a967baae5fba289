/**
 * Golden tests for the scheduling qdiscs and their classes: nlink's request
 * bytes equal iproute2's for the same `tc` command (tests/fixtures/tc_sched.json,
 * captured by tests/fixtures/captures/tc_sched.ts). Also: the decoders read
 * back what the encoders write, and bad options fail before anything is sent,
 * naming the option.
 */
import { deepStrictEqual as assertEquals, ok, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { type ClassOptions, classRequest, decodeClass } from "../../src/tc/class.ts";
import { decodeQdisc, type QdiscOptions, qdiscRequest } from "../../src/tc/qdisc.ts";
import { asMessage, goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("tc_sched");
const { p0 } = data.indexes;

type Op = "add" | "replace" | "change";
// deno-lint-ignore no-explicit-any
type Kind = Record<string, any>;
const q = (op: Op, o: Kind) => () => qdiscRequest(op, p0, { dev: p0, ...o } as QdiscOptions);
const root = (o: Kind) => q("add", { parent: "root", handle: "1:", ...o });
const c = (op: Op, o: Kind) => () =>
  classRequest(op, p0, { dev: p0, parent: "1:", classid: "1:10", ...o } as ClassOptions);

const TAPRIO_BASE = {
  kind: "taprio",
  numTc: 3,
  map: [2, 2, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
  queues: ["1@0", "1@1", { count: 2, offset: 2 }],
};

/** Our request for each fixture, built with the equivalent options. */
const OURS: Record<string, () => Uint8Array> = {
  "prio.default": root({ kind: "prio" }),
  "prio.bands": root({ kind: "prio", bands: 4 }),
  "prio.priomap": root({ kind: "prio", bands: 3, priomap: [0, 1, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1] }),
  "prio.priomap.short": root({ kind: "prio", bands: 5, priomap: [4, 3, 2] }),
  "prio.multiqueue": root({ kind: "prio", bands: 2, priomap: [0, 1, 1, 1, 0, 1, 0, 0], multiqueue: true }),
  "prio.change": q("change", { handle: "1:", kind: "prio", bands: 6 }),
  "prio.replace.child": q("replace", { parent: "2:3", handle: "30:", kind: "prio" }),

  "multiq": root({ kind: "multiq" }),
  "pfifo_fast": q("add", { kind: "pfifo_fast" }),
  "skbprio.default": root({ kind: "skbprio" }),
  "skbprio.limit": root({ kind: "skbprio", limit: 100 }),

  "plug.default": root({ kind: "plug" }),
  "plug.block": root({ kind: "plug", action: "block" }),
  "plug.limit": root({ kind: "plug", limit: "32k" }),
  "plug.release": q("change", { handle: "1:", kind: "plug", action: "release" }),
  "plug.release_indefinite": q("change", { handle: "1:", kind: "plug", action: "release_indefinite" }),
  "plug.change.block": q("change", { handle: "1:", kind: "plug", action: "block" }),

  "hfsc.default": root({ kind: "hfsc" }),
  "hfsc.defcls": root({ kind: "hfsc", default: "10" }),
  "hfsc.defcls.change": q("change", { handle: "1:", kind: "hfsc", default: 0xab }),
  "hfsc.class.sc.m2": c("add", { kind: "hfsc", sc: { m2: "1mbit" } }),
  "hfsc.class.rt.m1": c("add", { kind: "hfsc", rt: { m1: "2mbit", d: "10ms", m2: "1mbit" } }),
  "hfsc.class.ls.ul": c("add", { kind: "hfsc", ls: { m2: "5mbit" }, ul: { m2: "10mbit" } }),
  "hfsc.class.all": c("add", {
    kind: "hfsc",
    ul: { m1: "20mbit", d: "1s", m2: 1250000 },
    ls: { m2: "5mbit" },
    rt: { m1: "250kbit", d: 20000, m2: "100kbit" },
  }),
  "hfsc.class.umax.concave": c("add", { kind: "hfsc", sc: { umax: 1500, dmax: "5ms", rate: "1mbit" } }),
  "hfsc.class.umax.convex": c("add", { kind: "hfsc", rt: { umax: "1500", dmax: "50ms", rate: "1mbit" } }),
  "hfsc.class.dmax": c("add", { kind: "hfsc", ls: { dmax: "10ms", rate: "2mbit" } }),
  "hfsc.class.rate": c("add", { kind: "hfsc", sc: { rate: "100mbit" }, ul: { rate: "1gbit" } }),
  "hfsc.class.d": c("add", { kind: "hfsc", rt: { d: "5ms", m2: "3mbit" } }),
  "hfsc.class.change": c("change", { kind: "hfsc", sc: { m2: "2mbit" } }),
  "hfsc.class.root": () =>
    classRequest("add", p0, { dev: p0, parent: "1:", classid: "1:1", kind: "hfsc", ls: { m2: "100mbit" } }),

  "drr.qdisc": root({ kind: "drr" }),
  "drr.class.default": c("add", { kind: "drr" }),
  "drr.class.quantum": c("add", { kind: "drr", quantum: 1500 }),
  "drr.class.quantum.k": c("change", { kind: "drr", quantum: "10k" }),

  "qfq.qdisc": root({ kind: "qfq" }),
  "qfq.class.default": c("add", { kind: "qfq" }),
  "qfq.class.weight": c("add", { kind: "qfq", weight: 10 }),
  "qfq.class.maxpkt": c("add", { kind: "qfq", maxpkt: 2048 }),
  "qfq.class.both": c("add", { kind: "qfq", maxpkt: 9000, weight: 30 }),

  "ets.bands": root({ kind: "ets", bands: 4 }),
  "ets.strict": root({ kind: "ets", strict: 2 }),
  "ets.quanta": root({ kind: "ets", quanta: [1000, 2000] }),
  "ets.all": root({
    kind: "ets",
    bands: 5,
    strict: 2,
    quanta: [1500, 2500],
    priomap: [0, 1, 2, 3, 4, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0],
  }),
  "ets.priomap.short": root({ kind: "ets", strict: 3, quanta: [1000, 1000], priomap: [0, 0, 1, 1, 2, 2, 3, 3, 4] }),
  "ets.class.quantum": c("change", { kind: "ets", quantum: 3000 }),
  "ets.class.none": c("change", { kind: "ets" }),

  "mqprio.default": root({ kind: "mqprio" }),
  "mqprio.queues": root({ kind: "mqprio", numTc: 2, map: [0, 0, 0, 0, 1, 1, 1, 1], queues: ["2@0", "2@2"], hw: 0 }),
  "mqprio.channel": root({ kind: "mqprio", numTc: 2, map: [0, 1], queues: ["1@0", "1@1"], hw: 1, mode: "channel" }),
  "mqprio.shaper": root({
    kind: "mqprio",
    numTc: 2,
    map: [0, 1],
    queues: ["1@0", "3@1"],
    hw: true,
    mode: "channel",
    shaper: "bw_rlimit",
    minRate: ["1mbit", 250000n],
    maxRate: ["10mbit", "40gbit"],
  }),
  "mqprio.shaper.dcb": root({ kind: "mqprio", numTc: 4, map: [0, 1, 2, 3], hw: 1, mode: "dcb", shaper: "dcb" }),
  "mqprio.max_rate": root({
    kind: "mqprio",
    numTc: 1,
    map: [0],
    queues: ["4@0"],
    shaper: "bw_rlimit",
    maxRate: ["5mbit"],
  }),

  "taprio.basic": q("add", {
    parent: "root",
    handle: "100:",
    ...TAPRIO_BASE,
    baseTime: 1528743495910289987n,
    schedule: ["S 01 300000", { gateMask: 2, interval: 300000 }, { cmd: "S", gateMask: 4, interval: 400000 }],
    clockid: "CLOCK_TAI",
  }),
  "taprio.txtime": q("add", {
    parent: "root",
    handle: "100:",
    ...TAPRIO_BASE,
    baseTime: 0,
    schedule: ["S ff 1000000"],
    flags: ["txtime_assist"],
    txtimeDelay: 500000,
    clockid: "TAI",
  }),
  "taprio.cycle": q("replace", {
    parent: "root",
    handle: "100:",
    ...TAPRIO_BASE,
    schedule: [{ gateMask: 3, interval: 500000 }],
    cycleTime: 1000000,
    cycleTimeExtension: 10000n,
    clockid: "CLOCK_MONOTONIC",
  }),
  "taprio.change": q("change", {
    handle: "100:",
    kind: "taprio",
    baseTime: 200,
    schedule: [{ gateMask: 1, interval: 250000 }, "S 6 750000"],
  }),

  "etf.basic": root({ kind: "etf", clockid: "CLOCK_TAI", delta: 300000 }),
  "etf.noclock": root({ kind: "etf" } as never),
  "taprio.noclock": root({ kind: "taprio" } as never),
  "etf.flags": root({ kind: "etf", clockid: "tai", delta: 200000, offload: true, deadlineMode: true }),
  "etf.skip": q("replace", { parent: "100:1", kind: "etf", clockid: 11, delta: 0x100, skipSockCheck: true }),

  "cbs.default": root({ kind: "cbs" }),
  "cbs.basic": root({ kind: "cbs", idleslope: 20000, sendslope: -980000, hicredit: 30, locredit: -1470 }),
  "cbs.offload": q("replace", {
    parent: "100:2",
    kind: "cbs",
    idleslope: 98688,
    sendslope: -901312,
    hicredit: 153,
    locredit: -1389,
    offload: true,
  }),
};

goldenTests("tc sched", data, OURS);

// ------------------------------------------------------------------ decoding what we encode

const qopts = (name: string) => decodeQdisc(asMessage(OURS[name]())).options;
const copts = (name: string) => decodeClass(asMessage(OURS[name]())).options;

Deno.test("tc sched: qdisc options decode back to what was asked", () => {
  assertEquals(qopts("prio.multiqueue"), {
    bands: 2,
    priomap: [0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
    multiqueue: true,
  });
  assertEquals(qopts("prio.default"), { bands: 3, priomap: [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1] });
  assertEquals(qopts("multiq"), { bands: 0, maxBands: 0 });
  assertEquals(qopts("skbprio.limit"), { limit: 100 });
  assertEquals(qopts("plug.limit"), { action: "limit", limit: 32768 });
  assertEquals(qopts("plug.release"), { action: "release_one", limit: 0 });
  assertEquals(qopts("hfsc.defcls"), { defcls: 0x10 });
  assertEquals(qopts("ets.all"), {
    nbands: 5,
    nstrict: 2,
    quanta: [1500, 2500],
    priomap: [0, 1, 2, 3, 4, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0],
  });
  assertEquals(qopts("mqprio.shaper"), {
    numTc: 2,
    prioTcMap: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    hw: 1,
    count: [1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    offset: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    mode: "channel",
    shaper: "bw_rlimit",
    minRate: [125000n, 250000n, ...new Array(14).fill(0n)],
    maxRate: [1250000n, 5000000000n, ...new Array(14).fill(0n)],
  });
  assertEquals(qopts("mqprio.default"), {
    numTc: 8,
    prioTcMap: [0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 1, 1, 3, 3, 3, 3],
    hw: 1,
    count: new Array(16).fill(0),
    offset: new Array(16).fill(0),
  });
  assertEquals(qopts("taprio.basic"), {
    clockid: "TAI",
    priomap: {
      numTc: 3,
      prioTcMap: [2, 2, 1, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
      hw: 0,
      count: [1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      offset: [0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    },
    baseTime: 1528743495910289987n,
    schedule: [
      { cmd: "S", gateMask: 1, interval: 300000 },
      { cmd: "S", gateMask: 2, interval: 300000 },
      { cmd: "S", gateMask: 4, interval: 400000 },
    ],
  });
  assertEquals(qopts("taprio.txtime"), {
    clockid: "TAI",
    flags: ["txtime_assist"],
    priomap: (qopts("taprio.basic") as { priomap: unknown }).priomap,
    txtimeDelay: 500000,
    schedule: [{ cmd: "S", gateMask: 0xff, interval: 1000000 }],
  });
  assertEquals(qopts("etf.flags"), { parms: { delta: 200000, clockid: "TAI", flags: ["deadline_mode", "offload"] } });
  assertEquals(qopts("cbs.basic"), {
    parms: { offload: 0, hicredit: 30, locredit: -1470, idleslope: 20000, sendslope: -980000 },
  });
});

Deno.test("tc sched: class options decode back to what was asked", () => {
  assertEquals(copts("hfsc.class.all"), {
    rsc: { m1: 31250, d: 20000, m2: 12500 },
    fsc: { m1: 0, d: 0, m2: 625000 },
    usc: { m1: 2500000, d: 1000000, m2: 1250000 },
  });
  assertEquals(copts("hfsc.class.umax.convex"), { rsc: { m1: 0, d: 38000, m2: 125000 } });
  assertEquals(copts("drr.class.quantum.k"), { quantum: 10240 });
  assertEquals(copts("drr.class.default"), {});
  assertEquals(copts("qfq.class.both"), { weight: 30, lmax: 9000 });
  assertEquals(copts("ets.class.quantum"), { quantum: 3000 });
});

Deno.test("tc sched: options newer than iproute2 6.1 (fp, max-sdu, H/R entries) encode and decode", () => {
  const mq = qdiscRequest("add", 3, {
    dev: 3,
    kind: "mqprio",
    numTc: 2,
    map: [0, 1],
    queues: ["1@0", "1@1"],
    fp: ["E", "P"],
  });
  assertEquals((decodeQdisc(asMessage(mq)).options as { tcEntries: unknown }).tcEntries, [
    { index: 0, fp: "E" },
    { index: 1, fp: "P" },
  ]);
  const ta = qdiscRequest("add", 3, {
    dev: 3,
    kind: "taprio",
    clockid: "CLOCK_TAI",
    maxSdu: [1500, 0, 300],
    fp: ["P"],
    schedule: ["H 1 1000", { cmd: "R", gateMask: 2, interval: 2000 }],
  });
  const t = decodeQdisc(asMessage(ta)).options as Record<string, unknown>;
  assertEquals(t.tcEntries, [{ index: 0, maxSdu: 1500, fp: "P" }, { index: 1, maxSdu: 0 }, { index: 2, maxSdu: 300 }]);
  assertEquals(t.schedule, [{ cmd: "H", gateMask: 1, interval: 1000 }, { cmd: "R", gateMask: 2, interval: 2000 }]);
});

Deno.test("tc sched: a kernel-style prio dump (the struct without a compat nest) decodes", () => {
  // What the kernel sends back: TCA_OPTIONS holding struct tc_prio_qopt only.
  const request = OURS["prio.default"]();
  const bytes = request.slice(0, request.length - 4);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, bytes.length, true);
  const opt = 36 + 12; // after tcmsg and TCA_KIND "prio"
  v.setUint16(opt, 24, true);
  assertEquals(decodeQdisc(asMessage(bytes)).options, {
    bands: 3,
    priomap: [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1],
  });
});

// ------------------------------------------------------------------ bad options

function refuses(field: string, build: () => unknown): void {
  throws(build, (e: unknown) => {
    ok(e instanceof ValidationError, `expected a ValidationError, got ${e}`);
    assertEquals(e.field, field);
    return true;
  });
}

const badQ = (o: Kind) => () => qdiscRequest("add", 3, { dev: 3, ...o } as QdiscOptions);
const badC = (o: Kind) => () => classRequest("add", 3, { dev: 3, classid: "1:10", ...o } as ClassOptions);

Deno.test("tc sched: unknown options are refused, naming them", () => {
  refuses("band", badQ({ kind: "prio", band: 3 }));
  refuses("limit", badQ({ kind: "multiq", limit: 3 }));
  refuses("quantum", badQ({ kind: "drr", quantum: 3 }));
  refuses("rate", badC({ kind: "hfsc", rate: "1mbit" }));
  refuses("weight", badC({ kind: "drr", weight: 3 }));
  refuses("delay", badQ({ kind: "taprio", clockid: "TAI", delay: 3 }));
  refuses("rt.m3", badC({ kind: "hfsc", rt: { m2: "1mbit", m3: 1 } }));
  refuses("rt.rate", badC({ kind: "hfsc", rt: { m2: "1mbit", rate: 1 } }));
  refuses("schedule[0].mask", badQ({ kind: "taprio", clockid: "TAI", schedule: [{ mask: 1, interval: 1 }] }));
});

Deno.test("tc sched: out-of-range values are refused, naming the option", () => {
  refuses("bands", badQ({ kind: "prio", bands: 1 }));
  refuses("bands", badQ({ kind: "prio", bands: 17 }));
  refuses("priomap[1]", badQ({ kind: "prio", bands: 3, priomap: [0, 3] }));
  refuses("priomap", badQ({ kind: "prio", priomap: new Array(17).fill(0) }));
  refuses("limit", badQ({ kind: "skbprio", limit: -1 }));
  refuses("action", badQ({ kind: "plug", action: "unplug" }));
  refuses("default", badQ({ kind: "hfsc", default: 0x10000 }));
  refuses("default", badQ({ kind: "hfsc", default: "xyz" }));
  refuses("sc.m2", badC({ kind: "hfsc", sc: { m2: "40gbit" } }));
  refuses("rt.d", badC({ kind: "hfsc", rt: { d: "1h", m2: "1mbit" } }));
  refuses("rt.umax", badC({ kind: "hfsc", rt: { umax: 5000, dmax: "1s", rate: "10mbit" } }));
  refuses("quantum", badC({ kind: "drr", quantum: 0 }));
  refuses("weight", badC({ kind: "qfq", weight: 0 }));
  refuses("weight", badC({ kind: "qfq", weight: 1025 }));
  refuses("maxpkt", badC({ kind: "qfq", maxpkt: 100 }));
  refuses("quanta[1]", badQ({ kind: "ets", quanta: [1000, 0] }));
  refuses("bands", badQ({ kind: "ets", bands: 17 }));
  refuses("priomap[0]", badQ({ kind: "ets", bands: 2, priomap: [2] }));
  refuses("quantum", badC({ kind: "ets", quantum: 0 }));
  refuses("numTc", badQ({ kind: "mqprio", numTc: 17 }));
  refuses("map[0]", badQ({ kind: "mqprio", numTc: 2, map: [2] }));
  refuses("queues[0]", badQ({ kind: "mqprio", numTc: 2, map: [0], queues: ["2-0"] }));
  refuses("minRate[0]", badQ({ kind: "mqprio", shaper: "bw_rlimit", minRate: ["fast"] }));
  refuses("mode", badQ({ kind: "mqprio", mode: "turbo" }));
  refuses("fp[0]", badQ({ kind: "mqprio", fp: ["X"] }));
  refuses("clockid", badQ({ kind: "taprio", clockid: "CLOCK_WALL" }));
  refuses("schedule[0]", badQ({ kind: "taprio", clockid: "TAI", schedule: ["X 1 100"] }));
  refuses(
    "schedule[0].cmd",
    badQ({ kind: "taprio", clockid: "TAI", schedule: [{ cmd: "Q", gateMask: 1, interval: 1 }] }),
  );
  refuses("baseTime", badQ({ kind: "taprio", clockid: "TAI", baseTime: 1.5 }));
  refuses("flags", badQ({ kind: "taprio", clockid: "TAI", flags: ["fast"] }));
  refuses("delta", badQ({ kind: "etf", clockid: "TAI", delta: -1 }));
  refuses("offload", badQ({ kind: "etf", clockid: "TAI", offload: "yes" }));
  refuses("idleslope", badQ({ kind: "cbs", idleslope: 2 ** 31 }));
});

Deno.test("tc sched: impossible combinations are refused", () => {
  refuses("priomap", badQ({ kind: "prio", bands: 2 })); // the default priomap uses band 2
  refuses("priomap", badQ({ kind: "prio", bands: 2, priomap: [0, 1] })); // … and so does priority 2
  refuses("limit", badQ({ kind: "plug", action: "block", limit: 100 }));
  refuses("sc", badC({ kind: "hfsc", sc: { m2: "1mbit" }, rt: { m2: "1mbit" } }));
  refuses("ul", badC({ kind: "hfsc", rt: { m2: "1mbit" }, ul: { m2: "2mbit" } }));
  refuses("rt.dmax", badC({ kind: "hfsc", rt: { umax: 1500, rate: "1mbit" } }));
  refuses("sc", badC({ kind: "hfsc", sc: { m1: 0, m2: 0 } }));
  refuses("bands", badQ({ kind: "ets", bands: 2, strict: 2, quanta: [100] }));
  refuses("map", badQ({ kind: "mqprio", numTc: 4 })); // the default map uses classes up to 7
  refuses("queues", badQ({ kind: "mqprio", numTc: 1, map: [0], queues: ["1@0", "1@1"] }));
  refuses("mode", badQ({ kind: "mqprio", hw: 0, mode: "channel" }));
  refuses("maxRate", badQ({ kind: "mqprio", maxRate: ["1mbit"] }));
  refuses("map", badQ({ kind: "taprio", clockid: "TAI", map: [0] }));
});

Deno.test("tc sched: missing required options are refused", () => {
  refuses("rt", badC({ kind: "hfsc" }));
  refuses("ls.m2", badC({ kind: "hfsc", ls: { m1: "1mbit" } }));
  refuses("bands", badQ({ kind: "ets" }));
  // A change may leave taprio's clock as it is (and without one a new taprio or etf is the kernel's to refuse:
  // "etf.noclock" and "taprio.noclock" send them as tc does).
  qdiscRequest("change", 3, { dev: 3, kind: "taprio", schedule: ["S 1 1000"] });
});
