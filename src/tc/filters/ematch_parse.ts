/**
 * tc(8)'s ematch text (`meta(priority eq 1) and not cmp(u16 at 2 layer
 * network mask 0xff00 gt 3)`) read into the typed tree, in the shape that
 * encodes to the bytes tc(8) sends for the same text.
 *
 * The grammar, as tc(8) reads it: `EXPR := TERM [ { and | or } EXPR ]`,
 * `TERM := [ not ] { KIND '(' ARGS ')' | '(' EXPR ')' }`; `and`, `or`, `not`
 * are keywords in any case, arguments are words or double-quoted strings
 * with C escapes (`"\x01"`, `"\n"`, `"\101"`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type EmatchItem, type EmatchTerm, treeOf } from "./ematch.ts";
import { metaIdInfo } from "./ematch_meta.ts";
import type {
  CanidRule,
  Ematch,
  EmatchLayer,
  EmatchMatch,
  EmatchOp,
  EmatchSize,
  MetaIdOperand,
  MetaOperand,
} from "./ematch_types.ts";

/** A token: a word or quoted string (`arg`), a keyword, or a parenthesis. */
interface Token {
  type: "arg" | "and" | "or" | "not" | "(" | ")";
  /** The text (the string's bytes for a quoted one). */
  text: string;
  /** Quoted strings keep their bytes (escapes may make them non-UTF-8). */
  bytes?: Uint8Array;
}

const FIELD = "ematch";

function bad(token: string, why: string): never {
  throw new ValidationError(FIELD, token, why);
}

const ESCAPES: Readonly<Record<string, number>> = { n: 10, r: 13, t: 9, v: 11, b: 8, f: 12, a: 7 };
const encoder = new TextEncoder();

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")") {
      out.push({ type: c, text: c });
      i++;
    } else if (c === '"') {
      const bytes: number[] = [];
      let j = i + 1;
      for (;;) {
        if (j >= text.length) bad(text.slice(i), "unterminated quoted string");
        const d = text[j];
        if (d === '"') break;
        if (d !== "\\") {
          bytes.push(...encoder.encode(d));
          j++;
          continue;
        }
        const rest = text.slice(j + 1);
        const oct = /^[0-7]{1,3}/.exec(rest);
        const hex = /^x([0-9a-fA-F]{1,2})/.exec(rest);
        if (oct) {
          const n = parseInt(oct[0], 8);
          if (n > 0xff) bad(`\\${oct[0]}`, "octal escape out of range");
          bytes.push(n);
          j += 1 + oct[0].length;
        } else if (/^[89]/.test(rest)) {
          bad(`\\${rest[0]}`, "invalid octal escape");
        } else if (hex) {
          bytes.push(parseInt(hex[1], 16));
          j += 2 + hex[1].length;
        } else if (rest.length > 0) {
          bytes.push(ESCAPES[rest[0]] ?? rest.charCodeAt(0));
          j += 2;
        } else bad(text.slice(i), "unterminated quoted string");
      }
      const b = Uint8Array.from(bytes);
      out.push({ type: "arg", text: new TextDecoder().decode(b), bytes: b });
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s()]/.test(text[j])) j++;
      const word = text.slice(i, j);
      const lower = word.toLowerCase();
      out.push({ type: lower === "and" || lower === "or" || lower === "not" ? lower : "arg", text: word });
      i = j;
    }
  }
  return out;
}

/**
 * Reads tc(8)'s ematch text into the typed tree. Errors are ValidationErrors
 * (field `ematch`) naming the token that is wrong.
 *
 * @example
 * ```ts
 * import { parseEmatch } from "./ematch_parse.ts";
 * parseEmatch("meta(priority eq 1) and not cmp(u16 at 2 layer network mask 0xff00 gt 3)");
 * // { and: [
 * //   { kind: "meta", left: { id: "priority" }, op: "eq", right: 1 },
 * //   { not: { kind: "cmp", size: "u16", offset: 2, layer: "network", mask: 0xff00, op: "gt", value: 3 } },
 * // ] }
 * ```
 */
