/**
 * `ip address` against iproute2: listings (IPv4/IPv6, peers, labels,
 * broadcasts, flags, lifetimes) in every output mode, changes that leave the
 * kernel in the state iproute2 would, and errors.
 *
 * IPv6 addresses are added with `nodad` and links get `addrgenmode none`, so
 * no address is tentative for a moment; finite lifetimes are compared only
 * while iproute2's own output holds still (see sameTextStable).
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip, ours, sameError, sameJson, sameText, sameTextStable } from "./_run.ts";
import { sameSteps, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

/** Links: lo; p0/p1 (up, carrier); q0/q1 (down: their counters hold still for -s). */
async function links(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02");
  await ip(ns, "link add q0 address 02:00:00:00:00:03 type veth peer name q1 address 02:00:00:00:00:04");
  for (const dev of ["p0", "p1", "q0", "q1"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
}

async function lab(ns: string): Promise<void> {
  await links(ns);
  for (
    const a of [
      "10.0.0.1/24 dev p0",
      "10.0.0.2/24 dev p0",
      "10.1.0.1 peer 10.1.0.2/32 dev p0",
      "10.2.0.1/24 brd + label p0:lab dev p0",
      "10.3.0.1/24 broadcast 10.3.0.200 dev p0",
      "10.4.0.1/24 dev p0 noprefixroute metric 7",
      "10.5.0.1/24 dev p0 scope link",
      "2001:db8::1/64 dev p0 nodad",
      "2001:db8:1::1/64 dev p0 nodad noprefixroute",
      "2001:db8:2::1 peer 2001:db8:2::2/128 dev p0 nodad",
      "192.168.1.1/24 dev p1",
      "172.16.0.1/16 dev q0",
      "fd00::1/64 dev q0 nodad",
    ]
  ) await ip(ns, `address add ${a}`);
}

await kernelTest("ip address: text listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["a"],
      ["addr"],
      ["address", "show"],
      ["-4", "addr"],
      ["-6", "addr"],
      ["-br", "addr"],
      ["-br", "-4", "a"],
      ["-br", "-6", "a"],
      ["-o", "addr"],
      ["-o", "-6", "addr"],
      ["-d", "addr"],
      ["addr", "show", "dev", "p0"],
      ["addr", "show", "q0"],
      ["-6", "addr", "show", "dev", "p0"],
      ["addr", "show", "label", "p0:*"],
      ["addr", "show", "scope", "link"],
      ["addr", "show", "scope", "global"],
      ["addr", "show", "primary"],
      ["addr", "show", "secondary"],
      ["addr", "show", "permanent"],
      ["addr", "show", "-tentative"],
      ["addr", "show", "to", "10.0.0.0/16"],
      // an IPv6 prefix selects IPv6 addresses; the links are still dumped whole (only -6 dumps them as IPv6 ones)
      ["addr", "show", "to", "2001:db8::/32"],
      ["-6", "addr", "show", "to", "2001:db8::/32"],
      ["-6", "link"],
      ["addr", "show", "up"],
      ["addr", "show", "type", "veth"],
      ["-s", "addr", "show", "dev", "lo"],
      ["-s", "-s", "addr", "show", "dev", "q0"],
      ["-6", "-s", "addr", "show", "dev", "q0"],
    ]
  ) await sameText(ns, args);
});

await kernelTest("ip address: JSON listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["-j", "addr"],
      ["-j", "-4", "addr"],
      ["-j", "-6", "addr"],
      ["-j", "-br", "addr"],
      ["-j", "-o", "addr"],
      ["-j", "addr", "show", "dev", "p0"],
      ["-j", "addr", "show", "scope", "global"],
      ["-j", "addr", "show", "to", "2001:db8::/32"],
      ["-j", "-s", "addr", "show", "dev", "q0"],
      ["-j", "-p", "addr"],
    ]
  ) await sameJson(ns, args);
  await sameText(ns, ["-j", "-p", "addr"]);
  await sameText(ns, ["-j", "-p", "-br", "-6", "addr"]);
});

