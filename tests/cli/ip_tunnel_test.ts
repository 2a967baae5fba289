/**
 * `ip tunnel` against iproute2, in a private namespace. iproute2 sends
 * ioctls to each kind's fallback device; nlink sends rtnetlink link requests,
 * so request bytes are not compared (they cannot be), only output and errors:
 *
 * - usage and argument errors, which need no tunnel kind;
 * - on a kernel without a kind, `add` fails the same way (iproute2 finds no
 *   fallback device);
 * - with the kinds (ipip, gre, sit, vti; ip6tnl, ip6gre, vti6), `show` of
 *   tunnels made by iproute2 (ioctl and netlink) prints the same text and
 *   JSON, and tunnels nlink adds read back in iproute2 as the ones iproute2
 *   adds. Those tests skip with the reason where a kind is missing.
 */
import assert from "node:assert/strict";
import { kernelTest, probeFeature } from "../_lib/netns.ts";
import { ip, iproute2, nlink, sameError, sameJson, sameText } from "./_run.ts";

/** Both tools print and return the same, even nothing. */
async function sameOutput(ns: string, args: string[]): Promise<void> {
  const [theirs, mine] = await Promise.all([iproute2(["-n", ns, ...args]), nlink(["-n", ns, ...args])]);
  assert.deepEqual(mine, theirs, `ip -n ${ns} ${args.join(" ")}`);
}

/** Commands both tools refuse before any ioctl or netlink request (no tunnel kind needed). */
const REFUSED = [
  "tunnel help",
  "tunnel h",
  "tunnel frob",
  "-0 tunnel",
  "-B tunnel show",
  "-6 tunnel frob",
  "-6 tunnel help",
  "tunnel show mode frob",
  "tunnel show mode gre mode ipip",
  "tunnel show foo bar",
  "tunnel show mode",
  "tunnel show dev",
  "tunnel show dev nope",
  "tunnel show mode ipip key 5",
  "tunnel show remote x",
  "tunnel show ttl 300",
  "tunnel show tos zz",
  "tunnel show tos inherit/zz",
  "tunnel show key x",
  "tunnel show key 1.2.x",
  "tunnel add",
  "tunnel add foo",
  "tunnel add foo mode ipip ttl 5 nopmtudisc",
  "tunnel add foo mode gre remote 239.1.1.1",
  "tunnel add foo mode gre dev nope",
  "tunnel add foo mode sit key 5",
  "tunnel add name",
  "tunnel add a b",
  "tunnel add a/b mode gre",
  "tunnel del",
  "tunnel del foo",
  "tunnel del v0",
  "tunnel prl",
  "tunnel prl frob",
  "tunnel prl prl-default 1.2.3.4 prl-delete 1.2.3.5 dev x",
  "tunnel 6rd",
  "tunnel 6rd 6rd-prefix zz dev v0",
  "tunnel 6rd 6rd-relay_prefix 1.2.3.4/8",
  "tunnel 6rd dev nope 6rd-reset",
  "tunnel 6rd dev nope 6rd-prefix 2001:db8::/32",
  "tunnel 6rd dev v0 6rd-prefix 2001:db8::/32",
  "tunnel 6rd dev v0 6rd-reset",
  "tunnel 6rd dev v0",
  "tunnel 6rd dev nope",
  "tunnel 6rd dev v0 frob",
  "link set v0 type gre ttl 3",
  "link set v0 type sit 6rd-prefix 2001:db8::/32",
  "link set v0 type vti key 5",
  "link set v0 type ip6tnl hoplimit 5",
  "link set nope type gre ttl 3",
  "-6 tunnel add foo mode frob",
  "-6 tunnel add foo mode ipip6 remote 1.2.3.4",
  "-6 tunnel add foo hoplimit 300",
  "-6 tunnel add foo tclass zz",
  "-6 tunnel add foo tclass 100",
  "-6 tunnel add foo flowlabel 0x100000",
  "-6 tunnel add foo flowlabel zz",
  "-6 tunnel add foo dscp x",
  "-6 tunnel add foo dev nope",
  "-6 tunnel del foo",
  "-6 tunnel show foo",
  "-6 tunnel show v0",
  "tunnel change foo mode gre",
  "-6 tunnel change foo",
];

