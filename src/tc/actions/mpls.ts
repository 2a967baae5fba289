/**
 * mpls: pop, push or modify an MPLS label stack entry, push one before the
 * MAC header, or decrement its TTL (`mpls push label 100 tc 3 ttl 64`,
 * `mpls pop protocol ip`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { intIn, oneOf, put } from "../common.ts";
import { ETH_PROTOCOL, type Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";

/** What the mpls action does (TCA_MPLS_ACT_*). */
export const MPLS_ACT: EnumTable = cEnum("linux/tc_act/tc_mpls.h", "TCA_MPLS_ACT_", {
  POP: 1,
  PUSH: 2,
  MODIFY: 3,
  DEC_TTL: 4,
  MAC_PUSH: 5,
});

/** struct tc_mpls. */
const TC_MPLS = cStruct("linux/tc_act/tc_mpls.h", "struct tc_mpls", [
  ...TC_GEN,
  { c: "m_action", type: "s32", enum: MPLS_ACT },
]);

/** TCA_MPLS_*. */
export const MPLS_ATTRS: AttrSchema = attrSchema("TCA_MPLS_", "linux/tc_act/tc_mpls.h", {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "struct", struct: TC_MPLS },
  PAD: { id: 3, type: "pad" },
  PROTO: { id: 4, type: "be16", enum: ETH_PROTOCOL },
  LABEL: { id: 5, type: "u32" },
  TC: { id: 6, type: "u8" },
  TTL: { id: 7, type: "u8" },
  BOS: { id: 8, type: "u8" },
});

/** Pop, push or modify an MPLS label stack entry (`mpls push label 100`). */
export interface MplsOptions {
  /** The kind. */
  kind: "mpls";
  /** `pop`, `push`, `mac_push` (before the MAC header), `modify` or `dec_ttl`. */
  action: "pop" | "push" | "mac_push" | "modify" | "dec_ttl";
  /**
   * `protocol`: for pop, the next header's ethernet protocol (`"ip"`, `"ipv6"`,
   * `"mpls_uc"`, …, required there); for push and mac_push, `"mpls_uc"` (the
   * default) or `"mpls_mc"`.
   */
  protocol?: string | number;
  /** The label, 0..0xfffff (`label`; push, mac_push, modify; required for push). */
  label?: number;
  /** The traffic class, 0..7 (`tc`; push, mac_push, modify). */
  tc?: number;
  /** The TTL, 1..255 (`ttl`; push, mac_push, modify). */
  ttl?: number;
  /** The bottom-of-stack bit, 0 or 1 (`bos`; push, mac_push, modify). */
  bos?: number;
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** mpls's decoded options. */
export interface MplsData {
  /** Parameters: `mAction` is `"pop"`, `"push"`, `"modify"`, `"dec_ttl"` or `"mac_push"`. */
  parms?: TcGenData & { mAction: string | number };
  /** The ethernet protocol (`"ip"`, `"mpls_uc"`, …). */
  proto?: string | number;
  /** The label. */
  label?: number;
  /** The traffic class. */
  tc?: number;
  /** The TTL. */
  ttl?: number;
  /** The bottom-of-stack bit. */
  bos?: number;
  /** Timestamps. */
  tm?: TcfTData;
}

const ACTIONS = ["pop", "push", "mac_push", "modify", "dec_ttl"] as const;
const MPLS_PUSH_PROTOCOLS = [ETH_PROTOCOL.value("mpls_uc"), ETH_PROTOCOL.value("mpls_mc")];

function protocolValue(x: unknown): number {
  if (typeof x === "string" && /^0x[0-9a-fA-F]{1,4}$/.test(x)) return parseInt(x, 16);
  const n = ETH_PROTOCOL.value(x as string | number, "protocol");
  if (n <= 0 || n > 0xffff) throw new ValidationError("protocol", x, "expected an ethernet protocol (16 bits)");
  return n;
}

/** The mpls codec. */
export const MPLS: TcKindCodec = {
  options: MPLS_ATTRS,
  keys: ["action", "protocol", "label", "tc", "ttl", "bos", "control"],
  encode(o) {
    const action = oneOf(o.action, ACTIONS, "action");
    if (action === undefined) throw new ValidationError("action", o.action, `expected one of ${ACTIONS.join(", ")}`);
    const fields = action === "push" || action === "mac_push" || action === "modify";
    for (const key of ["label", "tc", "ttl", "bos"]) {
      if (!fields && o[key] !== undefined) {
        throw new ValidationError(key, o[key], "only push, mac_push and modify take it");
      }
    }
    const withProtocol = action === "push" || action === "mac_push" || action === "pop";
    if (!withProtocol && o.protocol !== undefined) {
      throw new ValidationError("protocol", o.protocol, "only push, mac_push and pop take it");
    }
    const proto = o.protocol === undefined ? undefined : protocolValue(o.protocol);
    if (action === "pop" && proto === undefined) {
      throw new ValidationError("protocol", o.protocol, "pop needs a protocol");
    }
    if (action !== "pop" && proto !== undefined && !MPLS_PUSH_PROTOCOLS.includes(proto)) {
      throw new ValidationError("protocol", o.protocol, "a pushed entry's protocol is mpls_uc or mpls_mc");
    }
    if (action === "push" && o.label === undefined) throw new ValidationError("label", o.label, "push needs a label");
    const out: Record<string, unknown> = { parms: { ...tcGen(o, "pipe"), mAction: MPLS_ACT.value(action) } };
    put(out, "label", intIn(o.label, 0, 0xfffff, "label"));
    put(out, "proto", proto);
    put(out, "tc", intIn(o.tc, 0, 7, "tc"));
    put(out, "ttl", intIn(o.ttl, 1, 255, "ttl"));
    put(out, "bos", intIn(o.bos, 0, 1, "bos"));
    return out;
  },
};
