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

/** iproute2 6.1's usage text, which it prints on stderr before exiting with 255. */
const USAGE = `Usage: ip route { list | flush } SELECTOR
       ip route save SELECTOR
       ip route restore
       ip route showdump
       ip route get [ ROUTE_GET_FLAGS ] ADDRESS
                            [ from ADDRESS iif STRING ]
                            [ oif STRING ] [ tos TOS ]
                            [ mark NUMBER ] [ vrf NAME ]
                            [ uid NUMBER ] [ ipproto PROTOCOL ]
                            [ sport NUMBER ] [ dport NUMBER ]
       ip route { add | del | change | append | replace } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]
            [ type TYPE ] [ scope SCOPE ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
             [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
             [ ttl-propagate { enabled | disabled } ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]
      [ dev STRING ] [ weight NUMBER ] NHFLAGS
FAMILY := [ inet | inet6 | mpls | bridge | link ]
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]
           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]
           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]
           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink | pervasive ]
RTPROTO := [ kernel | boot | static | NUMBER ]
PREF := [ low | medium | high ]
TIME := NUMBER[s|ms]
BOOL := [1|0]
FEATURES := ecn
ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]
ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]
SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]
SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]
ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |
            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |
            End.BM | End.S | End.AS | End.AM | End.BPF }
OPTIONS := OPTION [ OPTIONS ]
OPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |
            table TABLEID | vrftable TABLEID | endpoint PROGNAME }
FLAVORS := { FLAVOR[,FLAVOR] }
FLAVOR := { psp | usp | usd | next-csid }
IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE
XFRMINFO := if_id IF_ID [ link_dev LINK ]
ROUTE_GET_FLAGS := [ fibmatch ]`;

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
