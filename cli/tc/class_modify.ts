/**
 * `tc class add|change|replace|delete`: the words parsed into typed options,
 * the device resolved, the request sent through the library.
 *
 * @module
 */
import { checkClass, type ClassOptions } from "@nlink/nlink/tc";
import { connect, type TcCliContext } from "./context.ts";
import { type ClassOp, parseClassCommand } from "./class_parse.ts";
import { classDeleteRequest } from "./qdisc_delete.ts";
import { deviceIndex } from "./device.ts";
import { asUsageError } from "./qdisc_modify.ts";

/**
 * Runs `tc class OP ARGS…`.
 *
 * @example
 * ```ts ignore
 * await modifyClass(ctx, "add", ["dev", "p0", "parent", "1:", "classid", "1:10", "htb", "rate", "1mbit"]);
 * ```
 */
export async function modifyClass(ctx: TcCliContext, op: ClassOp, words: string[]): Promise<number> {
  const { dev, options } = parseClassCommand(op, words);
  // tc refuses bad kind words as it reads them, before it reads the link table.
  if (op !== "delete") {
    try {
      checkClass(op, { ...options, dev: 0 } as ClassOptions);
    } catch (e) {
      throw asUsageError(e);
    }
  }
  using conn = await connect(ctx);
  const index = dev === undefined ? 0 : await deviceIndex(conn, dev);
  const o = { ...options, dev: index } as ClassOptions;
  try {
    if (op === "delete") await conn.ack(classDeleteRequest(index, o), "tc");
    else if (op === "add") await conn.addClass(o);
    else if (op === "change") await conn.changeClass(o);
    else await conn.replaceClass(o);
  } catch (e) {
    throw asUsageError(e);
  }
  return 0;
}
