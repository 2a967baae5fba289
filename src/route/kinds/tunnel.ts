/**
 * What the IP tunnel kinds (gre, gretap, ip6gre, ip6gretap, ipip, sit,
 * ip6tnl) share: the FOU/GUE encapsulation settings and their encoding, and
 * the IPv6 tunnel flags.
 *
 * @module
 */
import { cEnum, cFlags, type EnumTable, type FlagTable } from "../../core/enums.ts";
import { ValidationError } from "../../core/errors.ts";
import { intIn, oneOf, onOff } from "./common.ts";
import type { KindOptions } from "./common.ts";

/** Outer encapsulation of a tunnel (TUNNEL_ENCAP_*): `none`, `fou`, `gue`, `mpls`. */
export const TUNNEL_ENCAP: EnumTable = cEnum("linux/if_tunnel.h", "TUNNEL_ENCAP_", {
  NONE: 0,
  FOU: 1,
  GUE: 2,
  MPLS: 3,
});

/** Encapsulation flags (TUNNEL_ENCAP_FLAG_*): `csum`, `csum6`, `remcsum`. */
export const TUNNEL_ENCAP_FLAG: FlagTable = cFlags("linux/if_tunnel.h", "TUNNEL_ENCAP_FLAG_", {
  CSUM: 1 << 0,
  CSUM6: 1 << 1,
  REMCSUM: 1 << 2,
});

/** IPv6 tunnel flags (IP6_TNL_F_*), of ip6tnl, ip6gre and ip6gretap. */
export const IP6_TNL_F: FlagTable = cFlags("linux/ip6_tunnel.h", "IP6_TNL_F_", {
  IGN_ENCAP_LIMIT: 0x1,
  USE_ORIG_TCLASS: 0x2,
  USE_ORIG_FLOWLABEL: 0x4,
  MIP6_DEV: 0x8,
  RCV_DSCP_COPY: 0x10,
  USE_ORIG_FWMARK: 0x20,
  ALLOW_LOCAL_REMOTE: 0x40,
});

/** The FOU/GUE encapsulation settings every IP tunnel kind takes. */
export interface TunnelEncapSettings {
  /** Outer UDP encapsulation (`encap fou|gue|none`). */
  encap?: "none" | "fou" | "gue";
  /** UDP source port, or `"auto"` (`encap-sport`). */
  encapSport?: number | "auto";
  /** UDP destination port (`encap-dport`). */
  encapDport?: number;
  /** UDP checksums over IPv4 (`encap-csum`). */
  encapCsum?: boolean;
  /** UDP checksums over IPv6 (`encap-udp6-csum`). */
  encapUdp6Csum?: boolean;
  /** Remote checksum offload (`encap-remcsum`). */
  encapRemcsum?: boolean;
}

/**
 * The four encapsulation attributes iproute2 always sends, in its order
 * (type, flags, source and destination port), under the names of the kind's
 * schema (`encapType`, `encapFlags`, `encapSport`, `encapDport`). `csum6`
 * is iproute2's default for the IPv6 kinds.
 */
export function encapAttrs(o: KindOptions, out: Record<string, unknown>, ipv6Kind: boolean): void {
  out.encapType = oneOf(o.encap, ["none", "fou", "gue"], "encap") ?? "none";
  let flags = ipv6Kind ? TUNNEL_ENCAP_FLAG.bit("csum6") : 0;
  const flag = (option: string, name: string) => {
    const on = onOff(o[option], option);
    if (on === 1) flags |= TUNNEL_ENCAP_FLAG.bit(name);
    if (on === 0) flags &= ~TUNNEL_ENCAP_FLAG.bit(name);
  };
  flag("encapCsum", "csum");
  flag("encapUdp6Csum", "csum6");
  flag("encapRemcsum", "remcsum");
  out.encapFlags = flags;
  out.encapSport = o.encapSport === "auto" ? 0 : intIn(o.encapSport ?? 0, 0, 65535, "encapSport");
  out.encapDport = intIn(o.encapDport ?? 0, 0, 65535, "encapDport");
}

/**
 * The encapsulation options that reproduce a tunnel's decoded `encapType`,
 * `encapFlags`, `encapSport` and `encapDport` (for a change over the current
 * settings).
 *
 * @example
 * ```ts
 * import { encapCurrent } from "./tunnel.ts";
 * encapCurrent({ encapType: "fou", encapDport: 5555 }).encap; // "fou"
 * ```
 */
export function encapCurrent(d: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const flags = (d.encapFlags as string[] | undefined) ?? [];
  return {
    encap: d.encapType ?? "none",
    encapCsum: flags.includes("csum"),
    encapUdp6Csum: flags.includes("csum6"),
    encapRemcsum: flags.includes("remcsum"),
    encapSport: d.encapSport ?? 0,
    encapDport: d.encapDport ?? 0,
  };
}

/**
 * The endpoint, device and metadata options of a tunnel's decoded data
 * (`local`, `remote` when set, `dev` when not 0, `external`).
 *
 * @example
 * ```ts
 * import { endpointsCurrent } from "./tunnel.ts";
 * endpointsCurrent({ local: "0.0.0.0", remote: "192.0.2.2", dev: 0 }); // { remote: "192.0.2.2" }
 * ```
 */
export function endpointsCurrent(d: Readonly<Record<string, unknown>>): Record<string, unknown> {
  // The kernel reports an unset endpoint as the wildcard address.
  const set = (a: unknown) => typeof a === "string" && a !== "0.0.0.0" && a !== "::";
  const o: Record<string, unknown> = {};
  if (set(d.local)) o.local = d.local;
  if (set(d.remote)) o.remote = d.remote;
  if (typeof d.dev === "number" && d.dev !== 0) o.dev = d.dev;
  if (d.external === true) o.external = true;
  return o;
}

