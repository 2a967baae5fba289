/**
 * tun and tap devices' link data (IFLA_TUN_*): what a link dump reports about
 * a device made through `/dev/net/tun` — its type, packet-info and virtio-net
 * header flags, persistence, queues, owner and group. These devices are
 * created through ioctls (see `src/tuntap/`), never through RTM_NEWLINK, so the
 * kind has a decoder only.
 *
 * @module
 */
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema, decodeAttrs } from "../../core/schema.ts";
import { BOOL, type KindCodec } from "./common.ts";

/** IFLA_TUN_TYPE's values: the IFF_TUN / IFF_TAP flag (<linux/if_tun.h>). */
export const TUN_TYPE: EnumTable = cEnum("linux/if_tun.h", "IFF_", { TUN: 0x0001, TAP: 0x0002 });

/** IFLA_TUN_*: a tun/tap device's data. */
export const TUN_ATTRS: AttrSchema = attrSchema("IFLA_TUN_", "linux/if_link.h", {
  OWNER: { id: 1, type: "u32" },
  GROUP: { id: 2, type: "u32" },
  TYPE: { id: 3, type: "u8", enum: TUN_TYPE },
  PI: { id: 4, type: "custom", codec: BOOL },
  VNET_HDR: { id: 5, type: "custom", codec: BOOL },
  PERSIST: { id: 6, type: "custom", codec: BOOL },
  MULTI_QUEUE: { id: 7, type: "custom", codec: BOOL },
  NUM_QUEUES: { id: 8, type: "u32" },
  NUM_DISABLED_QUEUES: { id: 9, type: "u32" },
});

/** A tun/tap device's decoded data (IFLA_TUN_*). */
export interface TunLinkData {
  /** The owner's uid, when one is set (TUNSETOWNER). */
  owner?: number;
  /** The group's gid, when one is set (TUNSETGROUP). */
  group?: number;
  /** `"tun"` (layer 3) or `"tap"` (Ethernet); a number the table does not name. */
  type?: "tun" | "tap" | number;
  /** Packets carry the 4-byte packet-information header (IFF_NO_PI not set). */
  pi?: boolean;
  /** Packets carry a virtio-net header (IFF_VNET_HDR). */
  vnetHdr?: boolean;
  /** The device outlives its last file descriptor (IFF_PERSIST). */
  persist?: boolean;
  /** The device takes several queues (IFF_MULTI_QUEUE). */
  multiQueue?: boolean;
  /** Queues attached now (multi-queue devices only). */
  numQueues?: number;
  /** Of those, queues disabled with TUNSETQUEUE (multi-queue devices only). */
  numDisabledQueues?: number;
}

/**
 * Decodes a tun device's IFLA_INFO_DATA payload (the bytes a link dump keeps
 * raw for kind `"tun"`).
 *
 * @example
 * ```ts
 * import { decodeTunData } from "./tun.ts";
 * // IFLA_TUN_TYPE = 2 (tap), IFLA_TUN_PERSIST = 1
 * decodeTunData(new Uint8Array([5, 0, 3, 0, 2, 0, 0, 0, 5, 0, 6, 0, 1, 0, 0, 0]));
 * // { type: "tap", persist: true }
 * ```
 */
export function decodeTunData(raw: Uint8Array): TunLinkData {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = decodeAttrs(TUN_ATTRS, raw, v, 0, raw.length) as TunLinkData & { unknownAttrs?: unknown };
  delete out.unknownAttrs;
  return out;
}

/** tun's codec: decoding only (the devices are made with ioctls on /dev/net/tun). */
export const TUN: KindCodec = { schema: TUN_ATTRS };
