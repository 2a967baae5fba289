/**
 * `tc class`: add, change, replace, delete and show classes (tc_class.c's do_class).
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import type { TcCliContext, TcObject } from "./context.ts";

/**
 * Runs `tc class ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * await run(ctx, ["show", "dev", "p0"]);
 * ```
 */
export const run: TcObject = async (ctx: TcCliContext, args: string[]): Promise<number> => {
  const [cmd, ...rest] = args;
  const show = async (words: string[]) => (await import("./class_show.ts")).showClasses(ctx, words);
  const modify = async (op: "add" | "change" | "replace" | "delete") =>
    (await import("./class_modify.ts")).modifyClass(ctx, op, rest);
  if (cmd === undefined) return await show([]);
  if (matches(cmd, "add")) return await modify("add");
  if (matches(cmd, "change")) return await modify("change");
  if (matches(cmd, "replace")) return await modify("replace");
  if (matches(cmd, "delete")) return await modify("delete");
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return await show(rest);
  if (matches(cmd, "help")) {
    const { CLASS_USAGE } = await import("./class_parse.ts");
    console.error(CLASS_USAGE);
    return 0;
  }
  throw new UsageError(`Command "${cmd}" is unknown, try "tc class help".`);
};
