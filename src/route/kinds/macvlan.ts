/**
 * macvlan and macvtap: IFLA_MACVLAN_* as data, the typed options of `ip link
 * add link DEV NAME type macvlan|macvtap mode MODE …`, and the decoded data.
 *
 * @module
 */
import { cEnum, cFlags, type EnumTable, type FlagTable } from "../../core/enums.ts";
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import { type KindCodec, type KindOptions, listOf, oneOf, onOff, put } from "./common.ts";

/** macvlan modes (MACVLAN_MODE_*). */
export const MACVLAN_MODE: EnumTable = cEnum("linux/if_link.h", "MACVLAN_MODE_", {
  PRIVATE: 1,
  VEPA: 2,
  BRIDGE: 4,
  PASSTHRU: 8,
  SOURCE: 16,
});

/** macvlan flags (MACVLAN_FLAG_*): `nopromisc`, `nodst`. */
export const MACVLAN_FLAG: FlagTable = cFlags("linux/if_link.h", "MACVLAN_FLAG_", { NOPROMISC: 1, NODST: 2 });

/** What a source-mode address list request does (MACVLAN_MACADDR_*). */
export const MACVLAN_MACADDR: EnumTable = cEnum("linux/if_link.h", "MACVLAN_MACADDR_", {
  ADD: 0,
  DEL: 1,
  FLUSH: 2,
  SET: 3,
});

const ADDRESSES = listOf("IFLA_MACVLAN_", "linux/if_link.h", "MACADDR", { id: 4, type: "lladdr" });

/** IFLA_MACVLAN_*: a macvlan's (or macvtap's) data. */
export const MACVLAN_ATTRS: AttrSchema = attrSchema("IFLA_MACVLAN_", "linux/if_link.h", {
  MODE: { id: 1, type: "u32", enum: MACVLAN_MODE },
  FLAGS: { id: 2, type: "u16", flags: MACVLAN_FLAG },
  MACADDR_MODE: { id: 3, type: "u32", enum: MACVLAN_MACADDR },
  MACADDR: { id: 4, type: "lladdr" },
  MACADDR_DATA: { id: 5, type: "custom", codec: ADDRESSES },
  MACADDR_COUNT: { id: 6, type: "u32" },
  BC_QUEUE_LEN: { id: 7, type: "u32", name: "bcqueuelen" },
  BC_QUEUE_LEN_USED: { id: 8, type: "u32", name: "bcqueuelenUsed" },
});

/** A change to a source-mode macvlan's allowed source addresses (`macaddr add|del|set|flush`). */
export type MacvlanMacaddr =
  | { op: "add" | "del"; address: string }
  | { op: "set"; addresses: string[] }
  | { op: "flush" };

/** The settings `ip link add/set … type macvlan|macvtap` takes. */
export interface MacvlanSettings {
  /** `"private"`, `"vepa"` (the kernel's default), `"bridge"`, `"passthru"` or `"source"` (`mode`). */
  mode?: "private" | "vepa" | "bridge" | "passthru" | "source";
  /** Do not put the parent in promiscuous mode (passthru only) (`nopromisc`). */
  nopromisc?: boolean;
  /** Skip the destination macvlan when the source is one (`nodst`). */
  nodst?: boolean;
  /** Source-mode address list change (`macaddr …`). */
  macaddr?: MacvlanMacaddr;
  /** Broadcast/multicast queue length (`bcqueuelen`). */
  bcqueuelen?: number;
}

/**
 * A macvlan on `link`.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "macvlan", name: "mv0", link: "p0", mode: "bridge" });
 * ```
 */
export interface MacvlanOptions extends LinkCommonOptions, MacvlanSettings {
  /** The kind. */
  kind: "macvlan";
  /** The parent device. */
  link: Dev;
}

/** A macvtap (a macvlan with a tap character device) on `link`. */
export interface MacvtapOptions extends LinkCommonOptions, MacvlanSettings {
  /** The kind. */
  kind: "macvtap";
  /** The parent device. */
  link: Dev;
}

/** A macvlan's or macvtap's decoded data. */
export interface MacvlanData {
  /** The mode. */
  mode?: string | number;
  /** Flags: `"nopromisc"`, `"nodst"`. */
  flags?: string[];
  /** Number of source addresses (source mode). */
  macaddrCount?: number;
  /** The source addresses (source mode). */
  macaddrData?: string[];
  /** Broadcast queue length asked for. */
  bcqueuelen?: number;
  /** Broadcast queue length in use. */
  bcqueuelenUsed?: number;
}

const MODES = ["private", "vepa", "bridge", "passthru", "source"] as const;

/**
 * IFLA_MACVLAN_* in iproute2's order: `macaddr …` and `bcqueuelen` as
 * parsed, then the mode, then the flags.
 */
function encode(o: KindOptions): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const m = o.macaddr as MacvlanMacaddr | undefined;
  if (m !== undefined) {
    const op = oneOf(m?.op, ["add", "del", "set", "flush"], "macaddr.op");
    out.macaddrMode = op;
    if (op === "add" || op === "del") out.macaddr = (m as { address: string }).address;
    if (op === "set") out.macaddrData = (m as { addresses: string[] }).addresses;
  }
  put(out, "bcqueuelen", o.bcqueuelen);
  const mode = oneOf(o.mode, MODES, "mode");
  put(out, "mode", mode);
  if (o.nopromisc !== undefined || o.nodst !== undefined) {
    const flags: string[] = [];
    if (onOff(o.nopromisc, "nopromisc")) flags.push("nopromisc");
    if (onOff(o.nodst, "nodst")) flags.push("nodst");
    if (flags.includes("nopromisc") && mode !== "passthru") {
      throw new ValidationError("nopromisc", true, "nopromisc is for passthru mode only");
    }
    out.flags = flags;
  }
  return Object.keys(out).length ? out : undefined;
}

/** macvlan's (and macvtap's) codec. */
export const MACVLAN: KindCodec = { schema: MACVLAN_ATTRS, encode, changeable: true };
