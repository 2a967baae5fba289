/**
 * Traffic control against the kernel, the flower filter: a filter with many
 * keys on a clsact ingress hook is added, read back (the kernel's own dump
 * decoded and compared with what was asked, key and mask), replaced, changed
 * and deleted; every other key family (VLAN and QinQ, MPLS label stacks,
 * port ranges, conntrack, tunnel keys with geneve and vxlan options, ICMPv6,
 * ARP, PPPoE, TCP flags) is read back too; a chain carries a flower template
 * that its filters must fit; and a flower filter with a mirred redirect moves
 * matching traffic to another veth. This host's kernel lacks cls_flower: the
 * tests skip here, and the full-kernel VM lane runs them.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type Connection, type Filter, NetlinkError } from "../../mod.ts";
import { filterData } from "../../src/tc/filter.ts";
import type { FlowerData } from "../../src/tc/filters/flower_keys.ts";
import { kernelTest } from "../_lib/netns.ts";
import { mirrorLab, sendUdp, subset, veth } from "../_lib/setup.ts";

/** The flower filter at `prio` on v1's ingress (not the priority's head entry, which has handle 0). */
async function flowerAt(conn: Connection, prio: number, dev = "v1"): Promise<FlowerData | undefined> {
  const filters = await conn.getFilters({ dev, parent: "ingress" });
  const f = filters.find((x: Filter) => x.prio === prio && x.handle !== 0);
  return f === undefined ? undefined : filterData(f, "flower");
}

const FULL_MAC = "ff:ff:ff:ff:ff:ff";
const HOST = "255.255.255.255";
const base = { dev: "v1", parent: "ingress", kind: "flower", skipHw: true } as const;

await kernelTest(
  "tc flower: a filter with many keys is added, read back, replaced, changed and deleted",
  { needs: ["veth", "cls_flower"] },
  async (conn) => {
    await veth(conn);
    await conn.addQdisc({ dev: "v1", kind: "clsact" });
    // flower replaces a filter only with one of the same mask: the same keys, other values.
    const keys = (dstPort: number, ipTtl: number) => ({
      ...base,
      protocol: "ip",
      prio: 1,
      handle: 1,
      indev: "v1",
      dstMac: "02:00:00:00:00:02",
      srcMac: "02:00:00:00:00:07/24",
      ipProto: "udp",
      ipTos: "0x10/0xfc",
      ipTtl,
      dstIp: "10.0.0.0/24",
      srcIp: "10.0.0.1",
      dstPort,
      srcPort: "0x1000/0xf000",
      ipFlags: "nofrag",
    });
    await conn.addFilter({ ...keys(9, 64), classid: "1:10" });
    subset(await flowerAt(conn, 1), {
      classid: "1:10",
      indev: "v1",
      keyEthDst: "02:00:00:00:00:02",
      keyEthDstMask: FULL_MAC,
      // The kernel reports keys as given, host bits and all (it matches them masked).
      keyEthSrc: "02:00:00:00:00:07",
      keyEthSrcMask: "ff:ff:ff:00:00:00",
      keyEthType: "ip",
      keyIpProto: "udp",
      keyIpTos: 0x10,
      keyIpTosMask: 0xfc,
      keyIpTtl: 64,
      keyIpTtlMask: 0xff,
      keyIpv4Dst: "10.0.0.0",
      keyIpv4DstMask: "255.255.255.0",
      keyIpv4Src: "10.0.0.1",
      keyIpv4SrcMask: HOST,
      keyUdpDst: 9,
      keyUdpDstMask: 0xffff,
      keyUdpSrc: 0x1000,
      keyUdpSrcMask: 0xf000,
      keyFlags: [],
      keyFlagsMask: ["frag"],
      flags: ["skip_hw", "not_in_hw"],
      inHwCount: 0,
    }, "flower as added");
    await rejects(conn.addFilter(keys(9, 64)), (e) => e instanceof NetlinkError && e.isExists());

    await conn.replaceFilter({ ...keys(10, 32), classid: "1:20" });
    subset(await flowerAt(conn, 1), { classid: "1:20", keyUdpDst: 10, keyIpTtl: 32 }, "flower as replaced");
    await rejects(
      conn.replaceFilter({ ...base, protocol: "ip", prio: 1, handle: 1, ipProto: "tcp" }),
      (e) => e instanceof NetlinkError,
      "a replacement with another mask is refused",
    );

    await conn.changeFilter(keys(11, 32));
    const changed = (await flowerAt(conn, 1))!;
    subset(changed, { keyUdpDst: 11, keyIpTtl: 32, keyIpv4Dst: "10.0.0.0" }, "flower as changed");
    equal(changed.classid, undefined, "a change sends the whole filter: no classid now");

    await conn.deleteFilter({ dev: "v1", parent: "ingress", prio: 1, handle: 1, kind: "flower" });
    equal(await flowerAt(conn, 1), undefined);
  },
);

