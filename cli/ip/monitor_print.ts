/**
 * One notification as `ip monitor` prints it (iproute2's accept_msg): the
 * `-t`/`-ts` timestamp and `label` banner, then the same printer the object's
 * `show` command uses, with `Deleted ` before removed objects. iproute2 6.1
 * prints monitor output as text even with `-j`, and so do we.
 *
 * @module
 */
import { RTNL_FAMILY } from "@nlink/nlink/tables";
import { type Connection, type Link, type Netconf, type NetworkEvent, readMonitorFile } from "@nlink/nlink";
import { familyName, familyNumber } from "../common/inet.ts";
import { Kind, Printer } from "../common/output.ts";
import { Color } from "../common/color.ts";
import { printAddress } from "./address_print.ts";
import { printAddressLabel } from "./addrlabel_print.ts";
import type { IpContext } from "./context.ts";
import { type LinkPrintEnv, printLink, printLinkBrief } from "./link_print.ts";
import { printMroute } from "./mroute_print.ts";
import type { LiveLinks } from "./monitor_links.ts";
import { loadXdpProgInfo } from "./link_xdp_print.ts";
import { printNeighbour } from "./neigh_print.ts";
import { printBucket, printNexthop } from "./nexthop_print.ts";
import { printPrefix } from "./prefix_print.ts";
import type { NhInfoCache } from "./route_nhinfo.ts";
import { defaultRouteFilter, RoutePrinter } from "./route_print.ts";
import { printRule } from "./rule_print.ts";
import { showHwStatsInfo } from "./stats_print.ts";

