/**
 * `ip -6 tunnel` (iproute2's ip6tunnel.c): IPv6 tunnels of kind ip6tnl
 * (ip6ip6, ipip6, any), ip6gre and vti6, made through the library's link
 * kinds where iproute2 sends ioctls to ip6tnl0, ip6gre0 or ip6_vti0 (see
 * tunnel.ts: request bytes cannot be compared; output and errors can).
 * `change` is the library's `setLink` type change (the new settings laid
 * over the tunnel's current ones, as the ioctl does); not without a name.
 *
 * @module
 */
import type { AddLinkOptions, Connection, Link } from "@nlink/nlink";
import { invalidArgument, matches, nextWord, UsageError } from "../common/args.ts";
import { AF_INET6, getAddr, parseUnsigned, prefixText } from "../common/inet.ts";
import { Kind, Printer, sprintf } from "../common/output.ts";
import { Color } from "../common/color.ts";
import { type IpContext, printer } from "./context.ts";
import type { LinkCache } from "./links.ts";
import { validIfname } from "./rule_words.ts";
import { withLinks } from "./tunnel.ts";
import {
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

/** IPV6_DEFAULT_TNL_ENCAP_LIMIT and iproute2's default hop limit. */
const DEFAULT_ENCAP_LIMIT = 4;
const DEFAULT_HOP_LIMIT = 64;

const USAGE = `Usage: ip -f inet6 tunnel { add | change | del | show } [ NAME ]
          [ mode { ip6ip6 | ipip6 | ip6gre | vti6 | any } ]
          [ remote ADDR local ADDR ] [ dev PHYS_DEV ]
          [ encaplimit ELIM ]
          [ hoplimit TTL ] [ tclass TCLASS ] [ flowlabel FLOWLABEL ]
          [ dscp inherit ]
          [ [no]allow-localremote ]
          [ [i|o]seq ] [ [i|o]key KEY ] [ [i|o]csum ]

Where: NAME      := STRING
       ADDR      := IPV6_ADDRESS
       ELIM      := { none | 0..255 }(default=${DEFAULT_ENCAP_LIMIT})
       TTL       := 0..255 (default=${DEFAULT_HOP_LIMIT})
       TCLASS    := { 0x0..0xff | inherit }
       FLOWLABEL := { 0x0..0xfffff | inherit }
       KEY       := { DOTTED_QUAD | NUMBER }`;

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/** IP6_TNL_F_* bits `ip -6 tunnel` reads and prints. */
const F = {
  IGN_ENCAP_LIMIT: 0x1,
  USE_ORIG_TCLASS: 0x2,
  USE_ORIG_FLOWLABEL: 0x4,
  RCV_DSCP_COPY: 0x10,
  ALLOW_LOCAL_REMOTE: 0x40,
} as const;

/** The library's names of IP6_TNL_F_* bits. */
const F_BY_NAME: Readonly<Record<string, number>> = {
  ign_encap_limit: 0x1,
  use_orig_tclass: 0x2,
  use_orig_flowlabel: 0x4,
  mip6_dev: 0x8,
  rcv_dscp_copy: 0x10,
  use_orig_fwmark: 0x20,
  allow_local_remote: 0x40,
};

const TCLASS_MASK = 0x0ff00000;
const FLOWLABEL_MASK = 0x000fffff;

/** The link kinds `ip -6 tunnel` lists (ARPHRD_TUNNEL6, ARPHRD_IP6GRE). */
const KINDS = ["ip6tnl", "vti6", "ip6gre"];

/** An IPv6 tunnel's settings, as struct ip6_tnl_parm2 holds them. */
export interface Tunnel6 {
  name: string;
  proto: number;
  vti: boolean;
  link: number;
  local: string;
  remote: string;
  encapLimit: number;
  hopLimit: number;
  /** Traffic class and flow label, host order. */
  flowinfo: number;
  /** IP6_TNL_F_* bits. */
  flags: number;
  ikey: number;
  okey: number;
  iflags: GreFlags;
  oflags: GreFlags;
}

function emptyTunnel(defaults: boolean): Tunnel6 {
  return {
    name: "",
    proto: PROTO.IPV6,
    vti: false,
    link: 0,
    local: "::",
    remote: "::",
    encapLimit: defaults ? DEFAULT_ENCAP_LIMIT : 0,
    hopLimit: defaults ? DEFAULT_HOP_LIMIT : 0,
    flowinfo: 0,
    flags: 0,
    ikey: 0,
    okey: 0,
    iflags: noFlags(),
    oflags: noFlags(),
  };
}

/**
 * A listed link's IPv6 tunnel settings (what SIOCGETTUNNEL would give), or
 * undefined for a link that is no IPv6 tunnel.
 *
 * @example
 * ```ts ignore
 * tunnel6Of(link)?.hopLimit; // 64
 * ```
 */
export function tunnel6Of(l: Link): Tunnel6 | undefined {
  const kind = l.linkinfo?.kind;
  if (kind === undefined || !KINDS.includes(kind)) return undefined;
  const raw = l.linkinfo?.data;
  const d = (raw instanceof Uint8Array || raw === undefined ? {} : raw) as Record<string, unknown>;
  const t = emptyTunnel(false);
  t.name = l.name ?? "";
  t.local = (d.local as string | undefined) ?? "::";
  t.remote = (d.remote as string | undefined) ?? "::";
  t.link = (d.dev as number | undefined) ?? 0;
  if (kind === "vti6") {
    // vti6 answers SIOCGETTUNNEL with the short struct ip6_tnl_parm: no keys, no GRE flags.
    t.vti = true;
    return t;
  }
  t.hopLimit = (d.ttl as number | undefined) ?? 0;
  t.encapLimit = (d.encapLimit as number | undefined) ?? 0;
  t.flowinfo = (d.flowinfo as number | undefined) ?? 0;
  t.flags = Array.isArray(d.flags)
    ? d.flags.reduce((m: number, f: unknown) => m | (F_BY_NAME[f as string] ?? 0), 0)
    : typeof d.flags === "number"
    ? d.flags
    : 0;
  if (kind === "ip6gre") {
    t.proto = PROTO.GRE;
    t.iflags = flagsOf(d.iflags);
    t.oflags = flagsOf(d.oflags);
    t.ikey = (d.ikey as number | undefined) ?? 0;
    t.okey = (d.okey as number | undefined) ?? 0;
  } else {
    const proto = d.proto;
    t.proto = typeof proto === "number" ? proto : PROTO_BY_NAME[proto as string] ?? PROTO.IPV6;
  }
  return t;
}

type Command = "add" | "change" | "delete" | "show";

/** iproute2's parse_args for IPv6 tunnels, with its checks and messages in its order. */
function parseArgs(words: string[], cmd: Command, links: LinkCache, t: Tunnel6): Tunnel6 {
  let medium: string | undefined;
  for (let i = 0, count = 0; i < words.length; i++, count++) {
    const w = words[i];
    if (w === "mode") {
      const m = nextWord(words, ++i);
      if (m === "ipv6/ipv6" || m === "ip6ip6") t.proto = PROTO.IPV6;
      else if (m === "vti6") [t.proto, t.vti] = [PROTO.IPV6, true];
      else if (m === "ip/ipv6" || m === "ipv4/ipv6" || m === "ipip6" || m === "ip4ip6") t.proto = PROTO.IPIP;
      else if (m === "ip6gre" || m === "gre/ipv6") t.proto = PROTO.GRE;
      else if (m === "any/ipv6" || m === "any") t.proto = PROTO.ANY;
      else throw new UsageError(`Unknown tunnel mode "${m}"`);
    } else if (w === "remote") t.remote = prefixText(getAddr(nextWord(words, ++i), AF_INET6), false);
    else if (w === "local") t.local = prefixText(getAddr(nextWord(words, ++i), AF_INET6), false);
    else if (w === "dev") medium = nextWord(words, ++i);
    else if (w === "encaplimit") {
      const v = nextWord(words, ++i);
      if (v === "none") t.flags |= F.IGN_ENCAP_LIMIT;
      else {
        // iproute2 accepts any word here (it only rejects get_u8 results below -1): a bad one reads as 0.
        t.encapLimit = parseUnsigned(v, 255) ?? 0;
        t.flags &= ~F.IGN_ENCAP_LIMIT;
      }
    } else if (w === "hoplimit" || w === "ttl" || w === "hlim") {
      const v = nextWord(words, ++i);
      const ttl = parseUnsigned(v, 255);
      if (ttl === undefined) throw invalidArgument("invalid TTL", v);
      t.hopLimit = ttl;
    } else if (w === "tclass" || w === "tc" || w === "tos" || matches(w, "dsfield")) {
      const v = nextWord(words, ++i);
      t.flowinfo &= ~TCLASS_MASK;
      if (v === "inherit") t.flags |= F.USE_ORIG_TCLASS;
      else {
        const tc = parseUnsigned(v, 255, 16);
        if (tc === undefined) throw invalidArgument("invalid TClass", v);
        t.flowinfo = (t.flowinfo | (tc << 20)) >>> 0;
        t.flags &= ~F.USE_ORIG_TCLASS;
      }
    } else if (w === "flowlabel" || w === "fl") {
      const v = nextWord(words, ++i);
      t.flowinfo &= ~FLOWLABEL_MASK;
      if (v === "inherit") t.flags |= F.USE_ORIG_FLOWLABEL;
      else {
        const fl = parseUnsigned(v, 0xffffffff, 16);
        if (fl === undefined || fl > FLOWLABEL_MASK) throw invalidArgument("invalid Flowlabel", v);
        t.flowinfo = (t.flowinfo | fl) >>> 0;
        t.flags &= ~F.USE_ORIG_FLOWLABEL;
      }
    } else if (w === "dscp") {
      const v = nextWord(words, ++i);
      if (v !== "inherit") throw invalidArgument("not inherit", v);
      t.flags |= F.RCV_DSCP_COPY;
    } else if (w === "allow-localremote") t.flags |= F.ALLOW_LOCAL_REMOTE;
    else if (w === "noallow-localremote") t.flags &= ~F.ALLOW_LOCAL_REMOTE;
    else if (w === "key" || w === "ikey" || w === "okey") {
      const key = parseKey(w, nextWord(words, ++i));
      if (w !== "okey") [t.iflags.key, t.ikey] = [true, key];
      if (w !== "ikey") [t.oflags.key, t.okey] = [true, key];
    } else if (w === "seq" || w === "iseq" || w === "oseq") {
      if (w !== "oseq") t.iflags.seq = true;
      if (w !== "iseq") t.oflags.seq = true;
    } else if (w === "csum" || w === "icsum" || w === "ocsum") {
      if (w !== "ocsum") t.iflags.csum = true;
      if (w !== "icsum") t.oflags.csum = true;
    } else {
      let name = w;
      if (w === "name") name = nextWord(words, ++i);
      else if (matches(w, "help")) usage();
      if (t.name) throw new UsageError(`Error: either "name" is duplicate, or "${name}" is a garbage.`);
      if (!validIfname(name)) throw invalidArgument('"name" not a valid ifname', name);
      if (cmd === "change" && count === 0) {
        const old = links.get(name);
        if (old === undefined) throw noDevice("get", name);
        const found = tunnel6Of(old);
        if (found === undefined) throw new UsageError(`get tunnel "${name}" failed: Operation not supported`, 1);
        t = found;
      }
      t.name = name;
    }
  }
  if (medium !== undefined) {
    t.link = links.index(medium);
    if (!t.link) throw new UsageError(`Cannot find device "${medium}"`, 1);
  }
  return t;
}

/** The fallback device iproute2 sends the mode's ioctls to. */
function baseDevice(t: Tunnel6): string {
  return t.proto === PROTO.GRE ? "ip6gre0" : t.vti ? "ip6_vti0" : "ip6tnl0";
}

/**
 * The library's options for a new IPv6 tunnel with these settings, or for a
 * change to them (unset endpoints and keys then given as `"any"` and `false`,
 * so that the change clears them; the mode left as it is).
 */
function addOptions(t: Tunnel6, change = false): AddLinkOptions {
  const ends = endsAndKeys(t, "::", change);
  if (t.vti) return { kind: "vti6", name: t.name, ...ends };
  const ip6 = {
    ttl: t.hopLimit,
    encaplimit: t.flags & F.IGN_ENCAP_LIMIT ? "none" as const : t.encapLimit,
    tclass: t.flags & F.USE_ORIG_TCLASS ? "inherit" as const : (t.flowinfo & TCLASS_MASK) >>> 20,
    flowlabel: t.flags & F.USE_ORIG_FLOWLABEL ? "inherit" as const : t.flowinfo & FLOWLABEL_MASK,
    dscpInherit: (t.flags & F.RCV_DSCP_COPY) !== 0,
    allowLocalremote: (t.flags & F.ALLOW_LOCAL_REMOTE) !== 0,
  };
  if (t.proto === PROTO.GRE) {
    return {
      kind: "ip6gre",
      name: t.name,
      ...ends,
      ...ip6,
      iseq: t.iflags.seq,
      oseq: t.oflags.seq,
      icsum: t.iflags.csum,
      ocsum: t.oflags.csum,
    };
  }
  const mode = t.proto === PROTO.IPIP ? "ipip6" : t.proto === PROTO.ANY ? "any" : "ip6ip6";
  return { kind: "ip6tnl", name: t.name, ...(change ? {} : { mode }), ...ends, ...ip6 };
}

async function add(conn: Connection, cmd: Command, words: string[], links: LinkCache): Promise<number> {
  const t = parseArgs(words, cmd, links, emptyTunnel(true));
  if (!t.name) console.error("Tunnel interface name not specified");
  const base = baseDevice(t);
  if (cmd === "change") return await changeTunnel(conn, addOptions(t, true), links);
  // Without a name the kernel numbers the new tunnel (ip6tnl1, ip6gre1, ip6_vti1), as for the ioctl.
  const options = addOptions(t);
  if (!t.name) options.name = t.vti ? "ip6_vti%d" : `${options.kind}%d`;
  await conn.addLink(options).catch((e) => {
    throw ioctlFailed(e, "add", base);
  });
  return 0;
}

async function del(conn: Connection, words: string[], links: LinkCache): Promise<number> {
  const t = parseArgs(words, "delete", links, emptyTunnel(true));
  const target = t.name || baseDevice(t);
  const l = links.get(target);
  if (l === undefined) throw noDevice("delete", target);
  if (!t.name) {
    // From the fallback device the kernel looks the tunnel up by its endpoints; all-zero ones are its own.
    if (t.local === "::" && t.remote === "::") {
      throw new UsageError(`delete tunnel "${target}" failed: Operation not permitted`, 1);
    }
    const kind = t.vti ? "vti6" : t.proto === PROTO.GRE ? "ip6gre" : "ip6tnl";
    const match = links.list.find((m) => {
      const found = m.linkinfo?.kind === kind ? tunnel6Of(m) : undefined;
      return found !== undefined && found.local === t.local && found.remote === t.remote;
    });
    if (match === undefined) throw new UsageError(`delete tunnel "${target}" failed: No such file or directory`, 1);
    await conn.delLink(match.index).catch((e) => {
      throw ioctlFailed(e, "delete", target);
    });
    return 0;
  }
  if (tunnel6Of(l) === undefined) throw new UsageError(`delete tunnel "${target}" failed: Operation not supported`, 1);
  await conn.delLink(l.index).catch((e) => {
    throw ioctlFailed(e, "delete", target);
  });
  return 0;
}

/** iproute2's ip6_tnl_parm_match: what `show`'s words ask for. */
function matchesFilter(want: Tunnel6, t: Tunnel6): boolean {
  return (!want.link || want.link === t.link) && (!want.name || want.name === t.name) &&
    (want.local === "::" || want.local === t.local) && (want.remote === "::" || want.remote === t.remote) &&
    (!want.proto || !t.proto || want.proto === t.proto) &&
    (!want.encapLimit || want.encapLimit === t.encapLimit) && (!want.hopLimit || want.hopLimit === t.hopLimit) &&
    (!(want.flowinfo & TCLASS_MASK) || !((want.flowinfo ^ t.flowinfo) & TCLASS_MASK)) &&
    (!(want.flowinfo & FLOWLABEL_MASK) || !((want.flowinfo ^ t.flowinfo) & FLOWLABEL_MASK)) &&
    (!want.flags || (want.flags & t.flags) !== 0);
}

/**
 * One IPv6 tunnel as iproute2's print_tunnel: `NAME: MODE remote A local B
 * [dev D] encaplimit E hoplimit H tclass T flowlabel F (flowinfo X) …`.
 *
 * @example
 * ```ts ignore
 * printTunnel6(p, tunnel6Of(link)!, links);
 * ```
 */
export function printTunnel6(p: Printer, t: Tunnel6, links: LinkCache): void {
  p.openObject();
  p.colorString(Kind.Any, Color.Ifname, "ifname", "%s: ", t.name);
  p.string(Kind.Any, "mode", "%s ", `${protoName(t.proto)}/ipv6`);
  p.write("remote ");
  p.colorString(Kind.Any, Color.Inet6, "remote", "%s ", t.remote);
  p.write("local ");
  p.colorString(Kind.Any, Color.Inet6, "local", "%s", t.local);
  if (t.link) p.string(Kind.Any, "link", " dev %s", links.name(t.link));
  if (t.flags & F.IGN_ENCAP_LIMIT) p.null(Kind.Any, "ip6_tnl_f_ign_encap_limit", " encaplimit none", "");
  else p.uint(Kind.Any, "encap_limit", " encaplimit %u", t.encapLimit);
  if (t.hopLimit) p.uint(Kind.Any, "hoplimit", " hoplimit %u", t.hopLimit);
  else p.write(" hoplimit inherit");
  if (t.flags & F.USE_ORIG_TCLASS) p.null(Kind.Any, "ip6_tnl_f_use_orig_tclass", " tclass inherit", "");
  else p.string(Kind.Any, "tclass", " tclass %s", sprintf("0x%02x", (t.flowinfo & TCLASS_MASK) >>> 20));
  if (t.flags & F.USE_ORIG_FLOWLABEL) p.null(Kind.Any, "ip6_tnl_f_use_orig_flowlabel", " flowlabel inherit", "");
  else p.string(Kind.Any, "flowlabel", " flowlabel %s", sprintf("0x%05x", t.flowinfo & FLOWLABEL_MASK));
  p.string(Kind.Any, "flowinfo", " (flowinfo %s)", sprintf("0x%08x", t.flowinfo >>> 0));
  if (t.flags & F.RCV_DSCP_COPY) p.null(Kind.Any, "ip6_tnl_f_rcv_dscp_copy", " dscp inherit", "");
  if (t.flags & F.ALLOW_LOCAL_REMOTE) p.null(Kind.Any, "ip6_tnl_f_allow_local_remote", " allow-localremote", "");
  printGreFlags(p, t.proto, t.iflags, t.oflags, t.ikey, t.okey);
  p.closeObject();
}

function show(ctx: IpContext, words: string[], links: LinkCache): number {
  const want = parseArgs(words, "show", links, { ...emptyTunnel(false), proto: PROTO.ANY });
  if (!want.name || ctx.stats) {
    const p = printer(ctx);
    p.startList();
    for (const l of links.list) {
      const t = tunnel6Of(l);
      if (t === undefined || (want.name && want.name !== t.name) || !matchesFilter(want, t)) continue;
      printTunnel6(p, t, links);
      if (ctx.stats) printTunnelStats(p, l);
      rawOut(p, "\n");
    }
    p.endList();
    p.flush();
    return 0;
  }
  // One tunnel by name: iproute2 prints it as text even with -j, and without a newline.
  const l = links.get(want.name);
  if (l === undefined) throw noDevice("get", want.name);
  const t = tunnel6Of(l);
  if (t === undefined) throw new UsageError(`get tunnel "${want.name}" failed: Operation not supported`, 1);
  const p = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
  printTunnel6(p, t, links);
  p.flush();
  return 0;
}

/**
 * Runs `ip -6 tunnel ARGS…` (or `ip tunnel … mode IPV6-MODE …`) and returns
 * the exit code.
 *
 * @example
 * ```ts ignore
 * import { run6 } from "./tunnel6.ts";
 * await run6(ctx, ["add", "t6", "mode", "ip6ip6", "remote", "2001:db8::2", "local", "2001:db8::1"]);
 * ```
 */
export async function run6(ctx: IpContext, args: string[]): Promise<number> {
  const [word, ...rest] = args;
  if (word !== undefined) {
    if (matches(word, "add")) return await withLinks(ctx, (conn, links) => add(conn, "add", rest, links));
    if (matches(word, "change")) return await withLinks(ctx, (conn, links) => add(conn, "change", rest, links));
    if (matches(word, "delete")) return await withLinks(ctx, (conn, links) => del(conn, rest, links));
    if (matches(word, "show") || matches(word, "lst") || matches(word, "list")) {
      return await withLinks(ctx, (_conn, links) => show(ctx, rest, links), ctx.stats > 0);
    }
    if (matches(word, "help")) usage();
    throw new UsageError(`Command "${word}" is unknown, try "ip -f inet6 tunnel help".`);
  }
  return await withLinks(ctx, (_conn, links) => show(ctx, [], links), ctx.stats > 0);
}
