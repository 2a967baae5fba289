/**
 * `ip rule add | delete`: iproute2's argument rules (iprule_modify), mapped
 * onto the library's RuleOptions.
 *
 * @module
 */
import { FR_ACT, RTNL_FAMILY } from "@nlink/nlink/tables";
import type { RuleOptions } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  getAddr,
  getPrefix,
  parseInteger,
  parseUnsigned,
  prefixText,
} from "../common/inet.ts";
import { groupId, protoId, realmsValue, rtnTypeId, tableId } from "../common/names.ts";
import { connect, type IpContext } from "./context.ts";
import { ruleCtxFamily, ruleFamilyName } from "./rule_family.ts";
import { ruleUsage } from "./rule.ts";
import { dsfieldId, fwmarkMask, ipprotoId, parseU64, portRange, uidRange, validIfname } from "./rule_words.ts";

/** Rule types the library can send, by number (FR_ACT_* / RTN_*). */
const ACTIONS = new Set(["lookup", "nop", "blackhole", "unreachable", "prohibit"]);

/**
 * Runs `ip rule add|del SELECTOR ACTION`.
 *
 * @example
 * ```ts ignore
 * await modifyRule(ctx, "add", ["from", "10.0.0.0/8", "table", "100"]);
 * ```
 */
export async function modifyRule(ctx: IpContext, op: "add" | "del", args: string[]): Promise<number> {
  if (args.length === 0) throw new UsageError(`"ip rule ${op}" requires arguments.`, 1);
  const preferred = ruleCtxFamily(ctx);
  // Filled word by word: the library sends the attributes in the order of the keys, as iproute2 in the order typed.
  const o: Record<string, unknown> = {};
  let action: string | undefined;
  let table: number | undefined;
  let l3mdev = false;
  let i = 0;
  const next = () => {
    if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
    return args[++i];
  };
  for (; i < args.length; i++) {
    let a = args[i];
    if (a === "not") o.not = true;
    else if (a === "from" || a === "to") {
      const v = next();
      const p = getPrefix(v, preferred);
      o[a] = p.wildcard ? v : prefixText(p, true);
    } else if (matches(a, "preference") || matches(a, "order") || matches(a, "priority")) {
      const v = next();
      const pref = parseUnsigned(v);
      if (pref === undefined) throw invalidArgument("preference value is invalid\n", v);
      o.priority = pref;
    } else if (a === "tos" || matches(a, "dsfield")) {
      const v = next();
      const tos = dsfieldId(v);
      if (tos === undefined) throw invalidArgument("TOS value is invalid\n", v);
      o.tos = tos;
    } else if (a === "fwmark") {
      const { mark, mask } = fwmarkMask(next());
      o.fwmark = mark;
      if (mask !== undefined) o.fwmask = mask;
    } else if (matches(a, "realms")) {
      const v = next();
      const r = realmsValue(v);
      if (r === undefined) throw invalidArgument("invalid realms\n", v);
      o.realms = r;
    } else if (matches(a, "protocol")) {
      const v = next();
      const p = protoId(v);
      if (p === undefined) throw invalidArgument('"protocol" value is invalid\n', v);
      o.protocol = p;
    } else if (matches(a, "tun_id")) {
      const v = next();
      const id = parseU64(v);
      if (id === undefined) throw invalidArgument('"tun_id" value is invalid\n', v);
      o.tunId = id;
    } else if (matches(a, "table") || a === "lookup") {
      const v = next();
      const t = tableId(v);
      if (t === undefined) throw invalidArgument("invalid table ID\n", v);
      table = t;
      o.table = t; // the key where the word was: the library sends the attributes in the options' key order
    } else if (matches(a, "suppress_prefixlength") || a === "sup_pl") {
      const v = next();
      const pl = parseInteger(v);
      if (pl === undefined || pl < 0) throw invalidArgument("suppress_prefixlength value is invalid\n", v);
      o.suppressPrefixlength = pl;
    } else if (matches(a, "suppress_ifgroup") || a === "sup_group") {
      const v = next();
      const g = groupId(v);
      if (g === undefined) throw invalidArgument('Invalid "suppress_ifgroup" value\n', v);
      o.suppressIfgroup = g;
    } else if (a === "dev" || a === "iif") {
      const v = next();
      if (!validIfname(v)) throw invalidArgument('"iif"/"dev" not a valid ifname', v);
      o.iif = v;
    } else if (a === "oif") {
      const v = next();
      if (!validIfname(v)) throw invalidArgument('"oif" not a valid ifname', v);
      o.oif = v;
    } else if (a === "l3mdev") {
      o.l3mdev = true;
      l3mdev = true;
    } else if (a === "uidrange") o.uidRange = uidRange(next());
    else if (a === "nat" || matches(a, "map-to")) {
      const v = next();
      console.error("Warning: route NAT is deprecated");
      const addr = getAddr(v, AF_INET);
      o.nat = prefixText(addr, false);
      action = "nat";
    } else if (a === "ipproto") {
      const v = next();
      const p = ipprotoId(v);
      if (p === undefined) throw invalidArgument('Invalid "ipproto" value\n', v);
      o.ipProto = p;
    } else if (a === "sport") o.sport = portRange(next(), "invalid port range\n");
    else if (a === "dport") o.dport = portRange(next(), "invalid dport range\n");
    else {
      if (a === "type") a = next();
      if (matches(a, "help")) ruleUsage();
      if (matches(a, "goto")) {
        const v = next();
        const target = parseUnsigned(v);
        if (target === undefined) throw invalidArgument("invalid target\n", v);
        action = "goto";
        o.target = target;
      } else if (matches(a, "nop")) action = "nop";
      else {
        const t = rtnTypeId(a);
        if (t === undefined) throw invalidArgument("Failed to parse rule type", a);
        const name = String(FR_ACT.name(t));
        if (!ACTIONS.has(name)) throw new UsageError(`nlink: rule type "${a}" is not supported`, 1);
        action = name;
      }
    }
  }
  if (l3mdev && table) {
    console.error("table can not be specified for l3mdev rules");
    return 22;
  }
  // Another family (`-f mpls`) goes to the library as its number, which it refuses naming the field.
  const known = [AF_UNSPEC, AF_INET, AF_INET6, RTNL_FAMILY.IPMR, RTNL_FAMILY.IP6MR];
  o.family = known.includes(preferred) ? ruleFamilyName(preferred) : preferred;
  if (action !== undefined) o.action = action;
  if (action !== undefined && action !== "lookup") delete o.table;
  using conn = await connect(ctx);
  if (op === "add") await conn.addRule(o as unknown as RuleOptions);
  else await conn.delRule(o as unknown as RuleOptions);
  return 0;
}
