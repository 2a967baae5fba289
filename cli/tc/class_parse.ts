/**
 * `tc class add|change|replace|delete …` words → the library's typed class
 * options (tc_class.c's tc_class_modify, in its order); the device stays a name.
 *
 * @module
 */
import type { ClassOptions, EstimatorOptions } from "@nlink/nlink/tc";
import { Args, invalidArgument, UsageError } from "../common/args.ts";
import { qdiscKindCli } from "./q_kinds.ts";
import { isWord } from "./q_types.ts";
import { parseEstimator, tcClassId } from "./qdisc_parse.ts";

/** The usage text of `tc class`. */
export const CLASS_USAGE = `Usage: tc class [ add | del | change | replace | show ] dev STRING
       [ classid CLASSID ] [ root | parent CLASSID ]
       [ [ QDISC_KIND ] [ help | OPTIONS ] ]

       tc class show [ dev STRING ] [ root | parent CLASSID ]
Where:
QDISC_KIND := { prio | cbq | etc. }
OPTIONS := ... try tc class add <desired QDISC_KIND> help`;

/** The operations of `tc class` that send a request. */
export type ClassOp = "add" | "change" | "replace" | "delete";

/** A parsed class command. */
export interface ParsedClass {
  /** The device name, if given. */
  dev: string | undefined;
  /** The kind, if given. */
  kind: string | undefined;
  /** The class id and parent as numbers (0 when not given, as tc sends them). */
  classid: number;
  /** The parent (0 when not given). */
  parent: number;
  /** The options for the library (dev left as given). */
  options: ClassOptions;
}

const DUP = (what: string, value: string) =>
  new UsageError(`Error: duplicate "${what}": "${value}" is the second value.`);

/**
 * Parses `tc class OP ARGS…` into the library's options, as tc reads them.
 *
 * @example
 * ```ts
 * import { parseClassCommand } from "./class_parse.ts";
 * parseClassCommand("add", ["dev", "p0", "parent", "1:", "classid", "1:10", "htb", "rate", "1mbit"]).classid; // 0x10010
 * ```
 */
export function parseClassCommand(op: ClassOp, words: string[]): ParsedClass {
  const a = new Args(words);
  let dev: string | undefined;
  let classid = 0;
  let parent = 0;
  let kind: string | undefined;
  let estimator: EstimatorOptions | undefined;
  while (a.more) {
    const w = a.next()!;
    if (w === "dev") {
      const v = a.value(w);
      if (dev !== undefined) throw DUP("dev", v);
      dev = v;
    } else if (w === "classid") {
      const v = a.value(w);
      if (classid) throw DUP("classid", v);
      const h = tcClassId(v);
      if (h === undefined) throw invalidArgument("invalid class ID", v);
      classid = h;
    } else if (w === "handle") throw new UsageError('Error: try "classid" instead of "handle"');
    else if (w === "root") {
      if (parent) throw new UsageError('Error: "root" is duplicate parent ID.');
      parent = 0xffffffff;
    } else if (w === "parent") {
      const v = a.value(w);
      if (parent) throw DUP("parent", v);
      const h = tcClassId(v);
      if (h === undefined) throw invalidArgument("invalid parent ID", v);
      parent = h;
    } else if (isWord(w, "estimator")) estimator = parseEstimator(a);
    else if (isWord(w, "help")) throw new UsageError(CLASS_USAGE, 255);
    else {
      kind = w;
      break;
    }
  }
  let kindOptions: Record<string, unknown> = {};
  const rest = a.rest();
  if (kind !== undefined) {
    const cli = qdiscKindCli(kind);
    if (!cli?.parseClass) throw new UsageError(`Error: Qdisc "${kind}" is classless.`, 1);
    kindOptions = cli.parseClass(new Args(rest), kind, op);
  } else if (rest.length) {
    if (isWord(rest[0], "help")) throw new UsageError(CLASS_USAGE, 255);
    throw new UsageError(`Garbage instead of arguments "${rest[0]} ...". Try "tc class help".`);
  }
  const o: Record<string, unknown> = { dev: dev ?? 0, parent, classid };
  if (kind !== undefined) o.kind = kind;
  if (estimator) o.estimator = estimator;
  Object.assign(o, kindOptions);
  return { dev, kind, classid, parent, options: o as unknown as ClassOptions };
}
