/**
 * One multicast forwarding entry as `ip mroute show` and `ip monitor mroute`
 * print it (iproute2's print_mroute): `(S,G)`, the input interface, the output
 * interfaces with their TTL thresholds, the state, and with `-s` the counters
 * and the entry's age.
 *
 * @module
 */
import { RT_TABLE } from "@nlink/nlink/tables";
import type { Route } from "@nlink/nlink";
import { tableName } from "../common/names.ts";
import { Color } from "../common/color.ts";
import { Kind, type Printer } from "../common/output.ts";
import { formatG } from "./nexthop_print.ts";

/** Which entries print: iproute2's mroute filter (0 in a field: any). */
export interface MrouteFilter {
  /** Only this table. */
  tb: number;
  /** Only entries arriving on this interface index. */
  iif: number;
  /** Only this route family: 128 (RTNL_FAMILY_IPMR) or 129 (RTNL_FAMILY_IP6MR). */
  af: number;
}

/** The global options the printer reads. */
export interface MrouteOptions {
  /** `-s`: the counters and the age. */
  stats: number;
  /** `-d`: name the main table too. */
  details: number;
  /** `-N`: table numbers instead of names. */
  numeric: boolean;
}

/**
 * Prints `r` into `out` unless the filter drops it; `deleted` (a notification
 * of a removed entry) puts `Deleted ` first. Returns whether it printed.
 *
 * @example
 * ```ts ignore
 * printMroute(out, route, false, { tb: 253, iif: 0, af: 128 }, links, { stats: 0, details: 0, numeric: false });
 * ```
 */
export function printMroute(
  out: Printer,
  r: Route,
  deleted: boolean,
  filter: MrouteFilter,
  links: { name(index: number): string },
  o: MrouteOptions,
): boolean {
  if (r.type !== "multicast") {
    // What iproute2 says (and it stops the listing there) when the kernel answers with anything else.
    console.error("Non multicast route received, kernel does support IP multicast?");
    return false;
  }
  const table = r.table >>> 0;
  if (filter.tb > 0 && filter.tb !== table) return false;
  const iif = r.iif ?? 0;
  if (filter.iif && filter.iif !== iif) return false;
  if (filter.af && filter.af !== r.family) return false;
  // No prefix selector passes here: iproute2 6.1 reads `to`/`from` in a family no address has, so only
  // the wildcards (`default`, `any`, `all`) are accepted, and they select everything.
  out.openObject();
  if (deleted) out.bool(Kind.Any, "deleted", "Deleted ", true);
  const src = r.src ?? "unknown";
  const dst = r.dst ?? "unknown";
  if (out.json) {
    out.string(Kind.Json, "src", "", src);
    out.string(Kind.Json, "dst", "", dst);
  } else out.printf("%-32s Iif: ", `(${src},${dst})`);
  if (iif) out.colorString(Kind.Any, Color.Ifname, "iif", "%-10s ", links.name(iif));
  else out.string(Kind.Any, "iif", "%s ", "unresolved");
  if (r.multipath !== undefined) {
    out.openArray(Kind.Json, "multipath");
    let first = true;
    for (const nh of r.multipath) {
      out.openObject();
      if (first) out.write("Oifs: ");
      first = false;
      out.colorString(Kind.Any, Color.Ifname, "oif", "%s", links.name(nh.ifindex));
      // The TTL threshold sits where a unicast path keeps its weight; 1 (any TTL) is not shown.
      if (nh.hops > 1) out.uint(Kind.Any, "ttl", "(ttl %u) ", nh.hops);
      else out.write(" ");
      out.closeObject();
    }
    out.closeArray(Kind.Json);
  }
  out.string(Kind.Any, "state", " State: %s", r.flags.includes("unresolved") ? "unresolved" : "resolved");
  if (r.flags.includes("offload")) out.null(Kind.Any, "offload", " offload", "");
  if (o.stats && r.mfcStats !== undefined) {
    const s = r.mfcStats;
    out.nl();
    out.uint(Kind.Any, "packets", "  %u packets,", s.packets);
    out.uint(Kind.Any, "bytes", " %u bytes", s.bytes);
    if (s.wrongIf) out.uint(Kind.Any, "wrong_if", ", %u arrived on wrong iif.", s.wrongIf);
  }
  if (o.stats && r.expires !== undefined) {
    const age = ageSeconds(r.expires);
    if (out.json) out.raw("expires", formatG(age));
    else out.printf(", Age %.2f", age);
  }
  if (table && (table !== RT_TABLE.MAIN || o.details > 0) && !filter.tb) {
    out.string(Kind.Any, "table", " Table: %s", tableName(table, o.numeric));
  }
  // A plain newline even with -o: iproute2 ends the entry with "\n", not the line separator.
  out.write("\n");
  out.closeObject();
  return true;
}

/**
 * The age of an entry in seconds from RTA_EXPIRES (hundredths of a second), computed as iproute2 does:
 * through whole seconds and microseconds.
 */
function ageSeconds(expires: bigint): number {
  const us = BigInt.asUintN(64, expires * 10000n);
  const sec = us / 1000000n;
  return Number(sec) + Number(us - sec * 1000000n) / 1000000;
}
