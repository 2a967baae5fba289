/**
 * The flower filter (`tc filter add … flower KEYS… [action …] [classid C]`):
 * its typed options and the encoder that writes them as tc(8) does.
 *
 * tc(8) writes the keys in the order of its arguments; nlink writes them in
 * one fixed order (the order of {@linkcode FlowerOptions}' fields: classid,
 * indev, VLAN tags, PPPoE, MACs, IP protocol, TOS/TTL, MPLS, addresses,
 * ports, TCP flags, ICMP, ARP, tunnel keys, conntrack, actions), then the
 * flags, the IP fragment flags and the ethernet type, as tc(8) does last.
 * Keys that depend on the packet's ethernet type (`ipProto` needs IP,
 * `vlanId` a VLAN protocol, …) are checked as tc(8) checks them, with the
 * type the filter's `protocol` and the inner VLAN/PPP types give.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type ActionOptions, actionsValue } from "../action.ts";
import { ETH_PROTOCOL } from "../constants.ts";
import { type Handle, makeHandle, parseParent } from "../handle.ts";
import { classidOf, CLS_FLAGS, clsFlags, indevOf } from "./cls_common.ts";
import type { TcContext, TcKindCodec, TcOptions } from "../kind.ts";
import { AF_INET, AF_INET6 } from "../../util/addr.ts";
import { ENC_OPTS_KEYS, encOpts, type EncOptsOptions } from "./flower_enc.ts";
import { CT_STATE_FLAGS, FLOWER_ATTRS, FLOWER_IP_PROTO, FLOWER_KEY_FLAGS, PPP_PROTOCOL } from "./flower_keys.ts";
import { hexBytes, ipPrefix, masked, maskedMac, type MaskedSyntax, uint } from "./flower_values.ts";

export type { ErspanOpt, GeneveOpt, GtpOpt, VxlanOpt } from "./flower_enc.ts";

/** A value and the bits of it that count: a number (every bit), `{ value, mask }`, or tc(8)'s text `"VALUE/MASK"`. */
export type Masked = number | string | { value: number; mask?: number };

/**
 * A MAC address and the bits that count: `"02:00:00:00:00:01"`,
 * `"02:00:00:00:00:00/ff:ff:ff:00:00:00"`, `"02:00:00:00:00:00/24"` (the
 * leading bits), or `{ address, mask }` (a MAC or a bit count).
 */
export type MaskedMac = string | { address: string | Uint8Array; mask?: string | Uint8Array | number };

/**
 * A port: a number, a range (`{ min, max }` or `"1000-2000"`: the kernel's
 * port-range keys) or a masked port (`{ value, mask }` or `"80/0xfff0"`).
 */
export type FlowerPort = number | string | { min: number; max: number } | { value: number; mask: number };

/** One MPLS label stack entry to match (`lse depth N [label L] [tc T] [bos B] [ttl T]`). */
export interface MplsLse {
  /** Its depth in the stack (1: the outermost). */
  depth: number;
  /** Label (20 bits). */
  label?: number;
  /** Traffic class (0-7). */
  tc?: number;
  /** Bottom-of-stack bit (0 or 1). */
  bos?: number;
  /** TTL. */
  ttl?: number;
}

/** Connection-tracking states by tc(8)'s names: true must be set, false must be clear. */
export interface CtState {
  /** Tracked (`trk`). */
  trk?: boolean;
  /** New connection (`new`). */
  new?: boolean;
  /** Established (`est`). */
  est?: boolean;
  /** Related (`rel`). */
  rel?: boolean;
  /** Invalid (`inv`). */
  inv?: boolean;
  /** Reply direction (`rpl`). */
  rpl?: boolean;
}

/**
 * The flower classifier (`tc filter add dev D ingress protocol ip flower
 * dst_ip 10.0.0.0/24 ip_proto tcp dst_port 80 action …`): matches on L2-L4
 * header fields, tunnel metadata and conntrack state, each with a mask.
 * Integers given as text are read as tc(8) reads that key (`ipProto` and
 * `tcpFlags` hexadecimal, `ctMark` C-style, most others decimal).
 */
