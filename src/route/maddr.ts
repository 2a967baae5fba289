/**
 * Multicast group memberships of every link: the link-layer filter list
 * (`/proc/net/dev_mcast`) and the IPv4 and IPv6 groups joined
 * (`/proc/net/igmp`, `/proc/net/igmp6`). The kernel offers these only through
 * /proc, never over netlink; /proc/net shows the namespace of the thread that
 * reads it, so for another namespace the files are read by the main thread
 * while it is switched into that namespace (synchronously: nothing else runs
 * in between).
 *
 * @example
 * ```ts ignore
 * import { getMulticastMemberships } from "./maddr.ts";
 * for (const m of await getMulticastMemberships({ netns: "blue" })) console.log(m.name, m.address);
 * ```
 *
 * @module
 */
import { inNetns } from "../../ffi/namespace.ts";
import { ValidationError } from "../core/errors.ts";
import { type NetnsTarget, openNetns } from "../netns/mod.ts";
import { formatIPv4, formatIPv6, formatMac, parseMac } from "../util/addr.ts";
import { readTextIfExists } from "../util/files.ts";

/** Where a membership comes from: link layer, IPv4 (IGMP) or IPv6 (MLD). */
export type MulticastFamily = "packet" | "inet" | "inet6";

/** One multicast address a link listens to. */
export interface MulticastMembership {
  /** Interface index. */
  index: number;
  /** Interface name. */
  name: string;
  /** The kind of address. */
  family: MulticastFamily;
  /** The address: colon-separated hex for the link layer, else an IP address. */
  address: string;
  /** How many users hold the membership. */
  users: number;
  /** Link layer only: added explicitly (SIOCADDMULTI, `ip maddress add`) rather than by a protocol. */
  static: boolean;
}

/** Which memberships to read. */
export interface GetMulticastMembershipsOptions {
  /** The namespace to look in (default: the caller's). */
  netns?: NetnsTarget;
  /** Only these kinds (default: all three). */
  families?: readonly MulticastFamily[];
  /** Only the link of this name. */
  dev?: string;
}

const PROC_NET = "/proc/thread-self/net";

/**
 * Reads the multicast memberships, in file order: link layer, then IPv4, then
 * IPv6. A file the kernel lacks (no IPv6) contributes nothing. Needs
 * `--allow-read` for /proc (and `--allow-ffi` with `netns`).
 *
 * @example
 * ```ts ignore
 * import { getMulticastMemberships } from "./maddr.ts";
 * const v4 = await getMulticastMemberships({ families: ["inet"], dev: "eth0" });
 * v4[0].address; // "224.0.0.1"
 * ```
 */
export function getMulticastMemberships(
  options: GetMulticastMembershipsOptions = {},
): Promise<MulticastMembership[]> {
  try {
    const families = options.families ?? ["packet", "inet", "inet6"];
    const read = () => families.map((f) => [f, readProc(FILES[f])] as const);
    let texts: (readonly [MulticastFamily, string | undefined])[];
    if (options.netns === undefined) texts = read();
    else {
      const ns = openNetns(options.netns);
      try {
        texts = inNetns(ns.fd, read);
      } finally {
        ns.close();
      }
    }
    const out: MulticastMembership[] = [];
    for (const [family, text] of texts) if (text !== undefined) PARSERS[family](text, out);
    return Promise.resolve(options.dev === undefined ? out : out.filter((m) => m.name === options.dev));
  } catch (e) {
    return Promise.reject(e);
  }
}

const FILES: Record<MulticastFamily, string> = { packet: "dev_mcast", inet: "igmp", inet6: "igmp6" };

function readProc(file: string): string | undefined {
  return readTextIfExists(`${PROC_NET}/${file}`);
}

/** Bytes from pairs of hex digits; undefined when the text is not whole pairs. */
function hexBytes(s: string): Uint8Array | undefined {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return undefined;
  const b = new Uint8Array(s.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return b;
}

const PARSERS: Record<MulticastFamily, (text: string, out: MulticastMembership[]) => void> = {
  // "index name users global_use address"
  packet(text, out) {
    for (const line of text.split("\n")) {
      const [index, name, users, global, hex] = line.trim().split(/\s+/);
      const bytes = hex === undefined ? undefined : hexBytes(hex);
      if (bytes === undefined) continue;
      out.push({
        index: Number(index),
        name,
        family: "packet",
        address: formatMac(bytes),
        users: Number(users),
        static: Number(global) !== 0,
      });
    }
  },
  // A header line, then per link "index\tname : count querier" and tab-indented "group users timer reporter"
  // lines; the group is the address as a host-order (little-endian) 32-bit number in hex.
  inet(text, out) {
    const lines = text.split("\n");
    let index = 0, name = "";
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (line === "") continue;
      const words = line.trim().split(/\s+/);
      if (line[0] !== "\t") {
        index = Number(words[0]);
        name = words[1]?.endsWith(":") ? words[1].slice(0, -1) : words[1] ?? "";
        continue;
      }
      const group = parseInt(words[0], 16) >>> 0;
      const b = new Uint8Array([group & 255, (group >>> 8) & 255, (group >>> 16) & 255, group >>> 24]);
      out.push({ index, name, family: "inet", address: formatIPv4(b), users: Number(words[1]), static: false });
    }
  },
  // "index name address users flags timer"
  inet6(text, out) {
    for (const line of text.split("\n")) {
      const [index, name, hex, users] = line.trim().split(/\s+/);
      const bytes = hex === undefined ? undefined : hexBytes(hex);
      if (bytes === undefined || bytes.length !== 16) continue;
      out.push({
        index: Number(index),
        name,
        family: "inet6",
        address: formatIPv6(bytes),
        users: Number(users),
        static: false,
      });
    }
  },
};

