/**
 * Runs an iproute2 tool (`ip`, `tc`, `bridge`; `ip` unless told) and nlink's
 * same tool side by side and compares them: text byte for byte (stdout,
 * stderr, exit code), JSON as parsed values.
 *
 * @module
 */
import assert from "node:assert/strict";
import { DUMP_MAGIC } from "../../src/route/dump_file.ts";

/**
 * The CLI entry the tests run: cli/main.ts, or the build that the environment
 * variable `NLINK_CLI_MAIN` names (`deno task test` sets it to cli/dist/main.js,
 * the bundle that is published and compiled; see cli/build.ts).
 */
export const CLI_MAIN: string = (() => {
  const given = Deno.env.get("NLINK_CLI_MAIN");
  if (!given) return new URL("../../cli/main.ts", import.meta.url).pathname;
  return given.startsWith("/") ? given : `${Deno.cwd()}/${given}`;
})();

/** The command line that runs our CLI (`[...OUR_CLI, "ip", "link"]`): Deno on {@linkcode CLI_MAIN}, type-checked by `deno task check`. */
export const OUR_CLI: readonly string[] = [Deno.execPath(), "run", "-A", "--no-check", CLI_MAIN];
const decoder = new TextDecoder();

/** The tools compared. */
export type Tool = "ip" | "tc" | "bridge" | "ss";

/** What a command printed and returned. */
export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function exec(cmd: string, args: string[]): Promise<Result> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", stdin: "null" }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/**
 * Runs `compare` until it passes, at most `attempts` times (the last failure
 * is thrown): for outputs that can change between the two tools' runs, such as
 * seconds-old timers, or iproute2 tripping over a namespace another test is
 * deleting while it names every namespace.
 *
 * @example
 * ```ts ignore
 * await retried(() => sameText(ns, ["-s", "fdb", "get", mac, "dev", "p0"], "bridge"));
 * ```
 */
export async function retried(compare: () => Promise<unknown>, attempts = 5): Promise<void> {
  for (let attempt = 1;; attempt++) {
    try {
      await compare();
      return;
    } catch (e) {
      if (attempt >= attempts) throw e;
    }
  }
}

/**
 * Runs `argv` with `input` on its standard input (a pipe, not a terminal; none without `input`); returns its exit
 * code, its output as text and its raw standard output.
 *
 * @example
 * ```ts ignore
 * const saved = (await withStdinRaw(["ip", "-n", ns, "route", "save"])).bytes;
 * ```
 */
export async function withStdinRaw(argv: readonly string[], input?: Uint8Array | string): Promise<RawResult> {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(typeof input === "string" ? new TextEncoder().encode(input) : input);
    await w.close();
  }
  const out = await child.output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr), bytes: out.stdout };
}

/**
 * {@linkcode withStdinRaw} without the raw bytes: exit code, stdout and stderr as text.
 *
 * @example
 * ```ts ignore
 * const r = await withStdin(["ip", "-n", ns, "route", "restore"], saved);
 * ```
 */
export async function withStdin(argv: readonly string[], input?: Uint8Array | string): Promise<Result> {
  const { bytes: _, ...result } = await withStdinRaw(argv, input);
  return result;
}

/** A {@linkcode Result} with the raw standard output (binary `save` files). */
export type RawResult = Result & { bytes: Uint8Array };

/**
 * `ip ARGS…` run by iproute2 or by nlink, with `input` on standard input if given.
 *
 * @example
 * ```ts ignore
 * const saved = (await runIp("nlink", ["-n", ns, "rule", "save"])).bytes;
 * ```
 */
export function runIp(tool: "iproute2" | "nlink", args: string[], input?: Uint8Array): Promise<RawResult> {
  return withStdinRaw(tool === "iproute2" ? ["ip", ...args] : [...OUR_CLI, "ip", ...args], input);
}

/**
 * A saved dump file (`ip route|address|rule save`) with each message's sequence number and port id zeroed:
 * they differ from dump to dump.
 *
 * @example
 * ```ts ignore
 * assert.deepEqual(zeroSeqAndPort(mine.bytes), zeroSeqAndPort(theirs.bytes));
 * ```
 */
