/**
 * Output in iproute2's two shapes from one set of calls: text (through a small
 * printf) or JSON (compact, or `-p` pretty with iproute2's exact spacing).
 * Mirrors the behaviour of iproute2's print_* helpers: each call names a JSON
 * key and a text format, and the mode decides which one is used.
 *
 * @module
 */

/** Where a value goes: both outputs, text only ("FP" in iproute2), or JSON only. */
export const Kind = { Any: 0, Text: 1, Json: 2 } as const;
/** One of {@linkcode Kind}'s values. */
export type Kind = typeof Kind[keyof typeof Kind];

const encoder = new TextEncoder();

/**
 * Formats like C's printf for the conversions iproute2's output uses:
 * `%s %d %i %u %x %X %o %c %%`, flags `-0 #+`, width and precision (also `*`),
 * and the length modifiers `l ll h hh z j` (ignored: numbers are numbers).
 *
 * @example
 * ```ts
 * import { sprintf } from "./output.ts";
 * sprintf("%-8s|%5u|%#x", "lo", 42, 255); // "lo      |   42|0xff"
 * ```
 */
export function sprintf(fmt: string, ...args: unknown[]): string {
  let out = "";
  let ai = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== "%") {
      out += c;
      continue;
    }
    let j = i + 1;
    let flags = "";
    while (j < fmt.length && "-0#+ ".includes(fmt[j])) flags += fmt[j++];
    let width = "";
    if (fmt[j] === "*") {
      width = String(args[ai++]);
      j++;
    } else while (j < fmt.length && fmt[j] >= "0" && fmt[j] <= "9") width += fmt[j++];
    let precision: number | undefined;
    if (fmt[j] === ".") {
      j++;
      let p = "";
      if (fmt[j] === "*") {
        p = String(args[ai++]);
        j++;
      } else while (j < fmt.length && fmt[j] >= "0" && fmt[j] <= "9") p += fmt[j++];
      precision = Number(p || "0");
    }
    while (j < fmt.length && "lhzjqL".includes(fmt[j])) j++;
    const conv = fmt[j];
    i = j;
    let s: string;
    switch (conv) {
      case "%":
        out += "%";
        continue;
      case "s":
        s = String(args[ai++] ?? "(null)");
        if (precision !== undefined) s = s.slice(0, precision);
        break;
      case "c":
        s = String.fromCharCode(Number(args[ai++]));
        break;
      case "d":
      case "i":
      case "u": {
        const v = args[ai++];
        s = typeof v === "bigint" ? v.toString() : String(Math.trunc(Number(v)));
        if (flags.includes("+") && !s.startsWith("-")) s = "+" + s;
        break;
      }
      case "x":
      case "X":
      case "o": {
        const v = args[ai++];
        const n = typeof v === "bigint" ? v : BigInt(Math.trunc(Number(v)) >>> 0);
        s = n.toString(conv === "o" ? 8 : 16);
        if (conv === "X") s = s.toUpperCase();
        if (flags.includes("#") && n !== 0n) s = (conv === "o" ? "0" : conv === "x" ? "0x" : "0X") + s;
        break;
      }
      case "f": {
        s = Number(args[ai++]).toFixed(precision ?? 6);
        break;
      }
      default:
        out += "%" + (conv ?? "");
        continue;
    }
    const w = Number(width || "0");
    if (s.length < w) {
      if (flags.includes("-")) s = s.padEnd(w);
      else if (flags.includes("0") && conv !== "s") {
        const neg = s.startsWith("-") || s.startsWith("+");
        s = neg ? s[0] + s.slice(1).padStart(w - 1, "0") : s.padStart(w, "0");
      } else s = s.padStart(w);
    }
    out += s;
  }
  return out;
}

/** Output options, from the global command-line flags. */
export interface OutputOptions {
  /** `-j`. */
  json: boolean;
  /** `-p`. */
  pretty: boolean;
  /** `-o`: one line per record, newlines shown as `\`. */
  oneline?: boolean;
}

/**
 * An output sink with iproute2's print_* semantics. Collects everything and
 * writes once at {@linkcode Printer.flush} (stdout writes are the slow part).
 *
 * @example
 * ```ts
 * import { Kind, Printer } from "./output.ts";
 * const p = new Printer({ json: true, pretty: false });
 * p.startList();
 * p.openObject();
 * p.uint(Kind.Any, "ifindex", "%u: ", 1);
 * p.closeObject();
 * p.endList();
 * p.text(); // '[{"ifindex":1}]\n'
 * ```
 */
export class Printer {
  readonly json: boolean;
  readonly pretty: boolean;
  /** The line separator: "\n", or "\\" in one-line mode. */
  readonly sl: string;
  #chunks: string[] = [];
  #depth = 0;
  #sep = "";

  /** A printer for the given mode. */
  constructor(options: OutputOptions) {
    this.json = options.json;
    this.pretty = options.pretty;
    this.sl = options.oneline ? "\\" : "\n";
  }

  /** Everything written so far. */
  text(): string {
    return this.#chunks.join("");
  }

  /** Writes what was collected to stdout and forgets it. */
  flush(): void {
    const s = this.text();
    this.#chunks = [];
    if (s.length === 0) return;
    const bytes = encoder.encode(s);
    let off = 0;
    while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
  }

  /** Raw text (text mode only). */
  write(s: string): void {
    if (!this.json) this.#chunks.push(s);
  }

  /** printf to the text output (text mode only). */
  printf(fmt: string, ...args: unknown[]): void {
    if (!this.json) this.#chunks.push(sprintf(fmt, ...args));
  }

