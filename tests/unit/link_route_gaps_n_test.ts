/**
 * Request bytes for `ip link add … carrier|xdp…`, `ip route get … as ADDR` and MPLS destinations with a length,
 * against iproute2 6.1's (captured with nlcapture, sequence and port zeroed), and the inputs refused before sending.
 */
import assert from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { checkAddLink, linkAddRequest } from "../../src/route/link.ts";
import { routeRequest } from "../../src/route/route.ts";
import { routeGetRequest } from "../../src/route/route_get.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("linkAddRequest: carrier after mtu, as `ip link add c0 mtu 1400 carrier off type veth peer name c1`", () => {
  const req = linkAddRequest({ kind: "veth", name: "c0", mtu: 1400, carrier: false, peer: { name: "c1" } });
  assert.equal(
    hex(req),
    "64000000100005060000000000000000000000000000000000000000000000000800040078050000050021000000000007000300" +
      "633000002c0012000800010076657468200002001c000100000000000000000000000000000000000700030063310000",
  );
  const on = linkAddRequest({ kind: "veth", name: "c2", carrier: true, peer: { name: "c3" } });
  assert.equal(
    hex(on),
    "5c00000010000506000000000000000000000000000000000000000000000000050021000100000007000300633200002c00120008" +
      "00010076657468200002001c000100000000000000000000000000000000000700030063330000",
  );
});

Deno.test("linkAddRequest: IFLA_XDP with the program's fd, as `ip link add x2 xdp pinned P type veth …` (fd 4)", () => {
  const req = linkAddRequest({ kind: "veth", name: "x2", xdp: { fd: 4 }, peer: { name: "x3" } });
  assert.equal(
    hex(req),
    "680000001000050600000000000000000000000000000000000000000000000014002b000800010004000000080003000100000007" +
      "000300783200002c0012000800010076657468200002001c000100000000000000000000000000000000000700030078330000",
  );
});

Deno.test("checkAddLink: carrier and xdp checked before anything is opened", () => {
  checkAddLink({ kind: "veth", name: "x0", xdp: { pinned: "/sys/fs/bpf/p", mode: "generic" } });
  assert.throws(
    () => checkAddLink({ kind: "veth", name: "x0", carrier: 1 as unknown as boolean }),
    (e) => e instanceof ValidationError && e.field === "carrier",
  );
  assert.throws(
    () => checkAddLink({ kind: "veth", name: "x0", xdp: { pinned: "/p", off: true } }),
    (e) => e instanceof ValidationError && e.field === "xdp",
  );
  assert.throws(
    () => checkAddLink({ kind: "veth", name: "x0", xdp: { fd: 3, mode: "bogus" as "drv" } }),
    (e) => e instanceof ValidationError && e.field === "xdp.mode",
  );
});

Deno.test("routeGetRequest: `as` sends RTA_NEWDST (IPv4, MPLS label stack), MPLS dst with a length", () => {
  assert.equal(
    hex(routeGetRequest({ dst: "10.9.0.5", newdst: "10.9.0.7" })),
    "2c0000001a0001000000000000000000022000000000000000100000080001000a090005080013000a090007",
  );
  assert.equal(
    hex(routeGetRequest({ dst: "100", family: "mpls", newdst: "200/300" })),
    "300000001a00010000000000000000001c140000000000000000000008000100000641000c001300000c80000012c100",
  );
  assert.equal(
    hex(routeGetRequest({ dst: "100/19", family: "mpls" })),
    "240000001a00010000000000000000001c13000000000000000000000800010000064100",
  );
  assert.throws(() => routeGetRequest({ dst: "100/21", family: "mpls" }), (e) => e instanceof ValidationError);
  assert.throws(() => routeGetRequest({ dst: "10.0.0.1", newdst: "2001:db8::1" }), (e) => e instanceof ValidationError);
});

Deno.test("routeRequest: an MPLS dst's length is sent as given (`ip -f mpls route add 100/19 dev lo`)", () => {
  assert.equal(
    hex(routeRequest("add", { family: "mpls", dst: "100/19", dev: 1 }, { oif: 1 })),
    "2c0000001800050600000000000000001c130000fe0300010000000008000100000641000800040001000000",
  );
  assert.equal(
    hex(routeRequest("del", { family: "mpls", dst: "100/7", dev: 1 }, { oif: 1 })),
    "2c0000001900050000000000000000001c070000fe0000010000000008000100000641000800040001000000",
  );
  assert.throws(
    () => routeRequest("add", { family: "mpls", dst: "100/21" }),
    (e) => e instanceof ValidationError && e.field === "dst",
  );
});
