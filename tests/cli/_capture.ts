/**
 * Request bytes of iproute2 and of nlink's CLI for the same command, captured
 * with ../shared/tools/nlcapture (seq and pid zeroed) and compared.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { KernelTestOptions } from "../_lib/netns.ts";
import type { Tool } from "./_run.ts";
import { kernelTestUnless } from "./_setup.ts";

/**
 * nlcapture: `$NLCAPTURE`, else beside the checkout (../shared/tools, as on the
 * development machine), else the workplace's shared tools.
 */
export const NLCAPTURE: string = [
  Deno.env.get("NLCAPTURE"),
  new URL("../../../shared/tools/nlcapture", import.meta.url).pathname,
  "/work/shared/tools/nlcapture",
].find((p) => p !== undefined && exists(p)) ?? "nlcapture";
const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;
const decoder = new TextDecoder();

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Why request bytes cannot be captured here (no nlcapture, or no strace for it), if they cannot. */
export const NO_NLCAPTURE: string | undefined = !exists(NLCAPTURE)
  ? "nlcapture is not here (set NLCAPTURE to its path)"
  : (() => {
    try {
      return new Deno.Command("strace", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync().success
        ? undefined
        : "strace (which nlcapture runs) fails";
    } catch {
      return "strace (which nlcapture runs) is not installed";
    }
  })();

/** Whether nlcapture (and the strace it runs) is here; tests skip without it. */
export const HAVE_NLCAPTURE: boolean = NO_NLCAPTURE === undefined;

/**
 * A kernel test comparing request bytes: skipped, with the reason, where
 * nlcapture cannot run.
 *
 * @example
 * ```ts ignore
 * await captureTest("tc qdisc: request bytes", { needs: ["veth"] }, async (ns) => { await sameRequest(ns, "…"); });
 * ```
 */
export function captureTest(
  name: string,
  options: KernelTestOptions,
  fn: (ns: string) => Promise<void>,
): Promise<void> {
  return kernelTestUnless(NO_NLCAPTURE, name, options, fn);
}

/** One captured netlink message (nlcapture's JSON line). */
export interface Captured {
  protocol: string;
  type: number;
  flags: number;
  len: number;
  hex: string;
}

/**
 * Runs `argv` in namespace `ns` under nlcapture and returns the messages it
 * sent (the last one, unless `all`).
 *
 * @example
 * ```ts ignore
 * const [req] = await capture(ns, ["tc", "qdisc", "add", "dev", "p0", "root", "pfifo"]);
 * ```
 */
export async function capture(ns: string, argv: string[], all = false): Promise<Captured[]> {
  const args = ["netns", "exec", ns, NLCAPTURE, ...(all ? ["--all"] : []), "--", ...argv];
  const out = await new Deno.Command("ip", { args, stdout: "piped", stderr: "piped", stdin: "null" }).output();
  const text = decoder.decode(out.stdout).trim();
  return text === "" ? [] : text.split("\n").map((line) => JSON.parse(line) as Captured);
}

/**
 * Captures `command` (one string, split on spaces) from iproute2's tool and
 * from nlink's, in `ns`, and asserts the request bytes are equal. `between`
 * runs after iproute2's run (to put back state the command changed, so that
 * nlink's run sees what iproute2's saw). Returns iproute2's messages.
 *
 * @example
 * ```ts ignore
 * await sameRequest(ns, "qdisc add dev p0 root handle 1: htb default 10", { tool: "tc" });
 * ```
 */
export async function sameRequest(
  ns: string,
  command: string,
  options: { tool?: Tool; all?: boolean; between?: () => Promise<void> } = {},
): Promise<Captured[]> {
  const tool = options.tool ?? "ip";
  const words = command.split(" ");
  const theirs = await capture(ns, [tool, ...words], options.all);
  await options.between?.();
  const mine = await capture(ns, [Deno.execPath(), "run", "-A", "--no-check", MAIN, tool, ...words], options.all);
  assert.notEqual(theirs.length, 0, `${tool} ${command}: iproute2 sent nothing`);
  assert.deepEqual(mine, theirs, `${tool} ${command}: request bytes differ`);
  return theirs;
}
