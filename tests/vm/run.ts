/**
 * `deno task test:vm`: the kernel tests (tests/kernel/) in a qemu guest that
 * boots Debian's stock kernel, where the modules a minimal host kernel lacks
 * (dummy, 8021q, wireguard, sch_netem, cls_flower, act_gact, …) exist.
 *
 * ```
 * deno task test:vm [--ci] [--timeout=SECONDS] [--deadline=UNIX_SECONDS] [--cpus=N] [--memory=MIB] [-- DENO_TEST_ARGS…]
 * ```
 *
 * The guest shares the checkout, the deno binary and its cache with the
 * host over 9p and runs one `deno test -A tests/kernel/` (or
 * `deno test -A DENO_TEST_ARGS…`). Exits with the guest's test exit code;
 * 77 when the lane cannot run on this machine (no qemu and no way to
 * install it, no Debian archive) — with `--ci` that is a skip, exit 0;
 * 124 when the guest timed out; 125 when it gave no result.
 *
 * `--deadline` (CI passes the end of its 15-minute budget) caps the guest's
 * time, and orders the test files so that those with a test the host kernel
 * skips (a feature it lacks, probed here as tests/_lib/netns.ts probes it)
 * run first: they are what this lane exists for. When the deadline stops the
 * guest, the lane reports how far it got, names the files it did not reach,
 * and with `--ci` exits 0 unless a test failed (1): a slow machine (TCG
 * emulation runs the guest 10-20x slower than the host) then runs part of
 * the lane instead of failing the CI for the time it took.
 *
 * @module
 */
import { ensureHostPackages } from "./apt.ts";
import { cacheRoot } from "./cache.ts";
import { exec, LaneUnavailable } from "./exec.ts";
import { ensureInitramfs } from "./initramfs.ts";
import { ensureKernel } from "./kernel.ts";
import { bootGuest } from "./qemu.ts";

const EXIT_UNAVAILABLE = 77;
const EXIT_TIMEOUT = 124;
const EXIT_NO_RESULT = 125;

interface Options {
  ci: boolean;
  timeoutSeconds: number;
  /** Unix time (s) by which the guest must be done (`--deadline`), if any. */
  deadline?: number;
  cpus: number;
  memoryMiB: number;
  testArgs: string[];
}

