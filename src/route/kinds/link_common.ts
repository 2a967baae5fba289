/**
 * The attributes every kind's create request shares (the words before `type`
 * in `ip link add`), for a link and for a pair's peer, in iproute2's order.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { inOptionOrder } from "../../core/message.ts";
import { IFF } from "../link_header.ts";
import type { LinkCommonOptions, LinkNetns } from "../link_types.ts";
import { intIn } from "./common.ts";

/**
 * Checks a new interface name as the kernel would (1-15 bytes, no
 * whitespace, `/` or `:`, not `.` or `..`).
 *
 * @example
 * ```ts
 * import { checkNewName } from "./link_common.ts";
 * checkNewName("v0", "name");
 * ```
 */
export function checkNewName(name: unknown, path: string): string {
  if (
    typeof name !== "string" || name === "" || name.length > 15 || /[\s/:]/.test(name) || name === "." ||
    name === ".."
  ) {
    throw new ValidationError(path, name, "an interface name is 1-15 characters without spaces, '/' or ':'");
  }
  return name;
}

/**
 * IFLA_NET_NS_FD or IFLA_NET_NS_PID for a namespace target: `{ pid }` as a
 * pid (as `ip link … netns PID`), `{ fd }` as a descriptor. Other targets
 * (names, paths) must be opened first (the async operations do); here they
 * are refused.
 *
 * @example
 * ```ts
 * import { netnsAttrs } from "./link_common.ts";
 * netnsAttrs({ pid: 1 }, "netns"); // { netNsPid: 1 }
 * ```
 */
export function netnsAttrs(target: LinkNetns | undefined, path: string): { netNsFd?: number; netNsPid?: number } {
  if (target === undefined) return {};
  if (typeof target === "object" && target !== null) {
    if ("pid" in target) return { netNsPid: intIn(target.pid, 1, 0x7fffffff, `${path}.pid`) };
    if ("fd" in target) return { netNsFd: intIn(target.fd, 0, 0x7fffffff, `${path}.fd`) };
  }
  throw new ValidationError(path, target, "open the namespace first: here only { fd } or { pid } can be sent");
}

/** `ip link … addrgenmode` words → IN6_ADDR_GEN_MODE_* names. */
const ADDRGENMODE: Record<string, string> = {
  eui64: "eui64",
  none: "none",
  stable_secret: "stable_privacy",
  random: "random",
};

/**
 * IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE } } for `addrgenmode`.
 *
 * @example
 * ```ts
 * import { addrgenmodeAttr } from "./link_common.ts";
 * addrgenmodeAttr("none", "addrgenmode"); // { inet6: { addrGenMode: "none" } }
 * ```
 */
export function addrgenmodeAttr(mode: unknown, path: string): Record<string, unknown> | undefined {
  if (mode === undefined) return undefined;
  const name = typeof mode === "string" ? ADDRGENMODE[mode] : undefined;
  if (name === undefined) throw new ValidationError(path, mode, "expected eui64, none, stable_secret or random");
  return { inet6: { addrGenMode: name } };
}

/**
 * The interface flags a create request can set, for a link and for a pair's peer: each goes in ifinfomsg's
 * flags and, set either way, in its change mask.
 */
export interface LinkFlagOptions {
  /** Bring it up at creation (`up`); `false` sends IFF_UP in the change mask with the flag clear, as `down` does. */
  up?: boolean;
  /** Create it with ARP off (true: `arp off`) or on (false: `arp on`), IFF_NOARP. */
  noarp?: boolean;
  /** Promiscuous mode at creation (`promisc on|off`), IFF_PROMISC. */
  promisc?: boolean;
  /** All-multicast mode at creation (`allmulticast on|off`), IFF_ALLMULTI. */
  allmulticast?: boolean;
  /** The multicast flag at creation (`multicast on|off`), IFF_MULTICAST. */
  multicast?: boolean;
  /** The IFF_DYNAMIC flag at creation (`dynamic on|off`). */
  dynamic?: boolean;
  /** The IFF_NOTRAILERS flag (true: `trailers off`; false: `trailers on`). */
  noTrailers?: boolean;
}

/** The IFF_* flag of each option. */
const FLAG_NAMES: [keyof LinkFlagOptions, string][] = [
  ["up", "UP"],
  ["noarp", "NOARP"],
  ["promisc", "PROMISC"],
  ["allmulticast", "ALLMULTI"],
  ["multicast", "MULTICAST"],
  ["dynamic", "DYNAMIC"],
  ["noTrailers", "NOTRAILERS"],
];

