/**
 * Netconf against the real kernel: the values follow sysctls changed inside
 * the test's namespace (written through /proc/sys by a child process in it),
 * for a device, `all` and `default`; read back with nlink and `ip -j netconf`.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type NetlinkError, ValidationError } from "../../mod.ts";
import { kernelTest } from "../_lib/netns.ts";
import { iproute2 } from "../_lib/setup.ts";
import { getNetconf, getNetconfs, type Netconf } from "../../src/route/netconf.ts";

/** Writes sysctls (paths under /proc/sys) inside namespace `ns`. */
async function sysctl(ns: string, values: Record<string, string | number>): Promise<void> {
  const script = Object.entries(values).map(([k, v]) => `echo ${v} > /proc/sys/${k}`).join(" && ");
  const r = await new Deno.Command("ip", { args: ["netns", "exec", ns, "sh", "-c", script], stderr: "piped" }).output();
  if (!r.success) throw new Error(`sysctl in ${ns}: ${new TextDecoder().decode(r.stderr)}`);
}

await kernelTest("netconf: a device, all and default follow the namespace's sysctls", {
  needs: ["veth"],
}, async (conn, ns) => {
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  const v0 = (await conn.getLink("v0")).index;
  const before = await getNetconf(conn, { family: "inet", dev: "v0" });
  deepStrictEqual([before.family, before.ifindex, before.forwarding, before.rpFilter, before.proxyNeigh], [
    "inet",
    v0,
    0,
    0,
    0,
  ]);
  equal(before.ignoreRoutesWithLinkdown, 0);

  await sysctl(ns, {
    "net/ipv4/conf/v0/forwarding": 1,
    "net/ipv4/conf/v0/rp_filter": 2,
    "net/ipv4/conf/v0/proxy_arp": 1,
    "net/ipv4/conf/v0/ignore_routes_with_linkdown": 1,
    "net/ipv4/conf/v0/bc_forwarding": 1,
    "net/ipv6/conf/v0/forwarding": 1,
    "net/ipv6/conf/v0/proxy_ndp": 1,
    "net/ipv4/conf/default/rp_filter": 1,
    "net/ipv6/conf/all/forwarding": 1,
  });
  const after = await getNetconf(conn, { family: "inet", dev: v0 });
  deepStrictEqual(
    [after.forwarding, after.rpFilter, after.proxyNeigh, after.ignoreRoutesWithLinkdown, after.bcForwarding],
    [1, 2, 1, 1, 1],
  );
  const six = await getNetconf(conn, { family: "inet6", dev: "v0" });
  deepStrictEqual([six.family, six.forwarding, six.proxyNeigh, six.rpFilter], ["inet6", 1, 1, undefined]);
  deepStrictEqual((await getNetconf(conn, { family: "inet", dev: "default" })).rpFilter, 1);
  deepStrictEqual(
    [
      (await getNetconf(conn, { family: "inet6", dev: "all" })).forwarding,
      (await getNetconf(conn, {
        family: "inet6",
        dev: "all",
      })).ifindex,
    ],
    [1, -1],
  );
  equal((await getNetconf(conn, { family: "inet", dev: "default" })).ifindex, -2);
  // v1 is untouched.
  equal((await getNetconf(conn, { family: "inet", dev: "v1" })).forwarding, 0);

  // The dump: every device plus all and default, per family (as `ip netconf show`).
  const all = await getNetconfs(conn);
  const key = (n: Netconf) => `${n.family}/${n.ifindex}`;
  const keys = new Set(all.map(key));
  for (const k of [`inet/${v0}`, `inet6/${v0}`, "inet/-1", "inet/-2", "inet6/-1", "inet6/-2"]) ok(keys.has(k), k);
  deepStrictEqual(all.find((n) => key(n) === `inet/${v0}`), after);
  ok((await getNetconfs(conn, { family: "inet6" })).every((n) => n.family === "inet6"));
  deepStrictEqual((await getNetconfs(conn, { dev: "v0" })).map((n) => n.family), ["inet", "inet6"]);

  // iproute2 reads the same.
  // (Its single-family look-up prints text even with -j: use the dump.)
  const ip = (await iproute2(ns, "netconf", "show", "dev", "v0")) as Record<string, unknown>[];
  const ip4 = ip.find((x) => x.family === "inet")!, ip6 = ip.find((x) => x.family === "inet6")!;
  deepStrictEqual([ip4.forwarding, ip4.rp_filter, ip4.proxy_neigh, ip6.forwarding], [true, "loose", true, true]);

  await rejects(getNetconf(conn, { family: "inet", dev: "nosuch0" }), (e: NetlinkError) => e.isNotFound());
  await rejects(getNetconf(conn, { family: "ipx" as "inet", dev: "v0" }), ValidationError);
});

await kernelTest("netconf: MPLS input per device", { needs: ["veth", "mpls_router"] }, async (conn, ns) => {
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  equal((await getNetconf(conn, { family: "mpls", dev: "v0" })).input, 0);
  await sysctl(ns, { "net/mpls/conf/v0/input": 1 });
  const c = await getNetconf(conn, { family: "mpls", dev: "v0" });
  deepStrictEqual([c.family, c.input], ["mpls", 1]);
  ok((await getNetconfs(conn, { family: "mpls" })).some((n) => n.ifindex === c.ifindex && n.input === 1));
});
