/**
 * Filters: u32, fw, route, matchall (and tcindex, rsvp and rsvp6 where the
 * kernel still has them: Linux removed them in 6.3) — their codecs by name
 * and their typed options and decoded data.
 *
 * @module
 */
import type { KindTable } from "../kind.ts";
import { FW, type FwData, type FwOptions } from "./fw.ts";
import { MATCHALL, type MatchallData, type MatchallOptions } from "./matchall.ts";
import { ROUTE, type RouteFilterData, type RouteFilterOptions } from "./route.ts";
import { RSVP, RSVP6, type RsvpData, type RsvpOptions } from "./rsvp.ts";
import { TCINDEX, type TcindexData, type TcindexOptions } from "./tcindex.ts";
import { U32, type U32Data, type U32Options } from "./u32.ts";

export type { FwData, FwOptions } from "./fw.ts";
export type { MatchallData, MatchallOptions } from "./matchall.ts";
export type { RouteFilterData, RouteFilterOptions } from "./route.ts";
export type { RsvpData, RsvpGpi, RsvpGpiData, RsvpOptions } from "./rsvp.ts";
export type { TcindexData, TcindexOptions } from "./tcindex.ts";
export type {
  U32At,
  U32Data,
  U32EtherAddressMatch,
  U32EtherProtocolMatch,
  U32IcmpMatch,
  U32Ip6AddressMatch,
  U32Ip6FieldMatch,
  U32IpAddressMatch,
  U32IpFieldMatch,
  U32IpFragmentMatch,
  U32Key,
  U32MarkMatch,
  U32Match,
  U32Options,
  U32PortMatch,
  U32RawMatch,
  U32SelectorData,
} from "./u32.ts";

/** The codecs of this group's filters, by kind. */
export const CLASSIC_FILTERS: KindTable = {
  u32: U32,
  fw: FW,
  route: ROUTE,
  matchall: MATCHALL,
  tcindex: TCINDEX,
  rsvp: RSVP,
  rsvp6: RSVP6,
};

/** Options of this group's filters (a union discriminated by `kind`). */
export type ClassicFilterOptions =
  | U32Options
  | FwOptions
  | RouteFilterOptions
  | MatchallOptions
  | TcindexOptions
  | RsvpOptions;

/** Decoded options of this group's filters, by kind. */
export interface ClassicFilterData {
  /** u32. */
  u32: U32Data;
  /** fw. */
  fw: FwData;
  /** route. */
  route: RouteFilterData;
  /** matchall. */
  matchall: MatchallData;
  /** tcindex. */
  tcindex: TcindexData;
  /** rsvp. */
  rsvp: RsvpData;
  /** rsvp6. */
  rsvp6: RsvpData;
}
