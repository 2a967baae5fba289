/**
 * The flow filter: computes a class from packet keys — in `map` mode from one
 * key through and/or/xor/shift/add operations, in `hash` mode from a hash of
 * several keys (`tc filter add … flow hash keys src,dst divisor 1024
 * baseclass 1:1`).
 *
 * @module
 */
import { DecodeError, ValidationError } from "../../core/errors.ts";
import { cEnum } from "../../core/enums.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { type Action, type ActionOptions, ACTIONS, actionsValue } from "../action.ts";
import { type Handle, parseClassId } from "../handle.ts";
import type { TcKindCodec } from "../kind.ts";
import { CLASSID, type FilterPoliceOptions, policeOf } from "./cls_common.ts";
import { EMATCH_TREE, ematchValue } from "./ematch.ts";
import type { Ematch } from "./ematch_types.ts";
import { intIn } from "../common.ts";
import { POLICE_ATTRS, type PoliceData } from "../actions/police.ts";

/** FLOW_KEY_*: the bit position of each key in TCA_FLOW_KEYS. */
const FLOW_KEY = cEnum("linux/pkt_cls.h", "FLOW_KEY_", {
  SRC: 0,
  DST: 1,
  PROTO: 2,
  PROTO_SRC: 3,
  PROTO_DST: 4,
  IIF: 5,
  PRIORITY: 6,
  MARK: 7,
  NFCT: 8,
  NFCT_SRC: 9,
  NFCT_DST: 10,
  NFCT_PROTO_SRC: 11,
  NFCT_PROTO_DST: 12,
  RTCLASSID: 13,
  SKUID: 14,
  SKGID: 15,
  VLAN_TAG: 16,
  RXHASH: 17,
});

/** FLOW_MODE_*: one key mapped, or several hashed. */
const FLOW_MODE = cEnum("linux/pkt_cls.h", "FLOW_MODE_", { MAP: 0, HASH: 1 });

/** A flow key, as tc(8) names it. */
export type FlowKey =
  | "src"
  | "dst"
  | "proto"
  | "proto-src"
  | "proto-dst"
  | "iif"
  | "priority"
  | "mark"
  | "nfct"
  | "nfct-src"
  | "nfct-dst"
  | "nfct-proto-src"
  | "nfct-proto-dst"
  | "rt-classid"
  | "sk-uid"
  | "sk-gid"
  | "vlan-tag"
  | "rxhash";

/** tc(8)'s key names by their FLOW_KEY_* C name (the bit comes from the audited table). */
const KEY_WORDS: Readonly<Record<keyof typeof FLOW_KEY.values & string, FlowKey>> = {
  SRC: "src",
  DST: "dst",
  PROTO: "proto",
  PROTO_SRC: "proto-src",
  PROTO_DST: "proto-dst",
  IIF: "iif",
  PRIORITY: "priority",
  MARK: "mark",
  NFCT: "nfct",
  NFCT_SRC: "nfct-src",
  NFCT_DST: "nfct-dst",
  NFCT_PROTO_SRC: "nfct-proto-src",
  NFCT_PROTO_DST: "nfct-proto-dst",
  RTCLASSID: "rt-classid",
  SKUID: "sk-uid",
  SKGID: "sk-gid",
  VLAN_TAG: "vlan-tag",
  RXHASH: "rxhash",
};
const BIT_BY_WORD = new Map<string, number>(
  Object.entries(KEY_WORDS).map(([c, word]) => [word, FLOW_KEY.values[c]]),
);
const WORD_BY_BIT = new Map<number, FlowKey>(Object.entries(KEY_WORDS).map(([c, w]) => [FLOW_KEY.values[c], w]));

/** TCA_FLOW_KEYS: a key bitmask, decoded as tc(8)'s key names (unknown bits as numbers). */
const FLOW_KEYS: CustomCodec = {
  decode(_b, v, off, len) {
    if (len < 4) throw new DecodeError(`flow keys need 4 bytes, got ${len}`, off);
    const mask = v.getUint32(off, true);
    const out: (FlowKey | number)[] = [];
    for (let bit = 0; bit < 32; bit++) if (mask & (1 << bit)) out.push(WORD_BY_BIT.get(bit) ?? bit);
    return out;
  },
  encode(w, x, path) {
    w.u32(intIn(x, 0, 0xffffffff, path)!);
  },
};

