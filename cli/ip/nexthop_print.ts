/**
 * A nexthop object and a resilient group's bucket as `ip nexthop` prints
 * them (iproute2's __print_nexthop_entry and print_nexthop_bucket).
 *
 * @module
 */
import { Color, familyColor } from "../common/color.ts";
import { RTPROT } from "@nlink/nlink/tables";
import type { Nexthop, NexthopBucket } from "@nlink/nlink";
import { protoName, scopeName } from "../common/names.ts";
import { Kind, type Printer } from "../common/output.ts";
import { scopeNumber } from "./address_print.ts";
import type { LinkCache } from "./links.ts";
import { printEncapWith } from "./route_encap_print.ts";

/**
 * C's `%g`: six significant digits, trailing zeros dropped, exponent form
 * outside 1e-4 … 1e6.
 *
 * @example
 * ```ts
 * import { formatG } from "./nexthop_print.ts";
 * formatG(0.05); // "0.05"
 * formatG(1234567); // "1.23457e+06"
 * ```
 */
export function formatG(x: number): string {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return String(x);
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(6)))));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential(5).split("e");
    const mant = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  const s = x.toPrecision(6);
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** iproute2's print_tv: seconds with `%g`, a JSON number. */
function printSeconds(p: Printer, key: string, fmt: string, seconds: number): void {
  const g = formatG(seconds);
  if (p.json) p.raw(key, g);
  else p.printf(fmt, g);
}

/** Next-hop flag words in print_rt_flags' order. */
const FLAG_ORDER = ["dead", "onlink", "pervasive", "offload", "trap", "notify", "linkdown", "unresolved"];

/**
 * iproute2's print_rt_flags: a JSON array of words, or the words in text.
 *
 * @example
 * ```ts ignore
 * printNexthopFlags(p, ["onlink"]);
 * ```
 */
export function printNexthopFlags(p: Printer, flags: readonly string[]): void {
  p.openArray(Kind.Json, "flags");
  for (const f of FLAG_ORDER) if (flags.includes(f)) p.string(Kind.Any, null, "%s ", f);
  p.closeArray(Kind.Json);
}

/** Output switches that change what is printed. */
export interface NexthopPrintOptions {
  /** `-d`. */
  details: number;
  /** `-N`. */
  numeric: boolean;
}

/**
 * Prints one nexthop object.
 *
 * @example
 * ```ts ignore
 * printNexthop(p, nh, links, { details: 0, numeric: false });
 * ```
 */
export function printNexthop(
  p: Printer,
  nh: Nexthop,
  links: LinkCache,
  o: NexthopPrintOptions,
  deleted = false,
): void {
  p.openObject();
  if (deleted) p.bool(Kind.Any, "deleted", "Deleted ", true);
  p.uint(Kind.Any, "id", "id %u ", nh.id);
  if (nh.group) {
    p.openArray(Kind.Json, "group");
    p.write("group ");
    nh.group.forEach((m, i) => {
      p.openObject();
      if (i) p.write("/");
      p.uint(Kind.Any, "id", "%u", m.id);
      const raw = (m.weight - 1) & 0xff;
      if (raw) p.uint(Kind.Any, "weight", ",%u", raw + 1);
      p.closeObject();
    });
    p.write(" ");
    p.closeArray(Kind.Json);
  }
  if (nh.groupType !== undefined && nh.groupType !== "mpath" && nh.groupType !== 0) {
    p.string(Kind.Any, "type", "type %s ", nh.groupType === "resilient" ? "resilient" : "<unknown type>");
  }
  if (nh.resilient) {
    const r = nh.resilient;
    p.openObject("resilient_args");
    p.uint(Kind.Any, "buckets", "buckets %u ", r.buckets ?? 0);
    printSeconds(p, "idle_timer", "idle_timer %s ", r.idleTimer ?? 0);
    printSeconds(p, "unbalanced_timer", "unbalanced_timer %s ", r.unbalancedTimer ?? 0);
    printSeconds(p, "unbalanced_time", "unbalanced_time %s ", Number(r.unbalancedTime ?? 0n) / 100);
    p.closeObject();
  }
  if (nh.encap !== undefined) printEncapWith(p, nh.encap, links, { stats: 0, numeric: o.numeric });
  if (nh.gateway !== undefined) {
    p.write("via ");
    p.colorString(Kind.Any, familyColor(nh.family), "gateway", "%s ", nh.gateway);
  }
  if (nh.oif) {
    p.write("dev ");
    p.colorString(Kind.Any, Color.Ifname, "dev", "%s ", links.name(nh.oif));
  }
  const scope = scopeNumber(nh.scope);
  if (scope !== 0 || o.details > 0) p.string(Kind.Any, "scope", "scope %s ", scopeName(scope, o.numeric));
  if (nh.blackhole) p.null(Kind.Any, "blackhole", "blackhole ", "");
  const proto = RTPROT.value(nh.protocol);
  if (proto !== 0 || o.details > 0) p.string(Kind.Any, "protocol", "proto %s ", protoName(proto, o.numeric));
  printNexthopFlags(p, nh.flags);
  if (nh.fdb) p.null(Kind.Any, "fdb", "fdb", "");
  p.write("\n");
  p.closeObject();
}

/**
 * Prints one bucket of a resilient group.
 *
 * @example
 * ```ts ignore
 * printBucket(p, bucket);
 * ```
 */
export function printBucket(p: Printer, b: NexthopBucket): void {
  p.openObject();
  p.uint(Kind.Any, "id", "id %u ", b.id);
  p.openObject("bucket");
  p.uint(Kind.Any, "index", "index %u ", b.index);
  printSeconds(p, "idle_time", "idle_time %s ", Number(b.idleTime) / 100);
  p.uint(Kind.Any, "nhid", "nhid %u ", b.nhId);
  p.closeObject();
  printNexthopFlags(p, b.flags);
  p.write("\n");
  p.closeObject();
}
