/**
 * `bridge vlan`: show per-port VLANs and tunnel mappings, the VLAN database
 * (`-d`) and global VLAN options (iproute2's bridge/vlan.c grammar and
 * output). Changes are in vlan_modify.ts.
 *
 * @module
 */
import type { BridgePortVlans, BridgeVlanEntry, BridgeVlanGlobalOptions } from "@nlink/nlink";
import { matches, UsageError } from "../common/args.ts";
import { Kind, type Printer } from "../common/output.ts";
import { Color } from "../common/color.ts";
import { type BridgeContext, type Links, openShow, printer, printStpState, stpStateNumber } from "./context.ts";
import { dumpFailed } from "./dump.ts";
import { formatTimer } from "./mdb.ts";
import { MDB_RTR_TYPE } from "@nlink/nlink/tables";

/** iproute2's usage text for `bridge vlan`. */
export const VLAN_USAGE = `Usage: bridge vlan { add | del } vid VLAN_ID dev DEV [ tunnel_info id TUNNEL_ID ]
                                                     [ pvid ] [ untagged ]
                                                     [ self ] [ master ]
       bridge vlan { set } vid VLAN_ID dev DEV [ state STP_STATE ]
                                               [ mcast_router MULTICAST_ROUTER ]
       bridge vlan { show } [ dev DEV ] [ vid VLAN_ID ]
       bridge vlan { tunnelshow } [ dev DEV ] [ vid VLAN_ID ]
       bridge vlan global { set } vid VLAN_ID dev DEV
                      [ mcast_snooping MULTICAST_SNOOPING ]
                      [ mcast_querier MULTICAST_QUERIER ]
                      [ mcast_igmp_version IGMP_VERSION ]
                      [ mcast_mld_version MLD_VERSION ]
                      [ mcast_last_member_count LAST_MEMBER_COUNT ]
                      [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]
                      [ mcast_startup_query_count STARTUP_QUERY_COUNT ]
                      [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]
                      [ mcast_membership_interval MEMBERSHIP_INTERVAL ]
                      [ mcast_querier_interval QUERIER_INTERVAL ]
                      [ mcast_query_interval QUERY_INTERVAL ]
                      [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]
       bridge vlan global { show } [ dev DEV ] [ vid VLAN_ID ]`;

/** IFNAMSIZ-wide name column, as iproute2's `%-16s`. */
const pad = (s: string) => s.padEnd(16);
const BLANK = pad("");
/** The width of the vlan-id column (VLAN_ID_LEN). */
const VLAN_ID_LEN = 9;

/** What is shown. */
type Subject = "vlan" | "tunnel";

/**
 * iproute2's filter_vlan_check over folded items: -1 stop, 0 skip, 1 print
 * (a range prints when its end reaches the filter).
 */
function vlanCheck(filter: number, vid: number, end: number | undefined): number {
  if (end === undefined) {
    if (filter && vid > filter) return -1;
    return vid < filter ? 0 : 1;
  }
  if (filter && vid > filter) return -1;
  return end < filter ? 0 : 1;
}

/** print_range: `START[-END]`, returning the text width. */
function printRange(out: Printer, name: string, start: number, end: number): number {
  out.uint(Kind.Any, name, "%u", start);
  let width = String(start).length;
  if (start !== end) {
    out.uint(Kind.Any, `${name}End`, "-%u", end);
    width += 1 + String(end).length;
  }
  return width;
}

function openPort(out: Printer, links: Links, ifindex: number, subject: Subject): void {
  out.openObject();
  out.colorString(Kind.Any, Color.Ifname, "ifname", "%-16s  ", links.name(ifindex));
  out.openArray(Kind.Json, subject === "vlan" ? "vlans" : "tunnels");
}

function closePort(out: Printer): void {
  out.closeArray(Kind.Json);
  out.closeObject();
}

/** print_vlan_flags: ` PVID`, ` Egress Untagged`; the JSON array whenever any flag bit is set. */
function printVlanFlags(out: Printer, pvid: boolean, untagged: boolean, anyFlag: boolean): void {
  if (!anyFlag) return;
  out.openArray(Kind.Json, "flags");
  if (pvid) out.string(Kind.Any, null, " %s", "PVID");
  if (untagged) out.string(Kind.Any, null, " %s", "Egress Untagged");
  out.closeArray(Kind.Json);
}

function printPortVlans(out: Printer, links: Links, p: BridgePortVlans, filter: number): void {
  let opened = false;
  for (const v of p.vlans) {
    const check = vlanCheck(filter, v.vid, v.vidEnd);
    if (check === -1) break;
    if (check === 0) continue;
    if (!opened) {
      openPort(out, links, p.ifindex, "vlan");
      opened = true;
    } else out.write(BLANK + "  ");
    out.openObject();
    printRange(out, "vlan", v.vid, v.vidEnd ?? v.vid);
    // A range's last item carries RANGE_END: iproute2 then prints an (empty) flags array.
    printVlanFlags(out, v.pvid, v.untagged, v.pvid || v.untagged || v.vidEnd !== undefined);
    out.closeObject();
    out.nl();
  }
  if (opened) closePort(out);
}