/** What {@linkcode addMulticastAddress} and {@linkcode deleteMulticastAddress} change. */
export interface MulticastAddressOptions {
  /** The interface's name (the ioctl knows links only by name). */
  dev: string;
  /** The link-layer address: `"33:33:00:00:00:05"` or its 6 bytes. */
  address: string | Uint8Array;
  /** The namespace the link lives in (default: the caller's). */
  netns?: NetnsTarget;
  /**
   * The family of the socket the ioctl is made on (default `"inet"`, as iproute2 unless `-f` says otherwise).
   * The kernel treats them alike; a host without that family fails the socket call.
   */
  socketFamily?: MulticastFamily;
}

/** Ethernet addresses only: iproute2 refuses any other length, and the kernel's lists hold the device's length. */
const ETH_ALEN = 6;

/** Checks the options (nothing is loaded or called before they pass) and builds the ioctl's request. */
async function multicastRequest(
  o: MulticastAddressOptions,
): Promise<{ ifreq: Uint8Array<ArrayBuffer>; family: number; ffi: typeof import("../../ffi/multicast.ts") }> {
  if (o === null || typeof o !== "object") throw new ValidationError("options", o, "expected { dev, address }");
  if (typeof o.dev !== "string") throw new ValidationError("dev", o.dev, "expected an interface name");
  const bytes = typeof o.address === "string" ? parseMac(o.address) : o.address;
  if (!(bytes instanceof Uint8Array) || bytes.length !== ETH_ALEN) {
    throw new ValidationError("address", o.address, `expected a ${ETH_ALEN}-byte link-layer address`);
  }
  const name = o.socketFamily ?? "inet";
  if (name !== "inet" && name !== "inet6" && name !== "packet") {
    throw new ValidationError("socketFamily", o.socketFamily, "expected inet, inet6 or packet");
  }
  // The ioctl's module loads on first use: most programs never change these lists.
  const ffi = await import("../../ffi/multicast.ts");
  const family = ffi.MULTICAST_SOCKET_FAMILY[name === "inet" ? "AF_INET" : name === "inet6" ? "AF_INET6" : "AF_PACKET"];
  return { ifreq: ffi.encodeMulticastIfreq(o.dev, bytes), family, ffi };
}

async function changeMembership(add: boolean, o: MulticastAddressOptions): Promise<void> {
  const { ifreq, family, ffi } = await multicastRequest(o);
  if (o.netns === undefined) return ffi.changeMulticastList(add, ifreq, family);
  const ns = openNetns(o.netns);
  try {
    ffi.changeMulticastList(add, ifreq, family, ns.fd);
  } finally {
    ns.close();
  }
}

/**
 * Adds a static link-layer multicast address to a link's filter list
 * (`ip maddress add`, the SIOCADDMULTI ioctl: netlink has no request for it).
 * Adding one already present adds a user. Rejects with a `ValidationError`
 * before any system call for a bad name or address, and with a `NetlinkError`
 * from the kernel (ENODEV: no such link; EINVAL: not a multicast address).
 * Needs `--allow-ffi`.
 *
 * @example
 * ```ts ignore
 * import { addMulticastAddress } from "./maddr.ts";
 * await addMulticastAddress({ dev: "p0", address: "33:33:00:00:00:05", netns: "blue" });
 * ```
 */
export function addMulticastAddress(options: MulticastAddressOptions): Promise<void> {
  return changeMembership(true, options);
}

/**
 * Removes a static link-layer multicast address that
 * {@linkcode addMulticastAddress} added (`ip maddress delete`, SIOCDELMULTI).
 * Rejects with ENOENT when the link holds no such static address.
 *
 * @example
 * ```ts ignore
 * import { deleteMulticastAddress } from "./maddr.ts";
 * await deleteMulticastAddress({ dev: "p0", address: "33:33:00:00:00:05", netns: "blue" });
 * ```
 */
export function deleteMulticastAddress(options: MulticastAddressOptions): Promise<void> {
  return changeMembership(false, options);
}
