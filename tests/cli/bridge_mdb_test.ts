/**
 * `bridge mdb` against iproute2: permanent IPv4, IPv6, layer-2 and (S, G)
 * entries, a VLAN entry and a router port, listed in text and JSON (with
 * `-d`; `-s` where timers do not move); request bytes of add/del; errors.
 */
import { kernelTest } from "../_lib/netns.ts";
import { captureTest, sameRequest } from "./_capture.ts";
import { ip, sameError, sameJson, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth", "bridge"] };

/** br0 (no IPv6 on it, none configured on the ports: no learned groups) with ports p0, p2 up and permanent groups. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link add br0 type bridge mcast_snooping 1");
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link add p2 type veth peer name p3");
  for (const dev of ["br0", "p0", "p1", "p2", "p3"]) await ip(ns, `link set ${dev} addrgenmode none`);
  // Without IPv6 on br0 it joins no groups of its own (ff02::6a), whose timers would run during the comparison.
  const sysctl = ["netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.br0.disable_ipv6=1"];
  await new Deno.Command("ip", { args: sysctl }).output();
  await ip(ns, "link set p0 master br0");
  await ip(ns, "link set p2 master br0");
  for (const dev of ["br0", "p0", "p1", "p2", "p3"]) await ip(ns, `link set ${dev} up`);
  for (
    const cmd of [
      "mdb add dev br0 port p0 grp 239.1.1.1 permanent",
      "mdb add dev br0 port p2 grp 239.1.1.1 permanent",
      "mdb add dev br0 port p0 grp ff0e::5 permanent",
      "mdb add dev br0 port p0 grp 01:00:5e:01:02:03 permanent",
      "mdb add dev br0 port p0 grp 239.1.1.3 src 10.0.0.1 permanent",
      "link set dev p2 mcast_router 2",
    ]
  ) await ip(ns, cmd, "bridge");
}

await kernelTest("bridge mdb: listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["mdb"],
      ["mdb", "show"],
      ["m", "l"],
      ["mdb", "show", "dev", "br0"],
      ["-j", "mdb", "show", "vid", "5"],
      ["-d", "mdb"],
      ["-d", "-s", "mdb"],
      ["-j", "mdb"],
      ["-j", "-d", "mdb"],
      ["-j", "-d", "-s", "mdb"],
      ["-j", "-p", "-d", "mdb"],
    ]
  ) await sameText(ns, args, "bridge");
  await sameJson(ns, ["-j", "-d", "mdb", "show", "dev", "br0"], "bridge");
});

await kernelTest("bridge mdb: errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const cmd of [
      "mdb show dev nope",
      "mdb show dev br0 dev br0",
      "mdb add dev br0 port p0",
      "mdb add dev nope port p0 grp 239.1.1.9",
      "mdb add dev br0 port nope grp 239.1.1.9",
      "mdb add dev br0 port p0 grp bogus",
      "mdb add dev br0 port p0 grp 239.1.1.1 permanent",
      "mdb del dev br0 port p0 grp 239.1.1.77",
      "mdb help",
      "mdb bogus",
    ]
  ) await sameError(ns, cmd, "bridge");
});

await captureTest("bridge mdb add/del: iproute2's request bytes", NEEDS, async (ns) => {
  await lab(ns);
  for (
    const cmd of [
      "mdb add dev br0 port p0 grp 239.1.1.7 permanent",
      "mdb add dev br0 port p0 grp 239.1.1.8 permanent vid 0",
      "mdb add dev br0 port p2 grp 239.1.1.9 temp vid 5",
      "mdb add dev br0 port p0 grp ff0e::7 src 2001:db8::1 permanent",
      "mdb add dev br0 port p0 grp 01:00:5e:00:00:07",
      "mdb del dev br0 port p0 grp 239.1.1.1 permanent",
      "mdb del dev br0 port p0 grp 239.1.1.3 src 10.0.0.1",
      "mdb delete dev br0 port p0 grp ff0e::5 vid 3",
    ]
  ) await sameRequest(ns, cmd, { tool: "bridge" });
});
