/**
 * Links: query (all, one, filtered by kind or master), set up/down and other
 * properties, create, delete. Requests are byte-for-byte what iproute2 sends.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { cTable } from "../core/ctable.ts";
import { ValidationError } from "../core/errors.ts";
import { NLM_F, REQUEST_FLAGS } from "../core/header.ts";
import { encodeMessage, inOptionOrder } from "../core/message.ts";
import { encodeAttrs } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import { type NetnsHandle, netnsPath, openNetns } from "../netns/mod.ts";
import { RTM } from "./constants.ts";
import { type KindCodec, type KindContext, overCurrent } from "./kinds/common.ts";
import {
  addrgenmodeAttr,
  checkNewName,
  COMMON_ATTRS_OF,
  commonAttrs,
  hasKindOptions,
  linkFlags,
  linkmodeAttr,
  netnsAttrs,
  onOffByte,
  parentDevAttr,
  protoDownReasonAttr,
} from "./kinds/link_common.ts";
import { LINK_MESSAGE } from "./link_attrs.ts";
import { getLink } from "./link_read.ts";
import { needsCurrentRates, vfInfoList, withCurrentVfRates } from "./link_vf.ts";
import { checkIndex, checkName, resolveDev } from "./link_lookup.ts";
import { linkKindCodec, linkSlaveKindCodec } from "./link_kinds.ts";
import type {
  Dev,
  GenericLinkOptions,
  Link,
  LinkNetns,
  LinkTypeChange,
  NewLinkOptions,
  SetLinkOptions,
} from "./link_types.ts";

export type {
  AddLinkOptions,
  BridgeOptions,
  Dev,
  GenericLinkOptions,
  LinkCommonOptions,
  LinkKindDataMap,
  LinkNetns,
  LinkSlaveDataMap,
  LinkTypeChange,
  NewLinkOptions,
  SetLinkOptions,
  TunnelChange,
  UnnamedLinkOptions,
} from "./link_types.ts";
export type { NetkitOptions, PeerOptions, VethOptions } from "./kinds/pair.ts";
export { checkIndex, checkName, linkFindRequest, resolveDev } from "./link_lookup.ts";
export {
  decodeLink,
  findLink,
  getLink,
  getLinkAddressLength,
  getLinks,
  type GetLinksOptions,
  getVrfTable,
  linkAddressLengthRequest,
  linkDumpRequest,
  linkGetRequest,
  streamLinks,
  vrfTableRequest,
} from "./link_read.ts";

/**
 * Builds the RTM_DELLINK request.
 *
 * @example
 * ```ts
 * import { linkDelRequest } from "./link.ts";
 * linkDelRequest(5).length; // 32
 * ```
 */
export function linkDelRequest(index: number, w: MessageWriter = new MessageWriter(32)): Uint8Array {
  const at = encodeMessage(w, LINK_MESSAGE, RTM.DELLINK, REQUEST_FLAGS.ack, { index });
  return w.bytes().subarray(at);
}

/**
 * Deletes a link (and, for a veth, its peer), like `ip link del`.
 *
 * @example
 * ```ts ignore
 * await delLink(conn, "v0");
 * ```
 */
export async function delLink(conn: NetlinkConnection, dev: Dev): Promise<void> {
  const index = await resolveDev(conn, dev);
  await conn.ack(linkDelRequest(index), `delLink ${dev}`);
}

/** A device group number (u32), or a ValidationError naming the field. */
function checkGroup(group: unknown): number {
  if (!Number.isInteger(group) || (group as number) < 0 || (group as number) > 0xffffffff) {
    throw new ValidationError("group", group, "expected a device group number, 0..4294967295");
  }
  return group as number;
}

/**
 * Builds the request `ip link del group G` sends: RTM_DELLINK for no one
 * device (ifindex 0) with IFLA_GROUP, which the kernel applies to every link
 * of the group.
 *
 * @example
 * ```ts
 * import { linkGroupDelRequest } from "./link.ts";
 * linkGroupDelRequest(5).length; // 40
 * ```
 */
export function linkGroupDelRequest(group: number): Uint8Array {
  const w = new MessageWriter(48);
  encodeMessage(w, LINK_MESSAGE, RTM.DELLINK, REQUEST_FLAGS.ack, { index: 0 }, { group: checkGroup(group) });
  return w.bytes();
}

/**
 * Deletes every link of a device group, like `ip link del group G`.
 *
 * @example
 * ```ts ignore
 * await delLinkGroup(conn, 5);
 * ```
 */
export async function delLinkGroup(conn: NetlinkConnection, group: number): Promise<void> {
  await conn.ack(linkGroupDelRequest(group), `delLinkGroup ${group}`);
}

/**
 * Builds the request `ip link set group G …` sends: IFLA_GROUP, then the
 * changes of {@linkcode linkSetRequest}, for no one device (ifindex 0),
 * which the kernel applies to every link of the group. A device named in the
 * options (`master`) must be in `indexes` unless given as an index. An XDP
 * program and a namespace move are one device's: they are refused.
 *
 * @example
 * ```ts
 * import { linkGroupSetRequest } from "./link.ts";
 * linkGroupSetRequest(5, { up: true }).length; // 40
 * ```
 */