export function zeroSeqAndPort(file: Uint8Array): Uint8Array {
  const b = file.slice();
  const v = new DataView(b.buffer);
  for (let at = 4; at + 16 <= b.length; at += (v.getUint32(at, true) + 3) & ~3) b.fill(0, at + 8, at + 16);
  return b;
}

/**
 * A saved route file (`ip route save`'s format) holding `messages`.
 *
 * @example
 * ```ts ignore
 * const dump = routeDumpFile([routeRequest("add", { dst: "10.0.0.0/24", gateway: "10.0.0.2" })]);
 * ```
 */
export function routeDumpFile(messages: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(4 + messages.reduce((n, m) => n + m.length, 0));
  new DataView(out.buffer).setUint32(0, DUMP_MAGIC.route, true); // host order, as iproute2 writes it
  let at = 4;
  for (const m of messages) out.set(m, at), at += m.length;
  return out;
}

/**
 * `ip [OPTS…] route showdump` of `dump` (a saved route file) in `ns`, by
 * iproute2 and by nlink: both results, to compare.
 *
 * @example
 * ```ts ignore
 * const [theirs, mine] = await bothShowdump(ns, ["-j"], dump);
 * ```
 */
export async function bothShowdump(ns: string, opts: string[], dump: Uint8Array): Promise<[Result, Result]> {
  const args = [...opts, "route", "showdump"];
  const theirs = await withStdin(["ip", "netns", "exec", ns, "ip", ...args], dump);
  const mine = await withStdin(["ip", "netns", "exec", ns, ...OUR_CLI, "ip", ...args], dump);
  return [theirs, mine];
}

/**
 * Runs iproute2: `ip ARGS…`.
 *
 * @example
 * ```ts ignore
 * const r = await iproute2(["-n", ns, "link"]);
 * ```
 */
export function iproute2(args: string[], tool: Tool = "ip"): Promise<Result> {
  return exec(tool, args);
}

/**
 * Runs nlink's CLI ({@linkcode OUR_CLI}): `ip ARGS…`.
 *
 * @example
 * ```ts ignore
 * const r = await nlink(["-n", ns, "link"]);
 * ```
 */
export function nlink(args: string[], tool: Tool = "ip"): Promise<Result> {
  return exec(OUR_CLI[0], [...OUR_CLI.slice(1), tool, ...args]);
}

/**
 * Runs an iproute2 command that must succeed (test setup), in namespace `ns`.
 *
 * @example
 * ```ts ignore
 * await ip(ns, "link add v0 type veth peer name v1");
 * ```
 */
export async function ip(ns: string, command: string, tool: Tool = "ip"): Promise<string> {
  const r = await iproute2(["-n", ns, ...command.split(" ")], tool);
  assert.equal(r.code, 0, `${tool} -n ${ns} ${command} failed: ${r.stderr}`);
  return r.stdout;
}

/**
 * Runs nlink's `ip` in `ns` (arguments as one string, split on spaces).
 *
 * @example
 * ```ts ignore
 * await ours(ns, "route add 10.0.0.0/24 dev v0");
 * ```
 */
export function ours(ns: string, command: string, tool: Tool = "ip"): Promise<Result> {
  return nlink(["-n", ns, ...command.split(" ")], tool);
}

/**
 * Runs both tools with `-n ns` and the same arguments and asserts identical
 * stdout, stderr and exit code. Returns iproute2's result.
 *
 * @example
 * ```ts ignore
 * await sameText(ns, ["-d", "link", "show"]);
 * ```
 */
export async function sameText(ns: string, args: string[], tool: Tool = "ip"): Promise<Result> {
  const [theirs, mine] = await Promise.all([iproute2(["-n", ns, ...args], tool), nlink(["-n", ns, ...args], tool)]);
  const what = `${tool} -n ${ns} ${args.join(" ")}`;
  assert.equal(theirs.code, 0, `${what}: iproute2 failed: ${theirs.stderr}`);
  assert.notEqual(theirs.stdout, "", `${what}: iproute2 printed nothing`);
  assertSameResult(mine, theirs, what);
  return theirs;
}

