/**
 * The flower filter's attributes as data: TCA_FLOWER_* (every key and its
 * mask, the flags, the action list), the nests of MPLS label stack entries
 * and of tunnel options (geneve, vxlan, erspan, gtp), the flag sets the
 * kernel reports, and the shape the generic decoder gives them.
 *
 * @module
 */
import { type AttrSchema, attrSchema, type CustomCodec, decodeAttrs, encodeAttrs } from "../../core/schema.ts";
import { cEnum, cFlags, type EnumTable, type FlagTable } from "../../core/enums.ts";
import { decodeRecords } from "../../core/attr_walk.ts";
import { ValidationError } from "../../core/errors.ts";
import { NLA_F } from "../../core/header.ts";
import { type Action, ACTIONS } from "../action.ts";
import { ETH_PROTOCOL } from "../constants.ts";
import { CLASSID, CLS_FLAGS } from "./cls_common.ts";

/** The IP fragment flags flower matches (`ip_flags frag/firstfrag`), named as tc(8) names them. */
export const FLOWER_KEY_FLAGS: FlagTable = cFlags("linux/pkt_cls.h", "TCA_FLOWER_KEY_FLAGS_", {
  IS_FRAGMENT: 1 << 0,
  FRAG_IS_FIRST: 1 << 1,
}, (k) => (k === "IS_FRAGMENT" ? "frag" : "firstfrag"));

const CT_NAMES: Readonly<Record<string, string>> = {
  NEW: "new",
  ESTABLISHED: "est",
  RELATED: "rel",
  TRACKED: "trk",
  INVALID: "inv",
  REPLY: "rpl",
};

/** Connection-tracking states (`ct_state`), named as tc(8) names them: trk, new, est, rel, inv, rpl. */
export const CT_STATE_FLAGS: FlagTable = cFlags("linux/pkt_cls.h", "TCA_FLOWER_KEY_CT_FLAGS_", {
  NEW: 1 << 0,
  ESTABLISHED: 1 << 1,
  RELATED: 1 << 2,
  TRACKED: 1 << 3,
  INVALID: 1 << 4,
  REPLY: 1 << 5,
}, (k) => CT_NAMES[k]);

/** The IP protocols tc(8) names in `ip_proto`; others are numbers. */
export const FLOWER_IP_PROTO: EnumTable = cEnum("netinet/in.h", "IPPROTO_", {
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  ICMPV6: 58,
  SCTP: 132,
});

/** PPP protocol numbers (PPP_*) by the names tc(8) reads in `ppp_proto`. */
export const PPP_PROTOCOL: EnumTable = cEnum("linux/ppp_defs.h", "PPP_", {
  IP: 0x21,
  AT: 0x29,
  IPX: 0x2b,
  VJC_COMP: 0x2d,
  VJC_UNCOMP: 0x2f,
  MP: 0x3d,
  IPV6: 0x57,
  COMPFRAG: 0xfb,
  COMP: 0xfd,
  MPLS_UC: 0x0281,
  MPLS_MC: 0x0283,
  IPCP: 0x8021,
  ATCP: 0x8029,
  IPXCP: 0x802b,
  IPV6CP: 0x8057,
  CCPFRAG: 0x80fb,
  CCP: 0x80fd,
  MPLSCP: 0x80fd,
  LCP: 0xc021,
  PAP: 0xc023,
  LQR: 0xc025,
  CHAP: 0xc223,
  CBCP: 0xc029,
});

/** TCA_FLOWER_KEY_ENC_OPT_GENEVE_*: one geneve option (class, type, data). */
const GENEVE_OPT_ATTRS: AttrSchema = attrSchema("TCA_FLOWER_KEY_ENC_OPT_GENEVE_", "linux/pkt_cls.h", {
  CLASS: { id: 1, type: "be16" },
  TYPE: { id: 2, type: "u8" },
  DATA: { id: 3, type: "binary" },
});

