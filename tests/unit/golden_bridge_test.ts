/**
 * Golden tests for the bridge requests: nlink's bytes equal the `bridge`
 * tool's for the same command (tests/fixtures/bridge.json, captured by
 * tests/fixtures/capture.ts from tests/fixtures/captures/bridge.ts); and the
 * decoders read back what the kernel sends, built here byte by byte.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import type { MessageView } from "../../src/core/message.ts";
import { bridgePortDumpRequest, bridgePortSetRequest, decodeBridgePort } from "../../src/route/bridge_port.ts";
import {
  bridgeVlanDbDumpRequest,
  bridgeVlanDumpRequest,
  bridgeVlanGlobalSetRequest,
  bridgeVlanRequest,
  bridgeVlanSetRequest,
  decodeBridgePortVlans,
  decodeBridgeVlanDb,
} from "../../src/route/bridge_vlan.ts";
import { decodeMdb, mdbDumpRequest, mdbRequest } from "../../src/route/mdb.ts";
import { goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("bridge");
const { p0, p1, br0, vx0 } = data.indexes;
const mdb = { dev: br0, port: p0 };

/** Our request for each fixture, built with the equivalent options. */
const OURS: Record<string, () => Uint8Array> = {
  "vlan.add": () => bridgeVlanRequest("add", p0, { dev: p0, vid: 10 }),
  "vlan.add.pvid": () => bridgeVlanRequest("add", p0, { dev: p0, vid: 20, pvid: true, untagged: true }),
  "vlan.add.range": () => bridgeVlanRequest("add", p0, { dev: p0, vid: 100, vidEnd: 200 }),
  "vlan.add.range.untagged.master": () =>
    bridgeVlanRequest("add", p0, { dev: p0, vid: 300, vidEnd: 310, untagged: true, master: true }),
  "vlan.add.self": () => bridgeVlanRequest("add", br0, { dev: br0, vid: 30, self: true }),
  "vlan.add.self.master": () => bridgeVlanRequest("add", p0, { dev: p0, vid: 31, self: true, master: true }),
  "vlan.add.tunnel": () => bridgeVlanRequest("add", vx0, { dev: vx0, vid: 50, tunnelId: 5000 }),
  "vlan.add.tunnel.range": () =>
    bridgeVlanRequest("add", vx0, { dev: vx0, vid: 60, vidEnd: 62, tunnelId: 6000, tunnelIdEnd: 6002 }),
  "vlan.del": () => bridgeVlanRequest("del", p0, { dev: p0, vid: 10 }),
  "vlan.del.range": () => bridgeVlanRequest("del", p0, { dev: p0, vid: 100, vidEnd: 200 }),
  "vlan.del.self": () => bridgeVlanRequest("del", br0, { dev: br0, vid: 30, self: true }),
  "vlan.del.tunnel": () => bridgeVlanRequest("del", vx0, { dev: vx0, vid: 50, tunnelId: 5000 }),
  "vlan.show": () => bridgeVlanDumpRequest(),
  "vlan.show.compressed": () => bridgeVlanDumpRequest({ compressed: true }),
  "vlan.show.dev": () => bridgeVlanDumpRequest(), // iproute2 filters by device itself, as getBridgeVlans does
  "vlandb.show": () => bridgeVlanDbDumpRequest({}),
  "vlandb.show.stats": () => bridgeVlanDbDumpRequest({ stats: true }),
  "vlandb.global.show": () => bridgeVlanDbDumpRequest({ global: true }),
  "vlandb.set": () => bridgeVlanSetRequest(p0, { dev: p0, vid: 10, state: "learning", mcastRouter: "perm" }),
  "vlandb.set.range": () => bridgeVlanSetRequest(p0, { dev: p0, vid: 10, vidEnd: 20, state: "forwarding" }),
  "vlandb.global.set": () =>
    bridgeVlanGlobalSetRequest(br0, {
      dev: br0,
      vid: 10,
      mcastSnooping: true,
      mcastQuerier: true,
      mcastIgmpVersion: 3,
      mcastMldVersion: 2,
      mcastLastMemberCount: 3,
      mcastLastMemberInterval: 200n,
      mcastStartupQueryCount: 4,
      mcastStartupQueryInterval: 3000n,
      mcastMembershipInterval: 26000n,
      mcastQuerierInterval: 25500n,
      mcastQueryInterval: 12000n,
      mcastQueryResponseInterval: 1000,
    }),
  "vlandb.global.set.range": () =>
    bridgeVlanGlobalSetRequest(br0, { dev: br0, vid: 10, vidEnd: 20, mcastSnooping: false }),
  "link.show": () => bridgePortDumpRequest(),
  "link.set.learning": () => bridgePortSetRequest(p0, { learning: false }),
  "link.set.many": () =>
    bridgePortSetRequest(p0, {
      guard: true,
      hairpin: true,
      fastLeave: true,
      rootBlock: false,
      unicastFlood: false,
      mcastRouter: "perm",
      mcastFlood: false,
      bcastFlood: true,
      mcastToUnicast: true,
      learning: false,
      learningSync: false,
      cost: 7,
      priority: 9,
      state: "blocking",
      neighSuppress: true,
      vlanTunnel: false,
      isolated: true,
      locked: true,
      backupPort: "p1",
    }, p1),
  "link.set.nobackup": () => bridgePortSetRequest(p0, { backupPort: null }),
  "link.set.state.number": () => bridgePortSetRequest(p0, { state: 3 }),
  "link.set.master": () => bridgePortSetRequest(p0, { isolated: false, master: true }),
  "link.set.hwmode": () => bridgePortSetRequest(br0, { hwmode: "vepa", self: true }),
  "mdb.show": () => mdbDumpRequest(),
  "mdb.add.v4": () => mdbRequest("add", { dev: br0, port: p0, group: "239.1.1.1", permanent: true }, mdb),
  "mdb.add.v4.vid": () => mdbRequest("add", { dev: br0, port: p0, group: "239.1.1.2", vid: 10 }, mdb),
  "mdb.add.v6": () => mdbRequest("add", { dev: br0, port: p0, group: "ff0e::1", permanent: true, vid: 20 }, mdb),
  "mdb.add.l2": () => mdbRequest("add", { dev: br0, port: p0, group: "01:00:5e:01:02:03", permanent: true }, mdb),
  "mdb.add.src.v4": () =>
    mdbRequest("add", { dev: br0, port: p0, group: "239.1.1.3", source: "192.0.2.1", permanent: true }, mdb),
  "mdb.add.src.v6": () =>
    mdbRequest("add", {
      dev: br0,
      port: p0,
      group: "ff0e::3",
      source: "2001:db8::9",
      permanent: true,
      vid: 10,
    }, mdb),
  "mdb.del.v4": () => mdbRequest("del", { dev: br0, port: p0, group: "239.1.1.1", permanent: true }, mdb),
  "mdb.del.v6.vid": () => mdbRequest("del", { dev: br0, port: p0, group: "ff0e::1", vid: 20 }, mdb),
};

