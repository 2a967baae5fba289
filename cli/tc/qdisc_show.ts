/**
 * `tc qdisc show` (tc_qdisc.c's tc_qdisc_list and print_qdisc): one dump
 * through the library, each qdisc printed as tc prints it.
 *
 * @module
 */
import type { MessageView } from "@nlink/nlink";
import { decodeQdisc, type Qdisc, qdiscDumpRequest } from "@nlink/nlink/tc";
import { invalidArgument, UsageError } from "../common/args.ts";
import { Kind, type Printer } from "../common/output.ts";
import { Color } from "../common/color.ts";
import { LinkCache } from "../ip/links.ts";
import { connect, printer, type TcCliContext } from "./context.ts";
import { qdiscKindCli } from "./q_kinds.ts";
import { isWord as isWordPrefix, kindContext } from "./q_types.ts";
import { QDISC_USAGE, tcClassId } from "./qdisc_parse.ts";
import { classId, handleNumber, linklayerName, printStats, qdiscId } from "./tc_print.ts";

/** A decoded qdisc and its handles as numbers (for the show filters). */
interface QdiscRow {
  q: Qdisc;
  handle: number;
  parent: number;
}

/**
 * Prints one qdisc as tc's print_qdisc does (the JSON object of one list item);
 * `deleted` (tc monitor) marks a removal.
 *
 * @example
 * ```ts ignore
 * printQdisc(p, ctx, q, (i) => links.name(i));
 * ```
 */
export function printQdisc(
  p: Printer,
  ctx: TcCliContext,
  q: Qdisc,
  devName: ((index: number) => string) | undefined,
  deleted = false,
): void {
  const handle = handleNumber(q.handle);
  const parent = handleNumber(q.parent);
  p.openObject();
  if (deleted) p.bool(Kind.Any, "deleted", "deleted ", true);
  p.string(Kind.Any, "kind", "qdisc %s", q.kind);
  p.string(Kind.Any, "handle", " %s", qdiscId(handle));
  if (ctx.raw) p.printf("[%08x]", handle);
  p.printf(" ");
  if (devName) {
    p.printf("dev ");
    p.colorString(Kind.Any, Color.Ifname, "dev", "%s ", devName(q.ifindex));
  }
  if (parent === 0xffffffff) p.bool(Kind.Any, "root", "root ", true);
  else if (parent) p.string(Kind.Any, "parent", "parent %s ", classId(parent));
  if (q.info !== 1) p.uint(Kind.Any, "refcnt", "refcnt %u ", q.info);
  if (q.hwOffload) p.bool(Kind.Any, "offloaded", "offloaded ", true);
  if (q.ingressBlock) p.uint(Kind.Any, "ingress_block", "ingress_block %u ", q.ingressBlock);
  if (q.egressBlock) p.uint(Kind.Any, "egress_block", "egress_block %u ", q.egressBlock);
  // pfifo_fast prints as prio (the same layout)
  const cli = qdiscKindCli(q.kind === "pfifo_fast" ? "prio" : q.kind);
  const kctx = kindContext(ctx);
  p.openObject("options");
  if (q.options !== undefined) {
    if (cli?.print) cli.print(p, q.options, kctx, q.kind);
    else if (cli === undefined && q.options instanceof Uint8Array && q.options.length) {
      p.printf("[Unknown qdisc, optlen=%u] ", q.options.length);
    }
  }
  p.closeObject();
  p.nl();
  if (ctx.details && q.stab) {
    const s = (q.stab as { base?: Record<string, number | string> }).base;
    if (s) {
      p.openObject("stab");
      p.printf(" ");
      if (s.linklayer) p.string(Kind.Any, "linklayer", "linklayer %s ", linklayerName(s.linklayer));
      if (s.overhead) p.int(Kind.Any, "overhead", "overhead %d ", s.overhead as number);
      if (s.mpu) p.uint(Kind.Any, "mpu", "mpu %u ", s.mpu as number);
      if (s.mtu) p.uint(Kind.Any, "mtu", "mtu %u ", s.mtu as number);
      if (s.tsize) p.uint(Kind.Any, "tsize", "tsize %u ", s.tsize as number);
      p.closeObject();
    }
    p.nl();
  }
  if (ctx.stats) {
    if (q.stats || q.xstats !== undefined) {
      if (q.stats) printStats(p, q.stats, " ", ctx.iec);
      p.nl();
    }
    if (q.xstats !== undefined && cli?.printXstats && !(q.xstats instanceof Uint8Array)) {
      cli.printXstats(p, q.xstats, kctx, q.kind);
      p.nl();
    }
  }
  p.closeObject();
}

/**
 * Runs `tc qdisc show ARGS…`.
 *
 * @example
 * ```ts ignore
 * await showQdiscs(ctx, ["dev", "p0"]);
 * ```
 */
export async function showQdiscs(ctx: TcCliContext, args: string[]): Promise<number> {
  let dev: string | undefined;
  let filterParent = 0;
  let filterHandle = 0;
  let invisible = false;
  const already = (w: string) => {
    if (filterParent) throw invalidArgument("parent is already specified", w);
    if (filterHandle) throw invalidArgument("handle is already specified", w);
  };
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (w === "dev") dev = next();
    else if (w === "root") {
      already(w);
      filterParent = 0xffffffff;
    } else if (w === "ingress" || w === "clsact") {
      already(w);
      filterParent = 0xfffffff1;
    } else if (isWordPrefix(w, "parent")) {
      already(w);
      const v = next();
      const h = tcClassId(v);
      if (h === undefined) throw invalidArgument("invalid parent ID", v);
      filterParent = h;
    } else if (isWordPrefix(w, "handle")) {
      already(w);
      const v = next();
      const m = /^(?:0[xX])?([0-9a-fA-F]+)(:.*)?$/.exec(v);
      const h = v === "none" ? 0 : m && parseInt(m[1], 16) < 0x10000 ? parseInt(m[1], 16) * 0x10000 : undefined;
      if (h === undefined) throw invalidArgument("invalid handle ID", v);
      filterHandle = h;
    } else if (isWordPrefix(w, "help")) throw new UsageError(QDISC_USAGE, 255);
    else if (w === "invisible") invisible = true;
    else throw new UsageError(`What is "${w}"? Try "tc qdisc help".`);
  }
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  let index = 0;
  if (dev !== undefined) {
    index = links.index(dev);
    if (!index) throw new UsageError(`Cannot find device "${dev}"`, 1);
  }
  const rows = await conn.dump(qdiscDumpRequest(index, invisible), (m: MessageView): QdiscRow | undefined => {
    if (m.type !== 36) return undefined;
    const q = decodeQdisc(m);
    return { q, handle: handleNumber(q.handle), parent: handleNumber(q.parent) };
  }, "getQdiscs");
  const p = printer(ctx);
  p.startList();
  for (const r of rows) {
    if (index && r.q.ifindex !== index) continue;
    if (filterHandle && filterHandle !== r.handle) continue;
    if (filterParent && filterParent !== r.parent) continue;
    printQdisc(p, ctx, r.q, index ? undefined : (i) => links.name(i));
  }
  p.endList();
  p.flush();
  return 0;
}
