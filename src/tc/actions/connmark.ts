/**
 * connmark: restore the packet's mark from its conntrack entry's mark
 * (`connmark zone 5`).
 *
 * @module
 */
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn } from "../common.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";

/** struct tc_connmark. */
const TC_CONNMARK = cStruct("linux/tc_act/tc_connmark.h", "struct tc_connmark", [
  ...TC_GEN,
  { c: "zone", type: "u16" },
]);

/** TCA_CONNMARK_*. */
export const CONNMARK_ATTRS: AttrSchema = attrSchema("TCA_CONNMARK_", "linux/tc_act/tc_connmark.h", {
  PARMS: { id: 1, type: "struct", struct: TC_CONNMARK },
  TM: { id: 2, type: "struct", struct: TCF_T },
  PAD: { id: 3, type: "pad" },
});

/** Restore the mark from conntrack (`connmark zone 5`). */
export interface ConnmarkOptions {
  /** The kind. */
  kind: "connmark";
  /** The conntrack zone (`zone`, default 0). */
  zone?: number;
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** connmark's decoded options. */
export interface ConnmarkData {
  /** Parameters and the zone. */
  parms?: TcGenData & { zone: number };
  /** Timestamps. */
  tm?: TcfTData;
}

/** The connmark codec. */
export const CONNMARK: TcKindCodec = {
  options: CONNMARK_ATTRS,
  keys: ["zone", "control"],
  encode(o) {
    return { parms: { ...tcGen(o, "pipe"), zone: intIn(o.zone, 0, 0xffff, "zone") ?? 0 } };
  },
};
