/**
 * sample: send one packet in `rate` to a psample group, truncated
 * (`sample rate 100 group 5 trunc 128`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn, put } from "../common.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";

/** struct tc_sample. */
const TC_SAMPLE = cStruct("linux/tc_act/tc_sample.h", "struct tc_sample", [...TC_GEN]);

/** TCA_SAMPLE_*. */
export const SAMPLE_ATTRS: AttrSchema = attrSchema("TCA_SAMPLE_", "linux/tc_act/tc_sample.h", {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "struct", struct: TC_SAMPLE },
  RATE: { id: 3, type: "u32" },
  TRUNC_SIZE: { id: 4, type: "u32" },
  PSAMPLE_GROUP: { id: 5, type: "u32" },
  PAD: { id: 6, type: "pad" },
});

/** Sample packets to a psample group (`sample rate 100 group 5`). `rate` and `group` are needed unless `index` binds an existing one. */
export interface SampleOptions {
  /** The kind. */
  kind: "sample";
  /** One packet in this many is sampled (`rate`, 1 or more). */
  rate?: number;
  /** The psample group (`group`). */
  group?: number;
  /** Bytes of each sample kept (`trunc`). */
  trunc?: number;
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** sample's decoded options. */
export interface SampleData {
  /** Parameters. */
  parms?: TcGenData;
  /** One packet in this many. */
  rate?: number;
  /** Bytes kept. */
  truncSize?: number;
  /** The psample group. */
  psampleGroup?: number;
  /** Timestamps. */
  tm?: TcfTData;
}

/** The sample codec. */
export const SAMPLE: TcKindCodec = {
  options: SAMPLE_ATTRS,
  keys: ["rate", "group", "trunc", "control"],
  encode(o) {
    if (o.index === undefined) {
      if (o.rate === undefined) throw new ValidationError("rate", o.rate, "sample needs a rate");
      if (o.group === undefined) throw new ValidationError("group", o.group, "sample needs a group");
    }
    const out: Record<string, unknown> = { parms: tcGen(o, "pipe") };
    put(out, "rate", intIn(o.rate, 1, 0xffffffff, "rate"));
    put(out, "psampleGroup", intIn(o.group, 0, 0xffffffff, "group"));
    put(out, "truncSize", intIn(o.trunc, 0, 0xffffffff, "trunc"));
    return out;
  },
};
