/**
 * `ip netconf` against iproute2, in a private namespace with two veths whose
 * settings differ (forwarding, rp_filter strict and loose and a raw value,
 * proxy_arp, ignore_routes_with_linkdown): every family selection (none,
 * -4, -6, -f mpls, and families netconf lacks), `dev`, text and JSON, the
 * single-request form (family and device: text even with -j), usage errors.
 * MPLS entries appear only where the kernel has MPLS (not on every host: then
 * `-f mpls` compares iproute2's empty answers).
 */
import { kernelTest } from "../_lib/netns.ts";
import { sysctl } from "../_lib/setup.ts";
import assert from "node:assert/strict";
import { ip, iproute2, nlink, sameError, sameJson, sameText } from "./_run.ts";

/** Both tools print and return the same, even nothing. */
async function sameOutput(ns: string, args: string[]): Promise<void> {
  const [theirs, mine] = await Promise.all([iproute2(["-n", ns, ...args]), nlink(["-n", ns, ...args])]);
  assert.deepEqual(mine, theirs, `ip -n ${ns} ${args.join(" ")}`);
}

/** Two veths, one down, with settings that print every way. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add d0 type veth peer name d1");
  await ip(ns, "link set d0 up");
  for (
    const s of [
      "net.ipv4.conf.all.forwarding=1",
      "net.ipv4.conf.d0.rp_filter=2",
      "net.ipv4.conf.d1.rp_filter=1",
      "net.ipv4.conf.default.proxy_arp=1",
      "net.ipv4.conf.d1.proxy_arp=1",
      "net.ipv6.conf.d1.forwarding=1",
      "net.ipv6.conf.d0.proxy_ndp=1",
      "net.ipv4.conf.d0.ignore_routes_with_linkdown=1",
      "net.ipv6.conf.all.ignore_routes_with_linkdown=1",
    ]
  ) await sysctl(ns, s);
}

await kernelTest(
  "ip netconf show: text and JSON as iproute2, every family and dev",
  { needs: ["veth"] },
  async (_c, ns) => {
    await lab(ns);
    for (const opts of [[], ["-4"], ["-6"], ["-j"], ["-j", "-p"], ["-4", "-j"], ["-6", "-j", "-p"]]) {
      await sameText(ns, [...opts, "netconf"]);
      await sameText(ns, [...opts, "netconf", "show", "dev", "d0"]);
      await sameText(ns, [...opts, "netconf", "show", "dev", "d1"]);
    }
    await sameText(ns, ["netconf", "show"]);
    await sameText(ns, ["netconf", "l"]);
    await sameText(ns, ["netconf", "list", "dev", "lo"]);
    await sameText(ns, ["netconf", "lst", "extra", "dev", "d0", "words"]);
    await sameText(ns, ["netconf", "show", "dev", "if1"]);
    await sameJson(ns, ["-j", "netconf", "show"]);
    await sameJson(ns, ["-j", "netconf", "show", "dev", "d1"]);
    // A raw rp_filter value prints as a number.
    await sysctl(ns, "net.ipv4.conf.d1.rp_filter=2");
    await sameText(ns, ["-4", "netconf", "show", "dev", "d1"]);
  },
);

await kernelTest(
  "ip netconf: families netconf lacks, mpls, and errors as iproute2",
  { needs: ["veth"] },
  async (_c, ns) => {
    await lab(ns);
    // Families without netconf (and mpls without MPLS): nothing printed, or an empty JSON list.
    for (const fam of [["-f", "mpls"], ["-0"], ["-B"]]) {
      await sameOutput(ns, [...fam, "netconf"]);
      await sameOutput(ns, [...fam, "netconf", "show", "dev", "d0"]);
      await sameOutput(ns, [...fam, "-j", "netconf", "show", "dev", "d0"]);
      await sameJson(ns, [...fam, "-j", "netconf"]);
    }
    for (
      const cmd of [
        "netconf help",
        "netconf h",
        "netconf frob",
        "netconf show dev",
        "netconf show dev nope",
      ]
    ) await sameError(ns, cmd);
  },
);
