/**
 * The `tc qdisc show` printers of the kinds this host's kernel lacks (netem,
 * codel, fq_codel, fq, cake, pie, fq_pie, hhf, sfq, red, choke, gred, sfb,
 * mqprio, taprio), unverified here against a running tc: decoded options
 * (from the golden request bytes of tests/fixtures/tc_*.json, whose options
 * are what a dump shows for these settings) and hand-built extended
 * statistics go through the printers, and the text and JSON must be what
 * iproute2 6.1's print_qopt / print_xstats print for them (derived by
 * reading q_*.c). tests/cli/tc_qdisc_kinds_test.ts compares with tc itself
 * in the full-kernel VM lane.
 */
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { decodeQdisc } from "../../src/tc/qdisc.ts";
import { asMessage, type GoldenFixtures, loadFixtures } from "../_lib/golden.ts";
import { Printer } from "../../cli/common/output.ts";
import { qdiscKindCli } from "../../cli/tc/q_kinds.ts";
import { formatG } from "../../cli/tc/tc_print.ts";

/** Runs a kind's printer: text (`T`) or JSON (`J`, inside one object), with `-d` when the mode ends in 1. */
function render(kind: string, mode: string, print: "print" | "printXstats", value: unknown, stats = 1): string {
  const json = mode[0] === "J";
  const p = new Printer({ json, pretty: false });
  if (json) p.openObject();
  qdiscKindCli(kind)![print]!(p, value, { details: Number(mode[1] ?? 0), stats, raw: false, iec: false }, kind);
  if (json) p.closeObject();
  return p.text();
}

