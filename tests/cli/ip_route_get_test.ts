/**
 * `ip route get` against iproute2: lookups (to, from, iif, oif, mark, uid,
 * ipproto, sport, dport, tos, fibmatch, connected), `-s`, `-d`, text and
 * JSON, warnings and errors.
 */
import { kernelTest } from "../_lib/netns.ts";
import { ip, sameError, sameJson, sameText } from "./_run.ts";
import { vethLab } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

async function lab(ns: string): Promise<void> {
  await vethLab(ns, ["10.0.0.1/24 dev p0", "2001:db8::1/64 dev p0 nodad"]);
  await ip(ns, "route add default via 10.0.0.254");
  await ip(ns, "route add 10.10.0.0/16 via 10.0.0.2 metric 5 table 100");
  await ip(ns, "route add blackhole 10.16.0.0/24");
  await ip(ns, "route add 2001:db8:10::/64 via 2001:db8::2 metric 10");
  await ip(ns, "rule add fwmark 0x20 table 100");
}

await kernelTest("ip route get: text output matches iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      "route get 10.0.0.5",
      "route get 192.168.9.9",
      "route get to 10.0.0.5",
      "r g 10.0.0.5",
      "route get 10.0.0.1",
      "route get 10.0.0.5/24",
      "route get 10.0.0.5 connected",
      "route get fibmatch 10.0.0.5",
      "route get fibmatch 192.168.9.9",
      "route get 10.10.1.1 mark 0x20",
      "route get 10.10.1.1 mark 0x20 fibmatch",
      "route get 10.0.0.5 from 10.0.0.1",
      "route get 10.0.0.5 oif p0",
      "route get 10.0.0.5 dev p0",
      "route get 10.0.0.5 ipproto tcp sport 80 dport 443 uid 5 mark 7",
      "route get 10.0.0.5 ipproto 17 dport 53",
      "route get 10.0.0.5 tos 0x10",
      "-d route get 10.0.0.5",
      "-d route get fibmatch 10.0.0.5",
      "-s route get fibmatch 10.0.0.5",
      "route get 2001:db8::5",
      "-6 route get 2001:db8:10::1",
      "route get fibmatch 2001:db8:10::1",
      "-d route get 2001:db8:10::1 from 2001:db8::1",
      "-o route get 10.0.0.5",
      "-N route get 10.10.1.1 mark 0x20",
    ]
  ) await sameText(ns, args.split(" "));
});

await kernelTest("ip route get: JSON matches iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      "-j route get 10.0.0.5",
      "-j route get 10.0.0.1",
      "-j route get fibmatch 192.168.9.9",
      "-j route get 10.0.0.5 uid 7 mark 0x20",
      "-j -d route get 10.10.1.1 mark 0x20",
      "-j route get 2001:db8:10::1",
      "-j -p route get fibmatch 2001:db8:10::1",
    ]
  ) await sameJson(ns, args.split(" "));
  // Byte for byte too; `connected` ends its JSON and prints the second answer as text, as iproute2 does.
  await sameText(ns, ["-j", "-p", "route", "get", "10.0.0.5"]);
  await sameText(ns, ["-j", "route", "get", "10.0.0.5", "connected"]);
});

await kernelTest("ip route get: errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  await sameError(ns, "route get 10.16.0.1"); // blackhole: Invalid argument
  await sameError(ns, "-6 route get 2001:db9::1"); // Network is unreachable
  await sameError(ns, "route get"); // need at least a destination address
  await sameError(ns, "route get 10.0.0.5 dev nosuchdev");
  await sameError(ns, "route get 10.0.0.5 iif nosuchdev");
  await sameError(ns, "route get 10.0.0.5 mark x");
  await sameError(ns, "route get 10.0.0.5 sport 70000");
  await sameError(ns, "route get 10.0.0.5 ipproto nosuchproto");
  await sameError(ns, "route get 10.0.0.5 uid");
  await sameError(ns, "route get 10.0.0.5 from 10.0.0.1 iif p1"); // an input lookup without forwarding
  await sameError(ns, "route get 10.0.0.x");
});