export function linkGroupSetRequest(group: number, options: SetLinkOptions, indexes: DevIndexes = {}): Uint8Array {
  checkGroupChange(group, options);
  const { group: _, ...changes } = options;
  const { flags, change, attrs } = linkSetParts(changes, undefined, indexes);
  // IFLA_GROUP first: `group G` is the command's first word, and iproute2 adds each attribute as it reads its word.
  const w = new MessageWriter(128);
  encodeMessage(w, LINK_MESSAGE, RTM.NEWLINK, REQUEST_FLAGS.ack, { index: 0, flags, change }, { group, ...attrs });
  return w.bytes();
}

/** What a group change cannot carry, refused before anything is sent. */
function checkGroupChange(group: number, options: SetLinkOptions): void {
  checkGroup(group);
  if (options === null || typeof options !== "object") {
    throw new ValidationError("options", options, "expected an object");
  }
  const xdp = (options as SetLinkXdpOptions).xdp;
  if (xdp !== undefined) throw new ValidationError("xdp", xdp, "an XDP program is attached per device");
  if (options.netns !== undefined) throw new ValidationError("netns", options.netns, "links move one by one");
  if (options.group !== undefined && options.group !== group) {
    throw new ValidationError("group", options.group, `the group changed is ${group}`);
  }
}

/**
 * Changes every link of a device group in one request, like `ip link set
 * group G up` (flags, MTU, queues and the other settings of
 * {@linkcode setLink} that are not one device's own).
 *
 * @example
 * ```ts ignore
 * await setLinkGroup(conn, 5, { up: true, mtu: 1400 });
 * ```
 */
export async function setLinkGroup(conn: NetlinkConnection, group: number, options: SetLinkOptions): Promise<void> {
  checkGroupChange(group, options);
  const indexes = await resolveAll(conn, options);
  await conn.ack(linkGroupSetRequest(group, options, indexes), `setLinkGroup ${group}`);
}

export { linkData, linkSlaveData } from "./link_data.ts";

// ------------------------------------------------------------ device options

/**
 * Device indexes resolved before a request is built, by option path
 * (`"master"`, `"link"`, `"dev"`, `"type.backupPort"`, …). Options given as
 * numbers need no entry.
 */
export type DevIndexes = Readonly<Record<string, number>>;

/**
 * Every device an `addLink` request names, by option path, for resolving
 * before the request is built (names through the connection's namespace).
 *
 * @example
 * ```ts
 * import { linkDevs } from "./link.ts";
 * linkDevs({ kind: "vlan", name: "p0.5", link: "p0", id: 5 }); // [["link", "p0"]]
 * ```
 */
export function linkDevs(options: NewLinkOptions | SetLinkOptions): [string, Dev][] {
  const out: [string, Dev][] = [];
  if (options === null || typeof options !== "object") return out;
  const o = options as Record<string, unknown>;
  for (const key of ["master", "link"]) if (o[key] !== undefined) out.push([key, o[key] as Dev]);
  if ("kind" in o && typeof o.kind === "string") {
    for (const key of linkKindCodec(o.kind)?.devOptions ?? []) {
      const value = optionAt(o, key);
      if (value !== undefined) out.push([key, value as Dev]);
    }
  }
  const type = o.type as Record<string, unknown> | undefined;
  if (type !== null && typeof type === "object" && typeof type.kind === "string") {
    for (const key of typeCodec(type.kind)?.devOptions ?? []) {
      if (type[key] !== undefined && type[key] !== null) out.push([`type.${key}`, type[key] as Dev]);
    }
  }
  return out;
}

/** The option at a dotted path (`"peer.master"`), or undefined when any step is missing. */
function optionAt(o: Record<string, unknown>, path: string): unknown {
  let v: unknown = o;
  for (const step of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[step];
  }
  return v;
}

/** The ifindex of a device option: a number as it is, a name from `indexes`. */
function devIndex(indexes: DevIndexes, path: string, value: Dev): number {
  if (typeof value === "number") return checkIndex(value, path);
  checkName(value, path);
  const index = indexes[path];
  if (index === undefined) {
    throw new ValidationError(path, value, "a device name must be resolved first (addLink/setLink do it)");
  }
  return index;
}

/** Placeholder indexes for checking options before any look-up. */
function placeholderIndexes(options: NewLinkOptions | SetLinkOptions): Record<string, number> {
  return Object.fromEntries(linkDevs(options).map(([path]) => [path, 1]));
}

async function resolveAll(conn: NetlinkConnection, options: NewLinkOptions | SetLinkOptions): Promise<DevIndexes> {
  const out: Record<string, number> = {};
  for (const [path, dev] of linkDevs(options)) out[path] = await resolveDev(conn, dev, path);
  return out;
}

/**
 * Opens a namespace given by name or path (IFLA_NET_NS_FD needs a
 * descriptor); `{ pid }` and `{ fd }` need nothing opened.
 */
function openTarget(target: LinkNetns | undefined): NetnsHandle | undefined {
  if (target === undefined || (typeof target === "object" && ("pid" in target || "fd" in target))) return undefined;
  return openNetns(target);
}