/** [fixture group, fixture, mode, what tc prints for the decoded options] */
const OPTIONS: [string, string, string, string][] = [
  ["tc_aqm", "netem.delay.corr", "T0", "limit 1000 delay 100ms  10ms 25%"],
  [
    "tc_aqm",
    "netem.delay.corr",
    "J0",
    '{"limit":1000,"delay":{"delay":0.1,"jitter":0.01,"correlation":0.25},"ecn":false,"gap":0}',
  ],
  [
    "tc_aqm",
    "netem.everything",
    "T0",
    "limit 2000 delay 50ms  10ms 5% loss state p13 1% p31 30% p32 0% p23 100% p14 0% duplicate 0.5% reorder 10% corrupt 0.2% 5% rate 10Mbit packetoverhead 14 slot 2ms 4ms bytes 3000 ecn  gap 3",
  ],
  [
    "tc_aqm",
    "netem.everything",
    "J0",
    '{"limit":2000,"delay":{"delay":0.05,"jitter":0.01,"correlation":0.05},"loss-state":{"p13":0.01,"p31":0.3,"p32":0,"p23":1,"p14":0},"duplicate":{"duplicate":0.005,"correlation":0},"reorder":{"reorder":0.1,"correlation":0},"corrupt":{"corrupt":0.002,"correlation":0.05},"rate":{"rate":1250000,"packetoverhead":14,"cellsize":0,"celloverhead":0},"slot":{"min-delay":0.002,"max-delay":0.004,"packets":0,"bytes":3000},"ecn":true,"gap":3}',
  ],
  ["tc_aqm", "netem.rate.negative", "T0", "limit 1000 rate 1Mbit packetoverhead -10 cellsize 53 celloverhead -4"],
  [
    "tc_aqm",
    "netem.rate64",
    "J0",
    '{"limit":1000,"rate":{"rate":12500000000,"packetoverhead":0,"cellsize":0,"celloverhead":0},"ecn":false,"gap":0}',
  ],
  ["tc_aqm", "netem.slot.dist", "T0", "limit 1000 slot distribution 10ms 2ms packets 5"],
  [
    "tc_aqm",
    "netem.slot.dist",
    "J0",
    '{"limit":1000,"slot":{"distribution":0.01,"jitter":0.002,"packets":5,"bytes":0},"ecn":false,"gap":0}',
  ],
  ["tc_aqm", "netem.loss.gemodel.all", "T0", "limit 1000 loss gemodel p 1% r 10% 1-h 70% 1-k 0.1%"],
  [
    "tc_aqm",
    "netem.loss.gemodel.all",
    "J0",
    '{"limit":1000,"loss-gemodel":{"p":0.01,"r":0.1,"1-h":0.7,"1-k":0.001},"ecn":false,"gap":0}',
  ],
  ["tc_aqm", "netem.loss.ecn", "J0", '{"limit":1000,"loss-random":{"loss":0.05,"correlation":0},"ecn":true,"gap":0}'],
  ["tc_aqm", "codel.all", "T0", "limit 1000p target 5ms ce_threshold 1ms interval 100ms ecn "],
  ["tc_aqm", "codel.all", "J0", '{"limit":1000,"target":5000,"ce_threshold":1000,"interval":100000,"ecn":true}'],
  [
    "tc_aqm",
    "fq_codel.all",
    "T0",
    "limit 10240p flows 1024 quantum 1514 target 5ms ce_threshold 2ms ce_threshold_selector 0x1/0x3 interval 100ms memory_limit 32Mb ecn drop_batch 64 ",
  ],
  [
    "tc_aqm",
    "fq_codel.all",
    "J0",
    '{"limit":10240,"flows":1024,"quantum":1514,"target":5000,"ce_threshold":2000,"ce_threshold_selector":1,"ce_threshold_mask":3,"interval":100000,"memory_limit":33554432,"ecn":true,"drop_batch":64}',
  ],
  [
    "tc_aqm",
    "fq.all",
    "T0",
    "limit 10000p flow_limit 100p buckets 1024 orphan_mask 1023 quantum 3028b initial_quantum 15140b maxrate 1Gbit defrate 10Mbit low_rate_threshold 550Kbit refill_delay 40ms ce_threshold 4ms timer_slack 10us horizon 10s horizon_drop ",
  ],
  [
    "tc_aqm",
    "fq.all",
    "J0",
    '{"limit":10000,"flow_limit":100,"buckets":1024,"orphan_mask":1023,"quantum":3028,"initial_quantum":15140,"maxrate":125000000,"defrate":1250000,"low_rate_threshold":68750,"refill_delay":40000,"ce_threshold":4000,"timer_slack":10000,"horizon":10000000,"horizon_drop":null}',
  ],
  ["tc_aqm", "fq.nopacing", "T0", "buckets 1024 nopacing horizon_cap "],
  ["tc_aqm", "fq.nopacing", "J0", '{"buckets":1024,"pacing":false,"horizon_cap":null}'],
  [
    "tc_aqm",
    "cake.everything",
    "T0",
    "bandwidth 50Mbit diffserv4 hosts nat nowash ack-filter split-gso rtt 30ms ptm overhead 34 mpu 72 memlimit 8Mb fwmark 0xf0 ",
  ],
  [
    "tc_aqm",
    "cake.everything",
    "J0",
    '{"bandwidth":6250000,"diffserv":"diffserv4","flowmode":"hosts","nat":true,"wash":false,"ingress":false,"ack-filter":"enabled","split_gso":true,"rtt":30000,"raw":false,"atm":"ptm","overhead":34,"mpu":72,"memlimit":8388608,"fwmark":"0xf0"}',
  ],
  ["tc_aqm", "cake.raw", "T0", "nonat nowash no-ack-filter no-split-gso raw overhead 0 "],
  [
    "tc_aqm",
    "cake.unlimited",
    "J0",
    '{"bandwidth":"unlimited","nat":false,"wash":false,"ingress":false,"ack-filter":"disabled","split_gso":false,"rtt":0,"raw":false,"atm":"noatm","overhead":0,"fwmark":"0"}',
  ],
  ["tc_fair", "pie.all", "T0", "limit 500p target 20ms tupdate 30ms alpha 2 beta 20 ecn bytemode dq_rate_estimator "],
  [
    "tc_fair",
    "pie.all",
    "J0",
    '{"limit":500,"target":20000,"tupdate":30000,"alpha":2,"beta":20,"ecn":true,"bytemode":true,"dq_rate_estimator":true}',
  ],
  [
    "tc_fair",
    "fq_pie.all",
    "T0",
    "limit 10240p flows 1024 target 15ms tupdate 15ms alpha 2 beta 20 quantum 1514b memory_limit 32Mb ecn_prob 10 ecn bytemode dq_rate_estimator ",
  ],
  [
    "tc_fair",
    "hhf.all",
    "T0",
    "limit 1000p quantum 1514b hh_limit 2048 reset_timeout 40ms admit_bytes 128Kb evict_timeout 1s non_hh_weight 2 ",
  ],
  [
    "tc_fair",
    "hhf.all",
    "J0",
    '{"limit":1000,"quantum":1514,"hh_limit":2048,"reset_timeout":40000,"admit_bytes":131072,"evict_timeout":1000000,"non_hh_weight":2}',
  ],
  ["tc_fair", "sfq.all", "T0", "limit 100p quantum 1514b depth 64 headdrop divisor 1024 perturb 10sec "],
  ["tc_fair", "sfq.all", "T1", "limit 100p quantum 1514b depth 64 headdrop flows 127 divisor 1024 perturb 10sec "],
  [
    "tc_fair",
    "sfq.red",
    "T0",
    "limit 3000p quantum 0b depth 64 headdrop divisor 0 ewma 6 min 8000b max 60000b probability 0.2 ecn harddrop \n  prob_mark 0 prob_mark_head 0 prob_drop 0\n  forced_mark 0 forced_mark_head 0 forced_drop 0",
  ],
  [
    "tc_fair",
    "sfq.red",
    "J0",
    '{"limit":3000,"quantum":0,"depth":64,"headdrop":true,"divisor":0,"ewma":6,"min":8000,"max":60000,"probability":0.2,"ecn":true,"harddrop":true,"adaptive":false,"nodrop":false,"prob_mark":0,"prob_mark_head":0,"prob_drop":0,"forced_mark":0,"forced_mark_head":0,"forced_drop":0}',
  ],
  [
    "tc_fair",
    "red.all",
    "T1",
    "limit 400000b min 30000b max 90000b ecn harddrop adaptive nodrop ewma 5 probability 0.02 Scell_log 12",
  ],
  [
    "tc_fair",
    "red.all",
    "J0",
    '{"limit":400000,"min":30000,"max":90000,"ecn":true,"harddrop":true,"adaptive":true,"nodrop":true}',
  ],
  [
    "tc_fair",
    "red.qevent",
    "T1",
    "limit 400000b min 33333b max 100000b ecn ewma 5 probability 0.02 Scell_log 15qevent early_drop block 10 qevent mark block 20 ",
  ],
  [
    "tc_fair",
    "red.qevent",
    "J0",
    '{"limit":400000,"min":33333,"max":100000,"ecn":true,"harddrop":false,"adaptive":false,"nodrop":false,"qevents":[{"kind":"early_drop","block":10},{"kind":"mark","block":20}]}',
  ],
  ["tc_fair", "choke.all", "T1", "limit 1000p min 100p max 300p ecn ewma 6 probability 0.1 Scell_log 13"],
  [
    "tc_fair",
    "choke.all",
    "J1",
    '{"limit":1000,"min":100,"max":300,"ecn":true,"harddrop":false,"adaptive":false,"nodrop":false,"ewma":6,"probability":0.1,"Scell_log":13}',
  ],
  [
    "tc_fair",
    "sfb.all",
    "T0",
    "rehash 300s db 30s limit 1000p max 50p target 40p increment 0.0010071 decrement 0.000106813 penalty_rate 20pps penalty_burst 40p ",
  ],
  [
    "tc_fair",
    "sfb.all",
    "J0",
    '{"rehash":300000000,"db":30000000,"limit":1000,"max":50,"target":40,"increment":0.0010071,"decrement":0.000106813,"penalty_rate":20,"penalty_burst":40}',
  ],
  ["tc_sched", "mqprio.queues", "T0", "tc 2 map 0 0 0 0 1 1 1 1 0 0 0 0 0 0 0 0 \n             queues:(0:1) (2:3) "],
  ["tc_sched", "mqprio.queues", "J0", '{"tc":2,"map":[0,0,0,0,1,1,1,1,0,0,0,0,0,0,0,0],"queues":[[0,1],[2,3]]}'],
  [
    "tc_sched",
    "mqprio.shaper",
    "T0",
    "tc 2 map 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 \n             queues:(0:0) (1:3) \n             mode:channel\n             shaper:bw_rlimit\tmin_rate:1Mbit 2Mbit \tmax_rate:10Mbit 40Gbit ",
  ],
  [
    "tc_sched",
    "mqprio.shaper",
    "J0",
    '{"tc":2,"map":[0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"queues":[[0,0],[1,3]],"mode":"channel","shaper":"bw_rlimit","min_rate":[125000,250000],"max_rate":[1250000,5000000000]}',
  ],
  [
    "tc_sched",
    "taprio.basic",
    "T0",
    "tc 3 map 2 2 1 0 2 2 2 2 2 2 2 2 2 2 2 2\nqueues offset 0 count 1 offset 1 count 1 offset 2 count 2\nclockid TAI\tbase-time 1528743495910289987 cycle-time 0 cycle-time-extension 0\n\tindex 0 cmd S gatemask 0x1 interval 300000\n\tindex 0 cmd S gatemask 0x2 interval 300000\n\tindex 0 cmd S gatemask 0x4 interval 400000\n",
  ],
  [
    "tc_sched",
    "taprio.txtime",
    "T0",
    "tc 3 map 2 2 1 0 2 2 2 2 2 2 2 2 2 2 2 2\nqueues offset 0 count 1 offset 1 count 1 offset 2 count 2\nclockid TAI flags 0x1 txtime delay 500000\tbase-time 0 cycle-time 0 cycle-time-extension 0\n\tindex 0 cmd S gatemask 0xff interval 1000000\n",
  ],
  [
    "tc_sched",
    "taprio.txtime",
    "J0",
    '{"tc":3,"map":[2,2,1,0,2,2,2,2,2,2,2,2,2,2,2,2],"queues":[{"offset":0,"count":1},{"offset":1,"count":1},{"offset":2,"count":2}],"clockid":"TAI","flags":"0x1","txtime_delay":500000,"base_time":0,"cycle_time":0,"cycle_time_extension":0,"schedule":[{"index":0,"cmd":"S","gatemask":"0xff","interval":1000000}]}',
  ],
];

