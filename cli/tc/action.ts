/**
 * `tc actions`: add, change, replace, get, delete, list, flush — parsing in
 * action_parse.ts, printing in action_print.ts, the rest through the library.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import { type Action, getActionPages } from "@nlink/nlink/tc";
import { UsageError } from "../common/args.ts";
import { kernelMessage } from "../common/errors.ts";
import { Kind } from "../common/output.ts";
import { LinkCache, type LinkNames } from "../ip/links.ts";
import { parseActionCommand, setDeviceLookup } from "./action_parse.ts";
import { printActionList } from "./action_print.ts";
import { connect, printer, type TcCliContext, type TcObject } from "./context.ts";
import { asUsageError, printContext } from "./filter.ts";

/** print_action, once per message: `total acts N`, then the message's list (numbered from `first`). */
function printActions(
  ctx: TcCliContext,
  links: LinkNames,
  pages: { count: number; actions: Action[] }[],
  first: number,
) {
  const p = printer(ctx);
  p.startList();
  for (const page of pages) {
    p.openObject();
    p.uint(Kind.Any, "total acts", "total acts %u", page.count);
    p.nl();
    p.closeObject();
    p.openObject();
    printActionList(p, page.actions, printContext(ctx, links), false, first);
    p.closeObject();
  }
  p.endList();
  p.flush();
}

/**
 * Parses `tc actions ARGS…`. tc reads its link table only for an action that
 * names a device (mirred) or to print: the command is parsed once to learn
 * whether it names any, then again with them looked up in the table.
 */
async function parseNamingDevices(
  args: string[],
  links: () => Promise<LinkNames>,
): Promise<ReturnType<typeof parseActionCommand>> {
  const named: string[] = [];
  setDeviceLookup((name) => {
    named.push(name);
    return 1;
  });
  try {
    const cmd = parseActionCommand(args);
    if (named.length === 0) return cmd;
  } catch (e) {
    if (named.length === 0) throw e;
  }
  const known = await links();
  setDeviceLookup((name) => known.index(name));
  return parseActionCommand(args);
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
  let table: LinkNames | undefined;
  const links = async () => table ??= await LinkCache.loadNames(conn);
  const cmd = await parseNamingDevices(args, links);
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
        try {
          await conn.flushActions(cmd.kind);
        } catch (e) {
          // tc_act_list_or_flush's own failure: its message and exit 1.
          if (e instanceof NetlinkError && e.errno !== 0) {
            throw new UsageError(`${kernelMessage(e)}\nWe have an error flushing`, 1);
          }
          throw e;
        }
        return 0;
      case "get": {
        const a = await conn.getAction(cmd.kind, cmd.index);
        printActions(ctx, await links(), [{ count: 0, actions: [a] }], 1);
        return 0;
      }
      case "list": {
        // Each dump message prints as its own `total acts N` block, as tc prints it.
        const pages = (await getActionPages(conn, cmd.kind)).filter((page) => page.actions.length > 0);
        printActions(ctx, await links(), pages, 0);
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
