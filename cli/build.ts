/**
 * Builds the CLI as it is published and compiled: `cli/dist/`, cli/main.ts and
 * the library bundled by `deno bundle --code-splitting`.
 *
 * Why a build: Deno runs a TypeScript module from its cache as JavaScript
 * carrying an inline source map that holds the whole TypeScript source again,
 * so each module it loads is read, checked against its source and handed to V8
 * at about three times its size (`ip link show` loads 88 of them). The bundle
 * is plain JavaScript, split at every `import()` so that a command still loads
 * only what it needs, with the source maps in files of their own, read only
 * when a stack trace is printed. `ip link show` starts in 39 ms instead of 50
 * (bench/cli.ts measures both).
 *
 * The entry's types are cli/main.ts's own (`@ts-self-types`), so the
 * package's API is typed and documented as before.
 *
 * Run as `deno task build` (into cli/dist/), or call {@linkcode buildCli}.
 *
 * @module
 */
import { relative } from "node:path";

/** Where `deno task build` writes the bundle. */
export const DIST = new URL("./dist/", import.meta.url).pathname;

const ENTRY = new URL("./main.ts", import.meta.url).pathname;

/**
 * Bundles cli/main.ts into `outdir` (emptied first) and returns the path of
 * the entry, `outdir/main.js`.
 *
 * @example
 * ```ts ignore
 * import { buildCli } from "./build.ts";
 * const main = await buildCli(await Deno.makeTempDir());
 * // deno run -A --unstable-lazy-dynamic-imports <main> ip link show
 * ```
 */
export async function buildCli(outdir: string = DIST): Promise<string> {
  const dir = outdir.endsWith("/") ? outdir : `${outdir}/`;
  await Deno.remove(dir, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform=deno",
      "--code-splitting",
      "--sourcemap=linked",
      "--outdir",
      dir,
      ENTRY,
    ],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`deno bundle failed:\n${new TextDecoder().decode(out.stderr)}`);
  const main = `${dir}main.js`;
  const types = `// @ts-self-types="${relative(dir, ENTRY)}"\n`;
  await Deno.writeTextFile(main, types + await Deno.readTextFile(main));
  // The line added above the code moves it down one line: so do the source map's mappings (one `;` a line).
  const map = JSON.parse(await Deno.readTextFile(`${main}.map`));
  map.mappings = `;${map.mappings}`;
  await Deno.writeTextFile(`${main}.map`, JSON.stringify(map));
  return main;
}

if (import.meta.main) {
  console.log(await buildCli(Deno.args[0]));
}
