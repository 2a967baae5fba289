/**
 * `ip addrlabel` (iproute2's ipaddrlabel.c): the IPv6 address-label table
 * (RFC 6724 policy), listed, added to, deleted from and flushed through the
 * library's address-label functions.
 *
 * iproute2 takes an IPv4 prefix and lets the kernel refuse it; the library
 * refuses it before sending (labels are IPv6's), so that error's text differs.
 *
 * @module
 */
import type { AddressLabel } from "@nlink/nlink";
import { NetlinkError } from "@nlink/nlink/core";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { kernelMessage } from "../common/errors.ts";
import { AF_INET, AF_INET6, getPrefix, parseUnsigned, prefixText } from "../common/inet.ts";
import { connect, ctxFamilyNumber, type IpContext, printer } from "./context.ts";
import { printAddressLabel } from "./addrlabel_print.ts";
import { LinkCache } from "./links.ts";

const USAGE = `Usage: ip addrlabel { add | del } prefix PREFIX [ dev DEV ] [ label LABEL ]
       ip addrlabel [ list | flush | help ]`;

/**
 * Runs `ip addrlabel ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./addrlabel.ts";
 * await run(ctx, ["add", "prefix", "2001:db8::/32", "label", "100"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0) return await list(ctx, []);
  const [word, ...rest] = args;
  if (matches(word, "list") || matches(word, "lst") || matches(word, "show")) return await list(ctx, rest);
  if (matches(word, "add")) return await modify(ctx, "add", rest);
  if (matches(word, "delete")) return await modify(ctx, "del", rest);
  if (matches(word, "flush")) return await flush(ctx, rest);
  if (matches(word, "help")) {
    console.error(USAGE);
    throw new UsageError("", 255, true);
  }
  throw new UsageError(`Command "${word}" is unknown, try "ip addrlabel help".`);
}

/** The dump's family: inet6 unless `-f` names another (which the kernel refuses, as it does iproute2's). */
function dumpFamily(ctx: IpContext): "inet6" | "inet" {
  const f = ctxFamilyNumber(ctx);
  return f === 0 || f === AF_INET6 ? "inet6" : "inet";
}

async function list(ctx: IpContext, words: string[]): Promise<number> {
  // iproute2's `ip` exits with the negated return value of the object's function: -1 gives 1, 1 gives 255.
  if (words.length > 0) throw new UsageError('"ip addrlabel show" does not take any arguments.', 1);
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  let labels: AddressLabel[];
  try {
    labels = await conn.getAddressLabels({ family: dumpFamily(ctx) });
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    console.error(kernelMessage(e));
    console.error("Dump terminated");
    return 255;
  }
  const p = printer(ctx);
  p.startList();
  for (const l of labels) printAddressLabel(p, l, links);
  p.endList();
  p.flush();
  return 0;
}

/** iproute2's ipaddrlabel_modify: words it does not know are passed over. */
async function modify(ctx: IpContext, op: "add" | "del", words: string[]): Promise<number> {
  using conn = await connect(ctx);
  // The devices named, looked up one by one as iproute2 does at each `dev` word (the same walk as below).
  const devs: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w !== "prefix" && w !== "dev" && w !== "label") continue;
    const v = words[++i];
    if (w === "dev" && v !== undefined) devs.push(v);
  }
  const links = await LinkCache.find(conn, devs);
  let prefix: string | undefined;
  let label: number | undefined;
  let dev: number | undefined;
  const family = ctxFamilyNumber(ctx);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w !== "prefix" && w !== "dev" && w !== "label") continue;
    const v = words[++i];
    if (v === undefined) throw new UsageError('Command line is not complete. Try option "help"');
    if (w === "prefix") prefix = prefixText(getPrefix(v, family));
    else if (w === "dev") {
      dev = links.index(v);
      if (!dev) throw invalidArgument("dev is invalid\n", v);
    } else {
      label = parseUnsigned(v);
      if (label === undefined || label === 0xffffffff) throw invalidArgument("label is invalid\n", v);
    }
  }
  if (prefix === undefined) throw new UsageError('Not enough information: "prefix" argument is required.', 1);
  if (label === undefined) throw new UsageError('Not enough information: "label" argument is required.', 1);
  const o = { prefix, label, dev, family: family === AF_INET ? "inet" as const : undefined };
  await (op === "add" ? conn.addAddressLabel(o) : conn.delAddressLabel(o)); // a kernel error exits 2
  return 0;
}

async function flush(ctx: IpContext, words: string[]): Promise<number> {
  if (words.length > 0) throw new UsageError('"ip addrlabel flush" does not allow extra arguments', 1);
  using conn = await connect(ctx);
  try {
    await conn.flushAddressLabels();
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    console.error(kernelMessage(e));
    console.error("Flush terminated");
    return 1;
  }
  return 0;
}
