/**
 * What every `tc` object sees: the global options, and how to open the
 * connection they imply (`-n NETNS`).
 *
 * @module
 */
import { Connection, NetlinkError } from "@nlink/nlink";
import { UsageError } from "../common/args.ts";
import { Printer } from "../common/output.ts";

/** The global options of `tc`. */
export interface TcCliContext {
  /** `-s` count. */
  stats: number;
  /** `-d` count. */
  details: number;
  /** `-r`: raw handles in hex. */
  raw: boolean;
  /** `-p`. */
  pretty: boolean;
  /** `-g`: the class graph. */
  graph: boolean;
  /** `-iec`: rates in powers of 1024. */
  iec: boolean;
  /** `-force`. */
  force: boolean;
  /** `-batch FILE`. */
  batch: string | undefined;
  /** `-n NETNS`. */
  netns: string | undefined;
  /** `-N`. */
  numeric: boolean;
  /** `-nm`: class names from the names file. */
  names: boolean;
  /** `-cf PATH`: the names file. */
  conf: string | undefined;
  /** `-t` (1) / `-ts` (2). */
  timestamp: number;
  /** `-j`. */
  json: boolean;
  /** `-o`. */
  oneline: boolean;
  /** `-br`. */
  brief: boolean;
}

/** A `tc` object: `tc OBJECT ARGS…` → exit code. */
export type TcObject = (ctx: TcCliContext, args: string[]) => Promise<number>;

/**
 * Opens the connection the context asks for (in `-n NETNS` when given).
 *
 * @example
 * ```ts ignore
 * using conn = await connect(ctx);
 * ```
 */
export async function connect(ctx: TcCliContext): Promise<Connection> {
  try {
    return await Connection.open(ctx.netns === undefined ? {} : { netns: ctx.netns });
  } catch (e) {
    if (ctx.netns !== undefined && e instanceof NetlinkError && e.errno === 2) {
      throw new UsageError(`Cannot open network namespace "${ctx.netns}": No such file or directory`, 255);
    }
    throw e;
  }
}

/**
 * A printer for the context's output mode.
 *
 * @example
 * ```ts ignore
 * const out = printer(ctx);
 * ```
 */
export function printer(ctx: TcCliContext): Printer {
  return new Printer({ json: ctx.json, pretty: ctx.pretty, oneline: ctx.oneline });
}
