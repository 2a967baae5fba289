/**
 * Golden tests for the filters bpf, cgroup, flow and basic: nlink's request
 * bytes equal tc(8)'s for the same command (tests/fixtures/tc_misc.json,
 * captured by tests/fixtures/captures/tc_misc.ts). An eBPF bpf filter (by
 * program fd) cannot be captured without a loaded object: its bytes are
 * built by hand in iproute2's order. Also: decoding gives back what was
 * encoded, and bad options are refused before anything is sent, naming the
 * option.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import type { ActionOptions } from "../../src/tc/action.ts";
import { decodeFilter, type FilterOptions, filterRequest } from "../../src/tc/filter.ts";
import { asMessage, goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("tc_misc");
const { p0, p1 } = data.indexes;

const redirect: ActionOptions = { kind: "mirred", direction: "egress", action: "redirect", dev: p1 };
const ACCEPT = "1,6 0 0 4294967295";
const IPV4 = "4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0";
const ALL_KEYS = [
  ...["src", "dst", "proto", "proto-src", "proto-dst", "iif", "priority", "mark", "nfct", "nfct-src", "nfct-dst"],
  ...["nfct-proto-src", "nfct-proto-dst", "rt-classid", "sk-uid", "sk-gid", "vlan-tag", "rxhash"],
];

/** `tc filter add dev p0 parent 1: prio 1 …`. */
const add = (o: Record<string, unknown>) => () =>
  filterRequest("add", p0, { dev: p0, parent: "1:", prio: 1, ...o } as unknown as FilterOptions);
/** `tc filter add dev p0 ingress prio 1 …`. */
const ingress = (o: Record<string, unknown>) => add({ parent: "ingress", ...o });

const OURS: Record<string, () => Uint8Array> = {
  "bpf.bytecode": add({ kind: "bpf", bytecode: IPV4 }),
  "bpf.bytecode.classid": add({ kind: "bpf", bytecode: ACCEPT, classid: "1:10" }),
  "bpf.flowid.da": ingress({ kind: "bpf", directAction: true, bytecode: ACCEPT, classid: "1:20" }),
  "bpf.police": add({
    kind: "bpf",
    bytecode: ACCEPT,
    police: { rate: "2mbit", burst: "20k", control: "drop", conform: "pipe" },
    classid: "1:10",
  }),
  "bpf.skip_hw.action": ingress({
    protocol: "ip",
    kind: "bpf",
    bytecode: [
      { code: 40, jt: 0, jf: 0, k: 12 },
      { code: 21, jt: 0, jf: 1, k: 2048 },
      { code: 6, jt: 0, jf: 0, k: 262144 },
      { code: 6, jt: 0, jf: 0, k: 0 },
    ],
    skipHw: true,
    actions: [redirect],
  }),
  "bpf.skip_sw.da": ingress({ kind: "bpf", bytecode: ACCEPT, skipSw: true, directAction: true }),
  "bpf.handle": add({ handle: 5, kind: "bpf", bytecode: ACCEPT, classid: "1:5" }),
  "cgroup.default": add({ handle: 1, kind: "cgroup" }),
  "cgroup.action": add({ handle: 2, kind: "cgroup", actions: [redirect] }),
  "cgroup.police": add({
    handle: 3,
    kind: "cgroup",
    police: { rate: "1mbit", burst: "10k", control: "drop" },
    actions: [redirect],
  }),
  "flow.map": add({ handle: 1, kind: "flow", mode: "map", keys: ["mark"], divisor: 16, baseclass: "1:10" }),
  "flow.map.ops": add({
    handle: 2,
    kind: "flow",
    keys: ["priority"],
    and: 0xff,
    or: 0x100,
    xor: 0x3,
    rshift: 2,
    addend: 5,
    divisor: 64,
    baseclass: "1:1",
  }),
  "flow.map.addend.neg": add({ handle: 3, kind: "flow", keys: ["mark"], addend: -5, baseclass: "1:1" }),
  "flow.map.addend.addr": add({ handle: 4, kind: "flow", keys: ["src"], addend: "-10.0.0.0", baseclass: "1:1" }),
  "flow.hash": add({
    handle: 5,
    kind: "flow",
    mode: "hash",
    keys: ["src", "dst", "proto-src", "proto-dst"],
    divisor: 1024,
    baseclass: "1:1",
    perturb: 10,
  }),
  "flow.hash.all": add({ handle: 6, kind: "flow", mode: "hash", keys: ALL_KEYS, divisor: 256 }),
  "flow.hash.action": add({ handle: 7, kind: "flow", mode: "hash", keys: ["dst"], divisor: 4, actions: [redirect] }),
  "flow.police": add({
    handle: 9,
    kind: "flow",
    mode: "hash",
    keys: ["dst"],
    divisor: 4,
    police: { rate: "1mbit", burst: "10k", mtu: "2k", control: "drop" },
    actions: [redirect],
  }),
  "flow.xor": add({ handle: 8, kind: "flow", keys: ["mark"], xor: 0xf0 }),
  "basic.default": add({ kind: "basic" }),
  "basic.classid": add({ handle: 1, kind: "basic", classid: "1:10" }),
  "basic.flowid.action": add({ handle: 2, kind: "basic", classid: "1:20", actions: [redirect] }),
};

goldenTests("tc misc filters", data, OURS);

