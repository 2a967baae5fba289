/**
 * The usage text of each link kind as iproute2 6.1 prints it: `ip link help
 * KIND` prints it on stdout and succeeds; a kind's parser prints it on stderr
 * (veth and vxcan: stdout) and fails with 1 for `help` among its words, and
 * for a word it does not know, after a line naming that word (the `unknown`
 * form, `%s` standing for the word; kinds without one print the usage
 * alone). Loaded only by the commands that parse a kind's words.
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";

/** One kind's usage and how its parser reports words. */
export interface LinkKindHelp {
  /** The usage text (without the last newline). */
  readonly text: string;
  /** The parser prints the usage on stdout (veth, vxcan), not stderr. */
  readonly stdout?: boolean;
  /** The line before the usage for a word the kind does not know, after `KIND: `; `%s` is the word. */
  readonly unknown?: string;
  /** The parser takes `help` only whole, not abbreviated (amt, dsa, gtp). */
  readonly helpExact?: boolean;
  /** The parser does not know `help` either: it reports it as an unknown word (macsec). */
  readonly helpIsUnknown?: boolean;
  /** The parser takes no words (dummy, ifb, …): only `ip link help KIND` prints the usage. */
  readonly noHelpWord?: boolean;
}

/** The encapsulation lines of the IP tunnels' usages (iproute2 prints them in each tunnel kind's help). */
const TUNNEL_ENCAP = `			[ external ]
			[ noencap ]
			[ encap { fou | gue | none } ]
			[ encap-sport PORT ]
			[ encap-dport PORT ]
			[ [no]encap-csum ]
			[ [no]encap-csum6 ]
			[ [no]encap-remcsum ]`;

/** ERSPAN's lines, in erspan's and ip6gre's usages. */
const ERSPAN = `			[ erspan_ver version ]
			[ erspan IDX ]
			[ erspan_dir { ingress | egress } ]
			[ erspan_hwid hwid ]`;

/** The Where block of the IPv4 tunnels' usages (gre, erspan, ipip, sit), `KEY` for the GRE kinds. */
function ipv4TunnelWhere(key: boolean): string {
  return `Where:	ADDR := { IP_ADDRESS | any }
	TOS  := { NUMBER | inherit }
	TTL  := { 1..255 | inherit }
${key ? "	KEY  := { DOTTED_QUAD | NUMBER }\n" : ""}	MARK := { 0x0..0xffffffff }`;
}

/** gre's and erspan's usage: one text in iproute2 (link_gre.c), ERSPAN's lines for erspan. */
function greUsage(kind: string, erspan: boolean): string {
  return `Usage: ... ${kind.padEnd(9)}	[ remote ADDR ]
			[ local ADDR ]
			[ [no][i|o]seq ]
			[ [i|o]key KEY | no[i|o]key ]
			[ [no][i|o]csum ]
			[ ttl TTL ]
			[ tos TOS ]
			[ [no]pmtudisc ]
			[ [no]ignore-df ]
			[ dev PHYS_DEV ]
			[ fwmark MARK ]
${TUNNEL_ENCAP}
${erspan ? ERSPAN + "\n" : ""}
${ipv4TunnelWhere(true)}`;
}

/** ipip's and sit's usage: one text in iproute2 (link_iptnl.c), with the kind's modes, and sit's `isatap`. */
function ipTunnelUsage(kind: string, modes: string, isatap: boolean): string {
  return `Usage: ... ${kind.padEnd(6)}	[ remote ADDR ]
			[ local ADDR ]
			[ ttl TTL ]
			[ tos TOS ]
			[ [no]pmtudisc ]
			[ 6rd-prefix ADDR ]
			[ 6rd-relay_prefix ADDR ]
			[ 6rd-reset ]
			[ dev PHYS_DEV ]
			[ fwmark MARK ]
${TUNNEL_ENCAP}
			[ mode { ${modes} | any } ]
${isatap ? "			[ isatap ]\n" : ""}
${ipv4TunnelWhere(false)}`;
}

