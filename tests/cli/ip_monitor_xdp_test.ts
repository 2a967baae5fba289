/**
 * `ip monitor link` against iproute2 while an XDP program is attached and
 * detached: the mode word with `/id:N` after the MTU, and with `-d` the
 * `prog/xdp id N name … tag … jited` line, whose name and tag come from
 * bpf(2) as the event prints. An XDP_PASS program is pinned on a private bpf
 * file system (tests/_lib/bpffs.ts); where that is refused the test is
 * skipped with the reason.
 */
import assert from "node:assert/strict";
import { Bpffs, XDP_PASS, xdpPinUnavailable } from "../_lib/bpffs.ts";
import { ip } from "./_run.ts";
import { kernelTestUnless, watchBoth } from "./_setup.ts";

const NO_BPF = await xdpPinUnavailable();

/** Runs both monitors with `args` while `v0` gets the program, changes and loses it; returns what each printed. */
function watch(ns: string, args: string[], pinned: string): Promise<[string, string]> {
  return watchBoth(ns, args, async () => {
    for (
      const cmd of [
        `link set dev v0 xdpgeneric pinned ${pinned}`,
        "link set v0 up",
        "link set v0 mtu 1400",
        "link set v0 down",
        "link set dev v0 xdpgeneric off",
        "link set v0 mtu 1500",
      ]
    ) await ip(ns, cmd);
  });
}

await kernelTestUnless(
  NO_BPF,
  "ip monitor link: an attached XDP program as iproute2",
  { needs: ["veth"] },
  async (ns) => {
    await using fs = await Bpffs.open();
    const pinned = fs.pin("xdp_pass", XDP_PASS);
    await ip(ns, "link add v0 type veth peer name v1");
    for (
      const args of [
        ["monitor", "link"],
        ["-d", "monitor", "link"],
        ["-d", "-o", "monitor", "label", "link", "dev", "v0"],
      ]
    ) {
      const [a, b] = await watch(ns, args, pinned);
      const what = `ip ${args.join(" ")}`;
      assert.match(a, /xdpgeneric\/id:\d+ /, `${what}: iproute2 printed no XDP program`);
      if (args.includes("-d")) assert.match(a, /prog\/xdp id \d+ name xdp_pass tag [0-9a-f]{16} /, what);
      assert.equal(b, a, `${what}: output differs`);
    }
  },
);
