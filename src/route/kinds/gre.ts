/**
 * GRE tunnels: gre and gretap (IPv4), ip6gre and ip6gretap (IPv6).
 * IFLA_GRE_* as data, the typed options of `ip link add NAME type gre local A
 * remote B key K ttl T …`, and the decoded data.
 *
 * @module
 */
import { cFlags, type FlagTable } from "../../core/enums.ts";
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { parseIPv4 } from "../../util/addr.ts";
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import {
  BOOL,
  hasAny,
  isMulticast,
  type KindCodec,
  type KindContext,
  type KindOptions,
  onOff,
  tunnelEndpoint,
  tunnelKey,
} from "./common.ts";
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

/**
 * GRE header flags (GRE_*) of IFLA_GRE_IFLAGS/OFLAGS. The kernel's values are
 * big-endian bits (`__cpu_to_be16(0x2000)`): these are the same bits read as
 * the host-order u16 the attribute holds.
 */
export const GRE_FLAG: FlagTable = cFlags("linux/if_tunnel.h", "GRE_", {
  CSUM: 0x0080,
  ROUTING: 0x0040,
  KEY: 0x0020,
  SEQ: 0x0010,
});

const greAttrs = (addr: "ipv4" | "ipv6") =>
  attrSchema("IFLA_GRE_", "linux/if_tunnel.h", {
    LINK: { id: 1, type: "u32", name: "dev" },
    IFLAGS: { id: 2, type: "u16", flags: GRE_FLAG },
    OFLAGS: { id: 3, type: "u16", flags: GRE_FLAG },
    IKEY: { id: 4, type: "be32" },
    OKEY: { id: 5, type: "be32" },
    LOCAL: { id: 6, type: addr },
    REMOTE: { id: 7, type: addr },
    TTL: { id: 8, type: "u8" },
    TOS: { id: 9, type: "u8" },
    PMTUDISC: { id: 10, type: "custom", codec: BOOL },
    ENCAP_LIMIT: { id: 11, type: "u8" },
    FLOWINFO: { id: 12, type: "be32" },
    FLAGS: { id: 13, type: "u32", flags: IP6_TNL_F },
    ENCAP_TYPE: { id: 14, type: "u16", enum: TUNNEL_ENCAP },
    ENCAP_FLAGS: { id: 15, type: "u16", flags: TUNNEL_ENCAP_FLAG },
    ENCAP_SPORT: { id: 16, type: "be16" },
    ENCAP_DPORT: { id: 17, type: "be16" },
    COLLECT_METADATA: { id: 18, type: "flag", name: "external" },
    IGNORE_DF: { id: 19, type: "custom", codec: BOOL },
    FWMARK: { id: 20, type: "u32" },
    ERSPAN_INDEX: { id: 21, type: "u32" },
    ERSPAN_VER: { id: 22, type: "u8" },
    ERSPAN_DIR: { id: 23, type: "u8" },
    ERSPAN_HWID: { id: 24, type: "u16" },
  });

/** IFLA_GRE_* of gre and gretap (IPv4 endpoints). */
export const GRE_ATTRS: AttrSchema = greAttrs("ipv4");
/** IFLA_GRE_* of ip6gre and ip6gretap (IPv6 endpoints). */
export const GRE6_ATTRS: AttrSchema = greAttrs("ipv6");

/** The settings of every GRE kind. */
export interface GreCommonSettings extends TunnelEncapSettings {
  /** Local endpoint (`local`); `"any"` for none (what a change sets to clear it). */
  local?: string;
  /** Remote endpoint (`remote`); `"any"` for none. */
  remote?: string;
  /** Both keys (`key`): a u32 or dotted quad; `false` for none (`nokey`). */
  key?: number | string | false;
  /** Inbound key (`ikey`); `false` for none. */
  ikey?: number | string | false;
  /** Outbound key (`okey`); `false` for none. */
  okey?: number | string | false;
  /** Sequence numbers both ways (`seq`). */
  seq?: boolean;
  /** Sequence numbers on received packets (`iseq`). */
  iseq?: boolean;
  /** Sequence numbers on sent packets (`oseq`). */
  oseq?: boolean;
  /** Checksums both ways (`csum`). */
  csum?: boolean;
  /** Checksums on received packets (`icsum`). */
  icsum?: boolean;
  /** Checksums on sent packets (`ocsum`). */
  ocsum?: boolean;
  /** The device the tunnel's packets leave by (`dev`). */
  dev?: Dev;
  /** Metadata-based (collect_md) tunnel (`external`). */
  external?: boolean;
}

