/**
 * Per-VLAN bridge counters (BRIDGE_XSTATS_VLAN, struct bridge_vlan_xstats):
 * decoding of hand-built RTM_NEWSTATS attributes, and `bridge -s vlan show`'s
 * text and JSON for them, as iproute2 6.1's bridge/vlan.c prints them. (Real
 * VLAN listings need CONFIG_BRIDGE_VLAN_FILTERING: see tests/cli/bridge_vlan_stats_test.ts.)
 */
import assert from "node:assert/strict";
import type { InterfaceStats, Link } from "../../mod.ts";
import { decodeAttrs } from "../../src/core/schema.ts";
import { STATS_GROUP_ATTRS } from "../../src/route/stats_groups.ts";
import { printVlanStatsRecord } from "../../cli/bridge/vlan_stats.ts";
import { Links } from "../../cli/bridge/context.ts";
import { Printer } from "../../cli/common/output.ts";

const MASTER = 1, PVID = 2, UNTAGGED = 4, BRENTRY = 32;

/** One BRIDGE_XSTATS_VLAN attribute: four u64 counters, vid, flags, 4 bytes of padding. */
function vlanAttr(vid: number, flags: number, counters: [number, number, number, number]): number[] {
  const b = new Uint8Array(44);
  const v = new DataView(b.buffer);
  v.setUint16(0, 44, true);
  v.setUint16(2, 1, true); // BRIDGE_XSTATS_VLAN
  counters.forEach((c, i) => v.setBigUint64(4 + 8 * i, BigInt(c), true));
  v.setUint16(36, vid, true);
  v.setUint16(38, flags, true);
  return [...b];
}

const nest = (type: number, body: number[]) => [(4 + body.length) & 0xff, (4 + body.length) >> 8, type, 0, ...body];

/** IFLA_STATS_LINK_XSTATS(_SLAVE) { LINK_XSTATS_TYPE_BRIDGE { VLAN… } }, decoded. */
function decode(index: number, group: 2 | 3, vlans: number[][]): InterfaceStats {
  const bytes = new Uint8Array(nest(group, nest(1, vlans.flat())));
  const d = decodeAttrs(STATS_GROUP_ATTRS, bytes, new DataView(bytes.buffer), 0, bytes.length);
  return { ...d, index } as InterfaceStats;
}

const bridge = decode(3, 2, [
  vlanAttr(1, MASTER | PVID | UNTAGGED | BRENTRY, [100, 2, 200, 3]),
  vlanAttr(20, MASTER, [0, 0, 0, 0]), // a port-side entry of the bridge: left to the port dump
  vlanAttr(30, MASTER | BRENTRY, [5, 1, 0, 0]),
]);
const port = decode(4, 3, [vlanAttr(1, PVID | UNTAGGED, [7, 1, 8, 1]), vlanAttr(10, 0, [2 ** 40, 0, 0, 0])]);

const links = new Links(
  [{ index: 3, name: "br0", flags: [] }, { index: 4, name: "p0", flags: [] }] as unknown as Link[],
);

function print(json: boolean, vid = 0): string {
  const out = new Printer({ json, pretty: false, oneline: false });
  out.startList();
  printVlanStatsRecord(out, links, bridge, vid);
  printVlanStatsRecord(out, links, port, vid);
  out.endList();
  return out.text();
}

Deno.test("BRIDGE_XSTATS_VLAN decodes to typed counters with named flags", () => {
  assert.deepEqual(port.xstatsSlave?.bridge?.vlan, [
    { rxBytes: 7n, rxPackets: 1n, txBytes: 8n, txPackets: 1n, vid: 1, flags: ["pvid", "untagged"] },
    { rxBytes: 2n ** 40n, rxPackets: 0n, txBytes: 0n, txPackets: 0n, vid: 10, flags: [] },
  ]);
  assert.deepEqual(bridge.xstats?.bridge?.vlan?.[0].flags, ["master", "pvid", "untagged", "brentry"]);
});

Deno.test("bridge -s vlan show: text as iproute2 prints it", () => {
  const name = (s: string) => s.padEnd(16) + "  ";
  const counters = (rx: bigint | number, rxp: number, tx: number, txp: number) =>
    `${" ".repeat(20)}RX: ${rx} bytes ${rxp} packets\n${" ".repeat(20)}TX: ${tx} bytes ${txp} packets\n`;
  assert.equal(
    print(false),
    name("br0") + "1 PVID Egress Untagged\n" + counters(100, 2, 200, 3) +
      name("") + "30\n" + counters(5, 1, 0, 0) +
      name("p0") + "1 PVID Egress Untagged\n" + counters(7, 1, 8, 1) +
      name("") + "10\n" + counters(2n ** 40n, 0, 0, 0),
  );
  assert.equal(print(false, 10), name("p0") + "10\n" + counters(2n ** 40n, 0, 0, 0));
});

Deno.test("bridge -s -j vlan show: JSON as iproute2 prints it (flags whenever a bit is set)", () => {
  const c = (rx: number, rxp: number, tx: number, txp: number) => ({
    rx_bytes: rx,
    rx_packets: rxp,
    tx_bytes: tx,
    tx_packets: txp,
  });
  assert.deepEqual(JSON.parse(print(true)), [
    {
      ifname: "br0",
      vlans: [
        { vid: 1, flags: ["PVID", "Egress Untagged"], ...c(100, 2, 200, 3) },
        { vid: 30, flags: [], ...c(5, 1, 0, 0) },
      ],
    },
    {
      ifname: "p0",
      vlans: [{ vid: 1, flags: ["PVID", "Egress Untagged"], ...c(7, 1, 8, 1) }, { vid: 10, ...c(2 ** 40, 0, 0, 0) }],
    },
  ]);
  assert.equal(print(true, 99), "[]\n");
});
