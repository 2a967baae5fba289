/**
 * IP-in-IP tunnels: ipip and sit (IPv4 outer header), ip6tnl (IPv6 outer
 * header). IFLA_IPTUN_* as data, the typed options of `ip link add NAME type
 * ipip|sit|ip6tnl mode M local A remote B …`, and the decoded data.
 *
 * @module
 */
import { cEnum, cFlags, type EnumTable, type FlagTable } from "../../core/enums.ts";
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { parsePrefix } from "../../util/addr.ts";
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import { BOOL, hasAny, type KindCodec, type KindContext, type KindOptions, onOff, tunnelEndpoint } from "./common.ts";
import {
  ENCAP_OPTIONS,
  encapAttrs,
  encapCurrent,
  endpointsCurrent,
  IP6_OPTIONS,
  IP6_TNL_F,
  ip6Current,
  ip6TunnelParams,
  type Ip6TunnelSettings,
  tosOrInherit,
  ttlOrInherit,
  TUNNEL_ENCAP,
  TUNNEL_ENCAP_FLAG,
  type TunnelEncapSettings,
} from "./tunnel.ts";

/** Inner protocols of an IP tunnel (IPPROTO_*): `any` (0), `ipip`, `ipv6`, `mpls`. */
export const IPTUN_PROTO: EnumTable = cEnum(
  "netinet/in.h",
  "IPPROTO_",
  { IP: 0, IPIP: 4, IPV6: 41, MPLS: 137 },
  (k) => (k === "IP" ? "any" : k.toLowerCase()),
);

/** sit flags: `isatap` (SIT_ISATAP). */
export const SIT_FLAG: FlagTable = cFlags("linux/if_tunnel.h", "SIT_", { ISATAP: 0x0001 });

const iptunAttrs = (v6: boolean) =>
  attrSchema("IFLA_IPTUN_", "linux/if_tunnel.h", {
    LINK: { id: 1, type: "u32", name: "dev" },
    LOCAL: { id: 2, type: v6 ? "ipv6" : "ipv4" },
    REMOTE: { id: 3, type: v6 ? "ipv6" : "ipv4" },
    TTL: { id: 4, type: "u8" },
    TOS: { id: 5, type: "u8" },
    ENCAP_LIMIT: { id: 6, type: "u8" },
    FLOWINFO: { id: 7, type: "be32" },
    // u16 (SIT_* flags) for ipip and sit, u32 (IP6_TNL_F_*) for ip6tnl.
    FLAGS: v6 ? { id: 8, type: "u32", flags: IP6_TNL_F } : { id: 8, type: "u16", flags: SIT_FLAG },
    PROTO: { id: 9, type: "u8", enum: IPTUN_PROTO },
    PMTUDISC: { id: 10, type: "custom", codec: BOOL },
    "6RD_PREFIX": { id: 11, type: "ipv6", name: "ip6rdPrefix" },
    "6RD_RELAY_PREFIX": { id: 12, type: "ipv4", name: "ip6rdRelayPrefix" },
    "6RD_PREFIXLEN": { id: 13, type: "u16", name: "ip6rdPrefixlen" },
    "6RD_RELAY_PREFIXLEN": { id: 14, type: "u16", name: "ip6rdRelayPrefixlen" },
    ENCAP_TYPE: { id: 15, type: "u16", enum: TUNNEL_ENCAP },
    ENCAP_FLAGS: { id: 16, type: "u16", flags: TUNNEL_ENCAP_FLAG },
    ENCAP_SPORT: { id: 17, type: "be16" },
    ENCAP_DPORT: { id: 18, type: "be16" },
    COLLECT_METADATA: { id: 19, type: "flag", name: "external" },
    FWMARK: { id: 20, type: "u32" },
  });

/** IFLA_IPTUN_* of ipip and sit. */
export const IPTUN_ATTRS: AttrSchema = iptunAttrs(false);
/** IFLA_IPTUN_* of ip6tnl. */
export const IP6TNL_ATTRS: AttrSchema = iptunAttrs(true);

/** The settings every IP-in-IP kind takes. */
export interface IptunCommonSettings extends TunnelEncapSettings {
  /** Local endpoint (`local`); `"any"` for none (what a change sets to clear it). */
  local?: string;
  /** Remote endpoint (`remote`); `"any"` for none. */
  remote?: string;
  /** The device the tunnel's packets leave by (`dev`). */
  dev?: Dev;
  /** Metadata-based (collect_md) tunnel (`external`). */
  external?: boolean;
}

/** The settings of ipip and sit. */
export interface Ip4TunnelSettings extends IptunCommonSettings {
  /** TTL (1-255), or `"inherit"` (0) (`ttl`). */
  ttl?: number | "inherit";
  /** TOS (0-255), or `"inherit"` (`tos`). */
  tos?: number | "inherit";
  /** Path MTU discovery, on by default (`pmtudisc` / `nopmtudisc`). */
  pmtudisc?: boolean;
  /** Firewall mark of the outer packets (`fwmark`). */
  fwmark?: number;
}

