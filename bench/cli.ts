/**
 * The CLI's speed targets (issue 6), our `ip` beside iproute2's in the same run,
 * each pair run alternately (the machine's speed drifts) and reported as the
 * median and the minimum of the wall times of the whole process (Deno's
 * start-up included), with the ratio of the medians, and the mean CPU time
 * (user + system, all threads) per run, which a busy machine disturbs far
 * less than the wall time:
 *
 * - `ip -j route show` and `ip route show` of 100,000 routes (target: not slower than iproute2),
 *   and `ip -j -6 route show` of as many IPv6 routes;
 * - `ip link show` in a namespace with only `lo` (target: under 60 ms).
 *
 * The `ip -j route show` row also times its floor, bench/floors/route_json.ts:
 * a Deno program that writes the same JSON straight from the kernel's replies
 * with nothing of nlink, checked to print iproute2's bytes first.
 *
 * Our CLI runs as published and compiled: the build of cli/build.ts, with
 * `deno task ip`'s flags (see {@linkcode ourTool}); each row also shows its
 * source run as `deno task ip` runs it, which loads every module as
 * TypeScript.
 *
 * On a shared machine the other load decides the wall times, so each command
 * runs under SCHED_FIFO (`chrt -f 50`, when present) unless `fifo` is false:
 * both tools get a core whenever they want one, as on a quiet machine.
 *
 * Run alone (`deno run -A bench/cli.ts [--routes N] [--runs N] [--no-fifo]`,
 * as root) or from `deno task bench`, which calls {@linkcode benchCli}.
 *
 * @module
 */
import { addNetns, Connection, deleteNetns } from "../mod.ts";
import { builtCli, hasChrt, median, ourTool, timeProcess } from "./timing.ts";

/** The start-up target of issue 6, in milliseconds. */
const STARTUP_TARGET_MS = 60;

/** Options for {@linkcode benchCli}. */
export interface CliBenchOptions {
  /** Routes in the table that is dumped (default 100,000). */
  routes?: number;
  /** Runs of each dump command (default 5); start-up runs four times as many, at least 21. */
  runs?: number;
  /** Run each command under SCHED_FIFO with `chrt` when it is installed (default true). */
  fifo?: boolean;
}

/**
 * CPU time of this process's waited-for children so far (user + system), in
 * ms: /proc/self/stat's cutime and cstime, in clock ticks (USER_HZ, 100 here).
 */
function childrenCpuMs(): number {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) * 10; // fields 16 and 17 of proc(5), from the state on
}

/** Wall times (ms) and mean CPU ms per run of one command. */
interface Series {
  wall: number[];
  cpu: number;
}

/** bench/floors/route_json.ts: `ip -j route show` at its cheapest in Deno. */
const ROUTE_JSON_FLOOR = new URL("./floors/route_json.ts", import.meta.url).pathname;

interface PairResult {
  /** Our CLI as published and compiled (the build of cli/build.ts). */
  built: Series;
  /** Our CLI's source, as `deno task ip` runs it. */
  source: Series;
  /** iproute2. */
  theirs: Series;
  /** The floor, when one was given. */
  floor?: Series;
}

/**
 * Our built CLI, our source and iproute2's `ip ARGS` (and `floor`, a command,
 * when given), in turn, `runs` times each (after one untimed run of each).
 */
async function pair(args: string[], runs: number, fifo: boolean, floor?: string[]): Promise<PairResult> {
  const commands = [
    [Deno.execPath(), ...ourTool("ip", await builtCli()), ...args],
    [Deno.execPath(), ...ourTool("ip"), ...args],
    ["ip", ...args],
    ...(floor ? [floor] : []),
  ];
  const series: Series[] = commands.map(() => ({ wall: [], cpu: 0 }));
  const exec = (cmd: string[]) => timeProcess(cmd, fifo);
  // compiles and caches our modules: a user's first run, not the one measured
  for (const cmd of commands) await exec(cmd);
  for (let i = 0; i < runs; i++) {
    for (const [k, cmd] of commands.entries()) {
      const cpu = childrenCpuMs();
      series[k].wall.push(await exec(cmd));
      series[k].cpu += (childrenCpuMs() - cpu) / runs;
    }
  }
  const [built, source, theirs, floorSeries] = series;
  return { built, source, theirs, floor: floorSeries };
}

/**
 * Deno's own start-up: the median wall time of `deno run` on an empty
 * program (under SCHED_FIFO when `fifo`), the floor under every row that
 * runs our CLI as a process.
 *
 * @example
 * ```ts ignore
 * console.log(await denoStartMs(9, true));
 * ```
 */
export async function denoStartMs(runs: number, fifo: boolean): Promise<number> {
  const empty = await Deno.makeTempFile({ suffix: ".js" });
  try {
    const cmd = [Deno.execPath(), "run", empty];
    const exec = () => timeProcess(cmd, fifo);
    await exec();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push(await exec());
    return median(times);
  } finally {
    await Deno.remove(empty);
  }
}

