/**
 * `tc filter` and `tc chain` against iproute2, for what this kernel has (u32
 * with hash tables, links, offsets and marks; classic bpf; mirred actions
 * inside filters; chains; on htb, ingress and clsact): listings in text,
 * `-s`, `-d`, `-p`, JSON; the state our add/replace/change/delete leave;
 * request bytes; errors and exit codes. Other kinds (flower, matchall, fw,
 * route, …) are not in this kernel: their parsing is covered byte for byte
 * by tests/unit/tc_cli_filter_test.ts.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { captureTest, HAVE_NLCAPTURE, sameRequest } from "./_capture.ts";
import { CLI_MAIN, ip, iproute2, nlink, ours, sameError, sameJson, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth", "sch_htb", "cls_u32", "cls_bpf", "act_mirred"] };

async function links(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 type veth peer name p1");
  for (const dev of ["p0", "p1"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
  await ip(ns, "qdisc add dev p0 root handle 1: htb", "tc");
  await ip(ns, "qdisc add dev p0 clsact", "tc");
}

const STATE = [
  "filter add dev p0 parent 1: protocol ip prio 1 u32 match ip src 10.0.0.0/8 match tcp dst 80 0xffff classid 1:10",
  "filter add dev p0 parent 1: protocol ip prio 2 handle 2: u32 divisor 16",
  "filter add dev p0 parent 1: protocol ip prio 2 u32 ht 2: match ip dst 10.0.0.1/32 classid 1:20",
  "filter add dev p0 parent 1: protocol ip prio 2 u32 match ip protocol 6 0xff link 2: hashkey mask 0x000000ff at 16",
  "filter add dev p0 parent 1: protocol ip prio 3 u32 match u8 0x11 0xff at 0 offset at 0 mask 0x0f00 shift 6 eat classid 1:3 indev p1 skip_sw",
  "filter add dev p0 parent 1: protocol ipv6 prio 4 u32 match ip6 src 2001:db8::/32 match ip6 dport 443 0xffff classid 1:4",
  "filter add dev p0 parent 1: prio 5 protocol ip bpf bytecode 4,40~0~0~12,21~0~1~2048,6~0~0~262144,6~0~0~0 da skip_hw action mirred egress mirror dev p1 index 9 cookie abcd",
  "filter add dev p0 ingress prio 1 protocol ip u32 match ip src 10.0.0.0/8 action mirred egress redirect dev p1 action mirred ingress mirror dev p1",
  "filter add dev p0 egress prio 2 bpf bytecode 1,6~0~0~4294967295 classid 1:5",
  "chain add dev p0 ingress chain 5",
  // protocols by the names of iproute2's whole table (LLDP is the Debian build's)
  "filter add dev p0 parent 1: protocol lldp prio 6 u32 match u32 0 0 classid 1:6",
  "filter add dev p0 parent 1: protocol SCA prio 7 u32 match u32 0 0 classid 1:7",
];

/** Runs a command with the shell's quoting of the bytecode: `~` stands for a space inside one word. */
async function tc(ns: string, cmd: string, tool: "ours" | "theirs"): Promise<void> {
  const args = cmd.split(" ").map((w) => w.replaceAll("~", " "));
  const bin = tool === "theirs" ? ["tc", ["-n", ns, ...args]] as const : [Deno.execPath(), [
    "run",
    "-A",
    "--no-check",
    CLI_MAIN,
    "tc",
    "-n",
    ns,
    ...args,
  ]] as const;
  const out = await new Deno.Command(bin[0], { args: [...bin[1]], stdout: "piped", stderr: "piped" }).output();
  assert.equal(out.code, 0, `${tool} tc ${cmd}: ${new TextDecoder().decode(out.stderr)}`);
}

/**
 * Compares a `tc -s` listing, its actions' install and use times as `N`: they
 * tick between two runs on a slow guest (the VM lane under TCG takes seconds a command).
 */
