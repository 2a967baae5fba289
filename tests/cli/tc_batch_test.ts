/**
 * `tc -batch` against iproute2: the same file run by both tools, each on a
 * namespace built the same way, must print the same stdout and stderr, exit
 * the same and leave the same qdiscs and classes — with a failing line, with
 * and without `-force`, from a file and from stdin, and a missing file.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip, OUR_CLI, type Result, withStdin } from "./_run.ts";

const NEEDS = { needs: ["veth", "sch_htb"] };

/** Runs a command with `input` on stdin. */
const run = (cmd: string, args: string[], input?: string): Promise<Result> => withStdin([cmd, ...args], input);

const BATCH = `qdisc add dev p0 root handle 1: htb default 10
# a comment, then a joined line
class add dev p0 parent 1: classid 1:10 \\
  htb rate 1mbit
qdisc add dev p0 parent 1:10 handle 10: pfifo limit 5
qdisc show dev p0
class add dev nosuch parent 1: classid 1:20 htb rate 1mbit
class add dev p0 parent 1: classid 1:20 htb rate 2mbit
qdisc bogus
class show dev p0
`;

/** Runs the batch with one tool from a clean p0, and returns its result and the state it left. */
async function once(ns: string, tool: string[], global: string[], file: string, stdin?: string) {
  await run("tc", ["-n", ns, "qdisc", "del", "dev", "p0", "root"]);
  const r = await run(tool[0], [...tool.slice(1), "-n", ns, ...global, "-batch", file], stdin);
  const state = (await ip(ns, "qdisc show dev p0", "tc")) + (await ip(ns, "class show dev p0", "tc"));
  return { r, state };
}

await kernelTest("tc -batch: output, errors, exit code and state match iproute2", NEEDS, async (_conn, ns) => {
  await ip(ns, "link add p0 type veth peer name p1");
  const file = await Deno.makeTempFile({ suffix: ".tc" });
  try {
    await Deno.writeTextFile(file, BATCH);
    const ours = [...OUR_CLI, "tc"];
    for (const global of [[], ["-force"]]) {
      for (const [name, stdin] of [[file, undefined], ["-", BATCH]] as const) {
        const theirs = await once(ns, ["tc"], global, name, stdin);
        const mine = await once(ns, ours, global, name, stdin);
        const what = `tc ${global.join(" ")} -batch ${name}`;
        assert.equal(mine.r.stdout, theirs.r.stdout, `${what}: stdout differs`);
        assert.equal(mine.r.stderr, theirs.r.stderr, `${what}: stderr differs`);
        assert.equal(mine.r.code, theirs.r.code, `${what}: exit code differs`);
        assert.equal(mine.state, theirs.state, `${what}: the state left differs`);
      }
    }
    const missing = `${file}.missing`;
    const [a, b] = [await run("tc", ["-batch", missing]), await run(ours[0], [...ours.slice(1), "-batch", missing])];
    assert.deepEqual(b, a);
  } finally {
    await Deno.remove(file);
  }
});