export interface FlowerOptions extends EncOptsOptions {
  /** The kind. */
  kind: "flower";
  /**
   * The ethernet protocol (the filter's `protocol`, a common filter option):
   * flower matches it as its ethernet type. A chain template has no protocol
   * of its own: tc(8) then sends type 0, which `protocol: 0` gives.
   */
  protocol?: string | number;
  /** The class matched packets go to (`classid`/`flowid`). */
  classid?: Handle;
  /** The hardware traffic class matched packets go to (`hw_tc`, 0-15; give this or `classid`). */
  hwTc?: number;
  /** The input device (`indev`; sent by name, the kernel resolves it). */
  indev?: string;
  /** Number of VLAN tags (`num_of_vlans`). */
  numOfVlans?: number;
  /** VLAN id (`vlan_id`; needs protocol 802.1Q/802.1ad or `numOfVlans`). */
  vlanId?: number;
  /** VLAN priority (`vlan_prio`, 0-7). */
  vlanPrio?: number;
  /** Ethernet type inside the VLAN tag (`vlan_ethtype`: `"ip"`, `"ipv6"`, `"802.1Q"`, a number). */
  vlanEthtype?: string | number;
  /** Inner VLAN id (`cvlan_id`; needs an 802.1Q/802.1ad `vlanEthtype` or `numOfVlans` 2). */
  cvlanId?: number;
  /** Inner VLAN priority (`cvlan_prio`). */
  cvlanPrio?: number;
  /** Ethernet type inside the inner tag (`cvlan_ethtype`). */
  cvlanEthtype?: string | number;
  /** PPPoE session id (`pppoe_sid`; needs protocol ppp_ses). */
  pppoeSid?: number;
  /** PPP protocol (`ppp_proto`: `"ip"`, `"ipv6"`, `"mpls_uc"`, `"mpls_mc"`, a number). */
  pppProto?: string | number;
  /** Destination MAC (`dst_mac`). */
  dstMac?: MaskedMac;
  /** Source MAC (`src_mac`). */
  srcMac?: MaskedMac;
  /** IP protocol (`ip_proto`: `"tcp"`, `"udp"`, `"sctp"`, `"icmp"`, `"icmpv6"`, a number; text is hexadecimal). */
  ipProto?: "tcp" | "udp" | "sctp" | "icmp" | "icmpv6" | number | string;
  /** IP TOS / traffic class (`ip_tos`). */
  ipTos?: Masked;
  /** IP TTL / hop limit (`ip_ttl`). */
  ipTtl?: Masked;
  /** MPLS label stack entries (`mpls lse …`; not with the `mpls*` keys below). */
  mpls?: MplsLse[];
  /** Outermost MPLS label (`mpls_label`). */
  mplsLabel?: number;
  /** Outermost MPLS traffic class (`mpls_tc`). */
  mplsTc?: number;
  /** Outermost MPLS bottom-of-stack bit (`mpls_bos`). */
  mplsBos?: number;
  /** Outermost MPLS TTL (`mpls_ttl`). */
  mplsTtl?: number;
  /** Destination address or prefix (`dst_ip`; IPv4 with protocol ip, IPv6 with ipv6). */
  dstIp?: string;
  /** Source address or prefix (`src_ip`). */
  srcIp?: string;
  /** Destination port, range or masked port (`dst_port`; needs `ipProto` tcp, udp or sctp). */
  dstPort?: FlowerPort;
  /** Source port, range or masked port (`src_port`). */
  srcPort?: FlowerPort;
  /** TCP flags (`tcp_flags`, 12 bits; text is hexadecimal; default mask 0xfff). */
  tcpFlags?: Masked;
  /** ICMP type (`type`; needs `ipProto` icmp or icmpv6). */
  icmpType?: Masked;
  /** ICMP code (`code`). */
  icmpCode?: Masked;
  /** ARP target IP (`arp_tip`; needs protocol arp or rarp). */
  arpTip?: string;
  /** ARP sender IP (`arp_sip`). */
  arpSip?: string;
  /** ARP operation (`arp_op`: `"request"`, `"reply"`, 0, or `{ value, mask }`). */
  arpOp?: "request" | "reply" | Masked;
  /** ARP target MAC (`arp_tha`). */
  arpTha?: MaskedMac;
  /** ARP sender MAC (`arp_sha`). */
  arpSha?: MaskedMac;
  /** Tunnel destination address or prefix (`enc_dst_ip`). */
  encDstIp?: string;
  /** Tunnel source address or prefix (`enc_src_ip`). */
  encSrcIp?: string;
  /** Tunnel key id (`enc_key_id`: VNI, GRE key). */
  encKeyId?: number;
  /** Tunnel TOS (`enc_tos`). */
  encTos?: Masked;
  /** Tunnel TTL (`enc_ttl`). */
  encTtl?: Masked;
  /** Tunnel UDP destination port (`enc_dst_port`). */
  encDstPort?: number;
  /** IP fragment flags (`ip_flags`): `{ frag: true, firstfrag: false }` or text `"frag/nofirstfrag"`. */
  ipFlags?: string | { frag?: boolean; firstfrag?: boolean };
  /** Conntrack state (`ct_state`): `{ trk: true, est: true }` or text `"+trk+est"`. */
  ctState?: string | CtState;
  /** Conntrack labels (`ct_label`): hex text `"LABELS[/MASK]"` or `{ value, mask }` (up to 16 bytes each). */
  ctLabel?: string | { value: string | Uint8Array; mask?: string | Uint8Array };
  /** Conntrack mark (`ct_mark`). */
  ctMark?: Masked;
  /** Conntrack zone (`ct_zone`). */
  ctZone?: Masked;
  /** The actions matched packets go through (`action …`). */
  actions?: ActionOptions[];
  /** Not in hardware (`skip_hw`). */
  skipHw?: boolean;
  /** Only in hardware (`skip_sw`). */
  skipSw?: boolean;
  /** Verbose offload errors (`verbose`). */
  verbose?: boolean;
}

