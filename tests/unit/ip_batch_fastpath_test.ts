/**
 * `ip -batch`'s fast path (cli/ip/batch_fast.ts) against the general path
 * (splitWords → parseRoute → routeOptions): every line the fast path takes
 * must give the same call, the same options and the same request bytes; every
 * other line must be left to the general path. And the library's
 * RouteRepeater (src/route/route_repeat.ts), which copies the previous route
 * request when only the destination differs, must write exactly what
 * writeRouteRequest writes, and fail where it fails.
 */
import { deepStrictEqual as assertEquals, equal, throws } from "node:assert/strict";
import type { Link, RouteOptions } from "../../mod.ts";
import { MessageWriter } from "../../src/core/writer.ts";
import { type RouteOp, writeRouteRequest } from "../../src/route/route.ts";
import { RouteRepeater } from "../../src/route/route_repeat.ts";
import { matches, UsageError } from "../../cli/common/args.ts";
import { AF_INET, AF_INET6, AF_UNSPEC } from "../../cli/common/inet.ts";
import { NetlinkError } from "../../src/core/errors.ts";
import { DeviceNames, type FastRoute, type RouteCall, RouteLineParser } from "../../cli/ip/batch_fast.ts";
import { splitWords } from "../../cli/ip/batch_input.ts";
import type { IpContext } from "../../cli/ip/context.ts";
import { LinkCache } from "../../cli/ip/links.ts";
import { parseRoute, routeOptions } from "../../cli/ip/route_modify.ts";

const LINKS = new LinkCache([
  { index: 1, name: "lo" },
  { index: 2, name: "p0" },
  { index: 7, name: "eth-1.100" },
  { index: 9, name: "a:b@c_d" },
] as Link[]);

/** Device names as the batch learns them (from the kernel there; from a link table here). */
function namesFrom(cache: LinkCache): DeviceNames {
  return new DeviceNames((name) => {
    const link = cache.get(name);
    return link ? Promise.resolve(link.index) : Promise.reject(new NetlinkError(19, "No such device"));
  });
}
const NAMES = namesFrom(LINKS);

/** parse(), learning a device name the first time it is seen, as the batch does. */
async function parseLine(
  parser: RouteLineParser,
  text: string,
  start: number,
  end: number,
  names = NAMES,
): Promise<FastRoute | undefined> {
  let r = parser.parse(text, start, end, names);
  if (typeof r === "string") {
    await names.learn(r);
    r = parser.parse(text, start, end, names);
  }
  equal(typeof r === "string", false, "a name is learnt once");
  return r as FastRoute | undefined;
}

const OP_OF_CALL: Record<RouteCall, RouteOp> = {
  addRoute: "add",
  changeRoute: "change",
  replaceRoute: "replace",
  prependRoute: "prepend",
  appendRoute: "append",
  delRoute: "del",
};

/** What batch.ts's general path makes of a `route …` line, or undefined where it would not pipeline it. */
function general(line: string, family: number): { call: RouteCall; o: RouteOptions } | undefined {
  const words = splitWords(line) as string[];
  if (words[0] !== "route") return undefined;
  const cmd = words[1];
  let call: RouteCall;
  if (matches(cmd, "add")) call = "addRoute";
  else if (matches(cmd, "change") || cmd === "chg") call = "changeRoute";
  else if (matches(cmd, "replace")) call = "replaceRoute";
  else if (matches(cmd, "prepend")) call = "prependRoute";
  else if (matches(cmd, "append")) call = "appendRoute";
  else if (matches(cmd, "delete")) call = "delRoute";
  else return undefined;
  const ctx = { family: family === AF_INET ? "inet" : family === AF_INET6 ? "inet6" : undefined } as IpContext;
  try {
    return { call, o: routeOptions(parseRoute(ctx, words.slice(2), () => undefined as never), LINKS) };
  } catch (e) {
    if (e instanceof UsageError) return undefined;
    throw e;
  }
}

function bytes(op: RouteOp, o: RouteOptions): Uint8Array {
  const w = new MessageWriter();
  writeRouteRequest(w, op, o, { oif: typeof o.dev === "number" ? o.dev : undefined });
  return w.bytes().slice();
}

/** The fast path's result for one line (as the batch calls it: the line without its newline). */
function fast(line: string, family = AF_UNSPEC): Promise<FastRoute | undefined> {
  const text = `# before\n${line}\nroute add 9.9.9.9 dev p0\n`;
  const start = text.indexOf("\n") + 1;
  return parseLine(new RouteLineParser(family), text, start, start + line.length);
}

