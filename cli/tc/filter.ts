/**
 * `tc filter`. Being written.
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import type { TcObject } from "./context.ts";

/** Runs `tc filter ARGS…`. */
export const run: TcObject = () => Promise.reject(new UsageError('nlink: "tc filter" is not implemented yet', 1));
