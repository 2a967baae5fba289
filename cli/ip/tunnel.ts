/**
 * `ip tunnel` (iproute2's iptunnel.c; IPv6 modes in tunnel6.ts): IPv4
 * tunnels of kind ipip, gre, sit (and ISATAP) and vti.
 *
 * iproute2 talks to these tunnels through ioctls (SIOCADDTUNNEL,
 * SIOCGETTUNNEL, …) sent to each kind's fallback device (tunl0, gre0, sit0,
 * ip_vti0); nlink makes the same changes through rtnetlink link kinds (the
 * library's typed `addLink` options) and prints `show` from the link dump. So
 * the request bytes cannot be compared with iproute2's (ioctl against
 * netlink); what is compared is the output and the errors. Failures are
 * reported with iproute2's ioctl wording (`add tunnel "gre0" failed: …`),
 * and a kernel without the kind gives what iproute2 meets there: no fallback
 * device (`No such device`).
 *
 * `change` and `6rd` are the library's `setLink` type changes, which lay the
 * new settings over the tunnel's current ones as the ioctls do. Not done:
 * `prl` (ISATAP router lists are ioctl-only), the ISATAP router list in
 * `show`, and `change` without a name (the ioctl's search of the tunnel by
 * its endpoints through the fallback device). `prl`'s arguments are read and
 * checked as iproute2 does, then nlink says so.
 *
 * @module
 */
import type { AddLinkOptions, Connection, Link } from "@nlink/nlink";
import { NetlinkError } from "@nlink/nlink/core";
import { invalidArgument, matches, nextWord, UsageError } from "../common/args.ts";
import { Kind, Printer } from "../common/output.ts";
import { Color } from "../common/color.ts";
import { dsfieldName } from "../common/names.ts";
import { AF_INET, AF_INET6, getPrefix, parseUnsigned, prefixText } from "../common/inet.ts";
import { connect, type IpContext, printer } from "./context.ts";
import { LinkCache } from "./links.ts";
import { dsfieldId, validIfname } from "./rule_words.ts";
import {
  addr32,
  changeTunnel,
  endsAndKeys,
  flagsOf,
  type GreFlags,
  ioctlFailed,
  noDevice,
  noFlags,
  parseKey,
  printGreFlags,
  printTunnelStats,
  PROTO,
  PROTO_BY_NAME,
  protoName,
  rawOut,
} from "./tunnel_common.ts";

const USAGE = `Usage: ip tunnel { add | change | del | show | prl | 6rd } [ NAME ]
        [ mode { gre | ipip | isatap | sit | vti } ]
        [ remote ADDR ] [ local ADDR ]
        [ [i|o]seq ] [ [i|o]key KEY ] [ [i|o]csum ]
        [ prl-default ADDR ] [ prl-nodefault ADDR ] [ prl-delete ADDR ]
        [ 6rd-prefix ADDR ] [ 6rd-relay_prefix ADDR ] [ 6rd-reset ]
        [ ttl TTL ] [ tos TOS ] [ [no]pmtudisc ] [ dev PHYS_DEV ]

Where: NAME := STRING
       ADDR := { IP_ADDRESS | any }
       TOS  := { STRING | 00..ff | inherit | inherit/STRING | inherit/00..ff }
       TTL  := { 1..255 | inherit }
       KEY  := { DOTTED_QUAD | NUMBER }`;

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/** The modes that make `ip tunnel` an IPv6 command (iproute2's tunnel_mode_is_ipv6). */
const IPV6_MODES = [
  "ipv6/ipv6",
  "ip6ip6",
  "vti6",
  "ip/ipv6",
  "ipv4/ipv6",
  "ipip6",
  "ip4ip6",
  "ip6gre",
  "gre/ipv6",
  "any/ipv6",
  "any",
];

/** The address family numbers iproute2 names in "Unsupported protocol family". */
const AF_NUMBER: Readonly<Record<string, number>> = { inet: 2, inet6: 10, mpls: 28, bridge: 7, packet: 17 };

