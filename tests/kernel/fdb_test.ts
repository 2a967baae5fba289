/**
 * Bridge FDB against the real kernel: entries on a bridge and its ports
 * (static, dynamic, permanent, sticky; VLANs on a VLAN-filtering bridge),
 * VXLAN remotes, bulk flushes; read back with nlink and, where the `bridge`
 * tool exists, with iproute2.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import type { Connection, NetlinkError, ValidationError } from "../../mod.ts";
import { kernelTest } from "../_lib/netns.ts";
import { run } from "../_lib/setup.ts";
import { addFdb, appendFdb, delFdb, type FdbEntry, flushFdb, getFdb, replaceFdb } from "../../src/route/fdb.ts";

const mac = (n: number) => `02:00:00:00:00:${n.toString(16).padStart(2, "0")}`;
const ZERO_MAC = "00:00:00:00:00:00";

/** Runs `ip -n NS ARGS`; throws when it fails. */
const ip = (ns: string, ...args: string[]) => run("ip", "-n", ns, ...args);

/** iproute2's `bridge -j fdb show …`, or undefined where the tool is not installed. */
async function bridgeTool(ns: string, ...args: string[]): Promise<{ mac: string; state: string }[] | undefined> {
  const out = await run("bridge", "-n", ns, "-j", "fdb", "show", ...args);
  return out === undefined ? undefined : JSON.parse(out.trim() || "[]");
}

async function bridgeWithPort(conn: Connection): Promise<void> {
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  await conn.setLink("v1", { master: "br0", up: true });
  await conn.setLinkUp("v0");
  await conn.setLinkUp("br0");
}

const find = (list: FdbEntry[], m: string, vlan?: number) => list.find((e) => e.lladdr === m && e.vlan === vlan);

await kernelTest("fdb: static, dynamic, permanent and sticky entries on a bridge; replace, delete, bulk flush", {
  needs: ["veth", "bridge"],
}, async (conn, ns) => {
  await conn.addLink({ kind: "bridge", name: "br0" });
  await bridgeWithPort(conn);
  const v1 = (await conn.getLink("v1")).index, br0 = (await conn.getLink("br0")).index;
  await addFdb(conn, { mac: mac(1), dev: "v1", master: true, state: "static" });
  await addFdb(conn, { mac: mac(2), dev: "v1", master: true, state: "dynamic" });
  await addFdb(conn, { mac: mac(3), dev: v1, master: true });
  await addFdb(conn, { mac: mac(4), dev: "br0", self: true, state: "permanent" });

  const list = await getFdb(conn, { master: "br0" });
  const e1 = find(list, mac(1))!, e2 = find(list, mac(2))!, e3 = find(list, mac(3))!, e4 = find(list, mac(4))!;
  deepStrictEqual([e1.family, e1.ifindex, e1.master, e1.state, e1.flags], ["bridge", v1, br0, ["noarp"], []]);
  deepStrictEqual([e2.ifindex, e2.state], [v1, ["reachable"]]);
  deepStrictEqual([e3.ifindex, e3.state], [v1, ["permanent"]]);
  deepStrictEqual([e4.ifindex, e4.state], [br0, ["permanent"]]);
  ok(e1.cacheinfo !== undefined);
  ok((await getFdb(conn, { dev: "v1" })).every((e) => e.ifindex === v1));
  ok(find(await getFdb(conn, { dev: "v1", master: "br0" }), mac(1)) !== undefined);
  const tool = await bridgeTool(ns, "br", "br0");
  if (tool) {
    const state = (m: string) => tool.find((e) => e.mac === m)?.state;
    deepStrictEqual([state(mac(1)), state(mac(2)), state(mac(3)), state(mac(4))], [
      "static",
      "",
      "permanent",
      "permanent",
    ]);
  }

  await rejects(
    addFdb(conn, { mac: mac(1), dev: "v1", master: true, state: "static" }),
    (e: NetlinkError) => e.isExists(),
  );
  await replaceFdb(conn, { mac: mac(1), dev: "v1", master: true, state: "static", sticky: true });
  deepStrictEqual(find(await getFdb(conn, { master: "br0" }), mac(1))!.flags, ["sticky"]);

  // Bulk flushes: the learned (dynamic) entries only, then the static ones of one port.
  await flushFdb(conn, { dev: "br0", dynamic: true });
  let now = await getFdb(conn, { master: "br0" });
  deepStrictEqual([find(now, mac(1)) !== undefined, find(now, mac(2)), find(now, mac(3)) !== undefined], [
    true,
    undefined,
    true,
  ]);
  await flushFdb(conn, { dev: "br0", port: "v1", static: true });
  now = await getFdb(conn, { master: "br0" });
  deepStrictEqual([find(now, mac(1)), find(now, mac(3)) !== undefined], [undefined, true]);

  await delFdb(conn, { mac: mac(3), dev: "v1", master: true });
  await delFdb(conn, { mac: mac(4), dev: "br0", self: true });
  now = await getFdb(conn, { master: "br0" });
  deepStrictEqual([find(now, mac(3)), find(now, mac(4))], [undefined, undefined]);
  await rejects(delFdb(conn, { mac: mac(3), dev: "v1", master: true }), (e: NetlinkError) => e.isNotFound());
  await rejects(addFdb(conn, { mac: mac(9), dev: "nosuch0", master: true }), (e: NetlinkError) => e.isNotFound());
  await rejects(addFdb(conn, { mac: "02:00", dev: "v1" }), (e: ValidationError) => e.field === "mac");
  await rejects(getFdb(conn, { vlan: 5000 }), (e: ValidationError) => e.field === "vlan");
});

