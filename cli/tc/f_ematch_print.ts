/**
 * Ematch trees as tc prints them (m_ematch.c's print_ematch and the em_*.c
 * print functions): the library's typed tree is turned back into the
 * sequences it came from (the tree has one shape per sequence), and each
 * sequence is printed with `AND`/`OR`/`NOT`, containers in parentheses
 * indented two spaces per level. tc prints these with plain fprintf: text
 * mode only here.
 *
 * @module
 */
import type { Printer } from "../common/output.ts";

type Node = Record<string, unknown>;

interface Item {
  invert: boolean;
  leaf?: Node;
  children?: Item[];
  rel: "and" | "or" | "end";
}

const isLeaf = (x: Node) => "kind" in x;

/** The sequence a node stands for: an `and`/`or` list continues into an `and`/`or` in its last place. */
function sequence(x: Node): Item[] {
  for (const rel of ["and", "or"] as const) {
    const list = x[rel] as Node[] | undefined;
    if (list === undefined) continue;
    const items: Item[] = [];
    list.forEach((e, i) => {
      if (i < list.length - 1) items.push({ ...term(e), rel });
      else if ("and" in e || "or" in e) items.push(...sequence(e));
      else items.push({ ...term(e), rel: "end" });
    });
    return items;
  }
  return [{ ...term(x), rel: "end" }];
}

function term(x: Node): { invert: boolean; leaf?: Node; children?: Item[] } {
  if (isLeaf(x)) return { invert: false, leaf: x };
  if ("not" in x) {
    const inner = x.not as Node;
    if (isLeaf(inner)) return { invert: true, leaf: inner };
    if ("group" in inner) return { invert: true, children: sequence(inner.group as Node) };
    return { invert: true, children: sequence(inner) };
  }
  if ("group" in x) return { invert: false, children: sequence(x.group as Node) };
  return { invert: false, children: sequence(x) };
}

const LAYERS: Record<string, number> = { link: 0, network: 1, transport: 2 };
const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
const printable = (c: number) => c >= 0x20 && c < 0x7f;

function bytesOf(x: unknown): Uint8Array {
  return x instanceof Uint8Array ? x : new TextEncoder().encode(String(x));
}

/** A meta operand: a value (int or bytes) or a meta id with shift and mask. */
function metaObject(x: unknown): string {
  if (typeof x === "number") return String(x | 0);
  if (typeof x === "string" || x instanceof Uint8Array) {
    const b = bytesOf(x);
    if (b.every(printable)) return String.fromCharCode(...b);
    return Array.from(b, (c) => c.toString(16).padStart(2, "0")).join("");
  }
  const o = x as { id: string | number; shift?: number; mask?: number };
  let s = typeof o.id === "number" ? `[unknown meta id ${o.id}]` : o.id;
  if (o.shift) s += ` shift ${o.shift}`;
  if (o.mask) s += ` mask 0x${hex8(o.mask)}`;
  return s;
}

/** One match's text inside `kind(…)`. */
function leafText(m: Node): string {
  switch (m.kind) {
    case "cmp": {
      let s = m.size ? `${m.size} ` : "";
      s += `at ${m.offset} layer ${LAYERS[m.layer as string] ?? m.layer} `;
      if (m.mask) s += `mask 0x${((m.mask as number) >>> 0).toString(16)} `;
      if (m.trans) s += "trans ";
      if (m.op) s += `${m.op} `;
      return s + String((m.value as number) | 0);
    }
    case "u32":
      return `${hex8(m.value as number)}/${hex8(m.mask as number)} at ${m.nexthdr ? "nexthdr+" : ""}${m.offset}`;
    case "nbyte": {
      const b = bytesOf(m.needle);
      const hex = Array.from(b, (c) => c.toString(16).padStart(2, "0") + " ").join("");
      const text = Array.from(b, (c) => (printable(c) ? String.fromCharCode(c) : ".")).join("");
      return `${hex}"${text}" at ${m.offset} layer ${LAYERS[m.layer as string] ?? m.layer}`;
    }
    case "meta":
      return `${metaObject(m.left)} ${m.op} ${metaObject(m.right)}`;
    default:
      return "";
  }
}

function printSequence(p: Printer, items: Item[], prefix: number): void {
  const pad = (n: number) => "  ".repeat(Math.max(n, 0));
  for (const item of items) {
    if (item.invert) p.write("NOT ");
    if (item.children) {
      p.write(`(\n${pad(prefix + 1)}`);
      printSequence(p, item.children, prefix + 1);
      p.write(`${pad(prefix)}) `);
    } else {
      const m = item.leaf!;
      if (m.kind === "raw") p.write(`[unknown ematch ${m.matchKind}]\n`);
      else p.write(`${m.kind}(${leafText(m)})\n`);
      if (item.rel !== "end") p.write(pad(prefix));
    }
    if (item.rel === "and") p.write("AND ");
    else if (item.rel === "or") p.write("OR ");
    else return;
  }
}

/**
 * Prints an ematch tree (the `ematches` option of basic, cgroup and flow).
 *
 * @example
 * ```ts ignore
 * printEmatch(p, { kind: "meta", left: { id: "priority" }, op: "eq", right: 5 });
 * // "\n  meta(priority eq 5)\n"
 * ```
 */
export function printEmatch(p: Printer, tree: unknown): void {
  if (tree instanceof Uint8Array || tree === null || typeof tree !== "object") return;
  p.write("\n  ");
  printSequence(p, sequence(tree as Node), 1);
}
