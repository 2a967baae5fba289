/**
 * `ip nexthop` against iproute2: gateway, device, onlink, blackhole and fdb
 * nexthops, multipath / resilient / fdb groups; listings with every selector
 * in text and JSON, buckets, request bytes of add/replace/del, flush, errors.
 */
import assert from "node:assert/strict";
import { NO_NETNS_REASON } from "../_lib/netns.ts";
import { HAVE_NLCAPTURE, sameRequest } from "./_capture.ts";
import { ip, iproute2, ours, sameError, sameJson, sameText } from "./_run.ts";
import { kernelTestUnless, sameSteps, withOtherNetns } from "./_setup.ts";

/** Why nexthop objects cannot be tested here (Linux < 5.3), or undefined. */
const NO_NEXTHOPS: string | undefined = NO_NETNS_REASON ?? await (async () => {
  return await withOtherNetns("nhprobe", async (ns) => {
    await ip(ns, "link set lo up"); // blackhole nexthops live on lo
    const r = await iproute2(["-n", ns, "nexthop", "add", "id", "1", "blackhole"]);
    return r.code === 0 ? undefined : `kernel lacks nexthop objects (${r.stderr.trim()})`;
  });
})();

function nexthopTest(name: string, fn: (ns: string) => Promise<void>, capture = false): Promise<void> {
  const reason = NO_NEXTHOPS ?? (capture && !HAVE_NLCAPTURE ? "nlcapture or strace missing" : undefined);
  return kernelTestUnless(reason, name, { needs: ["veth"] }, fn);
}

async function links(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link add q0 type veth peer name q1");
  for (const dev of ["p0", "p1", "q0", "q1"]) await ip(ns, `link set ${dev} up`);
  await ip(ns, "address add 10.0.0.1/24 dev p0");
  await ip(ns, "address add 10.9.0.1/24 dev q0");
  await ip(ns, "address add 2001:db8::1/64 dev p0 nodad");
}

const NEXTHOPS = [
  "id 1 via 10.0.0.2 dev p0",
  "id 2 via 10.0.0.3 dev p0 onlink protocol static",
  "id 3 dev p0",
  "id 4 blackhole",
  "id 6 via 2001:db8::2 dev p0",
  "id 7 via 10.9.0.2 dev q0 protocol zebra",
  "id 8 via 192.168.77.1 dev q0 onlink",
  "id 10 group 1/2,3",
  "id 11 group 1,5/2 type resilient buckets 8 idle_timer 100 unbalanced_timer 50",
  "id 12 group 3/7 type mpath",
  "id 20 via 10.0.0.5 fdb",
  "id 21 via 10.0.0.6 fdb",
  "id 22 group 20/21 fdb",
  "id 23 via 2001:db8::5 fdb",
];

async function lab(ns: string): Promise<void> {
  await links(ns);
  for (const nh of NEXTHOPS) await ip(ns, `nexthop add ${nh}`);
  await ip(ns, "-6 nexthop add id 5 blackhole");
  await ip(ns, "route add 10.50.0.0/24 nhid 10");
}

await nexthopTest("ip nexthop: text listings match iproute2", async (ns) => {
  await lab(ns);
  for (
    const args of [
      ["nexthop"],
      ["nex"],
      ["nexthop", "show"],
      ["nexthop", "list"],
      ["-4", "nexthop"],
      ["-6", "nexthop"],
      ["-d", "nexthop"],
      ["-N", "-d", "nexthop"],
      ["-o", "nexthop"],
      ["nexthop", "show", "id", "11"],
      ["nexthop", "show", "id", "8"],
      ["nexthop", "get", "id", "10"],
      ["nexthop", "show", "groups"],
      ["nexthop", "show", "fdb"],
      ["nexthop", "show", "dev", "p0"],
      ["nexthop", "show", "dev", "q0"],
      ["nexthop", "show", "protocol", "4"],
      ["nexthop", "show", "groups", "protocol", "0"],
      ["-d", "nexthop", "show", "dev", "q0"],
    ]
  ) await sameText(ns, args);
});

await nexthopTest("ip nexthop: JSON listings match iproute2", async (ns) => {
  await lab(ns);
  for (
    const args of [
      ["-j", "nexthop"],
      ["-j", "-d", "nexthop"],
      ["-j", "nexthop", "show", "id", "11"],
      ["-j", "nexthop", "show", "groups"],
      ["-j", "-6", "nexthop"],
    ]
  ) await sameJson(ns, args);
  await sameText(ns, ["-j", "nexthop"]);
  await sameText(ns, ["-j", "-p", "-d", "nexthop"]);
  await sameText(ns, ["-j", "-p", "nexthop", "get", "id", "11"]);
});

