/**
 * The README's traffic-control table tells the truth: every kind nlink
 * registers is listed, and each "yes" holds — a typed encoder, a typed
 * decoder (the kind's options layout), and a golden test against tc(8)'s
 * bytes (a captured `tc` command of that kind in tests/fixtures/tc_*.json).
 * `deno run -A tests/unit/tc_readme_test.ts` prints the rows the table should have.
 */
import { deepStrictEqual } from "node:assert/strict";
import { actionKinds, classKinds, filterKinds, qdiscKinds } from "../../src/tc/registry.ts";
import type { KindTable } from "../../src/tc/kind.ts";

const root = new URL("../../", import.meta.url);

/** Every captured tc command, as its words. */
async function capturedCommands(): Promise<string[][]> {
  const out: string[][] = [];
  for await (const e of Deno.readDir(new URL("tests/fixtures/", root))) {
    if (!/^tc_.*\.json$/.test(e.name)) continue;
    const data = JSON.parse(await Deno.readTextFile(new URL(`tests/fixtures/${e.name}`, root)));
    for (const f of Object.values(data.fixtures) as { command: string }[]) out.push(f.command.split(" "));
  }
  return out;
}

/** Whether a captured command creates or changes an object of this kind (the kind's word after its object). */
function golden(commands: string[][], object: string, kind: string): boolean {
  return commands.some((words) => {
    if (words[0] !== "tc") return false;
    if (object === "action") {
      return words[1] === "actions" && words.includes(kind) || words.includes("action") && words.includes(kind);
    }
    return words[1] === object && ["add", "replace", "change"].includes(words[2]) && words.includes(kind);
  });
}

/** The table's rows as nlink's registry and fixtures make them. */
export async function tableRows(): Promise<string[]> {
  const commands = await capturedCommands();
  const rows: string[] = [];
  const add = (object: string, kinds: KindTable) => {
    for (const [kind, codec] of Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b))) {
      const yes = (b: boolean) => (b ? "yes" : "no");
      // A kind without options (ingress, clsact, drr, qfq qdiscs) has nothing to type.
      const none = codec.keys?.length === 0 && codec.encode === undefined;
      const encode = none ? "no options" : yes(codec.encode !== undefined);
      const decode = codec.options !== undefined ? "yes" : none ? "no options" : "no";
      rows.push(`| ${kind} | ${object} | ${encode} | ${decode} | ${yes(golden(commands, object, kind))} |`);
    }
  };
  add("qdisc", qdiscKinds());
  add("class", classKinds());
  add("filter", filterKinds());
  add("action", actionKinds());
  return rows;
}

/** The rows the README has between its TC table markers. */
async function readmeRows(): Promise<string[]> {
  const text = await Deno.readTextFile(new URL("README.md", root));
  const start = text.indexOf("<!-- tc-kinds:start -->");
  const end = text.indexOf("<!-- tc-kinds:end -->");
  return text.slice(start, end).split("\n").filter((l) => /^\|\s*[a-z_0-9]+\s*\|/.test(l)).map((l) =>
    l.replace(/\s+\|/g, " |").replace(/\|\s+/g, "| ").trim()
  );
}

if (import.meta.main) {
  console.log((await tableRows()).join("\n"));
} else {
  Deno.test("README: the traffic-control kinds table matches the registry and the golden captures", async () => {
    deepStrictEqual(await readmeRows(), await tableRows());
  });
}
