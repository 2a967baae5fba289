/**
 * MPLS against the kernel: label routes (swap, pop, via IPv4/IPv6, multipath,
 * lookup, delete, flush) and MPLS encapsulation on IPv4/IPv6 routes, per
 * multipath next hop and on nexthop objects; read back with nlink and
 * iproute2. The namespace needs `net.mpls.platform_labels` and
 * `net.mpls.conf.DEV.input`, set with sysctl inside it.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type Connection, type NetlinkError, type Route, ValidationError } from "../../mod.ts";
import { addNexthop, getNexthop } from "../../src/route/nexthop.ts";
import { getRoute } from "../../src/route/route_get.ts";
import { flushRoutes } from "../../src/route/route_flush.ts";
import { kernelTest } from "../_lib/netns.ts";
import { iproute2, sysctl, V0_ADDRESSES, veth } from "../_lib/setup.ts";

async function mplsRoutes(conn: Connection): Promise<Map<string, Route>> {
  return new Map((await conn.getRoutes({ family: "mpls" })).map((r) => [r.dst, r]));
}

await kernelTest("MPLS label routes: swap, pop, via inet/inet6, multipath; lookup, delete, flush", {
  needs: ["veth", "mpls_router"],
}, async (conn, ns) => {
  const { v0 } = await veth(conn, { addresses: V0_ADDRESSES });
  await sysctl(ns, "net.mpls.platform_labels=1000");
  await sysctl(ns, "net.mpls.conf.v0.input=1");
  await conn.addRoute({ family: "mpls", dst: "100", newdst: "200/300", gateway: "10.0.0.2", dev: "v0" });
  await conn.addRoute({ family: "mpls", dst: "101", via: { family: "inet", address: "10.0.0.3" }, dev: "v0" });
  await conn.addRoute({ family: "mpls", dst: "102", newdst: "400", via: { family: "inet6", address: "2001:db8::2" } });
  await conn.addRoute({ family: "mpls", dst: "104", dev: "lo" }); // pop and deliver locally
  await conn.addRoute({
    family: "mpls",
    dst: "103",
    multipath: [
      { newdst: "200", gateway: "10.0.0.2", dev: "v0" },
      { newdst: "300", via: { family: "inet", address: "10.0.0.3" }, dev: "v0" },
    ],
  });

  const routes = await mplsRoutes(conn);
  deepStrictEqual([...routes.keys()].sort(), ["100", "101", "102", "103", "104"]);
  const swap = routes.get("100")!;
  deepStrictEqual([swap.family, swap.dstLen, swap.newdst, swap.via, swap.oif], [
    "mpls",
    20,
    "200/300",
    { family: "inet", address: "10.0.0.2" },
    v0,
  ]);
  deepStrictEqual([routes.get("101")!.newdst, routes.get("101")!.via], [undefined, {
    family: "inet",
    address: "10.0.0.3",
  }]);
  deepStrictEqual(routes.get("102")!.via, { family: "inet6", address: "2001:db8::2" });
  deepStrictEqual(routes.get("103")!.multipath?.map((p) => [p.newdst, p.via?.address, p.ifindex]), [
    ["200", "10.0.0.2", v0],
    ["300", "10.0.0.3", v0],
  ]);
  const ip = (await iproute2(ns, "-M", "route", "show")) as { dst: string }[];
  deepStrictEqual(ip.map((r) => r.dst).sort(), ["100", "101", "102", "103", "104"]);
  const pop = routes.get("104")!;
  deepStrictEqual([pop.newdst, pop.via, pop.oif], [undefined, undefined, (await conn.getLink("lo")).index]);

  // A lookup of a label returns its route.
  const got = await getRoute(conn, { family: "mpls", dst: "100" });
  deepStrictEqual([got.dst, got.newdst, got.oif], ["100", "200/300", v0]);

  await rejects(
    conn.addRoute({ family: "mpls", dst: "100", dev: "v0", gateway: "10.0.0.9" }),
    (e: NetlinkError) => e.isExists(),
  );
  await rejects(conn.addRoute({ family: "mpls", dst: "10.0.0.0/24", dev: "v0" }), ValidationError);
  await conn.delRoute({ family: "mpls", dst: "100" });
  ok(!(await mplsRoutes(conn)).has("100"));
  // 102 went through v0 too: the kernel picked it from the via address.
  equal(routes.get("102")!.oif, v0);
  const flushed = await flushRoutes(conn, { family: "mpls", dev: "v0" });
  deepStrictEqual(flushed.map((r) => r.dst).sort(), ["101", "102", "103"]);
  deepStrictEqual((await conn.getRoutes({ family: "mpls" })).map((r) => r.dst), ["104"]);
});

await kernelTest("MPLS encapsulation: IPv4/IPv6 routes, multipath next hops, nexthop objects", {
  needs: ["veth", "mpls_iptunnel"],
}, async (conn, ns) => {
  const { v0 } = await veth(conn, { addresses: V0_ADDRESSES });
  await conn.addRoute({
    dst: "10.20.0.0/24",
    encap: { type: "mpls", labels: [100, 200], ttl: 10 },
    gateway: "10.0.0.2",
    dev: "v0",
  });
  await conn.addRoute({ dst: "2001:db8:20::/64", encap: { type: "mpls", labels: [300] }, gateway: "2001:db8::2" });
  await conn.addRoute({
    dst: "10.23.0.0/24",
    multipath: [
      { encap: { type: "mpls", labels: [100] }, gateway: "10.0.0.2", dev: "v0" },
      { encap: { type: "mpls", labels: [200] }, gateway: "10.0.0.3", dev: "v0", weight: 3 },
    ],
  });
  const v4 = (await conn.getRoutes({ family: "inet" })).find((r) => r.dst === "10.20.0.0/24")!;
  deepStrictEqual([v4.encapType, v4.encap, v4.gateway, v4.oif], [
    "mpls",
    { type: "mpls", labels: [100, 200], ttl: 10 },
    "10.0.0.2",
    v0,
  ]);
  const v6 = (await conn.getRoutes({ family: "inet6" })).find((r) => r.dst === "2001:db8:20::/64")!;
  deepStrictEqual(v6.encap, { type: "mpls", labels: [300] });
  const mp = (await conn.getRoutes({ family: "inet" })).find((r) => r.dst === "10.23.0.0/24")!;
  deepStrictEqual(mp.multipath?.map((p) => [p.encap, p.gateway, p.hops + 1]), [
    [{ type: "mpls", labels: [100] }, "10.0.0.2", 1],
    [{ type: "mpls", labels: [200] }, "10.0.0.3", 3],
  ]);
  const ip = (await iproute2(ns, "route", "show", "10.20.0.0/24")) as { encap: string; dst: string }[];
  equal(ip[0].encap, "mpls");

  await addNexthop(conn, { id: 1, encap: { type: "mpls", labels: [500, 600] }, gateway: "10.0.0.2", dev: "v0" });
  const nh = await getNexthop(conn, 1);
  deepStrictEqual([nh.encapType, nh.encap, nh.gateway], ["mpls", { type: "mpls", labels: [500, 600] }, "10.0.0.2"]);
  await conn.addRoute({ dst: "10.24.0.0/24", nhid: 1 });
  const viaNh = (await conn.getRoutes({ family: "inet" })).find((r) => r.dst === "10.24.0.0/24")!;
  equal(viaNh.nhId, 1);
  await rejects(
    conn.addRoute({ dst: "10.25.0.0/24", dev: "v0", encap: { type: "mpls", labels: [1 << 20] } }),
    ValidationError,
  );
});
