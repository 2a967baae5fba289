/**
 * A device's link modes through ethtool's generic netlink family
 * (ETHTOOL_MSG_LINKMODES_GET, what `ethtool DEV` prints first): speed,
 * duplex, autonegotiation, lanes, and the supported, advertised and link
 * partner's modes. Asked in the connection's own network namespace.
 *
 * @module
 */
import type { NetlinkConnection } from "../../core/connection.ts";
import { REQUEST_FLAGS } from "../../core/header.ts";
import { decodeMessage, type MessageView } from "../../core/message.ts";
import { checkIndex, checkName } from "../../route/link_lookup.ts";
import type { Dev } from "../../route/link_types.ts";
import { familyBeside, withFamilyId } from "../connection.ts";
import { genlRequest } from "../header.ts";
import { ETHTOOL_GENL, ETHTOOL_GENL_NAME, ETHTOOL_MSG, LINKMODES_MESSAGE, SPEED } from "./attrs.ts";

/** A device's link modes, as ethtool reports them. */
export interface LinkModes {
  /** The device's index. */
  ifindex: number;
  /** The device's name. */
  ifname: string;
  /** Autonegotiation on. */
  autoneg: boolean;
  /** The speed in Mb/s; absent when the device reports none (SPEED_UNKNOWN: link down, no speed set). */
  speed?: number;
  /** `half`, `full` or `unknown`. */
  duplex?: string | number;
  /** Lanes in use (absent when the driver does not say). */
  lanes?: number;
  /** Master/slave configuration of a PHY that has one (`master_preferred`, `slave_force`, …). */
  masterSlaveCfg?: string | number;
  /** Master/slave state of a PHY that has one (`master`, `slave`, …). */
  masterSlaveState?: string | number;
  /** How the PHY adapts a slower link (`none`, `pause`, `crs`, `open_loop`). */
  rateMatching?: string | number;
  /** Link modes the device supports (`"10000baseT/Full"`, …). */
  supported: string[];
  /** Link modes it advertises. */
  advertised: string[];
  /** Link modes the link partner advertises. */
  peer: string[];
}

/** One bit of a verbose bitset, as decoded. */
interface BitData {
  index?: number;
  name?: string;
  value?: boolean;
}

/** A bitset as decoded from ETHTOOL_A_BITSET_*. */
interface BitsetData {
  nomask?: boolean;
  size?: number;
  bits?: { bit?: BitData[] };
}

/** The names of a verbose bitset's bits: all listed (its mask), and those set. */
function bitNames(set: BitsetData | undefined): { listed: string[]; set: string[] } {
  const listed: string[] = [];
  const on: string[] = [];
  for (const b of set?.bits?.bit ?? []) {
    const name = b.name ?? `bit${b.index ?? "?"}`;
    listed.push(name);
    if (b.value || set?.nomask) on.push(name);
  }
  return { listed, set: on };
}

/**
 * The ETHTOOL_MSG_LINKMODES_GET request for a device by name or index
 * (`familyId`: the ethtool family's id on this kernel).
 *
 * @example
 * ```ts
 * import { linkModesRequest } from "./linkmodes.ts";
 * linkModesRequest(21, "p0").length; // 32
 * ```
 */
export function linkModesRequest(familyId: number, dev: Dev): Uint8Array {
  const header = typeof dev === "number" ? { ifindex: checkIndex(dev, "dev") } : (checkName(dev, "dev"), {
    ifname: dev,
  });
  return genlRequest({
    familyId,
    flags: REQUEST_FLAGS.get,
    cmd: ETHTOOL_MSG.LINKMODES_GET,
    version: ETHTOOL_GENL.VERSION,
    schema: LINKMODES_MESSAGE,
    attrs: { header },
  });
}

/**
 * Decodes an ETHTOOL_MSG_LINKMODES_GET_REPLY (messages of other types or
 * families give undefined).
 *
 * @example
 * ```ts ignore
 * import { decodeLinkModes } from "./linkmodes.ts";
 * decodeLinkModes(msg, familyId); // { ifindex: 3, ifname: "p0", autoneg: false, speed: 10000, duplex: "full", … }
 * ```
 */
export function decodeLinkModes(msg: MessageView, familyId: number): LinkModes | undefined {
  if (msg.type !== familyId) return undefined;
  const m = decodeMessage(LINKMODES_MESSAGE, msg);
  if (m.cmd !== ETHTOOL_MSG.LINKMODES_GET_REPLY) return undefined;
  const header = (m.header ?? {}) as { ifindex?: number; ifname?: string };
  const out: Partial<LinkModes> = {
    ifindex: header.ifindex ?? 0,
    ifname: header.ifname ?? "",
    autoneg: m.autoneg === 1,
  };
  const speed = m.speed as number | undefined;
  if (speed !== undefined && speed !== SPEED.UNKNOWN >>> 0) out.speed = speed;
  if (m.duplex !== undefined) out.duplex = m.duplex as string | number;
  if (m.lanes !== undefined) out.lanes = m.lanes as number;
  if (m.masterSlaveCfg !== undefined) out.masterSlaveCfg = m.masterSlaveCfg as string | number;
  if (m.masterSlaveState !== undefined) out.masterSlaveState = m.masterSlaveState as string | number;
  if (m.rateMatching !== undefined) out.rateMatching = m.rateMatching as string | number;
  const ours = bitNames(m.ours as BitsetData | undefined);
  out.supported = ours.listed;
  out.advertised = ours.set;
  out.peer = bitNames(m.peer as BitsetData | undefined).set;
  return out as LinkModes;
}

/**
 * A device's speed, duplex, autonegotiation and link modes (`ethtool DEV`),
 * read through ethtool's generic netlink family in `conn`'s network
 * namespace (a generic netlink connection is opened beside `conn` and kept).
 * Rejects with ENODEV for a missing device, EOPNOTSUPP for a device without
 * link settings (a bridge, loopback), and ENOENT when the kernel has no
 * ethtool netlink family.
 *
 * @example
 * ```ts ignore
 * import { Connection } from "@nlink/nlink";
 * import { getLinkModes } from "./linkmodes.ts";
 * using conn = await Connection.open();
 * const m = await getLinkModes(conn, "p0"); // a veth: { speed: 10000, duplex: "full", autoneg: false, … }
 * ```
 */
export async function getLinkModes(conn: NetlinkConnection, dev: Dev): Promise<LinkModes> {
  const request = linkModesRequest(0, dev);
  const [genl, id] = await familyBeside(conn, ETHTOOL_GENL_NAME);
  return genl.get(withFamilyId(request, id), (m) => decodeLinkModes(m, id), `getLinkModes ${dev}`);
}