// ------------------------------------------------------------ create

function kindContext(change: boolean, indexes: DevIndexes, prefix = ""): KindContext {
  return { change, dev: (path, value) => devIndex(indexes, prefix + path, value) };
}

/**
 * Builds the RTM_NEWLINK create request (`ip link add … type KIND …`):
 * the common attributes, then IFLA_LINKINFO with the kind's data in
 * iproute2's order. Device options given by name take their index from
 * `indexes` (see {@linkcode linkDevs}); `master` may also be passed alone.
 *
 * With `replace`, the request is `ip link replace`'s (NLM_F_CREATE |
 * NLM_F_REPLACE instead of NLM_F_CREATE | NLM_F_EXCL).
 *
 * @example
 * ```ts
 * import { linkAddRequest } from "./link.ts";
 * linkAddRequest({ kind: "veth", name: "v0", peer: { name: "v1" } }).length; // 84
 * linkAddRequest({ kind: "vlan", name: "p0.5", link: 2, id: 5 }).length; // 76
 * ```
 */
export function linkAddRequest(
  options: NewLinkXdpOptions,
  master?: number,
  w: MessageWriter = new MessageWriter(256),
  indexes: DevIndexes = {},
  replace = false,
): Uint8Array {
  if (options === null || typeof options !== "object" || typeof options.kind !== "string" || options.kind === "") {
    throw new ValidationError("kind", (options as { kind?: unknown })?.kind, 'expected a link kind such as "veth"');
  }
  const o = options as GenericLinkOptions;
  const devs = {
    master: master ?? (o.master === undefined ? undefined : devIndex(indexes, "master", o.master)),
    link: o.link === undefined ? undefined : devIndex(indexes, "link", o.link),
  };
  const attrs = commonAttrs(o, devs, "", carrierXdp(options));
  const linkinfo: Record<string, unknown> = { kind: o.kind };
  const codec = linkKindCodec(o.kind);
  if (o.data !== undefined) {
    if (!(o.data instanceof Uint8Array)) throw new ValidationError("data", o.data, "raw data is a Uint8Array");
    linkinfo.data = o.data;
  } else if (codec?.encode && hasKindOptions(o as unknown as Record<string, unknown>)) {
    const data = codec.encode(o as unknown as Record<string, unknown>, kindContext(false, indexes));
    if (data !== undefined) linkinfo.data = data;
  }
  attrs.linkinfo = linkinfo;
  const header: Record<string, unknown> = linkFlags(o, "");
  if (o.index !== undefined) header.index = checkIndex(o.index, "index");
  const flags = replace ? REQUEST_FLAGS.ack | NLM_F.CREATE | NLM_F.REPLACE : REQUEST_FLAGS.create;
  const at = encodeMessage(w, LINK_MESSAGE, RTM.NEWLINK, flags, header, attrs);
  return w.bytes().subarray(at);
}

/**
 * IFLA_XDP and IFLA_CARRIER of a created link, for {@linkcode commonAttrs},
 * which puts them where their words are (the kernel, 6.18 at least, creates
 * the link without looking at either; they are sent as iproute2 sends them).
 */
function carrierXdp(o: NewLinkXdpOptions): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  if (o.xdp !== undefined) attrs.xdp = xdpAttr(o.xdp, "xdp");
  if (o.carrier !== undefined) attrs.carrier = onOffByte(o.carrier, "carrier");
  return attrs;
}

/** The options with `netns` (and a pair's peer's `netns`) passed through `f`. */
function mapNetns<T extends { netns?: LinkNetns }>(options: T, f: (t: LinkNetns) => LinkNetns): T {
  if (options === null || typeof options !== "object") return options;
  const o: T & { peer?: { netns?: LinkNetns } } = { ...options };
  if (o.netns !== undefined) o.netns = f(o.netns);
  if (o.peer !== null && typeof o.peer === "object" && o.peer.netns !== undefined) {
    o.peer = { ...o.peer, netns: f(o.peer.netns) };
  }
  return o;
}

/**
 * The options with every namespace given by name or path (the link's, a
 * veth peer's) opened and replaced by its descriptor, as IFLA_NET_NS_FD
 * needs; the caller closes `handles` once the request is sent.
 *
 * @example
 * ```ts ignore
 * const handles: NetnsHandle[] = [];
 * const request = linkAddRequest(openLinkNetns(options, handles));
 * ```
 */
export function openLinkNetns<T extends { netns?: LinkNetns }>(options: T, handles: NetnsHandle[]): T {
  return mapNetns(options, (target) => {
    const h = openTarget(target);
    if (!h) return target;
    handles.push(h);
    return { fd: h.fd };
  });
}

/**
 * For checking options before anything is opened or sent: a namespace that
 * must be opened stands in as a descriptor, once its name or path is checked.
 */
function netnsPlaceholder(target: LinkNetns): LinkNetns {
  if (typeof target === "object" && target !== null && ("pid" in target || "fd" in target)) return target;
  netnsPath(target as Exclude<LinkNetns, { fd: number }>);
  return { fd: 0 };
}

