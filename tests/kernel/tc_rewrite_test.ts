/**
 * Traffic control against the kernel, rewriting and tracking actions
 * (pedit, tunnel_key, ct, ife, gate): each kind is added as a standalone
 * (shared) action, read back (the kernel's own reply decoded and compared
 * with what was asked), replaced and read back again, listed, deleted and
 * flushed; pedit also inside a matchall filter on a clsact hook, with
 * traffic across a veth pair moving its counters. This machine's kernel has
 * none of these kinds: the tests skip with the reason, and the full-kernel
 * VM lane runs them.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import { type Action, type ActionOptions, type Connection, NetlinkError } from "../../mod.ts";
import { actionData } from "../../src/tc/action.ts";
import { kernelTest } from "../_lib/netns.ts";
import { sendUdp, subset, veth } from "../_lib/setup.ts";

/** tc_gen as the kernel reports a standalone action: one reference (the action table's), no filter bound. */
const gen = (action: string, index: number) => ({ index, capab: 0, action, refcnt: 1, bindcnt: 0 });

/** One shared action (`tc actions get action KIND index N`). */
const getAction = (conn: Connection, kind: string, index: number): Promise<Action> => conn.getAction(kind, index);

/** The indexes of the shared actions of `kind`, in the kernel's order (`tc actions list action KIND`). */
async function indexes(conn: Connection, kind: string): Promise<number[]> {
  return (await conn.getActions(kind)).map((a) => {
    const o = a.options as { parms?: { index: number }; parmsEx?: { index: number } };
    return (o.parms ?? o.parmsEx)?.index ?? -1;
  });
}

/** Adding `options` again at its index is refused (EEXIST); deleting it makes it unknown; flushing empties the table. */
async function deleteAndFlush(conn: Connection, options: ActionOptions, index: number): Promise<void> {
  await rejects(conn.addActions([options]), (e) => e instanceof NetlinkError && e.isExists());
  await conn.deleteAction(options.kind, index);
  await rejects(getAction(conn, options.kind, index), (e) => e instanceof NetlinkError && e.isNotFound());
  await conn.flushActions(options.kind);
  deepStrictEqual(await indexes(conn, options.kind), []);
}

const word = (mask: number, val: number, off: number, at = 0, offmask = 0, shift = 0) => ({
  mask,
  val,
  off,
  at,
  offmask,
  shift,
});

await kernelTest("tc pedit: legacy and extended keys are added, read back, replaced, deleted and flushed", {
  needs: ["act_pedit"],
}, async (conn) => {
  const legacy: ActionOptions = {
    kind: "pedit",
    keys: [
      { header: "ip", field: "ttl", cmd: "set", value: 63 },
      { offset: 12, size: "u32", cmd: "set", value: 0x0a000001 },
      { offset: 2, size: "u16", at: 0, offmask: 0x0f000000, shift: 22, cmd: "set", value: 443 },
    ],
    index: 10,
  };
  await conn.addActions([legacy]);
  const a = actionData(await getAction(conn, "pedit", 10), "pedit")!;
  deepStrictEqual(a.parms, {
    ...gen("pass", 10),
    nkeys: 3,
    flags: 0,
    keys: [
      word(0x00ffffff, 0x3f000000, 8),
      word(0, 0x0a000001, 12),
      word(0xffff0000, 0x000001bb, 0, 0, 0x0f000000, 22),
    ],
  });
  equal(a.parmsEx, undefined);
  equal(typeof a.tm?.install, "bigint");

  await conn.addActions([{
    kind: "pedit",
    ex: true,
    keys: [
      { header: "eth", field: "src", cmd: "set", value: "02:11:22:33:44:55" },
      { header: "ip6", field: "hoplimit", cmd: "decrement" },
      { header: "tcp", field: "dport", cmd: "set", value: 80 },
    ],
    control: "pipe",
    index: 11,
  }]);
  const ex = actionData(await getAction(conn, "pedit", 11), "pedit")!;
  deepStrictEqual(ex.parmsEx, {
    ...gen("pipe", 11),
    nkeys: 4,
    flags: 0,
    keys: [
      word(0xffff0000, 0x00000211, 4),
      word(0, 0x22334455, 8),
      word(0xffffff00, 0x000000ff, 4),
      word(0xffff0000, 0x00000050, 0),
    ],
  });
  deepStrictEqual(ex.keysEx, [
    { htype: "eth", cmd: "set" },
    { htype: "eth", cmd: "set" },
    { htype: "ip6", cmd: "add" },
    { htype: "tcp", cmd: "set" },
  ]);

  await conn.replaceActions([{
    kind: "pedit",
    keys: [{ header: "ip", field: "tos", cmd: "set", value: 0xb8, retain: 0xfc }],
    control: "drop",
    index: 10,
  }]);
  deepStrictEqual(actionData(await getAction(conn, "pedit", 10), "pedit")!.parms, {
    ...gen("drop", 10),
    nkeys: 1,
    flags: 0,
    keys: [word(0xff03ffff, 0x00b80000, 0)],
  });
  deepStrictEqual(await indexes(conn, "pedit"), [10, 11]);
  await deleteAndFlush(conn, legacy, 10);
});