const groups = new Map<string, GoldenFixtures>();
for (const g of ["tc_aqm", "tc_fair", "tc_sched"]) groups.set(g, await loadFixtures(g));

for (const [group, key, mode, expected] of OPTIONS) {
  Deno.test(`tc qdisc print: ${key} (${mode})`, () => {
    const f = groups.get(group)!.fixtures[key];
    const q = decodeQdisc(asMessage(Uint8Array.from(f.hex.match(/../g)!.map((h) => parseInt(h, 16)))));
    assertEquals(render(q.kind, mode, "print", q.options), expected);
  });
}

const X: Record<string, unknown> = {
  fq: {
    gcFlows: 5n,
    highprioPackets: 2n,
    tcpRetrans: 0n,
    throttled: 7n,
    flowsPlimit: 0n,
    pktsTooLong: 1n,
    allocationErrors: 0n,
    timeNextDelayedFlow: 1500000n,
    flows: 10,
    inactiveFlows: 4,
    throttledFlows: 1,
    unthrottleLatencyNs: 25000,
    ceMark: 3n,
    horizonDrops: 0n,
    horizonCaps: 2n,
  },
  codel: {
    maxpacket: 1514,
    count: 2,
    lastcount: 1,
    ldelay: 300,
    dropNext: -5000,
    dropOverlimit: 7,
    ecnMark: 8,
    dropping: 1,
    ceMark: 9,
  },
  fq_codel: {
    type: "qdisc",
    qdiscStats: {
      maxpacket: 1514,
      dropOverlimit: 1,
      ecnMark: 2,
      newFlowCount: 3,
      newFlowsLen: 4,
      oldFlowsLen: 5,
      ceMark: 6,
      memoryUsage: 7,
      dropOvermemory: 0,
    },
  },
  pie: {
    prob: 1844674407370955n,
    delay: 2000,
    avgDqRate: 100,
    dqRateEstimating: 1,
    packetsIn: 10,
    dropped: 1,
    overlimit: 2,
    maxq: 3,
    ecnMark: 4,
  },
  fq_pie: {
    packetsIn: 10,
    dropped: 1,
    overlimit: 2,
    overmemory: 3,
    ecnMark: 4,
    newFlowCount: 5,
    newFlowsLen: 6,
    oldFlowsLen: 7,
    memoryUsage: 8,
  },
  hhf: { dropOverlimit: 1, hhOverlimit: 2, hhTotCount: 3, hhCurCount: 4 },
  red: { early: 1, pdrop: 2, other: 3, marked: 4 },
  choke: { early: 1, pdrop: 2, other: 3, marked: 4, matched: 5 },
  sfb: {
    earlydrop: 1,
    penaltydrop: 2,
    bucketdrop: 3,
    queuedrop: 4,
    childdrop: 5,
    marked: 6,
    maxqlen: 7,
    maxprob: 32768,
    avgprob: 655,
  },
  sfq: { allot: -3 },
  cake: {
    capacityEstimate64: 12500000n,
    memoryLimit: 4194304,
    memoryUsed: 1536,
    avgNetoff: 14,
    minNetlen: 60,
    maxNetlen: 1514,
    minAdjlen: 80,
    maxAdjlen: 1534,
    tinStats: [1, 2, 3].map((i) => ({
      thresholdRate64: 781250n * BigInt(i),
      sentBytes64: 1000n * BigInt(i),
      backlogBytes: 0,
      targetUs: 5000 * i,
      intervalUs: 100000,
      peakDelayUs: 10 * i,
      avgDelayUs: 5,
      baseDelayUs: 1,
      sentPackets: i,
      wayIndirectHits: 0,
      wayMisses: 1,
      wayCollisions: 0,
      droppedPackets: 0,
      ecnMarkedPackets: 0,
      acksDroppedPackets: 0,
      sparseFlows: 1,
      bulkFlows: 0,
      unresponsiveFlows: 0,
      maxSkblen: 1514,
      flowQuantum: 1514,
    })),
  },
};

