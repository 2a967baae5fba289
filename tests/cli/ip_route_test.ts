/**
 * `ip route` against iproute2: listings (default, host routes, tables,
 * metrics, multipath, onlink, linkdown, types, IPv6 preference and source
 * routing) in every output mode, JSON byte for byte, changes that leave the
 * kernel in the state iproute2 would, and errors.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip, ours, sameError, sameJson, sameText } from "./_run.ts";
import { sameSteps, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

/** p0/p1 up with 10.0.0.1/24 and 2001:db8::1/64 on p0; q0 up without carrier (q1 down), so its routes are linkdown. */
async function links(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02");
  await ip(ns, "link add q0 address 02:00:00:00:00:03 type veth peer name q1 address 02:00:00:00:00:04");
  for (const dev of ["p0", "p1", "q0", "q1"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
  await ip(ns, "link set q0 up");
  await ip(ns, "address add 10.0.0.1/24 dev p0");
  await ip(ns, "address add 2001:db8::1/64 dev p0 nodad");
  await ip(ns, "address add 10.9.0.1/24 dev q0");
}

async function lab(ns: string): Promise<void> {
  await links(ns);
  for (
    const r of [
      "default via 10.0.0.254",
      "10.10.0.0/16 via 10.0.0.2 metric 5",
      "10.11.0.1 dev p0",
      "10.12.0.0/24 via 10.0.0.3 dev p0 table 100",
      "10.13.0.0/24 dev p0 table 100 metric 3 proto static",
      "10.14.0.0/24 nexthop via 10.0.0.3 dev p0 weight 2 nexthop via 10.0.0.4 dev p0",
      "10.15.0.0/24 via 192.168.50.1 dev p0 onlink",
      "blackhole 10.16.0.0/24",
      "unreachable 10.17.0.0/24",
      "prohibit 10.18.0.0/24 metric 8",
      "10.19.0.0/24 dev p0 src 10.0.0.1 mtu 1400 advmss 1360",
      "10.20.0.0/24 dev p0 mtu lock 1300 hoplimit 10 initcwnd 4",
      "local 10.30.0.1 dev p0",
      "10.31.0.0/24 dev p0 scope host proto 99",
      "10.32.0.0/24 via 10.0.0.5 table 200",
      "10.33.0.0/24 dev p0 realms 3/4",
      "10.34.0.0/24 dev p0 realms 5",
      "10.35.0.0/24 dev p0 realms 3/0",
      "default via 2001:db8::fe dev p0",
      "2001:db8:10::/64 via 2001:db8::2 metric 10",
      "2001:db8:11::/64 dev p0 table 100",
      "2001:db8:12::/64 nexthop via 2001:db8::3 dev p0 nexthop via 2001:db8::4 dev p0 weight 3",
      "2001:db8:13::/64 dev p0 pref high",
      "2001:db8:14::/64 via 2001:db8::2 dev p0 mtu 1400",
      "2001:db8:15::/64 from 2001:db8:ffff::/48 via 2001:db8::2",
      "blackhole 2001:db8:16::/64",
    ]
  ) await ip(ns, `route add ${r}`);
}

await kernelTest("ip route: text listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["route"],
      ["r"],
      ["route", "show"],
      ["route", "list"],
      ["-6", "route"],
      ["-4", "route", "show", "table", "all"],
      ["-6", "route", "show", "table", "all"],
      ["route", "show", "table", "all"],
      ["route", "show", "table", "100"],
      ["route", "show", "table", "local"],
      ["-6", "route", "show", "table", "100"],
      ["-d", "route"],
      ["-d", "-6", "route"],
      ["-s", "-6", "route"],
      ["-o", "route"],
      ["-o", "-6", "route"],
      ["-N", "route", "show", "table", "all"],
      ["route", "show", "dev", "p0"],
      ["route", "show", "dev", "q0"],
      ["route", "show", "proto", "kernel"],
      ["route", "show", "type", "blackhole"],
      ["route", "show", "scope", "link"],
      ["route", "show", "10.10.0.0/16"],
      ["route", "show", "root", "10.0.0.0/8"],
      ["route", "show", "match", "10.14.0.5"],
      ["route", "show", "default"],
      ["-6", "route", "show", "default"],
      ["route", "show", "via", "10.0.0.2"],
      ["route", "show", "src", "10.0.0.1"],
      ["route", "show", "metric", "5"],
      ["-6", "route", "show", "from", "2001:db8:ffff::/48"],
      // realms: both halves, the destination's alone, the source's alone (`A/`), a raw number.
      ["route", "show", "realms", "3/4"],
      ["route", "show", "realms", "4"],
      ["route", "show", "realms", "3/"],
      ["route", "show", "realms", "0"],
      ["route", "show", "realms", "196612"],
    ]
  ) await sameText(ns, args);
});

await kernelTest("ip route: JSON listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["-j", "route"],
      ["-j", "-6", "route"],
      ["-j", "route", "show", "table", "all"],
      ["-j", "route", "show", "table", "100"],
      ["-j", "-d", "route", "show", "table", "all"],
      ["-j", "-p", "route"],
      ["-j", "route", "show", "dev", "q0"],
    ]
  ) await sameJson(ns, args);
  await sameText(ns, ["-j", "route"]);
  await sameText(ns, ["-j", "-p", "route", "show", "table", "all"]);
  await sameText(ns, ["-j", "-p", "-6", "route"]);
});

