/**
 * `ip neigh show | flush | get` (iproute2's do_show_or_flush and
 * ipneigh_get): selectors, one dump through the library, printed or deleted.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import type { FlushNeighboursOptions, Neighbour } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { kernelMessage } from "../common/errors.ts";
import { AF_INET, AF_INET6, getAddr, getPrefix, type InetPrefix, prefixText } from "../common/inet.ts";
import { protoId } from "../common/names.ts";
import { Printer } from "../common/output.ts";
import { connect, ctxFamilyNumber, type IpContext, printer } from "./context.ts";
import { LinkCache } from "./links.ts";
import { neighUsage } from "./neigh.ts";
import { nudState } from "./neigh_modify.ts";
import { type NeighFilter, neighMatches, nudBits, printNeighbour } from "./neigh_print.ts";

const NUD_PERMANENT = 0x80;
const NUD_NOARP = 0x40;
const NUD_FAILED = 0x20;
const MAX_ROUNDS = 10;

function familyWord(family: number): "inet" | "inet6" | undefined {
  return family === AF_INET ? "inet" : family === AF_INET6 ? "inet6" : undefined;
}

/**
 * Runs `ip neigh show ARGS…` (or `flush` when `flush` is set).
 *
 * @example
 * ```ts ignore
 * await showNeighbours(ctx, ["dev", "p0", "nud", "reachable"], false);
 * ```
 */
export async function showNeighbours(ctx: IpContext, args: string[], flush: boolean): Promise<number> {
  let family = ctxFamilyNumber(ctx);
  const f: NeighFilter = {
    state: flush ? ~(NUD_PERMANENT | NUD_NOARP) : 0xff & ~NUD_NOARP,
    index: 0,
    pfx: undefined,
    protocol: 0,
    unusedOnly: false,
  };
  if (flush && args.length === 0) throw new UsageError("Flush requires arguments.", 1);
  using conn = await connect(ctx);
  const links = await LinkCache.load(conn);
  let dev: string | undefined;
  let master: number | undefined;
  let nomaster = false;
  let proxy = false;
  let stateGiven = false;
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (a === "dev") {
      const v = next();
      if (dev !== undefined) throw new UsageError(`Error: duplicate "dev": "${v}" is the second value.`);
      dev = v;
    } else if (a === "master") {
      const v = next();
      const idx = links.index(v);
      if (!idx) throw invalidArgument("Device does not exist\n", v);
      master = idx;
      nomaster = false;
    } else if (a === "vrf") {
      const v = next();
      const idx = links.index(v);
      const kind = links.get(v)?.linkinfo?.kind;
      if (!idx || kind !== "vrf") throw invalidArgument("Not a valid VRF name\n", v);
      master = idx;
      nomaster = false;
    } else if (a === "nomaster") {
      nomaster = true;
      master = undefined;
    } else if (a === "unused") f.unusedOnly = true;
    else if (a === "nud") {
      const v = next();
      if (!stateGiven) {
        stateGiven = true;
        f.state = 0;
      }
      let s = nudState(v);
      if (s === undefined) {
        if (v !== "all") throw invalidArgument("nud state is bad", v);
        s = ~0;
        if (flush) s &= ~NUD_NOARP;
      }
      if (s === 0) s = 0x100;
      f.state |= s;
    } else if (a === "proxy") proxy = true;
    else if (matches(a, "protocol")) {
      const v = next();
      let p = protoId(v);
      if (p === undefined) {
        if (v !== "all") throw invalidArgument('invalid "protocol"\n', v);
        p = 0;
      }
      f.protocol = p;
    } else {
      if (a === "to") a = next();
      if (matches(a, "help")) neighUsage();
      const pfx = getPrefix(a, family);
      f.pfx = pfx;
      if (family === 0) family = pfx.family;
    }
  }
  if (dev !== undefined) {
    f.index = links.index(dev);
    if (!f.index) throw new UsageError(`Cannot find device "${dev}"`, 1);
  }
  const dump = {
    family: familyWord(family),
    ...(f.index ? { dev: f.index } : {}),
    ...(master !== undefined ? { master } : {}),
    ...(proxy ? { proxy } : {}),
  };
  const selected = (n: Neighbour) =>
    (family === 0 || familyWord(family) === n.family) && neighMatches(n, f) &&
    !(nomaster && links.get(n.ifindex)?.master);
  const o = { stats: ctx.stats, brief: ctx.brief, numeric: ctx.numeric };
  if (flush) return await flushRounds(ctx, conn, dump, f, selected, links, o);
  const p = printer(ctx);
  p.startList();
  try {
    for await (const n of conn.streamNeighbours(dump)) if (selected(n)) printNeighbour(p, n, f, links, o);
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    p.flush();
    console.error(kernelMessage(e));
    console.error("Dump terminated");
    return 1;
  }
  p.endList();
  p.flush();
  return 0;
}

