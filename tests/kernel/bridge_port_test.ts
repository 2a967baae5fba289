/**
 * Bridge port settings against the real kernel: set with nlink (AF_BRIDGE
 * RTM_SETLINK, as `bridge link set`), read back with nlink's AF_BRIDGE dump
 * and with iproute2 (`ip -j -d link show`, and `bridge -j -d link show` where
 * the `bridge` tool exists).
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type NetlinkError, ValidationError } from "../../mod.ts";
import { getBridgePorts, setBridgePort } from "../../src/route/bridge_port.ts";
import { kernelTest } from "../_lib/netns.ts";
import { bridgeWithPorts, run, subset } from "../_lib/setup.ts";

await kernelTest(
  "bridge ports: set every setting, read back, reset",
  { needs: ["veth", "bridge"] },
  async (conn, ns) => {
    await bridgeWithPorts(conn, ns, [], "v0", "v2");
    const [before] = await getBridgePorts(conn, { dev: "v0" });
    deepStrictEqual([before.name, before.master, before.learning, before.unicastFlood, before.hairpin], [
      "v0",
      (await conn.getLink("br0")).index,
      true,
      true,
      false,
    ]);

    const settings = {
      guard: true,
      hairpin: true,
      fastLeave: true,
      rootBlock: true,
      unicastFlood: false,
      mcastRouter: "perm",
      mcastFlood: false,
      bcastFlood: false,
      mcastToUnicast: true,
      learning: false,
      cost: 100,
      priority: 10,
      // Without STP, the kernel turns a blocking port forwarding again at once; learning stays.
      state: "learning",
      neighSuppress: true,
      isolated: true,
      locked: true,
      backupPort: "v2",
      proxyarp: true,
      groupFwdMask: 0x4000,
      mcastEhtHostsLimit: 100,
    } as const;
    await setBridgePort(conn, "v0", settings);
    const [p] = await getBridgePorts(conn, { dev: "v0" });
    subset(p, { ...settings, backupPort: (await conn.getLink("v2")).index }, "v0");
    ok(p.flags.includes("UP") && p.rootId !== undefined && typeof p.messageAgeTimer === "bigint");

    // iproute2 reads the same state (ip -d shows the port as the bridge_slave kind's data).
    type Slave = Record<string, unknown>;
    const ip = JSON.parse((await run("ip", "-n", ns, "-j", "-d", "link", "show", "dev", "v0"))!) as {
      linkinfo: { info_slave_data: Slave };
    }[];
    const s = ip[0].linkinfo.info_slave_data;
    deepStrictEqual(
      [s.state, s.priority, s.cost, s.hairpin, s.guard, s.root_block, s.fastleave, s.learning, s.flood],
      ["learning", 10, 100, true, true, true, true, false, false],
    );
    deepStrictEqual(
      [s.multicast_router, s.mcast_flood, s.bcast_flood, s.mcast_to_unicast, s.neigh_suppress, s.isolated, s.locked],
      [2, false, false, true, true, true, true],
    );
    deepStrictEqual([s.backup_port, s.proxy_arp, s.group_fwd_mask_str], ["v2", true, "lldp"]);

    const bridgeTool = await run("bridge", "-n", ns, "-j", "-d", "link", "show", "dev", "v0");
    if (bridgeTool !== undefined) {
      const [b] = (JSON.parse(bridgeTool) as Record<string, unknown>[]).filter((x) => x.ifname === "v0");
      deepStrictEqual([b.state, b.cost, b.learning, b.flood, b.backup_port], ["learning", 100, false, false, "v2"]);
    }

    await setBridgePort(conn, "v0", { learning: true, unicastFlood: true, backupPort: null, state: "forwarding" });
    const [after] = await getBridgePorts(conn, { dev: "v0" });
    deepStrictEqual([after.learning, after.unicastFlood, after.backupPort, after.state, after.cost], [
      true,
      true,
      undefined,
      "forwarding",
      100,
    ]);
    await setBridgePort(conn, "v0", { flush: true }); // flushes the port's learned FDB entries

    // Filters: the bridge's ports, one port.
    deepStrictEqual((await getBridgePorts(conn, { master: "br0" })).map((x) => x.name).sort(), ["v0", "v2"]);
    equal((await getBridgePorts(conn, { dev: "v2" })).length, 1);
  },
);

await kernelTest(
  "bridge ports: bad input is refused before anything is sent",
  { needs: ["veth", "bridge"] },
  async (conn, ns) => {
    await bridgeWithPorts(conn, ns, [], "v0");
    await rejects(setBridgePort(conn, "v0", { priority: 64 }), (e: ValidationError) => e.field === "priority");
    await rejects(setBridgePort(conn, "v0", { cost: 0 }), ValidationError);
    await rejects(setBridgePort(conn, "v0", { state: "sleeping" as "blocking" }), ValidationError);
    await rejects(setBridgePort(conn, "nosuch", { learning: true }), (e: NetlinkError) => e.isNotFound());
    await rejects(setBridgePort(conn, "v0", { backupPort: "nosuch" }), (e: NetlinkError) => e.isNotFound());
    equal((await getBridgePorts(conn, { dev: "v0" }))[0].priority, 32);
    // The kernel's own refusals come back as NetlinkErrors: a veth does not bridge in hardware.
    await rejects(setBridgePort(conn, "v0p", { hwmode: "vepa" }), (e: NetlinkError) => e.errno > 0);
  },
);
