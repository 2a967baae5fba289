/**
 * `ip link show` and `ip address show` (one listing in iproute2,
 * ipaddr_list_flush_or_save): selectors, one dump of links (and one of
 * addresses), then each link followed by its addresses.
 *
 * @module
 */
import type { Address, Connection, Link } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { AF_PACKET, familyNumber } from "../common/inet.ts";
import { groupId } from "../common/names.ts";
import { Kind, type Printer } from "../common/output.ts";
import { addressSelector, type AddrFilter, addrMatches, printAddress, scopeNumber } from "./address_print.ts";
import { connect, type IpContext, printer } from "./context.ts";
import { type LinkPrintEnv, loadLinkKinds, printLink, printLinkBrief } from "./link_print.ts";
import { loadXdpProgInfo } from "./link_xdp_print.ts";
import { printLinkStats } from "./link_stats.ts";
import { flagMask, IFF_UP, LinkCache } from "./links.ts";

/** The TYPE list `ip link` and `ip address` end their usages with (the `type TYPE` of show, add and set). */
export const LINK_TYPES_USAGE = `TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |
          ip6erspan | ip6gre | ip6gretap | ip6tnl |
          ipip | ipoib | ipvlan | ipvtap |
          macsec | macvlan | macvtap |
          netdevsim | nlmon | rmnet | sit | team | team_slave |
          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
          xfrm | virt_wifi }`;
/** Selectors of `ip link show` / `ip address show`. */
interface ListFilter extends AddrFilter {
  up: boolean;
  group: number;
  /** Master ifindex; -1 for `nomaster`; 0 for any. */
  master: number;
  kind?: string;
  slaveKind?: string;
  dev?: string;
}

/** The family of `-f`/`-4`/`-6` as a number. */
function ctxFamily(ctx: IpContext): number {
  switch (ctx.family) {
    case "inet":
      return 2;
    case "inet6":
      return 10;
    case "packet":
      return AF_PACKET;
    case "mpls":
      return 28;
    case "bridge":
      return 7;
  }
  return 0;
}

function parse(ctx: IpContext, args: string[], doLink: boolean, links: () => Promise<LinkCache>, usage: () => never) {
  const f: ListFilter = {
    family: doLink ? AF_PACKET : ctxFamily(ctx),
    ifindex: 0,
    scope: 0,
    scopemask: 0,
    flags: 0,
    flagmask: 0,
    oneline: ctx.oneline,
    brief: ctx.brief,
    numeric: ctx.numeric,
    up: false,
    group: -1,
    master: 0,
  };
  const steps: ((c: LinkCache) => void)[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (addressSelector(arg, next, f)) continue;
    if (arg === "up") f.up = true;
    else if (arg === "group") {
      const v = next();
      const g = groupId(v);
      if (g === undefined) throw invalidArgument('Invalid "group" value\n', v);
      f.group = g;
    } else if (arg === "master" || arg === "vrf") {
      const v = next();
      const vrf = arg === "vrf";
      steps.push((c) => {
        const idx = c.index(v);
        if (!idx) throw invalidArgument(vrf ? "Not a valid VRF name\n" : "Device does not exist\n", v);
        if (vrf && c.get(idx)?.linkinfo?.kind !== "vrf") throw invalidArgument("Not a valid VRF name\n", v);
        f.master = idx;
      });
    } else if (arg === "nomaster") f.master = -1;
    else if (arg === "type") {
      const v = next();
      if (v.endsWith("_slave")) f.slaveKind = v.slice(0, -"_slave".length);
      else f.kind = v;
    } else {
      let dev = arg;
      if (arg === "dev") dev = next();
      else if (matches(arg, "help")) usage();
      if (f.dev !== undefined) {
        throw new UsageError(`Error: either "dev" is duplicate, or "${dev}" is a garbage.`);
      }
      f.dev = dev;
    }
  }
  return {
    f,
    resolve: async () => {
      const c = await links();
      for (const s of steps) s(c);
      if (f.dev !== undefined) {
        f.ifindex = c.index(f.dev);
        if (f.ifindex <= 0) throw new UsageError(`Device "${f.dev}" does not exist.`, 1);
      }
      return c;
    },
  };
}

