/**
 * `tc actions` against iproute2, for the action kind this kernel has
 * (mirred): add, replace, get, list (text, `-s`, JSON), delete and flush;
 * request bytes; errors and exit codes. The other kinds' parsing is covered
 * byte for byte by tests/unit/tc_cli_filter_test.ts; this kernel cannot show
 * them.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { captureTest, sameRequest } from "./_capture.ts";
import { ip, ours, sameError, sameJson, sameText, sameTextStable } from "./_run.ts";

const NEEDS = { needs: ["veth", "act_mirred"] };

async function links(ns: string): Promise<void> {
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
}

await kernelTest("tc actions: mirred listings match iproute2 (text, -s, JSON)", NEEDS, async (_c, ns) => {
  await links(ns);
  await ip(ns, "actions add action mirred egress mirror dev p1 index 7 cookie 0102", "tc");
  await ip(ns, "actions add action mirred ingress redirect dev p0 index 8", "tc");
  await ip(ns, "actions add action mirred egress mirror dev p0 drop index 9 no_percpu", "tc");
  for (
    const args of [
      ["actions", "ls", "action", "mirred"],
      ["actions", "list", "action", "mirred"],
      ["actions", "get", "action", "mirred", "index", "7"],
      ["action", "get", "action", "mirred", "index", "9"],
    ]
  ) await sameText(ns, args, "tc");
  await sameTextStable(ns, ["-s", "actions", "ls", "action", "mirred"], 5, "tc");
  for (
    const args of [
      ["-j", "actions", "ls", "action", "mirred"],
      ["-j", "actions", "get", "action", "mirred", "index", "8"],
    ]
  ) await sameJson(ns, args, "tc");
  await sameText(ns, ["-j", "-p", "actions", "get", "action", "mirred", "index", "7"], "tc");
});

await kernelTest(
  "tc actions: add, replace, delete and flush leave the state iproute2 leaves",
  NEEDS,
  async (_c, ns) => {
    await links(ns);
    const run = async (cmd: string) => {
      const r = await ours(ns, cmd, "tc");
      assert.equal(r.code, 0, `tc ${cmd}: ${r.stderr}`);
    };
    await run("actions add action mirred egress mirror dev p1 index 7");
    await run("actions add action mirred egress redirect dev p1 index 8 action mirred ingress mirror dev p0 index 9");
    assert.match(await ip(ns, "actions get action mirred index 7", "tc"), /Egress Mirror to device p1\) pipe/);
    await run("actions replace action mirred egress redirect dev p0 index 7");
    await run("actions change action mirred egress mirror dev p1 pipe index 8");
    assert.match(await ip(ns, "actions get action mirred index 7", "tc"), /Egress Redirect to device p0\) stolen/);
    await sameText(ns, ["actions", "ls", "action", "mirred"], "tc");
    await run("actions del action mirred index 9");
    assert.doesNotMatch(await ip(ns, "actions ls action mirred", "tc"), /index 9 /);
    await run("actions flush action mirred");
    assert.doesNotMatch(await ip(ns, "actions ls action mirred", "tc"), /mirred/);
  },
);

await kernelTest("tc actions: errors and exit codes match iproute2", NEEDS, async (_c, ns) => {
  await links(ns);
  await ip(ns, "actions add action mirred egress mirror dev p1 index 7", "tc");
  for (
    const cmd of [
      "actions add action mirred egress mirror dev p1 index 7",
      "actions add action mirred egress mirror dev nosuch",
      "actions get action mirred index 99",
      "actions del action mirred index 99",
      "actions bogus",
      "actions ls",
      // a kind tc has no module for is parsed as gact, from its own word: gact's error and usage
      "actions add action nosuchact index 5",
      "actions add action gact nosuch",
      "actions add action gact drop random determ nosuch 5",
      "actions add action gact drop help",
      // police's refusals after its words, and classic bytecode bpf refuses
      "actions add action police rate 1mbit",
      "actions add action police rate 1mbit avrate 1mbit",
      "actions add action police pkts_rate 100 rate 1mbit burst 1k",
      "actions add action police peakrate 2mbit rate 1mbit burst 10k",
      "actions add action bpf bytecode 1,6,0,0,0",
      "actions add action bpf bytecode 2,6 0 0 0",
      // a flush the kernel refuses: tc's own message after the kernel's, exit 1
      "actions flush action gact",
      "actions flush action nosuchact",
    ]
  ) await sameError(ns, cmd, "tc");
});

await captureTest("tc actions: request bytes equal iproute2's", NEEDS, async (ns) => {
  await links(ns);
  const undo = (cmd: string) => async () => void await ip(ns, cmd, "tc");
  await sameRequest(ns, "actions add action mirred egress mirror dev p1 index 7", {
    tool: "tc",
    between: undo("actions del action mirred index 7"),
  });
  await sameRequest(ns, "actions del action mirred index 7", {
    tool: "tc",
    between: undo("actions add action mirred egress mirror dev p1 index 7"),
  });
});
