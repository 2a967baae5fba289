/**
 * Setup the CLI tests share: tests skipped for a missing feature, a second
 * namespace beside the test's own, a veth lab, changes made by both tools in
 * twin namespaces, and monitors run side by side.
 *
 * @module
 */
import assert from "node:assert/strict";
import { addNetns, deleteNetns } from "../../mod.ts";
import { kernelTest, type KernelTestOptions, uniqueNetnsName } from "../_lib/netns.ts";
import { ip, iproute2, nlink, ours, type Tool } from "./_run.ts";

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;
const decoder = new TextDecoder();

/**
 * Registers a test in a fresh namespace (see `kernelTest`), or, when
 * `reason` says what this host lacks, an ignored one with the reason in its name.
 *
 * @example
 * ```ts ignore
 * await kernelTestUnless(NO_MPTCP, "ip mptcp: listings", { needs: ["veth"] }, async (ns) => { … });
 * ```
 */
export function kernelTestUnless(
  reason: string | undefined,
  name: string,
  options: KernelTestOptions,
  fn: (ns: string) => Promise<void>,
): Promise<void> {
  if (reason) {
    Deno.test({ name: `${name} [skipped: ${reason}]`, ignore: true, fn() {} });
    return Promise.resolve();
  }
  return kernelTest(name, options, (_conn, ns) => fn(ns));
}

/** Why `ip mptcp` cannot be compared here (no MPTCP, or net.mptcp.enabled = 0), if it cannot. */
export const NO_MPTCP: string | undefined = await (async () => {
  try {
    const enabled = (await Deno.readTextFile("/proc/sys/net/mptcp/enabled")).trim();
    return enabled === "0" ? "MPTCP is disabled (sysctl net.mptcp.enabled = 0)" : undefined;
  } catch {
    return "kernel lacks MPTCP (no /proc/sys/net/mptcp/enabled)";
  }
})();

/**
 * Runs `fn` with a namespace of its own (named after `tag`), deleted afterwards.
 *
 * @example
 * ```ts ignore
 * await withOtherNetns("theirs", async (theirs) => { await lab(theirs); … });
 * ```
 */
export async function withOtherNetns<T>(tag: string, fn: (other: string) => Promise<T>): Promise<T> {
  const other = uniqueNetnsName(tag);
  await addNetns(other);
  try {
    return await fn(other);
  } finally {
    await deleteNetns(other);
  }
}

/**
 * The veth pair most tests start from: lo up, p0/p1 without IPv6 link-local
 * addresses (`addrgenmode none`), both up, then `address add A` for each of `addresses`.
 *
 * @example
 * ```ts ignore
 * await vethLab(ns, ["10.0.0.1/24 dev p0", "2001:db8::1/64 dev p0 nodad"]);
 * ```
 */
