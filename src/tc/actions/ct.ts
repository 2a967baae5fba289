/**
 * ct: send packets through connection tracking — look them up, commit new
 * connections, set their mark and labels, NAT them, attach a helper, or clear
 * the packet's conntrack state (`action ct commit zone 5 nat src addr …`).
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cFlags, type FlagTable } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { ipVersion } from "../../route/kinds/common.ts";
import { hexBytes, intIn } from "../common.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";

const HEADER = "linux/tc_act/tc_ct.h";

/** What the action does (TCA_CT_ACT_*), decoded as a list of names (`commit`, `force`, `clear`, `nat`, `nat_src`, `nat_dst`). */
export const CT_ACT: FlagTable = cFlags(HEADER, "TCA_CT_ACT_", {
  COMMIT: 1 << 0,
  FORCE: 1 << 1,
  CLEAR: 1 << 2,
  NAT: 1 << 3,
  NAT_SRC: 1 << 4,
  NAT_DST: 1 << 5,
});

/** struct tc_ct: just tc_gen. */
const TC_CT = cStruct(HEADER, "struct tc_ct", [...TC_GEN]);

/** TCA_CT_*. */
export const CT_ATTRS: AttrSchema = attrSchema("TCA_CT_", HEADER, {
  PARMS: { id: 1, type: "struct", struct: TC_CT },
  TM: { id: 2, type: "struct", struct: TCF_T },
  ACTION: { id: 3, type: "u16", flags: CT_ACT, name: "ctAction" },
  ZONE: { id: 4, type: "u16" },
  MARK: { id: 5, type: "u32" },
  MARK_MASK: { id: 6, type: "u32" },
  LABELS: { id: 7, type: "binary" },
  LABELS_MASK: { id: 8, type: "binary" },
  NAT_IPV4_MIN: { id: 9, type: "ipv4" },
  NAT_IPV4_MAX: { id: 10, type: "ipv4" },
  NAT_IPV6_MIN: { id: 11, type: "ipv6" },
  NAT_IPV6_MAX: { id: 12, type: "ipv6" },
  NAT_PORT_MIN: { id: 13, type: "be16" },
  NAT_PORT_MAX: { id: 14, type: "be16" },
  PAD: { id: 15, type: "pad" },
  HELPER_NAME: { id: 16, type: "string", since: "6.2" },
  HELPER_FAMILY: { id: 17, type: "u8", since: "6.2" },
  HELPER_PROTO: { id: 18, type: "u8", since: "6.2" },
});

/** Source or destination NAT of committed connections (`nat src|dst addr A[-B] [port P[-Q]]`). */
export interface CtNat {
  /** Which address is translated. */
  type: "src" | "dst";
  /** The address, or a range (`"10.0.0.1-10.0.0.10"` or a pair); IPv4 or IPv6. */
  addr: string | [string, string];
  /** The port, or a range (`"1000-2000"` or a pair). */
  port?: number | string | [number, number];
}

/** A conntrack helper (`helper ipv4-tcp-ftp`, Linux 6.2+). */
export interface CtHelper {
  /** The address family. */
  family: "ipv4" | "ipv6";
  /** The protocol: `tcp`, `udp`, `sctp`, `dccp`, `udplite` or its number. */
  proto: "tcp" | "udp" | "sctp" | "dccp" | "udplite" | number;
  /** The helper's name (`ftp`, `sip`, …). */
  name: string;
}

