/**
 * Golden tests for the basic action kinds (gact, mirred, police, vlan, mpls,
 * skbedit, skbmod, nat, csum, sample, simple, connmark, ctinfo, bpf):
 * nlink's `tc actions` requests equal iproute2 6.1's bytes for the same
 * command (tests/fixtures/tc_actions.json, captured by
 * tests/fixtures/captures/tc_actions.ts). Also: decoding what is encoded
 * gives the values back, and bad options are refused naming the field.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { decodeMessage } from "../../src/core/message.ts";
import {
  type Action,
  ACTION_MESSAGE,
  actionLookupRequest,
  type ActionOptions,
  actionRequest,
} from "../../src/tc/action.ts";
import { tcContext } from "../../src/tc/request.ts";
import { goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("tc_actions");
const { p0, p1, br0 } = data.indexes;
const mac = (n: number) => `02:00:00:00:00:${n.toString(16).padStart(2, "0")}`;

// tc copies simple's whole 32-byte room from its argument, so whatever follows
// the string in tc's memory (its next arguments) is captured after the NUL:
// compare with that part zeroed, as nlink sends it.
for (const [name, f] of Object.entries(data.fixtures)) {
  if (!name.startsWith("simple.")) continue;
  const at = f.hex.indexOf("24000300"); // TCA_DEF_DATA: 4 + 32 bytes
  if (at < 0) continue;
  const body = f.hex.slice(at + 8, at + 8 + 64);
  const nul = body.match(/^(?:..)*?00/)![0].length;
  f.hex = f.hex.slice(0, at + 8) + body.slice(0, nul) + "0".repeat(64 - nul) + f.hex.slice(at + 8 + 64);
}

type Op = "add" | "replace" | "change";
const req = (op: Op, ...list: ActionOptions[]) => () => actionRequest(op, list, tcContext(op));
const add = (...list: ActionOptions[]) => req("add", ...list);

/** Our request for each fixture, built with the equivalent options. */
const OURS: Record<string, () => Uint8Array> = {
  "gact.drop": add({ kind: "gact", control: "drop" }),
  "gact.pass.index": add({ kind: "gact", control: "pass", index: 5 }),
  "gact.continue": add({ kind: "gact", control: "continue" }),
  "gact.reclassify": add({ kind: "gact", control: "reclassify" }),
  "gact.pipe": add({ kind: "gact", control: "pipe" }),
  "gact.trap": add({ kind: "gact", control: "trap" }),
  "gact.goto": add({ kind: "gact", control: "goto chain 3" }),
  "gact.jump": add({ kind: "gact", control: "jump 2" }),
  "gact.bind": add({ kind: "gact", index: 7 }),
  "gact.netrand": add({
    kind: "gact",
    control: "pass",
    random: { type: "netrand", control: "drop", value: 50 },
    index: 7,
  }),
  "gact.determ": add({ kind: "gact", control: "drop", random: { type: "determ", control: "pass", value: 10 } }),
  "gact.determ.goto": add({
    kind: "gact",
    control: "pipe",
    random: { type: "determ", control: "goto chain 4", value: 10000 },
  }),
  "gact.cookie": add({ kind: "gact", control: "drop", cookie: "0102abcd" }),
  "gact.hwstats": add({ kind: "gact", control: "drop", hwStats: "delayed", noPercpu: true }),
  "gact.skip": add({ kind: "gact", control: "drop", skipHw: true }),
  "gact.flags.all": add({
    kind: "gact",
    control: "pass",
    index: 3,
    cookie: new Uint8Array([0xff]),
    hwStats: "disabled",
    noPercpu: true,
    skipSw: true,
  }),
  "gact.replace": req("replace", { kind: "gact", control: "pass", index: 5 }),
  // tc sends `actions change` with the flags of `replace` (NLM_F_CREATE | NLM_F_REPLACE).
  "gact.change": req("replace", { kind: "gact", control: "drop", index: 5 }),
  "gact.multi": add({ kind: "gact", control: "drop", index: 1 }, { kind: "gact", control: "pass", index: 2 }),
  "gact.get": () => actionLookupRequest("get", "gact", 5),
  "gact.del": () => actionLookupRequest("delete", "gact", 5),
  "gact.flush": () => actionLookupRequest("flush", "gact"),
  "gact.list": () => actionLookupRequest("dump", "gact"),

  "mirred.egress.redirect": add({ kind: "mirred", direction: "egress", action: "redirect", dev: p1 }),
  "mirred.egress.mirror": add({ kind: "mirred", direction: "egress", action: "mirror", dev: p1 }),
  "mirred.ingress.redirect": add({ kind: "mirred", direction: "ingress", action: "redirect", dev: p1, index: 5 }),
  "mirred.ingress.mirror.drop": add({
    kind: "mirred",
    direction: "ingress",
    action: "mirror",
    dev: br0,
    control: "drop",
  }),
  "mirred.bind": add({ kind: "mirred", index: 5 }),
  "mirred.get": () => actionLookupRequest("get", "mirred", 5),
  "mirred.del": () => actionLookupRequest("delete", "mirred", 5),
  "mirred.flush": () => actionLookupRequest("flush", "mirred"),
  "mirred.list": () => actionLookupRequest("dump", "mirred"),
  "mirred.replace": req("replace", { kind: "mirred", direction: "egress", action: "mirror", dev: p0, index: 5 }),

  "police.rate": add({ kind: "police", rate: "1mbit", burst: "10k" }),
  "police.rate.drop": add({ kind: "police", rate: "1mbit", burst: "10k", control: "drop", index: 4 }),
  "police.conform": add({ kind: "police", rate: "1mbit", burst: "100k", control: "drop", conform: "pipe" }),
  "police.conform.continue": add({
    kind: "police",
    rate: "1mbit",
    burst: "100k",
    control: "reclassify",
    conform: "continue",
  }),
  "police.conform.pass": add({ kind: "police", rate: "10mbit", burst: "1m", control: "drop", conform: "pass" }),
  "police.goto": add({ kind: "police", rate: "1mbit", burst: "10k", control: "goto chain 5" }),
  "police.peakrate": add({ kind: "police", rate: "1mbit", burst: "10k", peakrate: "2mbit", mtu: "2k" }),
  "police.cells": add({ kind: "police", rate: "1mbit", burst: "10k/8", peakrate: "3mbit", mtu: "1500/16" }),
  "police.overhead": add({
    kind: "police",
    rate: "1mbit",
    burst: "10k",
    mpu: 64,
    overhead: 20,
    linklayer: "atm",
  }),
  "police.mtu": add({ kind: "police", rate: "500kbit", burst: "20k", mtu: 9000 }),
  "police.avrate": add({ kind: "police", avrate: "1mbit", control: "drop" }),
  "police.rate64": add({ kind: "police", rate: "50gbit", burst: "1m" }),
  "police.peakrate64": add({ kind: "police", rate: "40gbit", burst: "1m", peakrate: "50gbit", mtu: "64k" }),
  "police.pkts": add({ kind: "police", pktsRate: 1000, pktsBurst: 100 }),
  "police.pkts.conform": add({ kind: "police", pktsRate: 5000n, pktsBurst: 20, control: "drop", conform: "ok" }),
  "police.mtu.only": add({ kind: "police", mtu: 1500 }),
  "police.bind": add({ kind: "police", index: 5 }),

  "vlan.pop": add({ kind: "vlan", action: "pop" }),
  "vlan.push": add({ kind: "vlan", action: "push", id: 100 }),
  "vlan.push.full": add({
    kind: "vlan",
    action: "push",
    id: 100,
    protocol: "802.1ad",
    priority: 5,
    control: "pass",
    index: 3,
  }),
  "vlan.push.dot1q": add({ kind: "vlan", action: "push", id: 4094, protocol: "802.1Q" }),
  "vlan.modify": add({ kind: "vlan", action: "modify", id: 200, priority: 2 }),
  "vlan.pop_eth": add({ kind: "vlan", action: "pop_eth", control: "drop" }),
  "vlan.push_eth": add({ kind: "vlan", action: "push_eth", dstMac: mac(1), srcMac: mac(2) }),

  "mpls.pop": add({ kind: "mpls", action: "pop", protocol: "ip" }),
  "mpls.pop.ipv6": add({ kind: "mpls", action: "pop", protocol: "ipv6", index: 4 }),
  "mpls.push": add({ kind: "mpls", action: "push", label: 100 }),
  "mpls.push.full": add({
    kind: "mpls",
    action: "push",
    protocol: "mpls_mc",
    label: 100,
    tc: 3,
    ttl: 64,
    bos: 1,
    control: "pass",
  }),
  "mpls.mac_push": add({ kind: "mpls", action: "mac_push", label: 200, ttl: 10 }),
  "mpls.modify": add({ kind: "mpls", action: "modify", label: 300, tc: 1, bos: 0 }),
  "mpls.dec_ttl": add({ kind: "mpls", action: "dec_ttl", control: "goto chain 2" }),

  "skbedit.queue": add({ kind: "skbedit", queueMapping: 3 }),
  "skbedit.priority": add({ kind: "skbedit", priority: "1:10" }),
  "skbedit.mark": add({ kind: "skbedit", mark: 0x10 }),
  "skbedit.mark.mask": add({ kind: "skbedit", mark: 0x10, mask: 0xff }),
  "skbedit.ptype.host": add({ kind: "skbedit", ptype: "host" }),
  "skbedit.ptype.otherhost": add({ kind: "skbedit", ptype: "otherhost" }),
  "skbedit.inherit": add({ kind: "skbedit", inheritDsfield: true }),
  "skbedit.all": add({
    kind: "skbedit",
    queueMapping: 1,
    priority: "1:2",
    mark: 5,
    mask: 0xf,
    ptype: "multicast",
    inheritDsfield: true,
    control: "drop",
    index: 9,
  }),

  "skbmod.dmac": add({ kind: "skbmod", dmac: mac(1) }),
  "skbmod.set.all": add({ kind: "skbmod", dmac: mac(1), smac: mac(2), etype: 0x8100 }),
  "skbmod.swap": add({ kind: "skbmod", swapMac: true }),
  "skbmod.ecn": add({ kind: "skbmod", ecn: true, control: "drop" }),
  "skbmod.index": add({ kind: "skbmod", smac: mac(3), control: "pass", index: 4 }),

  "nat.ingress": add({ kind: "nat", direction: "ingress", old: "10.0.0.1", new: "192.168.1.1" }),
  "nat.egress.prefix": add({ kind: "nat", direction: "egress", old: "10.0.0.0/8", new: "192.168.0.0" }),
  "nat.index": add({
    kind: "nat",
    direction: "egress",
    old: "10.1.2.3/32",
    new: "10.9.9.9",
    control: "drop",
    index: 3,
  }),

  "csum.iph": add({ kind: "csum", update: ["iph"] }),
  "csum.all": add({ kind: "csum", update: ["ip4h", "icmp", "igmp", "tcp", "udp", "udplite", "sctp"] }),
  "csum.tcp.udp": add({ kind: "csum", update: ["tcp", "udp"], control: "pipe", index: 2 }),

  "sample.basic": add({ kind: "sample", rate: 100, group: 5 }),
  "sample.trunc": add({ kind: "sample", rate: 10, group: 1, trunc: 128, control: "drop", index: 2 }),

  "simple.sdata": add({ kind: "simple", sdata: "a simple action: 31 bytes long." }),
  "simple.short": add({ kind: "simple", sdata: "hi", control: "pipe", index: 1 }),
  "simple.index": add({ kind: "simple", sdata: "Incoming ICMP", control: "drop", index: 4 }),
  "simple.bind": add({ kind: "simple", index: 4 }),

  "connmark.basic": add({ kind: "connmark" }),
  "connmark.zone": add({ kind: "connmark", zone: 5, control: "drop", index: 3 }),

  "ctinfo.basic": add({ kind: "ctinfo" }),
  "ctinfo.dscp": add({ kind: "ctinfo", dscpMask: 0xfc000000, dscpStatemask: 0x01000000 }),
  "ctinfo.dscp.mask": add({ kind: "ctinfo", dscpMask: 0xfc }),
  "ctinfo.cpmark": add({ kind: "ctinfo", cpmark: true }),
  "ctinfo.cpmark.mask": add({ kind: "ctinfo", cpmark: 0xffff0000 }),
  "ctinfo.all": add({
    kind: "ctinfo",
    dscpMask: 0xfc000000,
    dscpStatemask: 0x01000000,
    cpmark: 0xff,
    zone: 2,
    control: "pipe",
    index: 3,
  }),

  "bpf.bytecode": add({ kind: "bpf", bytecode: "4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0" }),
  "bpf.bytecode.index": add({
    kind: "bpf",
    bytecode: [{ code: 6, jt: 0, jf: 0, k: 0xffffffff }],
    control: "drop",
    index: 3,
  }),

  "multi.kinds": add(
    { kind: "gact", control: "drop" },
    { kind: "mirred", direction: "egress", action: "mirror", dev: p1 },
    { kind: "police", rate: "1mbit", burst: "10k" },
  ),
};

