/** Link statistics: RTM_GETSTATS counters, snapshots, deltas and rates while traffic flows. */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { addNetns, Connection, deleteNetns } from "../../mod.ts";
import { getLinkStats, StatsTracker, takeStatsSnapshot } from "../../src/route/stats.ts";
import { kernelTest, uniqueNetnsName } from "../_lib/netns.ts";
import { sendUdp } from "../_lib/setup.ts";

await kernelTest("counters move with traffic; deltas and rates follow", { needs: ["veth"] }, async (conn, ns) => {
  const peer = uniqueNetnsName("st");
  await addNetns(peer);
  try {
    const out = await new Deno.Command("ip", {
      args: ["-n", ns, "link", "add", "s0", "type", "veth", "peer", "name", "s1", "netns", peer],
    }).output();
    equal(out.code, 0);
    using other = await Connection.open({ netns: peer });
    await conn.setLinkUp("s0");
    await other.setLinkUp("s1");
    await conn.addAddress({ dev: "s0", address: "10.7.0.1/24" });
    await other.addAddress({ dev: "s1", address: "10.7.0.2/24" });
    const index = (await conn.getLink("s0")).index;
    const tracker = new StatsTracker();
    equal(tracker.update(await takeStatsSnapshot(conn)), undefined);
    const before = (await getLinkStats(conn, { dev: "s0" }))[0];
    await sendUdp(ns, "10.7.0.2", 200, 500);
    const after = (await getLinkStats(conn, { dev: "s0" }))[0];
    ok(
      after.stats.txPackets - before.stats.txPackets >= 200n,
      `tx packets ${before.stats.txPackets} → ${after.stats.txPackets}`,
    );
    ok(after.stats.txBytes - before.stats.txBytes >= 200n * 500n);
    const rates = tracker.update(await takeStatsSnapshot(conn))!;
    const r = rates.find((x) => x.index === index)!;
    ok(r.delta.txPackets >= 200n);
    ok(r.txBytesPerSecond > 0 && r.txBitsPerSecond === r.txBytesPerSecond * 8);
    // The full link dump reports the same counters (RTM_GETSTATS is just lighter).
    const link = await conn.getLink("s0");
    ok(link.stats64!.txPackets >= after.stats.txPackets);
    deepStrictEqual(
      (await getLinkStats(conn)).map((c) => c.index).sort(),
      (await conn.getLinks()).map((l) => l.index).sort(),
    );
  } finally {
    await deleteNetns(peer);
  }
});
