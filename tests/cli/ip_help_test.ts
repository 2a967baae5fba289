/**
 * `help` texts against iproute2: `ip link|address|route help`, and every
 * link kind's usage, as `ip link help KIND` prints it (stdout, exit 0) and as
 * the kind's parser prints it for `help` or a word it does not know (after a
 * line naming the word; stderr, or stdout for veth and vxcan; exit 1).
 */
import { LINK_KIND_HELP } from "../../cli/ip/link_help.ts";
import { parsesKindArgs } from "../../cli/ip/link_kind_args.ts";
import { kernelTest } from "../_lib/netns.ts";
import { assertSameResult, ip, iproute2, nlink, sameText } from "./_run.ts";

/** Both tools' whole result (stdout, stderr, exit code) for `ip -n NS ARGS`. */
async function sameResult(ns: string, command: string): Promise<void> {
  const args = ["-n", ns, ...command.split(" ")];
  const [theirs, mine] = await Promise.all([iproute2(args), nlink(args)]);
  assertSameResult(mine, theirs, `ip ${args.join(" ")}`);
}

await kernelTest("help: ip link, address and route print iproute2's usage", { needs: [] }, async (_c, ns) => {
  for (const cmd of ["link help", "address help", "route help", "link help nosuchkind", "link help wireguard"]) {
    await sameResult(ns, cmd);
  }
});

await kernelTest(
  "help: every link kind's usage, by ip link help and by its parser",
  { needs: ["veth"] },
  async (_c, ns) => {
    await ip(ns, "link add p0 type veth peer name p1");
    for (const [kind, help] of Object.entries(LINK_KIND_HELP)) {
      await sameText(ns, ["link", "help", kind]);
      if (help.noHelpWord) continue; // its words go to the kernel, which may lack the kind
      const add = kind.endsWith("_slave") ? `link set dev p1 type ${kind}` : `link add type ${kind}`;
      await sameResult(ns, `${add} help`);
      // `help` abbreviated (most kinds) or an unknown word (amt, dsa); gtp first fails for its missing role
      if (kind !== "gtp") await sameResult(ns, `${add} he`);
      // A word it does not know, for the kinds whose words nlink parses (and veth's and vxcan's usage).
      if (parsesKindArgs(kind) || help.stdout) await sameResult(ns, `${add} bogus`);
    }
    await sameResult(ns, "link add type vxlan id 5 help");
    await sameResult(ns, "link add type macvtap mode bridge bogus");
  },
);