export function parseEmatch(text: string | readonly string[]): Ematch {
  const tokens = tokenize(typeof text === "string" ? text : text.join(" "));
  if (tokens.length === 0) bad(String(text), "expected an ematch expression");
  let pos = 0;
  const peek = () => tokens[pos];
  const next = (what: string) => tokens[pos++] ?? bad("end of text", `expected ${what}`);

  const expr = (): EmatchItem[] => {
    const items: EmatchItem[] = [];
    for (;;) {
      const term = termAt();
      const t = peek();
      if (t?.type === "and" || t?.type === "or") {
        pos++;
        items.push({ term, rel: t.type });
      } else {
        items.push({ term, rel: "end" });
        return items;
      }
    }
  };
  const termAt = (): EmatchTerm => {
    let t = next("a match");
    const invert = t.type === "not";
    if (invert) t = next("a match after not");
    if (t.type === "(") {
      const children = expr();
      const close = next("')'");
      if (close.type !== ")") bad(close.text, "expected ')'");
      return { invert, children };
    }
    if (t.type !== "arg" || t.bytes) bad(t.text, "expected a match name or '('");
    const open = next(`'(' after ${t.text}`);
    if (open.type !== "(") bad(open.text, `expected '(' after ${t.text}`);
    const args: Token[] = [];
    for (let a = next("')'"); a.type !== ")"; a = next("')'")) {
      if (a.type !== "arg") bad(a.text, `unexpected ${a.text} inside ${t.text}(…)`);
      args.push(a);
    }
    if (args.length === 0) bad(`${t.text}()`, "expected arguments");
    return { invert, leaf: leafOf(t.text, args) };
  };

  const items = expr();
  if (pos < tokens.length) bad(tokens[pos].text, "unexpected text after the expression");
  return treeOf(items);
}

/** strtoul(3) with base 0: decimal, 0x hexadecimal, 0 octal; the whole word must be the number. */
function num(t: Token | undefined, what: string, max = 0xffffffff): number {
  if (t === undefined) bad("end of arguments", `expected ${what}`);
  const s = t.text;
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(s)) n = parseInt(s.slice(2), 16);
  else if (/^0[0-7]*$/.test(s)) n = parseInt(s, 8);
  else if (/^[1-9]\d*$/.test(s)) n = Number(s);
  else bad(s, `expected ${what} (a number)`);
  if (n > max) bad(s, `${what} is at most ${max}`);
  return n;
}

/** tc(8) reads a layer by its first letter (l, n, t) or as a number 0..2. */
function layer(t: Token | undefined): EmatchLayer {
  if (t === undefined) bad("end of arguments", "expected a layer");
  const byLetter = ({ l: "link", n: "network", t: "transport" } as const)[t.text[0] as "l"];
  if (byLetter) return byLetter;
  return (["link", "network", "transport"] as const)[num(t, "a layer", 2)];
}

function size(t: Token, kind: string): EmatchSize {
  if (t.text === "u8" || t.text === "u16" || t.text === "u32") return t.text;
  bad(t.text, `${kind}: expected u8, u16 or u32`);
}

function op(t: Token | undefined): EmatchOp | undefined {
  return t && (t.text === "eq" || t.text === "gt" || t.text === "lt") ? t.text : undefined;
}

function leafOf(kind: string, args: Token[]): EmatchMatch {
  switch (kind) {
    case "cmp":
      return cmp(args);
    case "u32":
      return u32(args);
    case "meta":
      return meta(args);
    case "nbyte":
      return nbyte(args);
    case "canid":
      return canid(args);
    case "ipset":
      return ipset(args);
    case "ipt":
      bad(kind, 'nlink does not parse xtables match options: give { kind: "ipt", match, data } instead');
      break;
    default:
      bad(kind, "unknown ematch (expected cmp, u32, meta, nbyte, canid, ipset or ipt)");
  }
}

function cmp(args: Token[]): EmatchMatch {
  const sz = size(args[0], "cmp");
  let offset: number | undefined, value: number | undefined, o: EmatchOp | undefined;
  let lay: EmatchLayer = "network", mask = 0, trans = false;
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a.text === "at") offset = num(args[++i], "an offset", 0xffff);
    else if (a.text === "layer") lay = layer(args[++i]);
    else if (a.text === "mask") mask = num(args[++i], "a mask");
    else if (a.text === "trans") trans = true;
    else if (op(a)) {
      o = op(a);
      value = num(args[++i], "a value");
    } else bad(a.text, "cmp: unknown parameter");
  }
  if (offset === undefined || value === undefined) {
    bad(`cmp(${args.map((a) => a.text).join(" ")})`, "cmp: needs at OFFSET and eq|gt|lt VALUE");
  }
  return {
    kind: "cmp",
    size: sz,
    offset,
    layer: lay,
    ...(mask !== 0 ? { mask } : {}),
    op: o!,
    value,
    ...(trans ? { trans } : {}),
  };
}

function u32(args: Token[]): EmatchMatch {
  const sz = size(args[0], "u32");
  const value = num(args[1], "a value");
  const mask = num(args[2], "a mask");
  if (args[3]?.text !== "at") bad(args[3]?.text ?? "end of arguments", 'u32: expected "at"');
  let i = 4;
  let nexthdr = false;
  let offset: number;
  const at = args[i];
  if (at === undefined) bad("end of arguments", "u32: expected an offset");
  if (at.text.startsWith("nexthdr+") && at.text.length > 8) {
    nexthdr = true;
    offset = num({ type: "arg", text: at.text.slice(8) }, "an offset", 0x7fffffff);
  } else if (at.text === "nexthdr+") {
    // tc(8) 6.1 forgets the next-header flag when the offset is a separate word (`nexthdr+ 4`).
    offset = num(args[++i], "an offset", 0x7fffffff);
  } else offset = num(at, "an offset", 0x7fffffff);
  if (args[i + 1]) bad(args[i + 1].text, "u32: unexpected trailer");
  return { kind: "u32", size: sz, value, mask, offset, ...(nexthdr ? { nexthdr } : {}) };
}

