/**
 * Golden tests for the flower filter: nlink's request bytes equal tc(8)'s for
 * the same command (tests/fixtures/tc_flower.json, captured by
 * tests/fixtures/captures/tc_flower.ts) — every key family, flags, actions,
 * replace/change and chain templates. Also: decoding gives back what was
 * encoded, and bad options are refused before anything is sent, naming the
 * option.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import type { ActionOptions } from "../../src/tc/action.ts";
import { chainRequest } from "../../src/tc/chain.ts";
import { decodeFilter, filterData, type FilterOptions, filterRequest } from "../../src/tc/filter.ts";
import type { FlowerOptions } from "../../src/tc/filters/flower_group.ts";
import { asMessage, goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("tc_flower");
const { p0, p1 } = data.indexes;

type Flower = Omit<FlowerOptions, "kind"> & {
  parent?: string;
  prio?: number;
  handle?: number | string;
  chain?: number;
};

/** `tc filter add dev p0 ingress … flower …`. */
const flower = (o: Flower, op: "add" | "replace" | "change" = "add") => () =>
  filterRequest(op, p0, { dev: p0, parent: "ingress", kind: "flower", ...o } as FilterOptions);

const redirect: ActionOptions = { kind: "mirred", direction: "egress", action: "redirect", dev: p1 };