/**
 * Validates create options without looking anything up or opening anything:
 * throws the {@linkcode ValidationError} that `addLink` would.
 *
 * @example
 * ```ts ignore
 * checkAddLink({ kind: "vlan", name: "p0.5", link: "p0", id: 5000 }); // throws: id out of range
 * ```
 */
export function checkAddLink(options: NewLinkXdpOptions): void {
  const o = xdpPlaceholder(mapNetns(options, netnsPlaceholder));
  linkAddRequest(o, undefined, undefined, placeholderIndexes(options));
}

/**
 * For checking options before anything is opened: a pinned XDP program (a plausible path) stands in as a
 * descriptor; it is opened only when sending.
 */
function xdpPlaceholder<T extends { xdp?: LinkXdpChange }>(o: T): T {
  const x = o?.xdp;
  if (x === null || typeof x !== "object") return o;
  if (x.object !== undefined) return { ...o, xdp: checkXdpObject(x) };
  if (typeof x.pinned !== "string" || x.pinned === "" || x.pinned.includes("\0")) return o;
  if (x.off !== undefined || x.fd !== undefined) {
    throw new ValidationError("xdp", x, "give exactly one of off, fd, pinned and object");
  }
  const { pinned: _, ...rest } = x;
  return { ...o, xdp: { ...rest, fd: 0 } };
}

/** Checks an `object` change's own fields; returns it with a placeholder fd in place of the file. */
function checkXdpObject(x: LinkXdpChange): LinkXdpChange {
  if (x.off !== undefined || x.fd !== undefined || x.pinned !== undefined) {
    throw new ValidationError("xdp", x, "give exactly one of off, fd, pinned and object");
  }
  if (typeof x.object !== "string" || x.object === "" || x.object.includes("\0")) {
    throw new ValidationError("xdp.object", x.object, "expected the path of an ELF BPF object file");
  }
  for (const key of ["section", "program"] as const) {
    const v = x[key];
    if (v !== undefined && (typeof v !== "string" || v === "" || v.includes("\0"))) {
      throw new ValidationError(`xdp.${key}`, v, `expected a ${key} name`);
    }
  }
  const { object: _o, section: _s, program: _p, ...rest } = x;
  return { ...rest, fd: 0 };
}

/**
 * Validates change options as {@linkcode checkAddLink} does for creation.
 *
 * @example
 * ```ts ignore
 * checkSetLink({ mtu: -1 }); // throws
 * ```
 */
export function checkSetLink(options: SetLinkXdpOptions): void {
  let o = xdpPlaceholder(mapNetns(options, netnsPlaceholder));
  // A change laid over the current settings is checked whole once they are read (setLink).
  if (changesOverCurrent(o)) o = { ...o, type: { kind: o.type!.kind } as LinkTypeChange };
  // Rate bounds left to the current ones are read later: any will do to check the rest.
  if (Array.isArray(o.vfs) && o.vfs.some(needsCurrentRates)) o = { ...o, vfs: withCurrentVfRates(o.vfs, {} as Link) };
  linkSetRequest(1, o, undefined, undefined, placeholderIndexes(options));
}

/**
 * Whether `options.type` is a change of a kind whose settings the kernel
 * resets when a change leaves them out (the IP tunnels): `setLink` then
 * reads the link's current settings and sends them with the change.
 *
 * @example
 * ```ts
 * import { changesOverCurrent } from "./link.ts";
 * changesOverCurrent({ type: { kind: "gre", ttl: 64 } }); // true
 * changesOverCurrent({ type: { kind: "bond", miimon: 100 } }); // false
 * ```
 */
export function changesOverCurrent(options: SetLinkOptions): boolean {
  const type = options.type as { kind?: unknown } | undefined | null;
  return typeof type === "object" && type !== null && typeof type.kind === "string" &&
    typeCodec(type.kind)?.current !== undefined && hasKindOptions(type as Record<string, unknown>);
}

/** `options` with its type change laid over the link's current settings (see {@linkcode changesOverCurrent}). */
async function overCurrentSettings(
  conn: NetlinkConnection,
  index: number,
  options: SetLinkXdpOptions,
): Promise<SetLinkXdpOptions> {
  if (!changesOverCurrent(options)) return options;
  const type = options.type as unknown as Record<string, unknown> & { kind: string };
  const link = await getLink(conn, index);
  const kind = link.linkinfo?.kind;
  if (kind !== type.kind) {
    throw new ValidationError(
      "type.kind",
      type.kind,
      `link ${link.name} is ${kind === undefined ? "a link without a kind" : `a ${kind} link`}`,
    );
  }
  const data = (link.linkinfo?.data ?? {}) as Record<string, unknown>;
  return { ...options, type: overCurrent(typeCodec(kind)!, data, type) as unknown as LinkTypeChange };
}

/**
 * Creates a link, like `ip link add NAME type KIND …`, with the kind's typed
 * options (`{ kind: "vlan", name: "p0.100", link: "p0", id: 100 }`). Devices
 * are resolved by name in this connection's namespace; bad input throws a
 * {@linkcode ValidationError} before anything is looked up or sent.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "veth", name: "v0", peer: { name: "v1" } });
 * await addLink(conn, { kind: "vxlan", name: "vx0", id: 42, remote: "192.0.2.2", dstport: 4789 });
 * ```
 */
