/**
 * Golden tests for the core traffic-control objects: nlink's request bytes
 * equal tc(8)'s for the same command (tests/fixtures/tc_core.json, captured
 * by tests/fixtures/captures/tc_core.ts): fifo, ingress, clsact, htb and tbf
 * qdiscs, kinds sent by their names alone (noqueue, mq, unknown kinds), htb classes, estimators, size tables, blocks, deletes, dumps,
 * chains, filter selectors and action look-ups. Also: decoding gives back
 * what was encoded, handles parse and print as tc(8)'s, and bad options are
 * refused before anything is sent.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { actionLookupRequest } from "../../src/tc/action.ts";
import { chainDumpRequest, chainRequest } from "../../src/tc/chain.ts";
import { checkClass, classDumpRequest, classRequest, decodeClass, deleteClassRequest } from "../../src/tc/class.ts";
import { verdictName, verdictValue } from "../../src/tc/constants.ts";
import { filterDumpRequest, type FilterOptions, filterRequest, filterSelectorRequest } from "../../src/tc/filter.ts";
import { formatHandle, parseClassId, parseParent, parseQdiscHandle } from "../../src/tc/handle.ts";
import {
  checkQdisc,
  decodeQdisc,
  deleteQdiscRequest,
  qdiscDumpRequest,
  type QdiscOptions,
  qdiscRequest,
} from "../../src/tc/qdisc.ts";
import { asMessage, goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("tc_core");
const { p0, p1 } = data.indexes;

const OURS: Record<string, () => Uint8Array> = {
  "pfifo": () => qdiscRequest("add", p1, { dev: p1, kind: "pfifo" }),
  "pfifo.limit": () => qdiscRequest("add", p1, { dev: p1, handle: "2:", kind: "pfifo", limit: 100 }),
  "bfifo.limit": () => qdiscRequest("replace", p1, { dev: p1, kind: "bfifo", limit: "10kb" }),
  "phd.limit": () => qdiscRequest("add", p1, { dev: p1, parent: "1:10", kind: "pfifo_head_drop", limit: 5 }),
  "ingress": () => qdiscRequest("add", p1, { dev: p1, kind: "ingress" }),
  "clsact": () => qdiscRequest("add", p1, { dev: p1, kind: "clsact" }),
  "clsact.blocks": () => qdiscRequest("add", p1, { dev: p1, kind: "clsact", ingressBlock: 7, egressBlock: 8 }),
  "noqueue": () => qdiscRequest("replace", p1, { dev: p1, kind: "noqueue" }),
  "mq": () => qdiscRequest("add", p1, { dev: p1, handle: "1:", kind: "mq" }),
  "qdisc.unknown": () => qdiscRequest("add", p1, { dev: p1, kind: "nosuchqdisc" } as unknown as QdiscOptions),
  "filter.unknown": () =>
    filterRequest("add", p0, {
      dev: p0,
      parent: "1:",
      protocol: "ip",
      prio: 5,
      handle: 0x1f,
      kind: "nosuchcls",
    } as unknown as FilterOptions),
  "htb": () => qdiscRequest("add", p1, { dev: p1, handle: "1:", kind: "htb" }),
  "htb.all": () =>
    qdiscRequest("add", p1, { dev: p1, handle: "1:", kind: "htb", default: "20", r2q: 5, directQlen: 50 }),
  "htb.change": () => qdiscRequest("change", p0, { dev: p0, handle: "1:", kind: "htb", default: 0x30 }),
  "htb.estimator": () =>
    qdiscRequest("add", p1, { dev: p1, kind: "htb", estimator: { interval: "1s", timeConstant: "8s" } }),
  "htb.stab": () => qdiscRequest("add", p1, { dev: p1, kind: "htb", stab: { overhead: 24, linklayer: "atm" } }),
  "tbf": () => qdiscRequest("add", p1, { dev: p1, kind: "tbf", rate: "1mbit", burst: "10k", latency: "50ms" }),
  "tbf.limit": () => qdiscRequest("add", p1, { dev: p1, kind: "tbf", rate: "10gbit", burst: "1m", limit: "2m" }),
  "tbf.peak": () =>
    qdiscRequest("add", p1, {
      dev: p1,
      kind: "tbf",
      rate: "1mbit",
      burst: "10k/8",
      latency: "70ms",
      peakrate: "2mbit",
      mtu: 1600,
      mpu: 64,
      overhead: 4,
      linklayer: "atm",
    }),
  "class.htb": () => classRequest("add", p0, { dev: p0, parent: "1:", classid: "1:10", kind: "htb", rate: "1mbit" }),
  "class.htb.all": () =>
    classRequest("add", p0, {
      dev: p0,
      parent: "1:",
      classid: "1:20",
      kind: "htb",
      rate: "10mbit",
      ceil: "20mbit",
      burst: "15k",
      cburst: "3k/8",
      prio: 2,
      quantum: 1514,
      mtu: 9000,
      mpu: 64,
      overhead: 4,
    }),
  "class.htb.64": () =>
    classRequest("add", p0, { dev: p0, parent: "1:", classid: "1:30", kind: "htb", rate: "50gbit" }),
  "class.htb.change": () =>
    classRequest("change", p0, {
      dev: p0,
      parent: "1:",
      classid: "1:10",
      kind: "htb",
      rate: "2mbit",
      linklayer: "atm",
    }),
  "class.estimator": () =>
    classRequest("add", p0, {
      dev: p0,
      parent: "1:",
      classid: "1:40",
      kind: "htb",
      rate: "1mbit",
      estimator: { interval: "250ms", timeConstant: "2s" },
    }),
  "class.htb.replace": () =>
    classRequest("replace", p0, { dev: p0, parent: "1:", classid: "1:10", kind: "htb", rate: "3mbit" }),
  "class.del": () => deleteClassRequest(p0, { classid: "1:10" }),
  "class.dump": () => classDumpRequest(p0),
  "class.dump.parent": () => classDumpRequest(p0, parseClassId("1:", "parent")),
  "qdisc.del.root": () => deleteQdiscRequest(p0, { dev: p0 }),
  "qdisc.del.handle": () => deleteQdiscRequest(p0, { dev: p0, parent: "1:10", handle: "2:" }),
  "qdisc.del.ingress": () => deleteQdiscRequest(p0, { dev: p0, kind: "ingress" }),
  "qdisc.del.clsact": () => deleteQdiscRequest(p0, { dev: p0, kind: "clsact" }),
  "qdisc.dump": () => qdiscDumpRequest(),
  "qdisc.dump.dev": () => qdiscDumpRequest(p0),
  "qdisc.dump.invisible": () => qdiscDumpRequest(p0, true),
  "filter.dump": () => filterDumpRequest(p0),
  "filter.dump.ingress": () => filterDumpRequest(p0, { parent: "ingress" }),
  "filter.dump.sel": () => filterDumpRequest(p0, { parent: "1:", prio: 3, protocol: "ip", chain: 2 }),
  "filter.del.prio": () => filterSelectorRequest("delete", p0, { parent: "1:", prio: 1 }),
  "filter.del.all": () => filterSelectorRequest("delete", p0, {}),
  "filter.del.egress": () => filterSelectorRequest("delete", p0, { parent: "egress", protocol: "ipv6", prio: 4 }),
  "filter.del.handle": () =>
    filterSelectorRequest("delete", p0, { parent: "1:", prio: 1, protocol: "ip", handle: 0x80000005, kind: "u32" }),
  "filter.get": () =>
    filterSelectorRequest("get", p0, { parent: "1:", prio: 1, protocol: "ip", handle: 0x80000005, kind: "u32" }),
  "chain.add": () => chainRequest("add", p0, { parent: "1:", chain: 3 }),
  "chain.add.block": () => chainRequest("add", 0, { block: 7, chain: 1 }),
  "chain.del": () => chainRequest("delete", p0, { parent: "1:", chain: 3 }),
  "chain.dump": () => chainDumpRequest(p0, {}),
  "action.get": () => actionLookupRequest("get", "mirred", 5),
  "action.del": () => actionLookupRequest("delete", "mirred", 5),
  "action.flush": () => actionLookupRequest("flush", "gact"),
  "action.list": () => actionLookupRequest("dump", "mirred"),
};

goldenTests("tc core", data, OURS);

Deno.test("tc core: qdiscs and classes decode back to what was encoded", () => {
  const htb = decodeQdisc(asMessage(qdiscRequest("add", 3, { dev: 3, handle: "1:", kind: "htb", default: 0x10 })));
  assertEquals({ kind: htb.kind, handle: htb.handle, parent: htb.parent, ifindex: htb.ifindex }, {
    kind: "htb",
    handle: "1:",
    parent: "root",
    ifindex: 3,
  });
  assertEquals(htb.options, { init: { version: 3, rate2quantum: 10, defcls: 0x10, debug: 0, directPkts: 0 } });
  const fifo = decodeQdisc(asMessage(qdiscRequest("add", 3, { dev: 3, kind: "bfifo", limit: "2k" })));
  assertEquals(fifo.options, { limit: 2048 });
  const c = decodeClass(
    asMessage(classRequest("add", 3, { dev: 3, parent: "1:", classid: "1:10", kind: "htb", rate: 125000 })),
  );
  const parms = (c.options as { parms: { rate: { rate: number }; ceil: { rate: number }; prio: number } }).parms;
  assertEquals([c.handle, c.parent, parms.rate.rate, parms.ceil.rate, parms.prio], ["1:10", "1:", 125000, 125000, 0]);
});

Deno.test("tc core: handles parse and print as tc(8)'s", () => {
  assertEquals(parseQdiscHandle("1:", "h"), 0x10000);
  assertEquals(parseQdiscHandle("ffff", "h"), 0xffff0000);
  assertEquals(parseClassId("1:10", "c"), 0x10010);
  assertEquals(parseClassId(":a", "c"), 0xa);
  assertEquals(parseClassId("10", "c"), 0x10);
  assertEquals(parseClassId("root", "c"), 0xffffffff);
  assertEquals(parseParent("egress", "p"), 0xfffffff3);
  assertEquals([0x10010, 0x10000, 0xa, 0xffffffff, 0, 0xfffffff1].map(formatHandle), [
    "1:10",
    "1:",
    ":a",
    "root",
    "none",
    "ffff:fff1",
  ]);
  for (const bad of ["1:2:3", "10000:", "x:", "1:10000", ""]) {
    throws(() => parseClassId(bad, "classid"), ValidationError);
  }
  throws(() => parseQdiscHandle("1:1", "handle"), ValidationError);
});

Deno.test("tc core: verdicts by name, jump and goto chain", () => {
  assertEquals(["pass", "drop", "continue", "pipe", "jump 3", "goto chain 7"].map((v) => verdictValue(v, "c")), [
    0,
    2,
    -1,
    3,
    0x10000003,
    0x20000007,
  ]);
  assertEquals([0, 2, -1, 0x10000003, 0x20000007, 99].map(verdictName), [
    "pass",
    "drop",
    "continue",
    "jump 3",
    "goto chain 7",
    99,
  ]);
  throws(() => verdictValue("explode", "control"), /control/);
});

Deno.test("tc core: bad options are refused, naming the option", () => {
  const bad: [QdiscOptions, RegExp][] = [
    // a kind nlink does not know is sent by its name alone: it takes no options, and its name must fit TCA_KIND
    [{ dev: 3, kind: "nosuch", limit: 5 } as unknown as QdiscOptions, /limit/],
    [{ dev: 3, kind: "" } as unknown as QdiscOptions, /kind/],
    [{ dev: 3, kind: "a_kind_name_of_16" } as unknown as QdiscOptions, /kind/],
    [{ dev: 3, kind: 5 } as unknown as QdiscOptions, /kind/],
    [{ dev: 3, kind: "pfifo", limt: 5 } as unknown as QdiscOptions, /limt/],
    [{ dev: 3, kind: "pfifo", limit: -1 }, /limit/],
    [{ dev: 3, kind: "tbf", rate: "1mbit", burst: "10k" } as QdiscOptions, /limit/],
    [{ dev: 3, kind: "tbf", rate: "1mbit", burst: "10k", latency: "1s", limit: 5 }, /limit/],
    [{ dev: 3, kind: "tbf", rate: "1 mbit", burst: "10k", latency: "1s" }, /rate/],
    [{ dev: 3, kind: "tbf", rate: "1mbit", burst: "10k", latency: "1s", peakrate: "2mbit" }, /mtu/],
    [{ dev: 3, kind: "htb", default: -2 }, /default/],
    [{ dev: 3, kind: "ingress", parent: "1:" }, /parent/],
    [{ dev: 3, kind: "htb", handle: "1:2" }, /handle/],
    [{ dev: 3, kind: "htb", stab: {} }, /stab/],
    [{ dev: 3, kind: "htb", estimator: { interval: "20s", timeConstant: "1s" } }, /interval/],
  ];
  for (const [o, field] of bad) {
    throws(() => qdiscRequest("add", 3, o), (e: Error) => e instanceof ValidationError && field.test(e.message));
  }
  throws(() => classRequest("add", 3, { dev: 3, classid: "1:1", kind: "htb" } as never), /rate/);
  // checked without a connection, a named device and all (as a command is, before its look-ups)
  throws(() => checkQdisc("add", { dev: "p0", kind: "tbf", rate: "1mbit", burst: "10k" } as QdiscOptions), /limit/);
  throws(() => checkClass("add", { dev: "p0", classid: "1:1", kind: "htb" } as never), /rate/);
  checkQdisc("replace", { dev: "p0", kind: "tbf", rate: "10%", burst: "10k", latency: "5ms" });
  throws(() => filterSelectorRequest("delete", 3, { handle: 5 }), /kind/);
  throws(() => chainRequest("add", 3, { chain: -1 }), /chain/);
});
