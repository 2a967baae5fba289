/**
 * `ip link add | set | delete`: iproute2's argument rules (iplink_parse),
 * mapped onto the library's typed options.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import {
  type Connection,
  type Link,
  type LinkCommonOptions,
  type LinkNetns,
  type LinkTypeChange,
  type LinkVfOptions,
  type LinkVfVlan,
  type LinkXdpChange,
  needsCurrentRates,
  NETNS_RUN_DIR,
  type NewLinkXdpOptions,
  type SetLinkXdpOptions,
  withCurrentVfRates,
} from "@nlink/nlink";
import { ETH_P } from "@nlink/nlink/tables";
import { invalidArgument, matches, nextWord, UsageError } from "../common/args.ts";
import { llProto } from "../common/ll_proto.ts";
import { parseInteger, parseLladdr, parseUnsigned } from "../common/inet.ts";
import { groupId, protodownReasonId } from "../common/names.ts";
import { connect, ctxFamilyNumber, type IpContext } from "./context.ts";
import { kindWordError, linkKindHelp } from "./link_help.ts";
import { type KindArgs, linkIndex, parseKindArgs, parsesKindArgs } from "./link_kind_args.ts";
import { LinkCache } from "./links.ts";

/** What `ip link add|set|replace|delete` does. */
export type LinkOp = "add" | "set" | "replace" | "delete";

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
  dynamic?: boolean;
  /** `index N`: the ifindex a created link gets. */
  index?: number;
  type?: string;
  /** `netns NAME|PID`: the namespace the link moves to (or is created in). */
  netns?: LinkNetns;
  /** `carrier on|off`. */
  carrier?: boolean;
  /** `link-netns NAME`: resolved to an id once connected. */
  linkNetns?: string;
  /** `link-netnsid ID`, or the id `link-netns NAME` resolved to. */
  linkNetnsid?: number;
  /** `xdp… off|pinned PATH|fd PATH`. */
  xdp?: LinkXdpChange;
  /** `mode default|dormant`. */
  linkmode?: "default" | "dormant";
  /** `state UP|DOWN|…`. */
  operstate?: NonNullable<SetLinkXdpOptions["operstate"]>;
  /** `protodown on|off`. */
  protoDown?: boolean;
  /** `protodown_reason N on|off`. */
  protoDownReason?: { reason: number; on: boolean };
  /** `gso_max_size N`, `gso_max_segs N`, `gro_max_size N`. */
  gsoMaxSize?: number;
  gsoMaxSegs?: number;
  groMaxSize?: number;
  /** `addrgenmode eui64|none|stable_secret|random`. */
  addrgenmode?: "eui64" | "none" | "stable_secret" | "random";
  /** `trailers on|off`: IFF_NOTRAILERS (off sets it). */
  noTrailers?: boolean;
  /** `parentdev NAME`. */
  parentDev?: string;
  /** `vf N …`: SR-IOV VF settings, each with the length of its `mac` (checked against the device's). */
  vfs?: { options: LinkVfOptions; macLength?: number }[];
  /** Words after `type KIND`. */
  typeArgs: string[];
}

/**
 * The words of `vf N …` after N (iproute2's iplink_parse_vf), from `args[i]`
 * (N) on: the VF's settings in word order, the length of its `mac`, and the
 * index of the last word read.
 */
