/**
 * Reading an `ip -batch` file the way iproute2 does (lib/utils.c getcmdline
 * and makeargs): `#` starts a comment, a backslash before the newline joins the
 * next line, words split on blanks, a word that starts with a quote runs to the
 * same quote. Line numbers are physical: a joined command has the number of
 * its last line.
 *
 * @module
 */

/** One command of a batch: its words and the line number iproute2 reports. */
export interface BatchCommand {
  /** The words (never empty). */
  args: string[];
  /** The physical line the command ends on (1-based). */
  line: number;
}

/** Something that ends the batch while reading, as iproute2 reports it. */
export interface BatchInputError {
  /** The message for stderr. */
  message: string;
  /** Exit at once with this code (makeargs' exit(1)), or undefined to end reading only. */
  exit?: number;
}

/** Yielded when the input has no more bytes at hand (a pause on a pipe): time to send what is queued. */
export const INPUT_PAUSE: unique symbol = Symbol("input pause");

/** iproute2's MAX_ARGS: a command has at most this many words minus one. */
const MAX_ARGS = 512;

/** Words separated by single spaces, no quote, tab or carriage return, at most a newline at the end. */
const SIMPLE_LINE = /^[^ \t\r\n'"]+(?: [^ \t\r\n'"]+)*\n?$/;

/**
 * Splits one command line into words (iproute2's makeargs); a string is an error message (exit 1).
 *
 * @example
 * ```ts
 * import { splitWords } from "./batch_input.ts";
 * splitWords(`link set p0 alias "a b"\n`); // ["link", "set", "p0", "alias", "a b"]
 * ```
 */
export function splitWords(line: string): string[] | BatchInputError {
  if (SIMPLE_LINE.test(line)) {
    // The common case (single spaces, no quotes, no tabs): one native split.
    const words = (line.endsWith("\n") ? line.slice(0, -1) : line).split(" ");
    if (words.length < MAX_ARGS) return words;
  }
  const words: string[] = [];
  let i = 0;
  const blank = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n";
  while (i < line.length) {
    while (i < line.length && blank(line[i])) i++;
    if (i >= line.length) break;
    if (words.length >= MAX_ARGS - 1) return { message: "Too many arguments to command", exit: 1 };
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) return { message: "Unterminated quoted string", exit: 1 };
      words.push(line.slice(i + 1, end));
      i = end + 1; // the character after the closing quote starts the next word
    } else {
      let end = i;
      while (end < line.length && !blank(line[end])) end++;
      words.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return words;
}

/** A line without its comment (from the first `#`, newline included, as iproute2 cuts it). */
function uncomment(line: string): string {
  const hash = line.indexOf("#");
  return hash < 0 ? line : line.slice(0, hash);
}

/** One command read from a whole input held as a string (see {@linkcode commandAt}). */
export interface TextCommand {
  /** Its words (empty for a blank or comment line), or what ends the batch. */
  result: string[] | BatchInputError;
  /** Where the next command starts. */
  next: number;
  /** The physical line it ends on (1-based). */
  line: number;
}

/**
 * The command that starts at `pos` of a whole input (`pos` < its length), the
 * lines before it numbering `lineNo`: what {@linkcode batchCommands} yields for
 * it, read in place, without a promise per line.
 *
 * @example
 * ```ts
 * import { commandAt } from "./batch_input.ts";
 * commandAt("route add 10.0.0.0/8 \\\n dev p0\n", 0, 0); // { result: ["route", "add", "10.0.0.0/8", "dev", "p0"], next: 31, line: 2 }
 * ```
 */
export function commandAt(text: string, pos: number, lineNo: number): TextCommand {
  const physical = () => {
    const nl = text.indexOf("\n", pos);
    const line = nl < 0 ? text.slice(pos) : text.slice(pos, nl + 1);
    pos = nl < 0 ? text.length : nl + 1;
    lineNo++;
    return uncomment(line);
  };
  let line = physical();
  while (line.endsWith("\\\n")) {
    if (pos >= text.length) return { result: { message: "Missing continuation line" }, next: pos, line: lineNo };
    line = line.slice(0, -2) + physical();
  }
  return { result: splitWords(line), next: pos, line: lineNo };
}

/**
 * Physical lines of a byte stream, each with its newline (the last one may
 * lack it), and {@linkcode INPUT_PAUSE} whenever the bytes read so far are used up.
 */
async function* physicalLines(
  input: ReadableStream<Uint8Array> | Uint8Array,
): AsyncGenerator<string | typeof INPUT_PAUSE> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of input instanceof Uint8Array ? [input] : input) {
    rest += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = rest.indexOf("\n"); nl >= 0; nl = rest.indexOf("\n", start)) {
      yield rest.slice(start, nl + 1);
      start = nl + 1;
    }
    rest = rest.slice(start);
    yield INPUT_PAUSE;
  }
  rest += decoder.decode();
  if (rest !== "") yield rest;
}

/**
 * The commands of a batch input (a stream, or a whole file's bytes), in order, with {@linkcode INPUT_PAUSE}
 * between reads; a {@linkcode BatchInputError} ends them.
 *
 * @example
 * ```ts ignore
 * for await (const c of batchCommands(file.readable)) if (c !== INPUT_PAUSE && "args" in c) console.log(c.line, c.args);
 * ```
 */
export async function* batchCommands(
  input: ReadableStream<Uint8Array> | Uint8Array,
): AsyncGenerator<BatchCommand | BatchInputError | typeof INPUT_PAUSE> {
  const lines = physicalLines(input);
  let lineNo = 0;
  for (;;) {
    const first = await lines.next();
    if (first.done) return;
    if (first.value === INPUT_PAUSE) {
      yield INPUT_PAUSE;
      continue;
    }
    lineNo++;
    let line = uncomment(first.value);
    while (line.endsWith("\\\n")) {
      let more = await lines.next();
      while (!more.done && more.value === INPUT_PAUSE) more = await lines.next();
      if (more.done) {
        yield { message: "Missing continuation line" };
        return;
      }
      lineNo++;
      line = line.slice(0, -2) + uncomment(more.value as string);
    }
    const words = splitWords(line);
    if (!Array.isArray(words)) {
      yield words;
      return;
    }
    if (words.length) yield { args: words, line: lineNo };
  }
}
