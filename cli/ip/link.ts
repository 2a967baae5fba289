/**
 * `ip link`: show, add, replace, set, delete network devices, and their
 * alternative names (`property`).
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import type { IpContext } from "./context.ts";
import { listLinks } from "./link_list.ts";

/** Our usage text, in iproute2's layout (iproute2 prints usage on stderr and exits 255). */
const USAGE = `Usage: ip link add [ [ name ] NAME ] [ index IDX ] [ LINK-OPTIONS ] type TYPE [ TYPE-ARGS ]
       ip link replace (the same words as add)
       ip link delete { DEVICE | dev DEVICE } [ type TYPE ]
       ip link set { DEVICE | dev DEVICE } [ name NEWNAME ] [ LINK-OPTIONS ]
       ip link show [ DEVICE | dev DEVICE | group GROUP ] [ up ] [ master DEVICE ]
                    [ nomaster ] [ type TYPE ]
       ip link property { add | del } dev DEVICE [ altname NAME ]...
       ip link xstats type TYPE [ ARGS ]
       ip link afstats [ dev DEVICE ]
       ip link help
LINK-OPTIONS := [ { up | down } ] [ mtu MTU ] [ txqueuelen PACKETS ]
                [ address LLADDR ] [ broadcast LLADDR ]
                [ numtxqueues COUNT ] [ numrxqueues COUNT ]
                [ alias TEXT ] [ group GROUP ] [ master DEVICE ] [ nomaster ]
                [ arp { on | off } ] [ multicast { on | off } ] [ dynamic { on | off } ]
                [ allmulticast { on | off } ] [ promisc { on | off } ]
                [ netns { PID | NAME } ] [ link-netns NAME | link-netnsid ID ]
                [ carrier { on | off } ] (set only)
                [ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off | pinned PATH } ] (set only)
TYPE := { veth | bridge | dummy | ifb | nlmon | vcan | ... }
TYPE-ARGS (veth) := [ peer [ [ name ] NAME ] [ index IDX ] [ LINK-OPTIONS ] ]`;

/** `ip link add|set|delete`: its parser (every kind's arguments) loads only for those commands. */
const modifyLink: typeof import("./link_modify.ts").modifyLink = async (...args) =>
  (await import("./link_modify.ts")).modifyLink(...args);

/** `ip link property add|del`: loaded only for that command. */
const linkProperty: typeof import("./link_property.ts").linkProperty = async (...args) =>
  (await import("./link_property.ts")).linkProperty(...args);

/** Prints the usage and exits like iproute2's usage(): status 255. */
function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip link ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./link.ts";
 * await run(ctx, ["show", "dev", "lo"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0) return await listLinks(ctx, [], true, usage);
  const [cmd, ...rest] = args;
  if (matches(cmd, "add")) return await modifyLink(ctx, "add", rest, usage);
  if (matches(cmd, "set") || matches(cmd, "change")) return await modifyLink(ctx, "set", rest, usage);
  if (matches(cmd, "replace")) return await modifyLink(ctx, "replace", rest, usage);
  if (matches(cmd, "delete")) return await modifyLink(ctx, "delete", rest, usage);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) {
    return await listLinks(ctx, rest, true, usage);
  }
  if (matches(cmd, "property")) return await linkProperty(ctx, rest, usage);
  if (matches(cmd, "xstats")) return await (await import("./link_xstats.ts")).linkXstats(ctx, rest);
  if (matches(cmd, "afstats")) return await (await import("./link_xstats.ts")).linkAfstats(ctx, rest, usage);
  if (matches(cmd, "help")) usage();
  throw new UsageError(`Command "${cmd}" is unknown, try "ip link help".`);
}
