/**
 * Golden tests for the classic filters: nlink's request bytes equal tc(8)'s
 * for the same command (tests/fixtures/tc_classic.json, captured by
 * tests/fixtures/captures/tc_classic.ts): u32 (raw keys, typed matches, hash
 * tables, links, samples, offsets, marks, flags, actions), fw, route,
 * matchall, tcindex, rsvp and rsvp6. Also: decoding gives back what was
 * encoded, u32 handles parse and print as tc(8)'s, and bad options are
 * refused before anything is sent, naming the option.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import type { ActionOptions } from "../../src/tc/action.ts";
import { decodeFilter, type FilterOptions, filterRequest, filterSelectorRequest } from "../../src/tc/filter.ts";
import { routeHandle } from "../../src/tc/filters/route.ts";
import { formatU32Handle, parseU32Handle } from "../../src/tc/filters/u32.ts";
import { asMessage, goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("tc_classic");
const { p0, p1 } = data.indexes;

const redirect: ActionOptions = { kind: "mirred", direction: "egress", action: "redirect", dev: p1 };
const mirror: ActionOptions = { kind: "mirred", direction: "egress", action: "mirror", dev: p1 };

/** `tc filter add dev p0 parent 1: …`. */
const add = (o: Record<string, unknown>) => () =>
  filterRequest("add", p0, { dev: p0, parent: "1:", ...o } as unknown as FilterOptions);
/** `tc filter add dev p0 parent 1: protocol ip prio 1 u32 …`. */
const u32 = (o: Record<string, unknown>) => add({ protocol: "ip", prio: 1, kind: "u32", ...o });
const ipSrc8 = { type: "ip", field: "src", value: "10.0.0.0/8" };

