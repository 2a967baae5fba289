/**
 * `sendBatch`'s `acks`: which messages ask for an acknowledgement, and that
 * every message still gets its own outcome without any (the kernel queues a
 * failure before `send` returns).
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { ValidationError } from "../../mod.ts";
import { NLM_F } from "../../src/core/header.ts";
import { MessageWriter } from "../../src/core/writer.ts";
import { writeRouteRequest } from "../../src/route/route.ts";
import { kernelTest } from "../_lib/netns.ts";

/** Blackhole route adds for 10.A.B.0/24, i from 0 to count - 1; `dup` indices repeat route 0 (File exists). */
function routeAdds(count: number, dup: number[] = []): Uint8Array {
  const w = new MessageWriter();
  for (let i = 0; i < count; i++) {
    const k = dup.includes(i) ? 0 : i;
    writeRouteRequest(w, "add", { dst: `10.${k >> 8}.${k & 255}.0/24`, type: "blackhole" });
  }
  return w.bytes();
}

/** The ACK flag of each message in `bytes`. */
function ackFlags(bytes: Uint8Array): boolean[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: boolean[] = [];
  for (let off = 0; off < bytes.length; off += (v.getUint32(off, true) + 3) & ~3) {
    out.push((v.getUint16(off + 6, true) & NLM_F.ACK) !== 0);
  }
  return out;
}

await kernelTest("acks: none asked, and each failure still comes back to its message", {}, async (conn) => {
  // 2500 requests: three chunks; failures in the first, the middle and the last.
  const dup = [3, 1500, 2499];
  const requests = routeAdds(2500, dup);
  const outcomes = await conn.sendBatch(requests, "batch", { acks: "none" });
  ok(ackFlags(requests).every((ack) => !ack), "no message asks for an ack");
  equal(outcomes.length, 2500);
  deepEqual(outcomes.filter((o) => !o.ok).map((o) => o.index), dup);
  for (const o of outcomes) if (!o.ok) equal(o.error.code, "EEXIST");
  equal((await conn.getRoutes({ family: "inet", type: "blackhole" })).length, 2500 - dup.length);
  // The connection goes on as before: a request after the batch gets its own answer.
  await rejects(conn.addRoute({ dst: "10.0.0.0/24", type: "blackhole" }), /exists/);
});

await kernelTest("acks: each asked, or only each chunk's last", {}, async (conn) => {
  const each = routeAdds(1500, [700]);
  const outcomes = await conn.sendBatch(each, "batch", { acks: "each" });
  ok(ackFlags(each).every((ack) => ack));
  deepEqual(outcomes.filter((o) => !o.ok).map((o) => o.index), [700]);
  const last = routeAdds(1500);
  const again = await conn.sendBatch(last, "batch");
  equal(again.filter((o) => o.ok).length, 1, "only the one refused before is new");
  equal(ackFlags(last).filter((ack) => ack).length, 2, "two chunks, one ack each");
  await rejects(conn.sendBatch(last, "batch", { acks: "some" as "none" }), ValidationError);
});
