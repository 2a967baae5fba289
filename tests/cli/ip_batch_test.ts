/**
 * `ip -batch` against iproute2: the same file run by both tools, each in a
 * namespace of its own built the same way, must print the same stdout and
 * stderr, exit the same, and leave the same routes, addresses and links —
 * with a failing line, with and without `-force`, and from stdin.
 */
import assert from "node:assert/strict";
import { addNetns, deleteNetns } from "../../mod.ts";
import { kernelTest, uniqueNetnsName } from "../_lib/netns.ts";
import { assertSameResult, CLI_MAIN, ip, type Result, withStdin } from "./_run.ts";

const NEEDS = { needs: ["veth"] };

/** Runs a command with `input` on stdin. */
const run = (cmd: string, args: string[], input?: string): Promise<Result> => withStdin([cmd, ...args], input);

/** The same start in every namespace: lo up, veth p0/p1 up with fixed MACs, 10.0.0.1/24 and 2001:db8::1/64 on p0. */
async function setUp(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02");
  await ip(ns, "link set p0 addrgenmode none");
  await ip(ns, "link set p1 addrgenmode none");
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
  await ip(ns, "address add 10.0.0.1/24 dev p0");
  await ip(ns, "address add 2001:db8::1/64 dev p0 nodad");
}

/** What a batch leaves behind, as comparable values. */
async function state(ns: string): Promise<unknown> {
  const show = async (args: string) => JSON.parse(await ip(ns, `-j ${args}`));
  const links = (await show("link show")) as Record<string, unknown>[];
  // Sorted: the kernel's order of equal-metric routes (ff00::/8 on each link) is not ours to compare.
  const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
  return {
    routes: sorted(await show("route show table all")),
    routes6: sorted(await show("-6 route show table all")),
    addresses: await show("address show"),
    links: links.map((l) => [l.ifname, l.flags, l.mtu, l.ifalias, l.master, l.address]),
  };
}

/**
 * Writes `text` to a file named the same for both tools (it appears in
 * `Command failed FILE:LINE`), runs iproute2 in one fresh namespace and ours in
 * another (both built by {@linkcode setUp}), and asserts same output, exit code
 * and final state.
 */
async function sameBatch(text: string, options: string[] = [], stdin = false): Promise<Result> {
  const ns = uniqueNetnsName("E");
  const other = uniqueNetnsName("E");
  await addNetns(ns);
  await addNetns(other);
  const file = await Deno.makeTempFile({ prefix: "nlink-batch-" });
  try {
    await setUp(ns);
    await setUp(other);
    await Deno.writeTextFile(file, text);
    const args = (n: string) => ["-n", n, ...options, "-batch", stdin ? "-" : file];
    const theirs = await run("ip", args(ns), stdin ? text : undefined);
    const mine = await run(
      Deno.execPath(),
      ["run", "-A", "--no-check", CLI_MAIN, "ip", ...args(other)],
      stdin ? text : undefined,
    );
    const what = `ip ${options.join(" ")} -batch`;
    assertSameResult(mine, theirs, what);
    assert.deepEqual(await state(other), await state(ns), `${what}: kernel state differs`);
    return theirs;
  } finally {
    await Deno.remove(file);
    await deleteNetns(ns);
    await deleteNetns(other);
  }
}

/** Adds, deletes and shows of routes, addresses and links, with iproute2's comment, quote and continuation rules. */
const MIXED = `# a batch of mixed changes
route add 10.1.0.0/24 via 10.0.0.2
route add 10.2.0.0/24 via 10.0.0.2 metric 7 # a comment
r a 10.3.0.0/24 dev p0 \\
    proto static
  route   add 2001:db8:1::/64 via 2001:db8::2
route add 2001:db8:2::/64 via 2001:db8::2 dev p0
route add 2001:db8:3::1 dev p0
route add 2001:db8:4::/48 via fe80::1 dev p0
route add 2001:db8:0:5::/64 dev p0 via 2001:db8::3
route del 2001:db8:2::/64 via 2001:db8::2 dev p0

address add 10.0.0.5/24 dev p0
addr add 10.9.0.1/24 dev p1 label p1:x
link set p1 alias "peer side"
link add d0 address 02:00:00:00:00:10 type veth peer name d1 address 02:00:00:00:00:11
link set d1 up
link set d0 up
address add 10.20.0.1/24 dev d0
route add 10.21.0.0/24 via 10.20.0.2 table 100
route show
route del 10.2.0.0/24
route replace 10.3.0.0/24 dev p0 metric 3
route append 10.4.0.0/24 via 10.0.0.3
address del 10.0.0.5/24 dev p0
route show table 100
link del d0
route show table all
addr show dev p0
`;

