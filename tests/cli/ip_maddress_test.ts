/**
 * `ip maddress` against iproute2: the memberships of every link (link layer,
 * IPv4, IPv6, a static one added with `ip maddr add`, a group with two users)
 * in every output mode, the family and device filters, and errors.
 * add/delete's argument errors are compared here; their effect is compared in
 * ip_maddress_modify_test.ts.
 */
import assert from "node:assert/strict";
import { getMulticastMemberships } from "../../mod.ts";
import { kernelTest } from "../_lib/netns.ts";
import { ip, ours, sameError, sameJson, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth"] };

async function lab(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02");
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
  await ip(ns, "maddress add 33:33:00:00:00:05 dev p0");
  await ip(ns, "maddress add 01:00:5e:00:00:01 dev p1"); // already joined by IPv4: two users
}

await kernelTest("ip maddress: listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      [],
      ["show"],
      ["show", "dev", "p0"],
      ["show", "p1"],
      ["list", "lo"],
    ]
  ) {
    await sameText(ns, ["maddress", ...args]);
    await sameText(ns, ["-o", "maddr", ...args]);
    await sameJson(ns, ["-j", "maddr", ...args]);
    await sameJson(ns, ["-j", "-p", "maddr", ...args]);
  }
  for (const family of ["-4", "-6", "-0"]) await sameText(ns, [family, "maddr"]);
  const r = await ours(ns, "-j maddr show dev nonexistent");
  assert.equal(r.stdout, "[]\n");
});

await kernelTest("ip maddress: the library reads the namespace it is given", NEEDS, async (_conn, ns) => {
  await lab(ns);
  const list = await getMulticastMemberships({ netns: ns, dev: "p0" });
  assert.ok(list.some((m) => m.family === "packet" && m.address === "33:33:00:00:00:05" && m.static));
  assert.ok(list.some((m) => m.family === "inet" && m.address === "224.0.0.1"));
  assert.ok(list.some((m) => m.family === "inet6" && m.address === "ff02::1"));
  const p1 = await getMulticastMemberships({ netns: ns, dev: "p1", families: ["packet"] });
  assert.equal(p1.find((m) => m.address === "01:00:5e:00:00:01")?.users, 2);
});

await kernelTest("ip maddress: errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const cmd of [
      "maddr show p0 p1",
      "maddr show dev",
      "maddr frob",
      "maddr help",
      "maddr add 33:33:00:00:00:07",
      "maddr add 33:33:00:00:00:07 dev",
      "maddr del dev p0 dev p1",
    ]
  ) await sameError(ns, cmd);
  const missing = await ours("nlink-no-such-ns", "maddr");
  assert.equal(missing.code, 255);
  assert.equal(missing.stderr, 'Cannot open network namespace "nlink-no-such-ns": No such file or directory\n');
});
