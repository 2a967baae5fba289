/**
 * `ip -d link` per-kind details against iproute2: listings of every kind this
 * kernel can make, in text and JSON (request bytes of `ip link add … type
 * KIND …` are in ip_link_kinds_request_test.ts); the kinds' argument errors
 * and vxlan's warning for a missing `dstport`.
 *
 * Links stay down: traffic would move counters and bridge timers between runs.
 */
import { kernelTest } from "../_lib/netns.ts";
import assert from "node:assert/strict";
import { ip, iproute2, ours, sameError, sameJson, sameText } from "./_run.ts";

/** Kinds made by the listing tests (each a module or feature the harness probes). */
const SHOW_NEEDS = { needs: ["veth", "bridge", "ifb", "vxlan", "macvlan", "macvtap"] };

/** Two veth pairs as parents, a bridge with ports, vxlans (one a bridge port), macvlans in every mode. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02");
  await ip(ns, "link add p2 address 02:00:00:00:00:03 type veth peer name p3 address 02:00:00:00:00:04");
  await ip(ns, "link add br0 address 02:00:00:00:00:10 type bridge");
  await ip(ns, "link set p1 master br0");
  await ip(ns, "link add ifb0 type ifb");
  await ip(
    ns,
    "link add vx0 address 02:00:00:00:01:00 type vxlan id 42 dstport 4789 remote 192.0.2.2 local 192.0.2.1 ttl 10 " +
      "tos 0x10 ageing 100 srcport 1000 2000 nolearning proxy l2miss udpcsum df set maxaddress 10",
  );
  await ip(ns, "link set vx0 master br0");
  await ip(ns, "link add vx1 address 02:00:00:00:01:01 type vxlan id 43 group 239.1.1.1 dev p0 dstport 4790");
  await ip(ns, "link add vx2 address 02:00:00:00:01:02 type vxlan external");
  await ip(
    ns,
    "link add vx3 address 02:00:00:00:01:03 type vxlan id 44 remote 2001:db8::1 local 2001:db8::2 dstport 0 " +
      "tos inherit udp6zerocsumtx flowlabel 5 gbp rsc l3miss remcsumtx remcsumrx df inherit",
  );
  await ip(ns, "link add vx4 address 02:00:00:00:01:04 type vxlan id 45 dstport 4789 group ff05::1 dev p2 ttl 3");
  for (const [i, mode] of ["private", "vepa", "bridge", "passthru", "source"].entries()) {
    await ip(
      ns,
      `link add link p${
        mode === "passthru" ? 2 : 0
      } name mv${i} address 02:00:00:00:02:0${i} type macvlan mode ${mode}`,
    );
  }
  await ip(ns, "link set mv4 type macvlan macaddr add 02:00:00:00:03:01");
  await ip(ns, "link set mv4 type macvlan macaddr add 02:00:00:00:03:02");
  await ip(ns, "link add link p0 name mt0 address 02:00:00:00:02:10 type macvtap mode bridge");
  await ip(ns, "link add link p0 name mt1 address 02:00:00:00:02:11 type macvtap mode vepa bcqueuelen 500");
}

const DEVICES = [
  "br0",
  "p1",
  "vx0",
  "vx1",
  "vx2",
  "vx3",
  "vx4",
  "mv0",
  "mv1",
  "mv2",
  "mv3",
  "mv4",
  "mt0",
  "mt1",
  "ifb0",
];

await kernelTest("ip -d link: per-kind details in text match iproute2", SHOW_NEEDS, async (_conn, ns) => {
  await lab(ns);
  await sameText(ns, ["-d", "link"]);
  await sameText(ns, ["-o", "-d", "link"]);
  for (const dev of DEVICES) await sameText(ns, ["-d", "link", "show", "dev", dev]);
  await sameText(ns, ["-d", "link", "show", "type", "vxlan"]);
  await sameText(ns, ["-d", "link", "show", "type", "bridge_slave"]);
});

await kernelTest("ip -d -j link: per-kind details in JSON match iproute2", SHOW_NEEDS, async (_conn, ns) => {
  await lab(ns);
  await sameJson(ns, ["-d", "-j", "link"]);
  for (const dev of DEVICES) await sameJson(ns, ["-d", "-j", "link", "show", "dev", dev]);
  // -p layout is part of the output: compare it byte for byte too.
  await sameText(ns, ["-d", "-j", "-p", "link", "show", "dev", "vx0"]);
  await sameText(ns, ["-d", "-j", "-p", "link", "show", "dev", "mv4"]);
});

/** Why tun/tap devices cannot be made here, or undefined. */
const NO_TUN = (() => {
  try {
    Deno.statSync("/dev/net/tun");
    return undefined;
  } catch {
    return "no /dev/net/tun";
  }
})();