/**
 * An IPv4-in-IPv4 (or MPLS-in-IPv4) tunnel.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "ipip", name: "ipip1", local: "192.0.2.1", remote: "192.0.2.2", ttl: 64 });
 * ```
 */
export interface IpipOptions extends LinkCommonOptions, Ip4TunnelSettings {
  /** The kind. */
  kind: "ipip";
  /** What it carries: `"ipip"`, `"mplsip"` or `"any"` (`mode`). */
  mode?: "ipip" | "mplsip" | "any";
}

/** An IPv6-in-IPv4 tunnel (sit), optionally ISATAP or 6rd. */
export interface SitOptions extends LinkCommonOptions, Ip4TunnelSettings {
  /** The kind. */
  kind: "sit";
  /** What it carries: `"ip6ip"`, `"ipip"`, `"mplsip"` or `"any"` (`mode`). */
  mode?: "ip6ip" | "ipip" | "mplsip" | "any";
  /** ISATAP (`isatap`). */
  isatap?: boolean;
  /** The 6rd prefix, e.g. `"2001:db8::/32"` (`6rd-prefix`). */
  ip6rdPrefix?: string;
  /** The 6rd relay prefix, e.g. `"192.0.2.0/24"` (`6rd-relay_prefix`). */
  ip6rdRelayPrefix?: string;
}

/** An IPv6 tunnel: IPv6 or IPv4 over IPv6. */
export interface Ip6tnlOptions extends LinkCommonOptions, IptunCommonSettings, Ip6TunnelSettings {
  /** The kind. */
  kind: "ip6tnl";
  /** What it carries: `"ip6ip6"`, `"ipip6"` or `"any"` (`mode`). */
  mode?: "ip6ip6" | "ipip6" | "any";
}

/** An IP-in-IP tunnel's decoded data (ipip, sit, ip6tnl). */
export interface IptunData {
  /** Underlying device ifindex. */
  dev?: number;
  /** Local endpoint. */
  local?: string;
  /** Remote endpoint. */
  remote?: string;
  /** TTL / hop limit (0: inherit). */
  ttl?: number;
  /** TOS (IPv4 kinds). */
  tos?: number;
  /** Encapsulation limit (ip6tnl). */
  encapLimit?: number;
  /** Traffic class and flow label bits (ip6tnl). */
  flowinfo?: number;
  /** `["isatap"]` (sit) or IPv6 tunnel flags (ip6tnl). */
  flags?: string[];
  /** Inner protocol: `"any"`, `"ipip"`, `"ipv6"`, `"mpls"`. */
  proto?: string | number;
  /** Path MTU discovery (IPv4 kinds). */
  pmtudisc?: boolean;
  /** 6rd prefix (sit). */
  ip6rdPrefix?: string;
  /** 6rd relay prefix (sit). */
  ip6rdRelayPrefix?: string;
  /** 6rd prefix length (sit). */
  ip6rdPrefixlen?: number;
  /** 6rd relay prefix length (sit). */
  ip6rdRelayPrefixlen?: number;
  /** Outer encapsulation. */
  encapType?: string | number;
  /** Encapsulation flags. */
  encapFlags?: string[];
  /** Encapsulation source port. */
  encapSport?: number;
  /** Encapsulation destination port. */
  encapDport?: number;
  /** Metadata-based. */
  external?: boolean;
  /** Firewall mark. */
  fwmark?: number;
}

const MODE_PROTO: Record<string, string> = {
  ipip: "ipip",
  ip4ip4: "ipip",
  ip6ip: "ipv6",
  mplsip: "mpls",
  any: "any",
  ip6ip6: "ipv6",
  ipip6: "ipip",
};
const COMMON = ["local", "remote", "dev", "external", "mode", ...ENCAP_OPTIONS];
const V4 = [...COMMON, "ttl", "tos", "pmtudisc", "fwmark", "isatap", "ip6rdPrefix", "ip6rdRelayPrefix"];
const V6 = [...COMMON, ...IP6_OPTIONS];

function proto(o: KindOptions, modes: readonly string[]): string {
  if (o.mode === undefined) return "any";
  if (typeof o.mode !== "string" || !modes.includes(o.mode)) {
    throw new ValidationError("mode", o.mode, `expected one of ${modes.join(", ")}`);
  }
  return MODE_PROTO[o.mode];
}

function endpoints(o: KindOptions, out: Record<string, unknown>, version: 4 | 6): void {
  tunnelEndpoint(o, "local", version, out);
  tunnelEndpoint(o, "remote", version, out);
}

