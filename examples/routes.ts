/**
 * Adds and removes a route, in a throwaway namespace so that it is safe to run
 * (as root): creates the namespace, a veth pair and an address, adds a route via
 * a gateway, shows it, deletes it.
 *
 *   sudo deno run --allow-ffi --allow-read examples/routes.ts
 */
import { addNetns, Connection, deleteNetns } from "../mod.ts";

const ns = `example-${Deno.pid}`;
await addNetns(ns);
try {
  using conn = await Connection.open({ netns: ns });
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  await conn.setLinkUp("v0");
  await conn.addAddress({ dev: "v0", address: "192.0.2.1/24" });

  await conn.addRoute({ dst: "198.51.100.0/24", gateway: "192.0.2.254", dev: "v0", metric: 10 });
  for (const r of await conn.getRoutes({ family: "inet", table: "main" })) {
    console.log(r.dst, r.gateway ? `via ${r.gateway}` : "", `dev ${r.oif}`, r.priority ? `metric ${r.priority}` : "");
  }
  await conn.delRoute({ dst: "198.51.100.0/24", gateway: "192.0.2.254", dev: "v0", metric: 10 });
  console.log("deleted; routes left:", (await conn.getRoutes({ family: "inet", table: "main" })).length);
} finally {
  await deleteNetns(ns);
}
