/**
 * One rule as `ip rule` prints it (iproute2's print_rule), and the selectors
 * `ip rule show | flush` apply (filter_nlmsg).
 *
 * @module
 */
import { Color, familyColor } from "../common/color.ts";
import { FR_ACT, RTPROT } from "@nlink/nlink/tables";
import type { Rule } from "@nlink/nlink";
import { AF_INET, AF_INET6, type InetPrefix } from "../common/inet.ts";
import { dsfieldName, groupName, protoName, realmName, rtnTypeName, tableName } from "../common/names.ts";
import { Kind, type Printer } from "../common/output.ts";
import { prefixHolds } from "./neigh_print.ts";
import { ipprotoName, ipprotoNumber } from "./rule_words.ts";

/** What `ip rule show` selects (iproute2's filter struct; undefined: not selected on). */
export interface RuleFilter {
  /** `-4`/`-6`: only rules of this family (AF_*; 0 any). */
  family: number;
  /** `not`: only inverted rules. */
  not: boolean;
  /** `pref N`. */
  pref?: number;
  /** `tos T`. */
  tos?: number;
  /** `fwmark M` (0: any). */
  fwmark: number;
  /** `fwmark M/MASK` (0: any). */
  fwmask: number;
  /** `iif NAME`. */
  iif?: string;
  /** `oif NAME`. */
  oif?: string;
  /** `l3mdev`. */
  l3mdev: boolean;
  /** `uidrange A-B`. */
  uidRange?: { start: number; end: number };
  /** `tun_id N` (0: any). */
  tunId: bigint;
  /** `table T` (0: any). */
  table: number;
  /** `from PREFIX`. */
  src?: InetPrefix;
  /** `to PREFIX`. */
  dst?: InetPrefix;
  /** `ipproto P` (0: any). */
  ipproto: number;
  /** `sport A[-B]`. */
  sport?: { start: number; end: number };
  /** `dport A[-B]`. */
  dport?: { start: number; end: number };
  /** Flush only: `protocol P`. */
  protocol: number;
  /** Flush only: -1 when `protocol` is selected on, else 0. */
  protocolMask: number;
}

/**
 * A filter that selects everything.
 *
 * @example
 * ```ts
 * import { emptyRuleFilter } from "./rule_print.ts";
 * emptyRuleFilter().table; // 0
 * ```
 */
export function emptyRuleFilter(): RuleFilter {
  return {
    family: 0,
    not: false,
    fwmark: 0,
    fwmask: 0,
    l3mdev: false,
    tunId: 0n,
    table: 0,
    ipproto: 0,
    protocol: 0,
    protocolMask: 0,
  };
}

/**
 * AF_* of a decoded rule.
 *
 * @example
 * ```ts ignore
 * ruleFamily(rule); // 2
 * ```
 */
export function ruleFamily(r: Rule): number {
  return r.family === "inet" ? AF_INET : r.family === "inet6" ? AF_INET6 : Number(r.family);
}

function hostLen(family: number): number {
  return family === AF_INET ? 32 : family === AF_INET6 ? 128 : -1;
}

function flag(r: Rule, name: string): boolean {
  return r.flags.includes(name);
}

/**
 * The rule's protocol as a number (0 when absent).
 *
 * @example
 * ```ts ignore
 * ruleProtocol(rule); // 2 (kernel)
 * ```
 */
export function ruleProtocol(r: Rule): number {
  return r.protocol === undefined ? 0 : RTPROT.value(r.protocol);
}

function prefixSelects(p: InetPrefix | undefined, family: number, len: number, addr: string | undefined): boolean {
  if (!p || !p.family) return true;
  if (p.family !== family || p.bitlen > len) return false;
  return prefixHolds(p, addr);
}

function sameRange(a: { start: number; end: number } | undefined, b: { start: number; end: number } | undefined) {
  return a !== undefined && b !== undefined && a.start === b.start && a.end === b.end;
}

