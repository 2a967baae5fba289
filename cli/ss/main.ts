/**
 * `ss`: socket statistics. Not implemented yet: socket diagnostics and the
 * command come with their own issue.
 *
 * @module
 */

/**
 * Runs `ss ARGS…`; for now it says it is not implemented and exits 1.
 *
 * @example
 * ```ts ignore
 * import { main } from "./main.ts";
 * await main(["-tan"]); // 1
 * ```
 */
export function main(_args: string[]): Promise<number> {
  console.error("nlink: ss is not implemented yet");
  return Promise.resolve(1);
}
