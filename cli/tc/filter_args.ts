/**
 * The pieces every `tc filter` / `tc actions` parser shares: a cursor over
 * the words (iproute2's argc/argv with NEXT_ARG), C-style number parsing
 * (strtoul with a base, as get_u32/get_u16/get_u8 read numbers), and tc's
 * error messages.
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";

/** `Command line is not complete. Try option "help"`, exit 255 (iproute2's incomplete_command). */
export function incomplete(): UsageError {
  return new UsageError('Command line is not complete. Try option "help"', 255);
}

/**
 * A cursor over a command's words, positioned on the word being looked at
 * (iproute2's `*argv`).
 *
 * @example
 * ```ts
 * import { Words } from "./filter_args.ts";
 * const w = new Words(["classid", "1:10"]);
 * w.is("classid"); // true
 * w.value(); // "1:10"
 * ```
 */
export class Words {
  /** The words. */
  readonly argv: readonly string[];
  /** The position of the current word. */
  i: number;

  /** A cursor at `i` (default the first word). */
  constructor(argv: readonly string[], i = 0) {
    this.argv = argv;
    this.i = i;
  }

  /** The current word (undefined at the end). */
  get word(): string | undefined {
    return this.argv[this.i];
  }

  /** Whether a word is left. */
  get more(): boolean {
    return this.i < this.argv.length;
  }

  /** Moves past the current word (NEXT_ARG_FWD). */
  advance(): void {
    this.i++;
  }

  /** Moves to the next word and returns it; incomplete-command error at the end (NEXT_ARG). */
  value(): string {
    this.i++;
    const v = this.argv[this.i];
    if (v === undefined) throw incomplete();
    return v;
  }

  /** Whether the next word exists (without moving). */
  get hasNext(): boolean {
    return this.i + 1 < this.argv.length;
  }

  /** The word after the current one. */
  peekNext(): string | undefined {
    return this.argv[this.i + 1];
  }

  /** The current word equals `w` (strcmp). */
  is(w: string): boolean {
    return this.argv[this.i] === w;
  }

  /** The current word is a non-empty prefix of `w` (matches). */
  abbrev(w: string): boolean {
    return matches(this.argv[this.i], w);
  }

  /** The words from the current one on. */
  rest(): string[] {
    return this.argv.slice(this.i);
  }
}

/**
 * C's strtoul on a whole word: base 0 reads `0x` hex and leading-0 octal;
 * undefined when the word is not entirely a number or exceeds `max`.
 *
 * @example
 * ```ts
 * import { cUint } from "./filter_args.ts";
 * cUint("0x10", 0); // 16
 * cUint("010", 0); // 8
 * cUint("12x", 10); // undefined
 * ```
 */
export function cUint(text: string | undefined, base: 0 | 8 | 10 | 16, max = 0xffffffff): number | undefined {
  if (text === undefined) return undefined;
  let s = text.trimStart();
  if (s.startsWith("+")) s = s.slice(1);
  let b: number = base;
  if ((b === 0 || b === 16) && /^0[xX]/.test(s)) {
    s = s.slice(2);
    b = 16;
  } else if (b === 0) b = s.startsWith("0") && s.length > 1 ? 8 : 10;
  if (s === "") return undefined;
  const digits = b === 16 ? /^[0-9a-fA-F]+$/ : b === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!digits.test(s)) return undefined;
  const n = parseInt(s, b);
  return n <= max ? n : undefined;
}

/**
 * C's strtol on a whole word (signed, base 0 or 10), within [min, max].
 *
 * @example
 * ```ts
 * import { cInt } from "./filter_args.ts";
 * cInt("-12", 0); // -12
 * ```
 */
export function cInt(
  text: string | undefined,
  base: 0 | 10 | 16,
  min = -0x80000000,
  max = 0x7fffffff,
): number | undefined {
  if (text === undefined) return undefined;
  const neg = text.startsWith("-");
  const n = cUint(neg ? text.slice(1) : text, base, Number.MAX_SAFE_INTEGER);
  if (n === undefined) return undefined;
  const v = neg ? -n : n;
  return v < min || v > max ? undefined : v;
}

/**
 * An `Illegal "WHAT"` failure (the common tc parse error), exit code `code`.
 *
 * @example
 * ```ts
 * import { illegal } from "./filter_args.ts";
 * illegal("classid").message; // 'Illegal "classid"'
 * ```
 */
export function illegal(what: string, code = 1): UsageError {
  return new UsageError(`Illegal "${what}"`, code);
}

/**
 * A failure after which tc prints the filter kind's usage (its explain()):
 * a word the kind does not know, or `help` (no message of its own). The
 * command adds the usage (f_usage.ts); exit 1.
 *
 * @example
 * ```ts
 * import { KindWordError } from "./filter_args.ts";
 * new KindWordError("").code; // 1
 * ```
 */
export class KindWordError extends UsageError {
  /** The error; `message` goes before the usage (empty for `help`). */
  constructor(message: string) {
    super(message, 1);
  }
}

/**
 * A filter kind's `What is "WORD"?`, followed by its usage.
 *
 * @example
 * ```ts
 * import { whatIs, Words } from "./filter_args.ts";
 * whatIs(new Words(["bogus"])).message; // 'What is "bogus"?'
 * ```
 */
export function whatIs(w: Words): KindWordError {
  return new KindWordError(`What is "${w.word}"?`);
}

/** Verdict words as action_a2n matches them (by prefix, in its order). */
const VERDICTS: [string, string][] = [
  ["continue", "continue"],
  ["drop", "drop"],
  ["shot", "drop"],
  ["pass", "pass"],
  ["ok", "pass"],
  ["reclassify", "reclassify"],
  ["pipe", "pipe"],
  ["goto", "goto"],
  ["jump", "jump"],
  ["trap", "trap"],
];

/**
 * The verdict a word names (action_a2n), or undefined.
 *
 * @example
 * ```ts
 * import { verdictWord } from "./filter_args.ts";
 * verdictWord("shot"); // "drop"
 * ```
 */
export function verdictWord(word: string | undefined): string | undefined {
  if (!word) return undefined;
  return VERDICTS.find(([w]) => matches(word, w))?.[1];
}

/**
 * Reads a control verdict at the cursor (`drop`, `goto chain N`, `jump N`)
 * and moves past it; undefined (cursor unchanged) when the word is none.
 *
 * @example
 * ```ts
 * import { parseControl, Words } from "./filter_args.ts";
 * parseControl(new Words(["goto", "chain", "3"])); // "goto chain 3"
 * ```
 */
export function parseControl(w: Words, quiet = true): string | undefined {
  const v = verdictWord(w.word);
  if (v === undefined) {
    if (!quiet) throw new UsageError(`Bad action type ${w.word}`, 255);
    return undefined;
  }
  let out = v;
  if (v === "goto") {
    if (!matches(w.value(), "chain")) throw new UsageError('"chain index" expected', 255);
    const n = cUint(w.value(), 10, 0x0fffffff);
    if (n === undefined) throw illegal("chain index");
    out = `goto chain ${n}`;
  } else if (v === "jump") {
    const word = w.value();
    const n = cUint(word, 10, 0x0fffffff);
    if (n === undefined) throw new UsageError(`Invalid "jump count" (${word})`, 255);
    out = `jump ${n}`;
  }
  w.advance();
  return out;
}
