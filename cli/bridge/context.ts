/**
 * What every `bridge` object sees: the global options, the connection they
 * imply (`-n NETNS`), the namespace's interfaces (iproute2's ll_map), and
 * iproute2's small shared helpers for bridge output and errors.
 *
 * @module
 */
import type { Connection } from "@nlink/nlink";
import { RTEXT_FILTER } from "@nlink/nlink/tables";
import { Args, UsageError } from "../common/args.ts";
import { LinkCache } from "../ip/links.ts";
import { Kind, type Printer } from "../common/output.ts";
import { connect } from "../common/session.ts";
export { connect, printer } from "../common/session.ts";

/** The global options of `bridge`. */
export interface BridgeContext {
  /** `-s` count. */
  stats: number;
  /** `-d` count. */
  details: number;
  /** `-o`. */
  oneline: boolean;
  /** `-t` count (monitor only: the objects reset it, as iproute2 does). */
  timestamp: number;
  /** `-c`: VLAN ranges as ranges. */
  compressVlans: boolean;
  /** `-j`. */
  json: boolean;
  /** `-color[=always|auto|never]`: undefined without one. */
  color?: "always" | "auto" | "never";
  /** `-p`. */
  pretty: boolean;
  /** `-force`. */
  force: boolean;
  /** `-batch FILE`. */
  batch: string | undefined;
  /** `-n NETNS`. */
  netns: string | undefined;
  /** `-4` / `-6` / `-f inet|inet6`: AF_INET (2), AF_INET6 (10) or 0. */
  family: number;
}

/** A `bridge` object: `bridge OBJECT ARGS…` → exit code. */
export type BridgeObject = (ctx: BridgeContext, args: string[]) => Promise<number>;

/**
 * The namespace's links by index and name, read once per command (iproute2's
 * ll_init_map): `ip`'s {@linkcode LinkCache}, with the two lookups where
 * bridge's answers differ.
 *
 * @example
 * ```ts ignore
 * const links = await Links.load(conn);
 * links.name(1); // "lo"
 * ```
 */
export class Links extends LinkCache {
  /** Reads every link with one dump, asked as ll_init_map asks (no family, RTEXT_FILTER_VF). */
  static override async load(conn: Connection): Promise<Links> {
    return new Links(await conn.getLinks({ family: "unspec", extMask: RTEXT_FILTER.VF }));
  }

  /** ll_index_to_flags as bridge uses it: 0 (not -1) when the link is unknown. */
  override flags(index: number): number {
    return Math.max(0, super.flags(index));
  }

  /** ll_name_to_index: the index of a name (or `ifN` of a link that exists), 0 when there is none. */
  override index(name: string): number {
    const found = this.get(name);
    if (found !== undefined) return found.index;
    const n = super.index(name);
    return this.get(n) === undefined ? 0 : n;
  }
}

/**
 * A command that printed its message and returned -1 (exit 255), as opposed to
 * iproute2's exit(): in a batch the next line still runs under `-force`.
 *
 * @example
 * ```ts
 * import { CommandFailed } from "./context.ts";
 * new CommandFailed("Device is a required argument.").code; // 255
 * ```
 */
export class CommandFailed extends UsageError {
  /** Builds the failure (exit code 255 unless told). */
  constructor(message: string, code = 255, printed = false) {
    super(message, code, printed);
    this.name = "CommandFailed";
  }
}

/**
 * iproute2's nodev(): `Cannot find device "X"`, exit 255.
 *
 * @example
 * ```ts
 * import { noDevice } from "./context.ts";
 * noDevice("x").message; // 'Cannot find device "x"'
 * ```
 */
export function noDevice(dev: string): CommandFailed {
  return new CommandFailed(`Cannot find device "${dev}"`);
}

/**
 * iproute2's duparg2(): `Error: either "KEY" is duplicate, or "ARG" is a garbage.`, exit 255.
 *
 * @example
 * ```ts
 * import { duplicateOrGarbage } from "./context.ts";
 * duplicateOrGarbage("vlan", "3").code; // 255
 * ```
 */
export function duplicateOrGarbage(key: string, arg: string): UsageError {
  return new UsageError(`Error: either "${key}" is duplicate, or "${arg}" is a garbage.`);
}

