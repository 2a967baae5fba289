/**
 * `bridge link` against iproute2: ports of a bridge (veth pairs, one with its
 * peer down, one with every port flag changed) listed in text and JSON, with
 * and without `-d`; request bytes of every `set` form; errors.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { captureTest, sameRequest } from "./_capture.ts";
import { ip, ours, sameError, sameJson, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth", "bridge"] };

/** br0 with ports p0 (peer p1 up), p2 (peer p3 down) and settings changed on p2. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link add br0 type bridge");
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link add p2 type veth peer name p3");
  await ip(ns, "link set p0 master br0");
  await ip(ns, "link set p2 master br0");
  for (const dev of ["br0", "p0", "p1", "p2"]) await ip(ns, `link set ${dev} up`);
  await ip(
    ns,
    "link set dev p2 cost 7 priority 5 guard on hairpin on fastleave on root_block on learning off flood off " +
      "mcast_flood off bcast_flood off mcast_router 2 mcast_to_unicast on neigh_suppress on isolated on",
    "bridge",
  );
  await ip(ns, "link set dev p0 backup_port p2", "bridge");
}

await kernelTest("bridge link: listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["link"],
      ["link", "show"],
      ["l", "l"],
      ["link", "show", "dev", "p2"],
      ["-d", "link"],
      ["-d", "-o", "link"],
      ["-s", "-d", "link", "show", "dev", "p0"],
      ["-j", "link"],
      ["-j", "-d", "link"],
      ["-j", "-p", "-d", "link"],
    ]
  ) await sameText(ns, args, "bridge");
  await sameJson(ns, ["-j", "-d", "link", "show", "dev", "p0"], "bridge");
});

await kernelTest("bridge link: errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const cmd of [
      "link show dev nope",
      "link show dev p0 dev p2",
      "link set",
      "link set dev nope learning on",
      "link set dev p0 learning maybe",
      "link set dev p0 bogus",
      "link set dev p0 state bogus",
      "link set dev p0 hwmode bogus",
      "link set dev p0 backup_port nope",
      "link help",
      "link bogus",
      "link set dev p0 cost",
    ]
  ) await sameError(ns, cmd, "bridge");
  // Out-of-range values the kernel would refuse are refused by the library before anything is sent: same exit code.
  const r = await ours(ns, "link set dev p0 priority 99", "bridge");
  assert.equal(r.code, 255);
  assert.match(r.stderr, /^Error: invalid priority: 99/);
});

await captureTest("bridge link set: iproute2's request bytes for every form", NEEDS, async (ns) => {
  await lab(ns);
  for (
    const cmd of [
      "link set dev p0 cost 5 priority 3 state 2 guard on hairpin off fastleave on root_block off learning off " +
      "learning_sync off flood off mcast_router 2 mcast_flood off bcast_flood on mcast_to_unicast on " +
      "neigh_suppress on vlan_tunnel off isolated on locked off backup_port p2",
      "link set dev p0 nobackup_port",
      "link set dev p0 state blocking master",
      "link set dev p0 state forwarding",
      "link set dev p0 hwmode veb",
      "link set dev p0 master hwmode vepa self",
      "link set dev p0",
      "link set dev p0 learning o isolated of",
      "link change dev p2 flood on self",
    ]
  ) await sameRequest(ns, cmd, { tool: "bridge" });
});
