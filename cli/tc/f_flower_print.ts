/**
 * The flower filter's options as tc prints them (flower_print_opt): handle,
 * classid or hw_tc, indev, the `keys` (VLAN, MACs, ethernet type, IP
 * protocol, TOS/TTL, MPLS, addresses, ports and ranges, TCP flags, ICMP,
 * ARP, tunnel keys and options, ip_flags, conntrack state, zone, mark and
 * label), the offload flags and the actions. Written from f_flower.c; this
 * host's kernel has no cls_flower: tests/cli/tc_kinds_print_test.ts compares
 * it with iproute2 in the full-kernel VM lane.
 *
 * @module
 */
import { ETH_PROTOCOL } from "@nlink/nlink/tc";
import { Kind, type Printer } from "../common/output.ts";
import { printActionList } from "./action_print.ts";
import type { FilterPrintContext } from "./filter_print.ts";
import { classIdText, handleNumber } from "./tc_print.ts";

type Opts = Record<string, unknown>;

/** `\n  NAME VALUE` (print_indent_name_value). */
function nameValue(p: Printer, name: string, value: string): void {
  p.printf("%s  ", p.sl);
  p.string(Kind.Any, name, `${name} %s`, value);
}

/** print_masked_u8/u16/u32: `\n  NAME V[/0xMASK]`. */
function masked(p: Printer, name: string, value: unknown, mask: unknown, max: number): void {
  if (value === undefined) return;
  p.printf("%s  ", p.sl);
  p.uint(Kind.Any, name, `${name} %u`, value as number);
  const m = mask === undefined ? max : mask as number;
  if (m !== max) p.hex(Kind.Any, `${name}_mask`, "/0x%x", m);
}

/** The prefix length of a mask's bytes, or -1 when not contiguous. */
function maskBits(bytes: number[]): number {
  let bits = 0;
  let ended = false;
  for (const b of bytes) {
    for (let i = 7; i >= 0; i--) {
      const set = (b >> i) & 1;
      if (set && ended) return -1;
      if (set) bits++;
      else ended = true;
    }
  }
  return bits;
}

function macBytes(mac: string): number[] {
  return mac.split(":").map((x) => parseInt(x, 16));
}