goldenTests("bridge", data, OURS);

Deno.test("bridge requests: bad input is refused naming the field", () => {
  const bad: [string, () => unknown][] = [
    ["vid", () => bridgeVlanRequest("add", 3, { dev: 3, vid: 4096 })],
    ["vid", () => bridgeVlanRequest("add", 3, { dev: 3, vid: -1 })],
    ["vidEnd", () => bridgeVlanRequest("add", 3, { dev: 3, vid: 20, vidEnd: 10 })],
    ["pvid", () => bridgeVlanRequest("add", 3, { dev: 3, vid: 20, vidEnd: 30, pvid: true })],
    ["tunnelIdEnd", () => bridgeVlanRequest("add", 3, { dev: 3, vid: 20, vidEnd: 30, tunnelId: 5 })],
    ["tunnelIdEnd", () => bridgeVlanRequest("add", 3, { dev: 3, vid: 20, vidEnd: 22, tunnelId: 5, tunnelIdEnd: 9 })],
    ["tunnelId", () => bridgeVlanRequest("add", 3, { dev: 3, vid: 20, tunnelId: 1 << 24 })],
    ["state", () => bridgeVlanSetRequest(3, { dev: 3, vid: 1, state: 5 })],
    ["mcastIgmpVersion", () => bridgeVlanGlobalSetRequest(3, { dev: 3, vid: 1, mcastIgmpVersion: 4 })],
    ["priority", () => bridgePortSetRequest(3, { priority: 64 })],
    ["cost", () => bridgePortSetRequest(3, { cost: 0 })],
    ["mcastRouter", () => bridgePortSetRequest(3, { mcastRouter: 4 })],
    ["hwmode", () => bridgePortSetRequest(3, { hwmode: "vepb" as "vepa" })],
    ["group", () => mdbRequest("add", { dev: 4, port: 3, group: "10.0.0.1" }, mdb)],
    ["group", () => mdbRequest("add", { dev: 4, port: 3, group: "2001:db8::1" }, mdb)],
    ["group", () => mdbRequest("add", { dev: 4, port: 3, group: "02:00:00:00:00:01" }, mdb)],
    ["source", () => mdbRequest("add", { dev: 4, port: 3, group: "239.1.1.1", source: "2001:db8::1" }, mdb)],
    ["vid", () => mdbRequest("add", { dev: 4, port: 3, group: "239.1.1.1", vid: 4095 }, mdb)],
  ];
  for (const [field, fn] of bad) throws(fn, (e: ValidationError) => e instanceof ValidationError && e.field === field);
  throws(
    () => bridgePortSetRequest(3, { learning: 1 as unknown as boolean }),
    (e: ValidationError) => e instanceof ValidationError && e.field.endsWith("learning"),
  );
  throws(
    () => bridgePortSetRequest(3, { state: "sleeping" as "blocking" }),
    (e: ValidationError) => e instanceof ValidationError && e.field.endsWith("state"),
  );
});

