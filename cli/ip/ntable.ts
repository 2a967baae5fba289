/**
 * `ip ntable` (iproute2's ipntable.c): the neighbour tables (arp_cache,
 * ndisc_cache), their thresholds and parameters, by default and per device;
 * `change` sets them. Through the library's `getNeighbourTables` and
 * `setNeighbourTable`.
 *
 * @module
 */
import type { NeighbourTable, NeighbourTableParms, SetNeighbourTableOptions } from "@nlink/nlink";
import { Args, invalidArgument, matches, UsageError } from "../common/args.ts";
import { Color } from "../common/color.ts";
import { AF_INET, AF_INET6, familyName, familyNumber, parseUnsigned } from "../common/inet.ts";
import { Kind, type Printer } from "../common/output.ts";
import { connect, ctxFamilyNumber, type IpContext, printer } from "./context.ts";
import { LinkCache, type LinkNames } from "./links.ts";

const USAGE = `Usage: ip ntable change name NAME [ dev DEV ]
        [ thresh1 VAL ] [ thresh2 VAL ] [ thresh3 VAL ] [ gc_int MSEC ]
        [ PARMS ]
Usage: ip ntable show [ dev DEV ] [ name NAME ]
PARMS := [ base_reachable MSEC ] [ retrans MSEC ] [ gc_stale MSEC ]
         [ delay_probe MSEC ] [ queue LEN ]
         [ app_probes VAL ] [ ucast_probes VAL ] [ mcast_probes VAL ]
         [ anycast_delay MSEC ] [ proxy_delay MSEC ] [ proxy_queue LEN ]
         [ locktime MSEC ]`;

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip ntable ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./ntable.ts";
 * await run(ctx, ["show", "name", "arp_cache"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0) return await show(ctx, []);
  const [word, ...rest] = args;
  if (matches(word, "change") || matches(word, "chg")) return await change(ctx, rest);
  if (matches(word, "show") || matches(word, "lst") || matches(word, "list")) return await show(ctx, rest);
  if (matches(word, "help")) usage();
  throw new UsageError(`Command "${word}" is unknown, try "ip ntable help".`);
}

/** The table's own settings `change` takes: word → option. */
const TABLE_WORDS: Record<string, "thresh1" | "thresh2" | "thresh3" | "gcInterval"> = {
  thresh1: "thresh1",
  thresh2: "thresh2",
  thresh3: "thresh3",
  gc_int: "gcInterval",
};

/** The parameters `change` takes: word → option (u64 milliseconds unless `u32`). */
const PARM_WORDS: Record<string, { key: keyof NeighbourTableParms & keyof SetNeighbourTableOptions; u32?: true }> = {
  base_reachable: { key: "baseReachableTime" },
  retrans: { key: "retransTime" },
  gc_stale: { key: "gcStaletime" },
  delay_probe: { key: "delayProbeTime" },
  queue: { key: "queueLen", u32: true },
  app_probes: { key: "appProbes", u32: true },
  ucast_probes: { key: "ucastProbes", u32: true },
  mcast_probes: { key: "mcastProbes", u32: true },
  anycast_delay: { key: "anycastDelay" },
  proxy_delay: { key: "proxyDelay" },
  proxy_queue: { key: "proxyQlen", u32: true },
  locktime: { key: "locktime" },
};

/** iproute2's ipntable_modify: words read in order (the options keep that order, and so the request). */
async function change(ctx: IpContext, words: string[]): Promise<number> {
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  // Built word by word: its key order is the order the library sends the attributes in.
  const o: Record<string, unknown> = {};
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (w === "name") {
      const v = a.value(w);
      if (o.name !== undefined) throw new UsageError(`Error: duplicate "NAME": "${v}" is the second value.`);
      o.name = v;
    } else if (w === "dev") {
      const v = a.value(w);
      const index = links.index(v);
      if (!index) throw new UsageError(`Cannot find device "${v}"`, 1);
      o.dev = index;
    } else if (Object.hasOwn(TABLE_WORDS, w) || Object.hasOwn(PARM_WORDS, w)) {
      const v = a.value(w);
      const u32 = w.startsWith("thresh") || PARM_WORDS[w]?.u32;
      const n = parseUnsigned(v, u32 ? 0xffffffff : Number.MAX_SAFE_INTEGER);
      if (n === undefined) throw invalidArgument(`"${w}" value is invalid`, v);
      o[TABLE_WORDS[w] ?? PARM_WORDS[w].key] = n;
    } else throw invalidArgument("unknown", w);
  }
  if (o.name === undefined) throw new UsageError('Error: argument "NAME" is required');
  if (Object.keys(o).every((k) => k === "name" || k === "dev")) {
    throw new UsageError("Not enough information: changeable attributes required.");
  }
  const family = ctx.family === "inet" || ctx.family === "inet6" ? ctx.family : undefined;
  await conn.setNeighbourTable({ ...o, family } as unknown as SetNeighbourTableOptions);
  return 0;
}

/** iproute2's ipntable_show: every table (of the `-f` family), filtered by device and name. */
async function show(ctx: IpContext, words: string[]): Promise<number> {
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  let index = 0; // -1: `dev none`, the tables' own defaults
  let name: string | undefined;
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (w === "dev") {
      const v = a.value(w);
      index = v === "none" ? -1 : links.index(v);
      if (index === 0) throw invalidArgument('"DEV" is invalid', v);
    } else if (w === "name") name = a.value(w);
    else throw invalidArgument("unknown", w);
  }
  const family = ctxFamilyNumber(ctx);
  // Only IPv4 and IPv6 have neighbour tables: the kernel answers any other family with none.
  const tables = family === 0 || family === AF_INET || family === AF_INET6
    ? await conn.getNeighbourTables({ family: ctx.family as "inet" | "inet6" | undefined })
    : [];
  const p = printer(ctx);
  p.startList();
  for (const t of tables) {
    if (name !== undefined && t.name !== undefined && t.name !== name) continue;
    if (t.parms !== undefined && index !== 0) {
      const own = t.parms.ifindex;
      if (own === undefined ? index !== -1 : own !== index) continue;
    }
    printTable(p, t, links, ctx.stats > 0);
  }
  p.endList();
  p.flush();
  return 0;
}

