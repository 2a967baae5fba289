/**
 * What every link kind module shares: the shape of a kind's codec (its
 * IFLA_INFO_DATA schema and the function that turns typed options into those
 * attributes, in iproute2's order), and the few value codecs that the generic
 * attribute types do not cover (on/off bytes as booleans, arrays indexed from
 * 0, nests of repeated structs, 64-bit names).
 *
 * @module
 */
import { DecodeError, ValidationError } from "../../core/errors.ts";
import { type AttrSchema, type AttrSpec, type CustomCodec, decodeAttrs, encodeAttrs } from "../../core/schema.ts";
import { SCALARS } from "../../core/scalars.ts";
import { attrSchema } from "../../core/schema.ts";
import { ipFamily } from "../../util/addr.ts";
import type { Dev } from "../link_types.ts";

/** EtherType names, for the kinds that name protocols (the table is in tables.ts, with the other constant tables). */
export { ETH_P } from "../tables.ts";

/**
 * What a kind's encoder may ask while it builds its attributes: whether the
 * request creates the link or changes an existing one (iproute2 sends some
 * defaults only on create), and the ifindex of a device option (names are
 * resolved before the request is built).
 */
export interface KindContext {
  /** True for `ip link set … type KIND …` (RTM_NEWLINK without NLM_F_CREATE). */
  readonly change: boolean;
  /** The ifindex for the device option at `path` (e.g. `"dev"`, `"slave1"`). */
  dev(path: string, value: Dev): number;
}

/** A kind's options as the encoders see them: a plain object. */
export type KindOptions = Readonly<Record<string, unknown>>;

/** How one kind is encoded and decoded. */
export interface KindCodec {
  /** IFLA_INFO_DATA attributes (decoding; encoding when `encode` is given). */
  readonly schema?: AttrSchema;
  /**
   * Builds the IFLA_INFO_DATA attributes from the kind's options, in the order
   * iproute2 writes them; undefined when there are none to send (iproute2 then
   * sends no IFLA_INFO_DATA at all).
   */
  readonly encode?: (o: KindOptions, ctx: KindContext) => Record<string, unknown> | undefined;
  /**
   * Whether `ip link set DEV type KIND …` changes are sent as given: the
   * kernel has changelink and takes partial updates. A kind with `current` is
   * changeable too, over its current settings.
   */
  readonly changeable?: boolean;
  /**
   * The options that reproduce a link's current settings (its decoded
   * IFLA_INFO_DATA). A kind that has them is changed over its current
   * settings: its kernel side resets every setting a change leaves out, so
   * `setLink` reads the link first and sends the whole set, as iproute2's
   * tunnel kinds do (see {@linkcode overCurrent}).
   */
  readonly current?: (data: Readonly<Record<string, unknown>>) => Record<string, unknown>;
  /** Options that stand for others of the current settings (`key` sets `ikey` and `okey`). */
  readonly covers?: Readonly<Record<string, readonly string[]>>;
  /** The options that name devices (resolved to ifindexes before building): option name → path. */
  readonly devOptions?: readonly string[];
}

/**
 * A change's options laid over a link's current settings: the kind's
 * `current(data)`, less what the change's options cover, then the change's
 * options (theirs win).
 *
 * @example
 * ```ts
 * import { overCurrent } from "./common.ts";
 * const codec = { current: (d: Record<string, unknown>) => ({ ikey: d.ikey, ttl: d.ttl }), covers: { key: ["ikey"] } };
 * overCurrent(codec, { ikey: 1, ttl: 64 }, { key: 7 }); // { ttl: 64, key: 7 }
 * ```
 */
export function overCurrent(
  codec: Pick<KindCodec, "current" | "covers">,
  data: Readonly<Record<string, unknown>>,
  change: KindOptions,
): Record<string, unknown> {
  const base = codec.current ? codec.current(data) : {};
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) continue;
    for (const covered of codec.covers?.[name] ?? []) delete base[covered];
  }
  const out: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(change)) if (value !== undefined) out[name] = value;
  return out;
}