const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("golden: bpf by eBPF program fd (built by hand in iproute2's order)", () => {
  // tc … bpf obj cls.o sec classifier classid 1:10 da skip_hw: the headers and
  // kind as tc(8) sent them for a classic program; the options as f_bpf.c writes
  // them: classid, then (after the arguments) fd and name, the generic flags, the bpf flags.
  const head = data.fixtures["bpf.bytecode.classid"].hex.slice(0, 88);
  const name = new TextEncoder().encode("cls.o:[classifier]\0"); // 19 bytes, padded to 20
  const opts = "08000300" + "10000100" + // TCA_BPF_CLASSID 1:10
    "08000600" + "07000000" + // TCA_BPF_FD 7
    "17000700" + toHex(name) + "00" + // TCA_BPF_NAME
    "08000900" + "01000000" + // TCA_BPF_FLAGS_GEN skip_hw
    "08000800" + "01000000"; // TCA_BPF_FLAGS act_direct
  const want = fromHex(head + (4 + opts.length / 2).toString(16).padStart(2, "0") + "000200" + opts);
  new DataView(want.buffer).setUint32(0, want.length, true);
  const ours = filterRequest("add", p0, {
    dev: p0,
    parent: "1:",
    prio: 1,
    kind: "bpf",
    fd: 7,
    name: "cls.o:[classifier]",
    classid: "1:10",
    directAction: true,
    skipHw: true,
  });
  ours.fill(0, 8, 16);
  assertEquals(toHex(ours), toHex(want));
});

/** Builds an add request and decodes its options back. */
function roundTrip(o: Record<string, unknown>): unknown {
  return decodeFilter(asMessage(filterRequest("add", 3, { dev: 3, parent: "1:", prio: 1, ...o } as FilterOptions)))
    .options;
}

Deno.test("tc misc: bpf options decode back to what was encoded", () => {
  assertEquals(roundTrip({ kind: "bpf", bytecode: ACCEPT, classid: "1:10", directAction: true, skipSw: true }), {
    classid: "1:10",
    opsLen: 1,
    ops: [{ code: 6, jt: 0, jf: 0, k: 0xffffffff }],
    flagsGen: ["skip_sw"],
    flags: ["act_direct"],
  });
  assertEquals(roundTrip({ kind: "bpf", fd: 9, name: "x.o:[sec]" }), { fd: 9, name: "x.o:[sec]" });
});

Deno.test("tc misc: flow, basic and cgroup options decode back", () => {
  assertEquals(
    roundTrip({
      kind: "flow",
      mode: "hash",
      keys: ["src", "nfct-proto-dst", "rxhash"],
      divisor: 8,
      baseclass: "1:1",
      perturb: 5,
      and: 0xf,
    }),
    {
      keys: ["src", "nfct-proto-dst", "rxhash"],
      divisor: 8,
      baseclass: "1:1",
      perturb: 5,
      mode: "hash",
      mask: 0xf,
      xor: 0,
    },
  );
  assertEquals(roundTrip({ kind: "flow", keys: ["mark"], rshift: 3, addend: -1 }), {
    keys: ["mark"],
    rshift: 3,
    addend: 0xffffffff,
    mode: "map",
  });
  const tree = new Uint8Array([8, 0, 1, 0, 1, 0, 0, 0]);
  assertEquals(roundTrip({ kind: "basic", ematches: tree, classid: "1:10" }), { ematches: tree, classid: "1:10" });
  assertEquals(roundTrip({ kind: "cgroup", ematches: tree }), { ematches: tree });
  assertEquals(roundTrip({ kind: "cgroup" }), {});
});

Deno.test("tc misc: bad options are refused before sending, naming the option", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ kind: "bpf" }, /bytecode/],
    [{ kind: "bpf", bytecode: ACCEPT, fd: 3 }, /fd/],
    [{ kind: "bpf", bytecode: "2,6 0 0 0" }, /bytecode/],
    [{ kind: "bpf", bytecode: [{ code: 6, jt: 256, jf: 0, k: 0 }] }, /bytecode\[0\]\.jt/],
    [{ kind: "bpf", bytecode: ACCEPT, name: "x" }, /name/],
    [{ kind: "bpf", fd: -1 }, /fd/],
    [{ kind: "bpf", bytecode: ACCEPT, skipHw: true, skipSw: true }, /skipSw/],
    [{ kind: "bpf", bytecode: ACCEPT, directAction: "yes" }, /directAction/],
    [{ kind: "bpf", bytecode: ACCEPT, program: "x" }, /program/],
    [{ kind: "flow", mode: "map" }, /keys/],
    [{ kind: "flow", keys: ["src", "dst"] }, /keys/],
    [{ kind: "flow", keys: ["bogus"] }, /keys\[0\]/],
    [{ kind: "flow", mode: "fold", keys: ["src"] }, /mode/],
    [{ kind: "flow", keys: ["mark"], baseclass: "1:0" }, /baseclass/],
    [{ kind: "flow", keys: ["mark"], divisor: 2 ** 32 }, /divisor/],
    [{ kind: "flow", keys: ["mark"], addend: "10.0.0.1" }, /addend/],
    [{ kind: "flow", keys: ["mark"], and: -1 }, /and/],
    [{ kind: "basic", ematches: "meta(priority eq 5)" }, /ematches/],
    [{ kind: "basic", classid: "nope" }, /classid/],
    [{ kind: "cgroup", classid: "1:10" }, /classid/],
  ];
  for (const [o, field] of cases) {
    throws(() => filterRequest("add", 3, { dev: 3, parent: "1:", ...o } as FilterOptions), (e: unknown) => {
      if (!(e instanceof ValidationError)) throw e;
      if (!field.test(e.message)) throw new Error(`${JSON.stringify(o)}: ${e.message} does not match ${field}`);
      return true;
    }, `${JSON.stringify(o)} should be refused`);
  }
});
