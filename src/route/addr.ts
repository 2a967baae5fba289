/**
 * Addresses: list (all, by family, by device), add, change, replace, delete, flush.
 * Requests are byte-for-byte what `ip address add|change|replace|del|flush` sends.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { ERRNO } from "../core/errno.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, type MessageView } from "../core/message.ts";
import type { RawAttribute } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import { AF_INET, parseIPv4, parsePrefix } from "../util/addr.ts";
import { FAMILY, RTM } from "./constants.ts";
import { ADDR_MESSAGE, IFA_F } from "./addr_attrs.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";
import { flushByEcho, prefixTest } from "./flush.ts";
import { RT_SCOPE } from "./route_attrs.ts";

/** An address on an interface, decoded completely from RTM_NEWADDR. */
export interface Address {
  /** `"inet"` or `"inet6"`. */
  family: string | number;
  /** Prefix length. */
  prefixlen: number;
  /** Flags (IFA_FLAGS when present, else the header's 8 bits): `"permanent"`, `"secondary"`, `"nodad"`, … */
  flags: string[];
  /** Scope: `"global"`, `"link"`, `"host"`, … */
  scope: string | number;
  /** Interface index. */
  index: number;
  /** IFA_ADDRESS: the prefix address, or the peer on point-to-point links. */
  address?: string;
  /** IFA_LOCAL: the local address (IPv4). */
  local?: string;
  /** Label (IPv4), e.g. `"eth0:1"`. */
  label?: string;
  /** Broadcast address (IPv4). */
  broadcast?: string;
  /** Anycast address (IPv6). */
  anycast?: string;
  /** Multicast address (multicast dumps). */
  multicast?: string;
  /** Lifetimes (seconds; 4294967295 = forever) and timestamps (1/100 s since boot). */
  cacheinfo?: { preferred: number; valid: number; cstamp: number; tstamp: number };
  /** Metric of the prefix route. */
  rtPriority?: number;
  /** Namespace id (cross-namespace requests). */
  targetNetnsid?: number;
  /** Who configured it: `"kernel_lo"`, `"kernel_ra"`, `"kernel_ll"`, … */
  proto?: string | number;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/**
 * Decodes an RTM_NEWADDR / RTM_DELADDR message.
 *
 * @example
 * ```ts ignore
 * import { decodeAddress } from "./addr.ts";
 * const a = decodeAddress(msg);
 * ```
 */
export function decodeAddress(msg: MessageView): Address {
  return decodeMessage(ADDR_MESSAGE, msg) as unknown as Address;
}

const decodeNewAddress = (m: MessageView): Address | undefined => m.type === RTM.NEWADDR ? decodeAddress(m) : undefined;

/** Filters for {@linkcode getAddresses}, applied by the kernel. */
export interface GetAddressesOptions extends DumpOptions {
  /** `"inet"` or `"inet6"` (default: both). */
  family?: "inet" | "inet6";
  /** Only this device's addresses. */
  dev?: Dev;
}

/**
 * Builds the RTM_GETADDR dump request.
 *
 * @example
 * ```ts
 * import { addressDumpRequest } from "./addr.ts";
 * addressDumpRequest({ family: "inet" }).length; // 24
 * ```
 */
export function addressDumpRequest(options: { family?: string; index?: number }): Uint8Array {
  const w = new MessageWriter(32);
  const header = { family: options.family ?? "unspec", index: options.index ?? 0 };
  encodeMessage(w, ADDR_MESSAGE, RTM.GETADDR, REQUEST_FLAGS.dump, header);
  return w.bytes();
}

/**
 * Every address (or those matching the filters), fully decoded.
 *
 * @example
 * ```ts ignore
 * const v4 = await getAddresses(conn, { family: "inet", dev: "p0" });
 * ```
 */
export async function getAddresses(conn: NetlinkConnection, options: GetAddressesOptions = {}): Promise<Address[]> {
  const index = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  const request = addressDumpRequest({ family: options.family, index });
  return conn.dump(request, decodeNewAddress, "getAddresses", options);
}

/**
 * Streams addresses one by one.
 *
 * @example
 * ```ts ignore
 * for await (const a of streamAddresses(conn)) console.log(a.address);
 * ```
 */
export async function* streamAddresses(
  conn: NetlinkConnection,
  options: GetAddressesOptions = {},
): AsyncGenerator<Address> {
  const index = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  yield* conn.stream(
    addressDumpRequest({ family: options.family, index }),
    decodeNewAddress,
    "streamAddresses",
    streamOptionsOf(options),
  );
}

/**
 * Address flags a request may set: the decoded names, or iproute2's words for
 * three of them (`home` = homeaddress, `mngtmpaddr` = managetempaddr,
 * `autojoin` = mcautojoin).
 */
export type AddressFlag =
  | "nodad"
  | "homeaddress"
  | "managetempaddr"
  | "noprefixroute"
  | "mcautojoin"
  | "optimistic"
  | "home"
  | "mngtmpaddr"
  | "autojoin";

/** iproute2's words for flags whose decoded names differ. */
const FLAG_WORDS: Readonly<Record<string, string>> = {
  home: "homeaddress",
  mngtmpaddr: "managetempaddr",
  autojoin: "mcautojoin",
};

function addressFlags(x: unknown): number {
  if (!Array.isArray(x)) return IFA_F.encode(x as number, "flags");
  return IFA_F.encode(x.map((f) => FLAG_WORDS[f] ?? f), "flags");
}

/** What {@linkcode addAddress} / {@linkcode delAddress} take. */
export interface AddressOptions {
  /** The device. */
  dev: Dev;
  /**
   * The local address with its prefix length, e.g. `"10.0.0.1/24"` (no length: /32 or /128). Deleting an IPv4
   * address written without a length deletes it whatever its prefix length (iproute2's wildcard deletion:
   * `ip address del 10.0.0.1 dev p0`). Left out, the request carries no address at all, as `ip address`
   * without one sends it: a delete then takes the device's first address of `family` that matches the other
   * options (`label`, say); an add the kernel refuses.
   */
  address?: string;
  /** The address family of a request without `address` (otherwise the address's): AF_UNSPEC if left out. */
  family?: "inet" | "inet6";
  /** Peer address (point-to-point), e.g. `"10.0.0.2/32"`; its length becomes the prefix length. */
  peer?: string;
  /** IPv4 broadcast address, or `"+"`/`"-"` to derive it (host bits set / cleared). */
  broadcast?: string;
  /** IPv6 anycast address. */
  anycast?: string;
  /** Label (IPv4), which must start with the device name. */
  label?: string;
  /** Scope (default: `"host"` for 127/8, else `"global"`). */
  scope?: string | number;
  /** Metric of the prefix route. */
  metric?: number;
  /** Flags. */
  flags?: AddressFlag[];
  /** Valid lifetime in seconds, or `"forever"`. */
  validLifetime?: number | "forever";
  /** Preferred lifetime in seconds, or `"forever"`. */
  preferredLifetime?: number | "forever";
}

const FOREVER = 0xffffffff;

function lifetime(x: number | "forever" | undefined, field: string): number | undefined {
  if (x === undefined) return undefined;
  if (x === "forever") return FOREVER;
  if (!Number.isInteger(x) || x < 0 || x > FOREVER) {
    throw new ValidationError(field, x, 'seconds (0..4294967295) or "forever"');
  }
  return x;
}

/**
 * Builds the RTM_NEWADDR / RTM_DELADDR request `ip address` sends; the
 * attribute order is iproute2's for `ip addr add ADDR [peer P] [broadcast B]
 * [anycast A] [label L] [metric M] [FLAGS] [valid_lft V preferred_lft P] dev D`.
 *
 * @example
 * ```ts
 * import { addressRequest } from "./addr.ts";
 * addressRequest("add", 3, { dev: 3, address: "10.1.0.1/24" }).length; // 40
 * ```
 */
export function addressRequest(op: AddressOp, index: number, o: AddressOptions): Uint8Array {
  const w = new MessageWriter(128);
  writeAddressRequest(w, op, index, o);
  return w.bytes();
}

/** The address operations: `ip address add|change|replace|del`. */
export type AddressOp = "add" | "change" | "replace" | "del";

/**
 * Appends the request {@linkcode addressRequest} builds to `w` (for batches).
 *
 * @example
 * ```ts
 * import { writeAddressRequest } from "./addr.ts";
 * import { MessageWriter } from "../core/writer.ts";
 * writeAddressRequest(new MessageWriter(), "add", 2, { dev: 2, address: "10.0.0.1/24" });
 * ```
 */
export function writeAddressRequest(w: MessageWriter, op: AddressOp, index: number, o: AddressOptions): void {
  if (o === null || typeof o !== "object") throw new ValidationError("address options", o, "expected an object");
  const local = o.address === undefined ? undefined : parsePrefix(o.address, "address");
  if (o.family !== undefined && o.family !== "inet" && o.family !== "inet6") {
    throw new ValidationError("family", o.family, 'expected "inet" or "inet6"');
  }
  const asked = o.family === undefined ? 0 : FAMILY.value(o.family, "family");
  if (local && asked && asked !== local.family) {
    throw new ValidationError("family", o.family, "differs from the address's");
  }
  const given = local?.family ?? asked;
  const peer = o.peer === undefined ? undefined : parsePrefix(o.peer, "peer", given);
  const family = given || (peer?.family ?? 0);
  const del = op === "del";
  let flags = o.flags === undefined ? 0 : addressFlags(o.flags);
  const attrs: Record<string, unknown> = {};
  if (local) attrs.local = local.address;
  if (peer) attrs.address = peer.address;
  let broadcast: string | undefined;
  if (o.broadcast !== undefined) {
    if (family !== AF_INET) throw new ValidationError("broadcast", o.broadcast, "broadcast addresses are IPv4 only");
    if (o.broadcast === "+" || o.broadcast === "-") broadcast = o.broadcast;
    else attrs.broadcast = parsePrefix(o.broadcast, "broadcast", AF_INET).address;
  }
  if (o.anycast !== undefined) attrs.anycast = parsePrefix(o.anycast, "anycast", family).address;
  if (o.label !== undefined) {
    if (typeof o.label !== "string" || o.label.length > 15) {
      throw new ValidationError("label", o.label, "at most 15 characters");
    }
    attrs.label = o.label;
  }
  if (o.metric !== undefined) attrs.rtPriority = o.metric;
  if (flags > 0xff) {
    attrs.flags = flags;
    flags = 0;
  }
  // An IPv4 delete without a written length leaves IFA_ADDRESS out: the kernel then matches the local address alone.
  const wildcard = del && local?.family === AF_INET && !o.address!.includes("/");
  if (!peer && local && !wildcard) attrs.address = local.address;
  const prefixlen = peer ? peer.length : local ? local.length : 0;
  // Without an address there is nothing to derive it from (the kernel refuses such an add anyway).
  const base = peer ?? local;
  if (broadcast !== undefined && !del && prefixlen <= 30 && base) {
    const b = parseIPv4(base.address)!;
    let n = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
    const host = prefixlen === 0 ? 0xffffffff : (2 ** (32 - prefixlen) - 1);
    n = broadcast === "+" ? (n | host) >>> 0 : (n & ~host) >>> 0;
    attrs.broadcast = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const valid = lifetime(o.validLifetime, "validLifetime");
  const preferred = lifetime(o.preferredLifetime, "preferredLifetime");
  if (valid !== undefined || preferred !== undefined) {
    if (!valid) {
      throw new ValidationError(
        "validLifetime",
        o.validLifetime,
        "must be given and non-zero with a preferred lifetime",
      );
    }
    if (valid < (preferred ?? 0)) {
      throw new ValidationError("preferredLifetime", o.preferredLifetime, "exceeds validLifetime");
    }
    attrs.cacheinfo = { preferred: preferred ?? 0, valid, cstamp: 0, tstamp: 0 };
  }
  let scope = 0;
  if (o.scope !== undefined) scope = RT_SCOPE.value(o.scope, "scope");
  else if (!del && family === AF_INET && local?.address.startsWith("127.")) scope = RT_SCOPE.value("host");
  const header = { family: FAMILY.name(family), prefixlen, flags, scope, index };
  const type = del ? RTM.DELADDR : RTM.NEWADDR;
  const rflags = op === "add"
    ? REQUEST_FLAGS.create
    : op === "replace"
    ? REQUEST_FLAGS.replace
    : op === "change"
    ? REQUEST_FLAGS.change
    : REQUEST_FLAGS.ack;
  encodeMessage(w, ADDR_MESSAGE, type, rflags, header, attrs, family);
}

/**
 * Adds an address, like `ip address add`.
 *
 * @example
 * ```ts ignore
 * await addAddress(conn, { dev: "p0", address: "10.0.0.1/24" });
 * ```
 */
export async function addAddress(conn: NetlinkConnection, options: AddressOptions): Promise<void> {
  addressRequest("add", 1, options); // bad input fails here, before any device look-up
  const index = await resolveDev(conn, options.dev);
  await conn.ack(addressRequest("add", index, options), `addAddress ${options.address} dev ${options.dev}`);
}

/**
 * Adds or updates an address, like `ip address replace`.
 *
 * @example
 * ```ts ignore
 * await replaceAddress(conn, { dev: "p0", address: "10.0.0.1/24", validLifetime: 600, preferredLifetime: 300 });
 * ```
 */
export async function replaceAddress(conn: NetlinkConnection, options: AddressOptions): Promise<void> {
  addressRequest("replace", 1, options); // bad input fails here, before any device look-up
  const index = await resolveDev(conn, options.dev);
  await conn.ack(addressRequest("replace", index, options), `replaceAddress ${options.address} dev ${options.dev}`);
}

/**
 * Changes an address, like `ip address change`: RTM_NEWADDR with
 * NLM_F_REPLACE and without NLM_F_CREATE. The kernel (IPv4 and IPv6 alike)
 * does not insist on NLM_F_CREATE for addresses, so a missing address is
 * added, as with `ip address change`.
 *
 * @example
 * ```ts ignore
 * await changeAddress(conn, { dev: "p0", address: "10.0.0.1/24", validLifetime: 600, preferredLifetime: 300 });
 * ```
 */
export async function changeAddress(conn: NetlinkConnection, options: AddressOptions): Promise<void> {
  addressRequest("change", 1, options); // bad input fails here, before any device look-up
  const index = await resolveDev(conn, options.dev);
  await conn.ack(addressRequest("change", index, options), `changeAddress ${options.address} dev ${options.dev}`);
}

/**
 * Removes an address, like `ip address del`.
 *
 * @example
 * ```ts ignore
 * await delAddress(conn, { dev: "p0", address: "10.0.0.1/24" });
 * ```
 */
export async function delAddress(conn: NetlinkConnection, options: AddressOptions): Promise<void> {
  addressRequest("del", 1, options); // bad input fails here, before any device look-up
  const index = await resolveDev(conn, options.dev);
  await conn.ack(addressRequest("del", index, options), `delAddress ${options.address} dev ${options.dev}`);
}

/** What {@linkcode flushAddresses} removes: `ip address flush SELECTORS`. */
export interface FlushAddressesOptions extends DumpOptions {
  /** Only this device's addresses (filtered by the kernel). */
  dev?: Dev;
  /** Only `"inet"` or `"inet6"` addresses. */
  family?: "inet" | "inet6";
  /** Only addresses of this scope (`"global"`, `"link"`, `"host"`, or a number). */
  scope?: string | number;
  /** Only addresses inside this prefix (`to`). */
  to?: string;
  /** Only addresses with this label; `*` and `?` match as in a shell pattern. */
  label?: string;
  /** Only permanent (true) or only dynamic (false) addresses. */
  permanent?: boolean;
  /** Only secondary (true) or only primary (false) addresses; primaries are flushed in one round, as iproute2 does. */
  secondary?: boolean;
  /** Any further test. */
  filter?: (address: Address) => boolean;
  /** Called after each round that deleted addresses, with the round's number (from 1) and its count of deletes. */
  onRound?: (round: number, deleted: number) => void;
}

function labelTest(pattern: string): (label: string | undefined) => boolean {
  const re = new RegExp(
    "^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$",
  );
  return (label) => label !== undefined && re.test(label);
}

function addressMatcher(o: FlushAddressesOptions): (a: Address) => boolean {
  const family = o.family === undefined ? undefined : FAMILY.value(o.family, "family");
  const to = o.to === undefined ? undefined : prefixTest(o.to, "to", family);
  const scope = o.scope === undefined ? undefined : RT_SCOPE.value(o.scope, "scope");
  if (o.label !== undefined && typeof o.label !== "string") throw new ValidationError("label", o.label, "a string");
  const label = o.label === undefined ? undefined : labelTest(o.label);
  if (o.filter !== undefined && typeof o.filter !== "function") {
    throw new ValidationError("filter", o.filter, "a function of the address");
  }
  return (a) =>
    (scope === undefined || RT_SCOPE.value(a.scope, "scope") === scope) &&
    (to === undefined || to(a.local ?? a.address, a.family === "inet" ? 32 : 128)) &&
    (label === undefined || label(a.label)) &&
    (o.permanent === undefined || a.flags.includes("permanent") === o.permanent) &&
    (o.secondary === undefined || a.flags.includes("secondary") === o.secondary) &&
    (o.filter === undefined || o.filter(a));
}

/**
 * Deletes every address matching the selectors, like `ip address flush`: a
 * dump, then the deletes pipelined, repeated while secondaries get promoted
 * (a primary's deletion may take its secondaries along: those count as gone,
 * not as failures). Resolves with the addresses removed.
 *
 * @example
 * ```ts ignore
 * await flushAddresses(conn, { dev: "p0" });
 * await flushAddresses(conn, { family: "inet6", scope: "global", dev: "p0" });
 * ```
 */
export async function flushAddresses(conn: NetlinkConnection, o: FlushAddressesOptions = {}): Promise<Address[]> {
  if (o === null || typeof o !== "object") throw new ValidationError("flush options", o, "expected an object");
  const match = addressMatcher(o);
  addressDumpRequest({ family: o.family }); // bad input fails here, before any device look-up
  const index = o.dev === undefined ? undefined : await resolveDev(conn, o.dev);
  const pick = (m: MessageView) => {
    if (m.type !== RTM.NEWADDR) return undefined;
    const a = decodeAddress(m);
    return (index === undefined || a.index === index) && match(a) ? a : undefined;
  };
  let round = 0;
  return flushByEcho(conn, addressDumpRequest({ family: o.family, index }), pick, RTM.DELADDR, "flushAddresses", {
    gone: [ERRNO.EADDRNOTAVAIL, ERRNO.ENODEV],
    acks: "none",
    rounds: o.secondary === false ? 1 : 10,
    afterRound: o.onRound && ((sent) => o.onRound!(++round, sent)),
    onInterrupt: o.onInterrupt,
    signal: o.signal,
  });
}
