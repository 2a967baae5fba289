/**
 * Every message of a change that names devices, against iproute2's
 * (nlcapture --all), not only the change itself: how each tool finds the
 * devices a command names. `ip` asks for each name as it reads it
 * (ll_name_to_index: one RTM_GETLINK by name, no dump), and asks nothing for
 * a command without one; `ip neigh`, `tc` and `bridge` read the link table
 * first (ll_init_map's dump) and look names up in it; `tc actions` reads it
 * only for an action that names a device.
 *
 * `ip link`'s commands are compared without the empty RTM_NEWLINK iproute2
 * sends first, to probe for kernels older than 2.6.22, which nlink does not
 * send.
 */
import { ip, iproute2 } from "./_run.ts";
import { captureTest, sameRequest, sameRequestMasked } from "./_capture.ts";
import { vethLab } from "./_setup.ts";

const NEEDS = { needs: ["veth", "bridge"] };

/**
 * Runs `undo` (iproute2, in `ns`) after each tool's run, so that both change
 * the same state (a change this kernel refuses has nothing to undo).
 */
async function same(ns: string, command: string, undo: string, tool: "ip" | "tc" | "bridge" = "ip"): Promise<void> {
  const again = () => iproute2(["-n", ns, ...undo.split(" ")], tool).then(() => {});
  await sameRequest(ns, command, { tool, all: true, between: again });
  await again();
}

await captureTest("ip: the devices a change names are looked up as iproute2 looks them up", NEEDS, async (ns) => {
  await vethLab(ns, ["10.0.0.1/24 dev p0", "10.1.0.1/24 dev p1"]);
  await same(ns, "route add 10.8.0.0/16 dev p0", "route del 10.8.0.0/16");
  await same(ns, "route add 10.8.0.0/16 via 10.0.0.2", "route del 10.8.0.0/16");
  await same(ns, "route del 10.1.0.0/24 dev p1", "route add 10.1.0.0/24 dev p1 proto kernel scope link src 10.1.0.1");
  await same(
    ns,
    "route add 10.8.0.0/16 nexthop via 10.0.0.2 dev p0 nexthop via 10.1.0.2 dev p1",
    "route del 10.8.0.0/16",
  );
  // `vrf NAME` is read with ipvrf_get_table's own request (no device "default": the main table).
  await same(ns, "route add 10.8.0.0/16 dev p0 vrf default", "route del 10.8.0.0/16");
  await same(ns, "-4 route add 10.8.0.0/16 vrf default dev p0", "route del 10.8.0.0/16");
  await same(ns, "route add 10.8.0.0/16 dev p0 vrf p0", "route del 10.8.0.0/16"); // not a VRF: refused
  // A seg6local iif/oif is looked up as it is read, before the route's dev; the first missing name ends the command.
  // (iproute2 builds encapsulations in uninitialized memory: padding is not compared.)
  const seg6local = "encap seg6local action End.DX6 nh6 fc00::2";
  for (
    const route of [
      `fc00::1/128 ${seg6local} oif p1 dev p0`,
      `fc00::1/128 dev p0 ${seg6local} oif p1`,
      `fc00::1/128 ${seg6local} oif nosuch dev p0`,
      `fc00::1/128 ${seg6local} oif p1 dev nosuch`,
      `fc00::3/128 nexthop ${seg6local} oif nosuch dev p0`,
      `fc00::3/128 nexthop dev nosuch ${seg6local} oif p1`,
    ]
  ) await sameRequestMasked(ns, `-6 route add ${route}`, true);
  for (
    const nexthop of [
      `id 1 ${seg6local} oif p1 dev p0`,
      `id 1 dev p0 ${seg6local} oif p1`,
      `id 1 ${seg6local} oif nosuch dev p0`,
      `id 1 dev nosuch ${seg6local} oif p1`,
    ]
  ) await sameRequestMasked(ns, `-6 nexthop add ${nexthop}`, true);
  await same(ns, "address add 10.0.5.1/24 dev p0", "address del 10.0.5.1/24 dev p0");
  await same(ns, "nexthop add id 5 dev p0", "nexthop del id 5");
  await same(
    ns,
    "-6 addrlabel add prefix 2001:db8::/32 dev p0 label 5",
    "-6 addrlabel del prefix 2001:db8::/32 dev p0 label 5",
  );
  await same(
    ns,
    "neigh add 10.0.0.33 lladdr 02:00:00:00:00:01 dev p0",
    "neigh del 10.0.0.33 dev p0",
  );
});

