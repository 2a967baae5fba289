/**
 * `ip rule` against iproute2: listings with every selector and action in text
 * and JSON, request bytes of add/del with every selector, flush, and errors.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { HAVE_NLCAPTURE, sameRequest } from "./_capture.ts";
import { ip, ours, sameError, sameJson, sameText } from "./_run.ts";
import { kernelTestUnless } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

/** Rules that use every selector and action `ip rule` 6.1 knows. */
const RULES = [
  "from 10.0.0.0/8 table 100 pref 100",
  "from 10.1.2.3 to 10.2.0.0/16 table main pref 101",
  "not to 192.168.0.0/16 tos 0x10 fwmark 0x10/0xff iif p0 oif lo pref 200 table 1000 suppress_prefixlength 0 " +
  "suppress_ifgroup 5 protocol static",
  "pref 201 fwmark 0x20 table 20 suppress_prefixlength 24",
  "pref 202 tos 0x08 table 21",
  "pref 300 uidrange 100-200 ipproto tcp sport 80 dport 1000-2000 goto 400",
  "pref 301 fwmark 5 realms 3/4 blackhole",
  "pref 302 l3mdev",
  "pref 303 nop",
  "pref 304 tun_id 77 prohibit",
  "pref 305 ipproto 250 unreachable",
  "pref 306 realms 7 table 7 protocol 99",
  "pref 307 iif q0 oif q0 goto 308",
  "pref 308 ipproto udp sport 53 table 53",
  "pref 400 from 10.3.0.0/16 table 30",
];

async function lab(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 type veth peer name p1");
  for (const r of RULES) await ip(ns, `rule add ${r}`);
  await ip(ns, "-6 rule add from 2001:db8::/32 table 200 pref 50");
  await ip(ns, "-6 rule add to 2001:db8:1::/48 iif p0 pref 51 prohibit");
  await ip(ns, "-6 rule add pref 52 fwmark 0x1/0x1 table 52 protocol zebra");
  await ip(ns, "-6 rule add pref 53 dsfield CS1 table 53");
}

/** A request-bytes test: skipped, with the reason, where nlcapture (or strace) is missing. */
function captureTest(name: string, fn: (ns: string) => Promise<void>): Promise<void> {
  return kernelTestUnless(HAVE_NLCAPTURE ? undefined : "nlcapture or strace missing", name, NEEDS, fn);
}

await kernelTest("ip rule: text listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["rule"],
      ["ru"],
      ["rule", "show"],
      ["rule", "list"],
      ["-4", "rule"],
      ["-6", "rule"],
      ["-d", "rule"],
      ["-d", "-6", "rule"],
      ["-N", "rule"],
      ["-o", "rule"],
      ["rule", "show", "pref", "200"],
      ["rule", "show", "priority", "300"],
      ["rule", "show", "table", "100"],
      ["rule", "show", "lookup", "main"],
      ["rule", "show", "from", "10.0.0.0/8"],
      ["rule", "show", "from", "10.1.2.3"],
      ["rule", "show", "to", "192.168.0.0/16"],
      ["rule", "show", "10.2.0.0/16"],
      ["rule", "show", "iif", "p0"],
      ["rule", "show", "dev", "q0"],
      ["rule", "show", "oif", "lo"],
      ["rule", "show", "fwmark", "0x10/0xff"],
      ["rule", "show", "fwmark", "0x20"],
      ["rule", "show", "not"],
      ["rule", "show", "l3mdev"],
      ["rule", "show", "ipproto", "tcp"],
      ["rule", "show", "ipproto", "17"],
      ["rule", "show", "sport", "80"],
      ["rule", "show", "dport", "1000-2000"],
      ["rule", "show", "uidrange", "100-200"],
      ["rule", "show", "tun_id", "77"],
      ["rule", "show", "tos", "0x10"],
      ["rule", "show", "protocol", "static"],
      ["-6", "rule", "show", "from", "2001:db8::/32"],
      ["-6", "rule", "show", "iif", "p0"],
      ["-6", "rule", "show", "tos", "CS1"],
      ["-N", "-6", "rule"],
    ]
  ) await sameText(ns, args);
});

await kernelTest("ip rule: JSON listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["-j", "rule"],
      ["-j", "-6", "rule"],
      ["-j", "-d", "rule"],
      ["-j", "rule", "show", "table", "100"],
    ]
  ) await sameJson(ns, args);
  await sameText(ns, ["-j", "rule"]);
  await sameText(ns, ["-j", "-p", "rule"]);
  await sameText(ns, ["-j", "-p", "-d", "-6", "rule"]);
});

