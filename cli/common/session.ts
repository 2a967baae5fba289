/**
 * What every rtnetlink tool (`ip`, `tc`, `bridge`) does first with its global
 * options: open the connection in `-n NETNS`, and make the printer for
 * `-j`/`-p`/`-o`.
 *
 * @module
 */
import { Connection } from "@nlink/nlink/connection";
import { NetlinkError } from "@nlink/nlink/core";
import { UsageError } from "./args.ts";
import { extAckLine } from "./errors.ts";
import { Printer } from "./output.ts";

/**
 * Opens the connection the options ask for (in `-n NETNS` when given). A
 * missing namespace fails as iproute2's netns_switch does, before anything
 * else, with exit(-1).
 *
 * @example
 * ```ts ignore
 * using conn = await connect(ctx);
 * ```
 */
export async function connect(ctx: { netns: string | undefined }): Promise<Connection> {
  try {
    const conn = await Connection.open(ctx.netns === undefined ? {} : { netns: ctx.netns });
    // The kernel's warnings on success, as iproute2's nl_dump_ext_ack prints them.
    conn.onWarning = (w) => console.error(extAckLine("Warning", w.message));
    return conn;
  } catch (e) {
    if (ctx.netns !== undefined && e instanceof NetlinkError && e.errno === 2) {
      throw new UsageError(`Cannot open network namespace "${ctx.netns}": No such file or directory`, 255);
    }
    throw e;
  }
}

/**
 * A printer for the options' output mode.
 *
 * @example
 * ```ts ignore
 * const out = printer(ctx);
 * ```
 */
export function printer(ctx: { json: boolean; pretty: boolean; oneline: boolean }): Printer {
  return new Printer({ json: ctx.json, pretty: ctx.pretty, oneline: ctx.oneline });
}
