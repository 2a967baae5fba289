/** Named namespaces: create, list, open by name/path/pid/fd, delete; the caller never moves. */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { addNetns, Connection, deleteNetns, listNetns, type NetlinkError, netnsExists } from "../../mod.ts";
import { openNetns } from "../../src/netns/mod.ts";
import { NO_NETNS_REASON, uniqueNetnsName } from "../_lib/netns.ts";

const ignore = NO_NETNS_REASON !== undefined;
const suffix = ignore ? ` [skipped: ${NO_NETNS_REASON}]` : "";

async function ownNetnsInode(): Promise<number> {
  return (await Deno.stat("/proc/thread-self/ns/net")).ino!;
}

Deno.test({
  name: `addNetns/listNetns/deleteNetns behave like ip netns add/list/del${suffix}`,
  ignore,
  async fn() {
    const name = uniqueNetnsName("ns");
    const before = await ownNetnsInode();
    await addNetns(name);
    try {
      ok((await listNetns()).includes(name));
      ok(await netnsExists(name));
      // iproute2 sees it too, and it is a fresh namespace with only lo.
      const out = await new Deno.Command("ip", { args: ["-n", name, "-j", "link"], stdout: "piped" }).output();
      deepStrictEqual(JSON.parse(new TextDecoder().decode(out.stdout)).map((l: { ifname: string }) => l.ifname), [
        "lo",
      ]);
      await rejects(addNetns(name), (e: NetlinkError) => e.isExists());
    } finally {
      await deleteNetns(name);
    }
    ok(!(await listNetns()).includes(name));
    equal(await ownNetnsInode(), before, "the calling thread is back in its own namespace");
    await rejects(deleteNetns(name), (e: NetlinkError) => e.isNotFound());
  },
});

Deno.test({
  name: `Connection.open in a namespace by name, path, pid and fd sees that namespace only${suffix}`,
  ignore,
  async fn() {
    const name = uniqueNetnsName("open");
    await addNetns(name);
    const child = new Deno.Command("ip", { args: ["netns", "exec", name, "sleep", "30"] }).spawn();
    try {
      using byName = await Connection.open({ netns: name });
      await byName.addLink({ kind: "veth", name: "nsv0", peer: { name: "nsv1" } });
      const names = async (c: Connection) => (await c.getLinks()).map((l) => l.name).sort();
      deepStrictEqual(await names(byName), ["lo", "nsv0", "nsv1"]);
      using byPath = await Connection.open({ netns: { path: `/var/run/netns/${name}` } });
      deepStrictEqual(await names(byPath), ["lo", "nsv0", "nsv1"]);
      // The child needs a moment to enter the namespace.
      let byPid: Connection | undefined;
      for (let i = 0; i < 50; i++) {
        byPid = await Connection.open({ netns: { pid: child.pid } });
        if ((await names(byPid)).includes("nsv0")) break;
        byPid.close();
        byPid = undefined;
        await new Promise((r) => setTimeout(r, 20));
      }
      ok(byPid, "pid's namespace reached");
      byPid.close();
      const handle = openNetns(name);
      try {
        using byFd = await Connection.open({ netns: { fd: handle.fd } });
        deepStrictEqual(await names(byFd), ["lo", "nsv0", "nsv1"]);
      } finally {
        handle.close();
      }
      // The caller's own namespace does not have the veth.
      using home = await Connection.open();
      ok(!(await names(home)).includes("nsv0"));
      await rejects(Connection.open({ netns: uniqueNetnsName("missing") }), (e: NetlinkError) => e.isNotFound());
    } finally {
      child.kill();
      await child.status;
      await deleteNetns(name);
    }
  },
});

Deno.test({
  name: `namespace ids: assigned by a cross-namespace veth, read back, named${suffix}`,
  ignore,
  async fn() {
    const a = uniqueNetnsName("ida"), b = uniqueNetnsName("idb");
    await addNetns(a);
    await addNetns(b);
    try {
      using ca = await Connection.open({ netns: a });
      equal(await ca.getNsid(b), -1);
      // A veth with its peer in b makes a assign b an id, used in the link's linkNetnsid.
      const out = await new Deno.Command("ip", {
        args: ["-n", a, "link", "add", "x0", "type", "veth", "peer", "name", "x1", "netns", b],
        stderr: "piped",
      }).output();
      equal(out.code, 0, new TextDecoder().decode(out.stderr));
      const id = await ca.getNsid(b);
      ok(id >= 0);
      equal((await ca.getLink("x0")).linkNetnsid, id);
      deepStrictEqual((await ca.getNsids()).map((n) => n.nsid), [id]);
      equal((await ca.getNsidNames()).get(id), b);
      // ip netns set: an id chosen by the caller, seen by iproute2.
      const c = uniqueNetnsName("idc");
      await addNetns(c);
      try {
        await ca.setNsid(c, 42);
        equal(await ca.getNsid(c), 42);
        const ids = await new Deno.Command("ip", { args: ["-n", a, "-j", "netns", "list-id"], stdout: "piped" })
          .output();
        ok((JSON.parse(new TextDecoder().decode(ids.stdout)) as { nsid: number }[]).some((x) => x.nsid === 42));
        await rejects(ca.setNsid(c, 43), (e: NetlinkError) => e.isExists());
      } finally {
        await deleteNetns(c);
      }
    } finally {
      await deleteNetns(a);
      await deleteNetns(b);
    }
  },
});
