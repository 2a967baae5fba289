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