/** Connection tracking (`action ct [commit [force]] [clear] [zone Z] [mark M[/MASK]] [label L[/MASK]] [nat …]`). */
export interface CtOptions {
  /** The kind. */
  kind: "ct";
  /** Commit the connection to the table (`commit`). */
  commit?: boolean;
  /** With commit: replace a connection seen in the other direction (`force`). */
  force?: boolean;
  /** Clear the packet's conntrack state (`clear`; nothing else with it). */
  clear?: boolean;
  /** The conntrack zone (`zone`). */
  zone?: number;
  /** Set the connection's mark (`mark M`; with commit). */
  mark?: number;
  /** Bits of the mark set (`mark M/MASK`; default all). */
  markMask?: number;
  /** Set the connection's labels (`label`): up to 16 bytes, a Uint8Array or hex text. */
  label?: Uint8Array | string;
  /** Bits of the labels set (default: all 128). */
  labelMask?: Uint8Array | string;
  /** A conntrack helper: an object, or tc(8)'s `"ipv4-tcp-ftp"`. */
  helper?: CtHelper | string;
  /** NAT: `true` applies the NAT a committed connection already has (`nat`); an object configures it (with commit). */
  nat?: true | CtNat;
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** ct's decoded options. */
export interface CtData {
  /** Parameters. */
  parms?: { index: number; capab: number; action: string | number; refcnt: number; bindcnt: number };
  /** Timestamps. */
  tm?: { install: bigint; lastuse: bigint; expires: bigint; firstuse: bigint };
  /** What it does: `commit`, `force`, `clear`, `nat`, `nat_src`, `nat_dst`. */
  ctAction?: string[];
  /** Zone. */
  zone?: number;
  /** Mark. */
  mark?: number;
  /** Mark mask. */
  markMask?: number;
  /** Labels. */
  labels?: Uint8Array;
  /** Labels mask. */
  labelsMask?: Uint8Array;
  /** NAT IPv4 range. */
  natIpv4Min?: string;
  /** NAT IPv4 range end. */
  natIpv4Max?: string;
  /** NAT IPv6 range. */
  natIpv6Min?: string;
  /** NAT IPv6 range end. */
  natIpv6Max?: string;
  /** NAT port range. */
  natPortMin?: number;
  /** NAT port range end. */
  natPortMax?: number;
  /** Helper name. */
  helperName?: string;
  /** Helper family (AF_INET 2, AF_INET6 10). */
  helperFamily?: number;
  /** Helper protocol (IPPROTO_*). */
  helperProto?: number;
}

/** Up to 16 bytes of labels (a Uint8Array or hex text). */
function labelBytes(x: unknown, path: string): Uint8Array {
  return hexBytes(x, 1, 16, path);
}

const PROTOCOLS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, dccp: 33, sctp: 132, udplite: 136 };

/** The helper's family, protocol and name attributes, in iproute2's order. */
function helperAttrs(x: unknown): Record<string, unknown> {
  let h = x as Record<string, unknown>;
  if (typeof x === "string") {
    const m = /^([^-]+)-([^-]+)-([^-]+)$/.exec(x);
    if (!m) throw new ValidationError("helper", x, "expected FAMILY-PROTO-NAME such as ipv4-tcp-ftp");
    h = { family: m[1], proto: /^\d+$/.test(m[2]) ? Number(m[2]) : m[2], name: m[3] };
  }
  if (h === null || typeof h !== "object") throw new ValidationError("helper", x, "expected { family, proto, name }");
  const family = h.family === "ipv4" ? 2 : h.family === "ipv6" ? 10 : undefined;
  if (family === undefined) throw new ValidationError("helper.family", h.family, "expected ipv4 or ipv6");
  const proto = typeof h.proto === "string" ? PROTOCOLS[h.proto] : intIn(h.proto, 0, 255, "helper.proto");
  if (proto === undefined) {
    throw new ValidationError("helper.proto", h.proto, `expected ${Object.keys(PROTOCOLS).join(", ")} or a number`);
  }
  if (typeof h.name !== "string" || h.name === "" || h.name.length > 15 || h.name.includes("-")) {
    throw new ValidationError("helper.name", h.name, "expected a helper name of up to 15 characters, without -");
  }
  return { helperFamily: family, helperProto: proto, helperName: h.name };
}

