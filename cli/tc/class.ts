/**
 * `tc class`. Being written.
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import type { TcObject } from "./context.ts";

/** Runs `tc class ARGS…`. */
export const run: TcObject = () => Promise.reject(new UsageError('nlink: "tc class" is not implemented yet', 1));