/** TCA_FLOW_*: flow filter options. */
export const FLOW_ATTRS: AttrSchema = attrSchema("TCA_FLOW_", "linux/pkt_cls.h", {
  KEYS: { id: 1, type: "custom", codec: FLOW_KEYS },
  MODE: { id: 2, type: "u32", enum: FLOW_MODE },
  BASECLASS: { id: 3, type: "custom", codec: CLASSID },
  RSHIFT: { id: 4, type: "u32" },
  ADDEND: { id: 5, type: "u32" },
  MASK: { id: 6, type: "u32" },
  XOR: { id: 7, type: "u32" },
  DIVISOR: { id: 8, type: "u32" },
  ACT: { id: 9, type: "custom", codec: ACTIONS },
  POLICE: { id: 10, type: "nested", schema: POLICE_ATTRS },
  EMATCHES: { id: 11, type: "custom", codec: EMATCH_TREE },
  PERTURB: { id: 12, type: "u32" },
});

/**
 * A flow filter. The value operations apply in the order `and`, `or`, `xor`
 * (then `rshift` and `addend`, in the kernel).
 *
 * @example
 * ```ts
 * import type { FlowOptions } from "./flow.ts";
 * const f: FlowOptions = { kind: "flow", mode: "hash", keys: ["src", "dst"], divisor: 1024, baseclass: "1:1" };
 * ```
 */
export interface FlowOptions {
  /** The kind. */
  kind: "flow";
  /** `map` (one key, default) or `hash` (several keys). */
  mode?: "map" | "hash";
  /** The keys (`keys src,dst`; in `map` mode exactly one); required when creating. */
  keys?: FlowKey[];
  /** Shift the value right by this many bits (`rshift`). */
  rshift?: number;
  /** Add this to the value (`addend`): a number (negative ones wrap), or an IPv4 address with an address key. */
  addend?: number | string;
  /** The number of classes the value is reduced to (`divisor`). */
  divisor?: number;
  /** The class the value counts from (`baseclass 1:1`; its minor number must not be 0). */
  baseclass?: Handle;
  /** Seconds between hash perturbations (`perturb`, hash mode). */
  perturb?: number;
  /** An old-style policer (`police …` among the filter's words), sent in TCA_*_POLICE. */
  police?: FilterPoliceOptions;
  /** Actions on matching packets (`action …`). */
  actions?: ActionOptions[];
  /**
   * The ematch tree (`match …`): typed, or (an escape hatch) the raw value
   * of TCA_FLOW_EMATCHES.
   */
  ematches?: Ematch | Uint8Array;
  /** AND the value with this (`and`). */
  and?: number;
  /** OR the value with this (`or`). */
  or?: number;
  /** XOR the value with this (`xor`). */
  xor?: number;
}

/** flow's decoded options. */
export interface FlowData {
  /** The keys, by tc(8)'s names. */
  keys?: (FlowKey | number)[];
  /** `map` or `hash`. */
  mode?: "map" | "hash" | number;
  /** The base class (`"1:1"`). */
  baseclass?: string;
  /** Right shift. */
  rshift?: number;
  /** Added value. */
  addend?: number;
  /** The mask the value is ANDed with. */
  mask?: number;
  /** What the value is XORed with after masking. */
  xor?: number;
  /** The divisor. */
  divisor?: number;
  /** Actions. */
  act?: Action[];
  /** The old-style policer. */
  police?: PoliceData;
  /** The ematch tree (its bytes only when they do not form one). */
  ematches?: Ematch | Uint8Array;
  /** Hash perturbation period in seconds. */
  perturb?: number;
}

const ADDRESS_KEYS = new Set(["src", "dst", "nfct-src", "nfct-dst"]);

function keyMask(x: unknown): { mask: number; count: number } {
  if (!Array.isArray(x) || x.length === 0) throw new ValidationError("keys", x, "expected a list of flow keys");
  let mask = 0;
  for (const [i, k] of x.entries()) {
    const bit = BIT_BY_WORD.get(k as string);
    if (bit === undefined) {
      throw new ValidationError(`keys[${i}]`, k, `expected one of ${[...BIT_BY_WORD.keys()].join(", ")}`);
    }
    mask |= 1 << bit;
  }
  return { mask: mask >>> 0, count: x.length };
}

