/**
 * `ip link property add|del dev DEV altname NAME…`: a link's alternative
 * names, with iproute2's argument rules (iplink_prop) on the library's
 * addAltName / delAltName.
 *
 * @module
 */
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { connect, type IpContext } from "./context.ts";
import { LinkCache } from "./links.ts";

/** What `ip link property` was asked to do, before any device is looked up. */
export interface ParsedProperty {
  /** Add or delete the names. */
  op: "add" | "del";
  /** The device (name or alternative name). */
  dev: string;
  /** The alternative names, in the order given. */
  names: string[];
}

/** iproute2's check_altifname: 1-127 bytes, no whitespace, no '/'. */
function validAltName(name: string): boolean {
  return name !== "" && new TextEncoder().encode(name).length < 128 && !/[\s/]/.test(name);
}

/**
 * Parses the words after `ip link property`, failing as iproute2 does
 * (usage on a bare `property` or `help`, "Operator required" for anything
 * but add/del).
 *
 * @example
 * ```ts ignore
 * parseProperty(["add", "dev", "p0", "altname", "uplink"], usage); // { op: "add", dev: "p0", names: ["uplink"] }
 * ```
 */
export function parseProperty(args: string[], usage: () => never): ParsedProperty {
  if (args.length === 0) usage();
  const [word, ...rest] = args;
  let op: "add" | "del";
  if (matches(word, "add")) op = "add";
  else if (matches(word, "del")) op = "del";
  else if (matches(word, "help")) usage();
  else throw new UsageError("Operator required");
  let dev: string | undefined;
  const names: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const next = () => {
      if (i + 1 >= rest.length) throw new UsageError('Command line is not complete. Try option "help"');
      return rest[++i];
    };
    const a = rest[i];
    if (matches(a, "altname")) {
      const name = next();
      if (!validAltName(name)) throw invalidArgument("not a valid altname", name);
      names.push(name);
    } else if (matches(a, "help")) usage();
    else {
      const d = a === "dev" ? next() : a;
      if (dev !== undefined) throw new UsageError(`Error: either "dev" is duplicate, or "${d}" is a garbage.`);
      if (!validAltName(d)) throw invalidArgument('"dev" not a valid ifname', d);
      dev = d;
    }
  }
  if (dev === undefined) throw new UsageError('Not enough of information: "dev" argument is required.');
  return { op, dev, names };
}

/**
 * Runs `ip link property add|del …` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * await linkProperty(ctx, ["add", "dev", "p0", "altname", "uplink"], usage);
 * ```
 */
export async function linkProperty(ctx: IpContext, args: string[], usage: () => never): Promise<number> {
  const p = parseProperty(args, usage);
  using conn = await connect(ctx);
  const index = (await LinkCache.find(conn, [p.dev])).index(p.dev);
  if (!index) throw new UsageError(`Cannot find device "${p.dev}"`, 1);
  // iproute2 then sends an empty property list, which the kernel accepts and ignores.
  if (p.names.length === 0) return 0;
  if (p.op === "add") await conn.addAltName(index, p.names);
  else await conn.delAltName(index, p.names);
  return 0;
}