/**
 * ifinfomsg's `flags` and `change` for the flag options given: each option
 * present sets its bit in `change`, and in `flags` when true (as iproute2's
 * `up`/`down`, `arp on|off`, `promisc on|off`, … do).
 *
 * @example
 * ```ts
 * import { linkFlags } from "./link_common.ts";
 * linkFlags({ up: true, noarp: false }, ""); // { flags: 1, change: 129 }
 * ```
 */
export function linkFlags(o: LinkFlagOptions, path: string): { flags: number; change: number } {
  let flags = 0;
  let change = 0;
  for (const [name, flag] of FLAG_NAMES) {
    const on = o[name];
    const bit = IFF.bit(flag);
    if (on === undefined) continue;
    if (typeof on !== "boolean") throw new ValidationError(path ? `${path}.${name}` : name, on, "expected a boolean");
    change |= bit;
    if (on) flags |= bit;
  }
  return { flags, change };
}

/**
 * A boolean option as a u8 attribute's value (protodown, carrier).
 *
 * @example
 * ```ts
 * import { onOffByte } from "./link_common.ts";
 * onOffByte(true, "protoDown"); // 1
 * ```
 */
export function onOffByte(value: boolean | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw new ValidationError(field, value, "expected a boolean");
  return value ? 1 : 0;
}

/**
 * IFLA_LINKMODE's value for `mode default|dormant`.
 *
 * @example
 * ```ts
 * import { linkmodeAttr } from "./link_common.ts";
 * linkmodeAttr("dormant", "linkmode"); // "DORMANT"
 * ```
 */
export function linkmodeAttr(mode: unknown, path: string): string | undefined {
  if (mode === undefined) return undefined;
  if (mode !== "default" && mode !== "dormant") throw new ValidationError(path, mode, "expected default or dormant");
  return mode.toUpperCase();
}

/**
 * IFLA_PROTO_DOWN_REASON's value for one reason bit on or off (`protodown_reason N on|off`).
 *
 * @example
 * ```ts
 * import { protoDownReasonAttr } from "./link_common.ts";
 * protoDownReasonAttr({ reason: 3, on: true }, "protoDownReason"); // { mask: 8, value: 8 }
 * ```
 */
export function protoDownReasonAttr(
  r: { reason: number; on: boolean } | undefined,
  path: string,
): { mask: number; value: number } | undefined {
  if (r === undefined) return undefined;
  if (r === null || typeof r !== "object" || !Number.isInteger(r.reason) || r.reason < 0 || r.reason > 31) {
    throw new ValidationError(path, r, "expected { reason: 0..31, on }");
  }
  const mask = (1 << r.reason) >>> 0;
  return { mask, value: onOffByte(r.on, `${path}.on`) ? mask : 0 };
}

/**
 * IFLA_PARENT_DEV_NAME's value for `parentdev NAME`: a device name (bus
 * device names such as `wwan0` or `0000:01:00.0` are not interface names).
 *
 * @example
 * ```ts
 * import { parentDevAttr } from "./link_common.ts";
 * parentDevAttr("wwan0", "parentDev"); // "wwan0"
 * ```
 */
export function parentDevAttr(name: unknown, path: string): string | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== "string" || name === "" || name.includes("\0")) {
    throw new ValidationError(path, name, "expected a device name");
  }
  return name;
}

/** Already-resolved device indexes of a create request. */
export interface CommonDevs {
  /** IFLA_MASTER. */
  master?: number;
  /** IFLA_LINK. */
  link?: number;
}

/**
 * The common attributes of a create request (and `extra` ones, keyed by
 * their option) in iproute2's order: it adds them in argument order,
 * IFLA_LINK and the name last, so they follow the order of the options' keys,
 * then `link` and `name`.
 *
 * @example
 * ```ts
 * import { commonAttrs } from "./link_common.ts";
 * commonAttrs({ name: "v0", mtu: 1400 }, {}, "").mtu; // 1400
 * ```
 */
