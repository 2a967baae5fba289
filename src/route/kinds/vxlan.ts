/**
 * vxlan: IFLA_VXLAN_* as data, the typed options of `ip link add NAME type
 * vxlan id VNI …`, and the decoded data.
 *
 * @module
 */
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import {
  BOOL,
  intIn,
  ipVersion,
  isMulticast,
  type KindCodec,
  type KindContext,
  type KindOptions,
  oneOf,
  onOff,
  put,
} from "./common.ts";

/** Don't-fragment policy of UDP tunnels (VXLAN_DF_*): `unset`, `set`, `inherit`. */
export const VXLAN_DF: EnumTable = cEnum("linux/if_link.h", "VXLAN_DF_", { UNSET: 0, SET: 1, INHERIT: 2 });

/** struct ifla_vxlan_port_range: the UDP source port range. */
const VXLAN_PORT_RANGE = cStruct("linux/if_link.h", "struct ifla_vxlan_port_range", [
  { c: "low", type: "be16" },
  { c: "high", type: "be16" },
]);

/**
 * IFLA_VXLAN_TTL_INHERIT: requests carry it as a flag (its presence turns
 * inheritance on, as iproute2 sends it), dumps as a u8 on every device (0 or
 * 1), so decoding reads the byte when there is one.
 */
const TTL_INHERIT: CustomCodec = {
  decode: (b, _v, off, len) => len === 0 || b[off] !== 0,
  encode(_w, x, path) {
    // The kernel turns inheritance on for the attribute's mere presence: false is said by leaving it out.
    if (x !== true) throw new ValidationError(path, x, "only true can be sent (leave it out to not inherit)");
  },
};
/**
 * IFLA_VXLAN_*: a VXLAN device's data, named with iproute2's words (`dev`,
 * `dstport`, `srcport`, `maxaddress`, `external`, …). On/off settings decode
 * as booleans.
 */
export const VXLAN_ATTRS: AttrSchema = attrSchema("IFLA_VXLAN_", "linux/if_link.h", {
  ID: { id: 1, type: "u32" },
  GROUP: { id: 2, type: "ipv4" },
  LINK: { id: 3, type: "u32", name: "dev" },
  LOCAL: { id: 4, type: "ipv4" },
  TTL: { id: 5, type: "u8" },
  TOS: { id: 6, type: "u8" },
  LEARNING: { id: 7, type: "custom", codec: BOOL },
  AGEING: { id: 8, type: "u32" },
  LIMIT: { id: 9, type: "u32", name: "maxaddress" },
  PORT_RANGE: { id: 10, type: "struct", struct: VXLAN_PORT_RANGE, name: "srcport" },
  PROXY: { id: 11, type: "custom", codec: BOOL },
  RSC: { id: 12, type: "custom", codec: BOOL },
  L2MISS: { id: 13, type: "custom", codec: BOOL },
  L3MISS: { id: 14, type: "custom", codec: BOOL },
  PORT: { id: 15, type: "be16", name: "dstport" },
  GROUP6: { id: 16, type: "ipv6" },
  LOCAL6: { id: 17, type: "ipv6" },
  UDP_CSUM: { id: 18, type: "custom", codec: BOOL, name: "udpcsum" },
  UDP_ZERO_CSUM6_TX: { id: 19, type: "custom", codec: BOOL, name: "udp6zerocsumtx" },
  UDP_ZERO_CSUM6_RX: { id: 20, type: "custom", codec: BOOL, name: "udp6zerocsumrx" },
  REMCSUM_TX: { id: 21, type: "custom", codec: BOOL, name: "remcsumtx" },
  REMCSUM_RX: { id: 22, type: "custom", codec: BOOL, name: "remcsumrx" },
  GBP: { id: 23, type: "flag" },
  REMCSUM_NOPARTIAL: { id: 24, type: "flag" },
  COLLECT_METADATA: { id: 25, type: "custom", codec: BOOL, name: "external" },
  LABEL: { id: 26, type: "be32", name: "flowlabel" },
  GPE: { id: 27, type: "flag" },
  TTL_INHERIT: { id: 28, type: "custom", codec: TTL_INHERIT },
  DF: { id: 29, type: "u8", enum: VXLAN_DF },
  VNIFILTER: { id: 30, type: "custom", codec: BOOL },
});

