/**
 * Network-namespace system calls: open a namespace file, run a synchronous
 * function inside a namespace, create one, bind-mount and unmount.
 *
 * `setns` moves only the calling thread. nlink creates its sockets on the JS main
 * thread, so {@linkcode inNetns} switches that thread, runs the (synchronous)
 * callback, and always switches back — also when the callback throws. A socket
 * stays in the namespace it was created in, whichever thread reads it later.
 *
 * @module
 */
import { check, cString, errno, libc } from "./libc.ts";
import { CLONE, MOUNT, O } from "./constants.ts";
import { NetlinkError } from "../src/core/errors.ts";

/** The calling thread's own network namespace file. */
export const THREAD_NETNS = "/proc/thread-self/ns/net";

/**
 * Opens a namespace file (e.g. `/var/run/netns/blue`, `/proc/1234/ns/net`) and
 * returns its file descriptor (close it with {@linkcode closeFd}).
 *
 * @example
 * ```ts ignore
 * import { closeFd, openNamespace } from "./namespace.ts";
 * const fd = openNamespace("/proc/self/ns/net");
 * closeFd(fd);
 * ```
 */
export function openNamespace(path: string): number {
  const fd = libc().open(cString(path), O.RDONLY | O.CLOEXEC, 0);
  if (fd < 0) throw NetlinkError.fromErrno(errno(), { operation: `open ${path}` });
  return fd;
}

/**
 * Closes a file descriptor opened by this module.
 *
 * @example
 * ```ts ignore
 * import { closeFd } from "./namespace.ts";
 * closeFd(fd);
 * ```
 */
export function closeFd(fd: number): void {
  libc().close(fd);
}

/**
 * Runs `fn` with the calling thread inside the network namespace `nsFd`, then
 * returns the thread to its own namespace, even when `fn` throws. `fn` must be
 * synchronous: an `await` would let other code run in the wrong namespace.
 *
 * @example
 * ```ts ignore
 * import { inNetns, openNamespace } from "./namespace.ts";
 * const ns = openNamespace("/var/run/netns/blue");
 * const fd = inNetns(ns, () => createSocket());
 * ```
 */
export function inNetns<T>(nsFd: number, fn: () => T): T {
  return awayFromHome(() => check(libc().setns(nsFd, CLONE.NEWNET), "setns"), fn);
}

/**
 * Runs `fn` inside a brand-new network namespace (unshare), then returns the
 * thread to the namespace it was in. The new namespace lives on only if `fn`
 * pins it (e.g. by bind-mounting {@linkcode THREAD_NETNS}) or keeps a socket open in it.
 *
 * @example
 * ```ts ignore
 * import { inNewNetns, bindMount, THREAD_NETNS } from "./namespace.ts";
 * inNewNetns(() => bindMount(THREAD_NETNS, "/var/run/netns/blue"));
 * ```
 */
export function inNewNetns<T>(fn: () => T): T {
  return awayFromHome(() => check(libc().unshare(CLONE.NEWNET), "unshare(CLONE_NEWNET)"), fn);
}

/**
 * Remembers the thread's namespace, `leave`s it, runs `fn`, and returns home
 * whatever happens (when `leave` itself fails, the thread never left).
 */
function awayFromHome<T>(leave: () => void, fn: () => T): T {
  const home = openNamespace(THREAD_NETNS);
  try {
    leave();
    try {
      return fn();
    } finally {
      restore(home);
    }
  } finally {
    libc().close(home);
  }
}

function restore(home: number): void {
  if (libc().setns(home, CLONE.NEWNET) < 0) {
    // The thread is stranded in a foreign namespace: everything it would do next
    // would act on the wrong network. Refuse to continue.
    const e = errno();
    throw NetlinkError.fromErrno(e, {
      operation: "setns back to the original network namespace (the thread is stranded)",
    });
  }
}

/**
 * `mount --bind source target` (with MS_REC when `recursive`).
 *
 * @example
 * ```ts ignore
 * import { bindMount } from "./namespace.ts";
 * bindMount("/proc/thread-self/ns/net", "/var/run/netns/blue");
 * ```
 */
export function bindMount(source: string, target: string, recursive = false): void {
  const flags = MOUNT.MS_BIND | (recursive ? MOUNT.MS_REC : 0);
  const r = libc().mount(cString(source), cString(target), cString("none"), BigInt(flags), null);
  check(r, `mount --bind ${source} ${target}`);
}

/**
 * Marks a mount point shared, recursively (`mount --make-rshared`). Returns
 * false with errno EINVAL when `path` is not a mount point.
 *
 * @example
 * ```ts ignore
 * import { makeShared } from "./namespace.ts";
 * makeShared("/var/run/netns");
 * ```
 */
export function makeShared(path: string): boolean {
  const flags = MOUNT.MS_SHARED | MOUNT.MS_REC;
  const r = libc().mount(cString("none"), cString(path), cString("none"), BigInt(flags), null);
  if (r === 0) return true;
  const e = errno();
  if (e === 22) return false;
  throw NetlinkError.fromErrno(e, { operation: `mount --make-rshared ${path}` });
}

/**
 * `umount -l path` (MNT_DETACH). Returns the errno (0 on success) so callers can
 * ignore EINVAL (not mounted).
 *
 * @example
 * ```ts ignore
 * import { unmountDetach } from "./namespace.ts";
 * unmountDetach("/var/run/netns/blue");
 * ```
 */
export function unmountDetach(path: string): number {
  return libc().umount2(cString(path), MOUNT.MNT_DETACH) === 0 ? 0 : errno();
}

/**
 * Creates an empty file (the mount point of a named namespace); fails with
 * EEXIST if it exists.
 *
 * @example
 * ```ts ignore
 * import { createFile } from "./namespace.ts";
 * createFile("/var/run/netns/blue");
 * ```
 */
export function createFile(path: string): void {
  const c = libc();
  const fd = c.open(cString(path), O.RDONLY | O.CREAT | O.EXCL | O.CLOEXEC, 0);
  if (fd < 0) throw NetlinkError.fromErrno(errno(), { operation: `create ${path}` });
  c.close(fd);
}

/**
 * `mkdir path mode`; an existing directory is fine.
 *
 * @example
 * ```ts ignore
 * import { makeDirectory } from "./namespace.ts";
 * makeDirectory("/var/run/netns", 0o755);
 * ```
 */
export function makeDirectory(path: string, mode: number): void {
  if (libc().mkdir(cString(path), mode) < 0) {
    const e = errno();
    if (e !== 17) throw NetlinkError.fromErrno(e, { operation: `mkdir ${path}` });
  }
}

/**
 * `unlink path`; returns the errno (0 on success).
 *
 * @example
 * ```ts ignore
 * import { removeFile } from "./namespace.ts";
 * removeFile("/var/run/netns/blue");
 * ```
 */
export function removeFile(path: string): number {
  return libc().unlink(cString(path)) === 0 ? 0 : errno();
}
