/** Decoding real kernel replies (tests/fixtures/kernel_replies.json, see capture_replies.ts). */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import type { MessageView } from "../../src/core/message.ts";
import { decodeLink } from "../../src/route/link.ts";
import { decodeAddress } from "../../src/route/addr.ts";
import { decodeRoute } from "../../src/route/route.ts";

const replies = JSON.parse(await Deno.readTextFile(new URL("../fixtures/kernel_replies.json", import.meta.url))) as {
  links: string[];
  addresses: string[];
  routes: string[];
};

/** A MessageView over one captured message. */
export function view(hex: string): MessageView {
  const bytes = new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  const v = new DataView(bytes.buffer);
  return {
    bytes,
    view: v,
    offset: 0,
    length: bytes.length,
    type: v.getUint16(4, true),
    flags: v.getUint16(6, true),
    seq: v.getUint32(8, true),
    pid: v.getUint32(12, true),
  };
}

const links = replies.links.map((h) => decodeLink(view(h)));
const addrs = replies.addresses.map((h) => decodeAddress(view(h)));
const routes = replies.routes.map((h) => decodeRoute(view(h)));

Deno.test("links: header, names, kinds, master, alias, stats64 as bigint, af_spec", () => {
  const byName = Object.fromEntries(links.map((l) => [l.name, l]));
  equal(byName.lo.type, "loopback");
  ok(byName.lo.flags.includes("LOOPBACK") && byName.lo.flags.includes("UP"));
  equal(byName.p0.linkinfo?.kind, "veth");
  equal(byName.p0.ifalias, "uplink");
  equal(byName.p0.link, byName.p1.index);
  equal(byName.br0.linkinfo?.kind, "bridge");
  equal(byName.p1.master, byName.br0.index);
  equal(byName.p1.linkinfo?.slaveKind, "bridge");
  equal(typeof byName.p0.stats64?.rxBytes, "bigint");
  equal(typeof byName.p0.stats?.rxBytes, "number");
  equal(byName.p0.afSpec?.inet?.conf?.forwarding, 0);
  equal(typeof byName.p0.afSpec?.inet6?.stats?.inpkts, "bigint");
  equal(byName.p0.operstate, "UP");
  ok(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(byName.p0.address!));
  for (const l of links) equal(l.unknownAttrs, undefined, `${l.name}: every attribute known`);
});

Deno.test("bridge and bridge-port data decode by kind", () => {
  const byName = Object.fromEntries(links.map((l) => [l.name, l]));
  const br = byName.br0.linkinfo?.data as Record<string, unknown>;
  deepStrictEqual([br.forwardDelay, br.helloTime, br.maxAge, br.stpState], [1500, 200, 2000, 0]);
  deepStrictEqual(br.groupAddr, "01:80:c2:00:00:00");
  deepStrictEqual((br.bridgeId as { prio: number }).prio, 32768);
  equal(typeof br.gcTimer, "bigint");
  equal(br.unknownAttrs, undefined);
  const port = byName.p1.linkinfo?.slaveData as Record<string, unknown>;
  deepStrictEqual([port.state, port.priority, port.cost, port.learning, port.no], [3, 32, 2, 1, 1]);
  equal(port.unknownAttrs, undefined);
});

Deno.test("addresses: local/peer, broadcast, label, lifetimes, flags", () => {
  const peer = addrs.find((a) => a.local === "10.3.0.1")!;
  equal(peer.address, "10.3.0.2");
  equal(peer.prefixlen, 32);
  const brd = addrs.find((a) => a.local === "10.0.0.1")!;
  equal(brd.broadcast, "10.0.255.255");
  equal(brd.label, "p0");
  equal(brd.scope, "global");
  ok(brd.flags.includes("permanent"));
  const lft = addrs.find((a) => a.address === "2001:db8:9::1")!;
  ok(lft.cacheinfo!.valid <= 3600 && lft.cacheinfo!.valid > 3000);
  ok(lft.flags.includes("nodad"));
  ok(!lft.flags.includes("permanent"));
  for (const a of addrs) equal(a.unknownAttrs, undefined);
});

Deno.test("routes: prefixes, tables, metrics, multipath, types, IPv6 preference", () => {
  const gw = routes.find((r) => r.dst === "10.9.0.0/24")!;
  deepStrictEqual([gw.gateway, gw.priority, gw.table, gw.protocol, gw.type, gw.scope], [
    "10.0.0.2",
    5,
    100,
    "boot",
    "unicast",
    "global",
  ]);
  const mp = routes.find((r) => r.dst === "10.16.0.0/24")!;
  equal(mp.multipath?.length, 2);
  deepStrictEqual(mp.multipath!.map((n) => [n.gateway, n.hops]), [["10.0.0.2", 1], ["10.0.0.3", 0]]);
  deepStrictEqual(routes.find((r) => r.dst === "10.12.0.0/24")!.metrics, { mtu: 1400, advmss: 1360 });
  equal(routes.find((r) => r.dst === "10.14.0.0/24")!.type, "blackhole");
  const v6 = routes.find((r) => r.dst === "2001:db8:5::/64")!;
  equal(v6.pref, "high");
  equal(v6.family, "inet6");
  ok(routes.some((r) => r.table === 255 && r.type === "local"));
  for (const r of routes) equal(r.unknownAttrs, undefined);
});