await kernelTest(
  "fdb: VLAN entries on a VLAN-filtering bridge, flushed by VLAN",
  { needs: ["veth", "bridge", "bridge-vlan-filtering"] },
  async (
    conn,
    ns,
  ) => {
    // Ports join VLAN 10 untagged (the default PVID), so entries can use it without `bridge vlan`.
    await ip(ns, "link", "add", "br0", "type", "bridge", "vlan_filtering", "1", "vlan_default_pvid", "10");
    await bridgeWithPort(conn);
    await addFdb(conn, { mac: mac(1), dev: "v1", master: true, state: "static", vlan: 10 });
    await addFdb(conn, { mac: mac(2), dev: "v1", master: true, state: "dynamic", vlan: 10 });
    await addFdb(conn, { mac: mac(3), dev: "v1", master: true, state: "static" }); // no VLAN: every VLAN and none
    await rejects(
      addFdb(conn, { mac: mac(4), dev: "v1", master: true, state: "static", vlan: 20 }),
      (e: NetlinkError) => e.isInvalid(),
    );
    const v10 = await getFdb(conn, { master: "br0", vlan: 10 });
    ok(v10.every((e) => e.vlan === 10));
    deepStrictEqual([mac(1), mac(2), mac(3)].map((m) => find(v10, m, 10)?.state), [["noarp"], ["reachable"], [
      "noarp",
    ]]);
    ok(find(await getFdb(conn, { master: "br0" }), mac(3), undefined) !== undefined);
    const tool = await bridgeTool(ns, "br", "br0", "vlan", "10");
    if (tool) ok(tool.some((e) => e.mac === mac(1)));

    await flushFdb(conn, { dev: "br0", vlan: 10, static: true });
    const after = await getFdb(conn, { master: "br0" });
    deepStrictEqual(
      [
        find(after, mac(1), 10),
        find(after, mac(3), 10),
        find(after, mac(3)) !== undefined,
        find(after, mac(2), 10)?.vlan,
      ],
      [undefined, undefined, true, 10],
    );
    await delFdb(conn, { mac: mac(2), dev: "v1", master: true, vlan: 10 });
    equal(find(await getFdb(conn, { master: "br0", vlan: 10 }), mac(2), 10), undefined);
  },
);

await kernelTest("fdb: VXLAN remotes (dst, port, vni, via), append, replace, delete", {
  needs: ["veth", "vxlan"],
}, async (conn, ns) => {
  await ip(ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "10.0.0.1", "nolearning");
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  const v0 = (await conn.getLink("v0")).index, vx0 = (await conn.getLink("vx0")).index;
  await addFdb(conn, { mac: ZERO_MAC, dev: "vx0", dst: "10.0.0.2", port: 4790, vni: 100 });
  await appendFdb(conn, { mac: ZERO_MAC, dev: "vx0", dst: "10.0.0.3" });
  await addFdb(conn, { mac: mac(8), dev: "vx0", dst: "10.0.0.4", vni: 200, via: "v0" });

  const list = await getFdb(conn, { dev: "vx0" });
  const remote = (dst: string) => list.find((e) => e.dst === dst)!;
  const r2 = remote("10.0.0.2"), r3 = remote("10.0.0.3"), r4 = remote("10.0.0.4");
  deepStrictEqual([r2.family, r2.lladdr, r2.ifindex, r2.port, r2.vni, r2.state, r2.flags], [
    "bridge",
    ZERO_MAC,
    vx0,
    4790,
    100,
    ["noarp", "permanent"], // VXLAN keeps the state as requested (iproute2 sends NOARP|PERMANENT)
    ["self"],
  ]);
  // The device's own port and VNI are left out of the dump.
  deepStrictEqual([r3.lladdr, r3.port, r3.vni], [ZERO_MAC, undefined, undefined]);
  deepStrictEqual([r4.lladdr, r4.vni, r4.via], [mac(8), 200, v0]);
  const tool = await bridgeTool(ns, "dev", "vx0");
  if (tool) {
    const dsts = (tool as unknown as { dst?: string }[]).map((e) => e.dst).filter((d) => d !== undefined).sort();
    deepStrictEqual(dsts, ["10.0.0.2", "10.0.0.3", "10.0.0.4"]);
  }

  await rejects(addFdb(conn, { mac: ZERO_MAC, dev: "vx0", dst: "10.0.0.3" }), (e: NetlinkError) => e.isExists());
  await delFdb(conn, { mac: ZERO_MAC, dev: "vx0", dst: "10.0.0.3" });
  await replaceFdb(conn, { mac: mac(8), dev: "vx0", dst: "10.0.0.5", vni: 300 });
  const now = await getFdb(conn, { dev: "vx0" });
  deepStrictEqual(now.filter((e) => e.dst !== undefined).map((e) => [e.lladdr, e.dst, e.vni]).sort(), [
    [ZERO_MAC, "10.0.0.2", 100],
    [mac(8), "10.0.0.5", 300],
  ]);
  await delFdb(conn, { mac: mac(8), dev: "vx0" });
  await rejects(delFdb(conn, { mac: mac(8), dev: "vx0" }), (e: NetlinkError) => e.isNotFound());
  await rejects(
    addFdb(conn, { mac: mac(9), dev: "vx0", dst: "10.0.0.9", nhid: 5 }),
    (e: ValidationError) => e.field === "nhid",
  );
});
