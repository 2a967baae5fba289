/**
 * `tc qdisc add|change|replace|link|delete`: the words parsed into typed
 * options, the device resolved, the request sent through the library.
 *
 * @module
 */
import { ValidationError } from "@nlink/nlink/core";
import { checkQdisc, type QdiscOptions } from "@nlink/nlink/tc";
import { UsageError } from "../common/args.ts";
import { deviceIndex } from "./device.ts";
import { connect, type TcCliContext } from "./context.ts";
import { qdiscDeleteRequest, qdiscLinkRequest } from "./qdisc_delete.ts";
import { parseQdiscCommand, type QdiscOp } from "./qdisc_parse.ts";

/**
 * A library validation error as a tc parse error: the message, exit 1.
 *
 * @example
 * ```ts
 * import { ValidationError } from "@nlink/nlink";
 * import { asUsageError } from "./qdisc_modify.ts";
 * asUsageError(new ValidationError("limit", -1, "too small")).code; // 1
 * ```
 */
export function asUsageError(e: unknown): unknown {
  if (e instanceof ValidationError) return new UsageError(`Error: ${e.message}`, 1);
  return e;
}

/**
 * Runs `tc qdisc OP ARGS…`.
 *
 * @example
 * ```ts ignore
 * await modifyQdisc(ctx, "add", ["dev", "p0", "root", "pfifo"]);
 * ```
 */
export async function modifyQdisc(ctx: TcCliContext, op: QdiscOp, words: string[]): Promise<number> {
  const { dev, options } = parseQdiscCommand(op, words);
  // tc refuses bad kind words as it reads them, before it reads the link table.
  if (op !== "delete" && !(op === "link" && options.kind === undefined)) {
    try {
      checkQdisc(op === "link" ? "replace" : op, { ...options, dev: 0 } as QdiscOptions);
    } catch (e) {
      throw asUsageError(e);
    }
  }
  using conn = await connect(ctx);
  const index = dev === undefined ? 0 : await deviceIndex(conn, dev);
  const o = { ...options, dev: index } as QdiscOptions;
  try {
    if (op === "delete") await conn.ack(qdiscDeleteRequest(index, o), "tc");
    else if (op === "link") await conn.ack(qdiscLinkRequest(index, o), "tc");
    else if (op === "add") await conn.addQdisc(o);
    else if (op === "change") await conn.changeQdisc(o);
    else await conn.replaceQdisc(o);
  } catch (e) {
    throw asUsageError(e);
  }
  return 0;
}
