/**
 * Routes with lightweight-tunnel encapsulation against iproute2: `encap seg6`
 * and `encap seg6local` listings (text, `-s`, JSON), adds that leave the
 * state iproute2's leave, request bytes of every encap add (MPLS too, which
 * this kernel may not route), and errors.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { HAVE_NLCAPTURE, sameRequestMasked } from "./_capture.ts";
import { ip, iproute2, sameError, sameJson, sameText } from "./_run.ts";
import { iproute2Lacks, kernelTestUnless, oursSilent, vethLab, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

const NO_SEG6 = await iproute2Lacks("encap-probe", [
  "-6 route add fc00::1/128 encap seg6local action End dev p0",
  "route add 10.1.0.0/24 encap seg6 mode encap segs fc00::1 dev p0",
]);
const NO_MPLS = await iproute2Lacks("encap-probe", ["route add 10.1.0.0/24 encap mpls 100 dev p0"]);

/** A test that needs what `reason` says is missing is skipped with it. */
function encapTest(name: string, reason: string | undefined, fn: (ns: string) => Promise<void>): Promise<void> {
  return kernelTestUnless(reason, name, NEEDS, fn);
}

async function links(ns: string): Promise<void> {
  await vethLab(ns, ["10.0.0.1/24 dev p0", "2001:db8::1/64 dev p0 nodad"]);
}

/** seg6 and seg6local routes, in iproute2's canonical word order (the order the library encodes). */
const SEG6_ROUTES = [
  "route add 10.2.0.0/24 encap seg6 mode encap segs fc00::1,fc00::2 dev p0",
  "route add 10.3.0.0/24 encap seg6 mode encap segs fc00::1 hmac 7 dev p0",
  "route add 10.4.0.0/24 encap seg6 mode l2encap segs fc00::a hmac 255 dev p0",
  "route add 10.5.0.0/24 encap seg6 mode encap.red segs fc00::1,fc00::2,fc00::3 dev p0",
  "-6 route add 2001:db8:5::/64 encap seg6 mode inline segs fc00::1,fc00::9 dev p0",
  "-6 route add fc00::e/128 encap seg6local action End dev p0",
  "-6 route add fc00::f/128 encap seg6local action End.DX6 nh6 2001:db8::2 count dev p0",
  "-6 route add fc00::10/128 encap seg6local action End.DT6 table 100 dev p0",
  "-6 route add fc00::11/128 encap seg6local action End.B6 srh segs fc00::1,fc00::2 hmac 3 dev p0",
  "-6 route add fc00::12/128 encap seg6local action End.B6.Encaps srh segs fc00::1,fc00::2 dev p0",
  "-6 route add fc00::13/128 encap seg6local action End flavors next-csid lblen 32 nflen 16 dev p0",
  "-6 route add fc00::14/128 encap seg6local action End.X nh6 2001:db8::3 dev p0",
  "-6 route add fc00::15/128 encap seg6local action End.DX4 nh4 10.0.0.9 dev p0",
  "-6 route add fc00::16/128 encap seg6local action End.T table main dev p0",
  "-6 route add fc00::17/128 encap seg6local action End.DX2 oif p1 dev p0",
  "-6 route add fc00::18/128 encap seg6local action End.DT4 vrftable 100 dev p0",
  "-6 route add fc00::19/128 encap seg6local action End.DT46 vrftable 100 dev p0",
];

/** Adds whichever of SEG6_ROUTES this kernel takes (some actions need a VRF or a newer kernel); returns them. */
async function addSeg6(ns: string, tool: (ns: string, cmd: string) => Promise<{ code: number }>): Promise<string[]> {
  const added: string[] = [];
  for (const r of SEG6_ROUTES) if ((await tool(ns, r)).code === 0) added.push(r);
  return added;
}

const viaIproute2 = async (ns: string, cmd: string) => await iproute2(["-n", ns, ...cmd.split(" ")]);

