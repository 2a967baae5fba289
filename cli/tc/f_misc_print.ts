/**
 * Printers of the bpf, matchall and fw filters' options as tc prints them
 * (bpf_print_opt, matchall_print_opt, fw_print_opt).
 *
 * @module
 */
import { Kind, type Printer } from "../common/output.ts";
import { printActionList } from "./action_print.ts";
import { printBpfOps } from "./m_misc_print.ts";
import { printPolice } from "./m_police_print.ts";
import type { FilterPrintContext } from "./filter_print.ts";
import { classIdText } from "./tc_print.ts";

type Opts = Record<string, unknown>;

/** The generic offload flags (`skip_hw`, `skip_sw`, `in_hw` or `not_in_hw`). */
export function printClsFlags(p: Printer, flags: unknown): void {
  if (!Array.isArray(flags)) return;
  if (flags.includes("skip_hw")) p.bool(Kind.Any, "skip_hw", "skip_hw ", true);
  if (flags.includes("skip_sw")) p.bool(Kind.Any, "skip_sw", "skip_sw ", true);
  if (flags.includes("in_hw")) p.bool(Kind.Any, "in_hw", "in_hw ", true);
  else if (flags.includes("not_in_hw")) p.bool(Kind.Any, "not_in_hw", "not_in_hw ", true);
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * bpf: handle, flowid, program name, direct-action, flags, classic bytecode,
 * program id/tag, actions. (tc reads a program's name and tag through the
 * bpf syscall by id; this prints the id and the tag the kernel sent.)
 */
export function printBpf(p: Printer, o: Opts, handle: number, ctx: FilterPrintContext): void {
  if (handle) p.hex0x(Kind.Any, "handle", "handle %#x ", handle);
  if (o.classid !== undefined) p.string(Kind.Any, "flowid", "flowid %s ", classIdText(o.classid));
  if (o.name !== undefined) p.string(Kind.Any, "bpf_name", "%s ", o.name as string);
  if (Array.isArray(o.flags) && o.flags.includes("act_direct")) {
    p.bool(Kind.Any, "direct-action", "direct-action ", true);
  }
  printClsFlags(p, o.flagsGen);
  const ops = o.ops as { code: number; jt: number; jf: number; k: number }[] | undefined;
  if (ops && o.opsLen !== undefined) printBpfOps(p, ops);
  if (o.id !== undefined) {
    p.openObject("prog");
    p.uint(Kind.Any, "id", "id %u ", o.id as number);
    p.closeObject();
  }
  if (o.tag instanceof Uint8Array) p.string(Kind.Any, "tag", "tag %s ", hex(o.tag));
  if (o.police !== undefined) {
    p.nl();
    printPolice(p, o.police as Opts, ctx);
  }
  if (o.act) printActionList(p, o.act as never, ctx, true);
}

/** matchall: handle, flowid, flags, actions. */
export function printMatchall(p: Printer, o: Opts, handle: number, ctx: FilterPrintContext): void {
  if (handle) p.hex0x(Kind.Any, "handle", "handle %#x ", handle);
  if (o.classid !== undefined) p.string(Kind.Any, "flowid", "flowid %s ", classIdText(o.classid));
  printClsFlags(p, o.flags);
  if (o.act) printActionList(p, o.act as never, ctx, true);
}

/** fw: handle (mark/mask), classid, indev, actions. */
export function printFw(p: Printer, o: Opts, handle: number, ctx: FilterPrintContext): void {
  const mask = o.mask as number | undefined;
  if (handle || mask !== undefined) {
    if (mask !== undefined && mask !== 0xffffffff) {
      p.printf("handle 0x%x/0x%x ", handle, mask);
      p.string(Kind.Json, "fh", "", `0x${handle.toString(16)}/0x${mask.toString(16)}`);
    } else p.hex0x(Kind.Any, "fh", "handle 0x%x ", handle);
  }
  if (o.classid !== undefined) p.string(Kind.Any, "classid", "classid %s ", classIdText(o.classid));
  if (o.police !== undefined) printPolice(p, o.police as Opts, ctx);
  if (o.indev !== undefined) p.string(Kind.Any, "indev", "input dev %s ", o.indev as string);
  if (o.act) printActionList(p, o.act as never, ctx, true);
}
