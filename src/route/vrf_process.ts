/**
 * Which VRF a process runs in, as `ip vrf exec` arranges it: the process sits
 * in a cgroup v2 group `…/vrf/NAME`, whose BPF program binds its sockets to
 * the VRF device. The kernel tells a process's group only in
 * /proc/PID/cgroup (the line of the unified hierarchy, `0::/PATH`).
 *
 * @example
 * ```ts ignore
 * import { getProcessVrf } from "./vrf_process.ts";
 * await getProcessVrf(Deno.pid); // "" outside any VRF
 * ```
 *
 * @module
 */
import { PermissionError, ValidationError } from "../core/errors.ts";

/**
 * The name of the VRF process `pid` was put in (`ip vrf exec NAME`), or ""
 * when none. Rejects with Deno's error when /proc/PID/cgroup cannot be read
 * (no such process). Needs `--allow-read` for /proc.
 *
 * @example
 * ```ts ignore
 * import { getProcessVrf } from "./vrf_process.ts";
 * const vrf = await getProcessVrf(1234); // "blue"
 * ```
 */
export async function getProcessVrf(pid: number): Promise<string> {
  if (!Number.isInteger(pid) || pid < 0) throw new ValidationError("pid", pid, "expected a process id");
  const path = `/proc/${pid}/cgroup`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw new PermissionError(`--allow-read=${path}`, `read ${path}`, e);
    throw e;
  }
  for (const line of text.split("\n")) {
    // Only the unified (controller-less) hierarchy carries the VRF group.
    if (!line.includes("::/")) continue;
    const at = line.indexOf("/vrf/");
    if (at >= 0) return line.slice(at + 5);
  }
  return "";
}