/** The link kinds `ip tunnel` lists as IPv4 tunnels (ARPHRD_TUNNEL, ARPHRD_IPGRE, ARPHRD_SIT). */
const KINDS = ["ipip", "gre", "sit", "vti"];

/** An IPv4 tunnel's settings, as struct ip_tunnel_parm holds them. */
export interface Tunnel4 {
  name: string;
  /** IPPROTO_* carried (0 when no mode was given). */
  proto: number;
  /** vti (VTI_ISVTI). */
  vti: boolean;
  /** ISATAP (SIT_ISATAP). */
  isatap: boolean;
  /** "0.0.0.0" for any. */
  local: string;
  /** "0.0.0.0" for any. */
  remote: string;
  ttl: number;
  /** TOS; bit 0 means inherit. */
  tos: number;
  /** Don't-fragment on outer packets (pmtudisc). */
  df: boolean;
  ikey: number;
  okey: number;
  iflags: GreFlags;
  oflags: GreFlags;
  /** The underlying device's ifindex (0: none). */
  link: number;
  /** 6rd prefix and relay prefix (sit), as `show` prints them. */
  ip6rd?: { prefix: string; prefixlen: number; relay: string; relaylen: number };
}

const ANY = "0.0.0.0";

function emptyTunnel(): Tunnel4 {
  return {
    name: "",
    proto: 0,
    vti: false,
    isatap: false,
    local: ANY,
    remote: ANY,
    ttl: 0,
    tos: 0,
    df: true,
    ikey: 0,
    okey: 0,
    iflags: noFlags(),
    oflags: noFlags(),
    link: 0,
  };
}

/**
 * A listed link's tunnel settings (what SIOCGETTUNNEL would give), or
 * undefined for a link that is no IPv4 tunnel.
 *
 * @example
 * ```ts ignore
 * tunnelOf(link)?.remote; // "192.0.2.2"
 * ```
 */
export function tunnelOf(l: Link): Tunnel4 | undefined {
  const kind = l.linkinfo?.kind;
  if (kind === undefined || !KINDS.includes(kind)) return undefined;
  const raw = l.linkinfo?.data;
  const d = (raw instanceof Uint8Array || raw === undefined ? {} : raw) as Record<string, unknown>;
  const t = emptyTunnel();
  t.name = l.name ?? "";
  t.local = (d.local as string | undefined) ?? ANY;
  t.remote = (d.remote as string | undefined) ?? ANY;
  t.link = (d.dev as number | undefined) ?? 0;
  t.ttl = (d.ttl as number | undefined) ?? 0;
  t.tos = (d.tos as number | undefined) ?? 0;
  t.df = (d.pmtudisc as boolean | undefined) ?? true;
  if (kind === "gre") {
    t.proto = PROTO.GRE;
    t.iflags = flagsOf(d.iflags);
    t.oflags = flagsOf(d.oflags);
    t.ikey = (d.ikey as number | undefined) ?? 0;
    t.okey = (d.okey as number | undefined) ?? 0;
  } else if (kind === "vti") {
    // The kernel answers SIOCGETTUNNEL for vti with both key flags set, and no DF (vti never sets it).
    t.proto = PROTO.IPIP;
    t.vti = true;
    t.df = false;
    t.iflags.key = t.oflags.key = true;
    t.ikey = (d.ikey as number | undefined) ?? 0;
    t.okey = (d.okey as number | undefined) ?? 0;
  } else {
    const proto = d.proto;
    t.proto = typeof proto === "number"
      ? proto
      : PROTO_BY_NAME[proto as string] ?? (kind === "sit" ? PROTO.IPV6 : PROTO.IPIP);
    t.isatap = Array.isArray(d.flags) && d.flags.includes("isatap");
    const prefixlen = (d.ip6rdPrefixlen as number | undefined) ?? 0;
    if (kind === "sit" && prefixlen) {
      t.ip6rd = {
        prefix: (d.ip6rdPrefix as string | undefined) ?? "::",
        prefixlen,
        relay: (d.ip6rdRelayPrefix as string | undefined) ?? ANY,
        relaylen: (d.ip6rdRelayPrefixlen as number | undefined) ?? 0,
      };
    }
  }
  return t;
}

