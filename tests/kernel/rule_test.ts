/**
 * Policy-routing rules against the real kernel: every selector and action is
 * added, read back (with nlink and with `ip -j rule`), deleted and flushed.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import type { Connection, NetlinkError, ValidationError } from "../../mod.ts";
import { kernelTest } from "../_lib/netns.ts";
import { iproute2 } from "../_lib/setup.ts";
import {
  addRule,
  delRule,
  flushRules,
  getRules,
  type Rule,
  type RuleOptions,
  ruleRequest,
} from "../../src/route/rule.ts";

/** The running kernel is at least major.minor. */
function kernelAtLeast(major: number, minor: number): boolean {
  const [a, b] = Deno.osRelease().split(/[.-]/).map(Number);
  return a > major || (a === major && b >= minor);
}

async function rulesByPriority(conn: Connection, family: "inet" | "inet6"): Promise<Map<number, Rule>> {
  return new Map((await getRules(conn, { family })).map((r) => [r.priority, r]));
}

await kernelTest("rules: every selector and action, read back with nlink and iproute2", {
  needs: ["veth"],
}, async (conn, ns) => {
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  const v1 = (await conn.getLink("v1")).index;
  const add: [number, RuleOptions][] = [
    [1000, { from: "10.0.0.0/8", table: 100 }],
    [1001, { not: true, to: "192.168.0.0/16", tos: 0x10, table: "main" }],
    [1002, { fwmark: 0x10, fwmask: 0xff, table: 200 }],
    [1003, { realms: { from: 1, to: 2 }, table: 300 }],
    [1004, { protocol: "static", table: 300 }],
    [1005, { tunId: 12345n, table: 300 }],
    [1006, { table: 1000 }],
    [1007, { table: "main", suppressPrefixlength: 0, suppressIfgroup: 5 }],
    [1008, { table: 100, iif: "v0", oif: v1 }],
    [1009, { iif: "nosuch0", table: 100 }],
    [1010, { l3mdev: true }],
    [1011, { table: 100, uidRange: { start: 100, end: 200 } }],
    [1012, { table: 100, ipProto: "tcp", sport: { start: 80, end: 90 }, dport: 22 }],
    [1013, { fwmark: 1, action: "goto", target: 2000 }],
    [1014, { action: "nop" }],
    [1015, { from: "10.1.0.0/16", action: "blackhole" }],
    [1016, { action: "unreachable" }],
    [1017, { action: "prohibit" }],
  ];
  for (const [priority, o] of add) await addRule(conn, { ...o, priority } as RuleOptions);
  await addRule(conn, { from: "2001:db8::/32", to: "2001:db8:1::/48", priority: 1019, table: 100 });
  await addRule(conn, { family: "inet6", priority: 1020, ipProto: "ipv6-icmp", table: 100, tos: 0xb8 });

  const r = await rulesByPriority(conn, "inet");
  const pick = (p: number, ...keys: (keyof Rule)[]) => keys.map((k) => r.get(p)![k]);
  deepStrictEqual(pick(1000, "family", "src", "srcLen", "table", "action"), ["inet", "10.0.0.0/8", 8, 100, "lookup"]);
  deepStrictEqual(pick(1001, "dst", "flags", "tos", "table"), ["192.168.0.0/16", ["invert"], 0x10, 254]);
  deepStrictEqual(pick(1002, "fwmark", "fwmask", "table"), [0x10, 0xff, 200]);
  deepStrictEqual(pick(1003, "flow"), [(1 << 16) | 2]);
  deepStrictEqual(pick(1004, "protocol"), ["static"]);
  deepStrictEqual(pick(1005, "tunId"), [12345n]);
  deepStrictEqual(pick(1006, "table"), [1000]);
  deepStrictEqual(pick(1007, "suppressPrefixlen", "suppressIfgroup"), [0, 5]);
  deepStrictEqual(pick(1008, "iif", "oif", "flags"), ["v0", "v1", []]);
  deepStrictEqual(pick(1009, "iif", "flags"), ["nosuch0", ["iif_detached"]]);
  deepStrictEqual(pick(1010, "l3mdev", "table", "action"), [1, 0, "lookup"]);
  deepStrictEqual(pick(1011, "uidRange"), [{ start: 100, end: 200 }]);
  deepStrictEqual(pick(1012, "ipProto", "sportRange", "dportRange"), ["tcp", { start: 80, end: 90 }, {
    start: 22,
    end: 22,
  }]);
  // The goto target does not exist yet: the kernel marks the rule unresolved, then resolves it.
  deepStrictEqual(pick(1013, "action", "goto", "flags"), ["goto", 2000, ["unresolved"]]);
  await addRule(conn, { priority: 2000, table: 100 });
  deepStrictEqual((await rulesByPriority(conn, "inet")).get(1013)!.flags, []);
  deepStrictEqual([1014, 1015, 1016, 1017].map((p) => r.get(p)!.action), [
    "nop",
    "blackhole",
    "unreachable",
    "prohibit",
  ]);
  equal(r.get(1015)!.src, "10.1.0.0/16");
  // Defaults the kernel fills in: protocol unspec, no suppressors.
  deepStrictEqual(pick(1000, "protocol", "suppressPrefixlen", "suppressIfgroup"), ["unspec", undefined, undefined]);

  const r6 = await rulesByPriority(conn, "inet6");
  deepStrictEqual([r6.get(1019)!.src, r6.get(1019)!.dst, r6.get(1019)!.family], [
    "2001:db8::/32",
    "2001:db8:1::/48",
    "inet6",
  ]);
  deepStrictEqual([r6.get(1020)!.ipProto, r6.get(1020)!.tos], ["ipv6-icmp", 0xb8]);
  ok(
    (await getRules(conn)).some((x) => x.family === "inet6") && (await getRules(conn)).some((x) => x.family === "inet"),
  );
  deepStrictEqual((await getRules(conn, { family: "inet", table: 300 })).map((x) => x.priority), [1003, 1004, 1005]);

  // iproute2 reads the same rules.
  type IpRule = { priority: number; src?: string; table?: string; fwmark?: string; uid_start?: number; goto?: number };
  const ip = new Map(((await iproute2(ns, "rule", "show")) as IpRule[]).map((x) => [x.priority, x]));
  deepStrictEqual([ip.get(1000)!.src, ip.get(1000)!.table], ["10.0.0.0", "100"]);
  deepStrictEqual([ip.get(1002)!.fwmark, ip.get(1011)!.uid_start, ip.get(1013)!.goto], ["0x10", 100, 2000]);
  equal(ip.get(1006)!.table, "1000");
});