/**
 * Whether `ip rule show` selects the rule.
 *
 * @example
 * ```ts ignore
 * if (ruleMatches(rule, filter)) printRule(p, rule, opts);
 * ```
 */
export function ruleMatches(r: Rule, f: RuleFilter): boolean {
  const family = ruleFamily(r);
  if (f.family && family !== f.family) return false;
  if (f.pref !== undefined && f.pref !== r.priority) return false;
  if (f.not && !flag(r, "invert")) return false;
  if (!prefixSelects(f.src, family, r.srcLen, r.src)) return false;
  if (!prefixSelects(f.dst, family, r.dstLen, r.dst)) return false;
  if (f.tos !== undefined && f.tos !== r.tos) return false;
  if (f.fwmark && f.fwmark !== (r.fwmark ?? 0)) return false;
  if (f.fwmask && f.fwmask !== (r.fwmask ?? 0)) return false;
  if (f.iif !== undefined && f.iif !== r.iif) return false;
  if (f.oif !== undefined && f.oif !== r.oif) return false;
  if (f.l3mdev && !r.l3mdev) return false;
  if (f.uidRange && !sameRange(f.uidRange, r.uidRange)) return false;
  if (f.ipproto && f.ipproto !== (r.ipProto === undefined ? 0 : ipprotoNumber(r.ipProto))) return false;
  if (f.sport?.start && !sameRange(f.sport, r.sportRange)) return false;
  if (f.dport?.start && !sameRange(f.dport, r.dportRange)) return false;
  if (f.tunId && f.tunId !== r.tunId) return false;
  if (f.table > 0 && f.table !== r.table) return false;
  return true;
}

/** Output switches that change what is printed. */
export interface RulePrintOptions {
  /** `-d`. */
  details: number;
  /** `-N`. */
  numeric: boolean;
}

const FR_ACT_TO_TBL = FR_ACT.value("lookup");
const FR_ACT_GOTO = FR_ACT.value("goto");
const FR_ACT_NOP = FR_ACT.value("nop");
const RTN_NAT = FR_ACT.value("nat");
const RTPROT_KERNEL = RTPROT.value("kernel");

/** Prints `from`/`to`: the address, and its length unless it is the host length. */
function printPrefix(
  p: Printer,
  key: "src" | "dst",
  word: string,
  text: string | undefined,
  len: number,
  family: number,
): void {
  if (text !== undefined) {
    p.write(word);
    p.colorString(Kind.Any, familyColor(family), key, "%s", text.split("/")[0]);
    if (len !== hostLen(family)) p.uint(Kind.Any, `${key}len`, "/%u", len);
  } else if (len) {
    p.string(Kind.Any, key, `${word}%s`, "0");
    p.uint(Kind.Any, `${key}len`, "/%u", len);
  } else if (key === "src") p.string(Kind.Any, key, `${word}%s`, "all");
}

/**
 * Prints one rule.
 *
 * @example
 * ```ts ignore
 * printRule(p, rule, { details: 0, numeric: false });
 * ```
 */
