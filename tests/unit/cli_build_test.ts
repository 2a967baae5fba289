/**
 * The CLI's build (cli/build.ts) keeps the source's lazy loading: a tool's
 * bundle chunks, with the chunks they import statically (what Deno loads
 * before the tool runs), hold only modules that the tool's source entry
 * imports statically itself. The source maps name the modules in each chunk.
 * That the build behaves as the source does is what tests/cli/ checks:
 * `deno task test` runs it on the build.
 */
import assert from "node:assert/strict";
import { buildCli } from "../../cli/build.ts";
import { staticGraph } from "../_lib/module_graph.ts";

const ROOT = new URL("../../", import.meta.url);

/** Repository paths of the modules `entry` (a repository path) reaches through static imports. */
async function sourceGraph(entry: string): Promise<Set<string>> {
  const graph = await staticGraph(new URL(entry, ROOT).pathname);
  return new Set([...graph].map((s) => s.slice(ROOT.href.length)));
}

/** Repository paths of the modules in `chunk` and the chunks it imports statically. */
async function builtGraph(dir: string, chunk: string): Promise<Set<string>> {
  const modules = new Set<string>();
  const seen = new Set<string>();
  const visit = async (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const code = await Deno.readTextFile(`${dir}/${name}`);
    const map = JSON.parse(await Deno.readTextFile(`${dir}/${name}.map`)) as { sources: string[] };
    const base = new URL(`file://${dir}/${name}`);
    for (const s of map.sources) {
      const path = new URL(s, base).href;
      if (path.startsWith(ROOT.href)) modules.add(path.slice(ROOT.href.length));
    }
    // Static imports only: `import "./x.js"` and `import … from "./x.js"`, never `import("./x.js")`.
    for (const m of code.matchAll(/^(?:import|export)\s[^;(]*?["']\.\/([^"']+\.js)["']/gm)) await visit(m[1]);
  };
  await visit(chunk);
  return modules;
}

Deno.test("the CLI's build loads, for each tool, only modules the tool's source loads at start-up", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nlink-build-test-" });
  try {
    const main = await buildCli(dir);
    const entry = await Deno.readTextFile(main);
    const mainModules = await sourceGraph("cli/main.ts");
    const built = await builtGraph(dir, "main.js");
    assert.ok(built.has("cli/main.ts"));
    assert.deepEqual([...built].filter((m) => !mainModules.has(m)), [], "main.js");
    for (const tool of ["ip", "tc", "ss", "bridge"]) {
      const chunk = entry.match(new RegExp(`\\b${tool}: \\(\\) => import\\("\\./([^"]+)"\\)`))?.[1];
      assert.ok(chunk, `main.js imports no chunk for ${tool}`);
      const toolModules = await sourceGraph(`cli/${tool}/main.ts`);
      const loaded = await builtGraph(dir, chunk);
      assert.ok(loaded.has(`cli/${tool}/main.ts`), `${tool}: ${chunk} does not hold cli/${tool}/main.ts`);
      const extra = [...loaded].filter((m) => !toolModules.has(m) && !mainModules.has(m));
      assert.deepEqual(extra, [], `${tool} loads more at start-up built than from source`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
