/**
 * `ss -tan` over 10,000 TCP sockets (5,000 connected pairs on loopback, held
 * by a python3 helper inside a fresh namespace): our `ss` beside iproute2's
 * in the same run, alternately, median and minimum wall time of the whole
 * process (Deno's start-up included) and the ratio (target: not slower). The
 * two outputs are checked to be equal first. A third process runs alongside:
 * the floor (bench/floors/ss_dump.ts), a Deno program that only dumps the same
 * sockets through nlink's socket and counts them, so the report shows what any
 * Deno program could reach here.
 *
 * Run alone (`deno run -A bench/ss.ts [--pairs N] [--runs N]`, as root) or
 * from `deno task bench`, which calls {@linkcode benchSs}.
 *
 * @module
 */
import { addNetns, deleteNetns, spawnInNetns } from "../mod.ts";
import { SockDiagConnection } from "../src/sockdiag/mod.ts";
import { denoStartMs } from "./cli.ts";
import { builtCli, median, ourTool, timeCommand } from "./timing.ts";

const FLOOR = new URL("./floors/ss_dump.ts", import.meta.url).pathname;

/** Options for {@linkcode benchSs}. */
export interface SsBenchOptions {
  /** Connected pairs (two sockets each; default 5,000). */
  pairs?: number;
  /** Timed runs of each command (default 5). */
  runs?: number;
}

const HELPER = String.raw`
import resource, socket, sys
n = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_NOFILE, (2 * n + 100, 2 * n + 100))
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 8080)); l.listen(1024)
keep = []
for i in range(n):
    c = socket.socket(); c.connect(("127.0.0.1", 8080))
    a, _ = l.accept()
    keep.append((c, a))
print("ready", flush=True)
sys.stdin.read()
`;

async function text(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
  return new TextDecoder().decode(out.stdout);
}

/**
 * Runs the benchmark and prints its lines.
 *
 * @example
 * ```ts ignore
 * await benchSs({ pairs: 5000, runs: 5 });
 * ```
 */
export async function benchSs(options: SsBenchOptions = {}): Promise<void> {
  const pairs = options.pairs ?? 5000, runs = options.runs ?? 5;
  const ns = `nlbench-${Deno.pid}-ss`;
  await addNetns(ns);
  let child: Deno.ChildProcess | undefined;
  try {
    await new Deno.Command("ip", { args: ["-n", ns, "link", "set", "lo", "up"] }).output();
    child = spawnInNetns(ns, "python3", {
      args: ["-c", HELPER, String(pairs)],
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    });
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let got = "";
    while (!got.includes("ready")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the socket helper exited early");
      got += value;
    }
    const deno = Deno.execPath();
    const args = ["-N", ns, "-tan"];
    // The published build, with `deno task ss`'s flags.
    const ss = ourTool("ss", await builtCli());
    const ours = () => timeCommand(deno, [...ss, ...args]);
    const theirs = () => timeCommand("ss", args);
    const floor = () => timeCommand(deno, ["run", "-A", FLOOR, ns]);
    const [a, b] = await Promise.all([text(deno, [...ss, ...args]), text("ss", args)]);
    const lines = b.split("\n").length - 2;
    const same = a === b;
    await ours(); // compiles and caches our modules: a user's first run is not the one measured
    await theirs();
    await floor();
    const o: number[] = [], t: number[] = [], f: number[] = [];
    for (let i = 0; i < runs; i++) {
      o.push(await ours());
      t.push(await theirs());
      f.push(await floor());
    }
    const mo = median(o), mt = median(t), mf = median(f);
    // Where our time goes: Deno's own start-up, and the library's dump of the same sockets in this (warm) process.
    const start = await denoStartMs(runs, false);
    using diag = SockDiagConnection.open({ netns: ns });
    const dump = () => diag.getInetSockets({ protocol: "tcp", family: "inet" });
    await dump();
    const d: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await dump();
      d.push(performance.now() - t0);
    }
    const fmt = (ms: number) => `${ms.toFixed(1).padStart(8)} ms`;
    console.log(`\nss -tan over ${lines} TCP sockets (median of ${runs}, min in brackets; outputs equal: ${same})`);
    console.log(`  iproute2 ss -tan            ${fmt(mt)} (${Math.min(...t).toFixed(1)})`);
    console.log(
      `  nlink CLI ss -tan           ${fmt(mo)} (${Math.min(...o).toFixed(1)})   ${(mo / mt).toFixed(2)}x of iproute2`,
    );
    console.log(`  of which: Deno's start-up  ${fmt(start)}   (an empty program)`);
    console.log(`  library dump, decoded      ${fmt(median(d))}   (warm, in process)`);
    console.log(
      `  Deno floor                 ${fmt(mf)} (${Math.min(...f).toFixed(1)})   ${(mf / mt).toFixed(2)}x of iproute2 ` +
        `(a process that only dumps and counts the sockets: ${
          mf > mt ? "slower than iproute2, so no Deno program meets the target here" : "faster than iproute2"
        })`,
    );
  } finally {
    if (child) {
      await child.stdin.close().catch(() => {});
      await child.status;
    }
    await deleteNetns(ns);
  }
}

if (import.meta.main) {
  const opt = (name: string, dflt: number) => {
    const i = Deno.args.indexOf(name);
    return i >= 0 ? Number(Deno.args[i + 1]) : dflt;
  };
  await benchSs({ pairs: opt("--pairs", 5000), runs: opt("--runs", 5) });
}