/** The first octet of a multicast IPv4 address is 224 to 239. */
function isMulticast(a: string): boolean {
  const first = Number(a.split(".")[0]);
  return first >= 224 && first <= 239;
}

type Command = "add" | "change" | "delete" | "show";

/** iproute2's set_tunnel_proto: one mode only. */
function setProto(t: Tunnel4, proto: number): void {
  if (t.proto && t.proto !== proto) {
    throw new UsageError("You managed to ask for more than one tunnel mode.");
  }
  t.proto = proto;
}

/** iproute2's parse_args for IPv4 tunnels, with its checks and messages in its order. */
function parseArgs(words: string[], cmd: Command, links: LinkCache): Tunnel4 {
  let t = emptyTunnel();
  let medium: string | undefined;
  let isatap = false;
  for (let i = 0, count = 0; i < words.length; i++, count++) {
    const w = words[i];
    if (w === "mode") {
      const m = nextWord(words, ++i);
      if (m === "ipip" || m === "ip/ip") setProto(t, PROTO.IPIP);
      else if (m === "gre" || m === "gre/ip") setProto(t, PROTO.GRE);
      else if (m === "sit" || m === "ipv6/ip") setProto(t, PROTO.IPV6);
      else if (m === "isatap") {
        setProto(t, PROTO.IPV6);
        isatap = true;
      } else if (m === "vti") {
        setProto(t, PROTO.IPIP);
        t.vti = true;
      } else throw new UsageError(`Unknown tunnel mode "${m}"`);
    } else if (w === "key" || w === "ikey" || w === "okey") {
      const key = parseKey(w, nextWord(words, ++i));
      if (w !== "okey") [t.iflags.key, t.ikey] = [true, key];
      if (w !== "ikey") [t.oflags.key, t.okey] = [true, key];
    } else if (w === "seq" || w === "iseq" || w === "oseq") {
      if (w !== "oseq") t.iflags.seq = true;
      if (w !== "iseq") t.oflags.seq = true;
    } else if (w === "csum" || w === "icsum" || w === "ocsum") {
      if (w !== "ocsum") t.iflags.csum = true;
      if (w !== "icsum") t.oflags.csum = true;
    } else if (w === "nopmtudisc") t.df = false;
    else if (w === "pmtudisc") t.df = true;
    else if (w === "remote") t.remote = addr32(nextWord(words, ++i));
    else if (w === "local") t.local = addr32(nextWord(words, ++i));
    else if (w === "dev") medium = nextWord(words, ++i);
    else if (w === "ttl" || w === "hoplimit" || w === "hlim") {
      const v = nextWord(words, ++i);
      if (v !== "inherit") {
        const ttl = parseUnsigned(v, 255);
        if (ttl === undefined) throw invalidArgument("invalid TTL\n", v);
        t.ttl = ttl;
      }
    } else if (w === "tos" || w === "tclass" || matches(w, "dsfield")) {
      t.tos = parseTos(nextWord(words, ++i));
    } else {
      let name = w;
      if (w === "name") name = nextWord(words, ++i);
      else if (matches(w, "help")) usage();
      if (t.name) throw new UsageError(`Error: either "name" is duplicate, or "${name}" is a garbage.`);
      if (!validIfname(name)) throw invalidArgument('"name" not a valid ifname', name);
      if (cmd === "change" && count === 0) {
        const old = links.get(name);
        if (old === undefined) throw noDevice("get", name);
        const found = tunnelOf(old);
        if (found === undefined) throw new UsageError(`get tunnel "${name}" failed: Operation not supported`, 1);
        t = found;
      }
      t.name = name;
    }
  }
  if (t.proto === 0) {
    if (t.name.startsWith("gre")) t.proto = PROTO.GRE;
    else if (t.name.startsWith("ipip")) t.proto = PROTO.IPIP;
    else if (t.name.startsWith("sit")) t.proto = PROTO.IPV6;
    else if (t.name.startsWith("isatap")) {
      t.proto = PROTO.IPV6;
      isatap = true;
    } else if (t.name.startsWith("vti")) {
      t.proto = PROTO.IPIP;
      t.vti = true;
    }
  }
  if ((t.iflags.key || t.oflags.key) && !t.vti && t.proto !== PROTO.GRE) {
    throw new UsageError("Keys are not allowed with ipip and sit tunnels", 1);
  }
  if (medium !== undefined) {
    t.link = links.index(medium);
    if (!t.link) throw new UsageError(`Cannot find device "${medium}"`, 1);
  }
  if (isMulticast(t.remote)) {
    const group = parseKey("remote", t.remote);
    if (t.ikey === 0) [t.ikey, t.iflags.key] = [group, true];
    if (t.okey === 0) [t.okey, t.oflags.key] = [group, true];
    if (t.local === ANY) throw new UsageError("A broadcast tunnel requires a source address", 1);
  }
  if (isatap) t.isatap = true;
  return t;
}