function parseVf(args: string[], i: number, vf: number): [{ options: LinkVfOptions; macLength?: number }, number] {
  const o: LinkVfOptions = { vf };
  let macLength: number | undefined;
  const start = i;
  const value = () => nextWord(args, ++i);
  const u32 = (what: string) => {
    const v = value();
    const n = parseUnsigned(v);
    if (n === undefined) throw invalidArgument(`Invalid "${what}" value\n`, v);
    return n;
  };
  const setting = (what: string) => {
    const v = value();
    try {
      return parseOnOff(what, v);
    } catch (e) {
      // parse_on_off's error, but iplink_parse_vf's failure ends the command with 1
      throw e instanceof UsageError ? new UsageError(e.message, 1) : e;
    }
  };
  const guid = () => {
    const v = value();
    if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){7}$/.test(v)) throw invalidArgument("Invalid GUID format\n", v);
    return v;
  };
  while (i + 1 < args.length) {
    const a = args[++i];
    if (matches(a, "mac")) {
      const mac = parseLladdr(value());
      o.mac = lladdrText(mac);
      macLength = mac.length;
    } else if (matches(a, "vlan")) {
      if (o.vlan !== undefined) throw unsupported("set … vf N vlan … vlan (a second 802.1Q VLAN)");
      [o.vlan, i] = vfVlan(args, i);
      if (o.vlan.protocol === "802.1ad") {
        // An 802.1ad VLAN starts a list: every `vlan …` right after it joins it.
        while (i + 1 < args.length && matches(args[i + 1], "vlan")) {
          let more: LinkVfVlan;
          [more, i] = vfVlan(args, i + 1);
          (o.moreVlans ??= []).push(more);
        }
      }
    } else if (matches(a, "rate")) o.rate = u32("rate");
    else if (matches(a, "max_tx_rate")) o.maxTxRate = u32("max tx rate");
    else if (matches(a, "min_tx_rate")) o.minTxRate = u32("min tx rate");
    else if (matches(a, "spoofchk")) o.spoofchk = setting("spoofchk");
    else if (matches(a, "query_rss")) o.queryRss = setting("query_rss");
    else if (matches(a, "trust")) o.trust = setting("trust");
    else if (matches(a, "state")) {
      const v = value();
      const s = (["auto", "enable", "disable"] as const).find((w) => matches(v, w));
      if (s === undefined) throw invalidArgument('Invalid "state" value\n', v);
      o.state = s;
    } else if (matches(a, "node_guid")) o.nodeGuid = guid();
    else if (matches(a, "port_guid")) o.portGuid = guid();
    else {
      i--;
      break;
    }
  }
  if (i === start) throw new UsageError('Command line is not complete. Try option "help"');
  if (o.rate !== undefined && o.maxTxRate !== undefined) delete o.rate; // max_tx_rate overrides the old rate
  return [{ options: o, macLength }, i];
}

/** `vlan ID [qos Q] [proto P]` (iplink_parse_vf_vlan_info), from `args[i]` (the word `vlan`). */
function vfVlan(args: string[], i: number): [LinkVfVlan, number] {
  const v = nextWord(args, ++i);
  const id = parseUnsigned(v, 4095);
  if (id === undefined) throw invalidArgument('Invalid "vlan" value\n', v);
  const out: LinkVfVlan = { id };
  if (i + 1 < args.length && matches(args[i + 1], "qos")) {
    const q = nextWord(args, i += 2);
    const qos = parseUnsigned(q);
    if (qos === undefined) throw invalidArgument('Invalid "qos" value\n', q);
    out.qos = qos;
  }
  if (i + 1 < args.length && matches(args[i + 1], "proto")) {
    const p = nextWord(args, i += 2);
    const named = llProto(p);
    if (named === undefined) throw invalidArgument("protocol is invalid\n", p);
    const n = typeof named === "number" ? named : ETH_P.value(named);
    const proto = n === 0x8100 ? "802.1Q" : n === 0x88a8 ? "802.1ad" : undefined;
    if (proto === undefined) throw invalidArgument('Invalid "vlan protocol" value - supported 802.1Q, 802.1ad\n', p);
    out.protocol = proto;
  }
  return [out, i];
}

/** The operational states `state` takes, by IF_OPER_* number. */
const OPER_STATES = ["UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"] as const;

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

/** iproute2's parse_on_off (newer options such as `carrier`): its own wording, and -EINVAL as the exit code. */
function parseOnOff(what: string, v: string): boolean {
  if (v === "on") return true;
  if (v === "off") return false;
  throw new UsageError(`Error: argument of "${what}" must be one of "off", "on", not "${v}"`, 22);
}

/**
 * `netns NAME|PID` as iproute2 reads it: a file under the netns directory (or
 * a path, when the word has a slash) that exists, else a whole number as a pid.
 */
function netnsTarget(v: string): LinkNetns {
  const path = v.includes("/") ? v : `${NETNS_RUN_DIR}/${v}`;
  try {
    Deno.statSync(path);
    return { path };
  } catch {
    const pid = parseInteger(v);
    if (pid === undefined) throw invalidArgument('Invalid "netns" value\n', v);
    return { pid };
  }
}

