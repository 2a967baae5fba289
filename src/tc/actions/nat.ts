/**
 * nat: stateless IPv4 address translation — rewrite the destination
 * (ingress) or source (egress) address of packets from a prefix to a new
 * address (`nat ingress 10.0.0.0/8 192.168.0.0`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cFlags, type FlagTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { ipFamily, parsePrefix } from "../../util/addr.ts";
import { oneOf } from "../common.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";

/** nat's flags (TCA_NAT_FLAG_*): `egress` rewrites the source, else the destination. */
export const NAT_FLAG: FlagTable = cFlags("linux/tc_act/tc_nat.h", "TCA_NAT_FLAG_", { EGRESS: 1 });

/** struct tc_nat. */
const TC_NAT = cStruct("linux/tc_act/tc_nat.h", "struct tc_nat", [
  ...TC_GEN,
  { c: "old_addr", type: "ipv4" },
  { c: "new_addr", type: "ipv4" },
  { c: "mask", type: "ipv4" },
  { c: "flags", type: "u32", flags: NAT_FLAG },
]);

/** TCA_NAT_*. */
export const NAT_ATTRS: AttrSchema = attrSchema("TCA_NAT_", "linux/tc_act/tc_nat.h", {
  PARMS: { id: 1, type: "struct", struct: TC_NAT },
  TM: { id: 2, type: "struct", struct: TCF_T },
  PAD: { id: 3, type: "pad" },
});

/** Translate IPv4 addresses (`nat egress 10.0.0.0/8 192.168.0.0`). */
export interface NatOptions {
  /** `ingress` rewrites destination addresses, `egress` source addresses. */
  kind: "nat";
  /** Which address is rewritten: the destination (`ingress`) or the source (`egress`). */
  direction: "ingress" | "egress";
  /** The addresses translated: an address or prefix (`"10.0.0.0/8"`; `"0.0.0.0/0"` or `"any"` for all). */
  old: string;
  /** The address they become (the host part of the old address is kept for a prefix). */
  new: string;
  /** The verdict afterwards (default `pass`). */
  control?: Verdict;
}

/** nat's decoded options. */
export interface NatData {
  /** Parameters: the old address and mask, the new address, and `flags` (`["egress"]` or `[]`). */
  parms?: TcGenData & { oldAddr: string; newAddr: string; mask: string; flags: string[] };
  /** Timestamps. */
  tm?: TcfTData;
}

function maskOf(length: number): string {
  // A /0 prefix matches everything (mask 0). tc(8) sends 255.255.255.255 then
  // (its 32-bit shift by 32 is undefined in C and keeps every bit on x86).
  const m = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return [m >>> 24, (m >>> 16) & 0xff, (m >>> 8) & 0xff, m & 0xff].join(".");
}

/** The nat codec. */
export const NAT: TcKindCodec = {
  options: NAT_ATTRS,
  keys: ["direction", "old", "new", "control"],
  encode(o) {
    const direction = oneOf(o.direction, ["ingress", "egress"], "direction");
    if (direction === undefined) throw new ValidationError("direction", o.direction, "expected ingress or egress");
    if (typeof o.old !== "string") throw new ValidationError("old", o.old, "expected an IPv4 address or prefix");
    const old = parsePrefix(o.old, "old", 2);
    if (typeof o.new !== "string" || ipFamily(o.new) !== 2) {
      throw new ValidationError("new", o.new, "expected an IPv4 address");
    }
    return {
      parms: {
        ...tcGen(o, "pass"),
        oldAddr: old.address,
        newAddr: o.new,
        mask: maskOf(old.length),
        flags: direction === "egress" ? NAT_FLAG.bit("egress") : 0,
      },
    };
  },
};
