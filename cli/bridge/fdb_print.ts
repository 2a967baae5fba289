/**
 * One FDB entry as `bridge fdb show` and `bridge monitor fdb` print it
 * (iproute2's print_fdb), in text or JSON.
 *
 * @module
 */
import { NTF, NUD } from "@nlink/nlink/tables";
import type { FdbEntry } from "@nlink/nlink";
import { Kind, type Printer } from "../common/output.ts";
import { addressColor, Color } from "../common/color.ts";
import type { Links } from "./context.ts";

/** USER_HZ: the kernel reports FDB ages in these ticks. */
const USER_HZ = 100;

/** The flags iproute2 prints, in its order. */
const FLAG_ORDER = ["self", "router", "extern_learn", "offload", "master", "sticky"] as const;

/** How one entry is printed. */
export interface FdbPrintOptions {
  /** The `dev`/`brport` filter's ifindex: the device is not printed then. */
  filterIndex: number;
  /** `-s`: ages. */
  stats: boolean;
  /** A deletion notification (monitor). */
  deleted?: boolean;
}

/**
 * iproute2's state_n2a: `permanent`, `static`, `stale`, empty for reachable,
 * else the number (`state=0x…` in text).
 *
 * @example
 * ```ts
 * import { fdbStateText } from "./fdb_print.ts";
 * fdbStateText(0x40, false); // "static"
 * ```
 */
export function fdbStateText(state: number, json: boolean): string {
  if (state & NUD.bit("permanent")) return "permanent";
  if (state & NUD.bit("noarp")) return "static";
  if (state & NUD.bit("stale")) return "stale";
  if (state & NUD.bit("reachable")) return "";
  const hex = state === 0 ? "0" : "0x" + state.toString(16);
  return json ? hex : `state=${hex}`;
}

/**
 * Prints one FDB entry.
 *
 * @example
 * ```ts ignore
 * printFdbEntry(out, links, entry, { filterIndex: 0, stats: false });
 * ```
 */
export function printFdbEntry(out: Printer, links: Links, e: FdbEntry, o: FdbPrintOptions): void {
  out.openObject();
  if (o.deleted) out.bool(Kind.Any, "deleted", "Deleted ", true);
  if (e.lladdr !== undefined) out.colorString(Kind.Any, Color.Mac, "mac", "%s ", e.lladdr);
  if (!o.filterIndex && e.ifindex) {
    out.write("dev ");
    out.colorString(Kind.Any, Color.Ifname, "ifname", "%s ", links.name(e.ifindex));
  }
  if (e.dst !== undefined) {
    out.write("dst ");
    out.colorString(Kind.Any, addressColor("bridge", e.dst), "dst", "%s ", e.dst);
  }
  if (e.vlan) out.uint(Kind.Any, "vlan", "vlan %u ", e.vlan);
  if (e.port !== undefined) out.uint(Kind.Any, "port", "port %u ", e.port);
  if (e.vni !== undefined) out.uint(Kind.Any, "vni", "vni %u ", e.vni);
  if (e.srcVni !== undefined) out.uint(Kind.Any, "src_vni", "src_vni %u ", e.srcVni);
  if (e.via !== undefined) {
    if (e.linkNetnsid !== undefined) out.uint(Kind.Any, "viaIfIndex", "via ifindex %u ", e.via);
    else out.string(Kind.Any, "viaIf", "via %s ", links.name(e.via));
  }
  if (e.nhId !== undefined) out.uint(Kind.Any, "nhid", "nhid %u ", e.nhId);
  if (e.linkNetnsid !== undefined) out.int(Kind.Any, "linkNetNsId", "link-netnsid %d ", e.linkNetnsid);
  if (o.stats && e.cacheinfo !== undefined) {
    const used = Math.trunc(e.cacheinfo.used / USER_HZ), updated = Math.trunc(e.cacheinfo.updated / USER_HZ);
    out.uint(Kind.Json, "used", "", used);
    out.uint(Kind.Json, "updated", "", updated);
    out.printf("used %d/%d ", used, updated);
  }
  out.openArray(Kind.Json, "flags");
  const flags = e.flags.length === 0 ? 0 : NTF.encode(e.flags);
  for (const name of FLAG_ORDER) if (flags & NTF.bit(name)) out.string(Kind.Any, null, "%s ", name);
  out.closeArray(Kind.Json);
  if (e.master !== undefined) out.string(Kind.Any, "master", "master %s ", links.name(e.master));
  const state = e.state.length === 0 ? 0 : NUD.encode(e.state);
  out.string(Kind.Any, "state", "%s\n", fdbStateText(state, out.json));
  out.closeObject();
}