/** The settings of gre and gretap. */
export interface GreSettings extends GreCommonSettings {
  /** TTL (1-255), or `"inherit"` (0) (`ttl`). */
  ttl?: number | "inherit";
  /** TOS (0-255), or `"inherit"` (`tos`). */
  tos?: number | "inherit";
  /** Path MTU discovery, on by default (`pmtudisc` / `nopmtudisc`). */
  pmtudisc?: boolean;
  /** Ignore the DF bit of inner packets (`ignore-df` / `noignore-df`). */
  ignoreDf?: boolean;
  /** Firewall mark of the outer packets (`fwmark`). */
  fwmark?: number;
}

/**
 * A GRE tunnel (layer 3).
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "gre", name: "gre1", local: "192.0.2.1", remote: "192.0.2.2", key: 5, ttl: 64 });
 * ```
 */
export interface GreOptions extends LinkCommonOptions, GreSettings {
  /** The kind. */
  kind: "gre";
}

/** A GRE tunnel carrying Ethernet (layer 2). */
export interface GretapOptions extends LinkCommonOptions, GreSettings {
  /** The kind. */
  kind: "gretap";
}

/** An IPv6 GRE tunnel (layer 3). */
export interface Ip6greOptions extends LinkCommonOptions, GreCommonSettings, Ip6TunnelSettings {
  /** The kind. */
  kind: "ip6gre";
}

/** An IPv6 GRE tunnel carrying Ethernet (layer 2). */
export interface Ip6gretapOptions extends LinkCommonOptions, GreCommonSettings, Ip6TunnelSettings {
  /** The kind. */
  kind: "ip6gretap";
}

/** A GRE tunnel's decoded data (every GRE kind). */
export interface GreData {
  /** Underlying device ifindex. */
  dev?: number;
  /** Inbound GRE flags: `"csum"`, `"key"`, `"seq"`, … */
  iflags?: string[];
  /** Outbound GRE flags. */
  oflags?: string[];
  /** Inbound key. */
  ikey?: number;
  /** Outbound key. */
  okey?: number;
  /** Local endpoint. */
  local?: string;
  /** Remote endpoint. */
  remote?: string;
  /** TTL / hop limit (0: inherit). */
  ttl?: number;
  /** TOS (IPv4 kinds; 1: inherit). */
  tos?: number;
  /** Path MTU discovery (IPv4 kinds). */
  pmtudisc?: boolean;
  /** Encapsulation limit (IPv6 kinds). */
  encapLimit?: number;
  /** Traffic class and flow label bits (IPv6 kinds). */
  flowinfo?: number;
  /** IPv6 tunnel flags (IPv6 kinds). */
  flags?: string[];
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
  /** Ignore DF. */
  ignoreDf?: boolean;
  /** Firewall mark. */
  fwmark?: number;
  /** ERSPAN index. */
  erspanIndex?: number;
  /** ERSPAN version. */
  erspanVer?: number;
  /** ERSPAN direction. */
  erspanDir?: number;
  /** ERSPAN hardware id. */
  erspanHwid?: number;
}

const COMMON_OPTIONS = [
  "local",
  "remote",
  "key",
  "ikey",
  "okey",
  "seq",
  "iseq",
  "oseq",
  "csum",
  "icsum",
  "ocsum",
  "dev",
  "external",
  ...ENCAP_OPTIONS,
];
const V4_OPTIONS = [...COMMON_OPTIONS, "ttl", "tos", "pmtudisc", "ignoreDf", "fwmark"];
const V6_OPTIONS = [...COMMON_OPTIONS, ...IP6_OPTIONS];

/** Keys and in/out flags from key/ikey/okey, seq/iseq/oseq, csum/icsum/ocsum. */
function keysAndFlags(o: KindOptions) {
  const key = tunnelKey(o.key, "key");
  const ikey = o.ikey === false ? undefined : tunnelKey(o.ikey, "ikey") ?? key;
  const okey = o.okey === false ? undefined : tunnelKey(o.okey, "okey") ?? key;
  const K = GRE_FLAG.bit("key"), S = GRE_FLAG.bit("seq"), C = GRE_FLAG.bit("csum");
  let iflags = ikey !== undefined ? K : 0;
  let oflags = okey !== undefined ? K : 0;
  const both = (option: string, bit: number, which: "i" | "o" | "io") => {
    const on = onOff(o[option], option);
    if (on === undefined) return;
    if (which.includes("i")) iflags = on ? iflags | bit : iflags & ~bit;
    if (which.includes("o")) oflags = on ? oflags | bit : oflags & ~bit;
  };
  both("seq", S, "io");
  both("iseq", S, "i");
  both("oseq", S, "o");
  both("csum", C, "io");
  both("icsum", C, "i");
  both("ocsum", C, "o");
  return { ikey: ikey ?? 0, okey: okey ?? 0, iflags, oflags };
}