const OURS: Record<string, () => Uint8Array> = {
  "u32.ip.src": u32({ match: [ipSrc8], classid: "1:10" }),
  "u32.ip.dst.flowid": u32({ match: [{ type: "ip", field: "dst", value: "192.168.1.1/32" }], classid: "1:20" }),
  "u32.ip.dst.any": u32({ match: [{ type: "ip", field: "dst", value: "0.0.0.0/0" }], classid: "1:20" }),
  "u32.ip.fields": u32({
    match: [
      { type: "ip", field: "protocol", value: 6, mask: 0xff },
      { type: "ip", field: "dport", value: 80 },
      { type: "ip", field: "sport", value: 1024, mask: 0xfc00 },
      { type: "ip", field: "tos", value: 0x10 },
    ],
    classid: "1:10",
  }),
  "u32.ip.dsfield.ihl": u32({
    match: [
      { type: "ip", field: "dsfield", value: 0x28, mask: 0xfc },
      { type: "ip", field: "ihl", value: 5, mask: 0xf },
      { type: "ip", field: "icmp_type", value: 8 },
      { type: "ip", field: "icmp_code", value: 0 },
    ],
    classid: "1:10",
  }),
  "u32.ip.precedence": u32({ match: [{ type: "ip", field: "precedence", value: 0xa0, mask: 0xe0 }], classid: "1:10" }),
  "u32.ip.frag": u32({ match: [{ type: "ip", field: "df" }, { type: "ip", field: "firstfrag" }], classid: "1:10" }),
  "u32.ip.nofrag": u32({ match: [{ type: "ip", field: "nofrag" }], classid: "1:10" }),
  "u32.ip.mf": u32({ match: [{ type: "ip", field: "mf" }], classid: "1:10" }),
  "u32.ip.src.at": u32({
    match: [{ type: "ip", field: "src", value: "10.1.0.0/16", at: 12, nexthdr: true }],
    classid: "1:10",
  }),
  "u32.ip6": add({
    protocol: "ipv6",
    prio: 2,
    kind: "u32",
    match: [
      { type: "ip6", field: "src", value: "2001:db8::/32" },
      { type: "ip6", field: "dst", value: "2001:db8:1::1/128" },
      { type: "ip6", field: "dport", value: 443 },
      { type: "ip6", field: "protocol", value: 6 },
    ],
    classid: "1:10",
  }),
  "u32.ip6.more": add({
    protocol: "ipv6",
    prio: 2,
    kind: "u32",
    match: [
      { type: "ip6", field: "priority", value: 0x10 },
      { type: "ip6", field: "flowlabel", value: 0x12345, mask: 0xfffff },
      { type: "ip6", field: "sport", value: 53 },
    ],
    classid: "1:10",
  }),
  "u32.ip6.icmp": add({
    protocol: "ipv6",
    prio: 2,
    kind: "u32",
    match: [{ type: "ip6", field: "icmp_type", value: 128 }, { type: "ip6", field: "icmp_code", value: 0 }],
    classid: "1:10",
  }),
  "u32.ip6.prefix36": add({
    protocol: "ipv6",
    prio: 2,
    kind: "u32",
    match: [{ type: "ip6", field: "src", value: "2001:db8:abcd::/36" }],
    classid: "1:10",
  }),
  "u32.tcp": u32({
    match: [
      { type: "ip", field: "protocol", value: 6 },
      { type: "tcp", field: "dst", value: 80 },
      { type: "tcp", field: "src", value: 1000 },
    ],
    classid: "1:10",
  }),
  "u32.udp": u32({ match: [{ type: "udp", field: "dst", value: 53 }], classid: "1:10" }),
  "u32.icmp": u32({
    match: [{ type: "icmp", field: "type", value: 8 }, { type: "icmp", field: "code", value: 0 }],
    classid: "1:10",
  }),
  "u32.raw": u32({
    match: [
      { type: "u32", value: 0x0a000001, at: 12 },
      { type: "u16", value: 0x1234, mask: 0xffff, at: 22 },
      { type: "u8", value: 0x45, at: 0 },
    ],
    classid: "1:10",
  }),
  "u32.raw.defaults": u32({ match: [{ type: "u32", value: 0, mask: 0 }], classid: "1:10" }),
  "u32.raw.u8.offsets": u32({
    match: [
      { type: "u8", value: 1, at: 5 },
      { type: "u8", value: 2, at: 6 },
      { type: "u8", value: 3, at: 7 },
      { type: "u16", value: 5, at: 10 },
    ],
    classid: "1:10",
  }),
  "u32.raw.nexthdr": u32({
    match: [
      { type: "u32", value: 0x00500000, mask: 0xffff0000, at: 0, nexthdr: true },
      { type: "u8", value: 5, at: 4, nexthdr: true },
    ],
    classid: "1:10",
  }),
  "u32.raw.negative": add({
    protocol: "all",
    prio: 3,
    kind: "u32",
    match: [{ type: "ether", field: "protocol", value: "ip" }],
    classid: "1:10",
  }),
  "u32.ether": add({
    protocol: "all",
    prio: 3,
    kind: "u32",
    match: [
      { type: "ether", field: "src", value: "02:00:00:00:00:01" },
      { type: "ether", field: "dst", value: "02:00:00:00:00:02" },
    ],
    classid: "1:10",
  }),
  "u32.mark": u32({ match: [{ type: "mark", value: 0x10, mask: 0xff }, ipSrc8], classid: "1:10" }),
  "u32.mark.only": u32({ match: [{ type: "mark", value: 0x10, mask: 0xffff }], classid: "1:10" }),
  "u32.divisor": add({ protocol: "ip", prio: 1, handle: "1:", kind: "u32", divisor: 256 }),
  "u32.divisor.small": add({ protocol: "ip", prio: 1, handle: "2:", kind: "u32", divisor: 16 }),
  "u32.link.hashkey": u32({
    match: [{ type: "ip", field: "dst", value: "10.0.0.0/8" }],
    link: "1:",
    hashkey: { mask: 0xff, at: 16 },
  }),
  "u32.ht": u32({ ht: "1:", match: [{ type: "ip", field: "src", value: "10.0.0.5/32" }], classid: "1:10" }),
  "u32.ht.bucket": u32({ ht: "1:2:", match: [{ type: "ip", field: "src", value: "10.0.0.2" }], classid: "1:10" }),
  "u32.ht.sample": u32({
    ht: "1:",
    sample: { match: { type: "ip", field: "src", value: "10.0.0.1/32" } },
    match: [{ type: "ip", field: "src", value: "10.0.0.1/32" }],
    classid: "1:10",
  }),
  "u32.sample.divisor": u32({
    ht: "2:",
    sample: { match: { type: "ip", field: "protocol", value: 6 }, divisor: 16 },
    match: [{ type: "ip", field: "protocol", value: 6 }],
    classid: "1:10",
  }),
  "u32.sample.only": u32({
    sample: { match: { type: "u32", value: 0x1200, mask: 0xff00, at: 16 } },
    match: [{ type: "ip", field: "dst", value: "10.0.0.0/8" }],
    classid: "1:10",
  }),
  "u32.offset.var": u32({
    match: [{ type: "ip", field: "protocol", value: 6 }],
    link: "2:",
    offset: { at: 0, mask: 0x0f00, shift: 6, eat: true },
  }),
  "u32.offset.plus": u32({
    match: [{ type: "u8", value: 0x11, at: 0 }],
    offset: { plus: 20, eat: true },
    classid: "1:10",
  }),
  "u32.handle": u32({ handle: "800::800", match: [ipSrc8], classid: "1:10" }),
  "u32.handle.hex": u32({ handle: "0x80000801", match: [ipSrc8], classid: "1:10" }),
  "u32.handle.ht": u32({ handle: "1:5:3", ht: "1:5:", match: [ipSrc8], classid: "1:10" }),
  "u32.skip_sw": u32({ match: [ipSrc8], classid: "1:10", skipSw: true }),
  "u32.skip_hw": u32({ match: [ipSrc8], classid: "1:10", skipHw: true }),
  "u32.indev": u32({ match: [ipSrc8], classid: "1:10", indev: "p1" }),
  "u32.action": u32({ match: [ipSrc8], actions: [redirect] }),
  "u32.action.classid": u32({ match: [ipSrc8], classid: "1:10", actions: [mirror] }),
  "u32.action.two": u32({ match: [ipSrc8], actions: [mirror, redirect] }),
  "u32.none": u32({}),
  "u32.chain": u32({ chain: 3, match: [ipSrc8], classid: "1:10" }),
  "u32.replace": () =>
    filterRequest("replace", p0, {
      dev: p0,
      parent: "1:",
      protocol: "ip",
      prio: 1,
      handle: "800::800",
      kind: "u32",
      match: [{ type: "ip", field: "src", value: "10.0.0.0/8" }],
      classid: "1:20",
    }),
  "u32.change": () =>
    filterRequest("change", p0, {
      dev: p0,
      parent: "1:",
      protocol: "ip",
      prio: 1,
      handle: "800::800",
      kind: "u32",
      match: [{ type: "ip", field: "src", value: "10.0.0.0/8" }],
      classid: "1:20",
    }),
  "u32.del": () =>
    filterSelectorRequest("delete", p0, { parent: "1:", protocol: "ip", prio: 1, handle: "800::800", kind: "u32" }),
  "u32.get": () =>
    filterSelectorRequest("get", p0, { parent: "1:", protocol: "ip", prio: 1, handle: "800::800", kind: "u32" }),

  "fw": add({ protocol: "ip", prio: 1, handle: 5, kind: "fw", classid: "1:10" }),
  "fw.mask": add({ protocol: "ip", prio: 1, handle: "0x10/0xff", kind: "fw", classid: "1:10" }),
  "fw.indev": add({ protocol: "ip", prio: 1, handle: "6", kind: "fw", classid: "1:10", indev: "p1" }),
  "fw.action": add({ protocol: "ip", prio: 1, handle: 7, kind: "fw", actions: [redirect] }),
  "u32.police": u32({
    match: [{ type: "ip", field: "src", value: "0.0.0.0/0" }],
    police: { rate: "1mbit", burst: "10k", control: "drop" },
    classid: ":1",
  }),
  "u32.police.index": u32({ match: [{ type: "u32", value: 0, mask: 0, at: 0 }], police: { index: 5 }, classid: ":2" }),
  "fw.police": add({
    protocol: "ip",
    prio: 2,
    handle: 5,
    kind: "fw",
    police: { rate: "2mbit", burst: "20k", control: "drop", conform: "pipe" },
    classid: "1:5",
  }),
  "route.police": add({
    protocol: "ip",
    prio: 3,
    kind: "route",
    to: 5,
    police: { rate: "1mbit", burst: "10k" },
    classid: "1:7",
  }),
  "basic.police": add({
    protocol: "ip",
    prio: 4,
    kind: "basic",
    police: { rate: "1mbit", burst: "10k", mtu: "2k", control: "drop" },
    classid: "1:9",
  }),
  "fw.mask.alone": add({ protocol: "ip", prio: 1, handle: "8/0xff", kind: "fw" }),
  "fw.bare": add({ protocol: "all", prio: 2, kind: "fw" }),
  "fw.del": () => filterSelectorRequest("delete", p0, { parent: "1:", prio: 1, handle: "0x10/0xff", kind: "fw" }),

  // tc(8) fills in the handle the realms give (routeHandle): nlink sends the handle it is given.
  "route.to": add({ protocol: "ip", prio: 1, handle: routeHandle({ to: 10 }), kind: "route", to: 10, classid: "1:10" }),
  "route.to.from": add({
    protocol: "ip",
    prio: 1,
    handle: routeHandle({ to: 10, from: 5 }),
    kind: "route",
    to: 10,
    from: 5,
    classid: "1:10",
  }),
  "route.from": add({
    protocol: "ip",
    prio: 1,
    handle: routeHandle({ from: 5 }),
    kind: "route",
    from: 5,
    classid: "1:10",
  }),
  "route.fromif": add({
    protocol: "ip",
    prio: 1,
    handle: routeHandle({ fromif: p1 }),
    kind: "route",
    fromif: p1,
    classid: "1:10",
  }),
  "route.order": add({
    protocol: "ip",
    prio: 1,
    handle: routeHandle({ to: 2, order: 3 }),
    kind: "route",
    to: 2,
    classid: "1:10",
  }),
  "route.handle": add({ protocol: "ip", prio: 1, handle: "0xffff000a", kind: "route", to: 10, classid: "1:10" }),
  "route.action": add({
    protocol: "ip",
    prio: 1,
    handle: routeHandle({ to: 7 }),
    kind: "route",
    to: 7,
    actions: [redirect],
  }),
  "route.classid": add({ protocol: "ip", prio: 1, handle: routeHandle({}), kind: "route", classid: "1:10" }),

  "matchall.classid": add({ prio: 1, kind: "matchall", classid: "1:10" }),
  "matchall.action": add({ parent: "ffff:", prio: 1, kind: "matchall", actions: [redirect] }),
  "matchall.skip_sw": add({ parent: "ffff:", prio: 2, kind: "matchall", skipSw: true, actions: [mirror] }),
  "matchall.skip_hw": add({ protocol: "ip", prio: 1, handle: 5, kind: "matchall", skipHw: true, classid: "1:10" }),
  "matchall.classid.action": add({ prio: 1, kind: "matchall", classid: "1:10", actions: [mirror] }),
  "matchall.none": add({ prio: 1, kind: "matchall" }),

  "tcindex": add({ protocol: "ip", prio: 1, kind: "tcindex", mask: 0xfc, shift: 2, fallThrough: false }),
  "tcindex.classid": add({ protocol: "ip", prio: 1, handle: 1, kind: "tcindex", classid: "1:10" }),
  "tcindex.hash": add({ protocol: "ip", prio: 1, kind: "tcindex", hash: 64, mask: 0xff, shift: 0, fallThrough: true }),
  "tcindex.police": add({
    protocol: "ip",
    prio: 5,
    handle: 3,
    kind: "tcindex",
    mask: 0xfc,
    shift: 2,
    police: { rate: "1mbit", burst: "10k", control: "drop" },
    classid: "1:3",
  }),
  "tcindex.action": add({ protocol: "ip", prio: 1, handle: 2, kind: "tcindex", classid: "1:20", actions: [redirect] }),

  "rsvp": add({ protocol: "ip", prio: 1, kind: "rsvp", session: "10.0.0.2", ipproto: "tcp", classid: "1:10" }),
  "rsvp.ports": add({
    protocol: "ip",
    prio: 1,
    kind: "rsvp",
    session: "10.0.0.2/53",
    sender: "10.0.0.1/1000",
    ipproto: "udp",
    classid: "1:10",
  }),
  "rsvp.esp": add({
    protocol: "ip",
    prio: 1,
    kind: "rsvp",
    session: "10.0.0.2",
    sessionGpi: { type: "esp", spi: 0x1234 },
    classid: "1:10",
  }),
  "rsvp.ah": add({
    protocol: "ip",
    prio: 1,
    kind: "rsvp",
    session: "10.0.0.2",
    sessionGpi: { type: "ah", spi: 0x99 },
    classid: "1:10",
  }),
  "rsvp.u16": add({
    protocol: "ip",
    prio: 1,
    kind: "rsvp",
    session: "10.0.0.2",
    sessionGpi: { type: "u16", value: 80, mask: 0xffff, at: 2 },
    classid: "1:10",
  }),
  "rsvp.u32": add({
    protocol: "ip",
    prio: 1,
    kind: "rsvp",
    session: "10.0.0.2",
    sender: "10.0.0.1",
    senderGpi: { type: "u32", value: 0x1000, mask: 0xff00, at: 8 },
    classid: "1:10",
  }),
  "rsvp.tunnel": add({
    protocol: "ip",
    prio: 1,
    kind: "rsvp",
    session: "10.0.0.2",
    ipproto: "tcp",
    tunnel: { id: 5, skip: 8 },
  }),
  "rsvp.tunnelid": add({
    protocol: "ip",
    prio: 1,
    kind: "rsvp",
    session: "10.0.0.2",
    ipproto: "tcp",
    tunnelid: 5,
    classid: "1:10",
  }),
  "rsvp.police": add({
    protocol: "ip",
    prio: 6,
    kind: "rsvp",
    session: "10.0.0.2",
    ipproto: "tcp",
    police: { rate: "3mbit", burst: "30k" },
    classid: "1:10",
  }),
  "rsvp.action": add({ protocol: "ip", prio: 1, kind: "rsvp", session: "10.0.0.2", ipproto: 6, actions: [redirect] }),
  "rsvp6": add({
    protocol: "ipv6",
    prio: 2,
    kind: "rsvp6",
    session: "2001:db8::2",
    sessionGpi: { type: "flowlabel", value: 0x12345 },
    sender: "2001:db8::1/22",
    classid: "1:10",
  }),
};