await kernelTest("tc pedit: a matchall filter's pedit action rewrites traffic, and its counters move", {
  needs: ["veth", "cls_matchall", "act_pedit"],
}, async (conn, ns) => {
  await veth(conn, { addresses: { v0: ["10.0.0.1/24"] } });
  await conn.addNeighbour({ dev: "v0", dst: "10.0.0.2", lladdr: "02:00:00:00:00:02" });
  await conn.addQdisc({ dev: "v1", kind: "clsact" });
  await conn.addFilter({
    dev: "v1",
    parent: "ingress",
    protocol: "ip",
    prio: 1,
    kind: "matchall",
    actions: [{ kind: "pedit", ex: true, keys: [{ header: "ip", field: "ttl", cmd: "decrement" }], index: 20 }],
  });
  const bound = actionData(await getAction(conn, "pedit", 20), "pedit")!.parmsEx!;
  deepStrictEqual([bound.refcnt, bound.bindcnt, bound.nkeys], [1, 1, 1]);
  await sendUdp(ns, "10.0.0.2", 20, 100);
  const stats = (await getAction(conn, "pedit", 20)).stats!;
  ok(stats.packets >= 20n && stats.bytes >= 20n * 128n, `the pedit action counted ${stats.packets} packets`);
  const [, node] = await conn.getFilters({ dev: "v1", parent: "ingress" });
  const [act] = (node.options as { act: Action[] }).act;
  deepStrictEqual([act.kind, act.stats!.packets >= 20n], ["pedit", true]);
  await conn.deleteFilter({ dev: "v1", parent: "ingress", prio: 1 });
  deepStrictEqual(await conn.getFilters({ dev: "v1", parent: "ingress" }), []);
});