// ---------------------------------------------------------------- ethernet and IP types

const ETH = {
  ALL: 0x0003,
  IP: 0x0800,
  ARP: 0x0806,
  RARP: 0x8035,
  IPV6: 0x86dd,
  PPP_SES: 0x8864,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  MPLS_UC: 0x8847,
  MPLS_MC: 0x8848,
} as const;

const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58, SCTP: 132 } as const;

/** An ethernet type: a name tc(8) knows (`ip`, `802.1Q`, …) or a number (C-style text). */
function ethType(x: unknown, field: string): number {
  if (typeof x === "string" && ETH_PROTOCOL.has(x)) return ETH_PROTOCOL.value(x, field);
  if (typeof x === "string") {
    const named = ETH_PROTOCOL.names.find((n) => n.toLowerCase() === x.toLowerCase());
    if (named !== undefined) return ETH_PROTOCOL.value(named, field);
  }
  return uint(x, 0xffff, 0, field);
}

const isVlan = (type: number) => type === ETH.VLAN || type === ETH.QINQ;
const isMpls = (type: number) => type === ETH.MPLS_UC || type === ETH.MPLS_MC;
const isArp = (type: number) => type === ETH.ARP || type === ETH.RARP;

/** The PPP protocols that carry a packet flower looks into, and the ethernet type it then has. */
const PPP_TO_ETH: Readonly<Record<number, number>> = {
  [PPP_PROTOCOL.value("ip")]: ETH.IP,
  [PPP_PROTOCOL.value("ipv6")]: ETH.IPV6,
  [PPP_PROTOCOL.value("mpls_uc")]: ETH.MPLS_UC,
  [PPP_PROTOCOL.value("mpls_mc")]: ETH.MPLS_MC,
};

function pppProto(x: unknown, field: string): number {
  if (typeof x === "string" && PPP_PROTOCOL.has(x.toLowerCase())) return PPP_PROTOCOL.value(x.toLowerCase(), field);
  return uint(x, 0xffff, 0, field);
}

function ipProto(x: unknown, eth: number, field: string): number {
  if (eth !== ETH.IP && eth !== ETH.IPV6) {
    throw new ValidationError(field, x, "matching an IP protocol needs protocol ip or ipv6 (or an inner type of one)");
  }
  if (typeof x === "string" && FLOWER_IP_PROTO.has(x)) {
    const n = FLOWER_IP_PROTO.value(x, field);
    if ((n === IPPROTO.ICMP && eth !== ETH.IP) || (n === IPPROTO.ICMPV6 && eth !== ETH.IPV6)) {
      throw new ValidationError(field, x, `${x} needs protocol ${n === IPPROTO.ICMP ? "ip" : "ipv6"}`);
    }
    return n;
  }
  return uint(x, 0xff, 16, field);
}

// ---------------------------------------------------------------- masked keys