function printPortTunnels(out: Printer, links: Links, p: BridgePortVlans, filter: number): void {
  let opened = false;
  for (const t of p.tunnels ?? []) {
    const check = vlanCheck(filter, t.vid, t.vidEnd);
    if (check === -1) break;
    if (check === 0) continue;
    if (!opened) {
      openPort(out, links, p.ifindex, "tunnel");
      opened = true;
    } else out.write(BLANK + "  ");
    out.openObject();
    const width = printRange(out, "vlan", t.vid, t.vidEnd ?? t.vid);
    out.write(" ".repeat(Math.max(0, VLAN_ID_LEN - width)) + "  ");
    printRange(out, "tunid", t.tunnelId, t.tunnelIdEnd ?? t.tunnelId);
    out.closeObject();
    out.nl();
  }
  if (opened) closePort(out);
}

/**
 * The counter lines under a VLAN (iproute2's __print_one_vlan_stats), for `-d -s` and `-s`.
 *
 * @example
 * ```ts ignore
 * printVlanCounters(out, { rxBytes: 0n, rxPackets: 0n, txBytes: 0n, txPackets: 0n });
 * ```
 */
export function printVlanCounters(
  out: Printer,
  s: { rxBytes: bigint; rxPackets: bigint; txBytes: bigint; txPackets: bigint },
): void {
  out.write(BLANK + "    ");
  out.uint(Kind.Any, "rx_bytes", "RX: %llu bytes", s.rxBytes);
  out.uint(Kind.Any, "rx_packets", " %llu packets\n", s.rxPackets);
  out.write(BLANK + "    ");
  out.uint(Kind.Any, "tx_bytes", "TX: %llu bytes", s.txBytes);
  out.uint(Kind.Any, "tx_packets", " %llu packets\n", s.txPackets);
}

