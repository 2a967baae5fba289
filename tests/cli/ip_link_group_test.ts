/**
 * `ip link set group G …` and `ip link del group G` (a device group selected
 * by number, no device named) against iproute2: every request message (but
 * iproute2's leading probe, see device_lookup_request_test.ts), the links
 * they leave, and the errors.
 */
import assert from "node:assert/strict";
import { capture, captureTest, withoutLinkProbe } from "./_capture.ts";
import { assertSameResult, ip, iproute2, nlink, OUR_CLI, sameError } from "./_run.ts";
import { vethLab } from "./_setup.ts";

const NEEDS = { needs: ["veth", "bridge"] };

/** The group's links as `ip -o link show group G` prints them, their addresses left out (veth MACs are random). */
async function members(ns: string, group: number): Promise<string> {
  const text = await ip(ns, `-o link show group ${group}`);
  return text.replace(/link\/ether \S+ brd \S+/g, "link/ether <mac>");
}

/**
 * Runs `command` with iproute2 then (after `reset`) with nlink: the same
 * messages, output and exit code, and the same links left in `group`.
 */
async function sameGroupChange(
  ns: string,
  command: string,
  reset: () => Promise<void>,
  group: number,
): Promise<void> {
  const words = command.split(" ");
  await reset();
  const theirs = withoutLinkProbe(await capture(ns, ["ip", ...words], true), command);
  const theirsLeft = await members(ns, group);
  await reset();
  const theirsResult = await iproute2(["-n", ns, ...words]);
  await reset();
  const mine = await capture(ns, [...OUR_CLI, "ip", ...words], true);
  assert.deepEqual(mine, theirs, `ip ${command}: request bytes differ`);
  await reset();
  assertSameResult(await nlink(["-n", ns, ...words]), theirsResult, `ip ${command}`);
  assert.equal(await members(ns, group), theirsLeft, `ip ${command}: the group's links differ`);
}

await captureTest("ip link set|del group: iproute2's requests and outcome", NEEDS, async (ns) => {
  await vethLab(ns);
  await ip(ns, "link add br0 type bridge");
  const group5 = async () => {
    for (const dev of ["p0", "p1"]) await ip(ns, `link set dev ${dev} group 5 mtu 1500 up nomaster`);
  };
  await sameGroupChange(ns, "link set group 5 mtu 1400", group5, 5);
  await sameGroupChange(ns, "link set group 5 down", group5, 5);
  await sameGroupChange(ns, "link set group 5 master br0", group5, 5);
  await sameGroupChange(ns, "link set group 5 mtu 1400 txqueuelen 50", group5, 5);
  await sameGroupChange(ns, "link set group 7 up", group5, 7); // an empty group: nothing to change
  const group9 = async () => {
    await iproute2(["-n", ns, "link", "del", "d1"]);
    await ip(ns, "link add d1 group 9 type veth peer name d2 group 9");
  };
  await sameGroupChange(ns, "link del group 9", group9, 9);
  await sameError(ns, "link set group 5 type veth foo");
  await sameError(ns, "link add group 5 type veth");
  await sameError(ns, "link set group x up");
});
