/**
 * Reading the kernel's text files (/proc, cgroup) with the errors nlink
 * gives everywhere: a denied read names the `--allow-read` it needs.
 *
 * @module
 */
import { PermissionError } from "../core/errors.ts";

/**
 * The text of `path`, or undefined when it does not exist. A denied read
 * throws a {@linkcode PermissionError} naming `--allow-read=PATH`.
 *
 * @example
 * ```ts ignore
 * import { readTextIfExists } from "./files.ts";
 * readTextIfExists("/proc/net/igmp")?.split("\n").length;
 * ```
 */
export function readTextIfExists(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw new PermissionError(`--allow-read=${path}`, `read ${path}`, e);
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