/** What printing an event needs besides the event. */
export interface MonitorEnv {
  /** Global options (`-t`, `-ts`, `-d`, `-s`, `-N`, `-4`/`-6`, …). */
  ctx: IpContext;
  /** The link table, kept current by link notifications. */
  links: LiveLinks;
  /** `label` (or `all`): each event starts with `[LINK]`, `[ADDR]`, …. */
  label: boolean;
  /** `dev DEV`: only this device's links, addresses, routes, neighbours and netconf (0: all). */
  ifindex: number;
  /** Namespace ids → names under /var/run/netns (iproute2's netns map, which `[NSID]` events edit). */
  nsNames: Map<number, string>;
  /** The connection, for a namespace's name when a new id appears. */
  conn: Connection;
  /** `all-nsid`: `[nsid N]` or `[nsid current]` for the event about to print (after the timestamp). */
  nsidPrefix?: string;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/**
 * iproute2's print_timestamp for the current time: `Timestamp: <asctime> N usec`
 * and a newline (`-t`), or `[YYYY-MM-DDTHH:MM:SS.uuuuuu] ` (`-ts`), in local time.
 *
 * @example
 * ```ts
 * import { timestampText } from "./monitor_print.ts";
 * timestampText(false, Date.UTC(2026, 10, 22, 9, 5, 7) + 0.25).endsWith(" 250 usec\n"); // true
 * ```
 */
export function timestampText(short: boolean, nowMs: number = performance.timeOrigin + performance.now()): string {
  const sec = Math.floor(nowMs / 1000);
  const usec = Math.min(999999, Math.floor((nowMs - sec * 1000) * 1000));
  const d = new Date(sec * 1000);
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  if (short) {
    const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
    return `[${date}T${time}.${String(usec).padStart(6, "0")}] `;
  }
  return `Timestamp: ${asctime(d)} ${usec} usec\n`;
}

/** C's asctime without its newline, in local time: `Thu Jan  1 00:00:00 1970`. */
function asctime(d: Date): string {
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2)} ${time} ${d.getFullYear()}`;
}

/**
 * A saved notification file's bytes (`monitor file FILE`), or undefined
 * after saying on stderr why it cannot be opened, as iproute2's perror does.
 *
 * @example
 * ```ts ignore
 * const bytes = await readSavedFile("/tmp/rtmon.log");
 * ```
 */
export async function readSavedFile(name: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(name);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "No such file or directory"
      : e instanceof Deno.errors.PermissionDenied
      ? "Permission denied"
      : e instanceof Deno.errors.IsADirectory
      ? "Is a directory"
      : String(e);
    console.error(`Cannot fopen: ${why}`);
    return undefined;
  }
}

/**
 * How iproute2's rtnl_from_file reports the damage that ends a saved file
 * early (on stderr; `ip` then exits with 1, `tc` with 255).
 *
 * @example
 * ```ts
 * import { savedFileDamage } from "./monitor_print.ts";
 * savedFileDamage({ reason: "truncated", offset: 10 }); // "rtnl-from_file: truncated message"
 * ```
 */
export function savedFileDamage(d: { reason: "truncated" | "malformed"; length?: number; offset: number }): string {
  return d.reason === "truncated"
    ? "rtnl-from_file: truncated message"
    : `!!!malformed message: len=${d.length} @${d.offset}`;
}

/** Event types `ip monitor` prints (a removed bridge port is a link message too). */
const IP_EVENTS = new Set([
  "newlink",
  "dellink",
  "newbridgeport",
  "delbridgeport",
  "newaddr",
  "deladdr",
  "newaddrlabel",
  "deladdrlabel",
  "newroute",
  "delroute",
  "newneigh",
  "delneigh",
  "getneigh",
  "newrule",
  "delrule",
  "newnexthop",
  "delnexthop",
  "newnexthopbucket",
  "delnexthopbucket",
  "newnetconf",
  "delnetconf",
  "newnsid",
  "delnsid",
  "newprefix",
  "newstats",
]);

/**
 * Prints a saved notification file as `ip monitor file FILE` does: each
 * notification as the live monitor prints it (whatever its group), rtmon's
 * time stamps as `Timestamp: <asctime> N us`, other messages reported as
 * unknown on stderr; the damage that ends a file early on stderr, exit 1.
 * `follow` keeps the link table current before each event prints.
 *
 * @example
 * ```ts ignore
 * const code = await printSavedFile(out, bytes, env, (ev) => follow(conn, env.links, ev));
 * ```
 */
export async function printSavedFile(
  out: Printer,
  bytes: Uint8Array,
  env: MonitorEnv,
  follow: (ev: NetworkEvent) => Promise<void>,
): Promise<number> {
  const { entries, damage } = await readMonitorFile(bytes);
  for (const e of entries) {
    if (e.kind === "timestamp") {
      out.write(`Timestamp: ${asctime(new Date(e.seconds * 1000))} ${e.microseconds} us\n`);
    } else if (e.kind === "event" && IP_EVENTS.has(e.event.type)) {
      await follow(e.event);
      await printEvent(out, e.event, env);
      if (e.event.type === "delbridgeport") env.links.forget(e.event.port.ifindex);
    } else if (e.kind === "event" || e.header.type < 1 || e.header.type > 3) {
      const { type, flags, length } = e.header;
      const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;
      out.flush();
      console.error(
        `Unknown message: type=${hex(type)}(${type}) flags=${hex(flags)}(${flags}) len=${hex(length)}(${length})`,
      );
    }
    out.flush();
  }
  if (damage) {
    console.error(savedFileDamage(damage));
    return 1;
  }
  return 0;
}

/** iproute2's print_headers: the timestamp, then the banner. */
function headers(out: Printer, env: MonitorEnv, banner: string): void {
  if (env.ctx.timestamp) out.write(timestampText(env.ctx.timestamp === 2));
  if (env.nsidPrefix !== undefined) out.write(env.nsidPrefix);
  if (env.label) out.write(banner);
}

/** A bridge port notification (AF_BRIDGE link message) as the link iproute2 decodes from the same bytes. */
function portAsLink(ev: Extract<NetworkEvent, { type: "newbridgeport" | "delbridgeport" }>, env: MonitorEnv): Link {
  const p = ev.port;
  const known = env.links.get(p.ifindex);
  return {
    family: "bridge",
    // The port message's header type and IFLA_LINK are not in the library's port object: the link table has them.
    type: known?.type ?? "ether",
    link: known?.link,
    index: p.ifindex,
    flags: p.flags,
    change: 0,
    name: p.name,
    mtu: p.mtu,
    master: p.master,
    operstate: p.operstate,
    address: p.address,
  } as Link;
}

/** `ip monitor` prints links as `ip address` does (no link mode, alias or counters) and without the queue length. */
function printLinkEvent(out: Printer, link: Link, deleted: boolean, env: MonitorEnv): void {
  if (env.ifindex && link.index !== env.ifindex) return;
  if (link.name === undefined) return;
  if (deleted) out.bool(Kind.Any, "deleted", "Deleted ", true);
  const linkEnv: LinkPrintEnv = { ctx: env.ctx, links: env.links, doLink: false, family: 0, nsNames: env.nsNames };
  const shown = { ...link, txqlen: undefined };
  if (env.ctx.brief) printLinkBrief(out, shown, linkEnv);
  else printLink(out, shown, linkEnv);
}

const RP_FILTER = ["off", "strict", "loose"];

/** iproute2's print_netconf (shared with `ip netconf show`). */
function printNetconf(out: Printer, nc: Netconf, deleted: boolean, env: MonitorEnv): void {
  if (env.ifindex && nc.ifindex !== env.ifindex) return;
  if (deleted) out.write("Deleted ");
  out.write(`${familyName(familyNumber(nc.family))} `);
  const dev = nc.ifindex === -1 ? "all" : nc.ifindex === -2 ? "default" : env.links.name(nc.ifindex);
  out.write(`${dev} `);
  const onOff = (word: string, v: number | undefined) => {
    if (v !== undefined) out.write(`${word} ${v ? "on" : "off"} `);
  };
  onOff("forwarding", nc.forwarding);
  if (nc.rpFilter !== undefined) out.write(`rp_filter ${RP_FILTER[nc.rpFilter] ?? nc.rpFilter >>> 0} `);
  onOff("mc_forwarding", nc.mcForwarding);
  onOff("proxy_neigh", nc.proxyNeigh);
  onOff("ignore_routes_with_linkdown", nc.ignoreRoutesWithLinkdown);
  onOff("input", nc.input);
  out.write("\n");
}

/** iproute2's print_nsid, with its netns-map bookkeeping (a name is shown once, then forgotten). */
async function printNsid(
  out: Printer,
  ev: Extract<NetworkEvent, { type: "newnsid" | "delnsid" }>,
  env: MonitorEnv,
): Promise<void> {
  const { nsid, currentNsid } = ev.nsid;
  if (ev.type === "delnsid") out.write("Deleted ");
  out.write(nsid < 0 ? "nsid unassigned " : `nsid ${nsid} `);
  if (currentNsid !== undefined) {
    out.write(currentNsid < 0 ? "current-nsid unassigned " : `current-nsid ${currentNsid} `);
  }
  const key = currentNsid ?? nsid;
  const known = key >= 0 ? env.nsNames.get(key) : undefined;
  if (known !== undefined) {
    out.write(`(iproute2 netns name: ${known})`);
    env.nsNames.delete(key);
  } else if (ev.type === "newnsid" && nsid >= 0) {
    let name: string | undefined;
    try {
      name = (await env.conn.getNsidNames()).get(nsid);
    } catch {
      // Without read access to /var/run/netns there is no name to show, as for iproute2.
    }
    if (name !== undefined) {
      out.write(`(iproute2 netns name: ${name})`);
      env.nsNames.set(nsid, name);
    }
  }
  out.write("\n");
}

/** Whether a family filter (`-4`, `-6`, `-f F`) keeps a neighbour entry of this family. */
function familyPasses(ctx: IpContext, family: string | number): boolean {
  return ctx.family === undefined || ctx.family === familyName(familyNumber(family)) ||
    (ctx.family === "packet" && familyNumber(family) === 17);
}

/**
 * Prints one notification into `out` (nothing for those iproute2 drops
 * before its banner: cached routes, neighbours of another family).
 *
 * @example
 * ```ts ignore
 * await printEvent(out, ev, env);
 * ```
 */
export async function printEvent(out: Printer, ev: NetworkEvent, env: MonitorEnv): Promise<void> {
  const { ctx } = env;
  switch (ev.type) {
    case "newlink":
    case "dellink":
      // `-d` prints an attached XDP program's name and tag, which bpf(2) tells, as iproute2 asks it when printing.
      if (ctx.details && ev.link.xdp !== undefined) await loadXdpProgInfo([ev.link]);
      headers(out, env, "[LINK]");
      printLinkEvent(out, ev.link, ev.type === "dellink", env);
      return;
    case "newbridgeport":
    case "delbridgeport":
      headers(out, env, "[LINK]");
      printLinkEvent(out, portAsLink(ev, env), ev.type === "delbridgeport", env);
      return;
    case "newaddr":
    case "deladdr": {
      headers(out, env, "[ADDR]");
      if (env.ifindex && ev.address.index !== env.ifindex) return;
      if (ev.type === "deladdr") out.bool(Kind.Any, "deleted", "Deleted ", true);
      const filter = {
        family: 0,
        ifindex: 0,
        scope: 0,
        scopemask: 0,
        flags: 0,
        flagmask: 0,
        oneline: true,
        brief: ctx.brief,
        numeric: ctx.numeric,
      };
      printAddress(out, ev.address, filter, env.links);
      return;
    }
    case "newroute":
    case "delroute": {
      const r = ev.route;
      if (r.flags.includes("cloned")) return;
      if (r.family === RTNL_FAMILY.IPMR || r.family === RTNL_FAMILY.IP6MR) {
        // Multicast forwarding entries (RTNL_FAMILY_IPMR / IP6MR) print as `ip mroute show` prints them.
        headers(out, env, "[MROUTE]");
        const options = { stats: ctx.stats, details: ctx.details, numeric: ctx.numeric };
        printMroute(out, r, ev.type === "delroute", { tb: 0, af: 0, iif: env.ifindex }, env.links, options);
        return;
      }
      headers(out, env, "[ROUTE]");
      const filter = { ...defaultRouteFilter(), tb: 0, family: ctx.family };
      if (env.ifindex) [filter.oif, filter.oifmask] = [env.ifindex, -1];
      // The route printer selects as it prints; "Deleted " goes only before a route it printed.
      const scratch = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
      // `-d`: the nexthop object of a route with `nhid` on an `nh_info` line, as iproute2's print_route adds it.
      const nhInfo = ctx.details > 0 && r.nhId !== undefined ? await (await nhCache(env)).lookup([r.nhId]) : undefined;
      const options = { details: ctx.details, stats: ctx.stats, numeric: ctx.numeric, nhInfo };
      new RoutePrinter(scratch, filter, env.links, options).print(r);
      const text = scratch.text();
      if (text !== "") out.write((ev.type === "delroute" ? "Deleted " : "") + text);
      return;
    }
    case "newneigh":
    case "delneigh":
    case "getneigh": {
      const n = ev.neighbour;
      if (!familyPasses(ctx, n.family)) return;
      headers(out, env, "[NEIGH]");
      if (env.ifindex && n.ifindex !== env.ifindex) return;
      const filter = { state: ~0, index: env.ifindex, pfx: undefined, protocol: 0, unusedOnly: false };
      const options = { stats: ctx.stats, brief: ctx.brief, numeric: ctx.numeric };
      const mark = ev.type === "delneigh" ? "deleted" : ev.type === "getneigh" ? "miss" : undefined;
      printNeighbour(out, n, filter, env.links, options, mark);
      return;
    }
    case "newrule":
    case "delrule":
      headers(out, env, "[RULE]");
      printRule(out, ev.rule, { details: ctx.details, numeric: ctx.numeric }, ev.type === "delrule");
      return;
    case "newnexthop":
    case "delnexthop":
      // iproute2 keeps the objects it is told of for routes' nh_info (printed with -d only).
      if (ctx.details > 0) (await nhCache(env)).note(ev.nexthop, ev.type === "delnexthop");
      headers(out, env, "[NEXTHOP]");
      printNexthop(
        out,
        ev.nexthop,
        env.links,
        { details: ctx.details, numeric: ctx.numeric },
        ev.type === "delnexthop",
      );
      return;
    case "newnexthopbucket":
    case "delnexthopbucket":
      // iproute2 6.1 compares a bucket's type with RTM_DELNEXTHOP, so a removed bucket never says "Deleted".
      headers(out, env, "[NEXTHOPBUCKET]");
      printBucket(out, ev.bucket);
      return;
    case "newnetconf":
    case "delnetconf":
      headers(out, env, "[NETCONF]");
      printNetconf(out, ev.netconf, ev.type === "delnetconf", env);
      return;
    case "newnsid":
    case "delnsid":
      headers(out, env, "[NSID]");
      await printNsid(out, ev, env);
      return;
    case "newaddrlabel":
    case "deladdrlabel":
      headers(out, env, "[ADDRLABEL]");
      printAddressLabel(out, ev.label, env.links, ev.type === "deladdrlabel");
      return;
    case "newprefix":
      headers(out, env, "[PREFIX]");
      printPrefix(out, ev.prefix, (i) => env.links.name(i), ctx.family);
      return;
    case "newstats":
      // iproute2's ipstats_print: the link, then its offload hw_s_info suite (the only one the kernel notifies).
      headers(out, env, "[STATS]");
      out.openObject();
      out.int(Kind.Any, "ifindex", "%d:", ev.stats.index);
      out.colorString(Kind.Any, Color.Ifname, "ifname", " %s:", env.links.name(ev.stats.index));
      showHwStatsInfo(out, ev.stats, { level: ctx.stats, human: ctx.human, iec: ctx.iec });
      out.closeObject();
      out.nl();
      return;
    case "overrun":
      // iproute2's rtnl_listen reports ENOBUFS and keeps listening.
      console.error("netlink receive error No buffer space available (105)");
      return;
  }
}

/** Each monitor's nexthop cache for `-d` (iproute2's, for routes' `nh_info`). */
const NH_CACHES = new WeakMap<MonitorEnv, NhInfoCache>();

/** This monitor's nexthop cache, made on first use (its module loads only then, so only with `-d`). */
async function nhCache(env: MonitorEnv): Promise<NhInfoCache> {
  let c = NH_CACHES.get(env);
  if (c === undefined) {
    const { NhInfoCache } = await import("./route_nhinfo.ts");
    const o = { json: false, details: env.ctx.details, numeric: env.ctx.numeric };
    c = new NhInfoCache(env.conn, env.links, o);
    NH_CACHES.set(env, c);
  }
  return c;
}

/**
 * Interface indexes an event will print names for: those the link table
 * lacks are looked up first (iproute2's ll_index_to_name asks the kernel).
 *
 * @example
 * ```ts ignore
 * for (const i of indexesOf(ev)) if (!links.has(i)) …
 * ```
 */
export function indexesOf(ev: NetworkEvent): number[] {
  switch (ev.type) {
    case "newlink":
      return [ev.link.master ?? 0, ev.link.linkNetnsid === undefined ? ev.link.link ?? 0 : 0];
    case "newaddr":
    case "deladdr":
      return [ev.address.index];
    case "newroute":
    case "delroute":
      return [ev.route.oif ?? 0, ev.route.iif ?? 0, ...(ev.route.multipath ?? []).map((m) => m.ifindex)];
    case "newneigh":
    case "delneigh":
    case "getneigh":
      return [ev.neighbour.ifindex];
    case "newnexthop":
    case "delnexthop":
      return [ev.nexthop.oif ?? 0];
    case "newnetconf":
    case "delnetconf":
      return [Math.max(0, ev.netconf.ifindex)];
    case "newaddrlabel":
    case "deladdrlabel":
      return [ev.label.index];
    case "newprefix":
      return [ev.prefix.ifindex];
    case "newstats":
      return [ev.stats.index];
  }
  return [];
}
