/**
 * Bridge VLANs against the real kernel: per-port VLANs and ranges added and
 * removed with nlink, read back with nlink's AF_BRIDGE dump (plain and
 * compressed) and `bridge -j vlan show` where the `bridge` tool exists; the
 * VLAN database (per-VLAN state and multicast router, global options);
 * VLAN-to-tunnel mappings on a VXLAN port.
 *
 * VLAN filtering needs CONFIG_BRIDGE_VLAN_FILTERING (the harness's
 * `bridge-vlan-filtering`): where the kernel lacks it these tests skip and
 * say so (the VM lane's kernel has it).
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { NetlinkError, ValidationError } from "../../mod.ts";
import { setBridgePort } from "../../src/route/bridge_port.ts";
import {
  addBridgeVlan,
  type BridgeVlan,
  delBridgeVlan,
  getBridgeVlanEntries,
  getBridgeVlanGlobalOptions,
  getBridgeVlans,
  setBridgeVlan,
  setBridgeVlanGlobalOptions,
} from "../../src/route/bridge_vlan.ts";
import { kernelTest } from "../_lib/netns.ts";
import { bridgeWithPorts, run } from "../_lib/setup.ts";

const VLAN_NEEDS = ["veth", "bridge", "bridge-vlan-filtering"];

/** Our VLANs as `bridge -j vlan show` prints them. */
function asIproute2(vlans: BridgeVlan[]): Record<string, unknown>[] {
  return vlans.map((v) => {
    const flags = [...(v.pvid ? ["PVID"] : []), ...(v.untagged ? ["Egress Untagged"] : [])];
    // iproute2 prints a flags array whenever the entry's flags are non-zero, and a
    // range's last entry carries BRIDGE_VLAN_INFO_RANGE_END: so `"flags": []` there.
    const printed = flags.length > 0 || v.vidEnd !== undefined;
    return { vlan: v.vid, ...(v.vidEnd ? { vlanEnd: v.vidEnd } : {}), ...(printed ? { flags } : {}) };
  });
}

await kernelTest("bridge vlans: add, ranges, pvid/untagged, self, read back, delete", {
  needs: VLAN_NEEDS,
}, async (conn, ns) => {
  await bridgeWithPorts(conn, ns, ["vlan_filtering", "1"], "v0", "v2");
  const br0 = (await conn.getLink("br0")).index;
  const v0 = (await conn.getLink("v0")).index;
  await addBridgeVlan(conn, { dev: "v0", vid: 10 });
  await addBridgeVlan(conn, { dev: v0, vid: 20, pvid: true, untagged: true });
  await addBridgeVlan(conn, { dev: "v0", vid: 100, vidEnd: 200 });
  await addBridgeVlan(conn, { dev: "v0", vid: 300, vidEnd: 310, untagged: true, master: true });
  await addBridgeVlan(conn, { dev: "br0", vid: 30, self: true });

  const expected: BridgeVlan[] = [
    { vid: 1, pvid: false, untagged: true }, // the default PVID's VLAN, whose PVID moved to 20
    { vid: 10, pvid: false, untagged: false },
    { vid: 20, pvid: true, untagged: true },
    { vid: 100, vidEnd: 200, pvid: false, untagged: false },
    { vid: 300, vidEnd: 310, pvid: false, untagged: true },
  ];
  deepStrictEqual(await getBridgeVlans(conn, { dev: "v0", compressed: true }), [
    { ifindex: v0, name: "v0", master: br0, vlans: expected },
  ]);
  // Uncompressed: one item per VLAN.
  const [plain] = await getBridgeVlans(conn, { dev: "v0" });
  equal(plain.vlans.length, 1 + 1 + 1 + 101 + 11);
  deepStrictEqual(plain.vlans.find((v) => v.vid === 305), { vid: 305, pvid: false, untagged: true });
  ok(plain.vlans.every((v) => v.vidEnd === undefined));
  // The bridge's own VLANs (its default PVID, and the one added with self).
  deepStrictEqual((await getBridgeVlans(conn, { dev: "br0", compressed: true }))[0].vlans, [
    { vid: 1, pvid: true, untagged: true },
    { vid: 30, pvid: false, untagged: false },
  ]);
  deepStrictEqual((await getBridgeVlans(conn, { master: "br0" })).map((p) => p.name).sort(), ["br0", "v0", "v2"]);

  const tool = await run("bridge", "-n", ns, "-j", "-compressvlans", "vlan", "show", "dev", "v0");
  if (tool !== undefined) {
    deepStrictEqual(JSON.parse(tool), [{ ifname: "v0", vlans: asIproute2(expected) }]);
  }

  await delBridgeVlan(conn, { dev: "v0", vid: 10 });
  await delBridgeVlan(conn, { dev: "v0", vid: 100, vidEnd: 200 });
  await delBridgeVlan(conn, { dev: "br0", vid: 30, self: true });
  deepStrictEqual((await getBridgeVlans(conn, { dev: "v0", compressed: true }))[0].vlans.map((v) => v.vid), [
    1,
    20,
    300,
  ]);
  deepStrictEqual((await getBridgeVlans(conn, { dev: "br0" }))[0].vlans.map((v) => v.vid), [1]);
  // Not a port: the kernel refuses.
  await rejects(addBridgeVlan(conn, { dev: "v0p", vid: 5 }), NetlinkError);
});

