/**
 * Encapsulation on multipath next hops and nexthop objects, and the route
 * options rtt, rttvar, rto_min, realms, pref NUMBER and vrf, against
 * iproute2: request bytes (nlcapture), listings, kernel state, errors. MPLS
 * encapsulation is compared by request bytes everywhere, and its listings
 * through `ip route showdump` of a dump file the library builds (a kernel
 * without MPLS cannot hold such routes).
 */
import assert from "node:assert/strict";
import { routeRequest } from "../../src/route/route.ts";
import { NO_NETNS_REASON } from "../_lib/netns.ts";
import { NO_NLCAPTURE, sameRequestMasked } from "./_capture.ts";
import { bothShowdump, ip, routeDumpFile, sameError, sameJson, sameText } from "./_run.ts";
import { iproute2Lacks, kernelTestUnless, oursSilent, vethLab, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

const NO_SEG6 = await iproute2Lacks("encap-more-probe", [
  "route add 10.1.0.0/24 nexthop via 10.0.0.2 dev p0 encap seg6 mode encap segs fc00::1 nexthop via 10.0.0.3 dev p0",
  "nexthop add id 1 encap seg6 mode encap segs fc00::1 via 10.0.0.2 dev p0",
]);
const NO_MPLS = await iproute2Lacks("encap-more-probe", ["route add 10.1.0.0/24 encap mpls 100 via 10.0.0.2 dev p0"]);

async function links(ns: string): Promise<void> {
  await vethLab(ns, ["10.0.0.1/24 dev p0", "2001:db8::1/64 dev p0 nodad"]);
}

/** Commands whose request bytes must be iproute2's (whether or not this kernel takes them). */
const REQUESTS = [
  // Encapsulation on multipath next hops, before and after the gateway (iproute2 keeps the word order).
  "route add 10.1.0.0/24 nexthop via 10.0.0.2 dev p0 encap mpls 100 nexthop encap mpls 200/300 ttl 4 via 10.0.0.3 dev p0 weight 2",
  "route add 10.2.0.0/24 nexthop via 10.0.0.2 dev p0 encap seg6 mode encap segs fc00::1,fc00::2 nexthop via 10.0.0.3 dev p0",
  "-6 route add fc00::30/128 nexthop encap seg6local action End dev p0 nexthop encap seg6local action End.X nh6 2001:db8::2 dev p0",
  // Realms and `as` on a path.
  "route add 10.3.0.0/24 nexthop via 10.0.0.2 dev p0 realms 5 nexthop via 10.0.0.3 dev p0 realms 3/7",
  "route add 10.6.0.0/24 nexthop as 10.0.0.9 via 10.0.0.2 dev p0 nexthop via 10.0.0.3 dev p0 as to 10.0.0.8",
  // Metrics with units, raw numbers and locks; realms; pref as a number; vrf default (the main table).
  "route add 10.4.0.0/24 via 10.0.0.2 rtt 10 rttvar 5",
  "route add 10.4.1.0/24 via 10.0.0.2 rtt 10ms rttvar lock 5ms rto_min 200ms",
  "route add 10.4.2.0/24 via 10.0.0.2 rtt lock 1.5s rttvar 0.3 rto_min 1s mtu 1400",
  "route add 10.3.1.0/24 via 10.0.0.2 realms 3/4",
  "route add 10.3.2.0/24 via 10.0.0.2 realms 0x10/",
  "route add 10.3.3.0/24 via 10.0.0.2 realms 70000",
  "-6 route add 2001:db8:9::/64 via 2001:db8::2 pref 2",
  "route add 10.5.0.0/24 via 10.0.0.2 vrf default",
  // Nexthop objects with encapsulation, in either word order.
  "nexthop add id 1 encap mpls 100/200 via 10.0.0.2 dev p0",
  "nexthop add id 2 via 10.0.0.2 dev p0 encap mpls 100 ttl 3",
  "nexthop add id 3 encap seg6 mode encap segs fc00::1,fc00::2 via 10.0.0.2 dev p0",
  "nexthop add id 4 via 2001:db8::2 dev p0 encap seg6 mode inline segs fc00::1",
];

await kernelTestUnless(
  NO_NLCAPTURE,
  "ip route/nexthop … encap, metrics, realms, pref, vrf: request bytes match iproute2",
  NEEDS,
  async (ns) => {
    await links(ns);
    for (const c of REQUESTS) await sameRequestMasked(ns, c);
  },
);

/** seg6 next hops both tools add, in the words iproute2's manual uses. */
const SEG6_STEPS = [
  "route add 10.2.0.0/24 nexthop via 10.0.0.2 dev p0 encap seg6 mode encap segs fc00::1,fc00::2 nexthop via 10.0.0.3 dev p0",
  "-6 route add 2001:db8:7::/64 nexthop encap seg6 mode inline segs fc00::1 via 2001:db8::2 dev p0 weight 3 nexthop via 2001:db8::3 dev p0",
  "nexthop add id 3 encap seg6 mode encap segs fc00::1,fc00::2 via 10.0.0.2 dev p0",
  "nexthop add id 6 via 2001:db8::2 dev p0 encap seg6 mode inline segs fc00::1",
  "route add 10.7.0.0/24 nhid 3",
];

await kernelTestUnless(
  NO_SEG6,
  "ip route/nexthop … encap seg6: kernel state and listings match iproute2",
  NEEDS,
  async (ns) => {
    await withOtherNetns("encap-more-theirs", async (theirs) => {
      await links(theirs);
      await links(ns);
      for (const step of SEG6_STEPS) {
        await ip(theirs, step);
        await oursSilent(ns, step);
      }
      for (const show of ["route show", "-j route show", "-6 route show", "nexthop show", "-j nexthop show"]) {
        assert.equal(await ip(ns, show), await ip(theirs, show), show);
      }
    });
    // Not `-d route`: iproute2 then adds an `nh_info` line for nhid routes, which nlink does not print yet.
    const listings = ["route", "-j -p route", "-6 route", "-d -6 route", "nexthop", "-d nexthop", "nexthop get id 3"];
    for (const args of listings) await sameText(ns, args.split(" "));
    for (const args of ["-j route", "-j nexthop", "-j nexthop get id 6"]) await sameJson(ns, args.split(" "));
  },
);

await kernelTestUnless(
  NO_NETNS_REASON,
  "ip route add rtt/rttvar/rto_min/realms/pref: kernel state matches iproute2",
  NEEDS,
  async (ns) => {
    await withOtherNetns("encap-more-metrics", async (theirs) => {
      await links(theirs);
      await links(ns);
      const steps = [
        "route add 10.4.1.0/24 via 10.0.0.2 rtt 10ms rttvar lock 5ms rto_min 200ms",
        "route add 10.4.2.0/24 via 10.0.0.2 rtt lock 1.5s rttvar 0.3 rto_min 1s mtu 1400",
        "route add 10.3.1.0/24 via 10.0.0.2 realms 3/4",
        "route add 10.3.0.0/24 nexthop via 10.0.0.2 dev p0 realms 5 nexthop via 10.0.0.3 dev p0 realms 3/7",
        "-6 route add 2001:db8:9::/64 via 2001:db8::2 pref high",
        "route add 10.5.0.0/24 via 10.0.0.2 vrf default",
      ];
      for (const step of steps) {
        await ip(theirs, step);
        await oursSilent(ns, step);
      }
      for (const show of ["route show", "-d route show", "-6 route show", "-j route show"]) {
        assert.equal(await ip(ns, show), await ip(theirs, show), show);
      }
    });
    for (const args of ["route", "-d route", "-j -p route", "-6 route"]) await sameText(ns, args.split(" "));
  },
);

/**
 * A route dump file (as `ip route save` writes) holding routes the library
 * builds: MPLS encapsulation, alone and on next hops, that this kernel may not
 * hold. RTA_ENCAP goes without NLA_F_NESTED, as in the kernel's dumps.
 */
function mplsDump(p0: number): Uint8Array {
  const msgs = [
    routeRequest("add", {
      dst: "10.1.0.0/24",
      multipath: [
        { gateway: "10.0.0.2", encap: { type: "mpls", labels: [100] } },
        { encap: { type: "mpls", labels: [200, 300], ttl: 4 }, gateway: "10.0.0.3", weight: 2 },
      ],
    }, { paths: [p0, p0] }),
    routeRequest("add", { dst: "10.1.1.0/24", encap: { type: "mpls", labels: [16] }, gateway: "10.0.0.2" }, {
      oif: p0,
    }),
    routeRequest("add", {
      dst: "10.1.2.0/24",
      gateway: "10.0.0.2",
      realm: 5,
      metrics: { rtt: 80, rttvar: 20, rtoMin: 200, lock: (1 << 4) | (1 << 13) },
    }, { oif: p0 }),
  ];
  for (const m of msgs) {
    const v = new DataView(m.buffer, m.byteOffset, m.byteLength);
    const walk = (from: number, to: number) => {
      for (let at = from; at + 4 <= to;) {
        const len = v.getUint16(at, true);
        const type = v.getUint16(at + 2, true);
        if (type === (0x8000 | 22)) v.setUint16(at + 2, 22, true);
        if (type === 9) {
          for (let r = at + 4; r + 8 <= at + len; r += (v.getUint16(r, true) + 3) & ~3) {
            walk(r + 8, r + v.getUint16(r, true));
          }
        }
        at += (len + 3) & ~3;
      }
    };
    walk(28, m.length);
  }
  return routeDumpFile(msgs);
}

await kernelTestUnless(
  NO_NETNS_REASON,
  "ip route showdump: MPLS encap, realms and rtt metrics print as iproute2",
  NEEDS,
  async (ns) => {
    await links(ns);
    const p0 = (JSON.parse(await ip(ns, "-j link show p0")) as { ifindex: number }[])[0].ifindex;
    const dump = mplsDump(p0);
    for (const opts of [[], ["-d"], ["-j"], ["-j", "-p"]]) {
      const [theirs, mine] = await bothShowdump(ns, opts, dump);
      assert.equal(theirs.code, 0, theirs.stderr);
      assert.ok(theirs.stdout.includes("mpls"), `iproute2 printed no MPLS encap: ${theirs.stdout}`);
      assert.deepEqual(mine, theirs, `ip ${opts.join(" ")} route showdump`);
    }
  },
);

await kernelTestUnless(
  NO_NETNS_REASON,
  "ip route/nexthop … encap, metrics, realms, pref, vrf: errors match iproute2",
  NEEDS,
  async (ns) => {
    await links(ns);
    const errors = [
      "route add 10.9.0.0/24 via 10.0.0.2 rtt x",
      "route add 10.9.0.0/24 via 10.0.0.2 rtt 5min",
      "route add 10.9.0.0/24 via 10.0.0.2 rttvar lock -1.5",
      "route add 10.9.0.0/24 via 10.0.0.2 rto_min",
      "route add 10.9.0.0/24 via 10.0.0.2 realms nosuch",
      "route add 10.9.0.0/24 via 10.0.0.2 realms 1/300",
      "route add 10.9.0.0/24 via 10.0.0.2 realms /5",
      "-6 route add 2001:db8:9::/64 via 2001:db8::2 pref 256",
      "route add 10.9.0.0/24 via 10.0.0.2 vrf p0",
      "route add 10.9.0.0/24 via 10.0.0.2 vrf nosuch",
      // iproute2 wants a word after an encapsulation's first, even at the end of a nexthop.
      "route add 10.9.0.0/24 nexthop via 10.0.0.2 dev p0 encap mpls 100",
      "route add 10.9.0.0/24 nexthop via 10.0.0.2 encap mpls x dev p0",
      "route add 10.9.0.0/24 nexthop via 10.0.0.2 realms x dev p0",
      "route add 10.9.0.0/24 nexthop encap bogus 1 via 10.0.0.2 dev p0",
      "nexthop add id 9 encap mpls 100",
      "nexthop add id 9 encap mpls x via 10.0.0.2 dev p0",
      "nexthop add id 9 encap seg6 mode bogus segs fc00::1 dev p0",
      "nexthop add id 9 via 10.0.0.2 dev p0 encap",
      "nexthop add id 9 encap mpls 100 ttl 999 via 10.0.0.2 dev p0",
    ];
    // Without MPLS the kernel refuses these: the same message and exit code.
    if (NO_MPLS) {
      errors.push(
        "route add 10.9.0.0/24 nexthop via 10.0.0.2 dev p0 encap mpls 100 nexthop via 10.0.0.3 dev p0",
        "nexthop add id 9 encap mpls 100 via 10.0.0.2 dev p0",
      );
    }
    for (const c of errors) await sameError(ns, c);
  },
);

await kernelTestUnless(undefined, "ip route add … vrf NAME: the VRF's table, as iproute2", {
  needs: ["veth", "vrf"],
}, async (ns) => {
  await withOtherNetns("encap-more-vrf", async (theirs) => {
    const steps = [
      "link add vrf100 type vrf table 100",
      "link add vrf1000 type vrf table 1000",
      "link set vrf100 up",
      "link set vrf1000 up",
      "route add 10.9.0.0/24 dev p0 vrf vrf100",
      "route add 10.9.1.0/24 dev p0 vrf vrf1000",
    ];
    for (const n of [ns, theirs]) await links(n);
    for (const step of steps) {
      await ip(theirs, step);
      if (step.startsWith("link")) await ip(ns, step);
      else await oursSilent(ns, step);
    }
    for (const show of ["route show table all", "-j route show table all"]) {
      assert.equal(await ip(ns, show), await ip(theirs, show), show);
    }
  });
});
