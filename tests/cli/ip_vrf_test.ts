/**
 * `ip vrf` against iproute2. This host has no vrf kind, so VRF listings are
 * compared with none configured (the header and "No VRF has been configured")
 * and the per-VRF paths through their errors; when the kind is present, a
 * listing with two VRFs is compared too. `identify` is compared on a process
 * put into a `…/vrf/NAME` cgroup v2 group by hand. `exec` and `pids` have
 * their argument errors compared here; `exec` itself is compared in
 * ip_vrf_exec_test.ts.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip, iproute2, nlink, sameError, sameJson, sameText } from "./_run.ts";
import { captureTest, sameRequest } from "./_capture.ts";

await kernelTest("ip vrf show: no VRF configured, as iproute2", { needs: ["veth"] }, async (_conn, ns) => {
  await ip(ns, "link add p0 type veth peer name p1");
  await sameText(ns, ["vrf"]);
  await sameText(ns, ["vrf", "show"]);
  await sameJson(ns, ["-j", "vrf", "show"]);
  await sameText(ns, ["vrf", "show", "default"]);
  for (
    const cmd of [
      "vrf show p0",
      "vrf show nope",
      "vrf show a b",
      "vrf frob",
      "vrf help",
      "vrf identify 1 2",
      "vrf identify x",
      "vrf pids",
      "vrf pids p0",
      "vrf exec",
      "vrf exec p0",
      "vrf exec p0 true",
    ]
  ) await sameError(ns, cmd);
});

await kernelTest("ip vrf show: VRF devices and their tables", { needs: ["vrf"] }, async (_conn, ns) => {
  await ip(ns, "link add blue type vrf table 10");
  await ip(ns, "link add red type vrf table 2000");
  await sameText(ns, ["vrf", "show"]);
  await sameJson(ns, ["-j", "vrf", "show"]);
  await sameText(ns, ["vrf", "show", "red"]);
});

await kernelTest(
  "ip route show vrf NAME: the VRF's table, as iproute2",
  { needs: ["vrf", "veth"] },
  async (_c, ns) => {
    await ip(ns, "link add blue type vrf table 10");
    await ip(ns, "link add p0 type veth peer name p1");
    await ip(ns, "link set p0 master blue");
    for (const dev of ["blue", "p0", "p1"]) await ip(ns, `link set ${dev} up`);
    await ip(ns, "address add 10.5.0.1/24 dev p0");
    await ip(ns, "route add 10.6.0.0/16 via 10.5.0.2 vrf blue");
    await ip(ns, "route add 10.7.0.0/16 via 10.5.0.2 vrf blue proto static");
    await ip(ns, "-6 route add 2001:db8:6::/48 dev p0 vrf blue");
    await ip(ns, "route add blackhole 10.9.0.0/16"); // in main
    for (
      const args of [
        ["route", "show", "vrf", "blue"], // local and broadcast routes of the table left out
        ["route", "show", "table", "10"],
        ["-6", "route", "show", "vrf", "blue"],
        ["route", "show", "table", "all", "vrf", "blue"],
        ["route", "show", "vrf", "blue", "table", "main"], // the later `table` word wins
        ["route", "show", "vrf", "blue", "proto", "static"],
        ["-j", "route", "show", "vrf", "blue"],
      ]
    ) await sameText(ns, args);
    await sameError(ns, "route show vrf p0");
  },
);

await captureTest("ip route add … vrf NAME: every message as iproute2's", { needs: ["vrf", "veth"] }, async (ns) => {
  await ip(ns, "link add blue type vrf table 10");
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link set p0 master blue");
  for (const dev of ["blue", "p0", "p1"]) await ip(ns, `link set ${dev} up`);
  await ip(ns, "address add 10.5.0.1/24 dev p0");
  // The VRF's table is read with ipvrf_get_table's request (the command's family, IFLA_IFNAME alone).
  for (const c of ["route add 10.66.0.0/16 dev p0 vrf blue", "-4 route add 10.66.0.0/16 vrf blue via 10.5.0.2"]) {
    await sameRequest(ns, c, { all: true, between: () => ip(ns, "route del 10.66.0.0/16 vrf blue").then(() => {}) });
    await ip(ns, "route del 10.66.0.0/16 vrf blue");
  }
});

const CGROUP2 = (() => {
  try {
    const line = Deno.readTextFileSync("/proc/mounts").split("\n").find((l) => l.split(" ")[2] === "cgroup2");
    return line?.split(" ")[1];
  } catch {
    return undefined;
  }
})();

Deno.test({
  name: "ip vrf identify: a process in a vrf cgroup" + (CGROUP2 ? "" : " [skipped: no cgroup v2 mount]"),
  ignore: CGROUP2 === undefined,
  async fn() {
    const dir = `${CGROUP2}/nlink-test-${Deno.pid}`;
    const group = `${dir}/vrf/blue`;
    Deno.mkdirSync(group, { recursive: true });
    const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
    try {
      Deno.writeTextFileSync(`${group}/cgroup.procs`, String(sleeper.pid));
      const args = ["vrf", "identify", String(sleeper.pid)];
      const [theirs, mine] = await Promise.all([iproute2(args), nlink(args)]);
      assert.equal(theirs.stdout, "blue\n");
      assert.deepEqual(mine, theirs);
      const self = await nlink(["vrf", "identify"]);
      assert.deepEqual(self, { code: 0, stdout: "", stderr: "" });
    } finally {
      sleeper.kill();
      await sleeper.status;
      Deno.removeSync(group);
      Deno.removeSync(`${dir}/vrf`);
      Deno.removeSync(dir);
    }
  },
});
