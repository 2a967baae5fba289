/**
 * The first rtnetlink slice against the real kernel: every change is read back
 * from the kernel (with nlink, and where it helps with iproute2), never just
 * trusted from the call's success.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { addNetns, Connection, deleteNetns, NetlinkError, ValidationError } from "../../mod.ts";
import { kernelTest, uniqueNetnsName } from "../_lib/netns.ts";
import { iproute2, veth } from "../_lib/setup.ts";

await kernelTest(
  "links: create, set properties, read back, delete",
  { needs: ["veth", "bridge"] },
  async (conn, ns) => {
    await conn.addLink({ kind: "veth", name: "v0", mtu: 1400, txqlen: 100, peer: { name: "v1", mtu: 1300 } });
    await conn.addLink({ kind: "bridge", name: "br0" });
    let v0 = await conn.getLink("v0");
    deepStrictEqual([v0.mtu, v0.txqlen, v0.linkinfo?.kind, v0.flags.includes("UP")], [1400, 100, "veth", false]);
    equal((await conn.getLink("v1")).mtu, 1300);
    equal(v0.link, (await conn.getLink("v1")).index);

    await conn.setLink("v0", { up: true, mtu: 1450, address: "02:00:00:00:00:aa", alias: "uplink", master: "br0" });
    v0 = await conn.getLink(v0.index);
    ok(v0.flags.includes("UP"));
    deepStrictEqual([v0.mtu, v0.address, v0.ifalias, v0.master], [
      1450,
      "02:00:00:00:00:aa",
      "uplink",
      (await conn.getLink("br0")).index,
    ]);
    equal(v0.linkinfo?.slaveKind, "bridge");
    const ip = (await iproute2(ns, "link", "show", "dev", "v0")) as { master: string; ifalias: string }[];
    deepStrictEqual([ip[0].master, ip[0].ifalias], ["br0", "uplink"]);

    // Linux before 6.2 refuses to rename a link that is up (EBUSY): take it down first.
    await conn.setLinkDown("v0");
    ok(!(await conn.getLink("v0")).flags.includes("UP"));
    await conn.setLink("v0", { nomaster: true, name: "up0" });
    const renamed = await conn.getLink("up0");
    equal(renamed.index, v0.index);
    equal(renamed.master, undefined);

    deepStrictEqual((await conn.getLinks({ kind: "veth" })).map((l) => l.name).sort(), ["up0", "v1"]);
    await conn.delLink("up0");
    await rejects(conn.getLink("v1"), (e: NetlinkError) => e.isNotFound()); // a veth takes its peer along
    await rejects(conn.addLink({ kind: "bridge", name: "br0" }), (e: NetlinkError) => e.isExists());
  },
);

await kernelTest("links: bad input is refused before anything is sent", {}, async (conn) => {
  const before = (await conn.getLinks()).length;
  await rejects(conn.addLink({ kind: "veth", name: "this-name-is-too-long", peer: { name: "p" } }), ValidationError);
  await rejects(conn.setLink("lo", { mtu: -1 }), (e: ValidationError) => e.field === "link.mtu");
  await rejects(conn.getLink(-3), ValidationError);
  equal((await conn.getLinks()).length, before);
});

await kernelTest("links: VF settings reach the kernel (a veth has no VFs: refused), bad ones do not", {
  needs: ["veth"],
}, async (conn) => {
  await veth(conn);
  const refused = (e: unknown) => e instanceof NetlinkError && !(e instanceof ValidationError) && e.errno === 95;
  await rejects(conn.setLink("v0", { vfs: [{ vf: 0, mac: "02:00:00:00:00:01", trust: true }] }), refused);
  // one rate bound: the other is read from the link first (none here: 0), then the kernel refuses
  await rejects(conn.setLink("v0", { vfs: [{ vf: 0, maxTxRate: 100 }] }), refused);
  await rejects(conn.setLink("v0", { vfs: [{ vf: 0, state: "sideways" as never }] }), ValidationError);
});

await kernelTest("addresses: IPv4/IPv6, peer, label, broadcast, lifetimes, replace, delete", {
  needs: ["veth"],
}, async (conn, ns) => {
  await veth(conn);
  await conn.addAddress({ dev: "v0", address: "10.1.0.1/24", broadcast: "+", label: "v0:one" });
  await conn.addAddress({ dev: "v0", address: "10.3.0.1", peer: "10.3.0.2/32" });
  await conn.addAddress({ dev: "v0", address: "2001:db8::1/64", flags: ["nodad", "noprefixroute"] });
  await conn.addAddress({ dev: "v0", address: "10.4.0.1/24", validLifetime: 600, preferredLifetime: 300, metric: 7 });
  const list = await conn.getAddresses({ dev: "v0" });
  const a = list.find((x) => x.local === "10.1.0.1")!;
  deepStrictEqual([a.prefixlen, a.broadcast, a.label, a.scope, a.family], [
    24,
    "10.1.0.255",
    "v0:one",
    "global",
    "inet",
  ]);
  const p = list.find((x) => x.local === "10.3.0.1")!;
  deepStrictEqual([p.address, p.prefixlen], ["10.3.0.2", 32]);
  const six = list.find((x) => x.address === "2001:db8::1")!;
  ok(six.flags.includes("nodad") && six.flags.includes("noprefixroute"));
  const l = list.find((x) => x.local === "10.4.0.1")!;
  ok(l.cacheinfo!.valid <= 600 && l.cacheinfo!.preferred <= 300);
  equal(l.rtPriority, 7);
  // The kernel created the prefix route with the metric.
  ok((await conn.getRoutes({ family: "inet" })).some((r) => r.dst === "10.4.0.0/24" && r.priority === 7));
  // iproute2 agrees.
  const ip = (await iproute2(ns, "-4", "address", "show", "dev", "v0")) as { addr_info: { local: string }[] }[];
  deepStrictEqual(ip[0].addr_info.map((x) => x.local).sort(), ["10.1.0.1", "10.3.0.1", "10.4.0.1"]);

  await rejects(conn.addAddress({ dev: "v0", address: "10.1.0.1/24" }), (e: NetlinkError) => e.isExists());
  await conn.replaceAddress({ dev: "v0", address: "10.1.0.1/24", validLifetime: 100, preferredLifetime: 100 });
  ok((await conn.getAddresses({ dev: "v0" })).find((x) => x.local === "10.1.0.1")!.cacheinfo!.valid <= 100);
  await conn.delAddress({ dev: "v0", address: "10.1.0.1/24" });
  ok(!(await conn.getAddresses({ family: "inet" })).some((x) => x.local === "10.1.0.1"));
  deepStrictEqual(
    (await conn.getAddresses({ family: "inet6", dev: "v0" })).every((x) => x.family === "inet6"),
    true,
  );
  await rejects(conn.addAddress({ dev: "nosuch", address: "10.9.9.9/24" }), (e: NetlinkError) => e.isNotFound());
  await rejects(conn.addAddress({ dev: "v0", address: "10.9.9.9/40" }), ValidationError);
});

await kernelTest("routes: v4/v6, tables, metrics, multipath, onlink, types, replace/append/prepend/delete", {
  needs: ["veth"],
}, async (conn, ns) => {
  await veth(conn);
  await conn.addAddress({ dev: "v0", address: "10.0.0.1/24" });
  await conn.addAddress({ dev: "v0", address: "2001:db8::1/64", flags: ["nodad"] });
  await conn.addRoute({ dst: "10.9.0.0/24", gateway: "10.0.0.2", table: 100, metric: 5, dev: "v0" });
  await conn.addRoute({ dst: "10.7.0.0/16", gateway: "10.0.0.3", table: 1000 });
  await conn.addRoute({ dst: "default", gateway: "10.0.0.254" });
  await conn.addRoute({ dst: "10.12.0.0/24", dev: "v0", mtu: 1400, metrics: { advmss: 1360 } });
  await conn.addRoute({ dst: "10.11.0.0/24", gateway: "192.0.2.1", dev: "v0", onlink: true });
  await conn.addRoute({ type: "blackhole", dst: "10.14.0.0/24" });
  await conn.addRoute({
    dst: "10.16.0.0/24",
    multipath: [{ gateway: "10.0.0.2", dev: "v0", weight: 2 }, { gateway: "10.0.0.3", dev: "v0" }],
  });
  await conn.addRoute({ dst: "2001:db8:5::/64", gateway: "2001:db8::2", dev: "v0", pref: "high" });
  await conn.addRoute({ dst: "10.6.0.0/24", src: "10.0.0.1", gateway: "10.0.0.2", protocol: "static" });

  const v0 = (await conn.getLink("v0")).index;
  const t100 = await conn.getRoutes({ table: 100 });
  deepStrictEqual(t100.map((r) => [r.dst, r.gateway, r.priority, r.oif, r.table]), [[
    "10.9.0.0/24",
    "10.0.0.2",
    5,
    v0,
    100,
  ]]);
  deepStrictEqual((await conn.getRoutes({ table: 1000 })).map((r) => [r.dst, r.table]), [["10.7.0.0/16", 1000]]);
  const main = await conn.getRoutes({ family: "inet", table: "main" });
  const find = (dst: string) => main.find((r) => r.dst === dst)!;
  equal(find("0.0.0.0/0").gateway, "10.0.0.254");
  deepStrictEqual(find("10.12.0.0/24").metrics, { mtu: 1400, advmss: 1360 });
  ok(find("10.11.0.0/24").flags.includes("onlink"));
  equal(find("10.14.0.0/24").type, "blackhole");
  deepStrictEqual(find("10.16.0.0/24").multipath!.map((n) => [n.gateway, n.hops + 1, n.ifindex]), [
    ["10.0.0.2", 2, v0],
    ["10.0.0.3", 1, v0],
  ]);
  deepStrictEqual([find("10.6.0.0/24").prefsrc, find("10.6.0.0/24").protocol], ["10.0.0.1", "static"]);
  const six = (await conn.getRoutes({ family: "inet6" })).find((r) => r.dst === "2001:db8:5::/64")!;
  deepStrictEqual([six.gateway, six.pref, six.family], ["2001:db8::2", "high", "inet6"]);
  ok((await conn.getRoutes({ family: "inet", dev: "v0" })).every((r) => r.oif === v0 || r.multipath));

  // iproute2 reads the same table.
  const ip = (await iproute2(ns, "route", "show", "table", "100")) as { dst: string; gateway: string }[];
  deepStrictEqual(ip.map((r) => [r.dst, r.gateway]), [["10.9.0.0/24", "10.0.0.2"]]);

  await rejects(
    conn.addRoute({ dst: "10.9.0.0/24", gateway: "10.0.0.2", table: 100, metric: 5 }),
    (e: NetlinkError) => e.isExists(),
  );
  await conn.replaceRoute({ dst: "10.9.0.0/24", gateway: "10.0.0.3", table: 100, metric: 5 });
  equal((await conn.getRoutes({ table: 100 }))[0].gateway, "10.0.0.3");
  await conn.appendRoute({ dst: "2001:db8:5::/64", gateway: "2001:db8::3", dev: "v0", pref: "high" });
  equal((await conn.getRoutes({ family: "inet6" })).filter((r) => r.dst === "2001:db8:5::/64").length, 1);
  await conn.delRoute({ dst: "10.9.0.0/24", table: 100 });
  deepStrictEqual(await conn.getRoutes({ table: 100 }), []);
  await rejects(conn.delRoute({ dst: "10.9.0.0/24", table: 100 }), (e: NetlinkError) => e.isNotFound());
  await rejects(
    conn.addRoute({ dst: "10.0.0.0/24", gateway: "2001:db8::1", dev: "nosuch" }),
    (e: ValidationError) => e.field === "gateway",
  );
});

await kernelTest(
  "batch: thousands of changes pipelined, each result reported",
  { needs: ["veth"] },
  async (conn) => {
    await veth(conn);
    await conn.addAddress({ dev: "v0", address: "10.0.0.1/16" });
    const b = conn.batch();
    for (let i = 0; i < 3000; i++) {
      b.addRoute({
        dst: `172.16.${i >> 8}.${i & 255}/32`,
        gateway: "10.0.0.2",
        dev: "v0",
      });
    }
    b.addRoute({ dst: "172.16.0.0/32", gateway: "10.0.0.2", dev: "v0" }); // duplicate of the first
    b.addRoute({ dst: "172.17.0.0/24", gateway: "192.0.2.9", dev: "v0" }); // unreachable gateway
    b.addRoute({ dst: "172.18.0.0/24", dev: "nosuch0" }); // missing device
    b.addAddress({ dev: "v1", address: "10.0.0.2/16" });
    b.setLinkDown("v1");
    const result = await b.execute();
    equal(result.results.length, 3005);
    equal(result.succeeded, 3002);
    deepStrictEqual(result.failures.map((f) => [f.index, f.error?.code]), [
      [3000, "EEXIST"],
      [3001, "ENETUNREACH"],
      [3002, "ENODEV"],
    ]);
    equal(
      (await conn.getRoutes({ family: "inet", table: "main" })).filter((r) => r.dst.startsWith("172.16.")).length,
      3000,
    );
    ok(!(await conn.getLink("v1")).flags.includes("UP"));
    ok((await conn.getAddresses({ dev: "v1" })).some((a) => a.local === "10.0.0.2"));
    equal(b.size, 0);
  },
);

await kernelTest(
  "batch: links with devices and namespaces by name, routes with encapsulation devices",
  { needs: ["veth", "macvlan"] },
  async (conn) => {
    const other = uniqueNetnsName("batch");
    await addNetns(other);
    try {
      const b = conn.batch();
      b.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
      b.addLink({ kind: "veth", name: "w0", peer: { name: "w1", netns: other } }); // peer moved by name
      b.addLink({ kind: "bridge", name: "br0" });
      const r1 = await b.execute();
      ok(r1.ok, JSON.stringify(r1.failures));
      // Second round: these name devices the first round made.
      b.addLink({ kind: "macvlan", name: "mv0", link: "v0", mode: "bridge" });
      b.setLink("v1", { master: "br0", up: true });
      b.setLinkUp("v0");
      const r2 = await b.execute();
      ok(r2.ok, JSON.stringify(r2.failures));
      equal((await conn.getLink("mv0")).link, await conn.resolveDev("v0"));
      equal((await conn.getLink("v1")).master, await conn.resolveDev("br0"));
      await rejects(conn.getLink("w1"), (e: NetlinkError) => e.isNotFound());
      using peer = await Connection.open({ netns: other });
      equal((await peer.getLink("w1")).name, "w1");
      // A seg6local route whose oif is given by name.
      b.addRoute({ dst: "fc00::d/128", dev: "v0", encap: { type: "seg6local", action: "End.DX2", oif: "v1" } });
      const r3 = await b.execute();
      ok(r3.ok, JSON.stringify(r3.failures));
      const route = (await conn.getRoutes({ family: "inet6" })).find((r) => r.dst === "fc00::d/128");
      deepStrictEqual(route?.encap, { type: "seg6local", action: "End.DX2", oif: await conn.resolveDev("v1") });
    } finally {
      await deleteNetns(other);
    }
  },
);

await kernelTest("batch: invalid input throws before anything is sent", { needs: ["veth"] }, async (conn) => {
  await veth(conn);
  const before = await conn.getRoutes({ family: "inet" });
  const b = conn.batch();
  b.addRoute({ dst: "10.50.0.0/24", dev: "v0" });
  b.addRoute({ dst: "10.51.0.0/33", dev: "v0" });
  await rejects(b.execute(), (e: ValidationError) => e.field === "dst" && e.value === "10.51.0.0/33");
  deepStrictEqual(await conn.getRoutes({ family: "inet" }), before);
});

await kernelTest("a dump interrupted by a concurrent change is surfaced: error, retry or ignore", {
  needs: ["veth"],
}, async (conn, ns) => {
  await veth(conn);
  const b = conn.batch();
  for (let i = 0; i < 3000; i++) b.addAddress({ dev: "v0", address: `10.${i >> 8}.${i & 255}.1/32` });
  equal((await b.execute()).ok, true);
  // Another process keeps changing addresses: every change bumps the kernel's
  // address generation, which marks multi-part dumps in flight NLM_F_DUMP_INTR.
  const writer = new Deno.Command("sh", {
    args: [
      "-c",
      `while :; do ip -n ${ns} addr add 10.250.0.1/32 dev v1; ip -n ${ns} addr del 10.250.0.1/32 dev v1; done`,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    let interrupted = 0;
    for (let i = 0; i < 3000 && interrupted === 0; i++) {
      try {
        await conn.getAddresses({ family: "inet", onInterrupt: "error" });
      } catch (e) {
        ok(e instanceof NetlinkError && e.isDumpInterrupted(), String(e));
        interrupted++;
      }
    }
    ok(interrupted > 0, "a concurrent change interrupted at least one dump");
    // "ignore" never throws for it; "retry" returns a whole table or gives up with the same error.
    for (let i = 0; i < 20; i++) await conn.getAddresses({ family: "inet", onInterrupt: "ignore" });
    try {
      equal((await conn.getAddresses({ family: "inet", dev: "v0" })).length, 3000);
    } catch (e) {
      ok(e instanceof NetlinkError && e.isDumpInterrupted());
    }
  } finally {
    writer.kill();
    await writer.status;
  }
  equal((await conn.getAddresses({ family: "inet", dev: "v0", onInterrupt: "error" })).length, 3000);
});