/** The VXLAN settings `ip link add/set … type vxlan` takes. */
export interface VxlanSettings {
  /** The VXLAN network identifier, 0 to 2^24-1 (`id`). */
  id?: number;
  /** A multicast group to join (needs `dev`) (`group`). */
  group?: string;
  /** The unicast remote end (`remote`). */
  remote?: string;
  /** The source address (`local`). */
  local?: string;
  /** The device for the tunnel's endpoint traffic (`dev`). */
  dev?: Dev;
  /** TTL (1-255), `"auto"` (0) or `"inherit"` (`ttl`). */
  ttl?: number | "auto" | "inherit";
  /** TOS (0-255) or `"inherit"` (`tos`). */
  tos?: number | "inherit";
  /** Don't-fragment bit of the outer header (`df`). */
  df?: "unset" | "set" | "inherit";
  /** Flow label of the outer IPv6 header (`flowlabel`). */
  flowlabel?: number;
  /** FDB entry lifetime in seconds, 0 for none (`ageing`). */
  ageing?: number;
  /** Largest number of FDB entries, 0 for unlimited (`maxaddress`). */
  maxaddress?: number;
  /** UDP source port range (`srcport LOW HIGH`). */
  srcport?: { low: number; high: number };
  /** UDP destination port (`dstport`; 4789 is IANA's, the kernel defaults to 8472). */
  dstport?: number;
  /** Learn remote addresses into the FDB (`learning` / `nolearning`; on by default at creation). */
  learning?: boolean;
  /** ARP/ND proxy (`proxy`). */
  proxy?: boolean;
  /** Route short-circuit (`rsc`). */
  rsc?: boolean;
  /** Notify on link-layer misses (`l2miss`). */
  l2miss?: boolean;
  /** Notify on IP misses (`l3miss`). */
  l3miss?: boolean;
  /** UDP checksums over IPv4 (`udpcsum`). */
  udpcsum?: boolean;
  /** Zero UDP checksums sent over IPv6 (`udp6zerocsumtx`). */
  udp6zerocsumtx?: boolean;
  /** Zero UDP checksums accepted over IPv6 (`udp6zerocsumrx`). */
  udp6zerocsumrx?: boolean;
  /** Remote checksum offload on transmit (`remcsumtx`). */
  remcsumtx?: boolean;
  /** Remote checksum offload on receive (`remcsumrx`). */
  remcsumrx?: boolean;
  /** Metadata-based (collect_md) device, for tc/bpf/OVS (`external`). */
  external?: boolean;
  /** Group Based Policy extension (`gbp`). */
  gbp?: boolean;
  /** Generic Protocol Extension (`gpe`; dstport then defaults to 4790). */
  gpe?: boolean;
  /** Per-VNI filtering (with `external`) (`vnifilter`). */
  vnifilter?: boolean;
}

/**
 * A VXLAN device.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "vxlan", name: "vx0", id: 42, remote: "192.0.2.2", dstport: 4789 });
 * ```
 */
export interface VxlanOptions extends LinkCommonOptions, VxlanSettings {
  /** The kind. */
  kind: "vxlan";
}

/** A VXLAN device's decoded data (`link.linkinfo.data` of kind `"vxlan"`). */
export interface VxlanData {
  /** VNI. */
  id?: number;
  /** IPv4 group or remote. */
  group?: string;
  /** IPv6 group or remote. */
  group6?: string;
  /** Endpoint device ifindex. */
  dev?: number;
  /** IPv4 source address. */
  local?: string;
  /** IPv6 source address. */
  local6?: string;
  /** TTL (0: auto). */
  ttl?: number;
  /** TTL inherited from the inner packet. */
  ttlInherit?: boolean;
  /** TOS (1: inherit). */
  tos?: number;
  /** Don't-fragment policy. */
  df?: string | number;
  /** IPv6 flow label. */
  flowlabel?: number;
  /** Whether it learns. */
  learning?: boolean;
  /** FDB ageing in seconds. */
  ageing?: number;
  /** FDB size limit (0: unlimited). */
  maxaddress?: number;
  /** Source port range. */
  srcport?: { low: number; high: number };
  /** Destination port. */
  dstport?: number;
  /** ARP/ND proxy. */
  proxy?: boolean;
  /** Route short-circuit. */
  rsc?: boolean;
  /** L2 miss notifications. */
  l2miss?: boolean;
  /** L3 miss notifications. */
  l3miss?: boolean;
  /** IPv4 UDP checksums. */
  udpcsum?: boolean;
  /** Zero IPv6 UDP checksums on transmit. */
  udp6zerocsumtx?: boolean;
  /** Zero IPv6 UDP checksums accepted. */
  udp6zerocsumrx?: boolean;
  /** Remote checksum offload, transmit. */
  remcsumtx?: boolean;
  /** Remote checksum offload, receive. */
  remcsumrx?: boolean;
  /** GBP extension. */
  gbp?: boolean;
  /** Remote checksum offload without partial checksums. */
  remcsumNopartial?: boolean;
  /** Metadata-based. */
  external?: boolean;
  /** GPE extension. */
  gpe?: boolean;
  /** Per-VNI filtering. */
  vnifilter?: boolean;
}

