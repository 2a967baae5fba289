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

import { ByteSink } from "./bytes.ts";
import { type Color, colored } from "./color.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function writeStdout(bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
}

/** One conversion of a compiled format: flags, width, precision, conversion. */
interface Conversion {
  flags: string;
  /** Width, or -1 for `*` (taken from the arguments). */
  width: number;
  /** Precision, undefined when absent, -1 for `*`. */
  precision: number | undefined;
  conv: string;
}

/** Compiled formats: iproute2 prints the same few formats hundreds of thousands of times. */
const compiled = new Map<string, (string | Conversion)[]>();

function compile(fmt: string): (string | Conversion)[] {
  const parts: (string | Conversion)[] = [];
  let lit = "";
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== "%") {
      lit += c;
      continue;
    }
    let j = i + 1;
    let flags = "";
    while (j < fmt.length && "-0#+ ".includes(fmt[j])) flags += fmt[j++];
    let width = 0;
    if (fmt[j] === "*") {
      width = -1;
      j++;
    } else {
      let w = "";
      while (j < fmt.length && fmt[j] >= "0" && fmt[j] <= "9") w += fmt[j++];
      width = Number(w || "0");
    }
    let precision: number | undefined;
    if (fmt[j] === ".") {
      j++;
      if (fmt[j] === "*") {
        precision = -1;
        j++;
      } else {
        let p = "";
        while (j < fmt.length && fmt[j] >= "0" && fmt[j] <= "9") p += fmt[j++];
        precision = Number(p || "0");
      }
    }
    while (j < fmt.length && "lhzjqL".includes(fmt[j])) j++;
    const conv = fmt[j] ?? "";
    i = j;
    if (conv === "%") {
      lit += "%";
      continue;
    }
    if (!"scdiuxXof".includes(conv) || conv === "") {
      lit += "%" + conv;
      continue;
    }
    if (lit) parts.push(lit);
    lit = "";
    parts.push({ flags, width, precision, conv });
  }
  if (lit) parts.push(lit);
  return parts;
}

function convert(c: Conversion, args: unknown[], ai: { i: number }): string {
  const width = c.width === -1 ? Number(args[ai.i++]) : c.width;
  const precision = c.precision === -1 ? Number(args[ai.i++]) : c.precision;
  let s: string;
  switch (c.conv) {
    case "s":
      s = String(args[ai.i++] ?? "(null)");
      if (precision !== undefined) s = s.slice(0, precision);
      break;
    case "c":
      s = String.fromCharCode(Number(args[ai.i++]));
      break;
    case "d":
    case "i":
    case "u": {
      const v = args[ai.i++];
      s = typeof v === "bigint" ? v.toString() : String(Math.trunc(Number(v)));
      if (c.flags.includes("+") && !s.startsWith("-")) s = "+" + s;
      // C's precision on integers is a minimum digit count (%.2i → "05").
      if (precision !== undefined) {
        const neg = s.startsWith("-") || s.startsWith("+");
        const digits = neg ? s.slice(1) : s;
        if (digits.length < precision) s = (neg ? s[0] : "") + digits.padStart(precision, "0");
      }
      break;
    }
    case "x":
    case "X":
    case "o": {
      const v = args[ai.i++];
      const n = typeof v === "bigint" ? v : BigInt(Math.trunc(Number(v)) >>> 0);
      s = n.toString(c.conv === "o" ? 8 : 16);
      if (precision !== undefined && s.length < precision) s = s.padStart(precision, "0");
      if (c.conv === "X") s = s.toUpperCase();
      if (c.flags.includes("#") && n !== 0n) s = (c.conv === "o" ? "0" : c.conv === "x" ? "0x" : "0X") + s;
      break;
    }
    default: // "f"
      s = Number(args[ai.i++]).toFixed(precision ?? 6);
  }
  if (s.length < width) {
    if (c.flags.includes("-")) s = s.padEnd(width);
    else if (c.flags.includes("0") && c.conv !== "s" && precision === undefined) {
      const neg = s.startsWith("-") || s.startsWith("+");
      const hex = !neg && (s.startsWith("0x") || s.startsWith("0X"));
      s = neg
        ? s[0] + s.slice(1).padStart(width - 1, "0")
        : hex
        ? s.slice(0, 2) + s.slice(2).padStart(width - 2, "0")
        : s.padStart(width, "0");
    } else s = s.padStart(width);
  }
  return s;
}

