/**
 * pedit: rewrite packet bytes (`action pedit [ex] munge ip ttl set 63 …`).
 * Every edit becomes 32-bit kernel keys (struct tc_pedit_key) after the
 * selector (struct tc_pedit_sel); extended mode (`ex`) adds each key's
 * header type and command in TCA_PEDIT_KEYS_EX. The keys are packed as
 * iproute2 packs them (see pedit_fields.ts).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { structList } from "../../core/struct_list.ts";
import { cStruct } from "../../core/struct.ts";
import { listOf } from "../../route/kinds/common.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import {
  fieldPlace,
  type PackedKey,
  packKeys,
  type PeditCmd,
  type PeditEthField,
  type PeditIp6Field,
  type PeditIpField,
  type PeditPlace,
  type PeditTcpField,
  type PeditUdpField,
  rawPlace,
} from "./pedit_fields.ts";

const HEADER = "linux/tc_act/tc_pedit.h";

/** Header types of extended keys, by the names of {@linkcode PeditFieldKey}'s `header` (`ip` is IPv4). */
export const PEDIT_HTYPE: EnumTable = cEnum(HEADER, "TCA_PEDIT_KEY_EX_HDR_TYPE_", {
  NETWORK: 0,
  ETH: 1,
  IP4: 2,
  IP6: 3,
  TCP: 4,
  UDP: 5,
}, (k) => (k === "IP4" ? "ip" : k.toLowerCase()));

/** Commands of extended keys: `set` (XOR into the masked word) or `add`. */
export const PEDIT_CMD: EnumTable = cEnum(HEADER, "TCA_PEDIT_KEY_EX_CMD_", { SET: 0, ADD: 1 });

/** struct tc_pedit_sel without its keys: tc_gen, the key count and flags. */
const TC_PEDIT_SEL = cStruct(HEADER, "struct tc_pedit_sel", [
  ...TC_GEN,
  { c: "nkeys", type: "u8" },
  { c: "flags", type: "u8" },
]);

/** struct tc_pedit_key: mask and value are in network order on the wire (decoded as the numbers tc(8) prints). */
const TC_PEDIT_KEY = cStruct(HEADER, "struct tc_pedit_key", [
  { c: "mask", type: "be32" },
  { c: "val", type: "be32" },
  { c: "off", type: "s32" },
  { c: "at", type: "u32" },
  { c: "offmask", type: "u32" },
  { c: "shift", type: "u32" },
]);

/** struct tc_pedit_sel followed by its `nkeys` keys (TCA_PEDIT_PARMS, TCA_PEDIT_PARMS_EX). */
const PEDIT_SEL: CustomCodec = structList({
  head: TC_PEDIT_SEL,
  count: "nkeys",
  list: "keys",
  element: TC_PEDIT_KEY,
  max: 0xff,
});

/** TCA_PEDIT_KEY_EX_*: one extended key's header type and command. */
const KEY_EX_ATTRS = attrSchema("TCA_PEDIT_KEY_EX_", HEADER, {
  HTYPE: { id: 1, type: "u16", enum: PEDIT_HTYPE },
  CMD: { id: 2, type: "u16", enum: PEDIT_CMD },
});

/** TCA_PEDIT_*. */
export const PEDIT_ATTRS: AttrSchema = attrSchema("TCA_PEDIT_", HEADER, {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "custom", codec: PEDIT_SEL },
  PAD: { id: 3, type: "pad" },
  PARMS_EX: { id: 4, type: "custom", codec: PEDIT_SEL },
  KEYS_EX: {
    id: 5,
    type: "custom",
    nestedFlag: true,
    codec: listOf("TCA_PEDIT_", HEADER, "KEY_EX", { id: 6, type: "nested", schema: KEY_EX_ATTRS, nestedFlag: true }),
  },
});

/** What a key does: tc(8)'s `set VAL`, `add VAL`, `clear`, `invert`, `preserve`, `decrement`, then `retain MASK`. */
export interface PeditCommandOptions {
  /**
   * The command: `set` (write `value`), `add` (add `value`; `ex` only),
   * `clear` (zero), `invert`, `preserve` (leave as is), `decrement` (ttl and
   * hoplimit; `ex` only).
   */
  cmd: PeditCmd;
  /** The value of `set`/`add`: a number, or an address for ip/ip6 src/dst and a MAC for eth src/dst. */
  value?: number | string;
  /** Only these bits of the field change (`retain`; default: the whole field, as iproute2 defines it). */
  retain?: number;
}

/** A raw key (`munge offset 12 u32 set 0x0a000001`): bytes from the network header (from `at`'s byte on). */
export interface PeditRawKey extends PeditCommandOptions {
  /** Byte offset (`offset`; negative reaches before the network header). */
  offset: number;
  /** Width (`u8`, `u16`, `u32`); u16 and u32 fields may not cross a 32-bit word. */
  size: "u8" | "u16" | "u32";
  /** `at AT OFFMASK SHIFT`: the offset grows by `(byte at AT & OFFMASK) >> SHIFT` (e.g. past IP options). */
  at?: number;
  /** The mask of `at`'s byte (tc(8) reads it as hexadecimal; give a number). */
  offmask?: number;
  /** The right shift of `at`'s byte. */
  shift?: number;
}

