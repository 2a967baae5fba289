/**
 * What every `ip` object sees: the global options, and how to open the
 * connection they imply (`-n NETNS`).
 *
 * @module
 */
import { Connection, NetlinkError } from "@nlink/nlink";
import { UsageError } from "../common/args.ts";
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
  /** `-h`: human-readable numbers. */
  human: boolean;
  /** `-iec`: human-readable numbers in powers of 1024. */
  iec: boolean;
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
export async function connect(ctx: IpContext): Promise<Connection> {
  try {
    return await Connection.open(ctx.netns === undefined ? {} : { netns: ctx.netns });
  } catch (e) {
    // iproute2 fails in netns_switch, before anything else, with exit(-1).
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
export function printer(ctx: IpContext): Printer {
  return new Printer({ json: ctx.json, pretty: ctx.pretty, oneline: ctx.oneline });
}