/**
 * Formats like C's printf for the conversions iproute2's output uses:
 * `%s %d %i %u %x %X %o %c %f %%`, flags `-0#+`, width and precision (also `*`),
 * and the length modifiers `l ll h hh z j` (ignored: numbers are numbers).
 * Formats are compiled once and cached.
 *
 * @example
 * ```ts
 * import { sprintf } from "./output.ts";
 * sprintf("%-8s|%5u|%#x|%.2i", "lo", 42, 255, 5); // "lo      |   42|0xff|05"
 * ```
 */
export function sprintf(fmt: string, ...args: unknown[]): string {
  let parts = compiled.get(fmt);
  if (parts === undefined) {
    parts = compile(fmt);
    compiled.set(fmt, parts);
  }
  // The two shapes that dominate: a literal, and "%s" / "%u" with literal text around it.
  if (parts.length === 1 && typeof parts[0] === "string") return parts[0];
  let out = "";
  const ai = { i: 0 };
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    if (typeof part === "string") out += part;
    else if (part.width === 0 && part.precision === undefined && part.flags === "" && part.conv === "s") {
      out += String(args[ai.i++] ?? "(null)");
    } else out += convert(part, args, ai);
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
  /** `-j`: JSON output. */
  readonly json: boolean;
  /** `-p`: pretty JSON. */
  readonly pretty: boolean;
  /** The line separator: "\n", or "\\" in one-line mode. */
  readonly sl: string;
  /**
   * The output as UTF-8, written as it is produced: holding millions of small
   * strings until the end costs more in garbage collection than the formatting.
   */
  readonly #out = new ByteSink();
  #cur = "";
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
    this.#drain();
    return decoder.decode(this.#out.view());
  }

  /** Writes what was collected to stdout and forgets it. */
  flush(): void {
    this.#drain();
    writeStdout(this.#out.view());
    this.#out.reset();
  }

  /**
   * From now on, writes to stdout whenever the buffer is full instead of
   * growing it ({@linkcode Printer.text} then holds only the unwritten part).
   */
  stream(): void {
    this.#out.spill = writeStdout;
  }

  /** Raw text (text mode only). */
  write(s: string): void {
    if (!this.json) this.#put(s);
  }

  /** printf to the text output (text mode only). */
  printf(fmt: string, ...args: unknown[]): void {
    if (!this.json) this.#put(sprintf(fmt, ...args));
  }

  #isJson(kind: Kind): boolean {
    return this.json && kind !== Kind.Text;
  }
  #isText(kind: Kind): boolean {
    return !this.json && kind !== Kind.Json;
  }

  // --------------------------------------------------------- json writer

  #put(s: string): void {
    // Small pieces join cheaply as one string; every few kilobytes it is encoded into the buffer.
    this.#cur += s;
    if (this.#cur.length > 4096) this.#drain();
  }

  /** Encodes the pending string into the output buffer. */
  #drain(): void {
    const s = this.#cur;
    if (s === "") return;
    this.#cur = "";
    const out = this.#out;
    out.ensure(3 * s.length);
    out.len += encoder.encodeInto(s, out.buf.subarray(out.len)).written;
  }
  #eor(): void {
    if (this.#sep) this.#put(this.#sep);
    this.#sep = ",";
  }
  /** A newline and the indentation of the current depth (pretty mode). */
  #indent(): string {
    return INDENTS[this.#depth] ??= "\n" + "    ".repeat(this.#depth);
  }
  #eol(): void {
    if (this.pretty) this.#put(this.#indent());
  }
  #name(name: string): void {
    this.#eor();
    this.#eol();
    this.#sep = "";
    this.#put(quoteKey(name, this.pretty));
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
  /** A value with its name (or in an array): one append, the hot path of big listings. */
  #field(key: string | null, raw: string): void {
    let s = this.#sep;
    if (key !== null) {
      if (this.pretty) s += this.#indent();
      s += quoteKey(key, this.pretty);
    }
    this.#put(s + raw);
    this.#sep = ",";
  }

  /**
   * Starts a list item written straight into the output bytes: the JSON
   * separator is put, pending text is flushed, and the sink is returned.
   */
  itemSink(): ByteSink {
    if (this.#cur !== "") this.#drain();
    if (this.json) {
      if (this.#sep) this.#out.byte(44); // the separator is always ","
      this.#sep = ",";
    }
    return this.#out;
  }

  /** The depth of the JSON value being written (1 inside the top-level list). */
  get depth(): number {
    return this.#depth;
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

  /**
   * A string in a colour while colour is on (iproute2's print_color_string):
   * the colour wraps the whole formatted text, trailing space included.
   */
  colorString(kind: Kind, color: Color, key: string | null, fmt: string, value: string | undefined): void {
    if (this.#isJson(kind)) this.string(kind, key, fmt, value);
    else if (this.#isText(kind)) this.#put(colored(color, sprintf(fmt, value)));
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

  /**
   * A JSON value written as given (iproute2's jsonw_printf, e.g. a timer as
   * `0.00`); nothing in text mode.
   */
  raw(key: string | null, json: string): void {
    if (this.json) this.#field(key, json);
  }

  /** Whether a value of this kind goes to the output in the current mode. */
  wants(kind: Kind): boolean {
    return this.json ? kind !== Kind.Text : kind !== Kind.Json;
  }

  /** A newline (text mode only; `\` in one-line mode). */
  nl(): void {
    if (!this.json) this.#put(this.sl);
  }
}

/** Newline plus indentation, by depth. */
const INDENTS: string[] = [];

/** Whether a string holds a character iproute2's json_writer escapes (\t \n \r \f \b \\ "). */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92 || (c >= 8 && c <= 13 && c !== 11)) return true;
  }
  return false;
}

/**
 * JSON string quoting exactly as iproute2's json_writer does it.
 *
 * @example
 * ```ts
 * import { quote } from "./output.ts";
 * quote('a"b'); // '"a\\"b"'
 * ```
 */
export function quote(s: string): string {
  if (!needsEscape(s)) return '"' + s + '"';
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

/** Quoted keys, `"name":` and `"name": `: keys are few and repeat for every record. */
const keyCache = new Map<string, string>();
const prettyKeyCache = new Map<string, string>();

function quoteKey(name: string, pretty: boolean): string {
  const cache = pretty ? prettyKeyCache : keyCache;
  let k = cache.get(name);
  if (k === undefined) {
    k = quote(name) + (pretty ? ": " : ":");
    cache.set(name, k);
  }
  return k;
}

/** A JSON key with its quoted forms, encoded once (compact `"k":`, pretty `"k": `). */
export interface JsonKey {
  /** `"name":` */
  readonly compact: Uint8Array;
  /** `"name": ` */
  readonly pretty: Uint8Array;
  /** `"name":"` and `,"name":"`: what comes before a compact string member's value (one copy per member). */
  readonly open?: readonly [string, string];
}

const jsonKeys = new Map<string, JsonKey>();

/**
 * The encoded forms of a JSON key (cached).
 *
 * @example
 * ```ts
 * import { jsonKey } from "./output.ts";
 * jsonKey("dst").compact.length; // 6
 * ```
 */
export function jsonKey(name: string): JsonKey {
  let k = jsonKeys.get(name);
  if (k === undefined) {
    const compact = quoteKey(name, false);
    k = {
      compact: encoder.encode(compact),
      pretty: encoder.encode(quoteKey(name, true)),
      open: [compact + '"', "," + compact + '"'],
    };
    jsonKeys.set(name, k);
  }
  return k;
}

const INDENT_BYTES: Uint8Array[] = [];

/**
 * Writes one JSON object straight into a {@linkcode ByteSink}, with the same
 * layout rules as {@linkcode Printer} (compact or `-p` pretty): for records
 * printed by the 100,000 (see {@linkcode Printer.itemSink}).
 *
 * @example
 * ```ts
 * import { JsonBytes, jsonKey, Printer } from "./output.ts";
 * const p = new Printer({ json: true, pretty: false });
 * p.startList();
 * const j = new JsonBytes(false);
 * j.begin(p.itemSink(), p.depth);
 * j.string(jsonKey("dst"), "10.0.0.0/24");
 * j.openArray(jsonKey("flags"));
 * j.closeArray();
 * j.end();
 * p.endList();
 * p.text(); // '[{"dst":"10.0.0.0/24","flags":[]}]\n'
 * ```
 */
export class JsonBytes {
  #o: ByteSink = new ByteSink();
  #sep = false;
  #depth = 0;
  readonly #pretty: boolean;

  /** A writer for compact or pretty JSON. */
  constructor(pretty: boolean) {
    this.#pretty = pretty;
  }

  /** Opens an object in `sink` at `depth` (its members sit one level deeper). */
  begin(sink: ByteSink, depth: number): void {
    this.#o = sink;
    this.#depth = depth + 1;
    this.#sep = false;
    sink.byte(123);
  }

  #indent(): void {
    const d = this.#depth;
    this.#o.bytes(INDENT_BYTES[d] ??= encoder.encode("\n" + "    ".repeat(d)));
  }

  /** Separator, indentation and key of the next member (none for an array element). */
  key(key: JsonKey | string | null): void {
    const o = this.#o;
    if (this.#sep) o.byte(44);
    this.#sep = true;
    if (key === null) return;
    if (typeof key === "string") key = jsonKey(key);
    if (this.#pretty) {
      this.#indent();
      o.bytes(key.pretty);
    } else o.bytes(key.compact);
  }

  /** A string member (or array element when `key` is null). */
  string(key: JsonKey | string | null, value: string): void {
    if (needsEscape(value)) {
      this.key(key);
      this.#o.str(quote(value));
    } else this.plain(key, value);
  }

  /** A member written as given: `true`, `null`, a number's text, … */
  raw(key: JsonKey | string | null, json: string): void {
    this.key(key);
    this.#o.str(json);
  }

  /** An unsigned integer member. */
  uint(key: JsonKey | string | null, value: number): void {
    this.key(key);
    this.#o.uint(value);
  }

  /**
   * A string member with nothing to escape (an address, a number's text):
   * written as is, its first `end` characters when given.
   */
  plain(key: JsonKey | string | null, value: string, end: number = value.length): void {
    // Compact output, the bulk of big listings: separator, key and quotes in one copy with the value.
    const open = key !== null && typeof key !== "string" && !this.#pretty ? key.open : undefined;
    if (open !== undefined) {
      this.#o.field(open[this.#sep ? 1 : 0], value, '"', end);
      this.#sep = true;
      return;
    }
    this.key(key);
    this.#o.field('"', value, '"', end);
  }

  /** Opens a nested object (named, or as an array element). */
  openObject(key: JsonKey | string | null = null): void {
    this.key(key);
    this.#o.byte(123);
    this.#depth++;
    this.#sep = false;
  }

  /** Closes the innermost object. */
  closeObject(): void {
    this.#depth--;
    if (this.#sep && this.#pretty) this.#indent();
    this.#o.byte(125);
    this.#sep = true;
  }

  /** Opens a named array. */
  openArray(key: JsonKey | string): void {
    this.key(key);
    this.#o.byte(91);
    if (this.#pretty) this.#o.byte(32);
    this.#depth++;
    this.#sep = false;
  }

  /** Closes the innermost array. */
  closeArray(): void {
    if (this.#pretty && this.#sep) this.#o.byte(32);
    this.#depth--;
    this.#o.byte(93);
    this.#sep = true;
  }

  /** Closes the object opened by {@linkcode JsonBytes.begin}. */
  end(): void {
    this.closeObject();
  }
}
