/**
 * Route lookups (`ip route get`) and flushes (`ip route flush`, `ip address
 * flush`) against the kernel, compared with iproute2 where it helps.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type NetlinkError, ValidationError } from "../../mod.ts";
import { flushAddresses } from "../../src/route/addr.ts";
import { getRoute } from "../../src/route/route_get.ts";
import { flushRoutes } from "../../src/route/route_flush.ts";
import { kernelTest } from "../_lib/netns.ts";
import { iproute2, sysctl, V0_ADDRESSES, veth } from "../_lib/setup.ts";

/** v0 as in the other routing tests, and v1 in a subnet of its own. */
const ADDRESSES = { ...V0_ADDRESSES, v1: ["10.1.0.1/24"] };

await kernelTest(
  "route get: resolved route, selectors, fibmatch, IPv6, errors",
  { needs: ["veth"] },
  async (conn, ns) => {
    const { v0, v1 } = await veth(conn, { addresses: ADDRESSES });
    await conn.addRoute({ dst: "192.0.2.0/24", gateway: "10.0.0.2", dev: "v0", metric: 5 });
    await conn.addRoute({ dst: "198.51.100.0/24", gateway: "10.1.0.2", dev: "v1", table: 100 });
    await conn.addRoute({ dst: "2001:db8:5::/64", gateway: "2001:db8::2", dev: "v0" });

    const r = await getRoute(conn, { dst: "192.0.2.7" });
    deepStrictEqual([r.dst, r.oif, r.gateway, r.prefsrc, r.table, r.family, r.type], [
      "192.0.2.7/32",
      v0,
      "10.0.0.2",
      "10.0.0.1",
      254,
      "inet",
      "unicast",
    ]);
    ok(r.flags.includes("cloned") || r.cacheinfo !== undefined);
    const ip = (await iproute2(ns, "route", "get", "192.0.2.7")) as { dev: string; gateway: string; prefsrc: string }[];
    deepStrictEqual([ip[0].dev, ip[0].gateway, ip[0].prefsrc], ["v0", "10.0.0.2", "10.0.0.1"]);

    // A directly connected destination, from a given source, with a mark, uid and ports.
    const direct = await getRoute(conn, {
      dst: "10.0.0.9",
      from: "10.0.0.1",
      mark: 7,
      uid: 1000,
      ipproto: "udp",
      sport: 1000,
      dport: 53,
    });
    deepStrictEqual([direct.oif, direct.gateway, direct.mark, direct.uid], [v0, undefined, 7, 1000]);
    // Forcing the output device.
    equal((await getRoute(conn, { dst: "10.0.0.9", oif: "v1" })).oif, v1);
    // fibmatch: the FIB entry, not the resolved host route.
    const fib = await getRoute(conn, { dst: "192.0.2.7", fibmatch: true });
    deepStrictEqual([fib.dst, fib.gateway, fib.priority], ["192.0.2.0/24", "10.0.0.2", 5]);
    // An input lookup (as if the packet arrived on v1) needs forwarding on.
    await sysctl(ns, "net.ipv4.ip_forward=1");
    const input = await getRoute(conn, { dst: "192.0.2.7", from: "10.1.0.9", iif: "v1" });
    deepStrictEqual([input.iif, input.oif, input.gateway], [v1, v0, "10.0.0.2"]);
    // IPv6.
    const six = await getRoute(conn, { dst: "2001:db8:5::9", ipproto: "tcp", dport: 443 });
    deepStrictEqual([six.dst, six.oif, six.gateway, six.family], ["2001:db8:5::9/128", v0, "2001:db8::2", "inet6"]);

    await rejects(getRoute(conn, { dst: "203.0.113.1" }), (e: NetlinkError) => e.code === "ENETUNREACH");
    await rejects(getRoute(conn, { dst: "192.0.2.0/24" }), ValidationError);
    await rejects(getRoute(conn, { dst: "192.0.2.7", ipproto: "nosuch" }), ValidationError);
    await rejects(getRoute(conn, { dst: "192.0.2.7", oif: "nosuch" }), (e: NetlinkError) => e.isNotFound());
  },
);