// ---------------------------------------------------------------- decoding what the kernel sends

/** Builds a message from hex pieces (nlmsghdr with the right length first). */
function message(type: number, ...parts: string[]): MessageView {
  const body = parts.join("").replace(/\s+/g, "");
  const len = 16 + body.length / 2;
  const head = [len & 0xff, len >> 8, 0, 0, type & 0xff, type >> 8, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const bytes = new Uint8Array([...head, ...body.match(/../g)!.map((x) => parseInt(x, 16))]);
  return {
    bytes,
    view: new DataView(bytes.buffer),
    offset: 0,
    length: bytes.length,
    type,
    flags: 2,
    seq: 0,
    pid: 0,
  };
}

/** A netlink attribute as hex: type, then the payload (padded to 4 bytes). */
function attr(type: number, payload: string): string {
  const len = 4 + payload.length / 2;
  const pad = "00".repeat((4 - (len % 4)) % 4);
  return le16(len) + le16(type) + payload + pad;
}
const le16 = (n: number) => [n & 0xff, n >> 8].map((x) => x.toString(16).padStart(2, "0")).join("");
const le32 = (n: number) => le16(n & 0xffff) + le16(n >>> 16);
const ifinfomsg = (index: number, flags = 0) => "07000000" + le32(index) + le32(flags) + "00000000";

Deno.test("decode: a compressed `bridge vlan show` reply folds ranges", () => {
  const vinfo = (flags: number, vid: number) => attr(2, le16(flags) + le16(vid));
  const tunnel = (id: number, vid: number, flags: number) =>
    attr(3, attr(1, le32(id)) + attr(2, le16(vid)) + attr(3, le16(flags)));
  const msg = message(
    16,
    ifinfomsg(5, 0x1003),
    attr(3, "7030000000"), // IFLA_IFNAME "p0"
    attr(10, le32(4)), // IFLA_MASTER
    attr(
      26 | 0x8000,
      vinfo(6, 1) + vinfo(8, 100) + vinfo(16, 200) + vinfo(4 | 8, 300) + vinfo(4 | 16, 310) +
        tunnel(6000, 60, 8) + tunnel(6002, 62, 16) + tunnel(5000, 50, 0),
    ),
  );
  assertEquals(decodeBridgePortVlans(msg), {
    ifindex: 5,
    name: "p0",
    master: 4,
    vlans: [
      { vid: 1, pvid: true, untagged: true },
      { vid: 100, vidEnd: 200, pvid: false, untagged: false },
      { vid: 300, vidEnd: 310, pvid: false, untagged: true },
    ],
    tunnels: [{ vid: 60, vidEnd: 62, tunnelId: 6000, tunnelIdEnd: 6002 }, { vid: 50, tunnelId: 5000 }],
  });
});

Deno.test("decode: a `bridge link show` reply (PROTINFO as booleans and names)", () => {
  const u8 = (t: number, v: number) => attr(t, v.toString(16).padStart(2, "0"));
  const msg = message(
    16,
    ifinfomsg(3, 0x11043),
    attr(3, "7030000000"),
    attr(4, le32(1500)),
    attr(10, le32(4)),
    attr(
      12 | 0x8000,
      u8(1, 3) + attr(2, le16(32)) + attr(3, le32(2)) + u8(4, 0) + u8(8, 1) + u8(25, 2) + u8(33, 1) +
        attr(34, le32(2)) + attr(13, "80000200000000aa"),
    ),
    attr(26, attr(1, le16(1))),
  );
  assertEquals(decodeBridgePort(msg), {
    ifindex: 3,
    name: "p0",
    flags: ["UP", "BROADCAST", "RUNNING", "MULTICAST", "LOWER_UP"],
    mtu: 1500,
    master: 4,
    state: "forwarding",
    priority: 32,
    cost: 2,
    hairpin: false,
    learning: true,
    mcastRouter: "perm",
    isolated: true,
    backupPort: 2,
    rootId: { prio: 0x8000, address: "02:00:00:00:00:aa" },
    hwmode: "vepa",
  });
});

Deno.test("decode: an MDB dump reply (entries, sources, router ports)", () => {
  const entry = (port: number, state: number, flags: number, vid: number, addr: string, proto: string) =>
    le32(port) + state.toString(16).padStart(2, "0") + flags.toString(16).padStart(2, "0") + le16(vid) +
    addr.padEnd(32, "0") + proto + "0000";
  const v4 = attr(
    1,
    entry(3, 1, 0, 10, "ef010101", "0800") + attr(1, le32(0)) + attr(3, "01") + attr(5, "04") +
      attr(2, attr(1, attr(1, "c0000201") + attr(2, le32(250)))),
  );
  const v6 = attr(1, entry(3, 0, 2, 0, "ff0e0000000000000000000000000001", "86dd") + attr(1, le32(26000)));
  const l2 = attr(1, entry(3, 1, 0, 0, "01005e010203", "0000"));
  const router = attr(1, le32(5) + attr(1, le32(100)) + attr(2, "03") + attr(5, le16(10)));
  const msg = message(86, "07000000" + le32(4), attr(1, attr(1, v4 + v6 + l2)), attr(2, router));
  assertEquals(decodeMdb(msg), {
    ifindex: 4,
    entries: [
      {
        ifindex: 4,
        port: 3,
        group: "239.1.1.1",
        state: "permanent",
        flags: [],
        vid: 10,
        timer: 0,
        filterMode: "include",
        protocol: "static",
        sourceList: [{ address: "192.0.2.1", timer: 250 }],
      },
      { ifindex: 4, port: 3, group: "ff0e::1", state: "temp", flags: ["fast_leave"], timer: 26000 },
      { ifindex: 4, port: 3, group: "01:00:5e:01:02:03", state: "permanent", flags: [] },
    ],
    routers: [{ ifindex: 4, port: 5, timer: 100, type: "temp", vid: 10 }],
  });
});

Deno.test("decode: VLAN database entries and global options", () => {
  const info = (flags: number, vid: number) => attr(1, le16(flags) + le16(vid));
  const u64 = (n: number) => le32(n) + le32(0);
  const entry = attr(
    1 | 0x8000,
    info(6, 1) + attr(2, le16(5)) + attr(3, "03") + attr(6, "02") +
      attr(5, attr(1, u64(100)) + attr(2, u64(2)) + attr(3, u64(50)) + attr(4, u64(1))),
  );
  const global = attr(
    2 | 0x8000,
    attr(1, le16(10)) + attr(3, "01") + attr(4, "03") + attr(12, u64(12500)) +
      attr(16, attr(1, le32(3) + attr(2, "02"))),
  );
  const msg = message(112, "07000000" + le32(4), entry, global);
  assertEquals(decodeBridgeVlanDb(msg), {
    ifindex: 4,
    entries: [{
      ifindex: 4,
      vid: 1,
      vidEnd: 5,
      pvid: true,
      untagged: true,
      flags: ["pvid", "untagged"],
      state: "forwarding",
      mcastRouter: "perm",
      stats: { rxBytes: 100n, rxPackets: 2n, txBytes: 50n, txPackets: 1n },
    }],
    globalOptions: [{
      ifindex: 4,
      vid: 10,
      mcastSnooping: true,
      mcastIgmpVersion: 3,
      mcastQueryInterval: 12500n,
      mcastRouterPorts: [{ port: 3, type: "perm" }],
    }],
  });
});
