/**
 * One link as `ip link` / `ip address` print it (iproute2's print_linkinfo and
 * print_linkinfo_brief), in text, one-line or JSON form.
 *
 * @module
 */
import type { Link } from "@nlink/nlink";
import { formatIPv4, formatIPv6 } from "@nlink/nlink/core";
import { ARPHRD, IFF } from "@nlink/nlink/tables";
import { AF_PACKET } from "../common/inet.ts";
import { groupName, protodownReasonName } from "../common/names.ts";
import { Color, colored, operColor } from "../common/color.ts";
import { Kind, type Printer } from "../common/output.ts";
import type { IpContext } from "./context.ts";
import type * as LinkKinds from "./link_kinds.ts";
import { printLinkStats } from "./link_stats.ts";
import { printVfs } from "./link_vf_print.ts";
import { printXdpMode, printXdpProgs } from "./link_xdp_print.ts";
import { flagMask, IFF_POINTOPOINT, IFF_RUNNING, IFF_UP, type LinkCache } from "./links.ts";

/** What printing a link needs besides the link. */
export interface LinkPrintEnv {
  /** Global options. */
  ctx: IpContext;
  /** Every link of the namespace (for master and peer names). */
  links: LinkCache;
  /** `ip link` (true) or `ip address` (false): they differ in a few fields. */
  doLink: boolean;
  /** The family filter: AF_PACKET for `ip link`, else -4/-6's family or 0. */
  family: number;
  /** Names of namespace ids (for `link-netns NAME`). */
  nsNames: Map<number, string>;
}

const OPER_STATES = ["UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"];
const LINK_MODES = ["DEFAULT", "DORMANT", "TESTING"];
const EVENTS: Record<string, string> = {
  none: "NONE",
  reboot: "REBOOT",
  features: "FEATURE CHANGE",
  bondingFailover: "BONDING FAILOVER",
  notifyPeers: "NOTIFY PEERS",
  igmpResend: "RESEND IGMP",
  bondingOptions: "BONDING OPTION",
};
/** iproute2's flag order in `<…>`, with each flag's bit. */
const FLAG_ORDER: [string, number][] = [
  "LOOPBACK",
  "BROADCAST",
  "POINTOPOINT",
  "MULTICAST",
  "NOARP",
  "ALLMULTI",
  "PROMISC",
  "MASTER",
  "SLAVE",
  "DEBUG",
  "DYNAMIC",
  "AUTOMEDIA",
  "PORTSEL",
  "NOTRAILERS",
  "UP",
  "LOWER_UP",
  "DORMANT",
  "ECHO",
].map((name): [string, number] => [name, IFF.bit(name)]);
/** An enum the library decoded to a name (or left as a number) back to its index in `names`. */
function indexOf(names: string[], v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number") return v;
  const i = names.indexOf(v.toUpperCase());
  return i >= 0 ? i : undefined;
}

/** The link-layer type as iproute2 names it (`[N]` when unnamed or with -N). */
function linkType(link: Link, numeric: boolean): string {
  if (typeof link.type === "number") return `[${link.type}]`;
  if (numeric) return `[${ARPHRD.value(link.type)}]`;
  return link.type;
}

/** A link-layer address as iproute2's ll_addr_n2a writes it (tunnels show IP addresses). */
function llAddr(link: Link, text: string): string {
  const t = link.type;
  const bytes = text.split(":");
  if (bytes.length === 4 && (t === "ipip" || t === "sit" || t === "gre")) {
    return formatIPv4(new Uint8Array(bytes.map((x) => parseInt(x, 16))), 0);
  }
  if (bytes.length === 16 && (t === "tunnel6" || t === "gre6")) {
    return formatIPv6(new Uint8Array(bytes.map((x) => parseInt(x, 16))), 0);
  }
  return text;
}

/** iproute2's print_name_and_link: `name@peer`, and whether the peer is down (M-DOWN). */
function printNameAndLink(p: Printer, fmt: string, link: Link, env: LinkPrintEnv): boolean {
  let name = link.name ?? `if${link.index}`;
  let mdown = false;
  if (link.link !== undefined) {
    const iflink = link.link;
    if (iflink !== 0) {
      if (link.linkNetnsid !== undefined) {
        p.int(Kind.Json, "link_index", "", iflink);
        if (!p.json) name = `${name}@if${iflink >>> 0}`;
      } else {
        const peer = env.links.name(iflink);
        p.string(Kind.Json, "link", "", peer);
        if (!p.json) name = `${name}@${peer}`;
        mdown = !(env.links.flags(iflink) & IFF_UP);
      }
    } else {
      p.null(Kind.Json, "link", "", "");
      if (!p.json) name = `${name}@NONE`;
    }
  }
  p.colorString(Kind.Any, Color.Ifname, "ifname", fmt, name);
  return mdown;
}