const TAKEN = [
  "route add 10.0.0.0/24 via 192.0.2.1 dev p0",
  "route add 10.0.0.0/24 dev p0 via 192.0.2.1",
  "route add 10.0.0.1 via 192.0.2.1",
  "route add 10.0.0.1 dev lo",
  "route add 172.16.255.255/32 via 10.0.0.2 dev p0",
  "route add 0.0.0.0/0 via 10.0.0.2",
  "route add 255.255.255.255/32 dev eth-1.100",
  "route add 1.2.3.0/24 via 0.0.0.0 dev a:b@c_d",
  "route add 10.1.2.3/33 dev p0", // the general path refuses it too (not taken)
  "route add 10.1.2.3/32 dev p0",
  "route add 10.20.30.0/7 dev p0", // host bits: the kernel's concern, the same bytes either way
  "route add 100.64.0.0/10",
  "route del 10.0.0.0/24 via 192.0.2.1 dev p0",
  "route delete 10.0.0.0/24 dev p0",
  "route change 10.0.0.0/24 via 192.0.2.1",
  "route replace 10.0.0.0/24 via 192.0.2.1 dev p0",
  "route prepend 10.0.0.0/24 via 192.0.2.1 dev p0",
  "route append 10.0.0.0/24 via 192.0.2.1 dev p0",
];

/** IPv6 lines: taken where the addresses are written as inet_ntop writes them. */
const TAKEN6 = [
  "route add 2001:db8::/64 dev p0",
  "route add 2001:db8:1:2::/64 via 2001:db8::2 dev p0",
  "route add 2001:db8::1 via fe80::1 dev p0",
  "route add 2001:db8:0:1::/64 dev p0 via 2001:db8::2",
  "route add fe80::/10 dev lo",
  "route add 2001:db8::/129 dev p0", // refused by both (not taken)
  "route add 1:0:0:2::/64 dev p0", // the first of two equal zero runs is ::
  "route add 1::2:0:0:0/96 dev p0", // the longer run is ::
  "route add ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff dev p0",
  "route add 2001:db8::1:0:0:1 dev p0",
  "route add 1::2:0:0:3 dev p0", // the longer of two runs
  "route add 1:0:0:2::3 dev p0",
  "route add 2001:db8:: dev p0",
  "route add abcd:ef01:2345:6789:a:bc:def:1/128 dev eth-1.100",
  "route del 2001:db8::/64 via 2001:db8::2 dev p0",
  "route replace 2001:db8::/64 via 2001:db8::2",
  "route append 2001:db8::/48 via fe80::2 dev p0",
];

/** IPv6 lines in another spelling, or with what the fast path does not read: the general path's. */
const LEFT6 = [
  "route add 2001:DB8::/64 dev p0",
  "route add 2001:0db8::/64 dev p0",
  "route add 2001:db8:0:0:0:0:0:0/64 dev p0",
  "route add 2001:db8::0/64 dev p0",
  "route add 1:2:3:4:5:6::8 dev p0", // a single zero group written as ::
  "route add 1::2:0:0:0:3 dev p0", // the shorter run as ::
  "route add 2001:db8:0:0:1:0:0:1 dev p0", // two equal runs, neither compressed
  "route add 1:0:0:2:0:0:0:3 dev p0", // the longest run not compressed
  "route add ::ffff:10.0.0.1 dev p0",
  "route add ::ffff:a00:1 dev p0",
  "route add ::1 dev lo",
  "route add :: dev lo",
  "route add ::/0 via 2001:db8::1", // five zero groups first: inet_ntop's IPv4 forms are the general path's
  "route add 2001:db8:::1 dev p0",
  "route add 2001:db8::1:: dev p0",
  "route add 2001:db8::/064 dev p0",
  "route add 2001:db8::/64 via 10.0.0.1",
  "route add 2001:db8::/64 via 2001:db8::1/128",
  "route add 2001:db8::/64 dev p0 metric 5",
  "route add 2001:db8::/64 dev p0 pref high",
  "route add 1:2:3:4:5:6:7:8:9 dev p0",
  "route add 12345::1 dev p0",
];

