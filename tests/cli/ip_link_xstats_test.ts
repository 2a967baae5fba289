/**
 * `ip link xstats type bridge|bridge_slave|bond|bond_slave` and `ip link afstats` against iproute2: a bridge
 * with two ports (text, suites `igmp`/`stp`, `dev`, JSON), the argument errors, and afstats (with MPLS
 * counters where the kernel has MPLS, else empty). iproute2 6.1 aborts (a stack overflow in its bond printer)
 * whenever any link has extended statistics, so the bond is checked on its own output only, and only where
 * the bonding module exists.
 */
import assert from "node:assert/strict";
import { NO_NETNS_REASON } from "../_lib/netns.ts";
import { ip, iproute2, nlink, ours, sameError, sameJson, sameText } from "./_run.ts";
import { kernelTestUnless, withOtherNetns } from "./_setup.ts";

/** Why this kernel has no MPLS counters (mpls_router), if it has none. */
const NO_MPLS: string | undefined = NO_NETNS_REASON ?? await withOtherNetns("xstats-mpls", async (ns) => {
  const r = await new Deno.Command("ip", {
    args: ["netns", "exec", ns, "sh", "-c", "modprobe mpls_router 2>/dev/null; cat /proc/sys/net/mpls/platform_labels"],
    stdout: "null",
    stderr: "null",
  }).output();
  return r.success ? undefined : "kernel lacks MPLS (mpls_router: no /proc/sys/net/mpls)";
});

await kernelTestUnless(undefined, "ip link xstats type bridge: as iproute2", { needs: ["veth"] }, async (ns) => {
  await ip(ns, "link add br0 type bridge");
  await ip(ns, "link add v0 type veth peer name v1");
  await ip(ns, "link add v2 type veth peer name v3");
  await ip(ns, "link set v0 master br0");
  await ip(ns, "link set v2 master br0");
  for (const d of ["br0", "v0", "v1", "v2"]) await ip(ns, `link set ${d} up`);
  for (
    const args of [
      "xstats type bridge",
      "xstats type bridge dev br0",
      "xstats type bridge igmp",
      "xstats type bridge stp",
      "xstats type bridge_slave",
      "xstats type bridge_slave mcast dev v2",
      "xstats type bridge_slave stp",
      "xstats ty bridge_slave igmp stp",
    ]
  ) {
    await sameText(ns, ["link", ...args.split(" ")]);
    await sameJson(ns, ["-j", "link", ...args.split(" ")]);
  }
  await sameText(ns, ["link", "xstats", "type", "bridge", "help"]);
  await sameText(ns, ["link", "xstats", "help"]);
  for (
    const c of [
      "link xstats",
      "link xstats type",
      "link xstats type foo",
      "link xstats type veth",
      "link xstats type bridge dev nope",
      "link xstats type bridge dev",
      "link xstats type bridge bogus",
      "link xstats bogus",
      "link afstats bogus",
      "link afstats dev",
      "link afstats dev v0 dev v1",
    ]
  ) await sameError(ns, c);
  // iproute2 reports an unknown device but exits 0 (its afstats status is ignored).
  const [theirs, mine] = await Promise.all(
    [iproute2, nlink].map((tool) => tool(["-n", ns, "link", "afstats", "dev", "nope"])),
  );
  assert.deepEqual(mine, theirs);
  // No MPLS here: nothing to print, in text or JSON.
  const none = await ours(ns, "link afstats");
  assert.equal(none.code, 0, none.stderr);
  await sameJson(ns, ["-j", "link", "afstats"]);
});

await kernelTestUnless(NO_MPLS, "ip link afstats: MPLS counters as iproute2", { needs: ["veth"] }, async (ns) => {
  await ip(ns, "link add v0 type veth peer name v1");
  await ip(ns, "link set v0 up");
  await ip(ns, "link set v1 up");
  await new Deno.Command("ip", { args: ["netns", "exec", ns, "sysctl", "-qw", "net.mpls.conf.v0.input=1"] }).output();
  await sameText(ns, ["link", "afstats"]);
  await sameText(ns, ["link", "afstats", "dev", "v0"]);
});

await kernelTestUnless(undefined, "ip link xstats type bond: 802.3ad counters", { needs: ["bonding"] }, async (ns) => {
  await ip(ns, "link add bond0 type bond mode 802.3ad");
  await ip(ns, "link add v0 type veth peer name v1");
  await ip(ns, "link set v0 master bond0");
  const r = await ours(ns, "link xstats type bond");
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^bond0 {12}\n {20}LACPDU Rx \d+\n {20}LACPDU Tx \d+\n/);
  const port = await ours(ns, "-j link xstats type bond_slave 802.3ad dev v0");
  assert.equal(port.code, 0, port.stderr);
  const [v0] = JSON.parse(port.stdout);
  assert.equal(v0.ifname, "v0");
  assert.equal(typeof v0["802.3ad"].lacpdu_rx, "number");
});
