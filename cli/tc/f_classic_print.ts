/**
 * Printers of the route, tcindex, rsvp, basic, cgroup and flow filters'
 * options as tc prints them (f_route.c, f_tcindex.c, f_rsvp.c, f_basic.c,
 * f_cgroup.c, f_flow.c), with ematch trees as m_ematch.c's print_ematch
 * prints them. Most of these print with plain fprintf in tc: that text is
 * printed here in text mode only (tc's own `-j` output then holds the text
 * among the JSON).
 *
 * @module
 */
import { Kind, type Printer } from "../common/output.ts";
import { printActionList } from "./action_print.ts";
import type { FilterPrintContext } from "./filter_print.ts";
import { printEmatch } from "./f_ematch_print.ts";
import { printPolice } from "./m_police_print.ts";
import { classId, classIdText, handleNumber } from "./tc_print.ts";

type Opts = Record<string, unknown>;

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, "0");

/** A realm by name (tc reads /etc/iproute2/rt_realms; only 0 has a name there by default). */
function realm(n: number): string {
  return n === 0 ? "cosmos" : String(n);
}

function police(p: Printer, o: Opts, ctx: FilterPrintContext): void {
  if (o.police !== undefined) printPolice(p, o.police as Opts, ctx);
}

function actions(p: Printer, o: Opts, ctx: FilterPrintContext): void {
  if (o.act) printActionList(p, o.act as never, ctx, true);
}

/** route: `fh 0xH [order N] flowid C to R from R fromif DEV`, police, actions. */
export function printRoute(p: Printer, o: Opts, handle: number, ctx: FilterPrintContext): void {
  if (handle) p.write(`fh 0x${hex8(handle)} `);
  if (handle & 0x7f00) p.write(`order ${(handle >>> 8) & 0x7f} `);
  if (o.classid !== undefined) p.write(`flowid ${classIdText(o.classid)} `);
  if (o.to !== undefined) p.write(`to ${realm(o.to as number)} `);
  if (o.from !== undefined) p.write(`from ${realm(o.from as number)} `);
  if (o.iif !== undefined) p.write(`fromif ${ctx.devName(o.iif as number) ?? ""}`);
  police(p, o, ctx);
  actions(p, o, ctx);
}

/** tcindex: `handle 0xHHHH hash N mask 0xMMMM shift N fall_through|pass_on classid C`. */
export function printTcindex(p: Printer, o: Opts, handle: number, ctx: FilterPrintContext): void {
  if (handle >>> 0 !== 0xffffffff) p.write(`handle 0x${(handle >>> 0).toString(16).padStart(4, "0")} `);
  if (o.hash !== undefined) p.write(`hash ${o.hash} `);
  if (o.mask !== undefined) p.write(`mask 0x${(o.mask as number).toString(16).padStart(4, "0")} `);
  if (o.shift !== undefined) p.write(`shift ${o.shift} `);
  if (o.fallThrough !== undefined) p.write(o.fallThrough ? "fall_through " : "pass_on ");
  if (o.classid !== undefined) p.write(`classid ${classIdText(o.classid)} `);
  if (o.police !== undefined) {
    p.write("\n");
    police(p, o, ctx);
  }
  if (o.act !== undefined) {
    p.write("\n");
    actions(p, o, ctx);
  }
}

interface Gpi {
  key: number;
  mask: number;
  offset: number;
}

/** sprint_spi: how rsvp shows a session's (dir 1) or sender's (dir 0) port or SPI match. */
function spiText(pi: Gpi, dir: boolean): string {
  const key = pi.key >>> 0;
  const mask = pi.mask >>> 0;
  if (pi.offset === 0) {
    if (dir && mask === 0xffff) return `/${key | 0}`;
    if (!dir && mask === 0xffff0000) return `/${key >>> 16}`;
    if (mask === 0xffffffff) return ` spi/esp 0x${hex8(key)}`;
  } else if (pi.offset === 4 && mask === 0xffffffff) return ` spi/ah 0x${hex8(key)}`;
  else if (pi.offset === -40 && mask === 0x000fffff) return ` flowlabel 0x${key.toString(16).padStart(5, "0")}`;
  return ` u32 0x${hex8(key)} mask ${hex8(mask)} at ${pi.offset}`;
}

const IP_PROTOCOLS: Record<number, string> = {
  1: "icmp",
  6: "tcp",
  17: "udp",
  47: "gre",
  50: "esp",
  51: "ah",
  58: "ipv6-icmp",
};

