/**
 * `bridge vlan add|del`, `bridge vlan set` and `bridge vlan global set`:
 * iproute2's grammar parsed into the library's VLAN options.
 *
 * @module
 */
import type { BridgeVlanGlobalSetOptions, BridgeVlanOptions, BridgeVlanSetOptions } from "@nlink/nlink";
import { Args, invalidArgument, matches } from "../common/args.ts";
import { parseUnsigned } from "../common/inet.ts";
import { atoiShort, type BridgeContext, CommandFailed, connect, Links, parseStpState } from "./context.ts";

/** C's `%hu` of a short. */
const hu = (v: number) => String(v & 0xffff);

/** `vid V` or `vid V-E` as iproute2 reads it (atoi into shorts; -1 for no end). */
function vidArg(arg: string): { vid: number; end: number } {
  const dash = arg.indexOf("-");
  if (dash < 0) return { vid: atoiShort(arg), end: -1 };
  return { vid: atoiShort(arg.slice(0, dash)), end: atoiShort(arg.slice(dash + 1)) };
}

/** parse_tunnel_info: `id ID[-ID]` (each < 2^24). */
function tunnelIds(a: Args): { start: number; end: number } {
  const w = a.value("tunnel_info");
  if (!matches(w, "id")) throw invalidArgument("tunnel id expected", w);
  const arg = a.value("id");
  const dash = arg.indexOf("-");
  const first = dash < 0 ? arg : arg.slice(0, dash);
  const start = parseUnsigned(first);
  if (start === undefined || start >= 1 << 24) throw invalidArgument("invalid tun id", first);
  if (dash < 0) return { start, end: 0 };
  const end = parseUnsigned(arg.slice(dash + 1));
  if (end === undefined || end >= 1 << 24) throw invalidArgument("invalid tun id", first);
  return { start, end };
}

/**
 * `bridge vlan add|del vid V[-E] dev DEV …` → exit code.
 *
 * @example
 * ```ts ignore
 * await vlanModify(ctx, "add", ["vid", "10", "dev", "p0", "pvid", "untagged"]);
 * ```
 */
export async function vlanModify(ctx: BridgeContext, op: "add" | "del", words: string[]): Promise<number> {
  let dev: string | undefined;
  let vid = -1, end = -1, range = false, pvid = false, untagged = false, self = false, master = false;
  let tunnel: { start: number; end: number } | undefined;
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (w === "dev") dev = a.value(w);
    else if (w === "vid") {
      const v = a.value(w);
      ({ vid, end } = vidArg(v));
      if (v.includes("-")) range = true;
    } else if (w === "self") self = true;
    else if (w === "master") master = true;
    else if (w === "pvid") pvid = true;
    else if (w === "untagged") untagged = true;
    else if (w === "tunnel_info") tunnel = tunnelIds(a);
    else if (matches(w, "help")) a.value(w);
  }
  if (dev === undefined || vid === -1) throw new CommandFailed("Device and VLAN ID are required arguments.");
  using conn = await connect(ctx);
  const links = await Links.load(conn);
  const index = links.index(dev);
  if (!index) throw new CommandFailed(`Cannot find bridge device "${dev}"`);
  if (vid >= 4096) throw new CommandFailed(`Invalid VLAN ID "${hu(vid)}"`);
  if (range) {
    if (end === -1 || end >= 4096 || vid >= end) throw new CommandFailed(`Invalid VLAN range "${hu(vid)}-${hu(end)}"`);
    if (pvid) throw new CommandFailed("pvid cannot be configured for a vlan range");
  }
  const options: BridgeVlanOptions = { dev: index, vid };
  if (range) options.vidEnd = end;
  if (self) options.self = true;
  if (master) options.master = true;
  if (tunnel !== undefined) {
    options.tunnelId = tunnel.start;
    if (range) options.tunnelIdEnd = tunnel.end;
  } else {
    if (pvid) options.pvid = true;
    if (untagged) options.untagged = true;
  }
  if (op === "add") await conn.addBridgeVlan(options);
  else await conn.delBridgeVlan(options);
  return 0;
}

/** `vid V[-E]` of `vlan set` / `vlan global set`, with iproute2's checks. */
function checkedVid(arg: string): { vid: number; end: number } {
  const { vid, end } = vidArg(arg);
  if (arg.includes("-") && (vid >= end || end >= 4096)) {
    throw new CommandFailed(`Invalid VLAN range "${hu(vid)}-${hu(end)}"`);
  }
  if (vid >= 4096) throw new CommandFailed(`Invalid VLAN ID "${hu(vid)}"`);
  return { vid, end };
}

