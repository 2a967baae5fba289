/**
 * `ip address save | restore | showdump`: iproute2's binary address dump (a
 * magic number, then the kernel's messages) on stdout and stdin, through the
 * library's dump-file support; files are interchangeable with iproute2's.
 *
 * @module
 */
import { readSavedAddresses, restoreAddresses as restoreFile, saveAddresses as saveFile } from "@nlink/nlink";
import { UsageError } from "../common/args.ts";
import { Kind } from "../common/output.ts";
import { parseAddrSelectors } from "./address_flush.ts";
import { type AddrFilter, printAddress } from "./address_print.ts";
import { connect, type IpContext, printer } from "./context.ts";
import { LinkCache } from "./links.ts";
import { badFile, readStdin, writeAll } from "./route_save.ts";

/**
 * Runs `ip address save [dev NAME] …` (iproute2 saves every address of the
 * family, of the device when one is named; the other selectors are read and
 * not applied, as iproute2 does).
 *
 * @example
 * ```ts ignore
 * await saveAddresses(ctx, ["dev", "p0"], usage);
 * ```
 */
export async function saveAddresses(ctx: IpContext, args: string[], usage: () => never): Promise<number> {
  const { dev } = parseAddrSelectors(ctx, args, usage);
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  let index: number | undefined;
  if (dev !== undefined) {
    index = links.index(dev);
    if (index <= 0) throw new UsageError(`Device "${dev}" does not exist.`, 1);
  }
  if (Deno.stdout.isTerminal()) {
    console.error("Not sending a binary stream to stdout");
    throw new UsageError("", 1, true);
  }
  const family = ctx.family === "inet" || ctx.family === "inet6" ? ctx.family : undefined;
  writeAll(await saveFile(conn, { family, dev: index }));
  return 0;
}

/**
 * Runs `ip address restore` (the dump on stdin).
 *
 * @example
 * ```ts ignore
 * await restoreAddresses(ctx);
 * ```
 */
export async function restoreAddresses(ctx: IpContext): Promise<number> {
  const file = await readStdin("address", 255);
  try {
    readSavedAddresses(file);
  } catch (e) {
    badFile(e, 255);
  }
  using conn = await connect(ctx);
  await restoreFile(conn, file);
  return 0;
}

/**
 * Runs `ip address showdump` (the dump on stdin): `ifN:` and the address, as
 * `ip address` prints it; `-j` as one object with an `addr_info` list.
 *
 * @example
 * ```ts ignore
 * await showAddressDump(ctx);
 * ```
 */
export async function showAddressDump(ctx: IpContext): Promise<number> {
  const file = await readStdin("address", 255);
  let addrs;
  try {
    addrs = readSavedAddresses(file);
  } catch (e) {
    badFile(e, 255);
  }
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  const f: AddrFilter = {
    family: 0,
    ifindex: 0,
    scope: 0,
    scopemask: 0,
    flags: 0,
    flagmask: 0,
    oneline: false,
    brief: false,
    numeric: ctx.numeric,
  };
  const p = printer(ctx);
  p.startList();
  p.openObject();
  p.openArray(Kind.Json, "addr_info");
  for (const a of addrs) {
    p.openObject();
    p.int(Kind.Any, "index", "if%d:", a.index);
    p.nl();
    printAddress(p, a, f, links);
    p.closeObject();
  }
  p.closeArray(Kind.Json);
  p.closeObject();
  p.endList();
  p.flush();
  return 0;
}
