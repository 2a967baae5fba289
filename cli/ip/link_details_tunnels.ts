/**
 * `ip -d link` details of the IP tunnels (iproute2's link_gre.c, link_gre6.c,
 * link_iptnl.c, link_ip6tnl.c, link_vti*.c and link_xfrm.c print_opt), from
 * the library's decoded data.
 *
 * @module
 */
import { Kind, type Printer } from "../common/output.ts";
import {
  dotted,
  flagBits,
  type KindData,
  type KindPrinter,
  num,
  printDev,
  printEncap,
  printEndpoint,
  printFwmark,
  printTos,
} from "./link_details_common.ts";

const GRE_BITS = { csum: 0x80, routing: 0x40, key: 0x20, seq: 0x10 };
const GRE_KEY = 0x20, GRE_SEQ = 0x10, GRE_CSUM = 0x80;

/** IP6_TNL_F_* by the names the library decodes them to. */
const IP6_BITS = {
  ign_encap_limit: 0x1,
  use_orig_tclass: 0x2,
  use_orig_flowlabel: 0x4,
  mip6_dev: 0x8,
  rcv_dscp_copy: 0x10,
  use_orig_fwmark: 0x20,
  allow_local_remote: 0x40,
};

/** `external ` for metadata-based tunnels. */
function external(p: Printer, d: KindData): void {
  if (d.external) p.bool(Kind.Any, "external", "external ", true);
}

/** GRE keys (dotted) and sequence/checksum flags, as both GRE printers write them. */
function greKeysAndFlags(p: Printer, d: KindData): void {
  const iflags = flagBits(d.iflags, GRE_BITS);
  const oflags = flagBits(d.oflags, GRE_BITS);
  const ikey = num(d, "ikey");
  const okey = num(d, "okey");
  if (iflags & GRE_KEY && ikey !== undefined) p.string(Kind.Any, "ikey", "ikey %s ", dotted(ikey));
  if (oflags & GRE_KEY && okey !== undefined) p.string(Kind.Any, "okey", "okey %s ", dotted(okey));
  if (iflags & GRE_SEQ) p.bool(Kind.Any, "iseq", "iseq ", true);
  if (oflags & GRE_SEQ) p.bool(Kind.Any, "oseq", "oseq ", true);
  if (iflags & GRE_CSUM) p.bool(Kind.Any, "icsum", "icsum ", true);
  if (oflags & GRE_CSUM) p.bool(Kind.Any, "ocsum", "ocsum ", true);
}

/** ERSPAN index, version, direction and hardware id. */
function erspan(p: Printer, d: KindData): void {
  const index = num(d, "erspanIndex");
  if (index !== undefined) p.uint(Kind.Any, "erspan_index", "erspan_index %u ", index);
  const ver = num(d, "erspanVer");
  if (ver !== undefined) p.uint(Kind.Any, "erspan_ver", "erspan_ver %u ", ver);
  const dir = num(d, "erspanDir");
  if (dir !== undefined) p.string(Kind.Any, "erspan_dir", "erspan_dir %s ", dir === 0 ? "ingress" : "egress");
  const hwid = num(d, "erspanHwid");
  if (hwid !== undefined) p.hex0x(Kind.Any, "erspan_hwid", "erspan_hwid %#llx ", hwid);
}

/** An IPv4 tunnel's `ttl N ` or `ttl inherit ` (0). */
function ttl4(p: Printer, d: KindData): void {
  const ttl = num(d, "ttl") ?? 0;
  if (p.json || ttl) p.uint(Kind.Any, "ttl", "ttl %u ", ttl);
  else p.string(Kind.Text, null, "ttl %s ", "inherit");
}

/**
 * The IPv6 tunnel parameters both ip6gre and ip6tnl print: hop limit,
 * encapsulation limit, traffic class, flow label, DSCP copy.
 */
