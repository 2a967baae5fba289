/**
 * Kind-specific link data (IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA), one schema
 * per kind, selected by the kind name. A kind not listed here still decodes:
 * its data stays raw bytes.
 *
 * @module
 */
import type { Variants } from "../core/schema.ts";
import { attrSchema } from "../core/schema.ts";
import { IFINFOMSG } from "./link_header.ts";
import { LINK_ATTRS } from "./link_attrs.ts";
import { BRIDGE_ATTRS, BRIDGE_PORT_ATTRS } from "./link_bridge.ts";

/** veth: the peer is a whole link message (ifinfomsg + IFLA_*) nested in VETH_INFO_PEER. */
const VETH_ATTRS = attrSchema("VETH_INFO_", "linux/veth.h", {
  // A function: link_attrs.ts and this module refer to each other.
  PEER: { id: 1, type: "message", struct: IFINFOMSG, schema: () => LINK_ATTRS },
});

/** IFLA_INFO_DATA layouts by kind. */
export const linkKindSchemas: Variants = {
  veth: VETH_ATTRS,
  bridge: BRIDGE_ATTRS,
};

/** IFLA_INFO_SLAVE_DATA layouts by slave kind. */
export const linkSlaveKindSchemas: Variants = {
  bridge: BRIDGE_PORT_ATTRS,
};
