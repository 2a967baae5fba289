/**
 * What the `tc qdisc` / `tc class` commands need of each kind: a parser from
 * tc's words to the library's typed options, and printers from the decoded
 * options and extended statistics back to tc's text and JSON. Also the small
 * word-reading helpers the kind parsers share.
 *
 * @module
 */
import { type Args, UsageError } from "../common/args.ts";
import type { Printer } from "../common/output.ts";

/** The global options a kind's printer looks at. */
export interface KindPrintContext {
  /** `-d` count. */
  details: number;
  /** `-s` count. */
  stats: number;
  /** `-r`. */
  raw: boolean;
  /** `-iec`. */
  iec: boolean;
}

/**
 * The part of tc's global options kind printers read.
 *
 * @example
 * ```ts ignore
 * printer.print(p, data, kindContext(ctx));
 * ```
 */
export function kindContext(ctx: KindPrintContext): KindPrintContext {
  return { details: ctx.details, stats: ctx.stats, raw: ctx.raw, iec: ctx.iec };
}

/** A kind's options as tc words give them (the library's typed options, without `kind`). */
export type KindOptions = Record<string, unknown>;

/** One qdisc kind on the command line. */
export interface QdiscKindCli {
  /** tc's words after the kind → options; throws UsageError with tc's message. */
  parse?: (a: Args, kind: string, op: string) => KindOptions;
  /** Class words (classful kinds) → class options. */
  parseClass?: (a: Args, kind: string, op: string) => KindOptions;
  /** Prints a qdisc's decoded options (inside the "options" JSON object). */
  print?: (p: Printer, o: unknown, ctx: KindPrintContext, kind: string) => void;
  /** Prints a class's decoded options. */
  printClass?: (p: Printer, o: unknown, ctx: KindPrintContext, kind: string) => void;
  /** Prints decoded extended statistics (qdisc and class). */
  printXstats?: (p: Printer, x: unknown, ctx: KindPrintContext, kind: string) => void;
}

/**
 * A parse failure as a kind's parser reports it: the message (and the kind's
 * usage) on stderr, exit status 1.
 *
 * @example
 * ```ts
 * import { kindError } from "./q_types.ts";
 * kindError('What is "x"?').code; // 1
 * ```
 */
export function kindError(message: string, usage?: string): UsageError {
  return new UsageError(usage === undefined ? message : `${message}\n${usage}`, 1);
}

/**
 * An unsigned integer as iproute2's get_u32/get_unsigned reads it (base 0:
 * decimal, 0x hex, leading-0 octal; or the given base), or undefined.
 *
 * @example
 * ```ts
 * import { readUint } from "./q_types.ts";
 * readUint("0x10"); // 16
 * readUint("10", 16); // 16
 * readUint("x"); // undefined
 * ```
 */
export function readUint(text: string, base = 0, max = 0xffffffff): number | undefined {
  let s = text;
  let b = base;
  if (b === 0 || b === 16) {
    if (/^0[xX]/.test(s)) {
      s = s.slice(2);
      b = 16;
    } else if (b === 0) b = s.length > 1 && s[0] === "0" ? 8 : 10;
  }
  const digits = b === 16 ? /^[0-9a-fA-F]+$/ : b === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!digits.test(s)) return undefined;
  const n = parseInt(s, b);
  return n > max ? undefined : n;
}

/**
 * A signed integer as get_integer reads it (base 0), or undefined.
 *
 * @example
 * ```ts
 * import { readInt } from "./q_types.ts";
 * readInt("-4"); // -4
 * ```
 */
export function readInt(text: string, min = -0x80000000, max = 0x7fffffff): number | undefined {
  const neg = text.startsWith("-");
  const v = readUint(neg ? text.slice(1) : text.replace(/^\+/, ""), 0, 0xffffffff);
  if (v === undefined) return undefined;
  const n = neg ? -v : v;
  return n < min || n > max ? undefined : n;
}

/** iproute2's `matches(word, keyword)` (a non-empty prefix of the keyword). */
export function isWord(word: string | undefined, keyword: string): boolean {
  return word !== undefined && word.length > 0 && keyword.startsWith(word);
}
