/**
 * Golden tests for the rewriting and tracking actions (pedit, tunnel_key, ct,
 * ife, gate): nlink's request bytes equal iproute2's for the same command
 * (tests/fixtures/tc_rewrite.json, captured by tests/fixtures/captures/tc_rewrite.ts).
 * Also: decoding what we encode gives back the values, and bad options are
 * refused before anything is sent, naming the field.
 */
import { deepStrictEqual as assertEquals, ok, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { decodeMessage, type MessageView } from "../../src/core/message.ts";
import { decodeAttrs } from "../../src/core/schema.ts";
import { TUNNEL_KEY_ATTRS } from "../../src/tc/actions/tunnel_key.ts";
import {
  type Action,
  ACTION_MESSAGE,
  actionLookupRequest,
  type ActionOptions,
  actionRequest,
} from "../../src/tc/action.ts";
import { tcContext } from "../../src/tc/request.ts";
import { goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("tc_rewrite");

const add = (a: ActionOptions) => () => actionRequest("add", [a], tcContext("add"));
const V4 = { srcIp: "10.0.0.1", dstIp: "10.0.0.2" } as const;

/** Our request for each fixture, built with the equivalent options. */
const OURS: Record<string, () => Uint8Array> = {
  "pedit.raw.u32": add({ kind: "pedit", keys: [{ offset: 12, size: "u32", cmd: "set", value: 0x0a000001 }] }),
  "pedit.raw.u16": add({ kind: "pedit", keys: [{ offset: 22, size: "u16", cmd: "set", value: 80 }] }),
  "pedit.raw.u16.low": add({ kind: "pedit", keys: [{ offset: 20, size: "u16", cmd: "set", value: 0x1234 }] }),
  "pedit.raw.u8": add({ kind: "pedit", keys: [{ offset: 1, size: "u8", cmd: "set", value: 0x10, retain: 0xfc }] }),
  "pedit.raw.u8.last": add({ kind: "pedit", keys: [{ offset: 11, size: "u8", cmd: "set", value: 7 }] }),
  "pedit.raw.u32.retain": add({
    kind: "pedit",
    keys: [{ offset: 0, size: "u32", cmd: "set", value: 0x00ab0000, retain: 0x00ff0000 }],
  }),
  "pedit.raw.clear": add({ kind: "pedit", keys: [{ offset: 8, size: "u8", cmd: "clear" }] }),
  "pedit.raw.invert": add({ kind: "pedit", keys: [{ offset: 8, size: "u16", cmd: "invert" }] }),
  "pedit.raw.preserve": add({ kind: "pedit", keys: [{ offset: 4, size: "u32", cmd: "preserve" }] }),
  "pedit.raw.negative": add({ kind: "pedit", keys: [{ offset: -12, size: "u32", cmd: "set", value: 0x02000000 }] }),
  "pedit.raw.at": add({
    kind: "pedit",
    keys: [{ offset: 2, size: "u16", at: 0, offmask: 0x0f000000, shift: 22, cmd: "set", value: 443 }],
  }),
  "pedit.raw.multi": add({
    kind: "pedit",
    keys: [{ offset: 12, size: "u32", cmd: "set", value: 1 }, { offset: 16, size: "u32", cmd: "set", value: 2 }],
    control: "drop",
    index: 5,
  }),
  "pedit.ip.src": add({ kind: "pedit", keys: [{ header: "ip", field: "src", cmd: "set", value: "10.0.0.2" }] }),
  "pedit.ip.dst.pipe": add({
    kind: "pedit",
    keys: [{ header: "ip", field: "dst", cmd: "set", value: "192.168.1.1" }],
    control: "pipe",
  }),
  "pedit.ip.tos": add({ kind: "pedit", keys: [{ header: "ip", field: "tos", cmd: "set", value: 0x10 }] }),
  "pedit.ip.dsfield.retain": add({
    kind: "pedit",
    keys: [{ header: "ip", field: "dsfield", cmd: "set", value: 0xb8, retain: 0xfc }],
  }),
  "pedit.ip.precedence": add({ kind: "pedit", keys: [{ header: "ip", field: "precedence", cmd: "set", value: 0x20 }] }),
  "pedit.ip.ihl": add({ kind: "pedit", keys: [{ header: "ip", field: "ihl", cmd: "set", value: 5 }] }),
  "pedit.ip.ttl": add({ kind: "pedit", keys: [{ header: "ip", field: "ttl", cmd: "set", value: 63 }] }),
  "pedit.ip.ttl.invert": add({ kind: "pedit", keys: [{ header: "ip", field: "ttl", cmd: "invert" }] }),
  "pedit.ip.protocol": add({ kind: "pedit", keys: [{ header: "ip", field: "protocol", cmd: "set", value: 17 }] }),
  "pedit.ip.nofrag": add({ kind: "pedit", keys: [{ header: "ip", field: "nofrag", cmd: "set", value: 0 }] }),
  "pedit.ip.firstfrag": add({ kind: "pedit", keys: [{ header: "ip", field: "firstfrag", cmd: "set", value: 0 }] }),
  "pedit.ip.ce": add({ kind: "pedit", keys: [{ header: "ip", field: "ce", cmd: "set", value: 0x80 }] }),
  "pedit.ip.df": add({ kind: "pedit", keys: [{ header: "ip", field: "df", cmd: "set", value: 0x40 }] }),
  "pedit.ip.mf": add({ kind: "pedit", keys: [{ header: "ip", field: "mf", cmd: "clear" }] }),
  "pedit.ip.sport": add({ kind: "pedit", keys: [{ header: "ip", field: "sport", cmd: "set", value: 1234 }] }),
  "pedit.ip.dport": add({ kind: "pedit", keys: [{ header: "ip", field: "dport", cmd: "set", value: 80 }] }),
  "pedit.ip.icmp_type": add({ kind: "pedit", keys: [{ header: "ip", field: "icmp_type", cmd: "set", value: 8 }] }),
  "pedit.ip.icmp_code": add({ kind: "pedit", keys: [{ header: "ip", field: "icmp_code", cmd: "set", value: 3 }] }),
  "pedit.ex.eth.dst": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "eth", field: "dst", cmd: "set", value: "02:00:00:00:00:02" }],
  }),
  "pedit.ex.eth.src": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "eth", field: "src", cmd: "set", value: "02:11:22:33:44:55" }],
  }),
  "pedit.ex.eth.type": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "eth", field: "type", cmd: "set", value: 0x86dd }],
  }),
  "pedit.ex.eth.dst.clear": add({ kind: "pedit", ex: true, keys: [{ header: "eth", field: "dst", cmd: "clear" }] }),
  "pedit.ex.ip.src": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "ip", field: "src", cmd: "set", value: "10.0.0.9" }],
  }),
  "pedit.ex.ip.dst.add": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "ip", field: "dst", cmd: "add", value: "0.0.0.1" }],
  }),
  "pedit.ex.ip.ttl.dec": add({ kind: "pedit", ex: true, keys: [{ header: "ip", field: "ttl", cmd: "decrement" }] }),
  "pedit.ex.ip.ttl.add": add({ kind: "pedit", ex: true, keys: [{ header: "ip", field: "ttl", cmd: "add", value: 5 }] }),
  "pedit.ex.ip.tos": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "ip", field: "tos", cmd: "set", value: 0x28, retain: 0xfc }],
  }),
  "pedit.ex.ip6.src": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "ip6", field: "src", cmd: "set", value: "2001:db8::2" }],
  }),
  "pedit.ex.ip6.dst": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "ip6", field: "dst", cmd: "set", value: "2001:db8:1:2:3:4:5:6" }],
  }),
  "pedit.ex.ip6.traffic_class": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "ip6", field: "traffic_class", cmd: "set", value: 0x10 }],
  }),
  "pedit.ex.ip6.flow_lbl": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "ip6", field: "flow_lbl", cmd: "set", value: 0x12345 }],
  }),
  "pedit.ex.ip6.payload_len": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "ip6", field: "payload_len", cmd: "set", value: 100 }],
  }),
  "pedit.ex.ip6.nexthdr": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "ip6", field: "nexthdr", cmd: "set", value: 6 }],
  }),
  "pedit.ex.ip6.hoplimit.dec": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "ip6", field: "hoplimit", cmd: "decrement" }],
  }),
  "pedit.ex.tcp.sport": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "tcp", field: "sport", cmd: "set", value: 1000 }],
  }),
  "pedit.ex.tcp.dport": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "tcp", field: "dport", cmd: "set", value: 2000 }],
  }),
  "pedit.ex.tcp.flags": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "tcp", field: "flags", cmd: "set", value: 0x12 }],
  }),
  "pedit.ex.udp.sport": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "udp", field: "sport", cmd: "set", value: 53 }],
  }),
  "pedit.ex.udp.dport.add": add({
    kind: "pedit",
    ex: true,
    keys: [{ header: "udp", field: "dport", cmd: "add", value: 1 }],
  }),
  "pedit.ex.raw.add": add({ kind: "pedit", ex: true, keys: [{ offset: 12, size: "u32", cmd: "add", value: 1 }] }),
  "pedit.ex.multi": add({
    kind: "pedit",
    ex: true,
    keys: [
      { header: "eth", field: "src", cmd: "set", value: "02:00:00:00:00:01" },
      { header: "ip", field: "ttl", cmd: "decrement" },
      { header: "tcp", field: "dport", cmd: "set", value: 80 },
    ],
    control: "pipe",
    index: 7,
  }),

  "tunnel_key.unset": add({ kind: "tunnel_key", action: "unset" }),
  "tunnel_key.unset.index": add({ kind: "tunnel_key", action: "unset", control: "pass", index: 4 }),
  "tunnel_key.set.v4": add({ kind: "tunnel_key", action: "set", ...V4, id: 42, dstPort: 4789 }),
  "tunnel_key.set.v6": add({
    kind: "tunnel_key",
    action: "set",
    srcIp: "2001:db8::1",
    dstIp: "2001:db8::2",
    id: 7,
    tos: 0x10,
    ttl: 64,
    csum: false,
  }),
  "tunnel_key.set.minimal": add({ kind: "tunnel_key", action: "set", ...V4 }),
  "tunnel_key.set.geneve": add({
    kind: "tunnel_key",
    action: "set",
    ...V4,
    id: 1,
    dstPort: 6081,
    geneveOpts: [
      { class: 0x0102, type: 0x80, data: "00880022" },
      { class: 0x0103, type: 1, data: new Uint8Array([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]) },
    ],
  }),
  "tunnel_key.set.vxlan": add({ kind: "tunnel_key", action: "set", ...V4, id: 2, vxlanOpts: { gbp: 0x800ff } }),
  "tunnel_key.set.erspan.v1": add({
    kind: "tunnel_key",
    action: "set",
    ...V4,
    id: 3,
    erspanOpts: { version: 1, index: 12, dir: 0, hwid: 0 },
  }),
  "tunnel_key.set.erspan.v2": add({
    kind: "tunnel_key",
    action: "set",
    ...V4,
    id: 3,
    erspanOpts: { version: 2, index: 0, dir: 1, hwid: 17 },
  }),
  "tunnel_key.set.control": add({
    kind: "tunnel_key",
    action: "set",
    ...V4,
    csum: true,
    control: "reclassify",
    index: 9,
  }),

  "ct.plain": add({ kind: "ct" }),
  "ct.clear": add({ kind: "ct", clear: true }),
  "ct.commit": add({ kind: "ct", commit: true }),
  "ct.zone": add({ kind: "ct", zone: 5 }),
  "ct.nat.restore": add({ kind: "ct", zone: 3, nat: true, control: "pipe" }),
  "ct.commit.all": add({
    kind: "ct",
    commit: true,
    force: true,
    zone: 5,
    mark: 0x10,
    markMask: 0xff,
    label: "0102030405060708090a0b0c0d0e0f10",
    labelMask: "ffff0000000000000000000000000000",
    index: 2,
    control: "pipe",
  }),
  "ct.commit.mark": add({ kind: "ct", commit: true, mark: 7, label: "01" }),
  "ct.nat.src": add({ kind: "ct", commit: true, nat: { type: "src", addr: "10.0.0.1-10.0.0.10", port: "1000-2000" } }),
  "ct.nat.dst.v6": add({ kind: "ct", commit: true, nat: { type: "dst", addr: "2001:db8::5" }, control: "pipe" }),
  "ct.nat.src.port": add({ kind: "ct", commit: true, nat: { type: "src", addr: "10.0.0.1", port: 5000 } }),
  "ct.control": add({ kind: "ct", zone: 2, control: "goto chain 3" }),

  "ife.decode": add({ kind: "ife", mode: "decode" }),
  "ife.decode.control": add({ kind: "ife", mode: "decode", control: "reclassify", index: 3 }),
  "ife.encode.allow": add({ kind: "ife", mode: "encode", allow: ["mark"] }),
  "ife.encode.all": add({
    kind: "ife",
    mode: "encode",
    use: { mark: 10, tcindex: 3 },
    allow: ["prio"],
    dst: "02:00:00:00:00:02",
    src: "02:00:00:00:00:01",
    type: 0xed3e,
  }),
  "ife.encode.prio": add({
    kind: "ife",
    mode: "encode",
    use: { prio: 7 },
    allow: ["tcindex"],
    dst: "02:00:00:00:00:05",
    control: "pass",
  }),

  "gate.basic": add({
    kind: "gate",
    entries: [{ gate: "open", interval: 200000000, ipv: -1, maxOctets: -1 }, { gate: "close", interval: 100000000 }],
  }),
  "gate.all": add({
    kind: "gate",
    priority: 1,
    baseTime: 200000000n,
    cycleTime: "100ms",
    cycleTimeExt: "10ms",
    clockid: "CLOCK_TAI",
    flags: 2,
    entries: [{ gate: "open", interval: "50ms", ipv: 2, maxOctets: "8k" }, { gate: "close", interval: "50ms" }],
    index: 6,
    control: "drop",
  }),
  "gate.open.ipv": add({
    kind: "gate",
    clockid: "monotonic",
    entries: [{ gate: "open", interval: 1000000, ipv: 3 }, { gate: "close", interval: 2000000 }],
  }),
  "gate.index": add({ kind: "gate", index: 4 }),

  "ct.get": () => actionLookupRequest("get", "ct", 3),
  "gate.del": () => actionLookupRequest("delete", "gate", 4),
  "pedit.flush": () => actionLookupRequest("flush", "pedit"),
};