const OURS: Record<string, () => Uint8Array> = {
  "flower.bare": flower({}),
  "flower.ip": flower({ protocol: "ip", prio: 1 }),
  "flower.classid.skip_sw": flower({ protocol: "ip", prio: 2, handle: "0x10", classid: "1:10", skipSw: true }),
  "flower.hw_tc": flower({ hwTc: 3, skipSw: true }),
  "flower.l2": flower({
    protocol: "all",
    indev: "p1",
    dstMac: "02:00:00:00:00:01",
    srcMac: { address: "02:00:00:00:00:00", mask: "ff:ff:ff:00:00:00" },
    verbose: true,
    skipHw: true,
  }),
  "flower.mac.bits": flower({ dstMac: "02:00:00:00:00:00/24", srcMac: { address: "02:00:00:00:00:02", mask: 47 } }),
  "flower.vlan": flower({
    protocol: "802.1Q",
    vlanId: 100,
    vlanPrio: 3,
    vlanEthtype: "ip",
    ipProto: "tcp",
    dstIp: "10.0.0.0/8",
  }),
  "flower.qinq": flower({
    protocol: "802.1ad",
    vlanId: 10,
    vlanEthtype: "802.1Q",
    cvlanId: 20,
    cvlanPrio: 5,
    cvlanEthtype: "ipv6",
    ipProto: "udp",
    dstIp: "2001:db8::/32",
    dstPort: 53,
  }),
  "flower.num_of_vlans": flower({ protocol: "ip", numOfVlans: 2, vlanId: 5, cvlanId: 6 }),
  "flower.vlan_ethtype.num": flower({ protocol: "802.1Q", vlanEthtype: 0x88cc }),
  "flower.pppoe": flower({ protocol: "ppp_ses", pppoeSid: 1234, pppProto: "ip", ipProto: "tcp", dstPort: 80 }),
  "flower.pppoe.mpls": flower({ protocol: "ppp_ses", pppProto: "mpls_uc", mplsLabel: 30 }),
  "flower.ipv4": flower({
    protocol: "ip",
    ipProto: "tcp",
    ipTos: { value: 0x10, mask: 0xfc },
    ipTtl: 64,
    dstIp: "10.0.0.0/24",
    srcIp: "192.0.2.1",
    dstPort: 80,
    srcPort: { min: 1024, max: 65535 },
    tcpFlags: "0x2/0x12",
  }),
  "flower.ipv6": flower({
    protocol: "ipv6",
    ipProto: "udp",
    ipTos: "1f",
    ipTtl: "0x40/f0",
    dstIp: "2001:db8::1",
    srcIp: "2001:db8:1::/48",
    dstPort: { value: 4789, mask: 0xff00 },
    srcPort: "5000",
  }),
  "flower.sctp": flower({ protocol: "ip", ipProto: "sctp", dstPort: 9899, srcPort: "100-200" }),
  "flower.ip_proto.hex": flower({ protocol: "ip", ipProto: "2f", tcpFlags: 0x10 }),
  "flower.icmp": flower({ protocol: "ip", ipProto: "icmp", icmpType: 8, icmpCode: 0 }),
  "flower.icmpv6": flower({
    protocol: "ipv6",
    ipProto: "icmpv6",
    icmpType: "128/255",
    icmpCode: { value: 0, mask: 15 },
  }),
  "flower.arp": flower({
    protocol: "arp",
    arpTip: "10.0.0.1",
    arpSip: "10.0.0.0/16",
    arpOp: "request",
    arpTha: "02:00:00:00:00:01",
    arpSha: "02:00:00:00:00:02/ff:ff:ff:ff:ff:00",
  }),
  "flower.rarp": flower({ protocol: "rarp", arpOp: "reply/3" }),
  "flower.mpls.keys": flower({ protocol: "mpls_uc", mplsLabel: 100, mplsTc: 3, mplsBos: 1, mplsTtl: 64 }),
  "flower.mpls.lse": flower({
    protocol: "mpls_mc",
    mpls: [{ depth: 1, label: 100, tc: 2, bos: 0, ttl: 64 }, { depth: 2, label: 200, bos: 1 }],
  }),
  "flower.ct": flower({
    protocol: "ip",
    ctState: "+trk+est-new",
    ctLabel: "0102/ffff",
    ctMark: { value: 0x10, mask: 0xff },
    ctZone: 5,
  }),
  "flower.ct.full": flower({
    protocol: "ip",
    ctState: { trk: false, rel: true, inv: true, rpl: true },
    ctLabel: { value: Uint8Array.from({ length: 16 }, (_, i) => i) },
    ctMark: 7,
    ctZone: "0x10/0xff",
  }),
  "flower.ip_flags": flower({ protocol: "ip", ipFlags: "frag/nofirstfrag" }),
  "flower.ip_flags.first": flower({ protocol: "ipv6", ipFlags: { firstfrag: true }, skipHw: true }),
  "flower.enc.v4": flower({
    encDstIp: "192.0.2.1",
    encSrcIp: "192.0.2.0/24",
    encKeyId: 42,
    encTos: "0x10/0xff",
    encTtl: 64,
    encDstPort: 4789,
  }),
  "flower.enc.v6": flower({ encDstIp: "2001:db8::1", encSrcIp: "2001:db8::/64", encKeyId: 7 }),
  "flower.geneve": flower({
    encKeyId: 10,
    geneveOpts: [
      { class: 0x0102, type: 0x80, data: "00880022" },
      {
        class: 0x0103,
        type: 0x81,
        data: "aabbccdd11223344",
        mask: { class: 0xffff, type: 0xff, data: "ffffffff00000000" },
      },
    ],
    encDstPort: 6081,
  }),
  "flower.geneve.one": flower({ geneveOpts: "ffff:1:01020304" }),
  "flower.vxlan": flower({ encKeyId: 11, vxlanOpts: 0x800, encDstPort: 4789 }),
  "flower.vxlan.mask": flower({ vxlanOpts: { gbp: 1024, mask: 0xffff } }),
  "flower.erspan": flower({ erspanOpts: { ver: 2, dir: 1, hwid: 5 } }),
  "flower.erspan.mask": flower({ erspanOpts: "1:12:0:0/1:0xffff:0:0" }),
  "flower.gtp": flower({ gtpOpts: { pduType: 1, qfi: 8 } }),
  "flower.gtp.mask": flower({ gtpOpts: "1:8/ff:3f" }),
  "flower.action": flower({ protocol: "ip", prio: 1, dstIp: "10.0.0.2", actions: [redirect] }),
  "flower.action.classid": flower({
    protocol: "ip",
    classid: "1:1",
    ipProto: "tcp",
    dstPort: 22,
    actions: [{ kind: "mirred", direction: "ingress", action: "mirror", dev: p1 }, redirect],
  }),
  "flower.chain": flower({ chain: 2, protocol: "ipv6", prio: 3, ipProto: "tcp", skipSw: true }),
  "flower.egress": flower({ parent: "egress", protocol: "ip", srcIp: "10.0.0.1" }),
  "flower.replace": flower({ prio: 1, handle: 1, protocol: "ip", dstIp: "10.0.0.3" }, "replace"),
  "flower.change": flower({ prio: 1, handle: 1, protocol: "ip", dstIp: "10.0.0.4" }, "change"),
  "flower.change.noproto": flower({ prio: 1, handle: 1, dstIp: "10.0.0.5" }, "change"),
  // A chain without a protocol: tc(8) sends ethernet type 0 in the template.
  "chain.template": () =>
    chainRequest("add", p0, {
      dev: p0,
      parent: "ingress",
      chain: 1,
      template: { kind: "flower", dstMac: "00:00:00:00:00:00/ff:ff:ff:ff:ff:ff" },
    }),
  "chain.template.ip": () =>
    chainRequest("add", p0, {
      dev: p0,
      parent: "ingress",
      chain: 2,
      template: { kind: "flower", dstMac: "02:00:00:00:00:00/24", dstIp: "10.0.0.0/8" },
    }),
};