await kernelTest("rules: selectors newer than Linux 6.1 (dscp, flow label, port and DSCP masks)", {}, async (conn) => {
  if (kernelAtLeast(6, 12)) {
    await addRule(conn, { priority: 100, dscp: 46, table: 100 });
    equal((await rulesByPriority(conn, "inet")).get(100)!.dscp, 46);
  }
  if (kernelAtLeast(6, 14)) {
    await addRule(conn, { family: "inet6", priority: 101, flowlabel: 0x12345, flowlabelMask: 0xfffff, table: 100 });
    const r = (await rulesByPriority(conn, "inet6")).get(101)!;
    deepStrictEqual([r.flowlabel, r.flowlabelMask], [0x12345, 0xfffff]);
  }
  if (kernelAtLeast(6, 15)) {
    await addRule(conn, { priority: 102, sport: 0x1000, sportMask: 0xff00, dport: 80, dportMask: 0xfff0, table: 100 });
    await addRule(conn, { priority: 103, dscp: 8, dscpMask: 0x38, table: 100 });
    const r = await rulesByPriority(conn, "inet");
    deepStrictEqual([r.get(102)!.sportMask, r.get(102)!.dportMask, r.get(103)!.dscpMask], [0xff00, 0xfff0, 0x38]);
  }
  // Older kernels ignore attributes they do not know: the rule is added without them.
  if (!kernelAtLeast(6, 12)) {
    await addRule(conn, { priority: 100, dscp: 46, table: 100 });
    equal((await rulesByPriority(conn, "inet")).get(100)!.dscp, undefined);
  }
});