await kernelTest("ip address: lifetimes in seconds, deprecated and dynamic", NEEDS, async (_conn, ns) => {
  await links(ns);
  await ip(ns, "address add 10.9.0.1/24 dev p0 valid_lft 3000 preferred_lft 2000");
  await ip(ns, "address add 2001:db8:9::1/64 dev p0 nodad valid_lft 3000 preferred_lft 0");
  await ip(ns, "address add 2001:db8:8::1/64 dev p0 nodad valid_lft forever preferred_lft forever");
  await sameTextStable(ns, ["addr", "show", "dev", "p0"]);
  await sameTextStable(ns, ["-j", "-p", "addr", "show", "dev", "p0"]);
  await sameTextStable(ns, ["-o", "addr"]);
  await sameTextStable(ns, ["addr", "show", "dynamic"]);
  await sameTextStable(ns, ["addr", "show", "deprecated"]);
});

/** The same commands through iproute2 in one namespace and through nlink in another leave equal addresses. */
await kernelTest("ip address add/replace/del: same kernel state as iproute2", NEEDS, async (_conn, ns) => {
  await withOtherNetns("theirs", async (theirs) => {
    await links(theirs);
    await links(ns);
    const steps = [
      "address add 10.0.0.1/24 dev p0",
      "address add 10.0.0.2/24 dev p0",
      "addr add 10.1.0.1 peer 10.1.0.2/32 dev p0",
      "address add 10.2.0.1/24 broadcast + label p0:x dev p0",
      "address add 10.3.0.1/24 brd 10.3.0.9 dev p0",
      "address add 10.3.0.2/24 brd - dev p0",
      "address add 10.4.0.1/24 dev p0 noprefixroute metric 9",
      "address add 10.5.0.1/24 dev p0 scope host",
      "address add local 10.6.0.1/8 dev q0",
      "address add 2001:db8::1/64 dev p0 nodad",
      "address add 2001:db8:1::1/64 dev p0 nodad valid_lft forever preferred_lft forever",
      "address add 2001:db8:2::1/64 dev q0 nodad noprefixroute",
      "address replace 10.4.0.1/24 dev p0 metric 11",
      "address del 10.0.0.2/24 dev p0",
      "address delete 2001:db8:2::1/64 dev q0",
    ];
    await sameSteps(ns, theirs, steps);
    assert.deepEqual(JSON.parse(await ip(ns, "-j addr")), JSON.parse(await ip(theirs, "-j addr")));
    assert.deepEqual(
      JSON.parse(await ip(ns, "-j route show table all")),
      JSON.parse(await ip(theirs, "-j route show table all")),
    );
  });
});

await kernelTest("ip address: errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  await sameError(ns, "address add 10.0.0.1/24 dev p0"); // already assigned
  await sameError(ns, "address del 10.99.0.1/24 dev p0"); // not found
  await sameError(ns, "address add 10.7.0.1/24");
  await sameError(ns, "address add 10.7.0.1/24 dev nosuchdev");
  await sameError(ns, "address add 10.7.0.300/24 dev p0");
  await sameError(ns, "address add 2001:db8:7::1/64 dev p0 brd +");
  await sameError(ns, "address add 10.7.0.1/24 dev p0 valid_lft 0");
  await sameError(ns, "address add 10.7.0.1/24 dev p0 valid_lft 10 preferred_lft 20");
  await sameError(ns, "address add 10.7.0.1/24 dev p0 scope bogus");
  await sameError(ns, "address add 10.7.0.1/24 dev p0 metric x");
  await sameError(ns, "address add 10.7.0.1/24 dev p0 autojoin");
  await sameError(ns, "address show dev nosuchdev");
  await sameError(ns, "address show scope bogus");
  await sameError(ns, "address frobnicate");
  const r = await ours(ns, "address help");
  assert.equal(r.code, 255);
  assert.match(r.stderr, /^Usage: ip address /);
});
