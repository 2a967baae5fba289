/**
 * Every action kind's and filter kind's printer against iproute2's tc, text
 * and JSON: iproute2 builds the state, both tools list it. This host's
 * kernel has none of these kinds, so the tests skip here; the full-kernel
 * VM lane runs them (`deno task test:vm -- tests/cli/tc_kinds_print_test.ts`).
 * A group reports every differing listing at once. Where tc's own `-j`
 * output is not JSON (kinds it prints with plain fprintf: skbmod, simple,
 * ematch trees, route, flow, …) only the text is compared.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { iproute2, nlink } from "./_run.ts";

/** A group: the kinds it needs, the tc commands that build the state, the listings compared. */
interface Group {
  name: string;
  needs: string[];
  setup: string[];
  shows: string[];
}

/** `~` stands for a space inside one word (tc's shell quoting). */
const words = (cmd: string) => cmd.split(" ").map((w) => w.replaceAll("~", " "));

const ACT = (kind: string, ...adds: string[]): Group => ({
  name: `actions ${kind}`,
  needs: [`act_${kind}`],
  setup: adds.map((a) => `actions add action ${kind} ${a}`),
  shows: [`actions ls action ${kind}`, `-j actions ls action ${kind}`],
});

const DEV = ["qdisc add dev p0 root handle 1: htb", "qdisc add dev p0 clsact"];
const FILTER = (kind: string, needs: string[], adds: string[]): Group => ({
  name: `filter ${kind}`,
  needs: [`cls_${kind}`, ...needs],
  setup: [...DEV, ...adds.map((a) => `filter add dev p0 ${a}`)],
  shows: [
    "filter show dev p0 parent 1:",
    "-j filter show dev p0 parent 1:",
    "filter show dev p0 ingress",
    "-j filter show dev p0 ingress",
  ],
});

const GROUPS: Group[] = [
  ACT(
    "police",
    "rate 1mbit burst 10k conform-exceed drop/pipe index 1",
    "rate 1mbit burst 10k peakrate 2mbit mtu 2k index 2",
    "pkts_rate 1000 pkts_burst 100 index 4",
    "rate 10gbit burst 100k mtu 9000 overhead 4 index 5",
    "rate 1mbit burst 10k continue index 6",
  ),
  ACT(
    "vlan",
    "pop index 1",
    "push id 10 protocol 802.1ad priority 3 index 2",
    "modify id 20 pipe index 3",
    "pop_eth index 4",
    "push_eth dst_mac 02:00:00:00:00:01 src_mac 02:00:00:00:00:02 index 5",
  ),
  ACT(
    "mpls",
    "pop protocol ipv4 index 1",
    "push label 100 tc 3 ttl 64 bos 1 index 2",
    "modify label 200 index 3",
    "dec_ttl index 4",
    "mac_push label 5 index 5",
  ),
  ACT(
    "skbedit",
    "mark 5 index 1",
    "priority 1:2 queue_mapping 3 index 2",
    "ptype host index 3",
    "mark 5/0xff inheritdsfield index 4",
  ),
  ACT(
    "skbmod",
    "set dmac 02:00:00:00:00:01 set smac 02:00:00:00:00:02 set etype 0x800 index 1",
    "swap mac index 2",
    "ecn index 3",
  ),
  ACT("nat", "ingress 10.0.0.1 192.168.0.1 index 1", "egress 10.0.0.0/24 192.168.0.0 drop index 2"),
  ACT(
    "pedit",
    "ex munge ip src set 10.0.0.1 index 1",
    "ex munge eth dst set 02:00:00:00:00:01 munge ip ttl dec index 2",
    "munge offset 12 u32 set 0x1 index 3",
    "ex munge tcp dport set 80 munge udp sport add 3 index 4",
    "ex munge ip6 dst set 2001:db8::1 index 5",
    "munge ip tos set 0x10 retain 0xf0 pipe index 6",
  ),
  ACT("csum", "iph and tcp index 1", "udp drop index 2"),
  ACT("sample", "rate 100 group 5 trunc 64 index 1", "rate 10 group 1 index 2"),
  ACT("simple", "sdata hello index 1", "sdata world drop index 2"),
  ACT("connmark", "zone 3 index 1", "index 2"),
  ACT("ctinfo", "dscp 0xfc000000 0x01000000 cpmark 0xff zone 2 index 1", "cpmark index 2"),
  ACT(
    "tunnel_key",
    "unset index 1",
    "set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 7 dst_port 4789 tos 0x10 ttl 64 index 2",
    "set src_ip 2001:db8::1 dst_ip 2001:db8::2 id 8 nocsum index 3",
    // One Geneve option: the kernel dumps several as repeated CLASS/TYPE/DATA in one nest, which the library's
    // tunnel_key decoder (one option per nest) reads as the last option only.
    "set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 9 geneve_opts 0102:80:00880022 index 4",
    "set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 10 vxlan_opts 0x1 index 5",
    "set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 11 erspan_opts 1:12:0:0 index 6",
    "set src_ip 10.0.0.1 dst_ip 10.0.0.2 id 12 erspan_opts 2:0:1:3 index 7",
  ),
  ACT(
    "ct",
    "index 1",
    "commit zone 3 mark 5/0xff label 1/1 index 2",
    "commit nat src addr 10.0.0.1-10.0.0.5 port 1000-2000 index 3",
    "clear index 4",
    "zone 2 nat index 5",
    "commit nat dst addr 2001:db8::1 index 6",
  ),
  ACT(
    "ife",
    "encode allow mark use prio 3 type 0xed3e dst 02:00:00:00:00:01 index 1",
    "decode index 2",
    "encode use mark 7 src 02:00:00:00:00:02 index 3",
  ),
  ACT(
    "gate",
    "base-time 0 sched-entry open 200000000 -1 -1 sched-entry close 100000000 -1 -1 index 1",
    "priority 2 clockid CLOCK_TAI cycle-time 300000000 sched-entry open 100000000 3 1000 index 2",
  ),
  ACT("bpf", "bytecode 1,6~0~0~0 index 1", "bytecode 2,6~0~0~4,6~0~0~0 drop index 2"),
  FILTER("route", ["act_gact"], [
    "parent 1: protocol ip prio 1 route to 10 classid 1:10",
    "parent 1: protocol ip prio 2 route from 5 to 10 classid 1:11",
    "parent 1: protocol ip prio 3 route fromif p1 to 2 classid 1:12",
    "parent 1: protocol ip prio 4 route to 3 action drop",
  ]),
  FILTER("basic", ["act_gact", "em_meta", "em_cmp", "em_u32", "em_nbyte"], [
    "ingress prio 1 protocol ip basic classid 1:1",
    "ingress prio 2 protocol ip basic match meta(priority~eq~5) classid 1:2",
    "ingress prio 3 protocol ip basic match cmp(u16~at~2~layer~network~eq~0x8)~and~not~u32(u32~0x1~0xff~at~0) action drop",
    "ingress prio 4 protocol ip basic match meta(nf_mark~gt~3)~or~meta(priority~lt~2) classid 1:4",
    "ingress prio 5 protocol ip basic match u32(u8~0x11~0xff~at~9)~or~not~(meta(priority~eq~1)~and~meta(nf_mark~eq~2)) classid 1:5",
  ]),
  FILTER("cgroup", ["act_gact", "em_meta"], [
    "ingress prio 1 protocol ip handle 1 cgroup",
    "ingress prio 2 protocol ip handle 2 cgroup match meta(priority~eq~5) action drop",
  ]),
  FILTER("flow", [], [
    "parent 1: protocol ip prio 1 handle 1 flow hash keys src,dst,proto divisor 1024 baseclass 1:1",
    "parent 1: protocol ip prio 2 handle 2 flow map key mark and 0xff xor 1 divisor 16 baseclass 1:1",
    "parent 1: protocol ip prio 3 handle 3 flow hash keys nfct-src,dst perturb 10",
    "parent 1: protocol ip prio 4 handle 4 flow map key priority addend 5 rshift 2 or 0x10",
  ]),
  FILTER("flower", ["act_gact"], [
    "ingress prio 1 protocol ip flower ip_flags frag/firstfrag action drop",
    "ingress prio 2 protocol ip flower ct_state +trk+est ct_zone 3 ct_mark 5/0xff ct_label 1/1",
    "ingress prio 3 protocol ip flower enc_key_id 1 enc_dst_ip 10.0.0.1 geneve_opts 0102:80:00880022/ffff:ff:ffffffff",
    "ingress prio 4 protocol ip flower enc_dst_port 4789 vxlan_opts 0x1/0xff",
    "ingress prio 5 protocol ip flower erspan_opts 2:0:1:5",
    "ingress prio 6 protocol ip flower ip_flags nofrag ct_state -trk",
    "ingress prio 7 protocol ipv6 flower ct_state +trk+est+rpl-inv",
  ]),
];