const U8_TOS: MaskedSyntax = { max: 0xff, base: "10|16", maskBase: 16, full: 0xff };
const U8_DEC: MaskedSyntax = { max: 0xff, base: 10, maskBase: 10, full: 0xff };
const TCP_FLAGS: MaskedSyntax = { max: 0xfff, base: 16, maskBase: 16, full: 0xfff };
const CT_ZONE: MaskedSyntax = { max: 0xffff, base: 0, maskBase: 0, full: 0xffff };
const CT_MARK: MaskedSyntax = { max: 0xffffffff, base: 0, maskBase: 0, full: 0xffffffff };
const PORT_MASKED: MaskedSyntax = { max: 0xffff, base: 0, maskBase: 0, full: 0xffff };

type Out = Record<string, unknown>;

/** Writes `name` and `name + "Mask"` from a masked key. */
function putMasked(out: Out, name: string, x: unknown, syntax: MaskedSyntax, field: string): void {
  if (x === undefined) return;
  const { value, mask } = masked(x, syntax, field);
  out[name] = value;
  out[`${name}Mask`] = mask;
}

function putMac(out: Out, name: string, x: unknown, field: string): void {
  if (x === undefined) return;
  const { address, mask } = maskedMac(x, field);
  out[name] = address;
  out[`${name}Mask`] = mask;
}

/** Writes an address key and its mask; `names` are the IPv4 and IPv6 attributes, the address picks one. */
function putPrefix(out: Out, x: unknown, names: [string, string], family: number, field: string): void {
  if (x === undefined) return;
  const p = ipPrefix(x, field, family || undefined);
  const name = p.family === AF_INET ? names[0] : names[1];
  out[name] = p.address;
  out[`${name}Mask`] = p.mask;
}

/** The address family `dst_ip`/`src_ip` take with this ethernet type (0: either, with no type). */
function ipFamilyOf(eth: number, x: unknown, field: string): number {
  if (eth === ETH.IP) return AF_INET;
  if (eth === ETH.IPV6) return AF_INET6;
  if (eth === 0) return 0;
  throw new ValidationError(field, x, "matching an IP address needs protocol ip or ipv6 (or an inner type of one)");
}

const PORT_KEYS: Readonly<Record<number, string>> = {
  [IPPROTO.TCP]: "Tcp",
  [IPPROTO.UDP]: "Udp",
  [IPPROTO.SCTP]: "Sctp",
};

/** A port key: one port (with or without a mask) or a range, as tc(8) tells them apart. */
function putPort(out: Out, x: unknown, proto: number | undefined, side: "Src" | "Dst", field: string): void {
  if (x === undefined) return;
  const l4 = proto === undefined ? undefined : PORT_KEYS[proto];
  if (l4 === undefined) throw new ValidationError(field, x, "matching a port needs ipProto tcp, udp or sctp");
  let range: { min: number; max: number } | undefined;
  let one: { value: number; mask?: number } | undefined;
  if (typeof x === "string") {
    const r = /^(\d+)-(\d+)$/.exec(x);
    if (r) range = { min: uint(r[1], 0xffff, 10, field), max: uint(r[2], 0xffff, 10, field) };
    else if (x.includes("/")) one = masked(x, PORT_MASKED, field);
    else one = { value: uint(x, 0xffff, 10, field) };
  } else if (x !== null && typeof x === "object" && "min" in x) {
    const o = x as { min: unknown; max: unknown };
    range = { min: uint(o.min, 0xffff, 10, `${field}.min`), max: uint(o.max, 0xffff, 10, `${field}.max`) };
  } else if (x !== null && typeof x === "object") one = masked(x, PORT_MASKED, field);
  else one = { value: uint(x, 0xffff, 10, field) };
  if (range !== undefined) {
    if (range.min === 0 || range.max <= range.min) {
      throw new ValidationError(field, x, "a port range is MIN-MAX with 0 < MIN < MAX");
    }
    out[`keyPort${side}Min`] = range.min;
    out[`keyPort${side}Max`] = range.max;
    return;
  }
  // tc(8) sends a lone port without its mask (the kernel then matches every bit); port 0 only with a mask.
  if (one!.mask === undefined && one!.value === 0) throw new ValidationError(field, x, "expected a port 1..65535");
  out[`key${l4}${side}`] = one!.value;
  if (one!.mask !== undefined) out[`key${l4}${side}Mask`] = one!.mask;
}

