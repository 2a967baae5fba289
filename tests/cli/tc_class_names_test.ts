/**
 * `tc -nm` / `-cf FILE` against iproute2: class ids named from a temporary
 * names file wherever tc prints one (qdisc parents, class handles and
 * parents, the class graph, filter flowids and classids, skbedit's
 * priority), text and JSON; a missing `-cf` file, a corrupted file, `-cf`
 * without `-nm`, and the file's line forms read as iproute2 reads them.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { parseClassNames } from "../../cli/tc/class_names.ts";
import { ip, iproute2, nlink, sameJson, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth", "sch_htb", "cls_u32"] };

const NAMES = `# class names for the test
1:1 top
  1:10 web   # trailing comment
0x10020 mail
65569 bulk
1:5 first
1:5 second
8000:1 dropped
`;

Deno.test("tc class names: file forms as iproute2 reads them", () => {
  const { names, corrupt } = parseClassNames(NAMES);
  assert.equal(corrupt, undefined);
  assert.equal(names.get(0x10001), "top");
  assert.equal(names.get(0x10010), "web");
  assert.equal(names.get(0x10020), "mail");
  assert.equal(names.get(65569), "bulk");
  assert.equal(names.get(0x10005), "second");
  assert.equal(names.has(0x80000001), false);
  assert.equal(parseClassNames("1:1 a\nnonsense\n").corrupt, "nonsense\n");
});

async function lab(ns: string): Promise<void> {
  await ip(ns, "link add p0 type veth peer name p1");
  for (
    const cmd of [
      "qdisc add dev p0 root handle 1: htb default 20",
      "class add dev p0 parent 1: classid 1:1 htb rate 10mbit",
      "class add dev p0 parent 1:1 classid 1:10 htb rate 1mbit",
      "class add dev p0 parent 1:1 classid 1:20 htb rate 2mbit",
      "class add dev p0 parent 1:1 classid 1:21 htb rate 2mbit",
      "qdisc add dev p0 parent 1:10 handle 10: pfifo limit 10",
      "filter add dev p0 parent 1: protocol ip prio 1 u32 match ip dport 80 0xffff flowid 1:10",
      "filter add dev p0 parent 1: protocol ip prio 2 u32 match ip dport 25 0xffff classid 1:20",
      "filter add dev p0 parent 1: protocol ip prio 4 u32 match ip dport 22 0xffff classid 1:1",
    ]
  ) await ip(ns, cmd, "tc");
}

await kernelTest("tc -nm -cf: class names match iproute2, text and JSON", NEEDS, async (_conn, ns) => {
  await lab(ns);
  const file = await Deno.makeTempFile({ prefix: "tc_cls_H_" });
  try {
    await Deno.writeTextFile(file, NAMES);
    for (
      const args of [
        ["qdisc", "show", "dev", "p0"],
        ["class", "show", "dev", "p0"],
        ["-g", "class", "show", "dev", "p0"],
        ["filter", "show", "dev", "p0"],
        ["-s", "filter", "show", "dev", "p0"],
      ]
    ) {
      await sameText(ns, ["-nm", "-cf", file, ...args], "tc");
      await sameText(ns, ["-names", "-conf", file, ...args], "tc");
      // -cf alone does not turn names on
      await sameText(ns, ["-cf", file, ...args], "tc");
    }
    const shown = await sameText(ns, ["-nm", "-cf", file, "filter", "show", "dev", "p0"], "tc");
    assert.match(shown.stdout, /flowid web#1:10/, "the names file is in use");
    for (const args of [["qdisc", "show", "dev", "p0"], ["filter", "show", "dev", "p0"]]) {
      await sameJson(ns, ["-j", "-nm", "-cf", file, ...args], "tc");
    }
    // the default file (/etc/iproute2/tc_cls) is absent here: ids print as numbers
    if (!(await Deno.stat("/etc/iproute2/tc_cls").catch(() => undefined))) {
      await sameText(ns, ["-nm", "class", "show", "dev", "p0"], "tc");
    }
    // a corrupted file is reported and leaves ids unnamed
    await Deno.writeTextFile(file, "1:10 web\nthis is not a line\n");
    await sameText(ns, ["-nm", "-cf", file, "class", "show", "dev", "p0"], "tc");
  } finally {
    await Deno.remove(file);
  }
  // a missing -cf file is an error
  const args = ["-n", ns, "-nm", "-cf", "/nonexistent/tc_cls", "class", "show", "dev", "p0"];
  const [theirs, mine] = await Promise.all([iproute2(args, "tc"), nlink(args, "tc")]);
  assert.equal(mine.stderr, theirs.stderr);
  assert.equal(mine.stdout, theirs.stdout);
  assert.equal(mine.code, theirs.code);
});