/** Every state and none: the flush's own filter (`selected`) tests the state, as iproute2's `nud` words set it. */
const EVERY_STATE: NonNullable<FlushNeighboursOptions["state"]> = [
  "incomplete",
  "reachable",
  "stale",
  "delay",
  "probe",
  "failed",
  "noarp",
  "permanent",
  "none",
];

/**
 * iproute2's flush loop through the library's flush: dump, delete what matches (each entry sent back as it was
 * dumped, no ack asked), repeat until nothing is left, at most 10 rounds.
 */
async function flushRounds(
  ctx: IpContext,
  conn: Awaited<ReturnType<typeof connect>>,
  dump: Omit<FlushNeighboursOptions, "state" | "filter" | "onRound">,
  f: NeighFilter,
  selected: (n: Neighbour) => boolean,
  links: LinkCache,
  o: { stats: number; brief: boolean; numeric: boolean },
): Promise<number> {
  const out = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
  let rounds = 0;
  await conn.flushNeighbours({
    ...dump,
    state: EVERY_STATE,
    filter: (n) => {
      if (!selected(n)) return false;
      if (ctx.stats >= 2) printNeighbour(out, n, f, links, o);
      return true;
    },
    onRound: (round, deleted) => {
      rounds = round;
      if (ctx.stats) out.write(`\n*** Round ${round}, deleting ${deleted} entries ***\n`);
      f.state &= ~NUD_FAILED; // entries that failed to resolve go in the first round only
    },
  });
  if (rounds === MAX_ROUNDS) {
    out.write(`*** Flush not complete bailing out after ${MAX_ROUNDS} rounds\n`);
    out.flush();
    return 1;
  }
  if (ctx.stats) {
    if (rounds === 0) out.write("Nothing to flush.\n");
    else out.write(`*** Flush is complete after ${rounds} round${rounds > 1 ? "s" : ""} ***\n`);
  }
  out.flush();
  return 0;
}

/**
 * Runs `ip neigh get ADDR dev DEV` (or `get proxy ADDR`); printed as text
 * even with `-j`, as iproute2 does.
 *
 * @example
 * ```ts ignore
 * await getNeighbourCmd(ctx, ["10.0.0.2", "dev", "p0"]);
 * ```
 */
export async function getNeighbourCmd(ctx: IpContext, args: string[]): Promise<number> {
  const family = ctxFamilyNumber(ctx);
  let dev: string | undefined;
  let dst: InetPrefix | undefined;
  let devOk = false;
  let proxy = false;
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (a === "dev") {
      dev = next();
      devOk = true;
    } else if (matches(a, "proxy")) {
      const v = next();
      if (matches(v, "help")) neighUsage();
      if (dst) throw new UsageError(`Error: duplicate "address": "${v}" is the second value.`);
      dst = getAddr(v, family);
      devOk = true;
      proxy = true;
    } else {
      if (a === "to") a = next();
      if (matches(a, "help")) neighUsage();
      if (dst) throw new UsageError(`Error: either "to" is duplicate, or "${a}" is a garbage.`);
      dst = getAddr(a, family);
    }
  }
  if (!devOk || !dst || dst.family === 0) throw new UsageError("Device and address are required arguments.", 1);
  using conn = await connect(ctx);
  const links = await LinkCache.load(conn);
  let index = 0;
  if (dev !== undefined) {
    index = links.index(dev);
    if (!index) throw new UsageError(`Cannot find device "${dev}"`, 1);
  }
  const n = await conn.getNeighbour({ dst: prefixText(dst, false), ...(index ? { dev: index } : {}), proxy });
  const p = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
  const f: NeighFilter = { state: ~0, index: 0, pfx: undefined, protocol: 0, unusedOnly: false };
  if (neighMatches(n, f) || nudBits(n) === 0) {
    printNeighbour(p, n, f, links, { stats: ctx.stats, brief: ctx.brief, numeric: ctx.numeric });
  }
  p.flush();
  return 0;
}