/** TCA_FLOWER_KEY_ENC_OPT_VXLAN_*: the vxlan group policy id. */
const VXLAN_OPT_ATTRS: AttrSchema = attrSchema("TCA_FLOWER_KEY_ENC_OPT_VXLAN_", "linux/pkt_cls.h", {
  GBP: { id: 1, type: "u32" },
});

/** TCA_FLOWER_KEY_ENC_OPT_ERSPAN_*: erspan version, index (v1), direction and hardware id (v2). */
const ERSPAN_OPT_ATTRS: AttrSchema = attrSchema("TCA_FLOWER_KEY_ENC_OPT_ERSPAN_", "linux/pkt_cls.h", {
  VER: { id: 1, type: "u8" },
  INDEX: { id: 2, type: "be32" },
  DIR: { id: 3, type: "u8" },
  HWID: { id: 4, type: "u8" },
});

/** TCA_FLOWER_KEY_ENC_OPT_GTP_*: the GTP PDU type and QoS flow identifier. */
const GTP_OPT_ATTRS: AttrSchema = attrSchema("TCA_FLOWER_KEY_ENC_OPT_GTP_", "linux/pkt_cls.h", {
  PDU_TYPE: { id: 1, type: "u8" },
  QFI: { id: 2, type: "u8" },
});

/**
 * TCA_FLOWER_KEY_ENC_OPTS_*: tunnel options of one kind. Geneve options
 * repeat (one nest each); iproute2 flags the vxlan, erspan and gtp nests
 * NLA_F_NESTED but not the geneve ones.
 */
export const ENC_OPTS_ATTRS: AttrSchema = attrSchema("TCA_FLOWER_KEY_ENC_OPTS_", "linux/pkt_cls.h", {
  GENEVE: { id: 1, type: "nested", schema: GENEVE_OPT_ATTRS, multi: true },
  VXLAN: { id: 2, type: "nested", schema: VXLAN_OPT_ATTRS, nestedFlag: true },
  ERSPAN: { id: 3, type: "nested", schema: ERSPAN_OPT_ATTRS, nestedFlag: true },
  GTP: { id: 4, type: "nested", schema: GTP_OPT_ATTRS, nestedFlag: true },
});

/**
 * TCA_FLOWER_KEY_ENC_OPTS(_MASK): a nest of ENC_OPTS_ATTRS whose own header
 * iproute2 flags NLA_F_NESTED for vxlan, erspan and gtp options but not for
 * geneve ones, so the flag follows the contents (set on the header the
 * engine has just written, 4 bytes before the payload).
 */
const ENC_OPTS: CustomCodec = {
  decode(b, v, off, len, ctx) {
    const out = decodeAttrs(ENC_OPTS_ATTRS, b, v, off, off + len, ctx);
    // Requests carry one Geneve nest per option, the kernel's dumps all of them in one nest.
    const geneve = decodeRecords(GENEVE_OPT_ATTRS, 1, b, v, off, off + len, ctx);
    if (geneve.length > 0) out.geneve = geneve;
    return out;
  },
  encode(w, value, path, ctx) {
    if (value === null || typeof value !== "object") throw new ValidationError(path, value, "expected tunnel options");
    const start = w.length;
    encodeAttrs(w, ENC_OPTS_ATTRS, value as Record<string, unknown>, path, ctx);
    const o = value as Record<string, unknown>;
    if (o.geneve === undefined) {
      const v = w.view;
      v.setUint16(start - 2, v.getUint16(start - 2, true) | NLA_F.NESTED, true);
    }
  },
};

/** TCA_FLOWER_KEY_MPLS_OPT_LSE_*: one MPLS label stack entry (`lse depth N …`). */
const MPLS_LSE_ATTRS: AttrSchema = attrSchema("TCA_FLOWER_KEY_MPLS_OPT_LSE_", "linux/pkt_cls.h", {
  DEPTH: { id: 1, type: "u8" },
  TTL: { id: 2, type: "u8" },
  BOS: { id: 3, type: "u8" },
  TC: { id: 4, type: "u8" },
  LABEL: { id: 5, type: "u32" },
});

