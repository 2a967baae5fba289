/**
 * `ip route show`'s fast path (cli/ip/route_plain.ts) against its general
 * path: for every listing mode, the routes it takes print the same bytes as
 * the library's decoded routes printed by RoutePrinter, and it leaves every
 * other route to that path. The routes are built here byte by byte: the
 * shapes a kernel sends, and edges (unnamed protocols and scopes, big
 * tables, names JSON must escape, unknown devices, attributes of the wrong
 * size).
 */
import { deepStrictEqual as assertEquals, equal as assertEqual } from "node:assert/strict";
import { decodeRoute } from "../../src/route/route.ts";
import { ROUTE_ATTRS } from "../../src/route/route_attrs.ts";
import { indexAttrs, OTHER_ATTRS } from "../../src/core/attr_index.ts";
import { Printer } from "../../cli/common/output.ts";
import type { LinkNames } from "../../cli/ip/links.ts";
import { defaultRouteFilter, type RouteFilter, RoutePrinter } from "../../cli/ip/route_print.ts";
import { PlainRouteWriter, RTA } from "../../cli/ip/route_plain.ts";
import { asMessage } from "../_lib/golden.ts";

const RTM_NEWROUTE = 24;

interface RouteBytes {
  family?: number;
  dstLen?: number;
  srcLen?: number;
  tos?: number;
  table?: number;
  protocol?: number;
  scope?: number;
  type?: number;
  flags?: number;
  /** [type, payload] in order. */
  attrs?: [number, number[]][];
}

const ip = (s: string) => s.split(".").map(Number);
const u32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];

/** An RTM_NEWROUTE message: nlmsghdr, rtmsg, attributes (padded). */
function route(r: RouteBytes): Uint8Array {
  const body: number[] = [
    r.family ?? 2,
    r.dstLen ?? 32,
    r.srcLen ?? 0,
    r.tos ?? 0,
    Math.min(r.table ?? 254, 255),
    r.protocol ?? 3,
    r.scope ?? 0,
    r.type ?? 1,
    ...u32(r.flags ?? 0),
  ];
  for (const [type, payload] of r.attrs ?? [[15, u32(r.table ?? 254)]]) {
    body.push(...[4 + payload.length, 0, type, 0], ...payload);
    while (body.length % 4) body.push(0);
  }
  const len = 16 + body.length;
  return new Uint8Array([...u32(len), RTM_NEWROUTE, 0, 2, 0, ...u32(0), ...u32(0), ...body]);
}

const T = (id: number): [number, number[]] => [RTA.TABLE, u32(id)];
const DST = (a: string): [number, number[]] => [RTA.DST, ip(a)];
const GW = (a: string): [number, number[]] => [RTA.GATEWAY, ip(a)];
const OIF = (i: number): [number, number[]] => [RTA.OIF, u32(i)];
const SRC = (a: string): [number, number[]] => [RTA.PREFSRC, ip(a)];
const METRIC = (n: number): [number, number[]] => [RTA.PRIORITY, u32(n)];

/** 16 bytes of an IPv6 address written with all eight groups (`2001:db8:0:0:0:0:0:1`). */
const ip6 = (s: string) => s.split(":").flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]);
const DST6 = (a: string): [number, number[]] => [RTA.DST, ip6(a)];
const GW6 = (a: string): [number, number[]] => [RTA.GATEWAY, ip6(a)];
const SRC6 = (a: string): [number, number[]] => [RTA.PREFSRC, ip6(a)];
const CACHE = (
  expires = 0,
): [number, number[]] => [RTA.CACHEINFO, [...new Array(8).fill(0), ...u32(expires), ...new Array(20).fill(0)]];
const PREF = (p: number): [number, number[]] => [RTA.PREF, [p]];
/** An IPv6 route as the kernel sends one of the main table: table, destination, metric, …, cache info, preference. */
const route6 = (dstLen: number, attrs: [number, number[]][], more: Partial<RouteBytes> = {}) =>
  route({ family: 10, dstLen, ...more, attrs: [T(254), ...attrs, CACHE(), PREF(0)] });

