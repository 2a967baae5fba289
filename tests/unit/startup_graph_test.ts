/**
 * What a tool loads before it runs: the modules reachable from its entry by
 * static imports (the ones Deno loads at start-up under
 * `--unstable-lazy-dynamic-imports`). `ss` needs socket diagnostics only, so
 * none of rtnetlink's modules (the root module and src/route/) may be among
 * them: they cost about 15 ms of start-up. The light `@nlink/nlink/core` and
 * `@nlink/nlink/tables` subpaths export the very objects the root module exports.
 */
import { deepStrictEqual, equal } from "node:assert/strict";
import * as core from "../../src/core/mod.ts";
import * as tables from "../../src/route/tables.ts";
import * as root from "../../mod.ts";
import { staticGraph } from "../_lib/module_graph.ts";

Deno.test("ss loads no rtnetlink module at start-up", async () => {
  const graph = await staticGraph(new URL("../../cli/ss/main.ts", import.meta.url).pathname);
  const base = new URL("../../", import.meta.url).href;
  const rtnetlink = [...graph].map((s) => s.slice(base.length)).filter((p) =>
    p === "mod.ts" || p.startsWith("src/route/")
  );
  deepStrictEqual(rtnetlink, []);
});

/** Which of `modules` (paths from the repository root) `entry` loads at start-up. */
async function loadedOf(entry: string, modules: string[]): Promise<string[]> {
  const base = new URL("../../", import.meta.url).href;
  const graph = await staticGraph(new URL(`../../${entry}`, import.meta.url).pathname);
  return [...graph].map((s) => s.slice(base.length)).filter((p) => modules.includes(p));
}

Deno.test("the root module and Connection load no link kind's schema at start-up", async () => {
  // The link module, the full link schema and the 39 kinds behind it load on the first link operation.
  const link = ["src/route/link.ts", "src/route/link_attrs.ts", "src/route/link_kinds.ts"];
  for (const entry of ["mod.ts", "src/route/connection.ts"]) deepStrictEqual(await loadedOf(entry, link), [], entry);
});

Deno.test("Connection loads no route or address operation and no message layout at start-up", async () => {
  // They load on the first address or route call, or the first batch prepared (its encoders).
  const ops = [
    "src/route/addr.ts",
    "src/route/route.ts",
    "src/route/route_repeat.ts",
    "src/route/route_attrs.ts",
    "src/route/addr_attrs.ts",
    "src/route/link_attrs.ts",
  ];
  deepStrictEqual(await loadedOf("src/route/connection.ts", ops), []);
});

Deno.test("reading links loads neither the link change builders nor the kinds", async () => {
  // The kinds load when a link carries kind data (tests/unit/link_kinds_lazy_test.ts).
  deepStrictEqual(await loadedOf("src/route/link_read.ts", ["src/route/link.ts", "src/route/link_kinds.ts"]), []);
});

Deno.test("@nlink/nlink/tables loads no message layout", async () => {
  const base = new URL("../../", import.meta.url).href;
  const graph = await staticGraph(new URL("../../src/route/tables.ts", import.meta.url).pathname);
  const route = [...graph].map((s) => s.slice(base.length)).filter((p) => p.startsWith("src/route/")).sort();
  deepStrictEqual(route, ["src/route/constants.ts", "src/route/link_header.ts", "src/route/tables.ts"]);
});

Deno.test("@nlink/nlink/core exports the root module's own classes and helpers", () => {
  for (const [name, value] of Object.entries(core)) equal(value, (root as Record<string, unknown>)[name], name);
});

Deno.test("@nlink/nlink/tables exports the root module's own constant tables", () => {
  for (const [name, value] of Object.entries(tables)) equal(value, (root as Record<string, unknown>)[name], name);
});

Deno.test("the show commands load neither the root module nor the link kinds at start-up", async () => {
  // Their printers take the constant tables from @nlink/nlink/tables and the errors from @nlink/nlink/core; the
  // link module loads on the first link read.
  const heavy = ["mod.ts", "src/route/link.ts", "src/route/link_kinds.ts"];
  for (
    const entry of [
      "cli/ip/link_list.ts",
      "cli/ip/address.ts",
      "cli/ip/route_show.ts",
      "cli/ip/neigh_show.ts",
      "cli/ip/rule_show.ts",
      "cli/ip/nexthop_show.ts",
      "cli/tc/qdisc_show.ts",
      "cli/bridge/fdb.ts",
    ]
  ) deepStrictEqual(await loadedOf(entry, heavy), [], entry);
});
