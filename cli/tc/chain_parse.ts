/**
 * `tc chain add|del …` words → the library's chain options (tc_filter.c's
 * header words, then an optional filter template in the kind's words).
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import { Words } from "./filter_args.ts";
import { FILTER_PARSERS, parseFilterHeader, runFilterParser } from "./filter_parse.ts";

/**
 * Parses `tc chain add|delete …` (the words after the operation) into
 * ChainOptions with the device by name.
 *
 * @example
 * ```ts
 * import { parseChainCommand } from "./chain_parse.ts";
 * parseChainCommand(["dev", "p0", "ingress", "chain", "1"]).chain; // 1
 * ```
 */
export function parseChainCommand(args: readonly string[]): Record<string, unknown> {
  const w = new Words(args);
  const h = parseFilterHeader(w);
  const o: Record<string, unknown> = {};
  if (h.dev !== undefined) o.dev = h.dev;
  if (h.block !== undefined) o.block = h.block;
  if (h.parent !== undefined) o.parent = h.parent;
  if (h.protocol !== undefined) o.protocol = h.protocol;
  o.chain = h.chain ?? 0;
  if (h.kind !== undefined) {
    if (!Object.hasOwn(FILTER_PARSERS, h.kind)) {
      throw new UsageError(`Unknown filter "${h.kind}", hence option "${w.word ?? ""}" is unparsable`, 255);
    }
    o.template = runFilterParser(w, h.kind);
  } else if (w.more) {
    throw new UsageError(`Garbage instead of arguments "${w.word} ...". Try "tc filter help".`, 255);
  }
  return o;
}
