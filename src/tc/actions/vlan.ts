/**
 * vlan: pop, push or modify a VLAN tag, or pop/push an Ethernet header
 * (`vlan push id 100 protocol 802.1ad priority 5`, `vlan push_eth dst_mac …
 * src_mac …`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn, oneOf, put } from "../common.ts";
import { ETH_PROTOCOL, type Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { parseMac } from "../../util/addr.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";

/** What the vlan action does (TCA_VLAN_ACT_*). */
export const VLAN_ACT: EnumTable = cEnum("linux/tc_act/tc_vlan.h", "TCA_VLAN_ACT_", {
  POP: 1,
  PUSH: 2,
  MODIFY: 3,
  POP_ETH: 4,
  PUSH_ETH: 5,
});

/** struct tc_vlan. */
const TC_VLAN = cStruct("linux/tc_act/tc_vlan.h", "struct tc_vlan", [
  ...TC_GEN,
  { c: "v_action", type: "s32", enum: VLAN_ACT },
]);

/** TCA_VLAN_*. */
export const VLAN_ATTRS: AttrSchema = attrSchema("TCA_VLAN_", "linux/tc_act/tc_vlan.h", {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "struct", struct: TC_VLAN },
  PUSH_VLAN_ID: { id: 3, type: "u16" },
  PUSH_VLAN_PROTOCOL: { id: 4, type: "be16", enum: ETH_PROTOCOL },
  PAD: { id: 5, type: "pad" },
  PUSH_VLAN_PRIORITY: { id: 6, type: "u8" },
  PUSH_ETH_DST: { id: 7, type: "lladdr" },
  PUSH_ETH_SRC: { id: 8, type: "lladdr" },
});

/** Pop, push or modify a VLAN tag, or pop/push an Ethernet header (`vlan push id 100`). */
export interface VlanActionOptions {
  /** The kind. */
  kind: "vlan";
  /** `pop`, `push`, `modify` (the tag), `pop_eth` or `push_eth` (the Ethernet header). */
  action: "pop" | "push" | "modify" | "pop_eth" | "push_eth";
  /** The VLAN id, 0..4094 (`id`; push and modify, required there). */
  id?: number;
  /** The tag's protocol (`protocol`: `802.1Q`, the default, or `802.1ad`; push and modify). */
  protocol?: "802.1Q" | "802.1ad";
  /** The tag's priority, 0..7 (`priority`; push and modify). */
  priority?: number;
  /** The destination MAC of the pushed header (`dst_mac`; push_eth, required there). */
  dstMac?: string;
  /** The source MAC of the pushed header (`src_mac`; push_eth, required there). */
  srcMac?: string;
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** vlan's decoded options. */
export interface VlanActionData {
  /** Parameters: `vAction` is `"pop"`, `"push"`, `"modify"`, `"pop_eth"` or `"push_eth"`. */
  parms?: TcGenData & { vAction: string | number };
  /** The pushed VLAN id. */
  pushVlanId?: number;
  /** The pushed tag's protocol (`"802.1Q"`, `"802.1ad"`). */
  pushVlanProtocol?: string | number;
  /** The pushed tag's priority. */
  pushVlanPriority?: number;
  /** The pushed header's destination MAC. */
  pushEthDst?: string;
  /** The pushed header's source MAC. */
  pushEthSrc?: string;
  /** Timestamps. */
  tm?: TcfTData;
}

/**
 * A MAC address option, checked (6 bytes, `02:00:00:00:00:01`); undefined passes through.
 *
 * @example
 * ```ts
 * import { macOption } from "./vlan.ts";
 * macOption("02:00:00:00:00:01", "dstMac"); // "02:00:00:00:00:01"
 * ```
 */
export function macOption(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || parseMac(value)?.length !== 6) {
    throw new ValidationError(field, value, "expected a MAC address such as 02:00:00:00:00:01");
  }
  return value;
}

const ACTIONS = ["pop", "push", "modify", "pop_eth", "push_eth"] as const;

/** The vlan codec. */
export const VLAN: TcKindCodec = {
  options: VLAN_ATTRS,
  keys: ["action", "id", "protocol", "priority", "dstMac", "srcMac", "control"],
  encode(o) {
    const action = oneOf(o.action, ACTIONS, "action");
    if (action === undefined) throw new ValidationError("action", o.action, `expected one of ${ACTIONS.join(", ")}`);
    const tagged = action === "push" || action === "modify";
    for (const key of ["id", "protocol", "priority"]) {
      if (!tagged && o[key] !== undefined) throw new ValidationError(key, o[key], "only push and modify take it");
    }
    for (const key of ["dstMac", "srcMac"]) {
      if (action !== "push_eth" && o[key] !== undefined) {
        throw new ValidationError(key, o[key], "only push_eth takes it");
      }
      if (action === "push_eth" && o[key] === undefined) throw new ValidationError(key, o[key], "push_eth needs it");
    }
    if (tagged && o.id === undefined) throw new ValidationError("id", o.id, `${action} needs a VLAN id`);
    const out: Record<string, unknown> = { parms: { ...tcGen(o, "pipe"), vAction: VLAN_ACT.value(action) } };
    put(out, "pushVlanId", intIn(o.id, 0, 4094, "id"));
    put(out, "pushVlanProtocol", oneOf(o.protocol, ["802.1Q", "802.1ad"], "protocol"));
    put(out, "pushVlanPriority", intIn(o.priority, 0, 7, "priority"));
    put(out, "pushEthDst", macOption(o.dstMac, "dstMac"));
    put(out, "pushEthSrc", macOption(o.srcMac, "srcMac"));
    return out;
  },
};
