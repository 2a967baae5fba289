/**
 * `ip link` against iproute2: listings in every output mode, changes that
 * leave the kernel in the state iproute2 would, and errors.
 *
 * Links stay down where counters or bridge timers are printed: traffic on an
 * up link (IPv6 router solicitations, MLD reports) would move them between runs.
 */
import assert from "node:assert/strict";
import { addNetns, Connection, deleteNetns } from "../../mod.ts";
import { kernelTest, uniqueNetnsName } from "../_lib/netns.ts";
import { ip, iproute2, nlink, ours, retried, sameError, sameJson, sameText } from "./_run.ts";
import { sameSteps, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth", "bridge", "ifb"] };

/** lo up; p0/p1 veth (fixed addresses, alias, mtu) with p1 in bridge br0; everything else down. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 address 02:00:00:00:00:01 mtu 1400 type veth peer name p1 address 02:00:00:00:00:02");
  await ip(ns, "link add br0 address 02:00:00:00:00:10 type bridge");
  await ip(ns, "link set p1 master br0");
  await ip(ns, "link set p0 alias uplink-to-br0");
  await ip(ns, "link set p1 txqueuelen 500");
  await ip(ns, "link add ifb7 type ifb");
}

await kernelTest("ip link: text listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["link"],
      ["link", "show"],
      ["link", "list"],
      ["link", "lst"],
      ["-s", "link"],
      ["-s", "-s", "link"],
      ["-h", "-s", "-s", "link"],
      ["-d", "link"],
      ["-d", "-d", "link", "show", "dev", "br0"],
      ["-br", "link"],
      ["-o", "link"],
      ["-o", "-d", "link"],
      ["link", "show", "dev", "p0"],
      ["link", "show", "p1"],
      ["link", "show", "up"],
      ["link", "show", "type", "veth"],
      ["link", "show", "type", "bridge_slave"],
      ["link", "show", "master", "br0"],
      ["link", "show", "nomaster"],
      ["-N", "-d", "link"],
    ]
  ) await sameText(ns, args);
});

await kernelTest("ip link: JSON listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["-j", "link"],
      ["-j", "-d", "link"],
      ["-j", "-s", "-s", "link"],
      ["-j", "-br", "link"],
      ["-j", "link", "show", "dev", "br0"],
      ["-j", "link", "show", "up"],
      ["-j", "-p", "-d", "link"],
    ]
  ) await sameJson(ns, args);
  // -p layout is part of the output: compare it byte for byte too.
  await sameText(ns, ["-j", "-p", "-d", "-s", "link"]);
  await sameText(ns, ["-j", "-p", "-br", "link"]);
});

await kernelTest(
  "ip link: peers in other namespaces (named: link-netns, unnamed: link-netnsid)",
  NEEDS,
  async (_c, ns) => {
    const named = uniqueNetnsName("peer");
    const hidden = uniqueNetnsName("anon");
    await addNetns(named);
    await addNetns(hidden);
    // Holding a socket in it keeps the namespace alive once its name is gone.
    const keep = await Connection.open({ netns: hidden });
    try {
      await ip(ns, `link add x0 address 02:00:00:00:01:01 type veth peer name x1 netns ${named}`);
      await ip(ns, `link add y0 address 02:00:00:00:02:01 type veth peer name y1 netns ${hidden}`);
      await deleteNetns(hidden);
      // iproute2 names peers by asking for the id of every named namespace; one that another test is deleting
      // meanwhile makes it print the kernel's complaint: such a comparison is tried again.
      let text = "";
      await retried(async () => text = (await sameText(ns, ["link"])).stdout);
      assert.match(text, new RegExp(`x0@if\\d+: .*\\n.* link-netns ${named}\\n`));
      assert.match(text, /y0@if\d+: .*\n.* link-netnsid \d+\n/);
      await retried(() => sameText(ns, ["-d", "link"]));
      await retried(() => sameText(ns, ["-br", "link"]));
      await retried(() => sameJson(ns, ["-j", "link"]));
    } finally {
      keep.close();
      await deleteNetns(named);
    }
  },
);

/** The same commands through iproute2 in one namespace and through nlink in another leave equal links. */
await kernelTest("ip link add/set/del: same kernel state as iproute2", NEEDS, async (_conn, ns) => {
  await withOtherNetns("theirs", async (theirs) => {
    const steps = [
      "link add v0 address 02:00:00:00:00:01 mtu 1400 txqueuelen 700 type veth peer name v1 address 02:00:00:00:00:02 mtu 1300",
      "link add name br0 address 02:00:00:00:00:10 type bridge",
      "link add ifb3 type ifb",
      "link set v1 master br0",
      "link set dev v0 up",
      "link set v0 mtu 1500",
      "link set v0 alias first-alias",
      "link set v0 alias changed",
      "link set v1 txqueuelen 42",
      "link set ifb3 name ifb4",
      "link set dev br0 address 02:00:00:00:00:44",
      "link set v0 down",
      "link set v1 nomaster",
      "link set v1 master br0",
      "link set v0 multicast off",
      "link set v0 arp off",
      "link set v0 arp on",
      "link del ifb4",
    ];
    await sameSteps(ns, theirs, steps);
    const a = JSON.parse(await ip(theirs, "-j -d link"));
    const b = JSON.parse(await ip(ns, "-j -d link"));
    assert.deepEqual(b, a);
    const r = await ours(ns, "link del v0");
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(await ip(ns, "link"), /v0|v1/);
  });
});

await kernelTest("ip link: errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  await sameError(ns, "link add p0 type veth peer name p9"); // RTNETLINK answers: File exists
  await sameError(ns, "link set nosuchdev up");
  await sameError(ns, "link set p0 mtu abc");
  await sameError(ns, "link set p0 mtu 10"); // the kernel's extended ack
  await sameError(ns, "link set p0 master nosuchdev");
  await sameError(ns, "link set p0 arp maybe");
  await sameError(ns, "link set p0 address zz:01");
  await sameError(ns, "link add foo");
  await sameError(ns, "link add foo type");
  await sameError(ns, "link del nosuchdev");
  await sameError(ns, "link show nosuchdev");
  await sameError(ns, "link show dev p0 dev p1");
  await sameError(ns, "link frobnicate");
  const r = await ours(ns, "link help");
  assert.equal(r.code, 255);
  assert.match(r.stderr, /^Usage: ip link add /);
  // A namespace that does not exist fails before anything else.
  const missing = ["-n", uniqueNetnsName("missing"), "link"];
  const [theirs, mine] = await Promise.all([iproute2(missing), nlink(missing)]);
  assert.equal(mine.stderr, theirs.stderr);
  assert.equal(mine.code, theirs.code);
});