/** iproute2's print_linkinfo filters: whether the link is listed at all. */
function linkPasses(link: Link, f: ListFilter): boolean {
  if (f.ifindex && link.index !== f.ifindex) return false;
  if (f.up && !(flagMask(link.flags) & IFF_UP)) return false;
  if (link.name === undefined) return false;
  if (link.group !== undefined && f.group !== -1 && link.group !== f.group) return false;
  if (link.master !== undefined) {
    if (f.master > 0 && link.master !== f.master) return false;
  } else if (f.master > 0) return false;
  if (f.kind !== undefined && (link.linkinfo === undefined || (link.linkinfo.kind ?? "") !== f.kind)) return false;
  if (f.slaveKind !== undefined && (link.linkinfo === undefined || (link.linkinfo.slaveKind ?? "") !== f.slaveKind)) {
    return false;
  }
  return true;
}

/** Filters the kernel applies for iproute2's dump request (master, nomaster, kind). */
function dumpPasses(link: Link, f: ListFilter): boolean {
  if (f.master === -1 && link.master !== undefined && link.master !== 0) return false;
  if (f.master > 0 && link.master !== f.master) return false;
  if (f.kind !== undefined && link.linkinfo?.kind !== undefined && link.linkinfo.kind !== f.kind) return false;
  return true;
}

/** iproute2's ipaddr_filter: links whose addresses all fail the filters are dropped. */
function hasMatchingAddress(link: Link, addrs: Address[], f: ListFilter, cache: LinkCache): boolean {
  let missing = true;
  for (const a of addrs) {
    if (a.index !== link.index) continue;
    missing = false;
    if (f.family && f.family !== familyNumber(a.family)) continue;
    if ((f.scope ^ scopeNumber(a.scope)) & f.scopemask) continue;
    if (addrMatches(a, f, cache)) return true;
  }
  return missing && (f.family === 0 || f.family === AF_PACKET);
}

/**
 * Runs `ip link show …` (doLink) or `ip address show …`.
 *
 * @example
 * ```ts ignore
 * await listLinks(ctx, ["dev", "p0"], true, usage);
 * ```
 */
export async function listLinks(ctx: IpContext, args: string[], doLink: boolean, usage: () => never): Promise<number> {
  using conn = await connect(ctx);
  let cache: LinkCache | undefined;
  const load = async () => cache ??= await LinkCache.listing(conn, ctx.stats > 0);
  const { f, resolve } = parse(ctx, args, doLink, load, usage);
  const links = await resolve();
  if (ctx.details) await loadLinkKinds();
  if (!ctx.brief) await loadXdpProgInfo(links.list);
  const p = printer(ctx);
  const env: LinkPrintEnv = {
    ctx,
    links,
    doLink,
    family: f.family,
    nsNames: await namesIfNeeded(conn, links.list, ctx),
  };
  p.startList();
  if (f.dev !== undefined && f.group === -1 && doLink) {
    // iproute2 asks for the one device (RTM_GETLINK) and prints it.
    const link = links.get(f.ifindex);
    if (link) printOne(p, link, [], f, env, links, true);
    p.endList();
    p.flush();
    return 0;
  }
  let list = links.list.filter((l) => (f.ifindex ? l.index === f.ifindex : dumpPasses(l, f)));
  // iproute2 dumps links with the family of -6 (not a `to` prefix's): the kernel's IPv6 link dump carries fewer
  // attributes.
  if (!doLink && ctxFamily(ctx) === 10 && !f.ifindex) list = list.map(inet6View);
  let addrs: Address[] = [];
  const noLink = f.family !== AF_PACKET && f.oneline;
  if (f.family !== AF_PACKET) {
    const family = f.family === 2 ? "inet" : f.family === 10 ? "inet6" : undefined;
    addrs = await conn.getAddresses({ family, dev: f.ifindex || undefined });
    list = list.filter((l) => hasMatchingAddress(l, addrs, f, links));
  }
  for (const link of list) printOne(p, link, addrs, f, env, links, ctx.brief || !noLink);
  p.endList();
  p.flush();
  return 0;
}

