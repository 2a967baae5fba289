/**
 * bareudp: IFLA_BAREUDP_* as data, the typed options of `ip link add NAME
 * type bareudp dstport PORT ethertype PROTO …`, and the decoded data.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import type { LinkCommonOptions } from "../link_types.ts";
import { ETH_P, intIn, type KindCodec, type KindOptions } from "./common.ts";

/** IFLA_BAREUDP_*: a bare UDP tunnel's data. */
export const BAREUDP_ATTRS: AttrSchema = attrSchema("IFLA_BAREUDP_", "linux/if_link.h", {
  PORT: { id: 1, type: "be16", name: "dstport" },
  ETHERTYPE: { id: 2, type: "be16", enum: ETH_P },
  SRCPORT_MIN: { id: 3, type: "u16", name: "srcportmin" },
  MULTIPROTO_MODE: { id: 4, type: "flag", name: "multiproto" },
});

/**
 * A bare UDP tunnel (MPLS or IP over UDP without an encapsulation header).
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "bareudp", name: "bu0", dstport: 6635, ethertype: "mpls_uc" });
 * ```
 */
export interface BareudpOptions extends LinkCommonOptions {
  /** The kind. */
  kind: "bareudp";
  /** UDP destination port (`dstport`). */
  dstport: number;
  /** The tunnelled protocol: `"ip"`, `"ipv6"`, `"mpls_uc"`, `"mpls_mc"` or a number (`ethertype`). */
  ethertype: "ip" | "ipv6" | "mpls_uc" | "mpls_mc" | number;
  /** Lowest UDP source port (`srcportmin`). */
  srcportmin?: number;
  /** Also carry the protocol's sibling (IPv6 with ip, multicast MPLS with mpls_uc) (`multiproto`). */
  multiproto?: boolean;
}

/** A bare UDP tunnel's decoded data (`link.linkinfo.data` of kind `"bareudp"`). */
export interface BareudpData {
  /** Destination port. */
  dstport?: number;
  /** Tunnelled protocol name (or number). */
  ethertype?: string | number;
  /** Lowest source port. */
  srcportmin?: number;
  /** Multiprotocol mode. */
  multiproto?: boolean;
}

/** IFLA_BAREUDP_* in iproute2's order: port and ethertype (both required), then the rest. */
function encode(o: KindOptions): Record<string, unknown> {
  if (o.dstport === undefined) throw new ValidationError("dstport", undefined, "a bareudp needs a dstport");
  if (o.ethertype === undefined) throw new ValidationError("ethertype", undefined, "a bareudp needs an ethertype");
  const out: Record<string, unknown> = {
    dstport: intIn(o.dstport, 0, 65535, "dstport"),
    ethertype: ETH_P.value(o.ethertype as string | number, "ethertype"),
  };
  if (o.srcportmin !== undefined) out.srcportmin = o.srcportmin;
  if (o.multiproto === true) out.multiproto = true;
  return out;
}

/** bareudp's codec. */
export const BAREUDP: KindCodec = { schema: BAREUDP_ATTRS, encode };
