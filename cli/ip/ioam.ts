/**
 * `ip ioam`: IPv6 in-situ OAM namespaces and schemas (iproute2's ipioam6.c),
 * through the connection's IOAM methods (generic netlink family `IOAM6`):
 * `namespace show|add|del|set` and `schema show|add|del`.
 *
 * As in iproute2 6.1: command words are whole words (no abbreviations), words
 * after a complete command are ignored, `wide` is read in hex (with or
 * without `0x`), `data` only in C's notations, and a schema's DATA is the
 * word's bytes without a terminating NUL. 6.1 has no `ip ioam monitor`.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import type { Connection } from "@nlink/nlink";
import { invalidArgument, nextWord, UsageError } from "../common/args.ts";
import { dumpTerminated, kernelMessage } from "../common/errors.ts";
import { parseUnsigned } from "../common/inet.ts";
import { connect, type IpContext, printer } from "./context.ts";
import { requireGenlFamily } from "./genl_family.ts";
import { printIoamNamespace, printIoamSchema } from "./ioam_print.ts";

const USAGE = `Usage:	ip ioam { COMMAND | help }
	ip ioam namespace show
	ip ioam namespace add ID [ data DATA32 ] [ wide DATA64 ]
	ip ioam namespace del ID
	ip ioam schema show
	ip ioam schema add ID DATA
	ip ioam schema del ID
	ip ioam namespace set ID schema { ID | none }`;

/** The longest schema DATA iproute2 takes (IOAM6_MAX_SCHEMA_DATA_LEN). */
const SCHEMA_DATA_MAX = 1020;

const encoder = new TextEncoder();

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/** One parsed `ip ioam` command. */
type Command =
  | { op: "namespace show" }
  | { op: "namespace add"; id: number; data?: number; wide?: bigint }
  | { op: "namespace del"; id: number }
  | { op: "namespace set"; id: number; schema: number | null }
  | { op: "schema show" }
  | { op: "schema add"; id: number; data: string }
  | { op: "schema del"; id: number };

/** get_u16 / get_u32 (base 0), or iproute2's invarg with `what`. */
function unsigned(word: string, max: number, what: string): number {
  const v = parseUnsigned(word, max);
  if (v === undefined) throw invalidArgument(what, word);
  return v;
}

/**
 * get_u64 in base 16, as strtoull reads it: blanks, a sign, an optional
 * `0x`, hex digits to the end of the word (a minus wraps around, as in C).
 */
function wideData(word: string): bigint {
  const m = /^[ \t\n\v\f\r]*([+-]?)(?:0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)$/.exec(word);
  const v = m ? BigInt("0x" + m[2]) : -1n;
  if (v < 0n || v > 0xffffffffffffffffn) throw invalidArgument("Invalid wide data", word);
  return m![1] === "-" ? (-v) & 0xffffffffffffffffn : v;
}

/** `namespace add ID [ data DATA32 ] [ wide DATA64 ]`, with iproute2's checks in its order. */
function namespaceAdd(words: string[]): Command {
  const cmd: Command = { op: "namespace add", id: unsigned(nextWord(words, 2), 0xffff, "Invalid namespace ID") };
  if (words.length <= 3) return cmd;
  const key = words[3];
  if (key === "data") cmd.data = unsigned(nextWord(words, 4), 0xffffffff, "Invalid data");
  else if (key === "wide") cmd.wide = wideData(nextWord(words, 4));
  else throw invalidArgument("Invalid argument", key);
  if (words.length <= 5) return cmd;
  // Only `wide` may follow `data`; nothing follows `wide`.
  if (key !== "data" || words[5] !== "wide") throw invalidArgument("Unexpected argument", words[5]);
  cmd.wide = wideData(nextWord(words, 6));
  return cmd;
}

/** Reads the words the way iproute2's do_ioam6 does, with its messages in its order. */
function parse(words: string[]): Command {
  const [object] = words;
  if (object === "namespace") {
    const sub = nextWord(words, 1);
    if (sub === "show") return { op: "namespace show" };
    if (sub === "add") return namespaceAdd(words);
    if (sub === "del") return { op: "namespace del", id: unsigned(nextWord(words, 2), 0xffff, "Invalid namespace ID") };
    if (sub === "set") {
      const id = unsigned(nextWord(words, 2), 0xffff, "Invalid namespace ID");
      const key = nextWord(words, 3);
      if (key !== "schema") throw invalidArgument("Unknown", key);
      const schema = nextWord(words, 4);
      return {
        op: "namespace set",
        id,
        schema: schema === "none" ? null : unsigned(schema, 0xffffffff, "Invalid schema ID"),
      };
    }
    throw invalidArgument("Unknown", sub);
  }
  if (object === "schema") {
    const sub = nextWord(words, 1);
    if (sub === "show") return { op: "schema show" };
    if (sub === "add") {
      const id = unsigned(nextWord(words, 2), 0xffffffff, "Invalid schema ID");
      const data = nextWord(words, 3);
      if (encoder.encode(data).length > SCHEMA_DATA_MAX) throw invalidArgument("Schema DATA too big", data);
      return { op: "schema add", id, data };
    }
    if (sub === "del") return { op: "schema del", id: unsigned(nextWord(words, 2), 0xffffffff, "Invalid schema ID") };
    throw invalidArgument("Unknown", sub);
  }
  throw invalidArgument("Unknown", object);
}

/** A kernel error as iproute2's rtnl_talk reports it; `ip` then exits with 1. */
function talkFailed(e: unknown): never {
  if (e instanceof NetlinkError) throw new UsageError(kernelMessage(e), 1);
  throw e;
}

/**
 * Runs `ip ioam ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./ioam.ts";
 * await run(ctx, ["namespace", "add", "123", "data", "0xdeadbeef"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  using conn = await connect(ctx);
  if (args.length === 0 || args[0] === "help") usage();
  const cmd = parse(args);
  await requireGenlFamily(conn, "IOAM6");
  switch (cmd.op) {
    case "namespace show":
    case "schema show":
      return await show(ctx, conn, cmd.op);
    case "namespace add":
      await conn.addIoamNamespace({ id: cmd.id, data: cmd.data, wide: cmd.wide }).catch(talkFailed);
      return 0;
    case "namespace del":
      await conn.delIoamNamespace(cmd.id).catch(talkFailed);
      return 0;
    case "namespace set":
      await conn.setIoamNamespaceSchema(cmd.id, cmd.schema).catch(talkFailed);
      return 0;
    case "schema add":
      await conn.addIoamSchema({ id: cmd.id, data: cmd.data }).catch(talkFailed);
      return 0;
    case "schema del":
      await conn.delIoamSchema(cmd.id).catch(talkFailed);
      return 0;
  }
}

async function show(ctx: IpContext, conn: Connection, op: "namespace show" | "schema show"): Promise<number> {
  const p = printer(ctx);
  if (op === "namespace show") {
    const list = await conn.getIoamNamespaces().catch(dumpTerminated);
    p.startList();
    for (const ns of list) printIoamNamespace(p, ns);
  } else {
    const list = await conn.getIoamSchemas().catch(dumpTerminated);
    p.startList();
    for (const s of list) printIoamSchema(p, s);
  }
  p.endList();
  p.flush();
  return 0;
}
