/**
 * Golden tests for namespace ids and statistics requests: nlink's bytes equal
 * iproute2's (captured with nlcapture; sequence number and port id zeroed).
 */
import { equal } from "node:assert/strict";
import { nsidDumpRequest, nsidRequest, nsidSetRequest } from "../../src/route/nsid.ts";
import { statsRequest } from "../../src/route/stats.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("golden: ip stats show dev p0 group link (p0 is ifindex 3)", () => {
  equal(hex(statsRequest(3)), "1c0000005e0001000000000000000000000000000300000001000000");
});

Deno.test("golden: ip netns set NAME 7 (iproute2's namespace file was fd 6)", () => {
  equal(hex(nsidSetRequest({ fd: 6 }, 7)), "240000005800050000000000000000000000000008000300060000000800010007000000");
});

Deno.test("golden: ip netns list-id", () => {
  equal(hex(nsidDumpRequest()), "140000005a000103000000000000000000000000");
});

Deno.test("RTM_GETNSID by pid carries NETNSA_PID", () => {
  equal(hex(nsidRequest({ pid: 1 })), "1c0000005a0001000000000000000000000000000800020001000000");
});
