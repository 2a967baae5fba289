/**
 * `ip link add … carrier on|off` and `ip link add … xdp… PROG` against iproute2: the create request carries
 * IFLA_CARRIER and IFLA_XDP where iproute2 puts them (bytes compared with nlcapture; a pinned program's
 * descriptor number, which differs between processes, is masked), parse errors match, and the kernel state is
 * the same after both tools' runs. The kernel (6.18 here) creates the link without reading either attribute:
 * the carrier follows the peer as usual and no program is attached, for both tools alike.
 */
import assert from "node:assert/strict";
import { Bpffs, XDP_PASS, xdpPinUnavailable } from "../_lib/bpffs.ts";
import { capture, captureTest, sameRequest } from "./_capture.ts";
import { ip, OUR_CLI, ours, sameError } from "./_run.ts";
import { kernelTestUnless } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

const NO_BPF = await xdpPinUnavailable();

async function oursOk(ns: string, command: string): Promise<void> {
  const r = await ours(ns, command);
  assert.equal(r.code, 0, `ip -n ${ns} ${command}: ${r.stderr}`);
}

/** The words of `ip link show DEV` that do not change between two creations (no index, address or peer index). */
async function shape(ns: string, dev: string): Promise<string> {
  return (await ip(ns, `-d link show ${dev}`)).replace(/^\d+: /, "").replace(/link\/ether \S+/, "")
    .replace(/@\S+:/, ":");
}

await captureTest("ip link add carrier: request bytes match iproute2", NEEDS, async (ns) => {
  const del = (name: string) => async () => void await ip(ns, `link del ${name}`);
  for (
    const [command, name] of [
      ["link add c0 carrier off type veth peer name c1", "c0"],
      ["link add c0 carrier on type veth peer name c1", "c0"],
      ["link add c0 txqueuelen 100 mtu 1400 carrier off alias a type veth peer name c1", "c0"],
      ["link add c0 up carrier on type veth", "c0"],
    ]
  ) {
    await sameRequest(ns, command, { between: del(name) });
    await ip(ns, `link del ${name}`).catch(() => {});
  }
});

await kernelTestUnless(undefined, "ip link add carrier|xdp: errors as iproute2's", NEEDS, async (ns) => {
  for (
    const c of [
      "link add c0 carrier bogus type veth",
      "link add c0 carrier",
      "link add c0 xdp off",
      "link add c0 xdp off type veth",
      "link add c0 xdpgeneric bogus type veth",
      "link add c0 xdpoffload pinned /nonexistent type veth",
      "link add c0 xdp pinned /nonexistent/prog type veth",
      "link add c0 xdp pinned",
    ]
  ) await sameError(ns, c);
  // A veth peer's carrier or program: the library's peer options have neither.
  const peer = await ours(ns, "link add c0 type veth peer name c1 carrier on");
  assert.equal(peer.code, 1);
  assert.match(peer.stderr, /not supported/);
});

await kernelTestUnless(undefined, "ip link add carrier: the kernel state is iproute2's", NEEDS, async (ns) => {
  await ip(ns, "link add c0 carrier off type veth peer name c1");
  const theirs = [await shape(ns, "c0"), await shape(ns, "c1")];
  await ip(ns, "link del c0");
  await oursOk(ns, "link add c0 carrier off type veth peer name c1");
  assert.deepEqual([await shape(ns, "c0"), await shape(ns, "c1")], theirs);
  // Up on both ends, the carrier is on whatever the request said.
  await ip(ns, "link set c0 up");
  await ip(ns, "link set c1 up");
  assert.match(await ip(ns, "link show c0"), /LOWER_UP/);
});

/** IFLA_XDP_FD's value in a create request's hex, zeroed (each process opens the program under its own number). */
function maskXdpFd(hex: string): string {
  // IFLA_XDP (43) nests IFLA_XDP_FD (1): "xxxx2b00 08000100 FD".
  return hex.replace(/(2b0008000100)([0-9a-f]{8})/, "$100000000");
}

await kernelTestUnless(NO_BPF, "ip link add xdp pinned: request bytes and kernel state as iproute2's", NEEDS, async (
  ns,
) => {
  await using fs = await Bpffs.open();
  const pass = fs.pin("xdp_pass", XDP_PASS);
  for (
    const command of [
      `link add x0 xdp pinned ${pass} type veth peer name x1`,
      `link add x0 mtu 1400 xdpgeneric pinned ${pass} section s program p verbose carrier on type veth`,
      `link add x0 xdpdrv fd ${pass} type veth peer name x1`,
    ]
  ) {
    const words = command.split(" ");
    const [theirs] = await capture(ns, ["ip", ...words]);
    const theirShape = await shape(ns, "x0");
    await ip(ns, "link del x0");
    const [mine] = await capture(ns, [...OUR_CLI, "ip", ...words]);
    assert.ok(theirs && mine, `${command}: a request from each`);
    assert.equal(maskXdpFd(mine.hex), maskXdpFd(theirs.hex), `${command}: request bytes differ`);
    assert.notEqual(maskXdpFd(theirs.hex), theirs.hex, `${command}: IFLA_XDP_FD found`);
    // The kernel creates the link and attaches nothing, for both.
    assert.equal(await shape(ns, "x0"), theirShape);
    assert.doesNotMatch(theirShape, /prog\/xdp/);
    await ip(ns, "link del x0");
  }
  await oursOk(ns, `link add x0 xdpgeneric pinned ${pass} type veth peer name x1`);
  assert.doesNotMatch(await ip(ns, "link show x0"), /xdp/);
});