function ctState(x: unknown, field: string): { flags: number; mask: number } {
  let flags = 0, mask = 0;
  if (typeof x === "string") {
    const re = /([+-])(trk|new|est|rel|inv|rpl)/y;
    let at = 0;
    while (at < x.length) {
      re.lastIndex = at;
      const m = re.exec(x);
      if (!m) throw new ValidationError(field, x, "expected +STATE/-STATE terms: trk, new, est, rel, inv, rpl");
      const bit = CT_STATE_FLAGS.bit(m[2]);
      if (m[1] === "+") flags |= bit;
      mask |= bit;
      at = re.lastIndex;
    }
  } else if (x !== null && typeof x === "object") {
    for (const [name, set] of Object.entries(x)) {
      if (set === undefined) continue;
      if (!CT_STATE_FLAGS.names.includes(name) || typeof set !== "boolean") {
        throw new ValidationError(`${field}.${name}`, set, "expected trk, new, est, rel, inv or rpl set true or false");
      }
      const bit = CT_STATE_FLAGS.bit(name);
      if (set) flags |= bit;
      mask |= bit;
    }
  } else throw new ValidationError(field, x, "expected { trk: true, … } or text such as +trk+est");
  return { flags, mask };
}

function ipFlags(x: unknown, field: string): { flags: number; mask: number } {
  let flags = 0, mask = 0;
  const set = (name: string, on: boolean) => {
    const bit = FLOWER_KEY_FLAGS.bit(name);
    flags = on ? flags | bit : flags & ~bit;
    mask |= bit;
  };
  if (typeof x === "string") {
    for (const term of x.split("/")) {
      const name = term.startsWith("no") ? term.slice(2) : term;
      if (name !== "frag" && name !== "firstfrag") {
        throw new ValidationError(field, x, "expected frag, nofrag, firstfrag, nofirstfrag joined by /");
      }
      set(name, !term.startsWith("no"));
    }
  } else if (x !== null && typeof x === "object") {
    for (const [name, on] of Object.entries(x)) {
      if (on === undefined) continue;
      if ((name !== "frag" && name !== "firstfrag") || typeof on !== "boolean") {
        throw new ValidationError(`${field}.${name}`, on, "expected frag or firstfrag set true or false");
      }
      set(name, on);
    }
  } else throw new ValidationError(field, x, "expected { frag, firstfrag } or text such as frag/nofirstfrag");
  return { flags: flags >>> 0, mask };
}

function ctLabels(x: unknown, field: string): { value: Uint8Array; mask: Uint8Array } {
  let value: unknown = x, mask: unknown;
  if (typeof x === "string" && x.includes("/")) [value, mask] = x.split("/", 2);
  else if (x !== null && typeof x === "object" && !(x instanceof Uint8Array)) {
    ({ value, mask } = x as { value?: unknown; mask?: unknown });
  }
  return {
    value: hexBytes(value, 1, 16, field),
    mask: mask === undefined ? new Uint8Array(16).fill(0xff) : hexBytes(mask, 1, 16, `${field}.mask`),
  };
}

function arpOp(x: unknown, field: string): { value: number; mask: number } {
  const named = (v: unknown) => (v === "request" ? 1 : v === "reply" ? 2 : v);
  let r: { value: number; mask: number };
  if (typeof x === "string") {
    const [v, m] = x.split("/", 2);
    r = masked(m === undefined ? String(named(v)) : `${named(v)}/${m}`, U8_DEC, field);
  } else if (x !== null && typeof x === "object") {
    const o = x as { value?: unknown; mask?: unknown };
    r = masked({ value: named(o.value), mask: o.mask }, U8_DEC, field);
  } else r = masked(x, U8_DEC, field);
  if (r.value > 2) throw new ValidationError(field, x, "expected request, reply, 1, 2 or 0");
  return r;
}

function needEth(ok: boolean, field: string, x: unknown, why: string): void {
  if (!ok) throw new ValidationError(field, x, why);
}

function hwTcClass(o: TcOptions): number {
  const tc = uint(o.hwTc, 15, 0, "hwTc");
  const parent = o.parent === undefined ? 0 : parseParent(o.parent as Handle, "parent");
  return makeHandle(parent, tc + 0xffe0); // TC_H_MIN_PRIORITY + the traffic class
}

// ---------------------------------------------------------------- the encoder

