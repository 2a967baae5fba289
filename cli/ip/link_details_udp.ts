/**
 * `ip -d link` details of the UDP tunnels (iproute2's vxlan, geneve and
 * bareudp print_opt), from the library's decoded data.
 *
 * @module
 */
import { Kind, type Printer } from "../common/output.ts";
import {
  isMulticastText,
  type KindData,
  type KindPrinter,
  llProtoName,
  num,
  printDev,
  printTos,
  unspecified,
} from "./link_details_common.ts";

/** A boolean on/off attribute printed as `KEY ` when on. */
function flag(p: Printer, d: KindData, key: string, jsonKey: string, text: string): void {
  if (num(d, key)) p.bool(Kind.Any, jsonKey, text, true);
}

/** `[no]udpcsum ` in text, a boolean in JSON (for each checksum option present). */
function csum(p: Printer, d: KindData, key: string, jsonKey: string, word: string): void {
  const v = num(d, key);
  if (v === undefined) return;
  if (p.json) p.bool(Kind.Json, jsonKey, "", v !== 0);
  else p.write(`${v ? "" : "no"}${word} `);
}

/**
 * `ttl inherit ` / `ttl N ` / `ttl auto ` (0). `inheritKnown` is false for
 * vxlan: the kernel sends IFLA_VXLAN_TTL_INHERIT as a u8 on every device, but
 * the library's schema reads it as a flag (true whenever present), so its
 * value is lost and the common case (auto) is printed.
 */
function ttl(p: Printer, d: KindData, inheritKnown = true): void {
  if (inheritKnown && num(d, "ttlInherit")) p.string(Kind.Text, null, "ttl %s ", "inherit");
  else {
    const v = num(d, "ttl");
    if (v === undefined) return;
    if (p.json || v) p.uint(Kind.Any, "ttl", "ttl %u ", v);
    else p.string(Kind.Text, null, "ttl %s ", "auto");
  }
}

/** `df set|inherit ` (unset only in JSON). */
function df(p: Printer, d: KindData): void {
  const v = d.df;
  if (v === "unset" || v === 0) p.string(Kind.Json, "df", "df %s ", "unset");
  else if (v === "set" || v === 1) p.string(Kind.Any, "df", "df %s ", "set");
  else if (v === "inherit" || v === 2) p.string(Kind.Any, "df", "df %s ", "inherit");
}

/** `flowlabel 0x… ` when not 0. */
function label(p: Printer, d: KindData): void {
  const v = num(d, "flowlabel");
  if (v) p.hex0x(Kind.Any, "label", "flowlabel %#llx ", v);
}

/**
 * vxlan's details.
 *
 * @example
 * ```ts ignore
 * printVxlan(p, { id: 42, dstport: 4789 }, names); // "id 42 … dstport 4789 …"
 * ```
 */
