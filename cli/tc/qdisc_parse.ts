/**
 * `tc qdisc add|change|replace|link|delete …` words → the library's typed
 * qdisc options (tc_qdisc.c's tc_qdisc_modify, in its order), without
 * touching the kernel: the device stays a name, resolved by the caller.
 *
 * @module
 */
import type { EstimatorOptions, QdiscOptions, SizeTableOptions } from "@nlink/nlink/tc";
import { Args, invalidArgument, UsageError } from "../common/args.ts";
import { qdiscKindCli } from "./q_kinds.ts";
import { isWord, readInt, readUint } from "./q_types.ts";
import { readTime } from "./q_core.ts";

/** The usage text of `tc qdisc`. */
export const QDISC_USAGE = `Usage: tc qdisc [ add | del | replace | change | show ] dev STRING
       [ handle QHANDLE ] [ root | ingress | clsact | parent CLASSID ]
       [ estimator INTERVAL TIME_CONSTANT ]
       [ stab [ help | STAB_OPTIONS] ]
       [ ingress_block BLOCK_INDEX ] [ egress_block BLOCK_INDEX ]
       [ [ QDISC_KIND ] [ help | OPTIONS ] ]

       tc qdisc { show | list } [ dev STRING ] [ QDISC_ID ] [ invisible ]
Where:
QDISC_KIND := { [p|b]fifo | tbf | prio | cbq | red | etc. }
OPTIONS := ... try tc qdisc add <desired QDISC_KIND> help
STAB_OPTIONS := ... try tc qdisc add stab help
QDISC_ID := { root | ingress | handle QHANDLE | parent CLASSID }`;

/** The operations of `tc qdisc` that send a request. */
export type QdiscOp = "add" | "change" | "replace" | "link" | "delete";

/** A parsed modify command: the options (device by name) and what a delete needs. */
export interface ParsedQdisc {
  /** The device name (`dev`), if given. */
  dev: string | undefined;
  /** The kind, if given. */
  kind: string | undefined;
  /** The options for the library (dev left as the name; kind-less for a bare delete). */
  options: QdiscOptions;
}

const DUP = (what: string, value: string) =>
  new UsageError(`Error: duplicate "${what}": "${value}" is the second value.`);

/** A handle in tc's number form, for duplicate checks and the request. */
function qdiscHandle(word: string): number | undefined {
  if (word === "none") return 0;
  // strtoul in base 16, then nothing or a colon (whatever follows the colon is ignored)
  const m = /^([0-9a-fA-F]+)(:.*)?$/.exec(word.replace(/^0[xX]/, ""));
  if (!m) return undefined;
  const maj = parseInt(m[1], 16);
  return maj >= 0x10000 ? undefined : maj * 0x10000;
}

/**
 * A class id or parent as get_tc_classid reads it, as a number (or undefined).
 *
 * @example
 * ```ts
 * import { tcClassId } from "./qdisc_parse.ts";
 * tcClassId("1:10"); // 0x10010
 * tcClassId("root"); // 0xffffffff
 * ```
 */
export function tcClassId(word: string): number | undefined {
  if (word === "root") return 0xffffffff;
  if (word === "none") return 0;
  const colon = word.indexOf(":");
  const majText = colon < 0 ? word : word.slice(0, colon);
  let maj = 0;
  if (majText !== "") {
    const v = readUint(majText, 16);
    if (v === undefined) return undefined;
    maj = v;
  } else if (colon < 0) return undefined;
  if (colon < 0) return maj >>> 0;
  if (maj >= 0x10000) return undefined;
  const minText = word.slice(colon + 1);
  const min = minText === "" ? 0 : readUint(minText, 16);
  if (min === undefined || min >= 0x10000) return undefined;
  return ((maj << 16) | min) >>> 0;
}

/** `estimator INTERVAL TIME_CONSTANT` (parse_estimator). */
export function parseEstimator(a: Args): EstimatorOptions {
  const interval = a.value("estimator");
  if (readTime(interval) === undefined) throw invalidArgument("estimator", "invalid estimator interval");
  const timeConstant = a.value("estimator");
  if (readTime(timeConstant) === undefined) throw invalidArgument("estimator", "invalid estimator time constant");
  return { interval, timeConstant };
}

const STAB_USAGE = `Usage: ... stab [ mtu BYTES ] [ tsize SLOTS ] [ mpu BYTES ]
                [ overhead BYTES ] [ linklayer TYPE ] ...
   mtu       : max packet size we create rate map for {2047}
   tsize     : how many slots should size table have {512}
   mpu       : minimum packet size used in rate computations
   overhead  : per-packet size overhead used in rate computations
   linklayer : adapting to a linklayer e.g. atm
Example: ... stab overhead 20 linklayer atm`;

