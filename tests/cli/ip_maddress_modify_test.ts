/**
 * `ip maddress add|delete` against iproute2: each tool adds a static address,
 * both listings agree, each tool deletes one, and the argument and kernel
 * errors (no such device, no such address, bad or short address, duplicate
 * address) match in text and exit code.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { ip, ours, sameError, sameJson, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth"] };

async function lab(ns: string): Promise<void> {
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link set p0 up");
}

async function runOurs(ns: string, command: string): Promise<void> {
  const r = await ours(ns, command);
  assert.deepEqual(r, { code: 0, stdout: "", stderr: "" }, `ip -n ${ns} ${command}`);
}

await kernelTest("ip maddress add/delete: as iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  await runOurs(ns, "maddress add 33:33:00:00:00:07 dev p0");
  await ip(ns, "maddress add 01:00:5e:00:00:09 dev p0");
  await runOurs(ns, "-6 maddr add address 33:33:00:00:00:0a dev p1");
  await runOurs(ns, "-0 maddr a 01:00:5e:00:00:0b dev p1");
  const text = await sameText(ns, ["maddress", "show"]);
  for (const a of ["33:33:00:00:00:07", "01:00:5e:00:00:09", "33:33:00:00:00:0a", "01:00:5e:00:00:0b"]) {
    assert.match(text.stdout, new RegExp(`link  ${a} static`));
  }
  await sameJson(ns, ["-j", "maddress", "show"]);
  await ip(ns, "maddress del 33:33:00:00:00:07 dev p0");
  await runOurs(ns, "maddress delete 01:00:5e:00:00:09 dev p0");
  await runOurs(ns, "maddr d dev p1 33:33:00:00:00:0a");
  const after = await sameText(ns, ["maddress", "show", "dev", "p0"]);
  assert.doesNotMatch(after.stdout, /static/);
});

await kernelTest("ip maddress add/delete: errors as iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const cmd of [
      "maddr del 33:33:00:00:00:07 dev p0", // not there: ENOENT
      "maddr add 33:33:00:00:00:07 dev nope0", // ENODEV
      "maddr del 33:33:00:00:00:01 dev lo", // lo has no multicast list: EINVAL
      "maddr add 02:00:00:00:00:01:02 dev p0",
      "maddr add 1.2.3.4 dev p0",
      "maddr add zz dev p0",
      "maddr add 33:33:00:00:00:07 33:33:00:00:00:08 dev p0",
      "maddr add 33:33:00:00:00:07 dev p0 dev p1",
      "maddr add 33:33:00:00:00:07 dev a-name-far-too-long",
      "maddr add 33:33:00:00:00:07",
      "maddr del address",
      "maddr add help",
    ]
  ) await sameError(ns, cmd);
});
