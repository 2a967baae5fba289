/**
 * Golden tests for every link kind: nlink's create request (and its `ip link
 * set … type KIND` and `ip link property` requests) equals iproute2 6.1's
 * bytes for the same command (tests/fixtures/link_kinds.json, captured by
 * tests/fixtures/captures/link_kinds.ts). netkit is newer than iproute2 6.1:
 * its encoding is checked against the kernel's rt-link spec instead.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { decodeMessage } from "../../src/core/message.ts";
import type { AddLinkOptions, SetLinkOptions } from "../../src/route/link.ts";
import { linkAddRequest, linkPropRequest, linkSetRequest } from "../../src/route/link.ts";
import { extractNetkit, FIXTURE_PATH, type NetkitSpec, SPEC_PATH } from "../fixtures/netkit_spec.ts";
import { LINK_MESSAGE } from "../../src/route/link_attrs.ts";
import type { Link } from "../../src/route/link_types.ts";
import type { VethData } from "../../src/route/kinds/pair.ts";
import { goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("link_kinds");
const { p0, p1, br0 } = data.indexes;
/** Names resolved as addLink/setLink resolve them before building. */
const devs = { link: p0, master: br0, dev: p0, primary: p1, activeSlave: p1, slave1: p0, slave2: p1 };

const add = (o: AddLinkOptions) => () => linkAddRequest(o, undefined, undefined, devs);
const set = (index: number, o: SetLinkOptions) => () =>
  linkSetRequest(index, o, undefined, undefined, { "type.backupPort": p1 });

