/**
 * A small table-driven reader for the many kinds whose words are simply
 * `KEYWORD VALUE` or a flag: each word maps to an option name and how its
 * value is read; the library's typed options take tc's unit text as is.
 *
 * @module
 */
import type { Args } from "../common/args.ts";
import { readRate, readSize, readTime } from "./q_core.ts";
import { isWord, kindError, type KindOptions, readInt, readUint } from "./q_types.ts";

/** How one word's value is read. */
export type WordSpec =
  | { key: string; type: "uint" | "int" | "hex" | "size" | "bytes" | "rate" | "time" | "text" | "number"; max?: number }
  | { key: string; type: "flag"; value?: unknown }
  | { key: string; type: "list"; read: "uint" | "rate" | "text"; max?: number }
  | { key: string; type: "custom"; read: (a: Args, o: KindOptions) => void };

/** A kind's words: exact words, or prefixes (iproute2's matches()) when `prefix`. */
export interface WordTable {
  /** The kind's name, for messages. */
  kind: string;
  /** Words by their full spelling. */
  words: Record<string, WordSpec>;
  /** Words iproute2 accepts by prefix. */
  prefix?: string[];
  /** The usage text printed after an error. */
  usage?: string;
  /** The message for a word the kind does not know. */
  unknown?: (word: string) => string;
  /**
   * How the kind takes `help`: whole (the default), also abbreviated
   * (`prefix`, as iproute2's matches()), or not at all, as an unknown word
   * (`none`: sfb).
   */
  help?: "prefix" | "none";
  /** The message for a value that does not read. */
  illegal?: (word: string, value: string) => string;
}

function readList(a: Args, read: "uint" | "rate" | "text", max: number): unknown[] {
  const out: unknown[] = [];
  while (a.more) {
    const v = a.peek()!;
    const ok = read === "uint"
      ? readUint(v, 10, max) !== undefined
      : read === "rate"
      ? readRate(v) !== undefined
      : /^\d+@\d+$/.test(v);
    if (!ok) break;
    a.next();
    out.push(read === "uint" ? readUint(v, 10, max) : v);
  }
  return out;
}

/**
 * Reads a kind's words with its table.
 *
 * @example
 * ```ts
 * import { Args } from "../common/args.ts";
 * import { readWords } from "./q_words.ts";
 * readWords(new Args(["limit", "10"]), { kind: "x", words: { limit: { key: "limit", type: "uint" } } }); // { limit: 10 }
 * ```
 */
export function readWords(a: Args, t: WordTable): KindOptions {
  const o: KindOptions = {};
  const unknown = t.unknown ?? ((w: string) => `What is "${w}"?`);
  const illegal = t.illegal ?? ((w: string, v: string) => `Illegal "${w}" "${v}"`);
  while (a.more) {
    const w = a.next()!;
    let spec = t.words[w];
    if (!spec && t.prefix) {
      const full = t.prefix.find((p) => isWord(w, p));
      if (full) spec = t.words[full];
    }
    const usage = t.usage ?? `Usage: ... ${t.kind}`;
    const help = t.help === "prefix" ? isWord(w, "help") : w === "help" && t.help !== "none";
    if (help && !spec) throw kindError(usage);
    if (!spec) throw kindError(unknown(w), usage);
    if (spec.type === "flag") {
      o[spec.key] = spec.value ?? true;
      continue;
    }
    if (spec.type === "custom") {
      spec.read(a, o);
      continue;
    }
    if (spec.type === "list") {
      o[spec.key] = readList(a, spec.read, spec.max ?? 0xffffffff);
      continue;
    }
    const v = a.value(w);
    let value: unknown;
    switch (spec.type) {
      case "uint":
        value = readUint(v, 0, spec.max);
        break;
      case "int":
        value = readInt(v);
        break;
      case "hex":
        value = readUint(v, 16, spec.max) === undefined ? undefined : v;
        break;
      case "size":
        value = readSize(v) === undefined ? undefined : v;
        break;
      case "bytes":
        value = readSize(v);
        break;
      case "rate":
        value = v.includes("%") || readRate(v) !== undefined ? v : undefined;
        break;
      case "time":
        value = readTime(v) === undefined ? undefined : v;
        break;
      case "number":
        value = Number.isFinite(Number(v)) && v.trim() !== "" ? Number(v) : undefined;
        break;
      default:
        value = v;
    }
    if (value === undefined) throw kindError(illegal(w, v), t.usage);
    o[spec.key] = value;
  }
  return o;
}
