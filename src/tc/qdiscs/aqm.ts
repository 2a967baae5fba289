/**
 * Queue-management and shaping qdiscs: netem, codel, fq_codel, fq and cake
 * — their codecs by name and their typed options and decoded data.
 *
 * @module
 */
import type { KindTable } from "../kind.ts";
import { CAKE_CLASS, CAKE_QDISCS, type CakeData, type CakeOptions } from "./cake.ts";
import {
  CODEL_QDISCS,
  type CodelData,
  type CodelOptions,
  FQ_CODEL_CLASS,
  type FqCodelData,
  type FqCodelOptions,
} from "./codel.ts";
import { FQ_QDISCS, type FqData, type FqOptions } from "./fq.ts";
import { NETEM_QDISCS, type NetemData, type NetemOptions } from "./netem.ts";

export type { CakeData, CakeFraming, CakeOptions, CakePreset, CakeTinStats, CakeXstats } from "./cake.ts";
export type { CodelData, CodelOptions, CodelXstats, FqCodelData, FqCodelOptions, FqCodelXstats } from "./codel.ts";
export type { FqData, FqOptions, FqXstats } from "./fq.ts";
export type {
  NetemData,
  NetemDistribution,
  NetemDistributionName,
  NetemLossGemodel,
  NetemLossState,
  NetemOptions,
  NetemSlotDistribution,
  NetemSlotRange,
  NetemTime64,
  Percent,
} from "./netem.ts";

/** The codecs of this group's qdiscs, by kind. */
export const AQM_QDISCS: KindTable = { ...NETEM_QDISCS, ...CODEL_QDISCS, ...FQ_QDISCS, ...CAKE_QDISCS };

/**
 * The flows of fq_codel and cake, which the kernel lists as classes (with
 * per-flow statistics; they cannot be added or changed): by kind.
 */
export const AQM_CLASSES: KindTable = { fq_codel: FQ_CODEL_CLASS, cake: CAKE_CLASS };

/** Options of this group's qdiscs (a union discriminated by `kind`). */
export type AqmQdiscOptions = NetemOptions | CodelOptions | FqCodelOptions | FqOptions | CakeOptions;

/** Decoded options of this group's qdiscs, by kind. */
export interface AqmQdiscData {
  /** netem. */
  netem: NetemData;
  /** codel. */
  codel: CodelData;
  /** fq_codel. */
  fq_codel: FqCodelData;
  /** fq. */
  fq: FqData;
  /** cake. */
  cake: CakeData;
}