/**
 * iproute2's duparg(): `Error: duplicate "KEY": "ARG" is the second value.`, exit 255.
 *
 * @example
 * ```ts
 * import { duplicateArgument } from "./context.ts";
 * duplicateArgument("dev", "p1").code; // 255
 * ```
 */
export function duplicateArgument(key: string, arg: string): UsageError {
  return new UsageError(`Error: duplicate "${key}": "${arg}" is the second value.`);
}

/**
 * C's atoi: leading blanks, a sign, decimal digits, wrapped to 32 bits; 0 when there are none.
 *
 * @example
 * ```ts
 * import { atoi } from "./context.ts";
 * atoi("12abc"); // 12
 * atoi("x"); // 0
 * ```
 */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(BigInt.asIntN(32, BigInt(m[1]))) : 0;
}

/**
 * The `dev DEV` and `vid VID` arguments of `bridge vlan show` (and
 * `tunnelshow`, `global show`) and `bridge mdb show`; other words are passed over.
 *
 * @example
 * ```ts
 * import { showFilters } from "./context.ts";
 * showFilters(["dev", "br0", "vid", "10"]); // { dev: "br0", vid: 10 }
 * ```
 */
export function showFilters(words: string[]): { dev: string | undefined; vid: number } {
  let dev: string | undefined;
  let vid = 0;
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (w === "dev") {
      const v = a.value(w);
      if (dev !== undefined) throw duplicateArgument("dev", v);
      dev = v;
    } else if (w === "vid") {
      const v = a.value(w);
      if (vid) throw duplicateArgument("vid", v);
      vid = atoi(v);
    }
  }
  return { dev, vid };
}

/** What a `show` with `dev`/`vid` filters works on; disposing of it closes the connection. */
export interface ShowScope extends Disposable {
  /** `dev DEV`, if given. */
  dev: string | undefined;
  /** `vid VID`, 0 when not given. */
  vid: number;
  /** The connection. */
  conn: Connection;
  /** The link table. */
  links: Links;
  /** `dev`'s index, 0 without `dev`. */
  index: number;
}

/**
 * Reads a show's `dev`/`vid` words ({@linkcode showFilters}), connects and loads the link table; an unknown
 * `dev` fails as iproute2's does ({@linkcode noDevice}).
 *
 * @example
 * ```ts ignore
 * using show = await openShow(ctx, ["dev", "br0"]);
 * ```
 */
export async function openShow(ctx: BridgeContext, words: string[]): Promise<ShowScope> {
  const { dev, vid } = showFilters(words);
  const conn = await connect(ctx);
  try {
    const links = await Links.load(conn);
    const index = dev === undefined ? 0 : links.index(dev);
    if (dev !== undefined && !index) throw noDevice(dev);
    return { dev, vid, conn, links, index, [Symbol.dispose]: () => conn.close() };
  } catch (e) {
    conn.close();
    throw e;
  }
}

/**
 * A C `short` from atoi (`short vid = atoi(arg)`).
 *
 * @example
 * ```ts
 * import { atoiShort } from "./context.ts";
 * atoiShort("65535"); // -1
 * ```
 */
export function atoiShort(s: string): number {
  return (atoi(s) << 16) >> 16;
}

const STP_STATES = ["disabled", "listening", "learning", "forwarding", "blocking"];

/**
 * A spanning-tree state as a number (the library gives names).
 *
 * @example
 * ```ts
 * import { stpStateNumber } from "./context.ts";
 * stpStateNumber("forwarding"); // 3
 * ```
 */
export function stpStateNumber(state: string | number): number {
  return typeof state === "number" ? state : STP_STATES.indexOf(state);
}

/**
 * iproute2's parse_stp_state: the state's number, or -1.
 *
 * @example
 * ```ts
 * import { parseStpState } from "./context.ts";
 * parseStpState("blocking"); // 4
 * ```
 */
export function parseStpState(arg: string): number {
  return STP_STATES.indexOf(arg);
}

/**
 * iproute2's print_stp_state: `state NAME ` (or `state (N) `).
 *
 * @example
 * ```ts ignore
 * printStpState(out, 3); // "state forwarding "
 * ```
 */
export function printStpState(out: Printer, state: number): void {
  if (state >= 0 && state < STP_STATES.length) out.string(Kind.Any, "state", "state %s ", STP_STATES[state]);
  else out.uint(Kind.Any, "state", "state (%d) ", state);
}
