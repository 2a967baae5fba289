/**
 * Single FDB look-ups (`getFdbEntry`, RTM_GETNEIGH without a dump) and
 * per-VLAN bridge counters (BRIDGE_XSTATS_VLAN through `getInterfaceStats`)
 * against the real kernel. The counters need CONFIG_BRIDGE_VLAN_FILTERING
 * (`bridge-vlan-filtering`); that test skips, saying so, where it is off.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type Connection, getInterfaceStats, NetlinkError, ValidationError } from "../../mod.ts";
import { kernelTest } from "../_lib/netns.ts";

/** br0 (options as given) with port v1, whose peer v0 is outside the bridge; all up. */
async function bridgeWithPort(conn: Connection, bridge: Record<string, unknown> = {}): Promise<void> {
  await conn.addLink({ kind: "bridge", name: "br0", ...bridge });
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  await conn.setLink("v1", { master: "br0", up: true });
  await conn.setLinkUp("v0");
  await conn.setLinkUp("br0");
}

await kernelTest("getFdbEntry: finds one entry by port or bridge; ENOENT and the kernel's refusals", {
  needs: ["veth", "bridge"],
}, async (conn) => {
  await bridgeWithPort(conn);
  const v1 = (await conn.getLink("v1")).index, br0 = (await conn.getLink("br0")).index;
  await conn.addFdb({ mac: "02:00:00:00:00:01", dev: "v1", master: true, state: "static" });

  const byPort = await conn.getFdbEntry({ mac: "02:00:00:00:00:01", dev: "v1" });
  equal(byPort.family, "bridge");
  equal(byPort.lladdr, "02:00:00:00:00:01");
  equal(byPort.ifindex, v1);
  equal(byPort.master, br0);
  deepStrictEqual(byPort.state, ["noarp"]);
  const byBridge = await conn.getFdbEntry({ mac: "02:00:00:00:00:01", bridge: "br0" });
  equal(byBridge.ifindex, v1);
  // The same entry the dump lists (a kernel with VLAN support may list the address for VLAN 1 as well).
  const listed = (await conn.getFdb({ dev: "v1" })).find((e) =>
    e.lladdr === "02:00:00:00:00:01" && e.vlan === byPort.vlan
  );
  deepStrictEqual({ ...listed, cacheinfo: undefined }, { ...byPort, cacheinfo: undefined });

  const missing = await conn.getFdbEntry({ mac: "02:00:00:00:00:99", dev: "v1" }).catch((e) => e);
  ok(missing instanceof NetlinkError && missing.isNotFound(), String(missing));
  equal(missing.extAck?.message, "Fdb entry not found");
  await rejects(conn.getFdbEntry({ mac: "02:00:00:00:00:01", dev: "v0" }), NetlinkError); // not a bridge port
  await rejects(conn.getFdbEntry({ mac: "02:00:00:00:00:01", dev: "v1", bridge: "br0" }), NetlinkError);

  // Bad input fails before anything is sent (and before names are looked up).
  for (
    const bad of [
      { mac: "nope", dev: "v1" },
      { mac: "02:00:00:00:00:01" },
      { mac: "02:00:00:00:00:01", dev: "v1", vlan: 0 },
      { mac: "02:00:00:00:00:01", dev: "v1", vlan: 4095 },
      { mac: "02:00:00:00:00:01", dev: "no-such-dev", vni: 1 << 24 },
    ]
  ) await rejects(conn.getFdbEntry(bad), ValidationError, JSON.stringify(bad));
});

await kernelTest("getInterfaceStats: per-VLAN counters of a bridge and its ports, typed", {
  needs: ["veth", "bridge", "bridge-vlan-filtering"],
}, async (conn) => {
  await bridgeWithPort(conn, { vlanFiltering: true, vlanStatsEnabled: true });
  await conn.addBridgeVlan({ dev: "v1", vid: 10, pvid: true, untagged: true });
  await conn.addBridgeVlan({ dev: "br0", vid: 10, self: true });
  const v1 = (await conn.getLink("v1")).index, br0 = (await conn.getLink("br0")).index;

  const [port] = await getInterfaceStats(conn, { dev: v1, groups: ["xstatsSlave"] });
  const vlan10 = port.xstatsSlave?.bridge?.vlan?.find((v) => v.vid === 10);
  ok(vlan10, JSON.stringify(port, (_k, v) => typeof v === "bigint" ? String(v) : v));
  ok(vlan10.flags.includes("pvid") && vlan10.flags.includes("untagged"), vlan10.flags.join(","));
  equal(typeof vlan10.rxBytes, "bigint");
  equal(typeof vlan10.txPackets, "bigint");

  const [bridge] = await getInterfaceStats(conn, { dev: br0, groups: ["xstats"] });
  const own = bridge.xstats?.bridge?.vlan?.find((v) => v.vid === 10);
  ok(own && own.flags.includes("brentry"), JSON.stringify(own?.flags));
});
