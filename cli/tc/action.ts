/**
 * `tc action`. Being written.
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import type { TcObject } from "./context.ts";

/** Runs `tc action ARGS…`. */
export const run: TcObject = () => Promise.reject(new UsageError('nlink: "tc action" is not implemented yet', 1));
