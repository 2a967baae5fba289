/**
 * `ip link set DEV xdp|xdpgeneric|xdpdrv|xdpoffload { off | pinned PATH | fd PATH }` against iproute2: an
 * XDP_PASS program is loaded and pinned on a private bpf file system, nlink attaches it (generic mode) and
 * iproute2 lists it on the link, both tools refuse a second attach without `-force`, nlink replaces it with
 * `-force` and detaches it; request bytes of `off`, and parse errors, match.
 *
 * The bpf file system is mounted in a helper process's private mount namespace (`unshare --mount`), reached
 * through `/proc/PID/root/…`, so nothing is mounted on the host. Where that or bpf(2) is refused, the kernel
 * tests are skipped with the reason. The state is read back with iproute2 here; ip_link_xdp_show_test.ts
 * compares our listing of an attached program with iproute2's.
 */
import assert from "node:assert/strict";
import { Bpffs, XDP_PASS, xdpPinUnavailable } from "../_lib/bpffs.ts";
import { captureTest, sameRequest } from "./_capture.ts";
import { ip, nlink, ours, sameError } from "./_run.ts";
import { kernelTestUnless } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

const NO_BPF = await xdpPinUnavailable();

async function oursOk(ns: string, command: string): Promise<void> {
  const r = await ours(ns, command);
  assert.equal(r.code, 0, `ip -n ${ns} ${command}: ${r.stderr}`);
}

await kernelTestUnless(NO_BPF, "ip link set xdpgeneric pinned: attach, refuse, force, detach", NEEDS, async (ns) => {
  await using fs = await Bpffs.open();
  const pass = fs.pin("xdp_pass", XDP_PASS);
  const other = fs.pin("xdp_other", XDP_PASS);
  await ip(ns, "link add v0 type veth peer name v1");
  await oursOk(ns, `link set dev v0 xdpgeneric pinned ${pass}`);
  const shown = await ip(ns, "link show v0");
  assert.match(shown, / xdpgeneric qdisc /);
  assert.match(shown, /prog\/xdp id \d+ name xdp_pass /);
  // A second program without -force: the kernel refuses (XDP_FLAGS_UPDATE_IF_NOEXIST), the same way for both.
  await sameError(ns, `link set dev v0 xdpgeneric pinned ${other}`);
  await sameError(ns, `link set dev v0 xdpgeneric fd ${other} section x verbose`);
  const forced = await nlink(["-force", "-n", ns, "link", "set", "v0", "xdpgeneric", "pinned", other]);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(await ip(ns, "link show v0"), /prog\/xdp id \d+ name xdp_other /);
  await oursOk(ns, "link set dev v0 xdpgeneric off");
  assert.doesNotMatch(await ip(ns, "link show v0"), /xdp/);
  // `xdp` (any mode) takes the generic one on a veth without a native program.
  await oursOk(ns, `link set dev v0 mtu 1400 xdp pinned ${pass} program p`);
  assert.match(await ip(ns, "link show v0"), /prog\/xdp id \d+ name xdp_pass /);
  await oursOk(ns, "link set dev v0 xdp off");
  assert.doesNotMatch(await ip(ns, "link show v0"), /prog\/xdp/);
});

await kernelTestUnless(undefined, "ip link set xdp: parse errors as iproute2's", NEEDS, async (ns) => {
  await ip(ns, "link add v0 type veth peer name v1");
  for (
    const c of [
      "link set v0 xdp pinned /nonexistent/prog",
      "link set v0 xdpgeneric fd 5",
      "link set v0 xdp off mtu 1400", // `off` counts only as the last word
      "link set v0 xdpdrv bogus",
      "link set v0 xdp",
      "link set v0 xdp pinned",
      "link set v0 xdp obj prog.o", // no such file: libbpf cannot open it
    ]
  ) await sameError(ns, c);
});

await captureTest("ip link set xdp off: request bytes", NEEDS, async (ns) => {
  await ip(ns, "link add v0 type veth peer name v1");
  for (const mode of ["xdp", "xdpgeneric", "xdpdrv", "xdpoffload"]) await sameRequest(ns, `link set v0 ${mode} off`);
  await sameRequest(ns, "link set v0 mtu 1400 xdpgeneric none");
});
