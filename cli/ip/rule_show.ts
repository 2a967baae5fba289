/**
 * `ip rule show | flush` (iproute2's iprule_list_flush_or_save): selectors,
 * one dump of a family's rules through the library, printed or deleted.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { kernelMessage } from "../common/errors.ts";
import { AF_INET, getPrefix, parseUnsigned } from "../common/inet.ts";
import { protoId, tableId } from "../common/names.ts";
import { connect, type IpContext, printer } from "./context.ts";
import { ruleCtxFamily, ruleFamilyName } from "./rule_family.ts";
import { emptyRuleFilter, printRule, ruleMatches, ruleProtocol } from "./rule_print.ts";
import { dsfieldId, fwmarkMask, ipprotoId, parseU64, portRange, uidRange, validIfname } from "./rule_words.ts";

/**
 * Runs `ip rule show SELECTORS…` (or `flush` when `flush` is set).
 *
 * @example
 * ```ts ignore
 * await showRules(ctx, ["table", "100"], false);
 * ```
 */
export async function showRules(ctx: IpContext, args: string[], flush: boolean): Promise<number> {
  const preferred = ruleCtxFamily(ctx);
  const af = preferred === 0 ? AF_INET : preferred;
  const f = emptyRuleFilter();
  f.family = preferred;
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (matches(a, "preference") || matches(a, "order") || matches(a, "priority")) {
      const v = next();
      const pref = parseUnsigned(v);
      if (pref === undefined) throw invalidArgument("preference value is invalid\n", v);
      f.pref = pref;
    } else if (a === "not") f.not = true;
    else if (a === "tos" || a === "dsfield") {
      const v = next();
      const tos = dsfieldId(v);
      if (tos === undefined) throw invalidArgument("TOS value is invalid\n", v);
      f.tos = tos;
    } else if (a === "fwmark") {
      const { mark, mask } = fwmarkMask(next());
      f.fwmark = mark;
      if (mask !== undefined) f.fwmask = mask;
    } else if (a === "dev" || a === "iif") {
      const v = next();
      if (!validIfname(v)) throw invalidArgument('"iif"/"dev" not a valid ifname', v);
      f.iif = v;
    } else if (a === "oif") {
      const v = next();
      if (!validIfname(v)) throw invalidArgument('"oif" not a valid ifname', v);
      f.oif = v;
    } else if (a === "l3mdev") f.l3mdev = true;
    else if (a === "uidrange") f.uidRange = uidRange(next());
    else if (matches(a, "tun_id")) {
      const v = next();
      const id = parseU64(v);
      if (id === undefined) throw invalidArgument('"tun_id" value is invalid\n', v);
      f.tunId = id;
    } else if (matches(a, "lookup") || matches(a, "table")) {
      const v = next();
      const t = tableId(v);
      if (t === undefined) throw invalidArgument("table id value is invalid\n", v);
      f.table = t;
    } else if (matches(a, "from") || matches(a, "src")) {
      f.src = getPrefix(next(), af);
    } else if (matches(a, "protocol")) {
      const v = next();
      f.protocolMask = -1;
      let p = protoId(v);
      if (p === undefined) {
        if (v !== "all") throw invalidArgument('invalid "protocol"\n', v);
        p = 0;
        f.protocolMask = 0;
      }
      f.protocol = p;
    } else if (a === "ipproto") {
      const v = next();
      const p = ipprotoId(v);
      if (p === undefined) throw invalidArgument('Invalid "ipproto" value\n', v);
      f.ipproto = p;
    } else if (a === "sport") f.sport = portRange(next(), "invalid port range\n");
    else if (a === "dport") f.dport = portRange(next(), "invalid dport range\n");
    else {
      if (matches(a, "dst") || matches(a, "to")) a = next();
      f.dst = getPrefix(a, af);
    }
  }
  using conn = await connect(ctx);
  const family = ruleFamilyName(af);
  if (flush) {
    // Each picked rule goes back to the kernel as it was dumped, as RTM_DELRULE with an ack asked, as iproute2's
    // flush_rule sends it; rules without a priority (0) stay.
    await conn.flushRules({
      family,
      keepDefaults: false,
      filter: (r) =>
        ruleMatches(r, f) && !(r.protocol !== undefined && (f.protocol ^ ruleProtocol(r)) & f.protocolMask),
    });
    return 0;
  }
  const p = printer(ctx);
  const o = { details: ctx.details, numeric: ctx.numeric };
  p.startList();
  try {
    for await (const r of conn.streamRules({ family })) if (ruleMatches(r, f)) printRule(p, r, o);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    p.flush();
    console.error(kernelMessage(e));
    console.error("Dump terminated");
    return 255;
  }
  p.endList();
  p.flush();
  return 0;
}