/** The XDP flags iproute2 sets for each word (XDP_FLAGS_SKB_MODE, _DRV_MODE, _HW_MODE). */
const XDP_MODES: Record<string, LinkXdpChange["mode"]> = {
  xdp: undefined,
  xdpgeneric: "generic",
  xdpdrv: "drv",
  xdpoffload: "offload",
};

/**
 * `xdp… { off | none | object FILE | pinned PATH | object-pinned PATH | fd PATH } [ section S ] [ program P ]
 * [ verbose ]` from `args[i]` (the word after `xdp…`); returns the change and the index of its last word. As in
 * iproute2, `off` counts only as the command's last word, and `fd` is another spelling of `pinned` (a path, not a
 * number). An object's program is the one named by `program`, else the first of section `section` (default `prog`,
 * iproute2's default section for XDP).
 */
function parseXdp(args: string[], i: number, word: string, force: boolean): [LinkXdpChange, number] {
  const mode = XDP_MODES[word];
  const base: LinkXdpChange = { ...(mode ? { mode } : {}), ...(force ? { force: true } : {}) };
  const a = args[i];
  if (i === args.length - 1 && (a === "off" || a === "none")) return [{ ...base, off: true }, i];
  const object = matches(a, "object-file") || a === "obj";
  if (matches(a, "bytecode") || a === "bc" || matches(a, "bytecode-file") || a === "bcf") {
    throw new UsageError(`What mode is "${a}"?`, 255);
  }
  if (!(object || matches(a, "object-pinned") || matches(a, "pinned") || matches(a, "fd"))) {
    throw new UsageError(`What mode is "${a}"?`, 255);
  }
  if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
  const pinned = args[++i];
  if (!object && pinned.startsWith("m:") && pinned.length > 2) {
    throw new UsageError(`nlink: "m:" paths (iproute2's bpf work directory) are not supported: "${pinned}"`, 1);
  }
  // Words iproute2 reads after the path (section, program, verbose): they change nothing for a pinned program.
  // `verbose` (libbpf's log on stderr) is taken and ignored.
  const named: { section?: string; program?: string } = {};
  for (const [w, takes] of [["section", true], ["program", true], ["verbose", false]] as const) {
    const next = args[i + 1];
    if (next === undefined) break;
    if (w === "program" ? next !== "program" : !matches(next, w)) continue;
    i += takes ? 2 : 1;
    if (i >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
    if (w !== "verbose") named[w] = args[i];
  }
  if (!object) return [{ ...base, pinned }, i];
  const choice = named.program !== undefined ? { program: named.program } : { section: named.section ?? "prog" };
  return [{ ...base, object: pinned, ...choice }, i];
}

/** iproute2's iplink_parse over `args`; stops after `type KIND`. */
function parseLinkArgs(args: string[], create: boolean, usage: () => never, force = false): Parsed {
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
    } else if (a === "index") {
      const v = next();
      if (r.index !== undefined) throw new UsageError(`Error: duplicate "index": "${v}" is the second value.`);
      // iproute2 reads it with atoi: leading digits count, anything else is 0.
      const n = Number(/^\s*[+-]?\d+/.exec(v)?.[0] ?? 0);
      if (!(n > 0)) throw invalidArgument('Invalid "index" value', v);
      r.index = n > 0x7fffffff ? 0x7fffffff : n;
    } else if (matches(a, "link")) r.link = next();
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
    } else if (a in XDP_MODES) {
      // Creating, iproute2 opens the program for the device's index only in offload mode, which a device
      // not yet made cannot have: it stops there.
      if (create && a === "xdpoffload") throw new UsageError('Command line is not complete. Try option "help"');
      if (i + 1 >= args.length) next();
      [r.xdp, i] = parseXdp(args, i + 1, a, force);
    } else if (a === "netns") {
      const v = next();
      if (r.netns !== undefined) throw new UsageError(`Error: duplicate "netns": "${v}" is the second value.`);
      r.netns = netnsTarget(v);
    } else if (a === "carrier") {
      r.carrier = parseOnOff("carrier", next());
    } else if (a === "vf") {
      const v = next();
      const vf = parseInteger(v);
      if (vf === undefined) throw invalidArgument('Invalid "vf" value\n', v);
      if (r.dev === undefined) throw new UsageError('Error: argument "dev" is required', 255);
      let parsed: { options: LinkVfOptions; macLength?: number };
      [parsed, i] = parseVf(args, i, vf);
      (r.vfs ??= []).push(parsed);
    } else if (a === "multicast") r.multicast = onOff("multicast", next());
    else if (a === "allmulticast") r.allmulticast = onOff("allmulticast", next());
    else if (a === "promisc") r.promisc = onOff("promisc", next());
    else if (a === "arp") r.noarp = !onOff("arp", next());
    else if (matches(a, "master") || a === "vrf") r.master = next();
    else if (matches(a, "nomaster")) r.nomaster = true;
    else if (matches(a, "dynamic")) r.dynamic = onOff("dynamic", next());
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
    } else if (a === "mode") {
      const v = next();
      const mode = (["default", "dormant"] as const).find((m) => m === v.toLowerCase());
      if (mode === undefined) throw invalidArgument("Invalid link mode\n", v);
      r.linkmode = mode;
    } else if (a === "state") {
      const v = next();
      const state = OPER_STATES.find((s) => s === v.toUpperCase());
      if (state === undefined) throw invalidArgument("Invalid operstate\n", v);
      r.operstate = state;
    } else if (matches(a, "addrgenmode")) {
      const v = next();
      const mode = (["eui64", "none", "stable_secret", "random"] as const).find((m) => m === v.toLowerCase());
      if (mode === undefined) throw invalidArgument("Invalid address generation mode\n", v);
      r.addrgenmode = mode;
    } else if (a === "protodown") r.protoDown = parseOnOff("protodown", next());
    else if (a === "protodown_reason") {
      const v = next();
      const reason = protodownReasonId(v);
      if (reason === undefined) throw invalidArgument("invalid protodown reason\n", v);
      const w = next();
      if (w !== "" && "on".startsWith(w)) r.protoDownReason = { reason, on: true };
      else if (w !== "" && "off".startsWith(w)) r.protoDownReason = { reason, on: false };
      else onOff("protodown_reason", w);
    } else if (a === "gso_max_size" || a === "gso_max_segs" || a === "gro_max_size") {
      const v = next();
      const n = parseUnsigned(v, a === "gso_max_segs" ? 65535 : 0xffffffff);
      if (n === undefined) throw invalidArgument(`Invalid "${a}" value\n`, v);
      r[a === "gso_max_size" ? "gsoMaxSize" : a === "gso_max_segs" ? "gsoMaxSegs" : "groMaxSize"] = n;
    } else if (a === "trailers") {
      const v = next();
      if (v !== "on" && v !== "off") onOff("trailers", v);
      r.noTrailers = v === "off";
    } else if (a === "parentdev") r.parentDev = next();
    else if (matches(a, "link-netns") || matches(a, "link-netnsid")) {
      const v = next();
      if (r.linkNetns !== undefined || r.linkNetnsid !== undefined) {
        throw new UsageError(`Error: duplicate "link-netns/link-netnsid": "${v}" is the second value.`);
      }
      if (matches(a, "link-netns")) r.linkNetns = v;
      else {
        const id = parseInteger(v);
        if (id === undefined) throw invalidArgument('Invalid "link-netnsid" value\n', v);
        r.linkNetnsid = id;
      }
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
  if (r.index !== undefined && !create && r.netns === undefined) {
    throw new UsageError("index can be used only when creating devices or when moving device to another netns.");
  }
  if (create && r.name !== r.dev) {
    throw new UsageError('both "name" and "dev" cannot be used when creating devices.');
  }
  return r;
}

