/**
 * The u32 filter's options as tc prints them (u32_print_opt): handle,
 * order, hash table or key, flowid, link, flags, mark, keys (raw, or with
 * `-p` decoded for IPv4/IPv6 as print_ipv4/print_ipv6 do), offsets, the
 * hash key, input device and actions.
 *
 * @module
 */
import { formatU32Handle } from "@nlink/nlink/tc";
import { Kind, type Printer } from "../common/output.ts";
import { printActionList } from "./action_print.ts";
import { printPolice } from "./m_police_print.ts";
import type { FilterPrintContext } from "./filter_print.ts";
import { classIdText } from "./tc_print.ts";

type Opts = Record<string, unknown>;
interface Key {
  mask: number;
  val: number;
  off: number;
  offmask: number;
}

/** A u32 handle text the library decoded (`"2:"`, `"1:2"`, `"800::800"`) back to its number. */
function u32HandleNumber(text: unknown): number {
  if (typeof text === "number") return text;
  const parts = String(text).split(":");
  const ht = parseInt(parts[0] || "0", 16) || 0;
  const bkt = parseInt(parts[1] || "0", 16) || 0;
  const node = parseInt(parts[2] || "0", 16) || 0;
  return ((ht << 20) | (bkt << 12) | node) >>> 0;
}

function printRaw(p: Printer, k: Key): void {
  p.openObject("match");
  p.nl();
  p.hex(Kind.Any, "value", "  match %08x", k.val >>> 0);
  p.hex(Kind.Any, "mask", "/%08x ", k.mask >>> 0);
  p.string(Kind.Any, "offmask", "at %s", k.offmask ? "nexthdr+" : "");
  p.int(Kind.Any, "off", "%d", k.off);
  p.closeObject();
}

/** The prefix length of a contiguous mask, or -1. */
function maskBits(mask: number): number {
  const m = mask >>> 0;
  let bits = 0;
  while (bits < 32 && ((m << bits) >>> 0) & 0x80000000) bits++;
  // A shift by 32 is a shift by 0 in JavaScript: a full mask is done here.
  return bits === 32 || ((m << bits) >>> 0) === 0 ? bits : -1;
}

/** print_ipv4 / print_ipv6 (both read the keys as IPv4 fields); leaves "match" open where tc does. */
function printIp(p: Printer, k: Key, v6: boolean): void {
  const val = k.val >>> 0;
  const mask = k.mask >>> 0;
  p.openObject("match");
  switch (k.off) {
    case 0:
      if (mask === 0x0f000000) {
        p.nl();
        p.uint(Kind.Any, "ip_ihl", "  match IP ihl %u", val >>> 24);
        return;
      }
      if (mask === 0x00ff0000) {
        p.nl();
        p.hex0x(Kind.Any, "ip_dsfield", "  match IP dsfield %#x", val >>> 16);
        return;
      }
      break;
    case 8:
      if (mask === 0x00ff0000) {
        p.nl();
        p.int(Kind.Any, "ip_protocol", "  match IP protocol %d", val >>> 16);
        return;
      }
      break;
    case 12:
    case 16: {
      const bits = maskBits(mask);
      if (bits >= 0) {
        p.nl();
        p.printf(k.off === 12 ? "  match IP src " : "  match IP dst ");
        p.openObject(k.off === 12 ? "src" : "dst");
        p.string(
          Kind.Any,
          "address",
          "%s",
          [val >>> 24, (val >>> 16) & 0xff, (val >>> 8) & 0xff, val & 0xff].join("."),
        );
        p.int(Kind.Any, "prefixlen", "/%d", bits);
        p.closeObject();
        return;
      }
      break;
    }
    case 20: {
      const lo = val & 0xffff;
      const hi = val >>> 16;
      if (mask === 0x0000ffff) {
        if (v6) {
          p.nl();
          p.uint(Kind.Any, "sport", "  match sport %u", lo);
        } else p.uint(Kind.Any, "dport", "match dport %u", lo);
        return;
      }
      if (mask === 0xffff0000) {
        if (v6) p.uint(Kind.Any, "dport", "match dport %u", hi);
        else {
          p.nl();
          p.uint(Kind.Any, "sport", "  match sport %u", hi);
        }
        return;
      }
      if (mask === 0xffffffff) {
        p.nl();
        if (v6) {
          p.uint(Kind.Any, "sport", "  match sport %u, ", lo);
          p.uint(Kind.Any, "dport", "match dport %u", hi);
        } else {
          p.uint(Kind.Any, "dport", "  match dport %u, ", lo);
          p.uint(Kind.Any, "sport", "match sport %u", hi);
        }
        return;
      }
    }
  }
  p.closeObject();
}

