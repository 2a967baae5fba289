/**
 * `ip address change` against iproute2: the request bytes (RTM_NEWADDR with
 * NLM_F_REPLACE and without NLM_F_CREATE), the kernel state the same commands
 * leave (a missing address is added: the kernel does not insist on
 * NLM_F_CREATE for addresses), and errors.
 */
import assert from "node:assert/strict";
import { captureTest, sameRequest } from "./_capture.ts";
import { kernelTest } from "../_lib/netns.ts";
import { ip, sameError } from "./_run.ts";
import { sameSteps, vethLab, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };
const NLM_F_REPLACE = 0x100;
const NLM_F_CREATE = 0x400;

/** vethLab's pair with fixed MAC addresses, so that twin namespaces list the same. */
async function twinLab(ns: string): Promise<void> {
  await ip(ns, "link add p0 address 02:00:00:00:0d:01 type veth peer name p1 address 02:00:00:00:0d:02");
  for (const dev of ["p0", "p1"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
}

captureTest("ip address change: request bytes match iproute2", NEEDS, async (ns) => {
  await vethLab(ns, ["10.0.0.1/24 dev p0", "2001:db8::1/64 dev p0 nodad"]);
  for (
    const command of [
      "address change 10.0.0.1/24 dev p0 valid_lft 100 preferred_lft 50",
      "address chg 2001:db8::1/64 dev p0 nodad metric 5",
      "address change 10.0.0.1/24 broadcast + label p0:x dev p0 noprefixroute",
      "address change 10.1.0.1 peer 10.1.0.2/32 dev p0 scope link",
    ]
  ) {
    const [req] = await sameRequest(ns, command);
    assert.equal(req.flags & (NLM_F_REPLACE | NLM_F_CREATE), NLM_F_REPLACE, `${command}: flags`);
  }
});

await kernelTest("ip address change: same kernel state as iproute2", NEEDS, async (_conn, ns) => {
  await withOtherNetns("Dchg", async (theirs) => {
    await twinLab(theirs);
    await twinLab(ns);
    await sameSteps(ns, theirs, [
      "address add 10.0.0.1/24 dev p0",
      "address change 10.0.0.1/24 dev p0 metric 7 noprefixroute",
      "address change 10.8.0.1/24 dev p0",
      "address add 2001:db8::1/64 dev p0 nodad",
      "address chg 2001:db8::1/64 dev p0 nodad noprefixroute",
      "address change 2001:db8:5::1/64 dev p0 nodad",
    ]);
    assert.deepEqual(JSON.parse(await ip(ns, "-j addr")), JSON.parse(await ip(theirs, "-j addr")));
    assert.deepEqual(
      JSON.parse(await ip(ns, "-j route show table all")),
      JSON.parse(await ip(theirs, "-j route show table all")),
    );
  });
});

await kernelTest("ip address change: errors match iproute2", NEEDS, async (_conn, ns) => {
  await vethLab(ns, ["10.0.0.1/24 dev p0"]);
  await sameError(ns, "address change 10.0.0.1/24");
  await sameError(ns, "address change 10.0.0.1/24 dev nosuchdev");
  await sameError(ns, "address change 10.0.0.300/24 dev p0");
  await sameError(ns, "address change 10.0.0.1/24 dev p0 valid_lft 10 preferred_lft 20");
  await sameError(ns, "address change 10.0.0.1/24 dev p0 scope bogus");
  await sameError(ns, "address change 2001:db8::1/64 dev p0 brd +");
});
