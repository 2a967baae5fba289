/**
 * The sockets this process holds: the Deno runtime's own unix socketpair,
 * and the tool's netlink sockets. iproute2's ss, a C program, has no such
 * socketpair and reads the summary before it opens any socket, so ss's
 * output leaves these out: the pair is not listed, and none of them counts
 * in the summary's total.
 *
 * @module
 */

/**
 * The inodes of the sockets among this process's file descriptors
 * (/proc/self/fd); empty when they cannot be read.
 *
 * @example
 * ```ts ignore
 * import { ownSocketInodes } from "./own_sockets.ts";
 * ownSocketInodes().size; // 2: the runtime's socketpair
 * ```
 */
export function ownSocketInodes(): Set<number> {
  const out = new Set<number>();
  try {
    for (const e of Deno.readDirSync("/proc/self/fd")) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(Deno.readLinkSync(`/proc/self/fd/${e.name}`));
        if (m) out.add(Number(m[1]));
      } catch {
        // closed meanwhile (the directory's own descriptor, say)
      }
    }
  } catch {
    // no /proc, or no read permission: nothing to leave out
  }
  return out;
}