/** Our request for each fixture, built with the equivalent options. */
const OURS: Record<string, () => Uint8Array> = {
  "dummy": add({ kind: "dummy", name: "d0" }),
  "common": add({
    kind: "macvlan",
    name: "m0",
    link: "p0",
    txqlen: 100,
    address: "02:00:00:00:00:11",
    broadcast: "ff:ff:ff:ff:ff:fe",
    mtu: 1400,
    numTxQueues: 2,
    numRxQueues: 3,
    gsoMaxSize: 32000,
    gsoMaxSegs: 100,
    groMaxSize: 32000,
    master: "br0",
    alias: "hello",
    addrgenmode: "none",
    linkNetnsid: 0,
    index: 50,
    up: true,
    mode: "bridge",
  }),
  "ifb": add({ kind: "ifb", name: "ifb0" }),
  "nlmon": add({ kind: "nlmon", name: "nlmon0" }),
  "vcan": add({ kind: "vcan", name: "vcan0" }),
  "team": add({ kind: "team", name: "team0" }),
  "wireguard": add({ kind: "wireguard", name: "wg0" }),
  "virt_wifi": add({ kind: "virt_wifi", name: "vw0", link: "p0" }),
  "veth.netns-pid": add({ kind: "veth", name: "v0", peer: { name: "v1", netns: { pid: 4000000 } } }),
  "bridge.opts": add({
    kind: "bridge",
    name: "br1",
    forwardDelay: 400,
    helloTime: 300,
    maxAge: 2500,
    ageingTime: 30000,
    stpState: 1,
    priority: 100,
    vlanFiltering: true,
    vlanProtocol: "802.1ad",
    groupFwdMask: 8,
    groupAddress: "01:80:c2:00:00:03",
    noLinklocalLearn: true,
    vlanDefaultPvid: 10,
    mcastSnooping: false,
    mcastVlanSnooping: true,
    mcastLastMemberInterval: 200n,
    nfCallIptables: true,
  }),
  "bridge.set": set(br0, { type: { kind: "bridge", stpState: 0, vlanFiltering: 1, fdbFlush: true } }),
  "bridge_slave.set": set(p0, {
    type: {
      kind: "bridge_slave",
      state: 3,
      priority: 3,
      cost: 5,
      hairpin: true,
      learning: false,
      flood: false,
      mcastRouter: 2,
      isolated: true,
      backupPort: "p1",
    },
  }),
  "bond": add({ kind: "bond", name: "bond1", mode: "802.3ad", miimon: 100 }),
  "bond.opts": add({
    kind: "bond",
    name: "bond2",
    mode: "active-backup",
    activeSlave: "p1",
    miimon: 100,
    updelay: 200,
    downdelay: 200,
    peerNotifyDelay: 100,
    useCarrier: true,
    arpInterval: 0,
    arpIpTarget: ["10.0.0.2", "10.0.0.3"],
    nsIp6Target: ["2001:db8::2"],
    arpValidate: "all",
    arpAllTargets: "any",
    arpMissedMax: 3,
    primary: "p1",
    primaryReselect: "better",
    failOverMac: "active",
    xmitHashPolicy: "layer3+4",
    resendIgmp: 2,
    numGratArp: 3,
    allSlavesActive: true,
    minLinks: 1,
    lpInterval: 2,
    packetsPerSlave: 4,
    lacpRate: "fast",
    lacpActive: true,
    adSelect: "bandwidth",
    adUserPortKey: 5,
    adActorSysPrio: 100,
    adActorSystem: "02:00:00:00:00:22",
    tlbDynamicLb: true,
  }),
  "bond.set": set(p1, { type: { kind: "bond", miimon: 200, clearActiveSlave: true } }),
  "bond_slave.set": set(p1, { type: { kind: "bond_slave", queueId: 2, prio: 5 } }),
  "vlan": add({ kind: "vlan", name: "p0.100", link: "p0", id: 100 }),
  "vlan.qinq": add({ kind: "vlan", name: "p0.200", link: "p0", id: 200, protocol: "802.1ad" }),
  "vlan.qos": add({
    kind: "vlan",
    name: "p0.300",
    link: "p0",
    id: 300,
    ingressQos: [{ from: 1, to: 2 }, { from: 3, to: 4 }],
    egressQos: [{ from: 2, to: 5 }],
    reorderHdr: false,
    gvrp: true,
    looseBinding: true,
  }),
  "vlan.set": set(p0, { type: { kind: "vlan", egressQos: [{ from: 1, to: 3 }], bridgeBinding: true } }),
  "vxlan": add({ kind: "vxlan", name: "vx0", id: 42, dstport: 4789 }),
  "vxlan.group": add({
    kind: "vxlan",
    name: "vx1",
    dev: "p0",
    ttl: 10,
    id: 43,
    local: "10.0.0.1",
    group: "239.1.1.1",
    dstport: 4789,
    learning: false,
  }),
  "vxlan.opts6": add({
    kind: "vxlan",
    name: "vx2",
    ttl: "inherit",
    tos: "inherit",
    df: "set",
    flowlabel: 5,
    ageing: 300,
    maxaddress: 100,
    srcport: { low: 1000, high: 2000 },
    proxy: true,
    rsc: true,
    l2miss: true,
    l3miss: true,
    udpcsum: true,
    udp6zerocsumtx: true,
    udp6zerocsumrx: true,
    remcsumtx: true,
    remcsumrx: true,
    gbp: true,
    id: 44,
    local: "2001:db8::1",
    remote: "2001:db8::2",
    dstport: 4790,
  }),
  "vxlan.external": add({ kind: "vxlan", name: "vx3", external: true, vnifilter: true }),
  "vxlan.set": set(p0, { type: { kind: "vxlan", ttl: 20, proxy: false } }),
  "veth.set.bare": set(p0, { type: { kind: "veth" } as never }),
  "vrf.set": set(p0, { type: { kind: "vrf", table: 5 } as never }),
  "geneve": add({ kind: "geneve", name: "gn0", id: 7, remote: "10.0.0.2" }),
  "geneve.opts": add({
    kind: "geneve",
    name: "gn1",
    ttl: "inherit",
    df: "set",
    id: 8,
    remote: "2001:db8::2",
    flowlabel: 5,
    tos: 16,
    dstport: 6082,
    udpcsum: true,
    udp6zerocsumtx: true,
    udp6zerocsumrx: true,
    innerprotoinherit: true,
  }),
  "geneve.external": add({ kind: "geneve", name: "gn2", external: true }),
  "bareudp": add({
    kind: "bareudp",
    name: "bu0",
    dstport: 6635,
    ethertype: "mpls_uc",
    srcportmin: 1000,
    multiproto: true,
  }),
  "macvlan": add({ kind: "macvlan", name: "mv0", link: "p0", mode: "bridge" }),
  "macvlan.source": add({
    kind: "macvlan",
    name: "mv1",
    link: "p0",
    macaddr: { op: "set", addresses: ["02:00:00:00:00:31", "02:00:00:00:00:32"] },
    bcqueuelen: 100,
    mode: "source",
    nodst: true,
  }),
  "macvlan.passthru": add({ kind: "macvlan", name: "mv2", link: "p0", mode: "passthru", nopromisc: true }),
  "macvlan.set": set(p0, { type: { kind: "macvlan", macaddr: { op: "add", address: "02:00:00:00:00:33" } } }),
  "macvtap": add({ kind: "macvtap", name: "mvt0", link: "p0", mode: "vepa" }),
  "ipvlan": add({ kind: "ipvlan", name: "ipv0", link: "p0", mode: "l2", flag: "private" }),
  "ipvtap": add({ kind: "ipvtap", name: "ipt0", link: "p0", mode: "l3s" }),
  "vrf": add({ kind: "vrf", name: "vrf0", table: 10 }),
  "gre": add({ kind: "gre", name: "gre1", local: "10.0.0.1", remote: "10.0.0.2", key: 5, ttl: 64 }),
  "gre.opts": add({
    kind: "gre",
    name: "gre2",
    ikey: 1,
    okey: 2,
    iseq: true,
    ocsum: true,
    pmtudisc: false,
    tos: 16,
    dev: "p0",
    encap: "fou",
    encapSport: "auto",
    encapDport: 5555,
    encapCsum: true,
    remote: "10.0.0.2",
    ignoreDf: true,
    fwmark: 7,
  }),
  "gre.multicast": add({ kind: "gre", name: "gre3", local: "10.0.0.1", remote: "239.1.2.3" }),
  "gre.external": add({ kind: "gre", name: "gre4", external: true }),
  "gretap": add({ kind: "gretap", name: "gt0", local: "10.0.0.1", remote: "10.0.0.2", key: "0.0.0.9" }),
  "ip6gre": add({ kind: "ip6gre", name: "g6", local: "2001:db8::1", remote: "2001:db8::2", ttl: 32, key: 3 }),
  "ip6gre.opts": add({
    kind: "ip6gre",
    name: "g7",
    remote: "2001:db8::2",
    tclass: 16,
    flowlabel: 0x12345,
    encaplimit: "none",
    fwmark: "inherit",
    allowLocalremote: true,
    dscpInherit: true,
    encapUdp6Csum: false,
  }),
  "ip6gretap": add({ kind: "ip6gretap", name: "g6t", local: "2001:db8::1", remote: "2001:db8::2" }),
  "ipip": add({ kind: "ipip", name: "ipip1", local: "10.0.0.1", remote: "10.0.0.2", ttl: 64 }),
  "ipip.opts": add({
    kind: "ipip",
    name: "ipip2",
    mode: "mplsip",
    remote: "10.0.0.3",
    dev: "p0",
    tos: 16,
    fwmark: 9,
    encap: "gue",
    encapDport: 6000,
  }),
  "sit": add({ kind: "sit", name: "sit1", mode: "ip6ip", local: "10.0.0.1", remote: "10.0.0.2", ttl: 64 }),
  "sit.6rd": add({
    kind: "sit",
    name: "sit2",
    local: "10.0.0.1",
    isatap: true,
    ip6rdPrefix: "2001:db8::/32",
    ip6rdRelayPrefix: "10.0.0.0/8",
  }),
  "ip6tnl": add({
    kind: "ip6tnl",
    name: "t6",
    mode: "ip6ip6",
    local: "2001:db8::1",
    remote: "2001:db8::2",
    ttl: 40,
    encaplimit: 2,
    tclass: 0x20,
    flowlabel: "inherit",
    fwmark: 3,
  }),
  "ip6tnl.ipip6": add({ kind: "ip6tnl", name: "t7", mode: "ipip6", remote: "2001:db8::2" }),
  "ip6tnl.external": add({ kind: "ip6tnl", name: "t8", external: true }),
  "vti": add({ kind: "vti", name: "vti1", local: "10.0.0.1", remote: "10.0.0.2", key: 7 }),
  "vti.opts": add({ kind: "vti", name: "vti2", ikey: 1, okey: 2, remote: "10.0.0.2", dev: "p0", fwmark: 3 }),
  "vti6": add({ kind: "vti6", name: "vti6a", local: "2001:db8::1", remote: "2001:db8::2", key: 8 }),
  "xfrm": add({ kind: "xfrm", name: "ipsec0", dev: "p0", ifId: 7 }),
  "xfrm.external": add({ kind: "xfrm", name: "ipsec1", external: true }),
  "macsec": add({ kind: "macsec", name: "ms0", link: "p0", port: 11, encrypt: true }),
  "macsec.opts": add({
    kind: "macsec",
    name: "ms1",
    link: "p0",
    sci: 0x0200000000000001n,
    encrypt: true,
    sendSci: true,
    protect: true,
    validate: "strict",
    offload: "off",
    cipher: "gcm-aes-256",
    icvlen: 16,
    replay: true,
    window: 32,
    encodingsa: 1,
  }),
  "macsec.set": set(p0, { type: { kind: "macsec", encrypt: false } }),
  "hsr": add({ kind: "hsr", name: "hsr0", slave1: "p0", slave2: "p1", supervision: 45, version: 1 }),
  "hsr.prp": add({ kind: "hsr", name: "prp0", slave1: "p0", slave2: "p1", proto: "prp" }),
  "hsr.one": add({ kind: "hsr", name: "hsr1", slave1: "p0" } as AddLinkOptions),
  "vxlan.bare": add({ kind: "vxlan", name: "vx9" }),
  "geneve.bare": add({ kind: "geneve", name: "gn9" }),
  "bareudp.bare": add({ kind: "bareudp", name: "bu9" } as AddLinkOptions),
  "vrf.bare": add({ kind: "vrf", name: "vrf9" } as AddLinkOptions),
  "xfrm.bare": add({ kind: "xfrm", name: "ipsec9" }),
  "hsr.bare": add({ kind: "hsr", name: "hsr9" } as AddLinkOptions),
  "set.netns-pid": set(p1, { netns: { pid: 4000000 }, newIndex: 50 }),
  "set.misc": set(p0, {
    dynamic: true,
    carrier: false,
    linkmode: "dormant",
    operstate: "UP",
    numTxQueues: 2,
    numRxQueues: 2,
    addrgenmode: "random",
    linkNetnsid: 3,
    protoDown: true,
    protoDownReason: { reason: 2, on: true },
    gsoMaxSize: 32000,
    gsoMaxSegs: 64,
    groMaxSize: 32000,
  }),
  "altname.add": () => linkPropRequest("add", p0, ["uplink-to-the-core"]),
  "altname.add2": () => linkPropRequest("add", p0, ["first-alt", "second-alt"]),
  "altname.del": () => linkPropRequest("del", p0, ["uplink-to-the-core"]),
};

