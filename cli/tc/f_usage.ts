/**
 * The usage text of each filter kind as tc 6.1 prints it (explain()): for
 * `help` among the kind's words, and after a word it does not know. Loaded
 * by the commands that parse a filter kind's words.
 *
 * @module
 */
import { bpfUsageNotes } from "./bpf_usage.ts";

/** Usage texts by filter kind (without the last newline). */
const OWN_USAGE: Readonly<Record<string, string>> = {
  u32: `Usage: ... u32 [ match SELECTOR ... ] [ link HTID ] [ classid CLASSID ]
               [ action ACTION_SPEC ] [ offset OFFSET_SPEC ]
               [ ht HTID ] [ hashkey HASHKEY_SPEC ]
               [ sample SAMPLE ] [skip_hw | skip_sw]
or         u32 divisor DIVISOR

Where: SELECTOR := SAMPLE SAMPLE ...
       SAMPLE := { ip | ip6 | udp | tcp | icmp | u{32|16|8} | mark }
                 SAMPLE_ARGS [ divisor DIVISOR ]
       FILTERID := X:Y:Z

NOTE: CLASSID is parsed at hexadecimal input.`,
  flower: `Usage: ... flower	[ MATCH-LIST ] [ verbose ]
			[ skip_sw | skip_hw ]
			[ action ACTION-SPEC ] [ classid CLASSID ]

Where: MATCH-LIST := [ MATCH-LIST ] MATCH
       MATCH      := {	indev DEV-NAME |
			num_of_vlans VLANS_COUNT |
			vlan_id VID |
			vlan_prio PRIORITY |
			vlan_ethtype [ ipv4 | ipv6 | ETH-TYPE ] |
			cvlan_id VID |
			cvlan_prio PRIORITY |
			cvlan_ethtype [ ipv4 | ipv6 | ETH-TYPE ] |
			pppoe_sid PSID |
			ppp_proto [ ipv4 | ipv6 | mpls_uc | mpls_mc | PPP_PROTO ]			dst_mac MASKED-LLADDR |
			src_mac MASKED-LLADDR |
			ip_proto [tcp | udp | sctp | icmp | icmpv6 | IP-PROTO ] |
			ip_tos MASKED-IP_TOS |
			ip_ttl MASKED-IP_TTL |
			mpls LSE-LIST |
			mpls_label LABEL |
			mpls_tc TC |
			mpls_bos BOS |
			mpls_ttl TTL |
			dst_ip PREFIX |
			src_ip PREFIX |
			dst_port PORT-NUMBER |
			src_port PORT-NUMBER |
			tcp_flags MASKED-TCP_FLAGS |
			type MASKED-ICMP-TYPE |
			code MASKED-ICMP-CODE |
			arp_tip IPV4-PREFIX |
			arp_sip IPV4-PREFIX |
			arp_op [ request | reply | OP ] |
			arp_tha MASKED-LLADDR |
			arp_sha MASKED-LLADDR |
			enc_dst_ip [ IPV4-ADDR | IPV6-ADDR ] |
			enc_src_ip [ IPV4-ADDR | IPV6-ADDR ] |
			enc_key_id [ KEY-ID ] |
			enc_tos MASKED-IP_TOS |
			enc_ttl MASKED-IP_TTL |
			geneve_opts MASKED-OPTIONS |
			vxlan_opts MASKED-OPTIONS |
                       erspan_opts MASKED-OPTIONS |
			gtp_opts MASKED-OPTIONS |
			ip_flags IP-FLAGS |
			enc_dst_port [ port_number ] |
			ct_state MASKED_CT_STATE |
			ct_label MASKED_CT_LABEL |
			ct_mark MASKED_CT_MARK |
			ct_zone MASKED_CT_ZONE }
	LSE-LIST := [ LSE-LIST ] LSE
	LSE := lse depth DEPTH { label LABEL | tc TC | bos BOS | ttl TTL }
	FILTERID := X:Y:Z
	MASKED_LLADDR := { LLADDR | LLADDR/MASK | LLADDR/BITS }
	MASKED_CT_STATE := combination of {+|-} and flags trk,est,new,rel,rpl,inv
	ACTION-SPEC := ... look at individual actions

NOTE:	CLASSID, IP-PROTO are parsed as hexadecimal input.
NOTE:	There can be only used one mask per one prio. If user needs
	to specify different mask, he has to use different prio.`,
  matchall: `Usage: ... matchall [skip_sw | skip_hw]
                 [ action ACTION_SPEC ] [ classid CLASSID ]

Where: SELECTOR := SAMPLE SAMPLE ...
       FILTERID := X:Y:Z
       ACTION_SPEC := ... look at individual actions

NOTE: CLASSID is parsed as hexadecimal input.`,
  bpf: `Usage: ... bpf ...

BPF use case:
 bytecode BPF_BYTECODE
 bytecode-file FILE

eBPF use case:
 object-file FILE [ section CLS_NAME ] [ export UDS_FILE ] [ verbose ] [ direct-action ] [ skip_hw | skip_sw ]
 object-pinned FILE [ direct-action ] [ skip_hw | skip_sw ]

Common remaining options:
 [ action ACTION_SPEC ]
 [ classid CLASSID ]

${bpfUsageNotes("CLS_NAME", "classifier")}

ACTION_SPEC := ... look at individual actions
NOTE: CLASSID is parsed as hexadecimal input.`,
  basic: `Usage: ... basic [ match EMATCH_TREE ]
                 [ action ACTION_SPEC ] [ classid CLASSID ]

Where:	SELECTOR := SAMPLE SAMPLE ...
	FILTERID := X:Y:Z
	ACTION_SPEC := ... look at individual actions

NOTE: CLASSID is parsed as hexadecimal input.`,
  fw: `Usage: ... fw [ classid CLASSID ] [ indev DEV ] [ action ACTION_SPEC ]
	CLASSID := Push matching packets to the class identified by CLASSID with format X:Y
		CLASSID is parsed as hexadecimal input.
	DEV := specify device for incoming device classification.
	ACTION_SPEC := Apply an action on matching packets.
	NOTE: handle is represented as HANDLE[/FWMASK].
		FWMASK is 0xffffffff by default.`,
  route: `Usage: ... route [ from REALM | fromif TAG ] [ to REALM ]
                [ classid CLASSID ] [ action ACTION_SPEC ]
       ACTION_SPEC := ... look at individual actions
       CLASSID := X:Y

NOTE: CLASSID is parsed as hexadecimal input.`,
  flow: `Usage: ... flow ...

 [mapping mode]: map key KEY [ OPS ] ...
 [hashing mode]: hash keys KEY-LIST ... [ perturb SECS ]

                 [ divisor NUM ] [ baseclass ID ] [ match EMATCH_TREE ]
                 [ action ACTION_SPEC ]

KEY-LIST := [ KEY-LIST , ] KEY
KEY      := [ src | dst | proto | proto-src | proto-dst | iif | priority |
              mark | nfct | nfct-src | nfct-dst | nfct-proto-src |
              nfct-proto-dst | rt-classid | sk-uid | sk-gid |
              vlan-tag | rxhash ]
OPS      := [ or NUM | and NUM | xor NUM | rshift NUM | addend NUM ]
ID       := X:Y`,
  cgroup: `Usage: ... cgroup [ match EMATCH_TREE ]
                  [ action ACTION_SPEC ]`,
  tcindex: ` Usage: ... tcindex	[ hash SIZE ] [ mask MASK ] [ shift SHIFT ]
			[ pass_on | fall_through ]
			[ classid CLASSID ] [ action ACTION_SPEC ]`,
  rsvp: `Usage:	... rsvp ipproto PROTOCOL session DST[/PORT | GPI ]
		[ sender SRC[/PORT | GPI ] ]
		[ classid CLASSID ] [ action ACTION_SPEC ]
		[ tunnelid ID ] [ tunnel ID skip NUMBER ]
Where:	GPI := { flowlabel NUMBER | spi/ah SPI | spi/esp SPI |
		u{8|16|32} NUMBER mask MASK at OFFSET}
	ACTION_SPEC := ... look at individual actions
	FILTERID := X:Y

NOTE: CLASSID is parsed as hexadecimal input.`,
};

/** Usage texts by filter kind (without the last newline): rsvp6 prints rsvp's. */
export const FILTER_KIND_USAGE: Readonly<Record<string, string>> = { ...OWN_USAGE, rsvp6: OWN_USAGE.rsvp };
