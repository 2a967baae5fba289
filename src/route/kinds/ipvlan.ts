/**
 * ipvlan and ipvtap: IFLA_IPVLAN_* as data, the typed options of `ip link add
 * link DEV NAME type ipvlan|ipvtap mode l2|l3|l3s [bridge|private|vepa]`, and
 * the decoded data.
 *
 * @module
 */
import { cEnum, cFlags, type EnumTable, type FlagTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import { type KindCodec, type KindOptions, oneOf, put } from "./common.ts";

/** ipvlan modes (IPVLAN_MODE_*): `l2`, `l3`, `l3s`. */
export const IPVLAN_MODE: EnumTable = cEnum("linux/if_link.h", "IPVLAN_MODE_", { L2: 0, L3: 1, L3S: 2 });

/** ipvlan flags (IPVLAN_F_*): `private`, `vepa` (neither: bridge). */
export const IPVLAN_F: FlagTable = cFlags("linux/if_link.h", "IPVLAN_F_", { PRIVATE: 1, VEPA: 2 });

/** IFLA_IPVLAN_*: an ipvlan's (or ipvtap's) data. */
export const IPVLAN_ATTRS: AttrSchema = attrSchema("IFLA_IPVLAN_", "linux/if_link.h", {
  MODE: { id: 1, type: "u16", enum: IPVLAN_MODE },
  FLAGS: { id: 2, type: "u16", flags: IPVLAN_F },
});

/** The settings `ip link add/set … type ipvlan|ipvtap` takes. */
export interface IpvlanSettings {
  /** `"l2"`, `"l3"` (the kernel's default) or `"l3s"` (`mode`). */
  mode?: "l2" | "l3" | "l3s";
  /** How slaves talk to each other: `"bridge"` (default), `"private"` or `"vepa"`. */
  flag?: "bridge" | "private" | "vepa";
}

/**
 * An ipvlan on `link`.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "ipvlan", name: "ipv0", link: "p0", mode: "l3", flag: "private" });
 * ```
 */
export interface IpvlanOptions extends LinkCommonOptions, IpvlanSettings {
  /** The kind. */
  kind: "ipvlan";
  /** The parent device. */
  link: Dev;
}

/** An ipvtap (an ipvlan with a tap character device) on `link`. */
export interface IpvtapOptions extends LinkCommonOptions, IpvlanSettings {
  /** The kind. */
  kind: "ipvtap";
  /** The parent device. */
  link: Dev;
}

/** An ipvlan's or ipvtap's decoded data. */
export interface IpvlanData {
  /** The mode. */
  mode?: string | number;
  /** `[]` (bridge), `["private"]` or `["vepa"]`. */
  flags?: string[];
}

/** IFLA_IPVLAN_* as iproute2 writes them: the mode when given, the flags always. */
function encode(o: KindOptions): Record<string, unknown> | undefined {
  if (o.mode === undefined && o.flag === undefined) return undefined;
  const out: Record<string, unknown> = {};
  put(out, "mode", oneOf(o.mode, ["l2", "l3", "l3s"], "mode"));
  const flag = oneOf(o.flag, ["bridge", "private", "vepa"], "flag");
  out.flags = flag === undefined || flag === "bridge" ? [] : [flag];
  return out;
}

/** ipvlan's (and ipvtap's) codec. */
export const IPVLAN: KindCodec = { schema: IPVLAN_ATTRS, encode, changeable: true };