export async function vethLab(ns: string, addresses: readonly string[] = []): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 type veth peer name p1");
  for (const dev of ["p0", "p1"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
  for (const a of addresses) await ip(ns, `address add ${a}`);
}

/**
 * Makes a change with nlink's tool in `ns`, which must succeed and print
 * nothing, as iproute2's does.
 *
 * @example
 * ```ts ignore
 * await oursSilent(ns, "route add 10.1.0.0/24 dev p0");
 * ```
 */
export async function oursSilent(ns: string, command: string, tool: Tool = "ip"): Promise<void> {
  const r = await ours(ns, command, tool);
  assert.equal(r.code, 0, `nlink ${tool} ${command}: ${r.stderr}`);
  assert.equal(r.stdout + r.stderr, "");
}

/**
 * Makes each change with iproute2 in `theirs` and with nlink in `ns` (see
 * {@linkcode oursSilent}), one after the other.
 *
 * @example
 * ```ts ignore
 * await sameSteps(ns, theirs, ["route add 10.1.0.0/24 dev p0"]);
 * ```
 */
export async function sameSteps(
  ns: string,
  theirs: string,
  steps: readonly string[],
  tool: Tool = "ip",
): Promise<void> {
  for (const step of steps) {
    await ip(theirs, step, tool);
    await oursSilent(ns, step, tool);
  }
}

/**
 * Runs `command` with iproute2 in `theirs` and with nlink in `ns` (twin
 * namespaces in the same state) and asserts the same stdout, stderr and exit code.
 *
 * @example
 * ```ts ignore
 * await sameOutcome(theirs, ns, "-s route flush table 100");
 * ```
 */
export async function sameOutcome(theirs: string, ns: string, command: string): Promise<void> {
  const a = await iproute2(["-n", theirs, ...command.split(" ")]);
  const b = await nlink(["-n", ns, ...command.split(" ")]);
  assert.equal(b.stdout, a.stdout, `${command}: stdout`);
  assert.equal(b.stderr, a.stderr, `${command}: stderr`);
  assert.equal(b.code, a.code, `${command}: exit code`);
}

/** A running monitor and everything it has printed so far. */
export interface Monitor {
  /** The process. */
  child: Deno.ChildProcess;
  /** Its standard output so far. */
  out: string;
  /** Settles when its standard output ends. */
  done: Promise<void>;
}

function startMonitor(argv: string[]): Monitor {
  const child = new Deno.Command(argv[0], { args: argv.slice(1), stdout: "piped", stderr: "piped", stdin: "null" })
    .spawn();
  const m: Monitor = { child, out: "", done: Promise.resolve() };
  m.done = (async () => {
    for await (const chunk of child.stdout) m.out += decoder.decode(chunk, { stream: true });
  })();
  return m;
}

/**
 * Starts iproute2's `tool -n ns ARGS…` (through `stdbuf -oL`, so that its
 * lines come out as they are printed) and nlink's, side by side.
 *
 * @example
 * ```ts ignore
 * const [theirs, mine] = startMonitors(ns, ["monitor", "fdb"], "bridge");
 * ```
 */
export function startMonitors(ns: string, args: string[], tool: Tool = "ip"): [Monitor, Monitor] {
  return [
    startMonitor(["stdbuf", "-oL", tool, "-n", ns, ...args]),
    startMonitor([Deno.execPath(), "run", "-A", "--no-check", MAIN, tool, "-n", ns, ...args]),
  ];
}

/**
 * Stops a monitor (SIGTERM) and returns everything it printed.
 *
 * @example
 * ```ts ignore
 * const [a, b] = await Promise.all([stopMonitor(theirs), stopMonitor(mine)]);
 * ```
 */
export async function stopMonitor(m: Monitor): Promise<string> {
  m.child.kill("SIGTERM");
  await m.done;
  await m.child.stderr.cancel();
  await m.child.status;
  return m.out;
}

/** `ip monitor -t`'s timestamp line. */
export const LONG_TS =
  /Timestamp: (Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} \d{1,6} usec$/gm;
/** `ip monitor -ts`'s timestamp prefix. */
export const SHORT_TS = /\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\] /gm;

/**
 * A monitor's output with every timestamp replaced by a marker (the two tools print different times).
 *
 * @example
 * ```ts ignore
 * normaliseTimestamps("[2026-01-01T00:00:00.000000] 1: lo"); // "[T] 1: lo"
 * ```
 */
export function normaliseTimestamps(s: string): string {
  return s.replace(LONG_TS, "Timestamp: T").replace(SHORT_TS, "[T] ");
}

/**
 * Netlink sockets of `protocol` (0: rtnetlink, 4: sock_diag) in `ns` that joined a multicast group, read from
 * /proc/net/netlink inside it: how a test knows both monitors listen before it makes changes.
 *
 * @example
 * ```ts ignore
 * while ((await subscribers(ns)) < 2) await sleep(25);
 * ```
 */
export async function subscribers(ns: string, protocol = 0): Promise<number> {
  const out = await new Deno.Command("ip", { args: ["netns", "exec", ns, "cat", "/proc/net/netlink"] }).output();
  return decoder.decode(out.stdout).split("\n").slice(1).filter((l) => {
    const f = l.trim().split(/\s+/);
    return f[1] === String(protocol) && f[3] !== undefined && f[3] !== "00000000";
  }).length;
}

/**
 * Waits (up to 5 s) until both monitors printed the same, timestamps aside, and nothing more came for a moment.
 *
 * @example
 * ```ts ignore
 * await settled(theirs, mine);
 * ```
 */
export async function settled(theirs: Monitor, mine: Monitor): Promise<void> {
  let last = "";
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const a = normaliseTimestamps(theirs.out);
    if (a !== "" && a === normaliseTimestamps(mine.out) && a === last) return;
    last = a;
  }
}
