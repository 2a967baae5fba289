/**
 * `ip nexthop show | flush | get | bucket` (iproute2's ipnh_list_flush,
 * ipnh_get, ipnh_bucket_list and ipnh_bucket_get), through the library.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import type { GetNexthopsOptions } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { kernelMessage } from "../common/errors.ts";
import { AF_INET, AF_INET6, parseUnsigned } from "../common/inet.ts";
import { Printer } from "../common/output.ts";
import { connect, ctxFamilyNumber, type IpContext, printer } from "./context.ts";
import { LinkCache } from "./links.ts";
import { nexthopUsage } from "./nexthop.ts";
import { printBucket, printNexthop } from "./nexthop_print.ts";

/**
 * iproute2's ipnh_parse_id: an unsigned number or `invalid id value`.
 *
 * @example
 * ```ts
 * import { parseNexthopId } from "./nexthop_show.ts";
 * parseNexthopId("10"); // 10
 * ```
 */
export function parseNexthopId(arg: string): number {
  const id = parseUnsigned(arg);
  if (id === undefined) throw invalidArgument("invalid id value", arg);
  return id;
}

function familyWord(ctx: IpContext): "inet" | "inet6" | undefined {
  const f = ctxFamilyNumber(ctx);
  return f === AF_INET ? "inet" : f === AF_INET6 ? "inet6" : undefined;
}

type Conn = Awaited<ReturnType<typeof connect>>;

/** `dev`, `master` and `vrf` as iproute2 resolves them (its invalid-argument texts). */
function device(links: LinkCache, word: string, value: string): number {
  if (word === "vrf") {
    if (links.get(value)?.linkinfo?.kind !== "vrf") throw invalidArgument("Invalid VRF\n", value);
    const idx = links.index(value);
    if (!idx) throw invalidArgument("VRF does not exist\n", value);
    return idx;
  }
  const idx = links.index(value);
  if (!idx) throw invalidArgument("Device does not exist\n", value);
  return idx;
}

/** Prints a dump, or reports its failure as iproute2 does (exit 2). */
async function printDump<T>(
  p: Printer,
  items: AsyncIterable<T>,
  print: (item: T) => void,
): Promise<number> {
  p.startList();
  try {
    for await (const item of items) print(item);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    p.flush();
    console.error(kernelMessage(e));
    console.error("Dump terminated");
    return 2;
  }
  p.endList();
  p.flush();
  return 0;
}

/**
 * Runs `ip nexthop show SELECTOR…` (or `flush` when `flush` is set).
 *
 * @example
 * ```ts ignore
 * await listNexthops(ctx, ["dev", "p0"], false);
 * ```
 */
export async function listNexthops(ctx: IpContext, args: string[], flush: boolean): Promise<number> {
  const all = args.length === 0;
  using conn = await connect(ctx);
  const links = await LinkCache.load(conn);
  const o: GetNexthopsOptions = {};
  let fdb = false;
  const family = familyWord(ctx);
  if (family) o.family = family;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (matches(a, "dev")) o.dev = device(links, "dev", next());
    else if (matches(a, "groups")) o.groups = true;
    else if (matches(a, "master")) o.master = device(links, "master", next());
    else if (matches(a, "vrf")) o.master = device(links, "vrf", next());
    else if (a === "id") {
      const id = parseNexthopId(next());
      return flush ? await flushOne(conn, id) : await printOne(ctx, conn, links, id);
    } else if (matches(a, "protocol")) {
      const v = next();
      const p = parseUnsigned(v);
      if (p === undefined) throw invalidArgument("invalid protocol value", v);
      if (p) o.protocol = p;
    } else if (matches(a, "fdb")) fdb = true;
    else if (matches(a, "help")) nexthopUsage();
    else throw invalidArgument("", a);
  }
  // The library also tests `fdb` itself; kernels ignore it in dumps, and iproute2 prints what they send.
  if (fdb && flush) o.fdb = true;
  if (flush) return await flushAll(conn, o, all);
  const p = printer(ctx);
  const po = { details: ctx.details, numeric: ctx.numeric };
  return await printDump(p, conn.streamNexthops(o), (nh) => printNexthop(p, nh, links, po));
}

/** `ip nexthop get id ID` / `show id ID`: one object, as a one-element list in JSON. */
async function printOne(ctx: IpContext, conn: Conn, links: LinkCache, id: number): Promise<number> {
  const nh = await conn.getNexthop(id);
  const p = printer(ctx);
  p.startList();
  printNexthop(p, nh, links, { details: ctx.details, numeric: ctx.numeric });
  p.endList();
  p.flush();
  return 0;
}

