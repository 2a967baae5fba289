/**
 * tunnel_key: attach or release the tunnel metadata a collect_md tunnel
 * device (vxlan, geneve, erspan … `external`) encapsulates with
 * (`action tunnel_key set src_ip A dst_ip B id N dst_port P …`, `tunnel_key unset`).
 *
 * @module
 */
import { decodeRecords } from "../../core/attr_walk.ts";
import { ValidationError } from "../../core/errors.ts";
import { cEnum, type EnumTable } from "../../core/enums.ts";
import { NLA_F, NLA_TYPE_MASK } from "../../core/header.ts";
import { type AttrSchema, attrSchema, type CustomCodec, decodeAttrs, encodeAttrs } from "../../core/schema.ts";
import { cStruct } from "../../core/struct.ts";
import { BOOL, ipVersion } from "../../route/kinds/common.ts";
import { hexBytes, intIn } from "../common.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";

const HEADER = "linux/tc_act/tc_tunnel_key.h";

/** What the action does to the metadata: `set` it or release it (`unset`). */
export const TUNNEL_KEY_T_ACTION: EnumTable = cEnum(
  HEADER,
  "TCA_TUNNEL_KEY_ACT_",
  { SET: 1, RELEASE: 2 },
  (k) => (k === "RELEASE" ? "unset" : "set"),
);

/** struct tc_tunnel_key. */
const TC_TUNNEL_KEY = cStruct(HEADER, "struct tc_tunnel_key", [
  ...TC_GEN,
  { c: "t_action", type: "s32", enum: TUNNEL_KEY_T_ACTION },
]);

/** TCA_TUNNEL_KEY_ENC_OPT_GENEVE_*: one Geneve option. */
const GENEVE_ATTRS = attrSchema("TCA_TUNNEL_KEY_ENC_OPT_GENEVE_", HEADER, {
  CLASS: { id: 1, type: "be16" },
  TYPE: { id: 2, type: "u8" },
  DATA: { id: 3, type: "binary" },
});

/** TCA_TUNNEL_KEY_ENC_OPT_VXLAN_*: the VXLAN group policy. */
const VXLAN_ATTRS = attrSchema("TCA_TUNNEL_KEY_ENC_OPT_VXLAN_", HEADER, { GBP: { id: 1, type: "u32" } });

/** TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_*: ERSPAN's version, index (v1), direction and hardware id (v2). */
const ERSPAN_ATTRS = attrSchema("TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_", HEADER, {
  VER: { id: 1, type: "u8" },
  INDEX: { id: 2, type: "be32" },
  DIR: { id: 3, type: "u8" },
  HWID: { id: 4, type: "u8" },
});

/** TCA_TUNNEL_KEY_ENC_OPTS_*: Geneve options (repeated), or VXLAN or ERSPAN options. */
const ENC_OPTS_ATTRS = attrSchema("TCA_TUNNEL_KEY_ENC_OPTS_", HEADER, {
  GENEVE: { id: 1, type: "nested", schema: GENEVE_ATTRS, multi: true },
  VXLAN: { id: 2, type: "nested", schema: VXLAN_ATTRS, nestedFlag: true },
  ERSPAN: { id: 3, type: "nested", schema: ERSPAN_ATTRS, nestedFlag: true },
});

/** TCA_TUNNEL_KEY_ENC_OPTS_GENEVE. */
const GENEVE_NEST = 1;

/** TCA_TUNNEL_KEY_ENC_OPTS's attribute type. */
const ENC_OPTS_ID = 11;

/**
 * TCA_TUNNEL_KEY_ENC_OPTS. iproute2 flags this nest NLA_F_NESTED for VXLAN and
 * ERSPAN options but not for Geneve ones; the engine writes one flag per
 * attribute, so the codec sets the bit itself in the header the engine has
 * just written (the 4 bytes before its payload).
 */
const ENC_OPTS: CustomCodec = {
  decode(b, v, off, len, ctx) {
    const out = decodeAttrs(ENC_OPTS_ATTRS, b, v, off, off + len, ctx);
    // Requests carry one Geneve nest per option, the kernel's dumps all of them in one nest.
    const geneve = decodeRecords(GENEVE_ATTRS, GENEVE_NEST, b, v, off, off + len, ctx);
    if (geneve.length > 0) out.geneve = geneve;
    return out;
  },
  encode(w, x, path, ctx) {
    if (x === null || typeof x !== "object") throw new ValidationError(path, x, "expected tunnel options");
    const o = x as Record<string, unknown>;
    const type = w.length - 2;
    const header = w.view.getUint16(type, true);
    if ((o.vxlan !== undefined || o.erspan !== undefined) && (header & NLA_TYPE_MASK) === ENC_OPTS_ID) {
      w.view.setUint16(type, header | NLA_F.NESTED, true);
    }
    encodeAttrs(w, ENC_OPTS_ATTRS, o, path, ctx);
  },
};

