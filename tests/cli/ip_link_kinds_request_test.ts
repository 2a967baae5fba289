/**
 * `ip link add|set … type KIND …` against iproute2: request bytes for every
 * kind the library encodes, captured whether or not this kernel has the kind.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { HAVE_NLCAPTURE, sameRequest } from "./_capture.ts";
import { ip, iproute2, nlink } from "./_run.ts";

/** Kinds whose settings the kernel wants: `ip link add … type KIND` without words is for the kernel to refuse. */
const KINDS_WITHOUT_WORDS = ["vxlan", "geneve", "bareudp", "vrf", "xfrm", "hsr", "vlan", "macvlan", "macsec", "gre"];

/** Values iproute2 sends and the kernel refuses (in its own words where it has the kind). */
const KERNEL_REFUSES = ["link add x0 link p0 type vlan id 5000", "link add x0 type vrf table 0"];

/**
 * `ip link add` commands for every kind the library encodes, their words in
 * the order the library writes the attributes (iproute2 writes them in
 * argument order; the library in one fixed order per kind). Devices p0 and p2
 * exist; the kernel need not have the kind: the request is captured anyway.
 */
const ADD_COMMANDS = [
  "link add d0 type dummy",
  "link add w0 type wireguard",
  "link add e0 txqueuelen 100 mtu 1400 type veth peer name e1 mtu 1300",
  "link add link p0 name vw0 type virt_wifi",
  "link add b1 type bridge forward_delay 500 hello_time 300 max_age 2500 ageing_time 30000 stp_state 1 priority 100 " +
  "vlan_filtering 1 vlan_protocol 802.1ad group_fwd_mask 0x8 group_address 01:80:c2:00:00:0e vlan_default_pvid 5 " +
  "vlan_stats_enabled 1 mcast_router 2 mcast_snooping 0 mcast_querier 1 mcast_hash_max 1024 " +
  "mcast_last_member_count 3 mcast_last_member_interval 200 mcast_query_interval 12000 mcast_igmp_version 3 " +
  "mcast_mld_version 2 nf_call_iptables 1 no_linklocal_learn 1",
  "link add bo1 type bond mode 802.3ad miimon 100 updelay 200 downdelay 200 use_carrier 0 arp_interval 100 " +
  "arp_ip_target 192.0.2.1,192.0.2.2 arp_validate all xmit_hash_policy layer3+4 all_slaves_active 1 min_links 2 " +
  "lacp_rate fast ad_select count ad_user_port_key 5 ad_actor_sys_prio 100",
  "link add link p0 name vl1 type vlan protocol 802.1ad id 6 ingress-qos-map 1:2 3:4 egress-qos-map 2:1 " +
  "reorder_hdr off gvrp on",
  "link add vx1 type vxlan id 43",
  "link add vx2 type vxlan dev p0 ttl 10 tos 10 df set ageing 100 maxaddress 5 srcport 100 200 proxy l2miss " +
  "udpcsum id 42 local 192.0.2.1 group 239.1.1.1 nolearning dstport 4789",
  "link add vx3 type vxlan ttl inherit flowlabel 7 rsc l3miss udp6zerocsumtx udp6zerocsumrx remcsumtx remcsumrx " +
  "gpe id 44 local 2001:db8::1 remote 2001:db8::2",
  "link add vx4 type vxlan external gbp vnifilter",
  "link add vx5 type vxlan external gpe",
  "link add vx6 type vxlan id 47 local 10.0.0.1 remote 10.0.0.9",
  "link add vx7 type vxlan id 48 group ff05::1 dev p0 local 2001:db8::1",
  "link add gn1 type geneve ttl inherit df set id 6 remote 2001:db8::2 flowlabel 3 tos 10 dstport 6082 udpcsum",
  "link add gn2 type geneve external",
  "link add bu1 type bareudp dstport 6635 ethertype ip srcportmin 1000 multiproto",
  "link add link p0 name mv2 type macvlan mode passthru nopromisc",
  "link add link p0 name mv3 type macvlan mode source bcqueuelen 100",
  "link add link p0 name mt0 type macvtap mode vepa",
  "link add link p0 name iv1 type ipvlan mode l3 private",
  "link add link p0 name it0 type ipvtap mode l2 vepa",
  "link add vr0 type vrf table 10",
  "link add g1 type gre remote 192.0.2.2 local 192.0.2.1 ttl 64 tos 10 key 5 seq csum",
  "link add gt0 type gretap remote 192.0.2.2 local 192.0.2.1 ikey 1 okey 2 nopmtudisc",
  "link add g2 type gre key 5 nokey ikey 3 noikey seq noseq csum nocsum oseq ocsum remote any local 192.0.2.1",
  "link add g3 type gre remote 192.0.2.2 nookey noiseq noicsum nooseq noocsum",
  "link add g7 type ip6gre remote 2001:db8::2 local 2001:db8::1 hoplimit 10 encaplimit none tclass 0x10 flowlabel 5",
  "link add gt6 type ip6gretap remote 2001:db8::2 local 2001:db8::1 key 9",
  "link add ip1 type ipip remote 192.0.2.2 local 192.0.2.1 ttl 64 mode any",
  "link add s1 type sit remote 192.0.2.2 local 192.0.2.1 isatap",
  "link add t7 type ip6tnl remote 2001:db8::2 local 2001:db8::1 mode ip6ip6 hoplimit 20",
  "link add vt0 type vti remote 192.0.2.2 local 192.0.2.1 key 5",
  "link add vt1 type vti remote any local 192.0.2.1 key 5",
  "link add vt6 type vti6 remote 2001:db8::2 local 2001:db8::1 ikey 1 okey 2",
  "link add xf1 type xfrm dev p0 if_id 6",
  "link add link p0 name ms1 type macsec port 11 encrypt on",
  "link add link p0 name ms2 type macsec sci 0200000000000001 cipher gcm-aes-256 icvlen 16",
  "link add hs1 type hsr slave1 p0 slave2 p2 supervision 45 version 1",
  "link add hs2 type hsr slave1 p0",
  "link add link p0 name vl9 type vlan id 5000",
  "link add vr9 type vrf table 0",
  // Without the kind's words iproute2 sends only the kind, and the kernel answers for it (see below).
  ...KINDS_WITHOUT_WORDS.map((kind, i) => `link add nw${i} type ${kind}`),
];

