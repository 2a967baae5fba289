/**
 * `ip neigh` against iproute2: listings (permanent, noarp, stale, reachable,
 * incomplete, router, extern_learn, proxy, protocol) with every selector in
 * text and JSON, `get`, `flush`, request bytes of every change, and errors.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { HAVE_NLCAPTURE, sameRequest } from "./_capture.ts";
import { ip, iproute2, nlink, ours, sameError, sameJson, sameText, sameTextStable } from "./_run.ts";
import { kernelTestUnless, oursSilent } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

/** p0/p1 up, addresses on p0, and neighbours in most states on p0 (p1's lladdr is 02:…:02). */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02");
  await ip(ns, "link add q0 address 02:00:00:00:00:03 type veth peer name q1 address 02:00:00:00:00:04");
  for (const dev of ["p0", "p1", "q0", "q1"]) await ip(ns, `link set ${dev} addrgenmode none`);
  for (const dev of ["p0", "p1", "q0"]) await ip(ns, `link set ${dev} up`);
  await ip(ns, "address add 10.0.0.1/24 dev p0");
  await ip(ns, "address add 2001:db8::1/64 dev p0 nodad");
  await ip(ns, "address add 10.9.0.1/24 dev q0");
  for (
    const n of [
      "10.0.0.2 lladdr 02:00:00:00:00:02 dev p0",
      "10.0.0.3 lladdr 02:00:00:00:00:03 dev p0 nud stale",
      "10.0.0.4 lladdr 02:00:00:00:00:04 dev p0 nud noarp",
      "10.0.0.5 lladdr 02:00:00:00:00:05 dev p0 nud reachable protocol static",
      "10.0.0.6 dev p0 nud incomplete",
      "10.0.0.7 lladdr 02:00:00:00:00:07 dev p0 extern_learn",
      "10.0.0.8 lladdr 02:00:00:00:00:08 dev p0 nud delay",
      "10.0.0.9 lladdr 02:00:00:00:00:09 dev p0 nud probe protocol 99",
      "10.9.0.2 lladdr 02:00:00:00:09:02 dev q0 nud permanent",
      "10.9.0.3 lladdr 02:00:00:00:09:03 dev q0 nud failed",
      "2001:db8::2 lladdr 02:00:00:00:00:02 dev p0 router",
      "2001:db8::3 lladdr 02:00:00:00:00:03 dev p0 nud stale",
      "proxy 10.0.0.100 dev p0",
      "proxy 2001:db8::100 dev p0",
      "proxy 10.9.0.100 dev q0",
    ]
  ) await ip(ns, `neigh add ${n}`);
}

/** `-s` shows cache ages in seconds: compare only when iproute2 printed the same before and after. */
async function sameStatsText(ns: string, args: string[]): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const before = await iproute2(["-n", ns, ...args]);
    const mine = await nlink(["-n", ns, ...args]);
    const after = await iproute2(["-n", ns, ...args]);
    if (before.stdout !== after.stdout) continue;
    assert.equal(mine.stdout, before.stdout, `ip ${args.join(" ")}: stdout differs`);
    assert.equal(mine.code, before.code);
    return;
  }
  assert.fail(`ip ${args.join(" ")}: output never held still`);
}

/** A request-bytes test: skipped, with the reason, where nlcapture (or strace) is missing. */
function captureTest(name: string, fn: (ns: string) => Promise<void>): Promise<void> {
  return kernelTestUnless(HAVE_NLCAPTURE ? undefined : "nlcapture or strace missing", name, NEEDS, fn);
}

await kernelTest("ip neigh: text listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["neigh"],
      ["n"],
      ["neighbour"],
      ["neigh", "show"],
      ["neigh", "list"],
      ["neigh", "lst"],
      ["-4", "neigh"],
      ["-6", "neigh"],
      ["neigh", "show", "dev", "p0"],
      ["neigh", "show", "dev", "q0"],
      ["neigh", "show", "nud", "all"],
      ["neigh", "show", "nud", "stale"],
      ["neigh", "show", "nud", "stale", "nud", "reachable"],
      ["neigh", "show", "nud", "noarp"],
      ["neigh", "show", "nud", "perm"],
      ["neigh", "show", "nud", "failed"],
      ["neigh", "show", "nud", "0x2"],
      ["neigh", "show", "proxy"],
      ["-6", "neigh", "show", "proxy"],
      ["neigh", "show", "proxy", "dev", "q0"],
      ["neigh", "show", "to", "10.0.0.0/29"],
      ["neigh", "show", "10.0.0.5"],
      ["neigh", "show", "2001:db8::/64"],
      ["neigh", "show", "protocol", "static"],
      ["neigh", "show", "protocol", "99"],
      ["neigh", "show", "unused", "nud", "all"],
      ["neigh", "show", "nomaster"],
      ["-N", "neigh", "show", "nud", "all"],
      ["-br", "neigh"],
      ["-br", "neigh", "show", "dev", "p0"],
      ["-o", "neigh"],
      ["neigh", "get", "10.0.0.2", "dev", "p0"],
      ["neigh", "get", "to", "2001:db8::2", "dev", "p0"],
      ["neigh", "get", "proxy", "10.0.0.100", "dev", "p0"],
      ["-j", "neigh", "get", "10.0.0.3", "dev", "p0"],
    ]
  ) await sameTextStable(ns, args); // probing entries turn FAILED on their own: compare while they hold still
  await sameStatsText(ns, ["-s", "neigh", "show", "nud", "all"]);
  await sameStatsText(ns, ["-s", "-6", "neigh"]);
  await sameStatsText(ns, ["-s", "neigh", "get", "10.0.0.2", "dev", "p0"]);
});