/**
 * Asserts that nlink's result equals iproute2's: standard output, standard error and exit code.
 *
 * @example
 * ```ts ignore
 * assertSameResult(await nlink(args), await iproute2(args), `ip ${args.join(" ")}`);
 * ```
 */
export function assertSameResult(mine: Result, theirs: Result, what: string): void {
  assert.equal(mine.stdout, theirs.stdout, `${what}: stdout differs`);
  assert.equal(mine.stderr, theirs.stderr, `${what}: stderr differs`);
  assert.equal(mine.code, theirs.code, `${what}: exit code differs`);
}

/**
 * Runs both tools with `-j` output and asserts the parsed JSON values are equal.
 * Returns the parsed value.
 *
 * @example
 * ```ts ignore
 * const links = await sameJson(ns, ["-j", "link"]);
 * ```
 */
export async function sameJson(ns: string, args: string[], tool: Tool = "ip"): Promise<unknown> {
  const [theirs, mine] = await Promise.all([iproute2(["-n", ns, ...args], tool), nlink(["-n", ns, ...args], tool)]);
  const what = `${tool} -n ${ns} ${args.join(" ")}`;
  assert.equal(theirs.code, 0, `${what}: iproute2 failed: ${theirs.stderr}`);
  assert.equal(mine.code, theirs.code, `${what}: exit code differs (${mine.stderr})`);
  assert.equal(mine.stderr, theirs.stderr, `${what}: stderr differs`);
  const expected = JSON.parse(theirs.stdout);
  assert.deepEqual(JSON.parse(mine.stdout), expected, `${what}: JSON differs`);
  return expected;
}

/**
 * Like {@linkcode sameText}, for output that moves with the clock (address
 * lifetimes count down every second): iproute2 runs before and after nlink,
 * and the comparison counts only when iproute2 printed the same both times.
 *
 * @example
 * ```ts ignore
 * await sameTextStable(ns, ["addr"]);
 * ```
 */
export async function sameTextStable(ns: string, args: string[], attempts = 5, tool: Tool = "ip"): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const before = await iproute2(["-n", ns, ...args], tool);
    const mine = await nlink(["-n", ns, ...args], tool);
    const after = await iproute2(["-n", ns, ...args], tool);
    assert.equal(before.code, 0, `${tool} -n ${ns} ${args.join(" ")}: iproute2 failed: ${before.stderr}`);
    if (before.stdout !== after.stdout) continue; // a second boundary passed: try again
    assert.equal(mine.stdout, before.stdout, `${tool} -n ${ns} ${args.join(" ")}: stdout differs`);
    assert.equal(mine.stderr, before.stderr);
    assert.equal(mine.code, before.code);
    return;
  }
  assert.fail(`${tool} -n ${ns} ${args.join(" ")}: output never held still`);
}

/**
 * Asserts that both tools fail the same way (exit code and stderr) on the same
 * state: iproute2 runs first, then nlink (neither must change the state).
 *
 * @example
 * ```ts ignore
 * await sameError(ns, "route add 10.0.0.0/24 dev v0"); // File exists
 * ```
 */
export async function sameError(ns: string, command: string, tool: Tool = "ip"): Promise<Result> {
  const args = ["-n", ns, ...command.split(" ")];
  const theirs = await iproute2(args, tool);
  const mine = await nlink(args, tool);
  assert.notEqual(theirs.code, 0, `${tool} ${args.join(" ")} was expected to fail`);
  assert.equal(mine.stderr, theirs.stderr, `${tool} ${args.join(" ")}: stderr differs`);
  assert.equal(mine.code, theirs.code, `${tool} ${args.join(" ")}: exit code differs`);
  assert.equal(mine.stdout, theirs.stdout);
  return theirs;
}
