/**
 * `bridge`: bridge fdb, vlan, link, mdb and monitor. Being written.
 *
 * @module
 */

/**
 * Runs `bridge ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { main } from "./main.ts";
 * await main(["fdb", "show"]);
 * ```
 */
export function main(_args: string[]): Promise<number> {
  console.error("nlink: bridge is not implemented yet");
  return Promise.resolve(1);
}
