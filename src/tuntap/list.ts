/**
 * Listing tun/tap devices: a link dump filtered to kind `tun`, each device's
 * IFLA_TUN_* data decoded, its flags, and (when asked) the processes holding
 * its queues.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { getLinks } from "../route/link.ts";
import { decodeTunData, type TunLinkData } from "../route/kinds/tun.ts";
import { netnsPath } from "../netns/mod.ts";
import { TUN_FLAG } from "../../ffi/tun.ts";
import { findTunProcesses, type TunProcess } from "./processes.ts";

/** A tun/tap device as {@linkcode listTunTap} reports it. */
export interface TunTapInfo extends TunLinkData {
  /** The interface index. */
  index: number;
  /** The interface name. */
  name: string;
  /** The link's hardware type (`"none"` for tun, `"ether"` for tap, unless TUNSETLINK changed it). */
  linkType: string | number;
  /**
   * The device's IFF_* flags as sysfs `tun_flags` has them: from the
   * netlink attributes (type, no_pi, vnet_hdr, multi_queue, persist), plus
   * one_queue/napi/napi_frags/no_carrier when sysfs shows this very device.
   */
  flags: number;
  /** Whether `flags` came from sysfs (all bits) or from netlink alone. */
  flagsFromSysfs: boolean;
  /** Processes with a queue attached (when `processes: true` was asked). */
  processes?: TunProcess[];
}

/** Options of {@linkcode listTunTap}. */
export interface ListTunTapOptions {
  /** Also find the processes holding each device's queues (scans /proc; needs `--allow-read`). */
  processes?: boolean;
  /**
   * Complete the flags from /sys/class/net/NAME/tun_flags (default true):
   * used only when the connection is in this process's namespace and sysfs
   * shows a device of the same index and netlink-visible flags.
   */
  sysfs?: boolean;
}

/** The IFF bits netlink reports (through IFLA_TUN_*). */
const NETLINK_BITS = TUN_FLAG.TUN | TUN_FLAG.TAP | TUN_FLAG.NO_PI | TUN_FLAG.VNET_HDR | TUN_FLAG.MULTI_QUEUE |
  TUN_FLAG.PERSIST;

/**
 * Every tun/tap device in the connection's namespace, in dump order.
 *
 * @example
 * ```ts ignore
 * import { Connection, listTunTap } from "@nlink/nlink";
 * using conn = await Connection.open({ netns: "blue" });
 * for (const d of await listTunTap(conn)) console.log(d.name, d.type, d.persist, d.numQueues);
 * ```
 */
export async function listTunTap(conn: NetlinkConnection, options: ListTunTapOptions = {}): Promise<TunTapInfo[]> {
  const links = await getLinks(conn, { kind: "tun" });
  const useSysfs = (options.sysfs ?? true) && sameNamespaceAsProcess(conn);
  const scan = options.processes ? findTunProcesses() : undefined;
  const out: TunTapInfo[] = [];
  for (const link of links) {
    const info = link.linkinfo;
    if (info?.kind !== "tun" || link.name === undefined) continue;
    const data = info.data instanceof Uint8Array ? decodeTunData(info.data) : (info.data ?? {}) as TunLinkData;
    const fromNetlink = netlinkFlags(data);
    const sys = useSysfs ? sysfsFlags(link.name, link.index) : undefined;
    const agree = sys !== undefined && (sys & NETLINK_BITS) === fromNetlink;
    const entry: TunTapInfo = {
      index: link.index,
      name: link.name,
      linkType: link.type,
      ...data,
      flags: agree ? sys : fromNetlink,
      flagsFromSysfs: agree,
    };
    if (scan) entry.processes = scan.queues.filter((q) => q.device === link.name);
    out.push(entry);
  }
  return out;
}

/** The IFF bits the IFLA_TUN_* attributes tell. */
function netlinkFlags(d: TunLinkData): number {
  let f = d.type === "tun" ? TUN_FLAG.TUN : d.type === "tap" ? TUN_FLAG.TAP : (d.type ?? 0) & 0xf;
  if (!d.pi) f |= TUN_FLAG.NO_PI;
  if (d.vnetHdr) f |= TUN_FLAG.VNET_HDR;
  if (d.multiQueue) f |= TUN_FLAG.MULTI_QUEUE;
  if (d.persist) f |= TUN_FLAG.PERSIST;
  return f;
}

/** Whether the connection's namespace is this process's own (so /sys may show its devices). */
function sameNamespaceAsProcess(conn: NetlinkConnection): boolean {
  const target = conn.netns;
  if (target === undefined) return true;
  try {
    const path = typeof target === "object" && "fd" in target ? `/proc/self/fd/${target.fd}` : netnsPath(target);
    const a = Deno.statSync(path);
    const b = Deno.statSync("/proc/thread-self/ns/net");
    return a.ino === b.ino && a.dev === b.dev;
  } catch {
    return false;
  }
}

/** sysfs `tun_flags` of `name`, if sysfs shows a device of that name with index `index`. */
function sysfsFlags(name: string, index: number): number | undefined {
  try {
    const dir = `/sys/class/net/${name}`;
    if (Number(Deno.readTextFileSync(`${dir}/ifindex`).trim()) !== index) return undefined;
    const v = Number(Deno.readTextFileSync(`${dir}/tun_flags`).trim());
    return Number.isInteger(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
