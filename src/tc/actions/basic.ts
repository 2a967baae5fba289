/**
 * Actions: gact, mirred, police, vlan, mpls, skbedit, skbmod, nat, csum,
 * sample, simple, connmark, ctinfo, bpf — their codecs by name and their
 * typed options and decoded data.
 *
 * @module
 */
import type { KindTable } from "../kind.ts";
import { ACT_BPF, type BpfActionData, type BpfActionOptions } from "./bpf.ts";
import { CONNMARK, type ConnmarkData, type ConnmarkOptions } from "./connmark.ts";
import { CSUM, type CsumData, type CsumOptions } from "./csum.ts";
import { CTINFO, type CtinfoData, type CtinfoOptions } from "./ctinfo.ts";
import { GACT, type GactData, type GactOptions } from "./gact.ts";
import { MIRRED, type MirredData, type MirredOptions } from "./mirred.ts";
import { MPLS, type MplsData, type MplsOptions } from "./mpls.ts";
import { NAT, type NatData, type NatOptions } from "./nat.ts";
import { POLICE, type PoliceData, type PoliceOptions } from "./police.ts";
import { SAMPLE, type SampleData, type SampleOptions } from "./sample.ts";
import { SIMPLE, type SimpleData, type SimpleOptions } from "./simple.ts";
import { SKBEDIT, type SkbeditData, type SkbeditOptions } from "./skbedit.ts";
import { SKBMOD, type SkbmodData, type SkbmodOptions } from "./skbmod.ts";
import { VLAN, type VlanActionData, type VlanActionOptions } from "./vlan.ts";

export type { BpfActionData, BpfActionOptions, BpfInstruction } from "./bpf.ts";
export type { ConnmarkData, ConnmarkOptions } from "./connmark.ts";
export type { CsumData, CsumOptions, CsumTarget } from "./csum.ts";
export type { CtinfoData, CtinfoOptions } from "./ctinfo.ts";
export type { GactData, GactOptions, GactRandom, TcfTData, TcGenData } from "./gact.ts";
export type { MirredBind, MirredData, MirredOptions, MirredTarget } from "./mirred.ts";
export type { MplsData, MplsOptions } from "./mpls.ts";
export type { NatData, NatOptions } from "./nat.ts";
export type { PoliceData, PoliceOptions } from "./police.ts";
export type { SampleData, SampleOptions } from "./sample.ts";
export type { SimpleData, SimpleOptions } from "./simple.ts";
export type { SkbeditData, SkbeditOptions } from "./skbedit.ts";
export type { SkbmodData, SkbmodOptions } from "./skbmod.ts";
export type { VlanActionData, VlanActionOptions } from "./vlan.ts";

/** The codecs of this group's actions, by kind. */
export const BASIC_ACTIONS: KindTable = {
  gact: GACT,
  mirred: MIRRED,
  police: POLICE,
  vlan: VLAN,
  mpls: MPLS,
  skbedit: SKBEDIT,
  skbmod: SKBMOD,
  nat: NAT,
  csum: CSUM,
  sample: SAMPLE,
  simple: SIMPLE,
  connmark: CONNMARK,
  ctinfo: CTINFO,
  bpf: ACT_BPF,
};

/** Options of this group's actions (a union discriminated by `kind`). */
export type BasicActionOptions =
  | GactOptions
  | MirredOptions
  | PoliceOptions
  | VlanActionOptions
  | MplsOptions
  | SkbeditOptions
  | SkbmodOptions
  | NatOptions
  | CsumOptions
  | SampleOptions
  | SimpleOptions
  | ConnmarkOptions
  | CtinfoOptions
  | BpfActionOptions;

/** Decoded options of this group's actions, by kind. */
export interface BasicActionData {
  /** gact. */
  gact: GactData;
  /** mirred. */
  mirred: MirredData;
  /** police. */
  police: PoliceData;
  /** vlan. */
  vlan: VlanActionData;
  /** mpls. */
  mpls: MplsData;
  /** skbedit. */
  skbedit: SkbeditData;
  /** skbmod. */
  skbmod: SkbmodData;
  /** nat. */
  nat: NatData;
  /** csum. */
  csum: CsumData;
  /** sample. */
  sample: SampleData;
  /** simple. */
  simple: SimpleData;
  /** connmark. */
  connmark: ConnmarkData;
  /** ctinfo. */
  ctinfo: CtinfoData;
  /** bpf. */
  bpf: BpfActionData;
}
