/**
 * The bridge multicast database against the real kernel: entries added with
 * nlink (IPv4 and IPv6 groups, a port, a VLAN, a source), read back with
 * nlink's dump (and `bridge -j mdb show` where the `bridge` tool exists),
 * multicast router ports, deletion.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type Connection, NetlinkError, ValidationError } from "../../mod.ts";
import { addBridgeVlan } from "../../src/route/bridge_vlan.ts";
import { setBridgePort } from "../../src/route/bridge_port.ts";
import { addMdb, delMdb, getMdb, type MdbEntry } from "../../src/route/mdb.ts";
import { kernelTest } from "../_lib/netns.ts";
import { bridgeWithPorts, run } from "../_lib/setup.ts";

const GROUPS = new Set(["239.1.1.1", "239.1.1.2", "239.1.1.3", "ff0e::1", "ff0e::3"]);

/** The entries the test added (the kernel adds its own for the addresses the ports' IPv6 joins). */
async function mine(conn: Connection, vid?: number): Promise<MdbEntry[]> {
  const { entries } = await getMdb(conn, { dev: "br0", vid });
  return entries.filter((e) => GROUPS.has(e.group)).sort((a, b) => a.group.localeCompare(b.group));
}

await kernelTest("mdb: IPv4 and IPv6 groups on a port, router ports, delete", {
  needs: ["veth", "bridge"],
}, async (conn, ns) => {
  await bridgeWithPorts(conn, ns, [], "v0");
  const br0 = (await conn.getLink("br0")).index;
  const v0 = (await conn.getLink("v0")).index;
  await addMdb(conn, { dev: "br0", port: "v0", group: "239.1.1.1", permanent: true });
  await addMdb(conn, { dev: br0, port: v0, group: "ff0e::1", permanent: true });
  await addMdb(conn, { dev: "br0", port: "v0", group: "239.1.1.2" });
  const list = await mine(conn);
  deepStrictEqual(
    list.map(({ ifindex, port, group, state, flags }) => ({ ifindex, port, group, state, flags })),
    [
      { ifindex: br0, port: v0, group: "239.1.1.1", state: "permanent", flags: [] },
      { ifindex: br0, port: v0, group: "239.1.1.2", state: "temp", flags: [] },
      { ifindex: br0, port: v0, group: "ff0e::1", state: "permanent", flags: [] },
    ],
  );
  equal(list[0].timer, 0);
  ok(list[1].timer! > 0, "a temporary entry runs a timer");
  ok(list.every((e) => e.vid === undefined && e.protocol === "static"));

  const tool = await run("bridge", "-n", ns, "-j", "mdb", "show", "dev", "br0");
  if (tool !== undefined) {
    const [{ mdb }] = JSON.parse(tool) as { mdb: { port: string; grp: string; state: string }[] }[];
    deepStrictEqual(
      mdb.filter((e) => GROUPS.has(e.grp)).map((e) => [e.port, e.grp, e.state]).sort(),
      [["v0", "239.1.1.1", "permanent"], ["v0", "239.1.1.2", "temp"], ["v0", "ff0e::1", "permanent"]],
    );
  }

  await rejects(
    addMdb(conn, { dev: "br0", port: "v0", group: "239.1.1.1", permanent: true }),
    (e: NetlinkError) => e.isExists(),
  );

  // A permanent multicast router port shows in the router list.
  await setBridgePort(conn, "v0", { mcastRouter: "perm" });
  const { routers } = await getMdb(conn, { dev: "br0" });
  deepStrictEqual(routers.map(({ ifindex, port, type }) => ({ ifindex, port, type })), [
    { ifindex: br0, port: v0, type: "perm" },
  ]);

  await delMdb(conn, { dev: "br0", port: "v0", group: "239.1.1.1" });
  await delMdb(conn, { dev: "br0", port: "v0", group: "ff0e::1" });
  deepStrictEqual((await mine(conn)).map((e) => e.group), ["239.1.1.2"]);
  await rejects(delMdb(conn, { dev: "br0", port: "v0", group: "239.1.1.1" }), NetlinkError);
  deepStrictEqual((await getMdb(conn, { dev: "v0" })).entries, []); // v0 is no bridge: nothing is its
});

