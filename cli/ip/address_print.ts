/**
 * One address as `ip address` prints it (iproute2's print_addrinfo), and the
 * filters `ip address show` applies to addresses.
 *
 * @module
 */
import type { Address } from "@nlink/nlink";
import { IFA_F, RT_SCOPE } from "@nlink/nlink/tables";
import { invalidArgument } from "../common/args.ts";
import { AF_INET6, familyName, familyNumber, getPrefix, type InetPrefix, readAddr } from "../common/inet.ts";
import { familyColor } from "../common/color.ts";
import { scopeId, scopeName } from "../common/names.ts";
import { Kind, type Printer } from "../common/output.ts";
import type { LinkCache } from "./links.ts";
import { globRegex } from "../common/glob.ts";

/** iproute2's address flag words, in its print order: [word, bit, settable, IPv6 only]. */
export const ADDR_FLAG_WORDS: readonly [string, number, boolean, boolean][] = (
  [
    // [word, the library's name for the bit, settable, IPv6 only]
    ["secondary", "secondary", false, false],
    ["temporary", "secondary", false, false],
    ["nodad", "nodad", true, true],
    ["optimistic", "optimistic", true, true],
    ["dadfailed", "dadfailed", false, true],
    ["home", "homeaddress", true, true],
    ["deprecated", "deprecated", false, true],
    ["tentative", "tentative", false, true],
    ["permanent", "permanent", false, true],
    ["mngtmpaddr", "managetempaddr", true, true],
    ["noprefixroute", "noprefixroute", true, false],
    ["autojoin", "mcautojoin", true, false],
    ["stable-privacy", "stable_privacy", false, true],
  ] as const
).map(([word, name, settable, v6]): [string, number, boolean, boolean] => [word, IFA_F.bit(name), settable, v6]);

/**
 * iproute2's get_filter: reads an address-flag selector (`permanent`,
 * `-tentative`, `dynamic`, `primary`, …) into `f`'s flags and mask; false
 * when `arg` is not one.
 *
 * @example
 * ```ts ignore
 * const f = { flags: 0, flagmask: 0 };
 * flagSelector("-tentative", f); // true
 * ```
 */
export function flagSelector(arg: string, f: { flags: number; flagmask: number }): boolean {
  let inv = false;
  if (arg.startsWith("-")) {
    inv = true;
    arg = arg.slice(1);
  }
  if (arg === "dynamic") {
    inv = !inv;
    arg = "permanent";
  } else if (arg === "primary") {
    inv = !inv;
    arg = "secondary";
  }
  const word = ADDR_FLAG_WORDS.find(([w]) => w === arg);
  if (!word) return false;
  if (inv) f.flags &= ~word[1];
  else f.flags |= word[1];
  f.flagmask |= word[1];
  return true;
}

const IFA_F_SECONDARY = IFA_F.bit("secondary");
const IFA_F_DEPRECATED = IFA_F.bit("deprecated");
const IFA_F_PERMANENT = IFA_F.bit("permanent");
const FOREVER = 0xffffffff;

/**
 * The address's flags as a number.
 *
 * @example
 * ```ts
 * import { addrFlags } from "./address_print.ts";
 * addrFlags(["permanent", "nodad"]); // 130
 * ```
 */
export function addrFlags(names: readonly string[]): number {
  return names.length === 0 ? 0 : IFA_F.encode(names);
}

/**
 * A scope the library decoded (name or number) as its number.
 *
 * @example
 * ```ts
 * import { scopeNumber } from "./address_print.ts";
 * scopeNumber("link"); // 253
 * ```
 */
export function scopeNumber(s: string | number): number {
  return RT_SCOPE.value(s);
}

/** `ip address show`'s address filters. */
export interface AddrFilter {
  /** Only this family (0: all). */
  family: number;
  /** Only this link (0: all). */
  ifindex: number;
  /** `scope` value. */
  scope: number;
  /** Mask of the scope bits compared (-1 with a scope, 0 for `scope all`). */
  scopemask: number;
  /** Flag values wanted (`permanent`, `-tentative`, …). */
  flags: number;
  /** Mask of the flag bits compared. */
  flagmask: number;
  /** A shell pattern for labels. */
  label?: string;
  /** `to PREFIX`. */
  pfx?: InetPrefix;
  /** `-o`, or `ip address` with a label: each address starts with `N: dev`. */
  oneline: boolean;
  /** `-br`. */
  brief: boolean;
  /** `-N`. */
  numeric: boolean;
}

/**
 * The address selectors `ip address show` and `flush` share: `to PREFIX`,
 * `scope SCOPE|all`, `label PATTERN` and the flag words, read into `f`
 * (`next()` takes the word's value); false when `arg` is none of them.
 *
 * @example
 * ```ts ignore
 * if (addressSelector(arg, next, f)) continue;
 * ```
 */
export function addressSelector(arg: string, next: () => string, f: AddrFilter): boolean {
  if (arg === "to") {
    f.pfx = getPrefix(next(), f.family);
    if (f.family === 0) f.family = f.pfx.family;
  } else if (arg === "scope") {
    const v = next();
    f.scopemask = -1;
    const s = scopeId(v);
    if (s === undefined) {
      if (v !== "all") throw invalidArgument('invalid "scope"\n', v);
      f.scope = 255;
      f.scopemask = 0;
    } else f.scope = s;
  } else if (arg === "label") f.label = next();
  else return flagSelector(arg, f);
  return true;
}