/** `stab …` (parse_size_table): stops at the first word it does not know; undefined when it sets nothing. */
function parseStab(a: Args): SizeTableOptions | undefined {
  const s: SizeTableOptions = {};
  if (!a.more) a.value("stab");
  if (isWord(a.peek(), "help")) throw new UsageError(STAB_USAGE, 1);
  for (let w = a.peek(); w !== undefined; w = a.peek()) {
    const key = isWord(w, "mtu")
      ? "mtu"
      : isWord(w, "mpu")
      ? "mpu"
      : isWord(w, "overhead")
      ? "overhead"
      : isWord(w, "tsize")
      ? "tsize"
      : isWord(w, "linklayer")
      ? "linklayer"
      : undefined;
    if (key === undefined) break;
    a.next();
    const v = a.value(w);
    if (key === "linklayer") {
      if (s.linklayer !== undefined) throw DUP(key, v);
      const ll = (["ethernet", "atm", "adsl"] as const).find((x) => isWord(v, x));
      if (ll === undefined) throw invalidArgument("linklayer", "invalid linklayer");
      s.linklayer = ll;
    } else if (key === "overhead") {
      if (s.overhead) throw DUP(key, v);
      const n = readInt(v);
      if (n === undefined) throw invalidArgument(key, "invalid overhead");
      s.overhead = n;
    } else {
      if (s[key]) throw DUP(key, v);
      const n = readUint(v, 10);
      if (n === undefined) throw invalidArgument(key, key === "tsize" ? "invalid table size" : `invalid ${key}`);
      s[key] = n;
    }
  }
  // tc gives up silently (exit 255) on a size table that would change nothing.
  if (s.linklayer === undefined && !s.mpu && !s.overhead) throw new UsageError("", 255, true);
  return s;
}

/**
 * Parses `tc qdisc OP ARGS…` into the library's options, as tc reads them.
 *
 * @example
 * ```ts
 * import { parseQdiscCommand } from "./qdisc_parse.ts";
 * parseQdiscCommand("add", ["dev", "p0", "root", "pfifo", "limit", "10"]).options;
 * // { dev: "p0", parent: "root", kind: "pfifo", limit: 10 }
 * ```
 */
export function parseQdiscCommand(op: QdiscOp, words: string[]): ParsedQdisc {
  const a = new Args(words);
  let dev: string | undefined;
  let handle: number | undefined;
  let parent: number | undefined;
  let kind: string | undefined;
  let estimator: EstimatorOptions | undefined;
  let stab: SizeTableOptions | undefined;
  let ingressBlock = 0;
  let egressBlock = 0;
  let hook = false;
  while (a.more) {
    const w = a.next()!;
    if (w === "dev") {
      const v = a.value(w);
      if (dev !== undefined) throw DUP("dev", v);
      dev = v;
    } else if (w === "handle") {
      if (handle) throw DUP("handle", a.peek() ?? w);
      const v = a.value(w);
      const h = qdiscHandle(v);
      if (h === undefined) throw invalidArgument("invalid qdisc ID", v);
      handle = h;
    } else if (w === "root") {
      if (parent) throw new UsageError('Error: "root" is duplicate parent ID');
      parent = 0xffffffff;
    } else if (w === "clsact" || w === "ingress") {
      if (parent) throw new UsageError(`Error: "${w}" is a duplicate parent ID`);
      parent = 0xfffffff1;
      kind = w;
      handle = 0xffff0000;
      hook = true;
      break;
    } else if (w === "parent") {
      const v = a.value(w);
      if (parent) throw DUP("parent", v);
      const h = tcClassId(v);
      if (h === undefined) throw invalidArgument("invalid parent ID", v);
      parent = h;
    } else if (isWord(w, "estimator")) estimator = parseEstimator(a);
    else if (isWord(w, "stab")) {
      stab = parseStab(a);
      continue;
    } else if (isWord(w, "ingress_block") || isWord(w, "egress_block")) {
      const v = a.value(w);
      const n = readUint(v);
      if (!n) throw invalidArgument(`invalid ${w.startsWith("i") ? "ingress" : "egress"} block index value`, v);
      if (w.startsWith("i")) ingressBlock = n;
      else egressBlock = n;
    } else if (isWord(w, "help")) throw new UsageError(QDISC_USAGE, 255);
    else {
      kind = w;
      break;
    }
  }
  let kindOptions: Record<string, unknown> = {};
  const rest = a.rest();
  if (kind !== undefined) {
    const cli = qdiscKindCli(kind);
    if (cli?.parse) kindOptions = cli.parse(new Args(rest), kind, op);
    else if (cli && rest.length) throw new UsageError(`qdisc '${kind}' does not support option parsing`);
    else if (!cli && rest.length) {
      throw new UsageError(`Unknown qdisc "${kind}", hence option "${rest[0]}" is unparsable`, 1);
    }
  } else if (rest.length) {
    if (isWord(rest[0], "help")) throw new UsageError(QDISC_USAGE, 255);
    throw new UsageError(`Garbage instead of arguments "${rest[0]} ...". Try "tc qdisc help".`);
  }
  const o: Record<string, unknown> = { dev: dev ?? 0 };
  // tc sends what it was given: parent 0 when none, handle 0 when none (ingress/clsact: their hook).
  if (!hook) o.parent = parent ?? 0;
  if (handle !== undefined && !hook) o.handle = handle;
  if (kind !== undefined) o.kind = kind;
  if (estimator) o.estimator = estimator;
  if (stab) o.stab = stab;
  if (ingressBlock) o.ingressBlock = ingressBlock;
  if (egressBlock) o.egressBlock = egressBlock;
  Object.assign(o, kindOptions);
  return { dev, kind, options: o as unknown as QdiscOptions };
}
