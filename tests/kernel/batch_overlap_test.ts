/**
 * Batches sent on Deno's blocking pool (`sendBatch(…, { overlap: true })`,
 * `PreparedBatch.send({ overlap: true })`): the same outcome per request as a
 * send on the JS thread, requests reach the kernel in the order they were
 * sent, closing while a send runs is safe, and a script that leaves one
 * running still exits by itself.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { OVERLAP_MIN, ValidationError } from "../../mod.ts";
import { MessageWriter } from "../../src/core/writer.ts";
import { writeRouteRequest } from "../../src/route/route.ts";
import { kernelTest } from "../_lib/netns.ts";

/** Blackhole route adds for 10.A.B.0/24, i from `from` on; `dup` repeats some of them (File exists). */
function routeAdds(count: number, from = 0, dup: number[] = []): Uint8Array {
  const w = new MessageWriter();
  for (let i = from; i < from + count; i++) {
    const k = dup.includes(i) ? from : i;
    writeRouteRequest(w, "add", { dst: `10.${k >> 8}.${k & 255}.0/24`, type: "blackhole" });
  }
  return w.bytes();
}

await kernelTest("overlap: every request's own outcome, as on the JS thread", {}, async (conn) => {
  // 3000 requests: three chunks of 1024 or fewer, each large enough for the pool.
  const dup = [5, 1500, 2999];
  const onPool = await conn.sendBatch(routeAdds(3000, 0, dup), "batch", { overlap: true });
  equal(onPool.length, 3000);
  deepEqual(onPool.filter((o) => !o.ok).map((o) => o.index), dup);
  for (const o of onPool) if (!o.ok) equal(o.error.code, "EEXIST");
  // All 3000 again on the JS thread: only the three left out the first time are new.
  const again = await conn.sendBatch(routeAdds(3000), "batch");
  deepEqual(again.filter((o) => o.ok).map((o) => o.index), dup);
  const retried = await conn.sendBatch(routeAdds(3000), "batch", { overlap: true });
  ok(retried.every((o, i) => !o.ok && o.index === i && o.error.code === "EEXIST"));
  equal(OVERLAP_MIN, 256);
});

await kernelTest(
  "overlap: requests sent while a batch runs on the pool reach the kernel after it",
  {},
  async (conn) => {
    const batch = conn.sendBatch(routeAdds(2048), "batch", { overlap: true });
    // Sent before the batch's promise settled: would fail with ESRCH if it overtook the batch's second chunk.
    const del = conn.delRoute({ dst: "10.7.255.0/24", type: "blackhole" });
    equal((await batch).filter((o) => !o.ok).length, 0);
    await del;
    equal((await conn.getRoutes({ family: "inet", type: "blackhole" })).length, 2047);
    // Two overlapped batches at once: the second waits for the first.
    const a = conn.sendBatch(routeAdds(1000, 3000), "batch", { overlap: true });
    const b = conn.sendBatch(routeAdds(1000, 3000), "batch", { overlap: true });
    equal((await a).filter((o) => !o.ok).length, 0);
    equal((await b).filter((o) => !o.ok).length, 1000);
  },
);

await kernelTest("overlap: a prepared batch validates before anything is sent", {}, async (conn) => {
  const b = conn.batch();
  for (let i = 0; i < 500; i++) b.addRoute({ dst: `10.9.${i >> 8}.${i & 255}/32`, type: "blackhole" });
  b.addRoute({ dst: "10.9.9.9/33", type: "blackhole" });
  await rejects(b.prepare(), ValidationError);
  equal((await conn.getRoutes({ family: "inet", type: "blackhole" })).length, 0);
  for (let i = 0; i < 500; i++) b.addRoute({ dst: `10.9.${i >> 8}.${i & 255}/32`, type: "blackhole" });
  const prepared = await b.prepare();
  equal(prepared.size, 500);
  const result = await prepared.send({ overlap: true });
  equal(result.succeeded, 500);
  await rejects(prepared.send(), /sent once/);
  const unsent = await conn.batch().addRoute({ dst: "10.9.200.0/24", type: "blackhole" }).prepare();
  unsent.discard();
  equal((await conn.getRoutes({ family: "inet", type: "blackhole" })).length, 500);
});

await kernelTest(
  "overlap: closing while a send runs fails the batch, keeps the descriptor until it returns",
  {},
  async (conn) => {
    const batch = conn.sendBatch(routeAdds(1024), "batch", { overlap: true });
    conn.close();
    const outcomes = await batch;
    ok(outcomes.every((o) => !o.ok && o.error.code === "EBADF"), "every request reports the close");
  },
);

await kernelTest("overlap: a script that leaves a send running exits by itself", {}, async (_conn, ns) => {
  const mod = new URL("../../mod.ts", import.meta.url).href;
  const script = `
    import { Connection } from "${mod}";
    const conn = await Connection.open({ netns: ${JSON.stringify(ns)} });
    const b = conn.batch();
    for (let i = 0; i < 4096; i++) b.addRoute({ dst: \`10.8.\${i >> 8}.\${i & 255}/32\`, type: "blackhole" });
    (await b.prepare()).send({ overlap: true }).catch(() => {});
    conn.close();
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", script],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const status = await child.output();
  clearTimeout(timer);
  equal(status.signal, null, "the script had to be killed");
  equal(status.code, 0, new TextDecoder().decode(status.stderr));
});
