/**
 * `deno task compile`: one binary that is `ip`, `tc` or `ss` by its own name.
 * `deno compile` downloads a Deno runtime the first time; where that download is
 * impossible, the test is skipped and its name says why.
 */
import { equal, match } from "node:assert/strict";

const root = new URL("../../", import.meta.url).pathname;
const dir = await Deno.makeTempDir({ prefix: "nlink-compile-" });
const binary = `${dir}/nlink`;

/** Tries the compile task's command once; undefined on success, else the reason it cannot run here. */
const reason = await (async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["compile", "-A", "--v8-flags=--no-lazy", "--output", binary, `${root}cli/main.ts`],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (out.success) return undefined;
  const err = new TextDecoder().decode(out.stderr);
  if (/download|dns error|lookup address|connect|network|certificate|timed out/i.test(err)) {
    const lines = err.split("\n").map((l) => l.trim());
    const cause = lines.filter((l) => /dns error|lookup address|download|connect/i.test(l)).at(-1);
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
