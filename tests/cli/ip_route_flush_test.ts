/**
 * `ip route flush` against iproute2: the same selectors in two namespaces
 * with the same routes, one flushed by iproute2 and one by nlink, must print
 * the same (`-s` rounds, `-s -s` listings) and leave the same tables.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip, sameError } from "./_run.ts";
import { sameOutcome, vethLab, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

async function lab(ns: string): Promise<void> {
  await vethLab(ns, ["10.0.0.1/24 dev p0", "10.1.0.1/24 dev p1", "2001:db8::1/64 dev p0 nodad"]);
  for (
    const r of [
      "default via 10.0.0.254",
      "10.10.0.0/16 via 10.0.0.2 metric 5",
      "10.10.1.0/24 via 10.0.0.3 proto static",
      "10.10.2.0/24 dev p1 proto static",
      "10.11.0.0/24 via 10.1.0.2 table 100",
      "10.12.0.0/24 dev p0 table 100 proto static",
      "10.13.0.0/24 dev p0 realms 3/4",
      "10.13.1.0/24 dev p0 realms 5/4",
      "blackhole 10.16.0.0/24",
      "unreachable 10.17.0.0/24",
      "2001:db8:10::/64 via 2001:db8::2 metric 10",
      "2001:db8:11::/64 dev p0 table 100",
      "blackhole 2001:db8:16::/64",
    ]
  ) await ip(ns, `route add ${r}`);
}

const SHOW = ["route show table all", "-6 route show table all"];

/** A listing's lines in sorted order. */
const sorted = (text: string) => text.split("\n").sort().join("\n");

await kernelTest("ip route flush: output and resulting tables match iproute2", NEEDS, async (_c, ns) => {
  await withOtherNetns("flush-theirs", async (theirs) => {
    for (
      const cmd of [
        "-s route flush root 10.10.0.0/16",
        "-s -s route flush proto static",
        "route flush dev p1",
        "-s route flush type blackhole",
        "-s route flush table 100",
        "-s route flush 10.99.0.0/24",
        "-s route flush via 10.0.0.2",
        "-s route flush metric 5",
        "-s -s route flush realms 4",
        "-s route flush realms 3/",
        "-s route flush scope link table main",
        "-6 -s route flush table all",
        "-s route flush table all",
        "-s route flush cache",
        "-6 -s route flush cache",
      ]
    ) {
      await lab(theirs);
      await lab(ns);
      await sameOutcome(theirs, ns, cmd);
      // The same routes remain; the kernel lists its own (e.g. each device's ff00::/8) in the order the devices
      // came up, which may differ between the two namespaces.
      for (const show of SHOW) {
        assert.equal(sorted(await ip(ns, show)), sorted(await ip(theirs, show)), `${cmd}: then ${show}`);
      }
      for (const n of [ns, theirs]) {
        await ip(n, "link del p0");
        await ip(n, "route flush table all");
        await ip(n, "-6 route flush table all");
      }
    }
  });
});

await kernelTest("ip route flush: errors match iproute2", NEEDS, async (_c, ns) => {
  await lab(ns);
  await sameError(ns, "route flush");
  await sameError(ns, "route flush dev nosuchdev");
  await sameError(ns, "route flush table bogus");
  await sameError(ns, "route flush proto bogus");
});
