/**
 * `ip ntable` against iproute2, in a private namespace with a veth pair:
 * every listing (text, `-s` with the table's configuration and counters,
 * `-o`, JSON), the `dev`, `dev none` and `name` filters and the families;
 * `change` request bytes (the order typed, the device's index where `dev`
 * is) and the state they leave; usage and kernel errors. The thresholds and
 * `gc_int` are the kernel's, shared by every namespace: the kernel refuses to
 * change them outside the first namespace, and so do both tools here.
 */
import { captureTest, sameRequest } from "./_capture.ts";
import assert from "node:assert/strict";
import { ip, iproute2, nlink, ours, sameError, sameText, sameTextStable } from "./_run.ts";
import { kernelTestUnless, vethLab } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

await kernelTestUnless(undefined, "ip ntable show: listings match iproute2", NEEDS, async (ns) => {
  await vethLab(ns, ["10.0.0.1/24 dev p0"]);
  await ip(ns, "ntable change name arp_cache dev p0 queue 7 app_probes 2");
  for (
    const args of [
      "ntable",
      "ntbl lst",
      "ntable show dev p0",
      "ntable show dev none",
      "ntable show name ndisc_cache",
      "ntable show name arp_cache dev p1",
      "-4 ntable",
      "-6 ntable show dev lo",
      "-o ntable show dev p0",
      "-j ntable",
      "-j -p ntable show dev p0",
      "-f link ntable",
      "-j -f link ntable",
    ]
  ) await sameTextStable(ns, args.split(" "));
  // With -s: the configuration and the table's counters. The counters are the kernel's, shared by every
  // namespace (other tests' traffic moves them) and the times are "so long ago" printed as local times: their
  // values are masked, everything else must match.
  for (const args of ["-s ntable show dev none", "-s -j ntable show name arp_cache", "-s -o ntable show dev p0"]) {
    const all = ["-n", ns, ...args.split(" ")];
    const [theirs, mine] = [await iproute2(all), await nlink(all)];
    assert.equal(theirs.code, 0, theirs.stderr);
    assert.notEqual(theirs.stdout, "");
    assert.deepEqual({ ...mine, stdout: maskVolatile(mine.stdout) }, {
      ...theirs,
      stdout: maskVolatile(theirs.stdout),
    });
  }
});

/** The fields of `-s` that move by themselves: the table's counters, its entry count, times, reachable time. */
const VOLATILE = [
  "entries|allocs|destroys|hash_grows|res_failed|lookups|hits|rcv_probes_mcast|rcv_probes_ucast|periodic_gc_runs",
  "forced_gc_runs|table_fulls|reachable|refcnt|hash_rnd",
].join("|");

function maskVolatile(out: string): string {
  return out
    .replace(new RegExp(`\\b(${VOLATILE})( |":)\\d+`, "g"), "$1$2N")
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "TIME");
}

await kernelTestUnless(undefined, "ip ntable: usage and kernel errors as iproute2's", NEEDS, async (ns) => {
  await vethLab(ns);
  for (
    const c of [
      "ntable show dev nosuch",
      "ntable show foo",
      "ntable show dev",
      "ntable help",
      "ntable bogus",
      "ntable change",
      "ntable change name arp_cache",
      "ntable change name arp_cache dev p0",
      "ntable change name arp_cache name x",
      "ntable change thresh1 x name arp_cache",
      "ntable change name arp_cache queue -1",
      "ntable change name arp_cache dev nosuch queue 3",
      "ntable change name arp_cache foo 3",
      "ntable change name nosuch_cache queue 3",
      // Thresholds belong to the first namespace only: the kernel answers ENOENT here.
      "ntable change name arp_cache thresh1 256",
    ]
  ) await sameError(ns, c);
});

await captureTest("ip ntable change: request bytes and results match iproute2", NEEDS, async (ns) => {
  await vethLab(ns);
  for (
    const c of [
      "ntable change name arp_cache dev p0 queue 10 base_reachable 60000",
      "ntable change name arp_cache queue 7 dev p0",
      "ntable change queue 9 name arp_cache",
      "-4 ntable change name arp_cache dev p1 app_probes 1 ucast_probes 5 mcast_probes 4 anycast_delay 900 " +
      "proxy_delay 700 proxy_queue 32 locktime 2000 retrans 500 gc_stale 30000 delay_probe 3000",
      "-6 ntable change name ndisc_cache dev p0 retrans 0x200",
      "ntable chg gc_int 5000 name arp_cache",
    ]
  ) {
    await sameRequest(ns, c);
    await sameText(ns, ["ntable", "show", "dev", "p0"]);
  }
  // Our change alone takes effect (iproute2 reads it back).
  assert.equal((await ours(ns, "ntable change name arp_cache dev p0 queue 33 proxy_queue 12")).code, 0);
  assert.match(await ip(ns, "-4 ntable show dev p0"), /queue 33 [^]*proxy_queue 12 /);
});
