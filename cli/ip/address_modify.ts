/**
 * `ip address add | change | replace | delete`: iproute2's argument rules
 * (ipaddr_modify), mapped onto the library's AddressOptions.
 *
 * @module
 */
import type { AddressFlag, AddressOptions } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  getAddr,
  getPrefix,
  type InetPrefix,
  isMulticastPrefix,
  parseUnsigned,
  prefixText,
} from "../common/inet.ts";
import { scopeId } from "../common/names.ts";
import { ADDR_FLAG_WORDS } from "./address_print.ts";
import { connect, type IpContext } from "./context.ts";
import { LinkCache } from "./links.ts";

/** The address operations. */
export type AddressOp = "add" | "change" | "replace" | "delete";

/** iproute2 flag words → the library's flag names. */
const FLAG_NAMES: Record<string, AddressFlag> = {
  nodad: "nodad",
  optimistic: "optimistic",
  home: "homeaddress",
  mngtmpaddr: "managetempaddr",
  noprefixroute: "noprefixroute",
  autojoin: "mcautojoin",
};

const FOREVER = 0xffffffff;

function dup(key: string, v: string): UsageError {
  return new UsageError(`Error: duplicate "${key}": "${v}" is the second value.`);
}

/** `forever` or a u32 (iproute2's set_lifetime). */
function lifetime(what: string, v: string): number {
  if (v === "forever") return FOREVER;
  const n = parseUnsigned(v);
  if (n === undefined) throw invalidArgument(what, v);
  return n;
}

/**
 * Runs `ip address add|change|replace|delete ARGS…`.
 *
 * @example
 * ```ts ignore
 * await modifyAddress(ctx, "add", ["10.0.0.1/24", "dev", "p0"], usage);
 * ```
 */
export async function modifyAddress(
  ctx: IpContext,
  op: AddressOp,
  args: string[],
  usage: () => never,
): Promise<number> {
  const parsed = parseAddress(ctx, op, args, usage, console.error);
  using conn = await connect(ctx);
  const o = addressOptions(parsed, await LinkCache.find(conn, [parsed.dev]));
  if (op === "add") await conn.addAddress(o);
  else if (op === "delete") await conn.delAddress(o);
  else if (op === "replace") await conn.replaceAddress(o);
  else await conn.changeAddress(o);
  return 0;
}

/** A parsed `ip address OP` command line, its device still a name. */
export interface ParsedAddress {
  /** Everything but the device and the lifetimes. */
  options: Omit<AddressOptions, "dev">;
  /** `dev NAME`. */
  dev: string;
  /** The address, for the multicast check of `autojoin` (none given: the request carries none). */
  local: InetPrefix | undefined;
  /** `valid_lft` as given (0xffffffff for forever). */
  valid?: number;
  /** `preferred_lft` as given (0xffffffff for forever). */
  preferred?: number;
}

/**
 * Parses `ip address OP IFADDR…` words without touching the kernel
 * (iproute2's ipaddr_modify up to the device look-up). Warnings iproute2
 * prints on the way go to `warn`; failures throw a UsageError (or call `usage`).
 *
 * @example
 * ```ts ignore
 * const parsed = parseAddress(ctx, "add", ["10.0.0.1/24", "dev", "p0"], usage, console.error);
 * ```
 */
