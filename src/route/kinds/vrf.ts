/**
 * vrf: IFLA_VRF_* (the device's routing table) and IFLA_VRF_PORT_* (an
 * enslaved device's table), the typed options of `ip link add NAME type vrf
 * table N`, and the decoded data.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import type { LinkCommonOptions } from "../link_types.ts";
import { TABLE_NAMES } from "../route_attrs.ts";
import type { KindCodec, KindOptions } from "./common.ts";

/** IFLA_VRF_*: a VRF device's data. */
export const VRF_ATTRS: AttrSchema = attrSchema("IFLA_VRF_", "linux/if_link.h", {
  TABLE: { id: 1, type: "u32" },
});

/** IFLA_VRF_PORT_*: a VRF member's data (slave kind `"vrf"`). */
export const VRF_PORT_ATTRS: AttrSchema = attrSchema("IFLA_VRF_PORT_", "linux/if_link.h", {
  TABLE: { id: 1, type: "u32" },
});

/**
 * A VRF device bound to a routing table.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "vrf", name: "blue", table: 10 });
 * ```
 */
export interface VrfOptions extends LinkCommonOptions {
  /** The kind. */
  kind: "vrf";
  /** The routing table: an id or `"main"`, `"local"`, `"default"` (`table`). */
  table: number | "main" | "local" | "default";
}

/** A VRF's decoded data (`link.linkinfo.data` of kind `"vrf"`). */
export interface VrfData {
  /** The routing table id. */
  table?: number;
}

/** A VRF member's decoded data (`link.linkinfo.slaveData` of slave kind `"vrf"`). */
export interface VrfPortData {
  /** The VRF's table id. */
  table?: number;
}

function encode(o: KindOptions): Record<string, unknown> {
  if (o.table === undefined) throw new ValidationError("table", undefined, "a vrf needs a table");
  // Table 0 is the kernel's to refuse ("Invalid VRF table id"), as iproute2 leaves it.
  const table = TABLE_NAMES.value(o.table as string | number, "table");
  if (!(table >= 0 && table <= 0xffffffff)) {
    throw new ValidationError("table", o.table, "a table id is 0..4294967295 or main/local/default");
  }
  return { table };
}

/** vrf's codec. */
export const VRF: KindCodec = { schema: VRF_ATTRS, encode };
