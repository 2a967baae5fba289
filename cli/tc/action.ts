/**
 * `tc actions`: add, change, replace, get, delete, list, flush — parsing in
 * action_parse.ts, printing in action_print.ts, the rest through the library.
 *
 * @module
 */
import type { Action } from "@nlink/nlink/tc";
import { Kind } from "../common/output.ts";
import { LinkCache } from "../ip/links.ts";
import { parseActionCommand, setDeviceCheck } from "./action_parse.ts";
import { printActionList } from "./action_print.ts";
import { connect, printer, type TcCliContext, type TcObject } from "./context.ts";
import { asUsageError, printContext } from "./filter.ts";

/** print_action: `total acts N`, then the list (numbered from `first`). */
function printActions(ctx: TcCliContext, links: LinkCache, list: Action[], total: number, first: number): void {
  const p = printer(ctx);
  p.startList();
  p.openObject();
  p.uint(Kind.Any, "total acts", "total acts %u", total);
  p.nl();
  p.closeObject();
  p.openObject();
  printActionList(p, list, printContext(ctx, links), false, first);
  p.closeObject();
  p.endList();
  p.flush();
}

/**
 * Runs `tc actions ARGS…`.
 *
 * @example
 * ```ts ignore
 * await run(ctx, ["ls", "action", "mirred"]);
 * ```
 */
export const run: TcObject = async (ctx: TcCliContext, args: string[]): Promise<number> => {
  using conn = await connect(ctx);
  const links = await LinkCache.load(conn);
  setDeviceCheck((name) => links.index(name) !== 0);
  const cmd = parseActionCommand(args);
  try {
    switch (cmd.op) {
      case "add":
        await conn.addActions(cmd.actions);
        return 0;
      case "replace":
      case "change":
        await conn.replaceActions(cmd.actions);
        return 0;
      case "delete":
        await conn.deleteAction(cmd.kind, cmd.index);
        return 0;
      case "flush":
        await conn.flushActions(cmd.kind);
        return 0;
      case "get": {
        const a = await conn.getAction(cmd.kind, cmd.index);
        printActions(ctx, links, [a], 0, 1);
        return 0;
      }
      case "list": {
        const list = await conn.getActions(cmd.kind);
        if (list.length === 0) {
          const p = printer(ctx);
          p.startList();
          p.endList();
          p.flush();
          return 0;
        }
        printActions(ctx, links, list, list.length, 0);
        return 0;
      }
    }
  } catch (e) {
    // tc's get and delete go on to read the next word as a command ("action"), which fails.
    const more = cmd.op === "get" || cmd.op === "delete"
      ? `\nCommand "${args[1]}" is unknown, try "tc actions help".`
      : "";
    throw asUsageError(e, 255, more);
  }
};