await kernelTest("tc tunnel_key: set (IPv4, IPv6, Geneve, VXLAN, ERSPAN options) and unset, replaced, deleted", {
  needs: ["act_tunnel_key"],
}, async (conn) => {
  const v4: ActionOptions = {
    kind: "tunnel_key",
    action: "set",
    srcIp: "10.0.0.1",
    dstIp: "10.0.0.2",
    id: 42,
    dstPort: 6081,
    tos: 0x10,
    ttl: 64,
    csum: false,
    geneveOpts: [{ class: 0x0102, type: 0x80, data: "00880022" }],
    index: 10,
  };
  await conn.addActions([v4]);
  const a = actionData(await getAction(conn, "tunnel_key", 10), "tunnel_key")!;
  subset(a, {
    parms: { ...gen("pipe", 10), tAction: "set" },
    encIpv4Src: "10.0.0.1",
    encIpv4Dst: "10.0.0.2",
    encKeyId: 42,
    encDstPort: 6081,
    encTos: 0x10,
    encTtl: 64,
    noCsum: true,
    encOpts: { geneve: [{ class: 0x0102, type: 0x80, data: new Uint8Array([0, 0x88, 0, 0x22]) }] },
  }, "tunnel_key set (IPv4, Geneve)");

  await conn.addActions([{ kind: "tunnel_key", action: "unset", index: 11 }]);
  subset(actionData(await getAction(conn, "tunnel_key", 11), "tunnel_key"), {
    parms: { ...gen("pipe", 11), tAction: "unset" },
    encIpv4Src: undefined,
  }, "tunnel_key unset");

  await conn.addActions([{
    kind: "tunnel_key",
    action: "set",
    srcIp: "10.0.0.1",
    dstIp: "10.0.0.3",
    erspanOpts: { version: 2, dir: 1, hwid: 7 },
    index: 12,
  }]);
  subset(actionData(await getAction(conn, "tunnel_key", 12), "tunnel_key"), {
    encOpts: { erspan: { ver: 2, dir: 1, hwid: 7 } },
    noCsum: false,
  }, "tunnel_key set (ERSPAN)");

  await conn.replaceActions([{
    kind: "tunnel_key",
    action: "set",
    srcIp: "2001:db8::1",
    dstIp: "2001:db8::2",
    id: 7,
    vxlanOpts: { gbp: 0xff },
    control: "pass",
    index: 10,
  }]);
  subset(actionData(await getAction(conn, "tunnel_key", 10), "tunnel_key"), {
    parms: { ...gen("pass", 10), tAction: "set" },
    encIpv4Src: undefined,
    encIpv6Src: "2001:db8::1",
    encIpv6Dst: "2001:db8::2",
    encKeyId: 7,
    encOpts: { vxlan: { gbp: 0xff } },
  }, "tunnel_key replaced (IPv6, VXLAN)");
  deepStrictEqual(await indexes(conn, "tunnel_key"), [10, 11, 12]);
  await deleteAndFlush(conn, v4, 10);
});

await kernelTest("tc ct: commit with zone, mark and labels; NAT; clear; replaced, deleted and flushed", {
  needs: ["act_ct"],
}, async (conn) => {
  const committed: ActionOptions = {
    kind: "ct",
    commit: true,
    zone: 5,
    mark: 0x10,
    markMask: 0xff,
    label: "01",
    index: 10,
  };
  await conn.addActions([committed]);
  const labels = new Uint8Array(16);
  labels[0] = 1;
  subset(actionData(await getAction(conn, "ct", 10), "ct"), {
    parms: gen("pipe", 10),
    ctAction: ["commit"],
    zone: 5,
    mark: 0x10,
    markMask: 0xff,
    labels,
    labelsMask: new Uint8Array(16).fill(0xff),
  }, "ct commit");

  await conn.addActions([{
    kind: "ct",
    commit: true,
    nat: { type: "src", addr: "10.0.0.1-10.0.0.10", port: "1000-2000" },
    index: 11,
  }]);
  subset(actionData(await getAction(conn, "ct", 11), "ct"), {
    ctAction: ["commit", "nat", "nat_src"],
    natIpv4Min: "10.0.0.1",
    natIpv4Max: "10.0.0.10",
    natPortMin: 1000,
    natPortMax: 2000,
  }, "ct source NAT");

  await conn.addActions([{ kind: "ct", commit: true, nat: { type: "dst", addr: "2001:db8::5" }, index: 12 }]);
  subset(actionData(await getAction(conn, "ct", 12), "ct"), {
    ctAction: ["commit", "nat", "nat_dst"],
    natIpv6Min: "2001:db8::5",
    natIpv6Max: "2001:db8::5",
  }, "ct destination NAT (IPv6)");

  await conn.addActions([{ kind: "ct", clear: true, index: 13 }, { kind: "ct", zone: 3, nat: true, index: 14 }]);
  subset(actionData(await getAction(conn, "ct", 13), "ct"), { ctAction: ["clear"] }, "ct clear");
  subset(actionData(await getAction(conn, "ct", 14), "ct"), { ctAction: ["nat"], zone: 3 }, "ct nat (restore)");

  await conn.replaceActions([{ kind: "ct", zone: 7, control: "drop", index: 10 }]);
  subset(actionData(await getAction(conn, "ct", 10), "ct"), {
    parms: gen("drop", 10),
    ctAction: [],
    zone: 7,
    mark: undefined,
    labels: undefined,
  }, "ct replaced");
  deepStrictEqual(await indexes(conn, "ct"), [10, 11, 12, 13, 14]);
  await deleteAndFlush(conn, committed, 10);
});

