/**
 * `ip netconf show [dev DEV]` (iproute2's ipnetconf.c): per-device IP
 * settings (forwarding, rp_filter, …) of IPv4, IPv6 and MPLS, and of `all`
 * and `default`, through the library's netconf.
 *
 * Without a family iproute2 asks the kernel for every family in one dump
 * (AF_UNSPEC, answered in family order); nlink asks for inet, inet6 and mpls
 * in turn, which prints the same. A kernel without MPLS answers an mpls dump
 * with every family's entries, so entries are kept only when their family is
 * the one asked for, as iproute2 filters them. With both a family and a
 * device iproute2 sends one request and prints its answer as text even with
 * `-j`, ignoring a kernel error: so does nlink.
 *
 * @module
 */
import type { Connection, Netconf, NetconfFamily } from "@nlink/nlink";
import { matches, UsageError } from "../common/args.ts";
import { Printer } from "../common/output.ts";
import { connect, type IpContext, printer } from "./context.ts";
import { LinkCache } from "./links.ts";
import { printNetconf } from "./netconf_print.ts";

const USAGE = "Usage: ip netconf show [ dev STRING ]";

/** The families netconf has, in the kernel's order (AF_INET, AF_INET6, AF_MPLS). */
const FAMILIES: readonly NetconfFamily[] = ["inet", "inet6", "mpls"];

/**
 * Runs `ip netconf ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./netconf.ts";
 * await run(ctx, ["show", "dev", "p0"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length > 0) {
    const [word] = args;
    if (matches(word, "show") || matches(word, "lst") || matches(word, "list")) return await show(ctx, args.slice(1));
    if (matches(word, "help")) {
      console.error(USAGE);
      throw new UsageError("", 255, true);
    }
    throw new UsageError(`Command "${word}" is unknown, try "ip netconf help".`);
  }
  return await show(ctx, []);
}

async function show(ctx: IpContext, words: string[]): Promise<number> {
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  let ifindex = 0;
  // Like iproute2, only the exact word `dev` is read; other words are passed over.
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== "dev") continue;
    if (++i >= words.length) throw new UsageError('Command line is not complete. Try option "help"');
    ifindex = links.index(words[i]);
    if (ifindex <= 0) {
      console.error(`Device "${words[i]}" does not exist.`);
      return 1;
    }
  }
  const family = ctx.family;
  if (ifindex && family !== undefined) {
    // One request, its answer printed as text whatever the output mode (iproute2 opens no JSON there).
    if (!(FAMILIES as readonly string[]).includes(family)) return 0;
    let entry: Netconf;
    try {
      entry = await conn.getNetconf({ family: family as NetconfFamily, dev: ifindex });
    } catch {
      return 0; // iproute2 stops quietly at the kernel's error
    }
    const p = new Printer({ json: false, pretty: false, oneline: false });
    printNetconf(p, entry, links);
    p.flush();
    return 0;
  }
  const wanted = family === undefined ? FAMILIES : FAMILIES.filter((f) => f === family);
  const entries: Netconf[] = [];
  for (const f of wanted) entries.push(...await dump(conn, f, ifindex));
  const p = printer(ctx);
  p.startList();
  for (const e of entries) printNetconf(p, e, links);
  p.endList();
  p.flush();
  return 0;
}

/** One family's entries (of one device when `ifindex` is not 0). */
async function dump(conn: Connection, family: NetconfFamily, ifindex: number): Promise<Netconf[]> {
  const all = await conn.getNetconfs({ family, ...(ifindex ? { dev: ifindex } : {}) });
  return all.filter((e) => e.family === family);
}
