/**
 * Kinds without options of their own: dummy, ifb, nlmon, vcan, team,
 * wireguard (their configuration, if any, is generic netlink) and virt_wifi
 * (a parent device, given as `link`).
 *
 * @module
 */
import type { Dev, LinkCommonOptions } from "../link_types.ts";
import type { KindCodec } from "./common.ts";

/**
 * A link of a kind without options.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "dummy", name: "d0" });
 * await addLink(conn, { kind: "wireguard", name: "wg0" });
 * ```
 */
export interface SimpleLinkOptions extends LinkCommonOptions {
  /** The kind: `"dummy"`, `"ifb"`, `"nlmon"`, `"vcan"`, `"team"` or `"wireguard"`. */
  kind: "dummy" | "ifb" | "nlmon" | "vcan" | "team" | "wireguard";
}

/**
 * A virtual Wi-Fi device over an Ethernet device.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "virt_wifi", name: "wlan0", link: "p0" });
 * ```
 */
export interface VirtWifiOptions extends LinkCommonOptions {
  /** The kind. */
  kind: "virt_wifi";
  /** The Ethernet device it runs over. */
  link: Dev;
}

/** The codec of a kind without data. */
export const SIMPLE: KindCodec = {};
