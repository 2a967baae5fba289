/**
 * iproute2's command-line conventions: abbreviations (`matches`), argument
 * cursors, and the usage/invalid-argument errors with iproute2's wording and
 * exit codes.
 *
 * @module
 */

/**
 * iproute2's `matches(prefix, word)`: whether `arg` is a non-empty prefix of
 * `word` (so `a` matches `address`).
 *
 * @example
 * ```ts
 * import { matches } from "./args.ts";
 * matches("addr", "address"); // true
 * matches("", "address"); // false
 * ```
 */
export function matches(arg: string | undefined, word: string): boolean {
  return arg !== undefined && arg.length > 0 && word.startsWith(arg);
}

/**
 * A usage error: the message goes to stderr and the tool exits with `code`
 * (iproute2 uses 255 for `exit(-1)` and 1 for `exit(1)`).
 *
 * @example
 * ```ts
 * import { UsageError } from "./args.ts";
 * new UsageError('Error: argument "x" is wrong: invalid mtu', 255).code; // 255
 * ```
 */
export class UsageError extends Error {
  /** The process exit code. */
  readonly code: number;
  /** Whether the message was already printed (usage texts print themselves). */
  readonly printed: boolean;
  /** Builds the error. */
  constructor(message: string, code = 255, printed = false) {
    super(message);
    this.name = "UsageError";
    this.code = code;
    this.printed = printed;
  }
}

/**
 * iproute2's invarg(): `Error: argument "VALUE" is wrong: WHAT`, exit 255.
 *
 * @example
 * ```ts
 * import { invalidArgument } from "./args.ts";
 * invalidArgument("invalid mtu", "x").message; // 'Error: argument "x" is wrong: invalid mtu'
 * ```
 */
export function invalidArgument(what: string, value: string): UsageError {
  return new UsageError(`Error: argument "${value}" is wrong: ${what}`);
}

/**
 * iproute2's NEXT_ARG on a word list: the word at `i`, or the
 * incomplete-command error.
 *
 * @example
 * ```ts
 * import { nextWord } from "./args.ts";
 * nextWord(["dev", "p0"], 1); // "p0"
 * ```
 */
export function nextWord(words: string[], i: number): string {
  if (i >= words.length) throw new UsageError('Command line is not complete. Try option "help"');
  return words[i];
}

/**
 * A cursor over the words of a command.
 *
 * @example
 * ```ts
 * import { Args } from "./args.ts";
 * const a = new Args(["dev", "p0", "up"]);
 * a.next(); // "dev"
 * a.value("dev"); // "p0"
 * a.rest(); // ["up"]
 * ```
 */
export class Args {
  #words: string[];
  #i = 0;

  /** A cursor at the first word. */
  constructor(words: string[]) {
    this.#words = words;
  }

  /** The current word without consuming it. */
  peek(): string | undefined {
    return this.#words[this.#i];
  }

  /** Consumes and returns the current word. */
  next(): string | undefined {
    return this.#words[this.#i++];
  }

  /** Whether words remain. */
  get more(): boolean {
    return this.#i < this.#words.length;
  }

  /**
   * Consumes the value that must follow keyword `key` (iproute2's NEXT_ARG):
   * `Command line is not complete. Try option "help"` when missing.
   */
  value(_key: string): string {
    const v = this.#words[this.#i++];
    if (v === undefined) throw new UsageError('Command line is not complete. Try option "help"');
    return v;
  }

  /** The unconsumed words. */
  rest(): string[] {
    return this.#words.slice(this.#i);
  }
}
