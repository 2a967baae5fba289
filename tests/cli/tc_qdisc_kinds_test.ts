/**
 * `tc qdisc show` of the kinds a minimal kernel lacks (netem, fq, fq_codel,
 * codel, cake, pie, fq_pie, hhf, sfq, red, choke, gred, sfb, mqprio, taprio,
 * prio, …) against iproute2, in text, `-s`, `-d` and JSON. Each kind skips
 * where the kernel lacks it (here), and runs in the full-kernel VM lane
 * (`deno task test:vm -- tests/cli/tc_qdisc_kinds_test.ts`), whose guest has
 * iproute2's tc.
 */
import { kernelTest } from "../_lib/netns.ts";
import { ip, sameJson, sameText } from "./_run.ts";

/**
 * Adds the qdiscs (one `tc` command each, on dummy devices made first) and compares every listing (the JSON ones
 * only with `json`).
 */
async function compare(ns: string, devices: string[], commands: string[], json = true): Promise<void> {
  for (const dev of devices) await ip(ns, `link add ${dev}`);
  for (const cmd of commands) await ip(ns, cmd, "tc");
  for (const args of [["qdisc", "show"], ["-s", "qdisc", "show"], ["-d", "qdisc", "show"], ["-d", "-s", "qdisc"]]) {
    await sameText(ns, args, "tc");
  }
  if (!json) return;
  for (const args of [["-j", "qdisc", "show"], ["-j", "-s", "-d", "qdisc", "show"]]) await sameJson(ns, args, "tc");
}

/** One kind's listings: `devices` are `ip link add` arguments (name and type). */
async function kind(name: string, needs: string[], devices: string[], commands: string[], json = true) {
  await kernelTest(
    `tc qdisc show ${name} matches iproute2`,
    { needs: ["dummy", ...needs] },
    async (_conn, ns) => await compare(ns, devices, commands, json),
  );
}

const D = (n: number, extra = "") => `d${n}${extra} type dummy`;

await kind("netem", ["sch_netem"], [D(0), D(1), D(2), D(3), D(4)], [
  "qdisc add dev d0 root netem",
  "qdisc add dev d1 root netem limit 100 delay 10ms 2ms 25% loss 1% 10% duplicate 2% 5% corrupt 0.5% reorder 5% 50% gap 3",
  "qdisc add dev d2 root netem delay 5ms rate 1mbit 20 100 -4 slot 1ms 2ms packets 10 bytes 2000 ecn loss 3%",
  "qdisc add dev d3 root netem loss state 1% 2% 3% 4% 5%",
  "qdisc add dev d4 root netem loss gemodel 1% 10% 70% 0.1% rate 10gbit",
]);

await kind("fq", ["sch_fq"], [D(0), D(1)], [
  "qdisc add dev d0 root fq",
  "qdisc add dev d1 root fq limit 1000 flow_limit 50 quantum 3028 initial_quantum 15140 maxrate 1gbit buckets 256 " +
  "nopacing refill_delay 50ms low_rate_threshold 1mbit orphan_mask 511 ce_threshold 2ms timer_slack 20us horizon 2s " +
  "horizon_cap",
]);

await kind("codel and fq_codel", ["sch_codel", "sch_fq_codel"], [D(0), D(1), D(2)], [
  "qdisc add dev d0 root codel limit 500 target 4ms interval 90ms ecn ce_threshold 1ms",
  "qdisc add dev d1 root fq_codel limit 2000 flows 512 quantum 1500 target 4ms interval 90ms noecn memory_limit 8mb " +
  "drop_batch 32 ce_threshold 3ms ce_threshold_selector 0x1/0x3",
  "qdisc add dev d2 root fq_codel",
]);

await kind("pie and fq_pie", ["sch_pie", "sch_fq_pie"], [D(0), D(1), D(2)], [
  "qdisc add dev d0 root pie limit 500 target 20ms tupdate 40ms alpha 3 beta 30 ecn bytemode dq_rate_estimator",
  "qdisc add dev d1 root pie",
  "qdisc add dev d2 root fq_pie limit 2000 flows 512 target 10ms tupdate 20ms alpha 4 beta 20 quantum 1514 " +
  "memory_limit 16mb ecn_prob 20 ecn",
]);

await kind("hhf", ["sch_hhf"], [D(0)], [
  "qdisc add dev d0 root hhf limit 500 quantum 1514 hh_limit 1024 reset_timeout 50ms admit_bytes 65536 " +
  "evict_timeout 2s non_hh_weight 3",
]);

await kind("sfq", ["sch_sfq"], [D(0), D(1)], [
  "qdisc add dev d0 root sfq perturb 10 quantum 1514 limit 100 depth 50 divisor 512 headdrop",
  "qdisc add dev d1 root sfq limit 300 redflowlimit 100000 min 10000 max 30000 probability 0.2 ecn harddrop",
]);

await kind("red and choke", ["sch_red", "sch_choke"], [D(0), D(1), D(2)], [
  "qdisc add dev d0 root red limit 400k min 30k max 90k avpkt 1000 burst 55 bandwidth 10mbit probability 0.02 ecn " +
  "adaptive",
  "qdisc add dev d1 root red limit 100k avpkt 1000 bandwidth 1mbit harddrop",
  "qdisc add dev d2 root choke limit 1000 bandwidth 10mbit min 100 max 300 ecn",
]);

await kind("sfb", ["sch_sfb"], [D(0)], [
  "qdisc add dev d0 root sfb rehash 600000 db 60000 limit 100 max 25 target 20 increment 0.0005 decrement 0.0001 " +
  "penalty_rate 10 penalty_burst 20",
]);

await kind("gred", ["sch_gred"], [D(0)], [
  "qdisc add dev d0 root handle 1: gred setup vqs 3 default 1 grio",
  "qdisc change dev d0 root gred vq 0 prio 1 limit 100k min 10k max 30k avpkt 1000 burst 20 bandwidth 10mbit",
  "qdisc change dev d0 root gred vq 1 prio 2 limit 100k min 20k max 40k avpkt 1500 burst 30 bandwidth 10mbit " +
  "probability 0.1 ecn",
]);

await kind("cake", ["sch_cake"], [D(0), D(1)], [
  "qdisc add dev d0 root cake",
  "qdisc add dev d1 root cake bandwidth 100mbit rtt 50ms diffserv4 dual-dsthost nat wash ingress ack-filter " +
  "split-gso overhead 18 mpu 64 memlimit 32mb fwmark 0xff",
]);

await kind("mqprio and taprio", ["sch_mqprio", "sch_taprio"], [D(0, " numtxqueues 4"), D(1, " numtxqueues 4")], [
  "qdisc add dev d0 root mqprio num_tc 2 map 0 0 0 0 1 1 1 1 queues 2@0 2@2 hw 0",
  "qdisc add dev d1 root taprio num_tc 2 map 0 0 0 0 1 1 1 1 queues 2@0 2@2 base-time 1000 " +
  "sched-entry S 01 300000 sched-entry S 02 200000 clockid CLOCK_TAI",
]);

await kind(
  "prio, multiq and skbprio",
  ["sch_prio", "sch_multiq", "sch_skbprio"],
  [D(0), D(1, " numtxqueues 4"), D(2)],
  [
    "qdisc add dev d0 root prio bands 4 priomap 3 2 1 0 3 2 1 0 3 2 1 0 3 2 1 0",
    "qdisc add dev d1 root multiq",
    "qdisc add dev d2 root skbprio limit 100",
  ],
  false, // tc's multiq printer writes its text into the JSON output (no longer JSON): text listings only
);
