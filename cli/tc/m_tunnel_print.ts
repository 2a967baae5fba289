/**
 * Printers of tunnel_key, ct, ife and pedit actions as tc prints them
 * (m_tunnel_key.c, m_ct.c, m_ife.c, m_pedit.c).
 *
 * @module
 */
import { Kind, type Printer } from "../common/output.ts";
import { type ActionPrinter, printControl, printTm } from "./action_print.ts";
import { type Parms, printIndexLine } from "./m_l2_print.ts";

type Opts = Record<string, unknown>;

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function parmsOf(o: Opts, complaint: string, key = "parms"): Parms | undefined {
  const parms = o[key] as Parms | undefined;
  if (parms === undefined) console.error(complaint);
  return parms;
}

interface EncOpts {
  geneve?: { class: number; type: number; data: Uint8Array }[];
  vxlan?: { gbp: number };
  erspan?: { ver: number; index?: number; dir?: number; hwid?: number };
}

function printEncOpts(p: Printer, opts: EncOpts): void {
  if (opts.geneve) {
    p.openArray(Kind.Json, "geneve_opts");
    p.nl();
    p.printf("\t%s ", "geneve_opts");
    const texts: string[] = [];
    for (const g of opts.geneve) {
      p.openObject();
      p.uint(Kind.Json, "class", "", g.class);
      p.uint(Kind.Json, "type", "", g.type);
      p.openArray(Kind.Json, "data");
      for (const b of g.data) p.uint(Kind.Json, null, "", b);
      p.closeArray(Kind.Json);
      p.closeObject();
      texts.push(`${g.class.toString(16).padStart(4, "0")}:${g.type.toString(16).padStart(2, "0")}:${hex(g.data)}`);
    }
    p.printf("%s", texts.join(","));
    p.closeArray(Kind.Json);
  } else if (opts.vxlan) {
    p.nl();
    p.printf("\t%s ", "vxlan_opts");
    p.openArray(Kind.Json, "vxlan_opts");
    p.openObject();
    p.uint(Kind.Any, "gbp", "%u", opts.vxlan.gbp ?? 0);
    p.closeObject();
    p.closeArray(Kind.Json);
  } else if (opts.erspan) {
    const e = opts.erspan;
    const v1 = e.ver === 1;
    p.nl();
    p.printf("\t%s ", "erspan_opts");
    p.openArray(Kind.Json, "erspan_opts");
    p.openObject();
    p.uint(Kind.Any, "ver", "%u", e.ver);
    p.uint(Kind.Any, "index", ":%u", v1 ? e.index ?? 0 : 0);
    p.uint(Kind.Any, "dir", ":%u", v1 ? 0 : e.dir ?? 0);
    p.uint(Kind.Any, "hwid", ":%u", v1 ? 0 : e.hwid ?? 0);
    p.closeObject();
    p.closeArray(Kind.Json);
  }
}

const tunnelKey: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "tunnel_key");
  if (o === undefined) return;
  const parms = parmsOf(o, "Missing tunnel_key parameters");
  if (parms === undefined) return;
  const act = String(parms.tAction);
  if (act === "unset") p.string(Kind.Any, "mode", " %s", "unset");
  else if (act === "set") {
    p.string(Kind.Any, "mode", " %s", "set");
    const addr = (key: string, v: unknown) => {
      if (v === undefined) return;
      p.nl();
      p.string(Kind.Any, key, `\t${key} %s`, String(v));
    };
    addr("src_ip", o.encIpv4Src);
    addr("dst_ip", o.encIpv4Dst);
    addr("src_ip", o.encIpv6Src);
    addr("dst_ip", o.encIpv6Dst);
    if (o.encKeyId !== undefined) {
      p.nl();
      p.uint(Kind.Any, "key_id", "\tkey_id %u", o.encKeyId as number);
    }
    if (o.encDstPort !== undefined) {
      p.nl();
      p.uint(Kind.Any, "dst_port", "\tdst_port %u", o.encDstPort as number);
    }
    if (o.encOpts !== undefined) printEncOpts(p, o.encOpts as EncOpts);
    if (o.noCsum !== undefined) {
      p.nl();
      p.string(Kind.Any, "flag", "\t%s", o.noCsum ? "nocsum" : "csum");
    }
    if (o.encTos) {
      p.nl();
      p.uint(Kind.Any, "tos", "\ttos 0x%x", o.encTos as number);
    }
    if (o.encTtl) {
      p.nl();
      p.uint(Kind.Any, "ttl", "\tttl %u", o.encTtl as number);
    }
  }
  printControl(p, " ", parms.action, "");
  printIndexLine(p, parms, ctx, o.tm);
};