/** `tos` as iproute2 reads it: `inherit` (bit 0), `inherit/DSFIELD`, or DSFIELD (a name or hex). */
function parseTos(word: string): number {
  const slash = word.indexOf("/");
  const head = slash < 0 ? word : word.slice(0, slash);
  let tos = 0;
  let dsfield: string | undefined = slash < 0 ? undefined : word.slice(slash + 1);
  if (head !== "inherit") dsfield = head;
  else tos = 1;
  if (dsfield !== undefined) {
    const v = dsfieldId(dsfield);
    if (v === undefined) throw invalidArgument("bad TOS value", head);
    tos |= v;
  }
  return tos;
}

/** iproute2's tnl_defname: the fallback device of the mode, which its ioctls go to. */
function baseDevice(t: Tunnel4): string | undefined {
  if (t.proto === PROTO.IPIP) return t.vti ? "ip_vti0" : "tunl0";
  if (t.proto === PROTO.GRE) return "gre0";
  if (t.proto === PROTO.IPV6) return "sit0";
  return undefined;
}

/**
 * The library's options for a new tunnel with these settings, or for a
 * change to them (endpoints then given as `"any"` when unset, so that the
 * change clears them; the mode left as it is).
 */
function addOptions(t: Tunnel4, change = false): AddLinkOptions {
  const ends = endsAndKeys(t, ANY, change);
  const ip = { ttl: t.ttl, tos: t.tos, pmtudisc: t.df };
  if (t.vti) return { kind: "vti", name: t.name, ...ends };
  if (t.proto === PROTO.GRE) {
    return {
      kind: "gre",
      name: t.name,
      ...ends,
      ...ip,
      iseq: t.iflags.seq,
      oseq: t.oflags.seq,
      icsum: t.iflags.csum,
      ocsum: t.oflags.csum,
    };
  }
  const mode = change ? {} : { mode: t.proto === PROTO.IPV6 ? "ip6ip" as const : "ipip" as const };
  if (t.proto === PROTO.IPV6) return { kind: "sit", name: t.name, ...mode, ...ends, ...ip, isatap: t.isatap };
  return { kind: "ipip", name: t.name, ...mode, ...ends, ...ip } as AddLinkOptions;
}

async function add(conn: Connection, cmd: Command, words: string[], links: LinkCache): Promise<number> {
  const t = parseArgs(words, cmd, links);
  if (t.ttl && !t.df) throw new UsageError("ttl != 0 and nopmtudisc are incompatible", 1);
  const base = baseDevice(t);
  if (base === undefined) throw new UsageError("cannot determine tunnel mode (ipip, gre, vti or sit)", 1);
  if (cmd === "change") return await changeTunnel(conn, addOptions(t, true), links);
  // Without a name the kernel numbers the new tunnel after its kind (gre1, ipip1, …), as for the ioctl.
  const options = addOptions(t);
  if (!t.name) options.name = `${options.kind}%d`;
  await conn.addLink(options).catch((e) => {
    throw ioctlFailed(e, "add", base);
  });
  return 0;
}

