/**
 * `tc`: traffic control. Not implemented yet: the traffic-control library and
 * command come with their own issue.
 *
 * @module
 */

/**
 * Runs `tc ARGS…`; for now it says it is not implemented and exits 1.
 *
 * @example
 * ```ts ignore
 * import { main } from "./main.ts";
 * await main(["qdisc", "show"]); // 1
 * ```
 */
export function main(_args: string[]): Promise<number> {
  console.error("nlink: tc is not implemented yet");
  return Promise.resolve(1);
}