/** `ip link set … type KIND …` for the kinds the kernel changes in place (and port settings). */
const SET_COMMANDS = [
  "link set p1 type bridge_slave state 3 priority 3 cost 7 hairpin on guard on root_block on fastleave on " +
  "learning off flood off mcast_flood off",
  "link set p1 type bond_slave queue_id 2",
  "link set br0 type bridge ageing_time 1000 stp_state 1 vlan_filtering 1",
  // the kind alone, without words; a veth peer named on a change (the kernel refuses: veth changes nothing)
  "link set p0 type veth",
  "link set p1 type bridge_slave",
  "link set p0 type veth peer name p2 mtu 1400",
  "link set p0 type veth peer dev p2 name p9 up",
];

/** The new device's name in an `ip link add` command. */
function newName(command: string): string {
  const words = command.split(" ");
  const i = words.indexOf("name");
  return i >= 0 ? words[i + 1] : words[2];
}

if (!HAVE_NLCAPTURE) {
  Deno.test({ name: "ip link add|set type KIND: request bytes [skipped: no nlcapture]", ignore: true, fn() {} });
} else {
  await kernelTest("ip link add|set type KIND: request bytes match iproute2", { needs: ["veth", "bridge"] }, async (
    _conn,
    ns,
  ) => {
    await ip(ns, "link add p0 type veth peer name p1");
    await ip(ns, "link add p2 type veth peer name p3");
    await ip(ns, "link add br0 type bridge");
    await ip(ns, "link set p1 master br0");
    // Every command runs; the differences are reported together.
    const failures: string[] = [];
    const add = async (command: string) => {
      const name = newName(command);
      // The kernel may have made it (a kind it has): take it away so that nlink's run sees the same state.
      const between = async () => {
        await new Deno.Command("ip", { args: ["-n", ns, "link", "del", name], stderr: "null" }).output();
      };
      await sameRequest(ns, command, { between }).catch((e) => failures.push(e.message));
    };
    // Three at a time: each command has its own device names, and capturing is mostly waiting for Deno to start.
    for (let i = 0; i < ADD_COMMANDS.length; i += 3) await Promise.all(ADD_COMMANDS.slice(i, i + 3).map(add));
    for (const command of SET_COMMANDS) await sameRequest(ns, command).catch((e) => failures.push(e.message));
    assert.deepEqual(failures, []);
  });
}

await kernelTest(
  "ip link add … type KIND without its words, or with values the kernel refuses: its answer, as iproute2's",
  { needs: ["veth"] },
  async (_conn, ns) => {
    await ip(ns, "link add p0 type veth peer name p1");
    const failures: string[] = [];
    for (
      const command of [
        ...KINDS_WITHOUT_WORDS.map((kind) => `link add x0 link p0 type ${kind}`),
        "link add x0 type hsr slave1 p0",
        ...KERNEL_REFUSES,
      ]
    ) {
      // Where the kernel lacks the kind both print "Unknown device type"; where it has it, its extended ack.
      const outcome = async (run: typeof iproute2) => {
        const r = await run(["-n", ns, ...command.split(" ")]);
        await new Deno.Command("ip", { args: ["-n", ns, "link", "del", "x0"], stderr: "null" }).output();
        return r;
      };
      const theirs = await outcome(iproute2);
      const mine = await outcome(nlink);
      if (mine.code !== theirs.code || mine.stderr !== theirs.stderr || mine.stdout !== theirs.stdout) {
        failures.push(
          `${command}: iproute2 ${theirs.code} ${JSON.stringify(theirs.stderr)}, nlink ${mine.code} ${
            JSON.stringify(mine.stderr)
          }`,
        );
      }
    }
    assert.deepEqual(failures, []);
  },
);
