/**
 * Filters: bpf, basic, cgroup and flow — their codecs by name and their typed
 * options and decoded data. Ematches (basic, cgroup, flow) are typed trees
 * both ways (ematch_types.ts; tc(8)'s text reads into one with parseEmatch).
 *
 * @module
 */
import type { KindTable } from "../kind.ts";
import { BASIC, type BasicData, type BasicOptions } from "./basic.ts";
import { BPF, type BpfData, type BpfOptions } from "./bpf.ts";
import { CGROUP, type CgroupData, type CgroupOptions } from "./cgroup.ts";
import { FLOW, type FlowData, type FlowOptions } from "./flow.ts";

export type { BasicData, BasicOptions } from "./basic.ts";
export type { BpfData, BpfOptions } from "./bpf.ts";
export type { CgroupData, CgroupOptions } from "./cgroup.ts";
export type { FlowData, FlowKey, FlowOptions } from "./flow.ts";
export type * from "./ematch_types.ts";
export type { MetaId } from "./ematch_meta.ts";

/**
 * The codecs of this group's filters, by kind. Read through getters: the
 * kinds import the action list, which imports the registry, which imports
 * this table — whichever loads first, the table must not read a codec that
 * is still loading.
 */
export const MISC_FILTERS: KindTable = {
  get bpf() {
    return BPF;
  },
  get cgroup() {
    return CGROUP;
  },
  get flow() {
    return FLOW;
  },
  get basic() {
    return BASIC;
  },
};

/** Options of this group's filters (a union discriminated by `kind`). */
export type MiscFilterOptions = BpfOptions | CgroupOptions | FlowOptions | BasicOptions;

/** Decoded options of this group's filters, by kind. */
export interface MiscFilterData {
  /** bpf. */
  bpf: BpfData;
  /** cgroup. */
  cgroup: CgroupData;
  /** flow. */
  flow: FlowData;
  /** basic. */
  basic: BasicData;
}
