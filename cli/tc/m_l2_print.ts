/**
 * Printers of the link-layer action kinds as tc prints them (m_vlan.c,
 * m_mpls.c, m_skbedit.c, m_skbmod.c): the kind, its parameters, the verdict,
 * then `\t index N ref N bind N` on a line of its own.
 *
 * @module
 */
import { Kind, type Printer } from "../common/output.ts";
import { type ActionPrintContext, type ActionPrinter, printControl, printTm } from "./action_print.ts";
import { classId } from "./tc_print.ts";

type Opts = Record<string, unknown>;
/** A tc_gen head as the library decodes it (plus the kind's own fields). */
export type Parms = Record<string, number> & { action?: unknown };

/**
 * The common tail: newline, `\t index N ref N bind N`, `-s` times, newline.
 *
 * @example
 * ```ts ignore
 * printIndexLine(p, parms, ctx, o.tm);
 * ```
 */
export function printIndexLine(p: Printer, parms: Parms, ctx: ActionPrintContext, tm: unknown, lead = "\t "): void {
  p.nl();
  p.uint(Kind.Any, "index", `${lead}index %u`, parms.index >>> 0);
  p.int(Kind.Any, "ref", " ref %d", parms.refcnt);
  p.int(Kind.Any, "bind", " bind %d", parms.bindcnt);
  if (ctx.stats) printTm(p, tm as Record<string, bigint> | undefined);
  p.nl();
}

/** An ethernet protocol as ll_proto_n2a names it: the library's name, or `[N]`. */
export function protoText(x: unknown): string {
  return typeof x === "number" ? `[${x}]` : String(x);
}

/** The parms, or tc's complaint when the kernel sent none. */
function parmsOf(o: Opts, complaint: string, key = "parms"): Parms | undefined {
  const parms = o[key] as Parms | undefined;
  if (parms === undefined) console.error(complaint);
  return parms;
}

const vlan: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "vlan");
  if (o === undefined) return;
  const parms = parmsOf(o, "Missing vlan parameters");
  if (parms === undefined) return;
  const act = String(parms.vAction);
  p.string(Kind.Any, "vlan_action", " %s", act);
  if (act === "push" || act === "modify") {
    if (o.pushVlanId !== undefined) p.uint(Kind.Any, "id", " id %u", o.pushVlanId as number);
    if (o.pushVlanProtocol !== undefined) {
      p.string(Kind.Any, "protocol", " protocol %s", protoText(o.pushVlanProtocol));
    }
    if (o.pushVlanPriority !== undefined) p.uint(Kind.Any, "priority", " priority %u", o.pushVlanPriority as number);
  } else if (act === "push_eth") {
    if (o.pushEthDst !== undefined) p.string(Kind.Any, "dst_mac", " dst_mac %s", o.pushEthDst as string);
    if (o.pushEthSrc !== undefined) p.string(Kind.Any, "src_mac", " src_mac %s", o.pushEthSrc as string);
  }
  printControl(p, " ", parms.action, "");
  printIndexLine(p, parms, ctx, o.tm);
};

const mpls: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "mpls");
  if (o === undefined) return;
  const parms = parmsOf(o, "[NULL mpls parameters]");
  if (parms === undefined) return;
  const act = String(parms.mAction);
  p.string(Kind.Any, "mpls_action", " %s", act);
  const proto = () => {
    if (o.proto !== undefined) p.string(Kind.Any, "protocol", " protocol %s", protoText(o.proto));
  };
  if (act === "pop") proto();
  else if (act === "push" || act === "mac_push" || act === "modify") {
    if (act !== "modify") proto();
    for (const k of ["label", "tc", "bos", "ttl"]) {
      if (o[k] !== undefined) p.uint(Kind.Any, k, ` ${k} %u`, o[k] as number);
    }
  }
  printControl(p, " ", parms.action, "");
  printIndexLine(p, parms, ctx, o.tm);
};

const PTYPES = new Set(["host", "broadcast", "multicast", "otherhost"]);

const skbedit: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "skbedit");
  if (o === undefined) return;
  const parms = parmsOf(o, "Missing skbedit parameters");
  if (parms === undefined) return;
  if (o.queueMapping !== undefined) p.uint(Kind.Any, "queue_mapping", "queue_mapping %u", o.queueMapping as number);
  if (o.priority !== undefined) p.string(Kind.Any, "priority", " priority %s", classId(o.priority as number));
  if (o.mark !== undefined) p.uint(Kind.Any, "mark", " mark %u", o.mark as number);
  if (o.mask !== undefined) p.hex(Kind.Any, "mask", "/%#x", o.mask as number);
  if (o.ptype !== undefined) {
    if (PTYPES.has(o.ptype as string)) p.string(Kind.Any, "ptype", " ptype %s", o.ptype as string);
    else p.uint(Kind.Any, "ptype", " ptype %u", Number(o.ptype));
  }
  // SKBEDIT_F_INHERITDSFIELD.
  if (o.flags !== undefined && (BigInt(o.flags as bigint) & 0x20n) !== 0n) {
    p.null(Kind.Any, "inheritdsfield", " %s", "inheritdsfield");
  }
  printControl(p, " ", parms.action, "");
  printIndexLine(p, parms, ctx, o.tm);
};

/**
 * skbmod: tc prints it with plain fprintf, whose text lands in the middle of
 * its `-j` output (not valid JSON); here that text is printed in text mode
 * only, so `-j` gives valid JSON with the verdict alone.
 */
const skbmod: ActionPrinter = (p, o, ctx) => {
  if (o === undefined) return;
  const parms = parmsOf(o, "Missing skbmod parameters");
  if (parms === undefined) return;
  const out: string[] = ["skbmod "];
  const text = (s: string) => out.push(s);
  // print_action_control still speaks JSON: the text is written around it.
  p.write(out.splice(0).join(""));
  printControl(p, "", parms.action, " ");
  if (o.etype !== undefined) text(`set etype 0x${(o.etype as number).toString(16).toUpperCase()} `);
  if (o.etype !== undefined) text("\n\t ");
  if (o.dmac !== undefined) text(`set dmac ${o.dmac} `);
  if (o.smac !== undefined) text(`set smac ${o.smac} `);
  const flags = BigInt((parms as unknown as { flags?: bigint }).flags ?? 0n);
  if (flags & 8n) text("swap mac ");
  if (flags & 16n) text("ecn ");
  text(`\n\t index ${parms.index >>> 0} ref ${parms.refcnt} bind ${parms.bindcnt}`);
  p.write(out.splice(0).join(""));
  if (ctx.stats) printTm(p, o.tm as Record<string, bigint> | undefined);
  p.write("\n");
};

/** The printers of vlan, mpls, skbedit and skbmod. */
export const L2_PRINTERS: Record<string, ActionPrinter> = { vlan, mpls, skbedit, skbmod };
