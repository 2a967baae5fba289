/**
 * mirred: mirror or redirect packets to a device's egress or ingress
 * (`action mirred egress redirect dev p1`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import type { Dev } from "../../route/link_types.ts";
import { oneOf } from "../common.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";

/** Mirred's directions and modes (TCA_*_REDIR / TCA_*_MIRROR). */
export const MIRRED_EACTION: EnumTable = cEnum("linux/tc_act/tc_mirred.h", "TCA_", {
  EGRESS_REDIR: 1,
  EGRESS_MIRROR: 2,
  INGRESS_REDIR: 3,
  INGRESS_MIRROR: 4,
}, (k) => k.toLowerCase().replace("_redir", " redirect").replace("_mirror", " mirror"));

/** struct tc_mirred. */
const TC_MIRRED = cStruct("linux/tc_act/tc_mirred.h", "struct tc_mirred", [
  ...TC_GEN,
  { c: "eaction", type: "s32", enum: MIRRED_EACTION },
  { c: "ifindex", type: "u32" },
]);

/** TCA_MIRRED_*. */
export const MIRRED_ATTRS: AttrSchema = attrSchema("TCA_MIRRED_", "linux/tc_act/tc_mirred.h", {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "struct", struct: TC_MIRRED },
  PAD: { id: 3, type: "pad" },
});

/**
 * Mirror or redirect to a device (`mirred egress redirect dev p1`). With only
 * `index` (`mirred index 5`), binds the existing mirred of that index.
 */
export type MirredOptions = MirredTarget | MirredBind;

/** A mirred that mirrors or redirects to a device. */
export interface MirredTarget {
  /** The kind. */
  kind: "mirred";
  /** Which side of the target device gets the packet (`egress`, `ingress`). */
  direction: "egress" | "ingress";
  /** Redirect (the packet moves) or mirror (a copy goes). */
  action: "redirect" | "mirror";
  /** The target device (`dev`). */
  dev: Dev;
  /** The verdict afterwards (default: `stolen` for redirect, `pipe` for mirror). */
  control?: Verdict;
}

/** An existing mirred, bound by its index (`mirred index 5`). */
export interface MirredBind {
  /** The kind. */
  kind: "mirred";
  /** The existing action's index. */
  index: number;
}

/** Mirred's decoded options. */
export interface MirredData {
  /** Parameters: `eaction` is `"egress redirect"`, `"ingress mirror"`, …; `ifindex` the target. */
  parms?: TcGenData & { eaction: string | number; ifindex: number };
  /** Timestamps. */
  tm?: TcfTData;
}

/** The mirred codec. */
export const MIRRED: TcKindCodec = {
  options: MIRRED_ATTRS,
  keys: ["direction", "action", "dev", "control"],
  encode(o, ctx) {
    // tc's `mirred index N` alone: the parameters hold only the index.
    if (o.index !== undefined && o.direction === undefined && o.action === undefined && o.dev === undefined) {
      if (o.control !== undefined) throw new ValidationError("control", o.control, "binding by index takes no verdict");
      return { parms: tcGen(o, "pass") };
    }
    const direction = oneOf(o.direction, ["egress", "ingress"], "direction");
    const action = oneOf(o.action, ["redirect", "mirror"], "action");
    if (direction === undefined) throw new ValidationError("direction", o.direction, "expected egress or ingress");
    if (action === undefined) throw new ValidationError("action", o.action, "expected redirect or mirror");
    if (o.dev === undefined) throw new ValidationError("dev", o.dev, "mirred needs a device");
    const parms = {
      ...tcGen(o, action === "redirect" ? "stolen" : "pipe"),
      eaction: `${direction} ${action}`,
      ifindex: ctx.dev("dev", o.dev as Dev),
    };
    return { parms };
  },
};
