/**
 * gact: the generic action — a verdict (`action drop`, `action gact pass`,
 * `goto chain 3`, `jump 2`), optionally a second verdict taken at random or
 * every Nth packet (`random netrand drop 50`, `random determ pass 10`).
 *
 * Also the decoded shapes every action's parameters share (tc_gen, tcf_t).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn, oneOf } from "../common.ts";
import { VERDICT, type Verdict, verdictValue } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";

/** The tc_gen head of an action's parameters, as decoded. */
export interface TcGenData {
  /** The action's index. */
  index: number;
  /** Capabilities (unused by the kernel's software path). */
  capab: number;
  /** The verdict (`"pass"`, `"drop"`, `"goto chain 5"`, …; a number without a name). */
  action: string | number;
  /** References held (filters and the action table). */
  refcnt: number;
  /** Filters bound to it. */
  bindcnt: number;
}

/** struct tcf_t as decoded: when the action was installed, last used, expires and first used (jiffies). */
export interface TcfTData {
  /** Installed. */
  install: bigint;
  /** Last used. */
  lastuse: bigint;
  /** Expires. */
  expires: bigint;
  /** First used. */
  firstuse: bigint;
}

/** How gact's random verdict is taken (PGACT_*): `netrand` at random, `determ` every Nth packet. */
export const PGACT: EnumTable = cEnum("linux/tc_act/tc_gact.h", "PGACT_", { NONE: 0, NETRAND: 1, DETERM: 2 });

/** struct tc_gact. */
const TC_GACT = cStruct("linux/tc_act/tc_gact.h", "struct tc_gact", [...TC_GEN]);

/** struct tc_gact_p: the random verdict. */
const TC_GACT_P = cStruct("linux/tc_act/tc_gact.h", "struct tc_gact_p", [
  { c: "ptype", type: "u16", enum: PGACT },
  { c: "pval", type: "u16" },
  { c: "paction", type: "s32", enum: VERDICT },
]);

/** TCA_GACT_*. */
export const GACT_ATTRS: AttrSchema = attrSchema("TCA_GACT_", "linux/tc_act/tc_gact.h", {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "struct", struct: TC_GACT },
  PROB: { id: 3, type: "struct", struct: TC_GACT_P },
  PAD: { id: 4, type: "pad" },
});

/** A second verdict gact takes instead of `control`, at random or every Nth packet. */
export interface GactRandom {
  /** `netrand`: with probability value/10000; `determ`: every value-th packet. */
  type: "netrand" | "determ";
  /** The verdict then. */
  control: Verdict;
  /** 0..10000: the probability in 1/10000 (`netrand`) or the period in packets (`determ`). */
  value: number;
}

/**
 * The generic action (`action gact drop`, `action pass`, `action goto chain 3`).
 * With only `index`, binds the existing gact of that index.
 */
export interface GactOptions {
  /** The kind. */
  kind: "gact";
  /** The verdict (default `pass`). */
  control?: Verdict;
  /** A second verdict taken at random or every Nth packet (`random netrand drop 50`). */
  random?: GactRandom;
}

/** gact's decoded options. */
export interface GactData {
  /** Parameters: `action` is the verdict. */
  parms?: TcGenData;
  /** The random verdict: `ptype` `"netrand"`/`"determ"`, `pval`, `paction`. */
  prob?: { ptype: string | number; pval: number; paction: string | number };
  /** Timestamps. */
  tm?: TcfTData;
}

/** The gact codec. */
export const GACT: TcKindCodec = {
  options: GACT_ATTRS,
  keys: ["control", "random"],
  encode(o) {
    const out: Record<string, unknown> = { parms: tcGen(o, "pass") };
    if (o.random !== undefined) {
      const r = o.random as Partial<GactRandom>;
      if (r === null || typeof r !== "object") {
        throw new ValidationError("random", o.random, "expected { type, control, value }");
      }
      const type = oneOf(r.type, ["netrand", "determ"], "random.type");
      if (type === undefined) throw new ValidationError("random.type", r.type, "expected netrand or determ");
      if (r.control === undefined) throw new ValidationError("random.control", r.control, "a random verdict is needed");
      const value = intIn(r.value, 0, 10000, "random.value");
      if (value === undefined) throw new ValidationError("random.value", r.value, "expected 0..10000");
      out.prob = { ptype: PGACT.value(type), pval: value, paction: verdictValue(r.control, "random.control") };
    }
    return out;
  },
};