const LEFT = [
  // No device has these names: the general path reads ifN as index N.
  "route add 10.0.0.0/8 dev if2",
  "route add 10.0.0.0/8 dev if99",
  "route add 010.0.0.1 dev p0", // octal in iproute2's reader
  "route add 10.0.0.01 dev p0",
  "route add 0x0a.0.0.1 dev p0",
  "route add 10.0.1 dev p0", // short form
  "route add 10/8 dev p0",
  "route add 10.0.0.0/08 dev p0",
  "route add 10.0.0.0/255.0.0.0 dev p0",
  "route add 256.0.0.0/8 dev p0",
  "route add 10.0.0.0/24  dev p0",
  "route add 10.0.0.0/24 dev p0 ",
  " route add 10.0.0.0/24 dev p0",
  "route add 10.0.0.0/24\tdev p0",
  "route add 10.0.0.0/24 dev p0\r",
  "route add 10.0.0.0/24 dev p0 # comment",
  "route add 10.0.0.0/24 dev p0 \\",
  "route add 10.0.0.0/24 dev 'p0'",
  'route add 10.0.0.0/24 dev "p0"',
  "route add 10.0.0.0/24 dev nosuch",
  "route add 10.0.0.0/24 dev p0 dev lo",
  "route add 10.0.0.0/24 via 10.0.0.1 via 10.0.0.2",
  "route add 10.0.0.0/24 via 10.0.0.1/32",
  "route add 10.0.0.0/24 via inet 10.0.0.1",
  "route add 10.0.0.0/24 via 2001:db8::1",
  "route add 10.0.0.0/24 dev p0 metric 5",
  "route add 10.0.0.0/24 dev p0 onlink",
  "route add 10.0.0.0/24 dev",
  "route add 10.0.0.0/24 dev ",
  "route add 10.0.0.0/24 via",
  "route add to 10.0.0.0/24 dev p0",
  "route add default via 10.0.0.1",
  "route add unicast 10.0.0.0/24 dev p0",
  "route a 10.0.0.0/24 dev p0",
  "route ad 10.0.0.0/24 dev p0",
  "route chg 10.0.0.0/24 dev p0",
  "route test 10.0.0.0/24 dev p0",
  "route show 10.0.0.0/24 dev p0",
  "r add 10.0.0.0/24 dev p0",
  "ro add 10.0.0.0/24 dev p0",
  "address add 10.0.0.1/24 dev p0",
  "route add 10.0.0.0/24 dev pé",
  "route add",
  "",
];

/** The lines of `lines` the fast path takes under each family: the general path's call, options and bytes. */
async function sameAsGeneral(lines: string[], families: number[]): Promise<number> {
  let taken = 0;
  for (const family of families) {
    for (const line of lines) {
      const f = await fast(line, family);
      const g = general(line, family);
      if (f === undefined) {
        equal(g, undefined, `${line}: the fast path left a line the general path pipelines`);
        continue;
      }
      taken++;
      assertEquals(f, g, line);
      assertEquals(Object.keys(f.o), Object.keys(g!.o), line);
      assertEquals(bytes(OP_OF_CALL[f.call], f.o), bytes(OP_OF_CALL[g!.call], g!.o), line);
    }
  }
  return taken;
}

Deno.test("fast path: the lines it takes give the general path's call, options and bytes", async () => {
  equal(await sameAsGeneral(TAKEN, [AF_UNSPEC, AF_INET]), 2 * (TAKEN.length - 1)); // all but the /33
});

Deno.test("fast path: IPv6 lines it takes give the general path's call, options and bytes", async () => {
  equal(await sameAsGeneral(TAKEN6, [AF_UNSPEC, AF_INET6]), 2 * (TAKEN6.length - 1)); // all but the /129
});

Deno.test("fast path: every other line is left to the general path", async () => {
  for (const line of [...LEFT, ...LEFT6]) equal(await fast(line), undefined, line);
  for (const line of TAKEN) equal(await fast(line, AF_INET6), undefined, `-6: ${line}`);
  for (const line of TAKEN6) equal(await fast(line, AF_INET), undefined, `-4: ${line}`);
});