await kernelTest("tc ife: encode (allowed and used metadata, MACs, type) and decode, replaced, deleted", {
  needs: ["act_ife"],
}, async (conn) => {
  const encode: ActionOptions = {
    kind: "ife",
    mode: "encode",
    allow: ["mark"],
    use: { prio: 7 },
    dst: "02:00:00:00:00:02",
    src: "02:00:00:00:00:01",
    type: 0xed3e,
    index: 10,
  };
  await conn.addActions([encode]);
  subset(actionData(await getAction(conn, "ife", 10), "ife"), {
    parms: { ...gen("pipe", 10), flags: "encode" },
    dmac: "02:00:00:00:00:02",
    smac: "02:00:00:00:00:01",
    type: 0xed3e,
    metalst: { mark: true, prio: 7 },
  }, "ife encode");

  await conn.addActions([{ kind: "ife", mode: "decode", index: 11 }]);
  subset(
    actionData(await getAction(conn, "ife", 11), "ife")!.parms!,
    { flags: "decode", action: "pipe" },
    "ife decode",
  );

  await conn.replaceActions([{ kind: "ife", mode: "decode", control: "drop", index: 11 }]);
  subset(actionData(await getAction(conn, "ife", 11), "ife")!.parms!, { flags: "decode", action: "drop" }, "replaced");
  deepStrictEqual(await indexes(conn, "ife"), [10, 11]);
  await deleteAndFlush(conn, encode, 10);
});

await kernelTest("tc gate: a schedule with priority, base time and clock, replaced, deleted and flushed", {
  needs: ["act_gate"],
}, async (conn) => {
  const gate: ActionOptions = {
    kind: "gate",
    priority: 2,
    baseTime: "1s",
    clockid: "tai",
    entries: [{ gate: "open", interval: "1ms", ipv: 3, maxOctets: 1500 }, { gate: "close", interval: 1000000 }],
    index: 10,
  };
  await conn.addActions([gate]);
  const g = actionData(await getAction(conn, "gate", 10), "gate")!;
  subset(g, {
    parms: gen("pipe", 10),
    priority: 2,
    baseTime: 1000000000n,
    clockid: "tai",
    entryList: [
      { index: 0, gate: true, interval: 1000000, ipv: 3, maxOctets: 1500 },
      { index: 1, interval: 1000000, ipv: -1, maxOctets: -1 },
    ],
  }, "gate");
  equal(g.cycleTime, 2000000n, "the cycle defaults to the entries' sum");

  await conn.replaceActions([{
    kind: "gate",
    clockid: "tai",
    cycleTime: "10ms",
    entries: [{ gate: "open", interval: "5ms" }],
    control: "drop",
    index: 10,
  }]);
  subset(actionData(await getAction(conn, "gate", 10), "gate"), {
    parms: gen("drop", 10),
    cycleTime: 10000000n,
    entryList: [{ index: 0, gate: true, interval: 5000000, ipv: -1, maxOctets: -1 }],
  }, "gate replaced");
  deepStrictEqual(await indexes(conn, "gate"), [10]);
  await deleteAndFlush(conn, gate, 10);
});