await kernelTest("ip neigh: JSON listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["-j", "neigh"],
      ["-j", "-6", "neigh"],
      ["-j", "neigh", "show", "nud", "all"],
      ["-j", "neigh", "show", "proxy"],
      ["-j", "neigh", "show", "dev", "p0"],
      ["-j", "-br", "neigh"],
      ["-j", "neigh", "show", "protocol", "static"],
    ]
  ) await sameJson(ns, args);
  // Byte for byte, compact and pretty.
  await sameTextStable(ns, ["-j", "neigh", "show", "nud", "all"]);
  await sameTextStable(ns, ["-j", "-p", "neigh", "show", "nud", "all"]);
  await sameText(ns, ["-j", "-p", "neigh", "show", "proxy"]);
  await sameStatsText(ns, ["-j", "-s", "neigh", "show", "nud", "all"]);
});

/** The entries left, as sorted `ADDR dev DEV` (states move on by themselves, and the dump order is the hash's). */
async function entries(ns: string): Promise<string[]> {
  const text = await ip(ns, "neigh show nud all") + await ip(ns, "neigh show proxy");
  return text.split("\n").filter((l) => l !== "").map((l) => l.split(" ").slice(0, 3).join(" ")).sort();
}

await kernelTest("ip neigh flush: same kernel state and output as iproute2", NEEDS, async (_conn, ns) => {
  for (
    const args of [
      "neigh flush dev q0",
      "neigh flush nud stale",
      "neigh flush to 10.0.0.0/29",
      "neigh flush nud all dev p0",
      "-6 neigh flush all",
      "neigh flush proxy",
    ]
  ) {
    await lab(ns);
    const r = await iproute2(["-n", ns, "-s", ...args.split(" ")]);
    const theirs = await entries(ns);
    for (const dev of ["p0", "q0"]) await ip(ns, `link del ${dev}`);
    await lab(ns);
    const mine = await ours(ns, ["-s", ...args.split(" ")].join(" "));
    assert.equal(mine.stdout, r.stdout, `ip -s ${args}: stdout differs`);
    assert.equal(mine.stderr, r.stderr);
    assert.equal(mine.code, r.code);
    assert.deepEqual(await entries(ns), theirs, args);
    for (const dev of ["p0", "q0"]) await ip(ns, `link del ${dev}`);
  }
});

/** Each command names its own address, so the bytes do not depend on the others: captured side by side. */
await captureTest("ip neigh add/change/replace/del: same request bytes as iproute2", async (ns) => {
  await lab(ns);
  for (let i = 60; i < 66; i++) await ip(ns, `neigh add 10.0.0.${i} lladdr 02:00:00:00:00:${i} dev p0`);
  await ip(ns, "neigh add proxy 10.0.0.66 dev p0");
  for (
    const cmds of [[
      "neigh add 10.0.0.50 lladdr 02:00:00:00:00:50 dev p0",
      "neigh add 10.0.0.51 lladdr 02:00:00:00:00:50 dev p0 nud reachable",
      "neigh add 10.0.0.52 lladdr 02:00:00:00:00:50 dev p0 nud stale router",
      "neigh add 10.0.0.53 dev p0 nud noarp lladdr 02:00:00:00:00:50 protocol static",
      "neigh add 10.0.0.54 dev p0 managed",
      "neigh add 10.0.0.55 lladdr 02:00:00:00:00:50 dev p0 extern_learn",
      "neigh add to 10.0.0.56 lladdr 2:0:0:0:0:50 dev p0 nud 0x4",
    ], [
      "neigh a 10.0.0.57 ll 02:00:00:00:00:50 dev p0 nud perm proto 99",
      "neigh add 10.0.0.58 lladdr null dev p0 nud noarp",
      "-6 neigh add 2001:db8::50 lladdr 02:00:00:00:00:50 dev p0 router",
      "neigh add proxy 10.0.0.59 dev p0",
      "neigh add proxy 2001:db8::51 dev p0 router",
      "neigh get 10.0.0.2 dev p0",
      "neigh get proxy 10.0.0.100 dev p0",
    ], [
      "neigh change 10.0.0.60 lladdr 02:00:00:00:00:51 dev p0",
      "neigh chg 10.0.0.61 lladdr 02:00:00:00:00:51 dev p0 nud stale",
      "neigh replace 10.0.0.62 lladdr 02:00:00:00:00:52 dev p0 nud reachable",
      "neigh replace 10.0.0.67 lladdr 02:00:00:00:00:60 dev p0 use",
      "neigh del 10.0.0.63 dev p0",
      "neigh delete 10.0.0.64 lladdr 02:00:00:00:00:50 dev p0",
      "neigh del proxy 10.0.0.66 dev p0",
    ]]
  ) await Promise.all(cmds.map((cmd) => sameRequest(ns, cmd)));
});

