/**
 * tc's `-s` statistics blocks (cli/tc/tc_print.ts printStats) from what the
 * kernel reported: TCA_STATS2's blocks, an empty TCA_STATS2 (nothing
 * printed), and the old TCA_STATS alone in its one-line format (text only).
 */
import assert from "node:assert/strict";
import { mergeStats } from "../../src/tc/decode.ts";
import { Printer } from "../../cli/common/output.ts";
import { printStats } from "../../cli/tc/tc_print.ts";

function text(stats2: Record<string, unknown> | undefined, v1?: Record<string, unknown>, json = false): string {
  const p = new Printer({ json, pretty: false });
  if (json) p.openObject();
  printStats(p, mergeStats(stats2, v1)!, " ");
  if (json) p.closeObject();
  return p.text();
}

Deno.test("tc -s: TCA_STATS2's blocks; an empty one prints nothing", () => {
  const stats2 = {
    basic: { bytes: 100n, packets: 2 },
    queue: { drops: 1, overlimits: 0, requeues: 0, qlen: 0, backlog: 0 },
  };
  assert.equal(
    text(stats2),
    " Sent 100 bytes 2 pkt (dropped 1, overlimits 0 requeues 0) \n backlog 0b 0p requeues 0",
  );
  assert.equal(text({}, { bytes: 5n, packets: 1 }), "");
});

Deno.test("tc -s: the old TCA_STATS alone, in tc's old format (no JSON)", () => {
  const v1 = { bytes: 1500n, packets: 3, drops: 1, overlimits: 2, bps: 0, pps: 0, qlen: 0, backlog: 0 };
  assert.equal(text(undefined, v1), " Sent 1500 bytes 3 pkts (dropped 1, overlimits 2) ");
  assert.equal(
    text(undefined, { ...v1, bps: 125000, pps: 10, qlen: 2, backlog: 3000 }),
    " Sent 1500 bytes 3 pkts (dropped 1, overlimits 2) \n rate 1Mbit 10pps backlog 3000b 2p ",
  );
  assert.equal(text(undefined, v1, true), "{}");
});
