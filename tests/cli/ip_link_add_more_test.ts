/**
 * `ip link add|replace` with the common words iproute2 takes before `type`
 * (flags, alias, group, master, broadcast), a veth peer with its own words,
 * devices the kernel names, `ip link set … numtxqueues`, and `ip link
 * property add|del … altname` against iproute2: request bytes, errors and
 * what `ip link show` prints afterwards.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { HAVE_NLCAPTURE, NO_NLCAPTURE, sameRequest } from "./_capture.ts";
import { ip, iproute2, OUR_CLI, ours, sameError, sameJson, sameText } from "./_run.ts";

const NEEDS = { needs: ["veth", "bridge"] };

/**
 * Creating commands, their words in the order the library writes attributes
 * (iproute2 writes them in argument order). br0 exists.
 */
const ADD_COMMANDS = [
  "link add a0 broadcast ff:ff:ff:ff:ff:fe alias hello group 5 up type veth peer name a1",
  "link add b0 arp off multicast off promisc on allmulticast on type veth peer name b1 arp on",
  "link add c0 master br0 type veth peer name c1 mtu 1400 master br0 alias the-peer group 3",
  "link add d0 nomaster down type veth peer d1 txqlen 10 address 02:00:00:00:00:aa broadcast ff:ff:ff:ff:ff:fe",
  "link add e0 type veth",
  "link add f0 type veth peer mtu 1300",
  "link add type veth",
  "link add type veth peer name g1",
  "link add h0 group 7 type bridge",
  "link replace r0 type veth peer name r1 group 2",
  "link add i0 index 99 dynamic on type veth peer name i1 index 98 dynamic off",
];

/** Deletes every link but lo and br0 (the kernel may have named some itself). */
async function cleanUp(ns: string): Promise<void> {
  const links = JSON.parse(await ip(ns, "-j link show")) as { ifname: string }[];
  for (const { ifname } of links) {
    if (ifname === "lo" || ifname === "br0") continue;
    // A veth's peer goes with it: it may be gone already.
    await new Deno.Command("ip", { args: ["-n", ns, "link", "del", ifname], stderr: "null" }).output();
  }
}

if (!HAVE_NLCAPTURE) {
  Deno.test({ name: `ip link add (more words): request bytes [skipped: ${NO_NLCAPTURE}]`, ignore: true, fn() {} });
} else {
  await kernelTest("ip link add|replace with common words: request bytes match iproute2", NEEDS, async (_c, ns) => {
    await ip(ns, "link add br0 type bridge");
    const failures: string[] = [];
    for (const command of ADD_COMMANDS) {
      await sameRequest(ns, command, { between: () => cleanUp(ns) }).catch((e) => failures.push(e.message));
      await cleanUp(ns);
    }
    assert.deepEqual(failures, []);
  });

  await kernelTest("ip link set numtxqueues, ip link property: request bytes match iproute2", NEEDS, async (_c, ns) => {
    await ip(ns, "link add p0 type veth peer name p1");
    await sameRequest(ns, "link set p0 numtxqueues 2 numrxqueues 3");
    const undo = () => ip(ns, "link property del dev p0 altname uplink-to-the-core altname x:y").then(() => {});
    await sameRequest(ns, "link property add dev p0 altname uplink-to-the-core altname x:y", { between: undo });
    await sameRequest(ns, "link property del p0 altname uplink-to-the-core altname x:y", {
      between: () => ip(ns, "link property add dev p0 altname uplink-to-the-core altname x:y").then(() => {}),
    });
  });
}

await kernelTest("ip link add: the links made look as iproute2's do", NEEDS, async (_c, ns) => {
  await ip(ns, "link add br0 type bridge");
  const build = async (tool: "ip" | "nlink") => {
    const run = async (command: string) => {
      const args = ["-n", ns, ...command.split(" ")];
      const cmd = tool === "ip" ? ["ip", ...args] : [...OUR_CLI, "ip", ...args];
      const out = await new Deno.Command(cmd[0], { args: cmd.slice(1), stderr: "piped" }).output();
      assert.ok(out.success, `${tool} ${command}: ${new TextDecoder().decode(out.stderr)}`);
    };
    await run("link add a0 alias hello group 5 up type veth peer name a1 master br0 alias other group 3 mtu 1400");
    await run("link add type veth");
    const shown = await ip(ns, "-d -j link show");
    await cleanUp(ns);
    // What the request set; addresses, indexes and the carrier's settling differ from run to run.
    return (JSON.parse(shown) as Record<string, unknown>[]).map((l) => ({
      ifname: l.ifname,
      flags: (l.flags as string[]).filter((f) => f !== "NO-CARRIER" && f !== "LOWER_UP"),
      mtu: l.mtu,
      group: l.group,
      ifalias: l.ifalias,
      master: l.master,
    }));
  };
  assert.deepEqual(await build("nlink"), await build("ip"));
});

await kernelTest("ip link add|replace|property: errors as iproute2's", NEEDS, async (_c, ns) => {
  await ip(ns, "link add br0 type bridge");
  await ip(ns, "link add p0 type veth peer name p1");
  for (
    const command of [
      "link add group 5 type veth",
      "link add group 5 type veth peer name x1",
      "link add x0 type veth peer group 5",
      "link add x0 master nosuch type veth",
      "link add x0 type veth peer name x1 master nosuch",
      "link add x0 type veth peer name x1 up", // the kernel refuses the peer's flags (ENOTCONN)
      "link add x0 arp maybe type veth",
      "link add x0 dynamic maybe type veth",
      "link add x0 index abc type veth",
      "link add x0 index 5 index 6 type veth",
      "link set p0 index 5",
      "link replace p0 type veth peer name p9",
      "link replace x0 type veth peer name p1",
      "link property foo dev p0",
      "link property delete dev p0 altname a",
      "link property add altname foo",
      "link property add dev nosuch altname foo",
      "link property add dev p0 altname a/b",
      "link property add dev p0 p1",
      "link property add dev p0 altname",
      "link property del dev p0 altname not-there",
    ]
  ) await sameError(ns, command);
  // A bare `property` prints the usage (ours is worded differently) and exits 255, as iproute2's does.
  const [theirs, mine] = [await iproute2(["-n", ns, "link", "property"]), await ours(ns, "link property")];
  assert.deepEqual([mine.code, mine.stdout], [theirs.code, theirs.stdout]);
  await ip(ns, "link property add dev p0 altname p0-alt");
  await sameError(ns, "link property add dev p0 altname p0-alt");
});

await kernelTest("ip link show: alternative names as iproute2 prints them", NEEDS, async (_c, ns) => {
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link property add dev p0 altname first-alt altname second:alt");
  await sameText(ns, ["link", "show", "dev", "p0"]);
  await sameText(ns, ["link", "show", "dev", "first-alt"]);
  await sameJson(ns, ["-j", "link", "show"]);
});
