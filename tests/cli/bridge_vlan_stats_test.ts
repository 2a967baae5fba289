/**
 * `bridge -s vlan show` (per-VLAN counters from RTM_GETSTATS) against iproute2:
 * request bytes, text and JSON, the `dev` and `vid` filters, and errors.
 *
 * Bridges have VLANs only with CONFIG_BRIDGE_VLAN_FILTERING (the harness's
 * `bridge-vlan-filtering`): where the kernel lacks it the listing test skips
 * and says so, and the (VLAN-less) answer of such a kernel is compared instead.
 */
import { kernelTest } from "../_lib/netns.ts";
import { captureTest, sameRequest } from "./_capture.ts";
import { ip, sameError, sameJson, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth", "bridge"] };
const FILTERING = { needs: ["veth", "bridge", "bridge-vlan-filtering"] };

/** br0 with ports p0 and p2 (peers p1, p3), all up; `filtering`: VLAN filtering and per-VLAN counters on. */
async function lab(ns: string, filtering: boolean): Promise<void> {
  const options = filtering ? " vlan_filtering 1 vlan_stats_enabled 1" : "";
  await ip(ns, `link add br0 address 02:00:00:00:01:00 type bridge${options}`);
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link add p2 type veth peer name p3");
  // No IPv6 addresses: nothing is sent on its own, so the counters hold still between the two tools' runs.
  for (const dev of ["br0", "p0", "p1", "p2", "p3"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 master br0");
  await ip(ns, "link set p2 master br0");
  for (const dev of ["br0", "p0", "p1", "p2", "p3"]) await ip(ns, `link set ${dev} up`);
}

await captureTest("bridge -s vlan show: iproute2's statistics dump request", NEEDS, async (ns) => {
  await lab(ns, false);
  await sameRequest(ns, "-s vlan show", { tool: "bridge" });
  await sameRequest(ns, "-s vlan show dev p0 vid 1", { tool: "bridge" });
});

await kernelTest("bridge -s vlan show: a kernel without VLANs answers as iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns, false);
  for (
    const args of ["-s vlan show", "-s vlan", "-s -s vlan show dev p0", "-s vlan tunnelshow", "-s vlan show vid 1"]
  ) {
    await sameText(ns, args.split(" "), "bridge");
  }
  await sameJson(ns, ["-s", "-j", "vlan", "show"], "bridge");
  await sameError(ns, "-s vlan show dev nope", "bridge");
  await sameError(ns, "-s vlan show dev p0 dev p2", "bridge");
});

await kernelTest("bridge -s vlan show: per-VLAN counters match iproute2", FILTERING, async (_conn, ns) => {
  await lab(ns, true);
  for (
    const cmd of [
      "vlan add vid 10 dev p0",
      "vlan add vid 20 dev p0 pvid untagged",
      "vlan add vid 30-32 dev p2",
      "vlan add vid 10 dev br0 self",
    ]
  ) await ip(ns, cmd, "bridge");
  for (
    const args of [
      "-s vlan show",
      "-s -s vlan show",
      "-s vlan show dev p0",
      "-s vlan show dev br0",
      "-s vlan show vid 10",
      "-s vlan show vid 31",
      "-s -c vlan show",
      "-s vlan tunnelshow",
    ]
  ) await sameText(ns, args.split(" "), "bridge");
  await sameJson(ns, ["-s", "-j", "vlan", "show"], "bridge");
  await sameJson(ns, ["-s", "-j", "-p", "vlan", "show", "dev", "p0"], "bridge");
});
