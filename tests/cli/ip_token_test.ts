/**
 * `ip token` against iproute2, in a private namespace with a veth pair (one
 * end up): listings (text, JSON, `get dev`), set and delete request bytes and
 * the tokens they leave, usage and kernel errors (a link whose IPv6 is down,
 * the loopback) with iproute2's exit codes.
 */
import { captureTest, sameRequest } from "./_capture.ts";
import { ip, iproute2, sameError, sameText } from "./_run.ts";
import { kernelTestUnless, vethLab } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

await kernelTestUnless(undefined, "ip token list: listings match iproute2", NEEDS, async (ns) => {
  await vethLab(ns);
  await ip(ns, "token set ::1:2/64 dev p0");
  for (const args of ["token", "token list", "token get dev p0", "token show dev p1", "-j token", "-j -p token get"]) {
    await sameText(ns, args.split(" "));
  }
});

await captureTest("ip token set|del: request bytes and results match iproute2", NEEDS, async (ns) => {
  await vethLab(ns);
  const reset = () => iproute2(["-n", ns, "token", "del", "dev", "p0"]).then(() => {});
  for (const c of ["token set ::1:2/64 dev p0", "token add dev p0 ::abcd", "token set ::5 dev p0 ::6 dev p1"]) {
    await sameRequest(ns, c, { between: reset });
    await sameText(ns, ["token"]);
  }
  await sameRequest(ns, "token del dev p0", { between: () => ip(ns, "token set ::9 dev p0").then(() => {}) });
  await sameText(ns, ["token"]);
});

await kernelTestUnless(undefined, "ip token: usage and kernel errors as iproute2's", NEEDS, async (ns) => {
  await vethLab(ns);
  for (
    const c of [
      "token show dev nosuch",
      "token show dev",
      "token set 10.0.0.1 dev p0",
      "token set ::5",
      "token set dev p0",
      "token del",
      "token set ::7 dev lo",
      "token help",
      "token set help",
      "token bogus",
    ]
  ) await sameError(ns, c);
});