/** Whether `t` is what SIOCDELTUNNEL on a fallback device would find for `want` (ip_tunnel_find). */
function sameEnds(want: Tunnel4, t: Tunnel4): boolean {
  return want.local === t.local && want.remote === t.remote && want.link === t.link &&
    (!want.iflags.key || want.ikey === t.ikey);
}

async function del(conn: Connection, words: string[], links: LinkCache): Promise<number> {
  const t = parseArgs(words, "delete", links);
  const target = baseDevice(t) ?? t.name;
  if (t.name) {
    const l = links.get(t.name);
    if (l === undefined) throw noDevice("delete", t.name);
    if (tunnelOf(l) === undefined) throw new UsageError(`delete tunnel "${t.name}" failed: Operation not supported`, 1);
    await conn.delLink(l.index).catch((e) => {
      throw ioctlFailed(e, "delete", t.name);
    });
    return 0;
  }
  // No name: the tunnel of this mode with these endpoints, as the kernel finds it from the fallback device.
  if (links.get(target) === undefined) throw noDevice("delete", target);
  const kind = t.vti ? "vti" : t.proto === PROTO.GRE ? "gre" : t.proto === PROTO.IPV6 ? "sit" : "ipip";
  const match = links.list.find((l) => l.linkinfo?.kind === kind && sameEnds(t, tunnelOf(l)!));
  if (match === undefined) throw new UsageError(`delete tunnel "${target}" failed: No such file or directory`, 1);
  if (match.name === target) throw new UsageError(`delete tunnel "${target}" failed: Operation not permitted`, 1);
  await conn.delLink(match.index).catch((e) => {
    throw ioctlFailed(e, "delete", target);
  });
  return 0;
}

/** iproute2's ip_tunnel_parm_match: what `show`'s words ask for. */
function matchesFilter(want: Tunnel4, t: Tunnel4): boolean {
  return (!want.link || want.link === t.link) && (!want.name || want.name === t.name) &&
    (want.remote === ANY || want.remote === t.remote) && (want.local === ANY || want.local === t.local) &&
    (!want.ikey || want.ikey === t.ikey);
}

/**
 * One tunnel as iproute2's print_tunnel: `NAME: MODE remote A local B [dev D]
 * ttl T [tos S] [nopmtudisc] [6rd-prefix …] [keys and GRE flags]`.
 *
 * @example
 * ```ts ignore
 * printTunnel(p, tunnelOf(link)!, links);
 * ```
 */
export function printTunnel(p: Printer, t: Tunnel4, links: LinkCache): void {
  p.openObject();
  p.colorString(Kind.Any, Color.Ifname, "ifname", "%s: ", t.name);
  p.string(Kind.Any, "mode", "%s ", `${protoName(t.proto)}/ip`);
  p.write("remote ");
  p.colorString(Kind.Any, Color.Inet, "remote", "%s ", t.remote !== ANY || p.json ? t.remote : "any");
  p.write("local ");
  p.colorString(Kind.Any, Color.Inet, "local", "%s", t.local !== ANY || p.json ? t.local : "any");
  if (t.link) p.string(Kind.Any, "dev", " dev %s", links.name(t.link));
  if (t.ttl) p.uint(Kind.Any, "ttl", " ttl %u", t.ttl);
  else p.write(" ttl inherit");
  if (t.tos) {
    if (t.tos !== 1) {
      const text = !p.json && t.tos & 1 ? `inherit/${dsfieldName(t.tos & ~1, false)}` : dsfieldName(t.tos, false);
      p.string(Kind.Any, "tos", " tos %s", text);
    } else p.write(" tos inherit");
  }
  if (!t.df) p.null(Kind.Any, "nopmtudisc", " nopmtudisc", "");
  if (t.proto === PROTO.IPV6 && t.ip6rd) {
    p.string(Kind.Any, "6rd-prefix", " 6rd-prefix %s", t.ip6rd.prefix);
    p.uint(Kind.Any, "6rd-prefixlen", "/%u", t.ip6rd.prefixlen);
    if (t.ip6rd.relay !== ANY) {
      p.string(Kind.Any, "6rd-relay_prefix", " 6rd-relay_prefix %s", t.ip6rd.relay);
      p.uint(Kind.Any, "6rd-relay_prefixlen", "/%u", t.ip6rd.relaylen);
    }
  }
  printGreFlags(p, t.proto, t.iflags, t.oflags, t.ikey, t.okey);
  p.closeObject();
}