await kernelTest("rules: delete, errors, flush keeping (or not) the kernel's defaults", {}, async (conn, ns) => {
  const defaults4 = (await getRules(conn, { family: "inet" })).map((r) => [r.priority, r.table, r.protocol]);
  deepStrictEqual(defaults4, [[0, 255, "kernel"], [32766, 254, "kernel"], [32767, 253, "kernel"]]);
  await addRule(conn, { priority: 1000, from: "10.0.0.0/8", table: 100 });
  await addRule(conn, { priority: 1001, fwmark: 7, table: 200, protocol: "static" });
  await addRule(conn, { priority: 1002, action: "blackhole" });
  await addRule(conn, { from: "2001:db8::/32", priority: 1003, table: 100 });
  await rejects(
    addRule(conn, { priority: 1000, from: "10.0.0.0/8", table: 100 }),
    (e: NetlinkError) => e.isExists(),
  );
  // Delete by priority alone, by every selector, and one that is not there.
  await delRule(conn, { priority: 1000 });
  await rejects(delRule(conn, { priority: 1000 }), (e: NetlinkError) => e.isNotFound());
  await rejects(delRule(conn, { priority: 1001, table: 300 }), (e: NetlinkError) => e.isNotFound());
  await delRule(conn, { priority: 1001, fwmark: 7, table: 200 });
  await rejects(addRule(conn, { priority: -1 } as RuleOptions), (e: ValidationError) => e.field === "priority");
  await rejects(addRule(conn, { oif: 9999 }), (e: NetlinkError) => e.isNotFound());

  await addRule(conn, { priority: 1004, table: 100, protocol: "static" });
  await addRule(conn, { priority: 1005, table: 200, protocol: "static" });
  // Only table 200, then only what `static` added, then the rest (defaults kept).
  deepStrictEqual((await flushRules(conn, { table: 200 })).map((r) => r.priority), [1005]);
  deepStrictEqual((await flushRules(conn, { protocol: "static" })).map((r) => r.priority), [1004]);
  deepStrictEqual((await flushRules(conn)).map((r) => r.priority), [1002]);
  deepStrictEqual((await getRules(conn, { family: "inet" })).map((r) => [r.priority, r.table, r.protocol]), defaults4);
  deepStrictEqual((await flushRules(conn, { family: "inet6" })).map((r) => r.priority), [1003]);
  deepStrictEqual((await getRules(conn, { family: "inet6" })).map((r) => r.priority), [0, 32766]);
  // Exactly `ip rule flush`: everything but priority 0.
  deepStrictEqual((await flushRules(conn, { keepDefaults: false })).map((r) => r.priority), [32766, 32767]);
  deepStrictEqual(((await iproute2(ns, "rule", "show")) as { priority: number }[]).map((r) => r.priority), [0]);
});

await kernelTest("rules: multicast routing rules (ipmr, ip6mr), as ip mrule", { needs: ["veth"] }, async (conn, ns) => {
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  await addRule(conn, { family: "ipmr", iif: "v0", table: 5, priority: 10 });
  await addRule(conn, { family: "ip6mr", fwmark: 3, table: 7, priority: 20 });
  const v4 = await getRules(conn, { family: "ipmr" });
  deepStrictEqual(v4.map((r) => [r.family, r.priority, r.iif, r.table]), [[128, 10, "v0", 5], [
    128,
    32767,
    undefined,
    253,
  ]]);
  const v6 = await getRules(conn, { family: "ip6mr" });
  // IPv6's default multicast rule looks up main.
  deepStrictEqual(v6.map((r) => [r.family, r.priority, r.fwmark, r.table]), [[129, 20, 3, 7], [
    129,
    32767,
    undefined,
    254,
  ]]);
  deepStrictEqual(await iproute2(ns, "mrule"), [{ priority: 10, src: "all", iif: "v0", table: "5" }, {
    priority: 32767,
    src: "all",
    table: "default",
  }]);
  // Their prefixes are IPv4's and IPv6's (the kernel takes them, and keeps none: its multicast rules match any).
  const bytes = ruleRequest("add", { family: "ipmr", from: "10.0.0.0/8", table: 6, priority: 11 });
  deepStrictEqual([bytes[16], bytes[18], ...bytes.subarray(32, 36)], [128, 8, 10, 0, 0, 0]); // family, src_len, FRA_SRC
  await addRule(conn, { family: "ipmr", from: "10.0.0.0/8", table: 6, priority: 11 });
  ok((await getRules(conn, { family: "ipmr" })).some((r) => r.priority === 11 && r.table === 6));
  await delRule(conn, { family: "ipmr", priority: 10 });
  deepStrictEqual((await flushRules(conn, { family: "ip6mr" })).map((r) => r.priority), [20]);
  deepStrictEqual((await getRules(conn, { family: "ip6mr" })).map((r) => r.priority), [32767]);
  await rejects(addRule(conn, { family: "mpls" as "inet", table: 5 }), (e: ValidationError) => e.field === "family");
});