goldenTests("tc flower", data, OURS);

/** Builds an add request on p0's ingress and decodes it back. */
function roundTrip(o: Flower) {
  const f = decodeFilter(asMessage(flower(o)()));
  assertEquals(f.kind, "flower");
  return filterData(f, "flower")!;
}

Deno.test("tc flower: L2, VLAN and IP keys decode back with their masks", () => {
  const d = roundTrip({
    protocol: "802.1Q",
    classid: "1:10",
    indev: "p1",
    vlanId: 100,
    vlanPrio: 3,
    vlanEthtype: "ip",
    dstMac: "02:00:00:00:00:01",
    srcMac: "02:00:00:00:00:00/24",
    ipProto: "tcp",
    ipTos: "0x10/0xfc",
    ipTtl: 64,
    dstIp: "10.0.0.0/24",
    srcIp: "192.0.2.1",
    dstPort: "80/0xfff0",
    srcPort: "1000-2000",
    tcpFlags: "0x2/0x12",
    skipSw: true,
    verbose: true,
  });
  assertEquals(d, {
    classid: "1:10",
    indev: "p1",
    keyVlanId: 100,
    keyVlanPrio: 3,
    keyVlanEthType: "ip",
    keyEthDst: "02:00:00:00:00:01",
    keyEthDstMask: "ff:ff:ff:ff:ff:ff",
    keyEthSrc: "02:00:00:00:00:00",
    keyEthSrcMask: "ff:ff:ff:00:00:00",
    keyIpProto: "tcp",
    keyIpTos: 0x10,
    keyIpTosMask: 0xfc,
    keyIpTtl: 64,
    keyIpTtlMask: 0xff,
    keyIpv4Dst: "10.0.0.0",
    keyIpv4DstMask: "255.255.255.0",
    keyIpv4Src: "192.0.2.1",
    keyIpv4SrcMask: "255.255.255.255",
    keyTcpDst: 80,
    keyTcpDstMask: 0xfff0,
    keyPortSrcMin: 1000,
    keyPortSrcMax: 2000,
    keyTcpFlags: 2,
    keyTcpFlagsMask: 0x12,
    flags: ["skip_sw", "verbose"],
    keyEthType: "802.1Q",
  });
});