/** Whether the address's label (or its link's name) matches the label filter. */
function labelMatches(a: Address, f: AddrFilter, links: LinkCache): boolean {
  if (f.label === undefined) return true;
  const re = globRegex(f.label);
  return re.test(a.label ?? links.name(a.index));
}

/** Whether the first `pfx.bitlen` bits of the address equal the prefix's. */
function prefixMatches(local: string | undefined, pfx: InetPrefix | undefined): boolean {
  if (!pfx || !pfx.family) return true;
  if (local === undefined) return false;
  const a = readAddr(local, pfx.family);
  if (!a || a.family !== pfx.family) return false;
  const bits = pfx.bitlen;
  for (let i = 0; i < bits; i += 8) {
    const left = bits - i;
    const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
    if ((a.bytes[i / 8] & mask) !== (pfx.bytes[i / 8] & mask)) return false;
  }
  return true;
}

/**
 * Whether an address passes the scope, flag, label and prefix filters (not
 * the family and link filters).
 *
 * @example
 * ```ts ignore
 * if (addrMatches(a, filter, links)) …
 * ```
 */
export function addrMatches(a: Address, f: AddrFilter, links: LinkCache): boolean {
  if ((f.scope ^ scopeNumber(a.scope)) & f.scopemask) return false;
  if ((f.flags ^ addrFlags(a.flags)) & f.flagmask) return false;
  if (!labelMatches(a, f, links)) return false;
  return prefixMatches(a.local ?? a.address, f.pfx);
}

/**
 * Prints one address (iproute2's print_addrinfo); returns without printing
 * when a filter excludes it.
 *
 * @example
 * ```ts ignore
 * printAddress(p, address, filter, links);
 * ```
 */
export function printAddress(p: Printer, a: Address, f: AddrFilter, links: LinkCache): void {
  const family = familyNumber(a.family);
  const flags = addrFlags(a.flags);
  const local = a.local ?? a.address;
  const address = a.address ?? a.local;
  if (f.ifindex && f.ifindex !== a.index) return;
  if (f.family && f.family !== family) return;
  if (!addrMatches(a, f, links)) return;
  if (!f.brief) {
    if (f.oneline) {
      const dev = links.name(a.index);
      p.int(Kind.Json, "index", "", a.index);
      p.string(Kind.Json, "dev", "", dev);
      p.write(`${a.index >>> 0}: ${dev}`);
    }
    const name = familyName(family);
    if (name !== "???") p.string(Kind.Any, "family", "    %s ", name);
    else p.int(Kind.Any, "family_index", "    family %d ", family);
  }
  if (local !== undefined) {
    p.colorString(Kind.Any, familyColor(family), "local", "%s", local);
    if (address !== undefined && address !== local) {
      p.write(" peer ");
      p.colorString(Kind.Any, familyColor(family), "address", "%s", address);
    }
    p.int(Kind.Any, "prefixlen", "/%d ", a.prefixlen);
    if (a.rtPriority !== undefined) p.uint(Kind.Any, "metric", "metric %u ", a.rtPriority);
  }
  if (f.brief) return;
  if (a.broadcast !== undefined) {
    p.write("brd ");
    p.colorString(Kind.Any, familyColor(family), "broadcast", "%s ", a.broadcast);
  }
  if (a.anycast !== undefined) {
    p.write("any ");
    p.colorString(Kind.Any, familyColor(family), "anycast", "%s ", a.anycast);
  }
  p.string(Kind.Any, "scope", "scope %s ", scopeName(scopeNumber(a.scope), f.numeric));
  printFlags(p, family, flags);
  if (a.label !== undefined) p.string(Kind.Any, "label", "%s", a.label);
  const ci = a.cacheinfo;
  if (ci !== undefined) {
    p.nl();
    p.write("       valid_lft ");
    if (ci.valid === FOREVER) {
      p.uint(Kind.Json, "valid_life_time", "", FOREVER);
      p.write("forever");
    } else p.uint(Kind.Any, "valid_life_time", "%usec", ci.valid);
    p.write(" preferred_lft ");
    if (ci.preferred === FOREVER) {
      p.uint(Kind.Json, "preferred_life_time", "", FOREVER);
      p.write("forever");
    } else if (flags & IFA_F_DEPRECATED) p.int(Kind.Any, "preferred_life_time", "%dsec", ci.preferred | 0);
    else p.uint(Kind.Any, "preferred_life_time", "%usec", ci.preferred);
  }
  p.write("\n");
}

/** iproute2's print_ifa_flags. */
function printFlags(p: Printer, family: number, flags: number): void {
  for (const [word, bit] of ADDR_FLAG_WORDS) {
    if (bit === IFA_F_PERMANENT) {
      if (!(flags & bit)) p.bool(Kind.Any, "dynamic", "dynamic ", true);
    } else if (flags & bit) {
      if (bit === IFA_F_SECONDARY && family === AF_INET6) p.bool(Kind.Any, "temporary", "temporary ", true);
      else {
        p.write(word + " ");
        p.bool(Kind.Json, word, "", true);
      }
    }
    flags &= ~bit;
  }
  if (flags) {
    const hex = (flags >>> 0).toString(16).padStart(2, "0");
    p.string(Kind.Json, "ifa_flags", "", hex);
    p.write(`flags ${hex} `);
  }
}