await encapTest("ip route encap seg6/seg6local: listings match iproute2", NO_SEG6, async (ns) => {
  await links(ns);
  const added = await addSeg6(ns, viaIproute2);
  assert.ok(added.length >= 10, `only ${added.length} seg6 routes could be added`);
  for (
    const args of [
      "route",
      "-6 route",
      "-s -6 route",
      "-d -6 route",
      "-N -6 route",
      "-o -6 route",
      "route show 10.3.0.0/24",
      "-j -p -6 route",
      "-j -s -6 route",
      "-j route",
    ]
  ) await sameText(ns, args.split(" "));
  for (const args of ["-j -6 route", "-j -s -d -6 route", "-j route show table all"]) {
    await sameJson(ns, args.split(" "));
  }
});

await encapTest("ip route add … encap: same kernel state as iproute2", NO_SEG6, async (ns) => {
  await withOtherNetns("encap-theirs", async (theirs) => {
    await links(theirs);
    await links(ns);
    const added = await addSeg6(theirs, viaIproute2);
    for (const r of added) await oursSilent(ns, r);
    for (const show of ["route show", "-6 route show", "-j -s -6 route show"]) {
      assert.equal(await ip(ns, show), await ip(theirs, show), show);
    }
  });
});

await encapTest(
  "ip route add … encap: request bytes match iproute2 (seg6, seg6local, mpls)",
  HAVE_NLCAPTURE ? undefined : "nlcapture or strace is missing",
  async (ns) => {
    await links(ns);
    // One of each encoding (each capture runs a tool under strace: a few seconds per command).
    const commands = [
      SEG6_ROUTES[1], // seg6 encap with HMAC
      SEG6_ROUTES[4], // seg6 inline: the original-destination slot
      SEG6_ROUTES[8], // seg6local End.B6 SRH with HMAC
      SEG6_ROUTES[10], // seg6local flavors
      "route add 10.1.1.0/24 encap mpls 100/200/300 ttl 5 via 10.0.0.2 dev p0",
    ];
    for (const c of commands) await sameRequestMasked(ns, c);
  },
);

await encapTest("ip route encap mpls: listings match iproute2", NO_MPLS, async (ns) => {
  await links(ns);
  await ip(ns, "route add 10.1.0.0/24 encap mpls 100/200 ttl 5 via 10.0.0.2 dev p0");
  await ip(ns, "route add 10.1.1.0/24 encap mpls 16 dev p0");
  for (const args of ["route", "-j route", "-j -p route"]) await sameText(ns, args.split(" "));
});

await kernelTest("ip route add … encap: errors match iproute2", NEEDS, async (_c, ns) => {
  await links(ns);
  for (
    const c of [
      "route add 10.9.0.0/24 encap foo 1 dev p0",
      "route add 10.9.0.0/24 encap mpls 100",
      "route add 10.9.0.0/24 encap mpls x dev p0",
      "route add 10.9.0.0/24 encap mpls 100 ttl 300 dev p0",
      "route add 10.9.0.0/24 encap mpls 100 ttl 1 ttl 2 dev p0",
      "route add 10.9.0.0/24 encap seg6 mode bogus segs fc00::1 dev p0",
      "route add 10.9.0.0/24 encap seg6 segs fc00::1 mode encap dev p0",
      "route add 10.9.0.0/24 encap seg6 mode encap segs fc00::x dev p0",
      "-6 route add fc00::9/128 encap seg6local action Bogus dev p0",
      "-6 route add fc00::9/128 encap seg6local table 100 dev p0",
      "-6 route add fc00::9/128 encap seg6local action End.DT6 table nosuch dev p0",
      "-6 route add fc00::9/128 encap seg6local action End.B6 srh foo dev p0",
      "-6 route add fc00::9/128 encap seg6local action End flavors bogus dev p0",
    ]
  ) await sameError(ns, c);
});
