/**
 * Scheduling qdiscs and their classes: prio, multiq, pfifo_fast, hfsc, drr,
 * qfq, ets, mqprio, taprio, etf, cbs, skbprio, plug — their codecs by name and
 * their typed options and decoded data.
 *
 * @module
 */
import type { KindTable } from "../kind.ts";
import { CBS, type CbsData, type CbsOptions } from "./cbs.ts";
import { DRR_CLASSES, DRR_QDISCS } from "./drr.ts";
import type {
  DrrClassData,
  DrrClassOptions,
  DrrQdiscOptions,
  QfqClassData,
  QfqClassOptions,
  QfqQdiscOptions,
} from "./drr.ts";
import { ETF, type EtfData, type EtfOptions } from "./etf.ts";
import {
  ETS_CLASS,
  ETS_QDISC,
  type EtsClassData,
  type EtsClassOptions,
  type EtsQdiscData,
  type EtsQdiscOptions,
} from "./ets.ts";
import { HFSC_CLASS, HFSC_QDISC, type HfscClassData, type HfscClassOptions } from "./hfsc.ts";
import type { HfscQdiscData, HfscQdiscOptions } from "./hfsc.ts";
import { MQPRIO, type MqprioData, type MqprioOptions } from "./mqprio.ts";
import { PLUG, type PlugData, type PlugOptions } from "./plug.ts";
import { PRIO_QDISCS } from "./prio.ts";
import type { MultiqData, MultiqOptions, PfifoFastOptions, PrioData, PrioOptions } from "./prio.ts";
import { SKBPRIO, type SkbprioData, type SkbprioOptions } from "./skbprio.ts";
import { TAPRIO, type TaprioData, type TaprioOptions } from "./taprio.ts";

export type { CbsData, CbsOptions } from "./cbs.ts";
export type {
  DrrClassData,
  DrrClassOptions,
  DrrQdiscOptions,
  DrrStats,
  QfqClassData,
  QfqClassOptions,
  QfqQdiscOptions,
  QfqStats,
} from "./drr.ts";
export type { EtfData, EtfOptions } from "./etf.ts";
export type { EtsClassData, EtsClassOptions, EtsQdiscData, EtsQdiscOptions } from "./ets.ts";
export type {
  HfscClassData,
  HfscClassOptions,
  HfscQdiscData,
  HfscQdiscOptions,
  HfscStats,
  ServiceCurve,
  ServiceCurveData,
} from "./hfsc.ts";
export type { FramePreemption, MqprioData, MqprioOptions, MqprioQoptData, QueueRange, TcEntryData } from "./mqprio.ts";
export type { PlugData, PlugOptions } from "./plug.ts";
export type { MultiqData, MultiqOptions, PfifoFastOptions, PrioData, PrioOptions } from "./prio.ts";
export type { ClockId } from "./sched_layout.ts";
export type { SkbprioData, SkbprioOptions } from "./skbprio.ts";
export type { TaprioData, TaprioEntry, TaprioEntryData, TaprioOptions } from "./taprio.ts";

/** The codecs of this group's qdiscs, by kind. */
export const SCHED_QDISCS: KindTable = {
  ...PRIO_QDISCS,
  ...DRR_QDISCS,
  hfsc: HFSC_QDISC,
  ets: ETS_QDISC,
  mqprio: MQPRIO,
  taprio: TAPRIO,
  etf: ETF,
  cbs: CBS,
  skbprio: SKBPRIO,
  plug: PLUG,
};

/** The codecs of this group's classes, by kind. */
export const SCHED_CLASSES: KindTable = { ...DRR_CLASSES, hfsc: HFSC_CLASS, ets: ETS_CLASS };

/** Options of this group's qdiscs (a union discriminated by `kind`). */
export type SchedQdiscOptions =
  | PrioOptions
  | MultiqOptions
  | PfifoFastOptions
  | HfscQdiscOptions
  | DrrQdiscOptions
  | QfqQdiscOptions
  | EtsQdiscOptions
  | MqprioOptions
  | TaprioOptions
  | EtfOptions
  | CbsOptions
  | SkbprioOptions
  | PlugOptions;

/** Options of this group's classes (a union discriminated by `kind`). */
export type SchedClassOptions = HfscClassOptions | DrrClassOptions | QfqClassOptions | EtsClassOptions;

/** Decoded options of this group's qdiscs, by kind. */
export interface SchedQdiscData {
  /** prio. */
  prio: PrioData;
  /** pfifo_fast (the same layout as prio's). */
  pfifo_fast: PrioData;
  /** multiq. */
  multiq: MultiqData;
  /** hfsc. */
  hfsc: HfscQdiscData;
  /** ets. */
  ets: EtsQdiscData;
  /** mqprio. */
  mqprio: MqprioData;
  /** taprio. */
  taprio: TaprioData;
  /** etf. */
  etf: EtfData;
  /** cbs. */
  cbs: CbsData;
  /** skbprio. */
  skbprio: SkbprioData;
  /** plug (the kernel reports none; this is what a request carries). */
  plug: PlugData;
}

/** Decoded options of this group's classes, by kind. */
export interface SchedClassData {
  /** hfsc (extended statistics: HfscStats). */
  hfsc: HfscClassData;
  /** drr (extended statistics: DrrStats). */
  drr: DrrClassData;
  /** qfq (extended statistics: QfqStats). */
  qfq: QfqClassData;
  /** ets. */
  ets: EtsClassData;
}