goldenTests("tc classic filters", data, OURS);

/** Builds an add request and decodes it back. */
function roundTrip(o: Record<string, unknown>) {
  return decodeFilter(asMessage(filterRequest("add", 3, { dev: 3, parent: "1:", prio: 1, ...o } as FilterOptions)));
}

Deno.test("tc classic: u32 options decode back to what was encoded", () => {
  const f = roundTrip({
    protocol: "ip",
    handle: "800::800",
    kind: "u32",
    match: [
      { type: "mark", value: 0x10, mask: 0xff },
      { type: "ip", field: "src", value: "10.0.0.0/8" },
      { type: "tcp", field: "dst", value: 80 },
    ],
    classid: "1:10",
    link: "1:",
    ht: "2:",
    hashkey: { mask: 0xff, at: 12 },
    offset: { at: 0, mask: 0x0f00, shift: 6, eat: true },
    indev: "p1",
    actions: [{ kind: "mirred", direction: "egress", action: "redirect", dev: 4 }],
    skipSw: true,
  });
  assertEquals([f.kind, f.handle, f.prio, f.protocol], ["u32", 0x80000800, 1, "ip"]);
  const o = f.options as Record<string, unknown>;
  assertEquals(o.mark, { val: 0x10, mask: 0xff, success: 0 });
  assertEquals([o.classid, o.link, o.hash, o.indev, o.flags], ["1:10", "1:", "2:", "p1", ["skip_sw"]]);
  assertEquals(o.sel, {
    flags: ["terminal", "varoffset", "eat"],
    offshift: 6,
    nkeys: 2,
    offmask: 0x0f00,
    off: 0,
    offoff: 0,
    hoff: 12,
    hmask: 0xff,
    keys: [
      { mask: 0xff000000, val: 0x0a000000, off: 12, offmask: 0 },
      { mask: 0x0000ffff, val: 80, off: 0, offmask: -1 },
    ],
  });
  const act = (o.act as { kind: string; options: { parms: { eaction: string; ifindex: number } } }[])[0];
  assertEquals([act.kind, act.options.parms.eaction, act.options.parms.ifindex], ["mirred", "egress redirect", 4]);
  const table = roundTrip({ protocol: "ip", handle: "1:", kind: "u32", divisor: 256 });
  assertEquals([table.handle, table.options], [0x00100000, { divisor: 256 }]);
});

