/**
 * xfrm interfaces: IFLA_XFRM_* as data, the typed options of `ip link add NAME
 * type xfrm if_id N [dev DEV]`, and the decoded data.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import { intIn, type KindCodec, type KindContext, type KindOptions } from "./common.ts";

/** IFLA_XFRM_*: an xfrm interface's data. */
export const XFRM_ATTRS: AttrSchema = attrSchema("IFLA_XFRM_", "linux/if_link.h", {
  LINK: { id: 1, type: "u32", name: "dev" },
  IF_ID: { id: 2, type: "u32" },
  COLLECT_METADATA: { id: 3, type: "flag", name: "external" },
});

/**
 * An xfrm interface: IPsec states and policies with this if_id route through it.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "xfrm", name: "ipsec0", ifId: 7 });
 * ```
 */
export interface XfrmOptions extends LinkCommonOptions {
  /** The kind. */
  kind: "xfrm";
  /** The interface id (1..2^32-1), required unless external (`if_id`). */
  ifId?: number;
  /** The underlying device (`dev`). */
  dev?: Dev;
  /** Metadata-based (collect_md) interface, Linux 6.2+ (`external`). */
  external?: boolean;
}

/** An xfrm interface's decoded data. */
export interface XfrmData {
  /** Underlying device ifindex. */
  dev?: number;
  /** Interface id. */
  ifId?: number;
  /** Metadata-based. */
  external?: boolean;
}

/** IFLA_XFRM_* as iproute2 writes them: if_id, then the device; or only the external flag. */
function encode(o: KindOptions, ctx: KindContext): Record<string, unknown> | undefined {
  if (o.external === true) {
    if (o.ifId !== undefined || o.dev !== undefined) {
      throw new ValidationError("external", true, "an external xfrm interface has no ifId or dev");
    }
    return { external: true };
  }
  if (o.ifId === undefined) throw new ValidationError("ifId", undefined, "an xfrm interface needs an ifId");
  const out: Record<string, unknown> = { ifId: intIn(o.ifId, 1, 0xffffffff, "ifId") };
  if (o.dev !== undefined) out.dev = ctx.dev("dev", o.dev as Dev);
  return out;
}

/** xfrm's codec. */
export const XFRM: KindCodec = { schema: XFRM_ATTRS, encode, devOptions: ["dev"] };
