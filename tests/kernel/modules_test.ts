/**
 * Kernel features that come as modules a minimal kernel lacks (dummy, 8021q,
 * wireguard, sch_netem, cls_flower, act_gact): one test per module. On such a
 * host they skip with the reason; in the full-kernel VM lane
 * (`deno task test:vm`) they run for real. Each reads the kernel's state
 * back with nlink's library (traffic control made by tc(8), read with nlink's
 * TC dumps).
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { type Connection, type Filter, linkData } from "../../mod.ts";
import { actionData, filterData, qdiscData } from "../../src/tc/mod.ts";
import { kernelTest } from "../_lib/netns.ts";

/**
 * Runs iproute2's `ip` or `tc` in the namespace, for what nlink cannot create yet (by name, like the
 * other kernel tests: the VM lane's guest has no busybox `ip`/`tc` applets to shadow them).
 */
async function iproute2(tool: "ip" | "tc", ns: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command(tool, { args: ["-n", ns, ...args], stdout: "piped", stderr: "piped" }).output();
  const err = new TextDecoder().decode(out.stderr);
  equal(out.code, 0, `${tool} -n ${ns} ${args.join(" ")}: ${err}`);
}

async function upDummy(conn: Connection, name = "d0"): Promise<number> {
  await conn.addLink({ kind: "dummy", name });
  await conn.setLinkUp(name);
  return (await conn.getLink(name)).index;
}

await kernelTest("dummy: a link, its address and its route read back", { needs: ["dummy"] }, async (conn) => {
  await conn.addLink({ kind: "dummy", name: "dum0", mtu: 9000, address: "02:00:00:00:00:01" });
  await conn.setLinkUp("dum0");
  const link = await conn.getLink("dum0");
  deepStrictEqual([link.linkinfo?.kind, link.mtu, link.address, link.type], [
    "dummy",
    9000,
    "02:00:00:00:00:01",
    "ether",
  ]);
  ok(link.flags.includes("UP"));
  await conn.addAddress({ dev: "dum0", address: "192.0.2.1/24" });
  const route = (await conn.getRoutes({ family: "inet", table: "main" })).find((r) => r.dst === "192.0.2.0/24");
  equal(route?.oif, link.index);
  await conn.delLink("dum0");
  deepStrictEqual(await conn.getLinks({ kind: "dummy" }), []);
});

await kernelTest("vlan: made by iproute2, read back as kind vlan on its parent", {
  needs: ["8021q", "dummy"],
}, async (conn, ns) => {
  const parent = await upDummy(conn);
  await iproute2("ip", ns, "link", "add", "link", "d0", "name", "d0.5", "type", "vlan", "id", "5");
  const vlan = await conn.getLink("d0.5");
  deepStrictEqual([vlan.linkinfo?.kind, vlan.link], ["vlan", parent]);
  // What iproute2 made decodes as typed vlan data.
  const data = linkData(vlan, "vlan");
  deepStrictEqual([data?.id, data?.protocol], [5, "802.1Q"]);
  deepStrictEqual((await conn.getLinks({ kind: "vlan" })).map((l) => l.name), ["d0.5"]);
});

await kernelTest("wireguard: a link created with addLink reads back", { needs: ["wireguard"] }, async (conn) => {
  await conn.addLink({ kind: "wireguard", name: "wg0" });
  await conn.setLinkUp("wg0");
  const wg = await conn.getLink("wg0");
  deepStrictEqual([wg.linkinfo?.kind, wg.type, wg.mtu], ["wireguard", "none", 1420]);
  for (const flag of ["UP", "POINTOPOINT", "NOARP"]) ok(wg.flags.includes(flag), `${flag} in ${wg.flags}`);
  await conn.delLink("wg0");
  deepStrictEqual(await conn.getLinks({ kind: "wireguard" }), []);
});

await kernelTest("netem: a root qdisc made by tc reads back with its limit and delay", {
  needs: ["sch_netem", "dummy"],
}, async (conn, ns) => {
  const dev = await upDummy(conn);
  await iproute2(
    "tc",
    ns,
    "qdisc",
    "add",
    "dev",
    "d0",
    "root",
    "handle",
    "1:",
    "netem",
    "limit",
    "1234",
    "delay",
    "10ms",
  );
  const qdiscs = await conn.getQdiscs({ dev });
  deepStrictEqual(qdiscs.map((q) => [q.kind, q.handle, q.parent]), [["netem", "1:", "root"]]);
  const netem = qdiscData(qdiscs[0], "netem")!;
  equal(netem.header.limit, 1234);
  equal(netem.latency64, 10_000_000n); // ns
});

await kernelTest("flower: an ingress filter made by tc reads back with its keys", {
  needs: ["cls_flower", "sch_ingress", "dummy"],
}, async (conn, ns) => {
  const dev = await upDummy(conn);
  await iproute2("tc", ns, "qdisc", "add", "dev", "d0", "ingress");
  await iproute2(
    "tc",
    ns,
    "filter",
    "add",
    "dev",
    "d0",
    "ingress",
    "protocol",
    "ip",
    "pref",
    "10",
    "flower",
    "dst_ip",
    "192.0.2.1",
    "ip_proto",
    "udp",
  );
  const filter = await onlyFilter(conn, dev);
  deepStrictEqual([filter.kind, filter.prio, filter.protocol], ["flower", 10, "ip"]);
  const keys = filterData(filter, "flower")!;
  deepStrictEqual([keys.keyEthType, keys.keyIpProto, keys.keyIpv4Dst], ["ip", "udp", "192.0.2.1"]);
});

await kernelTest("gact: a flower filter's drop action reads back as gact", {
  needs: ["act_gact", "cls_flower", "sch_ingress", "dummy"],
}, async (conn, ns) => {
  const dev = await upDummy(conn);
  await iproute2("tc", ns, "qdisc", "add", "dev", "d0", "ingress");
  await iproute2(
    "tc",
    ns,
    "filter",
    "add",
    "dev",
    "d0",
    "ingress",
    "protocol",
    "ip",
    "pref",
    "10",
    "flower",
    "dst_ip",
    "192.0.2.1",
    "action",
    "drop",
  );
  const filter = await onlyFilter(conn, dev);
  const [action] = filterData(filter, "flower")!.act!;
  equal(action.kind, "gact");
  equal(actionData(action, "gact")!.parms!.action, "drop");
});

/** The one filter on the device's ingress qdisc (the dump also lists its chain head, without options). */
async function onlyFilter(conn: Connection, dev: number): Promise<Filter> {
  const filters = (await conn.getFilters({ dev, parent: "ffff:" })).filter((f) => f.options !== undefined);
  equal(filters.length, 1, `one filter: ${JSON.stringify(filters.map((f) => f.kind))}`);
  return filters[0];
}
