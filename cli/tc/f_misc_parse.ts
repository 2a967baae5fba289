/**
 * The words of the filters bpf, basic, cgroup and flow (as f_bpf.c,
 * f_basic.c, f_cgroup.c, f_flow.c read them), into the library's typed
 * filter options; ematch expressions (`match …`) through the library's parseEmatch.
 *
 * @module
 */
import { ValidationError } from "@nlink/nlink/core";
import { type BpfInstruction, parseEmatch } from "@nlink/nlink/tc";
import { UsageError } from "../common/args.ts";
import { cInt, cUint, illegal, KindWordError, whatIs, type Words } from "./filter_args.ts";
import { commonWord } from "./f_classic_parse.ts";

type Opts = Record<string, unknown>;

const CONNECTIVES = ["and", "or", "&&", "||"];

function count(s: string, c: string): number {
  return s.split(c).length - 1;
}

/**
 * `match EXPR…` (the cursor on `match`): the expression's words — terms
 * joined by and/or, until a complete term is followed by anything else (as
 * tc's ematch grammar ends) — read by the library's ematch parser.
 */
function ematch(w: Words, what = "ematch"): unknown {
  const words: string[] = [];
  w.advance();
  let depth = 0;
  let expectTerm = true;
  while (w.more) {
    const word = w.word!;
    if (depth === 0 && !expectTerm) {
      if (!CONNECTIVES.includes(word)) break;
      expectTerm = true;
    } else {
      depth += count(word, "(") - count(word, ")");
      if (depth <= 0) {
        depth = 0;
        expectTerm = word === "not" || word === "!";
      }
    }
    words.push(word);
    w.advance();
  }
  try {
    return parseEmatch(words);
  } catch (e) {
    if (e instanceof ValidationError) throw new UsageError(`${e.message}\nIllegal "${what}"`, 1);
    throw e;
  }
}

/**
 * A `bytecode-file`'s text as the `bytecode` string tc reads from it
 * (bpf_parse_string): newlines become commas, runs of blanks one blank,
 * leading blanks dropped; a trailing comma is dropped (tc stops after the
 * count it read first).
 *
 * @example
 * ```ts ignore
 * readBytecodeFile("/tmp/prog.bpf", "Unable to parse bpf command line"); // "1,6 0 0 0"
 * ```
 */
export function readBytecodeFile(path: string, failure: string): string {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "No such file or directory" : String(e);
    console.error(`Cannot fopen: ${why}`);
    throw new UsageError(failure, 1);
  }
  let out = "";
  let prev = " ";
  for (const c of text) {
    if (c === "\n") {
      if (prev !== ",") out += ",";
      prev = ",";
    } else if (c === " " || c === "\t") {
      if (prev !== " ") out += c;
      prev = " ";
    } else {
      out += c;
      prev = c;
    }
  }
  return out.replace(/,+$/, "");
}

/** One instruction as sscanf's `%hu %hhu %hhu %u` reads it: four numbers, each after optional white space. */
const INSTRUCTION = /^\s*([+-]?\d+)(?:\s+|(?=[+-]))([+-]?\d+)(?:\s+|(?=[+-]))([+-]?\d+)(?:\s+|(?=[+-]))([+-]?\d+)/;

/** A number read by `%hu`/`%hhu`/`%u`: wrapped to the width, as C stores it. */
function wrap(text: string, bits: number): number {
  const m = 1n << BigInt(bits);
  return Number(((BigInt(text) % m) + m) % m);
}

/**
 * A `bytecode` text (`N,code jt jf k,…`) read as tc reads it
 * (bpf_parse_ops): its instructions, or why tc refuses it as its message
 * ("" when it says nothing).
 *
 * @example
 * ```ts
 * import { parseBytecode } from "./f_misc_parse.ts";
 * parseBytecode("1,6 0 0 0"); // [{ code: 6, jt: 0, jf: 0, k: 0 }]
 * parseBytecode("1,6,0,0,0"); // "Error at instruction 0!"
 * ```
 */
export function parseBytecode(text: string): BpfInstruction[] | string {
  const head = /^\s*([+-]?\d+),/.exec(text);
  if (!head) return "";
  const length = wrap(head[1], 16);
  if (length === 0 || length > 4096) return "";
  const out: BpfInstruction[] = [];
  for (let at = text.indexOf(","); at >= 0 && at + 1 < text.length; at = text.indexOf(",", at + 1)) {
    if (out.length >= length) return "Real program length exceeds encoded length parameter!";
    const m = INSTRUCTION.exec(text.slice(at + 1));
    if (!m) return `Error at instruction ${out.length}!`;
    out.push({ code: wrap(m[1], 16), jt: wrap(m[2], 8), jf: wrap(m[3], 8), k: wrap(m[4], 32) });
  }
  return out.length === length ? out : "Parsed program length is less than encoded length parameter!";
}

