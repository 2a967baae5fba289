/**
 * `bridge link`: show bridge ports and change their settings (iproute2's
 * bridge/link.c grammar and output).
 *
 * @module
 */
import { BR_STATE, IFF, MDB_RTR_TYPE } from "@nlink/nlink/tables";
import type { BridgePort, BridgePortOptions } from "@nlink/nlink";
import { Args, matches, UsageError } from "../common/args.ts";
import { Kind, type Printer } from "../common/output.ts";
import { Color } from "../common/color.ts";
import {
  atoi,
  type BridgeContext,
  CommandFailed,
  connect,
  duplicateArgument,
  Links,
  noDevice,
  parseStpState,
  printer,
  printStpState,
} from "./context.ts";
import { dumpFailed } from "./dump.ts";
import { printLinkFlags } from "../ip/link_print.ts";

const LINK_USAGE = `Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]`;

/** The hardware modes iproute2 names (BRIDGE_MODE_VEB, _VEPA). */
const HW_MODES = ["VEB", "VEPA"];
const HW_MODE_NUMBERS: Record<string, number> = { veb: 0, vepa: 1, undef: 0xffff };

/** The on/off port settings `-d` prints, in iproute2's order: [JSON key and word, our field]. */
const DETAILS: [string, keyof BridgePort][] = [
  ["hairpin", "hairpin"],
  ["guard", "guard"],
  ["root_block", "rootBlock"],
  ["fastleave", "fastLeave"],
  ["learning", "learning"],
  ["learning_sync", "learningSync"],
  ["flood", "unicastFlood"],
  ["mcast_flood", "mcastFlood"],
  ["bcast_flood", "bcastFlood"],
];

/** The on/off settings after mcast_router, in iproute2's order. */
const DETAILS_AFTER_ROUTER: [string, keyof BridgePort][] = [
  ["mcast_to_unicast", "mcastToUnicast"],
  ["neigh_suppress", "neighSuppress"],
  ["vlan_tunnel", "vlanTunnel"],
];

function onOff(out: Printer, key: string, value: unknown): void {
  if (value !== undefined) out.onOff(Kind.Any, key, `${key} %s `, value === true);
}

/** How {@linkcode printBridgePort} prints a port. */
export interface PortPrintOptions {
  /** A deletion notification (monitor). */
  deleted?: boolean;
  /** The lower device's index, when the message says (else the namespace's link list is asked). */
  link?: number;
  /** The lower device's namespace id (the lower device is then shown as `ifN`). */
  linkNetnsid?: number;
}

/**
 * Prints one bridge port, or a link notification (iproute2's print_linkinfo).
 *
 * @example
 * ```ts ignore
 * printBridgePort(out, links, port, 0, false);
 * ```
 */
export function printBridgePort(
  out: Printer,
  links: Links,
  p: BridgePort,
  details: number,
  o: PortPrintOptions = {},
): void {
  out.openObject();
  if (o.deleted) out.bool(Kind.Any, "deleted", "Deleted ", true);
  out.int(Kind.Any, "ifindex", "%d: ", p.ifindex);
  let name = p.name ?? links.name(p.ifindex);
  // The AF_BRIDGE dump carries IFLA_LINK (not its netns id): the namespace's link list has the same value.
  const iflink = "link" in o ? o.link : links.get(p.ifindex)?.link;
  let mdown = false;
  if (iflink !== undefined && iflink !== p.ifindex) {
    if (iflink && o.linkNetnsid !== undefined) {
      if (out.json) out.int(Kind.Json, "link_index", "", iflink);
      else name = `${name}@if${iflink}`;
    } else if (iflink) {
      const lower = links.name(iflink);
      if (out.json) out.string(Kind.Json, "link", "", lower);
      else name = `${name}@${lower}`;
      mdown = !(links.flags(iflink) & IFF.bit("UP"));
    } else if (out.json) out.null(Kind.Json, "link", "", "");
    else name = `${name}@NONE`;
  }
  out.colorString(Kind.Any, Color.Ifname, "ifname", "%s: ", name);
  printLinkFlags(out, p.flags.length === 0 ? 0 : IFF.encode(p.flags), mdown);
  if (p.mtu !== undefined) out.int(Kind.Any, "mtu", "mtu %u ", p.mtu);
  if (p.master !== undefined) out.string(Kind.Any, "master", "master %s ", links.name(p.master));
  if (p.state !== undefined) printStpState(out, BR_STATE.value(p.state));
  if (p.priority !== undefined) out.uint(Kind.Any, "priority", "priority %u ", p.priority);
  if (p.cost !== undefined) out.uint(Kind.Any, "cost", "cost %u ", p.cost);
  if (details && p.state !== undefined) {
    out.write(out.sl + "    ");
    for (const [key, field] of DETAILS) onOff(out, key, p[field]);
    if (p.mcastRouter !== undefined) {
      out.uint(Kind.Any, "mcast_router", "mcast_router %u ", MDB_RTR_TYPE.value(p.mcastRouter));
    }
    for (const [key, field] of DETAILS_AFTER_ROUTER) onOff(out, key, p[field]);
    if (p.backupPort !== undefined) {
      out.string(Kind.Any, "backup_port", "backup_port %s ", links.name(p.backupPort));
    }
    onOff(out, "isolated", p.isolated);
    onOff(out, "locked", p.locked);
  }
  if (p.hwmode !== undefined) {
    const mode = typeof p.hwmode === "number" ? p.hwmode : HW_MODE_NUMBERS[p.hwmode];
    if (mode < HW_MODES.length) out.string(Kind.Any, "hwmode", "hwmode %s ", HW_MODES[mode]);
    else out.hex0x(Kind.Any, "hwmode", "hwmode %#llx ", mode);
  }
  out.write("\n");
  out.closeObject();
}