if (NO_TUN) {
  Deno.test({ name: `ip -d link: tun/tap details [skipped: ${NO_TUN}]`, ignore: true, fn() {} });
} else {
  await kernelTest("ip -d link: tun/tap details match iproute2", { needs: [] }, async (_conn, ns) => {
    await ip(ns, "tuntap add tun0 mode tun");
    await ip(ns, "tuntap add tap0 mode tap multi_queue vnet_hdr user 0 group 0");
    await ip(ns, "tuntap add tap1 mode tap pi one_queue user 65534");
    for (const dev of ["tun0", "tap0", "tap1"]) {
      await sameText(ns, ["-d", "link", "show", "dev", dev]);
      await sameJson(ns, ["-d", "-j", "link", "show", "dev", dev]);
    }
  });
}

await kernelTest("ip link add type KIND: argument errors, and vxlan's dstport warning, as iproute2's", {
  needs: ["veth", "vxlan", "bridge"],
}, async (_conn, ns) => {
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link add br0 type bridge");
  await ip(ns, "link set p1 master br0");
  for (
    const cmd of [
      "link add x0 type vxlan dstport 4789",
      "link add x0 type vxlan id 5 group 239.1.1.1",
      "link add x0 type vxlan id 5 group 10.0.0.9",
      "link add x0 type vxlan id 5 remote 239.1.1.1",
      "link add x0 type vxlan id 5 remote any",
      "link add x0 type vxlan id 5 local 239.1.1.1",
      "link add x0 type vxlan id 5 remote 10.0.0.8 group 239.1.1.1",
      "link add x0 type vxlan id 5 group 239.1.1.1 dev p0 remote 10.0.0.8",
      "link add x0 type vxlan external id 5",
      "link add x0 type vxlan vnifilter",
      "link add x0 type vxlan id 5 local 2001:db8::1 remote 10.0.0.1",
      // what the other kinds' parsers refuse before anything is sent
      "link add x0 type geneve id 5",
      "link add x0 type geneve id 5 remote 239.1.1.1",
      "link add x0 type geneve external id 5",
      "link add x0 type bareudp dstport 6635",
      "link add x0 type bareudp ethertype ip",
      "link add x0 link p0 type macvlan mode bogus",
      "link add x0 link p0 type macvlan flag bogus",
      "link add x0 link p0 type ipvlan mode l4",
      "link add x0 type gre remote 239.1.1.1",
      "link add x0 type gre remote 10.0.0.9 local 2001:db8::1",
      "link add x0 type gre key abc",
      "link add x0 type gre key 1.2.3",
      "link add x0 type ipip mode bogus",
      "link add x0 type ip6tnl remote 10.0.0.1",
      "link add x0 type vti6 local 10.0.0.1",
      "link add x0 type xfrm if_id 0",
      "link add x0 type xfrm external if_id 5",
      "link add x0 link p0 type macsec port 0",
      "link add x0 link p0 type macsec encrypt maybe",
      "link add x0 type bond arp_ip_target 1.2.3.4,300.1.1.1",
      "link set p1 type bridge_slave learning maybe",
      "link set p1 type bridge_slave neigh_suppress x",
      // a device word naming nothing fails at that word, as each kind's parser fails
      "link add x0 type vxlan dev nosuch",
      "link add x0 type vxlan id 5 dev nosuch group 10.0.0.9",
      "link add x0 type gre dev nosuch remote 10.0.0.9 local 2001:db8::1",
      "link add x0 type ipip dev nosuch",
      "link add x0 type ip6tnl dev nosuch",
      "link add x0 type vti dev nosuch",
      "link add x0 type xfrm dev nosuch",
      "link add x0 type hsr slave1 p0 slave2 nosuch",
      "link add x0 type bond mode active-backup primary nosuch",
      "link add x0 type bond active_slave nosuch miimon x",
      "link set p1 type bridge_slave backup_port nosuch",
      // the device to change, and a new device's `link`, are looked up before the kind's words
      "link set nosuch type bridge_slave learning maybe",
      "link add x0 link nosuch type ipvlan mode l4",
      // a kind the kernel cannot change in place, a veth peer on a change, and a kernel message ending in a full stop
      "link set p0 type veth peer name nosuch",
      "link set p0 type veth peer name p1 mtu 1400",
      "link set p0 type vrf table 5",
      "link add x0 type tun",
    ]
  ) await sameError(ns, cmd);
  // Looked up by name on the way, the kind's device still gets one warning only.
  const theirs = await iproute2(["-n", ns, ...["link", "add", "x0", "type", "vxlan", "id", "5", "dev", "p0"]]);
  await ip(ns, "link del x0");
  const mine = await ours(ns, "link add x0 type vxlan id 5 dev p0");
  await ip(ns, "link del x0");
  assert.deepEqual(mine, theirs);
  // A new vxlan without dstport gets the kernel's default port, and iproute2's warning on stderr.
  for (const cmd of ["link add x0 type vxlan id 5", "link replace x0 type vxlan id 5 group 239.1.1.1 dev p0"]) {
    const theirs = await iproute2(["-n", ns, ...cmd.split(" ")]);
    await ip(ns, "link del x0");
    const mine = await ours(ns, cmd);
    await ip(ns, "link del x0");
    assert.deepEqual(mine, theirs, `ip ${cmd}`);
    assert.match(theirs.stderr, /^vxlan: destination port not specified\n/);
  }
});
