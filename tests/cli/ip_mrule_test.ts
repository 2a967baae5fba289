/**
 * `ip mrule` (multicast routing rules) against iproute2, in private
 * namespaces: listings of IPv4's and IPv6's (text, JSON), add/del request
 * bytes and the rules they leave, flush in twin namespaces, and iproute2's
 * errors (its `from`/`to` cannot be read for these families: the same error).
 */
import { captureTest, deleteAgain, sameRequest } from "./_capture.ts";
import { ip, sameError, sameText } from "./_run.ts";
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
