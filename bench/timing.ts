/**
 * What every benchmark here measures with: wall time of a whole command, and
 * the median of several runs.
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };
import { buildCli } from "../cli/build.ts";

/** cli/main.ts: the CLI's source entry, as `deno task ip` runs it. */
export const CLI_SOURCE: string = new URL("../cli/main.ts", import.meta.url).pathname;

/**
 * Deno's arguments that run one of our tools exactly as `deno task TOOL`
 * does (deno.json's task, with the entry's path made absolute), on `entry`:
 * the CLI's source by default, or the built CLI ({@linkcode builtCli}), which
 * is what the published package and the compiled binary run. So the
 * benchmarks time the command users run: `[Deno.execPath(), ...ourTool("ip", await builtCli()), "link"]`.
 *
 * @example
 * ```ts
 * import { ourTool } from "./timing.ts";
 * ourTool("ip").at(-1); // "ip"
 * ```
 */
export function ourTool(tool: "ip" | "tc" | "ss" | "bridge", entry: string = CLI_SOURCE): string[] {
  const words = config.tasks[tool].split(" ");
  if (words[0] !== "deno" || words.at(-2) !== "cli/main.ts" || words.at(-1) !== tool) {
    throw new Error(`deno.json: the ${tool} task is not "deno … cli/main.ts ${tool}": ${config.tasks[tool]}`);
  }
  return words.slice(1).map((w) => w === "cli/main.ts" ? entry : w);
}

let built: Promise<string> | undefined;

/**
 * The CLI built from the current source, as `deno task build` builds it
 * (cli/build.ts), into a temporary directory of its own (so a stale
 * cli/dist/ is never measured); once per process. Returns its entry.
 *
 * @example
 * ```ts ignore
 * import { builtCli, ourTool } from "./timing.ts";
 * const ip = ourTool("ip", await builtCli());
 * ```
 */
export function builtCli(): Promise<string> {
  return built ??= Deno.makeTempDir({ prefix: "nlink-bench-cli-" }).then(async (dir) => {
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    return await buildCli(dir);
  });
}

/**
 * The median of `xs` (the upper one of an even count).
 *
 * @example
 * ```ts
 * import { median } from "./timing.ts";
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Wall time of one run of a command, its output thrown away; throws with its
 * stderr when it fails.
 *
 * @example
 * ```ts ignore
 * import { timeCommand } from "./timing.ts";
 * const ms = await timeCommand("ip", ["link", "show"]);
 * ```
 */
export async function timeCommand(cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  const ms = performance.now() - t0;
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  return ms;
}

/**
 * Whether `chrt` can run a command under SCHED_FIFO here (root, util-linux).
 *
 * @example
 * ```ts ignore
 * import { hasChrt } from "./timing.ts";
 * const fifo = await hasChrt();
 * ```
 */
export async function hasChrt(): Promise<boolean> {
  try {
    return (await new Deno.Command("chrt", { args: ["-f", "50", "true"], stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

/**
 * {@linkcode timeCommand} of `cmd` (program and arguments), under SCHED_FIFO
 * (`chrt -f 50`) when `fifo`: the command gets a core whenever it wants one,
 * as on a quiet machine, whatever else runs.
 *
 * @example
 * ```ts ignore
 * import { timeProcess } from "./timing.ts";
 * const ms = await timeProcess(["ip", "link", "show"], true);
 * ```
 */
export function timeProcess(cmd: string[], fifo: boolean): Promise<number> {
  return fifo ? timeCommand("chrt", ["-f", "50", ...cmd]) : timeCommand(cmd[0], cmd.slice(1));
}
