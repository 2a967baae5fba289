/**
 * `ip monitor all-nsid` against iproute2: both listen in one namespace that has
 * given an id to a second one while both change (and a third, without an id,
 * whose changes neither may print until it gets one); what they print, each
 * line after `[nsid N]` or `[nsid current]`, is compared byte for byte (with
 * `-t`/`-ts`, after the timestamps are normalised). Also `file FILE all-nsid`,
 * where every saved notification counts as the current namespace's.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { assertSameResult, ip, iproute2, nlink } from "./_run.ts";
import { assertSameMonitorOutput, HAS_RTMON, nsidsGone, recordRtmon, watchBoth, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The changes, as [namespace, command]: `here` is where the monitors listen, `peer` has an id there, `hidden`
 * gets id `late` only halfway through. Links are made in the other namespaces only, so that no interface index
 * means two devices in `here`. Everything is undone at the end.
 */
function script(here: string, peer: string, hidden: string, late: number): [string, string][] {
  return [
    [peer, "link add q0 address 02:00:00:00:61:01 type veth peer name q1 address 02:00:00:00:61:02"],
    [hidden, "link add h0 type veth peer name h1"],
    [peer, "link set q0 up"],
    [peer, "address add 10.61.0.1/24 dev q0"],
    [here, "address add 10.60.0.1/32 dev lo"],
    [peer, "route add 10.62.0.0/24 via 10.61.0.2"],
    [here, "route add 10.63.0.0/24 dev lo"],
    [peer, "rule add from 10.64.0.0/16 lookup 100 pref 600"],
    [here, `netns set ${hidden} ${late}`],
    [hidden, "address add 10.65.0.1/24 dev h0"],
    [hidden, "link del h0"],
    [peer, "rule del pref 600"],
    [here, "route del 10.63.0.0/24"],
    [peer, "route del 10.62.0.0/24"],
    [peer, "link del q0"],
    [here, "address del 10.60.0.1/32 dev lo"],
  ];
}

/**
 * Starts both monitors in `here` with `args`, makes the changes with fresh namespaces that get ids `id` and
 * `id + 1` (a deleted namespace's id is freed only once the kernel has cleaned it up), and returns what each
 * monitor printed once they agree.
 */
async function watch(here: string, args: string[], id: number): Promise<[string, string]> {
  // The previous run's namespaces lose their ids here only when the kernel has cleaned them up (`Deleted nsid`).
  await nsidsGone(here);
  return await withOtherNetns("Opeer", (peer) =>
    withOtherNetns("Ohid", async (hidden) => {
      await ip(here, `netns set ${peer} ${id}`);
      return await watchBoth(here, args, async () => {
        await sleep(50); // each sets NETLINK_LISTEN_ALL_NSID just after it joins its groups
        for (const [ns, cmd] of script(here, peer, hidden, id + 1)) await ip(ns, cmd);
      });
    }));
}

await kernelTest("ip monitor all-nsid: prints what iproute2 prints", NEEDS, async (_conn, ns) => {
  await ip(ns, "link set lo up");
  const variants = [
    ["monitor", "all-nsid"],
    ["-t", "monitor", "all-nsid", "label"],
    ["-ts", "monitor", "label", "link", "address", "all-nsid"],
    ["-4", "monitor", "all-n", "route", "rule", "nsid"],
  ];
  for (const [i, args] of variants.entries()) {
    const id = 61 + 10 * i;
    const [a, b] = await watch(ns, args, id);
    const what = `ip ${args.join(" ")}`;
    assert.match(a, new RegExp(`\\[nsid ${id}\\]`), `${what}: iproute2 printed nothing from the peer`);
    assert.match(a, /\[nsid current\]/, `${what}: iproute2 printed nothing from here`);
    assert.match(
      a,
      new RegExp(`\\[nsid ${id + 1}\\]`),
      `${what}: iproute2 printed nothing from the namespace given an id late`,
    );
    // h0/h1 were made while their namespace had no id here: only their removal (after it got one) shows.
    assert.doesNotMatch(a, /\]\d+: h[01]@/, `${what}: a namespace without an id was heard`);
    assertSameMonitorOutput(a, b, args);
  }
});

const FILE_NAME = "ip monitor file FILE all-nsid: saved notifications print as the current namespace's";
if (!HAS_RTMON) Deno.test({ name: `${FILE_NAME} [skipped: rtmon not installed]`, ignore: true, fn() {} });
else {
  await kernelTest(FILE_NAME, NEEDS, async (_conn, ns) => {
    const dir = await Deno.makeTempDir({ prefix: "monitor_all_nsid_O_" });
    try {
      const file = `${dir}/rtmon.log`;
      await recordRtmon(ns, file, async () => {
        await ip(ns, "link add f0 type veth peer name f1");
        await ip(ns, "address add 10.66.0.1/24 dev f0");
      }, 100);
      for (const args of [["monitor", "file", file, "all-nsid"], ["monitor", "all-nsid", "label", "file", file]]) {
        const all = ["-n", ns, ...args];
        const [theirs, mine] = await Promise.all([iproute2(all), nlink(all)]);
        const what = `ip ${all.join(" ")}`;
        assert.match(theirs.stdout, /^\[nsid current\]/m, `${what}: iproute2 printed no prefix`);
        assertSameResult(mine, theirs, what);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