/**
 * iproute2's print_link_flags: `<UP,LOWER_UP> ` in text, a `flags` array in JSON.
 *
 * @example
 * ```ts ignore
 * printLinkFlags(p, 0x10049, false); // "<LOOPBACK,UP,LOWER_UP> "
 * ```
 */
export function printLinkFlags(p: Printer, flags: number, mdown: boolean): void {
  p.openArray(Kind.Any, p.json ? "flags" : undefined, "<");
  if (flags & IFF_UP && !(flags & IFF_RUNNING)) p.string(Kind.Any, null, flags ? "%s," : "%s", "NO-CARRIER");
  flags &= ~IFF_RUNNING;
  for (const [name, bit] of FLAG_ORDER) {
    if (flags & bit) {
      flags &= ~bit;
      p.string(Kind.Any, null, flags ? "%s," : "%s", name);
    }
  }
  if (flags) p.hex(Kind.Any, null, "%x", flags >>> 0);
  if (mdown) p.string(Kind.Any, null, ",%s", "M-DOWN");
  p.closeArray(Kind.Any, "> ");
}

function printOperstate(p: Printer, state: number, brief: boolean): void {
  if (state >= OPER_STATES.length) {
    if (p.json) p.uint(Kind.Json, "operstate_index", "", state);
    else p.hex0x(Kind.Text, null, "state %#llx", state);
  } else if (brief) p.colorString(Kind.Any, operColor(OPER_STATES[state]), "operstate", "%-14s ", OPER_STATES[state]);
  else if (p.json) p.string(Kind.Json, "operstate", "", OPER_STATES[state]);
  else p.write(`state ${colored(operColor(OPER_STATES[state]), OPER_STATES[state] + " ")}`);
}

/**
 * `ip -br link` / `ip -br address`'s line start: name, state, and for links
 * the address and flags.
 *
 * @example
 * ```ts ignore
 * printLinkBrief(p, link, env);
 * ```
 */
export function printLinkBrief(p: Printer, link: Link, env: LinkPrintEnv): void {
  const mdown = printNameAndLink(p, "%-16s ", link, env);
  const oper = indexOf(OPER_STATES, link.operstate);
  if (oper !== undefined) printOperstate(p, oper, true);
  if (env.family === AF_PACKET) {
    if (link.address !== undefined) p.colorString(Kind.Any, Color.Mac, "address", "%s ", llAddr(link, link.address));
    printLinkFlags(p, flagMask(link.flags), mdown);
    p.write("\n");
  }
}

/**
 * A link in full (iproute2's print_linkinfo), ending with a newline.
 *
 * @example
 * ```ts ignore
 * printLink(p, link, env);
 * ```
 */
