/**
 * Golden tests: nlink's request bytes equal iproute2's for the same command.
 * The fixtures are captured with ../shared/tools/nlcapture by
 * tests/fixtures/capture.ts (sequence number and port id zeroed).
 */
import { addressDumpRequest, addressRequest } from "../../src/route/addr.ts";
import {
  linkAddRequest,
  linkDelRequest,
  linkDumpRequest,
  linkGetRequest,
  linkSetRequest,
} from "../../src/route/link.ts";
import { routeDumpRequest, routeRequest } from "../../src/route/route.ts";
import { goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("iproute2");
const idx = data.indexes;
const p0 = idx.p0, br0 = idx.br0, lo = idx.lo;

/** Our request for each fixture, built with the equivalent options. */
const OURS: Record<string, () => Uint8Array> = {
  "link.dump": () => linkDumpRequest({}),
  "link.get": () => linkGetRequest("p0"),
  "link.up": () => linkSetRequest(p0, { up: true }),
  "link.down": () => linkSetRequest(p0, { up: false }),
  "link.set.mtu": () => linkSetRequest(p0, { mtu: 1400 }),
  "link.set.many": () =>
    linkSetRequest(p0, {
      txqlen: 500,
      address: "02:00:00:00:00:aa",
      mtu: 1450,
      master: "br0",
      alias: "uplink",
      group: 3,
      name: "up0",
    }, br0),
  "link.set.nomaster": () => linkSetRequest(p0, { nomaster: true }),
  "link.add.veth": () => linkAddRequest({ kind: "veth", name: "v0", peer: { name: "v1" } }),
  "link.add.veth.opts": () =>
    linkAddRequest({
      kind: "veth",
      name: "v0",
      txqlen: 100,
      address: "02:00:00:00:00:01",
      mtu: 1400,
      peer: { name: "v1", mtu: 1300 },
    }),
  "link.add.bridge": () => linkAddRequest({ kind: "bridge", name: "br1" }),
  "link.add.up": () => linkAddRequest({ kind: "veth", name: "v2", up: true, peer: { name: "v3" } }),
  "link.del": () => linkDelRequest(p0),
  "addr.dump": () => addressDumpRequest({ family: "inet" }),
  "addr.dump.all": () => addressDumpRequest({}),
  "addr.add.v4": () => addressRequest("add", p0, { dev: p0, address: "10.1.0.1/24" }),
  "addr.add.v6": () => addressRequest("add", p0, { dev: p0, address: "2001:db8::1/64" }),
  "addr.add.brd": () => addressRequest("add", p0, { dev: p0, address: "10.2.0.1/24", broadcast: "+", label: "p0:x" }),
  "addr.add.brd.explicit": () =>
    addressRequest("add", p0, { dev: p0, address: "10.2.0.1/24", broadcast: "10.2.0.127" }),
  "addr.add.peer": () => addressRequest("add", p0, { dev: p0, address: "10.3.0.1", peer: "10.3.0.2/32" }),
  "addr.add.lft": () =>
    addressRequest("add", p0, {
      dev: p0,
      address: "10.4.0.1/24",
      metric: 7,
      flags: ["noprefixroute"],
      validLifetime: 100,
      preferredLifetime: 50,
    }),
  "addr.add.scope": () => addressRequest("add", p0, { dev: p0, address: "10.5.0.1/24", scope: "link" }),
  "addr.add.lo": () => addressRequest("add", lo, { dev: lo, address: "127.0.0.2/8" }),
  "addr.add.nodad": () => addressRequest("add", p0, { dev: p0, address: "2001:db8:1::1/64", flags: ["nodad"] }),
  "addr.replace": () => addressRequest("replace", p0, { dev: p0, address: "10.1.0.1/24" }),
  "addr.del": () => addressRequest("del", p0, { dev: p0, address: "10.1.0.1/24" }),
  "addr.del.wildcard": () => addressRequest("del", p0, { dev: p0, address: "10.1.0.1" }),
  "addr.del.label": () => addressRequest("del", p0, { dev: p0, family: "inet", label: "p0:x" }),
  "addr.add.none": () => addressRequest("add", p0, { dev: p0 }),
  "addr.add.none.v6": () => addressRequest("add", p0, { dev: p0, family: "inet6" }),
  "addr.add.peer.only": () => addressRequest("add", p0, { dev: p0, peer: "10.3.0.2/24" }),
  "route.dump.main": () => routeDumpRequest({ family: "inet", table: "main" }),
  "route.dump.v6": () => routeDumpRequest({ family: "inet6", table: "main" }),
  "route.add.gw": () =>
    routeRequest("add", { dst: "10.9.0.0/24", gateway: "10.0.0.2", table: 100, metric: 5 }, { oif: p0 }),
  "route.add.dev": () => routeRequest("add", { dst: "10.8.0.0/24" }, { oif: p0 }),
  "route.add.v6": () => routeRequest("add", { dst: "2001:db8:5::/64", metric: 1024 }, { oif: p0 }),
  "route.add.table1000": () => routeRequest("add", { dst: "10.7.0.0/16", gateway: "10.0.0.3", table: 1000 }),
  "route.add.default": () => routeRequest("add", { dst: "default", gateway: "10.0.0.1" }),
  "route.add.src": () =>
    routeRequest("add", { dst: "10.6.0.0/24", src: "10.0.0.1", gateway: "10.0.0.2", metric: 9 }, { oif: p0 }),
  "route.add.onlink": () =>
    routeRequest("add", { dst: "10.11.0.0/24", gateway: "192.0.2.1", onlink: true }, { oif: p0 }),
  "route.add.mtu": () =>
    routeRequest("add", { dst: "10.12.0.0/24", mtu: 1400, metrics: { advmss: 1360 } }, { oif: p0 }),
  "route.add.proto": () => routeRequest("add", { dst: "10.13.0.0/24", protocol: "static", scope: "link" }, { oif: p0 }),
  "route.add.blackhole": () => routeRequest("add", { type: "blackhole", dst: "10.14.0.0/24" }),
  "route.add.local": () => routeRequest("add", { type: "local", dst: "10.15.0.1" }, { oif: p0 }),
  "route.add.multipath": () =>
    routeRequest("add", {
      dst: "10.16.0.0/24",
      multipath: [{ gateway: "10.0.0.2", dev: p0, weight: 2 }, { gateway: "10.0.0.3", dev: p0 }],
    }, { paths: [p0, p0] }),
  "route.add.v6.from": () =>
    routeRequest("add", { dst: "2001:db8:6::/64", from: "2001:db8:7::/64", gateway: "2001:db8::2" }, { oif: p0 }),
  "route.replace": () => routeRequest("replace", { dst: "10.9.0.0/24", gateway: "10.0.0.2" }, { oif: p0 }),
  "route.append": () => routeRequest("append", { dst: "10.9.0.0/24", gateway: "10.0.0.3" }, { oif: p0 }),
  "route.prepend": () => routeRequest("prepend", { dst: "10.9.0.0/24", gateway: "10.0.0.4" }, { oif: p0 }),
  "route.change": () => routeRequest("change", { dst: "10.9.0.0/24", gateway: "10.0.0.2" }, { oif: p0 }),
  "route.del": () => routeRequest("del", { dst: "10.9.0.0/24", table: 100 }),
  "route.del.plain": () => routeRequest("del", { dst: "10.8.0.0/24" }, { oif: p0 }),
};

goldenTests("iproute2", data, OURS);