export function addLink(conn: NetlinkConnection, options: NewLinkXdpOptions): Promise<void> {
  return newLink(conn, options, false);
}

/**
 * Creates a link, or fails if one of that name exists, like `ip link replace
 * NAME type KIND …` (NLM_F_CREATE | NLM_F_REPLACE without NLM_F_EXCL): same
 * options as {@linkcode addLink}. The kernel replaces no existing device: for
 * one that exists it answers EOPNOTSUPP (or EEXIST for a taken peer name).
 *
 * @example
 * ```ts ignore
 * await replaceLink(conn, { kind: "veth", name: "v0", peer: { name: "v1" } });
 * ```
 */
export function replaceLink(conn: NetlinkConnection, options: NewLinkXdpOptions): Promise<void> {
  return newLink(conn, options, true);
}

async function newLink(conn: NetlinkConnection, options: NewLinkXdpOptions, replace: boolean): Promise<void> {
  checkAddLink(options);
  const indexes = await resolveAll(conn, options);
  const bpf = needsBpf(options.xdp) ? await import("../../ffi/bpf.ts") : undefined;
  const handles: NetnsHandle[] = [];
  const fds: number[] = [];
  try {
    const opened = await openXdp(openLinkNetns(options, handles), bpf, fds);
    const request = linkAddRequest(opened, undefined, undefined, indexes, replace);
    const name = options.name === undefined ? "" : ` ${options.name}`;
    await conn.ack(request, `${replace ? "replaceLink" : "addLink"}${name} type ${options.kind}`);
  } finally {
    for (const h of handles) h.close();
    for (const fd of fds) bpf?.bpfClose(fd);
  }
}

// ------------------------------------------------------------ XDP

/** XDP_FLAGS_* of IFLA_XDP_FLAGS: how a program is attached. */
export const XDP_FLAGS: Readonly<Record<"UPDATE_IF_NOEXIST" | "SKB_MODE" | "DRV_MODE" | "HW_MODE", number>> = cTable(
  "linux/if_link.h",
  "XDP_FLAGS_",
  { UPDATE_IF_NOEXIST: 1, SKB_MODE: 2, DRV_MODE: 4, HW_MODE: 8 },
);

/**
 * Attaching or detaching an XDP program (`ip link set DEV xdp… off | pinned PATH | object FILE`). Exactly one of
 * `off`, `pinned`, `object` and `fd` is given.
 */
export interface LinkXdpChange {
  /** Detach the program of this mode (IFLA_XDP_FD -1). */
  off?: true;
  /** A program pinned on a bpf file system: opened (BPF_OBJ_GET) for the request, closed after. */
  pinned?: string;
  /**
   * An ELF BPF object file (`ip link set DEV xdp object FILE`): read, its program loaded as an XDP program
   * (named after its function, cut to 15 characters as libbpf does, with the object's `license`) for the request,
   * and its fd closed after. Only self-contained programs load: objects with maps, global data, relocations or
   * calls between functions are refused (a `BpfObjectError`, a {@linkcode ValidationError}) before anything is sent.
   */
  object?: string;
  /** With `object`: the section whose first program to load (without it and `program`, the object's first). */
  section?: string;
  /** With `object`: the program (function) name to load; wins over `section`, as in iproute2. */
  program?: string;
  /** An open program descriptor the caller owns. */
  fd?: number;
  /**
   * `"generic"` (skb mode, any device), `"drv"` (the driver's), `"offload"` (the NIC's); none lets the kernel
   * choose (as iproute2's plain `xdp`).
   */
  mode?: "generic" | "drv" | "offload";
  /** Replace an attached program (iproute2's `-force`); without it the kernel refuses to (XDP_FLAGS_UPDATE_IF_NOEXIST). */
  force?: boolean;
}

/**
 * The create options plus what `ip link add` also sends before `type`: a carrier state and an XDP program
 * (`ip link add NAME carrier off xdp pinned PATH type KIND …`), as {@linkcode addLink} takes them. The kernel
 * (6.18 at least) reads neither when it creates a link: they are sent as iproute2 sends them, and changed
 * afterwards with {@linkcode setLink}.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "veth", name: "v0", peer: { name: "v1" }, carrier: false });
 * ```
 */
export type NewLinkXdpOptions = NewLinkOptions & {
  /** IFLA_CARRIER (`carrier on|off`). */
  carrier?: boolean;
  /** IFLA_XDP (`xdp… pinned PATH | fd … | off`). */
  xdp?: LinkXdpChange;
};

/** The set options plus an XDP change (`ip link set DEV … xdp …`), as {@linkcode setLink} takes them. */
export type SetLinkXdpOptions = SetLinkOptions & {
  /** Attach or detach an XDP program in the same request. */
  xdp?: LinkXdpChange;
};

const XDP_MODE_FLAG: Record<string, number> = {
  generic: XDP_FLAGS.SKB_MODE,
  drv: XDP_FLAGS.DRV_MODE,
  offload: XDP_FLAGS.HW_MODE,
};

