/**
 * Colour output (`ip -c`, `bridge -color`, `tc -color`, `-color=always|auto|
 * never`) against iproute2: every listing that colours interface names,
 * link-layer addresses, IPv4/IPv6 addresses and operational states, byte
 * for byte with the escape codes; the dark palette COLORFGBG selects; no
 * colour with JSON, `never`, or `auto` on a pipe.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip, OUR_CLI, sameError, sameText } from "./_run.ts";
import { vethLab } from "./_setup.ts";

const NEEDS = { needs: ["veth", "bridge", "sch_htb"] };

/** The escape character that starts every colour code. */
const ESC = "\x1b";

/** A state with something of every coloured kind: links, addresses, routes, neighbours, rules, bridge entries. */
async function lab(ns: string): Promise<void> {
  await vethLab(ns, [
    "10.0.0.1/24 dev p0",
    "10.9.0.1 peer 10.9.0.2/32 dev p0",
    "2001:db8::1/64 dev p0 nodad",
  ]);
  for (
    const cmd of [
      "link add v2 type veth peer name v3",
      "link add br0 type bridge",
      "link set v3 master br0",
      "link set br0 up",
      "link set v3 up",
      "route add 10.1.0.0/16 via 10.0.0.254",
      "route add blackhole 10.2.0.0/16",
      "route add 10.3.0.0/16 nexthop via 10.0.0.253 weight 2 nexthop via 10.0.0.252",
      "route add 10.4.0.0/16 dev p0 src 10.0.0.1",
      "-6 route add 2001:db8:9::/48 via 2001:db8::2",
      "neigh add 10.0.0.77 lladdr 02:00:00:00:00:77 dev p0 nud permanent",
      "-6 neigh add 2001:db8::77 lladdr 02:00:00:00:00:78 dev p0 nud permanent",
      "rule add from 10.0.0.0/24 to 10.8.0.0/16 iif p0 oif p1 table 100 pref 100",
      "-6 rule add from 2001:db8::/32 table 100 pref 101",
      "nexthop add id 5 via 10.0.0.251 dev p0",
      "maddress add 01:00:5e:01:02:03 dev p0",
      "addrlabel add prefix 2001:db8:1::/48 dev p0 label 50",
      "tuntap add dev tap9 mode tap",
    ]
  ) await ip(ns, cmd);
  await ip(ns, "fdb add 02:00:00:00:00:99 dev v3 master static", "bridge");
  await ip(ns, "qdisc add dev p0 root handle 1: htb", "tc");
  await ip(ns, "filter add dev p0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.0/8", "tc");
}

await kernelTest("colour: -c listings match iproute2's escape codes", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["-c", "link"],
      ["-c", "-br", "link"],
      ["-c", "-d", "link", "show", "dev", "v3"],
      ["-c", "addr"],
      ["-c", "-br", "addr"],
      ["-c", "-o", "addr"],
      ["-c", "route"],
      ["-c", "-6", "route"],
      ["-c", "route", "show", "table", "local"],
      ["-c", "route", "get", "10.1.2.3"],
      ["-c", "neigh"],
      ["-c", "-6", "neigh"],
      ["-c", "rule"],
      ["-c", "-6", "rule"],
      ["-c", "nexthop"],
      ["-c", "maddr", "show", "dev", "p0"],
      ["-c", "netconf", "show", "dev", "p0"],
      ["-c", "ntable", "show", "dev", "p0"],
      ["-c", "addrlabel"],
      ["-c", "tuntap"],
      ["-c", "stats", "show", "dev", "p0", "group", "link"],
      ["-color=always", "link", "show", "dev", "p0"],
    ]
  ) await sameText(ns, args);
  for (
    const args of [
      ["-color", "fdb", "show", "br", "br0"],
      ["-color", "link"],
      ["-color=always", "fdb", "show", "dev", "v3"],
    ]
  ) await sameText(ns, args, "bridge");
  for (
    const args of [
      ["-color", "qdisc"],
      ["-color", "filter", "show", "dev", "p0"],
      ["-color", "-s", "qdisc", "show", "dev", "p0"],
    ]
  ) await sameText(ns, args, "tc");
});

await kernelTest("colour: none with -j, never or auto on a pipe; -colour is not an option", NEEDS, async (_c, ns) => {
  await lab(ns);
  for (const args of [["-c", "-j", "addr"], ["-color=never", "addr"], ["-color=auto", "route"]]) {
    const r = await sameText(ns, args);
    assert.ok(!r.stdout.includes(ESC), `${args.join(" ")}: no escape codes`);
  }
  for (const cmd of ["-colour addr", "-color=sometimes addr"]) await sameError(ns, cmd);
});

await kernelTest("colour: COLORFGBG with a dark background selects the bold palette", NEEDS, async (_c, ns) => {
  await lab(ns);
  const run = async (cmd: string[]) => {
    const out = await new Deno.Command(cmd[0], {
      args: cmd.slice(1),
      env: { COLORFGBG: "15;0" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  };
  for (const args of [["-c", "-n", ns, "addr"], ["-c", "-n", ns, "-br", "link"], ["-c", "-n", ns, "route"]]) {
    const theirs = await run(["ip", ...args]);
    assert.ok(theirs.includes(`${ESC}[1;3`), "iproute2 uses the bold palette");
    assert.equal(await run([...OUR_CLI, "ip", ...args]), theirs, `ip ${args.join(" ")}`);
  }
});
