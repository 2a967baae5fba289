/**
 * The AF_BRIDGE link message (bridge ports and VLANs): every link attribute,
 * with the bridge's own AF_SPEC and PROTINFO. Apart from bridge_attrs.ts,
 * whose constant tables the library's entry point exports, because it
 * carries the full link schema and with it every link kind's attributes.
 *
 * @module
 */
import { type MessageSchema, messageSchema } from "../core/message.ts";
import { type AttrSchema, attrSchema } from "../core/schema.ts";
import { BRIDGE_AF_SPEC_ATTRS, BRIDGE_PORT_INFO_ATTRS } from "./bridge_attrs.ts";
import { familyNumber } from "./constants.ts";
import { IFINFOMSG, LINK_ATTRS } from "./link_attrs.ts";
// The port messages carry kind data too: the kinds' layouts load with these readers (link_kind_registry.ts).
import "./link_kinds.ts";

/**
 * IFLA_* of an AF_BRIDGE link message: every link attribute, with AF_SPEC and
 * PROTINFO as the bridge fills them. iproute2 marks PROTINFO NLA_F_NESTED in
 * its requests, and AF_SPEC not.
 */
export const BRIDGE_LINK_ATTRS: AttrSchema = attrSchema("IFLA_", "linux/if_link.h", {
  ...Object.fromEntries(LINK_ATTRS.fields.map((f) => [f.key, f.spec])),
  PROTINFO: { id: 12, type: "nested", schema: BRIDGE_PORT_INFO_ATTRS, nestedFlag: true },
  AF_SPEC: { id: 26, type: "nested", schema: BRIDGE_AF_SPEC_ATTRS },
});

/** The AF_BRIDGE link message: ifinfomsg + {@linkcode BRIDGE_LINK_ATTRS}. */
export const BRIDGE_LINK_MESSAGE: MessageSchema = messageSchema(
  "bridge link",
  IFINFOMSG,
  BRIDGE_LINK_ATTRS,
  "family",
  familyNumber,
);