/** Groups consecutive items of one device under one port object, as iproute2's print_vlan_rtm does. */
class PortGroups {
  #cur = -1;
  constructor(readonly out: Printer, readonly links: Links) {}
  /** Opens the device's group (or continues it) for one item. */
  item(ifindex: number): void {
    if (this.#cur !== -1 && this.#cur !== ifindex) this.close();
    if (this.#cur !== ifindex) {
      openPort(this.out, this.links, ifindex, "vlan");
      this.out.openObject();
      this.#cur = ifindex;
    } else {
      this.out.openObject();
      this.out.write(BLANK + "  ");
    }
  }
  /** Closes the open group. */
  close(): void {
    if (this.#cur !== -1) closePort(this.out);
    this.#cur = -1;
  }
}

/**
 * One VLAN database entry (iproute2's print_vlan_opts).
 *
 * @example
 * ```ts ignore
 * printVlanEntry(out, entry, false);
 * ```
 */
export function printVlanEntry(out: Printer, e: BridgeVlanEntry, stats: boolean): void {
  printRange(out, "vlan", e.vid, e.vidEnd ?? e.vid);
  printVlanFlags(out, e.pvid, e.untagged, e.flags.length > 0);
  out.nl();
  out.write(BLANK + "    ");
  printStpState(out, e.state === undefined ? 0 : stpStateNumber(e.state));
  if (e.mcastRouter !== undefined) {
    out.uint(Kind.Any, "mcast_router", "mcast_router %u ", MDB_RTR_TYPE.value(e.mcastRouter));
  }
  out.nl();
  if (stats) printVlanCounters(out, e.stats ?? { rxBytes: 0n, rxPackets: 0n, txBytes: 0n, txPackets: 0n });
  out.closeObject();
}

/**
 * One set of global VLAN options (iproute2's print_vlan_global_opts).
 *
 * @example
 * ```ts ignore
 * printVlanGlobal(out, links, options, false);
 * ```
 */
export function printVlanGlobal(out: Printer, links: Links, g: BridgeVlanGlobalOptions, stats: boolean): void {
  printRange(out, "vlan", g.vid, g.vidEnd ?? g.vid);
  out.nl();
  out.write(BLANK + "    ");
  const u = (key: string, v: number | boolean | undefined) => {
    if (v !== undefined) out.uint(Kind.Any, key, `${key} %u `, typeof v === "boolean" ? (v ? 1 : 0) : v);
  };
  const ull = (key: string, v: bigint | undefined) => {
    if (v !== undefined) out.uint(Kind.Any, key, `${key} %llu `, v);
  };
  u("mcast_snooping", g.mcastSnooping);
  u("mcast_querier", g.mcastQuerier);
  u("mcast_igmp_version", g.mcastIgmpVersion);
  u("mcast_mld_version", g.mcastMldVersion);
  // iproute2 6.1 prints the last member count when the MLD version is present.
  if (g.mcastMldVersion !== undefined) u("mcast_last_member_count", g.mcastLastMemberCount ?? 0);
  ull("mcast_last_member_interval", g.mcastLastMemberInterval);
  u("mcast_startup_query_count", g.mcastStartupQueryCount);
  ull("mcast_startup_query_interval", g.mcastStartupQueryInterval);
  ull("mcast_membership_interval", g.mcastMembershipInterval);
  ull("mcast_querier_interval", g.mcastQuerierInterval);
  ull("mcast_query_interval", g.mcastQueryInterval);
  ull("mcast_query_response_interval", g.mcastQueryResponseInterval);
  out.nl();
  if (g.mcastRouterPorts !== undefined) {
    out.write(BLANK + "    ");
    out.openArray(Kind.Any, out.json ? "router_ports" : undefined, "router ports: ");
    g.mcastRouterPorts.forEach((r, i) => {
      out.openObject();
      if (stats && i > 0) {
        out.nl();
        out.write(BLANK + "    " + " ".repeat(14));
      }
      out.string(Kind.Any, "port", "%s ", links.name(r.port));
      if (stats) {
        if (r.timer !== undefined) out.string(Kind.Any, "timer", " %s", formatTimer(r.timer, true));
        if (r.type !== undefined) {
          const type = MDB_RTR_TYPE.value(r.type);
          out.string(Kind.Any, "type", " %s", type === 1 || type === 3 ? "temp" : "permanent");
        }
      }
      out.closeObject();
    });
    out.closeArray(Kind.Json);
    out.nl();
  }
  out.closeObject();
}

const HEADER = `${pad("port")}  ${"vlan-id".padEnd(VLAN_ID_LEN)}`;

async function show(ctx: BridgeContext, words: string[], subject: Subject, global = false): Promise<number> {
  // Without -d, iproute2 answers -s (for tunnelshow too) from the statistics dumps instead.
  if (ctx.stats && !global && !(ctx.details && subject === "vlan")) {
    return (await import("./vlan_stats.ts")).showVlanStats(ctx, words);
  }
  using scope = await openShow(ctx, words);
  const { vid, conn, links, index } = scope;
  const out = printer(ctx);
  out.startList();
  try {
    if (global || (ctx.details && subject === "vlan")) {
      out.write(HEADER + "\n");
      const groups = new PortGroups(out, links);
      if (global) {
        for (const g of await conn.getBridgeVlanGlobalOptions()) {
          if ((index && g.ifindex !== index) || (vid && (vid < g.vid || vid > (g.vidEnd ?? g.vid)))) continue;
          groups.item(g.ifindex);
          printVlanGlobal(out, links, g, ctx.stats > 0);
        }
      } else {
        for (const e of await conn.getBridgeVlanEntries({ stats: ctx.stats > 0 })) {
          if ((index && e.ifindex !== index) || (vid && (vid < e.vid || vid > (e.vidEnd ?? e.vid)))) continue;
          groups.item(e.ifindex);
          printVlanEntry(out, e, ctx.stats > 0);
        }
      }
      groups.close();
    } else {
      out.write(HEADER + (subject === "tunnel" ? "  tunnel-id" : "") + "\n");
      for (const p of await conn.getBridgeVlans({ compressed: ctx.compressVlans })) {
        if (index && p.ifindex !== index) continue;
        if (subject === "vlan") printPortVlans(out, links, p, vid);
        else printPortTunnels(out, links, p, vid);
      }
    }
  } catch (e) {
    out.flush();
    return dumpFailed(e);
  }
  out.endList();
  out.flush();
  return 0;
}

/**
 * `bridge vlan …` → exit code.
 *
 * @example
 * ```ts ignore
 * await run(ctx, ["show", "dev", "p0"]);
 * ```
 */
export async function run(ctx: BridgeContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return await show(ctx, [], "vlan");
  const modify = () => import("./vlan_modify.ts");
  if (matches(cmd, "add")) return (await modify()).vlanModify(ctx, "add", rest);
  if (matches(cmd, "delete")) return (await modify()).vlanModify(ctx, "del", rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return await show(ctx, rest, "vlan");
  if (matches(cmd, "tunnelshow")) return await show(ctx, rest, "tunnel");
  if (matches(cmd, "set")) return (await modify()).vlanSet(ctx, rest);
  if (cmd === "global") {
    const [sub, ...more] = rest;
    if (sub === undefined || sub === "show" || sub === "lst" || sub === "list") {
      return await show(ctx, more, "vlan", true);
    }
    if (sub === "set") return (await modify()).vlanGlobalSet(ctx, more);
    throw new UsageError(VLAN_USAGE);
  }
  if (matches(cmd, "help")) throw new UsageError(VLAN_USAGE);
  throw new UsageError(`Command "${cmd}" is unknown, try "bridge vlan help".`);
}