goldenTests("tc rewrite", data, OURS);

/** The actions of a request, decoded as a reply would be. */
function decodeActions(bytes: Uint8Array): Action[] {
  const b = bytes.slice();
  const v = new DataView(b.buffer);
  const view: MessageView = { bytes: b, view: v, offset: 0, length: b.length, type: 48, flags: 0, seq: 0, pid: 0 };
  return decodeMessage(ACTION_MESSAGE, view).actions as Action[];
}

/** The options nlink decodes from its own request for `a`. */
function roundTrip(a: ActionOptions): Record<string, unknown> {
  const [decoded] = decodeActions(actionRequest("add", [a], tcContext("add")));
  assertEquals(decoded.kind, a.kind);
  return decoded.options as Record<string, unknown>;
}

Deno.test("pedit: keys decode to the words, masks and header types iproute2 packs", () => {
  const legacy = roundTrip({ kind: "pedit", keys: [{ header: "ip", field: "ttl", cmd: "set", value: 63 }], index: 3 });
  assertEquals(legacy.parms, {
    index: 3,
    capab: 0,
    action: "pass",
    refcnt: 0,
    bindcnt: 0,
    nkeys: 1,
    flags: 0,
    keys: [{ mask: 0x00ffffff, val: 0x3f000000, off: 8, at: 0, offmask: 0, shift: 0 }],
  });
  const ex = roundTrip({
    kind: "pedit",
    ex: true,
    keys: [
      { header: "eth", field: "src", cmd: "set", value: "02:11:22:33:44:55" },
      { header: "ip6", field: "traffic_class", cmd: "set", value: 0x10 },
      { header: "ip", field: "ttl", cmd: "decrement" },
      { offset: 2, size: "u16", at: 0, offmask: 0x0f000000, shift: 22, cmd: "set", value: 443 },
    ],
    control: "drop",
  });
  const sel = ex.parmsEx as { action: string; nkeys: number; keys: unknown[] };
  assertEquals([sel.action, sel.nkeys], ["drop", 5]);
  assertEquals(sel.keys, [
    { mask: 0xffff0000, val: 0x00000211, off: 4, at: 0, offmask: 0, shift: 0 },
    { mask: 0, val: 0x22334455, off: 8, at: 0, offmask: 0, shift: 0 },
    { mask: 0xf00fffff, val: 0x01000000, off: 0, at: 0, offmask: 0, shift: 0 },
    { mask: 0x00ffffff, val: 0xff000000, off: 8, at: 0, offmask: 0, shift: 0 },
    { mask: 0xffff0000, val: 0x000001bb, off: 0, at: 0, offmask: 0x0f000000, shift: 22 },
  ]);
  assertEquals(ex.keysEx, [
    { htype: "eth", cmd: "set" },
    { htype: "eth", cmd: "set" },
    { htype: "ip6", cmd: "set" },
    { htype: "ip", cmd: "add" },
    { htype: "network", cmd: "set" },
  ]);
});

