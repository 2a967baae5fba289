/**
 * `tc qdisc` against iproute2: listings of the kinds this kernel has (the
 * default noqueue, pfifo_fast, pfifo, bfifo, pfifo_head_drop, htb, tbf, ingress, clsact,
 * with blocks, size tables, estimators) in text, `-s`, `-d`, `-r`, `-iec`
 * and JSON; request bytes of changes; errors and exit codes.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { capture, captureTest, sameRequest } from "./_capture.ts";
import { ip, OUR_CLI, ours, sameError, sameJson, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth", "sch_htb", "sch_tbf"] };

/** p0/p1 without IPv6 link-local chatter (so counters hold still), p0 with an address and a neighbour to ping. */
async function links(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 type veth peer name p1");
  for (const dev of ["p0", "p1"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
  await ip(ns, "address add 10.0.0.1/24 dev p0");
  await ip(ns, "neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev p0");
}

/** Sends `count` pings out of p0 (nobody answers: the counters move once and then hold). */
async function traffic(ns: string, count = 3): Promise<void> {
  await new Deno.Command("ip", {
    args: ["netns", "exec", ns, "ping", "-q", "-c", String(count), "-i", "0.01", "-W", "0.1", "10.0.0.2"],
    stdout: "null",
    stderr: "null",
  }).output();
}

await kernelTest("tc qdisc: listings match iproute2 (text, -s, -d, -r, -iec, JSON)", NEEDS, async (_conn, ns) => {
  await links(ns);
  await ip(ns, "qdisc add dev p0 root handle 1: htb default 10 r2q 5 direct_qlen 50", "tc");
  await ip(ns, "class add dev p0 parent 1: classid 1:10 htb rate 1mbit ceil 2mbit", "tc");
  await ip(ns, "qdisc add dev p0 parent 1:10 handle 10: tbf rate 1mbit burst 10k latency 50ms", "tc");
  await ip(ns, "class add dev p0 parent 1: classid 1:20 htb rate 5gbit", "tc");
  await ip(ns, "qdisc add dev p0 parent 1:20 handle 20: bfifo limit 10kb", "tc");
  await ip(ns, "class add dev p0 parent 1: classid 1:30 htb rate 1mbit", "tc");
  await ip(ns, "qdisc add dev p0 parent 1:30 handle 30: pfifo_head_drop limit 5", "tc");
  await ip(ns, "qdisc add dev p1 root handle 2: stab overhead 24 linklayer atm estimator 1s 8s pfifo limit 100", "tc");
  await ip(ns, "qdisc add dev p1 ingress_block 7 clsact", "tc");
  await ip(ns, "link add q0 type veth peer name q1", "ip");
  await ip(ns, "qdisc add dev q1 root pfifo_fast", "tc");
  await ip(ns, "qdisc add dev q0 root tbf rate 10gbit burst 1m limit 2m peakrate 20gbit mtu 9000", "tc");
  await traffic(ns);
  for (
    const args of [
      ["qdisc"],
      ["qdisc", "show"],
      ["q", "ls", "dev", "p0"],
      ["-s", "qdisc", "show"],
      ["-s", "-s", "qdisc", "show", "dev", "p0"],
      ["-d", "qdisc", "show"],
      ["-d", "-s", "qdisc", "show", "dev", "p1"],
      ["-r", "qdisc", "show"],
      ["-iec", "qdisc", "show"],
      ["qdisc", "show", "dev", "p0", "parent", "1:10"],
      ["qdisc", "show", "dev", "p0", "handle", "20:"],
      ["qdisc", "show", "dev", "p1", "ingress"],
      ["qdisc", "show", "dev", "p0", "root"],
      ["qdisc", "show", "dev", "p0", "invisible"],
    ]
  ) await sameText(ns, args, "tc");
  for (
    const args of [
      ["-j", "qdisc", "show"],
      ["-j", "-p", "qdisc", "show"],
      ["-j", "-s", "qdisc", "show"],
      ["-j", "-d", "-s", "qdisc", "show", "dev", "p1"],
      ["-j", "-r", "qdisc", "show", "dev", "q0"],
    ]
  ) await sameJson(ns, args, "tc");
  // -p pretty JSON byte for byte
  await sameText(ns, ["-j", "-p", "-s", "qdisc", "show", "dev", "p0"], "tc");
});

await kernelTest(
  "tc qdisc: add, change, replace, link and delete leave the state iproute2 leaves",
  NEEDS,
  async (_c, ns) => {
    await links(ns);
    const run = async (cmd: string) => {
      const r = await ours(ns, cmd, "tc");
      assert.equal(r.code, 0, `tc ${cmd}: ${r.stderr}`);
    };
    await run("qdisc add dev p0 root handle 1: htb default 20");
    await run("qdisc add dev p0 ingress");
    await run("qdisc replace dev p1 root handle 5: tbf rate 2mbit burst 20k limit 30k");
    await run("qdisc replace dev p1 root handle 5: tbf rate 3mbit burst 20k latency 10ms");
    await sameText(ns, ["-d", "qdisc", "show"], "tc");
    assert.match(await ip(ns, "qdisc show dev p1", "tc"), /tbf 5: root refcnt \d+ rate 3Mbit burst 20Kb lat 10ms/);
    await run("qdisc del dev p0 ingress");
    await run("qdisc del dev p1 root");
    await sameText(ns, ["qdisc", "show"], "tc");
    assert.doesNotMatch(await ip(ns, "qdisc show", "tc"), /ingress|tbf/);
  },
);

await kernelTest("tc qdisc: errors and exit codes match iproute2", NEEDS, async (_c, ns) => {
  await links(ns);
  await ip(ns, "qdisc add dev p0 root handle 1: htb", "tc");
  for (
    const cmd of [
      "qdisc add dev p0 root handle 1: htb", // File exists (kernel)
      "qdisc add dev nosuch root pfifo",
      "qdisc add dev p0 root pfifo limit x",
      "qdisc add dev p0 root pfifo bogus 1",
      // gred's own refusals (its usage without words; setup without vqs and default; a VQ without its numbers)
      "qdisc add dev p0 root gred",
      "qdisc add dev p0 root gred setup vqs 4",
      "qdisc add dev p0 root gred limit 1000",
      // red's and choke's steps after their words: tc's messages (and warnings) before anything is sent
      "qdisc add dev p0 root red avpkt 1000",
      "qdisc add dev p0 root red limit 100000 min 30000 max 20000 avpkt 1000 bandwidth 10mbit",
      "qdisc add dev p0 root red limit 1000 avpkt 1000",
      "qdisc add dev p0 root red limit 100000 avpkt 1000 bandwidth 1mbit probability 0.00000001",
      "qdisc add dev p0 root red limit 100000 avpkt 1000 bandwidth 100gbit",
      "qdisc add dev p0 root choke limit 1000",
      "qdisc add dev p0 root choke limit 100 bandwidth 1mbit max 200",
      "qdisc add dev p0 root choke limit 100 bandwidth 1mbit min 50 max 20",
      "qdisc add dev p0 root choke limit 1000 bandwidth 10mbit min 10 max 30 burst 1",
      "qdisc add dev p0 root choke limit 1000 bandwidth 10mbit probability 0.0000000001",
      // etf and taprio without a clock are sent: the kernel refuses them (or lacks them)
      "qdisc add dev p0 root etf",
      "qdisc add dev p0 root taprio",
      "qdisc add dev p0 handle zz: root pfifo",
      "qdisc add dev p0 root root pfifo",
      "qdisc change dev p0 root handle 1: htb default 30",
      "qdisc add dev p0 root tbf rate 1mbit",
      "qdisc add dev p0 root tbf rate 1mbit burst 10k limit 1k latency 1ms",
      "qdisc add dev p0 root htb bogus",
      "qdisc add dev p0 clsact foo",
      "qdisc del dev p0 parent 1:5",
      "qdisc show dev nosuch",
      "qdisc show dev p0 bogus",
      "qdisc show root root",
      "qdisc bogus",
      "qdisc add dev p0 root pfifo limit",
      // a kind tc has no module for is sent by its name alone: the kernel refuses one it lacks too
      "qdisc replace dev p0 root nosuchqdisc",
      "qdisc replace dev p0 root nosuchqdisc limit 5",
      "qdisc replace dev p0 root noqueue limit 5",
    ]
  ) await sameError(ns, cmd, "tc");
});

await captureTest("tc qdisc: request bytes equal iproute2's", NEEDS, async (ns) => {
  await links(ns);
  const undo = (cmd: string) => async () => void await ip(ns, cmd, "tc");
  for (
    const [cmd, between] of [
      ["qdisc add dev p0 root handle 1: htb default 10 r2q 5 direct_qlen 50", undo("qdisc del dev p0 root")],
      [
        "qdisc add dev p0 root stab overhead 24 linklayer atm estimator 1s 8s pfifo limit 10",
        undo("qdisc del dev p0 root"),
      ],
      [
        "qdisc add dev p0 root tbf rate 1mbit burst 10k/8 latency 70ms peakrate 2mbit mtu 1600",
        undo("qdisc del dev p0 root"),
      ],
      ["qdisc add dev p0 ingress_block 3 clsact", undo("qdisc del dev p0 clsact")],
      ["qdisc replace dev p0 root bfifo limit 10kb", undefined],
      ["qdisc change dev p0 root bfifo limit 20kb", undefined],
      ["qdisc link dev p0 root handle 3: pfifo", undefined],
      // without a kind: the bare tcmsg, which grafts the qdisc that has the handle
      ["qdisc link dev p0 root handle 3:", undefined],
      // kinds without options (tc 6.1 has no module for them, and sends their names alone)
      ["qdisc replace dev p0 root noqueue", undefined],
      ["qdisc replace dev p0 root handle 1: mq", undo("qdisc del dev p0 root")],
      ["qdisc add dev p0 root handle 1: nosuchqdisc", undefined],
    ] as const
  ) await sameRequest(ns, cmd, { tool: "tc", between });
  await sameRequest(ns, "qdisc del dev p0 root", { tool: "tc", between: undo("qdisc add dev p0 root pfifo") });
  // a delete that names the kind sends it and its options (the kernel checks only the kind)
  const readd = undo("qdisc add dev p0 root handle 5: tbf rate 1mbit burst 10k latency 50ms");
  await readd();
  await sameRequest(ns, "qdisc del dev p0 root handle 5: tbf rate 1mbit burst 10k latency 50ms", {
    tool: "tc",
    between: readd,
  });
  await sameRequest(ns, "qdisc del dev p0 root netem delay 10ms loss 1%", { tool: "tc" });
  await sameRequest(ns, "qdisc del dev p0 ingress", { tool: "tc" });
});

await captureTest(
  "tc qdisc/class: bad kind words send nothing (not even the link table's dump), as tc's",
  NEEDS,
  async (ns) => {
    await links(ns);
    await ip(ns, "qdisc add dev p0 root handle 1: htb", "tc");
    for (
      const cmd of [
        "qdisc replace dev p0 root tbf rate 1mbit",
        "qdisc replace dev p0 root netem delay 100ms distribution pareto",
        "class add dev p0 parent 1: classid 1:9 htb",
      ]
    ) {
      const words = cmd.split(" ");
      const [theirs, mine] = [
        await capture(ns, ["tc", ...words], true),
        await capture(ns, [...OUR_CLI, "tc", ...words], true),
      ];
      assert.deepEqual(mine, theirs, `tc ${cmd}: messages differ`);
      await sameError(ns, cmd, "tc");
    }
  },
);
