/**
 * The plug qdisc: buffers packets until told to release them (for output
 * commit of checkpointed virtual machines). Each request carries one control:
 * insert a plug (`block`), release up to the oldest plug (`release`), stop
 * buffering (`release_indefinite`), or resize the queue (`limit`). The kernel
 * reports no options for it.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { oneOf, optSize, type Size } from "../common.ts";
import type { TcKindCodec } from "../kind.ts";

/** TCQ_PLUG_*: plug's controls. */
const PLUG_ACTION: EnumTable = cEnum("linux/pkt_sched.h", "TCQ_PLUG_", {
  BUFFER: 0,
  RELEASE_ONE: 1,
  RELEASE_INDEFINITE: 2,
  LIMIT: 3,
});

/** struct tc_plug_qopt: the control and, for TCQ_PLUG_LIMIT, the new limit in bytes. */
const TC_PLUG_QOPT: StructDef = cStruct("linux/pkt_sched.h", "struct tc_plug_qopt", [
  { c: "action", type: "s32", enum: PLUG_ACTION },
  { c: "limit", type: "u32" },
]);

/** tc(8)'s words for the controls. */
const ACTIONS: Readonly<Record<string, number>> = { block: 0, release: 1, release_indefinite: 2 };

/**
 * The plug qdisc (`tc qdisc add … plug`, then `tc qdisc change … plug release`).
 * Give at most one of `action` and `limit` per request.
 */
export interface PlugOptions {
  /** The kind. */
  kind: "plug";
  /**
   * `block`: insert a plug and buffer what follows; `release`: send what was
   * buffered before the oldest plug; `release_indefinite`: send everything and
   * stop buffering.
   */
  action?: "block" | "release" | "release_indefinite";
  /** Resize the queue: bytes it may buffer (`limit`; default on creation: txqueuelen × MTU). */
  limit?: Size;
}

/** plug's options as a request carries them (the kernel reports none). */
export interface PlugData {
  /** The control: `buffer`, `release_one`, `release_indefinite` or `limit`. */
  action: string | number;
  /** The new limit in bytes (for `limit`). */
  limit: number;
}

/** plug's codec: tc sends the struct only with a control. */
export const PLUG: TcKindCodec = {
  options: TC_PLUG_QOPT,
  keys: ["action", "limit"],
  encode(o) {
    const action = oneOf(o.action, Object.keys(ACTIONS), "action");
    const limit = optSize(o.limit, "limit");
    if (action !== undefined && limit !== undefined) {
      throw new ValidationError("limit", o.limit, "plug takes one control per request: give action or limit");
    }
    if (action !== undefined) return { action: ACTIONS[action], limit: 0 };
    if (limit !== undefined) return { action: PLUG_ACTION.value("limit"), limit };
    return undefined;
  },
};
