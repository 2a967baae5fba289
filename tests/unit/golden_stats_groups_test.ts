/**
 * RTM_GETSTATS / RTM_SETSTATS requests of `ip stats` compared with the bytes
 * iproute2 6.1 sent (captured with ../shared/tools/nlcapture; seq and pid zeroed).
 */
import assert from "node:assert/strict";
import { interfaceStatsRequest, setInterfaceStatsRequest, ValidationError } from "../../mod.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("ip stats show dev v0 (every group)", () => {
  const req = interfaceStatsRequest({
    groups: ["link64", "xstats", "xstatsSlave", "offload", "afSpec"],
    offload: ["cpuHit", "hwStatsInfo", "l3Stats"],
  }, 3);
  assert.equal(hex(req), "1c0000005e000100000000000000000000000000030000001f000000");
});

Deno.test("ip stats show dev v0 group offload subgroup cpu_hit (a filter nest)", () => {
  const req = interfaceStatsRequest({ groups: ["offload"], offload: ["cpuHit"] }, 3);
  assert.equal(hex(req), "280000005e00010000000000000000000000000003000000080000000c0001800800040001000000");
});

Deno.test("ip stats set dev v0 l3_stats off", () => {
  assert.equal(
    hex(setInterfaceStatsRequest(3, { l3Stats: false })),
    "240000005f00050000000000000000000000000003000000000000000500020000000000",
  );
});

Deno.test("stats requests reject unknown groups before sending", () => {
  assert.throws(() => interfaceStatsRequest({ groups: ["bogus" as "link64"] }), ValidationError);
  assert.throws(() => setInterfaceStatsRequest(3, { l3Stats: 1 as unknown as boolean }), ValidationError);
});

Deno.test("a bond's 802.3ad counters decode (their enum starts at 0)", async () => {
  const { decodeAttrs } = await import("../../src/core/schema.ts");
  const { STATS_GROUP_ATTRS } = await import("../../src/route/stats_groups.ts");
  // IFLA_STATS_LINK_XSTATS { LINK_XSTATS_TYPE_BOND { BOND_XSTATS_3AD { LACPDU_RX = 5, MARKER_TX = 7 } } }
  const u64 = (type: number, v: number) => [12, 0, type, 0, v, 0, 0, 0, 0, 0, 0, 0];
  const inner = [...u64(0, 5), ...u64(5, 7)];
  const nest = (type: number, body: number[]) => [4 + body.length, 0, type, 0, ...body];
  const bytes = new Uint8Array(nest(2, nest(2, nest(1, inner))));
  const d = decodeAttrs(STATS_GROUP_ATTRS, bytes, new DataView(bytes.buffer), 0, bytes.length) as {
    xstats?: { bond?: { lacp?: Record<string, bigint> } };
  };
  assert.deepEqual(d.xstats?.bond?.lacp, { lacpduRx: 5n, markerTx: 7n });
});

Deno.test("a stats notification (group stats) decodes as a newstats event", async () => {
  const { decodeEvent } = await import("../../src/route/events.ts");
  // What rtnl_offload_xstats_notify sends: if_stats_msg (ifindex 4, filter OFFLOAD_XSTATS), then
  // OFFLOAD_XSTATS › HW_S_INFO (nested flag) › L3_STATS (nested flag) › REQUEST 1, USED 0.
  const hex = "380000005c00000000000000000000000000000004000000080000001c000400" +
    "180002801400038005000100010000000500020000000000";
  const bytes = new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  const view = new DataView(bytes.buffer);
  const ev = decodeEvent({ bytes, view, offset: 0, length: bytes.length, type: 92, flags: 0, seq: 0, pid: 0 });
  assert.equal(ev.type, "newstats");
  if (ev.type !== "newstats") return;
  assert.deepEqual(ev.stats, { index: 4, offload: { hwStatsInfo: { l3Stats: { request: 1, used: 0 } } } });
});