export function parseAddress(
  ctx: IpContext,
  op: AddressOp,
  args: string[],
  usage: () => never,
  warn: (message: string) => void,
): ParsedAddress {
  let family = ctx.family === "inet" ? AF_INET : ctx.family === "inet6" ? AF_INET6 : AF_UNSPEC;
  let local: InetPrefix | undefined;
  let localArg = "";
  let peer: InetPrefix | undefined;
  let broadcast: string | undefined;
  let anycast: string | undefined;
  let label: string | undefined;
  let scope: number | undefined;
  let metric: number | undefined;
  let dev: string | undefined;
  let valid: number | undefined;
  let preferred: number | undefined;
  const flags = new Set<AddressFlag>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (a === "peer" || a === "remote") {
      const v = next();
      if (peer) throw dup("peer", v);
      peer = getPrefix(v, family);
      if (family === AF_UNSPEC) family = peer.family;
    } else if (matches(a, "broadcast") || a === "brd") {
      const v = next();
      if (broadcast !== undefined) throw dup("broadcast", v);
      if (v === "+" || v === "-") broadcast = v;
      else {
        const b = getAddr(v, family);
        if (family === AF_UNSPEC) family = b.family;
        broadcast = prefixText(b, false);
      }
    } else if (a === "anycast") {
      const v = next();
      if (anycast !== undefined) throw dup("anycast", v);
      const b = getAddr(v, family);
      if (family === AF_UNSPEC) family = b.family;
      anycast = prefixText(b, false);
    } else if (a === "scope") {
      const v = next();
      scope = scopeId(v);
      if (scope === undefined) throw invalidArgument("invalid scope value.", v);
    } else if (a === "dev") dev = next();
    else if (a === "label") label = next();
    else if (matches(a, "metric") || matches(a, "priority") || matches(a, "preference")) {
      const v = next();
      metric = parseUnsigned(v);
      if (metric === undefined) throw invalidArgument('"metric" value is invalid\n', v);
    } else if (matches(a, "valid_lft")) {
      if (valid !== undefined) throw dup("valid_lft", a);
      valid = lifetime("valid_lft value", next());
    } else if (matches(a, "preferred_lft")) {
      if (preferred !== undefined) throw dup("preferred_lft", a);
      preferred = lifetime("preferred_lft value", next());
    } else if (ADDR_FLAG_WORDS.some(([w]) => w === a)) {
      const [word, , settable, v6only] = ADDR_FLAG_WORDS.find(([w]) => w === a)!;
      if (!settable) warn(`Warning: ${word} option is not mutable from userspace`);
      else if (v6only && family !== AF_INET6) {
        warn(`Warning: ${word} option can be set only for IPv6 addresses`);
      } else flags.add(FLAG_NAMES[word]);
    } else {
      let v = a;
      if (a === "local") v = next();
      if (matches(v, "help")) usage();
      if (local) throw new UsageError(`Error: either "local" is duplicate, or "${v}" is a garbage.`);
      local = getPrefix(v, family);
      localArg = v;
      if (family === AF_UNSPEC) family = local.family;
    }
  }
  if (dev === undefined) throw new UsageError('Not enough information: "dev" argument is required.', 1);
  if (broadcast !== undefined && (broadcast === "+" || broadcast === "-") && op !== "delete" && family !== AF_INET) {
    throw new UsageError("Broadcast can be set only for IPv4 addresses", 1);
  }
  const wildcard = op === "delete" && !peer && local?.family === AF_INET && !local.lenGiven;
  if (wildcard) {
    // The address goes without its length: the library then leaves IFA_ADDRESS out, as iproute2 does.
    warn(
      "Warning: Executing wildcard deletion to stay compatible with old scripts.\n" +
        `         Explicitly specify the prefix length (${localArg}/32) to avoid this warning.\n` +
        "         This special behaviour is likely to disappear in further releases,\n" +
        "         fix your scripts!",
    );
  }
  const o: Omit<AddressOptions, "dev"> = {};
  if (local) o.address = prefixText(local, !wildcard);
  else if (family !== AF_UNSPEC) o.family = family === AF_INET ? "inet" : "inet6";
  if (peer) o.peer = prefixText(peer, true);
  if (broadcast !== undefined) o.broadcast = broadcast;
  if (anycast !== undefined) o.anycast = anycast;
  if (label !== undefined) o.label = label;
  if (scope !== undefined) o.scope = scope;
  if (metric !== undefined) o.metric = metric;
  if (flags.size) o.flags = [...flags];
  return { options: o, dev, local, valid, preferred };
}

/**
 * The library's AddressOptions for a parsed address, its device resolved
 * through `links`; throws iproute2's error (exit 1) for a missing device or
 * inconsistent lifetimes.
 *
 * @example
 * ```ts ignore
 * const o = addressOptions(parseAddress(ctx, "add", args, usage, console.error), links);
 * ```
 */
export function addressOptions(parsed: ParsedAddress, links: LinkCache): AddressOptions {
  const index = links.index(parsed.dev);
  if (!index) throw new UsageError(`Cannot find device "${parsed.dev}"`, 1);
  const o: AddressOptions = { dev: index, ...parsed.options };
  let { valid, preferred } = parsed;
  if (valid !== undefined || preferred !== undefined) {
    const v = valid ?? FOREVER;
    const p = preferred ?? FOREVER;
    if (!v) throw new UsageError("valid_lft is zero", 1);
    if (v < p) throw new UsageError("preferred_lft is greater than valid_lft", 1);
    valid = v;
    preferred = p;
  }
  if (o.flags?.includes("mcautojoin") && !(parsed.local && isMulticastPrefix(parsed.local))) {
    throw new UsageError("autojoin needs multicast address", 1);
  }
  if (valid !== undefined) o.validLifetime = valid === FOREVER ? "forever" : valid;
  if (preferred !== undefined) o.preferredLifetime = preferred === FOREVER ? "forever" : preferred;
  return o;
}