await kernelTest(
  "tc flower: VLAN, QinQ, MPLS, port ranges, conntrack, tunnel, ICMPv6, ARP, PPPoE and TCP flag keys read back",
  { needs: ["veth", "cls_flower"] },
  async (conn) => {
    await veth(conn);
    await conn.addQdisc({ dev: "v1", kind: "clsact" });
    const labels = "000102030405060708090a0b0c0d0e0f";
    await conn.addFilter({ ...base, prio: 2, protocol: "802.1Q", vlanId: 100, vlanPrio: 3, vlanEthtype: "ip" });
    await conn.addFilter({
      ...base,
      prio: 3,
      protocol: "802.1ad",
      vlanId: 10,
      vlanEthtype: "802.1Q",
      cvlanId: 20,
      cvlanPrio: 5,
      cvlanEthtype: "ipv6",
    });
    await conn.addFilter({
      ...base,
      prio: 4,
      protocol: "mpls_uc",
      mpls: [{ depth: 1, label: 100, tc: 2, bos: 0, ttl: 64 }, { depth: 2, label: 200, bos: 1 }],
    });
    await conn.addFilter({
      ...base,
      prio: 5,
      protocol: "ip",
      ipProto: "sctp",
      srcPort: "1000-2000",
      dstPort: { min: 80, max: 90 },
    });
    await conn.addFilter({
      ...base,
      prio: 6,
      protocol: "ip",
      ctState: { trk: true, est: true },
      ctZone: 5,
      ctMark: "0x10/0xff",
      ctLabel: `${labels}/${"f".repeat(32)}`,
    });
    await conn.addFilter({
      ...base,
      prio: 7,
      encDstIp: "192.0.2.1",
      encSrcIp: "192.0.2.0/24",
      encKeyId: 42,
      encTos: 0x10,
      encTtl: 64,
      geneveOpts: [{ class: 0x102, type: 0x80, data: "00880022" }],
      encDstPort: 6081,
    });
    await conn.addFilter({
      ...base,
      prio: 8,
      protocol: "ipv6",
      ipProto: "icmpv6",
      icmpType: 128,
      icmpCode: 0,
      encDstIp: "2001:db8::1",
      encKeyId: 7,
      vxlanOpts: { gbp: 0x800, mask: 0xffff },
    });
    await conn.addFilter({
      ...base,
      prio: 9,
      protocol: "arp",
      arpTip: "10.0.0.0/24",
      arpSip: "10.0.0.1",
      arpOp: "request",
      arpSha: "02:00:00:00:00:01/ff:ff:ff:ff:ff:00",
      arpTha: "02:00:00:00:00:02",
    });
    await conn.addFilter({ ...base, prio: 10, protocol: "ppp_ses", pppoeSid: 1234, pppProto: "ip", ipProto: "udp" });
    await conn.addFilter({ ...base, prio: 11, protocol: "ip", ipProto: "tcp", tcpFlags: "0x2/0x12" });

    subset(await flowerAt(conn, 2), { keyVlanId: 100, keyVlanPrio: 3, keyVlanEthType: "ip" }, "vlan");
    subset(await flowerAt(conn, 3), {
      keyVlanId: 10,
      keyVlanEthType: "802.1Q",
      keyCvlanId: 20,
      keyCvlanPrio: 5,
      keyCvlanEthType: "ipv6",
    }, "qinq");
    subset(await flowerAt(conn, 4), {
      keyMplsOpts: { lse: [{ depth: 1, ttl: 64, bos: 0, tc: 2, label: 100 }, { depth: 2, bos: 1, label: 200 }] },
    }, "mpls label stack");
    subset(await flowerAt(conn, 5), {
      keyIpProto: "sctp",
      keyPortSrcMin: 1000,
      keyPortSrcMax: 2000,
      keyPortDstMin: 80,
      keyPortDstMax: 90,
    }, "port ranges");
    subset(await flowerAt(conn, 6), {
      keyCtState: ["est", "trk"],
      keyCtStateMask: ["est", "trk"],
      keyCtZone: 5,
      keyCtZoneMask: 0xffff,
      keyCtMark: 0x10,
      keyCtMarkMask: 0xff,
      keyCtLabels: Uint8Array.from({ length: 16 }, (_, i) => i),
      keyCtLabelsMask: new Uint8Array(16).fill(0xff),
    }, "conntrack");
    subset(await flowerAt(conn, 7), {
      keyEncIpv4Dst: "192.0.2.1",
      keyEncIpv4DstMask: HOST,
      keyEncIpv4Src: "192.0.2.0",
      keyEncIpv4SrcMask: "255.255.255.0",
      keyEncKeyId: 42,
      keyEncIpTos: 0x10,
      keyEncIpTosMask: 0xff,
      keyEncIpTtl: 64,
      keyEncIpTtlMask: 0xff,
      keyEncUdpDstPort: 6081,
      keyEncUdpDstPortMask: 0xffff,
      keyEncOpts: { geneve: [{ class: 0x102, type: 0x80, data: new Uint8Array([0, 0x88, 0, 0x22]) }] },
      keyEncOptsMask: { geneve: [{ class: 0xffff, type: 0xff, data: new Uint8Array(4).fill(0xff) }] },
    }, "tunnel keys, geneve options");
    subset(await flowerAt(conn, 8), {
      keyEthType: "ipv6",
      keyIpProto: "icmpv6",
      keyIcmpv6Type: 128,
      keyIcmpv6TypeMask: 0xff,
      keyIcmpv6Code: 0,
      keyIcmpv6CodeMask: 0xff,
      keyEncIpv6Dst: "2001:db8::1",
      keyEncKeyId: 7,
      keyEncOpts: { vxlan: { gbp: 0x800 } },
      keyEncOptsMask: { vxlan: { gbp: 0xffff } },
    }, "icmpv6, vxlan options");
    subset(await flowerAt(conn, 9), {
      keyEthType: "arp",
      keyArpTip: "10.0.0.0",
      keyArpTipMask: "255.255.255.0",
      keyArpSip: "10.0.0.1",
      keyArpSipMask: HOST,
      keyArpOp: 1,
      keyArpOpMask: 0xff,
      keyArpSha: "02:00:00:00:00:01",
      keyArpShaMask: "ff:ff:ff:ff:ff:00",
      keyArpTha: "02:00:00:00:00:02",
      keyArpThaMask: FULL_MAC,
    }, "arp");
    subset(await flowerAt(conn, 10), { keyPppoeSid: 1234, keyPppProto: "ip", keyIpProto: "udp" }, "pppoe");
    subset(await flowerAt(conn, 11), { keyIpProto: "tcp", keyTcpFlags: 2, keyTcpFlagsMask: 0x12 }, "tcp flags");
  },
);