export function commonAttrs(
  o: Omit<LinkCommonOptions, "up" | "name"> & { name?: string },
  devs: CommonDevs,
  path: string,
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const p = (f: string) => (path ? `${path}.${f}` : f);
  // No name: the kernel names the link after its kind.
  if (o.name !== undefined) checkNewName(o.name, p("name"));
  if (o.nomaster !== undefined && typeof o.nomaster !== "boolean") {
    throw new ValidationError(p("nomaster"), o.nomaster, "expected a boolean");
  }
  if (o.nomaster && devs.master !== undefined) {
    throw new ValidationError(p("nomaster"), true, "master and nomaster exclude each other");
  }
  if (o.netns !== undefined && o.netnsFd !== undefined) {
    throw new ValidationError(p("netnsFd"), o.netnsFd, "netns and netnsFd exclude each other");
  }
  const ns = netnsAttrs(o.netns ?? (o.netnsFd === undefined ? undefined : { fd: o.netnsFd }), p("netns"));
  const attrs = {
    txqlen: o.txqlen,
    address: o.address,
    broadcast: o.broadcast,
    mtu: o.mtu,
    numTxQueues: o.numTxQueues,
    numRxQueues: o.numRxQueues,
    gsoMaxSize: o.gsoMaxSize,
    gsoMaxSegs: o.gsoMaxSegs,
    groMaxSize: o.groMaxSize,
    master: o.nomaster ? 0 : devs.master,
    netNsFd: ns.netNsFd,
    netNsPid: ns.netNsPid,
    ifalias: o.alias,
    group: o.deviceGroup,
    afSpec: addrgenmodeAttr(o.addrgenmode, p("addrgenmode")),
    linkNetnsid: o.linkNetnsid,
    linkmode: linkmodeAttr(o.linkmode, p("linkmode")),
    operstate: o.operstate,
    protoDown: onOffByte(o.protoDown, p("protoDown")),
    protoDownReason: protoDownReasonAttr(o.protoDownReason, p("protoDownReason")),
    parentDevName: parentDevAttr(o.parentDev, p("parentDev")),
    link: devs.link,
    name: o.name,
    ...extra,
  };
  return inOptionOrder(o, attrs, COMMON_ATTRS_OF);
}

/**
 * The attributes iproute2 adds as it reads their words, by option: they go in
 * the order of the options' keys (a CLI building them word by word sends
 * iproute2's order). `link` and `name` iproute2 adds once every word is read:
 * they come last, in that order.
 */
export const COMMON_ATTRS_OF: Readonly<Record<string, string | readonly string[]>> = {
  txqlen: "txqlen",
  address: "address",
  broadcast: "broadcast",
  mtu: "mtu",
  numTxQueues: "numTxQueues",
  numRxQueues: "numRxQueues",
  gsoMaxSize: "gsoMaxSize",
  gsoMaxSegs: "gsoMaxSegs",
  groMaxSize: "groMaxSize",
  master: "master",
  nomaster: "master",
  netns: ["netNsFd", "netNsPid"],
  netnsFd: "netNsFd",
  alias: "ifalias",
  deviceGroup: "group",
  addrgenmode: "afSpec",
  linkNetnsid: "linkNetnsid",
  linkmode: "linkmode",
  operstate: "operstate",
  protoDown: "protoDown",
  protoDownReason: "protoDownReason",
  parentDev: "parentDevName",
  // A created link's (not a veth peer's), given to commonAttrs as `extra`.
  xdp: "xdp",
  carrier: "carrier",
};

/**
 * Every option of a created link that is not its kind's own (the compiler
 * checks that none of LinkCommonOptions is missing).
 */
const NOT_KIND_OPTIONS: Readonly<Record<keyof LinkCommonOptions | "kind" | "data" | "xdp" | "carrier", true>> = {
  kind: true,
  data: true,
  name: true,
  link: true,
  index: true,
  xdp: true,
  carrier: true,
  up: true,
  noarp: true,
  promisc: true,
  allmulticast: true,
  multicast: true,
  dynamic: true,
  noTrailers: true,
  txqlen: true,
  address: true,
  broadcast: true,
  mtu: true,
  numTxQueues: true,
  numRxQueues: true,
  gsoMaxSize: true,
  gsoMaxSegs: true,
  groMaxSize: true,
  master: true,
  nomaster: true,
  netns: true,
  netnsFd: true,
  alias: true,
  deviceGroup: true,
  addrgenmode: true,
  linkNetnsid: true,
  linkmode: true,
  operstate: true,
  protoDown: true,
  protoDownReason: true,
  parentDev: true,
};

/**
 * Whether a created link's options give any of its kind's own settings. With
 * none, the request carries no IFLA_INFO_DATA, as iproute2's `ip link add …
 * type KIND` without words, and the kernel decides what the kind without its
 * settings means (a vrf without a table, say, it refuses in its own words).
 *
 * @example
 * ```ts
 * import { hasKindOptions } from "./link_common.ts";
 * hasKindOptions({ kind: "vrf", name: "blue", up: true }); // false
 * hasKindOptions({ kind: "vrf", name: "blue", table: 10 }); // true
 * ```
 */
export function hasKindOptions(o: Readonly<Record<string, unknown>>): boolean {
  for (const key in o) if (o[key] !== undefined && !Object.hasOwn(NOT_KIND_OPTIONS, key)) return true;
  return false;
}
