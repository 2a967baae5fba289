/**
 * Turning failures into iproute2's messages and exit codes.
 *
 * @module
 */
import { NetlinkError, PermissionError } from "@nlink/nlink/core";
import { UsageError } from "./args.ts";

/**
 * Prints `e` the way iproute2 would and returns the exit code: usage errors as
 * given, kernel errors as `Error: <extack>.` or `RTNETLINK answers: <strerror>`
 * (exit 2), a missing Deno permission as one line naming the flag (exit 1).
 *
 * @example
 * ```ts ignore
 * import { report } from "./errors.ts";
 * return report(e);
 * ```
 */
export function report(e: unknown, prefix = "RTNETLINK answers"): number {
  if (e instanceof UsageError) {
    if (!e.printed && e.message) console.error(e.message);
    return e.code;
  }
  if (e instanceof PermissionError) {
    console.error(`nlink: ${e.message}`);
    return 1;
  }
  if (e instanceof NetlinkError) {
    console.error(kernelMessage(e, prefix));
    return 2;
  }
  console.error(`nlink: ${e instanceof Error ? e.message : String(e)}`);
  return 1;
}

/**
 * iproute2's text for a kernel error: the extended-ack message when the kernel
 * gave one (`Error: Nexthop has invalid gateway.`), else `RTNETLINK answers: File exists`.
 *
 * @example
 * ```ts ignore
 * kernelMessage(err); // "RTNETLINK answers: File exists"
 * ```
 */
export function kernelMessage(e: NetlinkError, prefix = "RTNETLINK answers"): string {
  if (e.extAck?.message) return extAckLine("Error", e.extAck.message);
  if (e.errno === 0) return `nlink: ${e.message}`;
  return `${prefix}: ${e.reason}`;
}

/**
 * A dump the kernel refused, as iproute2's rtnl_dump_filter reports it from
 * `ip`: the kernel's message, then `Dump terminated`, exit 1 (thrown as a
 * {@linkcode UsageError}); anything else is rethrown.
 *
 * @example
 * ```ts ignore
 * const keys = await conn.getSeg6Hmacs().catch(dumpTerminated);
 * ```
 */
export function dumpTerminated(e: unknown): never {
  if (e instanceof NetlinkError) throw new UsageError(`${kernelMessage(e)}\nDump terminated`, 1);
  throw e;
}

/**
 * An extended-ack message as iproute2's nl_dump_ext_ack prints it: `Error:`
 * for a failure, `Warning:` with a success, and the full stop a message lacks.
 *
 * @example
 * ```ts
 * import { extAckLine } from "./errors.ts";
 * extAckLine("Warning", "sch_htb: quantum of class 10005 is small. Consider r2q change.");
 * ```
 */
export function extAckLine(kind: "Error" | "Warning", message: string): string {
  return `${kind}: ${message}${message.endsWith(".") ? "" : "."}`;
}