goldenTests("tc action", data, OURS);

// ---------------------------------------------------------------- decoding what is encoded

/** The actions of a request, decoded as the kernel's replies are (same layout). */
function decodeActions(bytes: Uint8Array): Action[] {
  const b = bytes.slice();
  const msg = {
    bytes: b,
    view: new DataView(b.buffer),
    offset: 0,
    length: b.length,
    type: 48,
    flags: 0,
    seq: 0,
    pid: 0,
  };
  return decodeMessage(ACTION_MESSAGE, msg).actions as Action[];
}

const tm = undefined;
const gen = (action: string, index = 0) => ({ index, capab: 0, action, refcnt: 0, bindcnt: 0 });

const ROUND_TRIPS: [string, ActionOptions, Record<string, unknown>][] = [
  ["gact", { kind: "gact", control: "goto chain 7", random: { type: "netrand", control: "jump 1", value: 9 } }, {
    parms: gen("goto chain 7"),
    prob: { ptype: "netrand", pval: 9, paction: "jump 1" },
  }],
  ["mirred", { kind: "mirred", direction: "ingress", action: "redirect", dev: 7, index: 3 }, {
    parms: { ...gen("stolen", 3), eaction: "ingress redirect", ifindex: 7 },
  }],
  ["vlan", { kind: "vlan", action: "push", id: 10, protocol: "802.1ad", priority: 3 }, {
    parms: { ...gen("pipe"), vAction: "push" },
    pushVlanId: 10,
    pushVlanProtocol: "802.1ad",
    pushVlanPriority: 3,
  }],
  ["vlan push_eth", { kind: "vlan", action: "push_eth", dstMac: mac(5), srcMac: mac(6) }, {
    parms: { ...gen("pipe"), vAction: "push_eth" },
    pushEthDst: mac(5),
    pushEthSrc: mac(6),
  }],
  ["mpls", { kind: "mpls", action: "push", protocol: "mpls_uc", label: 0xfffff, tc: 7, ttl: 255, bos: 1 }, {
    parms: { ...gen("pipe"), mAction: "push" },
    label: 0xfffff,
    proto: "mpls_uc",
    tc: 7,
    ttl: 255,
    bos: 1,
  }],
  ["skbedit", { kind: "skbedit", queueMapping: { from: 2, to: 5 }, priority: "1:3", mark: 1, mask: 3, ptype: "host" }, {
    parms: gen("pipe"),
    queueMapping: 2,
    queueMappingMax: 5,
    priority: 0x10003,
    mark: 1,
    mask: 3,
    ptype: "host",
    flags: 0x40n,
  }],
  ["skbmod", { kind: "skbmod", dmac: mac(1), etype: 0x88b5 }, {
    parms: { ...gen("pipe"), flags: 5n },
    dmac: mac(1),
    etype: 0x88b5,
  }],
  ["nat", { kind: "nat", direction: "egress", old: "10.1.0.0/16", new: "192.0.2.0" }, {
    parms: { ...gen("pass"), oldAddr: "10.1.0.0", newAddr: "192.0.2.0", mask: "255.255.0.0", flags: ["egress"] },
  }],
  ["nat any", { kind: "nat", direction: "ingress", old: "any", new: "192.0.2.1" }, {
    parms: { ...gen("pass"), oldAddr: "0.0.0.0", newAddr: "192.0.2.1", mask: "0.0.0.0", flags: [] },
  }],
  ["csum", { kind: "csum", update: ["ipv4h", "udp", "sctp"] }, {
    parms: { ...gen("pass"), updateFlags: ["iph", "udp", "sctp"] },
  }],
  ["sample", { kind: "sample", rate: 1000, group: 3, trunc: 64 }, {
    parms: gen("pipe"),
    rate: 1000,
    psampleGroup: 3,
    truncSize: 64,
  }],
  ["simple", { kind: "simple", sdata: "x".repeat(31) }, { parms: gen("pipe"), data: "x".repeat(31) }],
  ["connmark", { kind: "connmark", zone: 65535 }, { parms: { ...gen("pipe"), zone: 65535 } }],
  ["ctinfo", { kind: "ctinfo", dscpMask: 0x3f00, cpmark: true, zone: 9 }, {
    parms: gen("pipe"),
    zone: 9,
    dscpMask: 0x3f00,
    cpmarkMask: 0xffffffff,
  }],
  ["bpf fd", { kind: "bpf", fd: 12, name: "prog.o:[action]" }, { fd: 12, name: "prog.o:[action]", parms: gen("pipe") }],
];