/** rsvp / rsvp6: handle, flowid or tunnel, session, ipproto, tunnelid, sender, actions, police. */
export function printRsvp(p: Printer, o: Opts, handle: number, ctx: FilterPrintContext): void {
  if (handle) p.write(`fh 0x${hex8(handle)} `);
  const pinfo = o.pinfo as
    | { dpi: Gpi; spi: Gpi; protocol: number; tunnelid: number; tunnelhdr: number }
    | undefined;
  if (o.classid !== undefined) {
    if (!pinfo || pinfo.tunnelhdr === 0) p.write(`flowid ${classIdText(o.classid)} `);
    else p.write(`tunnel ${handleNumber(String(o.classid)) | 0} skip ${pinfo.tunnelhdr} `);
  } else if (pinfo && pinfo.tunnelhdr) p.write(`tunnel [BAD] skip ${pinfo.tunnelhdr} `);
  if (o.dst !== undefined) {
    p.write(`session ${o.dst}`);
    p.write(pinfo && pinfo.dpi.mask ? `${spiText(pinfo.dpi, true)} ` : " ");
  } else if (pinfo && pinfo.dpi.mask) p.write(`session [NONE]${spiText(pinfo.dpi, true)} `);
  else p.write("session NONE ");
  if (pinfo && pinfo.protocol) p.write(`ipproto ${IP_PROTOCOLS[pinfo.protocol] ?? pinfo.protocol} `);
  if (pinfo && pinfo.tunnelid) p.write(`tunnelid ${pinfo.tunnelid | 0} `);
  if (o.src !== undefined) {
    p.write(`sender  ${o.src}`);
    p.write(pinfo && pinfo.spi.mask ? `${spiText(pinfo.spi, false)} ` : " ");
  } else if (pinfo && pinfo.spi.mask) p.write(`sender [NONE]${spiText(pinfo.spi, false)} `);
  actions(p, o, ctx);
  police(p, o, ctx);
}

/** basic: `handle 0xH flowid C`, the ematch tree, police, actions. */
export function printBasic(p: Printer, o: Opts, handle: number, ctx: FilterPrintContext): void {
  if (handle) p.hex(Kind.Any, "handle", "handle 0x%x ", handle);
  if (o.classid !== undefined) p.string(Kind.Any, "flowid", "flowid %s ", classIdText(o.classid));
  if (o.ematches !== undefined) printEmatch(p, o.ematches);
  if (o.police !== undefined) {
    p.nl();
    police(p, o, ctx);
  }
  actions(p, o, ctx);
}

/** cgroup: `handle 0xH`, the ematch tree, police, actions. */
export function printCgroup(p: Printer, o: Opts, handle: number, ctx: FilterPrintContext): void {
  if (handle) p.write(`handle 0x${(handle >>> 0).toString(16)} `);
  if (o.ematches !== undefined) printEmatch(p, o.ematches);
  if (o.police !== undefined) {
    p.write("\n");
    police(p, o, ctx);
  }
  actions(p, o, ctx);
}

/** flow: handle, mode, keys, and/xor/or, rshift, addend, divisor, baseclass, perturb, ematches, police, actions. */
export function printFlow(p: Printer, o: Opts, handle: number, ctx: FilterPrintContext): void {
  p.write(`handle 0x${(handle >>> 0).toString(16)} `);
  if (o.mode === "map" || o.mode === "hash") p.write(`${o.mode} `);
  if (Array.isArray(o.keys)) p.write(`keys ${o.keys.join(",")} `);
  const mask = o.mask === undefined ? 0xffffffff : (o.mask as number) >>> 0;
  const val = o.xor === undefined ? 0 : (o.xor as number) >>> 0;
  if (mask !== 0xffffffff || val !== 0) {
    const or = ((mask & val) ^ val) >>> 0;
    const xor = (mask & val) >>> 0;
    if (mask !== 0xffffffff) p.write(`and 0x${hex8(mask)} `);
    if (xor !== 0) p.write(`xor 0x${hex8(xor)} `);
    if (or !== 0) p.write(`or 0x${hex8(or)} `);
  }
  if (o.rshift !== undefined) p.write(`rshift ${o.rshift} `);
  if (o.addend !== undefined) p.write(`addend 0x${((o.addend as number) >>> 0).toString(16)} `);
  if (o.divisor !== undefined) p.write(`divisor ${o.divisor} `);
  if (o.baseclass !== undefined) p.write(`baseclass ${classId(handleNumber(String(o.baseclass)))} `);
  if (o.perturb !== undefined) p.write(`perturb ${o.perturb}sec `);
  if (o.ematches !== undefined) printEmatch(p, o.ematches);
  police(p, o, ctx);
  if (o.act !== undefined) {
    p.write("\n");
    actions(p, o, ctx);
  }
}
