/**
 * `ip route`: show and change routing tables.
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import type { IpContext } from "./context.ts";
import type { RouteOp } from "./route_modify.ts";

// Loaded on use: `ip route show` of a full table should not pay for parsing `ip route add`.
const showRoutes = async (ctx: IpContext, args: string[], usage: () => never) =>
  (await import("./route_show.ts")).showRoutes(ctx, args, usage);
const getRoute = async (ctx: IpContext, args: string[], usage: () => never) =>
  (await import("./route_get.ts")).getRoute(ctx, args, usage);
const flushRoutes = async (ctx: IpContext, args: string[], usage: () => never) =>
  (await import("./route_flush.ts")).flushRoutes(ctx, args, usage);
const modifyRoute = async (ctx: IpContext, op: RouteOp, args: string[], usage: () => never) =>
  (await import("./route_modify.ts")).modifyRoute(ctx, op, args, usage);

/** Our usage text, in iproute2's layout. */
const USAGE = `Usage: ip route [ list | show ] [ SELECTOR ]
       ip route { add | delete | change | append | prepend | replace } ROUTE
       ip route help
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ] [ table TABLE_ID ]
            [ proto RTPROTO ] [ type TYPE ] [ scope SCOPE ] [ dev DEVICE ]
            [ via ADDRESS ] [ src ADDRESS ] [ metric METRIC ]
ROUTE := [ TYPE ] PREFIX [ tos TOS ] [ table TABLE_ID ] [ proto RTPROTO ]
         [ scope SCOPE ] [ metric METRIC ] [ from PREFIX ] INFO
INFO := [ via [ FAMILY ] ADDRESS ] [ dev DEVICE ] [ src ADDRESS ] [ onlink ]
        [ mtu [ lock ] NUMBER ] [ advmss NUMBER ] [ hoplimit NUMBER ]
        [ pref PREF ] [ expires SECONDS ] [ nhid ID ] [ nexthop NH ]...
NH := [ via [ FAMILY ] ADDRESS ] [ dev DEVICE ] [ weight NUMBER ] [ onlink ]
TYPE := { unicast | local | broadcast | multicast | throw | unreachable |
          prohibit | blackhole | nat }
TABLE_ID := { local | main | default | all | NUMBER }
SCOPE := { host | link | global | NUMBER }
RTPROTO := { kernel | boot | static | NUMBER }
FAMILY := { inet | inet6 | mpls }
PREF := { low | medium | high }`;

/** Prints the usage and exits like iproute2's usage(): status 255. */
function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip route ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./route.ts";
 * await run(ctx, ["show", "table", "all"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0) return await showRoutes(ctx, [], usage);
  const [cmd, ...rest] = args;
  if (matches(cmd, "add")) return await modifyRoute(ctx, "add", rest, usage);
  if (matches(cmd, "change") || cmd === "chg") return await modifyRoute(ctx, "change", rest, usage);
  if (matches(cmd, "replace")) return await modifyRoute(ctx, "replace", rest, usage);
  if (matches(cmd, "prepend")) return await modifyRoute(ctx, "prepend", rest, usage);
  if (matches(cmd, "append")) return await modifyRoute(ctx, "append", rest, usage);
  if (matches(cmd, "test")) throw new UsageError('nlink: "ip route test" is not supported yet', 1);
  if (matches(cmd, "delete")) return await modifyRoute(ctx, "delete", rest, usage);
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return await showRoutes(ctx, rest, usage);
  if (matches(cmd, "get")) return await getRoute(ctx, rest, usage);
  if (matches(cmd, "flush")) return await flushRoutes(ctx, rest, usage);
  if (matches(cmd, "save")) return await (await import("./route_save.ts")).saveRoutes(ctx, rest, usage);
  if (matches(cmd, "restore")) return await (await import("./route_save.ts")).restoreRoutes(ctx);
  if (matches(cmd, "showdump")) return await (await import("./route_save.ts")).showRouteDump(ctx);
  if (matches(cmd, "help")) usage();
  throw new UsageError(`Command "${cmd}" is unknown, try "ip route help".`);
}
