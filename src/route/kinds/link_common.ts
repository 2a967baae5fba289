/**
 * The attributes every kind's create request shares (the words before `type`
 * in `ip link add`), for a link and for a pair's peer, in iproute2's order.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
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

/** Already-resolved device indexes of a create request. */
export interface CommonDevs {
  /** IFLA_MASTER. */
  master?: number;
  /** IFLA_LINK. */
  link?: number;
}

/**
 * The common attributes of a create request in iproute2's order: it adds
 * them in argument order, IFLA_LINK and the name last, so this is the order
 * of `ip link add link DEV txqlen Q address A broadcast B mtu M numtxqueues N
 * numrxqueues N gso_max_size S gso_max_segs S gro_max_size S master X netns NS
 * alias A addrgenmode G link-netnsid I name NAME type …`.
 *
 * @example
 * ```ts
 * import { commonAttrs } from "./link_common.ts";
 * commonAttrs({ name: "v0", mtu: 1400 }, {}, "").mtu; // 1400
 * ```
 */
export function commonAttrs(
  o: Omit<LinkCommonOptions, "up">,
  devs: CommonDevs,
  path: string,
): Record<string, unknown> {
  const p = (f: string) => (path ? `${path}.${f}` : f);
  checkNewName(o.name, p("name"));
  if (o.netns !== undefined && o.netnsFd !== undefined) {
    throw new ValidationError(p("netnsFd"), o.netnsFd, "netns and netnsFd exclude each other");
  }
  const ns = netnsAttrs(o.netns ?? (o.netnsFd === undefined ? undefined : { fd: o.netnsFd }), p("netns"));
  return {
    txqlen: o.txqlen,
    address: o.address,
    broadcast: o.broadcast,
    mtu: o.mtu,
    numTxQueues: o.numTxQueues,
    numRxQueues: o.numRxQueues,
    gsoMaxSize: o.gsoMaxSize,
    gsoMaxSegs: o.gsoMaxSegs,
    groMaxSize: o.groMaxSize,
    master: devs.master,
    netNsFd: ns.netNsFd,
    netNsPid: ns.netNsPid,
    ifalias: o.alias,
    afSpec: addrgenmodeAttr(o.addrgenmode, p("addrgenmode")),
    linkNetnsid: o.linkNetnsid,
    link: devs.link,
    name: o.name,
  };
}
