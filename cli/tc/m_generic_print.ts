/**
 * Printers of action kinds' options as tc prints them (print_mirred,
 * print_gact, …): the kind word, its parameters, and `index N ref N bind N`.
 * Kinds without a printer of their own here print their kind and that line.
 *
 * @module
 */
import { Kind } from "../common/output.ts";
import type { ActionPrinter } from "./action_print.ts";
import { printControl, printGen } from "./action_print.ts";

type Opts = Record<string, unknown>;
type Parms = Record<string, number> & { action?: unknown; eaction?: string };

const MIRRED_TEXT: Record<string, string> = {
  "egress redirect": "Egress Redirect",
  "ingress redirect": "Ingress Redirect",
  "egress mirror": "Egress Mirror",
  "ingress mirror": "Ingress Mirror",
};

const mirred: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "mirred");
  if (o === undefined) return;
  const parms = o.parms as Parms;
  const eaction = typeof parms.eaction === "string" ? parms.eaction : "unknown";
  const dev = ctx.devName(parms.ifindex);
  if (dev === undefined) {
    console.error(`Cannot find device ${parms.ifindex}`);
    return;
  }
  const [direction, action] = eaction.includes(" ") ? eaction.split(" ") : ["unknown", "unknown"];
  p.string(Kind.Text, null, "(%s", MIRRED_TEXT[eaction] ?? "unknown");
  p.string(Kind.Json, "mirred_action", "", action);
  p.string(Kind.Json, "direction", "", direction);
  p.string(Kind.Any, "to_dev", " to device %s)", dev);
  printControl(p, " ", parms.action, "");
  printGen(p, parms, ctx, o.tm);
};

const PROB_TYPES: Record<string, string> = { none: "none", netrand: "netrand", determ: "deterministic" };

const gact: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "gact");
  if (o === undefined) return;
  const parms = o.parms as Parms;
  printControl(p, "action ", parms.action, "");
  // No TCA_GACT_PROB: tc prints a zeroed one (verdict 0 is pass).
  const prob = (o.prob ?? { ptype: "none", paction: "pass", pval: 0 }) as Opts;
  p.openObject("prob");
  p.nl();
  const ptype = typeof prob.ptype === "string" ? prob.ptype : "none";
  p.string(Kind.Any, "random_type", "\t random type %s", PROB_TYPES[ptype] ?? ptype);
  printControl(p, " ", prob.paction, " ");
  p.int(Kind.Any, "val", "val %d", prob.pval as number);
  p.closeObject();
  printGen(p, parms, ctx, o.tm, "\t ");
};

/** A kind without its own printer here: its name and the tc_gen line. */
export function genericPrinter(kind: string): ActionPrinter {
  return (p, o, ctx) => {
    p.string(Kind.Any, "kind", "%s ", kind);
    if (o === undefined) return;
    const parms = o.parms as Parms | undefined;
    if (parms === undefined) {
      p.nl();
      return;
    }
    if (parms.action !== undefined) printControl(p, "", parms.action, "");
    printGen(p, parms, ctx, o.tm);
  };
}

/** The printers of the generic kinds. */
export const GENERIC_PRINTERS: Record<string, ActionPrinter> = { mirred, gact };