/** [kind, mode, what tc prints for the statistics above] */
const XSTATS: [string, string, string][] = [
  [
    "fq",
    "T",
    "  flows 10 (inactive 4 throttled 1) next_packet_delay 1.5ms\n  gc 5 highprio 2 throttled 7 latency 25us ce_mark 3\n pkts_too_long 1  horizon_caps 2",
  ],
  [
    "fq",
    "J",
    '{"flows":10,"inactive":4,"throttled":1,"next_packet_delay":1500000,"gc":5,"highprio":2,"throttled":7,"latency":25000,"ce_mark":3,"pkts_too_long":1,"horizon_caps":2}',
  ],
  [
    "codel",
    "T",
    "  count 2 lastcount 1 ldelay 300us dropping drop_next -5ms\n  maxpacket 1514 ecn_mark 8 drop_overlimit 7 ce_mark 9",
  ],
  [
    "codel",
    "J",
    '{"count":2,"lastcount":1,"ldelay":300,"dropping":true,"drop_next":-5000,"maxpacket":1514,"ecn_mark":8,"drop_overlimit":7,"ce_mark":9}',
  ],
  [
    "fq_codel",
    "T",
    "  maxpacket 1514 drop_overlimit 1 new_flow_count 3 ecn_mark 2 ce_mark 6 memory_used 7\n  new_flows_len 4 old_flows_len 5",
  ],
  [
    "fq_codel",
    "J",
    '{"maxpacket":1514,"drop_overlimit":1,"new_flow_count":3,"ecn_mark":2,"ce_mark":6,"memory_used":7,"new_flows_len":4,"old_flows_len":5}',
  ],
  ["pie", "T", "  prob 0.0001 delay 2ms avg_dq_rate 100\n  pkts_in 10 overlimit 2 dropped 1 maxq 3 ecn_mark 4"],
  [
    "pie",
    "J",
    '{"prob":0.0001,"delay":2000,"avg_dq_rate":100,"pkts_in":10,"overlimit":2,"dropped":1,"maxq":3,"ecn_mark":4}',
  ],
  [
    "fq_pie",
    "T",
    "  pkts_in 10 overlimit 2 overmemory 3 dropped 1 ecn_mark 4\n  new_flow_count 5 new_flows_len 6 old_flows_len 7 memory_used 8",
  ],
  [
    "fq_pie",
    "J",
    '{"pkts_in":10,"overlimit":2,"overmemory":3,"dropped":1,"ecn_mark":4,"new_flow_count":5,"new_flows_len":6,"old_flows_len":7,"memory_used":8}',
  ],
  ["hhf", "T", "  drop_overlimit 1 hh_overlimit 2 tot_hh 3 cur_hh 4"],
  ["hhf", "J", '{"drop_overlimit":1,"hh_overlimit":2,"tot_hh":3,"cur_hh":4}'],
  ["red", "T", "  marked 4 early 1 pdrop 2 other 3 "],
  ["red", "J", '{"marked":4,"early":1,"pdrop":2,"other":3}'],
  ["choke", "T", "  marked 4 early 1 pdrop 2 other 3 matched 5"],
  ["choke", "J", '{"marked":4,"early":1,"pdrop":2,"other":3,"matched":5}'],
  [
    "sfb",
    "T",
    "  earlydrop 1 penaltydrop 2 bucketdrop 3 queuedrop 4 childdrop 5 marked 6\n  maxqlen 7 maxprob 0.500008 avgprob 0.00999466",
  ],
  [
    "sfb",
    "J",
    '{"earlydrop":1,"penaltydrop":2,"bucketdrop":3,"queuedrop":4,"childdrop":5,"marked":6,"maxqlen":7,"maxprob":0.500008,"avgprob":0.00999466}',
  ],
  ["sfq", "T", "  allot -3"],
  ["sfq", "J", '{"allot":-3}'],
  [
    "cake",
    "T",
    " memory used: 1536b of 4Mb\n capacity estimate: 100Mbit\n min/max network layer size:           60 /    1514\n min/max overhead-adjusted size:       80 /    1534\n average network hdr offset:           14\n\n                   Bulk  Best Effort        Voice\n  thresh       6250Kbit    12500Kbit    18750Kbit\n  target            5ms         10ms         15ms\n  interval        100ms        100ms        100ms\n  pk_delay         10us         20us         30us\n  av_delay          5us          5us          5us\n  sp_delay          1us          1us          1us\n  backlog            0b           0b           0b\n  pkts                1            2            3\n  bytes            1000         2000         3000\n  way_inds            0            0            0\n  way_miss            1            1            1\n  way_cols            0            0            0\n  drops               0            0            0\n  marks               0            0            0\n  ack_drop            0            0            0\n  sp_flows            1            1            1\n  bk_flows            0            0            0\n  un_flows            0            0            0\n  max_len          1514         1514         1514\n  quantum          1514         1514         1514\n",
  ],
  [
    "cake",
    "J",
    '{"memory_used":1536,"memory_limit":4194304,"capacity_estimate":12500000,"min_network_size":60,"max_network_size":1514,"min_adj_size":80,"max_adj_size":1534,"avg_hdr_offset":14,"tins":[{"threshold_rate":781250,"sent_bytes":1000,"backlog_bytes":0,"target_us":5000,"interval_us":100000,"peak_delay_us":10,"avg_delay_us":5,"base_delay_us":1,"sent_packets":1,"way_indirect_hits":0,"way_misses":1,"way_collisions":0,"drops":0,"ecn_mark":0,"ack_drops":0,"sparse_flows":1,"bulk_flows":0,"unresponsive_flows":0,"max_pkt_len":1514,"flow_quantum":1514},{"threshold_rate":1562500,"sent_bytes":2000,"backlog_bytes":0,"target_us":10000,"interval_us":100000,"peak_delay_us":20,"avg_delay_us":5,"base_delay_us":1,"sent_packets":2,"way_indirect_hits":0,"way_misses":1,"way_collisions":0,"drops":0,"ecn_mark":0,"ack_drops":0,"sparse_flows":1,"bulk_flows":0,"unresponsive_flows":0,"max_pkt_len":1514,"flow_quantum":1514},{"threshold_rate":2343750,"sent_bytes":3000,"backlog_bytes":0,"target_us":15000,"interval_us":100000,"peak_delay_us":30,"avg_delay_us":5,"base_delay_us":1,"sent_packets":3,"way_indirect_hits":0,"way_misses":1,"way_collisions":0,"drops":0,"ecn_mark":0,"ack_drops":0,"sparse_flows":1,"bulk_flows":0,"unresponsive_flows":0,"max_pkt_len":1514,"flow_quantum":1514}]}',
  ],
];

