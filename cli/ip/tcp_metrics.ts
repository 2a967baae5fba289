/**
 * `ip tcp_metrics` (also `ip tcpmetrics`): the kernel's TCP metrics cache
 * (iproute2's tcp_metrics.c), through the connection's TCP metrics methods
 * (generic netlink family `tcp_metrics`): `show|list|lst [ [ address ] PREFIX ] [ source ADDRESS ]`,
 * `flush` with the same selectors, `delete|remove [ address ] ADDRESS
 * [ source ADDRESS ]`.
 *
 * As in iproute2 6.1: the word after each selector is stepped over
 * (`show 10.0.0.1 x source 10.0.0.2`), a listing of one address asks the
 * kernel for that entry alone and prints it as text even with `-j`, a flush
 * of one address is a delete, a flush without selectors (and without `-4`/`-6`)
 * one request that empties the cache, and any other flush dumps and deletes
 * what it matched, round after round (`-s` counts the rounds, `-s -s` prints
 * each entry deleted). Host names (`-r`) are not looked up, as in the other
 * `ip` objects here: iproute2 looks them up from inside the namespace of
 * `-n`, where nlink's process is not.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import type { Connection } from "@nlink/nlink";
import {
  type TcpMetricsEntry,
  type TcpMetricsFamily,
  type TcpMetricsFilter,
  tcpMetricsFilter,
} from "@nlink/nlink/genl";
import { matches, nextWord, UsageError } from "../common/args.ts";
import { dumpTerminated } from "../common/errors.ts";
import { AF_INET, AF_INET6, AF_UNSPEC, getPrefix, type InetPrefix, prefixText } from "../common/inet.ts";
import { Printer } from "../common/output.ts";
import { connect, ctxFamilyNumber, type IpContext, printer } from "./context.ts";
import { printTcpMetrics } from "./tcp_metrics_print.ts";
import { requireGenlFamily } from "./genl_family.ts";

const USAGE = `Usage:	ip tcp_metrics/tcpmetrics { COMMAND | help }
	ip tcp_metrics { show | flush } SELECTOR
	ip tcp_metrics delete [ address ] ADDRESS
SELECTOR := [ [ address ] PREFIX ]`;

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/** What a command does. */
type Command = "list" | "delete" | "flush";

/** iproute2's command words, in its order (the first one an abbreviation matches wins). */
const COMMANDS: readonly [string, Command][] = [
  ["list", "list"],
  ["lst", "list"],
  ["show", "list"],
  ["delete", "delete"],
  ["remove", "delete"],
  ["flush", "flush"],
];

/** The selectors as iproute2 reads them. */
interface Selectors {
  /** The destination prefix, if given. */
  daddr?: InetPrefix;
  /** The source, if given (always a full-length address). */
  saddr?: InetPrefix;
}

/** A prefix that names one address (iproute2's `bytelen * 8 == bitlen`). */
function exact(p: InetPrefix | undefined): boolean {
  return p !== undefined && p.bytelen > 0 && p.bytelen * 8 === p.bitlen;
}

function notSpecific(word: string): UsageError {
  return new UsageError(`Error: a specific IP address is expected rather than "${word}"`, 1);
}

/** Reads the selectors with iproute2's checks, in its order. */
function parse(cmd: Command, words: string[], family: number): Selectors {
  const out: Selectors = {};
  // iproute2 moves two words on after each selector's value: the word after it is never read.
  for (let i = 0; i < words.length; i += 2) {
    const w = words[i];
    if (w === "src" || w === "source") {
      const v = nextWord(words, ++i);
      if (matches(v, "help")) usage();
      if (out.saddr) throw duplicate(w, v);
      out.saddr = getPrefix(v, family);
      if (!exact(out.saddr)) throw notSpecific(v);
    } else {
      let who = "address";
      if (w === "addr" || w === "address") who = w, i++;
      const v = nextWord(words, i);
      if (matches(v, "help")) usage();
      if (out.daddr) throw duplicate(who, v);
      out.daddr = getPrefix(v, family);
      if (cmd === "delete" && !exact(out.daddr)) throw notSpecific(v);
    }
  }
  return out;
}

function duplicate(key: string, word: string): UsageError {
  return new UsageError(`Error: either "${key}" is duplicate, or "${word}" is a garbage.`);
}

/** A prefix as the library's text (undefined for `any`/`default` without a family: no filter). */
function prefixOf(p: InetPrefix | undefined): string | undefined {
  return p === undefined || p.family === AF_UNSPEC ? undefined : prefixText(p);
}