/** TCA_FLOWER_KEY_MPLS_OPTS_*: the label stack entries matched (`mpls lse … lse …`). */
const MPLS_OPTS_ATTRS: AttrSchema = attrSchema("TCA_FLOWER_KEY_MPLS_OPTS_", "linux/pkt_cls.h", {
  LSE: { id: 1, type: "nested", schema: MPLS_LSE_ATTRS, multi: true, nestedFlag: true },
});

/** TCA_FLOWER_KEY_CFM_*: Ethernet CFM fields (Linux 6.6). */
const CFM_ATTRS: AttrSchema = attrSchema("TCA_FLOWER_KEY_CFM_", "linux/pkt_cls.h", {
  MD_LEVEL: { id: 1, type: "u8", since: "6.6" },
  OPCODE: { id: 2, type: "u8", since: "6.6" },
});

/**
 * TCA_FLOWER_*: flower's options. Each key comes with its mask (the kernel
 * reports both); ports, addresses and ethernet types are in network order,
 * vlan ids, MPLS labels and conntrack values in host order.
 */
export const FLOWER_ATTRS: AttrSchema = attrSchema("TCA_FLOWER_", "linux/pkt_cls.h", {
  CLASSID: { id: 1, type: "custom", codec: CLASSID },
  INDEV: { id: 2, type: "string" },
  ACT: { id: 3, type: "custom", codec: ACTIONS },
  KEY_ETH_DST: { id: 4, type: "lladdr" },
  KEY_ETH_DST_MASK: { id: 5, type: "lladdr" },
  KEY_ETH_SRC: { id: 6, type: "lladdr" },
  KEY_ETH_SRC_MASK: { id: 7, type: "lladdr" },
  KEY_ETH_TYPE: { id: 8, type: "be16", enum: ETH_PROTOCOL },
  KEY_IP_PROTO: { id: 9, type: "u8", enum: FLOWER_IP_PROTO },
  KEY_IPV4_SRC: { id: 10, type: "ipv4" },
  KEY_IPV4_SRC_MASK: { id: 11, type: "ipv4" },
  KEY_IPV4_DST: { id: 12, type: "ipv4" },
  KEY_IPV4_DST_MASK: { id: 13, type: "ipv4" },
  KEY_IPV6_SRC: { id: 14, type: "ipv6" },
  KEY_IPV6_SRC_MASK: { id: 15, type: "ipv6" },
  KEY_IPV6_DST: { id: 16, type: "ipv6" },
  KEY_IPV6_DST_MASK: { id: 17, type: "ipv6" },
  KEY_TCP_SRC: { id: 18, type: "be16" },
  KEY_TCP_DST: { id: 19, type: "be16" },
  KEY_UDP_SRC: { id: 20, type: "be16" },
  KEY_UDP_DST: { id: 21, type: "be16" },
  FLAGS: { id: 22, type: "u32", flags: CLS_FLAGS },
  KEY_VLAN_ID: { id: 23, type: "u16" },
  KEY_VLAN_PRIO: { id: 24, type: "u8" },
  KEY_VLAN_ETH_TYPE: { id: 25, type: "be16", enum: ETH_PROTOCOL },
  KEY_ENC_KEY_ID: { id: 26, type: "be32" },
  KEY_ENC_IPV4_SRC: { id: 27, type: "ipv4" },
  KEY_ENC_IPV4_SRC_MASK: { id: 28, type: "ipv4" },
  KEY_ENC_IPV4_DST: { id: 29, type: "ipv4" },
  KEY_ENC_IPV4_DST_MASK: { id: 30, type: "ipv4" },
  KEY_ENC_IPV6_SRC: { id: 31, type: "ipv6" },
  KEY_ENC_IPV6_SRC_MASK: { id: 32, type: "ipv6" },
  KEY_ENC_IPV6_DST: { id: 33, type: "ipv6" },
  KEY_ENC_IPV6_DST_MASK: { id: 34, type: "ipv6" },
  KEY_TCP_SRC_MASK: { id: 35, type: "be16" },
  KEY_TCP_DST_MASK: { id: 36, type: "be16" },
  KEY_UDP_SRC_MASK: { id: 37, type: "be16" },
  KEY_UDP_DST_MASK: { id: 38, type: "be16" },
  KEY_SCTP_SRC_MASK: { id: 39, type: "be16" },
  KEY_SCTP_DST_MASK: { id: 40, type: "be16" },
  KEY_SCTP_SRC: { id: 41, type: "be16" },
  KEY_SCTP_DST: { id: 42, type: "be16" },
  KEY_ENC_UDP_SRC_PORT: { id: 43, type: "be16" },
  KEY_ENC_UDP_SRC_PORT_MASK: { id: 44, type: "be16" },
  KEY_ENC_UDP_DST_PORT: { id: 45, type: "be16" },
  KEY_ENC_UDP_DST_PORT_MASK: { id: 46, type: "be16" },
  KEY_FLAGS: { id: 47, type: "be32", flags: FLOWER_KEY_FLAGS },
  KEY_FLAGS_MASK: { id: 48, type: "be32", flags: FLOWER_KEY_FLAGS },
  KEY_ICMPV4_CODE: { id: 49, type: "u8" },
  KEY_ICMPV4_CODE_MASK: { id: 50, type: "u8" },
  KEY_ICMPV4_TYPE: { id: 51, type: "u8" },
  KEY_ICMPV4_TYPE_MASK: { id: 52, type: "u8" },
  KEY_ICMPV6_CODE: { id: 53, type: "u8" },
  KEY_ICMPV6_CODE_MASK: { id: 54, type: "u8" },
  KEY_ICMPV6_TYPE: { id: 55, type: "u8" },
  KEY_ICMPV6_TYPE_MASK: { id: 56, type: "u8" },
  KEY_ARP_SIP: { id: 57, type: "ipv4" },
  KEY_ARP_SIP_MASK: { id: 58, type: "ipv4" },
  KEY_ARP_TIP: { id: 59, type: "ipv4" },
  KEY_ARP_TIP_MASK: { id: 60, type: "ipv4" },
  KEY_ARP_OP: { id: 61, type: "u8" },
  KEY_ARP_OP_MASK: { id: 62, type: "u8" },
  KEY_ARP_SHA: { id: 63, type: "lladdr" },
  KEY_ARP_SHA_MASK: { id: 64, type: "lladdr" },
  KEY_ARP_THA: { id: 65, type: "lladdr" },
  KEY_ARP_THA_MASK: { id: 66, type: "lladdr" },
  KEY_MPLS_TTL: { id: 67, type: "u8" },
  KEY_MPLS_BOS: { id: 68, type: "u8" },
  KEY_MPLS_TC: { id: 69, type: "u8" },
  KEY_MPLS_LABEL: { id: 70, type: "u32" },
  KEY_TCP_FLAGS: { id: 71, type: "be16" },
  KEY_TCP_FLAGS_MASK: { id: 72, type: "be16" },
  KEY_IP_TOS: { id: 73, type: "u8" },
  KEY_IP_TOS_MASK: { id: 74, type: "u8" },
  KEY_IP_TTL: { id: 75, type: "u8" },
  KEY_IP_TTL_MASK: { id: 76, type: "u8" },
  KEY_CVLAN_ID: { id: 77, type: "u16" },
  KEY_CVLAN_PRIO: { id: 78, type: "u8" },
  KEY_CVLAN_ETH_TYPE: { id: 79, type: "be16", enum: ETH_PROTOCOL },
  KEY_ENC_IP_TOS: { id: 80, type: "u8" },
  KEY_ENC_IP_TOS_MASK: { id: 81, type: "u8" },
  KEY_ENC_IP_TTL: { id: 82, type: "u8" },
  KEY_ENC_IP_TTL_MASK: { id: 83, type: "u8" },
  KEY_ENC_OPTS: { id: 84, type: "custom", codec: ENC_OPTS },
  KEY_ENC_OPTS_MASK: { id: 85, type: "custom", codec: ENC_OPTS },
  IN_HW_COUNT: { id: 86, type: "u32" },
  KEY_PORT_SRC_MIN: { id: 87, type: "be16" },
  KEY_PORT_SRC_MAX: { id: 88, type: "be16" },
  KEY_PORT_DST_MIN: { id: 89, type: "be16" },
  KEY_PORT_DST_MAX: { id: 90, type: "be16" },
  KEY_CT_STATE: { id: 91, type: "u16", flags: CT_STATE_FLAGS },
  KEY_CT_STATE_MASK: { id: 92, type: "u16", flags: CT_STATE_FLAGS },
  KEY_CT_ZONE: { id: 93, type: "u16" },
  KEY_CT_ZONE_MASK: { id: 94, type: "u16" },
  KEY_CT_MARK: { id: 95, type: "u32" },
  KEY_CT_MARK_MASK: { id: 96, type: "u32" },
  KEY_CT_LABELS: { id: 97, type: "binary" },
  KEY_CT_LABELS_MASK: { id: 98, type: "binary" },
  KEY_MPLS_OPTS: { id: 99, type: "nested", schema: MPLS_OPTS_ATTRS, nestedFlag: true },
  KEY_HASH: { id: 100, type: "u32" },
  KEY_HASH_MASK: { id: 101, type: "u32" },
  KEY_NUM_OF_VLANS: { id: 102, type: "u8" },
  KEY_PPPOE_SID: { id: 103, type: "be16" },
  KEY_PPP_PROTO: { id: 104, type: "be16", enum: PPP_PROTOCOL },
  KEY_L2TPV3_SID: { id: 105, type: "be32" },
  L2_MISS: { id: 106, type: "u8", since: "6.5" },
  KEY_CFM: { id: 107, type: "nested", schema: CFM_ATTRS, since: "6.6" },
  KEY_SPI: { id: 108, type: "be32", since: "6.6" },
  KEY_SPI_MASK: { id: 109, type: "be32", since: "6.6" },
  KEY_ENC_FLAGS: { id: 110, type: "be32", flags: FLOWER_KEY_FLAGS, since: "6.11" },
  KEY_ENC_FLAGS_MASK: { id: 111, type: "be32", flags: FLOWER_KEY_FLAGS, since: "6.11" },
});