async function sameStats(ns: string, args: string[]): Promise<string> {
  const all = ["-n", ns, ...args];
  const [theirs, mine] = await Promise.all([iproute2(all, "tc"), nlink(all, "tc")]);
  const times = (s: string) => s.replace(/(installed|used|firstused) \d+ sec/g, "$1 N sec");
  assert.equal(theirs.code, 0, theirs.stderr);
  assert.equal(times(mine.stdout), times(theirs.stdout), `tc ${all.join(" ")}`);
  assert.equal(mine.stderr, theirs.stderr);
  return theirs.stdout;
}

await kernelTest("tc filter: listings match iproute2 (text, -s, -d, -p, JSON)", NEEDS, async (_c, ns) => {
  await links(ns);
  for (const cmd of STATE) await tc(ns, cmd, "theirs");
  for (
    const args of [
      ["filter", "show", "dev", "p0"],
      ["filter", "show", "dev", "p0", "parent", "1:"],
      ["filter", "ls", "dev", "p0", "ingress"],
      ["filter", "show", "dev", "p0", "egress"],
      ["f", "show", "dev", "p0", "parent", "1:", "prio", "2"],
      ["filter", "show", "dev", "p0", "parent", "1:", "protocol", "ipv6"],
      ["-d", "filter", "show", "dev", "p0", "parent", "1:"],
      ["-p", "filter", "show", "dev", "p0", "parent", "1:"],
      ["filter", "get", "dev", "p0", "parent", "1:", "protocol", "ip", "prio", "2", "handle", "2::800", "u32"],
      ["chain", "show", "dev", "p0", "ingress"],
      ["chain", "show", "dev", "p0", "parent", "1:"],
    ]
  ) await sameText(ns, args, "tc");
  await sameStats(ns, ["-s", "filter", "show", "dev", "p0", "ingress"]);
  await sameStats(ns, ["-s", "-d", "filter", "show", "dev", "p0"]);
  for (
    const args of [
      ["-j", "filter", "show", "dev", "p0", "parent", "1:", "prio", "2"],
      ["-j", "filter", "show", "dev", "p0", "ingress"],
      ["-j", "chain", "show", "dev", "p0", "ingress"],
      ["-j", "filter", "get", "dev", "p0", "parent", "1:", "protocol", "ip", "prio", "5", "handle", "1", "bpf"],
    ]
  ) await sameJson(ns, args, "tc");
  await sameText(ns, ["-j", "-p", "filter", "show", "dev", "p0", "egress"], "tc");
  // u32's offset prints a JSON value without a key (iproute2's JSON is not JSON there): compare the text.
  await sameText(ns, ["-j", "filter", "show", "dev", "p0"], "tc");
});

await kernelTest(
  "tc filter: add, replace, change and delete leave the state iproute2 leaves",
  NEEDS,
  async (_c, ns) => {
    await links(ns);
    for (const cmd of STATE) await tc(ns, cmd, "ours");
    const theirs = await ip(ns, "filter show dev p0", "tc");
    assert.match(theirs, /fh 2::800 order 2048 key ht 2 bkt 0 \*flowid 1:20/);
    assert.match(theirs, /bytecode '4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0'/);
    assert.match(await ip(ns, "filter show dev p0 ingress", "tc"), /mirred \(Ingress Mirror to device p1\) pipe/);
    await sameText(ns, ["filter", "show", "dev", "p0"], "tc");
    await sameText(ns, ["chain", "show", "dev", "p0", "ingress"], "tc");
    const run = async (cmd: string) => {
      const r = await ours(ns, cmd, "tc");
      assert.equal(r.code, 0, `tc ${cmd}: ${r.stderr}`);
    };
    await run(
      "filter replace dev p0 parent 1: protocol ip prio 2 handle 2::800 u32 ht 2: match ip dst 10.0.0.2/32 classid 1:30",
    );
    await run(
      "filter change dev p0 parent 1: protocol ip prio 1 handle 800::800 u32 match ip src 10.1.0.0/16 classid 1:11",
    );
    // u32 keeps a node's keys on change (the kernel's choice): the class moves.
    assert.match(await ip(ns, "filter show dev p0 parent 1:", "tc"), /fh 2::800 [^\n]*flowid 1:30/);
    assert.match(await ip(ns, "filter show dev p0 parent 1: prio 1", "tc"), /fh 800::800 [^\n]*flowid 1:11/);
    await run("filter del dev p0 parent 1: prio 3");
    await run("filter del dev p0 parent 1: protocol ip prio 2 handle 2::800 u32");
    await run("chain del dev p0 ingress chain 5");
    const after = await ip(ns, "filter show dev p0 parent 1:", "tc");
    assert.doesNotMatch(after, /pref 3|2::800/);
    assert.doesNotMatch(await ip(ns, "chain show dev p0 ingress", "tc"), /chain 5/);
    await sameText(ns, ["filter", "show", "dev", "p0"], "tc");
  },
);