export const printVxlan: KindPrinter = (p, d, names) => {
  if (!d) return;
  flag(p, d, "external", "external", "external ");
  flag(p, d, "vnifilter", "vnifilter", "vnifilter");
  const id = num(d, "id");
  if (id !== undefined) p.uint(Kind.Any, "id", "id %u ", id);
  if (typeof d.group === "string") {
    if (!unspecified(d.group)) {
      const mc = isMulticastText(d.group);
      p.string(Kind.Any, mc ? "group" : "remote", mc ? "group %s " : "remote %s ", d.group);
    }
  } else if (typeof d.group6 === "string" && !unspecified(d.group6)) {
    const mc = isMulticastText(d.group6);
    p.string(Kind.Any, mc ? "group6" : "remote6", mc ? "group %s " : "remote %s ", d.group6);
  }
  if (typeof d.local === "string") {
    if (!unspecified(d.local)) p.string(Kind.Any, "local", "local %s ", d.local);
  } else if (typeof d.local6 === "string" && !unspecified(d.local6)) {
    p.string(Kind.Any, "local6", "local %s ", d.local6);
  }
  printDev(p, d, "dev", names);
  const range = d.srcport as { low: number; high: number } | undefined;
  if (range) {
    if (p.json) {
      p.openObject("port_range");
      p.uint(Kind.Json, "low", "", range.low);
      p.uint(Kind.Json, "high", "", range.high);
      p.closeObject();
    } else p.write(`srcport ${range.low} ${range.high} `);
  }
  const port = num(d, "dstport");
  if (port !== undefined) p.uint(Kind.Any, "port", "dstport %u ", port);
  const learning = num(d, "learning");
  if (learning !== undefined) {
    p.bool(Kind.Json, "learning", "", learning !== 0);
    if (!learning) p.bool(Kind.Text, null, "nolearning ", true);
  }
  flag(p, d, "proxy", "proxy", "proxy ");
  flag(p, d, "rsc", "rsc", "rsc ");
  flag(p, d, "l2miss", "l2miss", "l2miss ");
  flag(p, d, "l3miss", "l3miss", "l3miss ");
  printTos(p, num(d, "tos"));
  ttl(p, d, false);
  df(p, d);
  label(p, d);
  const ageing = num(d, "ageing");
  if (ageing !== undefined) p.uint(Kind.Any, "ageing", ageing === 0 ? "ageing none " : "ageing %u ", ageing);
  const limit = num(d, "maxaddress");
  if (limit) p.uint(Kind.Any, "limit", "maxaddr %u ", limit);
  csum(p, d, "udpcsum", "udp_csum", "udpcsum");
  csum(p, d, "udp6zerocsumtx", "udp_zero_csum6_tx", "udp6zerocsumtx");
  csum(p, d, "udp6zerocsumrx", "udp_zero_csum6_rx", "udp6zerocsumrx");
  flag(p, d, "remcsumtx", "remcsum_tx", "remcsumtx ");
  flag(p, d, "remcsumrx", "remcsum_rx", "remcsumrx ");
  if (d.gbp) p.bool(Kind.Any, "gbp", "gbp ", true);
  if (d.gpe) p.bool(Kind.Any, "gpe", "gpe ", true);
};

/**
 * geneve's details.
 *
 * @example
 * ```ts ignore
 * printGeneve(p, { id: 5, remote: "192.0.2.1" }, names); // "id 5 remote 192.0.2.1 …"
 * ```
 */
export const printGeneve: KindPrinter = (p, d) => {
  if (!d) return;
  if (d.external) p.bool(Kind.Any, "external", "external ", true);
  const id = num(d, "id");
  if (id !== undefined) p.uint(Kind.Any, "id", "id %u ", id);
  if (typeof d.remote === "string") {
    if (!unspecified(d.remote)) p.string(Kind.Any, "remote", "remote %s ", d.remote);
  } else if (typeof d.remote6 === "string" && !unspecified(d.remote6) && !isMulticastText(d.remote6)) {
    p.string(Kind.Any, "remote6", "remote %s ", d.remote6);
  }
  ttl(p, d);
  printTos(p, num(d, "tos"));
  df(p, d);
  label(p, d);
  const port = num(d, "dstport");
  if (port !== undefined) p.uint(Kind.Any, "port", "dstport %u ", port);
  csum(p, d, "udpcsum", "udp_csum", "udpcsum");
  csum(p, d, "udp6zerocsumtx", "udp_zero_csum6_tx", "udp6zerocsumtx");
  csum(p, d, "udp6zerocsumrx", "udp_zero_csum6_rx", "udp6zerocsumrx");
  if (d.innerprotoinherit) p.bool(Kind.Any, "inner_proto_inherit", "innerprotoinherit ", true);
};

/**
 * bareudp's details.
 *
 * @example
 * ```ts ignore
 * printBareudp(p, { dstport: 6635, ethertype: "mpls_uc" }, names); // "dstport 6635 ethertype mpls_uc …"
 * ```
 */
export const printBareudp: KindPrinter = (p, d) => {
  if (!d) return;
  const port = num(d, "dstport");
  if (port !== undefined) p.uint(Kind.Any, "dstport", "dstport %u ", port);
  const type = d.ethertype;
  if (type !== undefined) {
    p.string(Kind.Any, "ethertype", "ethertype %s ", llProtoName(type));
  }
  const min = num(d, "srcportmin");
  if (min !== undefined) p.uint(Kind.Any, "srcportmin", "srcportmin %u ", min);
  if (d.multiproto) p.bool(Kind.Any, "multiproto", "multiproto ", true);
  else p.bool(Kind.Any, "multiproto", "nomultiproto ", false);
};
