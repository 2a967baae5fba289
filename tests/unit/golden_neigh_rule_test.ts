/**
 * Golden tests for neighbours, bridge FDB, rules, netconf and neighbour
 * tables: nlink's request bytes equal iproute2's for the same command
 * (tests/fixtures/neigh_rule.json, captured by tests/fixtures/captures/neigh_rule.ts).
 * Also: the decoders read back what the encoders write.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { fdbDumpRequest, fdbFlushRequest, fdbRequest } from "../../src/route/fdb.ts";
import { decodeNeighbour, neighbourDumpRequest, neighbourGetRequest, neighbourRequest } from "../../src/route/neigh.ts";
import { decodeNeighbourTable, neighbourTableDumpRequest, neighbourTableSetRequest } from "../../src/route/neightbl.ts";
import { decodeNetconf, netconfDumpRequest, netconfGetRequest } from "../../src/route/netconf.ts";
import { decodeRule, ruleDumpRequest, ruleRequest } from "../../src/route/rule.ts";
import { asMessage, goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("neigh_rule");
const { p0, p1, br0, vx0 } = data.indexes;
const mac = (n: number) => `02:00:00:00:00:${n.toString(16).padStart(2, "0")}`;
const ZERO_MAC = "00:00:00:00:00:00";

/** Our request for each fixture, built with the equivalent options. */
const OURS: Record<string, () => Uint8Array> = {
  "neigh.dump": () => neighbourDumpRequest(),
  "neigh.dump.v4.dev": () => neighbourDumpRequest({ family: "inet", index: p0 }),
  "neigh.dump.v6.proxy": () => neighbourDumpRequest({ family: "inet6", proxy: true }),
  "neigh.dump.master": () => neighbourDumpRequest({ master: br0 }),
  "neigh.dump.flush": () => neighbourDumpRequest({ index: p0 }),
  "neigh.add": () => neighbourRequest("add", p0, { dst: "10.0.0.2", lladdr: mac(2), dev: p0 }),
  "neigh.add.nud": () => neighbourRequest("add", p0, { dst: "10.0.0.3", lladdr: mac(3), dev: p0, state: "reachable" }),
  "neigh.add.v6.router": () =>
    neighbourRequest("add", p0, { dst: "2001:db8::2", lladdr: mac(4), dev: p0, state: "stale", router: true }),
  "neigh.add.extern": () =>
    neighbourRequest("add", p0, { dst: "10.0.0.4", lladdr: mac(5), dev: p0, externLearn: true, state: "noarp" }),
  "neigh.add.protocol": () =>
    neighbourRequest("add", p0, { dst: "10.0.0.5", lladdr: mac(6), dev: p0, protocol: "zebra" }),
  "neigh.add.managed": () => neighbourRequest("add", p0, { dst: "10.0.0.6", dev: p0, managed: true }),
  "neigh.add.none": () => neighbourRequest("add", p0, { dst: "10.0.0.7", dev: p0, state: "none" }),
  "neigh.add.proxy": () => neighbourRequest("add", p0, { proxy: true, dst: "10.0.0.9", dev: p0 }),
  "neigh.add.proxy.v6.nodev": () => neighbourRequest("add", 0, { proxy: true, dst: "2001:db8::9" }),
  "neigh.replace": () =>
    neighbourRequest("replace", p0, { dst: "10.0.0.2", lladdr: mac(7), dev: p0, state: "permanent" }),
  "neigh.change": () => neighbourRequest("change", p0, { dst: "10.0.0.2", lladdr: mac(8), dev: p0 }),
  "neigh.del": () => neighbourRequest("del", p0, { dst: "10.0.0.2", dev: p0 }),
  "neigh.del.proxy": () => neighbourRequest("del", p0, { proxy: true, dst: "10.0.0.9", dev: p0 }),
  "neigh.get": () => neighbourGetRequest(p0, { dst: "10.0.0.2", dev: p0 }),
  "neigh.get.proxy": () => neighbourGetRequest(p0, { dst: "2001:db8::9", dev: p0, proxy: true }),

  "fdb.dump": () => fdbDumpRequest(),
  "fdb.dump.br": () => fdbDumpRequest({ master: br0 }),
  "fdb.dump.brport": () => fdbDumpRequest({ index: p0 }),
  "fdb.dump.br.brport": () => fdbDumpRequest({ index: p0, master: br0 }),
  "fdb.add.default": () => fdbRequest("add", p0, { mac: mac(1), dev: p0 }),
  "fdb.add.master.static": () => fdbRequest("add", p0, { mac: mac(1), dev: p0, master: true, state: "static" }),
  "fdb.add.master.vlan": () => fdbRequest("add", p0, { mac: mac(1), dev: p0, master: true, state: "static", vlan: 10 }),
  "fdb.add.self.permanent": () => fdbRequest("add", br0, { mac: mac(2), dev: br0, self: true, state: "permanent" }),
  "fdb.add.dynamic": () => fdbRequest("add", p0, { mac: mac(3), dev: p0, master: true, state: "dynamic" }),
  "fdb.add.flags": () =>
    fdbRequest("add", p0, { mac: mac(4), dev: p0, master: true, state: "static", externLearn: true, sticky: true }),
  "fdb.add.both": () =>
    fdbRequest("add", p0, { mac: mac(5), dev: p0, self: true, master: true, router: true, use: true }),
  "fdb.add.vxlan": () =>
    fdbRequest("add", vx0, { mac: ZERO_MAC, dev: vx0, dst: "10.0.0.2", port: 4790, vni: 100, self: true }),
  "fdb.add.vxlan.via": () =>
    fdbRequest("add", vx0, { mac: ZERO_MAC, dev: vx0, dst: "2001:db8::2", vni: 100, srcVni: 42, via: p0 }, p0),
  "fdb.add.vxlan.nhid": () => fdbRequest("add", vx0, { mac: mac(6), dev: vx0, nhid: 7, self: true }),
  "fdb.append.vxlan": () => fdbRequest("append", vx0, { mac: ZERO_MAC, dev: vx0, dst: "10.0.0.3" }),
  "fdb.replace": () => fdbRequest("replace", p1, { mac: mac(1), dev: p1, master: true, state: "static" }),
  "fdb.del": () => fdbRequest("del", p0, { mac: mac(1), dev: p0, master: true, vlan: 10 }),
  "fdb.del.vxlan": () => fdbRequest("del", vx0, { mac: ZERO_MAC, dev: vx0, dst: "10.0.0.3" }),
  "fdb.flush.dynamic": () => fdbFlushRequest(br0, { dev: br0, dynamic: true }),
  "fdb.flush.port.vlan": () => fdbFlushRequest(br0, { dev: br0, port: p0, vlan: 10, static: true }, p0),
  "fdb.flush.master": () =>
    fdbFlushRequest(p0, {
      dev: p0,
      master: true,
      permanent: false,
      static: false,
      addedByUser: true,
      externLearn: false,
      sticky: true,
    }),
  "fdb.flush.all": () => fdbFlushRequest(br0, { dev: br0 }),
  "fdb.flush.nodynamic": () =>
    fdbFlushRequest(br0, { dev: br0, self: true, dynamic: false, permanent: true, offloaded: true }),

  "rule.dump": () => ruleDumpRequest("inet"),
  "rule.dump.v6": () => ruleDumpRequest("inet6"),
  "rule.add.from": () => ruleRequest("add", { from: "10.0.0.0/8", priority: 1000, table: 100 }),
  "rule.add.not.to.tos": () =>
    ruleRequest("add", { not: true, to: "192.168.0.0/16", priority: 1001, tos: 0x10, table: "main" }),
  "rule.add.fwmark": () => ruleRequest("add", { priority: 1002, fwmark: 0x10, fwmask: 0xff, table: 200 }),
  "rule.add.fwmark.nomask": () => ruleRequest("add", { priority: 1003, fwmark: 7, action: "lookup", table: 200 }),
  "rule.add.realms": () => ruleRequest("add", { priority: 1004, realms: { from: 1, to: 2 }, table: 300 }),
  "rule.add.protocol": () => ruleRequest("add", { priority: 1005, protocol: "static", table: 300 }),
  "rule.add.tunid": () => ruleRequest("add", { priority: 1006, tunId: 12345n, table: 300 }),
  "rule.add.table1000": () => ruleRequest("add", { priority: 1007, table: 1000 }),
  "rule.add.suppress": () =>
    ruleRequest("add", { priority: 1008, table: "main", suppressPrefixlength: 0, suppressIfgroup: 5 }),
  "rule.add.iif.oif": () => ruleRequest("add", { priority: 1009, table: 100, iif: "p0", oif: p1 }, { oif: "p1" }),
  "rule.add.l3mdev": () => ruleRequest("add", { priority: 1010, l3mdev: true }),
  "rule.add.uidrange": () => ruleRequest("add", { priority: 1011, table: 100, uidRange: { start: 100, end: 200 } }),
  "rule.add.nat": () => ruleRequest("add", { priority: 1012, action: "nat", nat: "192.0.2.1" }),
  "rule.add.ports": () =>
    ruleRequest("add", { priority: 1013, table: 100, ipProto: "tcp", sport: { start: 80, end: 90 }, dport: 22 }),
  "rule.add.goto": () => ruleRequest("add", { priority: 1014, fwmark: 1, action: "goto", target: 2000 }),
  "rule.add.nop": () => ruleRequest("add", { priority: 1015, action: "nop" }),
  "rule.add.blackhole": () => ruleRequest("add", { from: "10.1.0.0/16", priority: 1016, action: "blackhole" }),
  "rule.add.unreachable": () => ruleRequest("add", { priority: 1017, action: "unreachable" }),
  "rule.add.prohibit": () => ruleRequest("add", { priority: 1018, action: "prohibit" }),
  "rule.add.v6": () => ruleRequest("add", { from: "2001:db8::/32", to: "2001:db8:1::/48", priority: 1019, table: 100 }),
  "rule.add.v6.ipproto": () =>
    ruleRequest("add", { family: "inet6", priority: 1020, table: 100, ipProto: "ipv6-icmp" }),
  "rule.del.pref": () => ruleRequest("del", { priority: 1000 }),
  "rule.del.full": () => ruleRequest("del", { from: "10.0.0.0/8", priority: 1000, table: 100 }),
  "rule.del.goto": () => ruleRequest("del", { priority: 1014, action: "goto", target: 2000 }),
  "rule.del.v6": () => ruleRequest("del", { family: "inet6", priority: 1019 }),

  "netconf.dump.v4": () => netconfDumpRequest("inet"),
  "netconf.dump.v6": () => netconfDumpRequest("inet6"),
  "netconf.get": () => netconfGetRequest("inet", p0),
  "netconf.get.v6": () => netconfGetRequest("inet6", p0),

  "ntable.dump": () => neighbourTableDumpRequest(),
  "ntable.dump.v4": () => neighbourTableDumpRequest("inet"),
  "ntable.change.thresh": () =>
    neighbourTableSetRequest({ name: "arp_cache", thresh1: 256, thresh2: 1024, thresh3: 2048, gcInterval: 60000 }),
  "ntable.change.dev": () =>
    neighbourTableSetRequest({
      name: "arp_cache",
      family: "inet",
      dev: p0,
      baseReachableTime: 60000,
      retransTime: 500n,
      gcStaletime: 30000,
      delayProbeTime: 3000,
      queueLen: 10,
      appProbes: 1,
      ucastProbes: 5,
      mcastProbes: 4,
      anycastDelay: 900,
      proxyDelay: 700,
      proxyQlen: 32,
      locktime: 500,
    }, p0),
  "ntable.change.v6": () => neighbourTableSetRequest({ name: "ndisc_cache", family: "inet6", queueLen: 20 }),
};