for (const [name, options, expected] of ROUND_TRIPS) {
  Deno.test(`tc action ${name}: the request decodes to the options asked for`, () => {
    const [a] = decodeActions(actionRequest("add", [options], tcContext("add")));
    assertEquals(a.kind, options.kind);
    assertEquals(a.options, { ...expected, ...(tm ? { tm } : {}) });
  });
}

Deno.test("tc action police: the request decodes to its rates, tables and verdicts", () => {
  const [a] = decodeActions(
    actionRequest("add", [{
      kind: "police",
      rate: "50gbit",
      burst: "1m",
      peakrate: "60gbit",
      mtu: "64k",
      control: "drop",
      conform: "continue",
      index: 9,
    }], tcContext("add")),
  );
  const o = a.options as Record<string, unknown>;
  const tbf = o.tbf as Record<string, unknown>;
  assertEquals([tbf.index, tbf.action, tbf.mtu], [9, "drop", 65536]);
  assertEquals((tbf.rate as Record<string, unknown>).rate, 0xffffffff);
  assertEquals([o.rate64, o.peakrate64, o.result], [6_250_000_000n, 7_500_000_000n, "continue"]);
  assertEquals([(o.rtab as Uint8Array).length, (o.ptab as Uint8Array).length], [1024, 1024]);
});