Deno.test("fast path: generated IPv6 lines, random groups in every spelling", async () => {
  const parser = new RouteLineParser(AF_UNSPEC);
  let seed = 11, taken = 0;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let n = 0; n < 3000; n++) {
    const groups = Array.from({ length: 8 }, () => (rand() < 0.5 ? 0 : Math.floor(rand() * 0x10000)));
    // Written out whole, compressed at a random zero run, with leading zeros or upper case now and then.
    let text = groups.map((g) => g.toString(16)).join(":");
    const zero = text.match(/(^|:)0(:0)+(:|$)/);
    if (zero && rand() < 0.8) text = text.replace(zero[0], "::");
    if (rand() < 0.1) text = text.replace(/[0-9a-f]+/, (g) => g.padStart(4, "0"));
    if (rand() < 0.1) text = text.toUpperCase();
    const line = `route add ${text}/${Math.floor(rand() * 129)} via 2001:db8::2 dev p0`;
    const f = await parseLine(parser, line, 0, line.length);
    const g = general(line, AF_UNSPEC);
    if (f === undefined) continue;
    taken++;
    assertEquals(f, g, line);
  }
  equal(taken > 500, true, `only ${taken} lines taken`);
});

Deno.test("fast path: generated lines, every spelling of every octet", async () => {
  const parser = new RouteLineParser(AF_UNSPEC);
  for (let v = 0; v < 1000; v++) {
    for (const part of [String(v), `0${v}`, `00${v}`]) {
      const line = `route add 10.${part}.0.0/16 via 192.0.${part}.1 dev p0`;
      const f = await parseLine(parser, line, 0, line.length);
      const g = general(line, AF_UNSPEC);
      if (f === undefined) continue;
      assertEquals(f, g, line);
    }
    const len = `route add 10.0.0.0/${v} dev p0`;
    const f = await parseLine(parser, len, 0, len.length);
    if (f !== undefined) assertEquals(f, general(len, AF_UNSPEC), len);
    equal(f !== undefined, v <= 32, len);
  }
});

Deno.test("fast path: the gateway and device of the previous line are reused only when the same", async () => {
  const parser = new RouteLineParser(AF_UNSPEC);
  const lines = [
    "route add 10.0.0.1 via 10.9.0.1 dev p0",
    "route add 10.0.0.2 via 10.9.0.1 dev p0",
    "route add 10.0.0.3 via 10.9.0.2 dev lo",
    "route add 10.0.0.4 via 10.9.0.22 dev lo",
    "route add 10.0.0.5 via 10.9.0.2 dev p0",
  ];
  for (const line of lines) assertEquals(await parseLine(parser, line, 0, line.length), general(line, AF_UNSPEC), line);
  // After a link change the batch forgets every name: the device is looked up again.
  let index = 2;
  const names = new DeviceNames(() => Promise.resolve(index));
  const line = "route add 10.0.0.6 dev p0";
  equal((await parseLine(parser, line, 0, line.length, names))?.o.dev, 2);
  index = 5;
  equal((await parseLine(parser, line, 0, line.length, names))?.o.dev, 2);
  names.clear();
  equal((await parseLine(parser, line, 0, line.length, names))?.o.dev, 5);
});

/** Writes `routes` through one RouteRepeater and one by one through writeRouteRequest; both must agree. */
function sameAsEncoder(routes: [RouteOp, RouteOptions, number | undefined][]): number {
  const repeated = new MessageWriter();
  const plain = new MessageWriter();
  const r = new RouteRepeater();
  for (const [op, o, oif] of routes) {
    let thrown: unknown, expected: unknown;
    try {
      writeRouteRequest(plain, op, o, { oif });
    } catch (e) {
      expected = e;
    }
    const before = repeated.length;
    try {
      r.write(repeated, op, o, oif);
    } catch (e) {
      thrown = e;
    }
    if (expected !== undefined) {
      assertEquals(String(thrown), String(expected), JSON.stringify(o));
      equal(repeated.length, before, "nothing written for a bad route");
    } else equal(thrown, undefined, JSON.stringify(o));
  }
  assertEquals(repeated.bytes(), plain.bytes());
  return plain.length;
}