function parseOptions(args: string[]): Options {
  const o: Options = { ci: false, timeoutSeconds: 600, cpus: 2, memoryMiB: 2048, testArgs: [] };
  const number = (a: string) => {
    const n = Number(a.slice(a.indexOf("=") + 1));
    if (!Number.isInteger(n) || n <= 0) usage(`${a}: expected a positive integer`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") o.testArgs.push(...args.slice(i + 1)), i = args.length;
    else if (a === "--ci") o.ci = true;
    else if (a.startsWith("--timeout=")) o.timeoutSeconds = number(a);
    else if (a.startsWith("--deadline=")) o.deadline = number(a);
    else if (a.startsWith("--cpus=")) o.cpus = number(a);
    else if (a.startsWith("--memory=")) o.memoryMiB = number(a);
    else if (a === "-h" || a === "--help") usage();
    else if (!a.startsWith("-")) o.testArgs.push(a); // a test file or directory
    else usage(`unknown option ${a} (deno test options go after --)`);
  }
  return o;
}

function usage(error?: string): never {
  if (error) console.error(`nlink-vm: ${error}`);
  console.error(
    "usage: deno task test:vm [--ci] [--timeout=SECONDS] [--deadline=UNIX_SECONDS] [--cpus=N] [--memory=MIB] " +
      "[-- DENO_TEST_ARGS…]",
  );
  Deno.exit(error ? 2 : 0);
}

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const log = (msg: string) => console.log(`nlink-vm: [${elapsed()}] ${msg}`);

async function main(o: Options): Promise<number> {
  const repo = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
  const deno = Deno.execPath();
  const denoDir: string = JSON.parse((await exec(deno, ["info", "--json"], { cwd: repo })).stdout).denoDir;

  const packages = await ensureHostPackages();
  log(`host packages ready (qemu ${packages["qemu-system-x86"]})`);
  const kernel = await ensureKernel(`${cacheRoot()}/kernel`);
  const { name, version } = kernel.package;
  log(`kernel ${kernel.release} (${name} ${version}, ${kernel.built ? "built" : "cached"})`);
  const initramfs = await ensureInitramfs(`${cacheRoot()}/initramfs`, { kernel, packages, deno });
  log(`initramfs ${initramfs.built ? "built" : "cached"}: ${initramfs.path}`);

  // With a deadline, the files whose tests need what the host kernel lacks run first.
  const files = o.testArgs.length > 0
    ? o.testArgs
    : o.deadline === undefined
    ? ["tests/kernel/"]
    : await byHostNeeds(repo);
  // Type-check on the host, into the cache the guest reads: the guest's
  // `deno test` then finds the result instead of type-checking under TCG (~40 s).
  const testArgs = ["test", "-A", ...files];
  const check = await exec(deno, [...testArgs, "--no-run"], { cwd: repo, allowFail: true });
  if (check.code !== 0) {
    console.error(check.stdout + check.stderr);
    log(`deno test --no-run failed on the host (exit ${check.code}); not booting`);
    return check.code;
  }
  log("type-checked on the host");

  // The control share: the run's settings in, the exit code out.
  const ctl = await Deno.makeTempDir({ prefix: "nlink-vm-" });
  try {
    await writeGuestEnv(`${ctl}/env`, {
      NLINK_VM: "1", // tests/_lib/netns.ts: a missing module fails here instead of skipping
      NLINK_VM_REPO: repo,
      NLINK_VM_DENO: deno,
      NLINK_VM_DENO_DIR: denoDir,
      ...(Deno.stdout.isTerminal() ? {} : { NO_COLOR: "1" }),
    }, testArgs);
    const left = o.deadline === undefined ? Infinity : Math.floor(o.deadline - Date.now() / 1000);
    const timeoutSeconds = Math.min(o.timeoutSeconds, left);
    if (timeoutSeconds < 60) {
      log(`only ${timeoutSeconds} s left before the deadline: not booting`);
      return o.ci ? 0 : EXIT_TIMEOUT;
    }
    const shown = files.length > 3 ? [...files.slice(0, 3), `… (${files.length} files)`] : files;
    log(
      `booting (TCG, ${o.cpus} CPUs, ${o.memoryMiB} MiB, ${timeoutSeconds} s at most): deno test -A ${shown.join(" ")}`,
    );
    const watch = watchConsole();
    const end = await bootGuest({
      vmlinux: kernel.vmlinux,
      initramfs: initramfs.path,
      cpus: o.cpus,
      memoryMiB: o.memoryMiB,
      timeoutSeconds,
      // Mounted in the guest at the same paths as here (see guest_init.sh), so
      // that module URLs, and with them deno's cache keys, are the same.
      shares: [
        { tag: "ctl", path: ctl },
        { tag: "modules", path: kernel.modules, readonly: true },
        { tag: "repo", path: repo, readonly: true },
        { tag: "deno", path: deno.slice(0, deno.lastIndexOf("/")), readonly: true },
        { tag: "denodir", path: denoDir, readonly: true },
      ],
      onLine: watch.onLine,
    });
    if (watch.reached) log(`the guest reached the tests at ${watch.reached}`);
    if (watch.summary) log(`guest summary: ${watch.summary}`);
    if (end.timedOut && timeoutSeconds < o.timeoutSeconds) {
      // Stopped by the deadline: report how far the lane got.
      const reached = new Set(watch.files);
      const missed = files.filter((f) => !reached.has(f.replace(/^(\.\/)?/, "./")));
      log(
        `the deadline stopped the guest after ${timeoutSeconds} s: ${watch.files.length} of ${files.length} test ` +
          `files started, ${watch.passed} tests passed, ${watch.failed} failed, ${watch.ignored} ignored`,
      );
      log(
        `not run here (deno task test:vm runs them): ${missed.map((f) => f.replace(/^tests\/kernel\//, "")).join(" ")}`,
      );
      if (watch.failed > 0) return 1;
      return o.ci ? 0 : EXIT_TIMEOUT;
    }
    if (end.timedOut) {
      log(`the guest did not finish within ${o.timeoutSeconds} s (--timeout); killed`);
      return EXIT_TIMEOUT;
    }
    const code = await Deno.readTextFile(`${ctl}/exit-code`).then((t) => parseInt(t, 10), () => NaN);
    if (Number.isNaN(code)) {
      log(`the guest gave no result (qemu exited with ${end.status.code})`);
      return EXIT_NO_RESULT;
    }
    log(`guest deno test exited with ${code}`);
    return code;
  } finally {
    await Deno.remove(ctl, { recursive: true });
  }
}

/**
 * tests/kernel/'s files, those with a test that needs a feature this (host)
 * kernel lacks first, each group in name order. The needs are read from the
 * files' `needs: [...]` lists and probed as the tests probe them.
 */
async function byHostNeeds(repo: string): Promise<string[]> {
  const { probeFeature } = await import("../_lib/netns.ts");
  const files: { path: string; needs: string[] }[] = [];
  for await (const e of Deno.readDir(`${repo}/tests/kernel`)) {
    if (!e.name.endsWith("_test.ts")) continue;
    const text = await Deno.readTextFile(`${repo}/tests/kernel/${e.name}`);
    const needs = [...text.matchAll(/needs:\s*\[([^\]]*)\]/g)].flatMap((m) =>
      [...m[1].matchAll(/"([^"]+)"/g)].map((n) => n[1])
    );
    files.push({ path: `tests/kernel/${e.name}`, needs: [...new Set(needs)] });
  }
  const lacking = new Map<string, boolean>();
  for (const n of new Set(files.flatMap((f) => f.needs))) lacking.set(n, (await probeFeature(n)) !== undefined);
  const first = (f: { needs: string[] }) => f.needs.some((n) => lacking.get(n)) ? 0 : 1;
  files.sort((a, b) => first(a) - first(b) || a.path.localeCompare(b.path));
  log(`${files.filter((f) => first(f) === 0).length} of ${files.length} test files have a test the host kernel skips`);
  return files.map((f) => f.path);
}