/** The common creation options of a parsed `ip link add` (or of a veth peer), `master` resolved. */
function common(p: Parsed, master: number | undefined): Partial<LinkCommonOptions> {
  return wordOptions(p, master, COMMON_WORDS) as Partial<LinkCommonOptions>;
}

/**
 * A veth peer's words on `ip link set … type veth peer …`: iproute2 reads them
 * as a change of the device they name, which it looks up first.
 */
function setPeer(peer: Parsed, links: LinkCache): Partial<LinkCommonOptions> {
  const name = peer.dev ?? peer.name;
  if (name === undefined) throw new UsageError('Not enough information: "dev" argument is required.');
  const index = links.index(name);
  if (!index) throw new UsageError(`Cannot find device "${name}"`, 1);
  const o = common({ ...peer, name: peer.name === name ? undefined : peer.name, index: undefined }, undefined);
  return { ...o, index };
}

/** `ip link add`'s words beyond the shared ones, by option (a veth peer's too). */
const COMMON_WORDS: Partial<Record<keyof Parsed, string>> = { group: "deviceGroup", index: "index", name: "name" };

/** Words `ip link add` and `ip link set` share, by their option's name (the same in both). */
const SHARED_WORDS: ReadonlySet<keyof Parsed> = new Set<keyof Parsed>([
  "up",
  "netns",
  "linkNetnsid",
  "mtu",
  "txqlen",
  "alias",
  "multicast",
  "allmulticast",
  "promisc",
  "noarp",
  "dynamic",
  "numTxQueues",
  "numRxQueues",
  "gsoMaxSize",
  "gsoMaxSegs",
  "groMaxSize",
  "addrgenmode",
  "noTrailers",
  "linkmode",
  "operstate",
  "protoDown",
  "protoDownReason",
  "parentDev",
]);

