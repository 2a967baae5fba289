/**
 * `bridge vlan` against iproute2: request bytes of add/del (ranges, pvid,
 * untagged, self/master, tunnel mappings), `set` and `global set`, which
 * are captured whatever the kernel supports; listings and errors.
 *
 * Listings of real VLANs need CONFIG_BRIDGE_VLAN_FILTERING (the harness's
 * `bridge-vlan-filtering`): where the kernel lacks it those tests skip and
 * say so, and what such a kernel answers (no VLANs, EOPNOTSUPP) is compared instead.
 */
import { kernelTest, probeFeature } from "../_lib/netns.ts";
import { captureTest, sameRequest } from "./_capture.ts";
import { ip, sameError, sameJson, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth", "bridge", "vxlan"] };
const FILTERING = { needs: ["veth", "bridge", "vxlan", "bridge-vlan-filtering"] };

/** br0 with ports p0, p2 and a VXLAN port vx0 (vlan_tunnel on), all up; `filtering`: VLAN filtering on. */
async function lab(ns: string, filtering: boolean): Promise<void> {
  await ip(ns, `link add br0 type bridge${filtering ? " vlan_filtering 1" : ""}`);
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link add p2 type veth peer name p3");
  await ip(ns, "link add vx0 type vxlan dstport 4789 local 10.0.0.1 external");
  for (const dev of ["p0", "p2", "vx0"]) await ip(ns, `link set ${dev} master br0`);
  for (const dev of ["br0", "p0", "p1", "p2", "p3", "vx0"]) await ip(ns, `link set ${dev} up`);
  await ip(ns, "link set dev vx0 vlan_tunnel on", "bridge");
}

await captureTest("bridge vlan add/del/set/global set: iproute2's request bytes", NEEDS, async (ns) => {
  await lab(ns, false);
  for (
    const cmd of [
      "vlan add vid 10 dev p0",
      "vlan add vid 20 dev p0 pvid untagged master",
      "vlan add vid 100-200 dev p0 untagged",
      "vlan del vid 100-200 dev p0",
      "vlan add vid 30 dev br0 self",
      "vlan add vid 40 dev vx0 tunnel_info id 4000",
      "vlan add vid 50-52 dev vx0 tunnel_info id 5000-5002",
      "vlan del vid 40 dev vx0 tunnel_info id 4000",
      "vlan del vid 10 dev p0 master self",
      "vlan a vid 11 dev p2 untagged",
      "vlan d vid 11 dev p2",
      "vlan set vid 10 dev p0 state blocking mcast_router 2",
      "vlan set dev p0 vid 10-20 state 3",
      "vlan global set vid 10 dev br0 mcast_snooping 1 mcast_querier 0 mcast_igmp_version 3 mcast_mld_version 2 " +
      "mcast_last_member_count 3 mcast_last_member_interval 100 mcast_startup_query_count 4 " +
      "mcast_startup_query_interval 600 mcast_membership_interval 200 mcast_querier_interval 300 " +
      "mcast_query_interval 400 mcast_query_response_interval 500",
      "vlan global set dev br0 vid 5-9 mcast_snooping 0",
    ]
  ) await sameRequest(ns, cmd, { tool: "bridge" });
});

await kernelTest("bridge vlan: usage and lookup errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns, false);
  for (
    const cmd of [
      "vlan add vid 10",
      "vlan add dev p0",
      "vlan add vid 10 dev nope",
      "vlan add vid 5000 dev p0",
      "vlan add vid 10-5 dev p0",
      "vlan add vid 10-5000 dev p0",
      "vlan add vid 10-20 dev p0 pvid",
      "vlan add vid 10 dev vx0 tunnel_info foo",
      "vlan add vid 10 dev vx0 tunnel_info id x",
      "vlan add vid 10 dev vx0 tunnel_info id 0x1000000",
      "vlan set vid 10 dev nope",
      "vlan set vid 10 dev p0 state bogus",
      "vlan set vid 10 dev p0 mcast_router 256",
      "vlan set vid 10-5 dev p0",
      // ids the tag holds but the kernel refuses: sent, as bridge sends them
      "vlan add vid 4095 dev p0",
      "vlan add vid 0 dev p0",
      "vlan add vid 10-4095 dev p0",
      "vlan add vid 4096 dev p0",
      "vlan add vid 10-4096 dev p0",
      "vlan set dev p0",
      "vlan global set dev br0 vid 10 mcast_snooping x",
      "vlan global set dev br0 vid 10 mcast_query_interval -",
      "vlan global set vid 10",
      "vlan show dev nope",
      "vlan show dev p0 dev p2",
      "vlan help",
      "vlan bogus",
      "vlan global bogus",
    ]
  ) await sameError(ns, cmd, "bridge");
  if (await probeFeature("bridge-vlan-filtering")) {
    // This kernel refuses VLAN changes and the VLAN database: the same errors.
    for (const cmd of ["vlan add vid 10 dev p0", "-d vlan show", "-j -d vlan show", "vlan global show"]) {
      await sameError(ns, cmd, "bridge");
    }
  }
});

await kernelTest("bridge vlan: listings of a bridge without VLAN filtering match iproute2", NEEDS, async (_c, ns) => {
  await lab(ns, false);
  for (
    const args of [
      ["vlan"],
      ["vlan", "show"],
      ["v", "l"],
      ["-com", "vlan", "show"],
      ["vlan", "tunnelshow"],
      ["-j", "vlan"],
      ["-j", "-p", "vlan", "tunnelshow"],
    ]
  ) await sameText(ns, args, "bridge");
});

await kernelTest("bridge vlan: listings match iproute2", FILTERING, async (_conn, ns) => {
  await lab(ns, true);
  for (
    const cmd of [
      "vlan add vid 10 dev p0",
      "vlan add vid 20 dev p0 pvid untagged",
      "vlan add vid 100-200 dev p0",
      "vlan add vid 300-310 dev p2 untagged",
      "vlan add vid 30 dev br0 self",
      "vlan add vid 40 dev vx0",
      "vlan add vid 40 dev vx0 tunnel_info id 4000",
      "vlan add vid 50-52 dev vx0",
      "vlan add vid 50-52 dev vx0 tunnel_info id 5000-5002",
      "vlan set vid 10 dev p0 state blocking",
    ]
  ) await ip(ns, cmd, "bridge");
  for (
    const args of [
      ["vlan"],
      ["vlan", "show", "dev", "p0"],
      ["vlan", "show", "vid", "150"],
      ["-com", "vlan", "show"],
      ["-com", "vlan", "show", "vid", "150"],
      ["vlan", "tunnelshow"],
      ["vlan", "tunnelshow", "vid", "51"],
      ["-d", "vlan", "show"],
      ["-d", "-s", "vlan", "show"],
      ["vlan", "global", "show"],
      ["-j", "vlan"],
      ["-j", "-com", "vlan"],
      ["-j", "-p", "vlan", "tunnelshow"],
      ["-j", "-d", "vlan", "show"],
      ["-j", "vlan", "global", "show"],
    ]
  ) await sameText(ns, args, "bridge");
  await sameJson(ns, ["-j", "-d", "-s", "vlan", "show", "dev", "p0"], "bridge");
});
