/**
 * `ip stats` against iproute2: every group, subgroup and suite this kernel
 * reports (link counters, bridge and bridge-port extended statistics, offload
 * information and hardware L3 counters) in every output mode, the selection
 * language and its errors, and `ip stats set` (request bytes and effect).
 * Not on this host: bond 802.3ad and MPLS statistics (no bonding, no
 * mpls_router module); their selections are still compared (they print the
 * headers only).
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip, iproute2, ours, sameError, sameJson, sameText } from "./_run.ts";
import { HAVE_NLCAPTURE, sameRequest } from "./_capture.ts";

const NEEDS = { needs: ["veth", "bridge"] };

/** A quiet lab (links down, so no traffic moves the counters while both tools read them): p0/p1, p1 a port of br0. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link add br0 type bridge");
  await ip(ns, "link set p1 master br0");
  // Up for a moment, so that the counters are not all zero, then down, so that they stay put.
  for (const dev of ["p0", "p1", "br0"]) await ip(ns, `link set ${dev} up`);
  await new Promise((r) => setTimeout(r, 1500));
  for (const dev of ["p0", "p1", "br0"]) await ip(ns, `link set ${dev} down`);
}

const SELECTIONS = [
  [],
  ["group", "link"],
  ["group", "offload", "subgroup", "cpu_hit"],
  ["group", "offload", "subgroup", "l3_stats"],
  ["group", "offload", "subgroup", "cpu_hit", "subgroup", "l3_stats"],
  ["group", "xstats_slave", "subgroup", "bridge"],
  ["group", "xstats_slave", "subgroup", "bridge", "suite", "stp"],
  ["group", "xstats", "subgroup", "bridge", "suite", "mcast"],
  ["group", "afstats"],
  ["group", "link", "group", "offload", "group", "link"],
];

await kernelTest("ip stats show: text and JSON match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  await ip(ns, "stats set dev p0 l3_stats on"); // l3_stats requested: its counters are reported
  await sameText(ns, ["stats"]);
  for (const sel of SELECTIONS) {
    await sameText(ns, ["stats", "show", ...sel]);
    await sameJson(ns, ["-j", "stats", "show", ...sel]);
  }
  for (const dev of ["p0", "p1", "br0"]) {
    await sameText(ns, ["stats", "show", "dev", dev]);
    await sameJson(ns, ["-j", "-p", "stats", "show", "dev", dev]);
  }
  await sameText(ns, ["-s", "stats", "show", "dev", "p0", "group", "link"]);
  await sameText(ns, ["-o", "-d", "stats", "show", "dev", "p1"]);
  await sameJson(ns, ["-j", "-s", "stats", "show", "group", "link"]);
  await sameText(ns, ["-h", "stats", "show", "group", "link"]);
});

await kernelTest("ip stats: errors and help match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const cmd of [
      "stats show group",
      "stats show group foo",
      "stats show subgroup cpu_hit",
      "stats show group offload suite x",
      "stats show group link subgroup x",
      "stats show group offload subgroup nope",
      "stats show frob",
      "stats show dev nope",
      "stats show dev p0 dev p1",
      "stats frob",
      "stats sh",
      "stats set dev p0",
      "stats set l3_stats on",
      "stats set dev p0 l3_stats maybe",
      "stats set dev p0 l3_stats on l3_stats off",
      "stats set dev nope l3_stats on",
      "stats set frob",
    ]
  ) await sameError(ns, cmd);
  // help exits 0 with the text on stderr
  for (const cmd of ["stats help", "stats show help", "stats set help"]) {
    const [theirs, mine] = await Promise.all([iproute2(["-n", ns, ...cmd.split(" ")]), ours(ns, cmd)]);
    assert.equal(mine.code, theirs.code, cmd);
    assert.equal(mine.stderr, theirs.stderr, cmd);
  }
});

await kernelTest("ip stats set: the same request as iproute2, and the same effect", NEEDS, async (_conn, ns) => {
  await lab(ns);
  if (HAVE_NLCAPTURE) {
    await sameRequest(ns, "stats set dev p0 l3_stats on");
    await sameRequest(ns, "stats set dev p0 l3_stats off");
    await sameRequest(ns, "stats show dev p0 group offload subgroup cpu_hit");
  }
  await ip(ns, "stats set dev p0 l3_stats on");
  const before = await ip(ns, "-j stats show dev p0 group offload subgroup l3_stats");
  await ip(ns, "stats set dev p0 l3_stats off");
  const r = await ours(ns, "stats set dev p0 l3_stats on");
  assert.equal(r.code, 0);
  assert.equal(await ip(ns, "-j stats show dev p0 group offload subgroup l3_stats"), before);
});