Deno.test("tc flower: IPv6, ICMPv6, MPLS stack, conntrack and fragment flags decode back", () => {
  const v6 = roundTrip({
    protocol: "ipv6",
    ipProto: "icmpv6",
    dstIp: "2001:db8::/32",
    icmpType: 128,
    icmpCode: "0/15",
    ctState: "+trk+est-new",
    ctLabel: "0102/ffff",
    ctMark: 0x10,
    ctZone: { value: 5, mask: 0xff },
    ipFlags: "frag/nofirstfrag",
  });
  assertEquals(v6, {
    keyIpProto: "icmpv6",
    keyIpv6Dst: "2001:db8::",
    keyIpv6DstMask: "ffff:ffff::",
    keyIcmpv6Type: 128,
    keyIcmpv6TypeMask: 255,
    keyIcmpv6Code: 0,
    keyIcmpv6CodeMask: 15,
    keyCtState: ["est", "trk"],
    keyCtStateMask: ["new", "est", "trk"],
    keyCtLabels: new Uint8Array([1, 2]),
    keyCtLabelsMask: new Uint8Array([0xff, 0xff]),
    keyCtMark: 0x10,
    keyCtMarkMask: 0xffffffff,
    keyCtZone: 5,
    keyCtZoneMask: 0xff,
    flags: [],
    keyFlags: ["frag"],
    keyFlagsMask: ["frag", "firstfrag"],
    keyEthType: "ipv6",
  });
  const mpls = roundTrip({ protocol: "mpls_uc", mpls: [{ depth: 1, label: 100, tc: 2, bos: 1, ttl: 64 }] });
  assertEquals(mpls.keyMplsOpts, { lse: [{ depth: 1, label: 100, tc: 2, bos: 1, ttl: 64 }] });
  const arp = roundTrip({ protocol: "arp", arpTip: "10.0.0.0/8", arpOp: "reply", arpSha: "02:00:00:00:00:09" });
  assertEquals([arp.keyArpTip, arp.keyArpTipMask, arp.keyArpOp, arp.keyArpOpMask, arp.keyArpSha], [
    "10.0.0.0",
    "255.0.0.0",
    2,
    255,
    "02:00:00:00:00:09",
  ]);
  const pppoe = roundTrip({ protocol: "ppp_ses", pppoeSid: 7, pppProto: "ipv6", ipProto: "udp", dstPort: 53 });
  assertEquals([pppoe.keyPppoeSid, pppoe.keyPppProto, pppoe.keyIpProto, pppoe.keyUdpDst], [7, "ipv6", "udp", 53]);
});

Deno.test("tc flower: tunnel keys and options decode back", () => {
  const d = roundTrip({
    encDstIp: "2001:db8::1",
    encSrcIp: "192.0.2.0/24",
    encKeyId: 42,
    encTos: 0x10,
    encTtl: "64/ff",
    geneveOpts: [{ class: 0x102, type: 0x80, data: "00880022" }],
    encDstPort: 6081,
  });
  assertEquals(d, {
    keyEncIpv6Dst: "2001:db8::1",
    keyEncIpv6DstMask: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    keyEncIpv4Src: "192.0.2.0",
    keyEncIpv4SrcMask: "255.255.255.0",
    keyEncKeyId: 42,
    keyEncIpTos: 0x10,
    keyEncIpTosMask: 0xff,
    keyEncIpTtl: 64,
    keyEncIpTtlMask: 0xff,
    keyEncOpts: { geneve: [{ class: 0x102, type: 0x80, data: new Uint8Array([0, 0x88, 0, 0x22]) }] },
    keyEncOptsMask: { geneve: [{ class: 0xffff, type: 0xff, data: new Uint8Array([255, 255, 255, 255]) }] },
    keyEncUdpDstPort: 6081,
    flags: [],
  });
  assertEquals(roundTrip({ erspanOpts: "2::1:5" }).keyEncOpts, { erspan: { ver: 2, dir: 1, hwid: 5 } });
  assertEquals(roundTrip({ gtpOpts: "1:8/ff:3f" }).keyEncOptsMask, { gtp: { pduType: 0xff, qfi: 0x3f } });
  assertEquals(roundTrip({ vxlanOpts: "0x800" }).keyEncOpts, { vxlan: { gbp: 0x800 } });
});