/** Attributes go in the order the words come: these commands name them in the library's (iproute2's usage) order. */
await captureTest("ip rule add/del: same request bytes as iproute2", async (ns) => {
  await lab(ns);
  // Independent commands (distinct rules; the bytes do not depend on the state), captured side by side.
  for (
    const cmds of [[
      "rule add from 10.1.0.0/16 table 101 pref 1000",
      "rule add not from 10.0.0.0/8 to 192.168.0.0/16 pref 1001 tos 0x10 fwmark 0x10/0xff realms 3/4 protocol static " +
      "tun_id 77 table 1000 suppress_prefixlength 8 suppress_ifgroup 5 iif p0 oif lo uidrange 1-2 ipproto udp " +
      "sport 53 dport 100-200",
      "rule add pref 1002 goto 2000",
      "rule add pref 1003 l3mdev",
      "rule add pref 1004 blackhole",
    ], [
      "rule add pref 1005 type unreachable",
      "rule add pref 1006 nop",
      "rule add pref 1007 fwmark 7 prohibit",
      "rule add from 0.0.0.0/0 pref 1008 lookup 7 sup_pl 0",
      "rule add to 10.9.0.0/24 pri 1009 dsfield 0x18 lookup local",
      "-6 rule add pri 1009 tos AF11 lookup 9",
    ], [
      "-6 rule add from 2001:db8::/32 pref 1010 unreachable",
      "-6 rule add to 2001:db8:2::/48 pref 1011 iif p0 table 12",
      // Attributes in the order typed, as iproute2 adds them.
      "rule add table 1012 iif p0 pref 1012 sport 1-2 from 10.2.0.0/16 fwmark 9",
      "rule add dport 7 ipproto tcp oif lo uidrange 5-6 pref 1013 to 10.3.0.0/16 protocol 99",
      "rule del from 10.0.0.0/8 table 100 pref 100",
      "rule del pref 301",
      "rule del pref 300 goto 400",
      "rule del table 1000",
      "rule delete fwmark 0x20",
      "-6 rule del pref 50",
    ]]
  ) await Promise.all(cmds.map((cmd) => sameRequest(ns, cmd)));
  // `nat` warns on stderr; the bytes are the same.
  await sameRequest(ns, "rule add pref 1020 nat 1.2.3.4");
});

await kernelTest("ip rule add/del/flush: same kernel state as iproute2", NEEDS, async (_conn, ns) => {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 type veth peer name p1");
  for (const r of RULES) {
    const mine = await ours(ns, `rule add ${r}`);
    assert.equal(mine.code, 0, `nlink ip rule add ${r}: ${mine.stderr}`);
  }
  const theirs = await ip(ns, "-d rule");
  for (const r of RULES) await ip(ns, `rule del ${r}`);
  for (const r of RULES) await ip(ns, `rule add ${r}`);
  assert.equal(await ip(ns, "-d rule"), theirs);
  for (const del of ["rule del pref 301", "rule del table 100", "rule del not to 192.168.0.0/16 pref 200"]) {
    const r = await ours(ns, del);
    assert.equal(r.code, 0, `${del}: ${r.stderr}`);
  }
  assert.doesNotMatch(await ip(ns, "rule"), /^(301|100|200):/m);
  for (const flush of ["rule flush table 30", "rule flush pref 201", "rule flush protocol static"]) {
    const r = await ours(ns, flush);
    assert.equal(r.code, 0, `${flush}: ${r.stderr}`);
  }
  assert.doesNotMatch(await ip(ns, "rule"), /^(400|201):/m);
  const r = await ours(ns, "rule flush");
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout + r.stderr, "");
  assert.equal(await ip(ns, "rule"), "0:\tfrom all lookup local\n");
  await ip(ns, "-6 rule add from 2001:db8::/32 table 200 pref 50");
  assert.equal((await ours(ns, "-6 rule flush")).code, 0);
  assert.equal(await ip(ns, "-6 rule"), "0:\tfrom all lookup local\n");
});

await kernelTest("ip rule: errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const cmds of chunks([
      "rule add from 10.0.0.0/8 table 100 pref 100", // File exists
      "rule del pref 12345",
      "rule add",
      "rule del",
      "rule add pref 5 l3mdev table 5",
      "rule add pref 5 goto 6 table 7 garbage",
      "rule add pref bogus",
      "rule add from bogus",
      "rule add to 10.0.0.0/33",
      "rule add tos 0x100",
      "rule add fwmark x",
      "rule add fwmark 1/x",
      "rule add realms bogus",
      "rule add protocol bogus",
      "rule add tun_id x",
      "rule add table bogus",
      "rule add suppress_prefixlength -1",
      "rule add suppress_ifgroup bogus",
      "rule add iif a/b",
      "rule add oif 0123456789abcdefg",
      "rule add uidrange 5",
      "rule add ipproto bogus",
      "rule add sport x",
      "rule add dport x",
      "rule add goto x",
      "rule add pref",
      "rule show pref x",
      // ranges whose start passes the end: the kernel refuses them
      "rule add uidrange 100-50 table 5",
      "rule add sport 80-20 table 5",
      "rule add dport 80-20 table 5",
      "rule show table bogus",
      "rule show from bogus",
      "rule show iif a/b",
      "rule show uidrange 5",
      "rule show protocol bogus",
      "rule frobnicate",
      "rule help",
      "rule add help",
    ])
  ) await Promise.all(cmds.map((cmd) => sameError(ns, cmd)));
});

/** Failing commands change nothing, so they run a few at a time. */
function chunks(cmds: string[], size = 4): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < cmds.length; i += size) out.push(cmds.slice(i, i + size));
  return out;
}
