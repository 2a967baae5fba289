/**
 * `ip neigh`. Being written.
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import type { IpObject } from "./context.ts";

/** Runs `ip neigh ARGS…`. */
export const run: IpObject = () => Promise.reject(new UsageError('nlink: "ip neigh" is not implemented yet', 1));
