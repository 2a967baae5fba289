/**
 * `tc class show` (tc_class.c's tc_class_list, print_class and, with `-g`,
 * the class graph). tc prints classes as text even with `-j`.
 *
 * @module
 */
import type { MessageView } from "@nlink/nlink";
import { classDumpRequest, decodeClass, type TcClass } from "@nlink/nlink/tc";
import { invalidArgument, UsageError } from "../common/args.ts";
import { Printer } from "../common/output.ts";
import { LinkCache } from "../ip/links.ts";
import { CLASS_USAGE } from "./class_parse.ts";
import { connect, type TcCliContext } from "./context.ts";
import { qdiscKindCli } from "./q_kinds.ts";
import { isWord, kindContext } from "./q_types.ts";
import { tcClassId } from "./qdisc_parse.ts";
import { classId, handleNumber, printStats } from "./tc_print.ts";

/** A decoded class and its ids as numbers. */
export interface ClassRow {
  c: TcClass;
  handle: number;
  parent: number;
}

/**
 * Prints one class as print_class does; `deleted` (tc monitor) marks a removal.
 *
 * @example
 * ```ts ignore
 * printClass(p, ctx, { c, handle: 0x10010, parent: 0x10000 }, 0, (i) => links.name(i));
 * ```
 */
export function printClass(
  p: Printer,
  ctx: TcCliContext,
  r: ClassRow,
  filterQdisc: number,
  devName: ((index: number) => string) | undefined,
  deleted = false,
): void {
  const { c } = r;
  if (deleted) p.printf("deleted ");
  const id = r.handle ? classId(filterQdisc ? r.handle & 0xffff : r.handle) : "";
  p.printf("class %s %s ", c.kind, id);
  if (devName) p.printf("dev %s ", devName(c.ifindex));
  if (r.parent === 0xffffffff) p.printf("root ");
  else p.printf("parent %s ", classId(filterQdisc ? r.parent & 0xffff : r.parent));
  if (c.info) p.printf("leaf %x: ", c.info >>> 16);
  const cli = qdiscKindCli(c.kind);
  const kctx = kindContext(ctx);
  if (c.options !== undefined) {
    if (cli?.printClass) cli.printClass(p, c.options, kctx, c.kind);
    else console.error("[cannot parse class parameters]");
  }
  p.printf("\n");
  if (ctx.stats) {
    if (c.stats) {
      printStats(p, c.stats, " ", ctx.iec);
      p.printf("\n");
    }
    if (c.xstats !== undefined && cli?.printXstats && !(c.xstats instanceof Uint8Array)) {
      cli.printXstats(p, c.xstats, kctx, c.kind);
      p.printf("\n");
    }
  }
}

/** A node of the class graph, linked as tc links its graph_node (next = the following sibling). */
interface GraphNode {
  row: ClassRow;
  next: GraphNode | undefined;
  parentNode: GraphNode | undefined;
  rightNode: GraphNode | undefined;
  nodesCount: number;
}

/** What a freed node's `next` reads as (see graphShow). */
const FREED = {} as GraphNode;

/** tc's graph_indent: the "|    " columns of the node's ancestors, and the newline marker. */
function graphIndent(node: GraphNode, newline: boolean, spaces: number): string {
  let buf = "";
  let n: GraphNode | undefined = node;
  while (n?.parentNode) {
    n.parentNode.rightNode = n;
    n = n.parentNode;
  }
  while (n?.rightNode) {
    buf += n.next ? "|    " : "     ";
    n = n.rightNode;
  }
  if (newline && n) {
    if (n.next && n.nodesCount) buf += "|    |";
    else if (n.next) buf += "|     ";
    else if (n.nodesCount) buf += "     |";
    else buf += "      ";
  }
  if (spaces > 0) buf += " ".repeat(spaces);
  return buf;
}

/** Links a list of nodes (in order) through `next`. */
function link(list: GraphNode[]): void {
  for (let i = 0; i < list.length; i++) list[i].next = list[i + 1];
}