Deno.test("tc classic: fw, route, matchall, tcindex and rsvp decode back", () => {
  assertEquals(roundTrip({ handle: "0x10/0xff", kind: "fw", classid: "1:10", indev: "p1" }).options, {
    mask: 0xff,
    classid: "1:10",
    indev: "p1",
  });
  assertEquals(roundTrip({ kind: "route", to: 10, fromif: 4, classid: "1:10" }).options, {
    to: 10,
    iif: 4,
    classid: "1:10",
  });
  assertEquals(roundTrip({ kind: "matchall", classid: "1:10", skipHw: true }).options, {
    classid: "1:10",
    flags: ["skip_hw"],
  });
  assertEquals(
    roundTrip({ kind: "tcindex", hash: 64, mask: 0xfc, shift: 2, fallThrough: true, classid: "1:1" }).options,
    {
      hash: 64,
      mask: 0xfc,
      shift: 2,
      fallThrough: true,
      classid: "1:1",
    },
  );
  assertEquals(
    roundTrip({ kind: "rsvp", session: "10.0.0.2/53", sender: "10.0.0.1", ipproto: "udp", classid: "1:10" }).options,
    {
      dst: "10.0.0.2",
      src: "10.0.0.1",
      classid: "1:10",
      pinfo: {
        dpi: { key: 53, mask: 0xffff, offset: 0 },
        spi: { key: 0, mask: 0, offset: 0 },
        protocol: 17,
        tunnelid: 0,
        tunnelhdr: 0,
        pad: 0,
      },
    },
  );
  const v6 = roundTrip({ kind: "rsvp6", session: "2001:db8::2", sessionGpi: { type: "flowlabel", value: 7 } });
  assertEquals((v6.options as { dst: string; pinfo: { dpi: unknown } }).pinfo.dpi, {
    key: 7,
    mask: 0xfffff,
    offset: -40,
  });
});

