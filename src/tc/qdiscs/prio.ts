/**
 * The priority qdiscs: prio (bands served strictly in order, a priomap from
 * packet priority to band), multiq (one band per hardware queue) and
 * pfifo_fast (the three-band default, shown but not configured).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { attrSchema } from "../../core/schema.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import { intIn } from "../common.ts";
import type { KindTable, TcKindCodec } from "../kind.ts";
import { listOption, structThenAttrs } from "./sched_layout.ts";

/** struct tc_prio_qopt: the number of bands and the priority → band map. */
const TC_PRIO_QOPT: StructDef = cStruct("linux/pkt_sched.h", "struct tc_prio_qopt", [
  { c: "bands", type: "s32" },
  { c: "priomap", type: "u8", count: 16 },
]);

/**
 * TCA_PRIO_*: the attributes of prio's compat nest. TCA_PRIO_MQ is
 * iproute2's own constant (tc/tc_util.h): no kernel header has it any more
 * (the kernel ignores the nest), so it cannot be audited.
 */
const PRIO_ATTRS = attrSchema("TCA_PRIO_", "", { MQ: { id: 1, type: "flag", name: "multiqueue" } }, { audit: false });

/** TCA_OPTIONS (its own type) holds prio's compat nest, after the struct. */
const TCA_OPTIONS = 2;

/** prio's (and pfifo_fast's) options: the struct, then the compat nest iproute2 always adds. */
const PRIO_OPTIONS = structThenAttrs(TC_PRIO_QOPT, PRIO_ATTRS, TCA_OPTIONS);

/** struct tc_multiq_qopt: multiq's bands (the kernel sets both from the device's queues). */
const TC_MULTIQ_QOPT: StructDef = cStruct("linux/pkt_sched.h", "struct tc_multiq_qopt", [
  { c: "bands", type: "u16" },
  { c: "max_bands", type: "u16" },
]);

/** tc(8)'s priomap: priority → band, TC_PRIO_BESTEFFORT (0) in band 1, interactive ones in band 0. */
const DEFAULT_PRIOMAP: readonly number[] = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

/** TCQ_PRIO_BANDS, TCQ_MIN_PRIO_BANDS: the kernel's limits on prio's bands. */
const MAX_BANDS = 16, MIN_BANDS = 2;

/** The prio qdisc (`tc qdisc add … prio bands 4 priomap 1 2 …`). */
export interface PrioOptions {
  /** The kind. */
  kind: "prio";
  /** Number of bands, 2..16 (`bands`, default 3). */
  bands?: number;
  /**
   * Band of each packet priority 0..15 (`priomap`), each below `bands`;
   * default `1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1`. Priorities past a shorter list
   * keep their default band (as with tc(8)), so with fewer than 3 bands give
   * at least 6 entries.
   */
  priomap?: number[];
  /** Ask for one band per hardware queue (`multiqueue`; kernels since 2.6.28 ignore it: use multiq). */
  multiqueue?: boolean;
}

/** prio's and pfifo_fast's decoded options. */
export interface PrioData {
  /** Number of bands. */
  bands: number;
  /** Band of each packet priority 0..15. */
  priomap: number[];
  /** `multiqueue` was asked (only in requests: kernels do not report it). */
  multiqueue?: boolean;
}

/** The multiq qdisc (`tc qdisc add … multiq`): one band per transmit queue; it has no options. */
export interface MultiqOptions {
  /** The kind. */
  kind: "multiq";
}

/** multiq's decoded options. */
export interface MultiqData {
  /** Bands in use (the device's transmit queues). */
  bands: number;
  /** The most bands the device could have. */
  maxBands: number;
}

/** pfifo_fast, the classic default qdisc: tc(8) creates it without options (`tc qdisc add … pfifo_fast`). */
export interface PfifoFastOptions {
  /** The kind. */
  kind: "pfifo_fast";
}

/** The priomap, as tc(8) builds it from a (possibly short) list; the kernel wants every entry below `bands`. */
function priomapOf(value: unknown, bands: number): number[] {
  const given = listOption(value, 16, "priomap") ?? [];
  const map = [...DEFAULT_PRIOMAP];
  given.forEach((band, i) => map[i] = intIn(band, 0, bands - 1, `priomap[${i}]`)!);
  const over = map.findIndex((band) => band >= bands);
  if (over >= 0) {
    throw new ValidationError(
      "priomap",
      value,
      `priority ${over} keeps its default band ${map[over]}: not below ${bands}`,
    );
  }
  return map;
}

const PRIO: TcKindCodec = {
  options: PRIO_OPTIONS,
  keys: ["bands", "priomap", "multiqueue"],
  encode(o) {
    const bands = intIn(o.bands, MIN_BANDS, MAX_BANDS, "bands") ?? 3;
    const out: Record<string, unknown> = { bands, priomap: priomapOf(o.priomap, bands) };
    if (o.multiqueue !== undefined && typeof o.multiqueue !== "boolean") {
      throw new ValidationError("multiqueue", o.multiqueue, "expected true or false");
    }
    if (o.multiqueue) out.multiqueue = true;
    return out;
  },
};

const MULTIQ: TcKindCodec = {
  options: TC_MULTIQ_QOPT,
  keys: [],
  // tc sends the struct zeroed: the kernel fills in the device's queues.
  encode: () => ({ bands: 0, maxBands: 0 }),
};

/** tc(8) has no options for pfifo_fast: it sends none; the kernel reports its priomap. */
const PFIFO_FAST: TcKindCodec = { options: PRIO_OPTIONS, keys: [] };

/** The codecs of prio, multiq and pfifo_fast. */
export const PRIO_QDISCS: KindTable = { prio: PRIO, multiq: MULTIQ, pfifo_fast: PFIFO_FAST };
