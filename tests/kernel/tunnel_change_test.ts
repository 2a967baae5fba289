/**
 * Changing IP tunnels in place, against iproute2 on the same kernel: twin
 * namespaces get the same tunnels; iproute2 changes one (`ip link set DEV type
 * KIND …`, which reads the settings first, and `ip tunnel change`, an ioctl),
 * nlink the other (`setLink` with a `type` change, laid over the current
 * settings); then every link reads the same in both (`ip -d -j link show`).
 * A few changes go through nlink's own `ip`, to cover its words end to end.
 *
 * This kernel has no tunnel kinds; the full-kernel VM lane runs the comparison.
 */
import { deepStrictEqual, equal, rejects } from "node:assert/strict";
import { type SetLinkOptions, ValidationError } from "../../mod.ts";
import { kernelTest } from "../_lib/netns.ts";
import { iproute2 } from "../_lib/setup.ts";
import { ip } from "../cli/_run.ts";
import { sameOutcome, withOtherNetns } from "../cli/_setup.ts";

/**
 * Every link as iproute2 reads it, by name: what a change could have touched (its kind data,
 * device, MTU and flags; not the random Ethernet addresses of the veths and gretap).
 */
async function links(ns: string): Promise<Record<string, unknown>> {
  const list = (await iproute2(ns, "-d", "link", "show")) as Record<string, unknown>[];
  return Object.fromEntries(list.map((l) => [l.ifname, [l.linkinfo, l.link, l.mtu, l.flags]]));
}

/**
 * The same tunnels in each namespace. Made with `ip link add`: `ip tunnel add` goes through
 * fallback devices (gre0, …), which the guest's namespaces may lack; a change by name does not.
 */
const SETUP = [
  "link add v0 type veth peer name v1",
  "link add g1 type gre remote 192.0.2.2 local 192.0.2.1 key 5 seq ttl 64 dev v0",
  "link add g2 type gre remote 192.0.2.3 local 192.0.2.1 ikey 1 okey 2 ttl 3 fwmark 7 ignore-df nopmtudisc",
  "link add gt1 type gretap remote 192.0.2.4 local 192.0.2.1 csum",
  "link add i1 type ipip remote 192.0.2.5 local 192.0.2.1 ttl 10",
  "link add s1 type sit remote 192.0.2.6 local 192.0.2.1",
  "link add vt1 type vti remote 192.0.2.7 local 192.0.2.1 ikey 7 okey 8",
  "link add t6 type ip6tnl mode ip6ip6 remote 2001:db8::2 local 2001:db8::1 hoplimit 10 flowlabel 0x123",
  "link add g6 type ip6gre remote 2001:db8::3 local 2001:db8::1 key 9 tclass inherit",
  "link add vt6 type vti6 remote 2001:db8::4 local 2001:db8::1 key 3",
];

/** iproute2's change, and nlink's: the library's call for it. */
const CHANGES: [string, string, SetLinkOptions][] = [
  ["link set g1 type gre ttl 32 remote 192.0.2.9", "g1", { type: { kind: "gre", ttl: 32, remote: "192.0.2.9" } }],
  ["link set g1 type gre nokey noseq", "g1", { type: { kind: "gre", key: false, seq: false } }],
  ["link set g1 type gre okey 3 icsum local any", "g1", { type: { kind: "gre", okey: 3, icsum: true, local: "any" } }],
  ["link set g2 type gre ttl 0 tos 0x10", "g2", { type: { kind: "gre", ttl: 0, tos: 0x10 } }],
  ["link set gt1 type gretap remote 192.0.2.14 nocsum", "gt1", {
    type: { kind: "gretap", remote: "192.0.2.14", csum: false },
  }],
  ["link set i1 type ipip ttl 7 fwmark 3", "i1", { type: { kind: "ipip", ttl: 7, fwmark: 3 } }],
  [
    "link set s1 type sit 6rd-prefix 2001:db8::/48 6rd-relay_prefix 192.0.2.0/24 ttl 4",
    "s1",
    { type: { kind: "sit", ip6rdPrefix: "2001:db8::/48", ip6rdRelayPrefix: "192.0.2.0/24", ttl: 4 } },
  ],
  ["link set vt1 type vti remote 192.0.2.30 key 2", "vt1", { type: { kind: "vti", remote: "192.0.2.30", key: 2 } }],
  [
    "link set t6 type ip6tnl hoplimit 33 flowlabel inherit",
    "t6",
    { type: { kind: "ip6tnl", ttl: 33, flowlabel: "inherit" } },
  ],
  ["link set t6 type ip6tnl encaplimit none remote 2001:db8::9", "t6", {
    type: { kind: "ip6tnl", encaplimit: "none", remote: "2001:db8::9" },
  }],
  ["link set g6 type ip6gre key 11 tclass 0x20", "g6", { type: { kind: "ip6gre", key: 11, tclass: 0x20 } }],
  ["link set vt6 type vti6 local 2001:db8::7", "vt6", { type: { kind: "vti6", local: "2001:db8::7" } }],
];

/** Changes made with each tool's `ip` (iproute2's are ioctls for `ip tunnel`). */
const CLI_CHANGES = [
  "tunnel change g1 remote 192.0.2.19 ttl 16",
  "tunnel 6rd dev s1 6rd-prefix 2001:db9::/32",
  "tunnel 6rd dev s1 6rd-reset",
  "-6 tunnel change t6 hoplimit 20",
  "link set vt1 type vti okey 12",
  "link set g1 type gretap ttl 3",
  "tunnel 6rd dev g1 6rd-reset",
];

await kernelTest("tunnel changes laid over the current settings: as iproute2's, link by link", {
  needs: ["veth", "ip_gre", "ipip", "sit", "ip_vti", "ip6_tunnel", "ip6_gre", "ip6_vti"],
}, async (conn, ns) => {
  await withOtherNetns("theirs", async (theirs) => {
    for (const n of [ns, theirs]) for (const c of SETUP) await ip(n, c);
    deepStrictEqual(await links(ns), await links(theirs), "the same tunnels to start with");
    for (const [command, dev, options] of CHANGES) {
      await ip(theirs, command);
      await conn.setLink(dev, options);
      deepStrictEqual((await links(ns))[dev], (await links(theirs))[dev], command);
    }
    for (const command of CLI_CHANGES) await sameOutcome(theirs, ns, command);
    deepStrictEqual(await links(ns), await links(theirs), "every link after the changes");
  });
});

await kernelTest("tunnel changes: another kind's link is refused before anything is sent; batches refuse them", {
  needs: ["veth"],
}, async (conn) => {
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  const before = await conn.getLink("v0");
  await rejects(
    conn.setLink("v0", { mtu: 1400, type: { kind: "gre", ttl: 3 } }),
    (e: unknown) => e instanceof ValidationError && e.field === "type.kind" && /v0 is a veth link/.test(e.message),
  );
  equal((await conn.getLink("v0")).mtu, before.mtu);
  // A batch is built before it is sent: it cannot read the settings a tunnel change is laid over.
  await rejects(
    conn.batch().setLink("v0", { type: { kind: "ipip", ttl: 3 } }).prepare(),
    (e: unknown) => e instanceof ValidationError && e.field === "type.kind",
  );
});