/**
 * The library's options for the words of `p`, in the order of the words:
 * Parsed's keys are set as their words are read, and the library encodes
 * attributes in its options' key order, so the request has iproute2's order
 * (it adds each attribute at its word). `more` names the options of the words
 * one command takes and the other does not, or calls differently.
 */
function wordOptions(
  p: Parsed,
  master: number | undefined,
  more: Partial<Record<keyof Parsed, string>>,
): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const key of Object.keys(p) as (keyof Parsed)[]) {
    const value = p[key];
    if (value === undefined) continue;
    if (key === "address" || key === "broadcast") o[key] = lladdrText(value as Uint8Array);
    else if (key === "master") {
      if (master !== undefined) o.master = master;
    } else if (key === "nomaster") {
      if (value) o.nomaster = true;
    } else if (key === "vfs") {
      if (more.vfs !== undefined) o.vfs = (value as NonNullable<Parsed["vfs"]>).map((v) => v.options);
    } else if (SHARED_WORDS.has(key)) o[key] = value;
    else if (more[key] !== undefined) o[more[key]!] = value;
  }
  return o;
}

/** The ifindex of `master DEV`, failing as iproute2 does. */
function masterIndex(name: string | undefined, links: LinkCache): number | undefined {
  if (name === undefined) return undefined;
  const index = links.index(name);
  if (!index) throw invalidArgument("Device does not exist\n", name);
  return index;
}

/** iproute2 refuses `group` on a device it creates without naming it (the words would select a group). */
function checkCreateGroup(p: Parsed): void {
  if (p.group === undefined || p.dev !== undefined) return;
  if (p.typeArgs.length > 0) {
    throw new UsageError(`Garbage instead of arguments "${p.typeArgs[0]} ...". Try "ip link help".`, 255);
  }
  throw new UsageError("group cannot be used when creating devices.", 255);
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
  "bridge_slave",
  "bond_slave",
]);

/**
 * What iproute2 reads from the kernel while it parses a change, in its order:
 * the device's address length for each VF `mac` and for `address`
 * (nl_get_ll_addr_len: the lengths must match), and the link's VF rates
 * when a VF's rate change gives one bound only (ipaddr_get_vf_rate, which
 * reads every link). The rates read complete `plan`'s VF options.
 */