/** Bucket idle times move with the clock: compare everything else. */
await nexthopTest("ip nexthop bucket: listings match iproute2", async (ns) => {
  await lab(ns);
  const still = (s: string) => s.replace(/idle_time"?:? [0-9.e+-]+|"idle_time":[0-9.e+-]+/g, "idle_time T");
  for (
    const args of [
      "nexthop bucket show",
      "nexthop bucket list id 11",
      "nexthop bucket show nhid 2",
      "nexthop bucket show dev p0",
      "nexthop bucket get id 11 index 3",
      "-j nexthop bucket show id 11",
      "-j -p nexthop bucket get id 11 index 0",
    ]
  ) {
    const theirs = await iproute2(["-n", ns, ...args.split(" ")]);
    const mine = await ours(ns, args);
    assert.equal(theirs.code, 0, theirs.stderr);
    assert.equal(still(mine.stdout), still(theirs.stdout), args);
    assert.equal(mine.code, 0);
  }
});

await nexthopTest("ip nexthop add/replace/del: same request bytes as iproute2", async (ns) => {
  await lab(ns);
  // Distinct ids: the bytes do not depend on the state, so the captures run side by side.
  for (
    const cmds of [[
      "nexthop add id 30 via 10.0.0.7 dev p0",
      "nexthop add id 31 via 10.0.0.7 dev p0 onlink protocol static",
      "nexthop add id 32 dev p0",
      "nexthop add id 33 blackhole",
      "-6 nexthop add id 34 blackhole",
      "nexthop add id 35 via 2001:db8::7 dev p0",
      "nexthop add id 0 via 10.0.0.7 dev p0 protocol static", // id 0: the kernel picks one
    ], [
      "nexthop add id 37 group 1/2,3",
      "nexthop add id 39 group 1/2 type resilient buckets 16 idle_timer 10 unbalanced_timer 20",
      "nexthop add id 40 group 1,256/2 type resilient",
      "nexthop a id 41 via 10.0.0.8 fdb",
    ], [
      "nexthop add id 42 group 20/21 fdb",
      "nexthop add id 43 group 20/21 type resilient buckets 32 fdb",
      "nexthop replace id 1 via 10.0.0.9 dev p0",
      "nexthop replace id 10 group 1,2/2,5",
      "nexthop repl id 44 blackhole protocol 99",
      "nexthop del id 30",
    ]]
  ) await Promise.all(cmds.map((cmd) => sameRequest(ns, cmd)));
}, true);

await nexthopTest("ip nexthop: changes and flush leave the state iproute2 leaves", async (ns) => {
  await withOtherNetns("theirs", async (theirs) => {
    await links(theirs);
    await links(ns);
    const steps = [
      ...NEXTHOPS.map((nh) => `nexthop add ${nh}`),
      "-6 nexthop add id 5 blackhole",
      "nexthop replace id 1 via 10.0.0.9 dev p0",
      "nexthop replace id 11 group 1,2/2 type resilient buckets 8",
      "nexthop del id 12",
    ];
    await sameSteps(ns, theirs, steps);
    assert.equal(await ip(ns, "-d nexthop"), await ip(theirs, "-d nexthop"));
    for (const flush of ["nexthop flush dev q0", "nexthop flush groups", "nexthop flush id 6", "nexthop flush"]) {
      const r = await iproute2(["-n", theirs, ...flush.split(" ")]);
      const mine = await ours(ns, flush);
      assert.equal(mine.stdout, r.stdout, flush);
      assert.equal(mine.stderr, r.stderr, flush);
      assert.equal(mine.code, r.code, flush);
      assert.equal(await ip(ns, "-d nexthop"), await ip(theirs, "-d nexthop"), flush);
    }
    assert.equal((await ours(ns, "nexthop flush")).stdout, "Nothing to flush\n");
  });
});

await nexthopTest("ip nexthop: errors match iproute2", async (ns) => {
  await lab(ns);
  for (
    const cmds of chunks([
      "nexthop add id 1 via 10.0.0.2 dev p0", // File exists
      "nexthop add id 90 via 10.77.0.2 dev p0", // the kernel's extended ack
      "nexthop add id 90 group 1/99",
      "nexthop add id 90 group 1/x",
      "nexthop add id 90 group x,2/1",
      "nexthop add id 90 group 1,0/2",
      "nexthop add id 90 group 1,257/2",
      "nexthop add id 90 via 10.0.0.2 dev nosuchdev",
      "nexthop add id 90 dev p0 via 2001:db8::9",
      "nexthop add id 90 via bogus dev p0",
      "nexthop add id x blackhole",
      "nexthop add id 90 group 1/2 type bogus",
      "nexthop add id 90 group 1/2 type resilient buckets x",
      "nexthop add id 90 group 1/2 type resilient idle_timer x",
      "nexthop add id 90 blackhole protocol bogus",
      "nexthop add id 90 bogus",
      // Neither gateway nor device: sent, and refused by the kernel in its own words.
      "nexthop add id 90",
      "-6 nexthop add id 90",
      "nexthop replace id 90 fdb",
      "nexthop del id 99",
      "nexthop get id 99",
      "nexthop get",
      "nexthop get id",
      "nexthop show id 99",
      "nexthop show dev nosuchdev",
      "nexthop show bogus",
      "nexthop show protocol x",
      "nexthop bucket show id 10",
      "nexthop bucket get id 11",
      "nexthop bucket get id 11 index x",
      "nexthop bucket show bogus",
      "nexthop frobnicate",
      "nexthop help",
      "nexthop add help",
    ])
  ) await Promise.all(cmds.map((cmd) => sameError(ns, cmd)));
});

/** Failing commands change nothing, so they run a few at a time. */
function chunks(cmds: string[], size = 4): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < cmds.length; i += size) out.push(cmds.slice(i, i + size));
  return out;
}