/** TCA_TUNNEL_KEY_*. */
export const TUNNEL_KEY_ATTRS: AttrSchema = attrSchema("TCA_TUNNEL_KEY_", HEADER, {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "struct", struct: TC_TUNNEL_KEY },
  ENC_IPV4_SRC: { id: 3, type: "ipv4" },
  ENC_IPV4_DST: { id: 4, type: "ipv4" },
  ENC_IPV6_SRC: { id: 5, type: "ipv6" },
  ENC_IPV6_DST: { id: 6, type: "ipv6" },
  // A be32 on the wire (the header's "be64" comment notwithstanding: the kernel reads 32 bits).
  ENC_KEY_ID: { id: 7, type: "be32" },
  PAD: { id: 8, type: "pad" },
  ENC_DST_PORT: { id: 9, type: "be16" },
  NO_CSUM: { id: 10, type: "custom", codec: BOOL },
  ENC_OPTS: { id: ENC_OPTS_ID, type: "custom", codec: ENC_OPTS },
  ENC_TOS: { id: 12, type: "u8" },
  ENC_TTL: { id: 13, type: "u8" },
  NO_FRAG: { id: 14, type: "flag", since: "6.4" },
});

/** One Geneve option (`geneve_opts CLASS:TYPE:DATA`). */
export interface GeneveOption {
  /** Option class (16 bits; tc(8) reads it as hexadecimal). */
  class: number;
  /** Option type (8 bits; tc(8) reads it as hexadecimal). */
  type: number;
  /** Option data: 4 to 124 bytes, a multiple of 4 (a Uint8Array or hex text). */
  data: Uint8Array | string;
}

/** ERSPAN options (`erspan_opts VERSION:INDEX:DIR:HWID`); fields are sent in that order when given. */
export interface ErspanOptions {
  /** 1 or 2. */
  version: 1 | 2;
  /** Session index (version 1). */
  index?: number;
  /** Direction: 0 ingress, 1 egress (version 2). */
  dir?: number;
  /** Hardware id, 0..63 (version 2). */
  hwid?: number;
}

/** Set or release tunnel metadata (`tunnel_key set … | unset`). */
export interface TunnelKeyOptions {
  /** The kind. */
  kind: "tunnel_key";
  /** `set` the metadata (needs `srcIp` and `dstIp`) or `unset` (release) it. */
  action: "set" | "unset";
  /** Outer source address (`src_ip`), IPv4 or IPv6. */
  srcIp?: string;
  /** Outer destination address (`dst_ip`), the same family. */
  dstIp?: string;
  /** Tunnel key: VNI, Geneve VNI, GRE key (`id`, 32 bits). */
  id?: number;
  /** Outer UDP destination port (`dst_port`). */
  dstPort?: number;
  /** Geneve options (`geneve_opts`). */
  geneveOpts?: GeneveOption[];
  /** VXLAN group policy id (`vxlan_opts GBP`). */
  vxlanOpts?: { gbp: number };
  /** ERSPAN options (`erspan_opts`). */
  erspanOpts?: ErspanOptions;
  /** Outer TOS (`tos`). */
  tos?: number;
  /** Outer TTL (`ttl`). */
  ttl?: number;
  /** Outer UDP checksum (`csum`, the default; `false`: `nocsum`). */
  csum?: boolean;
  /** Set the outer header's don't-fragment bit (`nofrag`, Linux 6.4+). */
  noFrag?: boolean;
  /** The verdict afterwards (default `pipe`). */
  control?: Verdict;
}

/** tunnel_key's decoded options. */
export interface TunnelKeyData {
  /** Timestamps. */
  tm?: { install: bigint; lastuse: bigint; expires: bigint; firstuse: bigint };
  /** Parameters: `tAction` is `"set"` or `"unset"`. */
  parms?: {
    index: number;
    capab: number;
    action: string | number;
    refcnt: number;
    bindcnt: number;
    tAction: string | number;
  };
  /** Outer IPv4 source. */
  encIpv4Src?: string;
  /** Outer IPv4 destination. */
  encIpv4Dst?: string;
  /** Outer IPv6 source. */
  encIpv6Src?: string;
  /** Outer IPv6 destination. */
  encIpv6Dst?: string;
  /** Tunnel key. */
  encKeyId?: number;
  /** Outer UDP destination port. */
  encDstPort?: number;
  /** No outer UDP checksum. */
  noCsum?: boolean;
  /** Tunnel options. */
  encOpts?: {
    geneve?: { class?: number; type?: number; data?: Uint8Array }[];
    vxlan?: { gbp?: number };
    erspan?: { ver?: number; index?: number; dir?: number; hwid?: number };
  };
  /** Outer TOS. */
  encTos?: number;
  /** Outer TTL. */
  encTtl?: number;
  /** Don't fragment. */
  noFrag?: boolean;
}

