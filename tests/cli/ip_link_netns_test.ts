/**
 * `ip link set|add … netns NAME|PID` (with `index`, and a veth peer's `netns`), `link-netns`/`link-netnsid`
 * and `carrier on|off` against iproute2: request bytes, where the links end up (listed by both tools in both
 * namespaces), and errors with their exit codes.
 *
 * A `netns PID` is only ever sent with a pid that does not exist: a real one (1) would move the link into the
 * host's namespace.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { captureTest, sameRequest } from "./_capture.ts";
import { ip, ours, retried, sameError, sameText } from "./_run.ts";
import { kernelTestUnless, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };
/** A pid no process has (above the kernel's pid_max limit of 2^22). */
const NO_PID = "4194305";

/** Why a tap (a device whose carrier user space may drop) cannot be made here, if it cannot. */
const NO_TUN: string | undefined = await Deno.stat("/dev/net/tun").then(() => undefined, () => "no /dev/net/tun");

async function oursOk(ns: string, command: string): Promise<void> {
  const r = await ours(ns, command);
  assert.equal(r.code, 0, `ip -n ${ns} ${command}: ${r.stderr}`);
}

await kernelTest("ip link set netns: a veth end moves to a named namespace and back", NEEDS, async (_conn, ns) => {
  await ip(ns, "link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02");
  await withOtherNetns("I-other", async (other) => {
    await oursOk(ns, `link set v0 netns ${other}`);
    // iproute2 names a peer's namespace by asking for every named namespace's id: one that another test deletes
    // meanwhile makes it print the kernel's complaint, so listings are compared again until they agree.
    await retried(() => sameText(other, ["link", "show", "v0"]));
    await retried(() => sameText(ns, ["link", "show"]));
    assert.match(await ip(ns, "link show v1"), new RegExp(`link-netns ${other}`));
    // Back by path, given an index of its own there.
    await oursOk(other, `link set dev v0 netns /run/netns/${ns} index 77`);
    assert.match(await ip(ns, "link show v0"), /^77: v0@v1:/);
    await retried(() => sameText(ns, ["link", "show"]));
    await retried(() => sameText(other, ["link", "show"]));
  });
});

await kernelTest("ip link add netns: the link and a veth peer created in another namespace", NEEDS, async (_c, ns) => {
  await withOtherNetns("I-other", async (other) => {
    await oursOk(ns, `link add a0 index 30 netns ${other} type veth peer name a1`);
    await oursOk(ns, `link add b0 type veth peer name b1 netns ${other}`);
    assert.match(await ip(other, "link show a0"), /^30: a0@if\d+:/);
    assert.match(await ip(other, "link show b1"), /b1@if\d+:/);
    await retried(() => sameText(ns, ["link", "show"]));
    await retried(() => sameText(other, ["link", "show"]));
    await retried(() => sameText(other, ["-d", "link", "show", "b1"]));
  });
});

await kernelTest("ip link netns, link-netns, carrier: errors as iproute2's", NEEDS, async (_conn, ns) => {
  await ip(ns, "link add v0 type veth peer name v1");
  await withOtherNetns("I-other", async (other) => {
    for (
      const c of [
        "link set v0 netns I-no-such-netns",
        `link set v0 netns ${other} netns ${other}`,
        `link set v0 netns ${NO_PID}`,
        "link set v0 index 50",
        "link set nosuch netns 4194305",
        "link set v0 carrier maybe",
        "link set v0 carrier on", // veth: EOPNOTSUPP
        "link set v0 link-netnsid x",
        "link set v0 link-netnsid 5",
        "link set v0 link-netns I-no-such-netns",
        `link set v0 link-netns ${other} link-netnsid 1`,
      ]
    ) await sameError(ns, c);
  });
});

await captureTest("ip link set netns/carrier/link-netnsid/index: request bytes", NEEDS, async (ns) => {
  await ip(ns, "link add v0 type veth peer name v1");
  await sameRequest(ns, `link set v0 netns ${NO_PID} carrier on index 7`);
  await sameRequest(ns, `link set v0 mtu 1400 netns ${NO_PID}`);
  await sameRequest(ns, "link set v0 carrier off");
  await sameRequest(ns, "link set v0 link-netnsid 3");
  await sameRequest(ns, `link add c0 netns ${NO_PID} type veth peer name c1`);
  await sameRequest(ns, `link add d0 type veth peer name d1 netns ${NO_PID}`);
});

await kernelTestUnless(NO_TUN, "ip link set carrier: a tap loses its carrier", NEEDS, async (ns) => {
  await ip(ns, "tuntap add t0 mode tap");
  await ip(ns, "link set t0 up");
  await oursOk(ns, "link set t0 carrier off");
  assert.match(await ip(ns, "link show t0"), /NO-CARRIER/);
  await sameText(ns, ["link", "show", "t0"]);
  await sameError(ns, "link set t0 carrier on"); // a tap nobody has open: EPERM
});