/** One meta operand and the index after it. */
function metaObject(args: Token[], i: number): [MetaOperand, number] {
  const a = args[i];
  if (a.bytes) return [a.bytes, i + 1];
  if (/^(0x[0-9a-f]+|\d+)$/i.test(a.text)) return [num(a, "a value"), i + 1];
  const info = metaIdInfo(a.text);
  if (!info) bad(a.text, "meta: unknown meta id");
  const o: MetaIdOperand = { id: info.name };
  for (i++; i < args.length; i++) {
    if (args[i].text === "shift") o.shift = num(args[++i], "a shift", 255);
    else if (args[i].text === "mask") o.mask = num(args[++i], "a mask");
    else break;
  }
  return [o, i];
}

function meta(args: Token[]): EmatchMatch {
  if (args[0].text === "list") bad("list", "meta(list) prints tc's table; see metaIdNames()");
  const [left, i] = metaObject(args, 0);
  const o = op(args[i]);
  if (!o) bad(args[i]?.text ?? "end of arguments", "meta: expected eq, gt or lt");
  if (args[i + 1] === undefined) bad("end of arguments", "meta: missing right operand");
  const [right, j] = metaObject(args, i + 1);
  if (j < args.length) bad(args[j].text, "meta: unexpected trailer");
  const sides = tcTypes(textual(left), textual(right));
  return { kind: "meta", left: sides.left, op: o, right: sides.right };
}

/**
 * The operands with the types tc(8) gives them made explicit where nlink
 * would pick others: tc(8) lets an id adopt the other side's type only when
 * the right side is an id, so `dev eq "p0"` compares an integer with bytes
 * (which the kernel refuses), where nlink would compare names.
 */
function tcTypes(left: MetaOperand, right: MetaOperand): { left: MetaOperand; right: MetaOperand } {
  const isId = (o: MetaOperand): o is MetaIdOperand => typeof o === "object" && !(o instanceof Uint8Array);
  if (isId(right) || !isId(left)) return { left, right };
  const first = metaIdInfo(left.id)?.types[0] ?? "int";
  const other = typeof right === "number" ? "int" : "var";
  return { left: first === other ? left : { ...left, type: first }, right };
}

/** Quoted operands as strings when they are printable (as the decoder gives them). */
function textual(o: MetaOperand): MetaOperand {
  if (!(o instanceof Uint8Array)) return o;
  return o.length > 0 && o.every((c) => c >= 0x20 && c < 0x7f) ? new TextDecoder().decode(o) : o;
}

function nbyte(args: Token[]): EmatchMatch {
  const needle = textual(args[0].bytes ?? encoder.encode(args[0].text)) as string | Uint8Array;
  let offset: number | undefined;
  let lay: EmatchLayer = "network";
  for (let i = 1; i < args.length; i++) {
    if (args[i].text === "at") offset = num(args[++i], "an offset", 0xffff);
    else if (args[i].text === "layer") lay = layer(args[++i]);
    else bad(args[i].text, "nbyte: unknown parameter");
  }
  if (offset === undefined) bad(`nbyte(${args.map((a) => a.text).join(" ")})`, "nbyte: needs at OFFSET");
  return { kind: "nbyte", needle, offset, layer: lay };
}

/** tc(8) reads CAN ids and masks as hexadecimal (with or without 0x). */
function hex(s: string, t: string): number {
  if (!/^(0x)?[0-9a-f]{1,8}$/i.test(s)) bad(t, "canid: expected ID[:MASK] in hexadecimal");
  return parseInt(s.replace(/^0x/i, ""), 16);
}

function canid(args: Token[]): EmatchMatch {
  const rules: CanidRule[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const f = args[i].text;
    if (f !== "sff" && f !== "eff") bad(f, "canid: expected sff or eff");
    const spec = args[i + 1]?.text;
    if (spec === undefined) bad("end of arguments", "canid: missing identifier");
    const [id, mask] = spec.split(":");
    rules.push({ format: f, id: hex(id, spec), ...(mask !== undefined ? { mask: hex(mask, spec) } : {}) });
  }
  return { kind: "canid", rules };
}

function ipset(args: Token[]): EmatchMatch {
  const name = args[0].text;
  if (args[1] === undefined) bad(name, "ipset: missing set flags");
  if (args[2]) bad(args[2].text, "ipset: unknown parameter");
  const dirs = args[1].text.split(",").map((d) =>
    d.startsWith("src") ? "src" as const : d.startsWith("dst") ? "dst" as const : bad(d, "ipset: expected src or dst")
  );
  return { kind: "ipset", set: name, dirs };
}
