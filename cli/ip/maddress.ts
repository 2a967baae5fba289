/**
 * `ip maddress`: the multicast addresses each link listens to (link layer,
 * IPv4, IPv6), read through the library from the kernel's /proc tables, in the
 * `-n NETNS` namespace when given.
 *
 * @module
 */
import { getMulticastMemberships, type MulticastFamily, type MulticastMembership, NetlinkError } from "@nlink/nlink";
import { Args, matches, UsageError } from "../common/args.ts";
import { Kind } from "../common/output.ts";
import { type IpContext, printer } from "./context.ts";

const USAGE = `Usage: ip maddr [ add | del ] MULTIADDR dev STRING
       ip maddr show [ dev STRING ]`;

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip maddress ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./maddress.ts";
 * await run(ctx, ["show", "dev", "eth0"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0) return await show(ctx, []);
  const [cmd, ...rest] = args;
  if (matches(cmd, "add")) return modify("add", rest);
  if (matches(cmd, "delete")) return modify("delete", rest);
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return await show(ctx, rest);
  if (matches(cmd, "help")) usage();
  throw new UsageError(`Command "${cmd}" is unknown, try "ip maddr help".`);
}

/** The /proc tables each `-f` family reads (iproute2 reads none for the others). */
function familiesOf(family: string | undefined): MulticastFamily[] {
  if (family === undefined) return ["packet", "inet", "inet6"];
  return family === "packet" || family === "inet" || family === "inet6" ? [family] : [];
}

async function show(ctx: IpContext, words: string[]): Promise<number> {
  const args = new Args(words);
  let dev: string | undefined;
  while (args.more) {
    let word = args.next()!;
    if (word === "dev") word = args.value("dev");
    else if (matches(word, "help")) usage();
    if (dev !== undefined) throw new UsageError(`Error: either "dev" is duplicate, or "${word}" is a garbage.`);
    dev = word;
  }
  let list: MulticastMembership[];
  try {
    list = await getMulticastMemberships({ netns: ctx.netns, families: familiesOf(ctx.family), dev });
  } catch (e) {
    if (ctx.netns !== undefined && e instanceof NetlinkError && e.errno === 2) {
      throw new UsageError(`Cannot open network namespace "${ctx.netns}": No such file or directory`, 255);
    }
    throw e;
  }
  // Grouped by interface index, keeping the order the tables listed them in (a stable sort).
  list.sort((a, b) => a.index - b.index);
  const p = printer(ctx);
  p.startList();
  let current = 0;
  for (const m of list) {
    if (m.index !== current || ctx.oneline) {
      if (current) {
        p.closeArray(Kind.Json);
        p.closeObject();
      }
      p.openObject();
      p.uint(Kind.Any, "ifindex", "%d:", m.index);
      p.string(Kind.Any, "ifname", "\t%s", m.name);
      p.nl();
      current = m.index;
      p.openArray(Kind.Json, "maddr");
    }
    printMembership(p, m);
  }
  if (current) {
    p.closeArray(Kind.Json);
    p.closeObject();
  }
  p.endList();
  p.flush();
  return 0;
}

function printMembership(p: ReturnType<typeof printer>, m: MulticastMembership): void {
  p.write("\t");
  p.openObject();
  if (m.family === "packet") {
    p.write("link  ");
    p.string(Kind.Any, "link", "%s", m.address);
  } else {
    p.string(Kind.Any, "family", "%-5s ", m.family);
    p.string(Kind.Any, "address", "%s", m.address);
  }
  if (m.users !== 1) p.uint(Kind.Any, "users", " users %u", m.users);
  if (m.static) p.string(Kind.Any, "features", " %s", "static");
  p.write("\n"); // a real newline even with -o, as iproute2
  p.closeObject();
}

/**
 * `ip maddress add|delete`: iproute2 joins or leaves the group with the
 * SIOCADDMULTI / SIOCDELMULTI ioctl, which has no netlink equivalent and which
 * nlink's library does not offer: the arguments are checked as iproute2 checks
 * them, then the command fails.
 */
function modify(cmd: "add" | "delete", words: string[]): number {
  const args = new Args(words);
  let dev: string | undefined;
  let addr: string | undefined;
  while (args.more) {
    let word = args.next()!;
    if (word === "dev") {
      const name = args.value("dev");
      if (dev !== undefined) throw new UsageError(`Error: duplicate "dev": "${name}" is the second value.`);
      if (name === "" || name.length >= 16 || /[\s/]/.test(name) || name === "." || name === "..") {
        throw new UsageError(`Error: argument "${name}" is wrong: "dev" not a valid ifname`);
      }
      dev = name;
      continue;
    }
    if (matches(word, "address")) word = args.value("address");
    if (matches(word, "help")) usage();
    if (addr !== undefined) throw new UsageError(`Error: duplicate "address": "${word}" is the second value.`);
    addr = word;
  }
  if (dev === undefined) throw new UsageError('Not enough information: "dev" is required.');
  throw new UsageError(
    `nlink: "ip maddress ${cmd}" needs the SIOC${cmd === "add" ? "ADD" : "DEL"}MULTI ioctl, which nlink does not offer`,
    1,
  );
}