function ipBytes(addr: string): number[] {
  if (addr.includes(".")) return addr.split(".").map(Number);
  const [head, tail] = addr.split("::");
  const h = head ? head.split(":") : [];
  const t = tail === undefined ? [] : tail ? tail.split(":") : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

function ethAddr(p: Printer, name: string, addr: unknown, mask: unknown): void {
  if (typeof addr !== "string") return;
  let out = addr;
  if (typeof mask === "string") {
    const bits = maskBits(macBytes(mask));
    if (bits < 0) out += `/${mask}`;
    else if (bits < 48) out += `/${bits}`;
  }
  nameValue(p, name, out);
}

function ipAddr(p: Printer, name: string, addr: unknown, mask: unknown): void {
  if (typeof addr !== "string" || typeof mask !== "string") return;
  const bytes = ipBytes(mask);
  const bits = maskBits(bytes);
  let out = addr;
  if (bits < 0) out += `/${mask}`;
  else if (bits < bytes.length * 8) out += `/${bits}`;
  nameValue(p, name, out);
}

const ETH_TYPE_TEXT: Record<number, string> = { 0x0800: "ipv4", 0x86dd: "ipv6", 0x0806: "arp", 0x8035: "rarp" };
const IP_PROTO: Record<string, number> = { tcp: 6, udp: 17, sctp: 132, icmp: 1, icmpv6: 58 };

function protoNumber(x: unknown): number {
  if (typeof x === "number") return x;
  try {
    return ETH_PROTOCOL.value(x as string);
  } catch {
    return 0;
  }
}

function protoName(x: unknown): string {
  const n = protoNumber(x);
  return typeof x === "string" && !/^[0-9]+$/.test(x) ? x : n.toString();
}

interface EncOpts {
  geneve?: { class: number; type: number; data: Uint8Array }[];
  vxlan?: { gbp?: number };
  erspan?: { ver?: number; index?: number; dir?: number; hwid?: number };
  gtp?: { pduType?: number; qfi?: number };
}

const hexBytes = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** One side (key or mask) of the tunnel options: its JSON, and its text parts (comma-separated for geneve). */
function encSide(p: Printer, which: string, o: EncOpts): string[] {
  if (o.geneve) {
    p.openArray(Kind.Json, `geneve_opt_${which}`);
    const parts = o.geneve.map((g) => {
      p.openObject();
      p.uint(Kind.Json, "class", "", g.class);
      p.uint(Kind.Json, "type", "", g.type);
      p.openArray(Kind.Json, "data");
      for (const b of g.data) p.uint(Kind.Json, null, "", b);
      p.closeArray(Kind.Json);
      p.closeObject();
      return `${g.class.toString(16).padStart(4, "0")}:${g.type.toString(16).padStart(2, "0")}:${hexBytes(g.data)}`;
    });
    p.closeArray(Kind.Json);
    return parts;
  }
  if (o.vxlan) {
    const gbp = (o.vxlan.gbp ?? 0) >>> 0;
    p.openArray(Kind.Json, `vxlan_opt_${which}`);
    p.openObject();
    p.uint(Kind.Json, "gbp", "", gbp);
    p.closeObject();
    p.closeArray(Kind.Json);
    return [String(gbp)];
  }
  if (o.erspan) {
    const e = o.erspan;
    const v1 = e.ver === 1;
    const idx = v1 ? (e.index ?? 0) >>> 0 : 0;
    const dir = v1 ? 0 : e.dir ?? 0;
    const hwid = v1 ? 0 : e.hwid ?? 0;
    p.openArray(Kind.Json, `erspan_opt_${which}`);
    p.openObject();
    p.uint(Kind.Json, "ver", "", e.ver ?? 0);
    p.uint(Kind.Json, "index", "", idx);
    p.uint(Kind.Json, "dir", "", dir);
    p.uint(Kind.Json, "hwid", "", hwid);
    p.closeObject();
    p.closeArray(Kind.Json);
    return [`${e.ver ?? 0}:${idx}:${dir}:${hwid}`];
  }
  if (o.gtp) {
    const h2 = (n: number | undefined) => (n ?? 0).toString(16).padStart(2, "0");
    return [`${h2(o.gtp.pduType)}:${h2(o.gtp.qfi)}`];
  }
  return [];
}

/** flower_print_enc_opts: JSON key and mask arrays; text `  geneve_opts KEY/MASK,…` (text only). */
function printEncOpts(p: Printer, key: EncOpts | undefined, mask: EncOpts | undefined): void {
  if (key === undefined) return;
  const family = key.geneve ? "geneve" : key.vxlan ? "vxlan" : key.erspan ? "erspan" : key.gtp ? "gtp" : undefined;
  if (family === undefined) return;
  const keys = encSide(p, "key", key);
  const masks = mask !== undefined && (mask as Record<string, unknown>)[family] !== undefined
    ? encSide(p, "mask", mask)
    : [];
  p.nl();
  p.printf(`  ${family}_opts %s`, keys.map((k, i) => `${k}/${masks[i] ?? "(null)"}`).join(","));
}

const IP_FLAGS = ["frag", "firstfrag"];

/** flower_print_matching_flags for ip_flags: `  ip_flags frag/nofirstfrag`, JSON booleans. */
function printIpFlags(p: Printer, flags: unknown, mask: unknown): void {
  if (!Array.isArray(mask)) return;
  const set = Array.isArray(flags) ? flags : [];
  let count = 0;
  for (const f of IP_FLAGS) {
    if (!mask.includes(f)) continue;
    if (++count === 1) {
      p.nl();
      p.printf("  %s ", "ip_flags");
      p.openObject("ip_flags");
    } else p.printf("/");
    p.bool(Kind.Json, f, "", set.includes(f));
    p.printf(set.includes(f) ? "%s" : "no%s", f);
  }
  if (count) p.closeObject();
}

const CT_STATES = ["trk", "new", "est", "rel", "inv", "rpl"];

/** `  ct_state +trk+est-new`, in tc's order of the states. */
function printCtState(p: Printer, state: unknown, mask: unknown): void {
  if (state === undefined) return;
  const set = Array.isArray(state) ? state : [];
  const m = Array.isArray(mask) ? mask : CT_STATES;
  const out = CT_STATES.filter((s) => m.includes(s)).map((s) => (set.includes(s) ? "+" : "-") + s).join("");
  p.nl();
  p.string(Kind.Any, "ct_state", "  ct_state %s", out);
}

/** `  ct_label HEX[/MASK]` (the mask unless 16 bytes of 0xff). */
function printCtLabel(p: Printer, label: unknown, mask: unknown): void {
  if (!(label instanceof Uint8Array)) return;
  const m = mask instanceof Uint8Array ? mask : new Uint8Array(0);
  let out = hexBytes(label);
  if (label.length !== 16 || Array.from(label, (_, i) => m[i]).some((b) => b !== 0xff)) {
    out += "/" + hexBytes(m.subarray(0, label.length));
  }
  p.nl();
  p.string(Kind.Any, "ct_label", "  ct_label %s", out);
}

/**
 * Prints flower's options (inside the filter's `options` object).
 *
 * @example
 * ```ts ignore
 * printFlower(p, f.options, f.handle, ctx);
 * ```
 */
export function printFlower(p: Printer, o: Opts, handle: number, ctx: FilterPrintContext): void {
  if (handle) p.uint(Kind.Any, "handle", "handle 0x%x ", handle);
  if (o.classid !== undefined) {
    const h = handleNumber(String(o.classid));
    const minor = h & 0xffff;
    if (minor < 0xffe0 || minor > 0xffe0 + 15) p.string(Kind.Any, "classid", "classid %s ", classIdText(o.classid));
    else p.uint(Kind.Any, "hw_tc", "hw_tc %u ", minor - 0xffe0);
  }
  if (o.indev !== undefined) {
    p.nl();
    p.string(Kind.Any, "indev", "  indev %s", String(o.indev));
  }
  p.openObject("keys");
  const line = (key: string, fmt: string, v: unknown) => {
    if (v === undefined) return;
    p.nl();
    if (typeof v === "number") p.uint(Kind.Any, key, fmt, v);
    else p.string(Kind.Any, key, fmt, String(v));
  };
  line("num_of_vlans", "  num_of_vlans %u", o.keyNumOfVlans);
  line("vlan_id", "  vlan_id %u", o.keyVlanId);
  line("vlan_prio", "  vlan_prio %u", o.keyVlanPrio);
  if (o.keyVlanEthType !== undefined) line("vlan_ethtype", "  vlan_ethtype %s", protoName(o.keyVlanEthType));
  line("cvlan_id", "  cvlan_id %u", o.keyCvlanId);
  line("cvlan_prio", "  cvlan_prio %u", o.keyCvlanPrio);
  if (o.keyCvlanEthType !== undefined) line("cvlan_ethtype", "  cvlan_ethtype %s", protoName(o.keyCvlanEthType));
  ethAddr(p, "dst_mac", o.keyEthDst, o.keyEthDstMask);
  ethAddr(p, "src_mac", o.keyEthSrc, o.keyEthSrcMask);
  let ethType = 0;
  if (o.keyEthType !== undefined) {
    ethType = protoNumber(o.keyEthType);
    p.nl();
    p.string(Kind.Any, "eth_type", "  eth_type %s", ETH_TYPE_TEXT[ethType] ?? ethType.toString(16).padStart(4, "0"));
  }
  let ipProto = 0xff;
  if (o.keyIpProto !== undefined) {
    ipProto = typeof o.keyIpProto === "number" ? o.keyIpProto : IP_PROTO[o.keyIpProto as string] ?? 0xff;
    const text = typeof o.keyIpProto === "string" && IP_PROTO[o.keyIpProto] !== undefined
      ? o.keyIpProto
      : ipProto.toString(16).padStart(2, "0");
    p.nl();
    p.string(Kind.Any, "ip_proto", "  ip_proto %s", text);
  }
  masked(p, "ip_tos", o.keyIpTos, o.keyIpTosMask, 0xff);
  masked(p, "ip_ttl", o.keyIpTtl, o.keyIpTtlMask, 0xff);
  masked(p, "mpls_label", o.keyMplsLabel, undefined, 0xffffffff);
  masked(p, "mpls_tc", o.keyMplsTc, undefined, 0xff);
  masked(p, "mpls_bos", o.keyMplsBos, undefined, 0xff);
  masked(p, "mpls_ttl", o.keyMplsTtl, undefined, 0xff);
  if (ethType === 0x0800) {
    ipAddr(p, "dst_ip", o.keyIpv4Dst, o.keyIpv4DstMask);
    ipAddr(p, "src_ip", o.keyIpv4Src, o.keyIpv4SrcMask);
  } else if (ethType === 0x86dd) {
    ipAddr(p, "dst_ip", o.keyIpv6Dst, o.keyIpv6DstMask);
    ipAddr(p, "src_ip", o.keyIpv6Src, o.keyIpv6SrcMask);
  }
  const l4 = ipProto === 6 ? "Tcp" : ipProto === 17 ? "Udp" : ipProto === 132 ? "Sctp" : undefined;
  if (l4 !== undefined) {
    masked(p, "dst_port", o[`key${l4}Dst`], o[`key${l4}DstMask`], 0xffff);
    masked(p, "src_port", o[`key${l4}Src`], o[`key${l4}SrcMask`], 0xffff);
    for (
      const [name, min, max] of [["dst_port", o.keyPortDstMin, o.keyPortDstMax], [
        "src_port",
        o.keyPortSrcMin,
        o.keyPortSrcMax,
      ]]
    ) {
      if (min === undefined || max === undefined) continue;
      if (p.json) {
        p.openObject(name as string);
        p.uint(Kind.Json, "start", "", min as number);
        p.uint(Kind.Json, "end", "", max as number);
        p.closeObject();
      } else nameValue(p, name as string, `${min}-${max}`);
    }
  }
  if (o.keyTcpFlags !== undefined) {
    let out = `0x${(o.keyTcpFlags as number).toString(16)}`;
    if (o.keyTcpFlagsMask !== undefined) out += `/${(o.keyTcpFlagsMask as number).toString(16)}`;
    nameValue(p, "tcp_flags", out);
  }
  const icmp = ipProto === 1 && ethType === 0x0800 ? "Icmpv4" : ipProto === 58 && ethType === 0x86dd ? "Icmpv6" : "";
  if (icmp) {
    masked(p, "icmp_type", o[`key${icmp}Type`], o[`key${icmp}TypeMask`], 0xff);
    masked(p, "icmp_code", o[`key${icmp}Code`], o[`key${icmp}CodeMask`], 0xff);
  }
  ipAddr(p, "arp_sip", o.keyArpSip, o.keyArpSipMask);
  ipAddr(p, "arp_tip", o.keyArpTip, o.keyArpTipMask);
  ethAddr(p, "arp_sha", o.keyArpSha, o.keyArpShaMask);
  ethAddr(p, "arp_tha", o.keyArpTha, o.keyArpThaMask);
  line("pppoe_sid", "  pppoe_sid %u", o.keyPppoeSid);
  if (o.keyEncIpv4DstMask !== undefined) ipAddr(p, "enc_dst_ip", o.keyEncIpv4Dst, o.keyEncIpv4DstMask);
  else ipAddr(p, "enc_dst_ip", o.keyEncIpv6Dst, o.keyEncIpv6DstMask);
  if (o.keyEncIpv4SrcMask !== undefined) ipAddr(p, "enc_src_ip", o.keyEncIpv4Src, o.keyEncIpv4SrcMask);
  else ipAddr(p, "enc_src_ip", o.keyEncIpv6Src, o.keyEncIpv6SrcMask);
  if (o.keyEncKeyId !== undefined) {
    p.printf("%s  ", p.sl);
    p.uint(Kind.Any, "enc_key_id", "enc_key_id %u", o.keyEncKeyId as number);
  }
  masked(p, "enc_dst_port", o.keyEncUdpDstPort, o.keyEncUdpDstPortMask, 0xffff);
  masked(p, "enc_tos", o.keyEncIpTos, o.keyEncIpTosMask, 0xff);
  masked(p, "enc_ttl", o.keyEncIpTtl, o.keyEncIpTtlMask, 0xff);
  printEncOpts(p, o.keyEncOpts as EncOpts | undefined, o.keyEncOptsMask as EncOpts | undefined);
  printIpFlags(p, o.keyFlags, o.keyFlagsMask);
  printCtState(p, o.keyCtState, o.keyCtStateMask);
  masked(p, "ct_zone", o.keyCtZone, o.keyCtZoneMask, 0xffff);
  masked(p, "ct_mark", o.keyCtMark, o.keyCtMarkMask, 0xffffffff);
  printCtLabel(p, o.keyCtLabels, o.keyCtLabelsMask);
  p.closeObject();
  const flags = o.flags as string[] | undefined;
  if (flags) {
    for (const f of ["skip_hw", "skip_sw"]) {
      if (flags.includes(f)) {
        p.nl();
        p.bool(Kind.Any, f, `  ${f}`, true);
      }
    }
    if (flags.includes("in_hw")) {
      p.nl();
      p.bool(Kind.Any, "in_hw", "  in_hw", true);
      if (o.inHwCount !== undefined) p.uint(Kind.Any, "in_hw_count", " in_hw_count %u", o.inHwCount as number);
    } else if (flags.includes("not_in_hw")) {
      p.nl();
      p.bool(Kind.Any, "not_in_hw", "  not_in_hw", true);
    }
  }
  if (o.act) printActionList(p, o.act as never, ctx, true);
}
