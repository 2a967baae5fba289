/**
 * Request bytes of encapsulation on multipath next hops and nexthop objects
 * (in the order of the option keys, as iproute2 keeps the word order), path
 * realms, time metrics and a numeric pref, against iproute2 6.1 captures
 * (nlcapture; p0 was ifindex 3); and the CLI's reading of rtt times.
 */
import { deepStrictEqual as assertEquals, throws as assertThrows } from "node:assert/strict";
import { realmsValue } from "../../cli/common/names.ts";
import { timeRtt } from "../../cli/ip/route_modify.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { decodeRoute, routeRequest } from "../../src/route/route.ts";
import { nexthopRequest } from "../../src/route/nexthop.ts";
import { asMessage } from "../_lib/golden.ts";
import { maskAttrPadding } from "../_lib/golden.ts";

const P0 = 3;

/** Hex of `bytes` with seq and pid zeroed and attribute padding zeroed (iproute2 leaves garbage there). */
function masked(bytes: Uint8Array, headerLen: number): string {
  const b = maskAttrPadding(bytes, headerLen);
  b.fill(0, 8, 16);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

const fromHex = (hex: string) => new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
const sameRoute = (ours: Uint8Array, theirs: string) => assertEquals(masked(ours, 12), masked(fromHex(theirs), 12));
const sameNexthop = (ours: Uint8Array, theirs: string) => assertEquals(masked(ours, 8), masked(fromHex(theirs), 8));

Deno.test("multipath encap: each path's attributes in its keys' order (nexthop via … encap mpls / encap … via)", () => {
  // ip route add 10.1.0.0/24 nexthop via 10.0.0.2 dev p0 encap mpls 100
  //   nexthop encap mpls 200/300 ttl 4 via 10.0.0.3 dev p0 weight 2
  sameRoute(
    routeRequest("add", {
      dst: "10.1.0.0/24",
      multipath: [
        { gateway: "10.0.0.2", encap: { type: "mpls", labels: [100] } },
        { encap: { type: "mpls", labels: [200, 300], ttl: 4 }, gateway: "10.0.0.3", weight: 2 },
      ],
    }, { paths: [P0, P0] }),
    "7c00000018000506000000000000000002180000fe03000100000000080001000a010000580009002400000003000000080005000a00" +
      "00020c001680080001000006410006001500010000003000000103000000180016800c000100000c80000012c100050002000400000006" +
      "00150001000000080005000a000003",
  );
});

Deno.test("multipath realms: RTA_FLOW inside each path", () => {
  // ip route add 10.3.0.0/24 nexthop via 10.0.0.2 dev p0 realms 5 nexthop via 10.0.0.3 dev p0 realms 3/7
  sameRoute(
    routeRequest("add", {
      dst: "10.3.0.0/24",
      multipath: [{ gateway: "10.0.0.2", realm: 5 }, { gateway: "10.0.0.3", realm: (3 << 16) | 7 }],
    }, { paths: [P0, P0] }),
    "5800000018000506000000000000000002180000fe03000100000000080001000a030000340009001800000003000000080005000a0000" +
      "0208000b00050000001800000003000000080005000a00000308000b0007000300",
  );
});

Deno.test("time metrics: rtt, rttvar, rto_min as iproute2 scales and locks them", () => {
  // ip route add 10.4.2.0/24 via 10.0.0.2 rtt lock 1.5s rttvar 0.3 rto_min 1s mtu 1400
  sameRoute(
    routeRequest("add", {
      dst: "10.4.2.0/24",
      gateway: "10.0.0.2",
      metrics: { rtt: 12000, rttvar: 1, rtoMin: 1000, mtu: 1400, lock: (1 << 4) | (1 << 13) },
    }),
    "5800000018000506000000000000000002180000fe03000100000000080001000a040200080005000a0000022c00080008000400e02e00" +
      "00080005000100000008000d00e803000008000200780500000800010010200000",
  );
});

Deno.test("pref: a raw number as iproute2 takes it", () => {
  // ip -6 route add 2001:db8:9::/64 via 2001:db8::2 pref 2
  sameRoute(
    routeRequest("add", { dst: "2001:db8:9::/64", gateway: "2001:db8::2", pref: 2 }),
    "4c0000001800050600000000000000000a400000fe030001000000001400010020010db80009000000000000000000001400050020010d" +
      "b80000000000000000000000020500140002000000",
  );
  assertThrows(() => routeRequest("add", { dst: "2001:db8:9::/64", pref: 256 }), ValidationError);
});

Deno.test("nexthop objects: encap before or after the gateway, as the keys are ordered", () => {
  // ip nexthop add id 2 via 10.0.0.2 dev p0 encap mpls 100 ttl 3
  sameNexthop(
    nexthopRequest("add", { id: 2, gateway: "10.0.0.2", dev: P0, encap: { type: "mpls", labels: [100], ttl: 3 } }),
    "4c00000068000506000000000000000002000000000000000800010002000000080006000a0000020800050003000000140008800800" +
      "01000006410005000200037f00000600070001000000",
  );
  // ip nexthop add id 1 encap mpls 100/200 via 10.0.0.2 dev p0
  sameNexthop(
    nexthopRequest("add", { id: 1, encap: { type: "mpls", labels: [100, 200] }, gateway: "10.0.0.2", dev: P0 }),
    "4800000068000506000000000000000002000000000000000800010001000000100008800c00010000064000000c8100060007000100" +
      "6a45080006000a0000020800050003000000",
  );
});

Deno.test("multipath: a path's encapsulation, realm and gateway decode back; gateway and via together are refused", () => {
  const r = decodeRoute(asMessage(routeRequest("add", {
    dst: "10.1.0.0/24",
    multipath: [{ gateway: "10.0.0.2", realm: 9, encap: { type: "seg6", mode: "encap", segments: ["fc00::1"] } }],
  }, { paths: [P0] })));
  assertEquals(r.multipath?.[0].encap, { type: "seg6", mode: "encap", segments: ["fc00::1"] });
  assertEquals([r.multipath?.[0].gateway, r.multipath?.[0].flow], ["10.0.0.2", 9]);
  assertThrows(
    () =>
      routeRequest("add", {
        dst: "10.1.0.0/24",
        multipath: [{ gateway: "10.0.0.2", via: { family: "inet6", address: "fe80::1" } }],
      }),
    ValidationError,
  );
});

Deno.test("timeRtt: iproute2's get_time_rtt (units, fractions rounded up, raw without a unit)", () => {
  assertEquals(timeRtt("10"), { ms: 10, raw: true });
  assertEquals(timeRtt("0x10"), { ms: 16, raw: true });
  assertEquals(timeRtt("10ms"), { ms: 10, raw: false });
  assertEquals(timeRtt("1.5s"), { ms: 1500, raw: false });
  assertEquals(timeRtt("2SECS"), { ms: 2000, raw: false });
  assertEquals(timeRtt("0.3"), { ms: 1, raw: true });
  assertEquals(timeRtt("1.2msec"), { ms: 2, raw: false });
  for (const bad of ["", "x", "5min", "-1.5", "-1", "99999999999"]) assertEquals(timeRtt(bad), undefined, bad);
});

Deno.test("realmsValue: iproute2's [FROM/]TO realms, else a raw u32", () => {
  assertEquals(realmsValue("3/4"), (3 << 16) | 4);
  assertEquals(realmsValue("7"), 7);
  assertEquals(realmsValue("0x10/"), 16 << 16);
  assertEquals(realmsValue("70000"), 70000);
  assertEquals(realmsValue("300/2"), undefined);
  assertEquals(realmsValue("/5"), undefined);
});