Deno.test("RouteRepeater: the same bytes as the encoder, route after route", () => {
  const v4 = (i: number) => `172.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
  const routes: [RouteOp, RouteOptions, number | undefined][] = [];
  for (let i = 0; i < 300; i++) {
    routes.push(["add", { gateway: "10.0.0.2", dev: 2, dst: `${v4(i)}/32`, family: "inet" }, 2]);
  }
  // Without a family, without a length, other lengths, other gateways, devices and operations.
  for (let i = 0; i < 20; i++) routes.push(["add", { dst: v4(i), gateway: "10.0.0.2" }, undefined]);
  for (let i = 0; i < 20; i++) routes.push(["add", { dst: `${v4(i << 8)}/24`, gateway: "10.0.0.2" }, undefined]);
  for (let i = 0; i < 20; i++) routes.push(["add", { dst: `${v4(i << 8)}/24`, gateway: `10.0.0.${i % 3}` }, undefined]);
  for (let i = 0; i < 20; i++) routes.push([i % 2 ? "del" : "replace", { dst: `${v4(i)}/32` }, i % 3 ? 2 : 3]);
  // IPv6, and an IPv4-looking destination after an IPv6 template.
  for (let i = 0; i < 20; i++) routes.push(["add", { dst: `2001:db8::${i.toString(16)}/128`, dev: 2 }, 2]);
  routes.push(["add", { dst: "2001:db8::1", dev: 2 }, 2]);
  routes.push(["add", { dst: "::ffff:10.0.0.1", dev: 2 }, 2]);
  routes.push(["add", { dst: "10.0.0.1/128", dev: 2 }, 2]);
  routes.push(["add", { dst: "10.0.0.1", dev: 2 }, 2]);
  // Odd destinations after a template: default, short and long lengths, garbage, other families.
  const base = { gateway: "10.0.0.2", family: "inet" as const };
  for (
    const dst of [
      "10.0.0.0/8",
      "10.0.0.1/32",
      "default",
      "10.0.0.2/32",
      "10.0.0.3/032",
      "10.0.0.4/0032",
      "10.0.0.5/3a",
      "10.0.0.6/",
      "010.0.0.7/32",
      "10.0.0.8/33",
      "2001:db8::9/32",
      "10.0.0.10/32",
      "10.0.0.11 /32",
      "any",
      "10.0.0.12/32",
    ]
  ) routes.push(["add", { ...base, dst }, 2]);
  // Other options appear, disappear, or hold a value that is undefined.
  routes.push(["add", { ...base, dst: "10.1.0.1/32", metric: 5 }, 2]);
  routes.push(["add", { ...base, dst: "10.1.0.2/32", metric: 5 }, 2]);
  routes.push(["add", { ...base, dst: "10.1.0.3/32", metric: 6 }, 2]);
  routes.push(["add", { ...base, dst: "10.1.0.4/32", metric: undefined }, 2]);
  routes.push(["add", { ...base, dst: "10.1.0.5/32", table: 100 }, 2]);
  routes.push(["add", { ...base, dst: "10.1.0.6/32", table: 100, protocol: "static" }, 2]);
  routes.push(["add", { ...base, dst: "10.1.0.7/32", table: 100, protocol: "static" }, 2]);
  const metrics = { mtu: 1400 };
  routes.push(["add", { ...base, dst: "10.1.0.8/32", metrics }, 2]);
  routes.push(["add", { ...base, dst: "10.1.0.9/32", metrics }, 2]);
  routes.push(["add", { ...base, dst: "10.1.0.10/32", metrics: { mtu: 1500 } }, 2]);
  // Class instances: their getters are not own properties, so they are never repeated.
  class Spec {
    dst: string;
    #gateway: string;
    constructor(dst: string, gateway: string) {
      this.dst = dst;
      this.#gateway = gateway;
    }
    get gateway() {
      return this.#gateway;
    }
  }
  routes.push(["add", new Spec("10.2.0.1/32", "10.0.0.1") as RouteOptions, 2]);
  routes.push(["add", new Spec("10.2.0.2/32", "10.0.0.2") as RouteOptions, 2]);
  // Bad values after a good template fail as the encoder fails.
  routes.push(["add", { ...base, dst: "10.3.0.1/32" }, 2]);
  routes.push(["add", { ...base, dst: 42 as unknown as string }, 2]);
  routes.push(["add", { ...base, dst: "10.3.0.2/32", gateway: "nope" }, 2]);
  routes.push(["add", { ...base, dst: "10.3.0.3/32" }, 2]);
  routes.push(["add", { ...base, dst: "10.3.0.4/99" }, 2]);
  routes.push(["add", { ...base, dst: "10.3.0.5/32" }, 2]);
  sameAsEncoder(routes);
});

Deno.test("RouteRepeater: a bad first route throws like the encoder and leaves no template", () => {
  const r = new RouteRepeater();
  const w = new MessageWriter();
  throws(() => r.write(w, "add", { dst: "10.0.0.1/40" }, 2), /dst/);
  equal(w.length, 0);
  sameAsEncoder([
    ["add", { dst: "nope" }, 2],
    ["add", { dst: "10.0.0.1/32" }, 2],
    ["add", { dst: "10.0.0.2/32" }, 2],
  ]);
});
