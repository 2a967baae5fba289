/**
 * `ip monitor` against iproute2: both run side by side in one namespace while
 * links, addresses, routes, neighbours, rules, nexthops and namespace ids
 * change; what they print is compared byte for byte (with `-t`/`-ts`, after
 * the timestamps, whose format is checked on its own, are normalised). And the
 * kernel's requests to resolve a neighbour (RTM_GETNEIGH, printed as `miss`).
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip, sameError } from "./_run.ts";
import { assertSameMonitorOutput, nsidsGone, watchBoth, withOtherNetns } from "./_setup.ts";
import { timestampText } from "../../cli/ip/monitor_print.ts";

const NEEDS = { needs: ["veth", "bridge"] };

/** The changes every variant watches; they leave the namespace as they found it. */
function script(other: string): string[] {
  return [
    "link add v0 address 02:00:00:00:51:01 type veth peer name v1 address 02:00:00:00:51:02",
    "link set v0 addrgenmode none",
    "link set v1 addrgenmode none",
    "link set v0 up",
    "link set v1 up",
    "address add 10.51.0.1/24 dev v0",
    "address add 2001:db8:51::1/64 dev v0 nodad",
    "route add 10.52.0.0/24 via 10.51.0.2",
    "route add 2001:db8:52::/64 via 2001:db8:51::2 metric 7",
    "neigh add 10.51.0.5 lladdr 02:00:00:00:51:05 dev v0",
    "neigh add 2001:db8:51::5 lladdr 02:00:00:00:51:06 dev v0",
    "rule add from 10.53.0.0/16 lookup 100 pref 500",
    "-6 rule add from 2001:db8:53::/48 lookup 100 pref 501",
    "nexthop add id 51 via 10.51.0.3 dev v0",
    "nexthop add id 52 group 51",
    "nexthop del id 52",
    "nexthop del id 51",
    "rule del pref 500",
    "-6 rule del pref 501",
    "neigh del 10.51.0.5 dev v0",
    "route del 10.52.0.0/24",
    "address del 10.51.0.1/24 dev v0",
    `netns set ${other} 51`,
    "link add br51 address 02:00:00:00:51:03 type bridge",
    "link set br51 addrgenmode none",
    "link set v1 master br51",
    "link set v1 nomaster",
    "link del br51",
    "link del v0",
    "link set w0 mtu 1400",
    "address add 10.54.0.1/24 dev w0",
    "route add 10.55.0.0/24 via 10.54.0.2 dev w0",
    "neigh add 10.54.0.9 lladdr 02:00:00:00:54:09 dev w0",
    "neigh del 10.54.0.9 dev w0",
    "route del 10.55.0.0/24",
    "address del 10.54.0.1/24 dev w0",
    "link set w0 mtu 1500",
  ];
}

/** Starts both monitors with `args`, makes the changes, and returns what each printed once they agree. */
function watch(ns: string, other: string, args: string[]): Promise<[string, string]> {
  return watchBoth(ns, args, async () => {
    for (const cmd of script(other)) await ip(ns, cmd);
  });
}

await kernelTest("ip monitor: prints what iproute2 prints", NEEDS, async (_conn, ns) => {
  await ip(ns, "link set lo up");
  // A device that exists before the monitors start, for `dev w0`.
  await ip(ns, "link add w0 address 02:00:00:00:54:01 type veth peer name w1 address 02:00:00:00:54:02");
  for (const cmd of ["link set w0 addrgenmode none", "link set w1 addrgenmode none", "link set w1 up"]) {
    await ip(ns, cmd);
  }
  await ip(ns, "link set w0 up");
  const variants = [
    ["monitor"],
    ["monitor", "label"],
    ["-t", "monitor", "all"],
    ["-ts", "monitor", "label", "link", "address"],
    ["-4", "monitor", "link", "address", "route", "neigh", "rule"],
    ["-6", "-o", "monitor", "label", "r", "a", "n", "ru", "netconf"],
    ["monitor", "nexthop", "rule", "nsid"],
    ["-t", "monitor", "label", "dev", "w0"],
    ["-j", "-d", "monitor", "link", "neigh"],
  ];
  for (const args of variants) {
    // A namespace of its own per run: the id it gets in `ns` lasts as long as it does.
    const [a, b] = await withOtherNetns("Qmon", (other) => watch(ns, other, args));
    await nsidsGone(ns);
    assert.notEqual(a, "", `ip ${args.join(" ")}: iproute2 printed nothing`);
    assertSameMonitorOutput(a, b, args);
  }
});

await kernelTest(
  "ip monitor: the kernel's neighbour requests (miss) as iproute2 prints them",
  NEEDS,
  async (_conn, ns) => {
    await ip(ns, "link add v0 address 02:00:00:00:61:01 type veth peer name v1 address 02:00:00:00:61:02");
    for (const cmd of ["link set v0 addrgenmode none", "link set v1 addrgenmode none", "link set v0 up"]) {
      await ip(ns, cmd);
    }
    await ip(ns, "link set v1 up");
    await ip(ns, "address add 10.61.0.1/24 dev v0");
    // One probe asked of user space and none sent on the wire: RTM_GETNEIGH, then the entry fails.
    await ip(ns, "ntable change name arp_cache dev v0 app_probes 1 ucast_probes 0 mcast_probes 0 retrans 100");
    for (const args of [["monitor", "neigh"], ["-4", "monitor", "label"], ["-j", "monitor", "neigh"]]) {
      const [a, b] = await watchBoth(ns, args, async () => {
        // A datagram to an address nobody has: the kernel starts resolving it.
        const send = new Deno.Command("ip", {
          args: ["netns", "exec", ns, "bash", "-c", "echo x > /dev/udp/10.61.0.99/9"],
          stdout: "null",
          stderr: "null",
        });
        await send.output();
        await ip(ns, "neigh flush dev v0"); // forget it, for the next run
      });
      assert.match(a, /miss 10\.61\.0\.99 dev v0 /, `ip ${args.join(" ")}: iproute2 printed no miss`);
      assertSameMonitorOutput(a, b, args);
    }
  },
);

Deno.test("ip monitor: timestamps in iproute2's two formats", () => {
  const t = new Date(2026, 0, 5, 7, 8, 9).getTime() + 0.123; // local time, as iproute2 prints
  assert.equal(timestampText(false, t), "Timestamp: Mon Jan  5 07:08:09 2026 123 usec\n");
  assert.equal(timestampText(true, t), "[2026-01-05T07:08:09.000123] ");
  assert.equal(timestampText(true, t + 999.5), "[2026-01-05T07:08:09.999623] ");
});

await kernelTest("ip monitor: usage errors match iproute2", NEEDS, async (_conn, ns) => {
  await sameError(ns, "monitor foo");
  await sameError(ns, "monitor help");
  await sameError(ns, "monitor dev nope");
  await sameError(ns, "monitor link dev");
});
