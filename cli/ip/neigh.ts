/**
 * `ip neigh`: the ARP / NDP cache (iproute2's ip/ipneigh.c): show, flush,
 * get, add, change, replace, delete.
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import type { IpContext } from "./context.ts";

/** iproute2's usage text for `ip neigh`. */
const USAGE = `Usage: ip neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]
                [ protocol PROTO ]

	ip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
				  [ vrf NAME ] [ nomaster ]
	ip neigh get { ADDR | proxy ADDR } dev DEV

STATE := { delay | failed | incomplete | noarp | none |
           permanent | probe | reachable | stale }`;

/**
 * Prints the usage and exits like iproute2's usage(): status 255.
 *
 * @example
 * ```ts ignore
 * neighUsage();
 * ```
 */
export function neighUsage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip neigh ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./neigh.ts";
 * await run(ctx, ["show", "dev", "p0"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0) return await (await import("./neigh_show.ts")).showNeighbours(ctx, [], false);
  const [cmd, ...rest] = args;
  const modify = async (op: "add" | "change" | "replace" | "del") =>
    await (await import("./neigh_modify.ts")).modifyNeighbour(ctx, op, rest);
  if (matches(cmd, "add")) return await modify("add");
  if (matches(cmd, "change") || cmd === "chg") return await modify("change");
  if (matches(cmd, "replace")) return await modify("replace");
  if (matches(cmd, "delete")) return await modify("del");
  if (matches(cmd, "get")) return await (await import("./neigh_show.ts")).getNeighbourCmd(ctx, rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) {
    return await (await import("./neigh_show.ts")).showNeighbours(ctx, rest, false);
  }
  if (matches(cmd, "flush")) return await (await import("./neigh_show.ts")).showNeighbours(ctx, rest, true);
  if (matches(cmd, "help")) neighUsage();
  throw new UsageError(`Command "${cmd}" is unknown, try "ip neigh help".`);
}