await kernelTest("ip neigh: changes leave the state iproute2 leaves", NEEDS, async (_conn, ns) => {
  await lab(ns);
  const steps = [
    "neigh add 10.0.0.50 lladdr 02:00:00:00:00:50 dev p0 nud reachable",
    "neigh change 10.0.0.50 lladdr 02:00:00:00:00:51 dev p0 nud permanent",
    "neigh replace 10.0.0.51 lladdr 02:00:00:00:00:52 dev p0 nud stale protocol zebra",
    "neigh add proxy 10.0.0.52 dev p0",
    "neigh del 10.0.0.2 dev p0",
    "neigh del proxy 10.0.0.100 dev p0",
  ];
  for (const step of steps) await oursSilent(ns, step);
  assert.match(await ip(ns, "neigh show 10.0.0.50"), /^10\.0\.0\.50 dev p0 lladdr 02:00:00:00:00:51 PERMANENT \n$/);
  assert.match(
    await ip(ns, "neigh show 10.0.0.51"),
    /^10\.0\.0\.51 dev p0 lladdr 02:00:00:00:00:52 STALE proto zebra \n$/,
  );
  assert.match(await ip(ns, "neigh show proxy 10.0.0.52"), /^10\.0\.0\.52 dev p0 proxy \n$/);
  assert.equal(await ip(ns, "neigh show 10.0.0.2"), "");
  assert.equal(await ip(ns, "neigh show proxy 10.0.0.100"), "");
});

await kernelTest("ip neigh: errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const cmds of chunks([
      "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev p0", // File exists
      "neigh del 10.0.0.99 dev p0",
      "neigh change 10.0.0.99 lladdr 02:00:00:00:00:02 dev p0",
      "neigh add 10.0.0.99 lladdr 02:00:00:00:00:02",
      "neigh add lladdr 02:00:00:00:00:02 dev p0",
      "neigh add 10.0.0.99 lladdr 02:00:00:00:00:02 dev nosuchdev",
      "neigh add 10.0.0.99 lladdr zz:00 dev p0",
      "neigh add 10.0.0.99 lladdr 02:00:00:00:00:02 lladdr 02:00:00:00:00:03 dev p0",
      "neigh add 10.0.0.99 10.0.0.98 dev p0",
      "neigh add 10.0.0.99 dev p0 nud bogus",
      "neigh add 10.0.0.99 dev p0 nud 3",
      "neigh add 10.0.0.99 dev p0 protocol bogus",
      "neigh add bogus dev p0",
      "-6 neigh add 10.0.0.99 dev p0",
      "neigh add 10.0.0.99 dev",
      "neigh get 10.0.0.99 dev p0",
      "neigh get 10.0.0.99",
      "neigh get 10.0.0.99 dev nosuchdev",
      "neigh show dev nosuchdev",
      "neigh show dev p0 dev q0",
      "neigh show nud bogus",
      "neigh show master nosuchdev",
      "neigh show vrf p0",
      "neigh show protocol bogus",
      "neigh show to bogus",
      "neigh flush",
      "neigh frobnicate",
      "neigh help",
      "neigh add help",
    ])
  ) await Promise.all(cmds.map((cmd) => sameError(ns, cmd)));
});

/** Failing commands change nothing, so they run a few at a time. */
function chunks(cmds: string[], size = 4): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < cmds.length; i += size) out.push(cmds.slice(i, i + size));
  return out;
}