goldenTests("neigh/fdb/rule/netconf/ntable", data, OURS);

Deno.test("decoders read back the requests: neighbour, FDB entry", () => {
  const n = decodeNeighbour(asMessage(neighbourRequest("add", 3, {
    dst: "2001:db8::2",
    lladdr: mac(4),
    dev: 3,
    state: "stale",
    router: true,
    protocol: "zebra",
  })));
  assertEquals(n, {
    family: "inet6",
    ifindex: 3,
    state: ["stale"],
    flags: ["router"],
    type: "unspec",
    protocol: "zebra",
    dst: "2001:db8::2",
    lladdr: mac(4),
  });
  const e = decodeNeighbour(asMessage(fdbRequest("add", 5, {
    mac: ZERO_MAC,
    dev: 5,
    dst: "10.0.0.2",
    port: 4790,
    vni: 100,
    srcVni: 7,
  }, 3)));
  assertEquals([e.family, e.lladdr, e.dst, e.port, e.vni, e.srcVni, e.via, e.state, e.flags], [
    "bridge",
    ZERO_MAC,
    "10.0.0.2",
    4790,
    100,
    7,
    3,
    ["noarp", "permanent"],
    ["self"],
  ]);
  const f = decodeNeighbour(asMessage(fdbFlushRequest(4, { dev: 4, dynamic: true })));
  assertEquals([f.ndmStateMask, f.state], [["noarp", "permanent"], []]);
});