const LOOP_BOOLS = [
  "proxy",
  "rsc",
  "l2miss",
  "l3miss",
  "udpcsum",
  "udp6zerocsumtx",
  "udp6zerocsumrx",
  "remcsumtx",
  "remcsumrx",
] as const;

/**
 * IFLA_VXLAN_* in iproute2's order: the options it adds while parsing (in
 * the argument order `dev ttl tos df flowlabel ageing maxaddress srcport proxy
 * rsc l2miss l3miss udpcsum udp6zerocsumtx udp6zerocsumrx remcsumtx remcsumrx
 * external gbp gpe vnifilter`), then id, local, group/remote, learning (always
 * at creation) and dstport (when not 0).
 */
function encode(o: KindOptions, ctx: KindContext): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (o.group !== undefined && o.remote !== undefined) {
    throw new ValidationError("remote", o.remote, "group and remote exclude each other");
  }
  const id = intIn(o.id, 0, 0xffffff, "id");
  const external = o.external === true;
  if (external && id !== undefined) throw new ValidationError("id", id, "an external vxlan has no id");
  if (o.vnifilter === true && !external) throw new ValidationError("vnifilter", true, "vnifilter needs external");
  if (!ctx.change && !external && id === undefined) {
    throw new ValidationError("id", undefined, "a vxlan needs an id (VNI), or external");
  }
  const peer = o.group ?? o.remote;
  const peerPath = o.group !== undefined ? "group" : "remote";
  const peerVersion = peer === undefined ? undefined : ipVersion(peer, peerPath);
  if (peer !== undefined && (o.group !== undefined) !== isMulticast(peer as string)) {
    throw new ValidationError(peerPath, peer, o.group !== undefined ? "a group is multicast" : "a remote is unicast");
  }
  if (o.group !== undefined && o.dev === undefined) throw new ValidationError("dev", undefined, "a group needs dev");
  const localVersion = o.local === undefined ? undefined : ipVersion(o.local, "local", peerVersion);

  if (o.dev !== undefined) out.dev = ctx.dev("dev", o.dev as Dev);
  if (o.ttl === "inherit") out.ttlInherit = true;
  else if (o.ttl === "auto") out.ttl = 0;
  else put(out, "ttl", intIn(o.ttl, 0, 255, "ttl"));
  put(out, "tos", o.tos === "inherit" ? 1 : o.tos);
  put(out, "df", oneOf(o.df, ["unset", "set", "inherit"], "df"));
  put(out, "flowlabel", intIn(o.flowlabel, 0, 0xfffff, "flowlabel"));
  put(out, "ageing", o.ageing);
  put(out, "maxaddress", o.maxaddress);
  const range = o.srcport as { low?: number; high?: number } | undefined;
  if (range !== undefined && (range.low || range.high)) out.srcport = { low: range.low, high: range.high };
  for (const name of LOOP_BOOLS) put(out, name, o[name] === undefined ? undefined : onOff(o[name], name) === 1);
  if (o.external !== undefined) out.external = onOff(o.external, "external") === 1;
  if (o.gbp === true) out.gbp = true;
  if (o.gpe === true) out.gpe = true;
  if (o.vnifilter !== undefined) out.vnifilter = onOff(o.vnifilter, "vnifilter") === 1;
  put(out, "id", id);
  if (o.local !== undefined) out[localVersion === 6 ? "local6" : "local"] = o.local;
  if (peer !== undefined) out[peerVersion === 6 ? "group6" : "group"] = peer;
  if (o.learning !== undefined) out.learning = onOff(o.learning, "learning") === 1;
  else if (!ctx.change) out.learning = !external;
  const dstport = intIn(o.dstport, 0, 65535, "dstport") ?? (o.gpe === true ? 4790 : 0);
  if (dstport) out.dstport = dstport;
  return Object.keys(out).length ? out : undefined;
}

/** vxlan's codec. */
export const VXLAN: KindCodec = { schema: VXLAN_ATTRS, encode, changeable: true, devOptions: ["dev"] };
