/**
 * Replacing this process with a command (execvp), as `ip vrf exec` does after
 * moving itself into a cgroup, and opening a directory fd (a cgroup to attach
 * a BPF program to).
 *
 * execve from Deno's main thread ends every other thread (the kernel does
 * that), keeps fds 0–2 (the caller's stdio) and drops the close-on-exec ones
 * (all that Deno and nlink open). The thread's network namespace carries over,
 * so a command can be started in another namespace by exec'ing inside
 * {@linkcode inNetns}.
 *
 * @module
 */
import { cString, errno, libc } from "./libc.ts";
import { inNetns } from "./namespace.ts";
import { cTable } from "../src/core/ctable.ts";
import { NetlinkError, ValidationError } from "../src/core/errors.ts";

/** open(2) flags for a directory (<fcntl.h>). */
const O_DIR = cTable("fcntl.h", "O_", { RDONLY: 0, DIRECTORY: 0o200000, CLOEXEC: 0o2000000 });

/** SIGPIPE (<signal.h>): Deno ignores it, and an ignored signal stays ignored across exec. */
const SIG = cTable("signal.h", "", { SIGPIPE: 13 });

/**
 * Opens a directory read-only and close-on-exec (a cgroup v2 group for
 * BPF_PROG_ATTACH); close it with `bpfClose` or `closeFd`.
 *
 * @example
 * ```ts ignore
 * import { openDirectory } from "./exec.ts";
 * const fd = openDirectory("/sys/fs/cgroup/vrf/blue");
 * ```
 */
export function openDirectory(path: string): number {
  const fd = libc().open(cString(path), O_DIR.RDONLY | O_DIR.DIRECTORY | O_DIR.CLOEXEC, 0);
  if (fd < 0) throw NetlinkError.fromErrno(errno(), { operation: `open ${path}` });
  return fd;
}

/**
 * Replaces the process with `argv[0]` (looked up in PATH) run with `argv`,
 * inside the network namespace `netnsFd` when given. Returns only when the
 * exec fails, by throwing a {@linkcode NetlinkError} (operation `execvp`,
 * e.g. ENOENT for an unknown command).
 *
 * @example
 * ```ts ignore
 * import { execCommand } from "./exec.ts";
 * execCommand(["ping", "-c1", "10.0.0.1"]);
 * ```
 */
export function execCommand(argv: readonly string[], netnsFd?: number): never {
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== "string" || a.includes("\0"))) {
    throw new ValidationError("argv", argv, "expected a non-empty list of strings without NUL");
  }
  // Strings and the pointer array in buffers V8 does not move (not small on-heap typed arrays).
  const strings = argv.map((a) => {
    const c = cString(a);
    const b = new Uint8Array(new ArrayBuffer(c.length));
    b.set(c);
    return b;
  });
  const pointers = new BigUint64Array(new ArrayBuffer((argv.length + 1) * 8));
  strings.forEach((s, i) => pointers[i] = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(s))));
  const c = libc();
  const exec = () => {
    const before = c.signal(SIG.SIGPIPE, null);
    c.execvp(strings[0], new Uint8Array(pointers.buffer));
    const failed = errno();
    c.signal(SIG.SIGPIPE, before); // still this process: Deno's setting back
    throw NetlinkError.fromErrno(failed, { operation: "execvp" });
  };
  if (netnsFd === undefined) return exec();
  return inNetns(netnsFd, exec);
}

/**
 * Mounts a cgroup v2 file system at `target` (an existing directory), as
 * iproute2 does when none is mounted. EBUSY (already mounted there) counts
 * as success; other failures are {@linkcode NetlinkError}s (ENODEV: no cgroup
 * support in the kernel).
 *
 * @example
 * ```ts ignore
 * import { mountCgroup2 } from "./exec.ts";
 * mountCgroup2("/var/run/cgroup2");
 * ```
 */
export function mountCgroup2(target: string): void {
  const type = cString("cgroup2");
  if (libc().mount(cString("none"), cString(target), type, 0n, null) < 0) {
    const e = errno();
    if (e !== EBUSY) throw NetlinkError.fromErrno(e, { operation: `mount cgroup2 on ${target}` });
  }
}

const EBUSY = 16;
