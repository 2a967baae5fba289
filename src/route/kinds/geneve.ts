/**
 * geneve: IFLA_GENEVE_* as data, the typed options of `ip link add NAME type
 * geneve id VNI remote ADDR …`, and the decoded data.
 *
 * @module
 */
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { StructDef } from "../../core/struct.ts";
import type { LinkCommonOptions } from "../link_types.ts";
import {
  BOOL,
  intIn,
  ipVersion,
  type KindCodec,
  type KindContext,
  type KindOptions,
  oneOf,
  onOff,
  put,
} from "./common.ts";

/** Don't-fragment policy (GENEVE_DF_*): `unset`, `set`, `inherit`. */
export const GENEVE_DF: EnumTable = cEnum("linux/if_link.h", "GENEVE_DF_", { UNSET: 0, SET: 1, INHERIT: 2 });

/** struct ifla_geneve_port_range (Linux 6.10+, not in the audited headers). */
const GENEVE_PORT_RANGE = new StructDef("struct ifla_geneve_port_range", [
  { c: "low", type: "be16" },
  { c: "high", type: "be16" },
]);

/** IFLA_GENEVE_*: a Geneve device's data, named with iproute2's words. */
export const GENEVE_ATTRS: AttrSchema = attrSchema("IFLA_GENEVE_", "linux/if_link.h", {
  ID: { id: 1, type: "u32" },
  REMOTE: { id: 2, type: "ipv4" },
  TTL: { id: 3, type: "u8" },
  TOS: { id: 4, type: "u8" },
  PORT: { id: 5, type: "be16", name: "dstport" },
  COLLECT_METADATA: { id: 6, type: "flag", name: "external" },
  REMOTE6: { id: 7, type: "ipv6" },
  UDP_CSUM: { id: 8, type: "custom", codec: BOOL, name: "udpcsum" },
  UDP_ZERO_CSUM6_TX: { id: 9, type: "custom", codec: BOOL, name: "udp6zerocsumtx" },
  UDP_ZERO_CSUM6_RX: { id: 10, type: "custom", codec: BOOL, name: "udp6zerocsumrx" },
  LABEL: { id: 11, type: "be32", name: "flowlabel" },
  TTL_INHERIT: { id: 12, type: "custom", codec: BOOL },
  DF: { id: 13, type: "u8", enum: GENEVE_DF },
  INNER_PROTO_INHERIT: { id: 14, type: "flag", name: "innerprotoinherit" },
  // Newer than the audited headers; number from the kernel's rt-link spec.
  PORT_RANGE: { id: 15, type: "struct", struct: GENEVE_PORT_RANGE, name: "srcport", since: "6.10" },
});

/** The Geneve settings `ip link add/set … type geneve` takes. */
export interface GeneveSettings {
  /** The virtual network identifier, 0 to 2^24-1 (`id`). */
  id?: number;
  /** The remote end, IPv4 or IPv6 (`remote`). */
  remote?: string;
  /** TTL (1-255), `"auto"` (0) or `"inherit"` (`ttl`). */
  ttl?: number | "auto" | "inherit";
  /** TOS (0-255) or `"inherit"` (`tos`). */
  tos?: number | "inherit";
  /** Don't-fragment bit of the outer header (`df`). */
  df?: "unset" | "set" | "inherit";
  /** IPv6 flow label (`flowlabel`). */
  flowlabel?: number;
  /** UDP destination port (`dstport`; the kernel's default is 6081). */
  dstport?: number;
  /** Metadata-based device (`external`). */
  external?: boolean;
  /** UDP checksums over IPv4 (`udpcsum` / `noudpcsum`). */
  udpcsum?: boolean;
  /** Zero UDP checksums sent over IPv6 (`udp6zerocsumtx`). */
  udp6zerocsumtx?: boolean;
  /** Zero UDP checksums accepted over IPv6 (`udp6zerocsumrx`). */
  udp6zerocsumrx?: boolean;
  /** Carry any inner protocol, not only Ethernet (`innerprotoinherit`). */
  innerprotoinherit?: boolean;
}

/**
 * A Geneve device.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "geneve", name: "gn0", id: 7, remote: "192.0.2.2" });
 * ```
 */
export interface GeneveOptions extends LinkCommonOptions, GeneveSettings {
  /** The kind. */
  kind: "geneve";
}

/** A Geneve device's decoded data (`link.linkinfo.data` of kind `"geneve"`). */
export interface GeneveData {
  /** VNI. */
  id?: number;
  /** IPv4 remote. */
  remote?: string;
  /** IPv6 remote. */
  remote6?: string;
  /** TTL (0: auto). */
  ttl?: number;
  /** TTL inherited. */
  ttlInherit?: boolean;
  /** TOS (1: inherit). */
  tos?: number;
  /** Don't-fragment policy. */
  df?: string | number;
  /** IPv6 flow label. */
  flowlabel?: number;
  /** Destination port. */
  dstport?: number;
  /** Metadata-based. */
  external?: boolean;
  /** IPv4 UDP checksums. */
  udpcsum?: boolean;
  /** Zero IPv6 UDP checksums on transmit. */
  udp6zerocsumtx?: boolean;
  /** Zero IPv6 UDP checksums accepted. */
  udp6zerocsumrx?: boolean;
  /** Inner protocol inherited. */
  innerprotoinherit?: boolean;
  /** Source port range (Linux 6.10+). */
  srcport?: { low: number; high: number };
}

/**
 * IFLA_GENEVE_* in iproute2's order: ttl inherit and df as parsed, then id
 * (always), remote, and at creation label, ttl and tos (0 unless given), the
 * port, external, innerprotoinherit and the checksum settings.
 */
function encode(o: KindOptions, ctx: KindContext): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const external = o.external === true;
  const id = intIn(o.id, 0, 0xffffff, "id");
  if (external && id !== undefined) throw new ValidationError("id", id, "an external geneve has no id");
  if (!external && id === undefined) throw new ValidationError("id", undefined, "a geneve needs an id (VNI)");
  if (!external && !ctx.change && o.remote === undefined) {
    throw new ValidationError("remote", undefined, "a geneve needs a remote (or external)");
  }
  const version = o.remote === undefined ? undefined : ipVersion(o.remote, "remote");
  if (o.ttl === "inherit") out.ttlInherit = true;
  put(out, "df", oneOf(o.df, ["unset", "set", "inherit"], "df"));
  out.id = id ?? 0;
  if (o.remote !== undefined) out[version === 6 ? "remote6" : "remote"] = o.remote;
  const label = intIn(o.flowlabel, 0, 0xfffff, "flowlabel");
  if (!ctx.change || label !== undefined) out.flowlabel = label ?? 0;
  if (!ctx.change || o.ttl !== undefined) {
    out.ttl = o.ttl === "inherit" || o.ttl === "auto" || o.ttl === undefined ? 0 : intIn(o.ttl, 0, 255, "ttl");
  }
  if (!ctx.change || o.tos !== undefined) out.tos = o.tos === "inherit" ? 1 : intIn(o.tos ?? 0, 0, 255, "tos");
  const dstport = intIn(o.dstport, 0, 65535, "dstport");
  if (dstport) out.dstport = dstport;
  if (external) out.external = true;
  if (o.innerprotoinherit === true) out.innerprotoinherit = true;
  for (const name of ["udpcsum", "udp6zerocsumtx", "udp6zerocsumrx"]) {
    if (o[name] !== undefined) out[name] = onOff(o[name], name) === 1;
  }
  return out;
}

/** geneve's codec. */
export const GENEVE: KindCodec = { schema: GENEVE_ATTRS, encode, changeable: true };
