/**
 * forEachRoute: the callback dump the CLI prints big tables with. It must see
 * exactly what getRoutes returns, honour the kernel-side filters (device
 * included), and report a throwing callback after reading the dump to its end.
 */
import { deepStrictEqual, equal, rejects } from "node:assert/strict";
import { forEachRoute, type Route } from "../../mod.ts";
import { kernelTest } from "../_lib/netns.ts";

await kernelTest("forEachRoute: the same routes as getRoutes, in order, filters applied", {
  needs: ["veth"],
}, async (conn) => {
  await conn.addLink({ kind: "veth", name: "d0", peer: { name: "d1" } });
  await conn.setLinkUp("d1");
  await conn.setLinkUp("d0");
  await conn.addAddress({ dev: "d0", address: "10.40.0.1/24" });
  const b = conn.batch();
  for (let i = 0; i < 3000; i++) b.addRoute({ dst: `10.${41 + (i >> 8)}.${i & 255}.0/24`, gateway: "10.40.0.2" });
  for (let i = 0; i < 10; i++) b.addRoute({ dst: `10.60.${i}.0/24`, type: "blackhole" });
  equal((await b.execute()).ok, true);

  const seen: Route[] = [];
  await forEachRoute(conn, { family: "inet", table: "main" }, (r) => seen.push(r));
  deepStrictEqual(seen, await conn.getRoutes({ family: "inet", table: "main" }));
  equal(seen.length, 3011); // 3,000 via d0, 10 blackholes, d0's own prefix

  let viaDev = 0;
  await forEachRoute(conn, { family: "inet", table: "main", dev: "d0" }, () => viaDev++);
  equal(viaDev, 3001);
});

await kernelTest("forEachRoute: a throwing callback rejects once the dump is read", {}, async (conn) => {
  const b = conn.batch();
  for (let i = 0; i < 500; i++) b.addRoute({ dst: `10.70.${i >> 8}.${i & 255}/32`, type: "blackhole" });
  equal((await b.execute()).ok, true);
  let calls = 0;
  await rejects(
    forEachRoute(conn, { family: "inet" }, () => {
      if (++calls === 3) throw new Error("stop here");
    }),
    /stop here/,
  );
  equal(calls, 3);
  // The socket is free again: the next dump on it sees every route.
  let n = 0;
  await forEachRoute(conn, { family: "inet", type: "blackhole" }, () => n++);
  equal(n, 500);
});
