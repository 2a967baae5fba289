/**
 * `bridge fdb` against iproute2: listings of a bridge with veth ports and a
 * VXLAN device (static, permanent, dynamic-state, master/self, sticky, VLAN
 * and remote entries) in text and JSON, request bytes of every change, and
 * errors.
 */
import { kernelTest } from "../_lib/netns.ts";
import { captureTest, sameRequest } from "./_capture.ts";
import { CLI_MAIN, ip, sameError, sameJson, sameText, sameTextStable } from "./_run.ts";

const NEEDS = { needs: ["veth", "bridge", "vxlan"] };

/** br0 with ports p0, p2 (peers p1, p3) and a VXLAN device vx0, all up, with FDB entries of every kind. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link add br0 address 02:00:00:00:01:00 type bridge");
  await ip(ns, "link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02");
  await ip(ns, "link add p2 address 02:00:00:00:00:03 type veth peer name p3 address 02:00:00:00:00:04");
  await ip(ns, "link add vx0 address 02:00:00:00:00:05 type vxlan id 100 dstport 4789 local 10.0.0.1");
  for (const dev of ["br0", "p0", "p1", "p2", "p3", "vx0"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 master br0");
  await ip(ns, "link set p2 master br0");
  for (const dev of ["br0", "p0", "p1", "p2", "p3", "vx0"]) await ip(ns, `link set ${dev} up`);
  for (
    const cmd of [
      "fdb add 02:00:00:00:10:01 dev p0 master static",
      "fdb add 02:00:00:00:10:02 dev p0 master",
      "fdb add 02:00:00:00:10:03 dev p2 master static sticky",
      "fdb add 02:00:00:00:10:04 dev p0 self",
      "fdb add 02:00:00:00:10:05 dev br0 self local",
      "fdb add 00:00:00:00:00:00 dev vx0 dst 192.0.2.2 vni 200 port 4790 via p1",
      "fdb append 00:00:00:00:00:00 dev vx0 dst 192.0.2.3",
      "fdb add 02:00:00:00:10:06 dev vx0 dst 192.0.2.4 src_vni 300 self",
    ]
  ) await ip(ns, cmd, "bridge");
}

await kernelTest("bridge fdb: text listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const args of [
      ["fdb"],
      ["fdb", "show"],
      ["f", "l"],
      ["fdb", "show", "br", "br0"],
      ["fdb", "show", "brport", "p0"],
      ["fdb", "show", "dev", "vx0"],
      ["fdb", "show", "state", "static"],
      ["fdb", "show", "state", "permanent"],
      ["fdb", "show", "state", "0x40"],
      ["fdb", "show", "dynamic"],
      ["fdb", "show", "br", "br0", "brport", "p2"],
      ["-o", "fdb"],
    ]
  ) await sameText(ns, args, "bridge");
});

await kernelTest("bridge fdb: JSON listings match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (const args of [["-j", "fdb"], ["-j", "fdb", "show", "br", "br0"], ["-j", "fdb", "show", "dev", "vx0"]]) {
    await sameJson(ns, args, "bridge");
  }
  // Byte for byte, compact and pretty.
  await sameText(ns, ["-j", "fdb"], "bridge");
  await sameText(ns, ["-j", "-p", "fdb", "show", "br", "br0"], "bridge");
  await sameText(ns, ["--json", "--pretty", "fdb", "show", "dev", "vx0"], "bridge");
});

await kernelTest("bridge fdb: usage and lookup errors match iproute2", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (
    const cmd of [
      "fdb show br nope",
      "fdb show dev nope",
      "fdb show state bogus",
      "fdb show vlan 1 vlan 2",
      "fdb show vlan",
      "fdb help",
      "fdb bogus",
      "fdb add 02:00:00:00:10:01 dev p0 master static",
      "fdb add 02:00:00:00:10:09",
      "fdb add 02:00:00:00:10:09 dev nope",
      "fdb add zz:00 dev p0",
      "fdb add 02:00:00:00:10:09 02:00:00:00:10:0a dev p0",
      "fdb add 02:00:00:00:10:09 dev p0 vlan 1 vlan 2",
      "fdb add 02:00:00:00:10:09 dev vx0 dst 192.0.2.9 dst 192.0.2.8",
      "fdb add 02:00:00:00:10:09 dev vx0 dst bogus",
      "fdb add 02:00:00:00:10:09 dev vx0 vni 0x1000000",
      "fdb add 02:00:00:00:10:09 dev vx0 src_vni x",
      "fdb add 02:00:00:00:10:09 dev vx0 port 70000",
      "fdb add 02:00:00:00:10:09 dev vx0 nhid x",
      "fdb add 02:00:00:00:10:09 dev vx0 nhid 3 dst 192.0.2.9",
      "fdb add 02:00:00:00:10:09 dev vx0 via nope",
      "fdb del 02:00:00:00:10:77 dev p0 master",
      "fdb flush",
      "fdb flush dev nope",
      "fdb flush dev br0 brport nope",
      "fdb flush dev br0 vlan 5000",
      "-x fdb",
      "fdb show dev",
    ]
  ) await sameError(ns, cmd, "bridge");
});

await captureTest("bridge fdb: add/append/replace/del/flush send iproute2's bytes", NEEDS, async (ns) => {
  await lab(ns);
  const undo = (cmd: string) => async () => void await ip(ns, cmd, "bridge");
  for (
    const [cmd, between] of [
      ["fdb add 02:00:00:00:20:01 dev p0 master static vlan 7", undefined],
      ["fdb add 02:00:00:00:20:02 dev p0 master temp", undo("fdb del 02:00:00:00:20:02 dev p0 master")],
      ["fdb add 02:00:00:00:20:03 dev p0 master local", undo("fdb del 02:00:00:00:20:03 dev p0 master")],
      ["fdb add 02:00:00:00:20:04 dev p0 master dynamic", undefined],
      ["fdb add 2:0:0:0:20:5 dev p0 self router use extern_learn", undefined],
      ["fdb add to 02:00:00:00:20:06 dev p0 master sticky static", undo("fdb del 02:00:00:00:20:06 dev p0 master")],
      ["fdb replace 02:00:00:00:10:01 dev p2 master static", undefined],
      ["fdb del 02:00:00:00:10:02 dev p0 master", undo("fdb add 02:00:00:00:10:02 dev p0 master")],
      ["fdb append 00:00:00:00:00:00 dev vx0 dst 192.0.2.9 vni 7 src_vni 9 port 99 via p1", undefined],
      ["fdb add 02:00:00:00:20:07 dev vx0 dst 2001:db8::7 self", undefined],
      ["fdb add 02:00:00:00:20:08 dev vx0 nhid 5", undefined],
      ["fdb del 00:00:00:00:00:00 dev vx0 dst 192.0.2.3", undo("fdb append 00:00:00:00:00:00 dev vx0 dst 192.0.2.3")],
      ["fdb flush dev br0 brport p0 vlan 3 nopermanent static added_by_user nosticky master", undefined],
      ["fdb flush dev br0 dynamic noextern_learn offloaded self", undefined],
      ["fdb flush dev p0 master permanent", undefined],
    ] as const
  ) await sameRequest(ns, cmd, { tool: "bridge", between });
});

await kernelTest("bridge fdb: entries added by nlink list like iproute2's", NEEDS, async (_conn, ns) => {
  await lab(ns);
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-check",
      CLI_MAIN,
      "bridge",
      "-n",
      ns,
      "fdb",
      "add",
      "02:00:00:00:30:01",
      "dev",
      "p2",
      "master",
      "static",
      "sticky",
    ],
  }).output();
  if (!r.success) throw new Error(new TextDecoder().decode(r.stderr));
  await sameText(ns, ["fdb", "show", "brport", "p2"], "bridge");
  await sameText(ns, ["-j", "fdb", "show", "brport", "p2"], "bridge");
});

await kernelTest("bridge: global options, objects and -batch behave as iproute2's", NEEDS, async (_conn, ns) => {
  await lab(ns);
  for (const cmd of ["bogus", "help", "-f x fdb", "-f help fdb", "-n nope fdb", "-batch /nonexistent", "-Z fdb"]) {
    await sameError(ns, cmd, "bridge");
  }
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(
      file,
      "fdb show br br0 brport p2\n# a comment\n\nfdb add 02:00:00:00:50:01 dev nope\nlink\n",
    );
    await sameError(ns, `-batch ${file}`, "bridge"); // stops at line 4
    await sameError(ns, `-force -batch ${file}`, "bridge"); // goes on, fails at the end
  } finally {
    await Deno.remove(file);
  }
  // `used` counts seconds: compared again when a second boundary fell between the two runs
  await sameTextStable(ns, ["-s", "-d", "-com", "-color=never", "-t", "fdb", "show", "dev", "p0"], 5, "bridge");
});
