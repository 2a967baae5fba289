/**
 * The flower filter's entry in the registry: its codec, typed options and
 * decoded data.
 *
 * @module
 */
import type { KindTable } from "../kind.ts";
import { FLOWER, type FlowerOptions } from "./flower.ts";
import type { FlowerData } from "./flower_keys.ts";

export type {
  CtState,
  ErspanOpt,
  FlowerOptions,
  FlowerPort,
  GeneveOpt,
  GtpOpt,
  Masked,
  MaskedMac,
  MplsLse,
  VxlanOpt,
} from "./flower.ts";
export type { EncOptsData, FlowerData, GeneveOptData, MplsLseData } from "./flower_keys.ts";
export type { EncOptsOptions } from "./flower_enc.ts";

/** The flower codec, by kind. */
export const FLOWER_FILTERS: KindTable = { flower: FLOWER };

/** Flower's options. */
export type FlowerFilterOptions = FlowerOptions;

/** Flower's decoded options, by kind. */
export interface FlowerFilterData {
  /** flower. */
  flower: FlowerData;
}