/** Runs `tc -n ns …` with iproute2 or nlink. */
function run(ns: string, cmd: string, tool: "theirs" | "ours") {
  const args = ["-n", ns, ...words(cmd)];
  return tool === "theirs" ? iproute2(args, "tc") : nlink(args, "tc");
}

for (const g of GROUPS) {
  await kernelTest(
    `tc ${g.name}: listings match iproute2 (text, JSON)`,
    { needs: ["veth", ...g.needs] },
    async (_c, ns) => {
      for (const cmd of ["link add p0 type veth peer name p1", "link set p0 up", "link set p1 up"]) {
        await iproute2(["-n", ns, ...cmd.split(" ")]);
      }
      const problems: string[] = [];
      for (const cmd of g.setup) {
        const r = await run(ns, cmd, "theirs");
        if (r.code !== 0) problems.push(`setup: tc ${cmd}: ${r.stderr.trim()}`);
      }
      for (const cmd of g.shows) {
        const [theirs, mine] = [await run(ns, cmd, "theirs"), await run(ns, cmd, "ours")];
        const json = cmd.startsWith("-j");
        let same = theirs.code === mine.code && theirs.stderr === mine.stderr;
        if (same && json) {
          let expected: unknown;
          try {
            expected = JSON.parse(theirs.stdout);
          } catch {
            // tc prints some kinds with plain fprintf, into the middle of its JSON: nothing to compare with.
            continue;
          }
          try {
            assert.deepEqual(JSON.parse(mine.stdout), expected);
          } catch {
            same = false;
          }
        } else if (same) same = theirs.stdout === mine.stdout;
        if (!same) {
          problems.push(
            `tc ${cmd}\n--- iproute2 (exit ${theirs.code})\n${theirs.stdout}${theirs.stderr}` +
              `\n--- nlink (exit ${mine.code})\n${mine.stdout}${mine.stderr}`,
          );
        }
      }
      // Printed as soon as known: a lane run that times out still shows what differed.
      if (problems.length) console.log(`\n${g.name}:\n${problems.join("\n\n")}`);
      assert.equal(problems.length, 0, `\n${problems.join("\n\n")}`);
    },
  );
}
