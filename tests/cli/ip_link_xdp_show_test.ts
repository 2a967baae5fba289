/**
 * `ip link show` / `ip address show` with an XDP program attached, against iproute2: the mode word after the
 * MTU, the `prog/xdp id N name … tag … jited` line (with `-d` also the load time and uid), `/id:N` in
 * `ip address`, one-line output, and the JSON `xdp` object. An XDP_PASS program is loaded and pinned on a
 * private bpf file system (tests/_lib/bpffs.ts) and attached in generic mode with iproute2; where that is
 * refused the tests are skipped with the reason.
 */
import { Bpffs } from "../_lib/bpffs.ts";
import { ip, sameJson, sameText } from "./_run.ts";
import { kernelTestUnless } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };
/** BPF_PROG_TYPE_XDP (linux/bpf.h). */
const PROG_TYPE_XDP = 6;
/** `r0 = 2 (XDP_PASS); exit`. */
const PASS = { type: PROG_TYPE_XDP, instructions: [{ code: 0xb7, imm: 2 }, { code: 0x95 }] };

/** Why XDP programs cannot be pinned here, if they cannot. */
const NO_BPF: string | undefined = await (async () => {
  try {
    await using fs = await Bpffs.open();
    fs.pin("probe", PASS);
    return undefined;
  } catch (e) {
    return `cannot load and pin an XDP program here: ${e instanceof Error ? e.message : e}`;
  }
})();

await kernelTestUnless(NO_BPF, "ip link show: an attached XDP program as iproute2", NEEDS, async (ns) => {
  await using fs = await Bpffs.open();
  const pass = fs.pin("xdp_pass", PASS);
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
