/**
 * A link's SR-IOV virtual functions as `ip link show` prints them (iproute2's
 * print_vfinfo and print_vf_stats64): one line per VF with its MAC address,
 * VLANs, rates, spoof checking, link state, trust and RSS query setting, and
 * with `-s` its counters.
 *
 * @module
 */
import type { Link } from "@nlink/nlink";
import { Color } from "../common/color.ts";
import { Kind, type Printer } from "../common/output.ts";
import { num, type StatsOptions } from "./link_stats.ts";
import { IFF_POINTOPOINT } from "./links.ts";

type Raw = Record<string, unknown>;

/** A setting the driver does not report (-1 as a u32). */
const UNSET = 0xffffffff;

/** The bytes of a link-layer address as ll_addr_n2a writes them. */
function hexBytes(b: Uint8Array, n: number): string {
  return Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, "0")).join(":");
}

/** ll_proto_n2a for the VLAN protocols a VF can carry. */
function vlanProtoName(proto: number): string {
  if (proto === 0x88a8) return "802.1ad";
  if (proto === 0x8100) return "802.1Q";
  return `[${proto}]`;
}

/**
 * Prints the VFs of `link` when the kernel listed them (IFLA_VFINFO_LIST with
 * IFLA_NUM_VF), as the `vfinfo_list` array in JSON. Returns whether the list
 * holds fewer VFs than the link has (iproute2 then reports `Truncated VF
 * list: NAME` after the link).
 *
 * @example
 * ```ts ignore
 * const truncated = printVfs(p, link, "ether", 0x1003, { level: 0, human: false, iec: false });
 * ```
 */
export function printVfs(p: Printer, link: Link, linkType: string, flags: number, stats: StatsOptions): boolean {
  const vfs = link.vfinfoList?.info;
  if (link.vfinfoList === undefined || link.numVf === undefined) return false;
  p.openArray(Kind.Json, "vfinfo_list");
  for (const vf of vfs ?? []) {
    p.openObject();
    printVf(p, link, linkType, flags, vf, stats);
    p.closeObject();
  }
  p.closeArray(Kind.Json);
  return (vfs?.length ?? 0) !== link.numVf;
}

function printVf(p: Printer, link: Link, linkType: string, flags: number, vf: Raw, stats: StatsOptions): void {
  const field = (key: string) => vf[key] as Raw | undefined;
  const addrLen = link.type === "ether" ? 6 : 20; // ETH_ALEN or INFINIBAND_ALEN
  const mac = field("mac");
  p.write(p.sl + "    ");
  p.int(Kind.Any, "vf", "vf %d ", (mac?.vf as number) ?? 0);
  p.string(Kind.Any, "link_type", "    link/%s ", linkType);
  p.colorString(
    Kind.Any,
    Color.Mac,
    "address",
    "%s",
    hexBytes((mac?.mac as Uint8Array) ?? new Uint8Array(32), addrLen),
  );
  const broadcast = field("broadcast");
  if (broadcast) {
    if (flags & IFF_POINTOPOINT) {
      p.write(" peer ");
      p.bool(Kind.Json, "link_pointtopoint", "", true);
    } else p.write(" brd ");
    p.colorString(Kind.Any, Color.Mac, "broadcast", "%s", hexBytes(broadcast.broadcast as Uint8Array, addrLen));
  }
  const vlanList = (field("vlanList")?.info ?? undefined) as Raw[] | undefined;
  if (field("vlanList")) {
    p.openArray(Kind.Json, "vlan_list");
    for (const v of vlanList ?? []) {
      p.openObject();
      if (v.vlan) p.int(Kind.Any, "vlan", ", vlan %d", v.vlan as number);
      if (v.qos) p.int(Kind.Any, "qos", ", qos %d", v.qos as number);
      const proto = v.vlanProto as number;
      if (proto && proto !== 0x8100) p.string(Kind.Any, "protocol", ", vlan protocol %s", vlanProtoName(proto));
      p.closeObject();
    }
    p.closeArray(Kind.Json);
  } else {
    const v = field("vlan");
    if (v?.vlan) p.int(Kind.Any, "vlan", ", vlan %d", v.vlan as number);
    if (v?.qos) p.int(Kind.Any, "qos", ", qos %d", v.qos as number);
  }
  const txRate = field("txRate")?.rate as number | undefined;
  if (txRate) p.uint(Kind.Any, "tx_rate", ", tx rate %u (Mbps)", txRate);
  const rate = field("rate");
  if (rate) {
    const max = rate.maxTxRate as number;
    const min = rate.minTxRate as number;
    if (p.json) {
      p.openObject("rate");
      p.uint(Kind.Json, "max_tx", "", max);
      p.uint(Kind.Json, "min_tx", "", min);
      p.closeObject();
    } else {
      if (max) p.printf(", max_tx_rate %uMbps", max);
      if (min) p.printf(", min_tx_rate %uMbps", min);
    }
  }
  setting(p, field("spoofchk"), "spoofchk", ", spoof checking on", ", spoof checking off");
  for (
    const [key, json, text] of [["ibNodeGuid", "node guid", "NODE_GUID"], ["ibPortGuid", "port guid", "PORT_GUID"]]
  ) {
    const guid = field(key)?.guid as bigint | undefined;
    if (guid === undefined) continue;
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, guid); // the GUID's bytes, most significant first (ntohll)
    p.string(Kind.Any, json, `, ${text} %s`, hexBytes(b, 8));
  }
  const linkState = field("linkState");
  if (linkState) {
    const s = linkState.linkState as number;
    p.string(Kind.Any, "link_state", ", link-state %s", s === 0 ? "auto" : s === 1 ? "enable" : "disable");
  }
  setting(p, field("trust"), "trust", ", trust on", ", trust off");
  setting(p, field("rssQueryEn"), "query_rss_en", ", query_rss on", ", query_rss off");
  const counters = field("stats");
  if (counters && stats.level > 0) printVfStats(p, counters, stats);
}

