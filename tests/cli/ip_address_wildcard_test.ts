/**
 * `ip address` commands whose request carries no full address, against
 * iproute2: a delete of an IPv4 address written without its length (the
 * "wildcard deletion" of old scripts, which leaves IFA_ADDRESS out and so
 * deletes the address whatever its prefix length), and commands without any
 * address (a delete by label, an add the kernel refuses). Request bytes, the
 * state left and the errors.
 */
import assert from "node:assert/strict";
import { captureTest, sameRequest } from "./_capture.ts";
import { kernelTest } from "../_lib/netns.ts";
import { ip, iproute2, nlink, type Result } from "./_run.ts";

const NEEDS = { needs: ["veth"] };

/** p0 with two IPv4 addresses (the second labelled) and an IPv6 one. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link add p0 index 50 type veth peer name p1 index 51"); // the same ifindex for both runs
  await ip(ns, "address add 10.0.0.1/24 dev p0");
  await ip(ns, "address add 10.0.0.7/24 dev p0 label p0:7");
  await ip(ns, "address add 2001:db8::1/64 dev p0 nodad");
}

const COMMANDS = [
  "address del 10.0.0.7 dev p0",
  "address delete 10.0.0.1 dev p0",
  "-4 address del dev p0 label p0:7",
  "-4 address del dev p0",
  "address del dev p0",
  "-6 address del dev p0",
  "address add dev p0",
  "-4 address add dev p0 label p0:1",
  "-6 address add dev p0",
  "address add peer 10.9.9.9/24 dev p0",
  // (Not `-4 address add dev p0 broadcast +`: iproute2 derives that broadcast from uninitialized memory.)
];

await captureTest("ip address without a length or an address: request bytes match iproute2", NEEDS, async (ns) => {
  await lab(ns);
  const restore = async () => {
    await new Deno.Command("ip", { args: ["-n", ns, "link", "del", "p0"], stderr: "null" }).output();
    await lab(ns);
  };
  for (const command of COMMANDS) {
    await sameRequest(ns, command, { between: restore });
    await restore();
  }
});

await kernelTest("ip address without a length or an address: state and errors as iproute2's", NEEDS, async (_c, ns) => {
  const failures: string[] = [];
  for (const command of COMMANDS) {
    // Each tool on the same fresh lab: its output, exit code and the addresses it leaves.
    const run = async (tool: (args: string[]) => Promise<Result>) => {
      await lab(ns);
      const r = await tool(["-n", ns, ...command.split(" ")]);
      const left = await ip(ns, "-br address show dev p0");
      await ip(ns, "link del p0");
      return { code: r.code, stdout: r.stdout, stderr: r.stderr, left };
    };
    const theirs = await run(iproute2);
    const mine = await run(nlink);
    try {
      assert.deepEqual(mine, theirs);
    } catch {
      failures.push(`${command}: iproute2 ${JSON.stringify(theirs)}, nlink ${JSON.stringify(mine)}`);
    }
  }
  assert.deepEqual(failures, []);
});