/** The layer 2 keys: indev, VLAN tags, PPPoE and MACs; returns the ethernet type inside them. */
function layer2(o: TcOptions, out: Out, protocol: number): number {
  let eth = protocol;
  const indev = indevOf(o);
  if (indev !== undefined) out.indev = indev;
  const vlans = o.numOfVlans === undefined ? 0 : uint(o.numOfVlans, 0xff, 10, "numOfVlans");
  if (o.numOfVlans !== undefined) out.keyNumOfVlans = vlans;
  const outerWhy = "needs protocol 802.1Q or 802.1ad, or numOfVlans";
  if (o.vlanId !== undefined) {
    needEth(isVlan(protocol) || vlans > 0, "vlanId", o.vlanId, `vlanId ${outerWhy}`);
    out.keyVlanId = uint(o.vlanId, 0xfff, 10, "vlanId");
  }
  if (o.vlanPrio !== undefined) {
    needEth(isVlan(protocol) || vlans > 0, "vlanPrio", o.vlanPrio, `vlanPrio ${outerWhy}`);
    out.keyVlanPrio = uint(o.vlanPrio, 7, 10, "vlanPrio");
  }
  let vlanEth = 0;
  if (o.vlanEthtype !== undefined) {
    needEth(isVlan(eth) || vlans > 0, "vlanEthtype", o.vlanEthtype, `vlanEthtype ${outerWhy}`);
    vlanEth = eth = out.keyVlanEthType = ethType(o.vlanEthtype, "vlanEthtype");
  }
  const innerWhy = "needs vlanEthtype 802.1Q or 802.1ad, or numOfVlans 2";
  if (o.cvlanId !== undefined) {
    needEth(isVlan(vlanEth) || vlans > 1, "cvlanId", o.cvlanId, `cvlanId ${innerWhy}`);
    out.keyCvlanId = uint(o.cvlanId, 0xfff, 10, "cvlanId");
  }
  if (o.cvlanPrio !== undefined) {
    needEth(isVlan(vlanEth) || vlans > 1, "cvlanPrio", o.cvlanPrio, `cvlanPrio ${innerWhy}`);
    out.keyCvlanPrio = uint(o.cvlanPrio, 7, 10, "cvlanPrio");
  }
  if (o.cvlanEthtype !== undefined) {
    needEth(isVlan(vlanEth) || vlans > 1, "cvlanEthtype", o.cvlanEthtype, `cvlanEthtype ${innerWhy}`);
    eth = out.keyCvlanEthType = ethType(o.cvlanEthtype, "cvlanEthtype");
  }
  if (o.pppoeSid !== undefined) {
    needEth(eth === ETH.PPP_SES, "pppoeSid", o.pppoeSid, "pppoeSid needs ethernet type ppp_ses");
    out.keyPppoeSid = uint(o.pppoeSid, 0xffff, 10, "pppoeSid");
  }
  if (o.pppProto !== undefined) {
    needEth(eth === ETH.PPP_SES, "pppProto", o.pppProto, "pppProto needs ethernet type ppp_ses");
    const ppp = out.keyPppProto = pppProto(o.pppProto, "pppProto");
    eth = PPP_TO_ETH[ppp] ?? eth;
  }
  putMac(out, "keyEthDst", o.dstMac, "dstMac");
  putMac(out, "keyEthSrc", o.srcMac, "srcMac");
  return eth;
}

function mplsKeys(o: TcOptions, out: Out, eth: number): void {
  const old = ["mplsLabel", "mplsTc", "mplsBos", "mplsTtl"].filter((k) => o[k] !== undefined);
  if (o.mpls === undefined && old.length === 0) return;
  const first = o.mpls === undefined ? old[0] : "mpls";
  needEth(isMpls(eth), first, o[first], `${first} needs ethernet type mpls_uc or mpls_mc`);
  if (o.mpls !== undefined) {
    if (old.length) throw new ValidationError(old[0], o[old[0]], "give mpls (label stack entries) or the mpls* keys");
    if (!Array.isArray(o.mpls) || o.mpls.length === 0) {
      throw new ValidationError("mpls", o.mpls, "expected a list of label stack entries");
    }
    const lse = (o.mpls as MplsLse[]).map((e, i) => {
      const f = `mpls[${i}]`;
      if (e === null || typeof e !== "object") {
        throw new ValidationError(f, e, "expected { depth, label, tc, bos, ttl }");
      }
      const entry: Out = { depth: uint(e.depth, 0xff, 10, `${f}.depth`) };
      if (entry.depth === 0) throw new ValidationError(`${f}.depth`, e.depth, "depths start at 1");
      if (e.label !== undefined) entry.label = uint(e.label, 0xfffff, 10, `${f}.label`);
      if (e.tc !== undefined) entry.tc = uint(e.tc, 7, 10, `${f}.tc`);
      if (e.bos !== undefined) entry.bos = uint(e.bos, 1, 10, `${f}.bos`);
      if (e.ttl !== undefined) entry.ttl = uint(e.ttl, 0xff, 10, `${f}.ttl`);
      return entry;
    });
    out.keyMplsOpts = { lse };
    return;
  }
  if (o.mplsLabel !== undefined) out.keyMplsLabel = uint(o.mplsLabel, 0xfffff, 10, "mplsLabel");
  if (o.mplsTc !== undefined) out.keyMplsTc = uint(o.mplsTc, 7, 10, "mplsTc");
  if (o.mplsBos !== undefined) out.keyMplsBos = uint(o.mplsBos, 1, 10, "mplsBos");
  if (o.mplsTtl !== undefined) out.keyMplsTtl = uint(o.mplsTtl, 0xff, 10, "mplsTtl");
}