goldenTests("link-kind", data, OURS);

// ---------------------------------------------------------------- decoding what is encoded

/** Decodes a request as a link message (what the kernel echoes back in the same layout). */
function decodeRequest(bytes: Uint8Array): Link {
  const b = bytes.slice();
  const view = new DataView(b.buffer);
  const msg = { bytes: b, view, offset: 0, length: b.length, type: 16, flags: 0, seq: 0, pid: 0 };
  return decodeMessage(LINK_MESSAGE, msg) as unknown as Link;
}

const ROUND_TRIPS: [string, AddLinkOptions, Record<string, unknown>][] = [
  ["vlan", { kind: "vlan", name: "p0.5", link: 3, id: 5, protocol: "802.1ad", egressQos: [{ from: 1, to: 3 }] }, {
    protocol: "802.1ad",
    id: 5,
    egressQos: [{ from: 1, to: 3 }],
  }],
  ["vxlan", { kind: "vxlan", name: "vx0", id: 42, remote: "192.0.2.2", dstport: 4789, srcport: { low: 1, high: 9 } }, {
    srcport: { low: 1, high: 9 },
    id: 42,
    group: "192.0.2.2",
    learning: true,
    dstport: 4789,
  }],
  ["bond", { kind: "bond", name: "b0", mode: "802.3ad", arpIpTarget: ["10.0.0.2"], lacpActive: true }, {
    mode: "802.3ad",
    arpIpTarget: ["10.0.0.2"],
    lacpActive: true,
  }],
  ["macvlan", {
    kind: "macvlan",
    name: "m0",
    link: 3,
    mode: "source",
    macaddr: { op: "set", addresses: ["02:00:00:00:00:01"] },
  }, {
    macaddrMode: "set",
    macaddrData: ["02:00:00:00:00:01"],
    mode: "source",
  }],
  ["macsec", { kind: "macsec", name: "ms0", link: 3, cipher: "gcm-aes-256", encrypt: true }, {
    encrypt: true,
    cipher: "gcm-aes-256",
  }],
  ["gre", { kind: "gre", name: "g0", key: 5, remote: "192.0.2.2" }, {
    ikey: 5,
    okey: 5,
    iflags: ["key"],
    oflags: ["key"],
    remote: "192.0.2.2",
    pmtudisc: true,
    tos: 0,
    ttl: 0,
    fwmark: 0,
    encapType: "none",
    encapFlags: [],
    encapSport: 0,
    encapDport: 0,
  }],
  ["ip6tnl", { kind: "ip6tnl", name: "t0", mode: "ipip6", remote: "2001:db8::2" }, {
    proto: "ipip",
    remote: "2001:db8::2",
    ttl: 64,
    encapLimit: 4,
    flowinfo: 0,
    flags: [],
    dev: 0,
    fwmark: 0,
    encapType: "none",
    encapFlags: ["csum6"],
    encapSport: 0,
    encapDport: 0,
  }],
  ["hsr", { kind: "hsr", name: "h0", slave1: 3, slave2: 2, proto: "prp" }, { slave1: 3, slave2: 2, proto: "prp" }],
];