/**
 * Prints u32's options (inside the filter's `options` object).
 *
 * @example
 * ```ts ignore
 * printU32(p, f.options, f.handle, ctx);
 * ```
 */
export function printU32(p: Printer, o: Opts, handle: number, ctx: FilterPrintContext): void {
  if (handle) p.string(Kind.Any, "fh", "fh %s ", formatU32Handle(handle));
  if (handle & 0xfff) p.int(Kind.Any, "order", "order %d ", handle & 0xfff);
  const sel = o.sel as (Opts & { flags: string[]; keys: Key[] }) | undefined;
  if (o.divisor !== undefined) p.int(Kind.Any, "ht_divisor", "ht divisor %d ", o.divisor as number);
  else if (o.hash !== undefined) {
    const htid = u32HandleNumber(o.hash);
    p.hex(Kind.Any, "key_ht", "key ht %x ", (htid >>> 20) & 0xfff);
    p.hex(Kind.Any, "bkt", "bkt %x ", (htid >>> 12) & 0xff);
  } else console.error("divisor and hash missing ");
  const terminal = sel?.flags.includes("terminal") ?? false;
  if (o.classid !== undefined) {
    if (terminal) p.printf("*");
    p.string(Kind.Any, "flowid", "flowid %s ", classIdText(o.classid));
  } else if (terminal) p.printf("terminal flowid ");
  if (o.link !== undefined) p.string(Kind.Any, "link", "link %s ", formatU32Handle(u32HandleNumber(o.link)));
  const flags = o.flags as string[] | undefined;
  if (flags) {
    if (flags.includes("skip_hw")) p.bool(Kind.Any, "skip_hw", "skip_hw ", true);
    if (flags.includes("skip_sw")) p.bool(Kind.Any, "skip_sw", "skip_sw ", true);
    if (flags.includes("in_hw")) p.bool(Kind.Any, "in_hw", "in_hw ", true);
    else if (flags.includes("not_in_hw")) p.bool(Kind.Any, "not_in_hw", "not_in_hw ", true);
  }
  const pcnt = o.pcnt as { rcnt: bigint; rhit: bigint; kcnts?: bigint[] } | undefined;
  if (sel && ctx.stats && pcnt) {
    p.uint(Kind.Any, "rule_hit", "(rule hit %u ", pcnt.rcnt);
    p.uint(Kind.Any, "success", "success %u)", pcnt.rhit);
  }
  const mark = o.mark as { val: number; mask: number; success: number } | undefined;
  if (mark) {
    p.nl();
    p.hex0x(Kind.Any, "fwmark_value", "  mark 0x%04x ", mark.val);
    p.hex0x(Kind.Any, "fwmark_mask", "0x%04x ", mark.mask);
    p.int(Kind.Any, "fwmark_success", "(success %d)", mark.success);
  }
  if (sel) {
    sel.keys.forEach((k, i) => {
      if (ctx.pretty && ctx.protocol === "ip") printIp(p, k, false);
      else if (ctx.pretty && ctx.protocol === "ipv6") printIp(p, k, true);
      else printRaw(p, k);
      if (ctx.stats && pcnt) p.uint(Kind.Any, "success", " (success %u ) ", pcnt.kcnts?.[i] ?? 0n);
    });
    if (sel.flags.includes("varoffset") || sel.flags.includes("offset")) {
      p.nl();
      p.string(Kind.Any, null, "%s", "    offset ");
      if (sel.flags.includes("varoffset")) {
        p.hex(Kind.Any, "offset_mask", "%04x", (sel.offmask as number) & 0xffff);
        p.int(Kind.Any, "offset_shift", ">>%d ", sel.offshift as number);
        p.int(Kind.Any, "offset_off", "at %d ", sel.offoff as number);
      }
      if (sel.off) p.int(Kind.Any, "plus", "plus %d ", sel.off as number);
    }
    if (sel.flags.includes("eat")) p.string(Kind.Any, null, "%s", " eat ");
    if (sel.hmask) {
      p.nl();
      p.hex(Kind.Any, "hash_mask", "    hash mask %08x ", sel.hmask as number);
      p.int(Kind.Any, "hash_off", "at %d ", sel.hoff as number);
    }
  }
  if (o.police !== undefined) {
    p.nl();
    printPolice(p, o.police as Record<string, unknown>, ctx);
  }
  if (o.indev !== undefined) {
    p.nl();
    p.string(Kind.Any, "input_dev", "  input dev %s", o.indev as string);
    p.nl();
  }
  if (o.act) printActionList(p, o.act as never, ctx, true);
}