/**
 * IFLA_XDP for a change whose program is an fd (or `off`): IFLA_XDP_FD, then IFLA_XDP_FLAGS when any flag is set,
 * as iproute2 sends them. A `pinned` path must be opened first ({@linkcode setLink} does).
 *
 * @example
 * ```ts
 * import { xdpAttr } from "./link.ts";
 * xdpAttr({ off: true, mode: "generic" }, "xdp"); // { fd: -1, flags: 3 }
 * ```
 */
export function xdpAttr(x: LinkXdpChange, path: string): { fd: number; flags?: number } {
  if (x === null || typeof x !== "object") {
    throw new ValidationError(path, x, "expected { off } or { fd } or { pinned }");
  }
  const given = ["off", "fd", "pinned", "object"].filter((k) => (x as Record<string, unknown>)[k] !== undefined);
  if (given.length !== 1) throw new ValidationError(path, x, "give exactly one of off, fd, pinned and object");
  if (x.object !== undefined) {
    throw new ValidationError(`${path}.object`, x.object, "an object file must be loaded first (setLink does it)");
  }
  if (x.off !== undefined && x.off !== true) throw new ValidationError(`${path}.off`, x.off, "expected true");
  if (x.pinned !== undefined) {
    if (typeof x.pinned !== "string" || x.pinned === "" || x.pinned.includes("\0")) {
      throw new ValidationError(`${path}.pinned`, x.pinned, "expected a path on a bpf file system");
    }
    throw new ValidationError(`${path}.pinned`, x.pinned, "a pinned program must be opened first (setLink does it)");
  }
  if (x.fd !== undefined && (!Number.isInteger(x.fd) || x.fd < 0 || x.fd > 0x7fffffff)) {
    throw new ValidationError(`${path}.fd`, x.fd, "expected a file descriptor");
  }
  if (x.force !== undefined && typeof x.force !== "boolean") {
    throw new ValidationError(`${path}.force`, x.force, "expected a boolean");
  }
  if (x.mode !== undefined && XDP_MODE_FLAG[x.mode] === undefined) {
    throw new ValidationError(`${path}.mode`, x.mode, "expected generic, drv or offload");
  }
  const flags = (x.force ? 0 : XDP_FLAGS.UPDATE_IF_NOEXIST) | (x.mode === undefined ? 0 : XDP_MODE_FLAG[x.mode]);
  return flags ? { fd: x.off ? -1 : x.fd as number, flags } : { fd: x.off ? -1 : x.fd as number };
}

/** bpf(2), loaded only by requests that open a pinned program or load one (most commands never need it). */
type Bpf = typeof import("../../ffi/bpf.ts");

/** Whether the change opens or loads a program through bpf(2). */
function needsBpf(x: LinkXdpChange | undefined): boolean {
  return x !== null && typeof x === "object" && (x.pinned !== undefined || x.object !== undefined);
}

/**
 * The options with a pinned XDP program opened, or an object file's program loaded (its fd pushed on `fds`, to
 * close through `bpf`).
 */
async function openXdp<T extends { xdp?: LinkXdpChange }>(options: T, bpf: Bpf | undefined, fds: number[]): Promise<T> {
  const x = options.xdp;
  if (bpf === undefined || x === null || typeof x !== "object") return options;
  if (x.object !== undefined) {
    const { readBpfObject, selectBpfProgram } = await import("../util/bpf_object.ts");
    const obj = await readBpfObject(x.object, "xdp.object");
    const prog = selectBpfProgram(obj, { section: x.section, program: x.program }, "xdp");
    // libbpf gives the kernel the function's name cut to what fits (BPF_OBJ_NAME_LEN - 1).
    const fd = bpf.bpfProgLoad({
      type: "xdp",
      instructions: prog.instructions,
      license: obj.license,
      name: prog.name.slice(0, 15),
    });
    fds.push(fd);
    const { object: _o, section: _s, program: _p, ...rest } = x;
    return { ...options, xdp: { ...rest, fd } };
  }
  if (x.pinned === undefined) return options;
  const fd = bpf.bpfObjGet(x.pinned);
  fds.push(fd);
  const { pinned: _, ...rest } = x;
  return { ...options, xdp: { ...rest, fd } };
}

// ------------------------------------------------------------ change

function typeCodec(kind: string): KindCodec | undefined {
  const slave = /^(.+)_slave$/.exec(kind);
  return slave ? linkSlaveKindCodec(slave[1]) : linkKindCodec(kind);
}

/**
 * IFLA_LINKINFO of `ip link set DEV type KIND …`: kind data, or a member's
 * data raw under the slave kind; the kind alone when the change gives none of
 * its settings, as `ip link set DEV type KIND` without words sends it. A kind
 * the kernel cannot change in place (veth, vrf, …) is the kernel's to refuse.
 */
