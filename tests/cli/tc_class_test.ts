/**
 * `tc class` against iproute2: htb class listings (plain, `-s` with
 * extended statistics, `-d`, `-r`, `-g` graphs with and without
 * statistics, a class without counters (tbf's), the qdisc/classid/parent
 * selectors; tc prints classes as text even with `-j`), request bytes of
 * changes, and errors.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { captureTest, sameRequest } from "./_capture.ts";
import { ip, iproute2, ours, sameError, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth", "sch_htb", "sch_tbf"] };

/** p0/p1 without IPv6 chatter, an htb tree on p0 with two levels and two roots. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 type veth peer name p1");
  for (const dev of ["p0", "p1"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
  await ip(ns, "address add 10.0.0.1/24 dev p0");
  await ip(ns, "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev p0");
  for (
    const cmd of [
      "qdisc add dev p0 root handle 1: htb default 21",
      "class add dev p0 parent 1: classid 1:1 htb rate 10mbit",
      "class add dev p0 parent 1:1 classid 1:10 htb rate 1mbit ceil 5mbit prio 1",
      "class add dev p0 parent 1:1 classid 1:20 htb rate 2mbit burst 15k cburst 3k/8 overhead 4 linklayer atm",
      "class add dev p0 parent 1:20 classid 1:21 htb rate 1mbit quantum 1514",
      "class add dev p0 parent 1:20 classid 1:22 htb rate 50gbit",
      "class add dev p0 parent 1: classid 1:2 htb rate 3mbit",
      "class add dev p0 parent 1:2 classid 1:5 estimator 250ms 2s htb rate 1mbit",
      "qdisc add dev p0 parent 1:21 handle 21: pfifo limit 10",
      // tbf's one class (22:1) counts nothing: its TCA_STATS2 is empty, and tc prints no counters for it
      "qdisc add dev p0 parent 1:22 handle 22: tbf rate 1mbit burst 10k latency 50ms",
    ]
  ) await ip(ns, cmd, "tc");
  // a few packets through 1:21 (the default class); tokens refill and then hold still
  await new Deno.Command("ip", {
    args: ["netns", "exec", ns, "ping", "-q", "-c", "3", "-i", "0.01", "-W", "0.1", "10.0.0.2"],
    stdout: "null",
    stderr: "null",
  }).output();
  await new Promise((r) => setTimeout(r, 300));
}

await kernelTest("tc class: listings and graphs match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["class", "show", "dev", "p0"],
      ["c", "ls", "dev", "p0"],
      ["-s", "class", "show", "dev", "p0"],
      ["-s", "-s", "-d", "class", "show", "dev", "p0"],
      ["-r", "-d", "class", "show", "dev", "p0"],
      ["-iec", "class", "show", "dev", "p0"],
      ["-g", "class", "show", "dev", "p0"],
      ["-g", "-s", "class", "show", "dev", "p0"],
      ["-g", "-d", "class", "show", "dev", "p0"],
      ["class", "show", "dev", "p0", "parent", "1:20"],
      ["class", "show", "dev", "p0", "classid", "1:21"],
      ["class", "show", "dev", "p0", "qdisc", "1:"],
      ["-j", "class", "show", "dev", "p0"],
      ["-j", "-s", "class", "show", "dev", "p0"],
    ]
  ) await sameText(ns, args, "tc");
});

await kernelTest("tc class: add, change, replace and delete leave the state iproute2 leaves", NEEDS, async (_c, ns) => {
  await lab(ns);
  const run = async (cmd: string) => {
    const r = await ours(ns, cmd, "tc");
    assert.equal(r.code, 0, `tc ${cmd}: ${r.stderr}`);
  };
  await run("class add dev p0 parent 1:2 classid 1:6 htb rate 512kbit ceil 1mbit");
  await run("class change dev p0 parent 1:2 classid 1:6 htb rate 256kbit ceil 2mbit prio 3");
  await run("class replace dev p0 parent 1:2 classid 1:7 htb rate 100kbit");
  await run("class del dev p0 classid 1:5");
  const shown = await ip(ns, "class show dev p0 parent 1:2", "tc");
  assert.match(shown, /class htb 1:6 parent 1:2 prio 3 rate 256Kbit ceil 2Mbit/);
  assert.match(shown, /class htb 1:7 parent 1:2 prio 0 rate 100Kbit/);
  assert.doesNotMatch(shown, /1:5 /);
});

await kernelTest("tc class: the kernel's warnings on success, as tc prints them", NEEDS, async (_c, ns) => {
  await lab(ns);
  // sch_htb warns of a quantum out of range (rate / r2q): tc prints the extended ack as `Warning: …`.
  for (
    const [cmd, undo] of [
      ["class add dev p0 parent 1: classid 1:50 htb rate 1kbit", "class del dev p0 classid 1:50"],
      ["class replace dev p0 parent 1: classid 1:10 htb rate 100gbit", undefined],
    ] as const
  ) {
    const theirs = await iproute2(["-n", ns, ...cmd.split(" ")], "tc");
    if (undo) await ip(ns, undo, "tc");
    const mine = await ours(ns, cmd, "tc");
    // (Kernels before 6.2 log this warning to dmesg instead: then both print nothing.)
    assert.match(
      theirs.stderr,
      /^(Warning: sch_htb: quantum of class 100[15]0 is (small|big)\. Consider r2q change\.\n)?$/,
    );
    assert.deepEqual(mine, theirs, `tc ${cmd}`);
  }
});

await kernelTest("tc class: errors and exit codes match iproute2", NEEDS, async (_c, ns) => {
  await lab(ns);
  for (
    const cmd of [
      "class add dev p0 parent 1: classid 1:10 htb rate 1mbit", // File exists (kernel)
      "class add dev p0 parent 1: classid 1:40 htb ceil 1mbit",
      "class add dev p0 parent 1: classid 1:40 htb rate 0",
      "class add dev p0 parent 1: classid 1:40 htb rate x",
      "class add dev p0 parent 1: classid 1:40 htb rate 1mbit bogus",
      "class add dev p0 parent 1: classid 1:40 pfifo",
      "class add dev p0 parent 1: handle 1:40 htb rate 1mbit",
      "class add dev p0 parent 1: classid zz htb rate 1mbit",
      "class add dev nosuch parent 1: classid 1:40 htb rate 1mbit",
      "class del dev p0 classid 1:99",
      "class show dev p0 bogus",
      "class show dev nosuch",
      "class bogus",
    ]
  ) await sameError(ns, cmd, "tc");
});

await captureTest("tc class: request bytes equal iproute2's", NEEDS, async (ns) => {
  await lab(ns);
  const del = (id: string) => async () => void await ip(ns, `class del dev p0 classid ${id}`, "tc");
  await sameRequest(ns, "class add dev p0 parent 1:2 classid 1:8 estimator 1s 8s htb rate 1mbit ceil 2mbit burst 10k", {
    tool: "tc",
    between: del("1:8"),
  });
  await sameRequest(ns, "class replace dev p0 parent 1:2 classid 1:9 htb rate 60gbit ceil 70gbit", {
    tool: "tc",
    between: del("1:9"),
  });
  await sameRequest(ns, "class change dev p0 parent 1:1 classid 1:10 htb rate 2mbit prio 2 mtu 9000", { tool: "tc" });
  await sameRequest(ns, "class del dev p0 classid 1:5", {
    tool: "tc",
    between: async () => void await ip(ns, "class add dev p0 parent 1:2 classid 1:5 htb rate 1mbit", "tc"),
  });
  // a delete that names the kind sends it and its options, as tc parses them
  await ip(ns, "class add dev p0 parent 1:2 classid 1:6 htb rate 1mbit", "tc");
  await sameRequest(ns, "class del dev p0 parent 1:2 classid 1:6 htb rate 1mbit ceil 2mbit", {
    tool: "tc",
    between: async () => void await ip(ns, "class add dev p0 parent 1:2 classid 1:6 htb rate 1mbit", "tc"),
  });
});