await kernelTest("ip tunnel: usage and argument errors as iproute2 (no tunnel kind needed)", {
  needs: ["veth"],
}, async (_conn, ns) => {
  await ip(ns, "link add v0 type veth peer name v1");
  for (const cmd of REFUSED) await sameError(ns, cmd);
  // The listings (the fallback devices where the kinds are loaded, else nothing).
  for (
    const args of [["tunnel"], ["tunnel", "show"], ["-j", "tunnel", "show"], ["-6", "tunnel"], ["-6", "-j", "tunnel"]]
  ) {
    await sameOutput(ns, args);
  }
  // A name that is no tunnel: listed as nothing.
  await sameOutput(ns, ["tunnel", "show", "v0"]);
});

/** The tunnel kinds (modules) of each family. */
const V4_KINDS = ["ipip", "ip_gre", "sit", "ip_vti"];
const V6_KINDS = ["ip6_tunnel", "ip6_gre", "ip6_vti"];
const MISSING: string[] = [];
for (const k of [...V4_KINDS, ...V6_KINDS]) if (await probeFeature(k) !== undefined) MISSING.push(k);

if (MISSING.length === 0) {
  Deno.test({
    name: "ip tunnel add on a kernel without the kind [skipped: this kernel has every tunnel kind]",
    ignore: true,
    fn() {},
  });
} else {
  await kernelTest("ip tunnel add on a kernel without the kind: iproute2's error", {}, async (_conn, ns) => {
    const v4: Record<string, string> = {
      ipip: "tunnel add t1 mode ipip remote 192.0.2.2 local 192.0.2.1",
      ip_gre: "tunnel add t1 mode gre remote 192.0.2.2 local 192.0.2.1 key 5",
      sit: "tunnel add t1 mode sit remote 192.0.2.2",
      ip_vti: "tunnel add t1 mode vti remote 192.0.2.2 local 192.0.2.1",
    };
    const v6: Record<string, string> = {
      ip6_tunnel: "-6 tunnel add t1 mode ip6ip6 remote 2001:db8::2 local 2001:db8::1",
      ip6_gre: "tunnel add t1 mode ip6gre remote 2001:db8::2 local 2001:db8::1",
      ip6_vti: "tunnel add t1 mode vti6 remote 2001:db8::2",
    };
    for (const [kind, cmd] of [...Object.entries(v4), ...Object.entries(v6)]) {
      if (MISSING.includes(kind)) await sameError(ns, cmd);
    }
    if (MISSING.includes("ip_gre")) await sameError(ns, "tunnel add mode gre remote 192.0.2.2");
  });
}

await kernelTest("ip tunnel show: IPv4 tunnels as iproute2, text and JSON", {
  needs: ["veth", ...V4_KINDS],
}, async (_conn, ns) => {
  await ip(ns, "link add v0 type veth peer name v1");
  // Made through iproute2's ioctls and through netlink, with every setting show prints.
  await ip(ns, "tunnel add g1 mode gre remote 192.0.2.2 local 192.0.2.1 key 5 seq csum ttl 64 tos 0x10 dev v0");
  await ip(ns, "tunnel add g2 mode gre remote 192.0.2.3 ikey 1 okey 2 iseq ocsum nopmtudisc tos inherit");
  await ip(ns, "tunnel add g3 mode gre remote 239.1.1.1 local 192.0.2.1 tos inherit/0x20");
  await ip(ns, "tunnel add i1 mode ipip remote 192.0.2.4 local 192.0.2.1 ttl 10");
  await ip(ns, "tunnel add s1 mode sit remote 192.0.2.5");
  await ip(ns, "tunnel add is1 mode isatap local 192.0.2.1");
  await ip(ns, "tunnel add vt1 mode vti remote 192.0.2.6 local 192.0.2.1 ikey 7 okey 8");
  await ip(ns, "link add g4 type gre remote 192.0.2.7 local 192.0.2.1 ttl 3");
  await ip(ns, "link add i2 type ipip mode any remote 192.0.2.8");
  await ip(ns, "link add vt2 type vti remote 192.0.2.9 key 3");
  for (const opts of [[], ["-j"], ["-j", "-p"], ["-s"], ["-o"]]) await sameText(ns, [...opts, "tunnel", "show"]);
  await sameJson(ns, ["-j", "tunnel", "show"]);
  for (const name of ["g1", "g2", "g3", "g4", "i1", "i2", "s1", "vt1", "vt2", "gre0", "tunl0", "sit0"]) {
    await sameText(ns, ["tunnel", "show", name]);
  }
  for (
    const filter of ["mode gre", "mode ipip", "mode sit", "mode vti", "remote 192.0.2.2", "local 192.0.2.1", "dev v0"]
  ) await sameText(ns, ["tunnel", "show", ...filter.split(" ")]);
});

