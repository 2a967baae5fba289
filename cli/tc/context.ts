/**
 * What every `tc` object sees: the global options, and how to open the
 * connection they imply (`-n NETNS`).
 *
 * @module
 */
export { connect, printer } from "../common/session.ts";

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
  /** `-color[=always|auto|never]`: undefined without one. */
  color?: "always" | "auto" | "never";
  /** `-o`. */
  oneline: boolean;
  /** `-br`. */
  brief: boolean;
}

/** A `tc` object: `tc OBJECT ARGS…` → exit code. */
export type TcObject = (ctx: TcCliContext, args: string[]) => Promise<number>;
