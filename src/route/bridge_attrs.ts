/**
 * The bridge's own view of a link (RTM_*LINK with family AF_BRIDGE, as the
 * `bridge` tool sends and reads them) as data: there IFLA_AF_SPEC holds the
 * IFLA_BRIDGE_* attributes directly (VLANs, tunnel ids, flags, hardware mode)
 * and IFLA_PROTINFO holds the port's IFLA_BRPORT_* settings. Also the
 * enumerations the bridge VLAN, port and MDB modules share.
 *
 * @module
 */
import { cTable } from "../core/ctable.ts";
import { cEnum, cFlags, type EnumTable, type FlagTable } from "../core/enums.ts";
import { DecodeError, ValidationError } from "../core/errors.ts";
import { type AttrSchema, attrSchema, type AttrSpec, type CustomCodec } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { BRIDGE_PORT_ATTRS } from "./link_bridge.ts";
import { BR_STATE, BRIDGE_VLAN_INFO, MDB_RTR_TYPE } from "./tables.ts";
export { BR_STATE, BRIDGE_VLAN_INFO, type BridgePortState, MDB_RTR_TYPE, type MulticastRouterType } from "./tables.ts";

/** IFLA_BRIDGE_FLAGS: whom a request is for, the bridge (master) or the device itself (self). */
export const BRIDGE_FLAGS: FlagTable = cFlags("linux/if_bridge.h", "BRIDGE_FLAGS_", { MASTER: 1, SELF: 2 });

/** Hardware bridging modes (BRIDGE_MODE_*). */
export const BRIDGE_MODE: EnumTable = cEnum("linux/if_bridge.h", "BRIDGE_MODE_", {
  VEB: 0,
  VEPA: 1,
  UNDEF: 0xffff,
});

/** Ethernet protocol numbers the bridge uses for multicast groups. */
export const ETH_P_GROUP: { readonly IP: number; readonly IPV6: number } = cTable("linux/if_ether.h", "ETH_P_", {
  IP: 0x0800,
  IPV6: 0x86dd,
});

/** struct bridge_vlan_info: one VLAN (or one end of a range) and its flags. */
export const BRIDGE_VLAN_INFO_STRUCT: StructDef = cStruct("linux/if_bridge.h", "struct bridge_vlan_info", [
  { c: "flags", type: "u16", flags: BRIDGE_VLAN_INFO },
  { c: "vid", type: "u16" },
]);

/**
 * An on/off setting the kernel carries as a u8 (0 or 1), as a boolean both
 * ways: results read `learning: false`, requests take `learning: false`.
 */
export const BOOL_U8: CustomCodec = {
  decode(b, _v, off, len) {
    if (len < 1) throw new DecodeError("an on/off setting needs 1 byte, got 0", off);
    return b[off] !== 0;
  },
  encode(w, x, path) {
    if (typeof x !== "boolean") throw new ValidationError(path, x, "expected true or false");
    w.u8(x ? 1 : 0);
  },
};

const bool: Pick<AttrSpec, "type" | "codec"> = { type: "custom", codec: BOOL_U8 };

/**
 * How the shared IFLA_BRPORT_* declarations (link_bridge.ts, whose ids are
 * audited there) read in this module's results: on/off bytes as booleans,
 * states and router modes by name, and iproute2's words where they differ
 * from the C names (MODE is `hairpin`, PROTECT is `root_block`).
 */
const PORT_OVERRIDES: Record<string, Partial<AttrSpec>> = {
  STATE: { type: "u8", enum: BR_STATE },
  MODE: { ...bool, name: "hairpin" },
  GUARD: bool,
  PROTECT: { ...bool, name: "rootBlock" },
  FAST_LEAVE: bool,
  LEARNING: bool,
  UNICAST_FLOOD: bool,
  PROXYARP: bool,
  LEARNING_SYNC: bool,
  PROXYARP_WIFI: bool,
  TOPOLOGY_CHANGE_ACK: bool,
  CONFIG_PENDING: bool,
  MULTICAST_ROUTER: { type: "u8", enum: MDB_RTR_TYPE, name: "mcastRouter" },
  MCAST_FLOOD: bool,
  MCAST_TO_UCAST: { ...bool, name: "mcastToUnicast" },
  VLAN_TUNNEL: bool,
  BCAST_FLOOD: bool,
  NEIGH_SUPPRESS: bool,
  ISOLATED: bool,
  MRP_RING_OPEN: bool,
  MRP_IN_OPEN: bool,
  LOCKED: bool,
  MAB: bool,
  NEIGH_VLAN_SUPPRESS: bool,
};

