/**
 * The families `ip rule` works on: IPv4's and IPv6's routing rules, and for
 * `ip mrule` the multicast routing rules (RTNL_FAMILY_IPMR, IP6MR). Apart from
 * context.ts, so that commands other than the rules' do not load rtnetlink's
 * constant tables for them.
 *
 * @module
 */
import { RTNL_FAMILY } from "@nlink/nlink/tables";
import { AF_INET6 } from "../common/inet.ts";
import { ctxFamilyNumber, type IpContext } from "./context.ts";

/**
 * The family a rule command works on, as a number: `ip mrule`'s multicast
 * families (`ctx.family` `"ipmr"` or `"ip6mr"`, set by mrule.ts, not by a
 * command-line option), else that of `-4`/`-6`/`-f`.
 *
 * @example
 * ```ts ignore
 * ruleCtxFamily({ ...ctx, family: "ip6mr" }); // 129
 * ```
 */
export function ruleCtxFamily(ctx: IpContext): number {
  if (ctx.family === "ipmr") return RTNL_FAMILY.IPMR;
  if (ctx.family === "ip6mr") return RTNL_FAMILY.IP6MR;
  return ctxFamilyNumber(ctx);
}

/**
 * The library's rule family for a family number (`ip rule` with `-6`, `ip mrule`):
 * IPv4's unless IPv6 or a multicast family is asked for.
 *
 * @example
 * ```ts
 * import { ruleFamilyName } from "./rule_family.ts";
 * ruleFamilyName(129); // "ip6mr"
 * ```
 */
export function ruleFamilyName(family: number): "inet" | "inet6" | "ipmr" | "ip6mr" {
  return family === AF_INET6
    ? "inet6"
    : family === RTNL_FAMILY.IPMR
    ? "ipmr"
    : family === RTNL_FAMILY.IP6MR
    ? "ip6mr"
    : "inet";
}