function typeInfo(type: LinkTypeChange, indexes: DevIndexes): Record<string, unknown> {
  if (type === null || typeof type !== "object" || typeof type.kind !== "string" || (type.kind as string) === "") {
    throw new ValidationError("type", type, "expected { kind, … }");
  }
  const info: Record<string, unknown> = { kind: type.kind };
  if (!hasKindOptions(type as unknown as Record<string, unknown>)) return info;
  const codec = typeCodec(type.kind);
  if (!codec?.encode || !codec.schema) {
    throw new ValidationError("type.kind", type.kind, "nlink has no settings of this kind to send");
  }
  const data = codec.encode(type as unknown as Record<string, unknown>, kindContext(true, indexes, "type."));
  if (data === undefined) return info;
  if (type.kind.endsWith("_slave")) {
    // The slave kind is not the name the data layout is chosen by: write it raw.
    const w = new MessageWriter(128);
    encodeAttrs(w, codec.schema, data, "link.linkinfo.slaveData");
    info.slaveData = w.bytes().slice();
  } else info.data = data;
  return info;
}

/**
 * Builds the RTM_NEWLINK request `ip link set` sends for these changes:
 * flags in the header, attributes in the order of the options' keys (as
 * iproute2 adds them word by word), then `newIndex`, `name` and `type`, which
 * iproute2 adds after every other word. A tunnel kind's change is encoded as
 * given, its missing settings at their defaults; {@linkcode setLink} lays it
 * over the link's current settings first.
 *
 * @example
 * ```ts
 * import { linkSetRequest } from "./link.ts";
 * linkSetRequest(3, { up: true }).length; // 32
 * ```
 */
export function linkSetRequest(
  index: number,
  options: SetLinkXdpOptions,
  master?: number,
  w: MessageWriter = new MessageWriter(128),
  indexes: DevIndexes = {},
): Uint8Array {
  const { flags, change, attrs } = linkSetParts(options, master, indexes);
  const at = encodeMessage(w, LINK_MESSAGE, RTM.NEWLINK, REQUEST_FLAGS.ack, { index, flags, change }, attrs);
  return w.bytes().subarray(at);
}

/** The header flags and the attributes (in iproute2's order) of a link change. */
function linkSetParts(
  options: SetLinkXdpOptions,
  master: number | undefined,
  indexes: DevIndexes,
): { flags: number; change: number; attrs: Record<string, unknown> } {
  if (options === null || typeof options !== "object") {
    throw new ValidationError("options", options, "expected an object");
  }
  const { flags, change } = linkFlags(options, "");
  const attrs: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) attrs[key] = value;
  };
  put("txqlen", options.txqlen);
  put("address", options.address);
  put("broadcast", options.broadcast);
  put("mtu", options.mtu);
  if (options.xdp !== undefined) attrs.xdp = xdpAttr(options.xdp, "xdp");
  const ns = netnsAttrs(options.netns, "netns");
  put("netNsFd", ns.netNsFd);
  put("netNsPid", ns.netNsPid);
  put("carrier", onOffByte(options.carrier, "carrier"));
  if (options.master !== undefined && options.nomaster) {
    throw new ValidationError("nomaster", true, "master and nomaster exclude each other");
  }
  put(
    "master",
    options.nomaster
      ? 0
      : master ?? (options.master === undefined ? undefined : devIndex(indexes, "master", options.master)),
  );
  put("ifalias", options.alias);
  put("group", options.group);
  put("linkmode", linkmodeAttr(options.linkmode, "linkmode"));
  put("operstate", options.operstate);
  put("numTxQueues", options.numTxQueues);
  put("numRxQueues", options.numRxQueues);
  put("afSpec", addrgenmodeAttr(options.addrgenmode, "addrgenmode"));
  put("linkNetnsid", options.linkNetnsid);
  put("protoDown", onOffByte(options.protoDown, "protoDown"));
  put("protoDownReason", protoDownReasonAttr(options.protoDownReason, "protoDownReason"));
  put("parentDevName", parentDevAttr(options.parentDev, "parentDev"));
  put("gsoMaxSize", options.gsoMaxSize);
  put("gsoMaxSegs", options.gsoMaxSegs);
  put("groMaxSize", options.groMaxSize);
  if (options.newIndex !== undefined) {
    if (options.netns === undefined) {
      throw new ValidationError("newIndex", options.newIndex, "newIndex goes with netns");
    }
    attrs.newIfindex = checkIndex(options.newIndex, "newIndex");
  }
  if (options.name !== undefined) attrs.name = checkNewName(options.name, "name");
  if (options.type !== undefined) attrs.linkinfo = typeInfo(options.type, indexes);
  if (options.vfs !== undefined) attrs.vfinfoList = vfInfoList(options.vfs);
  return { flags, change, attrs: inOptionOrder(options, attrs, SET_ATTRS_OF) };
}

/**
 * The attributes of the changes iproute2 adds as it reads their words, by
 * option: they go in the order of the options' keys (a CLI building them word
 * by word sends iproute2's order). The rest (`newIndex`, `name`, `type`)
 * iproute2 adds once every word is read: they come last, in that order.
 */
const SET_ATTRS_OF: Readonly<Record<string, string | readonly string[]>> = {
  ...COMMON_ATTRS_OF,
  group: "group",
  vfs: "vfinfoList",
};