await kernelTest("mdb: (S, G) entries in IGMPv3 / MLDv2 mode", { needs: ["veth", "bridge"] }, async (conn, ns) => {
  await bridgeWithPorts(conn, ns, ["mcast_igmp_version", "3", "mcast_mld_version", "2"], "v0");
  await addMdb(conn, { dev: "br0", port: "v0", group: "239.1.1.3", source: "192.0.2.1", permanent: true });
  await addMdb(conn, { dev: "br0", port: "v0", group: "ff0e::3", source: "2001:db8::9", permanent: true });
  const sg = (await mine(conn)).filter((e) => e.source !== undefined);
  deepStrictEqual(sg.map(({ group, source, state }) => ({ group, source, state })), [
    { group: "239.1.1.3", source: "192.0.2.1", state: "permanent" },
    { group: "ff0e::3", source: "2001:db8::9", state: "permanent" },
  ]);
  await delMdb(conn, { dev: "br0", port: "v0", group: "239.1.1.3", source: "192.0.2.1" });
  ok(!(await mine(conn)).some((e) => e.source === "192.0.2.1"));
});

await kernelTest("mdb: bad input is refused before anything is sent", { needs: ["veth", "bridge"] }, async (conn) => {
  await bridgeWithPorts(conn, "", [], "v0");
  await rejects(
    addMdb(conn, { dev: "br0", port: "v0", group: "10.0.0.1" }),
    (e: ValidationError) => e.field === "group",
  );
  await rejects(addMdb(conn, { dev: "br0", port: "v0", group: "239.1.1.1", vid: 5000 }), ValidationError);
  await rejects(addMdb(conn, { dev: "br0", port: "nosuch", group: "239.1.1.1" }), (e: NetlinkError) => e.isNotFound());
  deepStrictEqual(await mine(conn), []);
});

// ---------------------------------------------------------------- per-VLAN entries (VLAN filtering)

await kernelTest("mdb: per-VLAN IPv4 and IPv6 entries", {
  needs: ["veth", "bridge", "bridge-vlan-filtering"],
}, async (conn, ns) => {
  await bridgeWithPorts(conn, ns, ["vlan_filtering", "1"], "v0");
  await addBridgeVlan(conn, { dev: "v0", vid: 10 });
  await addMdb(conn, { dev: "br0", port: "v0", group: "239.1.1.1", permanent: true, vid: 10 });
  await addMdb(conn, { dev: "br0", port: "v0", group: "ff0e::1", permanent: true, vid: 10 });
  await addMdb(conn, { dev: "br0", port: "v0", group: "239.1.1.2", permanent: true, vid: 1 });
  deepStrictEqual((await mine(conn, 10)).map(({ group, vid, state }) => ({ group, vid, state })), [
    { group: "239.1.1.1", vid: 10, state: "permanent" },
    { group: "ff0e::1", vid: 10, state: "permanent" },
  ]);
  deepStrictEqual((await mine(conn, 1)).map((e) => e.group), ["239.1.1.2"]);
  const tool = await run("bridge", "-n", ns, "-j", "mdb", "show", "dev", "br0", "vid", "10");
  if (tool !== undefined) {
    const [{ mdb }] = JSON.parse(tool) as { mdb: { grp: string; vid: number }[] }[];
    deepStrictEqual(mdb.filter((e) => GROUPS.has(e.grp)).map((e) => [e.grp, e.vid]).sort(), [
      ["239.1.1.1", 10],
      ["ff0e::1", 10],
    ]);
  }
  await delMdb(conn, { dev: "br0", port: "v0", group: "239.1.1.1", vid: 10 });
  await delMdb(conn, { dev: "br0", port: "v0", group: "ff0e::1", vid: 10 });
  deepStrictEqual(await mine(conn, 10), []);
  equal((await mine(conn)).length, 1);
});
