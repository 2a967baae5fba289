/**
 * Printers of nat, csum, sample, simple, connmark, ctinfo, bpf and gate
 * actions as tc prints them (m_nat.c, m_csum.c, m_sample.c, m_simple.c,
 * m_connmark.c, m_ctinfo.c, m_bpf.c, m_gate.c).
 *
 * @module
 */
import { Kind, type Printer } from "../common/output.ts";
import { type ActionPrinter, printControl, printTm } from "./action_print.ts";
import { type Parms, printIndexLine } from "./m_l2_print.ts";
import { printSize, sprintTime64 } from "./tc_print.ts";

type Opts = Record<string, unknown>;

function parmsOf(o: Opts, complaint: string): Parms | undefined {
  const parms = o.parms as Parms | undefined;
  if (parms === undefined) console.error(complaint);
  return parms;
}

/**
 * The prefix length tc prints after the old address: 33 minus ffs() of the
 * mask read as a host-order (little-endian) word although it is in network
 * order — so any mask whose first byte is odd, 255.255.255.0 included,
 * prints as /32 on the machines tc runs on; copied as is, since users grep it.
 */
function maskLength(mask: string): number {
  const b = mask.split(".").map(Number);
  const n = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  if (n === 0) return 0;
  let low = 1;
  while (!((n >>> (low - 1)) & 1)) low++;
  return 33 - low;
}

const nat: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "type", " %s ", "nat");
  if (o === undefined) return;
  const parms = parmsOf(o, "Missing nat parameters") as Parms & { oldAddr: string; newAddr: string; mask: string };
  if (parms === undefined) return;
  const flags = (parms as unknown as { flags?: string[] }).flags ?? [];
  p.string(Kind.Any, "direction", "%s", flags.includes("egress") ? "egress" : "ingress");
  p.string(Kind.Any, "old_addr", " %s", `${parms.oldAddr}/${maskLength(parms.mask)}`);
  p.string(Kind.Any, "new_addr", " %s", parms.newAddr);
  printControl(p, " ", parms.action, "");
  printIndexLine(p, parms, ctx, o.tm);
};

const CSUM_ORDER = ["iph", "icmp", "igmp", "tcp", "udp", "udplite", "sctp"];

const csum: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "csum");
  if (o === undefined) return;
  const parms = parmsOf(o, "Missing csum parameters");
  if (parms === undefined) return;
  const flags = (parms as unknown as { updateFlags?: string[] }).updateFlags ?? [];
  const names = CSUM_ORDER.filter((f) => flags.includes(f));
  p.string(Kind.Any, "csum", "(%s) ", names.length ? names.join(", ") : "?empty");
  printControl(p, "action ", parms.action, p.sl);
  p.uint(Kind.Any, "index", "\tindex %u", parms.index >>> 0);
  p.int(Kind.Any, "ref", " ref %d", parms.refcnt);
  p.int(Kind.Any, "bind", " bind %d", parms.bindcnt);
  if (ctx.stats) printTm(p, o.tm as Record<string, bigint> | undefined);
  p.nl();
};

const sample: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "sample");
  if (o === undefined) return;
  const parms = o.parms as Parms | undefined;
  if (parms === undefined || o.rate === undefined || o.psampleGroup === undefined) {
    console.error("Missing sample parameters");
    return;
  }
  p.uint(Kind.Any, "rate", "rate 1/%u ", o.rate as number);
  p.uint(Kind.Any, "group", "group %u", o.psampleGroup as number);
  if (o.truncSize !== undefined) p.uint(Kind.Any, "trunc_size", " trunc_size %u", o.truncSize as number);
  printControl(p, " ", parms.action, "");
  printIndexLine(p, parms, ctx, o.tm);
};

/**
 * simple: tc prints it with plain fprintf (no JSON at all, and its text lands
 * inside `-j` output); here the text is printed in text mode only.
 */
const simple: ActionPrinter = (p, o, ctx) => {
  if (o === undefined) return;
  const parms = parmsOf(o, "Missing simple parameters");
  if (parms === undefined) return;
  if (o.data === undefined) {
    console.error("Missing simple string");
    return;
  }
  p.write(`Simple <${o.data}>\n`);
  p.write(`\t index ${parms.index >>> 0} ref ${parms.refcnt} bind ${parms.bindcnt}`);
  if (ctx.stats) printTm(p, o.tm as Record<string, bigint> | undefined);
  p.nl();
};