async function readForSet(
  conn: Connection,
  family: number,
  p: Parsed,
  plan: { index: number; options: SetLinkXdpOptions },
): Promise<void> {
  const checkLength = async (length: number) => {
    const want = await conn.getLinkAddressLength(plan.index, family).catch(() => undefined);
    if (want !== undefined && want !== length) {
      throw new UsageError(`Invalid address length ${length} - must be ${want} bytes`, 1);
    }
  };
  for (const [k, vf] of (p.vfs ?? []).entries()) {
    if (vf.macLength !== undefined) await checkLength(vf.macLength);
    let o = vf.options;
    if (needsCurrentRates(o)) {
      const link = (await conn.getLinks({ family: "unspec" })).find((l) => l.index === plan.index);
      const list = link?.numVf === undefined ? undefined : link.vfinfoList?.info;
      if (list?.some((v) => v.rate === undefined)) throw new UsageError("VF min/max rate API not supported", 1);
      if (list && !list.some((v) => (v.rate as { vf: number }).vf === o.vf)) {
        throw new UsageError(`Cannot find VF ${o.vf}`, 1);
      }
      o = plan.options.vfs![k] = withCurrentVfRates([o], link ?? ({} as Link))[0];
    }
    const max = o.maxTxRate ?? (o.minTxRate !== undefined ? o.rate : undefined);
    if (max && o.minTxRate !== undefined && o.minTxRate > max) {
      throw new UsageError(`Invalid min_tx_rate ${o.minTxRate} - must be <= max_tx_rate ${max}`, 1);
    }
  }
  if (p.address) await checkLength(p.address.length);
}

/**
 * Runs `ip link add|set|delete ARGS…`.
 *
 * @example
 * ```ts ignore
 * await modifyLink(ctx, "set", ["dev", "p0", "up"], usage);
 * ```
 */
export async function modifyLink(ctx: IpContext, op: LinkOp, args: string[], usage: () => never): Promise<number> {
  const parsed = parseLink(op, args, usage, ctx.force);
  using conn = await connect(ctx);
  for (const p of [parsed, peerOf(parsed)]) {
    if (p?.linkNetns !== undefined) p.linkNetnsid = await nsidOf(conn, p.linkNetns);
  }
  const plan = await LinkCache.planning(conn, (links, warn) => planLink(op, parsed, usage, links, warn));
  if (plan.op === "set") await readForSet(conn, ctxFamilyNumber(ctx), parsed, plan);
  if (plan.op === "add" && op === "replace") {
    try {
      await conn.replaceLink(plan.options);
    } catch (e) {
      throw xdpError(e, plan.options.xdp);
    }
    return 0;
  }
  switch (plan.op) {
    case "usage":
      // iproute2 prints this usage on stdout, then fails.
      console.log(plan.text);
      return 1;
    case "delete":
      await conn.delLink(plan.index);
      return 0;
    case "deleteGroup":
      await conn.delLinkGroup(plan.group);
      return 0;
    case "setGroup":
      await conn.setLinkGroup(plan.group, plan.options);
      return 0;
    case "set":
      try {
        await conn.setLink(plan.index, plan.options);
      } catch (e) {
        throw xdpError(e, plan.options.xdp);
      }
      return 0;
    case "add":
      try {
        await conn.addLink(plan.options);
      } catch (e) {
        throw xdpError(e, plan.options.xdp);
      }
      return 0;
  }
}

/** The words of a veth's `peer …`, parsed (for resolving its `link-netns` early), if any. */
function peerOf(p: Parsed): Parsed | undefined {
  if (p.type !== "veth" || p.typeArgs[0] !== "peer") return undefined;
  try {
    return parseLinkArgs(p.typeArgs.slice(1), true, () => {
      throw new UsageError("", 255, true);
    });
  } catch {
    return undefined; // planLink reports it
  }
}

/**
 * The id this namespace has for `link-netns NAME` (a name under the netns directory, or a path), assigning
 * one first when it has none, as iproute2 does.
 */
async function nsidOf(conn: Connection, name: string): Promise<number> {
  const target = name.includes("/") ? { path: name } : { path: `${NETNS_RUN_DIR}/${name}` };
  try {
    let id = await conn.getNsid(target);
    if (id < 0) {
      await conn.setNsid(target, -1);
      id = await conn.getNsid(target);
    }
    if (id >= 0) return id;
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
  }
  throw invalidArgument('Invalid "link-netns" value\n', name);
}

/**
 * iproute2's messages when an XDP program cannot be had (it fails before sending): a pinned program that cannot
 * be opened, an object file that cannot be read or lacks the section or program asked for.
 */
