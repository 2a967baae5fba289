/**
 * Actions that rewrite or track packets: pedit, tunnel_key, ct, ife, gate —
 * their codecs by name and their typed options and decoded data.
 *
 * @module
 */
import type { KindTable } from "../kind.ts";
import { CT, type CtData, type CtOptions } from "./ct.ts";
import { GATE, type GateData, type GateOptions } from "./gate.ts";
import { IFE, type IfeData, type IfeOptions } from "./ife.ts";
import { PEDIT, type PeditData, type PeditOptions } from "./pedit.ts";
import { TUNNEL_KEY, type TunnelKeyData, type TunnelKeyOptions } from "./tunnel_key.ts";

export type {
  PeditCommandOptions,
  PeditData,
  PeditFieldKey,
  PeditKey,
  PeditKeyData,
  PeditOptions,
  PeditRawKey,
  PeditSelData,
} from "./pedit.ts";
export type {
  PeditCmd,
  PeditEthField,
  PeditHeader,
  PeditIp6Field,
  PeditIpField,
  PeditTcpField,
  PeditUdpField,
} from "./pedit_fields.ts";
export type { ErspanOptions, GeneveOption, TunnelKeyData, TunnelKeyOptions } from "./tunnel_key.ts";
export type { CtData, CtHelper, CtNat, CtOptions } from "./ct.ts";
export type { IfeData, IfeMetadatum, IfeOptions } from "./ife.ts";
export type { GateData, GateEntry, GateOptions, Time64 } from "./gate.ts";

/** The codecs of this group's actions, by kind. */
export const REWRITE_ACTIONS: KindTable = { pedit: PEDIT, tunnel_key: TUNNEL_KEY, ct: CT, ife: IFE, gate: GATE };

/** Options of this group's actions (a union discriminated by `kind`). */
export type RewriteActionOptions = PeditOptions | TunnelKeyOptions | CtOptions | IfeOptions | GateOptions;

/** Decoded options of this group's actions, by kind. */
export interface RewriteActionData {
  /** pedit. */
  pedit: PeditData;
  /** tunnel_key. */
  tunnel_key: TunnelKeyData;
  /** ct. */
  ct: CtData;
  /** ife. */
  ife: IfeData;
  /** gate. */
  gate: GateData;
}