/** An on/off setting the driver reports (not -1): a JSON boolean, the matching words in text. */
function setting(p: Printer, s: Raw | undefined, key: string, on: string, off: string): void {
  if (s === undefined || s.setting === UNSET) return;
  p.bool(Kind.Any, key, s.setting ? on : off, !!s.setting);
}

/** print_vf_stats64: the RX and TX counters, dropped packets where the driver counts them. */
function printVfStats(p: Printer, s: Raw, o: StatsOptions): void {
  const n = (key: string) => (s[key] as bigint | undefined) ?? 0n;
  const rxDropped = s.rxDropped !== undefined;
  const txDropped = s.txDropped !== undefined;
  if (p.json) {
    p.openObject("stats");
    p.openObject("rx");
    p.uint(Kind.Json, "bytes", "", n("rxBytes"));
    p.uint(Kind.Json, "packets", "", n("rxPackets"));
    p.uint(Kind.Json, "multicast", "", n("multicast"));
    p.uint(Kind.Json, "broadcast", "", n("broadcast"));
    if (rxDropped) p.uint(Kind.Json, "dropped", "", n("rxDropped"));
    p.closeObject();
    p.openObject("tx");
    p.uint(Kind.Json, "tx_bytes", "", n("txBytes"));
    p.uint(Kind.Json, "tx_packets", "", n("txPackets"));
    if (txDropped) p.uint(Kind.Json, "dropped", "", n("txDropped"));
    p.closeObject();
    p.closeObject();
    return;
  }
  p.write(p.sl + "    RX: bytes  packets  mcast   bcast " + (rxDropped ? "  dropped " : "") + p.sl + "    ");
  p.write(num(o, 10, n("rxBytes")) + num(o, 8, n("rxPackets")) + num(o, 7, n("multicast")) + num(o, 7, n("broadcast")));
  if (rxDropped) p.write(num(o, 8, n("rxDropped")));
  p.write(p.sl + "    TX: bytes  packets " + (txDropped ? "  dropped " : "") + p.sl + "    ");
  p.write(num(o, 10, n("txBytes")) + num(o, 8, n("txPackets")));
  if (txDropped) p.write(num(o, 8, n("txDropped")));
}