await kernelTest("bridge vlan database: per-VLAN state and multicast router, global options", {
  needs: VLAN_NEEDS,
}, async (conn, ns) => {
  await bridgeWithPorts(conn, ns, ["vlan_filtering", "1", "mcast_vlan_snooping", "1"], "v0");
  const v0 = (await conn.getLink("v0")).index;
  await addBridgeVlan(conn, { dev: "v0", vid: 10, vidEnd: 12 });

  // With counters the kernel lists every VLAN on its own.
  const withStats = await getBridgeVlanEntries(conn, { dev: "v0", stats: true });
  deepStrictEqual(withStats.map((e) => [e.ifindex, e.vid, e.vidEnd, e.state, e.pvid, e.untagged]), [
    [v0, 1, undefined, "forwarding", true, true],
    [v0, 10, undefined, "forwarding", false, false],
    [v0, 11, undefined, "forwarding", false, false],
    [v0, 12, undefined, "forwarding", false, false],
  ]);
  ok(withStats.every((e) => typeof e.stats?.rxBytes === "bigint" && typeof e.stats.txPackets === "bigint"));

  await setBridgeVlan(conn, { dev: "v0", vid: 10, state: "blocking" });
  await setBridgeVlan(conn, { dev: "v0", vid: 11, vidEnd: 12, mcastRouter: "perm" });
  const entries = await getBridgeVlanEntries(conn, { dev: "v0" });
  deepStrictEqual(entries.map(({ vid, vidEnd, state, mcastRouter }) => ({ vid, vidEnd, state, mcastRouter })), [
    { vid: 1, vidEnd: undefined, state: "forwarding", mcastRouter: "temp_query" },
    { vid: 10, vidEnd: undefined, state: "blocking", mcastRouter: "temp_query" },
    { vid: 11, vidEnd: 12, state: "forwarding", mcastRouter: "perm" },
  ]);

  await setBridgeVlanGlobalOptions(conn, {
    dev: "br0",
    vid: 1,
    mcastIgmpVersion: 3,
    mcastMldVersion: 2,
    mcastQueryInterval: 15000n,
    mcastLastMemberCount: 5,
  });
  const [global] = (await getBridgeVlanGlobalOptions(conn, { dev: "br0" })).filter((g) => g.vid === 1);
  deepStrictEqual(
    [global.mcastSnooping, global.mcastIgmpVersion, global.mcastMldVersion, global.mcastQueryInterval],
    [true, 3, 2, 15000n],
  );
  equal(global.mcastLastMemberCount, 5);
  // The ports' own VLANs carry no global options.
  deepStrictEqual(await getBridgeVlanGlobalOptions(conn, { dev: "v0" }), []);
});

await kernelTest("bridge vlans: VLAN-to-tunnel mappings on a VXLAN port", {
  needs: [...VLAN_NEEDS, "vxlan"],
}, async (conn, ns) => {
  await bridgeWithPorts(conn, ns, ["vlan_filtering", "1"]);
  await run("ip", "-n", ns, "link", "add", "vx0", "type", "vxlan", "dstport", "4789", "external");
  await conn.setLink("vx0", { master: "br0", up: true });
  await setBridgePort(conn, "vx0", { vlanTunnel: true });
  await addBridgeVlan(conn, { dev: "vx0", vid: 50 });
  await addBridgeVlan(conn, { dev: "vx0", vid: 60, vidEnd: 62 });
  await addBridgeVlan(conn, { dev: "vx0", vid: 50, tunnelId: 5000 });
  await addBridgeVlan(conn, { dev: "vx0", vid: 60, vidEnd: 62, tunnelId: 6000, tunnelIdEnd: 6002 });
  const [vx] = await getBridgeVlans(conn, { dev: "vx0", compressed: true });
  deepStrictEqual(vx.tunnels, [
    { vid: 50, tunnelId: 5000 },
    { vid: 60, vidEnd: 62, tunnelId: 6000, tunnelIdEnd: 6002 },
  ]);
  deepStrictEqual(
    (await getBridgeVlanEntries(conn, { dev: "vx0" })).filter((e) => e.tunnelId !== undefined).map((e) => [
      e.vid,
      e.tunnelId,
    ])[0],
    [50, 5000],
  );
  await delBridgeVlan(conn, { dev: "vx0", vid: 50, tunnelId: 5000 });
  const [after] = await getBridgeVlans(conn, { dev: "vx0", compressed: true });
  deepStrictEqual(after.tunnels, [{ vid: 60, vidEnd: 62, tunnelId: 6000, tunnelIdEnd: 6002 }]);
  ok(after.vlans.some((v) => v.vid === 50), "removing the mapping keeps the VLAN");
});

await kernelTest("bridge vlans: bad input is refused before anything is sent", {
  needs: ["veth", "bridge"],
}, async (conn, ns) => {
  await bridgeWithPorts(conn, ns, [], "v0");
  await rejects(addBridgeVlan(conn, { dev: "v0", vid: 4096 }), (e: ValidationError) => e.field === "vid");
  // 0 and 4095 fit the tag: sent, as bridge sends them, and refused by the kernel.
  await rejects(addBridgeVlan(conn, { dev: "v0", vid: 4095 }), (e: NetlinkError) => e.errno === 22);
  await rejects(addBridgeVlan(conn, { dev: "v0", vid: 20, vidEnd: 10 }), ValidationError);
  await rejects(addBridgeVlan(conn, { dev: "v0", vid: 20, vidEnd: 30, pvid: true }), ValidationError);
  await rejects(setBridgeVlan(conn, { dev: "v0", vid: 20, state: 9 }), ValidationError);
  await rejects(addBridgeVlan(conn, { dev: "nosuch", vid: 10 }), (e: NetlinkError) => e.isNotFound());
  // Without VLAN filtering the ports list no VLANs (or, in a kernel without it, none at all).
  ok((await getBridgeVlans(conn, { dev: "v0" })).every((p) => p.vlans.length <= 1));
});