for (const [kind, options, expected] of ROUND_TRIPS) {
  Deno.test(`${kind}: the request's IFLA_INFO_DATA decodes to the options asked for`, () => {
    assertEquals(decodeRequest(linkAddRequest(options)).linkinfo?.data, expected);
  });
}

Deno.test("veth: the peer decodes as a whole link message", () => {
  const link = decodeRequest(linkAddRequest({ kind: "veth", name: "v0", peer: { name: "v1", mtu: 1300 } }));
  const peer = (link.linkinfo?.data as VethData).peer!;
  assertEquals([peer.name, peer.mtu, peer.header?.index], ["v1", 1300, 0]);
});

// ---------------------------------------------------------------- netkit against the kernel's spec

// The spec's facts are kept in a fixture (tests/fixtures/netkit_spec.ts), so this runs in any clone.
const kept = JSON.parse(await Deno.readTextFile(FIXTURE_PATH)) as NetkitSpec;
const spec = await Deno.readTextFile(SPEC_PATH).catch(() => undefined);

Deno.test({
  name: `netkit: the kept spec facts match the kernel's rt-link spec${
    spec ? "" : " [skipped: ../shared/netlink-specs/rt-link.yaml is not here; the kept facts are used as they are]"
  }`,
  ignore: spec === undefined,
  fn() {
    assertEquals(extractNetkit(spec!), kept);
  },
});