/** IFLA_GRE_* of gre/gretap in iproute2's order (link_gre.c: keys, flags, endpoints, pmtudisc, …, encapsulation). */
function encodeV4(o: KindOptions, ctx: KindContext): Record<string, unknown> | undefined {
  if (!hasAny(o, V4_OPTIONS)) return undefined;
  if (o.external === true) return { external: true };
  let { ikey, okey, iflags, oflags } = keysAndFlags(o);
  const ends: Record<string, unknown> = {};
  tunnelEndpoint(o, "local", 4, ends);
  tunnelEndpoint(o, "remote", 4, ends);
  if (ends.remote !== undefined) {
    if (isMulticast(ends.remote as string)) {
      // A multicast ("broadcast") tunnel keys on the group address, as iproute2 does.
      const group = new DataView(parseIPv4(o.remote as string)!.buffer).getUint32(0);
      if (!ikey) {
        ikey = group;
        iflags |= GRE_FLAG.bit("key");
      }
      if (!okey) {
        okey = group;
        oflags |= GRE_FLAG.bit("key");
      }
      if (ends.local === undefined) {
        throw new ValidationError("local", o.local, "a multicast tunnel needs a local address");
      }
    }
  }
  const ttl = ttlOrInherit(o.ttl);
  const pmtudisc = onOff(o.pmtudisc ?? true, "pmtudisc") === 1;
  if (ttl && !pmtudisc) throw new ValidationError("pmtudisc", false, "a fixed ttl needs pmtudisc");
  const out: Record<string, unknown> = { ikey, okey, iflags, oflags, ...ends };
  out.pmtudisc = pmtudisc;
  if (o.ignoreDf !== undefined) out.ignoreDf = onOff(o.ignoreDf, "ignoreDf") === 1;
  out.tos = tosOrInherit(o.tos);
  if (o.dev !== undefined) out.dev = ctx.dev("dev", o.dev as Dev);
  out.ttl = ttl;
  out.fwmark = o.fwmark ?? 0;
  encapAttrs(o, out, false);
  return out;
}

/** IFLA_GRE_* of ip6gre/ip6gretap in iproute2's order (link_gre6.c, with its defaults and ERSPAN version 1). */
function encodeV6(o: KindOptions, ctx: KindContext): Record<string, unknown> | undefined {
  if (!hasAny(o, V6_OPTIONS)) return undefined;
  if (o.external === true) return { external: true };
  const { ikey, okey, iflags, oflags } = keysAndFlags(o);
  const p = ip6TunnelParams(o);
  const out: Record<string, unknown> = { ikey, okey, iflags, oflags };
  tunnelEndpoint(o, "local", 6, out);
  tunnelEndpoint(o, "remote", 6, out);
  if (o.dev !== undefined) out.dev = ctx.dev("dev", o.dev as Dev);
  out.ttl = p.ttl;
  out.encapLimit = p.encapLimit;
  out.flowinfo = p.flowinfo;
  out.flags = p.flags;
  out.fwmark = p.fwmark;
  out.erspanVer = 1;
  encapAttrs(o, out, true);
  return out;
}

/** The options of every GRE kind that reproduce its decoded keys, flags, endpoints and encapsulation. */
function currentCommon(d: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const i = (d.iflags as string[] | undefined) ?? [], o = (d.oflags as string[] | undefined) ?? [];
  return {
    ...endpointsCurrent(d),
    ...(i.includes("key") ? { ikey: d.ikey ?? 0 } : {}),
    ...(o.includes("key") ? { okey: d.okey ?? 0 } : {}),
    iseq: i.includes("seq"),
    oseq: o.includes("seq"),
    icsum: i.includes("csum"),
    ocsum: o.includes("csum"),
    ...encapCurrent(d),
  };
}

/** gre's and gretap's current settings as options (iproute2's link_gre.c reads the same before a change). */
function currentV4(d: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    ...currentCommon(d),
    ttl: d.ttl ?? 0,
    tos: d.tos ?? 0,
    pmtudisc: d.pmtudisc ?? true,
    // Sent only when set, as iproute2 does (the kernel keeps it when absent).
    ...(d.ignoreDf === true ? { ignoreDf: true } : {}),
    fwmark: d.fwmark ?? 0,
  };
}

/** What `key`, `seq` and `csum` stand for. */
const GRE_COVERS = { key: ["ikey", "okey"], seq: ["iseq", "oseq"], csum: ["icsum", "ocsum"] };

/** gre's and gretap's codec; a change starts from the current settings (the kernel resets those left out). */
export const GRE: KindCodec = {
  schema: GRE_ATTRS,
  encode: encodeV4,
  devOptions: ["dev"],
  current: currentV4,
  covers: GRE_COVERS,
};
/** ip6gre's and ip6gretap's codec; a change starts from the current settings. */
export const GRE6: KindCodec = {
  schema: GRE6_ATTRS,
  encode: encodeV6,
  devOptions: ["dev"],
  current: (d) => ({ ...currentCommon(d), ...ip6Current(d) }),
  covers: GRE_COVERS,
};