await captureTest("tc and bridge: the link table first, as iproute2's", NEEDS, async (ns) => {
  await vethLab(ns);
  await ip(ns, "link add br0 type bridge");
  await ip(ns, "link set p1 master br0");
  await same(ns, "qdisc add dev p0 root handle 1: htb default 10", "qdisc del dev p0 root", "tc");
  await ip(ns, "qdisc add dev p0 root handle 1: htb default 10", "tc");
  await same(ns, "class add dev p0 parent 1: classid 1:10 htb rate 1mbit", "class del dev p0 classid 1:10", "tc");
  await same(
    ns,
    "filter add dev p0 parent 1: protocol ip prio 2 u32 match ip dst 10.0.0.0/8 action mirred egress redirect dev p1",
    "filter del dev p0 parent 1: prio 2",
    "tc",
  );
  await same(ns, "actions add action mirred egress redirect dev p1 index 8", "actions del action mirred index 8", "tc");
  await same(ns, "actions add action drop index 7", "actions del action gact index 7", "tc"); // no gact here: refused
  await same(ns, "fdb add 02:00:00:00:00:0a dev p1 master", "fdb del 02:00:00:00:00:0a dev p1 master", "bridge");
  await same(ns, "vlan add dev p1 vid 10", "vlan del dev p1 vid 10", "bridge");
});

/** `ip link COMMAND` by both tools (iproute2's probe left out), `undo` after each. */
async function sameLink(ns: string, command: string, undo: string): Promise<void> {
  const again = () => iproute2(["-n", ns, ...undo.split(" ")]).then(() => {});
  await sameRequest(ns, command, { all: true, linkProbe: true, between: again });
  await again();
}

await captureTest("ip link: devices looked up and attributes in word order, as iproute2's", NEEDS, async (ns) => {
  await vethLab(ns);
  await ip(ns, "link add br0 type bridge");
  await sameLink(ns, "link set dev p0 mtu 1400", "link set dev p0 mtu 1500");
  await sameLink(ns, "link set p1 master br0", "link set p1 nomaster");
  await sameLink(ns, "link add v9 type veth peer name v10", "link del v9");
  await sameLink(ns, "link add link p0 name mv0 type macvlan mode bridge", "link del mv0");
  await sameLink(ns, "link add vx0 type vxlan id 5 dev p0 dstport 4789", "link del vx0");
  await sameLink(ns, "link del nosuch", "link set dev p0 up"); // (a re-made device would have another index)
  await sameLink(ns, "link set dev nosuch up", "link set dev p0 up");
  await sameLink(ns, "link property add dev p0 altname p0-alt", "link property del dev p0 altname p0-alt");
  // iproute2 adds each attribute at its word: the same settings in two orders give two requests.
  await sameLink(ns, "link set dev p0 mtu 1400 txqueuelen 50", "link set dev p0 mtu 1500 txqueuelen 1000");
  await sameLink(ns, "link set dev p0 txqueuelen 50 alias x mtu 1400", "link set dev p0 mtu 1500 txqueuelen 1000");
  await sameLink(ns, "link add v9 mtu 1400 txqueuelen 5 type veth peer name v10 txqueuelen 4 mtu 1300", "link del v9");
  await sameLink(ns, "link add v9 carrier off address 02:00:00:00:00:09 mtu 1400 type veth", "link del v9");
});