/** `dev DEV` of `vlan set` / `vlan global set`: looked up at once. */
function deviceIndex(links: Links, dev: string): number {
  const index = links.index(dev);
  if (!index) throw new CommandFailed(`Cannot find network device "${dev}"`);
  return index;
}

/**
 * `bridge vlan set vid V[-E] dev DEV [state S] [mcast_router R]` → exit code.
 *
 * @example
 * ```ts ignore
 * await vlanSet(ctx, ["vid", "10", "dev", "p0", "state", "blocking"]);
 * ```
 */
export async function vlanSet(ctx: BridgeContext, words: string[]): Promise<number> {
  using conn = await connect(ctx);
  const links = await Links.load(conn);
  let index = 0, vid = -1, end = -1;
  const o: Partial<BridgeVlanSetOptions> = {};
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (w === "dev") index = deviceIndex(links, a.value(w));
    else if (w === "vid") ({ vid, end } = checkedVid(a.value(w)));
    else if (w === "state") {
      const v = a.value(w);
      const state = /^[+-]?\d+$/.test(v) ? Number(v) : parseStpState(v);
      if (state === -1) throw new CommandFailed("Error: invalid STP state");
      o.state = state;
    } else if (w === "mcast_router") {
      const v = a.value(w);
      const r = parseUnsigned(v, 0xff);
      if (r === undefined) throw invalidArgument("invalid mcast_router", v);
      o.mcastRouter = r;
    } else if (matches(w, "help")) a.value(w);
  }
  if (!index || vid === -1) throw new CommandFailed("Device and VLAN ID are required arguments.");
  const options: BridgeVlanSetOptions = { ...o, dev: index, vid };
  if (end !== -1) options.vidEnd = end;
  await conn.setBridgeVlan(options);
  return 0;
}

/** `vlan global set` keywords: [option, kind]. */
const GLOBAL_KEYS: Record<string, [keyof BridgeVlanGlobalSetOptions, "u8" | "bool" | "u32" | "u64"]> = {
  mcast_snooping: ["mcastSnooping", "bool"],
  mcast_querier: ["mcastQuerier", "bool"],
  mcast_igmp_version: ["mcastIgmpVersion", "u8"],
  mcast_mld_version: ["mcastMldVersion", "u8"],
  mcast_last_member_count: ["mcastLastMemberCount", "u32"],
  mcast_startup_query_count: ["mcastStartupQueryCount", "u32"],
  mcast_last_member_interval: ["mcastLastMemberInterval", "u64"],
  mcast_membership_interval: ["mcastMembershipInterval", "u64"],
  mcast_querier_interval: ["mcastQuerierInterval", "u64"],
  mcast_query_interval: ["mcastQueryInterval", "u64"],
  mcast_query_response_interval: ["mcastQueryResponseInterval", "u64"],
  mcast_startup_query_interval: ["mcastStartupQueryInterval", "u64"],
};

/** get_u64 (base 0): a bigint or undefined. */
function parseU64(s: string): bigint | undefined {
  const m = /^\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(s);
  if (!m) return undefined;
  const t = m[1];
  const v = t.length > 1 && t[0] === "0" && t[1] !== "x" && t[1] !== "X" ? BigInt("0o" + t.slice(1)) : BigInt(t);
  return v < 1n << 64n ? v : undefined;
}

/**
 * `bridge vlan global set vid V[-E] dev DEV …` → exit code.
 *
 * @example
 * ```ts ignore
 * await vlanGlobalSet(ctx, ["vid", "10", "dev", "br0", "mcast_snooping", "1"]);
 * ```
 */
export async function vlanGlobalSet(ctx: BridgeContext, words: string[]): Promise<number> {
  using conn = await connect(ctx);
  const links = await Links.load(conn);
  let index = 0, vid = -1, end = -1;
  const o: Record<string, unknown> = {};
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (w === "dev") index = deviceIndex(links, a.value(w));
    else if (w === "vid") ({ vid, end } = checkedVid(a.value(w)));
    else if (Object.hasOwn(GLOBAL_KEYS, w)) {
      const [key, kind] = GLOBAL_KEYS[w];
      const v = a.value(w);
      const n = kind === "u64" ? parseU64(v) : parseUnsigned(v, kind === "u32" ? 0xffffffff : 0xff);
      if (n === undefined) throw invalidArgument(`invalid ${w}`, v);
      o[key] = kind === "bool" ? n !== 0 : n;
    } else if (w === "help") a.value(w);
  }
  if (!index || vid === -1) throw new CommandFailed("Device and VLAN ID are required arguments.");
  const options = { ...o, dev: index, vid } as BridgeVlanGlobalSetOptions;
  if (end !== -1) options.vidEnd = end;
  await conn.setBridgeVlanGlobalOptions(options);
  return 0;
}
