/**
 * `ip link set|add` words for link mode, operational state, protodown and its
 * reasons, GSO/GRO limits, IPv6 address generation, trailers and the parent
 * device, against iproute2: every message compared (changes this kernel takes
 * and ones it refuses), the state each leaves, and the errors of bad values.
 */
import { captureTest, sameRequest } from "./_capture.ts";
import { iproute2, ours, sameError, sameText } from "./_run.ts";
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