/** One geneve option as decoded. */
export interface GeneveOptData {
  /** Option class. */
  class?: number;
  /** Option type. */
  type?: number;
  /** Option data. */
  data?: Uint8Array;
}

/** Tunnel options as decoded (TCA_FLOWER_KEY_ENC_OPTS and its mask). */
export interface EncOptsData {
  /** Geneve options, one per option. */
  geneve?: GeneveOptData[];
  /** The vxlan group policy id. */
  vxlan?: { gbp?: number };
  /** Erspan fields. */
  erspan?: { ver?: number; index?: number; dir?: number; hwid?: number };
  /** GTP fields. */
  gtp?: { pduType?: number; qfi?: number };
}

/** One MPLS label stack entry as decoded. */
export interface MplsLseData {
  /** Its depth in the stack (1 is the outermost). */
  depth?: number;
  /** TTL. */
  ttl?: number;
  /** Bottom-of-stack bit. */
  bos?: number;
  /** Traffic class. */
  tc?: number;
  /** Label. */
  label?: number;
}

/**
 * A flower filter's options as decoded: every key the kernel reports, with
 * its mask (`keyEthDst` and `keyEthDstMask`, …). MAC addresses and IP
 * addresses are text, ethernet types names where known (`"ip"`, `"802.1Q"`),
 * flag sets lists of names.
 */