await kernelTest("tc filter: errors and exit codes match iproute2", NEEDS, async (_c, ns) => {
  await links(ns);
  await ip(ns, "filter add dev p0 parent 1: protocol ip prio 1 handle 800::800 u32 match ip src 10.0.0.0/8", "tc");
  for (
    const cmd of [
      "filter add dev p0 parent 1: protocol ip prio 1 handle 800::800 u32 match ip src 10.0.0.0/8",
      "filter add dev nosuch parent 1: protocol ip prio 1 u32 match ip src 10.0.0.0/8",
      "filter add dev p0 parent 1: protocol ip prio 1 u32 match ip sauce 10.0.0.0/8",
      "filter add dev p0 parent 1: protocol ip prio 1 u32 match ip src",
      "filter add dev p0 parent 1: protocol ip prio 1 u32 match ip dst 1.2.3.4/33 flowid 1:10",
      "filter add dev p0 parent 1: protocol ipv6 prio 1 u32 match ip6 src 2001:db8::/129 flowid 1:10",
      "filter add dev p0 parent 1: prio 70000 u32",
      "filter add dev p0 parent 1: protocol bogus u32",
      "filter add dev p0 parent zz u32",
      "filter add dev p0 parent 1: handle 1",
      "filter add dev p0 parent 1: protocol ip prio 1 u32 match ip src 10.0.0.0/8 action mirred egress redirect dev nosuch",
      "filter add dev p0 root root u32",
      "filter add dev p0 parent 1: prio 1 prio 2 u32",
      "filter del dev p0 parent 1: prio 99",
      "filter get dev p0 parent 1: prio 1 u32",
      "filter get dev p0 parent 1: protocol ip prio 1 u32",
      "filter get dev p0 parent 1: protocol ip prio 1 handle 800::999 u32",
      "filter show dev p0 bogus",
      "filter show dev nosuch",
      "filter bogus",
      "chain del dev p0 ingress chain 77",
      "chain bogus",
      // a kind tc has no module for: its name alone (the kernel lacks it too), and no words after it
      "filter add dev p0 parent 1: protocol ip prio 5 handle 7 nosuchcls",
      "filter add dev p0 parent 1: protocol ip prio 5 nosuchcls match",
      // an action kind tc has no module for is parsed as gact: its usage
      "filter add dev p0 parent 1: protocol ip prio 5 u32 match ip src 10.0.0.0/8 action nosuchact",
      // an old-style policer tc refuses: police's own message, then the filter's
      "filter add dev p0 parent 1: protocol ip prio 5 u32 match u32 0 0 police foo",
      "filter add dev p0 parent 1: protocol ip prio 5 u32 match u32 0 0 police rate 1mbit",
      "filter add dev p0 parent 1: prio 5 cgroup police peakrate 1mbit",
      "filter add dev p0 parent 1: prio 5 bpf bytecode 1,6,0,0,0",
      // classic bytecode tc refuses
      "filter add dev p0 parent 1: prio 5 bpf bytecode 2,6 0 0 0",
      "filter add dev p0 parent 1: prio 5 bpf bytecode 1,6 0 0 0,6 0 0 0",
      "filter add dev p0 parent 1: prio 5 bpf bytecode 0,6 0 0 0",
    ]
  ) await sameError(ns, cmd, "tc");
});