function ip6Params(p: Printer, d: KindData, flags: number): void {
  const ttl = num(d, "ttl") ?? 0;
  if (p.json || ttl) p.uint(Kind.Any, "ttl", "hoplimit %u ", ttl);
  else p.string(Kind.Text, null, "hoplimit %s ", "inherit");
  if (flags & IP6_BITS.ign_encap_limit) {
    p.bool(Kind.Any, "ip6_tnl_f_ign_encap_limit", "encaplimit none ", true);
  } else {
    const limit = num(d, "encapLimit");
    if (limit !== undefined) p.uint(Kind.Any, "encap_limit", "encaplimit %u ", limit);
  }
  const flowinfo = num(d, "flowinfo");
  if (flags & IP6_BITS.use_orig_tclass) p.bool(Kind.Any, "ip6_tnl_f_use_orig_tclass", "tclass inherit ", true);
  else if (flowinfo !== undefined) {
    const tclass = (flowinfo & 0x0ff00000) >>> 20;
    p.string(Kind.Any, "tclass", "tclass %s ", "0x" + tclass.toString(16).padStart(2, "0"));
  }
  if (flags & IP6_BITS.use_orig_flowlabel) {
    p.bool(Kind.Any, "ip6_tnl_f_use_orig_flowlabel", "flowlabel inherit ", true);
  } else if (flowinfo !== undefined) {
    const label = flowinfo & 0xfffff;
    p.string(Kind.Any, "flowlabel", "flowlabel %s ", "0x" + label.toString(16).padStart(5, "0"));
  }
  if (flags & IP6_BITS.rcv_dscp_copy) p.bool(Kind.Any, "ip6_tnl_f_rcv_dscp_copy", "dscp inherit ", true);
}

/** `fwmark inherit ` or the IPv6 tunnel's mark. */
function ip6Fwmark(p: Printer, d: KindData, flags: number): void {
  if (flags & IP6_BITS.use_orig_fwmark) p.bool(Kind.Any, "ip6_tnl_f_use_orig_fwmark", "fwmark inherit ", true);
  else printFwmark(p, d);
}

/**
 * gre, gretap and erspan details.
 *
 * @example
 * ```ts ignore
 * printGre(p, { remote: "192.0.2.2", local: "0.0.0.0", ttl: 0 }, names); // "remote 192.0.2.2 local any ttl inherit …"
 * ```
 */
export const printGre: KindPrinter = (p, d, names) => {
  if (!d) return;
  external(p, d);
  printEndpoint(p, "remote", d.remote);
  printEndpoint(p, "local", d.local);
  printDev(p, d, "dev", names);
  ttl4(p, d);
  printTos(p, num(d, "tos"));
  const pmtudisc = num(d, "pmtudisc");
  if (pmtudisc !== undefined) {
    if (!pmtudisc) p.bool(Kind.Any, "pmtudisc", "nopmtudisc ", false);
    else p.bool(Kind.Json, "pmtudisc", "", true);
  }
  if (num(d, "ignoreDf")) p.bool(Kind.Any, "ignore_df", "ignore-df ", true);
  greKeysAndFlags(p, d);
  printFwmark(p, d);
  erspan(p, d);
  printEncap(p, d);
};

/**
 * ip6gre, ip6gretap and ip6erspan details.
 *
 * @example
 * ```ts ignore
 * printGre6(p, { remote: "2001:db8::2", ttl: 64, encapLimit: 4, flowinfo: 0 }, names);
 * ```
 */
export const printGre6: KindPrinter = (p, d, names) => {
  if (!d) return;
  external(p, d);
  const flags = flagBits(d.flags, IP6_BITS);
  printEndpoint(p, "remote", d.remote);
  printEndpoint(p, "local", d.local);
  printDev(p, d, "dev", names);
  ip6Params(p, d, flags);
  greKeysAndFlags(p, d);
  if (flags & IP6_BITS.allow_local_remote) {
    p.bool(Kind.Any, "ip6_tnl_f_allow_local_remote", "allow-localremote ", true);
  }
  ip6Fwmark(p, d, flags);
  erspan(p, d);
  printEncap(p, d);
};

/** iproute2's words for IFLA_IPTUN_PROTO of ipip/sit (by the library's names). */
const IP4_PROTO: Record<string, string> = { ipip: "ipip", ipv6: "ip6ip", mpls: "mplsip", any: "any" };
/** The same for ip6tnl. */
const IP6_PROTO: Record<string, string> = { ipip: "ipip6", ipv6: "ip6ip6", any: "any" };

function proto(p: Printer, d: KindData, words: Record<string, string>): void {
  const v = d.proto;
  const word = typeof v === "string" ? words[v] : v === 0 ? "any" : undefined;
  if (word !== undefined) p.string(Kind.Any, "proto", "%s ", word);
}

