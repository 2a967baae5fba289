/**
 * `ip mrule` (iproute2's do_multirule): the multicast routing rules, which
 * choose the multicast routing table (`ip mroute`); `ip rule`'s language and
 * output on the families RTNL_FAMILY_IPMR (IPv4, the default) and
 * RTNL_FAMILY_IP6MR (`-6`).
 *
 * @module
 */
import { UsageError } from "../common/args.ts";
import { AF_INET, AF_INET6, AF_UNSPEC } from "../common/inet.ts";
import { ctxFamilyNumber, type IpContext } from "./context.ts";

/**
 * Runs `ip mrule ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./mrule.ts";
 * await run(ctx, ["add", "iif", "p0", "table", "5"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  const f = ctxFamilyNumber(ctx);
  if (f !== AF_UNSPEC && f !== AF_INET && f !== AF_INET6) {
    throw new UsageError(`Multicast rules are only supported for IPv4/IPv6, was: ${f}`);
  }
  const family = f === AF_INET6 ? "ip6mr" : "ipmr";
  return await (await import("./rule.ts")).run({ ...ctx, family }, args);
}
