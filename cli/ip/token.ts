/**
 * `ip token` (iproute2's iptoken.c): the IPv6 tokenized interface identifier
 * of each link, listed (`list`, `get dev DEV`), set and removed, through the
 * library's `getIpv6Tokens` and `setIpv6Token`.
 *
 * @module
 */
import type { Ipv6Token } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { AF_INET6, getPrefix, prefixText } from "../common/inet.ts";
import { Kind } from "../common/output.ts";
import { Color } from "../common/color.ts";
import { connect, type IpContext, printer } from "./context.ts";
import { LinkCache } from "./links.ts";

const USAGE = "Usage: ip token [ list | set | del | get ] [ TOKEN ] [ dev DEV ]";

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip token ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./token.ts";
 * await run(ctx, ["set", "::1", "dev", "p0"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0) return await list(ctx, []);
  const [word, ...rest] = args;
  if (matches(word, "list") || matches(word, "lst") || matches(word, "show")) return await list(ctx, rest);
  if (matches(word, "set") || matches(word, "add")) return await set(ctx, rest, false);
  if (matches(word, "delete")) return await set(ctx, rest, true);
  if (matches(word, "get")) return await list(ctx, rest);
  if (matches(word, "help")) usage();
  throw new UsageError(`Command "${word}" is unknown, try "ip token help".`);
}

/** The loopback and NOARP links use no token: iproute2 leaves them out. */
const NO_TOKEN = ["LOOPBACK", "NOARP"];

async function list(ctx: IpContext, words: string[]): Promise<number> {
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  let index = 0;
  // Only the first `dev` counts; other words are passed over.
  const at = words.indexOf("dev");
  if (at >= 0) {
    const v = words[at + 1];
    if (v === undefined) throw new UsageError('Command line is not complete. Try option "help"');
    index = links.index(v);
    if (!index) throw invalidArgument("dev is invalid\n", v);
  }
  const tokens: Ipv6Token[] = await conn.getIpv6Tokens();
  const p = printer(ctx);
  p.startList();
  for (const t of tokens) {
    if (t.index === 0 || (index && t.index !== index) || t.flags.some((f) => NO_TOKEN.includes(f))) continue;
    if (t.token === undefined) {
      // iproute2 stops the dump there.
      p.endList();
      p.flush();
      console.error("Seems there's no support for IPv6 token!");
      console.error("Dump terminated");
      return 1;
    }
    p.openObject();
    p.write("token ");
    p.colorString(Kind.Any, Color.Inet6, "token", "%s", t.token);
    p.write(" dev ");
    p.colorString(Kind.Any, Color.Ifname, "ifname", "%s\n", links.name(t.index));
    p.closeObject();
  }
  p.endList();
  p.flush();
  return 0;
}

/** iproute2's iptoken_set: the first `dev` and the first other word (the token) count. */
async function set(ctx: IpContext, words: string[], remove: boolean): Promise<number> {
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  let token = remove ? "::" : undefined;
  let dev: number | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === "dev") {
      const v = words[++i];
      if (v === undefined) throw new UsageError('Command line is not complete. Try option "help"');
      if (dev === undefined) {
        dev = links.index(v);
        if (!dev) throw invalidArgument("dev is invalid\n", v);
      }
    } else {
      if (matches(w, "help")) usage();
      token ??= prefixText(getPrefix(w, AF_INET6), false);
    }
  }
  if (token === undefined) throw new UsageError("Not enough information: token is required.", 1);
  if (dev === undefined) throw new UsageError('Not enough information: "dev" argument is required.', 1);
  await conn.setIpv6Token(dev, token); // a kernel error exits 2
  return 0;
}