Deno.test("tc action police: a packet-rate policer decodes to its rate and bucket", () => {
  const [a] = decodeActions(
    actionRequest("add", [{ kind: "police", pktsRate: 1000, pktsBurst: 100 }], tcContext("add")),
  );
  const o = a.options as Record<string, unknown>;
  assertEquals(o.pktrate64, 1000n);
  assertEquals(typeof o.pktburst64, "bigint");
  assertEquals((o.tbf as Record<string, unknown>).action, "reclassify");
});

Deno.test("tc action bpf: bytecode decodes to its instructions", () => {
  const [a] = decodeActions(
    actionRequest("add", [{ kind: "bpf", bytecode: "2,6 0 0 0,6 0 0 1" }], tcContext("add")),
  );
  assertEquals(a.options, {
    opsLen: 2,
    ops: [{ code: 6, jt: 0, jf: 0, k: 0 }, { code: 6, jt: 0, jf: 0, k: 1 }],
    parms: gen("pipe"),
  });
});

// ---------------------------------------------------------------- bad options

/** Options that must be refused, and the field the error must name. */
const BAD: [string, ActionOptions, string][] = [
  ["an unknown option", { kind: "gact", control: "drop", colour: "red" } as unknown as ActionOptions, "colour"],
  ["a bad verdict", { kind: "gact", control: "explode" as "drop" }, "control"],
  [
    "a random value over 10000",
    { kind: "gact", random: { type: "determ", control: "drop", value: 10001 } },
    "random.value",
  ],
  [
    "a bad random type",
    { kind: "gact", random: { type: "often" as "determ", control: "drop", value: 1 } },
    "random.type",
  ],
  ["mirred without a device", { kind: "mirred", direction: "egress", action: "redirect" } as ActionOptions, "dev"],
  [
    "mirred with a bad direction",
    { kind: "mirred", direction: "up" as "egress", action: "mirror", dev: 2 },
    "direction",
  ],
  ["police without anything to police", { kind: "police" }, "rate"],
  ["police rate without burst", { kind: "police", rate: "1mbit" }, "burst"],
  ["police rate and avrate", { kind: "police", rate: "1mbit", burst: "10k", avrate: "1mbit" }, "avrate"],
  ["police peakrate without mtu", { kind: "police", rate: "1mbit", burst: "10k", peakrate: "2mbit" }, "mtu"],
  ["police peakrate without rate", { kind: "police", avrate: "1mbit", peakrate: "2mbit", mtu: 2000 }, "peakrate"],
  ["police rate and pktsRate", { kind: "police", rate: "1mbit", burst: "1k", pktsRate: 10, pktsBurst: 1 }, "pktsRate"],
  ["police pktsRate without pktsBurst", { kind: "police", pktsRate: 10 }, "pktsBurst"],
  ["police avrate over 32 bits", { kind: "police", avrate: "50gbit" }, "avrate"],
  ["police overhead over 16 bits", { kind: "police", rate: "1mbit", burst: "10k", overhead: 70000 }, "overhead"],
  ["police zero rate", { kind: "police", rate: 0, burst: "10k" }, "rate"],
  [
    "police bad conform verdict",
    { kind: "police", rate: "1mbit", burst: "10k", conform: "maybe" as "pass" },
    "conform",
  ],
  ["vlan push without id", { kind: "vlan", action: "push" }, "id"],
  ["vlan id 4095", { kind: "vlan", action: "push", id: 4095 }, "id"],
  ["vlan priority 8", { kind: "vlan", action: "modify", id: 1, priority: 8 }, "priority"],
  ["vlan pop with id", { kind: "vlan", action: "pop", id: 5 }, "id"],
  ["vlan bad protocol", { kind: "vlan", action: "push", id: 5, protocol: "ip" as "802.1Q" }, "protocol"],
  ["vlan push_eth without src", { kind: "vlan", action: "push_eth", dstMac: mac(1) }, "srcMac"],
  ["vlan push_eth bad mac", { kind: "vlan", action: "push_eth", dstMac: "1.2.3.4", srcMac: mac(1) }, "dstMac"],
  ["mpls pop without protocol", { kind: "mpls", action: "pop" }, "protocol"],
  ["mpls push without label", { kind: "mpls", action: "push" }, "label"],
  ["mpls label over 20 bits", { kind: "mpls", action: "push", label: 0x100000 }, "label"],
  ["mpls ttl 0", { kind: "mpls", action: "modify", ttl: 0 }, "ttl"],
  ["mpls push protocol ip", { kind: "mpls", action: "push", label: 1, protocol: "ip" }, "protocol"],
  ["mpls dec_ttl with label", { kind: "mpls", action: "dec_ttl", label: 1 }, "label"],
  ["skbedit with nothing", { kind: "skbedit" }, "kind"],
  ["skbedit mask without mark", { kind: "skbedit", mask: 0xff }, "mask"],
  ["skbedit queue over 16 bits", { kind: "skbedit", queueMapping: 70000 }, "queueMapping"],
  ["skbedit backwards range", { kind: "skbedit", queueMapping: { from: 5, to: 2 } }, "queueMapping"],
  ["skbedit bad ptype", { kind: "skbedit", ptype: "loopback" as "host" }, "ptype"],
  ["skbedit bad priority", { kind: "skbedit", priority: "1:2:3" }, "priority"],
  ["skbmod with nothing", { kind: "skbmod" }, "kind"],
  ["skbmod bad mac", { kind: "skbmod", dmac: "02:00" }, "dmac"],
  ["skbmod etype 0", { kind: "skbmod", etype: 0 }, "etype"],
  ["skbmod swap with set", { kind: "skbmod", swapMac: true, dmac: mac(1) }, "swapMac"],
  ["nat without direction", { kind: "nat", old: "10.0.0.1", new: "10.0.0.2" } as ActionOptions, "direction"],
  ["nat with an IPv6 prefix", { kind: "nat", direction: "ingress", old: "2001:db8::/32", new: "10.0.0.2" }, "old"],
  ["nat bad prefix length", { kind: "nat", direction: "ingress", old: "10.0.0.0/33", new: "10.0.0.2" }, "old"],
  ["nat bad new address", { kind: "nat", direction: "ingress", old: "10.0.0.0/8", new: "10.0.0.0/8" }, "new"],
  ["csum with nothing", { kind: "csum", update: [] }, "update"],
  ["csum unknown target", { kind: "csum", update: ["esp" as "tcp"] }, "update"],
  ["sample without rate", { kind: "sample", group: 1 }, "rate"],
  ["sample without group", { kind: "sample", rate: 1 }, "group"],
  ["sample rate 0", { kind: "sample", rate: 0, group: 1 }, "rate"],
  ["simple without sdata", { kind: "simple" }, "sdata"],
  ["simple sdata too long", { kind: "simple", sdata: "x".repeat(32) }, "sdata"],
  ["connmark zone over 16 bits", { kind: "connmark", zone: 65536 }, "zone"],
  ["ctinfo dscp mask not 6 bits", { kind: "ctinfo", dscpMask: 0xff }, "dscpMask"],
  ["ctinfo overlapping statemask", { kind: "ctinfo", dscpMask: 0xfc, dscpStatemask: 0x4 }, "dscpStatemask"],
  ["ctinfo statemask alone", { kind: "ctinfo", dscpStatemask: 0x1 }, "dscpStatemask"],
  ["bpf with nothing", { kind: "bpf" }, "bytecode"],
  ["bpf bytecode count wrong", { kind: "bpf", bytecode: "2,6 0 0 0" }, "bytecode"],
  ["bpf bytecode bad instruction", { kind: "bpf", bytecode: "1,6 0 x 0" }, "bytecode[0]"],
  ["bpf jt over 8 bits", { kind: "bpf", bytecode: [{ code: 6, jt: 256, jf: 0, k: 0 }] }, "bytecode[0].jt"],
  ["bpf bytecode and fd", { kind: "bpf", bytecode: "1,6 0 0 0", fd: 3 }, "fd"],
  ["bpf bad fd", { kind: "bpf", fd: -1 }, "fd"],
  ["bpf name without fd", { kind: "bpf", bytecode: "1,6 0 0 0", name: "x" }, "name"],
  ["a bad index", { kind: "gact", control: "drop", index: -1 }, "index"],
  ["a cookie too long", { kind: "gact", control: "drop", cookie: "00".repeat(17) }, "cookie"],
  ["an unknown kind", { kind: "teleport" } as unknown as ActionOptions, "kind"],
];

for (const [what, options, field] of BAD) {
  Deno.test(`tc action: ${what} is refused naming ${field}`, () => {
    throws(
      () => actionRequest("add", [options], tcContext("add")),
      (e: unknown) => e instanceof ValidationError && e.field === `actions[0].${field}`,
    );
  });
}