/** Routes the fast path takes. */
const PLAIN: Uint8Array[] = [
  route({ attrs: [T(254), DST("172.16.0.1"), GW("10.0.0.2"), OIF(3)] }),
  route({ dstLen: 16, protocol: 2, scope: 253, attrs: [T(254), DST("10.0.0.0"), OIF(3), SRC("10.0.0.1")] }),
  route({ dstLen: 0, protocol: 16, attrs: [T(254), METRIC(100), GW("10.0.0.254"), OIF(3)] }),
  route({ dstLen: 24, table: 100, protocol: 4, attrs: [T(100), DST("1.20.100.0"), GW("255.255.255.254"), OIF(2)] }),
  route({ dstLen: 8, table: 255, protocol: 99, scope: 200, attrs: [T(255), DST("0.0.0.0"), OIF(1)] }),
  route({ dstLen: 32, table: 1000, scope: 254, attrs: [T(1000), DST("192.168.7.9"), OIF(7)] }),
  route({ dstLen: 30, table: 0, attrs: [DST("10.9.8.4"), OIF(9), METRIC(4294967295)] }),
  route({ dstLen: 1, attrs: [T(254), DST("128.0.0.0"), GW("10.0.0.2")] }),
  route({ dstLen: 12, table: 253, protocol: 0, attrs: [T(253), DST("100.64.0.0"), SRC("100.64.0.1"), OIF(3)] }),
  route6(64, [DST6("2001:db8:1:0:0:0:0:0"), METRIC(1024), GW6("2001:db8:0:0:0:0:0:2"), OIF(3)]),
  route6(64, [DST6("fe80:0:0:0:0:0:0:0"), METRIC(256), OIF(2)], { protocol: 2 }),
  route6(128, [DST6("2001:db8:0:1:0:0:1:0"), OIF(3), SRC6("2001:db8:ffff:0:0:0:0:1")], { protocol: 16 }),
  route6(0, [METRIC(1), GW6("fe80:0:0:0:1:0:0:1"), OIF(7)], { protocol: 9 }),
  route6(96, [DST6("1:0:0:2:0:0:0:0"), OIF(3)]), // two equal zero runs: the first is ::
  route6(48, [DST6("0:0:0:0:0:ffff:a00:0"), OIF(3)]), // IPv4-mapped: dotted quad, through formatIPv6
  route6(127, [DST6("0:0:0:0:0:0:0:0"), OIF(1)]),
  route6(64, [DST6("abcd:ef01:2345:6789:a:bc:def:1"), OIF(3)]),
  route({ family: 10, dstLen: 56, attrs: [T(254), DST6("2001:db8:0:0:0:0:0:0"), OIF(3), PREF(1)] }), // high, no cache info
  route({ family: 10, dstLen: 56, attrs: [T(254), DST6("2001:db8:100:0:0:0:0:0"), OIF(3), PREF(3), CACHE()] }), // low
];

/** Routes it leaves to the general path. */
const OTHERS: Uint8Array[] = [
  route({ attrs: [T(254), DST("10.1.1.1"), OIF(3), [16, u32(7)]] }), // RTA_MARK
  route({ flags: 4, attrs: [T(254), DST("10.1.1.2"), GW("10.0.0.2"), OIF(3)] }), // onlink
  route({ type: 6, attrs: [T(254), DST("10.1.1.3")] }), // blackhole
  route({ type: 2, table: 255, scope: 254, protocol: 2, attrs: [T(255), DST("10.0.0.1"), SRC("10.0.0.1"), OIF(3)] }),
  route({ tos: 16, attrs: [T(254), DST("10.1.1.4"), OIF(3)] }),
  route({ srcLen: 24, attrs: [T(254), DST("10.1.1.5"), [2, ip("10.2.0.0")], OIF(3)] }),
  route({ attrs: [T(254), DST("10.1.1.6"), [RTA.GATEWAY, new Array(16).fill(1)], OIF(3)] }), // a gateway of the wrong size
  route({ attrs: [T(254), DST("10.1.1.7"), OIF(3), [8, [8, 0, 2, 0, 220, 5, 0, 0]]] }), // RTA_METRICS (mtu)
  // IPv6: another table (which changes what iproute2 selects), cache info it prints, preference 2, a flag
  route({
    family: 10,
    dstLen: 64,
    table: 100,
    attrs: [T(100), DST6("2001:db8:5:0:0:0:0:0"), OIF(3), CACHE(), PREF(0)],
  }),
  route({ family: 10, dstLen: 64, attrs: [T(254), DST6("2001:db8:6:0:0:0:0:0"), OIF(3), CACHE(9), PREF(0)] }),
  route({ family: 10, dstLen: 64, attrs: [T(254), DST6("2001:db8:7:0:0:0:0:0"), OIF(3), CACHE(), PREF(2)] }),
  route6(64, [DST6("2001:db8:8:0:0:0:0:0"), OIF(3)], { flags: 4 }),
  route6(64, [DST6("2001:db8:9:0:0:0:0:0"), [RTA.GATEWAY, ip("10.0.0.1")], OIF(3)]), // a gateway of the wrong size
];

const NAMES = ["", "lo", "p1", "p0", "", "", "", 'we"ird\\name'];
const links = { name: (i: number) => NAMES[i] || `if${i}` } as unknown as LinkNames;

interface Mode {
  name: string;
  json: boolean;
  pretty?: boolean;
  numeric?: boolean;
  details?: number;
  filter?: Partial<RouteFilter>;
}

