/**
 * vlan (802.1Q / 802.1ad): IFLA_VLAN_* as data, the typed options of
 * `ip link add link DEV NAME type vlan id N …`, and the decoded data.
 *
 * @module
 */
import { cFlags, type FlagTable } from "../../core/enums.ts";
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import { ETH_P, intIn, type KindCodec, type KindOptions, listOf, onOff, put } from "./common.ts";

/** VLAN device flags (VLAN_FLAG_*): `reorder_hdr`, `gvrp`, `loose_binding`, `mvrp`, `bridge_binding`. */
export const VLAN_FLAG: FlagTable = cFlags("linux/if_vlan.h", "VLAN_FLAG_", {
  REORDER_HDR: 0x1,
  GVRP: 0x2,
  LOOSE_BINDING: 0x4,
  MVRP: 0x8,
  BRIDGE_BINDING: 0x10,
});

/** struct ifla_vlan_flags: the flags, and which of them the request sets. */
const VLAN_FLAGS = cStruct("linux/if_link.h", "struct ifla_vlan_flags", [
  { c: "flags", type: "u32", flags: VLAN_FLAG },
  { c: "mask", type: "u32" },
]);

/** struct ifla_vlan_qos_mapping: one priority mapping. */
const VLAN_QOS_MAPPING = cStruct("linux/if_link.h", "struct ifla_vlan_qos_mapping", [
  { c: "from", type: "u32" },
  { c: "to", type: "u32" },
]);

const QOS = listOf("IFLA_VLAN_QOS_", "linux/if_link.h", "MAPPING", { id: 1, type: "struct", struct: VLAN_QOS_MAPPING });

/** IFLA_VLAN_*: a VLAN device's data. */
export const VLAN_ATTRS: AttrSchema = attrSchema("IFLA_VLAN_", "linux/if_link.h", {
  ID: { id: 1, type: "u16" },
  FLAGS: { id: 2, type: "struct", struct: VLAN_FLAGS },
  EGRESS_QOS: { id: 3, type: "custom", codec: QOS },
  INGRESS_QOS: { id: 4, type: "custom", codec: QOS },
  PROTOCOL: { id: 5, type: "be16", enum: ETH_P },
});

/** One QoS mapping: `from:to` of `ip link … egress-qos-map` / `ingress-qos-map`. */
export interface VlanQosMapping {
  /** Egress: the skb priority; ingress: the VLAN header's PCP (0-7). */
  from: number;
  /** Egress: the PCP (0-7); ingress: the skb priority. */
  to: number;
}

/** The VLAN settings `ip link add/set … type vlan` takes. */
export interface VlanSettings {
  /** The VLAN id, 0-4094 (`id`; the kernel refuses others). */
  id?: number;
  /** The tag protocol: `"802.1Q"` (default) or `"802.1ad"` (QinQ's outer tag) (`protocol`). */
  protocol?: "802.1Q" | "802.1ad";
  /** Reorder the Ethernet header (`reorder_hdr on|off`). */
  reorderHdr?: boolean;
  /** Register with GVRP (`gvrp on|off`). */
  gvrp?: boolean;
  /** Register with MVRP (`mvrp on|off`). */
  mvrp?: boolean;
  /** Do not follow the parent's operational state (`loose_binding on|off`). */
  looseBinding?: boolean;
  /** Follow the state of the bridge VLAN on the parent bridge (`bridge_binding on|off`). */
  bridgeBinding?: boolean;
  /** Ingress PCP → priority mappings (`ingress-qos-map FROM:TO …`). */
  ingressQos?: VlanQosMapping[];
  /** Egress priority → PCP mappings (`egress-qos-map FROM:TO …`). */
  egressQos?: VlanQosMapping[];
}

/**
 * A VLAN device on `link`.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "vlan", name: "p0.100", link: "p0", id: 100, protocol: "802.1ad" });
 * ```
 */
export interface VlanOptions extends LinkCommonOptions, VlanSettings {
  /** The kind. */
  kind: "vlan";
  /** The parent device. */
  link: Dev;
  /** The VLAN id, 0-4095. */
  id: number;
}

/** A VLAN device's decoded data (`link.linkinfo.data` of kind `"vlan"`). */
export interface VlanData {
  /** The VLAN id. */
  id?: number;
  /** Flags in effect, and the mask (all ones in dumps). */
  flags?: { flags: string[]; mask: number };
  /** Egress priority → PCP mappings. */
  egressQos?: VlanQosMapping[];
  /** Ingress PCP → priority mappings. */
  ingressQos?: VlanQosMapping[];
  /** `"802.1Q"`, `"802.1ad"`, or the number. */
  protocol?: string | number;
}

const FLAG_OPTIONS = [
  ["reorderHdr", "REORDER_HDR"],
  ["gvrp", "GVRP"],
  ["mvrp", "MVRP"],
  ["looseBinding", "LOOSE_BINDING"],
  ["bridgeBinding", "BRIDGE_BINDING"],
] as const;

function qosList(value: unknown, path: string): VlanQosMapping[] | undefined {
  if (value === undefined) return undefined;
  const why = "expected a list of { from, to } mappings";
  if (!Array.isArray(value)) throw new ValidationError(path, value, why);
  return value.map((m: VlanQosMapping, i) => {
    if (m === null || typeof m !== "object") throw new ValidationError(`${path}[${i}]`, m, why);
    return { from: m.from, to: m.to };
  });
}

/**
 * IFLA_VLAN_* in iproute2's order for `type vlan protocol P id N ingress-qos-map …
 * egress-qos-map … [flags]`: arguments in order, the flags struct last.
 */
function encode(o: KindOptions): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  // Any EtherType is sent (ip link's words give any): one other than 802.1Q or 802.1ad is the kernel's to refuse.
  if (o.protocol !== undefined) out.protocol = ETH_P.value(o.protocol as string | number, "protocol");
  // IFLA_VLAN_ID is a u16; ids from 4095 up are the kernel's to refuse ("8021q: Invalid VLAN id"), as
  // iproute2 leaves them.
  put(out, "id", intIn(o.id, 0, 0xffff, "id"));
  put(out, "ingressQos", qosList(o.ingressQos, "ingressQos"));
  put(out, "egressQos", qosList(o.egressQos, "egressQos"));
  let flags = 0, mask = 0;
  for (const [option, flag] of FLAG_OPTIONS) {
    const on = onOff(o[option], option);
    if (on === undefined) continue;
    mask |= VLAN_FLAG.bit(flag.toLowerCase());
    if (on) flags |= VLAN_FLAG.bit(flag.toLowerCase());
  }
  if (mask) out.flags = { flags, mask };
  return Object.keys(out).length ? out : undefined;
}

/** vlan's codec. */
export const VLAN: KindCodec = { schema: VLAN_ATTRS, encode, changeable: true };
