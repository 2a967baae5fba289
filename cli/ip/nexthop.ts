/**
 * `ip nexthop`. Being written.
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import type { IpObject } from "./context.ts";

/** Runs `ip nexthop ARGS…`. */
export const run: IpObject = () => Promise.reject(new UsageError('nlink: "ip nexthop" is not implemented yet', 1));
