/**
 * The route filter: classifies by the routing realms of the route a packet
 * took (`tc filter add … route to 10 classid 1:10`), or the realm or device
 * it came from. The realms are set on routes (`ip route add … realm 10`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import type { Dev } from "../../route/link_types.ts";
import { type Action, type ActionOptions, ACTIONS, actionsValue } from "../action.ts";
import { intIn } from "../common.ts";
import type { Handle } from "../handle.ts";
import type { TcKindCodec } from "../kind.ts";
import { anyOption, CLASSID, classidOf, type FilterPoliceOptions, policeOf } from "./cls_common.ts";
import { POLICE_ATTRS, type PoliceData } from "../actions/police.ts";

/** TCA_ROUTE4_*: route filter options. */
export const ROUTE4_ATTRS: AttrSchema = attrSchema("TCA_ROUTE4_", "linux/pkt_cls.h", {
  CLASSID: { id: 1, type: "custom", codec: CLASSID },
  TO: { id: 2, type: "u32" },
  FROM: { id: 3, type: "u32" },
  IIF: { id: 4, type: "u32" },
  POLICE: { id: 5, type: "nested", schema: POLICE_ATTRS },
  ACT: { id: 6, type: "custom", codec: ACTIONS },
});

/**
 * A routing-realm filter (give `from` or `fromif`, not both). Its handle is
 * derived from the realms: give it as {@linkcode routeHandle} computes it.
 */
export interface RouteFilterOptions {
  /** The kind. */
  kind: "route";
  /** An old-style policer (`police …` among the filter's words), sent in TCA_*_POLICE. */
  police?: FilterPoliceOptions;
  /** The destination realm of the route (`to`, 0..255). */
  to?: number;
  /** The source realm (`from`, 0..255). */
  from?: number;
  /** The device the packet came in through (`fromif`). */
  fromif?: string | number;
  /** The class matching packets go to (`classid`/`flowid`). */
  classid?: Handle;
  /** Actions on matching packets (`action …`). */
  actions?: ActionOptions[];
}

/** route's decoded options. */
export interface RouteFilterData {
  /** The class (`"1:10"`). */
  classid?: string;
  /** The destination realm. */
  to?: number;
  /** The source realm. */
  from?: number;
  /** The input device's index. */
  iif?: number;
  /** The old-style policer (`police …`). */
  police?: PoliceData;
  /** Actions. */
  act?: Action[];
}

const ROUTE_KEYS = ["to", "from", "fromif", "police", "classid", "actions"];

/**
 * The handle tc(8) gives a route filter when the command has none: the
 * destination realm in the low byte (0x8000 when none), the source realm
 * (or 0x8000 | the input device's index) in the upper half (0xffff when
 * neither), and `order` in bits 8-14. The kernel refuses to create a route
 * filter with handle 0, and checks a given handle against the realms: pass
 * `handle: routeHandle(o)` when adding one.
 *
 * @example
 * ```ts
 * import { routeHandle } from "./route.ts";
 * routeHandle({ to: 10 }); // 0xffff000a
 * routeHandle({ to: 10, from: 5 }); // 0x0005000a
 * ```
 */
export function routeHandle(o: { to?: number; from?: number; fromif?: number; order?: number }): number {
  let fh = 0xffff8000;
  const to = intIn(o.to, 0, 0xff, "to");
  if (to !== undefined) fh = ((fh & ~0x80ff) | to) >>> 0;
  const from = intIn(o.from, 0, 0xff, "from");
  if (from !== undefined) fh = ((fh & 0xffff) | (from << 16)) >>> 0;
  const iif = intIn(o.fromif, 1, 0x7fff, "fromif");
  if (iif !== undefined) fh = ((fh & 0xffff) | ((0x8000 | iif) << 16)) >>> 0;
  const order = intIn(o.order, 0, 0xffffffff, "order");
  if (order) fh = ((fh & ~0x7f00) | ((order << 8) & 0x7f00)) >>> 0;
  return fh;
}

/** The route codec. */
export const ROUTE: TcKindCodec = {
  // The kernel refuses handle 0: the selectors (to, from, fromif) are the handle, as tc(8) builds it.
  defaultHandle: (o) => routeHandle(o as Parameters<typeof routeHandle>[0]),
  options: ROUTE4_ATTRS,
  keys: ROUTE_KEYS,
  encode(o, ctx) {
    if (!anyOption(o, ROUTE_KEYS)) return undefined;
    if (o.from !== undefined && o.fromif !== undefined) {
      throw new ValidationError("fromif", o.fromif, "give from or fromif, not both");
    }
    const out: Record<string, unknown> = {};
    const to = intIn(o.to, 0, 0xff, "to");
    if (to !== undefined) out.to = to;
    const from = intIn(o.from, 0, 0xff, "from");
    if (from !== undefined) out.from = from;
    if (o.fromif !== undefined) out.iif = ctx.dev("fromif", o.fromif as Dev);
    const police = policeOf(o, ctx);
    if (police !== undefined) out.police = police;
    const classid = classidOf(o);
    if (classid !== undefined) out.classid = classid;
    if (o.actions !== undefined) out.act = actionsValue(o.actions, ctx, "actions");
    return out;
  },
};
