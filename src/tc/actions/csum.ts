/**
 * csum: recompute checksums after a rewrite — the IPv4 header's and those
 * of ICMP, IGMP, TCP, UDP, UDP-Lite and SCTP (`csum iph and tcp`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cFlags, type FlagTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";

/** The checksums csum updates (TCA_CSUM_UPDATE_FLAG_*), named as tc(8) names them (`iph`, `tcp`, …). */
export const CSUM_UPDATE: FlagTable = cFlags("linux/tc_act/tc_csum.h", "TCA_CSUM_UPDATE_FLAG_", {
  IPV4HDR: 1,
  ICMP: 2,
  IGMP: 4,
  TCP: 8,
  UDP: 16,
  UDPLITE: 32,
  SCTP: 64,
}, (key) => (key === "IPV4HDR" ? "iph" : key.toLowerCase()));

/** struct tc_csum. */
const TC_CSUM = cStruct("linux/tc_act/tc_csum.h", "struct tc_csum", [
  ...TC_GEN,
  { c: "update_flags", type: "u32", flags: CSUM_UPDATE },
]);

/** TCA_CSUM_*. */
export const CSUM_ATTRS: AttrSchema = attrSchema("TCA_CSUM_", "linux/tc_act/tc_csum.h", {
  PARMS: { id: 1, type: "struct", struct: TC_CSUM },
  TM: { id: 2, type: "struct", struct: TCF_T },
  PAD: { id: 3, type: "pad" },
});

/** A checksum csum can update (`ip4h` and `ipv4h` are tc(8)'s other names for `iph`). */
export type CsumTarget = "iph" | "ip4h" | "ipv4h" | "icmp" | "igmp" | "tcp" | "udp" | "udplite" | "sctp";

/** Recompute checksums (`csum iph and tcp`). */
export interface CsumOptions {
  /** The kind. */
  kind: "csum";
  /** The checksums to update (at least one). */
  update: CsumTarget[];
  /** The verdict afterwards (default `pass`). */
  control?: Verdict;
}

/** csum's decoded options. */
export interface CsumData {
  /** Parameters: `updateFlags` lists the checksums (`["iph", "tcp"]`). */
  parms?: TcGenData & { updateFlags: string[] };
  /** Timestamps. */
  tm?: TcfTData;
}

/** The csum codec. */
export const CSUM: TcKindCodec = {
  options: CSUM_ATTRS,
  keys: ["update", "control"],
  encode(o) {
    if (!Array.isArray(o.update) || o.update.length === 0) {
      throw new ValidationError("update", o.update, `expected a list of ${CSUM_UPDATE.names.join(", ")}`);
    }
    const names = o.update.map((x) => (x === "ip4h" || x === "ipv4h" ? "iph" : x));
    return { parms: { ...tcGen(o, "pass"), updateFlags: CSUM_UPDATE.encode(names, "update") } };
  },
};
