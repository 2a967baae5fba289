/**
 * What `ip tunnel`'s IPv4 and IPv6 halves share (iproute2's tunnel.c): key
 * words, protocol names, the GRE key and flag output, the `-s` counters, the
 * listing of tunnels, and iproute2's ioctl error lines built from our
 * netlink errors.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import type { AddLinkOptions, Connection, Link, LinkTypeChange } from "@nlink/nlink";
import type { LinkCache } from "./links.ts";
import { UsageError } from "../common/args.ts";
import { AF_INET, parseUnsigned, readAddr } from "../common/inet.ts";
import { Kind, type Printer, sprintf } from "../common/output.ts";

/** IPPROTO_* numbers a tunnel's mode is made of. */
export const PROTO = { ANY: 0, IPIP: 4, IPV6: 41, GRE: 47, ESP: 50, MPLS: 137 } as const;

/** The library's names of IFLA_IPTUN_PROTO values, as numbers. */
export const PROTO_BY_NAME: Readonly<Record<string, number>> = {
  any: PROTO.ANY,
  ipip: PROTO.IPIP,
  ipv6: PROTO.IPV6,
  mpls: PROTO.MPLS,
};

/** GRE header flags as `ip tunnel` keeps them, one set per direction. */
export interface GreFlags {
  key: boolean;
  seq: boolean;
  csum: boolean;
}

/** No GRE flags. */
export function noFlags(): GreFlags {
  return { key: false, seq: false, csum: false };
}

/** GRE flags from the library's decoded names (`["key", "seq"]`). */
export function flagsOf(names: unknown): GreFlags {
  const list = Array.isArray(names) ? names : [];
  return { key: list.includes("key"), seq: list.includes("seq"), csum: list.includes("csum") };
}

/**
 * iproute2's tnl_strproto: the name of a tunnel's inner protocol in `show`'s
 * mode column.
 *
 * @example
 * ```ts ignore
 * protoName(47); // "gre"
 * ```
 */
export function protoName(proto: number): string {
  switch (proto) {
    case PROTO.IPIP:
      return "ip";
    case PROTO.GRE:
      return "gre";
    case PROTO.IPV6:
      return "ipv6";
    case PROTO.ESP:
      return "esp";
    case PROTO.MPLS:
      return "mpls";
    case PROTO.ANY:
      return "any";
  }
  return "unknown";
}

/**
 * iproute2's get_addr32: an IPv4 address (or `any`) as text, exiting 1 with
 * its message otherwise.
 *
 * @example
 * ```ts ignore
 * addr32("192.0.2.1"); // "192.0.2.1"
 * ```
 */
export function addr32(word: string): string {
  const a = readAddr(word, AF_INET);
  if (a === undefined) throw new UsageError(`Error: an IP address is expected rather than "${word}"`, 1);
  return a.bytes.subarray(0, 4).join(".");
}

/**
 * iproute2's tnl_parse_key: a dotted quad (read as the big-endian number it
 * is on the wire) or an unsigned number.
 *
 * @example
 * ```ts ignore
 * parseKey("key", "0.0.1.0"); // 256
 * ```
 */
export function parseKey(name: string, word: string): number {
  if (word.includes(".")) {
    const [a, b, c, d] = addr32(word).split(".").map(Number);
    return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  }
  const v = parseUnsigned(word);
  if (v === undefined) {
    throw new UsageError(`invalid value for "${name}": "${word}"; it should be an unsigned integer`);
  }
  return v;
}

/**
 * iproute2's tnl_print_gre_flags: the keys (one `key` when both directions
 * use the same), then for GRE the sequence and checksum settings (text
 * lines, or a JSON `flags` list).
 *
 * @example
 * ```ts ignore
 * printGreFlags(p, PROTO.GRE, iflags, oflags, 5, 5);
 * ```
 */
export function printGreFlags(p: Printer, proto: number, i: GreFlags, o: GreFlags, ikey: number, okey: number): void {
  if (i.key && o.key && ikey === okey) p.uint(Kind.Any, "key", " key %u", ikey);
  else {
    if (i.key) p.uint(Kind.Any, "ikey", " ikey %u", ikey);
    if (o.key) p.uint(Kind.Any, "okey", " okey %u", okey);
  }
  if (proto !== PROTO.GRE) return;
  p.openArray(Kind.Json, "flags");
  const line = (on: boolean, json: string, text: string) => {
    if (!on) return;
    if (p.json) p.string(Kind.Json, null, "%s", json);
    else p.write(`${p.sl}  ${text}`);
  };
  line(i.seq, "rx_drop_ooseq", "Drop packets out of sequence.");
  line(i.csum, "rx_csum", "Checksum in received packet is required.");
  line(o.seq, "tx_seq", "Sequence packets on output.");
  line(o.csum, "tx_csum", "Checksum output packets.");
  p.closeArray(Kind.Json);
}

