/**
 * `bridge monitor` against iproute2: both run side by side in one namespace
 * while FDB entries, MDB entries and port settings change; what they print
 * is compared byte for byte.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip } from "./_run.ts";
import { startMonitors, stopMonitor } from "./_setup.ts";

const NEEDS = { needs: ["veth", "bridge"] };

await kernelTest("bridge monitor: prints what iproute2 prints", NEEDS, async (_conn, ns) => {
  await ip(ns, "link add br0 type bridge");
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link add p2 type veth peer name p3");
  // No IPv6 anywhere: no traffic, so nothing is learned or joined while the monitors run.
  for (const dev of ["br0", "p0", "p1", "p2", "p3"]) {
    await ip(ns, `link set ${dev} addrgenmode none`);
    await new Deno.Command("ip", {
      args: ["netns", "exec", ns, "sysctl", "-qw", `net.ipv6.conf.${dev}.disable_ipv6=1`],
    })
      .output();
  }
  await ip(ns, "link set p0 master br0");
  await ip(ns, "link set p2 master br0");
  for (const dev of ["br0", "p0", "p1", "p2", "p3"]) await ip(ns, `link set ${dev} up`);
  for (const args of [[], ["fdb"], ["mdb"], ["link"], ["all"], ["fdb", "mdb"]]) {
    // iproute2's runs through stdbuf: it does not flush MDB lines itself.
    const [theirs, mine] = startMonitors(ns, ["monitor", ...args], "bridge");
    await new Promise((r) => setTimeout(r, 2500)); // both subscribed
    for (
      const cmd of [
        "fdb add 02:00:00:00:40:01 dev p0 master static",
        "fdb add 02:00:00:00:40:02 dev p0 self",
        "fdb del 02:00:00:00:40:01 dev p0 master",
        "fdb del 02:00:00:00:40:02 dev p0 self",
        "mdb add dev br0 port p0 grp 239.9.9.9 permanent",
        "mdb del dev br0 port p0 grp 239.9.9.9",
        "link set dev p2 cost 9",
        "link set dev p0 mcast_router 2",
        "link set dev p0 mcast_router 1",
      ]
    ) await ip(ns, cmd, "bridge");
    await new Promise((r) => setTimeout(r, 500));
    const [a, b] = await Promise.all([stopMonitor(theirs), stopMonitor(mine)]);
    assert.notEqual(a, "", `bridge monitor ${args.join(" ")}: iproute2 printed nothing`);
    assert.equal(b, a, `bridge monitor ${args.join(" ")}: output differs`);
  }
});