/**
 * Changes a link's properties in one request, like `ip link set`: flags,
 * MTU, name, addresses, master, namespace (`netns`), carrier, queues, GSO/GRO
 * limits, protodown, an XDP program (`xdp: { pinned, mode }`, `xdp: { object, section }`, `xdp: { off }`),
 * and kind-specific settings (`type: { kind: "bond", miimon: 100 }`,
 * `type: { kind: "bridge_slave", cost: 10 }`).
 *
 * The IP tunnels (gre, gretap, ip6gre, ip6gretap, ipip, sit, ip6tnl, vti,
 * vti6) change over their current settings: the kernel resets every tunnel
 * setting a change leaves out, so the link is read first and the change is
 * sent with the rest of its settings, as `ip link set DEV type gre …` does.
 * `"any"` clears an endpoint, `key: false` a key.
 *
 * @example
 * ```ts ignore
 * await setLink(conn, "p0", { mtu: 9000, up: true });
 * await setLink(conn, "gre1", { type: { kind: "gre", remote: "192.0.2.9", ttl: 32 } });
 * await setLink(conn, "v1", { netns: "blue" });
 * await setLink(conn, "v0", { xdp: { pinned: "/sys/fs/bpf/pass", mode: "generic" } });
 * await setLink(conn, "v0", { xdp: { object: "xdp.o", section: "xdp", mode: "generic", force: true } });
 * ```
 */
export async function setLink(conn: NetlinkConnection, dev: Dev, options: SetLinkXdpOptions): Promise<void> {
  checkSetLink(options);
  const index = await resolveDev(conn, dev);
  const indexes = await resolveAll(conn, options);
  const bpf = needsBpf(options.xdp) ? await import("../../ffi/bpf.ts") : undefined;
  const handles: NetnsHandle[] = [];
  const fds: number[] = [];
  try {
    const vfs = options.vfs;
    const withRates = vfs?.some(needsCurrentRates)
      ? { ...options, vfs: withCurrentVfRates(vfs, await getLink(conn, index)) }
      : options;
    const whole = await overCurrentSettings(conn, index, withRates);
    const opened = await openXdp(openLinkNetns(whole, handles), bpf, fds);
    const request = linkSetRequest(index, opened, undefined, undefined, indexes);
    await conn.ack(request, `setLink ${dev}`);
  } finally {
    for (const h of handles) h.close();
    for (const fd of fds) bpf?.bpfClose(fd);
  }
}

// ------------------------------------------------------------ alternative names

/**
 * Builds RTM_NEWLINKPROP / RTM_DELLINKPROP for alternative names, as `ip
 * link property add|del dev DEV altname NAME …` sends it.
 *
 * @example
 * ```ts
 * import { linkPropRequest } from "./link.ts";
 * linkPropRequest("add", 2, ["uplink"]).length; // 48
 * ```
 */
export function linkPropRequest(
  op: "add" | "del",
  index: number,
  names: readonly string[],
  w: MessageWriter = new MessageWriter(64),
): Uint8Array {
  if (!Array.isArray(names) || names.length === 0) throw new ValidationError("name", names, "expected a name");
  names.forEach((n, i) => {
    // The kernel takes ':' and '.' here, unlike in an interface's own name.
    if (typeof n !== "string" || n === "" || n.length > 127 || /[\s/]/.test(n)) {
      throw new ValidationError(
        names.length > 1 ? `name[${i}]` : "name",
        n,
        "an alternative name is 1-127 characters without spaces or '/'",
      );
    }
  });
  const flags = op === "add" ? REQUEST_FLAGS.ack | NLM_F.EXCL | NLM_F.CREATE | NLM_F.APPEND : REQUEST_FLAGS.ack;
  const type = op === "add" ? RTM.NEWLINKPROP : RTM.DELLINKPROP;
  const at = encodeMessage(w, LINK_MESSAGE, type, flags, { index: checkIndex(index, "dev") }, {
    propList: { altIfname: [...names] },
  });
  return w.bytes().subarray(at);
}

/**
 * Gives a link alternative names (`ip link property add dev DEV altname NAME`);
 * they then work wherever a name does, up to 127 characters.
 *
 * @example
 * ```ts ignore
 * await addAltName(conn, "p0", "uplink-to-the-core-switch");
 * ```
 */
export async function addAltName(conn: NetlinkConnection, dev: Dev, name: string | readonly string[]): Promise<void> {
  const names = typeof name === "string" ? [name] : name;
  linkPropRequest("add", 1, names);
  const index = await resolveDev(conn, dev);
  await conn.ack(linkPropRequest("add", index, names), `addAltName ${dev}`);
}

/**
 * Removes alternative names (`ip link property del dev DEV altname NAME`).
 *
 * @example
 * ```ts ignore
 * await delAltName(conn, "p0", "uplink-to-the-core-switch");
 * ```
 */
export async function delAltName(conn: NetlinkConnection, dev: Dev, name: string | readonly string[]): Promise<void> {
  const names = typeof name === "string" ? [name] : name;
  linkPropRequest("del", 1, names);
  const index = await resolveDev(conn, dev);
  await conn.ack(linkPropRequest("del", index, names), `delAltName ${dev}`);
}
