/**
 * `ip link add | set | delete`: iproute2's argument rules (iplink_parse),
 * mapped onto the library's typed options.
 *
 * @module
 */
import type { AddLinkOptions, LinkCommonOptions, LinkTypeChange, SetLinkOptions } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { parseInteger, parseLladdr } from "../common/inet.ts";
import { groupId } from "../common/names.ts";
import { connect, type IpContext } from "./context.ts";
import { type KindArgs, linkIndex, parseKindArgs, parsesKindArgs } from "./link_kind_args.ts";
import { LinkCache } from "./links.ts";

/** What `ip link add|set|delete` does. */
export type LinkOp = "add" | "set" | "delete";

/** Everything one iplink_parse pass collects. */
interface Parsed {
  name?: string;
  dev?: string;
  up?: boolean;
  mtu?: number;
  txqlen?: number;
  address?: Uint8Array;
  broadcast?: Uint8Array;
  alias?: string;
  group?: number;
  master?: string;
  /** `link DEV`: the parent device (IFLA_LINK). */
  link?: string;
  nomaster?: boolean;
  numTxQueues?: number;
  numRxQueues?: number;
  multicast?: boolean;
  allmulticast?: boolean;
  promisc?: boolean;
  noarp?: boolean;
  type?: string;
  /** Words after `type KIND`. */
  typeArgs: string[];
}

/** Options nlink does not map to the library yet. */
function unsupported(what: string): UsageError {
  return new UsageError(`nlink: "ip link ${what}" is not supported yet`, 1);
}

/** Names the kernel accepts (iproute2's check_ifname). */
function validName(name: string): boolean {
  return name !== "" && name.length < 16 && !/[\s/]/.test(name);
}

function onOff(what: string, v: string): boolean {
  if (v === "on") return true;
  if (v === "off") return false;
  throw new UsageError(`Error: argument of "${what}" must be "on" or "off", not "${v}"`, 1);
}

/** iproute2's iplink_parse over `args`; stops after `type KIND`. */
function parseLinkArgs(args: string[], create: boolean, usage: () => never): Parsed {
  const r: Parsed = { typeArgs: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (a === "up") r.up = true;
    else if (a === "down") r.up = false;
    else if (a === "name") {
      const v = next();
      if (r.name !== undefined) throw new UsageError(`Error: duplicate "name": "${v}" is the second value.`);
      if (!validName(v)) throw invalidArgument('"name" not a valid ifname', v);
      r.name = v;
      r.dev ??= v;
    } else if (a === "index") throw unsupported("index");
    else if (matches(a, "link")) r.link = next();
    else if (matches(a, "address")) r.address = parseLladdr(next());
    else if (matches(a, "broadcast") || a === "brd") r.broadcast = parseLladdr(next());
    else if (matches(a, "txqueuelen") || a === "qlen" || matches(a, "txqlen")) {
      const v = next();
      if (r.txqlen !== undefined) throw new UsageError(`Error: duplicate "txqueuelen": "${v}" is the second value.`);
      const n = parseInteger(v);
      if (n === undefined) throw invalidArgument('Invalid "txqueuelen" value\n', v);
      r.txqlen = n >>> 0;
    } else if (a === "mtu") {
      const v = next();
      if (r.mtu !== undefined) throw new UsageError(`Error: duplicate "mtu": "${v}" is the second value.`);
      const n = parseInteger(v);
      if (n === undefined) throw invalidArgument('Invalid "mtu" value\n', v);
      r.mtu = n >>> 0;
    } else if (["xdp", "xdpgeneric", "xdpdrv", "xdpoffload", "netns", "trailers", "carrier", "vf"].includes(a)) {
      throw unsupported(a);
    } else if (a === "multicast") r.multicast = onOff("multicast", next());
    else if (a === "allmulticast") r.allmulticast = onOff("allmulticast", next());
    else if (a === "promisc") r.promisc = onOff("promisc", next());
    else if (a === "arp") r.noarp = !onOff("arp", next());
    else if (matches(a, "master") || a === "vrf") r.master = next();
    else if (matches(a, "nomaster")) r.nomaster = true;
    else if (matches(a, "dynamic")) throw unsupported("dynamic");
    else if (matches(a, "type")) {
      r.type = next();
      r.typeArgs = args.slice(i + 1);
      break;
    } else if (matches(a, "alias")) {
      const v = next();
      if (new TextEncoder().encode(v).length >= 256) throw invalidArgument("alias too long\n", v);
      r.alias = v;
    } else if (a === "group") {
      const v = next();
      if (r.group !== undefined) throw new UsageError(`Error: duplicate "group": "${v}" is the second value.`);
      const g = groupId(v);
      if (g === undefined) throw invalidArgument('Invalid "group" value\n', v);
      r.group = g;
    } else if (matches(a, "numtxqueues") || matches(a, "numrxqueues")) {
      const tx = matches(a, "numtxqueues");
      const v = next();
      const n = parseInteger(v);
      if (n === undefined) throw invalidArgument(`Invalid "num${tx ? "tx" : "rx"}queues" value\n`, v);
      if (tx) r.numTxQueues = n >>> 0;
      else r.numRxQueues = n >>> 0;
    } else if (
      ["mode", "state", "protodown", "protodown_reason", "gso_max_size", "gso_max_segs", "gro_max_size", "parentdev"]
        .includes(a) || matches(a, "addrgenmode") || matches(a, "link-netns") || matches(a, "link-netnsid")
    ) {
      throw unsupported(a);
    } else {
      if (matches(a, "help")) usage();
      let d = a;
      if (a === "dev") d = next();
      if (r.dev !== r.name) throw new UsageError(`Error: either "dev" is duplicate, or "${d}" is a garbage.`);
      if (d === "" || d.length > 127 || /[\s/]/.test(d)) throw invalidArgument('"dev" not a valid ifname', d);
      r.dev = d;
    }
  }
  if (r.name === undefined) r.name = r.dev;
  else if (r.dev === undefined) r.dev = r.name;
  if (create && r.name !== r.dev) {
    throw new UsageError('both "name" and "dev" cannot be used when creating devices.');
  }
  return r;
}