await kernelTest("ip tunnel add/del: what nlink adds, iproute2 shows as what iproute2 adds", {
  needs: ["veth", ...V4_KINDS],
}, async (_conn, ns) => {
  await ip(ns, "link add v0 type veth peer name v1");
  const cases = [
    "t1 mode gre remote 192.0.2.2 local 192.0.2.1 key 5 seq csum ttl 64 tos 0x10 dev v0",
    "t1 mode gre remote 192.0.2.3 ikey 1 okey 2 iseq ocsum nopmtudisc",
    "t1 mode ipip remote 192.0.2.4 local 192.0.2.1 ttl 10",
    "t1 mode sit remote 192.0.2.5 ttl inherit",
    "t1 mode vti remote 192.0.2.6 local 192.0.2.1 key 9",
  ];
  for (const c of cases) {
    await ip(ns, `tunnel add ${c}`);
    const theirs = await ip(ns, "tunnel show t1");
    await sameError(ns, `tunnel add ${c}`); // the name is taken: the same error from both
    await ip(ns, "tunnel del t1");
    const r = await nlink(["-n", ns, "tunnel", "add", ...c.split(" ")]);
    assert.equal(r.code, 0, `ip tunnel add ${c}: ${r.stderr}`);
    assert.equal(await ip(ns, "tunnel show t1"), theirs, c);
    const d = await nlink(["-n", ns, "tunnel", "del", "t1"]);
    assert.equal(d.code, 0, d.stderr);
  }
  await sameError(ns, "tunnel del gre0"); // the fallback device stays
});

await kernelTest("ip -6 tunnel: show, add and del as iproute2", {
  needs: ["veth", ...V6_KINDS],
}, async (_conn, ns) => {
  await ip(ns, "link add v0 type veth peer name v1");
  await ip(ns, "-6 tunnel add t6a mode ip6ip6 remote 2001:db8::2 local 2001:db8::1 dev v0 encaplimit none");
  await ip(ns, "-6 tunnel add t6b mode ipip6 remote 2001:db8::3 hoplimit 10 tclass 0x20 flowlabel 0x12345");
  await ip(ns, "-6 tunnel add t6c mode any remote 2001:db8::4 tclass inherit flowlabel inherit dscp inherit");
  await ip(ns, "-6 tunnel add t6d mode ip6gre remote 2001:db8::5 key 5 seq allow-localremote");
  await ip(ns, "-6 tunnel add t6e mode vti6 remote 2001:db8::6 local 2001:db8::1");
  for (const opts of [[], ["-j"], ["-j", "-p"], ["-s"]]) await sameText(ns, [...opts, "-6", "tunnel", "show"]);
  await sameJson(ns, ["-j", "-6", "tunnel", "show"]);
  for (const name of ["t6a", "t6b", "t6c", "t6d", "t6e"]) await sameText(ns, ["-6", "tunnel", "show", name]);
  for (const filter of ["mode ip6gre", "remote 2001:db8::2", "hoplimit 10", "dev v0"]) {
    await sameText(ns, ["-6", "tunnel", "show", ...filter.split(" ")]);
  }
  const cases = [
    "t1 mode ip6ip6 remote 2001:db8::2 local 2001:db8::1 encaplimit 7 hoplimit 9",
    "t1 mode ip6gre remote 2001:db8::3 ikey 1 okey 2 csum",
  ];
  for (const c of cases) {
    await ip(ns, `-6 tunnel add ${c}`);
    const theirs = await ip(ns, "-6 tunnel show t1");
    await ip(ns, "-6 tunnel del t1");
    const r = await nlink(["-n", ns, "-6", "tunnel", "add", ...c.split(" ")]);
    assert.equal(r.code, 0, `ip -6 tunnel add ${c}: ${r.stderr}`);
    assert.equal(await ip(ns, "-6 tunnel show t1"), theirs, c);
    assert.equal((await nlink(["-n", ns, "-6", "tunnel", "del", "t1"])).code, 0);
  }
});
