/**
 * Generic netlink and ethtool against the kernel: the controller names its
 * families, a generic netlink connection opened beside a connection lives in
 * that connection's namespace (and closes with it), and a veth's link modes
 * read through ethtool netlink: 10000 Mb/s, full duplex, no autonegotiation.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { Connection, NetlinkError } from "../../mod.ts";
import { GenlConnection } from "../../src/genl/mod.ts";
import { kernelTest } from "../_lib/netns.ts";
import { veth } from "../_lib/setup.ts";

/** Why the ethtool netlink family cannot be used here (a kernel without CONFIG_ETHTOOL_NETLINK), if it cannot. */
const NO_ETHTOOL: string | undefined = await (async () => {
  try {
    using genl = GenlConnection.open();
    await genl.family("ethtool");
    return undefined;
  } catch (e) {
    if (e instanceof NetlinkError && e.isNotFound()) return `kernel lacks ethtool netlink (${e.message})`;
    return `generic netlink unusable (${e instanceof Error ? e.message : String(e)})`;
  }
})();

/** A kernel test that also needs the ethtool family (skipped with the reason when the kernel lacks it). */
async function ethtoolTest(name: string, fn: (conn: Connection, ns: string) => Promise<void>): Promise<void> {
  if (NO_ETHTOOL !== undefined) Deno.test({ name: `${name} [skipped: ${NO_ETHTOOL}]`, ignore: true, fn() {} });
  else await kernelTest(name, { needs: ["veth"] }, fn);
}

await kernelTest("genl: the controller lists its families and resolves one by name", {}, async (conn) => {
  const genl = GenlConnection.beside(conn);
  equal(GenlConnection.beside(conn), genl, "one companion per connection");
  equal(GenlConnection.beside(genl), genl, "a generic netlink connection is its own");
  const ctrl = await genl.family("nlctrl");
  deepStrictEqual([ctrl.id, ctrl.name], [16, "nlctrl"]);
  ok(ctrl.ops.some((o) => o.id === 3 && o.flags.includes("cmd_cap_do")), "nlctrl answers CTRL_CMD_GETFAMILY");
  deepStrictEqual(ctrl.mcastGroups.map((g) => g.name), ["notify"]);
  equal(await genl.family("nlctrl"), ctrl, "the family is kept");
  const all = await genl.families();
  ok(all.some((f) => f.name === "nlctrl" && f.id === 16));
  await rejects(genl.family("no-such-family"), (e) => e instanceof NetlinkError && e.isNotFound());
});

await ethtoolTest("ethtool: a veth reports 10000 Mb/s full duplex, by name and by index", async (conn) => {
  const { v0 } = await veth(conn);
  const modes = await conn.getLinkModes("v0");
  deepStrictEqual(
    [modes.ifindex, modes.ifname, modes.speed, modes.duplex, modes.autoneg],
    [v0, "v0", 10000, "full", false],
  );
  equal((await conn.getLinkModes(v0)).speed, 10000);
  // v0 exists only in the test's namespace: the generic netlink socket was opened there.
  await rejects(conn.getLinkModes("no-such-dev"), (e) => e instanceof NetlinkError && e.isNoDevice());
  await rejects(conn.getLinkModes("lo"), (e) => e instanceof NetlinkError && e.isNotSupported());
});

await ethtoolTest(
  "genl: a companion connection lives in its connection's namespace and closes with it",
  async (_c, ns) => {
    const conn = await Connection.open({ netns: ns });
    try {
      await veth(conn, { names: ["w0", "w1"] });
      const genl = GenlConnection.beside(conn);
      equal((await conn.getLinkModes("w1")).speed, 10000);
      conn.close();
      ok(genl.closed, "the companion closed with its connection");
    } finally {
      conn.close();
    }
  },
);
