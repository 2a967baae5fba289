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
import { iproute2, OUR_CLI } from "./_run.ts";
import { maskAttrPadding } from "../_lib/golden.ts";

/**
 * nlcapture: `$NLCAPTURE`, else beside the checkout (../shared/tools, as on the
 * development machine), else the workplace's shared tools.
 */
export const NLCAPTURE: string = [
  Deno.env.get("NLCAPTURE"),
  new URL("../../../shared/tools/nlcapture", import.meta.url).pathname,
  "/work/shared/tools/nlcapture",
].find((p) => p !== undefined && exists(p)) ?? "nlcapture";
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
 * The environment nlcapture runs in: PATH led by a directory whose `strace`
 * adds `--seccomp-bpf`, when this strace has it. nlcapture traces sendmsg and
 * sendto only, but without that flag strace stops every thread at every
 * system call, and a Deno process makes thousands: capturing one `ip route
 * add` of nlink's CLI took 3.8 s, 0.5 s with it (most of tests/cli/'s time).
 * The messages captured are the same; nlcapture itself is unchanged.
 */
export const CAPTURE_ENV: { PATH?: string } = (() => {
  if (NO_NLCAPTURE !== undefined) return {};
  const strace = ["/usr/bin/strace", "/bin/strace"].find(exists) ?? "strace";
  const works = new Deno.Command(strace, {
    args: ["--seccomp-bpf", "-f", "-qq", "-e", "trace=sendto", "true"],
    stdout: "null",
    stderr: "null",
  }).outputSync().success;
  if (!works) return {};
  const dir = Deno.makeTempDirSync({ prefix: "nlink-strace-" });
  Deno.writeTextFileSync(`${dir}/strace`, `#!/bin/sh\nexec ${strace} --seccomp-bpf "$@"\n`, { mode: 0o755 });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  return { PATH: `${dir}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
})();

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
 * The message iproute2's `ip link` sends before each of its commands to probe
 * for kernels older than 2.6.22 (an empty RTM_NEWLINK asking an ack), which
 * nlink does not send; comparisons of every message of an `ip link` command
 * leave it out of iproute2's.
 */
const IP_LINK_PROBE = "2000000010000500000000000000000000000000000000000000000000000000";

/**
 * iproute2's messages of an `ip link` command without its leading probe,
 * which must be there.
 *
 * @example
 * ```ts ignore
 * const theirs = withoutLinkProbe(await capture(ns, ["ip", "link", "set", "p0", "up"], true), "link set p0 up");
 * ```
 */
export function withoutLinkProbe(messages: Captured[], command: string): Captured[] {
  assert.equal(messages[0]?.hex, IP_LINK_PROBE, `ip ${command}: iproute2's first message is its probe`);
  return messages.slice(1);
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
  const out = await new Deno.Command("ip", { args, env: CAPTURE_ENV, stdout: "piped", stderr: "piped", stdin: "null" })
    .output();
  const text = decoder.decode(out.stdout).trim();
  return text === "" ? [] : text.split("\n").map((line) => JSON.parse(line) as Captured);
}

/**
 * Captures `command` (one string, split on spaces) from iproute2's tool and
 * from nlink's, in `ns`, and asserts the request bytes are equal. `between`
 * runs after iproute2's run (to put back state the command changed, so that
 * nlink's run sees what iproute2's saw); `linkProbe` leaves out iproute2's
 * leading `ip link` probe ({@linkcode withoutLinkProbe}). Returns iproute2's
 * messages.
 *
 * @example
 * ```ts ignore
 * await sameRequest(ns, "qdisc add dev p0 root handle 1: htb default 10", { tool: "tc" });
 * ```
 */
export async function sameRequest(
  ns: string,
  command: string,
  options: { tool?: Tool; all?: boolean; between?: () => Promise<void>; linkProbe?: boolean } = {},
): Promise<Captured[]> {
  const tool = options.tool ?? "ip";
  const words = command.split(" ");
  const captured = await capture(ns, [tool, ...words], options.all);
  const theirs = options.linkProbe ? withoutLinkProbe(captured, command) : captured;
  await options.between?.();
  const mine = await capture(ns, [...OUR_CLI, tool, ...words], options.all);
  assert.notEqual(theirs.length, 0, `${tool} ${command}: iproute2 sent nothing`);
  assert.deepEqual(mine, theirs, `${tool} ${command}: request bytes differ`);
  return theirs;
}

/**
 * A `between` for {@linkcode sameRequest} of an `… add …` command: iproute2
 * deletes what its run added (the same words, `add` turned into `del`), so
 * that nlink's run adds it to the same state.
 *
 * @example
 * ```ts ignore
 * await sameRequest(ns, c, { between: deleteAgain(ns, c) });
 * ```
 */
export function deleteAgain(ns: string, command: string): () => Promise<void> {
  return () => iproute2(["-n", ns, ...undo(command.split(" "))]).then(() => {});
}

/** {@linkcode maskAttrPadding} on captured hex. */
function maskPadding(hex: string, headerLen: number): string {
  const bytes = new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  return Array.from(maskAttrPadding(bytes, headerLen), (x) => x.toString(16).padStart(2, "0")).join("");
}

/** The word list with `add` turned into `del` (to undo a route iproute2 added). */
const undo = (argv: string[]) => argv.map((w) => (w === "add" ? "del" : w));

/**
 * Compares the request bytes of both tools for `command` (attribute padding
 * ignored), undoing what each run added so that both see the same state:
 * a route is deleted again, nexthops are flushed. With `all`, every message
 * is compared (the device look-ups too), the padding of route and nexthop
 * messages only.
 *
 * @example
 * ```ts ignore
 * await sameRequestMasked(ns, "route add 10.1.0.0/24 encap mpls 100 via 10.0.0.2 dev p0");
 * ```
 */
export async function sameRequestMasked(ns: string, command: string, all = false): Promise<void> {
  const argv = command.split(" ");
  const nexthop = argv.includes("nexthop") && argv.indexOf("nexthop") < 2;
  const reset = () => iproute2(nexthop ? ["-n", ns, "nexthop", "flush"] : ["-n", ns, ...undo(argv)]);
  // RTM_*ROUTE (struct rtmsg, 12 bytes) and RTM_*NEXTHOP (struct nhmsg, 8 bytes).
  const headerLen = (type: number) => (type >= 24 && type <= 26 ? 12 : type >= 104 && type <= 106 ? 8 : 0);
  const norm = (c: Captured[]) =>
    c.map((m) => (headerLen(m.type) ? { ...m, hex: maskPadding(m.hex, headerLen(m.type)) } : m));
  const theirs = await capture(ns, ["ip", ...argv], all);
  await reset();
  const mine = await capture(ns, [...OUR_CLI, "ip", ...argv], all);
  await reset();
  assert.notEqual(theirs.length, 0, `ip ${command}: iproute2 sent nothing`);
  assert.deepEqual(norm(mine), norm(theirs), `ip ${command}: request bytes differ`);
}