const ms = (x: number) => `${x.toFixed(1).padStart(7)} ms`;

function report(label: string, r: PairResult): number {
  const t = median(r.theirs.wall);
  const line = (name: string, x: Series, ratio: boolean) => {
    const m = median(x.wall);
    console.log(
      `    ${name.padEnd(19)} median ${ms(m)}   min ${ms(Math.min(...x.wall))}   cpu ${ms(x.cpu)}` +
        (ratio ? `   ${(m / t).toFixed(2)}x of iproute2's time` : ""),
    );
  };
  console.log(`  ${label}`);
  line("iproute2", r.theirs, false);
  line("nlink CLI", r.built, true);
  line("nlink CLI, source", r.source, true);
  if (r.floor) line("Deno floor", r.floor, true);
  return median(r.built.wall);
}

/** Throws unless both commands print the same bytes (a floor must do the whole job). */
async function sameOutput(a: string[], b: string[]): Promise<void> {
  const run = async ([cmd, ...args]: string[]) =>
    (await new Deno.Command(cmd, { args, stderr: "inherit" }).output()).stdout;
  const [x, y] = [await run(a), await run(b)];
  if (x.length !== y.length || x.some((byte, i) => byte !== y[i])) {
    throw new Error(`bench: ${a.join(" ")} does not print what ${b.join(" ")} prints`);
  }
}

/**
 * Builds the namespaces, runs the CLI benchmarks and prints them.
 *
 * @example
 * ```ts ignore
 * await benchCli({ routes: 100_000, runs: 5 });
 * ```
 */
export async function benchCli(options: CliBenchOptions = {}): Promise<void> {
  const routes = options.routes ?? 100_000;
  const runs = options.runs ?? 5;
  const fifo = (options.fifo ?? true) && await hasChrt();
  const big = `nlbench-${Deno.pid}-cli`;
  const small = `nlbench-${Deno.pid}-cli-lo`;
  await addNetns(big);
  await addNetns(small);
  try {
    {
      using conn = await Connection.open({ netns: big });
      await conn.addLink({ kind: "veth", name: "p0", peer: { name: "p1" } });
      await conn.setLinkUp("p0");
      await conn.setLinkUp("p1");
      await conn.addAddress({ dev: "p0", address: "10.0.0.1/16" });
      await conn.addAddress({ dev: "p0", address: "2001:db8::1/64", flags: ["nodad"] });
      const batch = conn.batch();
      for (let i = 0; i < routes; i++) {
        batch.addRoute({
          dst: `172.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`,
          gateway: "10.0.0.2",
          dev: "p0",
        });
        batch.addRoute({
          dst: `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::/64`,
          gateway: "2001:db8::2",
          dev: "p0",
        });
      }
      const result = await batch.execute();
      if (!result.ok) throw new Error(`bench: ${result.failures.length} route adds failed`);
    }
    console.log(`\nCLI targets (issue 6), wall time of the whole process, ${runs} runs of each, alternating`);
    if (fifo) console.log("  (each command under SCHED_FIFO: other load on the machine does not count)");
    console.log(`  Deno's own start-up, an empty program: ${ms(await denoStartMs(runs * 2 + 1, fifo))} (the floor)`);
    const floor = [Deno.execPath(), "run", "-A", ROUTE_JSON_FLOOR, big];
    await sameOutput(floor, ["ip", "-n", big, "-j", "route", "show"]);
    const routesJson = await pair(["-n", big, "-j", "route", "show"], runs, fifo, floor);
    const ours = report(`ip -j route show, ${routes} routes (target: not slower than iproute2)`, routesJson);
    console.log(`    target ${ours <= median(routesJson.theirs.wall) ? "met" : "not met"} on this run`);
    report(`ip route show, ${routes} routes`, await pair(["-n", big, "route", "show"], runs, fifo));
    report(
      `ip -j -6 route show, ${routes} IPv6 routes`,
      await pair(["-n", big, "-j", "-6", "route", "show"], runs, fifo),
    );
    const startRuns = Math.max(21, 4 * runs);
    const start = report(
      `ip link show, namespace with only lo, ${startRuns} runs (target: under ${STARTUP_TARGET_MS} ms)`,
      await pair(["-n", small, "link", "show"], startRuns, fifo),
    );
    console.log(`    start-up target ${start < STARTUP_TARGET_MS ? "met" : "not met"} on this run`);
  } finally {
    await deleteNetns(big);
    await deleteNetns(small);
  }
}

if (import.meta.main) {
  if (Deno.uid() !== 0) {
    console.error("bench/cli.ts: needs root (it builds network namespaces)");
    Deno.exit(1);
  }
  const opt = (name: string) => {
    const i = Deno.args.indexOf(name);
    return i >= 0 ? Number(Deno.args[i + 1]) : undefined;
  };
  await benchCli({ routes: opt("--routes"), runs: opt("--runs"), fifo: !Deno.args.includes("--no-fifo") });
}