/**
 * iproute2's tnl_print_stats (`ip -s tunnel show`): the counters as two
 * tables, printed as text even with `-j`, as iproute2 does.
 *
 * @example
 * ```ts ignore
 * printTunnelStats(p, link);
 * ```
 */
export function printTunnelStats(p: Printer, l: Link): void {
  const s = l.stats64;
  if (s === undefined) return;
  const sl = p.sl;
  const text = sl +
    `RX: Packets    Bytes        Errors CsumErrs OutOfSeq Mcasts${sl}` +
    sprintf(
      "    %-10lld %-12lld %-6lld %-8lld %-8lld %-8lld%s",
      s.rxPackets,
      s.rxBytes,
      s.rxErrors,
      s.rxFrameErrors,
      s.rxFifoErrors,
      s.multicast,
      sl,
    ) +
    `TX: Packets    Bytes        Errors DeadLoop NoRoute  NoBufs${sl}` +
    sprintf(
      "    %-10lld %-12lld %-6lld %-8lld %-8lld %-6lld",
      s.txPackets,
      s.txBytes,
      s.txErrors,
      s.collisions,
      s.txCarrierErrors,
      s.txDropped,
    );
  rawOut(p, text);
}

/**
 * Writes `s` as is, in text or JSON mode: iproute2 writes some text straight
 * to stdout in the middle of its JSON (a newline after each listed tunnel,
 * the counters).
 */
export function rawOut(p: Printer, s: string): void {
  if (!p.json) {
    p.write(s);
    return;
  }
  p.flush();
  const bytes = new TextEncoder().encode(s);
  for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
}

/**
 * The text of a failed tunnel ioctl (`add tunnel "gre0" failed: File
 * exists`) from the netlink error of the same change. A kernel that lacks the
 * kind refuses it as unknown; iproute2 then finds no fallback device to send
 * its ioctl to, and says so: `No such device`.
 *
 * @example
 * ```ts ignore
 * throw ioctlFailed(e, "add", "gre0");
 * ```
 */
export function ioctlFailed(e: unknown, what: "add" | "delete" | "get", name: string): unknown {
  if (!(e instanceof NetlinkError)) return e;
  const reason = e.isNotSupported() ? "No such device" : e.reason;
  return new UsageError(`${what} tunnel "${name}" failed: ${reason}`, 1);
}

/**
 * A tunnel's endpoints, device and keys as the library's options, from
 * ip_tunnel_parm-like settings (`any`: the wildcard address of its family).
 * For a change, unset endpoints and keys are given as `"any"` and `false`, so
 * that the change clears them; for a new tunnel they are left out.
 *
 * @example
 * ```ts ignore
 * endsAndKeys(t, "0.0.0.0", true); // { local: "any", remote: "192.0.2.2", ikey: false, okey: false }
 * ```
 */
export function endsAndKeys(
  t: { local: string; remote: string; link: number; ikey: number; okey: number; iflags: GreFlags; oflags: GreFlags },
  any: string,
  change: boolean,
): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (t.local !== any) o.local = t.local;
  else if (change) o.local = "any";
  if (t.remote !== any) o.remote = t.remote;
  else if (change) o.remote = "any";
  if (t.link) o.dev = t.link;
  if (t.iflags.key) o.ikey = t.ikey;
  else if (change) o.ikey = false;
  if (t.oflags.key) o.okey = t.okey;
  else if (change) o.okey = false;
  return o;
}

/**
 * `ip tunnel change NAME …` as SIOCCHGTUNNEL does it, through rtnetlink: the
 * tunnel's settings (what `options` sets; the current ones when NAME came
 * first, as iproute2 reads them then) become the link's, laid over what only
 * rtnetlink holds (fwmark, encapsulation). Errors are the ioctl's, which
 * iproute2 reports as `add tunnel "NAME" failed: …`.
 *
 * @example
 * ```ts ignore
 * await changeTunnel(conn, { kind: "gre", name: "gre1", remote: "192.0.2.9", ttl: 64 }, links);
 * ```
 */
export async function changeTunnel(conn: Connection, options: AddLinkOptions, links: LinkCache): Promise<number> {
  const { name, kind, ...settings } = options as AddLinkOptions & Record<string, unknown>;
  if (!name) {
    // The ioctl would go to the mode's fallback device, which finds the tunnel by its endpoints.
    throw new UsageError("nlink: ip tunnel change needs the tunnel's name", 1);
  }
  const link = links.get(name);
  if (link === undefined) throw noDevice("add", name);
  // Another kind's ioctl handler refuses these settings.
  if (link.linkinfo?.kind !== kind) throw new UsageError(`add tunnel "${name}" failed: Invalid argument`, 1);
  await conn.setLink(link.index, { type: { kind, ...settings } as LinkTypeChange }).catch((e) => {
    throw ioctlFailed(e, "add", name);
  });
  return 0;
}

/** The error of an ioctl sent to a device that does not exist. */
export function noDevice(what: "add" | "delete" | "get", name: string): UsageError {
  return new UsageError(`${what} tunnel "${name}" failed: No such device`, 1);
}
