/**
 * The `tc qdisc` / `tc class` parsers against iproute2's captures: every
 * qdisc and class command behind tests/fixtures/tc_{core,aqm,fair,sched}.json
 * goes through the CLI's parser and the library's pure request builder, and
 * the bytes must equal the captured ones (seq and port id zeroed).
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { type ClassOptions, classRequest, type QdiscOptions, qdiscRequest } from "../../src/tc/mod.ts";
import { UsageError } from "../../cli/common/args.ts";
import { parseClassCommand } from "../../cli/tc/class_parse.ts";
import { parseQdiscCommand } from "../../cli/tc/qdisc_parse.ts";
import { classDeleteRequest, qdiscDeleteRequest } from "../../cli/tc/qdisc_delete.ts";
import { type GoldenFixtures, loadFixtures } from "../_lib/golden.ts";

function hex(b: Uint8Array): string {
  const copy = b.slice();
  copy.fill(0, 8, 16);
  return Array.from(copy, (x) => x.toString(16).padStart(2, "0")).join("");
}

const OPS: Record<string, "add" | "change" | "replace" | "link" | "delete"> = {
  add: "add",
  change: "change",
  replace: "replace",
  link: "link",
  del: "delete",
  delete: "delete",
};

/** The request our CLI builds for one captured `tc qdisc|class OP …` command. */
function build(command: string, indexes: Record<string, number>): Uint8Array {
  const [, object, opWord, ...words] = command.split(" ");
  const op = OPS[opWord];
  if (object === "qdisc") {
    const { dev, options } = parseQdiscCommand(op, words);
    const index = dev === undefined ? 0 : indexes[dev];
    const o = { ...options, dev: index } as QdiscOptions;
    if (op === "delete") return qdiscDeleteRequest(index, o);
    if (op === "link") throw new Error("no link captures");
    // rates as a share of the link speed: the capture's veths report 10000 Mbit/s
    return qdiscRequest(op, index, o, { linkSpeed: 10000, devices: new Map(Object.entries(indexes)) });
  }
  const { dev, options } = parseClassCommand(op as "add", words);
  const index = dev === undefined ? 0 : indexes[dev];
  if (op === "delete") return classDeleteRequest(index, { ...options, dev: index } as ClassOptions);
  return classRequest(op as "add", index, { ...options, dev: index }, { linkSpeed: 10000 });
}

for (const group of ["tc_core", "tc_aqm", "tc_fair", "tc_sched"]) {
  const data: GoldenFixtures = await loadFixtures(group);
  for (const fixture of Object.values(data.fixtures)) {
    const m = /^tc (qdisc|class) (add|change|replace|link|del|delete) /.exec(fixture.command);
    if (!m) continue;
    Deno.test(`tc CLI request: ${fixture.command}`, () => {
      assertEquals(hex(build(fixture.command, data.indexes)), fixture.hex);
    });
  }
}

Deno.test("tc CLI: qdisc parse errors carry tc's messages and exit codes", () => {
  const err = (words: string[], code: number, message: string) =>
    throws(() => parseQdiscCommand("add", words), (e: unknown) => {
      assertEquals([(e as UsageError).code, (e as UsageError).message.split("\n")[0]], [code, message]);
      return e instanceof UsageError;
    });
  err(["dev", "p0", "handle", "x:", "pfifo"], 255, 'Error: argument "x:" is wrong: invalid qdisc ID');
  err(["dev", "p0", "parent", "1:2:3", "pfifo"], 255, 'Error: argument "1:2:3" is wrong: invalid parent ID');
  err(["dev", "p0", "root", "pfifo", "limit", "x"], 1, 'pfifo: Illegal value for "limit": "x"');
  err(["dev", "p0", "root", "root"], 255, 'Error: "root" is duplicate parent ID');
  err(
    ["dev", "p0", "root", "tbf", "rate", "1mbit", "burst", "10k"],
    1,
    'tbf: either "limit" or "latency" is required.',
  );
});

Deno.test("tc CLI: class parse errors carry tc's messages", () => {
  throws(() => parseClassCommand("add", ["dev", "p0", "classid", "1:1", "htb", "ceil", "1mbit"]), /"rate" is required/);
  throws(() => parseClassCommand("add", ["dev", "p0", "classid", "1:1", "pfifo"]), /Qdisc "pfifo" is classless/);
  throws(() => parseClassCommand("add", ["dev", "p0", "handle", "1:1"]), /try "classid" instead of "handle"/);
});
