/**
 * Fair-queueing and early-drop qdiscs: pie, fq_pie, hhf, sfq, red, gred,
 * choke, sfb — their codecs by name and their typed options and decoded data.
 *
 * @module
 */
import type { KindTable } from "../kind.ts";
import type { GredData, GredOptions } from "./gred.ts";
import { GRED } from "./gred.ts";
import type { HhfData, HhfOptions } from "./hhf.ts";
import { HHF } from "./hhf.ts";
import type { FqPieData, FqPieOptions, PieData, PieOptions } from "./pie.ts";
import { PIE_QDISCS } from "./pie.ts";
import type { ChokeData, ChokeOptions, RedData, RedOptions } from "./red.ts";
import { RED_QDISCS } from "./red.ts";
import type { SfbData, SfbOptions } from "./sfb.ts";
import { SFB } from "./sfb.ts";
import type { SfqData, SfqOptions } from "./sfq.ts";
import { SFQ, SFQ_CLASS } from "./sfq.ts";

export type { FqPieData, FqPieOptions, FqPieXstats, PieData, PieOptions, PieXstats } from "./pie.ts";
export type { HhfData, HhfOptions, HhfXstats } from "./hhf.ts";
export type { SfqData, SfqOptions, SfqXstats } from "./sfq.ts";
export type { ChokeData, ChokeOptions, RedData, RedOptions, RedParmsData } from "./red.ts";
export type { GredData, GredOptions, GredSetupOptions, GredVqData, GredVqOptions, GredVqParmsData } from "./gred.ts";
export type { SfbData, SfbOptions, SfbXstats } from "./sfb.ts";

/**
 * The codecs of this group's qdiscs, by kind.
 *
 * @example
 * ```ts
 * import { FAIR_QDISCS } from "./fair.ts";
 * FAIR_QDISCS.sfq.keys?.includes("perturb"); // true
 * ```
 */
export const FAIR_QDISCS: KindTable = {
  pie: PIE_QDISCS.pie,
  fq_pie: PIE_QDISCS.fq_pie,
  hhf: HHF,
  sfq: SFQ,
  red: RED_QDISCS.red,
  choke: RED_QDISCS.choke,
  gred: GRED,
  sfb: SFB,
};

/**
 * The class kinds of this group: sfq's per-flow classes, which only report
 * statistics (their xstats decode as `SfqXstats`).
 *
 * @example
 * ```ts
 * import { FAIR_CLASSES } from "./fair.ts";
 * Object.keys(FAIR_CLASSES); // ["sfq"]
 * ```
 */
export const FAIR_CLASSES: KindTable = { sfq: SFQ_CLASS };

/** Options of this group's qdiscs (a union discriminated by `kind`; gred's by `vqs` or `vq`). */
export type FairQdiscOptions =
  | PieOptions
  | FqPieOptions
  | HhfOptions
  | SfqOptions
  | RedOptions
  | ChokeOptions
  | GredOptions
  | SfbOptions;

/** Decoded options of this group's qdiscs, by kind. */
export interface FairQdiscData {
  /** pie. */
  pie: PieData;
  /** fq_pie. */
  fq_pie: FqPieData;
  /** hhf. */
  hhf: HhfData;
  /** sfq. */
  sfq: SfqData;
  /** red. */
  red: RedData;
  /** choke. */
  choke: ChokeData;
  /** gred. */
  gred: GredData;
  /** sfb. */
  sfb: SfbData;
}
