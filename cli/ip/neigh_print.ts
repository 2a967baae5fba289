/**
 * One neighbour entry as `ip neigh` prints it (iproute2's print_neigh and
 * print_neigh_brief), in text or JSON, and the state filter it applies.
 *
 * @module
 */
import { NTF, NTF_EXT, NUD, RTPROT } from "@nlink/nlink/tables";
import { formatIPv6 } from "@nlink/nlink/core";
import type { Neighbour } from "@nlink/nlink";
import { type InetPrefix, readAddr } from "../common/inet.ts";
import { addressColor, Color } from "../common/color.ts";
import { protoName } from "../common/names.ts";
import { Kind, type Printer } from "../common/output.ts";
import type { LinkCache } from "./links.ts";

/** State words in iproute2's print order. */
const STATE_WORDS: readonly [number, string][] = [
  [0x01, "INCOMPLETE"],
  [0x02, "REACHABLE"],
  [0x04, "STALE"],
  [0x08, "DELAY"],
  [0x10, "PROBE"],
  [0x20, "FAILED"],
  [0x40, "NOARP"],
  [0x80, "PERMANENT"],
];

/** USER_HZ: the kernel reports cache ages in these ticks. */
const HZ = 100;

/** What `ip neigh show` selects, as iproute2's filter struct. */
export interface NeighFilter {
  /** NUD bits that pass; 0x100 lets entries without state through. */
  state: number;
  /** Only this device (its column is then left out). */
  index: number;
  /** `to PREFIX`. */
  pfx: InetPrefix | undefined;
  /** `protocol P` (0: any). */
  protocol: number;
  /** `unused`: only entries nothing refers to. */
  unusedOnly: boolean;
}

/**
 * Whether the first `bits` bits of `addr` equal the prefix's (iproute2's
 * inet_addr_match_rta; a prefix without length matches everything).
 *
 * @example
 * ```ts
 * import { prefixHolds } from "./neigh_print.ts";
 * import { getPrefix } from "../common/inet.ts";
 * prefixHolds(getPrefix("10.0.0.0/8", 0), "10.1.2.3"); // true
 * ```
 */
export function prefixHolds(pfx: InetPrefix | undefined, addr: string | undefined): boolean {
  if (!pfx || pfx.family === 0 || pfx.bitlen <= 0 || addr === undefined) return true;
  const a = readAddr(addr.split("/")[0], pfx.family);
  if (!a || a.family !== pfx.family) return false;
  for (let i = 0, bits = pfx.bitlen; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a.bytes[i] ^ pfx.bytes[i]) & mask) return false;
  }
  return true;
}

/**
 * The entry's NUD bits.
 *
 * @example
 * ```ts ignore
 * nudBits(n); // 0x80 for a permanent entry
 * ```
 */
export function nudBits(n: Neighbour): number {
  return n.state.length ? NUD.encode(n.state) : 0;
}

/** The entry's protocol as a number (0 when absent). */
function protocolNumber(n: Neighbour): number {
  return n.protocol === undefined ? 0 : RTPROT.value(n.protocol);
}

/**
 * Whether `ip neigh` shows (or flushes) the entry under filter `f`.
 *
 * @example
 * ```ts ignore
 * if (neighMatches(n, filter)) print(n);
 * ```
 */
export function neighMatches(n: Neighbour, f: NeighFilter): boolean {
  if (f.index && f.index !== n.ifindex) return false;
  const state = nudBits(n);
  if (
    !(f.state & state) && !n.flags.includes("proxy") && !n.flags.includes("extern_learn") &&
    (state !== 0 || !(f.state & 0x100))
  ) return false;
  if (!prefixHolds(f.pfx, n.dst)) return false;
  if (f.protocol && f.protocol !== protocolNumber(n)) return false;
  if (f.unusedOnly && n.cacheinfo?.refcnt) return false;
  return true;
}

/** Output switches that change what is printed. */
export interface NeighPrintOptions {
  /** `-s`. */
  stats: number;
  /** `-br`. */
  brief: boolean;
  /** `-N`. */
  numeric: boolean;
}

/**
 * Prints one entry (the caller has checked the filter); `mark` puts `Deleted `
 * or `miss ` before it, as iproute2 prints RTM_DELNEIGH and RTM_GETNEIGH.
 *
 * @example
 * ```ts ignore
 * printNeighbour(p, n, filter, links, { stats: 0, brief: false, numeric: false });
 * ```
 */
