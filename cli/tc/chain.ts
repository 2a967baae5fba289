/**
 * `tc chain`. Being written.
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import type { TcObject } from "./context.ts";

/** Runs `tc chain ARGS…`. */
export const run: TcObject = () => Promise.reject(new UsageError('nlink: "tc chain" is not implemented yet', 1));