const MODES: Mode[] = [
  { name: "text", json: false },
  { name: "json", json: true },
  { name: "text, table all", json: false, filter: { tb: 0 } },
  { name: "json, table all", json: true, filter: { tb: 0 } },
  { name: "text, -N, table all", json: false, numeric: true, filter: { tb: 0 } },
  { name: "json, -N, table all", json: true, numeric: true, filter: { tb: 0 } },
  { name: "json, table 100", json: true, filter: { tb: 100 } },
  { name: "text, cache", json: false, filter: { cloned: true, tb: 0 } },
  { name: "json, -p", json: true, pretty: true, filter: { tb: 0 } },
  { name: "text, -d", json: false, details: 1, filter: { tb: 0 } },
  { name: "json, -4", json: true, filter: { family: "inet", tb: 0 } },
  { name: "text, -6", json: false, filter: { family: "inet6", tb: 0 } },
];

/** The listing of `messages` in `mode`, through `printMessage` (fast path allowed) or the general path only. */
function listing(mode: Mode, messages: Uint8Array[], fast: boolean): string {
  const p = new Printer({ json: mode.json, pretty: mode.pretty ?? false, oneline: false });
  const filter = { ...defaultRouteFilter(), ...mode.filter };
  const rp = new RoutePrinter(p, filter, links, {
    details: mode.details ?? 0,
    stats: 0,
    numeric: mode.numeric ?? false,
  });
  p.startList();
  for (const m of messages) {
    if (fast) rp.printMessage(asMessage(m), () => decodeRoute(asMessage(m)));
    else rp.print(decodeRoute(asMessage(m)));
  }
  p.endList();
  return p.text();
}

Deno.test("route plain path: the attribute ids are the library's (RTA_*, checked against rtnetlink.h)", () => {
  for (const [name, id] of Object.entries(RTA)) assertEqual(ROUTE_ATTRS.field(name.toLowerCase()).id, id, name);
});

Deno.test("route plain path: takes the plain routes and only those", () => {
  const writer = new PlainRouteWriter({
    json: true,
    numeric: false,
    table: 0,
    cloned: false,
    family: 0,
    devName: links.name,
  });
  const p = new Printer({ json: true, pretty: false, oneline: false });
  for (const [i, m] of PLAIN.entries()) assertEqual(writer.write(asMessage(m), p), true, `plain route ${i}`);
  const before = p.text();
  for (const [i, m] of OTHERS.entries()) assertEqual(writer.write(asMessage(m), p), false, `other route ${i}`);
  assertEqual(p.text(), before, "nothing is written for a route left to the general path");
});

for (const mode of MODES) {
  Deno.test(`route plain path: the same bytes as the general path (${mode.name})`, () => {
    const all = [...PLAIN, ...OTHERS, ...PLAIN.slice(0, 2)];
    const general = listing(mode, all, false);
    assertEqual(listing(mode, all, true), general);
    if (mode.json) JSON.parse(general);
  });
}

Deno.test("route plain path: IPv6 addresses as inet_ntop writes them (random groups, many zero)", () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const group = () => (rand() < 0.5 ? 0 : rand() < 0.3 ? 0xffff : Math.floor(rand() * 0x10000)).toString(16);
  const address = () => Array.from({ length: 8 }, group).join(":");
  const routes = Array.from(
    { length: 2000 },
    () => route6(Math.floor(rand() * 129), [DST6(address()), GW6(address())]),
  );
  for (const mode of MODES.slice(0, 2)) {
    assertEqual(listing(mode, routes, true), listing(mode, routes, false), mode.name);
  }
});

Deno.test("indexAttrs: offsets by type, the types seen as a mask, anything else as OTHER_ATTRS", () => {
  const m = route({ attrs: [T(254), DST("10.0.0.1"), [40, [1, 2, 3, 4]], OIF(3)] });
  const v = new DataView(m.buffer);
  const index = new Int32Array(32);
  const seen = indexAttrs(v, 28, m.length, index);
  assertEqual(seen, (1 << RTA.TABLE) | (1 << RTA.DST) | (1 << RTA.OIF) | OTHER_ATTRS);
  assertEquals([index[2 * RTA.DST], index[2 * RTA.DST + 1]], [40, 44]);
  assertEqual(v.getUint32(index[2 * RTA.OIF], true), 3);
  // A type past the index's room is "other"; a malformed length stops the walk.
  assertEqual(indexAttrs(v, 28, m.length, new Int32Array(2 * 5)), (1 << RTA.DST) | (1 << RTA.OIF) | OTHER_ATTRS);
  const bad = m.slice();
  bad[36] = 200; // the second attribute's length runs past the message
  assertEqual(indexAttrs(new DataView(bad.buffer), 28, bad.length, index), (1 << RTA.TABLE) | OTHER_ATTRS);
});
