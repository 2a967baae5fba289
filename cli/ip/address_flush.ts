/**
 * `ip address flush SELECTORS`: the addresses the selectors pick, deleted
 * through the library's flush (repeated while secondaries get promoted),
 * with iproute2's `-s` report and `-s -s` listing.
 *
 * @module
 */
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { AF_PACKET, familyNumber } from "../common/inet.ts";
import { groupId } from "../common/names.ts";
import { Printer } from "../common/output.ts";
import { ADDR_FLAG_WORDS, addressSelector, type AddrFilter, addrMatches, printAddress } from "./address_print.ts";
import { connect, ctxFamilyNumber, type IpContext } from "./context.ts";
import { flushRounds } from "./flush_rounds.ts";
import { LinkCache } from "./links.ts";

const IFA_F_SECONDARY = ADDR_FLAG_WORDS.find(([w]) => w === "secondary")![1];

/**
 * Reads `ip address flush|save` selectors (iproute2's ipaddr_list_flush_or_save
 * loop); returns the filter and the device name, if any.
 *
 * @example
 * ```ts ignore
 * const { f, dev } = parseAddrSelectors(ctx, ["dev", "p0", "scope", "global"], usage);
 * ```
 */
export function parseAddrSelectors(
  ctx: IpContext,
  args: string[],
  usage: () => never,
): { f: AddrFilter; dev?: string } {
  const f: AddrFilter = {
    family: ctxFamilyNumber(ctx),
    ifindex: 0,
    scope: 0,
    scopemask: 0,
    flags: 0,
    flagmask: 0,
    oneline: true, // a flush lists each address with its `N: dev` prefix
    brief: false,
    numeric: ctx.numeric,
  };
  let dev: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (addressSelector(arg, next, f)) continue;
    if (arg === "up") {
      // a link selector: no effect on which addresses go
    } else if (arg === "group") {
      const v = next();
      if (groupId(v) === undefined) throw invalidArgument('Invalid "group" value\n', v);
    } else if (arg === "master" || arg === "vrf" || arg === "type") next();
    else if (arg === "nomaster") {
      // a link selector
    } else {
      let d = arg;
      if (arg === "dev") d = next();
      else if (matches(arg, "help")) usage();
      if (dev !== undefined) throw new UsageError(`Error: either "dev" is duplicate, or "${d}" is a garbage.`);
      dev = d;
    }
  }
  return { f, dev };
}

/**
 * Runs `ip address flush SELECTORS…`.
 *
 * @example
 * ```ts ignore
 * await flushAddresses(ctx, ["dev", "p0"], usage);
 * ```
 */
export async function flushAddresses(ctx: IpContext, args: string[], usage: () => never): Promise<number> {
  if (args.length === 0) {
    console.error("Flush requires arguments.");
    throw new UsageError("", 1, true);
  }
  if (ctxFamilyNumber(ctx) === AF_PACKET) {
    console.error("Cannot flush link addresses.");
    throw new UsageError("", 1, true);
  }
  const { f, dev } = parseAddrSelectors(ctx, args, usage);
  using conn = await connect(ctx);
  // Devices' names are needed to print with `-s -s` and to match a `label` on addresses without one: then they are
  // all read with one dump (iproute2 asks for each as it needs it). Otherwise only `dev` is looked up, as iproute2 does.
  const links = ctx.stats >= 2 || f.label !== undefined
    ? await LinkCache.loadNames(conn)
    : await LinkCache.find(conn, [dev]);
  if (dev !== undefined) {
    f.ifindex = links.index(dev);
    if (f.ifindex <= 0) throw new UsageError(`Device "${dev}" does not exist.`, 1);
  }
  const out = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
  // `primary`: one round only, or the secondaries promoted by it would go too.
  const primaryOnly = (f.flagmask & IFA_F_SECONDARY) !== 0 && (f.flags & IFA_F_SECONDARY) === 0;
  const report = flushRounds(out, ctx.stats, "addresses");
  await conn.flushAddresses({
    dev: f.ifindex || undefined,
    family: f.family === 2 ? "inet" : f.family === 10 ? "inet6" : undefined,
    secondary: primaryOnly ? false : undefined,
    filter: (a) => {
      if (f.family && f.family !== familyNumber(a.family)) return false;
      if (!addrMatches(a, f, links)) return false;
      if (ctx.stats >= 2) printAddress(out, a, f, links);
      return true;
    },
    onRound: report.onRound,
  });
  report.finish();
  return 0;
}