/** The encapsulation option names (for "was any kind option given?"). */
export const ENCAP_OPTIONS = ["encap", "encapSport", "encapDport", "encapCsum", "encapUdp6Csum", "encapRemcsum"];

/** The IPv6 tunnel settings of ip6tnl, ip6gre and ip6gretap (hop limit, traffic class, flow label, …). */
export interface Ip6TunnelSettings {
  /** Hop limit, or `"inherit"` (0); iproute2's default is 64 (`hoplimit`/`ttl`). */
  ttl?: number | "inherit";
  /** Traffic class (0-255), or `"inherit"` (`tclass`). */
  tclass?: number | "inherit";
  /** Flow label (0-0xfffff), or `"inherit"` (`flowlabel`). */
  flowlabel?: number | "inherit";
  /** Copy the DSCP of received packets to the inner header (`dscp inherit`). */
  dscpInherit?: boolean;
  /** Encapsulation limit (0-255), or `"none"`; iproute2's default is 4 (`encaplimit`). */
  encaplimit?: number | "none";
  /** Firewall mark of the outer packets, or `"inherit"` (`fwmark`). */
  fwmark?: number | "inherit";
  /** Allow local and remote to be on this host (`allow-localremote`). */
  allowLocalremote?: boolean;
}

/** The IPv6 setting names. */
export const IP6_OPTIONS = ["ttl", "tclass", "flowlabel", "dscpInherit", "encaplimit", "fwmark", "allowLocalremote"];

/**
 * The hop limit, encapsulation limit, flow info, flags and fwmark of an IPv6
 * tunnel as iproute2 computes them from its options (with its defaults: hop
 * limit 64, encapsulation limit 4).
 */
export function ip6TunnelParams(o: KindOptions): {
  ttl: number;
  encapLimit: number;
  flowinfo: number;
  flags: number;
  fwmark: number;
} {
  let flags = 0, flowinfo = 0, fwmark = 0, encapLimit = 4;
  const F = (name: string) => IP6_TNL_F.bit(name);
  const ttl = o.ttl === "inherit" ? 0 : intIn(o.ttl ?? 64, 0, 255, "ttl")!;
  if (o.tclass === "inherit") flags |= F("use_orig_tclass");
  else if (o.tclass !== undefined) flowinfo |= (intIn(o.tclass, 0, 255, "tclass")! << 20) >>> 0;
  if (o.flowlabel === "inherit") flags |= F("use_orig_flowlabel");
  else if (o.flowlabel !== undefined) flowinfo |= intIn(o.flowlabel, 0, 0xfffff, "flowlabel")!;
  if (onOff(o.dscpInherit, "dscpInherit") === 1) flags |= F("rcv_dscp_copy");
  if (o.encaplimit === "none") flags |= F("ign_encap_limit");
  else if (o.encaplimit !== undefined) encapLimit = intIn(o.encaplimit, 0, 255, "encaplimit")!;
  if (o.fwmark === "inherit") flags |= F("use_orig_fwmark");
  else if (o.fwmark !== undefined) fwmark = intIn(o.fwmark, 0, 0xffffffff, "fwmark")!;
  if (onOff(o.allowLocalremote, "allowLocalremote") === 1) flags |= F("allow_local_remote");
  return { ttl, encapLimit, flowinfo: flowinfo >>> 0, flags, fwmark };
}

/**
 * The IPv6 tunnel settings that reproduce a tunnel's decoded `ttl`,
 * `encapLimit`, `flowinfo`, `flags` and `fwmark` (the inverse of
 * {@linkcode ip6TunnelParams}).
 *
 * @example
 * ```ts
 * import { ip6Current } from "./tunnel.ts";
 * ip6Current({ ttl: 64, encapLimit: 4, flowinfo: 0x12345, flags: [] }).flowlabel; // 0x12345
 * ```
 */
export function ip6Current(d: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const flags = (d.flags as string[] | undefined) ?? [];
  const flowinfo = (d.flowinfo as number | undefined) ?? 0;
  return {
    ttl: d.ttl ?? 64,
    tclass: flags.includes("use_orig_tclass") ? "inherit" : (flowinfo >>> 20) & 0xff,
    flowlabel: flags.includes("use_orig_flowlabel") ? "inherit" : flowinfo & 0xfffff,
    dscpInherit: flags.includes("rcv_dscp_copy"),
    encaplimit: flags.includes("ign_encap_limit") ? "none" : d.encapLimit ?? 4,
    fwmark: flags.includes("use_orig_fwmark") ? "inherit" : d.fwmark ?? 0,
    allowLocalremote: flags.includes("allow_local_remote"),
  };
}

/** A TTL that may be `"inherit"` (0 on the wire), as the IPv4 tunnels take it. */
export function ttlOrInherit(value: unknown): number {
  if (value === "inherit" || value === undefined) return 0;
  const n = intIn(value, 0, 255, "ttl");
  return n!;
}

/** A TOS that may be `"inherit"` (1 on the wire). */
export function tosOrInherit(value: unknown): number {
  if (value === "inherit") return 1;
  if (value === undefined) return 0;
  if (typeof value !== "number") throw new ValidationError("tos", value, 'expected 0..255 or "inherit"');
  return intIn(value, 0, 255, "tos")!;
}