Deno.test("tunnel_key: Geneve options read back both as sent (a nest each) and as dumped (one nest)", () => {
  const two = [{ class: 0x102, type: 0x80, data: "00880022" }, { class: 0x103, type: 1, data: "11223344" }];
  const expected = [
    { class: 0x102, type: 0x80, data: new Uint8Array([0, 0x88, 0, 0x22]) },
    { class: 0x103, type: 1, data: new Uint8Array([0x11, 0x22, 0x33, 0x44]) },
  ];
  const sent = roundTrip({ kind: "tunnel_key", action: "set", ...V4, geneveOpts: two });
  assertEquals((sent.encOpts as { geneve: unknown }).geneve, expected);
  // The kernel's dump: ENC_OPTS { GENEVE { CLASS TYPE DATA CLASS TYPE DATA } }.
  const attr = (type: number, payload: number[]) => {
    const len = 4 + payload.length;
    return [len & 0xff, len >> 8, type & 0xff, type >> 8, ...payload, ...new Array((4 - (len % 4)) % 4).fill(0)];
  };
  const inner = [
    ...attr(1, [0x01, 0x02]),
    ...attr(2, [0x80]),
    ...attr(3, [0, 0x88, 0, 0x22]),
    ...attr(1, [0x01, 0x03]),
    ...attr(2, [1]),
    ...attr(3, [0x11, 0x22, 0x33, 0x44]),
  ];
  const b = new Uint8Array(attr(11, attr(1, inner))); // TCA_TUNNEL_KEY_ENC_OPTS
  assertEquals(decodeAttrs(TUNNEL_KEY_ATTRS, b, new DataView(b.buffer), 0, b.length), {
    encOpts: { geneve: expected },
  });
});

