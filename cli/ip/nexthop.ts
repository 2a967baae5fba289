/**
 * `ip nexthop`: nexthop objects (iproute2's ip/ipnexthop.c): list, get,
 * add, replace, delete, flush, and the buckets of resilient groups.
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import type { IpContext } from "./context.ts";

/** iproute2's usage text for `ip nexthop`. */
const USAGE = `Usage: ip nexthop { list | flush } [ protocol ID ] SELECTOR
       ip nexthop { add | replace } id ID NH [ protocol ID ]
       ip nexthop { get | del } id ID
       ip nexthop bucket list BUCKET_SELECTOR
       ip nexthop bucket get id ID index INDEX
SELECTOR := [ id ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ]
            [ groups ] [ fdb ]
BUCKET_SELECTOR := SELECTOR | [ nhid ID ]
NH := { blackhole | [ via ADDRESS ] [ dev DEV ] [ onlink ]
        [ encap ENCAPTYPE ENCAPHDR ] |
        group GROUP [ fdb ] [ type TYPE [ TYPE_ARGS ] ] }
GROUP := [ <id[,weight]>/<id[,weight]>/... ]
TYPE := { mpath | resilient }
TYPE_ARGS := [ RESILIENT_ARGS ]
RESILIENT_ARGS := [ buckets BUCKETS ] [ idle_timer IDLE ]
                  [ unbalanced_timer UNBALANCED ]
ENCAPTYPE := [ mpls ]
ENCAPHDR := [ MPLSLABEL ]`;

/**
 * Prints the usage and exits like iproute2's usage(): status 255.
 *
 * @example
 * ```ts ignore
 * nexthopUsage();
 * ```
 */
export function nexthopUsage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip nexthop ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./nexthop.ts";
 * await run(ctx, ["show", "groups"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  const show = async () => await import("./nexthop_show.ts");
  if (args.length === 0) return await (await show()).listNexthops(ctx, [], false);
  const [cmd, ...rest] = args;
  const modify = async (op: "add" | "replace" | "del") =>
    await (await import("./nexthop_modify.ts")).modifyNexthop(ctx, op, rest);
  if (matches(cmd, "add")) return await modify("add");
  if (matches(cmd, "replace")) return await modify("replace");
  if (matches(cmd, "delete")) return await modify("del");
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) {
    return await (await show()).listNexthops(ctx, rest, false);
  }
  if (matches(cmd, "get")) return await (await show()).getNexthopCmd(ctx, rest);
  if (matches(cmd, "flush")) return await (await show()).listNexthops(ctx, rest, true);
  if (matches(cmd, "bucket")) return await (await show()).bucketCmd(ctx, rest);
  if (matches(cmd, "help")) nexthopUsage();
  throw new UsageError(`Command "${cmd}" is unknown, try "ip nexthop help".`);
}