export function printLink(p: Printer, link: Link, env: LinkPrintEnv): void {
  const { ctx } = env;
  p.int(Kind.Any, "ifindex", "%d: ", link.index);
  const mdown = printNameAndLink(p, "%s: ", link, env);
  const flags = flagMask(link.flags);
  printLinkFlags(p, flags, mdown);
  if (link.mtu !== undefined) p.int(Kind.Any, "mtu", "mtu %u ", link.mtu);
  if (link.xdp !== undefined) printXdpMode(p, link.xdp, env.doLink, ctx.details > 0);
  if (link.qdisc !== undefined) p.string(Kind.Any, "qdisc", "qdisc %s ", link.qdisc);
  if (link.master !== undefined) p.string(Kind.Any, "master", "master %s ", env.links.name(link.master));
  const oper = indexOf(OPER_STATES, link.operstate);
  if (oper !== undefined) printOperstate(p, oper, false);
  if (env.doLink && link.linkmode !== undefined) {
    const mode = indexOf(LINK_MODES, link.linkmode) ?? 0;
    if (mode >= 2) p.int(Kind.Any, "linkmode_index", "mode %d ", mode);
    else p.string(Kind.Any, "linkmode", "mode %s ", LINK_MODES[mode]);
  }
  if (link.group !== undefined) p.string(Kind.Any, "group", "group %s ", groupName(link.group, ctx.numeric));
  if (link.txqlen) p.int(Kind.Any, "txqlen", "qlen %d", link.txqlen | 0);
  if (link.event !== undefined) {
    if (typeof link.event === "number") p.int(Kind.Any, "event", "event %d ", link.event);
    else if (link.event !== "none") p.string(Kind.Any, "event", "event %s ", EVENTS[link.event] ?? link.event);
  }
  if (!env.family || env.family === AF_PACKET || ctx.details) {
    p.nl();
    p.string(Kind.Any, "link_type", "    link/%s ", linkType(link, ctx.numeric));
    if (link.address !== undefined) p.colorString(Kind.Any, Color.Mac, "address", "%s", llAddr(link, link.address));
    if (link.broadcast !== undefined) {
      if (flags & IFF_POINTOPOINT) {
        p.write(" peer ");
        p.bool(Kind.Json, "link_pointtopoint", "", true);
      } else p.write(" brd ");
      p.colorString(Kind.Any, Color.Mac, "broadcast", "%s", llAddr(link, link.broadcast));
    }
    if (link.permAddress !== undefined && link.permAddress !== link.address) {
      p.write(" permaddr ");
      p.colorString(Kind.Any, Color.Mac, "permaddr", "%s", llAddr(link, link.permAddress));
    }
  }
  if (link.linkNetnsid !== undefined) {
    const id = link.linkNetnsid;
    if (p.json) p.int(Kind.Json, "link_netnsid", "", id);
    else if (id >= 0) {
      const name = env.nsNames.get(id);
      if (name !== undefined) p.write(` link-netns ${name}`);
      else p.write(` link-netnsid ${id}`);
    } else p.write(" link-netnsid unknown");
  }
  if (link.newNetnsid !== undefined) {
    const name = env.nsNames.get(link.newNetnsid);
    p.write(name !== undefined ? ` new-netns ${name}` : ` new-netnsid ${link.newNetnsid}`);
  }
  if (link.newIfindex !== undefined) p.write(` new-ifindex ${link.newIfindex}`);
  if (link.protoDown !== undefined) printProtoDown(p, link);
  if (ctx.details) printDetails(p, link, env);
  if ((env.doLink || ctx.details) && link.ifalias !== undefined) {
    p.write(p.sl + "    ");
    p.string(Kind.Any, "ifalias", "alias %s", link.ifalias);
  }
  if ((env.doLink || ctx.details) && link.xdp !== undefined) printXdpProgs(p, link.xdp, ctx.details > 0);
  if (env.doLink && ctx.stats) {
    p.nl();
    printLinkStats(p, link, { level: ctx.stats, human: ctx.human, iec: ctx.iec });
  }
  const truncatedVfs = (env.doLink || ctx.details > 0) && link.vfinfoList !== undefined &&
    printVfs(p, link, linkType(link, ctx.numeric), flags, { level: ctx.stats, human: ctx.human, iec: ctx.iec });
  if (link.propList !== undefined) {
    p.openArray(Kind.Json, "altnames");
    for (const alt of link.propList.altIfname ?? []) {
      p.write(p.sl + "    altname ");
      p.string(Kind.Any, null, "%s", alt);
    }
    p.closeArray(Kind.Json);
  }
  p.write("\n");
  if (truncatedVfs) console.error(`Truncated VF list: ${link.name}`);
}

