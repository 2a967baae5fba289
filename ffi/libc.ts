/**
 * The one place nlink calls `Deno.dlopen`: the libc symbols it needs, opened on
 * first use, and errno.
 *
 * All symbols run synchronously on the calling thread except `epoll_wait`, which
 * runs on Deno's blocking pool (`nonblocking: true`) so that waiting never blocks
 * the event loop (only the reactor calls it), and `sendto_pool`, a `sendto` on that
 * pool, so that the kernel's work on a large batch overlaps JS (only
 * `NetlinkSocket.sendOnPool` calls it).
 *
 * @module
 */
import { NetlinkError, PermissionError } from "../src/core/errors.ts";

const SYMBOLS = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
  getsockopt: { parameters: ["i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  sendto: { parameters: ["i32", "buffer", "usize", "i32", "buffer", "u32"], result: "isize" },
  // The same call on Deno's blocking pool: the kernel works through a large batch there while
  // JS prepares the next one. errno is that pool thread's, unreadable here. Only NetlinkSocket
  // .sendOnPool calls it.
  sendto_pool: {
    name: "sendto",
    parameters: ["i32", "buffer", "usize", "i32", "buffer", "u32"],
    result: "isize",
    nonblocking: true,
  },
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  // With the control messages that carry a notification's source namespace id (NETLINK_LISTEN_ALL_NSID).
  // Only NetlinkSocket.recvWithNsid calls it.
  recvmsg: { parameters: ["i32", "buffer", "i32"], result: "isize" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  write: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  open: { parameters: ["buffer", "i32", "u32"], result: "i32" },
  mkdir: { parameters: ["buffer", "u32"], result: "i32" },
  unlink: { parameters: ["buffer"], result: "i32" },
  epoll_create1: { parameters: ["i32"], result: "i32" },
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32", nonblocking: true },
  eventfd: { parameters: ["u32", "i32"], result: "i32" },
  setns: { parameters: ["i32", "i32"], result: "i32" },
  unshare: { parameters: ["i32"], result: "i32" },
  mount: { parameters: ["buffer", "buffer", "buffer", "usize", "pointer"], result: "i32" },
  umount2: { parameters: ["buffer", "i32"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
  // ioctl(2) is variadic; integer and pointer arguments travel in the same registers, so one
  // declaration per argument kind is enough. Only ffi/tun.ts calls them.
  ioctl: { parameters: ["i32", "u64", "buffer"], result: "i32" },
  ioctl_int: { name: "ioctl", parameters: ["i32", "u64", "u64"], result: "i32" },
  // bpf(2) has no glibc wrapper: syscall(SYS_bpf, cmd, attr, size). Only ffi/bpf.ts calls it.
  syscall: { parameters: ["i64", "i64", "buffer", "u32"], result: "i64" },
  // Replacing the process with a command (`ip vrf exec`): argv is a NULL-terminated array of
  // char pointers. signal(2) puts back SIGPIPE's default, which Deno ignores and exec would keep.
  execvp: { parameters: ["buffer", "buffer"], result: "i32" },
  signal: { parameters: ["i32", "pointer"], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The typed libc symbols. */
export type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

type SymbolName = keyof typeof SYMBOLS;

/**
 * Symbols that most programs never call, in groups opened together on first
 * use: `Deno.dlopen` costs about 0.1 ms per symbol, which a short-lived
 * program such as `ip link show` would otherwise pay for all of them at
 * start-up. Every other symbol (the netlink socket's) opens with `libc()`.
 */
const LAZY_GROUPS: readonly (readonly SymbolName[])[] = [
  ["epoll_create1", "epoll_ctl", "epoll_wait", "eventfd", "read", "write"], // the reactor: only once a request waits
  ["getsockname", "getsockopt"], // a socket's port id and buffer size: batches and event streams
  ["sendto_pool"], // large batches
  ["recvmsg"], // event streams that listen to every namespace with an id (`ip monitor all-nsid`)
  ["open", "setns"], // entering a network namespace (`ip -n NS …`)
  ["unshare", "mount", "umount2", "mkdir", "unlink"], // making and deleting named namespaces
  ["ioctl", "ioctl_int"], // TUN/TAP
  ["syscall"], // bpf(2)
  ["execvp", "signal"], // `ip vrf exec`
];

let lib: Libc | undefined;
let errnoView: Deno.UnsafePointerView | undefined;

/** Opens some of the symbols; a denied `--allow-ffi` becomes a {@linkcode PermissionError} naming the flag. */
function open(names: readonly SymbolName[]): Record<string, unknown> {
  const wanted: Record<string, Deno.ForeignFunction> = {};
  for (const name of names) wanted[name] = SYMBOLS[name];
  try {
    return Deno.dlopen("libc.so.6", wanted).symbols;
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      throw new PermissionError("--allow-ffi", "open netlink sockets through libc", e);
    }
    throw e;
  }
}

/**
 * The libc symbols, opened on first use (the rarely used ones in groups, on
 * first use of the group). Throws a {@linkcode PermissionError} naming
 * `--allow-ffi` when Deno denies FFI.
 *
 * @example
 * ```ts ignore
 * import { libc } from "./libc.ts";
 * const fd = libc().socket(16, 3, 0);
 * ```
 */
export function libc(): Libc {
  if (lib) return lib;
  const lazy = new Set<string>(LAZY_GROUPS.flat());
  const symbols = open((Object.keys(SYMBOLS) as SymbolName[]).filter((name) => !lazy.has(name)));
  for (const group of LAZY_GROUPS) {
    let opened: Record<string, unknown> | undefined;
    for (const name of group) {
      Object.defineProperty(symbols, name, { get: () => (opened ??= open(group))[name], enumerable: true });
    }
  }
  const opened = symbols as Libc;
  const loc = opened.__errno_location();
  if (loc === null) throw new Error("__errno_location() returned NULL");
  errnoView = new Deno.UnsafePointerView(loc);
  return lib = opened;
}

/**
 * The calling thread's errno. Read it right after the failing call: nothing
 * between the call and the read may run another system call on this thread.
 *
 * @example
 * ```ts ignore
 * import { errno, libc } from "./libc.ts";
 * if (libc().socket(99, 3, 0) < 0) console.log(errno()); // 97
 * ```
 */
export function errno(): number {
  return errnoView!.getInt32(0);
}

/**
 * Throws a {@linkcode NetlinkError} for the current errno when `result` is
 * negative; otherwise returns it as a number.
 *
 * @example
 * ```ts ignore
 * import { check, libc } from "./libc.ts";
 * const fd = check(libc().socket(16, 3, 0), "socket");
 * ```
 */
export function check(result: number | bigint, operation: string): number {
  const n = Number(result);
  if (n < 0) throw NetlinkError.fromErrno(errno(), { operation });
  return n;
}

const encoder = new TextEncoder();

/**
 * A NUL-terminated copy of a string, for `char *` parameters.
 *
 * @example
 * ```ts
 * import { cString } from "./libc.ts";
 * cString("lo").length; // 3
 * ```
 */
export function cString(s: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(encoder.encode(s).length + 1);
  encoder.encodeInto(s, bytes);
  return bytes;
}