/** vti's and vti6's usage: the same text in iproute2 (link_vti.c, link_vti6.c) but for the address. */
function vtiUsage(kind: string, address: string): string {
  return `Usage: ... ${kind.padEnd(4)}	[ remote ADDR ]
		[ local ADDR ]
		[ [i|o]key KEY ]
		[ dev PHYS_DEV ]
		[ fwmark MARK ]

Where:	ADDR := { ${address} }
	KEY  := { DOTTED_QUAD | NUMBER }
	MARK := { 0x0..0xffffffff }`;
}

/** The kinds' usage texts, by kind (see {@linkcode LINK_KIND_HELP}, which adds the renamed ones). */
const OWN_HELP: Readonly<Record<string, LinkKindHelp>> = {
  amt: {
    text: `Usage: ... amt
               [ discovery IP_ADDRESS ]
               [ mode MODE ]
               [ local ADDR ]
               [ dev PHYS_DEV ]
               [ relay_port PORT ]
               [ gateway_port PORT ]
               [ max_tunnels NUMBER ]

Where: ADDR	:= { IP_ADDRESS }
       MODE	:= { gateway | relay }`,
    helpExact: true,
    unknown: 'unknown command "%s"?',
  },
  bareudp: {
    text: `Usage: ... bareudp dstport PORT
		ethertype PROTO
		[ srcportmin PORT ]
		[ [no]multiproto ]

Where:	PORT  := UDP_PORT
	PROTO := ETHERTYPE

Note: ETHERTYPE can be given as number or as protocol name ("ipv4", "ipv6",
      "mpls_uc", etc.).`,
    unknown: 'unknown command "%s"?',
  },
  batadv: {
    text: `Usage: ... batadv [ ra ROUTING_ALG ]

Where: ROUTING_ALG := { BATMAN_IV | BATMAN_V }`,
    unknown: 'unknown command "%s"?',
  },
  bond: {
    text: `Usage: ... bond [ mode BONDMODE ] [ active_slave SLAVE_DEV ]
                [ clear_active_slave ] [ miimon MIIMON ]
                [ updelay UPDELAY ] [ downdelay DOWNDELAY ]
                [ peer_notify_delay DELAY ]
                [ use_carrier USE_CARRIER ]
                [ arp_interval ARP_INTERVAL ]
                [ arp_validate ARP_VALIDATE ]
                [ arp_all_targets ARP_ALL_TARGETS ]
                [ arp_ip_target [ ARP_IP_TARGET, ... ] ]
                [ ns_ip6_target [ NS_IP6_TARGET, ... ] ]
                [ primary SLAVE_DEV ]
                [ primary_reselect PRIMARY_RESELECT ]
                [ fail_over_mac FAIL_OVER_MAC ]
                [ xmit_hash_policy XMIT_HASH_POLICY ]
                [ resend_igmp RESEND_IGMP ]
                [ num_grat_arp|num_unsol_na NUM_GRAT_ARP|NUM_UNSOL_NA ]
                [ all_slaves_active ALL_SLAVES_ACTIVE ]
                [ min_links MIN_LINKS ]
                [ lp_interval LP_INTERVAL ]
                [ packets_per_slave PACKETS_PER_SLAVE ]
                [ tlb_dynamic_lb TLB_DYNAMIC_LB ]
                [ lacp_rate LACP_RATE ]
                [ lacp_active LACP_ACTIVE]
                [ ad_select AD_SELECT ]
                [ ad_user_port_key PORTKEY ]
                [ ad_actor_sys_prio SYSPRIO ]
                [ ad_actor_system LLADDR ]
                [ arp_missed_max MISSED_MAX ]

BONDMODE := balance-rr|active-backup|balance-xor|broadcast|802.3ad|balance-tlb|balance-alb
ARP_VALIDATE := none|active|backup|all|filter|filter_active|filter_backup
ARP_ALL_TARGETS := any|all
PRIMARY_RESELECT := always|better|failure
FAIL_OVER_MAC := none|active|follow
XMIT_HASH_POLICY := layer2|layer2+3|layer3+4|encap2+3|encap3+4|vlan+srcmac
LACP_ACTIVE := off|on
LACP_RATE := slow|fast
AD_SELECT := stable|bandwidth|count`,
    unknown: 'unknown command "%s"?',
  },
  bridge: {
    text: `Usage: ... bridge [ fdb_flush ]
		  [ forward_delay FORWARD_DELAY ]
		  [ hello_time HELLO_TIME ]
		  [ max_age MAX_AGE ]
		  [ ageing_time AGEING_TIME ]
		  [ stp_state STP_STATE ]
		  [ priority PRIORITY ]
		  [ group_fwd_mask MASK ]
		  [ group_address ADDRESS ]
		  [ no_linklocal_learn NO_LINKLOCAL_LEARN ]
		  [ vlan_filtering VLAN_FILTERING ]
		  [ vlan_protocol VLAN_PROTOCOL ]
		  [ vlan_default_pvid VLAN_DEFAULT_PVID ]
		  [ vlan_stats_enabled VLAN_STATS_ENABLED ]
		  [ vlan_stats_per_port VLAN_STATS_PER_PORT ]
		  [ mcast_snooping MULTICAST_SNOOPING ]
		  [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]
		  [ mcast_router MULTICAST_ROUTER ]
		  [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]
		  [ mcast_querier MULTICAST_QUERIER ]
		  [ mcast_hash_elasticity HASH_ELASTICITY ]
		  [ mcast_hash_max HASH_MAX ]
		  [ mcast_last_member_count LAST_MEMBER_COUNT ]
		  [ mcast_startup_query_count STARTUP_QUERY_COUNT ]
		  [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]
		  [ mcast_membership_interval MEMBERSHIP_INTERVAL ]
		  [ mcast_querier_interval QUERIER_INTERVAL ]
		  [ mcast_query_interval QUERY_INTERVAL ]
		  [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]
		  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]
		  [ mcast_stats_enabled MCAST_STATS_ENABLED ]
		  [ mcast_igmp_version IGMP_VERSION ]
		  [ mcast_mld_version MLD_VERSION ]
		  [ nf_call_iptables NF_CALL_IPTABLES ]
		  [ nf_call_ip6tables NF_CALL_IP6TABLES ]
		  [ nf_call_arptables NF_CALL_ARPTABLES ]

Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }`,
    unknown: 'unknown command "%s"?',
  },
  can: {
    text: `Usage: ip link set DEVICE type can
	[ bitrate BITRATE [ sample-point SAMPLE-POINT] ] |
	[ tq TQ prop-seg PROP_SEG phase-seg1 PHASE-SEG1
 	  phase-seg2 PHASE-SEG2 [ sjw SJW ] ]

	[ dbitrate BITRATE [ dsample-point SAMPLE-POINT] ] |
	[ dtq TQ dprop-seg PROP_SEG dphase-seg1 PHASE-SEG1
 	  dphase-seg2 PHASE-SEG2 [ dsjw SJW ] ]
	[ tdcv TDCV tdco TDCO tdcf TDCF ]

	[ loopback { on | off } ]
	[ listen-only { on | off } ]
	[ triple-sampling { on | off } ]
	[ one-shot { on | off } ]
	[ berr-reporting { on | off } ]
	[ fd { on | off } ]
	[ fd-non-iso { on | off } ]
	[ presume-ack { on | off } ]
	[ cc-len8-dlc { on | off } ]
	[ tdc-mode { auto | manual | off } ]

	[ restart-ms TIME-MS ]
	[ restart ]

	[ termination { 0..65535 } ]

	Where: BITRATE	:= { NUMBER in bps }
		  SAMPLE-POINT	:= { 0.000..0.999 }
		  TQ		:= { NUMBER in ns }
		  PROP-SEG	:= { NUMBER in tq }
		  PHASE-SEG1	:= { NUMBER in tq }
		  PHASE-SEG2	:= { NUMBER in tq }
		  SJW		:= { NUMBER in tq }
		  TDCV		:= { NUMBER in tc }
		  TDCO		:= { NUMBER in tc }
		  TDCF		:= { NUMBER in tc }
		  RESTART-MS	:= { 0 | NUMBER in ms }`,
    unknown: 'unknown option "%s"',
  },
  dsa: { text: `Usage: ... dsa [ conduit DEVICE ]`, helpExact: true, unknown: 'unknown command "%s"?' },
  dummy: { text: `Usage: ... dummy`, noHelpWord: true },
  geneve: {
    text: `Usage: ... geneve id VNI
		remote ADDR
		[ ttl TTL ]
		[ tos TOS ]
		[ df DF ]
		[ flowlabel LABEL ]
		[ dstport PORT ]
		[ [no]external ]
		[ [no]udpcsum ]
		[ [no]udp6zerocsumtx ]
		[ [no]udp6zerocsumrx ]
		[ innerprotoinherit ]

Where:	VNI   := 0-16777215
	ADDR  := IP_ADDRESS
	TOS   := { NUMBER | inherit }
	TTL   := { 1..255 | auto | inherit }
	DF    := { unset | set | inherit }
	LABEL := 0-1048575`,
    unknown: 'unknown command "%s"?',
  },
  gtp: {
    text: `Usage: ... gtp role ROLE
		[ hsize HSIZE ]
		[ restart_count RESTART_COUNT ]

Where:	ROLE		:= { sgsn | ggsn }
	HSIZE		:= 1-131071
	RESTART_COUNT	:= 0-255`,
    helpExact: true,
  },
  hsr: {
    text: `Usage:	ip link add name NAME type hsr slave1 SLAVE1-IF slave2 SLAVE2-IF
	[ supervision ADDR-BYTE ] [version VERSION] [proto PROTOCOL]

NAME
	name of new hsr device (e.g. hsr0)
SLAVE1-IF, SLAVE2-IF
	the two slave devices bound to the HSR device
ADDR-BYTE
	0-255; the last byte of the multicast address used for HSR supervision
	frames (default = 0)
VERSION
	0,1; the protocol version to be used. (default = 0)
PROTOCOL
	0 - HSR, 1 - PRP. (default = 0 - HSR)`,
    unknown: 'what is "%s"?',
  },
  ifb: { text: `Usage: ... ifb`, noHelpWord: true },
  ipoib: {
    text: `Usage: ... ipoib [ pkey PKEY ]
		 [ mode {datagram | connected} ]
		 [ umcast {0|1} ]

PKEY  := 0x8001-0xffff`,
    unknown: 'unknown option "%s"?',
  },
  ipvlan: {
    text: `Usage: ... ipvlan [ mode MODE ] [ FLAGS ]

MODE: l3 | l3s | l2
FLAGS: bridge | private | vepa
(first values are the defaults if nothing is specified).`,
    unknown: 'unknown option "%s"?',
  },
  macvlan: {
    text: `Usage: ... macvlan mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]

MODE: private | vepa | bridge | passthru | source
MODE_FLAG: null | nopromisc | nodst
MODE_OPTS: for mode "source":
	macaddr { { add | del } <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }
BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]`,
    unknown: 'unknown option "%s"?',
  },
  netdevsim: { text: `Usage: ... netdevsim`, noHelpWord: true },
  nlmon: { text: `Usage: ... nlmon`, noHelpWord: true },
  rmnet: {
    text: `Usage: ... rmnet mux_id MUXID

MUXID := 1-254`,
    unknown: 'unknown command "%s"?',
  },
  team: { text: `Usage: ... team`, noHelpWord: true },
  vcan: { text: `Usage: ... vcan`, noHelpWord: true },
  virt_wifi: { text: `Usage: ... virt_wifi `, noHelpWord: true },
  vlan: {
    text: `Usage: ... vlan id VLANID
		[ protocol VLANPROTO ]
		[ reorder_hdr { on | off } ]
		[ gvrp { on | off } ]
		[ mvrp { on | off } ]
		[ loose_binding { on | off } ]
		[ bridge_binding { on | off } ]
		[ ingress-qos-map QOS-MAP ]
		[ egress-qos-map QOS-MAP ]

VLANID := 0-4095
VLANPROTO: [ 802.1Q | 802.1ad ]
QOS-MAP := [ QOS-MAP ] QOS-MAPPING
QOS-MAPPING := FROM:TO`,
    unknown: 'unknown command "%s"?',
  },
  vrf: { text: `Usage: ... vrf table TABLEID`, unknown: 'unknown option "%s"?' },
  vxlan: {
    text: `Usage: ... vxlan id VNI
		[ { group | remote } IP_ADDRESS ]
		[ local ADDR ]
		[ ttl TTL ]
		[ tos TOS ]
		[ df DF ]
		[ flowlabel LABEL ]
		[ dev PHYS_DEV ]
		[ dstport PORT ]
		[ srcport MIN MAX ]
		[ [no]learning ]
		[ [no]proxy ]
		[ [no]rsc ]
		[ [no]l2miss ]
		[ [no]l3miss ]
		[ ageing SECONDS ]
		[ maxaddress NUMBER ]
		[ [no]udpcsum ]
		[ [no]udp6zerocsumtx ]
		[ [no]udp6zerocsumrx ]
		[ [no]remcsumtx ] [ [no]remcsumrx ]
		[ [no]external ] [ gbp ] [ gpe ]
		[ [no]vnifilter ]

Where:	VNI	:= 0-16777215
	ADDR	:= { IP_ADDRESS | any }
	TOS	:= { NUMBER | inherit }
	TTL	:= { 1..255 | auto | inherit }
	DF	:= { unset | set | inherit }
	LABEL := 0-1048575`,
    unknown: 'unknown command "%s"?',
  },
  wwan: {
    text: `Usage: ... wwan linkid LINKID

Where: LINKID := 0-4294967295`,
    unknown: 'unknown command "%s"?',
  },
  gre: { text: greUsage("gre", false) },
  erspan: { text: greUsage("erspan", true) },
  ip6gre: {
    text: `Usage: ... ip6gre   	[ remote ADDR ]
			[ local ADDR ]
			[ [no][i|o]seq ]
			[ [i|o]key KEY | no[i|o]key ]
			[ [no][i|o]csum ]
			[ hoplimit TTL ]
			[ encaplimit ELIM ]
			[ tclass TCLASS ]
			[ flowlabel FLOWLABEL ]
			[ dscp inherit ]
			[ dev PHYS_DEV ]
			[ fwmark MARK ]
			[ [no]allow-localremote ]
${TUNNEL_ENCAP}
${ERSPAN}

Where:	ADDR	  := IPV6_ADDRESS
	TTL	  := { 0..255 } (default=64)
	KEY	  := { DOTTED_QUAD | NUMBER }
	ELIM	  := { none | 0..255 }(default=4)
	TCLASS	  := { 0x0..0xff | inherit }
	FLOWLABEL := { 0x0..0xfffff | inherit }
	MARK	  := { 0x0..0xffffffff | inherit }`,
  },
  ip6tnl: {
    text: `Usage: ... ip6tnl	[ remote ADDR ]
			[ local ADDR ]
			[ encaplimit ELIM ]
			[ hoplimit HLIM ]
			[ tclass TCLASS ]
			[ flowlabel FLOWLABEL ]
			[ dscp inherit ]
			[ [no]allow-localremote ]
			[ dev PHYS_DEV ]
			[ fwmark MARK ]
${TUNNEL_ENCAP}
			[ mode { ip6ip6 | ipip6 | any } ]

Where:	ADDR	  := IPV6_ADDRESS
	ELIM	  := { none | 0..255 }(default=4)
	HLIM	  := 0..255 (default=64)
	TCLASS    := { 0x0..0xff | inherit }
	FLOWLABEL := { 0x0..0xfffff | inherit }
	MARK	  := { 0x0..0xffffffff | inherit }`,
  },
  ipip: { text: ipTunnelUsage("ipip", "ipip | mplsip", false) },
  sit: { text: ipTunnelUsage("sit", "ip6ip | ipip | mplsip", true) },
  veth: {
    text: `Usage: ip link <options> type veth [peer <options>]
To get <options> type 'ip link add help'`,
    stdout: true,
  },
  vti: { text: vtiUsage("vti", "IP_ADDRESS") },
  vti6: { text: vtiUsage("vti6", "IPV6_ADDRESS") },
  xfrm: {
    text: `Usage: ... xfrm dev [ PHYS_DEV ] [ if_id IF-ID ]
		[ external ]

Where: IF-ID := { 0x1..0xffffffff }`,
  },
  macsec: {
    text: `Usage: ... macsec [ [ address <lladdr> ] port { 1..2^16-1 } | sci <u64> ]
                  [ cipher { default | gcm-aes-128 | gcm-aes-256 | gcm-aes-xpn-128 | gcm-aes-xpn-256 } ]
                  [ icvlen { 8..16 } ]
                  [ encrypt { on | off } ]
                  [ send_sci { on | off } ]
                  [ end_station { on | off } ]
                  [ scb { on | off } ]
                  [ protect { on | off } ]
                  [ replay { on | off} window { 0..2^32-1 } ]
                  [ validate { strict | check | disabled } ]
                  [ encodingsa { 0..3 } ]
                  [ offload { mac | phy | off } ]`,
    helpIsUnknown: true,
    unknown: 'unknown command "%s"?',
  },
  bridge_slave: {
    text: `Usage: ... bridge_slave [ fdb_flush ]
			[ state STATE ]
			[ priority PRIO ]
			[ cost COST ]
			[ guard {on | off} ]
			[ hairpin {on | off} ]
			[ fastleave {on | off} ]
			[ root_block {on | off} ]
			[ learning {on | off} ]
			[ flood {on | off} ]
			[ proxy_arp {on | off} ]
			[ proxy_arp_wifi {on | off} ]
			[ mcast_router MULTICAST_ROUTER ]
			[ mcast_fast_leave {on | off} ]
			[ mcast_flood {on | off} ]
			[ bcast_flood {on | off} ]
			[ mcast_to_unicast {on | off} ]
			[ group_fwd_mask MASK ]
			[ neigh_suppress {on | off} ]
			[ vlan_tunnel {on | off} ]
			[ isolated {on | off} ]
			[ locked {on | off} ]
			[ backup_port DEVICE ] [ nobackup_port ]`,
    unknown: 'unknown option "%s"?',
  },
  bond_slave: { text: `Usage: ... bond_slave [ queue_id ID ] [ prio PRIORITY ]`, unknown: 'unknown option "%s"?' },
  team_slave: { text: `Usage: ... team_slave`, noHelpWord: true },
};

