/**
 * What a module loads at start-up: the modules reachable from it through
 * static imports (the ones Deno loads before it runs, under
 * `--unstable-lazy-dynamic-imports`), as `deno info --json` reports them.
 *
 * @module
 */

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/**
 * The specifiers (file URLs) of the modules reachable from `entry`, a path,
 * through static imports; `entry` included.
 *
 * @example
 * ```ts ignore
 * const graph = await staticGraph("cli/ss/main.ts");
 * ```
 */
export async function staticGraph(entry: string): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json", entry], stdout: "piped" }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as { roots: string[]; modules: InfoModule[] };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const visit = (s: string) => {
    if (seen.has(s)) return;
    seen.add(s);
    for (const d of bySpecifier.get(s)?.dependencies ?? []) if (d.code && !d.isDynamic) visit(d.code.specifier);
  };
  for (const r of info.roots) visit(r);
  return seen;
}