/** A filter's `bytecode` text as instructions; tc's message and `Unable to parse bpf command line` when refused. */
function filterBytecode(text: string): BpfInstruction[] {
  const ops = parseBytecode(text);
  if (typeof ops !== "string") return ops;
  throw new UsageError(`${ops ? ops + "\n" : ""}Unable to parse bpf command line`, 1);
}

/** bpf: `bytecode CODE | pinned PATH`, `[classid C] [da] [skip_hw|skip_sw] [action …]`. */
export function parseBpf(w: Words): Opts {
  const o: Opts = { kind: "bpf" };
  while (w.more) {
    if (w.abbrev("classid") || w.abbrev("flowid")) o.classid = w.value();
    else if (w.abbrev("direct-action") || w.abbrev("da")) o.directAction = true;
    else if (w.abbrev("skip_hw")) o.skipHw = true;
    else if (w.abbrev("skip_sw")) o.skipSw = true;
    else if (commonWord(w, o)) continue;
    else if (w.abbrev("help")) throw new KindWordError("");
    else {
      if (w.abbrev("run")) w.value();
      if (w.is("bytecode") || w.is("bc")) {
        if (o.bytecode !== undefined) throw new UsageError(`Error: duplicate "run": "${w.word}" is the second value.`);
        o.bytecode = filterBytecode(w.value());
      } else if (w.is("object-pinned") || w.is("pinned") || w.is("fd")) o.pinned = w.value();
      else if (w.is("bytecode-file") || w.is("bcf")) {
        if (o.bytecode !== undefined) throw new UsageError(`Error: duplicate "run": "${w.word}" is the second value.`);
        o.bytecode = filterBytecode(readBytecodeFile(w.value(), "Unable to parse bpf command line"));
      } else if (["object-file", "obj"].includes(w.word!)) {
        // Loading an eBPF ELF object needs an ELF loader and the bpf syscall: not here.
        throw new UsageError(`nlink: "bpf ${w.word}" is not supported (load the program and pin it)`, 1);
      } else {
        console.error(`What mode is "${w.word}"?`);
        throw new UsageError("Unable to parse bpf command line", 1);
      }
    }
    w.advance();
  }
  return o;
}

/** basic: `[match EMATCH] [classid C] [action …]`. */
export function parseBasic(w: Words): Opts {
  const o: Opts = { kind: "basic" };
  while (w.more) {
    if (w.abbrev("match")) o.ematches = ematch(w);
    else if (commonWord(w, o)) continue;
    else throw whatIs(w);
  }
  return o;
}

/** cgroup: `[match EMATCH] [police …] [action …]`. */
export function parseCgroup(w: Words): Opts {
  const o: Opts = { kind: "cgroup" };
  while (w.more) {
    if (w.abbrev("match")) {
      o.ematches = ematch(w);
      continue;
    }
    if (w.abbrev("action") || w.abbrev("police")) {
      commonWord(w, o);
      continue;
    }
    if (w.is("help")) throw new KindWordError("");
    throw whatIs(w);
  }
  return o;
}

/** flow: `map|hash keys K,… [and|or|xor|rshift|addend N] [divisor N] [baseclass C] [perturb S] [action …]`. */
export function parseFlow(w: Words): Opts {
  const o: Opts = { kind: "flow" };
  const u32 = (key: string) => {
    const v = w.value();
    const n = cUint(v, 0);
    if (n === undefined) throw illegal(key);
    o[key] = n;
  };
  while (w.more) {
    if (w.abbrev("map")) o.mode = "map";
    else if (w.abbrev("hash")) o.mode = "hash";
    else if (w.abbrev("keys")) o.keys = w.value().split(",");
    else if (w.abbrev("and")) u32("and");
    else if (w.abbrev("or")) u32("or");
    else if (w.abbrev("xor")) u32("xor");
    else if (w.abbrev("rshift")) u32("rshift");
    else if (w.abbrev("addend")) {
      const v = w.value();
      o.addend = cInt(v, 0, -0xffffffff, 0xffffffff) ?? v;
    } else if (w.abbrev("divisor")) u32("divisor");
    else if (w.abbrev("baseclass")) o.baseclass = w.value();
    else if (w.abbrev("perturb")) u32("perturb");
    else if (w.abbrev("match")) {
      o.ematches = ematch(w);
      continue;
    } else if (w.abbrev("action") || w.abbrev("police")) {
      commonWord(w, o);
      continue;
    } else if (w.abbrev("help")) throw new KindWordError("");
    else throw whatIs(w);
    w.advance();
  }
  return o;
}
