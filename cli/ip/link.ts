/**
 * `ip link`: show, add, replace, set, delete network devices, and their
 * alternative names (`property`).
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import type { IpContext } from "./context.ts";
import { LINK_TYPES_USAGE, listLinks } from "./link_list.ts";

/** iproute2 6.1's usage text, which it prints on stderr before exiting with 255. */
const USAGE = `Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME
		    [ txqueuelen PACKETS ]
		    [ address LLADDR ]
		    [ broadcast LLADDR ]
		    [ mtu MTU ] [index IDX ]
		    [ numtxqueues QUEUE_COUNT ]
		    [ numrxqueues QUEUE_COUNT ]
		    [ netns { PID | NAME } ]
		    type TYPE [ ARGS ]

	ip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]

	ip link set { DEVICE | dev DEVICE | group DEVGROUP }
			[ { up | down } ]
			[ type TYPE ARGS ]
		[ arp { on | off } ]
		[ dynamic { on | off } ]
		[ multicast { on | off } ]
		[ allmulticast { on | off } ]
		[ promisc { on | off } ]
		[ trailers { on | off } ]
		[ carrier { on | off } ]
		[ txqueuelen PACKETS ]
		[ name NEWNAME ]
		[ address LLADDR ]
		[ broadcast LLADDR ]
		[ mtu MTU ]
		[ netns { PID | NAME } ]
		[ link-netns NAME | link-netnsid ID ]
		[ alias NAME ]
		[ vf NUM [ mac LLADDR ]
			 [ vlan VLANID [ qos VLAN-QOS ] [ proto VLAN-PROTO ] ]
			 [ rate TXRATE ]
			 [ max_tx_rate TXRATE ]
			 [ min_tx_rate TXRATE ]
			 [ spoofchk { on | off} ]
			 [ query_rss { on | off} ]
			 [ state { auto | enable | disable} ]
			 [ trust { on | off} ]
			 [ node_guid EUI64 ]
			 [ port_guid EUI64 ] ]
		[ { xdp | xdpgeneric | xdpdrv | xdpoffload } { off |
			  object FILE [ { section | program } NAME ] [ verbose ] |
			  pinned FILE } ]
		[ master DEVICE ][ vrf NAME ]
		[ nomaster ]
		[ addrgenmode { eui64 | none | stable_secret | random } ]
		[ protodown { on | off } ]
		[ protodown_reason PREASON { on | off } ]
		[ gso_max_size BYTES ] | [ gso_max_segs PACKETS ]
		[ gro_max_size BYTES ]

	ip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]
		[nomaster]

	ip link xstats type TYPE [ ARGS ]

	ip link afstats [ dev DEVICE ]
	ip link property add dev DEVICE [ altname NAME .. ]
	ip link property del dev DEVICE [ altname NAME .. ]

	ip link help [ TYPE ]

${LINK_TYPES_USAGE}`;

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
  if (matches(cmd, "help")) {
    // `ip link help KIND`: the kind's usage on stdout (further words are ignored, as iproute2 does).
    const help = rest.length === 0 ? undefined : (await import("./link_help.ts")).linkKindHelp(rest[0]);
    if (help === undefined) usage();
    console.log(help.text);
    return 0;
  }
  throw new UsageError(`Command "${cmd}" is unknown, try "ip link help".`);
}