/** The env file guest_init.sh sources: exported variables, then the deno arguments as "$@". */
async function writeGuestEnv(path: string, vars: Record<string, string>, denoArgs: string[]): Promise<void> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const lines = Object.entries(vars).map(([k, v]) => `export ${k}=${quote(v)}`);
  lines.push(`set -- ${denoArgs.map(quote).join(" ")}`);
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
}

/** Echoes the guest's console and notes when the tests start and deno test's summary line. */
function watchConsole() {
  const state = {
    reached: undefined as string | undefined,
    summary: undefined as string | undefined,
    /** The test files started, as deno test names them (`./tests/kernel/x_test.ts`). */
    files: [] as string[],
    passed: 0,
    failed: 0,
    ignored: 0,
    onLine(raw: string) {
      // A terminal shows what follows the last carriage return: deno rewrites
      // a test's "name ..." line with its result that way.
      const line = raw.slice(raw.lastIndexOf("\r") + 1);
      // deno-lint-ignore no-control-regex -- matching the ESC of colour codes is the point
      const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
      if (/^\[ *[\d.]+\] reboot: Power down$/.test(plain)) return; // the kernel's last word, always the same
      console.log(line);
      const file = /^running \d+ tests? from (\S+)/.exec(plain);
      if (file) {
        state.reached ??= elapsed();
        state.files.push(file[1]);
      }
      if (/ \.\.\. ok \(/.test(plain)) state.passed++;
      else if (/ \.\.\. FAILED \(/.test(plain)) state.failed++;
      else if (/ \.\.\. ignored \(/.test(plain)) state.ignored++;
      if (/^(ok|FAILED) \| \d+ passed/.test(plain)) state.summary = plain;
    },
  };
  return state;
}

if (import.meta.main) {
  const options = parseOptions(Deno.args);
  let code: number;
  try {
    code = await main(options);
  } catch (e) {
    if (!(e instanceof LaneUnavailable)) throw e;
    log(`cannot run the VM lane here: ${e.message}`);
    code = EXIT_UNAVAILABLE;
    if (options.ci) {
      log("skipped (--ci)");
      code = 0;
    }
  }
  Deno.exit(code);
}