function show(ctx: IpContext, words: string[], links: LinkCache): number {
  const want = parseArgs(words, "show", links);
  const base = baseDevice(want);
  if (base === undefined) {
    const p = printer(ctx);
    p.startList();
    for (const l of links.list) {
      const t = tunnelOf(l);
      if (t === undefined || (want.name && want.name !== t.name) || !matchesFilter(want, t)) continue;
      printTunnel(p, t, links);
      if (ctx.stats) printTunnelStats(p, l);
      rawOut(p, "\n");
    }
    p.endList();
    p.flush();
    return 0;
  }
  // One tunnel, by name or the mode's fallback device: iproute2 prints it as text even with -j.
  const name = want.name || base;
  const l = links.get(name);
  if (l === undefined) throw noDevice("get", name);
  const t = tunnelOf(l);
  if (t === undefined) throw new UsageError(`get tunnel "${name}" failed: Operation not supported`, 1);
  const p = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
  printTunnel(p, t, links);
  p.write("\n");
  p.flush();
  return 0;
}

/** `prl`: its words read as iproute2 reads them, then refused (the router list is ioctl-only). */
function prl(words: string[]): never {
  let medium: string | undefined;
  let count = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === "prl-default" || w === "prl-nodefault" || w === "prl-delete") {
      addr32(nextWord(words, ++i));
      count++;
    } else if (w === "dev") medium = device(words, ++i);
    else throw new UsageError(`Invalid PRL parameter "${w}"`);
    if (count > 1) throw new UsageError("One PRL entry at a time");
  }
  if (medium === undefined) throw new UsageError("Must specify device");
  throw new UsageError("nlink: ip tunnel prl is not supported (the kernel offers it only through ioctls)", 1);
}

/** `dev NAME` of prl and 6rd, checked as iproute2 does. */
function device(words: string[], i: number): string {
  const medium = nextWord(words, i);
  if (!validIfname(medium)) throw invalidArgument('"dev" not a valid ifname', medium);
  return medium;
}

/** SIOCADD6RD and SIOCDEL6RD (SIOCDEVPRIVATE + 9, + 10), as iproute2 names them in its errors. */
const SIOCADD6RD = 0x89f9, SIOCDEL6RD = 0x89fa;
/** The 6rd prefix a sit tunnel starts with (the kernel's default, which 6rd-reset returns to). */
const DEFAULT_6RD = "2002::/16";

/**
 * `ip tunnel 6rd dev NAME 6rd-prefix P [6rd-relay_prefix R] | 6rd-reset`:
 * SIOCADD6RD (the relay prefix is 0.0.0.0/0 unless given) or SIOCDEL6RD (back
 * to the fallback sit0's prefixes), through rtnetlink as a change of the sit
 * link. Failures read as iproute2's ioctl errors (`sit1: ioctl 89f9 failed: …`).
 */