await captureTest("tc filter: request bytes equal iproute2's", NEEDS, async (ns) => {
  await links(ns);
  const undo = (cmd: string) => async () => void await ip(ns, cmd, "tc");
  for (
    const cmd of [
      "filter add dev p0 parent 1: protocol ip prio 1 u32 match ip src 10.0.0.0/8 match tcp dst 80 0xffff classid 1:10",
      "filter add dev p0 ingress prio 1 protocol ip u32 match ip src 10.0.0.0/8 action mirred egress redirect dev p1",
      // protocol names in any case, as ll_proto_a2n reads them
      "filter add dev p0 parent 1: protocol 802.1q prio 2 u32 match u32 0 0 classid 1:10",
      "filter add dev p0 parent 1: protocol IPv6 prio 3 u32 match u32 0 0 classid 1:10",
      "chain add dev p0 ingress chain 3",
    ]
  ) {
    const del = cmd.startsWith("chain")
      ? "chain del dev p0 ingress chain 3"
      : `filter del dev p0 ${cmd.includes("ingress") ? "ingress" : "parent 1:"} prio ${cmd.match(/prio (\d+)/)![1]}`;
    await sameRequest(ns, cmd, { tool: "tc", between: undo(del) });
    await undo(del)();
  }
  // a kind tc has no module for: its name alone, which the kernel refuses (it lacks the kind too)
  await sameRequest(ns, "filter add dev p0 parent 1: protocol ip prio 5 handle 0x1f nosuchcls", { tool: "tc" });
  await ip(ns, "filter add dev p0 parent 1: protocol ip prio 1 handle 800::800 u32 match ip src 10.0.0.0/8", "tc");
  await sameRequest(
    ns,
    "filter change dev p0 parent 1: protocol ip prio 1 handle 800::800 u32 match ip src 10.0.0.0/8 classid 1:2",
    {
      tool: "tc",
    },
  );
  await sameRequest(ns, "filter del dev p0 parent 1: protocol ip prio 1 handle 800::800 u32", {
    tool: "tc",
    between: undo("filter add dev p0 parent 1: protocol ip prio 1 handle 800::800 u32 match ip src 10.0.0.0/8"),
  });
});

await kernelTest("tc chain: get and show chain N match iproute2; u32 order", NEEDS, async (_c, ns) => {
  await links(ns);
  for (const cmd of ["chain add dev p0 ingress chain 5", "chain add dev p0 ingress chain 7"]) await ip(ns, cmd, "tc");
  for (
    const args of [
      ["chain", "get", "dev", "p0", "ingress", "chain", "5"],
      ["chain", "get", "dev", "p0", "parent", "ffff:fff2", "chain", "7"],
      ["chain", "show", "dev", "p0", "ingress", "chain", "7"],
      ["chain", "show", "dev", "p0", "parent", "ffff:fff2", "chain", "5"],
    ]
  ) await sameText(ns, args, "tc");
  await sameJson(ns, ["-j", "chain", "get", "dev", "p0", "ingress", "chain", "5"], "tc");
  await sameJson(ns, ["-j", "chain", "show", "dev", "p0", "ingress", "chain", "7"], "tc");
  for (const cmd of ["chain get dev p0 ingress chain 9", "chain get dev p0 chain 5", "chain get ingress chain 5"]) {
    await sameError(ns, cmd, "tc");
  }
  // order N is the handle's node part: our filter lands where iproute2's does.
  const r = await ours(ns, "filter add dev p0 parent 1: protocol ip prio 9 u32 match ip src 10.0.0.0/8 order 5", "tc");
  assert.equal(r.code, 0, r.stderr);
  assert.match(await ip(ns, "filter show dev p0 parent 1: prio 9", "tc"), /fh 800::5 order 5 /);
  await sameError(
    ns,
    "filter add dev p0 parent 1: protocol ip prio 9 handle 800::6 u32 match ip src 10.0.0.0/8 order 5",
    "tc",
  );
  if (!HAVE_NLCAPTURE) return;
  await sameRequest(ns, "chain get dev p0 ingress chain 5", { tool: "tc" });
  await sameRequest(ns, "chain show dev p0 ingress chain 7", { tool: "tc" });
  await sameRequest(ns, "filter add dev p0 parent 1: protocol ip prio 10 u32 match ip src 10.0.0.0/8 order 7", {
    tool: "tc",
    between: async () => void await ip(ns, "filter del dev p0 parent 1: prio 10", "tc"),
  });
});