/** `ip nexthop flush id ID`: one deletion; iproute2 exits 1 when it fails. */
async function flushOne(conn: Conn, id: number): Promise<number> {
  try {
    await conn.delNexthop(id);
    return 0;
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    console.error(kernelMessage(e));
    return 1;
  }
}

/** iproute2's ipnh_flush: delete what the dump selects (groups first when flushing everything). */
async function flushAll(conn: Conn, o: GetNexthopsOptions, all: boolean): Promise<number> {
  let flushed = 0;
  const out = new Printer({ json: false, pretty: false });
  const rounds: GetNexthopsOptions[] = all ? [{ ...o, groups: true }, { ...o }] : [o];
  for (const round of rounds) {
    let ids: number[];
    try {
      ids = (await conn.getNexthops(round)).map((nh) => nh.id);
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      console.error(kernelMessage(e));
      console.error("Dump terminated. Failed to flush nexthops");
      out.write(flushed ? `Flushed ${flushed} nexthops\n` : "Nothing to flush\n");
      out.flush();
      return 2;
    }
    for (const id of ids) {
      try {
        await conn.delNexthop(id);
        flushed++;
      } catch (e) {
        if (!(e instanceof NetlinkError)) throw e;
        console.error(kernelMessage(e));
      }
    }
  }
  out.write(flushed ? `Flushed ${flushed} nexthops\n` : "Nothing to flush\n");
  out.flush();
  return 0;
}

/**
 * Runs `ip nexthop get id ID`.
 *
 * @example
 * ```ts ignore
 * await getNexthopCmd(ctx, ["id", "1"]);
 * ```
 */
export async function getNexthopCmd(ctx: IpContext, args: string[]): Promise<number> {
  let id = 0;
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== "id") nexthopUsage();
    if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
    id = parseNexthopId(args[++i]);
  }
  if (!id) nexthopUsage();
  using conn = await connect(ctx);
  return await printOne(ctx, conn, await LinkCache.load(conn), id);
}

/**
 * Runs `ip nexthop bucket { show SELECTOR | get id ID index N }`.
 *
 * @example
 * ```ts ignore
 * await bucketCmd(ctx, ["show", "id", "11"]);
 * ```
 */
export async function bucketCmd(ctx: IpContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined || matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) {
    return await bucketList(ctx, cmd === undefined ? [] : rest);
  }
  if (matches(cmd, "get")) {
    let id = 0;
    let index: number | undefined;
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i];
      if (a !== "id" && a !== "index") nexthopUsage();
      if (i + 1 >= rest.length) throw new UsageError('Command line is not complete. Try option "help"');
      const v = rest[++i];
      if (a === "id") id = parseNexthopId(v);
      else {
        index = parseUnsigned(v, 0xffff);
        if (index === undefined) throw invalidArgument("invalid bucket index value", v);
      }
    }
    if (!id || index === undefined) nexthopUsage();
    using conn = await connect(ctx);
    const b = await conn.getNexthopBucket(id, index);
    const p = printer(ctx);
    p.startList();
    printBucket(p, b);
    p.endList();
    p.flush();
    return 0;
  }
  if (matches(cmd, "help")) nexthopUsage();
  throw new UsageError(`Command "${cmd}" is unknown, try "ip nexthop help".`);
}

async function bucketList(ctx: IpContext, args: string[]): Promise<number> {
  using conn = await connect(ctx);
  const links = await LinkCache.load(conn);
  const o: { family?: "inet" | "inet6"; id?: number; nhid?: number; dev?: number; master?: number } = {};
  const family = familyWord(ctx);
  if (family) o.family = family;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (matches(a, "dev")) o.dev = device(links, "dev", next());
    else if (matches(a, "master")) o.master = device(links, "master", next());
    else if (matches(a, "vrf")) o.master = device(links, "vrf", next());
    else if (a === "id") {
      const id = parseNexthopId(next());
      if (id) o.id = id;
    } else if (a === "nhid") {
      const id = parseNexthopId(next());
      if (id) o.nhid = id;
    } else if (matches(a, "help")) nexthopUsage();
    else throw invalidArgument("", a);
  }
  const p = printer(ctx);
  let buckets;
  try {
    buckets = await conn.getNexthopBuckets(o);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    // iproute2 has opened the JSON list when the dump fails.
    p.startList();
    p.flush();
    console.error(kernelMessage(e));
    console.error("Dump terminated");
    return 2;
  }
  return await printDump(p, toAsync(buckets), (b) => printBucket(p, b));
}

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}
