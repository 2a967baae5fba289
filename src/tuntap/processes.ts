/**
 * Which processes hold tun/tap queues open: every `/proc/PID/fd/N` that links
 * to `/dev/net/tun`, with the device named by its fdinfo's `iff:` line (as
 * `ip -d tuntap show` finds them). Needs `--allow-read`.
 *
 * @module
 */

/** One open tun/tap queue of a process. */
export interface TunProcess {
  /** The process id. */
  pid: number;
  /** The process's command name (/proc/PID/comm), or undefined when unreadable. */
  name?: string;
  /** The file descriptor number in that process. */
  fd: number;
  /** The device the queue is attached to. */
  device: string;
}

/** The result of {@linkcode findTunProcesses}. */
export interface TunProcessScan {
  /** The queues found, in /proc order. */
  queues: TunProcess[];
  /** File descriptors whose link could not be read (another user's, without privilege). */
  unreadable: number;
}

const TUN_PATH = "/dev/net/tun";

/**
 * Scans /proc for open tun/tap queues (of every process, this one included).
 *
 * @example
 * ```ts ignore
 * import { findTunProcesses } from "./processes.ts";
 * const { queues } = findTunProcesses();
 * queues.filter((q) => q.device === "tun0");
 * ```
 */
export function findTunProcesses(): TunProcessScan {
  const queues: TunProcess[] = [];
  let unreadable = 0;
  const comms = new Map<number, string | undefined>();
  let procs: Deno.DirEntry[];
  try {
    procs = [...Deno.readDirSync("/proc")];
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    return { queues, unreadable };
  }
  for (const p of procs) {
    if (!/^\d+$/.test(p.name)) continue;
    const pid = Number(p.name);
    let fds: Deno.DirEntry[];
    try {
      fds = [...Deno.readDirSync(`/proc/${pid}/fd`)];
    } catch {
      continue; // gone, or not ours to list
    }
    for (const f of fds) {
      if (!/^\d+$/.test(f.name)) continue;
      let target: string;
      try {
        target = Deno.readLinkSync(`/proc/${pid}/fd/${f.name}`);
      } catch (e) {
        if (e instanceof Deno.errors.PermissionDenied) unreadable++;
        continue;
      }
      if (target !== TUN_PATH) continue;
      const device = attachedDevice(pid, f.name);
      if (device === undefined) continue;
      if (!comms.has(pid)) comms.set(pid, comm(pid));
      queues.push({ pid, name: comms.get(pid), fd: Number(f.name), device });
    }
  }
  return { queues, unreadable };
}

/** The `iff:` line of a tun fd's fdinfo: the device it is attached to (none when detached). */
function attachedDevice(pid: number, fd: string): string | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(`/proc/${pid}/fdinfo/${fd}`);
  } catch {
    return undefined;
  }
  const m = /^iff:\s*(\S+)/m.exec(text);
  return m?.[1];
}

function comm(pid: number): string | undefined {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/comm`).split("\n")[0];
  } catch {
    return undefined;
  }
}