/** The attributes of a nest: type → payload. */
function attrs(b: Uint8Array, off: number, end: number): Map<number, Uint8Array> {
  const v = new DataView(b.buffer, b.byteOffset);
  const out = new Map<number, Uint8Array>();
  while (off + 4 <= end) {
    const len = v.getUint16(off, true);
    out.set(v.getUint16(off + 2, true) & 0x3fff, b.subarray(off + 4, off + len));
    off += (len + 3) & ~3;
  }
  return out;
}

Deno.test("netkit (not in iproute2 6.1): encoding matches the kernel's rt-link spec", () => {
  const want = kept.attributes;
  assertEquals(want.map((a) => a.name).slice(0, 5), ["peer-info", "primary", "policy", "peer-policy", "mode"]);
  const id = (name: string) => want.findIndex((a) => a.name === name) + 1;
  const policy = kept.enums["netkit-policy"];
  const mode = kept.enums["netkit-mode"];
  const scrub = kept.enums["netkit-scrub"];
  assertEquals([policy, mode, scrub], [{ forward: 0, blackhole: 2 }, { l2: 0, l3: 1 }, { none: 0, default: 1 }]);

  const request = linkAddRequest({
    kind: "netkit",
    name: "nk0",
    mode: "l2",
    policy: "forward",
    peerPolicy: "blackhole",
    scrub: "none",
    peer: { name: "nk1" },
  });
  const top = attrs(request, 32, request.length);
  const info = attrs(top.get(18)!, 0, top.get(18)!.length); // IFLA_LINKINFO
  assertEquals(new TextDecoder().decode(info.get(1)), "netkit");
  const data = attrs(info.get(2)!, 0, info.get(2)!.length); // IFLA_INFO_DATA
  const u32 = (b?: Uint8Array) => b && new DataView(b.buffer, b.byteOffset).getUint32(0, true);
  assertEquals([...data.keys()], [id("peer-info"), id("policy"), id("peer-policy"), id("mode"), id("scrub")]);
  assertEquals(u32(data.get(id("mode"))), mode.l2);
  assertEquals(u32(data.get(id("policy"))), policy.forward);
  assertEquals(u32(data.get(id("peer-policy"))), policy.blackhole);
  assertEquals(u32(data.get(id("scrub"))), scrub.none);
  // peer-info: an ifinfomsg and the peer's IFLA_IFNAME, as veth's peer.
  const peer = data.get(id("peer-info"))!;
  assertEquals(new TextDecoder().decode(attrs(peer, 16, peer.length).get(3)).replace(/\0+$/, ""), "nk1");
  for (const a of want) {
    const types: Record<string, string> = { u8: "custom", u16: "u16", u32: "u32", binary: "message" };
    assertEquals(typeof types[a.type], "string", `spec type ${a.type} of ${a.name}`);
  }
});

