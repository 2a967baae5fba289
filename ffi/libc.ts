/**
 * The one place nlink calls `Deno.dlopen`: the libc symbols it needs, opened on
 * first use, and errno.
 *
 * All symbols run synchronously on the calling thread except `epoll_wait`, which
 * runs on Deno's blocking pool (`nonblocking: true`) so that waiting never blocks
 * the event loop. Only the reactor calls it.
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
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
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
  // bpf(2) has no glibc wrapper: syscall(SYS_bpf, cmd, attr, size). Only ffi/bpf.ts calls it.
  syscall: { parameters: ["i64", "i64", "buffer", "u32"], result: "i64" },
} as const satisfies Deno.ForeignLibraryInterface;

/** The typed libc symbols. */
export type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let lib: Libc | undefined;
let errnoView: Deno.UnsafePointerView | undefined;

/**
 * The libc symbols, opened on first use. Throws a {@linkcode PermissionError}
 * naming `--allow-ffi` when Deno denies FFI.
 *
 * @example
 * ```ts ignore
 * import { libc } from "./libc.ts";
 * const fd = libc().socket(16, 3, 0);
 * ```
 */
export function libc(): Libc {
  if (lib) return lib;
  let opened: Deno.DynamicLibrary<typeof SYMBOLS>;
  try {
    opened = Deno.dlopen("libc.so.6", SYMBOLS);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      throw new PermissionError("--allow-ffi", "open netlink sockets through libc", e);
    }
    throw e;
  }
  lib = opened.symbols;
  const loc = lib.__errno_location();
  if (loc === null) throw new Error("__errno_location() returned NULL");
  errnoView = new Deno.UnsafePointerView(loc);
  return lib;
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
