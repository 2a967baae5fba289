/**
 * `tc qdisc add|change|replace|link|delete`: the words parsed into typed
 * options, the device resolved, the request sent through the library.
 *
 * @module
 */
import { ValidationError } from "@nlink/nlink/core";
import { checkQdisc, deleteQdiscRequest, type QdiscOptions, qdiscRequest } from "@nlink/nlink/tc";
import { UsageError } from "../common/args.ts";
import { deviceIndex } from "./device.ts";
import { connect, type TcCliContext } from "./context.ts";
import { qdiscDeleteRequest } from "./qdisc_delete.ts";
import { parseQdiscCommand, type QdiscOp } from "./qdisc_parse.ts";

/** NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE: what `tc qdisc link` sends. */
const LINK_FLAGS = 0x1 | 0x4 | 0x100;
const RTM_NEWQDISC = 36;

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

/**
 * The request of `tc qdisc link …`: the replace request of the same words
 * with only NLM_F_REPLACE, or without a kind (`tc qdisc link dev p0 parent
 * 1:10 handle 10:`, which grafts an existing qdisc) the bare tcmsg, as tc
 * sends it.
 */
function qdiscLinkRequest(index: number, o: QdiscOptions): Uint8Array {
  const d = o as { parent?: number; handle?: number; kind?: string };
  const bytes = d.kind === undefined
    ? deleteQdiscRequest(index, { dev: index, parent: d.parent, handle: d.handle })
    : qdiscRequest("replace", index, o);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  v.setUint16(4, RTM_NEWQDISC, true);
  v.setUint16(6, LINK_FLAGS, true);
  return bytes;
}