/** tc's graph_cls_show: each root node, its children found in `rest`, recursively. */
function graphShow(p: Printer, ctx: TcCliContext, roots: GraphNode[], rest: GraphNode[]): void {
  link(roots);
  for (const cls of roots) {
    const children: GraphNode[] = [];
    for (let i = 0; i < rest.length;) {
      const child = rest[i];
      if (cls.row.handle === child.row.parent) {
        rest.splice(i, 1);
        children.unshift(child);
        cls.nodesCount++;
        child.parentNode = cls;
      } else i++;
    }
    let buf = graphIndent(cls, false, 0);
    const id = classId(cls.row.handle);
    buf += `+---(${id})`;
    const c = cls.row.c;
    buf += ` ${c.kind} `;
    p.printf("%s", buf);
    buf = "";
    const cli = qdiscKindCli(c.kind);
    if (cli?.printClass && c.options !== undefined) cli.printClass(p, c.options, kindContext(ctx), c.kind);
    if (ctx.stats) {
      buf = graphIndent(cls, true, c.kind.length - 2 + id.length);
      if (c.stats) {
        p.printf("\n");
        printStats(p, c.stats, buf, ctx.iec);
        buf = "";
      }
      if (cls.next || cls.nodesCount) buf += "\n" + graphIndent(cls, true, 0);
    }
    p.printf("%s\n", buf);
    graphShow(p, ctx, children, rest);
    buf = cls.next ? "" : graphIndent(cls, false, 0) + "\n";
    p.printf("%s", buf);
    // tc frees the node here but later walks still reach it through a stale right_node, and then read
    // its list link as the allocator's free-list pointer: never null. Keep that, for the same lines.
    cls.next = FREED;
  }
}

/**
 * Runs `tc class show ARGS…`.
 *
 * @example
 * ```ts ignore
 * await showClasses(ctx, ["dev", "p0"]);
 * ```
 */
export async function showClasses(ctx: TcCliContext, args: string[]): Promise<number> {
  let dev: string | undefined;
  let filterQdisc = 0;
  let filterClassid = 0;
  let parent = 0;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    const dup = (v: string) => new UsageError(`Error: duplicate "${w}": "${v}" is the second value.`);
    if (w === "dev") {
      const v = next();
      if (dev !== undefined) throw dup(v);
      dev = v;
    } else if (w === "qdisc") {
      const v = next();
      if (filterQdisc) throw dup(v);
      const m = /^(?:0[xX])?([0-9a-fA-F]+)(:.*)?$/.exec(v);
      const h = v === "none" ? 0 : m && parseInt(m[1], 16) < 0x10000 ? parseInt(m[1], 16) * 0x10000 : undefined;
      if (h === undefined) throw invalidArgument("invalid qdisc ID", v);
      filterQdisc = h;
    } else if (w === "classid") {
      const v = next();
      if (filterClassid) throw dup(v);
      const h = tcClassId(v);
      if (h === undefined) throw invalidArgument("invalid class ID", v);
      filterClassid = h;
    } else if (w === "root") {
      if (parent) throw new UsageError('Error: "root" is duplicate parent ID');
      parent = 0xffffffff;
    } else if (w === "parent") {
      if (parent) throw dup(args[i + 1] ?? w);
      const v = next();
      const h = tcClassId(v);
      if (h === undefined) throw invalidArgument("invalid parent ID", v);
      parent = h;
    } else if (isWord(w, "help")) throw new UsageError(CLASS_USAGE, 255);
    else throw new UsageError(`What is "${w}"? Try "tc class help".`);
  }
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  let index = 0;
  if (dev !== undefined) {
    index = links.index(dev);
    if (!index) throw new UsageError(`Cannot find device "${dev}"`, 1);
  }
  const rows = await conn.dump(classDumpRequest(index, parent), (m: MessageView): ClassRow | undefined => {
    if (m.type !== 40) return undefined;
    const c = decodeClass(m);
    return { c, handle: handleNumber(c.handle), parent: handleNumber(c.parent) };
  }, "getClasses");
  const p = new Printer({ json: false, pretty: false });
  if (ctx.graph) {
    const nodes = rows.map((row): GraphNode => ({
      row,
      next: undefined,
      parentNode: undefined,
      rightNode: undefined,
      nodesCount: 0,
    }));
    // tc pushes each node on the front of its list: both lists end up in reverse order
    const roots = nodes.filter((n) => n.row.parent === 0xffffffff).reverse();
    const rest = nodes.filter((n) => n.row.parent !== 0xffffffff).reverse();
    graphShow(p, ctx, roots, rest);
  } else {
    for (const r of rows) {
      if (filterQdisc && (r.handle ^ filterQdisc) >>> 16) continue;
      if (filterClassid && r.handle !== filterClassid) continue;
      printClass(p, ctx, r, filterQdisc, index ? undefined : (i) => links.name(i));
    }
  }
  p.flush();
  return 0;
}