/** The common creation options of a parsed `ip link add` (or of a veth peer). */
function common(p: Parsed): LinkCommonOptions {
  const o: LinkCommonOptions = { name: p.name! };
  if (p.mtu !== undefined) o.mtu = p.mtu;
  if (p.txqlen !== undefined) o.txqlen = p.txqlen;
  if (p.address !== undefined) o.address = lladdrText(p.address);
  if (p.numTxQueues !== undefined) o.numTxQueues = p.numTxQueues;
  if (p.numRxQueues !== undefined) o.numRxQueues = p.numRxQueues;
  return o;
}

function lladdrText(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(":");
}

/** Kinds with options iproute2 parses that nlink cannot encode yet. */
const KINDS_WITH_OPTIONS = new Set([
  "bridge",
  "bond",
  "vlan",
  "vxlan",
  "macvlan",
  "macvtap",
  "ipvlan",
  "ipvtap",
  "vrf",
  "geneve",
  "gre",
  "gretap",
  "ipip",
  "sit",
  "ip6tnl",
  "vti",
  "xfrm",
  "can",
  "hsr",
  "macsec",
  "bareudp",
  "amt",
  "gtp",
  "wwan",
  "rmnet",
  "team",
  "team_slave",
  "bridge_slave",
  "bond_slave",
]);

/**
 * Runs `ip link add|set|delete ARGS…`.
 *
 * @example
 * ```ts ignore
 * await modifyLink(ctx, "set", ["dev", "p0", "up"], usage);
 * ```
 */
export async function modifyLink(ctx: IpContext, op: LinkOp, args: string[], usage: () => never): Promise<number> {
  const parsed = parseLink(op, args, usage);
  using conn = await connect(ctx);
  const plan = planLink(op, parsed, usage, await LinkCache.load(conn));
  switch (plan.op) {
    case "usage":
      // iproute2 prints this usage on stdout, then fails.
      console.log(plan.text);
      return 1;
    case "delete":
      await conn.delLink(plan.index);
      return 0;
    case "set":
      await conn.setLink(plan.index, plan.options);
      return 0;
    case "add":
      await conn.addLink(plan.options);
      return 0;
  }
}

/** A parsed `ip link add|set|delete` command line (devices still names). */
export type ParsedLink = Parsed;

/**
 * Parses `ip link add|set|delete` words without touching the kernel
 * (iproute2's iplink_parse); throws a UsageError (or calls `usage`) as iproute2 would fail.
 *
 * @example
 * ```ts ignore
 * const parsed = parseLink("set", ["dev", "p0", "up"], usage);
 * ```
 */
export function parseLink(op: LinkOp, args: string[], usage: () => never): ParsedLink {
  return parseLinkArgs(args, op === "add", usage);
}

/** What a parsed `ip link` command asks the library to do, devices resolved. */
export type LinkPlan =
  | { op: "delete"; index: number }
  | { op: "set"; index: number; options: SetLinkOptions }
  | { op: "add"; options: AddLinkOptions }
  /** Fail with exit 1 after printing this usage text on stdout. */
  | { op: "usage"; text: string };

/**
 * Turns a parsed `ip link` command into library options, resolving devices
 * through `links`; throws iproute2's error for a missing device or an option
 * nlink cannot express.
 *
 * @example
 * ```ts ignore
 * const plan = planLink("set", parseLink("set", ["p0", "up"], usage), usage, links);
 * ```
 */
