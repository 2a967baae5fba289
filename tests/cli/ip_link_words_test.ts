/**
 * `ip link set|add` words for link mode, operational state, protodown and its
 * reasons, GSO/GRO limits, IPv6 address generation, trailers and the parent
 * device, against iproute2: every message compared (changes this kernel takes
 * and ones it refuses), the state each leaves, and the errors of bad values;
 * protodown reasons shown, by the names of /etc/iproute2/protodown_reasons.d.
 */
import { captureTest, sameRequest } from "./_capture.ts";
import { iproute2, OUR_CLI, ours, sameError, sameText } from "./_run.ts";
import { kernelTest } from "../_lib/netns.ts";
import { vethLab } from "./_setup.ts";
import assert from "node:assert/strict";

const NEEDS = { needs: ["veth"] };

await captureTest("ip link words: every message as iproute2's", NEEDS, async (ns) => {
  await vethLab(ns);
  for (
    const cmd of [
      "link set p0 protodown on",
      "link set p0 protodown_reason 3 on",
      "link set p0 protodown_reason 3 of",
      "link set p0 gso_max_size 32000 gso_max_segs 100 gro_max_size 32000",
      "link set p0 addrgenmode random",
      "link set p0 addrgen NONE",
      "link set p0 mode dormant state up",
      "link set p0 state Down mode DEFAULT",
      "link set p0 trailers on",
      "link set p0 trailers off",
      "link set p0 mtu 1450 gso_max_segs 10 up",
      "link set p0 parentdev foo",
      "link set dev p0 address 02:00:00:00:00:09",
      "link add a9 mode dormant state up protodown off protodown_reason 2 on type veth peer name a8 mode dormant",
      "link add a9 gso_max_size 32000 addrgenmode none trailers off type veth peer name a8 state down",
      "link add a9 parentdev foo type veth peer name a8",
    ]
  ) {
    // a created link goes before the next run (the kernel refuses one whose parent device does not exist)
    const undo = cmd.startsWith("link add")
      ? async () => void await iproute2(["-n", ns, "link", "del", "a9"])
      : undefined;
    await sameRequest(ns, cmd, { all: true, linkProbe: true, between: undo });
    await undo?.();
  }
});

await kernelTest("ip link words: the state they leave, and bad values, as iproute2's", NEEDS, async (_c, ns) => {
  await vethLab(ns);
  for (const cmd of ["link set p0 mode dormant gso_max_size 32000 gro_max_size 30000 addrgenmode random"]) {
    const r = await ours(ns, cmd);
    assert.equal(r.code, 0, r.stderr);
  }
  await sameText(ns, ["-d", "link", "show", "dev", "p0"]);
  for (
    const cmd of [
      "link set dev p0 mode bogus",
      "link set dev p0 state bogus",
      "link set dev p0 addrgenmode bogus",
      "link set dev p0 protodown maybe",
      "link set dev p0 protodown_reason 40 on",
      "link set dev p0 protodown_reason x on",
      "link set dev p0 protodown_reason 3 maybe",
      "link set dev p0 gso_max_size x",
      "link set dev p0 gso_max_segs 70000",
      "link set dev p0 trailers maybe",
      "link set dev p0 mode",
    ]
  ) await sameError(ns, cmd);
});

await kernelTest(
  "ip link protodown reasons: named from protodown_reasons.d, set by name, shown as iproute2 6.1 shows them",
  { needs: ["vxlan"] },
  async (_c, ns) => {
    // `ip netns exec` mounts /etc/netns/NS/iproute2 over /etc/iproute2 for the command it runs.
    const etc = `/etc/netns/${ns}`;
    await Deno.mkdir(`${etc}/iproute2/protodown_reasons.d`, { recursive: true });
    try {
      await Deno.writeTextFile(`${etc}/iproute2/protodown_reasons.d/lab.conf`, "# reasons\n0 mlag\n5 evpn\n40 far\n");
      const run = async (argv: string[]) => {
        const out = await new Deno.Command("ip", {
          args: ["netns", "exec", ns, ...argv],
          env: { NO_COLOR: "1" },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = (b: Uint8Array) => new TextDecoder().decode(b);
        return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
      };
      const both = async (args: string) => {
        const theirs = await run(["ip", ...args.split(" ")]);
        const mine = await run([...OUR_CLI, "ip", ...args.split(" ")]);
        assert.deepEqual(mine, theirs, `ip ${args}`);
        return theirs;
      };
      await iproute2(["-n", ns, "link", "add", "vx0", "type", "vxlan", "id", "5", "dstport", "4789"]);
      await iproute2(["-n", ns, "link", "add", "vx1", "type", "vxlan", "id", "6", "dstport", "4790"]);
      for (const cmd of ["protodown_reason mlag on", "protodown_reason 0x2 on", "protodown_reason evpn on"]) {
        const r = await run([...OUR_CLI, "ip", "link", "set", "vx0", ...cmd.split(" ")]);
        assert.equal(r.code, 0, r.stderr);
      }
      // iproute2 6.1 reads the reasons as a u8: bit 10 is set in the kernel and not shown
      await iproute2(["-n", ns, "link", "set", "vx0", "protodown_reason", "10", "on", "protodown", "on"]);
      const shown = await both("link show");
      assert.match(shown.stdout, / protodown on protodown_reason <mlag,2,evpn>\n/);
      await both("-j link show");
      await both("-d link show dev vx0");
      for (const bad of ["far", "32", "mlag2"]) {
        const r = await both(`link set vx1 protodown_reason ${bad} on`);
        assert.equal(r.code, 255);
      }
    } finally {
      await Deno.remove(etc, { recursive: true });
    }
  },
);
