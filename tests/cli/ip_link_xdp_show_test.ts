/**
 * `ip link show` / `ip address show` with an XDP program attached, against iproute2: the mode word after the
 * MTU, the `prog/xdp id N name … tag … jited` line (with `-d` also the load time and uid), `/id:N` in
 * `ip address`, one-line output, and the JSON `xdp` object. An XDP_PASS program is loaded and pinned on a
 * private bpf file system (tests/_lib/bpffs.ts) and attached in generic mode with iproute2; where that is
 * refused the tests are skipped with the reason.
 */
import { Bpffs, XDP_PASS, xdpPinUnavailable } from "../_lib/bpffs.ts";
import { ip, sameJson, sameText } from "./_run.ts";
import { kernelTestUnless } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

const NO_BPF = await xdpPinUnavailable();

await kernelTestUnless(NO_BPF, "ip link show: an attached XDP program as iproute2", NEEDS, async (ns) => {
  await using fs = await Bpffs.open();
  const pass = fs.pin("xdp_pass", XDP_PASS);
  await ip(ns, "link add v0 type veth peer name v1");
  await ip(ns, "link set v1 alias peer-side");
  await ip(ns, `link set dev v0 xdpgeneric pinned ${pass}`);
  await ip(ns, `link set dev v1 xdpgeneric pinned ${pass}`);
  for (
    const args of [
      ["link"],
      ["link", "show", "v0"],
      ["-d", "link", "show"],
      ["-o", "link"],
      ["-d", "-o", "link", "show", "v1"],
      ["address"],
      ["-d", "address", "show", "v0"],
      ["-br", "link"],
      ["-s", "link", "show", "v1"],
    ]
  ) await sameText(ns, args);
  for (
    const args of [["-j", "link"], ["-j", "-d", "link", "show", "v0"], ["-j", "address"], ["-j", "-p", "link"]]
  ) await sameJson(ns, args);
  // Detached again: nothing is printed.
  await ip(ns, "link set dev v0 xdpgeneric off");
  await sameText(ns, ["link", "show", "v0"]);
  await sameJson(ns, ["-j", "link", "show", "v0"]);
});
