/**
 * `ip addrlabel` against iproute2, in private namespaces (each has its own
 * label table): listings (text, `-o`, JSON), add/del/flush request bytes and
 * the tables they leave, usage and kernel errors with iproute2's exit codes.
 */
import assert from "node:assert/strict";
import { capture, captureTest, deleteAgain, sameRequest } from "./_capture.ts";
import { ip, iproute2, OUR_CLI, sameError, sameText } from "./_run.ts";
import { kernelTestUnless, vethLab, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

await kernelTestUnless(undefined, "ip addrlabel list: listings match iproute2", NEEDS, async (ns) => {
  await vethLab(ns);
  await ip(ns, "addrlabel add prefix 2001:db8::/32 label 100");
  await ip(ns, "addrlabel add prefix 2001:db9::/48 dev p0 label 7");
  for (
    const args of [
      "addrlabel",
      "addrlabel list",
      "addrlabel lst",
      "-o addrlabel",
      "-j addrlabel",
      "-j -p addrlabel show",
    ]
  ) {
    await sameText(ns, args.split(" "));
  }
});

await captureTest("ip addrlabel add|del|flush: request bytes and results match iproute2", NEEDS, async (ns) => {
  await vethLab(ns);
  for (
    const c of [
      "addrlabel add prefix 2001:db8::/32 label 100",
      "addrlabel add label 5 dev p0 prefix 2001:db9::1",
      "addrlabel add prefix ::ffff:10.0.0.0/104 label 3000 junk words",
      // IPv4 prefixes: sent, refused by the kernel
      "addrlabel add prefix 10.0.0.0/8 label 5",
      "-4 addrlabel add prefix 10.0.0.0/8 label 5",
    ]
  ) {
    await sameRequest(ns, c, { between: deleteAgain(ns, c) });
    await sameText(ns, ["addrlabel"]);
  }
  await sameRequest(ns, "addrlabel del prefix 2001:db8::/32 label 100", {
    between: () => iproute2(["-n", ns, "addrlabel", "add", "prefix", "2001:db8::/32", "label", "100"]).then(() => {}),
  });
  // Flush, in fresh twin namespaces (the table's sequence number, sent back, counts its changes): the dump, then
  // every entry read sent back as a deletion; both tables end empty.
  await withOtherNetns("addrlabel-a", (a) =>
    withOtherNetns("addrlabel-b", async (b) => {
      for (const n of [a, b]) {
        await vethLab(n);
        await ip(n, "addrlabel add prefix 2001:db8::/32 label 100");
      }
      const theirs = await capture(a, ["ip", "addrlabel", "flush"], true);
      const mine = await capture(b, [...OUR_CLI, "ip", "addrlabel", "flush"], true);
      assert.ok(theirs.length > 10, `iproute2 sent ${theirs.length} messages`);
      assert.deepEqual(mine, theirs);
      assert.deepEqual([await ip(a, "addrlabel"), await ip(b, "addrlabel")], ["", ""]);
    }));
});

await kernelTestUnless(undefined, "ip addrlabel: usage and kernel errors as iproute2's", NEEDS, async (ns) => {
  await vethLab(ns);
  await ip(ns, "addrlabel add prefix 2001:db8::/32 label 100");
  for (
    const c of [
      "addrlabel show x",
      "-4 addrlabel",
      "addrlabel add prefix 2001:db8::/32 label 100",
      "addrlabel del prefix 2001:db7::/32 label 100",
      "addrlabel add prefix 2001:db8::/32",
      "addrlabel add label 5",
      "addrlabel add prefix foo label 5",
      "addrlabel add prefix ::/0 label 4294967295",
      "addrlabel add prefix ::/0 label x",
      "addrlabel add prefix ::/0 dev nosuch label 1",
      // an IPv4 prefix is sent (family inet6, or -4's inet), and the kernel refuses it
      "addrlabel add prefix 10.0.0.0/8 label 5",
      "-4 addrlabel add prefix 10.0.0.0/8 label 5",
      "addrlabel del prefix 10.0.0.1 label 5",
      "addrlabel add prefix",
      "addrlabel flush x",
      "addrlabel help",
      "addrlabel bogus",
    ]
  ) await sameError(ns, c);
});
