/**
 * The flower filter's words (f_flower.c's keys, in its order of matching),
 * into the library's typed flower options. Most keys take tc's own text
 * (`10.0.0.0/8`, `0x10/0xfc`, `+trk+est`, `1024-65535`), which the library
 * reads as tc does; plain numbers are read here.
 *
 * @module
 */
import { parseActionsOrFail } from "./action_parse.ts";
import { cUint, illegal, KindWordError, type Words } from "./filter_args.ts";

type Opts = Record<string, unknown>;

/** How a key's value is read: tc's text as it is, or a decimal number up to a bound. */
type Value = "text" | number;

/** [word, exact (strcmp) or prefix (matches), option, value]: in f_flower.c's order. */
const KEYS: readonly [string, boolean, string, Value][] = [
  ["classid", false, "classid", "text"],
  ["flowid", false, "classid", "text"],
  ["hw_tc", false, "hwTc", 0xffffffff],
  ["ip_flags", false, "ipFlags", "text"],
  ["ct_state", false, "ctState", "text"],
  ["ct_zone", false, "ctZone", "text"],
  ["ct_mark", false, "ctMark", "text"],
  ["ct_label", false, "ctLabel", "text"],
  ["indev", false, "indev", "text"],
  ["num_of_vlans", true, "numOfVlans", 0xff],
  ["vlan_id", false, "vlanId", 0xffff],
  ["vlan_prio", false, "vlanPrio", 0xff],
  ["vlan_ethtype", false, "vlanEthtype", "text"],
  ["cvlan_id", false, "cvlanId", 0xffff],
  ["cvlan_prio", false, "cvlanPrio", 0xff],
  ["cvlan_ethtype", false, "cvlanEthtype", "text"],
  ["mpls_label", false, "mplsLabel", 0xffffffff],
  ["mpls_tc", false, "mplsTc", 0xff],
  ["mpls_bos", false, "mplsBos", 0xff],
  ["mpls_ttl", false, "mplsTtl", 0xff],
  ["dst_mac", false, "dstMac", "text"],
  ["src_mac", false, "srcMac", "text"],
  ["ip_proto", false, "ipProto", "text"],
  ["ip_tos", false, "ipTos", "text"],
  ["ip_ttl", false, "ipTtl", "text"],
  ["dst_ip", false, "dstIp", "text"],
  ["src_ip", false, "srcIp", "text"],
  ["dst_port", false, "dstPort", "text"],
  ["src_port", false, "srcPort", "text"],
  ["tcp_flags", false, "tcpFlags", "text"],
  ["type", false, "icmpType", "text"],
  ["code", false, "icmpCode", "text"],
  ["arp_tip", false, "arpTip", "text"],
  ["arp_sip", false, "arpSip", "text"],
  ["arp_op", false, "arpOp", "text"],
  ["arp_tha", false, "arpTha", "text"],
  ["arp_sha", false, "arpSha", "text"],
  ["pppoe_sid", true, "pppoeSid", 0xffff],
  ["ppp_proto", true, "pppProto", "text"],
  ["enc_dst_ip", false, "encDstIp", "text"],
  ["enc_src_ip", false, "encSrcIp", "text"],
  ["enc_key_id", false, "encKeyId", 0xffffffff],
  ["enc_dst_port", false, "encDstPort", 0xffff],
  ["enc_tos", false, "encTos", "text"],
  ["enc_ttl", false, "encTtl", "text"],
  ["geneve_opts", false, "geneveOpts", "text"],
  ["vxlan_opts", false, "vxlanOpts", "text"],
  ["erspan_opts", false, "erspanOpts", "text"],
  ["gtp_opts", true, "gtpOpts", "text"],
];

const LSE_KEYS: readonly [string, number][] = [["depth", 0xff], ["label", 0xffffffff], ["tc", 0xff], ["bos", 0xff], [
  "ttl",
  0xff,
]];

/** `mpls lse depth D [label L] [tc T] [bos B] [ttl T] [lse …]`, the cursor after `mpls`. */
function parseLses(w: Words): Opts[] {
  const list: Opts[] = [];
  while (w.is("lse")) {
    const lse: Opts = {};
    w.advance();
    for (;;) {
      const k = LSE_KEYS.find(([word]) => w.abbrev(word));
      if (k === undefined) break;
      const n = cUint(w.value(), 10, k[1]);
      if (n === undefined) throw illegal(k[0]);
      lse[k[0]] = n;
      w.advance();
    }
    list.push(lse);
  }
  if (!list.length) throw illegal("mpls");
  return list;
}

/**
 * Parses flower's words (the cursor after `flower`) into flower options.
 *
 * @example
 * ```ts ignore
 * parseFlower(new Words(["dst_ip", "10.0.0.1", "action", "drop"]));
 * ```
 */
export function parseFlower(w: Words): Opts {
  const o: Opts = { kind: "flower" };
  while (w.more) {
    if (w.abbrev("verbose")) o.verbose = true;
    else if (w.abbrev("skip_hw")) o.skipHw = true;
    else if (w.abbrev("skip_sw")) o.skipSw = true;
    else if (w.abbrev("mpls")) {
      w.advance();
      o.mpls = parseLses(w);
      continue;
    } else if (w.abbrev("action")) {
      o.actions = [...(o.actions as unknown[] ?? []), ...parseActionsOrFail(w, 1)];
      continue;
    } else if (w.is("help")) throw new KindWordError("");
    else {
      const word = w.word!;
      // Prefix matches in f_flower.c's order ("ip_flags" before "ip_proto", …), after the flags above.
      const key = KEYS.find(([k, exact]) => exact ? word === k : k.startsWith(word));
      if (key === undefined) throw new KindWordError(`What is "${word}"?`);
      const [name, , option, value] = key;
      const v = w.value();
      if (value === "text") o[option] = v;
      else {
        const n = cUint(v, 10, value);
        if (n === undefined) throw illegal(name);
        o[option] = n;
      }
    }
    w.advance();
  }
  return o;
}