await kernelTest("ip -batch: mixed changes and shows match iproute2", NEEDS, async () => {
  const r = await sameBatch(MIXED);
  assert.equal(r.code, 0);
});

/** Line 5 fails (File exists); lines after it must not take effect without -force. */
const FAILING = `route add 10.1.0.0/24 via 10.0.0.2
route add 10.2.0.0/24 via 10.0.0.2
address add 10.0.0.7/24 dev p0
route del 10.1.0.0/24
route add 10.2.0.0/24 via 10.0.0.2
route add 10.3.0.0/24 via 10.0.0.2
address add 10.0.0.8/24 dev p0
route add 10.4.0.0/24 dev nosuchdev
route del 10.9.0.0/24
route show
route add 10.5.0.0/24 via 10.0.0.2
route add 2001:db8:5::/64 via 2001:db8::2 dev p0
`;

await kernelTest("ip -batch: a failing line stops the batch like iproute2's", NEEDS, async () => {
  const r = await sameBatch(FAILING);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Command failed .*:5\n$/);
});

await kernelTest("ip -force -batch: every line runs, each failure reported", NEEDS, async () => {
  const r = await sameBatch(FAILING, ["-force"]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.match(/Command failed/g)?.length, 3);
});

await kernelTest("ip -batch -: commands from stdin", NEEDS, async () => {
  await sameBatch(FAILING, ["-force"], true);
  await sameBatch("route add 10.1.0.0/24 via 10.0.0.2\nroute show\n", ["-j"], true);
});

await kernelTest("ip -batch: a failure deep in a pipelined window undoes what followed it", NEEDS, async () => {
  const lines: string[] = [];
  for (let i = 0; i < 600; i++) lines.push(`route add 10.50.${i >> 8}.${i & 255}/32 via 10.0.0.2`);
  for (let i = 0; i < 300; i++) lines.push(`address add 10.60.${i >> 8}.${i & 255}/32 dev p1`);
  lines.splice(450, 0, "route add 10.50.0.7/32 via 10.0.0.2"); // a duplicate at line 451
  const r = await sameBatch(lines.join("\n") + "\n");
  assert.match(r.stderr, /^RTNETLINK answers: File exists\nCommand failed .*:451\n$/);
});

await kernelTest("ip -batch: input and usage errors end the batch like iproute2's", NEEDS, async () => {
  // A usage error exit()s at once (255), without "Command failed".
  await sameBatch("route add 10.1.0.0/24 via 10.0.0.2\nroute add 10.2.0.0/24 metric x\nroute show\n");
  // An unreadable address exit(1)s at once too.
  await sameBatch("route add 10.1.0.0/24 via 10.0.0.2\nroute add 10.2.0.0/24 via nonsense\nroute show\n");
  // Tabs, carriage returns, quoted words (a quote ends a word).
  await sameBatch(`route\tshow\r\nroute show table "main"\nroute show table 'local'x\nroute show\n`, ["-force"]);
  // An unterminated quote ends everything with exit 1, after the lines before it ran.
  await sameBatch('route add 10.1.0.0/24 via 10.0.0.2\nlink set p1 alias "open\nroute show\n');
  // A missing continuation line ends reading; an unknown object only fails its line.
  await sameBatch("foo bar\nroute add 10.1.0.0/24 via 10.0.0.2\nroute show \\\n", ["-force"]);
  // Many words on one line, a blank-only file.
  await sameBatch("   \n# nothing\n\n");
  const missing = await run(Deno.execPath(), ["run", "-A", "--no-check", CLI_MAIN, "ip", "-batch", "/nonexistent/x"]);
  const theirs = await run("ip", ["-batch", "/nonexistent/x"]);
  assert.deepEqual(missing, theirs);
  // A directory opens, and its first read fails: iproute2's getline() takes that for the end, an empty batch.
  const dir = await Deno.makeTempDir();
  try {
    assert.deepEqual(
      await run(Deno.execPath(), ["run", "-A", "--no-check", CLI_MAIN, "ip", "-batch", dir]),
      await run("ip", ["-batch", dir]),
    );
  } finally {
    await Deno.remove(dir);
  }
  const noNetns = ["-n", "nlink-E-no-such-netns", "-batch", "/nonexistent/x"];
  assert.deepEqual(
    await run(Deno.execPath(), ["run", "-A", "--no-check", CLI_MAIN, "ip", ...noNetns]),
    await run("ip", noNetns),
  );
});
