/**
 * Typed access to a decoded link's kind data: pure functions over a
 * {@linkcode Link}, apart from the link module so that importing them loads
 * no link kind's schema.
 *
 * @module
 */
import type { Link, LinkKindDataMap, LinkSlaveDataMap } from "./link_types.ts";

/**
 * A link's IFLA_INFO_DATA typed by kind, or undefined when the link is of
 * another kind (or the kernel sent no data).
 *
 * @example
 * ```ts ignore
 * const vlan = linkData(await getLink(conn, "p0.100"), "vlan");
 * console.log(vlan?.id, vlan?.protocol);
 * ```
 */
export function linkData<K extends keyof LinkKindDataMap>(link: Link, kind: K): LinkKindDataMap[K] | undefined {
  const info = link.linkinfo;
  if (info?.kind !== kind || info.data === undefined || info.data instanceof Uint8Array) return undefined;
  return info.data as LinkKindDataMap[K];
}

/**
 * A link's IFLA_INFO_SLAVE_DATA typed by its master's kind, or undefined.
 *
 * @example
 * ```ts ignore
 * const port = linkSlaveData(await getLink(conn, "p0"), "bond");
 * console.log(port?.state, port?.miiStatus);
 * ```
 */
export function linkSlaveData<K extends keyof LinkSlaveDataMap>(
  link: Link,
  slaveKind: K,
): LinkSlaveDataMap[K] | undefined {
  const info = link.linkinfo;
  if (info?.slaveKind !== slaveKind || info.slaveData === undefined || info.slaveData instanceof Uint8Array) {
    return undefined;
  }
  return info.slaveData as LinkSlaveDataMap[K];
}