await kernelTest(
  "tc flower: a chain template is listed, and filters of the chain must fit it",
  { needs: ["veth", "cls_flower"] },
  async (conn) => {
    await veth(conn);
    await conn.addQdisc({ dev: "v1", kind: "clsact" });
    // A chain without a protocol: tc(8) sends ethernet type 0 in the template.
    await conn.addChain({
      dev: "v1",
      parent: "ingress",
      chain: 1,
      template: { kind: "flower", dstMac: "00:00:00:00:00:00/ff:ff:ff:ff:ff:ff" },
    });
    const chain = (await conn.getChains({ dev: "v1", parent: "ingress" })).find((c) => c.chain === 1)!;
    ok(chain, "chain 1 is listed");
    equal(chain.kind, "flower");
    subset(chain.options, { keyEthDst: "00:00:00:00:00:00", keyEthDstMask: FULL_MAC }, "the template");

    await conn.addFilter({ ...base, chain: 1, prio: 1, protocol: "ip", dstMac: "02:00:00:00:00:02" });
    await rejects(
      conn.addFilter({ ...base, chain: 1, prio: 2, protocol: "ip", ipProto: "tcp" }),
      (e) => e instanceof NetlinkError,
      "a filter matching more than the template allows is refused",
    );
    const inChain = (await conn.getFilters({ dev: "v1", parent: "ingress", chain: 1 })).filter((f) => f.handle !== 0);
    deepStrictEqual(inChain.map((f) => [f.chain, f.kind, filterData(f, "flower")?.keyEthDst]), [
      [1, "flower", "02:00:00:00:00:02"],
    ]);

    await conn.deleteChain({ dev: "v1", parent: "ingress", chain: 1 });
    equal((await conn.getChains({ dev: "v1", parent: "ingress" })).find((c) => c.chain === 1), undefined);
  },
);

await kernelTest(
  "tc flower: a mirred redirect moves matching traffic to another veth, and the counters move",
  { needs: ["veth", "cls_flower", "act_mirred"] },
  async (conn, ns) => {
    await mirrorLab(conn, { toPeer: true });
    await conn.addQdisc({ dev: "v1", kind: "clsact" });
    const udp = { ...base, protocol: "ip", ipProto: "udp", dstIp: "10.0.0.2" } as const;
    // Port 7 matches nothing sent; port 9 (where sendUdp sends) is redirected to w0.
    await conn.addFilter({
      ...udp,
      prio: 1,
      dstPort: 7,
      actions: [{ kind: "mirred", direction: "egress", action: "mirror", dev: "w0" }],
    });
    await conn.addFilter({
      ...udp,
      prio: 2,
      dstPort: 9,
      actions: [{ kind: "mirred", direction: "egress", action: "redirect", dev: "w0" }],
    });
    const rx = async () => (await conn.getLink("w1")).stats64?.rxPackets ?? 0n;
    const before = await rx();
    await sendUdp(ns, "10.0.0.2", 10, 100);
    ok((await rx()) - before >= 10n, "w1 received the redirected datagrams");

    const miss = (await flowerAt(conn, 1))!;
    const hit = (await flowerAt(conn, 2))!;
    equal(miss.act![0].stats!.packets, 0n, "the port-7 filter matched nothing");
    const [act] = hit.act!;
    const parms = (act.options as { parms: { eaction: string; ifindex: number } }).parms;
    deepStrictEqual([act.kind, parms.eaction, parms.ifindex], [
      "mirred",
      "egress redirect",
      (await conn.getLink("w0")).index,
    ]);
    ok(act.stats!.packets >= 10n, `the redirect counted ${act.stats!.packets}`);
  },
);
