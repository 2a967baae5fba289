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

/** Reads up to `size` bytes into a new buffer after `keep`; null at the end of the input. */
export type ReadMore = (keep: Uint8Array, size: number) => Promise<Uint8Array | null>;

/**
 * A batch file's text in pieces of whole commands, read as the batch needs
 * them: the first read is small, so that the first window goes to the kernel
 * before the whole file is read and decoded (reading and decoding 4.7 MB took
 * about 12 ms before the first line could run); each later read is twice as
 * large, up to 1 MiB, and the next one runs while the piece before is parsed.
 * A piece ends at a newline that no backslash continues (see
 * {@linkcode commandAt}), so that no command spans two pieces; the whole
 * file's lines come out as {@linkcode commandAt} would read them from the
 * whole text. Bytes are decoded as one stream (a byte-order mark is dropped at
 * the start only).
 *
 * A read that fails ends the input, as it ends iproute2's getline(): a
 * directory, say, is an empty batch.
 *
 * @example
 * ```ts ignore
 * using file = await Deno.open("routes.txt");
 * const pieces = new BatchFileText(fileReader(file));
 * for (let text = await pieces.next(); text !== undefined; text = await pieces.next()) console.log(text.length);
 * ```
 */
export class BatchFileText {
  readonly #read: ReadMore;
  readonly #decoder = new TextDecoder();
  readonly #max: number;
  #size: number;
  /** Bytes read and not yet handed out (the start of a command). */
  #pending: Uint8Array = new Uint8Array(0);
  /** The read in progress: the pending bytes followed by the next ones, or null at the end. */
  #ahead: Promise<Uint8Array | null> | undefined;
  #ended = false;

  /** `first` is the first read's size, `max` the largest read's. */
  constructor(read: ReadMore, first = 16_384, max = 1 << 20) {
    this.#read = read;
    this.#size = first;
    this.#max = max;
  }

  /** The next piece of text (whole commands; possibly empty), or undefined after the last. */
  async next(): Promise<string | undefined> {
    for (;;) {
      const cut = lastCut(this.#pending);
      if (cut > 0) {
        const piece = this.#pending.subarray(0, cut);
        this.#pending = this.#pending.subarray(cut);
        if (!this.#ended) this.#readAhead();
        return this.#decoder.decode(piece, { stream: true });
      }
      if (this.#ended) {
        if (this.#pending.length === 0) return undefined;
        const rest = this.#pending;
        this.#pending = new Uint8Array(0);
        return this.#decoder.decode(rest);
      }
      const more = await this.#readAhead();
      this.#ahead = undefined;
      if (more === null) this.#ended = true;
      else this.#pending = more;
    }
  }

  /** The read in progress, started now if none is (after the pending bytes, so that they are kept). */
  #readAhead(): Promise<Uint8Array | null> {
    if (this.#ahead) return this.#ahead;
    const size = this.#size;
    this.#size = Math.min(size * 2, this.#max);
    return this.#ahead = this.#read(this.#pending, size).catch(() => null);
  }
}

/**
 * A {@linkcode ReadMore} on an open file: each call fills a new buffer, the
 * kept bytes first, with one read of the file (a pipe may give less).
 *
 * @example
 * ```ts ignore
 * const pieces = new BatchFileText(fileReader(await Deno.open("routes.txt")));
 * ```
 */
export function fileReader(file: Deno.FsFile): ReadMore {
  return async (keep, size) => {
    const buf = new Uint8Array(keep.length + size);
    buf.set(keep);
    const n = await file.read(buf.subarray(keep.length));
    return n === null ? null : buf.subarray(0, keep.length + n);
  };
}

const NEWLINE = 0x0a, BACKSLASH = 0x5c, HASH = 0x23;

/**
 * Where the bytes can be cut after whole commands: just after the last
 * newline whose line is not continued (it ends in a backslash and has no `#`),
 * or 0. Byte tests suffice: in UTF-8 no character but these has these bytes.
 */
function lastCut(bytes: Uint8Array): number {
  for (let nl = bytes.lastIndexOf(NEWLINE); nl >= 0; nl = bytes.lastIndexOf(NEWLINE, nl - 1)) {
    const start = nl === 0 ? 0 : bytes.lastIndexOf(NEWLINE, nl - 1) + 1;
    const continued = nl > start && bytes[nl - 1] === BACKSLASH && bytes.subarray(start, nl).indexOf(HASH) < 0;
    if (!continued) return nl + 1;
    if (nl === 0) break;
  }
  return 0;
}
