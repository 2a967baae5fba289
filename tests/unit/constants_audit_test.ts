/**
 * The constants audit: every numeric constant table and struct layout nlink
 * declares (through cTable, cEnum, cFlags, attrSchema, cStruct) is compared
 * with what the machine's C compiler reads from /usr/include. A mismatch fails.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { registeredStructs, registeredTables } from "../../src/core/ctable.ts";

// Every module under src/ and ffi/ registers its tables when it loads: load them all,
// whether or not mod.ts exports them yet.
for (const dir of ["../../src/", "../../ffi/"]) await importAll(new URL(dir, import.meta.url));

async function importAll(dir: URL): Promise<void> {
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) await importAll(new URL(`${e.name}/`, dir));
    else if (e.name.endsWith(".ts")) await import(new URL(e.name, dir).href);
  }
}

const compiler = await findCompiler();

async function findCompiler(): Promise<string | undefined> {
  for (const cc of ["cc", "gcc", "clang"]) {
    try {
      const r = await new Deno.Command(cc, { args: ["--version"], stdout: "null", stderr: "null" }).output();
      if (r.success) return cc;
    } catch {
      // not installed
    }
  }
  return undefined;
}

/** The C program: one line per constant and per struct size/offset. */
function program(): { source: string; expected: Map<string, number> } {
  const headers = new Set<string>();
  const expected = new Map<string, number>();
  const lines: string[] = [];
  for (const t of registeredTables()) {
    if (t.header === "") continue;
    headers.add(t.header);
    for (const [key, value] of Object.entries(t.values)) {
      const cName = t.cNames[key] ?? t.prefix + key;
      const label = `${cName}`;
      if (expected.has(label) && expected.get(label) !== value) {
        throw new Error(`${label} declared twice with different values: ${expected.get(label)} and ${value}`);
      }
      expected.set(label, value);
      lines.push(`  printf("%s %lld\\n", "${label}", (long long)(${cName}));`);
    }
  }
  for (const s of registeredStructs()) {
    headers.add(s.header);
    const size = `sizeof ${s.cType}`;
    expected.set(size, s.size);
    lines.push(`  printf("%s %lld\\n", "${size}", (long long)sizeof(${s.cType}));`);
    for (const [field, offset] of Object.entries(s.offsets)) {
      const label = `offsetof ${s.cType}.${field}`;
      expected.set(label, offset);
      lines.push(`  printf("%s %lld\\n", "${label}", (long long)offsetof(${s.cType}, ${field}));`);
    }
  }
  // sys/ headers first: the linux/ ones are written to coexist with them.
  const order = [...headers].sort((a, b) =>
    Number(a.startsWith("linux/")) - Number(b.startsWith("linux/")) || a.localeCompare(b)
  );
  const source = [
    "#define _GNU_SOURCE",
    "#include <stdio.h>",
    "#include <stddef.h>",
    ...order.map((h) => `#include <${h}>`),
    "int main(void) {",
    ...lines,
    "  return 0;",
    "}",
    "",
  ].join("\n");
  return { source, expected };
}

Deno.test({
  name: `every constant table and struct layout matches /usr/include${compiler ? "" : " [skipped: no C compiler]"}`,
  ignore: compiler === undefined,
  async fn() {
    const { source, expected } = program();
    ok(expected.size > 500, `only ${expected.size} constants registered`);
    const dir = await Deno.makeTempDir({ prefix: "nlink-audit-" });
    try {
      await Deno.writeTextFile(`${dir}/audit.c`, source);
      const build = await new Deno.Command(compiler!, {
        args: ["-o", `${dir}/audit`, `${dir}/audit.c`],
        stderr: "piped",
      }).output();
      if (!build.success) throw new Error(new TextDecoder().decode(build.stderr).split("\n").slice(0, 30).join("\n"));
      const run = await new Deno.Command(`${dir}/audit`, { stdout: "piped" }).output();
      const actual = new Map<string, number>();
      for (const line of new TextDecoder().decode(run.stdout).trim().split("\n")) {
        const cut = line.lastIndexOf(" ");
        actual.set(line.slice(0, cut), Number(line.slice(cut + 1)));
      }
      const mismatches = [...expected].filter(([k, v]) => actual.get(k) !== v).map(([k, v]) =>
        `${k}: nlink ${v}, C ${actual.get(k)}`
      );
      deepStrictEqual(mismatches, []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
