/**
 * The usage texts of the qdisc and class kinds whose parsers print iproute2
 * 6.1's text from here (the others keep theirs beside their parser): what
 * `tc qdisc|class add … KIND help` prints on stderr, and what follows an
 * error in the kind's words.
 *
 * @module
 */

/** Usage texts by qdisc kind (without the last newline). */
export const QDISC_USAGE: Readonly<Record<string, string>> = {
  netem: `Usage: ... netem [ limit PACKETS ]
                 [ delay TIME [ JITTER [CORRELATION]]]
                 [ distribution {uniform|normal|pareto|paretonormal} ]
                 [ corrupt PERCENT [CORRELATION]]
                 [ duplicate PERCENT [CORRELATION]]
                 [ loss random PERCENT [CORRELATION]]
                 [ loss state P13 [P31 [P32 [P23 P14]]]
                 [ loss gemodel PERCENT [R [1-H [1-K]]]
                 [ ecn ]
                 [ reorder PERCENT [CORRELATION] [ gap DISTANCE ]]
                 [ rate RATE [PACKETOVERHEAD] [CELLSIZE] [CELLOVERHEAD]]
                 [ slot MIN_DELAY [MAX_DELAY] [packets MAX_PACKETS] [bytes MAX_BYTES]]
                 [ slot distribution {uniform|normal|pareto|paretonormal|custom}
                   DELAY JITTER [packets MAX_PACKETS] [bytes MAX_BYTES]]`,
  fq_codel: `Usage: ... fq_codel	[ limit PACKETS ] [ flows NUMBER ]
[ memory_limit BYTES ]
[ target TIME ] [ interval TIME ]
[ quantum BYTES ] [ [no]ecn ]
[ ce_threshold TIME ]
[ ce_threshold_selector VALUE/MASK ]
[ drop_batch SIZE ]`,
  fq: `Usage: ... fq	[ limit PACKETS ] [ flow_limit PACKETS ]
		[ quantum BYTES ] [ initial_quantum BYTES ]
		[ maxrate RATE  ] [ buckets NUMBER ]
		[ [no]pacing ] [ refill_delay TIME ]
		[ low_rate_threshold RATE ]
		[ orphan_mask MASK]
		[ timer_slack TIME]
		[ ce_threshold TIME ]
		[ horizon TIME ]
		[ horizon_{cap|drop} ]`,
  cake: `Usage: ... cake [ bandwidth RATE | unlimited* | autorate-ingress ]
                [ rtt TIME | datacentre | lan | metro | regional |
                  internet* | oceanic | satellite | interplanetary ]
                [ besteffort | diffserv8 | diffserv4 | diffserv3* ]
                [ flowblind | srchost | dsthost | hosts | flows |
                  dual-srchost | dual-dsthost | triple-isolate* ]
                [ nat | nonat* ]
                [ wash | nowash* ]
                [ split-gso* | no-split-gso ]
                [ ack-filter | ack-filter-aggressive | no-ack-filter* ]
                [ memlimit LIMIT ]
                [ fwmark MASK ]
                [ ptm | atm | noatm* ] [ overhead N | conservative | raw* ]
                [ mpu N ] [ ingress | egress* ]
                (* marks defaults)`,
  red: `Usage: ... red	limit BYTES [min BYTES] [max BYTES] avpkt BYTES [burst PACKETS]
		[adaptive] [probability PROBABILITY] [bandwidth KBPS]
		[ecn] [harddrop] [nodrop]
		[qevent early_drop block IDX] [qevent mark block IDX]`,
  choke: `Usage: ... choke limit PACKETS bandwidth KBPS [ecn]
		 [ min PACKETS ] [ max PACKETS ] [ burst PACKETS ]`,
  pie: `Usage: ... pie [ limit PACKETS ] [ target TIME ]
               [ tupdate TIME ] [ alpha ALPHA ] [ beta BETA ]
               [ bytemode | nobytemode ] [ ecn | noecn ]
               [ dq_rate_estimator | no_dq_rate_estimator ]`,
  fq_pie: `Usage: ... fq_pie [ limit PACKETS ] [ flows NUMBER ]
                  [ target TIME ] [ tupdate TIME ]
                  [ alpha NUMBER ] [ beta NUMBER ]
                  [ quantum BYTES ] [ memory_limit BYTES ]
                  [ ecn_prob PERCENTAGE ] [ [no]ecn ]
                  [ [no]bytemode ] [ [no_]dq_rate_estimator ]`,
  hhf: `Usage: ... hhf	[ limit PACKETS ] [ quantum BYTES]
		[ hh_limit NUMBER ]
		[ reset_timeout TIME ]
		[ admit_bytes BYTES ]
		[ evict_timeout TIME ]
		[ non_hh_weight NUMBER ]`,
  ets: `Usage: ... ets [bands NUMBER] [strict NUMBER] [quanta Q1 Q2...] [priomap P1 P2...]`,
  multiq: `Usage: ... multiq [help]`,
  sfb: `Usage: ... sfb [ rehash SECS ] [ db SECS ]
	    [ limit PACKETS ] [ max PACKETS ] [ target PACKETS ]
	    [ increment FLOAT ] [ decrement FLOAT ]
	    [ penalty_rate PPS ] [ penalty_burst PACKETS ]`,
  skbprio: `Usage: ... <skbprio> [ limit NUMBER ]`,
  etf: `Usage: ... etf delta NANOS clockid CLOCKID [offload] [deadline_mode]
CLOCKID must be a valid SYS-V id (i.e. CLOCK_TAI)`,
  cbs: `Usage: ... cbs hicredit BYTES locredit BYTES sendslope BPS idleslope BPS
	   [offload 0|1]`,
  taprio: `Usage: ... taprio clockid CLOCKID
		[num_tc NUMBER] [map P0 P1 ...] 		[queues COUNT@OFFSET COUNT@OFFSET COUNT@OFFSET ...] 		[ [sched-entry index cmd gate-mask interval] ... ] 		[base-time time] [txtime-delay delay]
CLOCKID must be a valid SYS-V id (i.e. CLOCK_TAI)`,
  mqprio: `Usage: ... mqprio	[num_tc NUMBER] [map P0 P1 ...]
			[queues count1@offset1 count2@offset2 ...] [hw 1|0]
			[mode dcb|channel]
			[shaper bw_rlimit SHAPER_PARAMS]
Where: SHAPER_PARAMS := { min_rate MIN_RATE1 MIN_RATE2 ...|
			  max_rate MAX_RATE1 MAX_RATE2 ... }`,
};

/** Usage texts of class kinds by kind (without the last newline). */
export const CLASS_USAGE: Readonly<Record<string, string>> = {
  hfsc: `Usage: ... hfsc [ [ rt SC ] [ ls SC ] | [ sc SC ] ] [ ul SC ]

SC := [ [ m1 BPS ] d SEC ] m2 BPS

 m1 : slope of first segment
 d  : x-coordinate of intersection
 m2 : slope of second segment

Alternative format:

SC := [ [ umax BYTE ] dmax SEC ] rate BPS

 umax : maximum unit of work
 dmax : maximum delay
 rate : rate

Remarks:
 - at least one of 'rt', 'ls' or 'sc' must be specified
 - 'ul' can only be specified with 'ls' or 'sc'
`,
  qfq: `Usage: ... qfq weight NUMBER maxpkt BYTES`,
  ets: `Usage: ... ets [quantum Q1]`,
};