  #isJson(kind: Kind): boolean {
    return this.json && kind !== Kind.Text;
  }
  #isText(kind: Kind): boolean {
    return !this.json && kind !== Kind.Json;
  }

  // --------------------------------------------------------- json writer

  #put(s: string): void {
    this.#chunks.push(s);
  }
  #eor(): void {
    if (this.#sep) this.#put(this.#sep);
    this.#sep = ",";
  }
  #eol(): void {
    if (!this.pretty) return;
    this.#put("\n" + "    ".repeat(this.#depth));
  }
  #name(name: string): void {
    this.#eor();
    this.#eol();
    this.#sep = "";
    this.#put(quote(name) + (this.pretty ? ": " : ":"));
  }
  #begin(c: string): void {
    this.#eor();
    this.#put(c);
    this.#depth++;
    this.#sep = "";
  }
  #end(c: string): void {
    this.#depth--;
    if (this.#sep) this.#eol();
    this.#put(c);
    this.#sep = ",";
  }
  #value(raw: string): void {
    this.#eor();
    this.#put(raw);
  }
  #field(key: string | null, raw: string): void {
    if (key !== null) this.#name(key);
    this.#value(raw);
  }

  /** Starts the top-level JSON array (iproute2's new_json_obj). */
  startList(): void {
    if (!this.json) return;
    this.#begin("[");
    if (this.pretty) this.#put(" ");
  }

  /** Ends the top-level JSON array and the output (iproute2's delete_json_obj). */
  endList(): void {
    if (!this.json) return;
    this.closeArray(Kind.Json, "");
    this.#put("\n");
  }

  /** Starts a JSON object, named when inside an object. */
  openObject(key?: string): void {
    if (!this.json) return;
    if (key !== undefined) this.#name(key);
    this.#begin("{");
  }

  /** Ends a JSON object. */
  closeObject(): void {
    if (this.json) this.#end("}");
  }

  /** Starts a JSON array (or prints `text` in text mode). */
  openArray(kind: Kind, key?: string, text = ""): void {
    if (this.#isJson(kind)) {
      if (key !== undefined) this.#name(key);
      this.#begin("[");
      if (this.pretty) this.#put(" ");
    } else if (this.#isText(kind)) this.#put(text);
  }

  /** Ends a JSON array (or prints `text` in text mode). */
  closeArray(kind: Kind, text = ""): void {
    if (this.#isJson(kind)) {
      if (this.pretty && this.#sep) this.#put(" ");
      this.#sep = "";
      this.#end("]");
    } else if (this.#isText(kind)) this.#put(text);
  }

  /** A string (`value === undefined` with a key prints just the key, as iproute2). */
  string(kind: Kind, key: string | null, fmt: string, value: string | undefined): void {
    if (this.#isJson(kind)) {
      if (key !== null && value === undefined) this.#name(key);
      else this.#field(key, quote(value ?? ""));
    } else if (this.#isText(kind)) this.#put(sprintf(fmt, value));
  }

  /** An unsigned or signed integer (number or bigint). */
  uint(kind: Kind, key: string | null, fmt: string, value: number | bigint): void {
    if (this.#isJson(kind)) this.#field(key, String(value));
    else if (this.#isText(kind)) this.#put(sprintf(fmt, value));
  }

  /** Same as {@linkcode Printer.uint}, for signed values. */
  int(kind: Kind, key: string | null, fmt: string, value: number | bigint): void {
    this.uint(kind, key, fmt, value);
  }

  /** A boolean: JSON true/false, text through `fmt` with "true"/"false". */
  bool(kind: Kind, key: string | null, fmt: string, value: boolean): void {
    if (this.#isJson(kind)) this.#field(key, value ? "true" : "false");
    else if (this.#isText(kind)) this.#put(sprintf(fmt, value ? "true" : "false"));
  }

  /** A boolean printed as on/off in text. */
  onOff(kind: Kind, key: string | null, fmt: string, value: boolean): void {
    if (this.#isJson(kind)) this.#field(key, value ? "true" : "false");
    else if (this.#isText(kind)) this.#put(sprintf(fmt, value ? "on" : "off"));
  }

  /** JSON null (text: `fmt` with `text`). */
  null(kind: Kind, key: string | null, fmt: string, text: string): void {
    if (this.#isJson(kind)) this.#field(key, "null");
    else if (this.#isText(kind)) this.#put(sprintf(fmt, text));
  }

  /** A hex number: JSON string without 0x (iproute2's print_hex). */
  hex(kind: Kind, key: string | null, fmt: string, value: number): void {
    if (this.#isJson(kind)) this.#field(key, quote((value >>> 0).toString(16)));
    else if (this.#isText(kind)) this.#put(sprintf(fmt, value));
  }

  /** A hex number: JSON string with 0x (iproute2's print_0xhex). */
  hex0x(kind: Kind, key: string | null, fmt: string, value: number | bigint): void {
    if (this.#isJson(kind)) {
      const v = BigInt(value);
      this.#field(key, quote(v === 0n ? "0" : "0x" + v.toString(16)));
    } else if (this.#isText(kind)) this.#put(sprintf(fmt, value));
  }

  /** A newline (text mode only; `\` in one-line mode). */
  nl(): void {
    if (!this.json) this.#put(this.sl);
  }
}

/** JSON string quoting exactly as iproute2's json_writer does it. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case "\t":
        out += "\\t";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\f":
        out += "\\f";
        break;
      case "\b":
        out += "\\b";
        break;
      case "\\":
        out += "\\\\";
        break;
      case '"':
        out += '\\"';
        break;
      default:
        out += ch;
    }
  }
  return out + '"';
}
