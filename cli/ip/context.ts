/**
 * What every `ip` object sees: the global options, and how to open the
 * connection they imply (`-n NETNS`).
 *
 * @module
 */
import { AF_INET, AF_INET6, AF_MPLS, AF_UNSPEC } from "../common/inet.ts";

export { connect, printer } from "../common/session.ts";

/** The global options of `ip`. */
export interface IpContext {
  /** `-4`, `-6`, `-f FAMILY`, …: a family name, or undefined for all. */
  family: string | undefined;
  /** `-j`. */
  json: boolean;
  /** `-c`, `-color[=always|auto|never]`: undefined without one. */
  color?: "always" | "auto" | "never";
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
 * The family of `-4`/`-6`/`-f` as a number (AF_*).
 *
 * @example
 * ```ts ignore
 * ctxFamilyNumber(ctx); // 2 with -4
 * ```
 */
export function ctxFamilyNumber(ctx: IpContext): number {
  switch (ctx.family) {
    case "inet":
      return AF_INET;
    case "inet6":
      return AF_INET6;
    case "mpls":
      return AF_MPLS;
    case "bridge":
      return 7;
    case "packet":
      return 17;
  }
  return AF_UNSPEC;
}

/**
 * iproute2's read_family: a family word, or AF_UNSPEC.
 *
 * @example
 * ```ts
 * import { readFamily } from "./context.ts";
 * readFamily("inet6"); // 10
 * ```
 */
export function readFamily(word: string): number {
  return ({ inet: AF_INET, inet6: AF_INET6, link: 17, mpls: AF_MPLS, bridge: 7 } as Record<string, number>)[word] ??
    AF_UNSPEC;
}