/** `a-b` text or a pair, as [min, max] (max = min when single). */
function range(x: unknown, parse: (s: string) => unknown, path: string): [unknown, unknown] {
  if (Array.isArray(x)) {
    if (x.length !== 2) throw new ValidationError(path, x, "a range is a pair [min, max]");
    return [x[0], x[1]];
  }
  if (typeof x === "string" && x.includes("-")) {
    const [a, b, ...rest] = x.split("-");
    if (rest.length) throw new ValidationError(path, x, "a range is MIN-MAX");
    return [parse(a), parse(b)];
  }
  return [x, x];
}

/** The NAT range attributes, in iproute2's order. */
function natAttrs(nat: Record<string, unknown>): Record<string, unknown> {
  const [a1, a2] = range(nat.addr, (s) => s, "nat.addr");
  const family = ipVersion(a1, "nat.addr");
  ipVersion(a2, "nat.addr", family);
  const out: Record<string, unknown> = family === 4
    ? { natIpv4Min: a1, natIpv4Max: a2 }
    : { natIpv6Min: a1, natIpv6Max: a2 };
  if (nat.port !== undefined) {
    const [p1, p2] = range(nat.port, (s) => (/^\d+$/.test(s) ? Number(s) : s), "nat.port");
    out.natPortMin = intIn(p1, 0, 0xffff, "nat.port");
    out.natPortMax = intIn(p2, 0, 0xffff, "nat.port");
  }
  return out;
}

function flag(o: Record<string, unknown>, name: string): boolean {
  const x = o[name];
  if (x !== undefined && typeof x !== "boolean") throw new ValidationError(name, x, "expected true or false");
  return x === true;
}

/** The ct codec. */
export const CT: TcKindCodec = {
  options: CT_ATTRS,
  keys: ["commit", "force", "clear", "zone", "mark", "markMask", "label", "labelMask", "helper", "nat", "control"],
  encode(o) {
    const commit = flag(o, "commit"), force = flag(o, "force"), clear = flag(o, "clear");
    const nat = o.nat;
    if (nat !== undefined && nat !== true && (nat === null || typeof nat !== "object")) {
      throw new ValidationError("nat", nat, "expected true or { type, addr, port }");
    }
    const natSpec = typeof nat === "object" ? nat as Record<string, unknown> : undefined;
    if (natSpec !== undefined && natSpec.type !== "src" && natSpec.type !== "dst") {
      throw new ValidationError("nat.type", natSpec.type, "expected src or dst");
    }
    const act = [
      ...(commit ? ["commit"] : []),
      ...(force ? ["force"] : []),
      ...(clear ? ["clear"] : []),
      ...(nat !== undefined ? ["nat"] : []),
      ...(natSpec ? [`nat_${natSpec.type}`] : []),
    ];
    if (clear && act.length > 1) throw new ValidationError("clear", true, "clear can only be used alone");
    if (natSpec && !commit) throw new ValidationError("nat", nat, "source or destination NAT needs commit");
    if (nat === true && commit) throw new ValidationError("nat", nat, "with commit, NAT names src or dst");
    if (o.markMask !== undefined && o.mark === undefined) {
      throw new ValidationError("markMask", o.markMask, "goes with mark");
    }
    if (o.labelMask !== undefined && o.label === undefined) {
      throw new ValidationError("labelMask", o.labelMask, "goes with label");
    }
    const mark = intIn(o.mark, 0, 0xffffffff, "mark");
    return {
      zone: intIn(o.zone, 0, 0xffff, "zone"),
      mark,
      markMask: mark === undefined ? undefined : intIn(o.markMask, 0, 0xffffffff, "markMask") ?? 0xffffffff,
      labels: o.label === undefined ? undefined : labelBytes(o.label, "label"),
      labelsMask: o.label === undefined
        ? undefined
        : o.labelMask === undefined
        ? new Uint8Array(16).fill(0xff)
        : labelBytes(o.labelMask, "labelMask"),
      ...(o.helper === undefined ? {} : helperAttrs(o.helper)),
      ...(natSpec ? natAttrs(natSpec) : {}),
      ctAction: act,
      parms: tcGen(o, "pipe"),
    };
  },
};