/** IFLA_IPTUN_* of ipip/sit in iproute2's order (link_iptnl.c). */
function encoder(sit: boolean) {
  const modes = sit ? ["ip6ip", "ipip", "mplsip", "any"] : ["ipip", "mplsip", "any"];
  return (o: KindOptions, ctx: KindContext): Record<string, unknown> | undefined => {
    if (!hasAny(o, V4)) return undefined;
    const out: Record<string, unknown> = { proto: proto(o, modes) };
    if (o.external === true) return { ...out, external: true };
    endpoints(o, out, 4);
    const ttl = ttlOrInherit(o.ttl);
    const pmtudisc = onOff(o.pmtudisc ?? true, "pmtudisc") === 1;
    if (ttl && !pmtudisc) throw new ValidationError("pmtudisc", false, "a fixed ttl needs pmtudisc");
    out.pmtudisc = pmtudisc;
    out.tos = tosOrInherit(o.tos);
    out.ttl = ttl;
    out.dev = o.dev === undefined ? 0 : ctx.dev("dev", o.dev as Dev);
    out.fwmark = o.fwmark ?? 0;
    encapAttrs(o, out, false);
    if (sit) {
      out.flags = onOff(o.isatap, "isatap") === 1 ? ["isatap"] : [];
      if (o.ip6rdPrefix !== undefined) {
        const p = parsePrefix(o.ip6rdPrefix as string, "ip6rdPrefix", 10);
        out.ip6rdPrefix = p.address;
        out.ip6rdPrefixlen = p.length;
      }
      if (o.ip6rdRelayPrefix !== undefined) {
        const p = parsePrefix(o.ip6rdRelayPrefix as string, "ip6rdRelayPrefix", 2);
        out.ip6rdRelayPrefix = p.address;
        out.ip6rdRelayPrefixlen = p.length;
      }
    } else if (o.isatap !== undefined || o.ip6rdPrefix !== undefined || o.ip6rdRelayPrefix !== undefined) {
      throw new ValidationError("isatap", o.isatap, "ISATAP and 6rd are sit options");
    }
    return out;
  };
}

/** IFLA_IPTUN_* of ip6tnl in iproute2's order (link_ip6tnl.c, with its defaults). */
function encodeIp6tnl(o: KindOptions, ctx: KindContext): Record<string, unknown> | undefined {
  if (!hasAny(o, V6)) return undefined;
  const out: Record<string, unknown> = { proto: proto(o, ["ip6ip6", "ipip6", "any"]) };
  if (o.external === true) return { ...out, external: true };
  endpoints(o, out, 6);
  const p = ip6TunnelParams(o);
  out.ttl = p.ttl;
  out.encapLimit = p.encapLimit;
  out.flowinfo = p.flowinfo;
  out.flags = p.flags;
  out.dev = o.dev === undefined ? 0 : ctx.dev("dev", o.dev as Dev);
  out.fwmark = p.fwmark;
  encapAttrs(o, out, true);
  return out;
}

/** The `mode` of a decoded inner protocol, among a kind's modes (`"any"` when none fits). */
function modeOf(proto: unknown, modes: readonly string[]): string {
  return modes.find((m) => MODE_PROTO[m] === proto) ?? "any";
}

/** ipip's and sit's current settings as options (iproute2's link_iptnl.c reads the same before a change). */
function currentV4(sit: boolean) {
  const modes = sit ? ["ip6ip", "ipip", "mplsip"] : ["ipip", "mplsip"];
  return (d: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    const o: Record<string, unknown> = {
      mode: modeOf(d.proto, modes),
      ...endpointsCurrent(d),
      ttl: d.ttl ?? 0,
      tos: d.tos ?? 0,
      pmtudisc: d.pmtudisc ?? true,
      fwmark: d.fwmark ?? 0,
      ...encapCurrent(d),
    };
    if (!sit) return o;
    o.isatap = ((d.flags as string[] | undefined) ?? []).includes("isatap");
    // The 6rd prefixes are sent back as they are (the kernel keeps its default 2002::/16 otherwise).
    if (d.ip6rdPrefix !== undefined) o.ip6rdPrefix = `${d.ip6rdPrefix}/${d.ip6rdPrefixlen ?? 0}`;
    if (d.ip6rdRelayPrefix !== undefined) o.ip6rdRelayPrefix = `${d.ip6rdRelayPrefix}/${d.ip6rdRelayPrefixlen ?? 0}`;
    return o;
  };
}

/** ip6tnl's current settings as options (link_ip6tnl.c reads the same before a change). */
function currentIp6tnl(d: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { mode: modeOf(d.proto, ["ip6ip6", "ipip6"]), ...endpointsCurrent(d), ...ip6Current(d), ...encapCurrent(d) };
}

/** ipip's codec; a change starts from the current settings (the kernel resets those left out). */
export const IPIP: KindCodec = {
  schema: IPTUN_ATTRS,
  encode: encoder(false),
  devOptions: ["dev"],
  current: currentV4(false),
};
/** sit's codec; a change starts from the current settings. */
export const SIT: KindCodec = {
  schema: IPTUN_ATTRS,
  encode: encoder(true),
  devOptions: ["dev"],
  current: currentV4(true),
};
/** ip6tnl's codec; a change starts from the current settings. */
export const IP6TNL: KindCodec = {
  schema: IP6TNL_ATTRS,
  encode: encodeIp6tnl,
  devOptions: ["dev"],
  current: currentIp6tnl,
};