export function printNeighbour(
  p: Printer,
  n: Neighbour,
  f: NeighFilter,
  links: LinkCache,
  o: NeighPrintOptions,
  mark?: "deleted" | "miss",
): void {
  p.openObject();
  if (mark === "deleted") p.bool(Kind.Any, "deleted", "Deleted ", true);
  else if (mark === "miss") p.null(Kind.Any, "miss", "%s ", "miss");
  const showDev = !f.index && n.ifindex !== 0;
  const dstColor = n.dst === undefined ? Color.None : addressColor(n.family, n.dst);
  if (o.brief) {
    if (n.dst !== undefined) p.colorString(Kind.Any, dstColor, "dst", "%-39s ", n.dst);
    if (showDev) p.colorString(Kind.Any, Color.Ifname, "dev", "%-16s ", links.name(n.ifindex));
    if (n.lladdr !== undefined) p.colorString(Kind.Any, Color.Mac, "lladdr", "%s", n.lladdr);
    p.write("\n");
    p.closeObject();
    return;
  }
  if (n.dst !== undefined) p.colorString(Kind.Any, dstColor, "dst", "%s ", n.dst);
  if (showDev) {
    p.write("dev ");
    p.colorString(Kind.Any, Color.Ifname, "dev", "%s ", links.name(n.ifindex));
  }
  if (n.lladdr !== undefined) {
    p.write("lladdr ");
    p.colorString(Kind.Any, Color.Mac, "lladdr", "%s ", lladdrText(n.lladdr, links, n.ifindex));
  }
  const flags = n.flags.length ? NTF.encode(n.flags) : 0;
  const ext = n.flagsExt?.length ? NTF_EXT.encode(n.flagsExt) : 0;
  if (flags & NTF.bit("router")) p.null(Kind.Any, "router", "%s ", "router");
  if (flags & NTF.bit("proxy")) p.null(Kind.Any, "proxy", "%s ", "proxy");
  if (ext & NTF_EXT.bit("managed")) p.null(Kind.Any, "managed", "%s ", "managed");
  if (flags & NTF.bit("extern_learn")) p.null(Kind.Any, "extern_learn", "%s ", "extern_learn");
  if (flags & NTF.bit("offload")) p.null(Kind.Any, "offload", "%s ", "offload");
  if (o.stats) {
    const ci = n.cacheinfo;
    if (ci) {
      if (ci.refcnt) p.uint(Kind.Any, "refcnt", " ref %u", ci.refcnt);
      p.uint(Kind.Any, "used", " used %u", Math.floor(ci.used / HZ));
      p.uint(Kind.Any, "confirmed", "/%u", Math.floor(ci.confirmed / HZ));
      p.uint(Kind.Any, "updated", "/%u", Math.floor(ci.updated / HZ));
    }
    if (n.probes !== undefined) p.uint(Kind.Any, "probes", "probes %u ", n.probes);
  }
  const state = nudBits(n);
  if (state) {
    p.openArray(Kind.Json, "state");
    for (const [bit, word] of STATE_WORDS) if (state & bit) p.string(Kind.Any, null, "%s ", word);
    p.closeArray(Kind.Json);
  }
  const proto = protocolNumber(n);
  if (proto) p.string(Kind.Any, "protocol", "proto %s ", protoName(proto, o.numeric));
  p.write("\n");
  p.closeObject();
}

/** ARPHRD types whose 4- and 16-byte link-layer addresses iproute2 prints as IP addresses. */
const ARPHRD_IPV4 = new Set(["ipip", "sit", "gre"]);
const ARPHRD_IPV6 = new Set(["tunnel6", "gre6"]);

/** iproute2's ll_addr_n2a: tunnels' link-layer addresses are IP addresses. */
function lladdrText(lladdr: string, links: LinkCache, index: number): string {
  const parts = lladdr.split(":");
  if (parts.length !== 4 && parts.length !== 16) return lladdr;
  const type = String(links.get(index)?.type ?? "");
  const bytes = parts.map((h) => parseInt(h, 16));
  if (parts.length === 4 && ARPHRD_IPV4.has(type)) return bytes.join(".");
  if (parts.length === 16 && ARPHRD_IPV6.has(type)) {
    return formatIPv6(new Uint8Array(bytes), 0);
  }
  return lladdr;
}