Deno.test("tunnel_key, ct, ife, gate: decoding what we encode gives back the values", () => {
  const tk = roundTrip({
    kind: "tunnel_key",
    action: "set",
    srcIp: "2001:db8::1",
    dstIp: "2001:db8::2",
    id: 7,
    dstPort: 6081,
    tos: 0x10,
    ttl: 64,
    csum: false,
    noFrag: true,
    geneveOpts: [{ class: 0x102, type: 0x80, data: "00880022" }],
    index: 2,
  });
  assertEquals(tk, {
    encIpv6Src: "2001:db8::1",
    encIpv6Dst: "2001:db8::2",
    encKeyId: 7,
    encDstPort: 6081,
    encOpts: { geneve: [{ class: 0x102, type: 0x80, data: new Uint8Array([0, 0x88, 0, 0x22]) }] },
    encTos: 0x10,
    encTtl: 64,
    noFrag: true,
    noCsum: true,
    parms: { index: 2, capab: 0, action: "pipe", refcnt: 0, bindcnt: 0, tAction: "set" },
  });
  const erspan = roundTrip({ kind: "tunnel_key", action: "set", ...V4, erspanOpts: { version: 2, dir: 1, hwid: 5 } });
  assertEquals(erspan.encOpts, { erspan: { ver: 2, dir: 1, hwid: 5 } });
  assertEquals(erspan.encIpv4Src, "10.0.0.1");
  assertEquals((roundTrip({ kind: "tunnel_key", action: "unset" }).parms as { tAction: string }).tAction, "unset");

  assertEquals(
    roundTrip({
      kind: "ct",
      commit: true,
      zone: 4,
      mark: 5,
      label: "ff",
      helper: "ipv4-tcp-ftp",
      nat: { type: "dst", addr: ["10.0.0.5", "10.0.0.6"], port: [80, 81] },
    }),
    {
      zone: 4,
      mark: 5,
      markMask: 0xffffffff,
      labels: new Uint8Array([0xff]),
      labelsMask: new Uint8Array(16).fill(0xff),
      helperFamily: 2,
      helperProto: 6,
      helperName: "ftp",
      natIpv4Min: "10.0.0.5",
      natIpv4Max: "10.0.0.6",
      natPortMin: 80,
      natPortMax: 81,
      ctAction: ["commit", "nat", "nat_dst"],
      parms: { index: 0, capab: 0, action: "pipe", refcnt: 0, bindcnt: 0 },
    },
  );

  assertEquals(
    roundTrip({ kind: "ife", mode: "encode", allow: ["tcindex"], use: { mark: 9 }, src: "02:00:00:00:00:09" }),
    {
      parms: { index: 0, capab: 0, action: "pipe", refcnt: 0, bindcnt: 0, flags: "encode" },
      smac: "02:00:00:00:00:09",
      metalst: { mark: 9, tcindex: true },
    },
  );

  assertEquals(
    roundTrip({
      kind: "gate",
      priority: 3,
      baseTime: "1s",
      clockid: "tai",
      entries: [{ gate: "open", interval: "1ms", maxOctets: 1500 }, { gate: "close", interval: 500 }],
    }),
    {
      parms: { index: 0, capab: 0, action: "pipe", refcnt: 0, bindcnt: 0 },
      priority: 3,
      baseTime: 1000000000n,
      clockid: "tai",
      entryList: [
        { gate: true, interval: 1000000, ipv: -1, maxOctets: 1500 },
        { interval: 500, ipv: -1, maxOctets: -1 },
      ],
    },
  );
});

