/**
 * What every `ip` object sees: the global options, and how to open the
 * connection they imply (`-n NETNS`).
 *
 * @module
 */
import { Connection } from "@nlink/nlink";
import { Printer } from "../common/output.ts";

/** The global options of `ip`. */
export interface IpContext {
  /** `-4`, `-6`, `-f FAMILY`, …: a family name, or undefined for all. */
  family: string | undefined;
  /** `-j`. */
  json: boolean;
  /** `-p`. */
  pretty: boolean;
  /** `-s` count. */
  stats: number;
  /** `-d` count. */
  details: number;
  /** `-o`. */
  oneline: boolean;
  /** `-br`. */
  brief: boolean;
  /** `-r`. */
  resolve: boolean;
  /** `-N`. */
  numeric: boolean;
  /** `-h` / `-iec`. */
  human: boolean;
  /** `-t` (1) / `-ts` (2). */
  timestamp: number;
  /** `-force`. */
  force: boolean;
  /** `-batch FILE`. */
  batch: string | undefined;
  /** `-n NETNS`. */
  netns: string | undefined;
  /** `-a`. */
  all: boolean;
  /** `-echo`. */
  echo: boolean;
}

/** An `ip` object: `ip OBJECT ARGS…` → exit code. */
export type IpObject = (ctx: IpContext, args: string[]) => Promise<number>;

/**
 * Opens the connection the context asks for (in `-n NETNS` when given).
 *
 * @example
 * ```ts ignore
 * using conn = await connect(ctx);
 * ```
 */
export function connect(ctx: IpContext): Promise<Connection> {
  return Connection.open(ctx.netns === undefined ? {} : { netns: ctx.netns });
}

/**
 * A printer for the context's output mode.
 *
 * @example
 * ```ts ignore
 * const out = printer(ctx);
 * ```
 */
export function printer(ctx: IpContext): Printer {
  return new Printer({ json: ctx.json, pretty: ctx.pretty, oneline: ctx.oneline });
}
