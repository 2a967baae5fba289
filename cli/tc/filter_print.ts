/**
 * Printing filters and chains as tc does (print_filter): the header words
 * the command did not already fix (dev, parent, protocol, pref, chain), the
 * kind, its options through the kind's printer, and `-s` statistics.
 *
 * @module
 */
import type { Filter } from "@nlink/nlink/tc";
import { Kind, type Printer } from "../common/output.ts";
import { Color } from "../common/color.ts";
import type { ActionPrintContext } from "./action_print.ts";
import { printBpf, printFw, printMatchall } from "./f_misc_print.ts";
import { printFlower } from "./f_flower_print.ts";
import { printBasic, printCgroup, printFlow, printRoute, printRsvp, printTcindex } from "./f_classic_print.ts";
import { printU32 } from "./f_u32_print.ts";
import { classId, handleNumber, printStats } from "./tc_print.ts";

/** What the filter printers need: the action context, `-p`, the filter's protocol. */
export interface FilterPrintContext extends ActionPrintContext {
  /** `-p`. */
  pretty: boolean;
  /** The filter's protocol name (u32 decodes keys by it with `-p`). */
  protocol: string | number;
}

/** A kind's options printer. */
export type FilterPrinter = (p: Printer, o: Record<string, unknown>, handle: number, ctx: FilterPrintContext) => void;

/** Every filter kind's printer, by kind. */
export const FILTER_PRINTERS: Record<string, FilterPrinter> = {
  u32: printU32,
  bpf: printBpf,
  matchall: printMatchall,
  fw: printFw,
  flower: printFlower,
  route: printRoute,
  tcindex: printTcindex,
  rsvp: printRsvp,
  rsvp6: printRsvp,
  basic: printBasic,
  cgroup: printCgroup,
  flow: printFlow,
};

/** What `tc filter show` fixed on its command line (then not printed per filter). */
export interface ShownFilter {
  /** The device's index. */
  ifindex?: number;
  /** The block. */
  block?: number;
  /** The parent handle. */
  parent?: number;
  /** The priority. */
  prio?: number;
  /** The protocol number. */
  protocol?: string | number;
  /** The chain. */
  chain?: number;
}

const TC_H_ROOT = 0xffffffff;
const INGRESS = 0xfffffff2;
const EGRESS = 0xfffffff3;

/** The message kinds print_filter marks: deleted, replaced, added (for monitor and echo). */
export type FilterEvent = "deleted" | "replaced" | "added" | undefined;

/**
 * One filter or chain, as print_filter prints it.
 *
 * @example
 * ```ts ignore
 * printFilter(p, f, ctx, { ifindex: 3 }, (i) => links.name(i));
 * ```
 */
export function printFilter(
  p: Printer,
  f: Filter & { chain?: number },
  ctx: ActionPrintContext & { pretty: boolean },
  shown: ShownFilter,
  devName: (index: number) => string,
  isChain = false,
  event?: FilterEvent,
): void {
  p.openObject();
  if (event !== undefined) p.bool(Kind.Any, event, `${event} `, true);
  p.string(Kind.Text, null, isChain ? "chain " : "filter ", undefined);
  if (f.block !== undefined) {
    if (!shown.block || shown.block !== f.block) p.uint(Kind.Any, "block", "block %u ", f.block);
  } else {
    if (!shown.ifindex || shown.ifindex !== f.ifindex) {
      p.write("dev ");
      p.colorString(Kind.Any, Color.Ifname, "dev", "%s ", devName(f.ifindex));
    }
    const parent = handleNumber(f.parent);
    if (!shown.parent || shown.parent !== parent) {
      if (parent === TC_H_ROOT) p.bool(Kind.Any, "root", "root ", true);
      else if (parent === INGRESS) p.bool(Kind.Any, "ingress", "ingress ", true);
      else if (parent === EGRESS) p.bool(Kind.Any, "egress", "egress ", true);
      else p.string(Kind.Any, "parent", "parent %s ", classId(parent));
    }
  }
  if (!isChain && (f.prio || (f.protocol !== 0 && f.protocol !== undefined))) {
    // A protocol or priority on the command line selects the dump: every filter then has it.
    if (shown.protocol === undefined) {
      if (f.protocol !== 0) p.string(Kind.Any, "protocol", "protocol %s ", String(f.protocol));
    }
    if (!shown.prio) {
      if (f.prio) p.uint(Kind.Any, "pref", "pref %u ", f.prio);
    }
  }
  if (f.kind) p.string(Kind.Any, "kind", "%s ", f.kind);
  if (f.chain !== undefined && (shown.chain === undefined || shown.chain !== f.chain)) {
    p.uint(Kind.Any, "chain", "chain %u ", f.chain);
  }
  if (f.kind && f.options !== undefined) {
    p.openObject("options");
    const printer = FILTER_PRINTERS[f.kind];
    if (printer && !(f.options instanceof Uint8Array)) {
      printer(p, f.options as Record<string, unknown>, f.handle ?? 0, { ...ctx, protocol: f.protocol });
    } else console.error("cannot parse option parameters");
    p.closeObject();
  }
  p.nl();
  if (ctx.stats && f.stats) {
    printStats(p, f.stats, " ", ctx.iec);
    p.nl();
  }
  p.closeObject();
}