/** A named field (`munge ip ttl decrement`, `munge eth dst set 02:00:00:00:00:01`). */
export type PeditFieldKey =
  & PeditCommandOptions
  & (
    | { header: "eth"; field: PeditEthField }
    | { header: "ip"; field: PeditIpField }
    | { header: "ip6"; field: PeditIp6Field }
    | { header: "tcp"; field: PeditTcpField }
    | { header: "udp"; field: PeditUdpField }
  );

/** One edit. */
export type PeditKey = PeditRawKey | PeditFieldKey;

/** Rewrite packet fields (`action pedit [ex] munge … [CONTROL]`). */
export interface PeditOptions {
  /** The kind. */
  kind: "pedit";
  /**
   * Extended keys (`pedit ex`): field offsets relative to their header, `add`
   * and `decrement`, and the eth, ip6, tcp and udp fields.
   */
  ex?: boolean;
  /** The edits, in order (`munge …`); at least one. A MAC field takes 2 kernel keys, an IPv6 address 4 (128 at most). */
  keys: PeditKey[];
  /** The verdict afterwards (default `pass`). */
  control?: Verdict;
}

/** One kernel key, decoded: the word at `off` becomes `(word & mask) ^ val` (or `+ val` for extended `add`). */
export interface PeditKeyData {
  /** Bits kept. */
  mask: number;
  /** Bits applied. */
  val: number;
  /** Word offset. */
  off: number;
  /** `at` byte offset. */
  at: number;
  /** `at` byte mask. */
  offmask: number;
  /** `at` byte shift. */
  shift: number;
}

/** pedit's selector, decoded. */
export interface PeditSelData {
  /** The action's index. */
  index: number;
  /** Capabilities. */
  capab: number;
  /** The verdict. */
  action: string | number;
  /** References. */
  refcnt: number;
  /** Bindings. */
  bindcnt: number;
  /** How many keys. */
  nkeys: number;
  /** Flags. */
  flags: number;
  /** The keys. */
  keys: PeditKeyData[];
}

/** pedit's decoded options (`parms` for legacy keys; `parmsEx` and `keysEx` for extended ones). */
export interface PeditData {
  /** Timestamps. */
  tm?: { install: bigint; lastuse: bigint; expires: bigint; firstuse: bigint };
  /** Legacy selector and keys. */
  parms?: PeditSelData;
  /** Extended selector and keys. */
  parmsEx?: PeditSelData;
  /** Each extended key's header type (`network`, `eth`, `ip`, `ip6`, `tcp`, `udp`) and command (`set`, `add`). */
  keysEx?: { htype: string | number; cmd: string | number }[];
}

const RAW_KEYS = new Set(["offset", "size", "at", "offmask", "shift", "cmd", "value", "retain"]);
const FIELD_KEYS = new Set(["header", "field", "cmd", "value", "retain"]);

/** The kernel keys of one edit. */
function keyOf(k: unknown, ex: boolean, path: string): PackedKey[] {
  if (k === null || typeof k !== "object") throw new ValidationError(path, k, "expected a pedit key");
  const o = k as Record<string, unknown>;
  const named = o.header !== undefined || o.field !== undefined;
  const allowed = named ? FIELD_KEYS : RAW_KEYS;
  for (const name of Object.keys(o)) {
    if (o[name] !== undefined && !allowed.has(name)) {
      const why = named ? "a field key takes header, field, cmd, value, retain" : "not an option of a raw key";
      throw new ValidationError(`${path}.${name}`, o[name], why);
    }
  }
  const place: PeditPlace = named ? fieldPlace(o.header, o.field, ex, path) : rawPlace(o, path);
  return packKeys(place, o, ex, path);
}

/** The most kernel keys one pedit action holds (iproute2's MAX_OFFS). */
const MAX_KEYS = 128;

/** The pedit codec. */
export const PEDIT: TcKindCodec = {
  options: PEDIT_ATTRS,
  keys: ["ex", "keys", "control"],
  encode(o) {
    if (o.ex !== undefined && typeof o.ex !== "boolean") {
      throw new ValidationError("ex", o.ex, "expected true or false");
    }
    const ex = o.ex === true;
    if (!Array.isArray(o.keys) || o.keys.length === 0) {
      throw new ValidationError("keys", o.keys, "pedit needs a list of at least one key");
    }
    const packed = o.keys.flatMap((k, i) => keyOf(k, ex, `keys[${i}]`));
    if (packed.length > MAX_KEYS) {
      throw new ValidationError("keys", o.keys.length, `${packed.length} kernel keys: at most ${MAX_KEYS}`);
    }
    const sel = {
      ...tcGen(o, "pass"),
      keys: packed.map(({ mask, val, off, at, offmask, shift }) => ({ mask, val, off, at, offmask, shift })),
    };
    if (!ex) return { parms: sel };
    return { parmsEx: sel, keysEx: packed.map(({ htype, cmd }) => ({ htype, cmd })) };
  },
};