function geneveOption(x: unknown, path: string): Record<string, unknown> {
  if (x === null || typeof x !== "object") throw new ValidationError(path, x, "expected { class, type, data }");
  const g = x as Record<string, unknown>;
  const data = hexBytes(g.data, 4, 124, `${path}.data`);
  if (data.length < 4 || data.length > 124 || data.length % 4 !== 0) {
    throw new ValidationError(`${path}.data`, g.data, "Geneve option data is 4 to 124 bytes, a multiple of 4");
  }
  return {
    class: need(intIn(g.class, 0, 0xffff, `${path}.class`), `${path}.class`),
    type: need(intIn(g.type, 0, 0xff, `${path}.type`), `${path}.type`),
    data,
  };
}

function need<T>(x: T | undefined, path: string): T {
  if (x === undefined) throw new ValidationError(path, x, "required");
  return x;
}

/** The ENC_OPTS value of the one option family given. */
function encOpts(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const given = ["geneveOpts", "vxlanOpts", "erspanOpts"].filter((k) => o[k] !== undefined);
  if (given.length > 1) throw new ValidationError(given[1], o[given[1]], `cannot be combined with ${given[0]}`);
  if (o.geneveOpts !== undefined) {
    if (!Array.isArray(o.geneveOpts) || o.geneveOpts.length === 0) {
      throw new ValidationError("geneveOpts", o.geneveOpts, "expected a list of Geneve options");
    }
    return { geneve: o.geneveOpts.map((g, i) => geneveOption(g, `geneveOpts[${i}]`)) };
  }
  if (o.vxlanOpts !== undefined) {
    const v = o.vxlanOpts as { gbp?: unknown } | null;
    if (v === null || typeof v !== "object") throw new ValidationError("vxlanOpts", v, "expected { gbp }");
    return { vxlan: { gbp: need(intIn(v.gbp, 0, 0xffffffff, "vxlanOpts.gbp"), "vxlanOpts.gbp") } };
  }
  if (o.erspanOpts !== undefined) {
    const e = o.erspanOpts as Record<string, unknown> | null;
    if (e === null || typeof e !== "object") throw new ValidationError("erspanOpts", e, "expected { version, … }");
    return {
      erspan: {
        ver: need(intIn(e.version, 1, 2, "erspanOpts.version"), "erspanOpts.version"),
        index: intIn(e.index, 0, 0xfffff, "erspanOpts.index"),
        dir: intIn(e.dir, 0, 1, "erspanOpts.dir"),
        hwid: intIn(e.hwid, 0, 0x3f, "erspanOpts.hwid"),
      },
    };
  }
  return undefined;
}

const SET_ONLY = ["srcIp", "dstIp", "id", "dstPort", "geneveOpts", "vxlanOpts", "erspanOpts", "tos", "ttl", "noFrag"];

/** The tunnel_key codec. */
export const TUNNEL_KEY: TcKindCodec = {
  options: TUNNEL_KEY_ATTRS,
  keys: ["action", ...SET_ONLY, "csum", "control"],
  encode(o) {
    if (o.action !== "set" && o.action !== "unset") {
      throw new ValidationError("action", o.action, "expected set or unset");
    }
    if (o.csum !== undefined && typeof o.csum !== "boolean") {
      throw new ValidationError("csum", o.csum, "expected true or false");
    }
    const parms = { ...tcGen(o, "pipe"), tAction: o.action };
    if (o.action === "unset") {
      const extra = SET_ONLY.find((k) => o[k] !== undefined);
      if (extra !== undefined) throw new ValidationError(extra, o[extra], "unset takes no tunnel parameters");
      return { noCsum: o.csum === false, parms };
    }
    if (o.srcIp === undefined) throw new ValidationError("srcIp", o.srcIp, "set needs srcIp and dstIp");
    if (o.dstIp === undefined) throw new ValidationError("dstIp", o.dstIp, "set needs srcIp and dstIp");
    const family = ipVersion(o.srcIp, "srcIp");
    ipVersion(o.dstIp, "dstIp", family);
    if (o.noFrag !== undefined && typeof o.noFrag !== "boolean") {
      throw new ValidationError("noFrag", o.noFrag, "expected true or false");
    }
    const v6 = family === 6;
    return {
      [v6 ? "encIpv6Src" : "encIpv4Src"]: o.srcIp,
      [v6 ? "encIpv6Dst" : "encIpv4Dst"]: o.dstIp,
      encKeyId: intIn(o.id, 0, 0xffffffff, "id"),
      encDstPort: intIn(o.dstPort, 0, 0xffff, "dstPort"),
      encOpts: encOpts(o),
      encTos: intIn(o.tos, 0, 0xff, "tos"),
      encTtl: intIn(o.ttl, 0, 0xff, "ttl"),
      noFrag: o.noFrag === true ? true : undefined,
      noCsum: o.csum === false,
      parms,
    };
  },
};
