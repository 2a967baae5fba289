/**
 * Printing action lists as tc does (tc_dump_action, tc_print_one_action,
 * print_action_control): each action's order and kind's own text (m_*_print
 * printers), its `-s` statistics, cookie, flags and hardware statistics.
 *
 * @module
 */
import type { Action } from "@nlink/nlink/tc";
import { Kind, type Printer } from "../common/output.ts";
import { printStats } from "./tc_print.ts";
import { GENERIC_PRINTERS, genericPrinter } from "./m_generic_print.ts";
import { L2_PRINTERS } from "./m_l2_print.ts";
import { MISC_PRINTERS } from "./m_misc_print.ts";
import { printPolice } from "./m_police_print.ts";
import { TUNNEL_PRINTERS } from "./m_tunnel_print.ts";

/** What an action printer needs besides the action. */
export interface ActionPrintContext {
  /** `-s` count. */
  stats: number;
  /** `-br`. */
  brief: boolean;
  /** `-iec`. */
  iec: boolean;
  /** `-d` count (0 when not given). */
  details?: number;
  /** A device's name by index (undefined when unknown). */
  devName(index: number): string | undefined;
}

/** Prints one kind's options (tc's print_aopt), the kind word included. */
export type ActionPrinter = (p: Printer, options: Record<string, unknown> | undefined, ctx: ActionPrintContext) => void;

/** Every action kind's printer, by kind. */
export const ACTION_PRINTERS: Record<string, ActionPrinter> = {
  ...GENERIC_PRINTERS,
  ...L2_PRINTERS,
  ...MISC_PRINTERS,
  ...TUNNEL_PRINTERS,
  police: printPolice,
};

/**
 * A verdict as print_action_control prints it: text `PREFIX drop SUFFIX`,
 * JSON `"control_action": { "type": "goto", "chain": 3 }`.
 *
 * @example
 * ```ts ignore
 * printControl(p, " ", "goto chain 3", "");
 * ```
 */
export function printControl(p: Printer, prefix: string, verdict: unknown, suffix: string): void {
  p.printf("%s", prefix);
  p.openObject("control_action");
  const v = typeof verdict === "string" ? verdict : String(verdict);
  if (v.startsWith("goto chain ")) {
    p.string(Kind.Any, "type", "%s", "goto");
    p.uint(Kind.Any, "chain", " chain %u", Number(v.slice(11)));
  } else if (v.startsWith("jump ")) {
    p.string(Kind.Any, "type", "%s", "jump");
    p.uint(Kind.Any, "jump", " %u", Number(v.slice(5)));
  } else p.string(Kind.Any, "type", "%s", v);
  p.closeObject();
  p.printf("%s", suffix);
}

/**
 * `installed N sec used N sec …` from struct tcf_t (jiffies at USER_HZ 100).
 *
 * @example
 * ```ts ignore
 * printTm(p, o.tm);
 * ```
 */
export function printTm(p: Printer, tm: Record<string, bigint> | undefined): void {
  if (tm === undefined) return;
  const sec = (x: bigint) => x / 100n;
  if (tm.install) p.uint(Kind.Any, "installed", " installed %u sec", sec(tm.install));
  if (tm.lastuse) p.uint(Kind.Any, "last_used", " used %u sec", sec(tm.lastuse));
  if (tm.firstuse) p.uint(Kind.Any, "first_used", " firstused %u sec", sec(tm.firstuse));
  if (tm.expires) p.uint(Kind.Any, "expires", " expires %u sec", sec(tm.expires));
}

/** `index N ref N bind N` of a tc_gen head, with `-s` times. */
export function printGen(
  p: Printer,
  parms: Record<string, number>,
  ctx: ActionPrintContext,
  tm: unknown,
  lead = "\t",
): void {
  p.nl();
  p.uint(Kind.Any, "index", `${lead}index %u`, parms.index >>> 0);
  p.int(Kind.Any, "ref", " ref %d", parms.refcnt);
  p.int(Kind.Any, "bind", " bind %d", parms.bindcnt);
  if (ctx.stats) printTm(p, tm as Record<string, bigint> | undefined);
  p.nl();
}

const HW_STATS: [string, number][] = [["immediate", 1], ["delayed", 2], ["disabled", 0]];

function printHwStats(p: Printer, bf: { value: number; selector: number }, used: boolean): void {
  const t = bf.value & bf.selector;
  p.printf("\t");
  const key = used ? "used_hw_stats" : "hw_stats";
  p.openArray(Kind.Any, key, key);
  for (const [name, bit] of HW_STATS) {
    if ((!t && !bit) || t & bit) p.string(Kind.Any, null, " %s", name);
  }
  p.closeArray(Kind.Json);
  p.nl();
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** One action (tc_print_one_action): `bind` inside a filter. */
export function printAction(p: Printer, a: Action, ctx: ActionPrintContext, bind: boolean): void {
  const printer = ACTION_PRINTERS[a.kind] ?? genericPrinter(a.kind);
  printer(p, a.options as Record<string, unknown> | undefined, ctx);
  if (ctx.brief && a.index !== undefined) {
    p.uint(Kind.Any, "index", "\t index %u", a.index);
    p.nl();
  }
  if (ctx.stats && a.stats) {
    p.printf("\tAction statistics:");
    p.nl();
    p.openObject("stats");
    printStats(p, a.stats, "\t", ctx.iec);
    p.closeObject();
    p.nl();
  }
  if (a.cookie) {
    p.string(Kind.Any, "cookie", "\tcookie %s", hex(a.cookie));
    p.nl();
  }
  if (a.flags || a.inHwCount !== undefined) {
    let skipHw = false;
    let newline = false;
    if (a.flags) {
      if (a.flags.selector & 1) {
        newline = true;
        p.bool(Kind.Any, "no_percpu", "\tno_percpu", (a.flags.value & 1) !== 0);
      }
      if (!bind) {
        if (a.flags.selector & 2) {
          newline = true;
          p.bool(Kind.Any, "skip_hw", "\tskip_hw", (a.flags.value & 2) !== 0);
          skipHw = (a.flags.value & 2) !== 0;
        }
        if (a.flags.selector & 4) {
          newline = true;
          p.bool(Kind.Any, "skip_sw", "\tskip_sw", (a.flags.value & 4) !== 0);
        }
      }
    }
    if (a.inHwCount !== undefined && !bind && !skipHw) {
      newline = true;
      if (a.inHwCount) {
        p.bool(Kind.Any, "in_hw", "\tin_hw", true);
        p.uint(Kind.Any, "in_hw_count", " in_hw_count %u", a.inHwCount);
      } else p.bool(Kind.Any, "not_in_hw", "\tnot_in_hw", true);
    }
    if (newline) p.nl();
  }
  if (a.hwStats) printHwStats(p, a.hwStats, false);
  if (a.usedHwStats) printHwStats(p, a.usedHwStats, true);
}

/**
 * An action list (tc_dump_action): `"actions": [ … ]` in JSON, each action
 * on its own lines as `\taction order N: …`, numbered from `first`.
 *
 * @example
 * ```ts ignore
 * printActionList(p, filterActions, ctx, true, 1);
 * ```
 */
export function printActionList(
  p: Printer,
  list: readonly Action[],
  ctx: ActionPrintContext,
  bind: boolean,
  first = 1,
) {
  p.openArray(Kind.Json, "actions");
  list.forEach((a, i) => {
    p.openObject();
    p.nl();
    p.uint(Kind.Any, "order", "\taction order %u: ", first + i);
    printAction(p, a, ctx, bind);
    p.closeObject();
  });
  p.closeArray(Kind.Json);
}
