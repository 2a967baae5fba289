/**
 * Encapsulation per multipath next hop and on nexthop objects, path realms,
 * time metrics and a numeric pref, made with the library and read back typed
 * from the kernel. SRv6 runs on any kernel with IPv6 segment routing (as the
 * SRv6 tests assume); MPLS needs mpls_iptunnel and is skipped without it.
 */
import { deepStrictEqual } from "node:assert/strict";
import type { Connection, Route } from "../../mod.ts";
import { kernelTest } from "../_lib/netns.ts";
import { veth } from "../_lib/setup.ts";

const ADDRESSES = { v0: ["10.0.0.1/24", "2001:db8::1/64"] };

/** The route to `dst`, as the library reads it back. */
async function route(conn: Connection, dst: string): Promise<Route> {
  const family = dst.includes(".") ? "inet" : "inet6";
  const found = (await conn.getRoutes({ family })).find((r) => r.dst === dst);
  if (!found) throw new Error(`no route to ${dst}`);
  return found;
}

await kernelTest("seg6 encap on a multipath next hop and on a nexthop object, read back", {
  needs: ["veth"],
}, async (conn) => {
  const { v0 } = await veth(conn, { addresses: ADDRESSES });
  await conn.addRoute({
    dst: "10.2.0.0/24",
    multipath: [
      { gateway: "10.0.0.2", dev: "v0", encap: { type: "seg6", mode: "encap", segments: ["fc00::1", "fc00::2"] } },
      { gateway: "10.0.0.3", dev: "v0", weight: 3 },
    ],
  });
  const r = await route(conn, "10.2.0.0/24");
  deepStrictEqual(r.multipath?.map((p) => [p.gateway, p.ifindex, p.encap]), [
    ["10.0.0.2", v0, { type: "seg6", mode: "encap", segments: ["fc00::1", "fc00::2"] }],
    ["10.0.0.3", v0, undefined],
  ]);
  await conn.addNexthop({
    id: 7,
    encap: { type: "seg6", mode: "inline", segments: ["fc00::9"] },
    gateway: "2001:db8::2",
    dev: "v0",
  });
  const nh = await conn.getNexthop(7);
  deepStrictEqual([nh.gateway, nh.oif, nh.encap], ["2001:db8::2", v0, {
    type: "seg6",
    mode: "inline",
    segments: ["fc00::9"],
  }]);
});

await kernelTest("path realms, rtt/rttvar/rto_min metrics and pref, read back", { needs: ["veth"] }, async (conn) => {
  await veth(conn, { addresses: ADDRESSES });
  await conn.addRoute({
    dst: "10.3.0.0/24",
    multipath: [{ gateway: "10.0.0.2", dev: "v0", realm: 5 }, { gateway: "10.0.0.3", dev: "v0", realm: (3 << 16) | 7 }],
  });
  deepStrictEqual((await route(conn, "10.3.0.0/24")).multipath?.map((p) => p.flow), [5, (3 << 16) | 7]);
  await conn.addRoute({
    dst: "10.4.0.0/24",
    gateway: "10.0.0.2",
    metrics: { rtt: 80, rttvar: 20, rtoMin: 200, lock: (1 << 4) | (1 << 13) },
  });
  const m = (await route(conn, "10.4.0.0/24")).metrics;
  deepStrictEqual([m?.rtt, m?.rttvar, m?.rtoMin, m?.lock], [80, 20, 200, (1 << 4) | (1 << 13)]);
  await conn.addRoute({ dst: "2001:db8:9::/64", gateway: "2001:db8::2", pref: 1 });
  deepStrictEqual((await route(conn, "2001:db8:9::/64")).pref, "high");
});

await kernelTest("MPLS encap on multipath next hops and on a nexthop object, read back", {
  needs: ["veth", "mpls_iptunnel"],
}, async (conn) => {
  const { v0 } = await veth(conn, { addresses: ADDRESSES });
  await conn.addRoute({
    dst: "10.1.0.0/24",
    multipath: [
      { gateway: "10.0.0.2", dev: "v0", encap: { type: "mpls", labels: [100] } },
      { encap: { type: "mpls", labels: [200, 300], ttl: 4 }, gateway: "10.0.0.3", dev: "v0" },
    ],
  });
  deepStrictEqual((await route(conn, "10.1.0.0/24")).multipath?.map((p) => p.encap), [
    { type: "mpls", labels: [100] },
    { type: "mpls", labels: [200, 300], ttl: 4 },
  ]);
  await conn.addNexthop({ id: 8, encap: { type: "mpls", labels: [16] }, gateway: "10.0.0.2", dev: "v0" });
  const nh = await conn.getNexthop(8);
  deepStrictEqual([nh.oif, nh.encap], [v0, { type: "mpls", labels: [16] }]);
});