/**
 * A tunnel endpoint option into `out[name]`: nothing for undefined or `"any"`
 * (the kernel's wildcard, what a change sets to clear an endpoint), else an
 * address of IP `version`.
 *
 * @example
 * ```ts
 * import { tunnelEndpoint } from "./common.ts";
 * const out: Record<string, unknown> = {};
 * tunnelEndpoint({ remote: "192.0.2.2" }, "remote", 4, out); // out.remote === "192.0.2.2"
 * ```
 */
export function tunnelEndpoint(o: KindOptions, name: string, version: 4 | 6, out: Record<string, unknown>): void {
  const value = o[name];
  if (value === undefined || value === "any") return;
  ipVersion(value, name, version);
  out[name] = value;
}

/**
 * Sets `out[name]` when `value` is defined; returns `out` (for chaining).
 *
 * @example
 * ```ts
 * import { put } from "./common.ts";
 * put({}, "id", 5); // { id: 5 }
 * ```
 */
export function put(out: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  if (value !== undefined) out[name] = value;
  return out;
}

/** Whether any of `names` is set in `o`. */
export function hasAny(o: KindOptions, names: readonly string[]): boolean {
  return names.some((n) => o[n] !== undefined);
}

/**
 * A boolean option as the 0/1 byte the kernel wants (undefined passes through).
 *
 * @example
 * ```ts
 * import { onOff } from "./common.ts";
 * onOff(true, "learning"); // 1
 * ```
 */
export function onOff(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (value === true || value === 1) return 1;
  if (value === false || value === 0) return 0;
  throw new ValidationError(path, value, "expected true or false");
}

/**
 * Checks that `value` is one of `choices` (undefined passes through).
 *
 * @example
 * ```ts
 * import { oneOf } from "./common.ts";
 * oneOf("l3", ["l2", "l3"], "mode"); // "l3"
 * ```
 */
export function oneOf<T extends string>(value: unknown, choices: readonly T[], path: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
  throw new ValidationError(path, value, `expected one of ${choices.join(", ")}`);
}

/**
 * Checks an integer option's range (undefined passes through).
 *
 * @example
 * ```ts
 * import { intIn } from "./common.ts";
 * intIn(100, 0, 4095, "id"); // 100
 * ```
 */
export function intIn(value: unknown, min: number, max: number, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(path, value, `expected an integer ${min}..${max}`);
  }
  return value;
}

/**
 * The address family of an IP address option (4 or 6), refusing anything
 * else — and, given `want`, the other family.
 *
 * @example
 * ```ts
 * import { ipVersion } from "./common.ts";
 * ipVersion("2001:db8::1", "remote"); // 6
 * ```
 */
export function ipVersion(value: unknown, path: string, want?: 4 | 6): 4 | 6 {
  const fam = typeof value === "string" ? ipFamily(value) : 0;
  const v = fam === 2 ? 4 : fam === 10 ? 6 : 0;
  if (v === 0 || (want !== undefined && v !== want)) {
    throw new ValidationError(path, value, `expected an IPv${want ?? "4 or IPv6"} address`);
  }
  return v;
}

/** Whether an IPv4 or IPv6 address (already checked) is multicast. */
export function isMulticast(address: string): boolean {
  if (address.includes(":")) return /^ff/i.test(address);
  const first = Number(address.split(".")[0]);
  return first >= 224 && first <= 239;
}

/**
 * An on/off byte (u8 0/1) decoded as a boolean; encodes `true`/`false` (or 1/0).
 *
 * @example
 * ```ts
 * import { attrSchema } from "../../core/schema.ts";
 * import { BOOL } from "./common.ts";
 * const S = attrSchema("DEMO_", "", { ON: { id: 1, type: "custom", codec: BOOL } }, { audit: false });
 * ```
 */
export const BOOL: CustomCodec = {
  decode(b, _v, off, len) {
    if (len < 1) throw new DecodeError("on/off attribute without its byte", off);
    return b[off] !== 0;
  },
  encode(w, x, path) {
    const n = onOff(x, path);
    if (n === undefined) throw new ValidationError(path, x, "expected true or false");
    w.u8(n);
  },
};