/**
 * ipip and sit details.
 *
 * @example
 * ```ts ignore
 * printIptun(p, { proto: "ipip", remote: "192.0.2.2", pmtudisc: true }, names); // "ipip remote 192.0.2.2 …"
 * ```
 */
export const printIptun: KindPrinter = (p, d, names) => {
  if (!d) return;
  external(p, d);
  proto(p, d, IP4_PROTO);
  printEndpoint(p, "remote", d.remote);
  printEndpoint(p, "local", d.local);
  printDev(p, d, "dev", names);
  ttl4(p, d);
  printTos(p, num(d, "tos"));
  if (num(d, "pmtudisc")) p.bool(Kind.Any, "pmtudisc", "pmtudisc ", true);
  else p.bool(Kind.Any, "pmtudisc", "nopmtudisc ", false);
  if (flagBits(d.flags, { isatap: 1 }) & 1) p.bool(Kind.Any, "isatap", "isatap ", true);
  const prefixlen = num(d, "ip6rdPrefixlen");
  if (prefixlen) {
    const relayLen = num(d, "ip6rdRelayPrefixlen") ?? 0;
    const relay = typeof d.ip6rdRelayPrefix === "string" && d.ip6rdRelayPrefix !== "0.0.0.0"
      ? d.ip6rdRelayPrefix
      : undefined;
    const prefix = String(d.ip6rdPrefix ?? "::");
    if (p.json) {
      p.string(Kind.Json, "prefix", "", prefix);
      p.int(Kind.Json, "prefixlen", "", prefixlen);
      if (relay) {
        p.string(Kind.Json, "relay_prefix", "", relay);
        p.int(Kind.Json, "relay_prefixlen", "", relayLen);
      }
    } else {
      p.write(`6rd-prefix ${prefix}/${prefixlen} `);
      if (relay) p.write(`6rd-relay_prefix ${relay}/${relayLen} `);
    }
  }
  printFwmark(p, d);
  printEncap(p, d);
};

/**
 * ip6tnl details.
 *
 * @example
 * ```ts ignore
 * printIp6tnl(p, { proto: "any", remote: "2001:db8::2", ttl: 64 }, names); // "any remote 2001:db8::2 …"
 * ```
 */
export const printIp6tnl: KindPrinter = (p, d, names) => {
  if (!d) return;
  external(p, d);
  const flags = flagBits(d.flags, IP6_BITS);
  proto(p, d, IP6_PROTO);
  printEndpoint(p, "remote", d.remote);
  printEndpoint(p, "local", d.local);
  printDev(p, d, "dev", names);
  ip6Params(p, d, flags);
  if (flags & IP6_BITS.mip6_dev) p.bool(Kind.Any, "ip6_tnl_f_mip6_dev", "mip6 ", true);
  if (flags & IP6_BITS.allow_local_remote) {
    p.bool(Kind.Any, "ip6_tnl_f_allow_local_remote", "allow-localremote ", true);
  }
  ip6Fwmark(p, d, flags);
  printEncap(p, d);
};

/**
 * vti and vti6 details.
 *
 * @example
 * ```ts ignore
 * printVti(p, { remote: "192.0.2.2", ikey: 5, okey: 5 }, names); // "remote 192.0.2.2 local any ikey 0.0.0.5 …"
 * ```
 */
export const printVti: KindPrinter = (p, d, names) => {
  if (!d) return;
  printEndpoint(p, "remote", d.remote);
  printEndpoint(p, "local", d.local);
  printDev(p, d, "dev", names);
  const ikey = num(d, "ikey");
  if (ikey) p.string(Kind.Any, "ikey", "ikey %s ", dotted(ikey));
  const okey = num(d, "okey");
  if (okey) p.string(Kind.Any, "okey", "okey %s ", dotted(okey));
  printFwmark(p, d);
};

/**
 * xfrm interface details.
 *
 * @example
 * ```ts ignore
 * printXfrm(p, { ifId: 5 }, names); // "if_id 0x5 "
 * ```
 */
export const printXfrm: KindPrinter = (p, d) => {
  if (!d) return;
  if (d.external) {
    p.bool(Kind.Any, "external", "external ", true);
    return;
  }
  const id = num(d, "ifId");
  if (id !== undefined) p.hex0x(Kind.Any, "if_id", "if_id %#llx ", id);
};