/** The layer 3 and 4 keys: IP protocol, TOS/TTL, MPLS, addresses, ports, TCP flags, ICMP, ARP. */
function layer3(o: TcOptions, out: Out, eth: number): void {
  let proto: number | undefined;
  if (o.ipProto !== undefined) proto = out.keyIpProto = ipProto(o.ipProto, eth, "ipProto");
  putMasked(out, "keyIpTos", o.ipTos, U8_TOS, "ipTos");
  putMasked(out, "keyIpTtl", o.ipTtl, U8_TOS, "ipTtl");
  mplsKeys(o, out, eth);
  const ipNames: [string, string] = ["keyIpv4Dst", "keyIpv6Dst"];
  if (o.dstIp !== undefined) putPrefix(out, o.dstIp, ipNames, ipFamilyOf(eth, o.dstIp, "dstIp"), "dstIp");
  if (o.srcIp !== undefined) {
    putPrefix(out, o.srcIp, ["keyIpv4Src", "keyIpv6Src"], ipFamilyOf(eth, o.srcIp, "srcIp"), "srcIp");
  }
  putPort(out, o.dstPort, proto, "Dst", "dstPort");
  putPort(out, o.srcPort, proto, "Src", "srcPort");
  putMasked(out, "keyTcpFlags", o.tcpFlags, TCP_FLAGS, "tcpFlags");
  for (const [field, what] of [["icmpType", "Type"], ["icmpCode", "Code"]] as const) {
    if (o[field] === undefined) continue;
    const v4 = eth === ETH.IP && proto === IPPROTO.ICMP;
    const v6 = eth === ETH.IPV6 && proto === IPPROTO.ICMPV6;
    needEth(v4 || v6, field, o[field], `${field} needs protocol ip with ipProto icmp, or ipv6 with icmpv6`);
    putMasked(out, `keyIcmpv${v4 ? 4 : 6}${what}`, o[field], U8_DEC, field);
  }
  for (const [field, name] of [["arpTip", "keyArpTip"], ["arpSip", "keyArpSip"]] as const) {
    if (o[field] === undefined) continue;
    needEth(isArp(eth), field, o[field], `${field} needs protocol arp or rarp`);
    const p = ipPrefix(o[field], field, AF_INET);
    out[name] = p.address;
    out[`${name}Mask`] = p.mask;
  }
  if (o.arpOp !== undefined) {
    needEth(isArp(eth), "arpOp", o.arpOp, "arpOp needs protocol arp or rarp");
    const { value, mask } = arpOp(o.arpOp, "arpOp");
    out.keyArpOp = value;
    out.keyArpOpMask = mask;
  }
  putMac(out, "keyArpTha", o.arpTha, "arpTha");
  putMac(out, "keyArpSha", o.arpSha, "arpSha");
}

/** The tunnel keys: outer addresses, key id, TOS/TTL, options, UDP port. */
function tunnel(o: TcOptions, out: Out): void {
  putPrefix(out, o.encDstIp, ["keyEncIpv4Dst", "keyEncIpv6Dst"], 0, "encDstIp");
  putPrefix(out, o.encSrcIp, ["keyEncIpv4Src", "keyEncIpv6Src"], 0, "encSrcIp");
  if (o.encKeyId !== undefined) out.keyEncKeyId = uint(o.encKeyId, 0xffffffff, 10, "encKeyId");
  putMasked(out, "keyEncIpTos", o.encTos, U8_TOS, "encTos");
  putMasked(out, "keyEncIpTtl", o.encTtl, U8_TOS, "encTtl");
  const opts = encOpts(o);
  if (opts !== undefined) {
    out.keyEncOpts = opts.key;
    out.keyEncOptsMask = opts.mask;
  }
  if (o.encDstPort !== undefined) out.keyEncUdpDstPort = uint(o.encDstPort, 0xffff, 10, "encDstPort");
}