function xdpError(e: unknown, xdp: LinkXdpChange | undefined): unknown {
  if (xdp === undefined || !(e instanceof NetlinkError)) return e;
  if (xdp.pinned !== undefined && e.operation?.startsWith("bpf(BPF_OBJ_GET)")) {
    return new UsageError(`Couldn't retrieve pinned program '${xdp.pinned}': ${e.reason}`, 255);
  }
  // A BpfObjectError (src/util/bpf_object.ts) says what is wrong with the object in `problem`.
  const problem = xdp.object === undefined ? undefined : (e as { problem?: unknown }).problem;
  switch (problem) {
    case "unreadable":
      return new UsageError("Cannot initialize ELF context!", 255);
    case "not-bpf":
      return new UsageError("ELF format error, ELF file not for eBPF?\nCannot initialize ELF context!", 255);
    case "no-section":
      return new UsageError(`object file doesn't contain sec ${xdp.section}`, 255);
    case "no-program":
      return new UsageError(`object file doesn't contain prog ${xdp.program}`, 255);
    case "unsupported":
      return new UsageError(`nlink: cannot load "${xdp.object}": ${(e as { why?: string }).why} is not supported`, 1);
  }
  return e;
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
export function parseLink(op: LinkOp, args: string[], usage: () => never, force = false): ParsedLink {
  const create = op === "add" || op === "replace";
  const p = parseLinkArgs(args, create, usage, force);
  if (create) checkCreateGroup(p);
  return p;
}

/**
 * iproute2's parser of each tunnel kind (link_gre.c serves gre and gretap, …). A `set … type
 * KIND` of these reads the current settings first (the library's setLink lays the change over
 * them); erspan and ip6erspan are here only as links of a kind that parser reads.
 */
const TUNNEL_PARSER: Record<string, string> = {
  gre: "gre",
  gretap: "gre",
  erspan: "gre",
  ip6gre: "gre6",
  ip6gretap: "gre6",
  ip6erspan: "gre6",
  ipip: "iptnl",
  sit: "iptnl",
  ip6tnl: "ip6tnl",
  vti: "vti",
  vti6: "vti6",
};

/** What a parsed `ip link` command asks the library to do, devices resolved. */
export type LinkPlan =
  | { op: "delete"; index: number }
  | { op: "set"; index: number; options: SetLinkXdpOptions }
  | { op: "add"; options: NewLinkXdpOptions }
  /** `group G` without a device: every link of the group. */
  | { op: "setGroup"; group: number; options: SetLinkXdpOptions }
  | { op: "deleteGroup"; group: number }
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
export function planLink(
  op: LinkOp,
  p: ParsedLink,
  usage: () => never,
  links: LinkCache,
  warn: (message: string) => void = console.error,
): LinkPlan {
  const create = op === "add" || op === "replace";
  // iproute2 resolves `master` at its word, and ends its parse for `group G` without a device before a kind's words.
  const master = masterIndex(p.master, links);
  if (!create && p.dev === undefined && p.group !== undefined) {
    // `group G` without a device selects the group: one request for all its links (a bare `type KIND` is dropped).
    if (p.typeArgs.length > 0) {
      throw new UsageError(`Garbage instead of arguments "${p.typeArgs[0]} ...". Try "ip link help".`, 255);
    }
    if (op === "delete") return { op: "deleteGroup", group: p.group };
    return { op: "setGroup", group: p.group, options: setOptions(p, master) };
  }
  // iproute2's iplink_parse looks up the device (a change) or `link` (a creation) before the kind's words.
  let index = 0;
  if (!create) {
    if (p.dev === undefined) throw new UsageError('Not enough information: "dev" argument is required.');
    index = links.index(p.dev);
    if (!index) throw new UsageError(`Cannot find device "${p.dev}"`, 1);
  }
  const link = create && p.link !== undefined ? linkIndex(p.link, links) : undefined;
  let peer: Parsed | undefined;
  let kindArgs: KindArgs | undefined;
  if (p.type !== undefined && p.typeArgs.length > 0) {
    if (p.type === "veth") {
      // veth prints its usage on stdout for any word but `peer`, and fails.
      if (p.typeArgs[0] !== "peer") return { op: "usage", text: linkKindHelp("veth")!.text };
      // On `set` the peer's words are a change (iproute2 parses them as `ip link set` words).
      peer = parseLinkArgs(p.typeArgs.slice(1), create, usage);
      if (create) checkCreateGroup(peer);
      // The library's peer options have neither (iproute2 would send them in the peer's ifinfomsg).
      if (peer.carrier !== undefined) throw unsupported("add ... type veth peer ... carrier");
      if (peer.xdp !== undefined) throw unsupported("add ... type veth peer ... xdp");
      if (peer.type !== undefined) {
        throw new UsageError(`Error: duplicate "type": "${peer.type}" is the second value.`);
      }
    } else if (parsesKindArgs(p.type)) kindArgs = parseKindArgs(p.type, p.typeArgs, create, { devices: links, warn });
    else if (p.type === "vxcan" && p.typeArgs[0] !== "peer") return { op: "usage", text: linkKindHelp("vxcan")!.text };
    else if (matches(p.typeArgs[0], "help") && linkKindHelp(p.type) && !linkKindHelp(p.type)!.noHelpWord) {
      throw kindWordError(p.type, p.typeArgs[0]); // a kind nlink takes no words of: its usage at least
    } else if (KINDS_WITH_OPTIONS.has(p.type)) {
      throw new UsageError(`nlink: options for "type ${p.type}" are not supported yet`, 1);
    } else if (!linkKindHelp(p.type)?.noHelpWord && p.type !== "veth" && p.type !== "vxcan") {
      // The pairs (whose `peer` words the kind reads) and the kinds without words pass; other kinds' words are garbage.
      if (matches(p.typeArgs[0], "help")) usage();
      throw new UsageError(`Garbage instead of arguments "${p.typeArgs[0]} ...". Try "ip link help".`, 1);
    }
  }
  if (!create) {
    if (op === "delete") return { op: "delete", index };
    const dev = links.get(index);
    const kind = dev?.linkinfo?.kind;
    if (kindArgs && Object.hasOwn(TUNNEL_PARSER, p.type!) && kind !== p.type) {
      // iproute2 reads the tunnel's settings first (link_gre.c and the like). It reads those of a
      // kind of the same parser (gre for gretap, ipip for sit) and sends, which the kernel refuses;
      // it cannot read another kind's.
      if (kind !== undefined && TUNNEL_PARSER[kind] === TUNNEL_PARSER[p.type!]) {
        throw new UsageError("RTNETLINK answers: Operation not supported", 2);
      }
      throw new UsageError("Failed to get existing tunnel info.", 1);
    }
    const o = setOptions(p, master);
    // `type KIND` sends the kind even without words; a veth peer names a device to change along (iproute2 looks
    // it up as `dev`), which the kernel refuses: veth has no settings to change.
    if (peer) o.type = { kind: "veth", peer: setPeer(peer, links) } as unknown as LinkTypeChange;
    else if (p.type !== undefined) o.type = { kind: p.type, ...kindArgs } as LinkTypeChange;
    return { op: "set", index, options: o };
  }
  if (p.type === undefined) throw new UsageError('Not enough information: "type" argument is required', 1);
  // Without a name (`ip link add type veth`) the kernel names the link; the same for a veth peer. The library
  // builds such requests (NewLinkOptions); the plan keeps Connection.addLink's type, which wants a name.
  const words = wordOptions(p, master, { ...COMMON_WORDS, carrier: "carrier", xdp: "xdp" });
  const options = { kind: p.type, ...words, ...kindArgs } as NewLinkXdpOptions;
  if (peer) (options as { peer?: Partial<LinkCommonOptions> }).peer = common(peer, masterIndex(peer.master, links));
  if (link !== undefined) options.link = link;
  return { op: "add", options };
}

/** The library's options for `ip link set`'s words (a kind's settings apart). */
function setOptions(p: Parsed, master: number | undefined): SetLinkXdpOptions {
  const o = wordOptions(p, master, {
    carrier: "carrier",
    xdp: "xdp",
    group: "group",
    index: "newIndex",
    name: "name",
    vfs: "vfs",
  });
  if (p.name === p.dev) delete o.name; // renaming to the same name is no rename (iproute2 drops IFLA_IFNAME)
  return o as SetLinkXdpOptions;
}
