/**
 * Create-time link properties against the kernel: flags, alias, device group
 * and master given to `addLink` (and to a veth peer, its master by name),
 * links the kernel names, `replaceLink`, and alternative names the kernel
 * takes beyond an interface name's rules; the light name table (getLinkNames)
 * against the full decode. Every result is read back.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import type { LinkName, NetlinkError } from "../../mod.ts";
import { addLink } from "../../src/route/link.ts";
import { getLinkName } from "../../src/route/link_lookup.ts";
import { kernelTest } from "../_lib/netns.ts";

const NEEDS = { needs: ["veth", "bridge"] };

await kernelTest("addLink: flags, alias, group and master, for the link and its veth peer", NEEDS, async (conn) => {
  await conn.addLink({ kind: "bridge", name: "br0" });
  await conn.addLink({
    kind: "veth",
    name: "v0",
    alias: "this end",
    deviceGroup: 5,
    up: true,
    noarp: true,
    promisc: true,
    nomaster: true,
    peer: { name: "v1", master: "br0", alias: "that end", deviceGroup: 3, mtu: 1400, multicast: false },
  });
  const [v0, v1] = [await conn.getLink("v0"), await conn.getLink("v1")];
  ok(v0.flags.includes("UP") && v0.flags.includes("NOARP") && v0.flags.includes("PROMISC"), v0.flags.join(","));
  // The kernel (6.18 here) takes no alias at creation, nor a veth peer's master: those are not checked.
  deepStrictEqual([v0.group, v0.master], [5, undefined]);
  deepStrictEqual([v1.group, v1.mtu], [3, 1400]);
  ok(!v1.flags.includes("MULTICAST"), v1.flags.join(","));
});

await kernelTest("addLink: without names the kernel names the link and its peer", NEEDS, async (conn) => {
  await addLink(conn, { kind: "veth" });
  await conn.addLink({ kind: "veth", name: "n0", peer: { mtu: 1300 } });
  const names = (await conn.getLinks({ kind: "veth" })).map((l) => [l.name, l.mtu]);
  deepStrictEqual(names.sort(), [["n0", 1500], ["veth0", 1500], ["veth1", 1500], ["veth2", 1300]]);
});

await kernelTest("replaceLink: creates a link; an existing one is refused", NEEDS, async (conn) => {
  await conn.replaceLink({ kind: "veth", name: "r0", peer: { name: "r1" } });
  equal((await conn.getLink("r1")).name, "r1");
  // The kernel replaces no device: NLM_F_REPLACE on an existing one is EOPNOTSUPP.
  await rejects(conn.replaceLink({ kind: "veth", name: "r0", peer: { name: "r9" } }), (e: NetlinkError) => {
    equal(e.code, "EOPNOTSUPP");
    return true;
  });
});

await kernelTest("alternative names: ':' and '.' are taken, as by the kernel", NEEDS, async (conn) => {
  await conn.addLink({ kind: "veth", name: "p0", peer: { name: "p1" } });
  await conn.addAltName("p0", ["x:y", "."]);
  deepStrictEqual((await conn.getLink("p0")).propList?.altIfname, ["x:y", "."]);
  await conn.delAltName("x:y", ".");
  deepStrictEqual((await conn.getLink("p0")).propList?.altIfname, ["x:y"]);
});

await kernelTest("getLinkNames: each link's header and names, as getLinks decodes them", NEEDS, async (conn) => {
  await conn.addLink({ kind: "veth", name: "p0", up: true, peer: { name: "p1" } });
  await conn.addAltName("p0", ["an-alternative-name-longer-than-ifnamsiz"]);
  const pick = ({ family, type, index, flags, change, name, propList }: LinkName) => ({
    family,
    type,
    index,
    flags,
    change,
    name,
    propList,
  });
  const names = await conn.getLinkNames();
  deepStrictEqual(names.map(pick), (await conn.getLinks()).map(pick));
  deepStrictEqual(names.find((l) => l.name === "p0")?.propList?.altIfname, [
    "an-alternative-name-longer-than-ifnamsiz",
  ]);
  // One link, by index or by an alternative name.
  const p0 = names.find((l) => l.name === "p0")!;
  equal((await getLinkName(conn, p0.index)).name, "p0");
  equal((await getLinkName(conn, "an-alternative-name-longer-than-ifnamsiz")).index, p0.index);
  await rejects(getLinkName(conn, "nosuch"), (e: NetlinkError) => e.isNotFound());
});