// ---------------------------------------------------------------- bad input

const BAD: [string, () => unknown, string][] = [
  ["vlan id out of range", () => linkAddRequest({ kind: "vlan", name: "v", link: 3, id: 70000 }), "id"],
  [
    "vlan protocol",
    () => linkAddRequest({ kind: "vlan", name: "v", link: 3, id: 5, protocol: "8021q" as "802.1Q" }),
    "protocol",
  ],
  ["vxlan without id", () => linkAddRequest({ kind: "vxlan", name: "vx", ttl: 5 }), "id"],
  ["vxlan group without dev", () => linkAddRequest({ kind: "vxlan", name: "vx", id: 1, group: "239.1.1.1" }), "dev"],
  [
    "vxlan unicast group",
    () => linkAddRequest({ kind: "vxlan", name: "vx", id: 1, group: "10.0.0.1", dev: 3 }),
    "group",
  ],
  [
    "vxlan local of the other family",
    () => linkAddRequest({ kind: "vxlan", name: "vx", id: 1, remote: "10.0.0.1", local: "2001:db8::1" }),
    "local",
  ],
  ["geneve without remote", () => linkAddRequest({ kind: "geneve", name: "g", id: 1 }), "remote"],
  [
    "bond mode",
    () => linkAddRequest({ kind: "bond", name: "b", mode: "rr" as "balance-rr" }),
    "link.linkinfo.data.mode",
  ],
  [
    "bond target",
    () => linkAddRequest({ kind: "bond", name: "b", arpIpTarget: ["nope"] }),
    "link.linkinfo.data.arpIpTarget[0]",
  ],
  [
    "macvlan nopromisc outside passthru",
    () => linkAddRequest({ kind: "macvlan", name: "m", link: 3, mode: "bridge", nopromisc: true }),
    "nopromisc",
  ],
  ["vrf table", () => linkAddRequest({ kind: "vrf", name: "v", table: -1 }), "table"],
  ["gre local of the wrong family", () => linkAddRequest({ kind: "gre", name: "g", local: "2001:db8::1" }), "local"],
  ["ipip ttl with nopmtudisc", () => linkAddRequest({ kind: "ipip", name: "t", ttl: 5, pmtudisc: false }), "pmtudisc"],
  ["sit mode on ipip", () => linkAddRequest({ kind: "ipip", name: "t", mode: "ip6ip" as "ipip" }), "mode"],
  ["xfrm without if_id", () => linkAddRequest({ kind: "xfrm", name: "x", dev: 3 }), "ifId"],
  [
    "macsec replay without window",
    () => linkAddRequest({ kind: "macsec", name: "m", link: 3, replay: true }),
    "window",
  ],
  ["macsec icvlen", () => linkAddRequest({ kind: "macsec", name: "m", link: 3, icvlen: 20 }), "icvlen"],
  ["unresolved device name", () => linkAddRequest({ kind: "vlan", name: "v", link: "p0", id: 5 }), "link"],
  ["name too long", () => linkAddRequest({ kind: "dummy", name: "a-name-that-is-too-long" }), "name"],
  ["namespace by name, unopened", () => linkAddRequest({ kind: "dummy", name: "d", netns: "blue" }), "netns"],
  [
    "type change of a kind without settings",
    () => linkSetRequest(3, { type: { kind: "dummy", foo: 5 } as never }),
    "type.kind",
  ],
  ["newIndex without netns", () => linkSetRequest(3, { newIndex: 5 }), "newIndex"],
  ["protodown reason", () => linkSetRequest(3, { protoDownReason: { reason: 40, on: true } }), "protoDownReason"],
  ["alternative name", () => linkPropRequest("add", 3, ["has space"]), "name"],
];

for (const [what, build, field] of BAD) {
  Deno.test(`bad input is refused before anything is sent: ${what}`, () => {
    throws(build, (e: unknown) => e instanceof ValidationError && e.field === field);
  });
}
