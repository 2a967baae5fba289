/**
 * `ip mrule` (multicast routing rules) against iproute2, in private
 * namespaces: listings of IPv4's and IPv6's (text, JSON), add/del request
 * bytes and the rules they leave, flush in twin namespaces, `save` and
 * `restore` (the same bytes but for sequence numbers and port ids; each tool
 * restores the other's file to the same rules), and iproute2's errors (its
 * `from`/`to` cannot be read for these families: the same error).
 */
import assert from "node:assert/strict";
import { captureTest, deleteAgain, sameRequest } from "./_capture.ts";
import { assertSameResult, ip, runIp, sameError, sameText, zeroSeqAndPort } from "./_run.ts";
import { kernelTestUnless, sameOutcome, vethLab, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

await kernelTestUnless(undefined, "ip mrule show: listings match iproute2", NEEDS, async (ns) => {
  await vethLab(ns);
  await ip(ns, "mrule add iif p0 table 5 pref 10");
  await ip(ns, "mrule add fwmark 3/0xff table 6");
  await ip(ns, "-6 mrule add iif p1 table 7");
  for (const args of ["mrule", "mrule list", "-6 mrule", "-j mrule", "-j -p -6 mrule show", "mrule show table 5"]) {
    await sameText(ns, args.split(" "));
  }
});

await captureTest("ip mrule add|del|flush: request bytes and results match iproute2", NEEDS, async (ns) => {
  await vethLab(ns);
  for (
    const c of [
      "mrule add iif p0 table 5 pref 10",
      "-6 mrule add fwmark 7 table 8 pref 20",
      "-4 mrule add oif p1 table 9 pref 30",
    ]
  ) {
    await sameRequest(ns, c, { between: deleteAgain(ns, c) });
    await sameText(ns, [...c.split(" ").slice(0, c.startsWith("-") ? 2 : 1)]);
  }
  await sameRequest(ns, "mrule del pref 10", {
    between: () => ip(ns, "mrule add iif p0 table 5 pref 10").then(() => {}),
  });
  await withOtherNetns("mrule-flush", async (other) => {
    await vethLab(other);
    for (const n of [ns, other]) await ip(n, "mrule add iif p0 table 11 pref 40");
    await sameOutcome(other, ns, "mrule flush");
    await sameOutcome(other, ns, "mrule");
  });
});

await kernelTestUnless(undefined, "ip mrule: errors as iproute2's", NEEDS, async (ns) => {
  await vethLab(ns);
  for (
    const c of [
      "mrule add from 10.0.0.0/8 table 5",
      "-6 mrule add to 2001:db8::/32 table 5",
      "-f link mrule",
      "mrule bogus",
      "mrule del pref 12345",
    ]
  ) await sameError(ns, c);
});

await kernelTestUnless(
  undefined,
  "ip mrule save/restore: same bytes, each restores the other's file",
  NEEDS,
  async (ns) => {
    await vethLab(ns);
    await ip(ns, "mrule add iif p0 table 5 pref 10");
    await ip(ns, "mrule add fwmark 3/0xff oif p1 table 6 pref 20");
    await ip(ns, "-6 mrule add iif p1 table 7 pref 30");
    const listing = async (n: string) => (await ip(n, "mrule show")) + (await ip(n, "-6 mrule show"));
    const want = await listing(ns);
    for (const family of ["-4", "-6"]) {
      const theirs = await runIp("iproute2", ["-n", ns, family, "mrule", "save"]);
      const mine = await runIp("nlink", ["-n", ns, family, "mrule", "save"]);
      assert.equal(theirs.code, 0, theirs.stderr);
      assert.ok(theirs.bytes.length > 4, `${family} mrule save: iproute2 saved nothing`);
      assertSameResult({ ...mine, stdout: "" }, { ...theirs, stdout: "" }, `${family} mrule save`);
      assert.deepEqual(zeroSeqAndPort(mine.bytes), zeroSeqAndPort(theirs.bytes), `${family} mrule save: bytes differ`);
      // Each file into twin fresh namespaces, one per tool: the same outcome (the default rule is
      // restored a second time: the kernel refuses duplicates only with NLM_F_EXCL).
      for (const file of [theirs.bytes, mine.bytes]) {
        await withOtherNetns("mr-t", (a) =>
          withOtherNetns("mr-o", async (b) => {
            const restoredByThem = await runIp("iproute2", ["-n", a, "mrule", "restore"], file);
            const restoredByUs = await runIp("nlink", ["-n", b, "mrule", "restore"], file);
            assertSameResult(restoredByUs, restoredByThem, `${family} mrule restore`);
            assert.equal(restoredByThem.code, 0, restoredByThem.stderr);
            assert.equal(await listing(b), await listing(a), `${family} mrule restore: the rules after differ`);
          }));
      }
    }
    // Into the saved namespace's twin after its rules were flushed: the saved rules again.
    await withOtherNetns("mr-r", async (other) => {
      await vethLab(other);
      for (const family of ["-4", "-6"]) {
        const file = (await runIp("nlink", ["-n", ns, family, "mrule", "save"])).bytes;
        await ip(other, `${family} mrule flush`);
        const r = await runIp("nlink", ["-n", other, "mrule", "restore"], file);
        assert.deepEqual([r.code, r.stdout, r.stderr], [0, "", ""], `${family} mrule restore`);
      }
      assert.equal(await listing(other), want);
    });
  },
);
