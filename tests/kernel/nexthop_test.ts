/**
 * Nexthop objects against the kernel: single nexthops, blackholes, fdb
 * nexthops, multipath and resilient groups, buckets, routes through `nhid`;
 * everything read back with nlink and iproute2.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type NetlinkError, ValidationError } from "../../mod.ts";
import {
  addNexthop,
  delNexthop,
  getNexthop,
  getNexthopBucket,
  getNexthopBuckets,
  getNexthops,
  replaceNexthop,
} from "../../src/route/nexthop.ts";
import { getRoute } from "../../src/route/route_get.ts";
import { kernelTest } from "../_lib/netns.ts";
import { iproute2, V0_ADDRESSES, veth } from "../_lib/setup.ts";

const ids = (list: { id: number }[]) => list.map((n) => n.id).sort((a, b) => a - b);

await kernelTest("nexthops: single, blackhole, fdb, mpath groups; filters; routes by nhid; replace, delete", {
  needs: ["veth", "bridge"],
}, async (conn, ns) => {
  await conn.setLinkUp("lo"); // blackhole nexthops use it
  const { v0 } = await veth(conn, { addresses: V0_ADDRESSES });
  await conn.addLink({ kind: "bridge", name: "br0" });
  await conn.setLinkUp("br0");
  await conn.setLink("v1", { master: "br0" });
  await addNexthop(conn, { id: 1, gateway: "10.0.0.2", dev: "v0" });
  await addNexthop(conn, { id: 2, gateway: "10.0.0.3", dev: v0, protocol: "static" });
  await addNexthop(conn, { id: 3, gateway: "2001:db8::2", dev: "v0" });
  await addNexthop(conn, { id: 4, blackhole: true });
  await addNexthop(conn, { id: 5, dev: "v0" });
  await addNexthop(conn, { id: 6, gateway: "10.0.0.9", fdb: true });
  await addNexthop(conn, { id: 7, dev: "v1" }); // a bridge port: found by the master filter
  await addNexthop(conn, { id: 10, group: [{ id: 1 }, { id: 2, weight: 3 }] });
  await addNexthop(conn, { id: 12, group: [{ id: 6 }], fdb: true });

  const all = await getNexthops(conn);
  deepStrictEqual(ids(all), [1, 2, 3, 4, 5, 6, 7, 10, 12]);
  const by = (id: number) => all.find((n) => n.id === id)!;
  deepStrictEqual([by(1).family, by(1).gateway, by(1).oif, by(1).scope], ["inet", "10.0.0.2", v0, "link"]);
  equal(by(2).protocol, "static");
  deepStrictEqual([by(3).family, by(3).gateway], ["inet6", "2001:db8::2"]);
  equal(by(4).blackhole, true);
  deepStrictEqual([by(5).oif, by(5).gateway], [v0, undefined]);
  deepStrictEqual([by(6).fdb, by(6).gateway, by(6).oif], [true, "10.0.0.9", undefined]);
  deepStrictEqual([by(10).group, by(10).groupType], [[{ id: 1, weight: 1 }, { id: 2, weight: 3 }], "mpath"]);
  deepStrictEqual([by(12).group, by(12).fdb], [[{ id: 6, weight: 1 }], true]);
  deepStrictEqual(await getNexthop(conn, 10), by(10));

  // The kernel's filters, and the ones tested here.
  deepStrictEqual(ids(await getNexthops(conn, { groups: true })), [10, 12]);
  deepStrictEqual(ids(await getNexthops(conn, { dev: "v0" })), [1, 2, 3, 5]);
  deepStrictEqual(ids(await getNexthops(conn, { fdb: true })), [6, 12]);
  deepStrictEqual(ids(await getNexthops(conn, { master: "br0" })), [7]);
  deepStrictEqual(ids(await getNexthops(conn, { family: "inet6" })), [3]);
  deepStrictEqual(ids(await getNexthops(conn, { protocol: "static" })), [2]);
  deepStrictEqual(await getNexthops(conn, { id: 2 }), [by(2)]);
  deepStrictEqual(await getNexthops(conn, { id: 99 }), []);
  await rejects(getNexthop(conn, 99), (e: NetlinkError) => e.isNotFound());

  // iproute2 reads the same objects.
  const ip = (await iproute2(ns, "nexthop", "show")) as { id: number; group?: { id: number; weight?: number }[] }[];
  deepStrictEqual(ids(ip), [1, 2, 3, 4, 5, 6, 7, 10, 12]);
  deepStrictEqual(ip.find((n) => n.id === 10)!.group, [{ id: 1 }, { id: 2, weight: 3 }]);

  // Routes through nexthop objects.
  await conn.addRoute({ dst: "10.9.0.0/24", nhid: 10 });
  await conn.addRoute({ dst: "2001:db8:9::/64", nhid: 3 });
  const r4 = (await conn.getRoutes({ family: "inet" })).find((r) => r.dst === "10.9.0.0/24")!;
  equal(r4.nhId, 10);
  deepStrictEqual(r4.multipath?.map((p) => [p.gateway, p.hops + 1, p.ifindex]), [
    ["10.0.0.2", 1, v0],
    ["10.0.0.3", 3, v0],
  ]);
  const r6 = (await conn.getRoutes({ family: "inet6" })).find((r) => r.dst === "2001:db8:9::/64")!;
  deepStrictEqual([r6.nhId, r6.gateway, r6.oif], [3, "2001:db8::2", v0]);
  const ipr = (await iproute2(ns, "route", "show", "10.9.0.0/24")) as { nhid: number }[];
  equal(ipr[0].nhid, 10);
  const got = await getRoute(conn, { dst: "10.9.0.77" });
  deepStrictEqual([got.oif, ["10.0.0.2", "10.0.0.3"].includes(got.gateway!)], [v0, true]);

  // A replaced member changes the routes using it.
  await replaceNexthop(conn, { id: 1, gateway: "10.0.0.4", dev: "v0" });
  equal((await getNexthop(conn, 1)).gateway, "10.0.0.4");
  const r4b = (await conn.getRoutes({ family: "inet" })).find((r) => r.dst === "10.9.0.0/24")!;
  deepStrictEqual(r4b.multipath?.map((p) => p.gateway), ["10.0.0.4", "10.0.0.3"]);

  await rejects(addNexthop(conn, { id: 1, gateway: "10.0.0.5", dev: "v0" }), (e: NetlinkError) => e.isExists());
  // Deleting a group takes the routes using it along.
  await delNexthop(conn, 10);
  ok(!(await conn.getRoutes({ family: "inet" })).some((r) => r.dst === "10.9.0.0/24"));
  deepStrictEqual(ids(await getNexthops(conn, { groups: true })), [12]);
  await rejects(delNexthop(conn, 10), (e: NetlinkError) => e.isNotFound());
});

await kernelTest("nexthops: bad input is refused before anything is sent", { needs: ["veth"] }, async (conn) => {
  await conn.setLinkUp("lo");
  await veth(conn, { addresses: V0_ADDRESSES });
  await addNexthop(conn, { id: 1, gateway: "10.0.0.2", dev: "v0" });
  await rejects(
    addNexthop(conn, { id: 10, group: [{ id: 1, weight: 0 }] }),
    (e: ValidationError) => e instanceof ValidationError && e.field === "nexthop.group[0].weight",
  );
  await rejects(
    addNexthop(conn, { id: 11, group: [{ id: 1 }], buckets: 8 }),
    (e: ValidationError) => e instanceof ValidationError && e.field === "type",
  );
  await rejects(addNexthop(conn, { id: -1, gateway: "10.0.0.2", dev: "v0" }), ValidationError);
  await rejects(addNexthop(conn, { id: 2 ** 32, gateway: "10.0.0.2", dev: "v0" }), ValidationError);
  await rejects(addNexthop(conn, { id: 12, gateway: "10.0.0.2", family: "inet6", dev: "v0" }), ValidationError);
  await rejects(addNexthop(conn, { id: 13, gateway: "10.0.0.2", dev: "nosuch" }), (e: NetlinkError) => e.isNotFound());
  deepStrictEqual(ids(await getNexthops(conn)), [1]);
  // id 0, as no id, lets the kernel pick one (iproute2's `ip nexthop add id 0` sends it so).
  await addNexthop(conn, { id: 0, gateway: "10.0.0.3", dev: "v0" });
  equal((await getNexthops(conn)).length, 2);
});

await kernelTest("nexthops: resilient groups, their buckets and timers", { needs: ["veth"] }, async (conn, ns) => {
  await conn.setLinkUp("lo");
  const { v0 } = await veth(conn, { addresses: V0_ADDRESSES });
  await addNexthop(conn, { id: 1, gateway: "10.0.0.2", dev: "v0" });
  await addNexthop(conn, { id: 2, gateway: "10.0.0.3", dev: "v0" });
  await addNexthop(conn, {
    id: 11,
    group: [{ id: 1 }, { id: 2 }],
    type: "resilient",
    buckets: 8,
    idleTimer: 60,
    unbalancedTimer: 120,
  });
  const g = await getNexthop(conn, 11);
  deepStrictEqual([g.groupType, g.group], ["resilient", [{ id: 1, weight: 1 }, { id: 2, weight: 1 }]]);
  deepStrictEqual(g.resilient, { buckets: 8, idleTimer: 60, unbalancedTimer: 120, unbalancedTime: 0n });

  const buckets = await getNexthopBuckets(conn, { id: 11 });
  deepStrictEqual(buckets.map((b) => b.index), [0, 1, 2, 3, 4, 5, 6, 7]);
  ok(buckets.every((b) => b.id === 11 && typeof b.idleTime === "bigint" && [1, 2].includes(b.nhId)));
  // Equal weights: the buckets are shared equally.
  equal(buckets.filter((b) => b.nhId === 1).length, 4);
  deepStrictEqual(
    (await getNexthopBuckets(conn, { nhid: 1 })).map((b) => b.index),
    buckets.filter((b) => b.nhId === 1).map((b) => b.index),
  );
  deepStrictEqual((await getNexthopBuckets(conn, { dev: "v0" })).length, 8);
  const one = await getNexthopBucket(conn, 11, 3);
  deepStrictEqual([one.id, one.index, one.nhId], [11, 3, buckets[3].nhId]);

  const ip = (await iproute2(ns, "nexthop", "bucket", "show", "id", "11")) as {
    bucket: { index: number; nhid: number };
  }[];
  deepStrictEqual(ip.map((b) => [b.bucket.index, b.bucket.nhid]), buckets.map((b) => [b.index, b.nhId]));
  const ipg = (await iproute2(ns, "nexthop", "show", "id", "11")) as {
    type: string;
    resilient_args: { buckets: number };
  }[];
  deepStrictEqual([ipg[0].type, ipg[0].resilient_args.buckets], ["resilient", 8]);

  // A route through the group resolves to one of its members.
  await conn.addRoute({ dst: "10.8.0.0/24", nhid: 11 });
  const r = await getRoute(conn, { dst: "10.8.0.7" });
  deepStrictEqual([r.oif, ["10.0.0.2", "10.0.0.3"].includes(r.gateway!)], [v0, true]);
});