/** iproute2's print_ntable. */
function printTable(p: Printer, t: NeighbourTable, links: LinkNames, stats: boolean): void {
  p.openObject();
  p.string(Kind.Any, "family", "%s ", familyName(familyNumber(t.family)));
  if (t.name !== undefined) p.string(Kind.Any, "name", "%s ", t.name);
  p.nl();
  const own = t.thresh1 !== undefined || t.thresh2 !== undefined || t.thresh3 !== undefined ||
    t.gcInterval !== undefined;
  if (own) p.write("    ");
  if (t.thresh1 !== undefined) p.uint(Kind.Any, "thresh1", "thresh1 %u ", t.thresh1);
  if (t.thresh2 !== undefined) p.uint(Kind.Any, "thresh2", "thresh2 %u ", t.thresh2);
  if (t.thresh3 !== undefined) p.uint(Kind.Any, "thresh3", "thresh3 %u ", t.thresh3);
  if (t.gcInterval !== undefined) p.uint(Kind.Any, "gc_interval", "gc_int %llu ", t.gcInterval);
  if (own) p.nl();
  if (t.config && stats) printConfig(p, t.config);
  if (t.parms) printParms(p, t.parms, links);
  if (t.stats && stats) printStats(p, t.stats);
  p.write("\n");
  p.closeObject();
}

/** iproute2's print_ndtconfig (`-s`). */
function printConfig(p: Printer, c: NonNullable<NeighbourTable["config"]>): void {
  p.uint(Kind.Any, "key_length", "    config key_len %u ", c.keyLen);
  p.uint(Kind.Any, "entry_size", "entry_size %u ", c.entrySize);
  p.uint(Kind.Any, "entries", "entries %u ", c.entries);
  p.nl();
  p.string(Kind.Any, "last_flush", "        last_flush %s ", timeAgo(c.lastFlush));
  p.string(Kind.Any, "last_rand", "last_rand %s ", timeAgo(c.lastRand));
  p.nl();
  p.uint(Kind.Any, "hash_rnd", "        hash_rnd %u ", c.hashRnd);
  p.hex0x(Kind.Any, "hash_mask", "hash_mask %08llx ", c.hashMask);
  p.uint(Kind.Any, "hash_chain_gc", "hash_chain_gc %u ", c.hashChainGc);
  p.uint(Kind.Any, "proxy_qlen", "proxy_qlen %u ", c.proxyQlen);
  p.nl();
}

/** The parameters in iproute2's order, a line break after each group: [JSON key and text word, option]. */
const PARM_LINES: [string, keyof NeighbourTableParms][][] = [
  [["refcnt", "refcnt"], ["reachable", "reachableTime"], ["base_reachable", "baseReachableTime"], [
    "retrans",
    "retransTime",
  ]],
  [["gc_stale", "gcStaletime"], ["delay_probe", "delayProbeTime"], ["queue", "queueLen"]],
  [["app_probes", "appProbes"], ["ucast_probes", "ucastProbes"], ["mcast_probes", "mcastProbes"]],
  [["anycast_delay", "anycastDelay"], ["proxy_delay", "proxyDelay"], ["proxy_queue", "proxyQlen"], [
    "locktime",
    "locktime",
  ]],
];

/** iproute2's print_ndtparams. */
function printParms(p: Printer, parms: NeighbourTableParms, links: LinkNames): void {
  if (parms.ifindex !== undefined) {
    p.write("    dev ");
    p.colorString(Kind.Any, Color.Ifname, "dev", "%s ", links.name(parms.ifindex));
    p.nl();
  }
  p.write("    ");
  PARM_LINES.forEach((line, i) => {
    if (i > 0) p.write(`${p.sl}    `);
    for (const [key, option] of line) {
      const v = parms[option] as number | bigint | undefined;
      if (v !== undefined) p.uint(Kind.Any, key, `${key} %llu `, v);
    }
  });
  p.nl();
}

/** iproute2's print_ndtstats (`-s`), each counter a [JSON key and text word, option]. */
const STAT_LINES: [string, keyof NonNullable<NeighbourTable["stats"]>][][] = [
  [["allocs", "allocs"], ["destroys", "destroys"], ["hash_grows", "hashGrows"]],
  [["res_failed", "resFailed"], ["lookups", "lookups"], ["hits", "hits"]],
  [["rcv_probes_mcast", "rcvProbesMcast"], ["rcv_probes_ucast", "rcvProbesUcast"]],
  [["periodic_gc_runs", "periodicGcRuns"], ["forced_gc_runs", "forcedGcRuns"]],
  [["table_fulls", "tableFulls"]],
];

function printStats(p: Printer, s: NonNullable<NeighbourTable["stats"]>): void {
  p.write("    stats ");
  STAT_LINES.forEach((line, i) => {
    if (i > 0) p.write(`${p.sl}    `);
    for (const [key, option] of line) p.uint(Kind.Any, key, `${key} %llu `, s[option]);
  });
  p.nl();
}

/**
 * iproute2's ntable_strtime_delta: the local time `msec` milliseconds ago, to
 * the second (`(error)` for 0, which the kernel sends for "never").
 */
function timeAgo(msec: number): string {
  if (msec === 0) return "(error)";
  const d = new Date((Math.floor(Date.now() / 1000) - Math.floor(msec / 1000)) * 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
