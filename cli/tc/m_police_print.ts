/**
 * The police action's printer, as tc prints it (m_police.c's print_police):
 * ` police 0xINDEX rate R burst B mtu M [peakrate P] [avrate A]
 * [pkts_rate N pkts_burst N] action EXCEED[/CONFORM] overhead O`, then
 * `ref N bind N` on the next line. In JSON only the index, the packet rates,
 * the verdicts, overhead and the counts appear, as in tc's.
 *
 * @module
 */
import { tcUnits } from "@nlink/nlink/tc";
import { Kind } from "../common/output.ts";
import { type ActionPrinter, printControl, printTm } from "./action_print.ts";
import { linklayerName, linklayerNumber, printRate, printSize } from "./tc_print.ts";

interface Tbf {
  index: number;
  action: unknown;
  burst: number;
  mtu: number;
  rate: { rate: number; overhead: number; linklayer: string | number };
  peakrate: { rate: number };
  refcnt: number;
  bindcnt: number;
}

/**
 * police: its kind in JSON only (text starts with ` police 0xN`).
 *
 * @example
 * ```ts ignore
 * ACTION_PRINTERS.police = printPolice;
 * ```
 */
export const printPolice: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Json, "kind", "%s", "police");
  if (o === undefined) return;
  const tbf = o.tbf as Tbf | undefined;
  if (tbf === undefined) {
    console.error("[NULL police tbf]");
    return;
  }
  const rate = (o.rate64 as bigint | undefined) ?? BigInt(tbf.rate.rate >>> 0);
  p.hex(Kind.Text, null, " police 0x%x ", tbf.index);
  p.uint(Kind.Json, "index", "", tbf.index >>> 0);
  printRate(p, Kind.Text, null, "rate %s ", rate, ctx.iec);
  printSize(p, Kind.Text, null, "burst %s ", tcUnits.xmitSize(rate, tbf.burst));
  printSize(p, Kind.Text, null, "mtu %s ", tbf.mtu);
  const peak = (o.peakrate64 as bigint | undefined) ?? BigInt(tbf.peakrate.rate >>> 0);
  if (peak) printRate(p, Kind.Text, null, "peakrate %s ", peak, ctx.iec);
  if (o.avrate !== undefined) printRate(p, Kind.Text, null, "avrate %s ", o.avrate as number, ctx.iec);
  if (o.pktrate64 !== undefined && o.pktburst64 !== undefined) {
    const pps = o.pktrate64 as bigint;
    p.uint(Kind.Any, "pkts_rate", "pkts_rate %u ", pps);
    p.uint(Kind.Any, "pkts_burst", "pkts_burst %u ", tcUnits.xmitSize(pps, Number(o.pktburst64)));
  }
  printControl(p, "action ", tbf.action, "");
  if (o.result !== undefined) printControl(p, "/", o.result, " ");
  else p.printf(" ");
  printSize(p, Kind.Any, "overhead", "overhead %s ", tbf.rate.overhead);
  if (linklayerNumber(tbf.rate.linklayer) > 1 || ctx.details) {
    p.string(Kind.Any, "linklayer", "linklayer %s ", linklayerName(tbf.rate.linklayer));
  }
  p.nl();
  p.int(Kind.Any, "ref", "\tref %d ", tbf.refcnt);
  p.int(Kind.Any, "bind", "bind %d ", tbf.bindcnt);
  if (ctx.stats) printTm(p, o.tm as Record<string, bigint> | undefined);
  p.nl();
};