/**
 * `help`'s usage under another kind's name: iproute2 prints some kinds' usage
 * from one text with the kind's name in it, padded to `width` columns.
 */
function renamed(help: LinkKindHelp, from: string, to: string, width = 0): LinkKindHelp {
  return { ...help, text: help.text.replace(from.padEnd(width), to.padEnd(width)) };
}

/** Every kind's usage text, by kind. */
export const LINK_KIND_HELP: Readonly<Record<string, LinkKindHelp>> = {
  ...OWN_HELP,
  gretap: renamed(OWN_HELP.gre, "gre", "gretap", 9),
  ip6gretap: renamed(OWN_HELP.ip6gre, "ip6gre", "ip6gretap", 9),
  ip6erspan: renamed(OWN_HELP.ip6gre, "ip6gre", "ip6erspan", 9),
  macvtap: renamed(OWN_HELP.macvlan, "macvlan", "macvtap"),
  ipvtap: renamed(OWN_HELP.ipvlan, "ipvlan", "ipvtap"),
  vxcan: renamed(OWN_HELP.veth, "veth", "vxcan"),
};

/**
 * How a kind's parser fails on `word` (a word it has no use for): its usage
 * for `help`, else the line naming the word and its usage, exit 1, as
 * iproute2's kinds fail. A kind without a usage text fails as an unknown
 * command (exit 255).
 *
 * @example
 * ```ts
 * import { kindWordError } from "./link_help.ts";
 * kindWordError("vrf", "bogus").message.split("\n")[0]; // 'vrf: unknown option "bogus"?'
 * ```
 */
export function kindWordError(kind: string, word: string): UsageError {
  const h = linkKindHelp(kind);
  if (h === undefined) return new UsageError(`${kind}: unknown command "${word}"?`, 255);
  const help = !h.helpIsUnknown && (h.helpExact ? word === "help" : matches(word, "help"));
  if (help || h.unknown === undefined) return new UsageError(h.text, 1);
  return new UsageError(`${kind}: ${h.unknown.replace("%s", word)}\n${h.text}`, 1);
}

/**
 * A kind's usage, when iproute2 has one for it.
 *
 * @example
 * ```ts
 * import { linkKindHelp } from "./link_help.ts";
 * linkKindHelp("veth")?.stdout; // true
 * ```
 */
export function linkKindHelp(kind: string): LinkKindHelp | undefined {
  return Object.hasOwn(LINK_KIND_HELP, kind) ? LINK_KIND_HELP[kind] : undefined;
}
