/**
 * `ip maddress`: the multicast addresses each link listens to (link layer,
 * IPv4, IPv6), read through the library from the kernel's /proc tables, and
 * `add`/`delete` of static link-layer ones, in the `-n NETNS` namespace when given.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import {
  addMulticastAddress,
  deleteMulticastAddress,
  getMulticastMemberships,
  type MulticastFamily,
  type MulticastMembership,
} from "@nlink/nlink";
import { Args, matches, UsageError } from "../common/args.ts";
import { parseLladdr } from "../common/inet.ts";
import { Color, familyColor } from "../common/color.ts";
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
  if (matches(cmd, "add")) return await modify(ctx, "add", rest);
  if (matches(cmd, "delete")) return await modify(ctx, "delete", rest);
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
      p.colorString(Kind.Any, Color.Ifname, "ifname", "\t%s", m.name);
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
    p.colorString(Kind.Any, Color.Mac, "link", "%s", m.address);
  } else {
    p.string(Kind.Any, "family", "%-5s ", m.family);
    p.colorString(Kind.Any, familyColor(m.family), "address", "%s", m.address);
  }
  if (m.users !== 1) p.uint(Kind.Any, "users", " users %u", m.users);
  if (m.static) p.string(Kind.Any, "features", " %s", "static");
  p.write("\n"); // a real newline even with -o, as iproute2
  p.closeObject();
}

/**
 * `ip maddress add|delete`: joins or leaves a link-layer group through the
 * library (the SIOCADDMULTI / SIOCDELMULTI ioctl), with iproute2's argument
 * checks in its order and its messages.
 */
async function modify(ctx: IpContext, cmd: "add" | "delete", words: string[]): Promise<number> {
  const args = new Args(words);
  let dev: string | undefined;
  let addr: Uint8Array | undefined;
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
    // iproute2 tells a second address by the first one's leading byte being set.
    if (addr !== undefined && addr[0] !== 0) {
      throw new UsageError(`Error: duplicate "address": "${word}" is the second value.`);
    }
    addr = parseLladdr(word);
    if (addr.length !== 6) throw new UsageError(`Error: Invalid address length ${addr.length} - must be 6 bytes`, 1);
  }
  if (dev === undefined) throw new UsageError('Not enough information: "dev" is required.');
  // iproute2 sends an all-zero address when none was given; the kernel judges it.
  const address = addr ?? new Uint8Array(6);
  const socketFamily = ctx.family === "inet6" || ctx.family === "packet" ? ctx.family : "inet";
  const o = { dev, address, socketFamily, netns: ctx.netns } as const;
  try {
    if (cmd === "add") await addMulticastAddress(o);
    else await deleteMulticastAddress(o);
  } catch (e) {
    if (e instanceof NetlinkError && e.operation === "socket") {
      throw new UsageError(`Cannot create socket: ${e.reason}`, 1);
    }
    if (e instanceof NetlinkError && e.operation === "ioctl") throw new UsageError(`ioctl: ${e.reason}`, 1);
    if (ctx.netns !== undefined && e instanceof NetlinkError && e.errno === 2) {
      throw new UsageError(`Cannot open network namespace "${ctx.netns}": No such file or directory`, 255);
    }
    throw e;
  }
  return 0;
}
