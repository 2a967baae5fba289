/**
 * Device group changes (`ip link set group G …`, `ip link del group G`): the
 * bytes iproute2 sends (nlcapture), and what a group change refuses.
 */
import { equal, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { linkGroupDelRequest, linkGroupSetRequest } from "../../src/route/link.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("golden: ip link set group 5 up / mtu 1400, ip link del group 9", () => {
  equal(
    hex(linkGroupSetRequest(5, { up: true })),
    "280000001000050000000000000000000000000000000000010000000100000008001b0005000000",
  );
  // IFLA_GROUP first, then the changes, as iproute2 adds them word by word.
  equal(
    hex(linkGroupSetRequest(5, { mtu: 1400 })),
    "300000001000050000000000000000000000000000000000000000000000000008001b00050000000800040078050000",
  );
  equal(hex(linkGroupSetRequest(5, { mtu: 1400, group: 5 })), hex(linkGroupSetRequest(5, { mtu: 1400 })));
  equal(
    hex(linkGroupDelRequest(9)),
    "280000001100050000000000000000000000000000000000000000000000000008001b0009000000",
  );
});

Deno.test("a group change refuses what is one device's, naming the field", () => {
  const refused = (f: () => unknown, field: string) =>
    throws(f, (e) => e instanceof ValidationError && e.field === field);
  refused(() => linkGroupSetRequest(-1, { up: true }), "group");
  refused(() => linkGroupDelRequest(2 ** 32), "group");
  refused(() => linkGroupSetRequest(5, { netns: { pid: 1 } }), "netns");
  refused(() => linkGroupSetRequest(5, { group: 6 }), "group");
  refused(() => linkGroupSetRequest(5, { xdp: { off: true } } as never), "xdp");
});
