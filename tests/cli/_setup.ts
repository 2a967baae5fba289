/**
 * Setup the CLI tests share: tests skipped for a missing feature, a second
 * namespace beside the test's own, a veth lab, changes made by both tools in
 * twin namespaces, and monitors run side by side.
 *
 * @module
 */
import assert from "node:assert/strict";
import { addNetns, deleteNetns } from "../../mod.ts";
import { kernelTest, type KernelTestOptions, NO_NETNS_REASON, uniqueNetnsName } from "../_lib/netns.ts";
import { assertSameResult, ip, iproute2, nlink, OUR_CLI, ours, type Tool } from "./_run.ts";

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
  assertSameResult(b, a, command);
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
    startMonitor([...OUR_CLI, tool, "-n", ns, ...args]),
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

/**
 * Starts iproute2's and nlink's monitors with `args` in `ns`, waits until both joined their groups, runs `act`
 * (the changes to watch), waits until both printed the same ({@linkcode settled}) and stops them; returns what
 * iproute2 and nlink printed.
 *
 * @example
 * ```ts ignore
 * const [a, b] = await watchBoth(ns, ["monitor", "link"], () => ip(ns, "link set lo up"));
 * ```
 */
export async function watchBoth(
  ns: string,
  args: string[],
  act: (theirs: Monitor, mine: Monitor) => Promise<unknown>,
  tool: Tool = "ip",
): Promise<[string, string]> {
  const before = await subscribers(ns);
  const [theirs, mine] = startMonitors(ns, args, tool);
  try {
    for (let i = 0; (await subscribers(ns)) < before + 2; i++) {
      assert.ok(i < 200, `${tool} ${args.join(" ")}: the monitors did not subscribe`);
      await new Promise((r) => setTimeout(r, 25));
    }
    await act(theirs, mine);
    await settled(theirs, mine);
  } finally {
    await Promise.all([stopMonitor(theirs), stopMonitor(mine)]);
  }
  return [theirs.out, mine.out];
}

/**
 * Asserts that nlink's monitor output `b` equals iproute2's `a`: byte for byte, or with `-t`/`-ts` in `args`
 * as many timestamps in the same format and the same text around them.
 *
 * @example
 * ```ts ignore
 * assertSameMonitorOutput(a, b, ["-t", "monitor"]);
 * ```
 */
export function assertSameMonitorOutput(a: string, b: string, args: string[]): void {
  const what = `ip ${args.join(" ")}`;
  if (args.includes("-t") || args.includes("-ts")) {
    const re = args.includes("-t") ? LONG_TS : SHORT_TS;
    const count = (s: string) => s.match(re)?.length ?? 0;
    assert.ok(count(b) > 0, `${what}: no timestamps`);
    assert.equal(count(b), count(a), `${what}: timestamp lines differ in number or format`);
    assert.equal(normaliseTimestamps(b), normaliseTimestamps(a), `${what}: output differs`);
  } else assert.equal(b, a, `${what}: output differs`);
}

/**
 * Waits until `ns` holds no namespace id. The kernel forgets a deleted namespace's id (and announces it with
 * RTM_DELNSID) in a work queue after the deletion returns: a monitor started before that would print it.
 *
 * @example
 * ```ts ignore
 * await nsidsGone(ns);
 * ```
 */
export async function nsidsGone(ns: string): Promise<void> {
  for (let i = 0; (await ip(ns, "netns list-id")).trim() !== ""; i++) {
    assert.ok(i < 400, "a deleted namespace's id lingers");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Why iproute2 cannot do `commands` here (the first one that fails, with its error), undefined when it can: tried
 * in a scratch namespace with a veth pair p0–p1, both up, 10.0.0.1/24 on p0. For skipping a test with the reason.
 *
 * @example
 * ```ts ignore
 * const NO_MPLS = await iproute2Lacks("mpls-probe", ["route add 10.1.0.0/24 encap mpls 100 dev p0"]);
 * ```
 */
export async function iproute2Lacks(tag: string, commands: string[]): Promise<string | undefined> {
  if (NO_NETNS_REASON) return NO_NETNS_REASON;
  return await withOtherNetns(tag, async (ns) => {
    await ip(ns, "link add p0 type veth peer name p1");
    await ip(ns, "link set p0 up");
    await ip(ns, "link set p1 up"); // nexthop objects need a carrier
    await ip(ns, "address add 10.0.0.1/24 dev p0");
    for (const c of commands) {
      const r = await iproute2(["-n", ns, ...c.split(" ")]);
      if (r.code !== 0) return `${c}: ${r.stderr.trim()}`;
    }
    return undefined;
  });
}

/** Whether iproute2's rtmon is installed (the recorder of `ip monitor file` files). */
export const HAS_RTMON: boolean = await Deno.stat("/usr/sbin/rtmon").then(() => true, () => false);

/**
 * Records into `file`, with iproute2's `rtmon file FILE` in `ns`, what `act` changes: rtmon's initial dump
 * (written once it has subscribed: `act` starts after it), then the notifications, until a moment after `act`.
 *
 * @example
 * ```ts ignore
 * await recordRtmon(ns, file, () => ip(ns, "link add f0 type veth peer name f1"));
 * ```
 */
export async function recordRtmon(
  ns: string,
  file: string,
  act: () => Promise<unknown>,
  settleMs = 200,
): Promise<void> {
  const rtmon = new Deno.Command("ip", {
    args: ["netns", "exec", ns, "rtmon", "file", file],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    for (let i = 0; i < 50 && ((await Deno.stat(file).catch(() => undefined))?.size ?? 0) === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await act();
    await new Promise((r) => setTimeout(r, settleMs));
  } finally {
    rtmon.kill("SIGTERM");
    await rtmon.status;
  }
}
