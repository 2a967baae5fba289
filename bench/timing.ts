/**
 * What every benchmark here measures with: wall time of a whole command, and
 * the median of several runs.
 *
 * @module
 */

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
