/**
 * `ip address`: show, add, change, replace, delete protocol addresses.
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import { modifyAddress } from "./address_modify.ts";
import type { IpContext } from "./context.ts";
import { LINK_TYPES_USAGE, listLinks } from "./link_list.ts";

/** iproute2 6.1's usage text, which it prints on stderr before exiting with 255. */
const USAGE = `Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       ip address del IFADDR dev IFNAME [mngtmpaddr]
       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]
                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                         [ nomaster ]
                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                         [ label LABEL ] [up] [ vrf NAME ] ]
       ip address {showdump|restore}
IFADDR := PREFIX | ADDR peer PREFIX
          [ broadcast ADDR ] [ anycast ADDR ]
          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ permanent | dynamic | secondary | primary |
           [-]tentative | [-]deprecated | [-]dadfailed | temporary |
           CONFFLAG-LIST ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS
${LINK_TYPES_USAGE}`;

/** Prints the usage and exits like iproute2's usage(): status 255. */
function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip address ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./address.ts";
 * await run(ctx, ["show", "dev", "lo"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0) return await listLinks(ctx, [], false, usage);
  const [cmd, ...rest] = args;
  if (matches(cmd, "add")) return await modifyAddress(ctx, "add", rest, usage);
  if (matches(cmd, "change") || cmd === "chg") return await modifyAddress(ctx, "change", rest, usage);
  if (matches(cmd, "replace")) return await modifyAddress(ctx, "replace", rest, usage);
  if (matches(cmd, "delete")) return await modifyAddress(ctx, "delete", rest, usage);
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) {
    return await listLinks(ctx, rest, false, usage);
  }
  if (matches(cmd, "flush")) return await (await import("./address_flush.ts")).flushAddresses(ctx, rest, usage);
  if (matches(cmd, "save")) return await (await import("./address_save.ts")).saveAddresses(ctx, rest, usage);
  if (matches(cmd, "showdump")) return await (await import("./address_save.ts")).showAddressDump(ctx);
  if (matches(cmd, "restore")) return await (await import("./address_save.ts")).restoreAddresses(ctx);
  if (matches(cmd, "help")) usage();
  throw new UsageError(`Command "${cmd}" is unknown, try "ip address help".`);
}