/** An exact address as the library's text. */
function addressOf(p: InetPrefix | undefined): string | undefined {
  return p === undefined ? undefined : prefixText(p, false);
}

/**
 * Runs `ip tcp_metrics ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./tcp_metrics.ts";
 * await run(ctx, ["flush", "10.0.0.0/8"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  using conn = await connect(ctx);
  let cmd: Command = "list";
  if (args.length > 0) {
    const found = COMMANDS.find(([word]) => matches(args[0], word));
    if (found === undefined) {
      if (matches(args[0], "help")) usage();
      throw new UsageError(`Command "${args[0]}" is unknown, try "ip tcp_metrics help".`);
    }
    cmd = found[1];
  }
  const familyNumber = ctxFamilyNumber(ctx);
  if (familyNumber !== AF_UNSPEC && familyNumber !== AF_INET && familyNumber !== AF_INET6) {
    throw new UsageError(`Unsupported protocol family: ${familyNumber}`, 1);
  }
  const family: TcpMetricsFamily | undefined = familyNumber === AF_UNSPEC
    ? undefined
    : familyNumber === AF_INET
    ? "inet"
    : "inet6";
  const sel = parse(cmd, args.slice(1), familyNumber);
  if (cmd === "delete" && !exact(sel.daddr)) throw new UsageError('Error: argument "address" is required');
  const filter: TcpMetricsFilter = { family, address: prefixOf(sel.daddr), source: prefixOf(sel.saddr) };
  await requireGenlFamily(conn, "tcp_metrics");
  const selector = () => ({ address: addressOf(sel.daddr)!, source: addressOf(sel.saddr) });
  if (cmd === "flush" && exact(sel.daddr)) cmd = "delete"; // a flush of one address is a delete
  if (cmd === "delete") {
    await conn.deleteTcpMetrics(selector());
    return 0;
  }
  if (cmd === "flush") {
    if ((sel.daddr?.bitlen ?? 0) <= 0 && (sel.saddr?.bitlen ?? 0) <= 0 && family === undefined) {
      await conn.flushTcpMetrics();
      return 0;
    }
    return await flush(ctx, conn, filter);
  }
  if (exact(sel.daddr)) {
    const entry = await conn.getTcpMetric(selector());
    // iproute2 prints this reply without opening its JSON writer: as text even with -j.
    const p = new Printer({ json: false, pretty: false });
    if (tcpMetricsFilter(filter)(entry)) printTcpMetrics(p, entry);
    p.flush();
    return 0;
  }
  const entries = await conn.getTcpMetrics(filter).catch(dumpTerminated);
  const p = printer(ctx);
  p.startList();
  for (const e of entries) printTcpMetrics(p, e);
  p.endList();
  p.flush();
  return 0;
}

/** The operation the library names a flush's failed dump (its deletes are `flushTcpMetrics: delete`). */
const FLUSH_DUMP = "flushTcpMetrics: dump";

/** A flush by dump and delete, with iproute2's `-s` lines and messages. */
async function flush(ctx: IpContext, conn: Connection, filter: TcpMetricsFilter): Promise<number> {
  // iproute2 prints a flush's lines without opening its JSON writer: as text even with -j.
  const p = new Printer({ json: false, pretty: false });
  let rounds = 0;
  const onRound = (deleted: TcpMetricsEntry[], round: number) => {
    rounds = round;
    if (ctx.stats >= 2) {
      for (const e of deleted) printTcpMetrics(p, e, true);
    }
    if (ctx.stats) p.printf("\n*** Round %d, deleting %d entries ***\n", round, deleted.length);
    p.flush();
  };
  try {
    await conn.flushTcpMetrics({ ...filter, onRound });
  } catch (e) {
    if (!(e instanceof NetlinkError)) throw e;
    // A dump that failed, as iproute2's rtnl_dump_filter says it; else a delete the kernel refused (its perror).
    if (e.operation === FLUSH_DUMP) throw new UsageError(`RTNETLINK answers: ${e.reason}\nFlush terminated`, 1);
    throw new UsageError(`Failed to send flush request\n: ${e.reason}`, 1);
  }
  if (rounds === 0) console.error("Nothing to flush.");
  else if (ctx.stats) p.printf("*** Flush is complete after %d round%s ***\n", rounds, rounds > 1 ? "s" : "");
  p.flush();
  return 0;
}