const connmark: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "connmark");
  if (o === undefined) return;
  const parms = parmsOf(o, "Missing connmark parameters");
  if (parms === undefined) return;
  p.uint(Kind.Any, "zone", "zone %u", parms.zone);
  printControl(p, " ", parms.action, "");
  printIndexLine(p, parms, ctx, o.tm);
};

const ctinfo: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "ctinfo");
  if (o === undefined) return;
  const parms = o.parms as Parms | undefined;
  if (parms === undefined) {
    p.printf("%s", "[NULL ctinfo action parameters]");
    return;
  }
  p.uint(Kind.Any, "zone", "zone %u", (o.zone as number | undefined) ?? 0);
  printControl(p, " ", parms.action, "");
  p.nl();
  p.uint(Kind.Any, "index", "\t index %u", parms.index >>> 0);
  p.int(Kind.Any, "ref", " ref %d", parms.refcnt);
  p.int(Kind.Any, "bind", " bind %d", parms.bindcnt);
  if (o.dscpMask !== undefined) {
    p.hex0x(Kind.Any, "dscpmask", " dscp %#010x", o.dscpMask as number);
    p.hex0x(Kind.Any, "dscpstatemask", " %#010x", (o.dscpStatemask as number | undefined) ?? 0);
  }
  if (o.cpmarkMask !== undefined) p.hex0x(Kind.Any, "cpmark", " cpmark %#010x", o.cpmarkMask as number);
  if (ctx.stats) {
    printTm(p, o.tm as Record<string, bigint> | undefined);
    if (o.dscpSet !== undefined) p.uint(Kind.Any, "dscpset", " DSCP set %u", o.dscpSet as bigint);
    if (o.dscpError !== undefined) p.uint(Kind.Any, "dscperror", " error %u", o.dscpError as bigint);
    if (o.cpmarkSet !== undefined) p.uint(Kind.Any, "cpmarkset", " CPMARK set %u", o.cpmarkSet as bigint);
  }
  p.nl();
};

/**
 * Classic BPF bytecode as tc prints it (bpf_print_ops): `bytecode 'N,c t f k,…'`,
 * in JSON `"bytecode": { "length": N, "insns": [ … ] }`.
 *
 * @example
 * ```ts ignore
 * printBpfOps(p, o.ops);
 * ```
 */
export function printBpfOps(p: Printer, ops: { code: number; jt: number; jf: number; k: number }[]): void {
  if (ops.length === 0) return;
  p.openObject("bytecode");
  p.uint(Kind.Any, "length", "bytecode '%u,", ops.length);
  p.openArray(Kind.Json, "insns");
  ops.forEach((op, i) => {
    p.openObject();
    p.uint(Kind.Any, "code", "%u ", op.code);
    p.uint(Kind.Any, "jt", "%u ", op.jt);
    p.uint(Kind.Any, "jf", "%u ", op.jf);
    p.uint(Kind.Any, "k", i === ops.length - 1 ? "%u'" : "%u,", op.k >>> 0);
    p.closeObject();
  });
  p.closeArray(Kind.Json);
  p.closeObject();
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** bpf: program name, bytecode, id (tc looks the rest up by id; here the id alone) or tag, default verdict. */
const bpf: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "bpf");
  if (o === undefined) return;
  const parms = parmsOf(o, "Missing bpf parameters");
  if (parms === undefined) return;
  if (o.name !== undefined) p.string(Kind.Any, "bpf_name", "%s ", o.name as string);
  const ops = o.ops as { code: number; jt: number; jf: number; k: number }[] | undefined;
  if (ops !== undefined && o.opsLen !== undefined) {
    printBpfOps(p, ops);
    p.printf(" ");
  }
  if (o.id !== undefined) {
    p.openObject("prog");
    p.uint(Kind.Any, "id", "id %u ", o.id as number);
    p.closeObject();
  } else if (o.tag instanceof Uint8Array) p.string(Kind.Any, "tag", "tag %s ", hex(o.tag));
  printControl(p, "default-action ", parms.action, p.sl);
  p.uint(Kind.Any, "index", "\t index %u", parms.index >>> 0);
  p.int(Kind.Any, "ref", " ref %d", parms.refcnt);
  p.int(Kind.Any, "bind", " bind %d", parms.bindcnt);
  if (ctx.stats) printTm(p, o.tm as Record<string, bigint> | undefined);
  p.write("\n ");
};

