/**
 * `ip rule`. Being written.
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import type { IpObject } from "./context.ts";

/** Runs `ip rule ARGS…`. */
export const run: IpObject = () => Promise.reject(new UsageError('nlink: "ip rule" is not implemented yet', 1));
