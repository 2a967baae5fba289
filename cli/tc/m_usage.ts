/**
 * The usage text of each action kind as tc 6.1 prints it (its explain()),
 * for `tc actions add action KIND help` and `… action KIND help` in a
 * filter. Loaded by the commands that parse actions.
 *
 * @module
 */
import { bpfUsageNotes } from "./bpf_usage.ts";

/** Usage texts by action kind (without the last newline). */
export const ACTION_USAGE: Readonly<Record<string, string>> = {
  mirred: `Usage: mirred <DIRECTION> <ACTION> [index INDEX] <dev DEVICENAME>
where:
	DIRECTION := <ingress | egress>
	ACTION := <mirror | redirect>
	INDEX  is the specific policy instance id
	DEVICENAME is the devicename`,
  police: `Usage: ... police [ rate BPS burst BYTES[/BYTES] ] 
		[ pkts_rate RATE pkts_burst PACKETS ] [ mtu BYTES[/BYTES] ]
		[ peakrate BPS ] [ avrate BPS ] [ overhead BYTES ]
		[ linklayer TYPE ] [ CONTROL ]
Where: CONTROL := conform-exceed <EXCEEDACT>[/NOTEXCEEDACT]
		  Define how to handle packets which exceed (<EXCEEDACT>)
		  or conform (<NOTEXCEEDACT>) the configured bandwidth limit.
       EXCEEDACT/NOTEXCEEDACT := { pipe | ok | reclassify | drop | continue |
				   goto chain <CHAIN_INDEX> }`,
  pedit: `Usage: ... pedit munge [ex] <MUNGE> [CONTROL]
Where: MUNGE := <RAW>|<LAYERED>
	<RAW>:= <OFFSETC>[ATC]<CMD>
 		OFFSETC:= offset <offval> <u8|u16|u32>
		ATC:= at <atval> offmask <maskval> shift <shiftval>
		NOTE: offval is byte offset, must be multiple of 4
		NOTE: maskval is a 32 bit hex number
 		NOTE: shiftval is a shift value
		CMD:= clear | invert | set <setval> | add <addval> | decrement | retain
	<LAYERED>:= ip <ipdata> | ip6 <ip6data>
 		| udp <udpdata> | tcp <tcpdata> | icmp <icmpdata>
	CONTROL:= reclassify | pipe | drop | continue | pass |
	          goto chain <CHAIN_INDEX>
	NOTE: if 'ex' is set, extended functionality will be supported (kernel >= 4.11)
For Example usage look at the examples directory`,
  skbedit: `Usage: ... skbedit <[QM] [PM] [MM] [PT] [IF]>
QM = queue_mapping QUEUE_MAPPING
PM = priority PRIORITY
MM = mark MARK[/MASK]
PT = ptype PACKETYPE
IF = inheritdsfield
PACKETYPE = is one of:
  host, otherhost, broadcast, multicast
QUEUE_MAPPING = device transmit queue to use
PRIORITY = classID to assign to priority field
MARK = firewall mark to set
MASK = mask applied to firewall mark (0xffffffff by default)
note: inheritdsfield maps DS field to skb->priority`,
  vlan: `Usage: vlan pop [CONTROL]
       vlan push [ protocol VLANPROTO ] id VLANID [ priority VLANPRIO ] [CONTROL]
       vlan modify [ protocol VLANPROTO ] id VLANID [ priority VLANPRIO ] [CONTROL]
       vlan pop_eth [CONTROL]
       vlan push_eth dst_mac LLADDR src_mac LLADDR [CONTROL]
       VLANPROTO is one of 802.1Q or 802.1AD
            with default: 802.1Q
       CONTROL := reclassify | pipe | drop | continue | pass |
                  goto chain <CHAIN_INDEX>`,
  csum: `Usage: ... csum <UPDATE>
Where: UPDATE := <TARGET> [<UPDATE>]
       TARGET := { ip4h | icmp | igmp | tcp | udp | udplite | sctp | <SWEETS> }
       SWEETS := { and | or | '+' }`,
  nat: `Usage: ... nat NAT
NAT := DIRECTION OLD NEW
DIRECTION := { ingress | egress }
OLD := PREFIX
NEW := ADDRESS`,
  tunnel_key: `Usage: tunnel_key unset
       tunnel_key set <TUNNEL_KEY>
Where TUNNEL_KEY is a combination of:
id <TUNNELID>
src_ip <IP> (mandatory)
dst_ip <IP> (mandatory)
dst_port <UDP_PORT>
geneve_opts | vxlan_opts | erspan_opts <OPTIONS>
csum | nocsum (default is "csum")`,
  connmark: `Usage: ... connmark [zone ZONE] [CONTROL] [index <INDEX>]
where :
	ZONE is the conntrack zone
	CONTROL := reclassify | pipe | drop | continue | ok |
	           goto chain <CHAIN_INDEX>`,
  ct: `Usage: ct clear
	ct commit [force] [zone ZONE] [mark MASKED_MARK] [label MASKED_LABEL] [nat NAT_SPEC]
	ct [nat] [zone ZONE]
Where: ZONE is the conntrack zone table number
	NAT_SPEC is {src|dst} addr addr1[-addr2] [port port1[-port2]]
`,
  mpls: `Usage: mpls pop [ protocol MPLS_PROTO ] [CONTROL]
       mpls push [ protocol MPLS_PROTO ] [ label MPLS_LABEL ] [ tc MPLS_TC ]
                 [ ttl MPLS_TTL ] [ bos MPLS_BOS ] [CONTROL]
       mpls mac_push [ protocol MPLS_PROTO ] [ label MPLS_LABEL ] [ tc MPLS_TC ]
                     [ ttl MPLS_TTL ] [ bos MPLS_BOS ] [CONTROL]
       mpls modify [ label MPLS_LABEL ] [ tc MPLS_TC ] [ ttl MPLS_TTL ]
                   [ bos MPLS_BOS ] [CONTROL]
           for pop, MPLS_PROTO is next header of packet - e.g. ip or mpls_uc
           for push and mac_push, MPLS_PROTO is one of mpls_uc or mpls_mc
               with default: mpls_uc
       CONTROL := reclassify | pipe | drop | continue | pass |
                  goto chain <CHAIN_INDEX>`,
  sample: `Usage: sample SAMPLE_CONF
where:
	SAMPLE_CONF := SAMPLE_PARAMS | SAMPLE_INDEX
	SAMPLE_PARAMS := rate RATE group GROUP [trunc SIZE] [SAMPLE_INDEX]
	SAMPLE_INDEX := index INDEX
	RATE := The ratio of packets observed at the data source to the samples generated.
	GROUP := the psample sampling group
	SIZE := the truncation size
	INDEX := integer index of the sample action`,
  simple: `Usage:... simple [sdata STRING] [index INDEX] [CONTROL]
	STRING being an arbitrary string
	INDEX := optional index value used
	CONTROL := reclassify|pipe|drop|continue|ok`,
  skbmod: `Usage:... skbmod { set <SETTABLE> | swap <SWAPPABLE> | ecn } [CONTROL] [index INDEX]
where SETTABLE is: [dmac DMAC] [smac SMAC] [etype ETYPE]
where SWAPPABLE is: "mac" to swap mac addresses
	DMAC := 6 byte Destination MAC address
	SMAC := optional 6 byte Source MAC address
	ETYPE := optional 16 bit ethertype
	CONTROL := reclassify | pipe | drop | continue | ok |
	           goto chain <CHAIN_INDEX>
	INDEX := skbmod index value to use`,
  ife: `Usage:... ife {decode|encode} [{ALLOW|USE} ATTR] [dst DMAC] [src SMAC] [type TYPE] [CONTROL] [index INDEX]
	ALLOW := Encode direction. Allows encoding specified metadata
		 e.g "allow mark"
	USE := Encode direction. Enforce Static encoding of specified metadata
		 e.g "use mark 0x12"
	ATTR := mark (32-bit), prio (32-bit), tcindex (16-bit)
	DMAC := 6 byte Destination MAC address to encode
	SMAC := optional 6 byte Source MAC address to encode
	TYPE := optional 16 bit ethertype to encode
	CONTROL := reclassify|pipe|drop|continue|ok
	INDEX := optional IFE table index value used
encode is used for sending IFE packets
decode is used for receiving IFE packets`,
  gate: `Usage: gate [ priority PRIO-SPEC ] [ base-time BASE-TIME ]
       [ cycle-time CYCLE-TIME ]
       [ cycle-time-ext CYCLE-TIME-EXT ]
       [ clockid CLOCKID ] [flags FLAGS]
       [ sched-entry GATE0 INTERVAL [ INTERNAL-PRIO-VALUE MAX-OCTETS ] ]
       [ sched-entry GATE1 INTERVAL [ INTERNAL-PRIO-VALUE MAX-OCTETS ] ]
       ......
       [ sched-entry GATEn INTERVAL [ INTERNAL-PRIO-VALUE MAX-OCTETS ] ]
       [ CONTROL ]
       GATEn := open | close
       INTERVAL : nanoseconds period of gate slot
       INTERNAL-PRIO-VALUE : internal priority decide which
                             rx queue number direct to.
                             default to be -1 which means wildcard.
       MAX-OCTETS : maximum number of MSDU octets that are
                    permitted to pas the gate during the
                    specified TimeInterval.
                    default to be -1 which means wildcard.
       CONTROL := pipe | drop | continue | pass |
                  goto chain <CHAIN_INDEX>`,
  bpf: `Usage: ... bpf ... [ index INDEX ]

BPF use case:
 bytecode BPF_BYTECODE
 bytecode-file FILE

eBPF use case:
 object-file FILE [ section ACT_NAME ] [ export UDS_FILE ] [ verbose ]
 object-pinned FILE

${bpfUsageNotes("ACT_NAME", "action")}

Where optionally INDEX points to an existing action, or
explicitly specifies an action index upon creation.`,
  ctinfo: `Usage: ... ctinfo [dscp mask [statemask]] [cpmark [mask]] [zone ZONE] [CONTROL] [index <INDEX>]
where :
	dscp   MASK bitmask location of stored DSCP
	       STATEMASK bitmask to determine conditional restoring
	cpmark MASK mask applied to mark on restoration
	ZONE is the conntrack zone
	CONTROL := reclassify | pipe | drop | continue | ok |
	           goto chain <CHAIN_INDEX>`,
};