for (const [kind, mode, expected] of XSTATS) {
  Deno.test(`tc qdisc print: ${kind} xstats (${mode})`, () =>
    assertEquals(render(kind, mode, "printXstats", X[kind]), expected));
}

Deno.test("tc qdisc print: gred's table, flags from the VQ list, -d and -s", () => {
  const vq = (vq: number, prio: number) => ({
    limit: 102400,
    qthMin: 10240,
    qthMax: 30720,
    vq,
    backlog: 0,
    qave: 0,
    forced: 1,
    early: 2,
    other: 3,
    pdrop: 4,
    wlog: 3,
    plog: 20,
    scellLog: 10,
    prio,
    packets: 5,
    bytesin: 600,
  });
  const gred = {
    parms: Array.from({ length: 16 }, (_, i) => i < 2 ? vq(i, i + 1) : vq(16 + i, 0)),
    dps: { vqs: 2, default: 0, grio: 1, flags: [] },
    maxP: Array(16).fill(85899346),
    limit: 204800,
    vqList: [
      {
        vq: 0,
        flags: ["ecn"],
        bytes: 700n,
        packets: 5,
        backlog: 0,
        probDrop: 6,
        probMark: 7,
        forcedDrop: 8,
        forcedMark: 9,
        pdrop: 10,
        other: 11,
      },
      { vq: 1, flags: [] },
    ],
  };
  assertEquals(
    render("gred", "T0", "print", gred, 0),
    "vqs 2 default 0 grio limit 200Kb \n vq 0 prio 1 limit 100Kb min 10Kb max 30Kb ecn \n vq 1 prio 2 limit 100Kb min 10Kb max 30Kb ",
  );
  assertEquals(
    render("gred", "T1", "print", gred, 1),
    "vqs 2 default 0 grio limit 200Kb \n vq 0 prio 1 limit 100Kb min 10Kb max 30Kb ecn ewma 3 probability 0.02 Scell_log 10 " +
      "\n  Queue size: average 0b current 0b \n  Dropped packets: forced 8 early 6 pdrop 10 other 11 " +
      "\n  Marked packets: forced 9 early 7 \n  Total packets: 5 (700b) " +
      "\n vq 1 prio 2 limit 100Kb min 10Kb max 30Kb ewma 3 probability 0.02 Scell_log 10 " +
      "\n  Queue size: average 0b current 0b \n  Dropped packets: forced 0 early 0 pdrop 0 other 0 " +
      "\n  Marked packets: forced 0 early 0 \n  Total packets: 5 (0b) ",
  );
});

Deno.test("tc qdisc print: formatG is C's %g", () => {
  assertEquals(
    [0, 0.02, 1 / 3, 1e-5, 0.0010071, 25.000000006, 100, 123456, 1234567, 999999.5, -0.5].map(formatG),
    ["0", "0.02", "0.333333", "1e-05", "0.0010071", "25", "100", "123456", "1.23457e+06", "1e+06", "-0.5"],
  );
});
