/**
 * `ip rule`: policy-routing rules (iproute2's ip/iprule.c): list, add,
 * delete, flush, save, restore.
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import type { IpContext } from "./context.ts";

/** iproute2's usage text for `ip rule`. */
const USAGE = `Usage: ip rule { add | del } SELECTOR ACTION
       ip rule { flush | save | restore }
       ip rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ nat ADDRESS ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]`;

/**
 * Prints the usage and exits like iproute2's usage(): status 255.
 *
 * @example
 * ```ts ignore
 * ruleUsage();
 * ```
 */
export function ruleUsage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip rule ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./rule.ts";
 * await run(ctx, ["show", "table", "100"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  const show = async (rest: string[], flush: boolean) =>
    await (await import("./rule_show.ts")).showRules(ctx, rest, flush);
  if (args.length === 0) return await show([], false);
  const [cmd, ...rest] = args;
  if (matches(cmd, "list") || matches(cmd, "lst") || matches(cmd, "show")) return await show(rest, false);
  if (matches(cmd, "save")) return await (await import("./rule_save.ts")).saveRules(ctx, rest);
  if (matches(cmd, "restore")) return await (await import("./rule_save.ts")).restoreRules(ctx);
  if (matches(cmd, "add")) return await (await import("./rule_modify.ts")).modifyRule(ctx, "add", rest);
  if (matches(cmd, "delete")) return await (await import("./rule_modify.ts")).modifyRule(ctx, "del", rest);
  if (matches(cmd, "flush")) return await show(rest, true);
  if (matches(cmd, "help")) ruleUsage();
  throw new UsageError(`Command "${cmd}" is unknown, try "ip rule help".`);
}
