/**
 * simple: a demonstration action that logs its string for every packet
 * (`simple sdata "Incoming ICMP"`).
 *
 * @module
 */
import { DecodeError, ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";

/** SIMP_MAX_DATA (the kernel's and iproute2's, in no uapi header): the string's room, NUL included. */
const SIMP_MAX_DATA = 32;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * TCA_DEF_DATA: a NUL-terminated string. tc(8) sends the whole 32-byte room,
 * so nlink does too (zero-filled); the kernel dumps the string alone.
 */
const SDATA: CustomCodec = {
  decode(b, _v, off, len) {
    if (len < 1) throw new DecodeError("TCA_DEF_DATA without its string", off);
    const end = b.subarray(off, off + len).indexOf(0);
    return decoder.decode(b.subarray(off, end < 0 ? off + len : off + end));
  },
  encode(w, x, path) {
    const bytes = typeof x === "string" ? encoder.encode(x) : undefined;
    if (bytes === undefined || bytes.length >= SIMP_MAX_DATA || bytes.includes(0)) {
      throw new ValidationError(path, x, `expected a string of at most ${SIMP_MAX_DATA - 1} bytes`);
    }
    const at = w.zeros(SIMP_MAX_DATA);
    w.buffer.set(bytes, at);
  },
};

/** struct tc_defact. */
const TC_DEFACT = cStruct("linux/tc_act/tc_defact.h", "struct tc_defact", [...TC_GEN]);

/** TCA_DEF_*. */
export const SIMPLE_ATTRS: AttrSchema = attrSchema("TCA_DEF_", "linux/tc_act/tc_defact.h", {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "struct", struct: TC_DEFACT },
  DATA: { id: 3, type: "custom", codec: SDATA },
  PAD: { id: 4, type: "pad" },
});

/** Log a string for every packet (`simple sdata "Incoming ICMP"`); needs `sdata` unless `index` binds an existing one. */
export interface SimpleOptions {
  /** The kind. */
  kind: "simple";
  /** The string logged (`sdata`, at most 31 bytes). */
  sdata?: string;
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** simple's decoded options. */
export interface SimpleData {
  /** Parameters. */
  parms?: TcGenData;
  /** The string. */
  data?: string;
  /** Timestamps. */
  tm?: TcfTData;
}

/** The simple codec. */
export const SIMPLE: TcKindCodec = {
  options: SIMPLE_ATTRS,
  keys: ["sdata", "control"],
  encode(o) {
    if (o.sdata === undefined && o.index === undefined) {
      throw new ValidationError("sdata", o.sdata, "simple needs sdata (or an index)");
    }
    if (o.sdata !== undefined && (typeof o.sdata !== "string" || encoder.encode(o.sdata).length >= SIMP_MAX_DATA)) {
      throw new ValidationError("sdata", o.sdata, `expected a string of at most ${SIMP_MAX_DATA - 1} bytes`);
    }
    const out: Record<string, unknown> = { parms: tcGen(o, "pipe") };
    if (o.sdata !== undefined) out.data = o.sdata;
    return out;
  },
};
