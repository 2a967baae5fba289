/**
 * The enhanced transmission selection qdisc (ets, IEEE 802.1Qaz): the first
 * `strict` bands are served strictly by priority, the rest share what is
 * left in proportion to their quanta (deficit round robin). Its classes are
 * the bands: `1:1` … `1:N`, whose quantum can be changed.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { listOf } from "../../route/kinds/common.ts";
import { intIn } from "../common.ts";
import type { TcKindCodec } from "../kind.ts";
import { listOption } from "./sched_layout.ts";

/** TCQ_ETS_MAX_BANDS. */
const MAX_BANDS = 16;

/** TCA_ETS_*: ets qdisc options (bands, quanta and priomap as nests of one repeated attribute) and a class's quantum. */
const ETS_ATTRS: AttrSchema = attrSchema("TCA_ETS_", "linux/pkt_sched.h", {
  NBANDS: { id: 1, type: "u8" },
  NSTRICT: { id: 2, type: "u8" },
  QUANTA: {
    id: 3,
    type: "custom",
    codec: listOf("TCA_ETS_", "linux/pkt_sched.h", "QUANTA_BAND", { id: 4, type: "u32" }),
    nestedFlag: true,
  },
  QUANTA_BAND: { id: 4, type: "u32", name: "quantum" },
  PRIOMAP: {
    id: 5,
    type: "custom",
    codec: listOf("TCA_ETS_", "linux/pkt_sched.h", "PRIOMAP_BAND", { id: 6, type: "u8" }),
    nestedFlag: true,
  },
  PRIOMAP_BAND: { id: 6, type: "u8" },
});

/** The ets qdisc (`tc qdisc add … ets bands 5 strict 2 quanta 1500 2500 priomap …`). */
export interface EtsQdiscOptions {
  /** The kind. */
  kind: "ets";
  /** Number of bands, 1..16 (`bands`; default: strict bands plus quanta). */
  bands?: number;
  /** How many of the first bands are strict (`strict`). */
  strict?: number;
  /** Quanta of the bands after the strict ones, in bytes, each above 0 (`quanta`). */
  quanta?: number[];
  /** Band of each packet priority 0..15, each below `bands` (`priomap`; the rest go to the last band). */
  priomap?: number[];
}

/** The ets qdisc's decoded options. */
export interface EtsQdiscData {
  /** Number of bands. */
  nbands: number;
  /** Strict bands. */
  nstrict?: number;
  /** Quanta of the sharing bands. */
  quanta?: number[];
  /** Band of each priority. */
  priomap?: number[];
}

/** An ets class, one of the bands (`tc class change … classid 1:3 ets quantum 3000`). */
export interface EtsClassOptions {
  /** The kind. */
  kind: "ets";
  /** The band's quantum in bytes, above 0 (`quantum`; sharing bands only). */
  quantum?: number;
}

/** An ets class's decoded options. */
export interface EtsClassData {
  /** The band's quantum (absent for strict bands). */
  quantum?: number;
}

/** ets's qdisc codec. */
export const ETS_QDISC: TcKindCodec = {
  options: ETS_ATTRS,
  nestedFlag: true,
  keys: ["bands", "strict", "quanta", "priomap"],
  encode(o) {
    const strict = intIn(o.strict, 0, MAX_BANDS, "strict") ?? 0;
    const quanta = (listOption(o.quanta, MAX_BANDS, "quanta") ?? []).map((q, i) =>
      intIn(q, 1, 0xffffffff, `quanta[${i}]`)!
    );
    const bands = intIn(o.bands, 1, MAX_BANDS, "bands") ?? strict + quanta.length;
    if (bands === 0) throw new ValidationError("bands", o.bands, "ets needs bands, strict or quanta");
    if (bands > MAX_BANDS) throw new ValidationError("quanta", o.quanta, "strict bands and quanta exceed 16 bands");
    if (strict + quanta.length > bands) {
      throw new ValidationError("bands", bands, `fewer than the ${strict} strict bands and ${quanta.length} quanta`);
    }
    const priomap = (listOption(o.priomap, 16, "priomap") ?? []).map((band, i) =>
      intIn(band, 0, bands - 1, `priomap[${i}]`)!
    );
    const out: Record<string, unknown> = { nbands: bands };
    if (strict) out.nstrict = strict;
    if (quanta.length) out.quanta = quanta;
    if (priomap.length) out.priomap = priomap;
    return out;
  },
};

/** ets's class codec: tc always sends the nest, empty without a quantum. */
export const ETS_CLASS: TcKindCodec = {
  options: ETS_ATTRS,
  nestedFlag: true,
  keys: ["quantum"],
  encode(o) {
    const quantum = intIn(o.quantum, 1, 0xffffffff, "quantum");
    return quantum === undefined ? {} : { quantum };
  },
};
