/**
 * Adds 10,000 routes in one pipelined batch and reports each failure, in a
 * throwaway namespace.
 *
 *   sudo deno run --allow-ffi --allow-read examples/batch.ts
 */
import { addNetns, Connection, deleteNetns } from "../mod.ts";

const ns = `batch-${Deno.pid}`;
await addNetns(ns);
try {
  using conn = await Connection.open({ netns: ns });
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  await conn.setLinkUp("v0");
  await conn.addAddress({ dev: "v0", address: "10.0.0.1/16" });
  const batch = conn.batch();
  for (let i = 0; i < 10_000; i++) {
    batch.addRoute({ dst: `172.16.${i >> 8}.${i & 255}/32`, gateway: "10.0.0.2", dev: "v0" });
  }
  batch.addRoute({ dst: "172.16.0.0/32", gateway: "10.0.0.2", dev: "v0" }); // a duplicate: fails alone
  const t0 = performance.now();
  const result = await batch.execute();
  console.log(`${result.succeeded} routes in ${(performance.now() - t0).toFixed(0)} ms`);
  for (const f of result.failures) console.log(`#${f.index} ${f.error?.message}`);
} finally {
  await deleteNetns(ns);
}
