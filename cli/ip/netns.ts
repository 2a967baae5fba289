/**
 * `ip netns`. Being written.
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import type { IpObject } from "./context.ts";

/** Runs `ip netns ARGS…`. */
export const run: IpObject = () => Promise.reject(new UsageError('nlink: "ip netns" is not implemented yet', 1));
