/**
 * `deno task compile`: one binary that is `ip`, `tc` or `ss` by its own name,
 * compiled from the CLI's build (cli/build.ts). `deno compile` downloads a Deno
 * runtime the first time; where that download is impossible, the test is
 * skipped and its name says why.
 */
import { equal, match } from "node:assert/strict";
import { buildCli } from "../../cli/build.ts";

const config = new URL("../../deno.json", import.meta.url).pathname;
/** The V8 flags the compile task bakes into the binary (deno.json is where they are decided). */
const v8Flags = (JSON.parse(await Deno.readTextFile(config)).tasks.compile.command as string).split(" ")
  .filter((w) => w.startsWith("--v8-flags="));
const dir = await Deno.makeTempDir({ prefix: "nlink-compile-" });
const binary = `${dir}/nlink`;
const entry = await buildCli(`${dir}/dist`);

/** Tries the compile task's command once; undefined on success, else the reason it cannot run here. */
const reason = await (async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    // The build's types are cli/main.ts's, whose imports resolve through the workspace's deno.json (the task runs
    // at the root and finds it by itself).
    args: ["compile", "-A", ...v8Flags, "--config", config, "--output", binary, entry],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (out.success) return undefined;
  const err = new TextDecoder().decode(out.stderr);
  if (/error sending request|dns error|lookup address|network is unreachable|certificate|timed out/i.test(err)) {
    const lines = err.split("\n").map((l) => l.trim());
    const cause = lines.filter((l) => /dns error|lookup address|unreachable|certificate|timed out/i.test(l)).at(-1);
    return `deno compile cannot download the Deno runtime here: ${
      cause?.replace(/^\d+: /, "") ?? "network unreachable"
    }`;
  }
  throw new Error(`deno compile failed:\n${err}`);
})();

Deno.test({
  name: `the compiled binary runs ip, and acts as ip when named ip${reason ? ` [skipped: ${reason}]` : ""}`,
  ignore: reason !== undefined,
  async fn() {
    try {
      const run = async (path: string, args: string[]) => {
        const out = await new Deno.Command(path, { args, stdout: "piped", stderr: "piped" }).output();
        return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
      };
      const direct = await run(binary, ["ip", "-j", "link", "show", "lo"]);
      equal(direct.code, 0);
      match(direct.stdout, /"ifname":"lo"/);
      await Deno.link(binary, `${dir}/ip`);
      const named = await run(`${dir}/ip`, ["-j", "link", "show", "lo"]);
      equal(named.code, 0);
      equal(named.stdout, direct.stdout);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

if (reason) await Deno.remove(dir, { recursive: true });