/** One link: its line(s), then its addresses, then (for `ip -s address`) its counters. */
function printOne(
  p: Printer,
  link: Link,
  addrs: Address[],
  f: ListFilter,
  env: LinkPrintEnv,
  links: LinkCache,
  withLink: boolean,
): void {
  p.openObject();
  // iproute2's print_linkinfo result: -1 filtered out, 0 nothing printed (label filter), 1 printed.
  let res = 0;
  if (withLink) {
    if (!linkPasses(link, f)) res = -1;
    else if (f.label !== undefined) res = 0;
    else {
      res = 1;
      if (env.ctx.brief) printLinkBrief(p, link, env);
      else printLink(p, link, env);
    }
  }
  if (res >= 0 && f.family !== AF_PACKET) {
    p.openArray(Kind.Json, "addr_info");
    for (const a of addrs) {
      if (a.index !== link.index || (f.family && f.family !== familyNumber(a.family))) continue;
      if (f.up && !(flagMask(link.flags) & IFF_UP)) continue;
      p.openObject();
      printAddress(p, a, f, links);
      p.closeObject();
    }
    p.closeArray(Kind.Json);
    if (env.ctx.brief) p.write("\n");
  }
  if (res > 0 && !env.doLink && env.ctx.stats) {
    printLinkStats(p, link, { level: env.ctx.stats, human: env.ctx.human, iec: env.ctx.iec });
    p.nl();
  }
  p.closeObject();
}

/**
 * A link as the kernel's AF_INET6 link dump (inet6_fill_ifinfo) describes it:
 * name, address, MTU, peer, state, and IPv6 counters in place of the device's.
 * The queue length stays: iproute2 then reads it with an ioctl.
 */
function inet6View(l: Link): Link {
  const v: Link = { family: "inet6", type: l.type, index: l.index, flags: l.flags, change: 0 };
  if (l.name !== undefined) v.name = l.name;
  if (l.address !== undefined) v.address = l.address;
  if (l.mtu !== undefined) v.mtu = l.mtu;
  if (l.link !== undefined) v.link = l.link;
  if (l.operstate !== undefined) v.operstate = l.operstate;
  if (l.txqlen !== undefined) v.txqlen = l.txqlen;
  const mib = l.afSpec?.inet6?.stats;
  if (mib) {
    const zero = 0n;
    const get = (k: string) => mib[k] ?? zero;
    v.stats64 = {
      rxPackets: get("inpkts"),
      txPackets: get("outpkts"),
      rxBytes: get("inoctets"),
      txBytes: get("outoctets"),
      rxErrors: get("indiscards"),
      txErrors: get("outdiscards"),
      rxDropped: zero,
      txDropped: zero,
      multicast: get("inmcastpkts"),
      collisions: zero,
      rxLengthErrors: zero,
      rxOverErrors: zero,
      rxCrcErrors: zero,
      rxFrameErrors: get("csumerrors"),
      rxFifoErrors: zero,
      rxMissedErrors: zero,
      txAbortedErrors: zero,
      txCarrierErrors: zero,
      txFifoErrors: zero,
      txHeartbeatErrors: zero,
      txWindowErrors: zero,
      rxCompressed: zero,
      txCompressed: zero,
      rxNohandler: zero,
    };
  }
  return v;
}

/** Namespace-id names, looked up only when a text line will show `link-netns`. */
async function namesIfNeeded(conn: Connection, list: Link[], ctx: IpContext): Promise<Map<number, string>> {
  if (ctx.json || ctx.brief) return new Map();
  const needed = list.some((l) => (l.linkNetnsid ?? -1) >= 0 || l.newNetnsid !== undefined);
  if (!needed) return new Map();
  try {
    return await conn.getNsidNames();
  } catch {
    // /var/run/netns unreadable (no --allow-read): ids print as numbers, as iproute2's do without names.
    return new Map();
  }
}
