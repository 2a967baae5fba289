/**
 * `bridge -s vlan show`: per-VLAN counters of bridges and their ports, read
 * as iproute2 6.1 reads them (bridge/vlan.c without `-d`): one statistics
 * dump for the bridges' own VLANs (IFLA_STATS_LINK_XSTATS), then one for the
 * ports' (IFLA_STATS_LINK_XSTATS_SLAVE), each record printed as it comes.
 *
 * @module
 */
import { type BridgeVlanXstats, getInterfaceStats, type InterfaceStats } from "@nlink/nlink";
import { Kind, type Printer } from "../common/output.ts";
import { Color } from "../common/color.ts";
import { type BridgeContext, type Links, openShow, printer } from "./context.ts";
import { dumpFailed } from "./dump.ts";
import { printVlanCounters } from "./vlan.ts";

/** IFNAMSIZ-wide name column (iproute2's `%-16s`). */
const BLANK = "".padEnd(16);

/**
 * Whether iproute2 prints this record: the vid filter matches exactly, and a
 * bridge's VLAN that is only a port-side entry (master without brentry) is
 * left to the port dump.
 */
function shown(v: BridgeVlanXstats, vid: number): boolean {
  if (vid && v.vid !== vid) return false;
  return !(v.flags.includes("master") && !v.flags.includes("brentry"));
}

/** One device's VLAN records of one dump (iproute2's print_vlan_stats_attr). */
function printDevice(out: Printer, links: Links, ifindex: number, vlans: BridgeVlanXstats[], vid: number): void {
  let opened = false;
  for (const v of vlans) {
    if (!shown(v, vid)) continue;
    if (!opened) {
      out.openObject();
      out.colorString(Kind.Any, Color.Ifname, "ifname", "%-16s  ", links.name(ifindex));
      out.openArray(Kind.Json, "vlans");
      opened = true;
    } else out.write(BLANK + "  ");
    out.openObject();
    out.uint(Kind.Any, "vid", "%hu", v.vid);
    // iproute2 opens the flags array whenever any flag bit is set, even when it names none.
    if (v.flags.length > 0) {
      out.openArray(Kind.Json, "flags");
      if (v.flags.includes("pvid")) out.string(Kind.Any, null, " %s", "PVID");
      if (v.flags.includes("untagged")) out.string(Kind.Any, null, " %s", "Egress Untagged");
      out.closeArray(Kind.Json);
    }
    out.nl();
    printVlanCounters(out, v);
    out.closeObject();
  }
  if (opened) {
    out.closeArray(Kind.Json);
    out.closeObject();
  }
}

/**
 * Prints the VLAN counters of one statistics record: the device's own VLANs,
 * then its VLANs as a port, as iproute2's print_vlan_stats does; `vid` 0 means all.
 *
 * @example
 * ```ts ignore
 * printVlanStatsRecord(out, links, { index: 4, xstatsSlave: { bridge: { vlan: [] } } }, 0);
 * ```
 */
export function printVlanStatsRecord(out: Printer, links: Links, s: InterfaceStats, vid: number): void {
  const own = s.xstats?.bridge?.vlan;
  if (own) printDevice(out, links, s.index, own, vid);
  const asPort = s.xstatsSlave?.bridge?.vlan;
  if (asPort) printDevice(out, links, s.index, asPort, vid);
}

/**
 * `bridge -s vlan show [dev DEV] [vid VID]` (and `tunnelshow`, which iproute2
 * answers the same way under `-s`) → exit code.
 *
 * @example
 * ```ts ignore
 * await showVlanStats(ctx, ["dev", "br0"]);
 * ```
 */
export async function showVlanStats(ctx: BridgeContext, words: string[]): Promise<number> {
  using scope = await openShow(ctx, words);
  const { vid, conn, links, index } = scope;
  const out = printer(ctx);
  out.startList();
  out.write(`${"port".padEnd(16)}  vlan-id\n`);
  try {
    for (const group of ["xstats", "xstatsSlave"] as const) {
      for (const s of await getInterfaceStats(conn, { groups: [group] })) {
        if (!index || s.index === index) printVlanStatsRecord(out, links, s, vid);
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
