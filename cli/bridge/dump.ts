/**
 * A dump the kernel refused: iproute2 prints the kernel's message, then
 * `Dump terminated`, and exits with 1.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import { kernelMessage } from "../common/errors.ts";

/**
 * Reports a failed dump like iproute2 and returns its exit code (rethrows anything else).
 *
 * @example
 * ```ts ignore
 * try { await conn.getFdb(); } catch (e) { return dumpFailed(e); }
 * ```
 */
export function dumpFailed(e: unknown): number {
  if (!(e instanceof NetlinkError)) throw e;
  console.error(kernelMessage(e));
  console.error("Dump terminated");
  return 1;
}
