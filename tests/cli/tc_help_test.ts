/**
 * tc's kind usage texts against tc 6.1: for every qdisc, class, filter and
 * action kind, `help` among its words, `help` abbreviated, and a word it does
 * not know (each kind's own line, then its usage; or its own checks, such as
 * a sample action without a group), on stderr with tc's exit code.
 */
import { kernelTest } from "../_lib/netns.ts";
import { assertSameResult, ip, iproute2, nlink } from "./_run.ts";

const QDISCS = [
  "pfifo bfifo pfifo_head_drop htb tbf netem fq_codel fq cake sfq prio red choke codel pie fq_pie hhf drr qfq",
  "hfsc ets multiq gred sfb plug skbprio etf cbs taprio mqprio ingress clsact pfifo_fast",
].join(" ").split(" ");
const CLASSES = ["htb", "hfsc", "drr", "qfq", "ets"];
const FILTERS = ["u32", "flower", "matchall", "bpf", "basic", "fw", "route", "flow", "cgroup", "tcindex", "rsvp"];
const ACTIONS = [
  "gact mirred police pedit skbedit vlan csum nat tunnel_key connmark ct mpls sample simple skbmod ife gate bpf",
  "ctinfo",
].join(" ").split(" ");

/** Both tools' whole result (stdout, stderr, exit code) for `tc -n NS WORDS`. */
async function same(ns: string, words: string[]): Promise<void> {
  const args = ["-n", ns, ...words];
  const [theirs, mine] = await Promise.all([iproute2(args, "tc"), nlink(args, "tc")]);
  assertSameResult(mine, theirs, `tc ${args.join(" ")}`);
}

await kernelTest(
  "tc help: every kind's usage and unknown words, as tc's",
  { needs: ["veth", "sch_htb"] },
  async (_c, ns) => {
    await ip(ns, "link add p0 type veth peer name p1");
    await ip(ns, "qdisc add dev p0 root handle 1: htb", "tc");
    const at = {
      qdisc: ["qdisc", "add", "dev", "p0", "root"],
      class: ["class", "add", "dev", "p0", "parent", "1:", "classid", "1:7"],
      filter: ["filter", "add", "dev", "p0", "parent", "1:"],
      action: ["actions", "add", "action"],
    };
    for (
      const [words, kinds] of [[at.qdisc, QDISCS], [at.class, CLASSES], [at.filter, FILTERS], [at.action, ACTIONS]]
    ) {
      for (const kind of kinds) {
        for (const word of ["help", "he", "bogus"]) await same(ns, [...words, kind, word]);
      }
    }
    // inside a filter, an action's usage and errors come out as in `tc actions`
    const filter = [...at.filter, "protocol", "ip", "prio", "9", "u32", "match", "u32", "0", "0", "action"];
    for (const tail of ["mirred help", "nat help", "bpf help", "nat bogus", "csum bogus", "nosuch"]) {
      await same(ns, [...filter, ...tail.split(" ")]);
    }
  },
);