/** Compares `tc filter show` (plain, `-s -d`, and `-j` where tc's JSON is comparable) under `place`. */
async function samePolicedFilters(ns: string, place: string[], json: boolean): Promise<void> {
  await sameText(ns, ["filter", "show", ...place], "tc");
  const stats = await sameStats(ns, ["-s", "-d", "filter", "show", ...place]);
  assert.match(stats, / Sent 0 bytes 0 pkts \(dropped 0, overlimits 0\) /); // the old TCA_STATS format
  // tc's JSON of a filter's policer is not valid JSON (some of police's text leaks into it): compared as text.
  if (json) await sameText(ns, ["-j", "filter", "show", ...place], "tc");
}

/** Adds filters with our tool, each expected to succeed (`~` is a space inside a word). */
async function addOurs(ns: string, commands: string[]): Promise<void> {
  for (const cmd of commands) await tc(ns, cmd, "ours");
}

await kernelTest(
  "tc filter: old-style policers (police … among a filter's words) added and listed as tc's",
  { needs: ["veth", "sch_htb", "cls_u32", "cls_fw", "act_police"] },
  async (_c, ns) => {
    await links(ns);
    await addOurs(ns, [
      "filter add dev p0 ingress protocol ip prio 1 u32 match ip src 0.0.0.0/0 police rate 1mbit burst 10k drop flowid :1",
      "filter add dev p0 parent 1: protocol ip prio 2 handle 5 fw police rate 2mbit burst 20k conform-exceed drop/pipe classid 1:5",
    ]);
    await samePolicedFilters(ns, ["dev", "p0", "ingress"], true);
    // fw's JSON also holds its handle and class as plain text, which nlink writes as JSON: not compared.
    await samePolicedFilters(ns, ["dev", "p0", "parent", "1:"], false);
  },
);

await kernelTest(
  "tc filter: bpf, cgroup and flow filters with an old-style policer, added and listed as tc's",
  { needs: ["veth", "sch_htb", "cls_bpf", "cls_cgroup", "cls_flow", "act_police", "act_mirred"] },
  async (_c, ns) => {
    await links(ns);
    await addOurs(ns, [
      "filter add dev p0 parent 1: prio 1 bpf bytecode 1,6~0~0~4294967295 police rate 2mbit burst 20k conform-exceed drop/pipe classid 1:10",
      "filter add dev p0 parent 1: prio 2 handle 3 cgroup police rate 1mbit burst 10k drop action mirred egress redirect dev p1",
      "filter add dev p0 parent 1: prio 3 handle 9 flow hash keys dst divisor 4 police rate 1mbit burst 10k mtu 2k drop",
    ]);
    await samePolicedFilters(ns, ["dev", "p0", "parent", "1:"], false);
  },
);