export interface FlowerData {
  /** The class matched packets go to, as tc(8) prints it (`"1:10"`). */
  classid?: string;
  /** The input device matched. */
  indev?: string;
  /** The actions. */
  act?: Action[];
  /** Destination MAC. */
  keyEthDst?: string;
  /** Its mask. */
  keyEthDstMask?: string;
  /** Source MAC. */
  keyEthSrc?: string;
  /** Its mask. */
  keyEthSrcMask?: string;
  /** Ethernet type (the filter's protocol). */
  keyEthType?: string | number;
  /** IP protocol (`"tcp"`, `"udp"`, `"sctp"`, `"icmp"`, `"icmpv6"` or a number). */
  keyIpProto?: string | number;
  /** IPv4 source. */
  keyIpv4Src?: string;
  /** Its mask. */
  keyIpv4SrcMask?: string;
  /** IPv4 destination. */
  keyIpv4Dst?: string;
  /** Its mask. */
  keyIpv4DstMask?: string;
  /** IPv6 source. */
  keyIpv6Src?: string;
  /** Its mask. */
  keyIpv6SrcMask?: string;
  /** IPv6 destination. */
  keyIpv6Dst?: string;
  /** Its mask. */
  keyIpv6DstMask?: string;
  /** TCP source port. */
  keyTcpSrc?: number;
  /** TCP destination port. */
  keyTcpDst?: number;
  /** UDP source port. */
  keyUdpSrc?: number;
  /** UDP destination port. */
  keyUdpDst?: number;
  /** Filter flags: `skip_hw`, `skip_sw`, `in_hw`, `not_in_hw`, `verbose`. */
  flags?: string[];
  /** VLAN id. */
  keyVlanId?: number;
  /** VLAN priority. */
  keyVlanPrio?: number;
  /** Ethernet type inside the VLAN tag. */
  keyVlanEthType?: string | number;
  /** Tunnel key id. */
  keyEncKeyId?: number;
  /** Tunnel IPv4 source. */
  keyEncIpv4Src?: string;
  /** Its mask. */
  keyEncIpv4SrcMask?: string;
  /** Tunnel IPv4 destination. */
  keyEncIpv4Dst?: string;
  /** Its mask. */
  keyEncIpv4DstMask?: string;
  /** Tunnel IPv6 source. */
  keyEncIpv6Src?: string;
  /** Its mask. */
  keyEncIpv6SrcMask?: string;
  /** Tunnel IPv6 destination. */
  keyEncIpv6Dst?: string;
  /** Its mask. */
  keyEncIpv6DstMask?: string;
  /** TCP source port mask. */
  keyTcpSrcMask?: number;
  /** TCP destination port mask. */
  keyTcpDstMask?: number;
  /** UDP source port mask. */
  keyUdpSrcMask?: number;
  /** UDP destination port mask. */
  keyUdpDstMask?: number;
  /** SCTP source port mask. */
  keySctpSrcMask?: number;
  /** SCTP destination port mask. */
  keySctpDstMask?: number;
  /** SCTP source port. */
  keySctpSrc?: number;
  /** SCTP destination port. */
  keySctpDst?: number;
  /** Tunnel UDP source port. */
  keyEncUdpSrcPort?: number;
  /** Its mask. */
  keyEncUdpSrcPortMask?: number;
  /** Tunnel UDP destination port. */
  keyEncUdpDstPort?: number;
  /** Its mask. */
  keyEncUdpDstPortMask?: number;
  /** IP fragment flags (`frag`, `firstfrag`). */
  keyFlags?: string[];
  /** The flags that count. */
  keyFlagsMask?: string[];
  /** ICMP code. */
  keyIcmpv4Code?: number;
  /** Its mask. */
  keyIcmpv4CodeMask?: number;
  /** ICMP type. */
  keyIcmpv4Type?: number;
  /** Its mask. */
  keyIcmpv4TypeMask?: number;
  /** ICMPv6 code. */
  keyIcmpv6Code?: number;
  /** Its mask. */
  keyIcmpv6CodeMask?: number;
  /** ICMPv6 type. */
  keyIcmpv6Type?: number;
  /** Its mask. */
  keyIcmpv6TypeMask?: number;
  /** ARP sender IP. */
  keyArpSip?: string;
  /** Its mask. */
  keyArpSipMask?: string;
  /** ARP target IP. */
  keyArpTip?: string;
  /** Its mask. */
  keyArpTipMask?: string;
  /** ARP operation (1 request, 2 reply). */
  keyArpOp?: number;
  /** Its mask. */
  keyArpOpMask?: number;
  /** ARP sender MAC. */
  keyArpSha?: string;
  /** Its mask. */
  keyArpShaMask?: string;
  /** ARP target MAC. */
  keyArpTha?: string;
  /** Its mask. */
  keyArpThaMask?: string;
  /** Outermost MPLS TTL. */
  keyMplsTtl?: number;
  /** Outermost MPLS bottom-of-stack bit. */
  keyMplsBos?: number;
  /** Outermost MPLS traffic class. */
  keyMplsTc?: number;
  /** Outermost MPLS label. */
  keyMplsLabel?: number;
  /** TCP flags. */
  keyTcpFlags?: number;
  /** Their mask. */
  keyTcpFlagsMask?: number;
  /** IP TOS / traffic class. */
  keyIpTos?: number;
  /** Its mask. */
  keyIpTosMask?: number;
  /** IP TTL / hop limit. */
  keyIpTtl?: number;
  /** Its mask. */
  keyIpTtlMask?: number;
  /** Inner (customer) VLAN id. */
  keyCvlanId?: number;
  /** Inner VLAN priority. */
  keyCvlanPrio?: number;
  /** Ethernet type inside the inner VLAN tag. */
  keyCvlanEthType?: string | number;
  /** Tunnel TOS. */
  keyEncIpTos?: number;
  /** Its mask. */
  keyEncIpTosMask?: number;
  /** Tunnel TTL. */
  keyEncIpTtl?: number;
  /** Its mask. */
  keyEncIpTtlMask?: number;
  /** Tunnel options. */
  keyEncOpts?: EncOptsData;
  /** Their masks. */
  keyEncOptsMask?: EncOptsData;
  /** How many hardware devices run the filter. */
  inHwCount?: number;
  /** Source port range: first port. */
  keyPortSrcMin?: number;
  /** Source port range: last port. */
  keyPortSrcMax?: number;
  /** Destination port range: first port. */
  keyPortDstMin?: number;
  /** Destination port range: last port. */
  keyPortDstMax?: number;
  /** Connection-tracking state (`trk`, `new`, `est`, `rel`, `inv`, `rpl`). */
  keyCtState?: string[];
  /** The states that count. */
  keyCtStateMask?: string[];
  /** Conntrack zone. */
  keyCtZone?: number;
  /** Its mask. */
  keyCtZoneMask?: number;
  /** Conntrack mark. */
  keyCtMark?: number;
  /** Its mask. */
  keyCtMarkMask?: number;
  /** Conntrack labels. */
  keyCtLabels?: Uint8Array;
  /** Their mask. */
  keyCtLabelsMask?: Uint8Array;
  /** MPLS label stack entries. */
  keyMplsOpts?: { lse?: MplsLseData[] };
  /** Flow hash. */
  keyHash?: number;
  /** Its mask. */
  keyHashMask?: number;
  /** How many VLAN tags. */
  keyNumOfVlans?: number;
  /** PPPoE session id. */
  keyPppoeSid?: number;
  /** PPP protocol (`"ip"`, `"ipv6"`, `"mpls_uc"`, … or a number). */
  keyPppProto?: string | number;
  /** L2TPv3 session id. */
  keyL2tpv3Sid?: number;
  /** Matches packets that missed the bridge's FDB (Linux 6.5). */
  l2Miss?: number;
  /** Ethernet CFM fields (Linux 6.6). */
  keyCfm?: { mdLevel?: number; opcode?: number };
  /** IPsec SPI (Linux 6.6). */
  keySpi?: number;
  /** Its mask. */
  keySpiMask?: number;
  /** Tunnel flags (Linux 6.11). */
  keyEncFlags?: string[];
  /** Their mask. */
  keyEncFlagsMask?: string[];
}
