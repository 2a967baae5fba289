/**
 * `tc qdisc`: add, change, replace, link, delete and show qdiscs (tc_qdisc.c's do_qdisc).
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import type { TcCliContext, TcObject } from "./context.ts";

/**
 * Runs `tc qdisc ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * await run(ctx, ["show", "dev", "p0"]);
 * ```
 */
export const run: TcObject = async (ctx: TcCliContext, args: string[]): Promise<number> => {
  const [cmd, ...rest] = args;
  const show = async (words: string[]) => (await import("./qdisc_show.ts")).showQdiscs(ctx, words);
  const modify = async (op: "add" | "change" | "replace" | "link" | "delete") =>
    (await import("./qdisc_modify.ts")).modifyQdisc(ctx, op, rest);
  if (cmd === undefined) return await show([]);
  if (matches(cmd, "add")) return await modify("add");
  if (matches(cmd, "change")) return await modify("change");
  if (matches(cmd, "replace")) return await modify("replace");
  if (matches(cmd, "link")) return await modify("link");
  if (matches(cmd, "delete")) return await modify("delete");
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return await show(rest);
  if (matches(cmd, "help")) {
    const { QDISC_USAGE } = await import("./qdisc_parse.ts");
    console.error(QDISC_USAGE);
    return 0;
  }
  throw new UsageError(`Command "${cmd}" is unknown, try "tc qdisc help".`);
};