interface GateEntry {
  index?: number;
  gate?: boolean;
  interval?: number;
  ipv?: number;
  maxOctets?: number;
}

const CLOCKS: Record<string, string> = {
  realtime: "REALTIME",
  tai: "TAI",
  boottime: "BOOTTIME",
  monotonic: "MONOTONIC",
};

/** gate: no kind word; priority and clock, times, the schedule, the verdict. */
const gate: ActionPrinter = (p, o, ctx) => {
  if (o === undefined) return;
  const parms = parmsOf(o, "Missing gate parameters");
  if (parms === undefined) return;
  p.printf("\n");
  const prio = (o.priority as number | undefined) ?? -1;
  if (prio !== -1) p.int(Kind.Any, "priority", "\tpriority %-8d", prio);
  else {
    p.printf("\tpriority %s", "wildcard");
    p.int(Kind.Json, "priority", "", prio);
  }
  const clock = o.clockid === undefined ? "invalid" : CLOCKS[String(o.clockid)] ?? "invalid";
  p.string(Kind.Any, "clockid", "\tclockid %s", clock);
  if (o.flags !== undefined) p.hex0x(Kind.Any, "flags", "\tflags %#x", o.flags as number);
  p.printf("\n");
  for (
    const [key, word, value] of [
      ["base_time", "base-time", o.baseTime],
      ["cycle_time", "cycle-time", o.cycleTime],
      ["cycle_time_ext", "cycle-time-ext", o.cycleTimeExt],
    ] as const
  ) {
    const t = BigInt((value as bigint | undefined) ?? 0n);
    p.printf(`\t${word} %s`, sprintTime64(t));
    p.uint(Kind.Json, key, "", t);
  }
  const list = o.entryList as GateEntry[] | undefined;
  if (list !== undefined) printGateList(p, list);
  printControl(p, "\t", parms.action, "");
  p.uint(Kind.Any, "index", "\n\t index %u", parms.index >>> 0);
  p.int(Kind.Any, "ref", " ref %d", parms.refcnt);
  p.int(Kind.Any, "bind", " bind %d", parms.bindcnt);
  if (ctx.stats) printTm(p, o.tm as Record<string, bigint> | undefined);
  p.printf("\n");
};

function printGateList(p: Printer, list: GateEntry[]): void {
  p.printf("%s", p.sl);
  p.printf("\tschedule:%s", p.sl);
  p.openArray(Kind.Json, "schedule");
  for (const e of list) {
    const interval = e.interval ?? 0;
    const ipv = e.ipv ?? -1;
    const octets = e.maxOctets ?? -1;
    p.openObject();
    p.uint(Kind.Any, "number", "\t number %4u", e.index ?? 0);
    p.string(Kind.Any, "gate_state", "\tgate-state %s ", e.gate ? "open" : "close");
    p.uint(Kind.Json, "interval", "", interval);
    p.printf("\tinterval %s", sprintTime64(interval));
    if (ipv !== -1) p.uint(Kind.Any, "ipv", "\t ipv %-10u", ipv);
    else {
      p.int(Kind.Json, "ipv", "", ipv);
      p.printf("\t ipv %s", "wildcard");
    }
    if (octets !== -1) printSize(p, Kind.Any, "max_octets", "\t max-octets %s", octets);
    else {
      p.printf("\t max-octets %s", "wildcard");
      p.int(Kind.Json, "max_octets", "", octets);
    }
    p.closeObject();
    p.printf("%s", p.sl);
  }
  p.closeArray(Kind.Json);
}

/** The printers of nat, csum, sample, simple, connmark, ctinfo, bpf and gate. */
export const MISC_PRINTERS: Record<string, ActionPrinter> = {
  nat,
  csum,
  sample,
  simple,
  connmark,
  ctinfo,
  bpf,
  gate,
};