/**
 * A nest of addresses keyed by position from 0 (IFLA_BOND_ARP_IP_TARGET,
 * IFLA_BOND_NS_IP6_TARGET): the engine's "array" numbers elements from 1,
 * the bonding driver and iproute2 from 0.
 *
 * @example
 * ```ts
 * import { indexedAddresses } from "./common.ts";
 * const codec = indexedAddresses("ipv4");
 * ```
 */
export function indexedAddresses(of: "ipv4" | "ipv6"): CustomCodec {
  const scalar = SCALARS[of];
  const schema = attrSchema("INDEXED_", "", { LIST: { id: 1, type: "array", of } }, { audit: false });
  const list = schema.field("list");
  return {
    decode: (b, v, off, len, ctx) => list.decode(b, v, off, len, ctx),
    encode(w, x, path) {
      if (!Array.isArray(x)) throw new ValidationError(path, x, `expected a list of ${of} addresses`);
      x.forEach((addr, i) => {
        const at = w.beginAttr(i);
        const p = w.zeros(scalar.size);
        scalar.write(w.view, w.buffer, p, addr, `${path}[${i}]`);
        w.endAttr(at);
      });
    },
  };
}

/**
 * A nest whose children are all one attribute (the VLAN QoS maps:
 * IFLA_VLAN_QOS_MAPPING × n; macvlan's IFLA_MACVLAN_MACADDR × n), as a plain
 * list of the children's values.
 *
 * @example
 * ```ts ignore
 * import { listOf } from "./common.ts";
 * const QOS = listOf("IFLA_VLAN_QOS_", "linux/if_link.h", "MAPPING", { id: 1, type: "struct", struct: MAPPING });
 * ```
 */
export function listOf(prefix: string, header: string, key: string, element: AttrSpec): CustomCodec {
  const schema = attrSchema(prefix, header, { [key]: { ...element, multi: true, name: "items" } });
  return {
    decode: (b, v, off, len, ctx) => (decodeAttrs(schema, b, v, off, off + len, ctx).items as unknown[]) ?? [],
    encode(w, x, path, ctx) {
      if (!Array.isArray(x)) throw new ValidationError(path, x, "expected a list");
      encodeAttrs(w, schema, { items: x }, path, ctx);
    },
  };
}

/**
 * A u64 that names one of a few values too large for the enum tables'
 * numbers (MACsec cipher suite ids): names encode to `names`' values,
 * values decode through `decodeNames` (the bigint itself when unknown).
 *
 * @example
 * ```ts
 * import { u64Names } from "./common.ts";
 * const codec = u64Names({ "gcm-aes-128": 0x0080c20001000001n }, new Map([[0x0080c20001000001n, "gcm-aes-128"]]));
 * ```
 */
export function u64Names(
  names: Readonly<Record<string, bigint>>,
  decodeNames: ReadonlyMap<bigint, string>,
): CustomCodec {
  return {
    decode(_b, v, off, len) {
      if (len < 8) throw new DecodeError(`u64 needs 8 bytes, got ${len}`, off);
      const n = v.getBigUint64(off, true);
      return decodeNames.get(n) ?? n;
    },
    encode(w, x, path) {
      const n = typeof x === "string" ? names[x] : typeof x === "bigint" ? x : undefined;
      if (n === undefined || n < 0n || n > 0xffffffffffffffffn) {
        throw new ValidationError(path, x, `expected one of ${Object.keys(names).join(", ")} or a u64 bigint`);
      }
      w.u64(n);
    },
  };
}

/**
 * A tunnel key (`key`, `ikey`, `okey`): a number, or dotted-quad text as
 * iproute2 also accepts; the value of the be32 attribute. `false` is no key
 * (`nokey`), as undefined is.
 *
 * @example
 * ```ts
 * import { tunnelKey } from "./common.ts";
 * tunnelKey("0.0.1.0", "key"); // 256
 * ```
 */
export function tunnelKey(value: unknown, path: string): number | undefined {
  if (value === undefined || value === false) return undefined;
  if (typeof value === "string" && /^\d+(\.\d+){3}$/.test(value)) {
    const parts = value.split(".").map(Number);
    if (parts.every((p) => p <= 255)) return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  }
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
  throw new ValidationError(path, value, "a key is a u32 or dotted quad");
}