/** print_masked_u32/u16 without a newline: ` NAME V[/0xMASK]`. */
function masked(p: Printer, name: string, value: unknown, mask: unknown, max: number): void {
  if (value === undefined) return;
  p.printf(" ");
  p.uint(Kind.Any, name, `${name} %u`, value as number);
  const m = mask === undefined ? max : (mask as number) >>> 0;
  if (m !== max) p.hex(Kind.Any, `${name}_mask`, "/0x%x", m);
}

function sameBytes(a: unknown, b: unknown): boolean {
  return String(a) === String(b);
}

function ctNat(p: Printer, flags: string[], o: Opts): void {
  if (!flags.includes("nat")) return;
  let out = "";
  const dir = flags.includes("nat_src") ? "src" : flags.includes("nat_dst") ? "dst" : "";
  if (dir) {
    out += dir;
    if (o.natIpv4Min !== undefined) out += ` addr ${o.natIpv4Min}`;
    if (o.natIpv6Min !== undefined) out += ` addr ${o.natIpv6Min}`;
    if (o.natIpv4Max !== undefined && !sameBytes(o.natIpv4Min, o.natIpv4Max)) out += `-${o.natIpv4Max}`;
    else if (o.natIpv6Max !== undefined && !sameBytes(o.natIpv6Min, o.natIpv6Max)) out += `-${o.natIpv6Max}`;
    if (o.natPortMin !== undefined) out += ` port ${o.natPortMin}`;
    if (o.natPortMax !== undefined && o.natPortMax !== o.natPortMin) out += `-${o.natPortMax}`;
  }
  if (out) p.string(Kind.Any, "nat", " nat %s", out);
  else p.string(Kind.Any, "nat", " nat", "");
}

function ctLabels(p: Printer, labels: unknown, mask: unknown): void {
  if (!(labels instanceof Uint8Array)) return;
  let out = hex(labels);
  const m = mask instanceof Uint8Array ? mask : new Uint8Array(0);
  let showMask = labels.length !== 16;
  for (let i = 0; !showMask && i < labels.length; i++) if (m[i] !== 0xff) showMask = true;
  if (showMask) out += "/" + hex(m.subarray(0, labels.length));
  p.string(Kind.Any, "label", " label %s", out);
}

const ct: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s", "ct");
  if (o === undefined) return;
  const parms = o.parms as Parms | undefined;
  if (parms === undefined) {
    p.printf("%s", "[NULL ct parameters]");
    return;
  }
  const flags = (o.ctAction as string[] | undefined) ?? [];
  if (flags.includes("commit")) {
    p.string(Kind.Any, "action", " %s", flags.includes("force") ? "commit force" : "commit");
  } else if (flags.includes("clear")) p.string(Kind.Any, "action", " %s", "clear");
  masked(p, "mark", o.mark, o.markMask, 0xffffffff);
  masked(p, "zone", o.zone, undefined, 0xffff);
  ctLabels(p, o.labels, o.labelsMask);
  ctNat(p, flags, o);
  printControl(p, " ", parms.action, "");
  printIndexLine(p, parms, ctx, o.tm);
};