function conntrack(o: TcOptions, out: Out): void {
  if (o.ctState !== undefined) {
    const { flags, mask } = ctState(o.ctState, "ctState");
    out.keyCtState = flags;
    out.keyCtStateMask = mask;
  }
  if (o.ctLabel !== undefined) {
    const { value, mask } = ctLabels(o.ctLabel, "ctLabel");
    out.keyCtLabels = value;
    out.keyCtLabelsMask = mask;
  }
  putMasked(out, "keyCtMark", o.ctMark, CT_MARK, "ctMark");
  putMasked(out, "keyCtZone", o.ctZone, CT_ZONE, "ctZone");
}

/** The filter's ethernet protocol as tcm_info carries it (ETH_P_ALL by default when creating, 0 when changing). */
function protocolOf(o: TcOptions, ctx: TcContext): number {
  if (o.protocol !== undefined) return ethType(o.protocol, "protocol");
  return ctx.op === "change" ? 0 : ETH.ALL;
}

function encodeFlower(o: TcOptions, ctx: TcContext): Out {
  const out: Out = {};
  if (o.classid !== undefined && o.hwTc !== undefined) {
    throw new ValidationError("hwTc", o.hwTc, "give classid or hwTc, not both");
  }
  if (o.classid !== undefined) out.classid = classidOf(o);
  if (o.hwTc !== undefined) out.classid = hwTcClass(o);
  const protocol = protocolOf(o, ctx);
  const eth = layer2(o, out, protocol);
  layer3(o, out, eth);
  tunnel(o, out);
  conntrack(o, out);
  if (o.actions !== undefined) out.act = actionsValue(o.actions, ctx, "actions");
  if (o.verbose !== undefined && typeof o.verbose !== "boolean") {
    throw new ValidationError("verbose", o.verbose, "expected true or false");
  }
  // tc(8) always sends the flags, 0 when none is set.
  out.flags = (clsFlags(o) ?? 0) | (o.verbose ? CLS_FLAGS.bit("verbose") : 0);
  if (o.ipFlags !== undefined) {
    const { flags, mask } = ipFlags(o.ipFlags, "ipFlags");
    out.keyFlags = flags;
    out.keyFlagsMask = mask;
  }
  if (protocol !== ETH.ALL) out.keyEthType = protocol;
  return out;
}

/** Every option name flower takes. */
const KEYS: readonly string[] = [
  "protocol",
  "classid",
  "hwTc",
  "indev",
  "numOfVlans",
  "vlanId",
  "vlanPrio",
  "vlanEthtype",
  "cvlanId",
  "cvlanPrio",
  "cvlanEthtype",
  "pppoeSid",
  "pppProto",
  "dstMac",
  "srcMac",
  "ipProto",
  "ipTos",
  "ipTtl",
  "mpls",
  "mplsLabel",
  "mplsTc",
  "mplsBos",
  "mplsTtl",
  "dstIp",
  "srcIp",
  "dstPort",
  "srcPort",
  "tcpFlags",
  "icmpType",
  "icmpCode",
  "arpTip",
  "arpSip",
  "arpOp",
  "arpTha",
  "arpSha",
  "encDstIp",
  "encSrcIp",
  "encKeyId",
  "encTos",
  "encTtl",
  ...ENC_OPTS_KEYS,
  "encDstPort",
  "ipFlags",
  "ctState",
  "ctLabel",
  "ctMark",
  "ctZone",
  "actions",
  "skipHw",
  "skipSw",
  "verbose",
];

/**
 * The flower codec: TCA_OPTIONS is a plain (unflagged) nest of TCA_FLOWER_*,
 * always sent (tc(8) sends at least the flags).
 *
 * @example
 * ```ts ignore
 * filterRequest("add", 3, { dev: 3, parent: "ingress", protocol: "ip", kind: "flower", dstIp: "10.0.0.0/24" });
 * ```
 */
export const FLOWER: TcKindCodec = {
  options: FLOWER_ATTRS,
  keys: KEYS,
  encode: encodeFlower,
};