function addendOf(x: unknown, keys: readonly unknown[] | undefined): number | undefined {
  if (x === undefined) return undefined;
  if (typeof x === "number") {
    if (Number.isInteger(x) && x >= -0xffffffff && x <= 0xffffffff) return x >>> 0;
  } else if (typeof x === "string") {
    const neg = x.startsWith("-");
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(neg ? x.slice(1) : x);
    const octets = m?.slice(1).map(Number);
    if (octets && octets.every((o) => o <= 255) && (keys ?? []).some((k) => ADDRESS_KEYS.has(k as string))) {
      const n = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
      return (neg ? -n : n) >>> 0;
    }
  }
  throw new ValidationError("addend", x, "expected a 32-bit number, or an IPv4 address with an address key");
}

const FLOW_KEYS_OPTS = [
  "mode",
  "keys",
  "rshift",
  "addend",
  "divisor",
  "baseclass",
  "perturb",
  "police",
  "actions",
  "ematches",
  "and",
  "or",
  "xor",
];

/** The flow codec. */
export const FLOW: TcKindCodec = {
  options: FLOW_ATTRS,
  keys: FLOW_KEYS_OPTS,
  encode(o, ctx) {
    const mode = o.mode ?? "map";
    if (mode !== "map" && mode !== "hash") throw new ValidationError("mode", o.mode, 'expected "map" or "hash"');
    const keys = o.keys === undefined ? undefined : keyMask(o.keys);
    if (keys === undefined && ctx.op !== "change") {
      throw new ValidationError("keys", o.keys, "a flow filter needs keys");
    }
    if (keys !== undefined && keys.count > 1 && mode !== "hash") {
      throw new ValidationError("keys", o.keys, 'several keys need mode "hash"');
    }
    // tc writes these as it reads them, then the mode, mask and xor after all arguments.
    const out: Record<string, unknown> = {};
    if (keys !== undefined) out.keys = keys.mask;
    const rshift = intIn(o.rshift, 0, 0xffffffff, "rshift");
    if (rshift !== undefined) out.rshift = rshift;
    const addend = addendOf(o.addend, o.keys as unknown[] | undefined);
    if (addend !== undefined) out.addend = addend;
    const divisor = intIn(o.divisor, 0, 0xffffffff, "divisor");
    if (divisor !== undefined) out.divisor = divisor;
    if (o.baseclass !== undefined) {
      const base = parseClassId(o.baseclass as Handle, "baseclass");
      if ((base & 0xffff) === 0) throw new ValidationError("baseclass", o.baseclass, "its minor number must not be 0");
      out.baseclass = base;
    }
    const perturb = intIn(o.perturb, 0, 0xffffffff, "perturb");
    if (perturb !== undefined) out.perturb = perturb;
    const police = policeOf(o, ctx);
    if (police !== undefined) out.police = police;
    if (o.actions !== undefined) out.act = actionsValue(o.actions, ctx, "actions");
    const ematches = ematchValue(o.ematches, "ematches", o);
    if (ematches !== undefined) out.ematches = ematches;
    out.mode = FLOW_MODE.value(mode, "mode");
    // and/or/xor fold into one mask and one xor value, as tc(8) folds them.
    let mask = 0xffffffff, xor = 0;
    const fold = (m: number, x: number) => {
      xor = (x ^ (xor & m)) >>> 0;
      mask = (mask & m) >>> 0;
    };
    const and = intIn(o.and, 0, 0xffffffff, "and");
    if (and !== undefined) fold(and, 0);
    const or = intIn(o.or, 0, 0xffffffff, "or");
    if (or !== undefined) fold(~or >>> 0, or);
    const x = intIn(o.xor, 0, 0xffffffff, "xor");
    if (x !== undefined) fold(0xffffffff, x);
    if (mask !== 0xffffffff || xor !== 0) {
      out.mask = mask;
      out.xor = xor;
    }
    return out;
  },
};
