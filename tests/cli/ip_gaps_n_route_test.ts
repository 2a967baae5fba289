/**
 * Route gaps against iproute2: `ip route get … as [to] ADDR` (RTA_NEWDST, for IPv4, IPv6 and MPLS label
 * stacks), MPLS destinations with a length other than 20 (`ip -f mpls route add 100/19 …`: sent as given, the
 * kernel answers), and the `nh_info` line of routes with `nhid` in `ip -d monitor` and `ip -s -s -d route flush`.
 * Request bytes are compared with nlcapture; the kernel's answers and the printed text with iproute2's.
 */
import assert from "node:assert/strict";
import { captureTest, sameRequest } from "./_capture.ts";
import { ip, OUR_CLI, sameError, sameText } from "./_run.ts";
import { kernelTestUnless, vethLab, watchBoth } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lab(ns: string): Promise<void> {
  await vethLab(ns, ["10.0.0.1/24 dev p0", "2001:db8::1/64 dev p0 nodad"]);
}

/** Both tools' exit code, stdout and stderr for `args` (for a command the kernel may refuse either way). */
async function sameOutcome(ns: string, args: string[]): Promise<void> {
  const run = (argv: string[]) => new Deno.Command(argv[0], { args: argv.slice(1), stdin: "null" }).output();
  const [a, b] = await Promise.all([
    run(["ip", "-n", ns, ...args]),
    run([...OUR_CLI, "ip", "-n", ns, ...args]),
  ]);
  const text = (
    r: Deno.CommandOutput,
  ) => [r.code, new TextDecoder().decode(r.stdout), new TextDecoder().decode(r.stderr)];
  assert.deepEqual(text(b), text(a), `ip ${args.join(" ")}`);
}

await captureTest("ip route get as, word order, MPLS lengths: request bytes match iproute2", NEEDS, async (ns) => {
  await lab(ns);
  for (
    const c of [
      "route get 10.0.0.5 as 10.0.0.7",
      "route get 10.0.0.5 as to 10.0.0.7",
      "route get 10.0.0.5 from 10.0.0.1 uid 5 as 10.0.0.7 ipproto tcp sport 1 dport 2",
      // The packet's fields in the order typed, devices and mark after them (`as` makes the kernel refuse
      // the lookup, so that iproute2 sends no name look-up after it).
      "route get from 10.0.0.1 10.0.0.5 oif p0",
      "route get 10.0.0.5 dport 2 sport 1 ipproto udp as 10.0.0.7 mark 3",
      "route get 10.0.0.5 as 10.0.0.7 uid 4 from 10.0.0.1 iif p0",
      "-6 route get 2001:db8::5 as 2001:db8::7",
      "-f mpls route get 100 as 200/300",
      "-f mpls route get 100 as to 200",
      "-f mpls route get 100/19",
      "-f mpls route get 100/0 as 5",
      // The kernel refuses these (no MPLS here, or a length other than 20): the same request either way.
      "-f mpls route add 100/19 dev p0",
      "-f mpls route add 100/0 dev p0",
      "-f mpls route add 100/20 dev p0",
      "-f mpls route del 100/7 dev p0",
      "-f mpls route replace 5/19 as 200/300 via inet 10.0.0.2 dev p0",
    ]
  ) await sameRequest(ns, c);
});

await kernelTestUnless(undefined, "ip route get as, MPLS lengths: answers and errors as iproute2's", NEEDS, async (
  ns,
) => {
  await lab(ns);
  // The kernel refuses RTA_NEWDST in a lookup (IPv4: "Unsupported attribute"): the same answer for both.
  await sameOutcome(ns, ["route", "get", "10.0.0.5", "as", "10.0.0.7"]);
  await sameOutcome(ns, ["-d", "route", "get", "as", "to", "10.0.0.7", "10.0.0.5"]);
  await sameOutcome(ns, ["route", "get", "2001:db8::5", "as", "2001:db8::7"]);
  await sameText(ns, ["route", "get", "10.0.0.5"]);
  for (
    const c of [
      "route get 10.0.0.5 as 2001:db8::1",
      "route get 10.0.0.5 as",
      "route get 10.0.0.5 as to",
      "-f mpls route get 100 as to bogus",
      "-f mpls route get 100/21",
      "-f mpls route get 100/200",
      "-f mpls route add 100/21 dev p0",
      "-f mpls route add 100/200 dev p0",
    ]
  ) await sameError(ns, c);
  // The kernel's own answer (no MPLS: EOPNOTSUPP; with it, only length 20 is taken), exit code and all.
  for (const c of ["-f mpls route add 100/19 dev p0", "-f mpls route del 100/7 dev p0", "-f mpls route get 100 as 5"]) {
    await sameOutcome(ns, c.split(" "));
  }
});

await kernelTestUnless(undefined, "ip -s -s -d route flush: nh_info of routes with nhid, as iproute2's", NEEDS, async (
  ns,
) => {
  await lab(ns);
  await ip(ns, "nexthop add id 7 via 10.0.0.2 dev p0");
  await ip(ns, "route add 10.50.0.0/24 nhid 7");
  // iproute2 6.1 echoes the dumped route back, gateway and device included, which the kernel refuses next to
  // `nhid`: the flush fails after listing, for both tools.
  for (const o of [["-s", "-s", "-d"], ["-s", "-s"], ["-s", "-d"], []]) {
    await sameOutcome(ns, [...o, "route", "flush", "10.50.0.0/24"]);
  }
  assert.match(await ip(ns, "route show 10.50.0.0/24"), /nhid 7/);
});

await kernelTestUnless(undefined, "ip -d monitor: nh_info of routes with nhid, as iproute2's", NEEDS, async (ns) => {
  await lab(ns);
  await ip(ns, "nexthop add id 7 via 10.0.0.2 dev p0");
  await ip(ns, "nexthop add id 8 via 10.0.0.3 dev p0");
  for (const args of [["-d", "monitor", "route"], ["-d", "monitor", "route", "nexthop"], ["monitor", "route"]]) {
    await ip(ns, "nexthop replace id 7 via 10.0.0.2 dev p0");
    const [a, b] = await watchBoth(ns, args, async (theirs, mine) => {
      // Both tools look an object up when a route first names it: each change waits until both printed.
      const printed = async (re: RegExp) => {
        for (let i = 0; i < 100 && !(re.test(theirs.out) && re.test(mine.out)); i++) await sleep(50);
      };
      await ip(ns, "route add 10.50.0.0/24 nhid 7");
      await printed(/10\.50\.0\.0\/24/);
      await ip(ns, "nexthop replace id 8 via 10.0.0.4 dev p0");
      await ip(ns, "route add 10.51.0.0/24 nhid 8");
      await printed(/10\.51\.0\.0\/24/);
      // Not told of this change (`monitor route` alone), iproute2's cache keeps the old object: so does ours.
      await ip(ns, "nexthop replace id 7 via 10.0.0.5 dev p0");
      await ip(ns, "route del 10.50.0.0/24");
      await ip(ns, "-6 route add 2001:db8:5::/64 nhid 7").catch(() => {}); // an IPv4 nexthop: refused
      await ip(ns, "route del 10.51.0.0/24");
      // Until both printed the last event.
      await printed(/Deleted (unicast )?10\.51\.0\.0\/24/);
    });
    assert.equal(b, a, `ip ${args.join(" ")}`);
    if (args[0] === "-d") assert.match(a, /nh_info id 7 /);
  }
});
