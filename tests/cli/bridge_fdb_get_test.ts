/**
 * `bridge fdb get` against iproute2: the RTM_GETNEIGH request bytes, the entry
 * printed in text and JSON (with and without `-s`), the `dynamic` filter, and
 * every error: argument errors (exit 255) and the kernel's refusals (exit 254).
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { captureTest, sameRequest } from "./_capture.ts";
import { ip, iproute2, nlink, retried, sameError, sameJson, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth", "bridge"] };

/** br0 with port p0 (peer p1), fixed addresses, and a static, a dynamic and a self entry. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link add br0 address 02:00:00:00:01:00 type bridge");
  await ip(ns, "link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02");
  for (const dev of ["br0", "p0", "p1"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 master br0");
  for (const dev of ["br0", "p0", "p1"]) await ip(ns, `link set ${dev} up`);
  await ip(ns, "fdb add 02:00:00:00:10:01 dev p0 master static", "bridge");
  // The kernel takes a dynamic entry only on a port that learns: p0 forwards once the kernel has seen its carrier,
  // which its link watcher reports later on a busy machine.
  for (let i = 0; i < 50 && !(await ip(ns, "link show dev p0", "bridge")).includes("state forwarding"); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await ip(ns, "fdb add 02:00:00:00:10:02 dev p0 master dynamic", "bridge");
  await ip(ns, "fdb add 02:00:00:00:10:03 dev p0 self", "bridge");
}

await captureTest("bridge fdb get: iproute2's request bytes", NEEDS, async (ns) => {
  await lab(ns);
  for (
    const cmd of [
      "fdb get 02:00:00:00:10:01 dev p0",
      "fdb get to 02:00:00:00:10:01 br br0",
      "fdb get 02:00:00:00:10:01 brport p0 vlan 10 master",
      "fdb get 02:00:00:00:10:03 dev p0 self vni 0x10",
      "fdb get 02:00:00:00:10:01 br br0 dev p0 self master dynamic",
    ]
  ) await sameRequest(ns, cmd, { tool: "bridge" });
});

await kernelTest("bridge fdb get: the entry in text and JSON matches iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  const found = [
    "02:00:00:00:10:01 dev p0",
    "to 02:00:00:00:10:01 br br0",
    "02:00:00:00:10:02 brport p0 master",
    "02:00:00:00:01:00 br br0",
    "02:00:00:00:10:01 dev p0 vlan 65535", // a short: -1 is not sent
    "02:00:00:00:10:01 dev p0 vni 5", // a bridge ignores the VNI
    "02:00:00:00:10:01 dev p0 dynamic", // the filter skips permanent entries only
  ];
  // `-s` shows `used`/`updated` in seconds: a comparison that straddled a second boundary is tried again.
  for (const args of found) {
    await sameText(ns, ["fdb", "get", ...args.split(" ")], "bridge");
    await retried(() => sameText(ns, ["-s", "fdb", "get", ...args.split(" ")], "bridge"));
    await sameJson(ns, ["-j", "fdb", "get", ...args.split(" ")], "bridge");
  }
  await retried(() => sameJson(ns, ["-j", "-s", "fdb", "get", "02:00:00:00:10:02", "dev", "p0"], "bridge"));
  await sameJson(ns, ["-j", "-p", "fdb", "get", "02:00:00:00:10:01", "dev", "p0"], "bridge");
});

await kernelTest("bridge fdb get: a permanent entry under `dynamic` prints nothing", NEEDS, async (_conn, ns) => {
  await lab(ns);
  // iproute2 prints no text (sameText refuses empty output), and an empty JSON list.
  const args = ["-n", ns, "fdb", "get", "02:00:00:00:00:01", "dev", "p0", "dynamic"];
  for (const extra of [[], ["-j"]]) {
    const [theirs, mine] = await Promise.all([
      iproute2([...extra, ...args], "bridge"),
      nlink([...extra, ...args], "bridge"),
    ]);
    assert.equal(theirs.code, 0, theirs.stderr);
    assert.deepEqual(mine, theirs);
  }
});

await kernelTest("bridge fdb get: errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const cmd of [
      // The kernel's answers: rtnl_talk fails and iproute2 exits with 254.
      "fdb get 02:00:00:00:99:99 dev p0",
      "fdb get 02:00:00:00:10:01 dev p0 vlan 10",
      "fdb get 02:00:00:00:10:01 br br0 dev p0",
      "fdb get 02:00:00:00:10:01 dev p1",
      "fdb get 02:00:00:00:10:03 dev p0 self",
      "fdb get 02:00:00:00:10:01 dev p0 vlan 0",
      "fdb get 02:00:00:00:10:01 dev p0 vlan 4095",
      "fdb get 02:00:00:00:10:01 dev p0 vlan abc",
      // Refused before anything is sent (exit 255).
      "fdb get dev p0",
      "fdb get 02:00:00:00:10:01",
      "fdb get zz dev p0",
      "fdb get 02:00:00:00:10:01 dev nope",
      "fdb get 02:00:00:00:10:01 br nope",
      "fdb get 02:00:00:00:10:01 dev p0 vlan 1 vlan 2",
      "fdb get 02:00:00:00:10:01 dev p0 vni 0x1000000",
      "fdb get 02:00:00:00:10:01 dev p0 vni -1",
      "fdb get 02:00:00:00:10:01 02:00:00:00:10:02 dev p0",
      "fdb get 02:00:00:00:10:01 dev",
      "fdb get 02:00:00:00:10:01 dev p0 help",
    ]
  ) await sameError(ns, cmd, "bridge");
});