Deno.test("decoders read back the requests: rule, netconf, neighbour table", () => {
  const r = decodeRule(asMessage(ruleRequest("add", {
    from: "10.0.0.0/8",
    priority: 7,
    table: 1000,
    fwmark: 1,
    fwmask: 3,
    uidRange: { start: 1, end: 2 },
    ipProto: "udp",
    dport: { start: 53, end: 53 },
    tunId: 9n,
    not: true,
  })));
  assertEquals(r, {
    family: "inet",
    dstLen: 0,
    srcLen: 8,
    tos: 0,
    table: 1000,
    action: "lookup",
    flags: ["invert"],
    src: "10.0.0.0/8",
    priority: 7,
    fwmark: 1,
    fwmask: 3,
    tunId: 9n,
    uidRange: { start: 1, end: 2 },
    ipProto: "udp",
    dportRange: { start: 53, end: 53 },
  });
  assertEquals(decodeNetconf(asMessage(netconfGetRequest("inet6", -1))), { family: "inet6", ifindex: -1 });
  const t = decodeNeighbourTable(asMessage(neighbourTableSetRequest({ name: "arp_cache", dev: 3, queueLen: 5 }, 3)));
  assertEquals(t, { family: "unspec", name: "arp_cache", parms: { ifindex: 3, queueLen: 5 } });
});

