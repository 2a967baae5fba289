/**
 * Link operations beyond create and delete, against the kernel: moving links
 * between namespaces (by name, path, descriptor, at creation and later),
 * alternative names, and the `ip link set` properties (group, GSO/GRO
 * limits, address generation mode, link mode, flags, protodown, carrier).
 * Every change is read back from the kernel.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { addNetns, Connection, deleteNetns, type NetlinkError, ValidationError } from "../../mod.ts";
import { openNetns } from "../../src/netns/mod.ts";
import { addAltName, delAltName, getLink } from "../../src/route/link.ts";
import { kernelTest, uniqueNetnsName } from "../_lib/netns.ts";

/** Runs `fn` with a second namespace (and a connection in it), removed afterwards. */
async function withOther(fn: (other: Connection, name: string) => Promise<void>): Promise<void> {
  const name = uniqueNetnsName("other");
  await addNetns(name);
  const other = await Connection.open({ netns: name });
  try {
    await fn(other, name);
  } finally {
    other.close();
    await deleteNetns(name);
  }
}

await kernelTest(
  "netns: links move by name, path and descriptor, with a new index",
  { needs: ["veth"] },
  async (conn) => {
    await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
    await conn.addLink({ kind: "veth", name: "w0", peer: { name: "w1" } });
    await conn.addLink({ kind: "veth", name: "x0", peer: { name: "x1" } });
    await withOther(async (other, name) => {
      await conn.setLink("v1", { netns: name });
      await conn.setLink("w1", { netns: { path: `/var/run/netns/${name}` }, newIndex: 4242 });
      const handle = openNetns(name);
      try {
        await conn.setLink("x1", { netns: { fd: handle.fd } });
      } finally {
        handle.close();
      }
      for (const moved of ["v1", "w1", "x1"]) await rejects(conn.getLink(moved), (e: NetlinkError) => e.isNotFound());
      deepStrictEqual((await other.getLinks({ kind: "veth" })).map((l) => l.name).sort(), ["v1", "w1", "x1"]);
      equal((await other.getLink("w1")).index, 4242);
      // The peer now lives in another namespace: the kernel reports its namespace id.
      ok((await conn.getLink("v0")).linkNetnsid !== undefined);
      await rejects(conn.setLink("v0", { netns: "no-such-namespace-here" }), (e: NetlinkError) => e.isNotFound());
      equal((await conn.getLink("v0")).name, "v0");
    });
  },
);

await kernelTest("netns: links are created in another namespace, themselves or their peer", {
  needs: ["veth"],
}, async (conn) => {
  await withOther(async (other, name) => {
    await conn.addLink({ kind: "veth", name: "a0", peer: { name: "a1", netns: name } });
    await conn.addLink({ kind: "veth", name: "b0", netns: { path: `/var/run/netns/${name}` }, peer: { name: "b1" } });
    deepStrictEqual((await conn.getLinks({ kind: "veth" })).map((l) => l.name).sort(), ["a0", "b1"]);
    deepStrictEqual((await other.getLinks({ kind: "veth" })).map((l) => l.name).sort(), ["a1", "b0"]);
  });
});

await kernelTest("netns: bad targets are refused before anything is sent", { needs: ["veth"] }, async (conn) => {
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  await rejects(conn.setLink("v0", { netns: "a/b" }), ValidationError);
  await rejects(conn.setLink("v0", { netns: { pid: -1 } }), ValidationError);
  await rejects(conn.setLink("v0", { newIndex: 7 }), (e: ValidationError) => e.field === "newIndex");
  await rejects(conn.addLink({ kind: "veth", name: "v2", peer: { name: "v3", netns: { fd: -1 } } }), ValidationError);
  equal((await conn.getLinks({ kind: "veth" })).length, 2);
});

await kernelTest("alternative names: added, used to look the link up, removed", { needs: ["veth"] }, async (conn) => {
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  const long = "uplink-to-the-core-switch-in-rack-12";
  await addAltName(conn, "v0", long);
  await addAltName(conn, "v0", ["second", "third"]);
  const byAlt = await getLink(conn, long);
  equal(byAlt.name, "v0");
  deepStrictEqual(byAlt.propList?.altIfname, [long, "second", "third"]);
  equal((await conn.getLink("second")).name, "v0"); // short alternative names resolve too
  await conn.setLink(long, { mtu: 1400 }); // and work wherever a device is named
  equal((await conn.getLink("v0")).mtu, 1400);
  await rejects(addAltName(conn, "v1", "second"), (e: NetlinkError) => e.isExists());
  await delAltName(conn, "v0", ["second", long]);
  deepStrictEqual((await conn.getLink("v0")).propList?.altIfname, ["third"]);
  await rejects(getLink(conn, long), (e: NetlinkError) => e.isNotFound());
  await rejects(addAltName(conn, "v0", "with space"), ValidationError);
});

await kernelTest("set: group, GSO/GRO limits, addrgenmode, link mode, flags", { needs: ["veth"] }, async (conn) => {
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  await conn.setLink("v0", {
    group: 5,
    gsoMaxSize: 32000,
    gsoMaxSegs: 64,
    groMaxSize: 32000,
    addrgenmode: "none",
    linkmode: "dormant",
    promisc: true,
    allmulticast: true,
    txqlen: 321,
  });
  const l = await conn.getLink("v0");
  deepStrictEqual(
    [l.group, l.gsoMaxSize, l.gsoMaxSegs, l.groMaxSize, l.linkmode, l.txqlen],
    [5, 32000, 64, 32000, "DORMANT", 321],
  );
  equal(l.afSpec?.inet6?.addrGenMode, "none");
  ok(l.flags.includes("PROMISC") && l.flags.includes("ALLMULTI"), `flags ${l.flags}`);
  await conn.setLink("v0", { promisc: false, linkmode: "default", addrgenmode: "eui64" });
  const back = await conn.getLink("v0");
  ok(!back.flags.includes("PROMISC"));
  deepStrictEqual([back.linkmode, back.afSpec?.inet6?.addrGenMode], ["DEFAULT", "eui64"]);
});

await kernelTest("set: protodown and a protodown reason", { needs: ["vxlan"] }, async (conn) => {
  // Drivers must support protodown: vxlan does (veth does not).
  await conn.addLink({ kind: "vxlan", name: "vx0", id: 1, dstport: 4789 });
  await conn.setLink("vx0", { protoDown: true, protoDownReason: { reason: 2, on: true } });
  let l = await conn.getLink("vx0");
  deepStrictEqual([l.protoDown, l.protoDownReason?.value], [1, 4]);
  await conn.setLink("vx0", { protoDownReason: { reason: 2, on: false } });
  await conn.setLink("vx0", { protoDown: false });
  l = await conn.getLink("vx0");
  equal(l.protoDown, 0);
});

await kernelTest("set: carrier of a device that lets user space set it", { needs: ["dummy"] }, async (conn) => {
  await conn.addLink({ kind: "dummy", name: "d0", up: true });
  await conn.setLink("d0", { carrier: false });
  equal((await conn.getLink("d0")).carrier, 0);
  await conn.setLink("d0", { carrier: true });
  equal((await conn.getLink("d0")).carrier, 1);
});
