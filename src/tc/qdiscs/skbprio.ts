/**
 * The skbprio qdisc: packets queue by their priority (skb->priority, 0..63)
 * and, when full, the lowest-priority packet is dropped.
 *
 * @module
 */
import { cStruct, type StructDef } from "../../core/struct.ts";
import { intIn } from "../common.ts";
import type { TcKindCodec } from "../kind.ts";

/** struct tc_skbprio_qopt: the queue limit in packets. */
const TC_SKBPRIO_QOPT: StructDef = cStruct("linux/pkt_sched.h", "struct tc_skbprio_qopt", [
  { c: "limit", type: "u32" },
]);

/** The skbprio qdisc (`tc qdisc add … skbprio limit 100`). */
export interface SkbprioOptions {
  /** The kind. */
  kind: "skbprio";
  /** Packets it holds (`limit`; default 64). */
  limit?: number;
}

/** skbprio's decoded options. */
export interface SkbprioData {
  /** Packets it holds. */
  limit: number;
}

/** skbprio's codec: tc sends its options only when a limit is given. */
export const SKBPRIO: TcKindCodec = {
  options: TC_SKBPRIO_QOPT,
  keys: ["limit"],
  encode(o) {
    const limit = intIn(o.limit, 0, 0xffffffff, "limit");
    return limit === undefined ? undefined : { limit };
  },
};