async function show(ctx: BridgeContext, words: string[]): Promise<number> {
  let dev: string | undefined;
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (w === "dev") {
      const v = a.value(w);
      if (dev !== undefined) throw duplicateArgument("dev", v);
      dev = v;
    }
  }
  using conn = await connect(ctx);
  const links = await Links.load(conn);
  const index = dev === undefined ? 0 : links.index(dev);
  if (dev !== undefined && !index) throw noDevice(dev);
  let ports: BridgePort[];
  try {
    ports = await conn.getBridgePorts();
  } catch (e) {
    return dumpFailed(e);
  }
  const out = printer(ctx);
  out.startList();
  for (const p of ports) if (!index || p.ifindex === index) printBridgePort(out, links, p, ctx.details);
  out.endList();
  out.flush();
  return 0;
}

/** iproute2's parse_on_off: `on`/`off` (abbreviated), else its error (exit 234, -EINVAL). */
function onOffArg(key: string, arg: string): boolean {
  if (matches(arg, "off")) return false;
  if (matches(arg, "on")) return true;
  throw new CommandFailed(`Error: argument of "${key}" must be one of "off", "on", not "${arg}"`, 234);
}

/** `set` keywords that take on/off, and the option each sets. */
const ON_OFF: Record<string, keyof BridgePortOptions> = {
  guard: "guard",
  hairpin: "hairpin",
  fastleave: "fastLeave",
  root_block: "rootBlock",
  learning: "learning",
  learning_sync: "learningSync",
  flood: "unicastFlood",
  mcast_flood: "mcastFlood",
  bcast_flood: "bcastFlood",
  mcast_to_unicast: "mcastToUnicast",
  neigh_suppress: "neighSuppress",
  vlan_tunnel: "vlanTunnel",
  isolated: "isolated",
  locked: "locked",
};

async function set(ctx: BridgeContext, words: string[]): Promise<number> {
  let dev: string | undefined, backup: string | undefined;
  let noBackup = false, cost = 0, priority = -1, state = -1, mcastRouter = -1, mode = -1, flags = 0;
  const o: Record<string, unknown> = {};
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (w === "dev") dev = a.value(w);
    else if (Object.hasOwn(ON_OFF, w)) o[ON_OFF[w]] = onOffArg(w, a.value(w));
    else if (w === "mcast_router") mcastRouter = (atoi(a.value(w)) << 24) >> 24;
    else if (w === "cost") cost = atoi(a.value(w)) >>> 0;
    else if (w === "priority") priority = (atoi(a.value(w)) << 16) >> 16;
    else if (w === "state") {
      const v = a.value(w);
      if (/^[+-]?\d+$/.test(v.trimStart())) state = (Number(v) << 24) >> 24;
      else {
        state = parseStpState(v);
        if (state === -1) throw new CommandFailed("Error: invalid STP port state");
      }
    } else if (w === "hwmode") {
      const v = a.value(w);
      flags = 2; // BRIDGE_FLAGS_SELF: iproute2 assigns, dropping an earlier `master`
      if (v === "vepa") mode = 1;
      else if (v === "veb") mode = 0;
      else throw new CommandFailed('Mode argument must be "vepa" or "veb".');
    } else if (w === "self") flags |= 2;
    else if (w === "master") flags |= 1;
    else if (w === "backup_port") {
      backup = a.value(w);
      noBackup = false;
    } else if (w === "nobackup_port") {
      backup = undefined;
      noBackup = true;
    } else throw new UsageError(LINK_USAGE);
  }
  if (dev === undefined) throw new CommandFailed("Device is a required argument.");
  using conn = await connect(ctx);
  const links = await Links.load(conn);
  let backupIndex = 0;
  if (backup !== undefined) {
    backupIndex = links.index(backup);
    if (!backupIndex) throw new CommandFailed(`Error: device ${backup} does not exist`);
  }
  const index = links.index(dev);
  if (!index) throw new CommandFailed(`Cannot find bridge device "${dev}"`);
  const options: BridgePortOptions = o as BridgePortOptions;
  if (mcastRouter >= 0) options.mcastRouter = mcastRouter;
  if (cost > 0) options.cost = cost;
  if (priority >= 0) options.priority = priority;
  if (state >= 0) options.state = state;
  if (backupIndex) options.backupPort = backupIndex;
  else if (noBackup) options.backupPort = null;
  if (mode >= 0) options.hwmode = mode === 1 ? "vepa" : "veb";
  if (flags & 1) options.master = true;
  if (flags & 2) options.self = true;
  await conn.setBridgePort(index, options);
  return 0;
}

/**
 * `bridge link …` → exit code.
 *
 * @example
 * ```ts ignore
 * await run(ctx, ["set", "dev", "p0", "learning", "off"]);
 * ```
 */
export async function run(ctx: BridgeContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return await show(ctx, []);
  if (matches(cmd, "set") || matches(cmd, "change")) return await set(ctx, rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return await show(ctx, rest);
  if (matches(cmd, "help")) throw new UsageError(LINK_USAGE);
  throw new UsageError(`Command "${cmd}" is unknown, try "bridge link help".`);
}