async function sixRd(conn: Connection, words: string[], links: LinkCache): Promise<number> {
  let cmd = 0;
  let prefix: string | undefined, relay = "0.0.0.0/0";
  let medium: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === "6rd-prefix" || w === "6rd-relay_prefix") {
      // get_prefix ends the process with its own message on a bad prefix.
      const p = prefixText(getPrefix(nextWord(words, ++i), w === "6rd-prefix" ? AF_INET6 : AF_INET));
      if (w === "6rd-prefix") prefix = p;
      else relay = p;
      cmd = SIOCADD6RD;
    } else if (w === "6rd-reset") cmd = SIOCDEL6RD;
    else if (w === "dev") medium = device(words, ++i);
    else throw new UsageError(`Invalid 6RD parameter "${w}"`);
  }
  if (medium === undefined) throw new UsageError("Must specify device");
  const failed = (reason: string) => new UsageError(`${medium}: ioctl ${cmd.toString(16)} failed: ${reason}`, 1);
  // No command at all is no ioctl any device knows, before any device is looked up.
  if (cmd === 0) throw failed("Inappropriate ioctl for device");
  const link = links.get(medium);
  if (link === undefined) throw failed("No such device");
  const kind = link.linkinfo?.kind;
  if (kind !== "sit") {
    // The other IPv4 tunnels' ioctl handler refuses unknown commands; other devices have none.
    throw failed(kind === "ipip" || kind === "gre" || kind === "vti" ? "Invalid argument" : "Operation not supported");
  }
  if (cmd === SIOCDEL6RD) {
    const base = links.get("sit0")?.linkinfo?.data as Record<string, unknown> | undefined;
    const has = base?.ip6rdPrefix !== undefined;
    prefix = has ? `${base!.ip6rdPrefix}/${base!.ip6rdPrefixlen ?? 0}` : DEFAULT_6RD;
    relay = has ? `${base!.ip6rdRelayPrefix ?? "0.0.0.0"}/${base!.ip6rdRelayPrefixlen ?? 0}` : "0.0.0.0/0";
  }
  // SIOCADD6RD with only a relay prefix sets the 6rd prefix to ::/0.
  const type = { kind: "sit" as const, ip6rdPrefix: prefix ?? "::/0", ip6rdRelayPrefix: relay };
  await conn.setLink(link.index, { type }).catch((e) => {
    if (e instanceof NetlinkError) throw failed(e.reason);
    throw e;
  });
  return 0;
}

/**
 * Runs `ip tunnel ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./tunnel.ts";
 * await run(ctx, ["add", "gre1", "mode", "gre", "remote", "192.0.2.2", "local", "192.0.2.1", "ttl", "64"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  let family = ctx.family;
  const mode = args.indexOf("mode");
  if (mode >= 0 && mode < args.length - 1 && IPV6_MODES.includes(args[mode + 1])) family = "inet6";
  if (family === "inet6") return (await import("./tunnel6.ts")).run6(ctx, args);
  if (family !== undefined && family !== "inet") {
    throw new UsageError(`Unsupported protocol family: ${AF_NUMBER[family] ?? family}`);
  }
  const [word, ...rest] = args;
  if (word !== undefined) {
    if (matches(word, "add")) return await withLinks(ctx, (conn, links) => add(conn, "add", rest, links));
    if (matches(word, "change")) return await withLinks(ctx, (conn, links) => add(conn, "change", rest, links));
    if (matches(word, "delete")) return await withLinks(ctx, (conn, links) => del(conn, rest, links));
    if (matches(word, "show") || matches(word, "lst") || matches(word, "list")) {
      return await withLinks(ctx, (_conn, links) => show(ctx, rest, links), ctx.stats > 0);
    }
    if (matches(word, "prl")) prl(rest);
    if (matches(word, "6rd")) return await withLinks(ctx, (conn, links) => sixRd(conn, rest, links));
    if (matches(word, "help")) usage();
    throw new UsageError(`Command "${word}" is unknown, try "ip tunnel help"`);
  }
  return await withLinks(ctx, (_conn, links) => show(ctx, [], links), ctx.stats > 0);
}

/**
 * Opens the connection and lists the links (names resolve against them, and
 * `show` prints from them), then runs `fn`.
 *
 * @example
 * ```ts ignore
 * await withLinks(ctx, (conn, links) => show(ctx, words, links));
 * ```
 */
export async function withLinks(
  ctx: IpContext,
  fn: (conn: Connection, links: LinkCache) => number | Promise<number>,
  stats = false,
): Promise<number> {
  using conn = await connect(ctx);
  return await fn(conn, await LinkCache.listing(conn, stats));
}