Deno.test("ct: a helper is sent as family, protocol and name (iproute2 6.2's order)", () => {
  const bytes = actionRequest("add", [{
    kind: "ct",
    commit: true,
    helper: { family: "ipv6", proto: "udp", name: "sip" },
  }], tcContext("add"));
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  // TCA_CT_HELPER_FAMILY (17) = AF_INET6, TCA_CT_HELPER_PROTO (18) = 17, TCA_CT_HELPER_NAME (16) = "sip\0".
  ok(hex.includes("050011000a000000" + "050012001100000008001000736970000600030001000000"), hex);
});

/** Expects `a` to be refused with a ValidationError naming `field` (under `actions[0].`). */
function refused(a: unknown, field: string): void {
  throws(
    () => actionRequest("add", [a as ActionOptions], tcContext("add")),
    (e: unknown) => e instanceof ValidationError && e.field === `actions[0].${field}`,
    `expected a ValidationError on ${field}`,
  );
}

Deno.test("pedit: bad options are refused, naming the field", () => {
  refused({ kind: "pedit", keys: [], bogus: 1 }, "bogus");
  refused({ kind: "pedit", keys: [] }, "keys");
  refused({ kind: "pedit" }, "keys");
  refused({ kind: "pedit", keys: [{ offset: 2, size: "u32", cmd: "set", value: 1 }] }, "keys[0].offset");
  refused({ kind: "pedit", keys: [{ offset: 3, size: "u16", cmd: "set", value: 1 }] }, "keys[0].offset");
  refused({ kind: "pedit", keys: [{ offset: 0, size: "u8", cmd: "set", value: 256 }] }, "keys[0].value");
  refused({ kind: "pedit", keys: [{ offset: 0, size: "u64", cmd: "set", value: 1 }] }, "keys[0].size");
  refused({ kind: "pedit", keys: [{ offset: 0, size: "u8", cmd: "set" }] }, "keys[0].value");
  refused({ kind: "pedit", keys: [{ offset: 0, size: "u8", cmd: "clear", value: 3 }] }, "keys[0].value");
  refused({ kind: "pedit", keys: [{ offset: 0, size: "u8", cmd: "zap" }] }, "keys[0].cmd");
  refused({ kind: "pedit", keys: [{ offset: 0, size: "u8", shift: 2, cmd: "clear" }] }, "keys[0].at");
  refused({ kind: "pedit", keys: [{ offset: 0, size: "u8", cmd: "set", value: 1, header: "ip" }] }, "keys[0].offset");
  // Without ex: only ip fields, only set-like commands.
  refused({ kind: "pedit", keys: [{ offset: 0, size: "u32", cmd: "add", value: 1 }] }, "keys[0].cmd");
  refused({ kind: "pedit", keys: [{ header: "ip", field: "ttl", cmd: "decrement" }] }, "keys[0].cmd");
  refused({ kind: "pedit", keys: [{ header: "tcp", field: "dport", cmd: "set", value: 1 }] }, "keys[0].header");
  // With ex: the legacy ip port fields are gone.
  refused({ kind: "pedit", ex: true, keys: [{ header: "ip", field: "dport", cmd: "set", value: 1 }] }, "keys[0].field");
  refused({ kind: "pedit", ex: true, keys: [{ header: "ip", field: "tll", cmd: "set", value: 1 }] }, "keys[0].field");
  refused(
    { kind: "pedit", ex: true, keys: [{ header: "icmp", field: "type", cmd: "set", value: 1 }] },
    "keys[0].header",
  );
  refused({ kind: "pedit", ex: true, keys: [{ header: "tcp", field: "dport", cmd: "decrement" }] }, "keys[0].cmd");
  refused(
    { kind: "pedit", ex: true, keys: [{ header: "ip", field: "src", cmd: "set", value: "2001:db8::1" }] },
    "keys[0].value",
  );
  refused(
    { kind: "pedit", ex: true, keys: [{ header: "eth", field: "dst", cmd: "set", value: "zz" }] },
    "keys[0].value",
  );
  refused({ kind: "pedit", ex: true, keys: [{ header: "eth", field: "dst", cmd: "invert" }] }, "keys[0].cmd");
  refused({ kind: "pedit", ex: true, keys: [{ header: "ip6", field: "src", cmd: "preserve" }] }, "keys[0].retain");
  refused({ kind: "pedit", ex: "yes", keys: [] }, "ex");
  const many = Array.from({ length: 33 }, () => ({ header: "ip6", field: "src", cmd: "set", value: "::1" }));
  refused({ kind: "pedit", ex: true, keys: many }, "keys");
  refused({ kind: "pedit", keys: [{ offset: 0, size: "u8", cmd: "clear" }], control: "sometimes" }, "control");
});