const ife: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", "%s ", "ife");
  if (o === undefined) return;
  const parms = parmsOf(o, "Missing ife parameters");
  if (parms === undefined) return;
  p.string(
    Kind.Any,
    "mode",
    "%s ",
    String((parms as unknown as { flags: unknown }).flags) === "encode" ? "encode" : "decode",
  );
  printControl(p, "action ", parms.action, " ");
  let optional = false;
  if (o.type !== undefined) {
    optional = true;
    p.hex0x(Kind.Any, "type", "type %#X ", o.type as number);
  }
  if (optional) p.printf("%s\t", p.sl);
  const meta = o.metalst as Record<string, number | boolean> | undefined;
  if (meta !== undefined) {
    for (const m of ["mark", "tcindex", "prio"]) {
      const v = meta[m];
      if (v === undefined) continue;
      if (typeof v === "number") p.uint(Kind.Any, m, `use ${m} %u `, v);
      else p.string(Kind.Any, m, `%s ${m} `, "allow");
    }
  }
  if (o.dmac !== undefined) p.string(Kind.Any, "dst", "dst %s ", o.dmac as string);
  if (o.smac !== undefined) p.string(Kind.Any, "src", "src %s ", o.smac as string);
  printIndexLine(p, parms, ctx, o.tm);
};

const HTYPE_TEXT: Record<string, string> = { eth: "eth", ip: "ipv4", ip6: "ipv6", tcp: "tcp", udp: "udp" };

interface PeditKey {
  mask: number;
  val: number;
  off: number;
}

/** pedit: verdict, key count, the index line, then each key's place, command, value and mask. */
const pedit: ActionPrinter = (p, o, ctx) => {
  p.string(Kind.Any, "kind", " %s ", "pedit");
  if (o === undefined) return;
  const sel = (o.parms ?? o.parmsEx) as (Parms & { nkeys: number; keys?: PeditKey[] }) | undefined;
  if (sel === undefined) {
    console.error("Missing pedit parameters");
    return;
  }
  const ex = o.parms === undefined
    ? (o.keysEx as { htype: string | number; cmd: string | number }[] | undefined)
    : undefined;
  if (o.parms === undefined && ex === undefined) {
    p.write("Netlink error\n");
    return;
  }
  printControl(p, "action ", sel.action, " ");
  p.uint(Kind.Any, "nkeys", "keys %d\n", sel.nkeys);
  p.uint(Kind.Any, "index", " \t index %u", sel.index >>> 0);
  p.int(Kind.Any, "ref", " ref %d", sel.refcnt);
  p.int(Kind.Any, "bind", " bind %d", sel.bindcnt);
  if (ctx.stats) printTm(p, o.tm as Record<string, bigint> | undefined);
  p.openArray(Kind.Json, "keys");
  const keys = sel.keys ?? [];
  if (sel.nkeys) {
    keys.forEach((key, i) => {
      const htype = ex?.[i]?.htype ?? "network";
      const add = ex?.[i]?.cmd === "add" || ex?.[i]?.cmd === 1;
      p.openObject();
      p.printf("\n\t key #%d  at ", i);
      if (htype !== "network" && htype !== 0) {
        const name = typeof htype === "string" ? HTYPE_TEXT[htype] ?? htype : `unknown(${htype})`;
        p.string(Kind.Any, "htype", "%s", name);
        p.int(Kind.Any, "offset", "%+d", key.off);
      } else {
        p.string(Kind.Json, "htype", "", "network");
        p.int(Kind.Any, "offset", "%d", key.off);
      }
      p.printf(": %s", add ? "add" : "val");
      p.string(Kind.Json, "cmd", "", add ? "add" : "set");
      p.hex(Kind.Any, "val", " %08x", key.val >>> 0);
      p.hex(Kind.Any, "mask", " mask %08x", key.mask >>> 0);
      p.closeObject();
    });
  } else p.write(`\npedit ${(sel.index >>> 0).toString(16)} keys ${sel.nkeys} is not LEGIT`);
  p.closeArray(Kind.Json, " ");
  p.nl();
};

/** The printers of tunnel_key, ct, ife and pedit. */
export const TUNNEL_PRINTERS: Record<string, ActionPrinter> = { tunnel_key: tunnelKey, ct, ife, pedit };
