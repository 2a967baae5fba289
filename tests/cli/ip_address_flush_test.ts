/**
 * `ip address flush` against iproute2: the same selectors in two namespaces
 * with the same addresses must print the same (`-s` rounds, `-s -s`
 * listings) and leave the same addresses.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip, sameError } from "./_run.ts";
import { sameOutcome, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

async function lab(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02");
  for (const dev of ["p0", "p1"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 up");
  for (
    const a of [
      "10.0.0.1/24 dev p0",
      "10.0.0.2/24 dev p0",
      "10.0.0.3/24 dev p0 label p0:x",
      "10.5.0.1/16 dev p0 scope link",
      "10.7.0.1/24 dev p1",
      "2001:db8::1/64 dev p0 nodad",
      "2001:db8::2/64 dev p0 nodad",
      "fe80::9/64 dev p1 nodad",
    ]
  ) await ip(ns, `address add ${a}`);
}

/** Addresses without the lifetimes (they count down). */
const state = async (ns: string) => (await ip(ns, "address show")).replace(/\n +valid_lft[^\n]*/g, "");

await kernelTest("ip address flush: output and resulting addresses match iproute2", NEEDS, async (_c, ns) => {
  await withOtherNetns("aflush-theirs", async (theirs) => {
    for (
      const cmd of [
        "-s address flush dev p0",
        "-s -s address flush dev p0",
        "-s address flush dev p0 primary",
        "-s address flush dev p0 secondary",
        "-4 -s address flush dev p0",
        "-6 address flush dev p0",
        "-s address flush to 10.0.0.0/24",
        "-s address flush scope link",
        "-s address flush label p0:x",
        "-s address flush dev p1",
        "-s address flush dev p0 permanent",
      ]
    ) {
      await lab(theirs);
      await lab(ns);
      await sameOutcome(theirs, ns, cmd);
      assert.equal(await state(ns), await state(theirs), `${cmd}: then address show`);
      for (const n of [ns, theirs]) await ip(n, "link del p0");
    }
  });
});

await kernelTest("ip address flush: errors match iproute2", NEEDS, async (_c, ns) => {
  await lab(ns);
  await sameError(ns, "address flush");
  await sameError(ns, "address flush dev nosuchdev");
  await sameError(ns, "-0 address flush dev p0");
  await sameError(ns, "address flush scope bogus");
  await sameError(ns, "address flush to 10.0.0.x");
});