Deno.test("tunnel_key, ct, ife, gate: bad options are refused, naming the field", () => {
  refused({ kind: "tunnel_key" }, "action");
  refused({ kind: "tunnel_key", action: "set", dstIp: "10.0.0.2" }, "srcIp");
  refused({ kind: "tunnel_key", action: "set", srcIp: "10.0.0.1" }, "dstIp");
  refused({ kind: "tunnel_key", action: "set", srcIp: "10.0.0.1", dstIp: "2001:db8::2" }, "dstIp");
  refused({ kind: "tunnel_key", action: "unset", srcIp: "10.0.0.1" }, "srcIp");
  refused({ kind: "tunnel_key", action: "set", ...V4, id: -1 }, "id");
  refused({ kind: "tunnel_key", action: "set", ...V4, dstPort: 65536 }, "dstPort");
  refused({ kind: "tunnel_key", action: "set", ...V4, ttl: 256 }, "ttl");
  refused(
    { kind: "tunnel_key", action: "set", ...V4, vxlanOpts: { gbp: 1 }, erspanOpts: { version: 1 } },
    "erspanOpts",
  );
  refused(
    { kind: "tunnel_key", action: "set", ...V4, geneveOpts: [{ class: 1, type: 1, data: "001122" }] },
    "geneveOpts[0].data",
  );
  refused({ kind: "tunnel_key", action: "set", ...V4, erspanOpts: { version: 3 } }, "erspanOpts.version");
  refused({ kind: "tunnel_key", action: "set", ...V4, srcPort: 1 }, "srcPort");

  refused({ kind: "ct", clear: true, commit: true }, "clear");
  refused({ kind: "ct", nat: { type: "src", addr: "10.0.0.1" } }, "nat");
  refused({ kind: "ct", commit: true, nat: true }, "nat");
  refused({ kind: "ct", commit: true, nat: { type: "both", addr: "10.0.0.1" } }, "nat.type");
  refused({ kind: "ct", commit: true, nat: { type: "src", addr: "10.0.0.1-2001:db8::1" } }, "nat.addr");
  refused({ kind: "ct", commit: true, nat: { type: "src", addr: "10.0.0.1", port: 70000 } }, "nat.port");
  refused({ kind: "ct", zone: 65536 }, "zone");
  refused({ kind: "ct", commit: true, markMask: 1 }, "markMask");
  refused({ kind: "ct", commit: true, label: "0102030405060708090a0b0c0d0e0f1011" }, "label");
  refused({ kind: "ct", commit: true, helper: "ipv4-tcp" }, "helper");
  refused({ kind: "ct", commit: true, helper: { family: "ipv5", proto: "tcp", name: "ftp" } }, "helper.family");

  refused({ kind: "ife" }, "mode");
  refused({ kind: "ife", mode: "decode", allow: ["mark"] }, "allow");
  refused({ kind: "ife", mode: "encode", allow: ["colour"] }, "allow[0]");
  refused({ kind: "ife", mode: "encode", allow: ["mark"], use: { mark: 3 } }, "use.mark");
  refused({ kind: "ife", mode: "encode", use: { tcindex: 70000 } }, "use.tcindex");
  refused({ kind: "ife", mode: "encode", dst: "10.0.0.1" }, "dst");

  refused({ kind: "gate" }, "entries");
  refused({ kind: "gate", entries: [{ gate: "ajar", interval: 1 }] }, "entries[0].gate");
  refused({ kind: "gate", entries: [{ gate: "open", interval: 0 }] }, "entries[0].interval");
  refused({ kind: "gate", entries: [{ gate: "open", interval: "5s" }] }, "entries[0].interval");
  refused({ kind: "gate", entries: [{ gate: "close", interval: 1, ipv: 2 }] }, "entries[0].ipv");
  refused({ kind: "gate", entries: [{ gate: "open", interval: 1, maxOctets: "3g" }] }, "entries[0].maxOctets");
  refused({ kind: "gate", clockid: "CLOCK_PROCESS", entries: [{ gate: "open", interval: 1 }] }, "clockid");
  refused({ kind: "gate", priority: -2, entries: [{ gate: "open", interval: 1 }] }, "priority");
});