Deno.test("bad neighbour/FDB/rule/netconf/ntable input throws ValidationError naming the field", () => {
  const field = (f: () => unknown, name: string) =>
    throws(f, (e: unknown) => e instanceof ValidationError && e.field === name);
  field(() => neighbourRequest("add", 3, { dst: "10.0.0.300", dev: 3 }), "dst");
  field(() => neighbourRequest("add", 3, { dst: "10.0.0.3", dev: 3, state: "bogus" as "stale" }), "state");
  field(() => neighbourRequest("add", 3, { dst: "10.0.0.3", dev: 3, lladdr: "zz" }), "neighbour.lladdr");
  field(() => fdbRequest("add", 3, { mac: "02:00", dev: 3 }), "mac");
  field(() => fdbRequest("add", 3, { mac: mac(1), dev: 3, vlan: 4095 }), "vlan");
  field(() => fdbRequest("add", 3, { mac: mac(1), dev: 3, vni: 1 << 24 }), "vni");
  field(() => fdbRequest("add", 3, { mac: mac(1), dev: 3, nhid: 1, dst: "10.0.0.1" }), "nhid");
  field(() => fdbFlushRequest(3, { dev: 3, vlan: 0 }), "vlan");
  field(() => ruleRequest("add", { from: "10.0.0.0/33" }), "from");
  field(() => ruleRequest("add", { from: "10.0.0.0/8", to: "2001:db8::/32" }), "to");
  field(() => ruleRequest("add", { sport: { start: 9, end: 65536 } }), "sport.end");
  field(() => ruleRequest("add", { priority: -1 }), "priority");
  field(() => ruleRequest("add", { l3mdev: true, table: 5 }), "table");
  field(() => ruleRequest("add", { action: "nat", nat: "2001:db8::1" }), "nat");
  field(() => ruleRequest("add", { action: "jump" as "nop" }), "action");
  field(() => ruleRequest("add", { iif: "a name that is far too long" }), "iif");
  field(() => ruleRequest("add", { flowlabel: 1 }), "flowlabel");
  field(() => netconfGetRequest("inet", 0), "dev");
  field(() => netconfDumpRequest("ipx" as "inet"), "family");
  field(() => neighbourTableSetRequest({ name: "arp_cache" }), "ntable");
  field(() => neighbourTableSetRequest({ name: "arp_cache", queueLen: -1 }), "neightbl.parms.queueLen");
});