await kernelTest("flushRoutes: by device, table, protocol, prefix, gateway, type; IPv6", {
  needs: ["veth"],
}, async (conn, ns) => {
  await veth(conn, { addresses: ADDRESSES });
  const b = conn.batch();
  for (let i = 0; i < 300; i++) b.addRoute({ dst: `172.16.${i >> 8}.${i & 255}/32`, gateway: "10.0.0.2", dev: "v0" });
  for (let i = 0; i < 20; i++) {
    b.addRoute({ dst: `172.17.${i}.0/24`, gateway: "10.1.0.2", dev: "v1", protocol: "static" });
  }
  for (let i = 0; i < 10; i++) b.addRoute({ dst: `172.18.${i}.0/24`, gateway: "10.0.0.3", dev: "v0", table: 100 });
  b.addRoute({ type: "blackhole", dst: "172.19.0.0/24" });
  b.addRoute({ dst: "2001:db8:7::/64", gateway: "2001:db8::2", dev: "v0" });
  equal((await b.execute()).ok, true);
  const main = async () => (await conn.getRoutes({ family: "inet", table: "main" })).map((r) => r.dst);

  // A prefix and everything inside it, then one exact prefix.
  const inside = await flushRoutes(conn, { root: "172.16.1.0/24" });
  equal(inside.length, 44); // 172.16.1.0 .. 172.16.1.43
  ok(!(await main()).some((d) => d.startsWith("172.16.1.")));
  deepStrictEqual((await flushRoutes(conn, { dst: "172.16.0.5/32" })).map((r) => r.dst), ["172.16.0.5/32"]);
  // By protocol (asked of the kernel), then gateway.
  deepStrictEqual((await flushRoutes(conn, { protocol: "static" })).length, 20);
  equal((await flushRoutes(conn, { gateway: "10.0.0.2", dev: "v0" })).length, 255);
  ok(!(await main()).some((d) => d.startsWith("172.16.")));
  // Another table; the main table keeps its routes.
  equal((await flushRoutes(conn, { table: 100 })).length, 10);
  deepStrictEqual(await conn.getRoutes({ table: 100 }), []);
  // By type, across every table.
  deepStrictEqual((await flushRoutes(conn, { table: "all", type: "blackhole" })).map((r) => r.dst), ["172.19.0.0/24"]);
  // IPv6 by device, leaving IPv4 alone.
  const v6 = await flushRoutes(conn, { family: "inet6", dev: "v0" });
  ok(v6.some((r) => r.dst === "2001:db8:7::/64") && v6.every((r) => r.family === "inet6"));
  equal((await conn.getRoutes({ family: "inet6", table: "main", dev: "v0" })).length, 0);
  // By device: the kernel's own prefix routes go too, as with `ip route flush dev v1`.
  deepStrictEqual((await flushRoutes(conn, { dev: "v1" })).map((r) => [r.dst, r.protocol]), [[
    "10.1.0.0/24",
    "kernel",
  ]]);
  const ip = (await iproute2(ns, "route", "show")) as { dst: string }[];
  deepStrictEqual(ip.map((r) => r.dst), ["10.0.0.0/24"]);
  deepStrictEqual(await flushRoutes(conn, { dev: "v1" }), []);
  await rejects(flushRoutes(conn, { root: "172.16.0.0/33" }), ValidationError);
  await rejects(flushRoutes(conn, { dev: "nosuch" }), (e: NetlinkError) => e.isNotFound());
});

await kernelTest("flushAddresses: by device, family, scope, prefix, label, primary/secondary; flag words", {
  needs: ["veth"],
}, async (conn, ns) => {
  await veth(conn, { addresses: ADDRESSES });
  await conn.addAddress({ dev: "v0", address: "10.0.0.2/24" }); // a secondary of 10.0.0.1/24
  await conn.addAddress({ dev: "v0", address: "10.5.0.1/24", label: "v0:five" });
  await conn.addAddress({ dev: "v0", address: "10.6.0.1/24", scope: "link" });
  await conn.addAddress({ dev: "v0", address: "2001:db8:2::1/64", flags: ["nodad", "home", "mngtmpaddr"] });
  await conn.addAddress({ dev: "v0", address: "239.1.1.1/32", flags: ["autojoin"] });
  const a6 = (await conn.getAddresses({ dev: "v0", family: "inet6" })).find((a) => a.address === "2001:db8:2::1")!;
  ok(a6.flags.includes("homeaddress") && a6.flags.includes("managetempaddr"));
  ok((await conn.getAddresses({ dev: "v0" })).find((a) => a.local === "239.1.1.1")!.flags.includes("mcautojoin"));
  const local = async () => (await conn.getAddresses({ dev: "v0" })).map((a) => a.local ?? a.address).sort();

  deepStrictEqual((await flushAddresses(conn, { dev: "v0", label: "v0:f*" })).map((a) => a.local), ["10.5.0.1"]);
  deepStrictEqual((await flushAddresses(conn, { dev: "v0", scope: "link", family: "inet" })).map((a) => a.local), [
    "10.6.0.1",
  ]);
  deepStrictEqual((await flushAddresses(conn, { dev: "v0", to: "239.0.0.0/8" })).map((a) => a.local), ["239.1.1.1"]);
  // Secondaries only, then the rest of IPv4 on v0; v1 keeps its address.
  deepStrictEqual((await flushAddresses(conn, { dev: "v0", secondary: true })).map((a) => a.local), ["10.0.0.2"]);
  deepStrictEqual((await flushAddresses(conn, { dev: "v0", family: "inet" })).map((a) => a.local), ["10.0.0.1"]);
  // IPv6 global addresses: the link-local one stays.
  const gone6 = await flushAddresses(conn, { dev: "v0", family: "inet6", scope: "global" });
  deepStrictEqual(gone6.map((a) => a.address).sort(), ["2001:db8:2::1", "2001:db8::1"]);
  ok((await local()).every((a) => a?.startsWith("fe80:")));
  const ip = (await iproute2(ns, "address", "show", "dev", "v1")) as { addr_info: { local: string }[] }[];
  ok(ip[0].addr_info.some((a) => a.local === "10.1.0.1"));
  deepStrictEqual(await flushAddresses(conn, { dev: "v0", family: "inet" }), []);
  await rejects(flushAddresses(conn, { dev: "v0", to: "10.0.0.0/40" }), ValidationError);
  await rejects(conn.addAddress({ dev: "v0", address: "10.7.0.1/24", flags: ["bogus" as "home"] }), ValidationError);
});