/** IFLA_BRPORT_* as the bridge modules read and write them: on/off settings as booleans, states and router modes by name. */
export const BRIDGE_PORT_INFO_ATTRS: AttrSchema = attrSchema(
  "IFLA_BRPORT_",
  "linux/if_link.h",
  Object.fromEntries(BRIDGE_PORT_ATTRS.fields.map((f) => {
    const o = PORT_OVERRIDES[f.key];
    // An override replaces the value type: drop the shared declaration's enum/flags/codec.
    return [f.key, o ? { id: f.id, since: f.spec.since, ...o, type: o.type ?? f.spec.type } : f.spec];
  })),
  { audit: false }, // the ids are BRIDGE_PORT_ATTRS's, audited where it is declared
);

/** IFLA_BRIDGE_VLAN_TUNNEL_*: a VLAN's tunnel id (VXLAN VNI), or one end of a range. */
export const VLAN_TUNNEL_ATTRS: AttrSchema = attrSchema("IFLA_BRIDGE_VLAN_TUNNEL_", "linux/if_bridge.h", {
  ID: { id: 1, type: "u32" },
  VID: { id: 2, type: "u16" },
  FLAGS: { id: 3, type: "u16", flags: BRIDGE_VLAN_INFO },
});

const MST_ENTRY_ATTRS = attrSchema("IFLA_BRIDGE_MST_ENTRY_", "linux/if_bridge.h", {
  MSTI: { id: 1, type: "u16" },
  STATE: { id: 2, type: "u8", enum: BR_STATE },
});

const MST_ATTRS = attrSchema("IFLA_BRIDGE_MST_", "linux/if_bridge.h", {
  ENTRY: { id: 1, type: "nested", schema: MST_ENTRY_ATTRS, multi: true },
});

/** IFLA_BRIDGE_*: what IFLA_AF_SPEC holds in an AF_BRIDGE link message. */
export const BRIDGE_AF_SPEC_ATTRS: AttrSchema = attrSchema("IFLA_BRIDGE_", "linux/if_bridge.h", {
  FLAGS: { id: 0, type: "u16", flags: BRIDGE_FLAGS },
  MODE: { id: 1, type: "u16", enum: BRIDGE_MODE },
  VLAN_INFO: { id: 2, type: "struct", struct: BRIDGE_VLAN_INFO_STRUCT, multi: true },
  VLAN_TUNNEL_INFO: { id: 3, type: "nested", schema: VLAN_TUNNEL_ATTRS, multi: true },
  // MRP and CFM state are kept raw: their many nests are for ring and CFM management tools.
  MRP: { id: 4, type: "binary" },
  CFM: { id: 5, type: "binary" },
  MST: { id: 6, type: "nested", schema: MST_ATTRS },
});

/**
 * Checks that `x` is an integer in [min, max] (for options the kernel would
 * refuse, so that bad input fails before anything is sent).
 *
 * @example
 * ```ts
 * import { checkInt } from "./bridge_attrs.ts";
 * checkInt(10, "vid", 1, 4094); // 10
 * ```
 */
export function checkInt(x: unknown, field: string, min: number, max: number): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) {
    throw new ValidationError(field, x, `expected an integer from ${min} to ${max}`);
  }
  return x;
}

/**
 * Checks a state or mode given as a number (0..`max`); a name passes through
 * (the attribute's enumeration checks it while encoding).
 *
 * @example
 * ```ts
 * import { checkNamed } from "./bridge_attrs.ts";
 * checkNamed("forwarding", "state", 4); // "forwarding"
 * ```
 */
export function checkNamed<T>(x: T, field: string, max: number): T {
  if (typeof x === "number") checkInt(x, field, 0, max);
  return x;
}

/**
 * A copy of `o` without its undefined properties: results carry only what the
 * kernel sent.
 *
 * @example
 * ```ts
 * import { compact } from "./bridge_attrs.ts";
 * compact({ vid: 10, vidEnd: undefined }); // { vid: 10 }
 * ```
 */
export function compact<T extends object>(o: T): T {
  const out = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