Deno.test("tc classic: u32 handles parse and print as tc(8)'s", () => {
  assertEquals(
    ["800::800", "1:", "1:2:", "1:5:3", "::1", "0x80000801", "fff:ff:fff"].map((h) => parseU32Handle(h, "h")),
    [0x80000800, 0x00100000, 0x00102000, 0x00105003, 1, 0x80000801, 0xfffff_fff],
  );
  assertEquals([0x80000800, 0x00100000, 0x00102000, 0x00105003, 0, 1].map(formatU32Handle), [
    "800::800",
    "1:",
    "1:2",
    "1:5:3",
    "none",
    ":1",
  ]);
  for (const bad of ["1000:", "1:100:", "1:2:1000", "800", "x:", "1:2:3:4", ""]) {
    throws(() => parseU32Handle(bad, "handle"), ValidationError);
  }
});

Deno.test("tc classic: bad options are refused before sending, naming the option", () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ kind: "u32", classid: "1:10", clasid: "1:1" }, /clasid/],
    [{ kind: "u32", match: [{ type: "ip", field: "src", value: "10.0.0.0/33" }] }, /match\[0\]\.value/],
    [{ kind: "u32", match: [{ type: "ip", field: "sauce", value: 1 }] }, /match\[0\]\.field/],
    [{ kind: "u32", match: [{ type: "ip", field: "protocol", value: 256 }] }, /match\[0\]\.value/],
    [{ kind: "u32", match: [{ type: "u16", value: 0x10000 }] }, /match\[0\]\.value/],
    [{ kind: "u32", match: [{ type: "u8", value: 1, mask: 0x100 }] }, /match\[0\]\.mask/],
    [{ kind: "u32", match: [{ type: "u32", value: 1, at: 2 }] }, /match\[0\]/],
    [{
      kind: "u32",
      match: [{ type: "ip", field: "src", value: "10.0.0.1/32" }, { type: "ip", field: "src", value: "10.0.0.2/32" }],
    }, /match\[1\].*contradicts/],
    [{ kind: "u32", match: [{ type: "mark", value: 0x100, mask: 0xff }] }, /match\[0\]\.value.*impossible/],
    [{ kind: "u32", divisor: 3 }, /divisor/],
    [{ kind: "u32", divisor: 512 }, /divisor/],
    [{ kind: "u32", link: "1:0:5" }, /link/],
    [{ kind: "u32", handle: "1:", ht: "1:0:5", classid: "1:1" }, /ht/],
    [{ kind: "u32", sample: { match: { type: "ip6", field: "src", value: "2001:db8::/64" } } }, /sample\.match/],
    [{ kind: "u32", offset: { at: 3 } }, /offset\.at/],
    [{ kind: "u32", hashkey: { mask: 0xff, at: 13 } }, /hashkey\.at/],
    [{ kind: "u32", classid: "1:1", skipHw: true, skipSw: true }, /skipSw/],
    [{ kind: "u32", indev: "way too long a name" }, /indev/],
    [{ kind: "u32", handle: "zz" }, /handle/],
    [{ kind: "fw", handle: "5/x", classid: "1:1" }, /handle/],
    [{ kind: "fw", clasid: "1:1" }, /clasid/],
    [{ kind: "route", to: 256 }, /to/],
    [{ kind: "route", from: 1, fromif: 3 }, /fromif/],
    [{ kind: "matchall", skipHw: 1 }, /skipHw/],
    [{ kind: "tcindex", hash: 0 }, /hash/],
    [{ kind: "tcindex", mask: 0x10000 }, /mask/],
    [{ kind: "rsvp", classid: "1:1" }, /session/],
    [{ kind: "rsvp", session: "2001:db8::1" }, /session/],
    [{ kind: "rsvp", session: "10.0.0.1/53", sessionGpi: { type: "esp", spi: 1 } }, /sessionGpi/],
    [{ kind: "rsvp", session: "10.0.0.1", sessionGpi: { type: "flowlabel", value: 1 } }, /sessionGpi\.type/],
    [{ kind: "rsvp", session: "10.0.0.1", classid: "1:1", tunnel: { id: 1, skip: 0 } }, /tunnel/],
    [{ kind: "rsvp", session: "10.0.0.1", ipproto: "nosuch" }, /ipproto/],
  ];
  for (const [o, field] of bad) {
    throws(() => filterRequest("add", 3, { dev: 3, parent: "1:", ...o } as FilterOptions), (e: unknown) => {
      if (!(e instanceof ValidationError)) throw e;
      if (!field.test(e.message)) throw new Error(`${JSON.stringify(o)}: ${e.message} does not match ${field}`);
      return true;
    }, `${JSON.stringify(o)} should be refused`);
  }
});
