/**
 * `tc monitor` against iproute2: both run side by side in one namespace while
 * qdiscs, classes and chains come and go; what they print is compared byte
 * for byte (with and without `-ts`, whose clock fields are masked). A second
 * run adds, replaces and deletes u32 filters and mirred actions, whose
 * `added`/`replaced`/`Added action`/`Flushed table` marks come from the
 * notifications' header flags.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip, OUR_CLI } from "./_run.ts";

const NEEDS = { needs: ["veth", "sch_htb"] };

/** Starts a monitor (iproute2's through stdbuf, so that its lines come out as they are printed). */
function start(argv: string[]): Deno.ChildProcess {
  return new Deno.Command(argv[0], { args: argv.slice(1), stdout: "piped", stderr: "piped", stdin: "null" }).spawn();
}

async function stop(p: Deno.ChildProcess): Promise<string> {
  p.kill("SIGTERM");
  return new TextDecoder().decode((await p.output()).stdout);
}

/** `-ts` stamps: the time differs between the two runs, the format must not. */
function maskStamps(text: string): string {
  return text.replace(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\] /gm, "[T] ");
}

/** Runs `cmds` (tc commands) while both monitors listen, with each set of global options, and compares. */
async function compareMonitors(ns: string, cmds: string[], globals: string[][]): Promise<void> {
  for (const global of globals) {
    const theirs = start(["stdbuf", "-oL", "tc", "-n", ns, ...global, "monitor"]);
    const mine = start([...OUR_CLI, "tc", "-n", ns, ...global, "monitor"]);
    await new Promise((r) => setTimeout(r, 2500)); // both subscribed
    for (const cmd of cmds) await ip(ns, cmd, "tc");
    await new Promise((r) => setTimeout(r, 500));
    const [a, b] = await Promise.all([stop(theirs), stop(mine)]);
    assert.notEqual(a, "", "tc monitor: iproute2 printed nothing");
    assert.equal(maskStamps(b), maskStamps(a), `tc ${global.join(" ")} monitor: output differs`);
  }
}

await kernelTest("tc monitor: prints what iproute2 prints", NEEDS, async (_conn, ns) => {
  await ip(ns, "link add p0 type veth peer name p1");
  await compareMonitors(ns, [
    "qdisc add dev p0 root handle 1: htb default 10",
    "class add dev p0 parent 1: classid 1:10 htb rate 1mbit",
    "qdisc add dev p0 parent 1:10 handle 10: pfifo limit 5",
    "class change dev p0 parent 1: classid 1:10 htb rate 2mbit",
    "qdisc add dev p1 clsact",
    "chain add dev p1 ingress chain 3",
    "chain del dev p1 ingress chain 3",
    "class del dev p0 classid 1:10",
    "qdisc del dev p0 root",
    "qdisc del dev p1 clsact",
  ], [[], ["-ts"]]);
});

await kernelTest(
  "tc monitor: filters and actions carry their added/replaced marks",
  { needs: ["veth", "cls_u32", "act_mirred"] },
  async (_conn, ns) => {
    await ip(ns, "link add p0 type veth peer name p1");
    await ip(ns, "qdisc add dev p0 clsact", "tc");
    // The filters carry no action: a filter's actions are released after an RCU grace period, and one still
    // bound when the table is flushed would make the flush fail (EPERM).
    await compareMonitors(ns, [
      "filter add dev p0 ingress pref 10 handle 800::1 u32 match ip dst 10.0.0.1/32 classid 1:1",
      "filter replace dev p0 ingress pref 10 handle 800::1 u32 match ip dst 10.0.0.2/32 classid 1:2",
      "filter del dev p0 ingress pref 10 handle 800::1 u32",
      "actions add action mirred egress redirect dev p1 index 7",
      "actions replace action mirred egress mirror dev p1 index 7",
      "actions del action mirred index 7",
      "actions add action mirred egress redirect dev p1 index 8",
      "actions flush action mirred",
    ], [[]]);
  },
);
