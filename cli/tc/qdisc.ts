/**
 * `tc qdisc`. Being written.
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import type { TcObject } from "./context.ts";

/** Runs `tc qdisc ARGS…`. */
export const run: TcObject = () => Promise.reject(new UsageError('nlink: "tc qdisc" is not implemented yet', 1));