/** The `-d` part: promiscuity, MTU range, kind, queues, GSO/GRO limits, port names. */
function printDetails(p: Printer, link: Link, env: LinkPrintEnv): void {
  if (link.promiscuity !== undefined) p.uint(Kind.Any, "promiscuity", " promiscuity %u ", link.promiscuity);
  if (link.allmulti !== undefined) p.uint(Kind.Any, "allmulti", " allmulti %u ", link.allmulti);
  if (link.minMtu !== undefined) p.uint(Kind.Any, "min_mtu", "minmtu %u ", link.minMtu);
  if (link.maxMtu !== undefined) p.uint(Kind.Any, "max_mtu", "maxmtu %u ", link.maxMtu);
  if (link.linkinfo !== undefined) printLinkinfoKind(p, link, env);
  if (env.doLink) {
    const mode = link.afSpec?.inet6?.addrGenMode;
    if (mode !== undefined) {
      const names: Record<string, string> = {
        eui64: "eui64",
        none: "none",
        stable_privacy: "stable_secret",
        random: "random",
      };
      const text = typeof mode === "number" ? "0x" + mode.toString(16).padStart(2, "0") : names[mode] ?? mode;
      p.string(Kind.Any, "inet6_addr_gen_mode", "addrgenmode %s ", text);
    }
  }
  const u = (v: number | undefined, key: string, fmt: string) => v !== undefined && p.uint(Kind.Any, key, fmt, v);
  u(link.numTxQueues, "num_tx_queues", "numtxqueues %u ");
  u(link.numRxQueues, "num_rx_queues", "numrxqueues %u ");
  u(link.gsoMaxSize, "gso_max_size", "gso_max_size %u ");
  u(link.gsoMaxSegs, "gso_max_segs", "gso_max_segs %u ");
  u(link.tsoMaxSize, "tso_max_size", "tso_max_size %u ");
  u(link.tsoMaxSegs, "tso_max_segs", "tso_max_segs %u ");
  u(link.groMaxSize, "gro_max_size", "gro_max_size %u ");
  if (link.physPortName !== undefined) p.string(Kind.Any, "phys_port_name", "portname %s ", link.physPortName);
  if (link.physPortId !== undefined) p.string(Kind.Any, "phys_port_id", "portid %s ", hex(link.physPortId));
  if (link.physSwitchId !== undefined) {
    p.string(Kind.Any, "phys_switch_id", "switchid %s ", hex(link.physSwitchId));
  }
  if (link.parentDevBusName !== undefined) p.string(Kind.Any, "parentbus", "parentbus %s ", link.parentDevBusName);
  if (link.parentDevName !== undefined) p.string(Kind.Any, "parentdev", "parentdev %s ", link.parentDevName);
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * The kinds' `-d` printers, loaded only for `-d` (they are most of the code
 * of `ip link`, and start-up pays for every module loaded).
 */
let kinds: typeof LinkKinds | undefined;

/**
 * Loads the kinds' `-d` printers; call before {@linkcode printLink} with `-d`.
 *
 * @example
 * ```ts ignore
 * if (ctx.details) await loadLinkKinds();
 * ```
 */
export async function loadLinkKinds(): Promise<void> {
  kinds ??= await import("./link_kinds.ts");
}

function linkKinds(): typeof LinkKinds {
  if (kinds === undefined) throw new Error("link_print: loadLinkKinds() was not awaited before printing -d");
  return kinds;
}

/** iproute2's print_linktype: the kind line and the port (slave) line. */
function printLinkinfoKind(p: Printer, link: Link, env: LinkPrintEnv): void {
  const info = link.linkinfo!;
  const names = (i: number) => env.links.name(i);
  p.openObject("linkinfo");
  if (info.kind !== undefined) {
    p.nl();
    p.string(Kind.Any, "info_kind", "    %s ", info.kind);
    const print = linkKinds().kindPrinter(info.kind);
    if (print) {
      p.openObject("info_data");
      print(p, linkKinds().kindData(info.data), names);
      p.closeObject();
    }
  }
  if (info.slaveKind !== undefined) {
    p.nl();
    p.string(Kind.Any, "info_slave_kind", "    %s_slave ", info.slaveKind);
    const kind = `${info.slaveKind}_slave`;
    const print = linkKinds().kindPrinter(kind);
    if (print) {
      p.openObject("info_slave_data");
      print(p, linkKinds().kindData(info.slaveData), names);
      p.closeObject();
    }
  }
  p.closeObject();
}

/**
 * `protodown on` and the reasons, as iproute2 6.1's print_proto_down prints
 * them: only with a broadcast address (it checks IFLA_BROADCAST, whose number
 * is IFLA_PROTO_DOWN_REASON_VALUE's, for the reason), and only the low 8
 * reason bits (it reads the value as a u8).
 */
function printProtoDown(p: Printer, link: Link): void {
  if (link.protoDown) p.bool(Kind.Any, "proto_down", " protodown on ", true);
  if (link.broadcast === undefined) return;
  let reason = (link.protoDownReason?.value ?? 0) & 0xff;
  if (!reason) return;
  p.openArray(Kind.Any, p.json ? "proto_down_reason" : undefined, "protodown_reason <");
  let first = true;
  for (let bit = 0; reason; bit++, reason >>>= 1) {
    if (!(reason & 1)) continue;
    p.string(Kind.Any, null, first ? "%s" : ",%s", protodownReasonName(bit));
    first = false;
  }
  p.closeArray(Kind.Any, ">");
}