export function printRule(p: Printer, r: Rule, o: RulePrintOptions, deleted = false): void {
  const family = ruleFamily(r);
  p.openObject();
  if (deleted) p.bool(Kind.Any, "deleted", "Deleted ", true);
  p.uint(Kind.Any, "priority", "%u:\t", r.priority);
  if (flag(r, "invert")) p.null(Kind.Any, "not", "not ", "");
  printPrefix(p, "src", "from ", r.src, r.srcLen, family);
  printPrefix(p, "dst", " to ", r.dst, r.dstLen, family);
  if (r.tos) p.string(Kind.Any, "tos", " tos %s", dsfieldName(r.tos, o.numeric));
  if (r.fwmark !== undefined || r.fwmask !== undefined) {
    p.hex0x(Kind.Any, "fwmark", " fwmark %#llx", r.fwmark ?? 0);
    if (r.fwmask !== undefined && r.fwmask !== 0xffffffff) p.hex0x(Kind.Any, "fwmask", "/%#llx", r.fwmask);
  }
  if (r.iif !== undefined) {
    p.write(" iif ");
    p.colorString(Kind.Any, Color.Ifname, "iif", "%s", r.iif);
    if (flag(r, "iif_detached")) p.null(Kind.Any, "iif_detached", " [detached]", "");
  }
  if (r.oif !== undefined) {
    p.write(" oif ");
    p.colorString(Kind.Any, Color.Ifname, "oif", "%s", r.oif);
    if (flag(r, "oif_detached")) p.null(Kind.Any, "oif_detached", " [detached]", "");
  }
  if (r.l3mdev) p.null(Kind.Any, "l3mdev", " lookup [l3mdev-table]", "");
  if (r.uidRange) {
    p.uint(Kind.Any, "uid_start", " uidrange %u", r.uidRange.start);
    p.uint(Kind.Any, "uid_end", "-%u", r.uidRange.end);
  }
  if (r.ipProto !== undefined) {
    p.string(Kind.Any, "ipproto", " ipproto %s", ipprotoName(ipprotoNumber(r.ipProto), o.numeric));
  }
  for (const [key, range] of [["sport", r.sportRange], ["dport", r.dportRange]] as const) {
    if (!range) continue;
    if (range.start === range.end) p.uint(Kind.Any, key, ` ${key} %u`, range.start);
    else {
      p.uint(Kind.Any, `${key}_start`, ` ${key} %u`, range.start);
      p.uint(Kind.Any, `${key}_end`, "-%u", range.end);
    }
  }
  if (r.tunId !== undefined) p.uint(Kind.Any, "tun_id", " tun_id %llu", r.tunId);
  if (r.table) {
    p.string(Kind.Any, "table", " lookup %s", tableName(r.table, o.numeric));
    if (r.suppressPrefixlen !== undefined) {
      p.int(Kind.Any, "suppress_prefixlen", " suppress_prefixlength %d", r.suppressPrefixlen | 0);
    }
    if (r.suppressIfgroup !== undefined) {
      p.string(Kind.Any, "suppress_ifgroup", " suppress_ifgroup %s", groupName(r.suppressIfgroup, o.numeric));
    }
  }
  if (r.flow !== undefined) {
    const from = r.flow >>> 16;
    const to = r.flow & 0xffff;
    if (from) p.string(Kind.Any, "flow_from", " realms %s/", realmName(from, o.numeric));
    else p.write(" realms ");
    p.string(Kind.Any, "flow_to", "%s", realmName(to, o.numeric));
  }
  const action = FR_ACT.value(r.action);
  if (action === RTN_NAT) {
    if (r.gateway !== undefined) p.string(Kind.Any, "nat_gateway", " map-to %s", r.gateway);
    else p.null(Kind.Any, "masquerade", " masquerade", "");
  } else if (action === FR_ACT_GOTO) {
    if (r.goto !== undefined) p.uint(Kind.Any, "goto", " goto %u", r.goto);
    else p.string(Kind.Any, "goto", " goto %s", "none");
    if (flag(r, "unresolved")) p.null(Kind.Any, "unresolved", " [unresolved]", "");
  } else if (action === FR_ACT_NOP) p.null(Kind.Any, "nop", " nop", "");
  else if (action !== FR_ACT_TO_TBL) p.string(Kind.Any, "action", " %s", rtnTypeName(action, o.numeric));
  if (r.protocol !== undefined) {
    const proto = ruleProtocol(r);
    if ((proto && proto !== RTPROT_KERNEL) || o.details > 0) {
      p.string(Kind.Any, "protocol", " proto %s", protoName(proto, o.numeric));
    }
  }
  p.write("\n");
  p.closeObject();
}
