/**
 * Every traffic-control kind nlink knows, by object: qdiscs, classes,
 * filters and actions. A kind not listed still decodes: its options stay raw
 * bytes.
 *
 * @module
 */
import { CLASSIC_FILTERS } from "./filters/classic.ts";
import { FLOWER_FILTERS } from "./filters/flower_group.ts";
import { MISC_FILTERS } from "./filters/misc.ts";
import type { KindTable } from "./kind.ts";
import { AQM_CLASSES, AQM_QDISCS } from "./qdiscs/aqm.ts";
import { CORE_CLASSES, CORE_QDISCS } from "./qdiscs/core.ts";
import { FAIR_CLASSES, FAIR_QDISCS } from "./qdiscs/fair.ts";
import { SCHED_CLASSES, SCHED_QDISCS } from "./qdiscs/sched.ts";

// Built on first use, so that a kind module may load before this one.
let qdiscs: KindTable | undefined;
let classes: KindTable | undefined;
let filters: KindTable | undefined;

/** Qdisc kinds by name. */
export function qdiscKinds(): KindTable {
  return qdiscs ??= { ...CORE_QDISCS, ...AQM_QDISCS, ...FAIR_QDISCS, ...SCHED_QDISCS };
}

/** Class kinds by name. */
export function classKinds(): KindTable {
  return classes ??= { ...CORE_CLASSES, ...AQM_CLASSES, ...FAIR_CLASSES, ...SCHED_CLASSES };
}

/** Filter kinds by name. */
export function filterKinds(): KindTable {
  return filters ??= { ...CLASSIC_FILTERS, ...MISC_FILTERS, ...FLOWER_FILTERS };
}

export { actionKinds } from "./action_registry.ts";