Deno.test("tc flower: actions decode back inside the filter", () => {
  const d = roundTrip({ protocol: "ip", dstIp: "10.0.0.2", actions: [{ ...redirect, dev: 4 }] });
  assertEquals(d.act?.map((a) => [a.kind, (a.options as { parms: { eaction: string; ifindex: number } }).parms]), [
    ["mirred", {
      index: 0,
      capab: 0,
      action: "stolen",
      refcnt: 0,
      bindcnt: 0,
      eaction: "egress redirect",
      ifindex: 4,
    }],
  ]);
});

Deno.test("tc flower: bad options are refused, naming the option", () => {
  const bad = (o: Record<string, unknown>, field: string) =>
    throws(() => flower(o as Flower)(), (e) => e instanceof ValidationError && e.field === field);
  bad({ dstMask: "02:00:00:00:00:01" }, "dstMask"); // unknown option
  bad({ protocol: "ip", ipProto: "tcp", dstPort: 70000 }, "dstPort");
  bad({ protocol: "ip", dstPort: 80 }, "dstPort"); // a port needs ipProto tcp/udp/sctp
  bad({ ipProto: "tcp" }, "ipProto"); // needs protocol ip or ipv6
  bad({ protocol: "ipv6", ipProto: "icmp" }, "ipProto");
  bad({ protocol: "ip", dstIp: "2001:db8::1" }, "dstIp"); // the other family
  bad({ dstIp: "10.0.0.1" }, "dstIp"); // protocol all: no IP
  bad({ protocol: "ip", vlanId: 5 }, "vlanId"); // no VLAN protocol, no numOfVlans
  bad({ protocol: "802.1Q", vlanId: 4096 }, "vlanId");
  bad({ protocol: "802.1Q", vlanPrio: 8 }, "vlanPrio");
  bad({ protocol: "802.1Q", vlanEthtype: "ip", cvlanId: 3 }, "cvlanId");
  bad({ protocol: "ip", mplsLabel: 3 }, "mplsLabel");
  bad({ protocol: "mpls_uc", mplsLabel: 0x100000 }, "mplsLabel");
  bad({ protocol: "mpls_uc", mpls: [{ depth: 1 }], mplsTc: 1 }, "mplsTc"); // both formats
  bad({ protocol: "mpls_uc", mpls: [{ depth: 0 }] }, "mpls[0].depth");
  bad({ protocol: "ip", ipProto: "tcp", srcPort: "200-100" }, "srcPort");
  bad({ protocol: "ip", ipProto: "tcp", icmpType: 8 }, "icmpType");
  bad({ protocol: "ip", arpOp: "request" }, "arpOp");
  bad({ protocol: "arp", arpOp: 3 }, "arpOp");
  bad({ protocol: "ip", tcpFlags: 0x1000 }, "tcpFlags");
  bad({ dstMac: "02:00:00:00:00" }, "dstMac");
  bad({ dstMac: "02:00:00:00:00:01/49" }, "dstMac.mask");
  bad({ ctState: "+trk+bogus" }, "ctState");
  bad({ ctLabel: "0102/fffff" }, "ctLabel.mask");
  bad({ ipFlags: "frag/later" }, "ipFlags");
  bad({ skipHw: true, skipSw: true }, "skipSw");
  bad({ classid: "1:10", hwTc: 1 }, "hwTc");
  bad({ hwTc: 16 }, "hwTc");
  bad({ indev: "not a name" }, "indev");
  bad({ geneveOpts: "0102:80:001122" }, "geneveOpts[0]"); // data not a multiple of 4 bytes
  bad({ geneveOpts: [{ class: 1, type: 1, data: "00112233", mask: { data: "ff" } }] }, "geneveOpts[0].mask.data");
  bad({ vxlanOpts: 1, gtpOpts: "1:1" }, "gtpOpts"); // one kind of tunnel options
  bad({ erspanOpts: { index: 3 } }, "erspanOpts.ver");
  bad(
    { protocol: "ip", actions: [{ kind: "mirred", direction: "up", action: "redirect", dev: 2 }] },
    "actions[0].direction",
  );
});