/** Compact and pretty JSON byte for byte (key order, spacing, numbers), every table and family. */
await kernelTest("ip route: JSON is byte-identical to iproute2's", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["-j", "route", "show", "table", "all"],
      ["-j", "-6", "route", "show", "table", "all"],
      ["-j", "-d", "route", "show", "table", "all"],
      ["-j", "-d", "-6", "route", "show", "table", "all"],
      ["-j", "-s", "-6", "route"],
      ["-j", "-p", "-d", "route", "show", "table", "all"],
    ]
  ) await sameText(ns, args);
});

/** The same commands through iproute2 in one namespace and through nlink in another leave equal tables. */
await kernelTest(
  "ip route add/append/prepend/replace/change/del: same kernel state as iproute2",
  NEEDS,
  async (_c, ns) => {
    await withOtherNetns("theirs", async (theirs) => {
      await links(theirs);
      await links(ns);
      const steps = [
        "route add default via 10.0.0.254",
        "route add 10.10.0.0/16 via 10.0.0.2 metric 5",
        "route add 10.11.0.1 dev p0",
        "route add 10.12.0.0/24 via 10.0.0.3 dev p0 table 100",
        "route add 10.13.0.0/24 dev p0 table 1000 metric 3 proto static",
        "route add 10.14.0.0/24 nexthop via 10.0.0.3 dev p0 weight 2 nexthop via 10.0.0.4 dev p0",
        "route add 10.15.0.0/24 via 192.168.50.1 dev p0 onlink",
        "route add blackhole 10.16.0.0/24",
        "route add unreachable 10.17.0.0/24 metric 4",
        "route add 10.19.0.0/24 dev p0 src 10.0.0.1 mtu 1400 advmss 1360",
        "route add 10.20.0.0/24 dev p0 mtu lock 1300 hoplimit 10 window 1000",
        "route add local 10.30.0.1 dev p0",
        "route add 10.31.0.0/24 dev p0 scope host proto 99",
        "route add 10.33.0.0/24 dev q0",
        "route replace 10.10.0.0/16 via 10.0.0.3 metric 5",
        "route prepend 10.40.0.0/24 via 10.0.0.2",
        "route append 10.40.0.0/24 via 10.0.0.3",
        "route change 10.31.0.0/24 dev p0 scope host proto 98",
        "route del 10.11.0.1 dev p0",
        "route delete 10.17.0.0/24 metric 4",
        "route add default via 2001:db8::fe dev p0",
        "route add 2001:db8:10::/64 via 2001:db8::2 metric 10",
        "route append 2001:db8:10::/64 via 2001:db8::3 metric 10",
        "route add 2001:db8:11::/64 dev p0 table 100",
        "route add 2001:db8:12::/64 nexthop via 2001:db8::3 dev p0 nexthop via 2001:db8::4 dev p0 weight 3",
        "route add 2001:db8:13::/64 dev p0 pref high",
        "route add 2001:db8:14::/64 via 2001:db8::2 dev p0 mtu 1400",
        "route add 2001:db8:15::/64 from 2001:db8:ffff::/48 via 2001:db8::2",
        "-6 route add blackhole 2001:db8:16::/64",
        "route replace 2001:db8:13::/64 dev p0 pref low",
        "route del 2001:db8:14::/64",
      ];
      await sameSteps(ns, theirs, steps);
      for (const show of ["-j route show table all", "-j -6 route show table all", "-d route show table all"]) {
        assert.equal(await ip(ns, show), await ip(theirs, show), show);
      }
      // And iproute2 lists what nlink added.
      assert.match(
        await ip(ns, "route show table 1000"),
        /^10\.13\.0\.0\/24 dev p0 proto static scope link metric 3 \n$/,
      );
    });
  },
);

await kernelTest("ip route: errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  await sameError(ns, "route add 10.10.0.0/16 via 10.0.0.2 metric 5"); // File exists
  await sameError(ns, "route del 10.99.0.0/24"); // No such process
  await sameError(ns, "route add 10.98.0.0/24 via 10.77.0.1"); // the kernel's extended ack
  await sameError(ns, "route add 10.98.0.0/33 dev p0");
  await sameError(ns, "route add 10.98.0.1/24 dev p0");
  await sameError(ns, "route add 10.98.0.0/24 dev nosuchdev");
  await sameError(ns, "route add 10.98.0.0/24 dev p0 table foo");
  await sameError(ns, "route add 10.98.0.0/24 via 10.0.0.2 via 10.0.0.3");
  await sameError(ns, "route add 10.98.0.0/24 nexthop via 10.0.0.3 dev nosuchdev");
  await sameError(ns, "route add 10.98.0.0/24 nexthop via 10.0.0.3 weight 0");
  await sameError(ns, "route add 10.98.0.0/24 nexthop via 10.0.0.3 garbage");
  await sameError(ns, "route add 10.98.0.0/24 nexthop");
  await sameError(ns, "route add 2001:db8:99::/64 via 10.0.0.1");
  await sameError(ns, "route show table 4242"); // no such table: Dump terminated
  await sameError(ns, "-j route show table 4242");
  await sameError(ns, "route show dev nosuchdev");
  await sameError(ns, "route show table bogus");
  await sameError(ns, "route show realms bogus");
  await sameError(ns, "route show realms /4");
  await sameError(ns, "route show vrf nosuch"); // not a VRF device: Invalid VRF
  await sameError(ns, "route show vrf p0");
  await sameError(ns, "route show vrf");
  await sameError(ns, "route frobnicate");
  const usage = await ours(ns, "route add");
  assert.equal(usage.code, 255);
  assert.match(usage.stderr, /^Usage: ip route /);
});