export function planLink(op: LinkOp, p: ParsedLink, usage: () => never, links: LinkCache): LinkPlan {
  const create = op === "add";
  let peer: Parsed | undefined;
  let kindArgs: KindArgs | undefined;
  if (p.type !== undefined && p.typeArgs.length > 0) {
    if (p.type === "veth") {
      if (p.typeArgs[0] !== "peer") {
        return {
          op: "usage",
          text: "Usage: ip link add NAME [ OPTIONS ] type veth [ peer [ name ] PEER [ OPTIONS ] ]",
        };
      }
      peer = parseLinkArgs(p.typeArgs.slice(1), true, usage);
      if (peer.type !== undefined) {
        throw new UsageError(`Error: duplicate "type": "${peer.type}" is the second value.`);
      }
    } else if (parsesKindArgs(p.type)) kindArgs = parseKindArgs(p.type, p.typeArgs);
    else if (KINDS_WITH_OPTIONS.has(p.type)) {
      throw new UsageError(`nlink: options for "type ${p.type}" are not supported yet`, 1);
    } else if (!["dummy", "ifb", "nlmon", "vcan", "vxcan", "veth", "netdevsim", "virt_wifi"].includes(p.type)) {
      if (matches(p.typeArgs[0], "help")) usage();
      throw new UsageError(`Garbage instead of arguments "${p.typeArgs[0]} ...". Try "ip link help".`, 1);
    }
  }
  let master: number | undefined;
  if (p.master !== undefined) {
    master = links.index(p.master);
    if (!master) throw invalidArgument("Device does not exist\n", p.master);
  }
  if (!create) {
    if (p.dev === undefined) throw new UsageError('Not enough information: "dev" argument is required.');
    const index = links.index(p.dev);
    if (!index) throw new UsageError(`Cannot find device "${p.dev}"`, 1);
    if (op === "delete") return { op: "delete", index };
    const dev = links.get(index);
    const want = dev?.address ? dev.address.split(":").length : -1;
    if (p.address && want >= 0 && want !== p.address.length) {
      throw new UsageError(`Invalid address length ${p.address.length} - must be ${want} bytes`, 1);
    }
    if (p.numTxQueues !== undefined || p.numRxQueues !== undefined) throw unsupported("set numtxqueues/numrxqueues");
    const o: SetLinkOptions = {};
    if (p.up !== undefined) o.up = p.up;
    if (p.mtu !== undefined) o.mtu = p.mtu;
    if (p.txqlen !== undefined) o.txqlen = p.txqlen;
    if (p.address !== undefined) o.address = lladdrText(p.address);
    if (p.broadcast !== undefined) o.broadcast = lladdrText(p.broadcast);
    if (p.alias !== undefined) o.alias = p.alias;
    if (p.group !== undefined) o.group = p.group;
    if (master !== undefined) o.master = master;
    if (p.nomaster) o.nomaster = true;
    if (p.multicast !== undefined) o.multicast = p.multicast;
    if (p.allmulticast !== undefined) o.allmulticast = p.allmulticast;
    if (p.promisc !== undefined) o.promisc = p.promisc;
    if (p.noarp !== undefined) o.noarp = p.noarp;
    // Renaming to the same name is no rename (iproute2 drops IFLA_IFNAME then).
    if (p.name !== undefined && p.name !== p.dev) o.name = p.name;
    if (kindArgs) o.type = { kind: p.type, ...kindArgs } as LinkTypeChange;
    return { op: "set", index, options: o };
  }
  if (p.type === undefined) throw new UsageError('Not enough information: "type" argument is required', 1);
  if (p.name === undefined) throw unsupported("add without a name");
  if (p.broadcast || p.alias !== undefined || p.group !== undefined || p.nomaster || p.noarp !== undefined) {
    throw unsupported("add with broadcast/alias/group/nomaster/arp");
  }
  if (p.multicast !== undefined || p.allmulticast !== undefined || p.promisc !== undefined) {
    throw unsupported("add with multicast/allmulticast/promisc");
  }
  let options: AddLinkOptions;
  if (p.type === "veth") {
    if (!peer?.name) throw unsupported("add type veth without a peer name");
    if (peer.master !== undefined || peer.up !== undefined || peer.alias !== undefined || peer.group !== undefined) {
      throw unsupported("add type veth peer with master/up/alias/group");
    }
    options = { kind: "veth", ...common(p), peer: common(peer) };
  } else options = { kind: p.type, ...common(p), ...kindArgs } as AddLinkOptions;
  if (p.link !== undefined) options.link = linkIndex(p.link, links);
  if (master !== undefined) options.master = master;
  if (p.up) options.up = true;
  return { op: "add", options };
}
