import { deepStrictEqual, equal, throws } from "node:assert/strict";
import {
  formatIPv4,
  formatIPv6,
  formatMac,
  ipFamily,
  parseIPv4,
  parseIPv6,
  parseMac,
  parsePrefix,
} from "../../src/util/addr.ts";
import { ValidationError } from "../../src/core/errors.ts";

const NTOP = JSON.parse(await Deno.readTextFile(new URL("../fixtures/inet_ntop.json", import.meta.url))) as [
  string,
  string,
][];

function fromHex(h: string): Uint8Array {
  return new Uint8Array(h.match(/../g)!.map((x) => parseInt(x, 16)));
}

Deno.test("formatIPv6 prints exactly what glibc's inet_ntop prints", () => {
  for (const [hex, text] of NTOP) equal(formatIPv6(fromHex(hex)), text, hex);
});

Deno.test("parseIPv6 reads back every inet_ntop form", () => {
  for (const [hex, text] of NTOP) deepStrictEqual(parseIPv6(text), fromHex(hex), text);
});

Deno.test("parseIPv6 refuses malformed text", () => {
  for (
    const bad of [
      "",
      ":",
      "1:2:3:4:5:6:7:8:9",
      "1::2::3",
      "12345::",
      "g::",
      "1.2.3.4::",
      "::1.2.3",
      "1:2:3:4:5:6:7::8:9",
    ]
  ) {
    equal(parseIPv6(bad), undefined, bad);
  }
});

Deno.test("IPv4 round trip and refusals", () => {
  deepStrictEqual(parseIPv4("192.0.2.255"), new Uint8Array([192, 0, 2, 255]));
  equal(formatIPv4(new Uint8Array([10, 0, 0, 1])), "10.0.0.1");
  for (
    const bad of [
      "1.2.3",
      "1.2.3.4.5",
      "256.1.1.1",
      "1.2.3.-4",
      "a.b.c.d",
      "1..2.3",
      "1.2.3.4 ",
      "01234.1.1.1",
      "10.0.0.01",
    ]
  ) {
    equal(parseIPv4(bad), undefined, bad);
  }
  equal(ipFamily("10.0.0.1"), 2);
  equal(ipFamily("::1"), 10);
  equal(ipFamily("nope"), 0);
});

Deno.test("MAC addresses", () => {
  equal(formatMac(new Uint8Array([2, 0, 0xab, 0, 0, 1])), "02:00:ab:00:00:01");
  deepStrictEqual(parseMac("02:00:AB:00:00:01"), new Uint8Array([2, 0, 0xab, 0, 0, 1]));
  equal(parseMac("02:00:zz:00:00:01"), undefined);
});

Deno.test("parsePrefix: lengths, defaults, host prefixes and errors naming the field", () => {
  deepStrictEqual(parsePrefix("10.0.0.0/24"), { family: 2, length: 24, address: "10.0.0.0" });
  deepStrictEqual(parsePrefix("2001:db8::1"), { family: 10, length: 128, address: "2001:db8::1" });
  deepStrictEqual(parsePrefix("default", "dst", 10), { family: 10, length: 0, address: "::" });
  throws(() => parsePrefix("10.0.0.0/33", "dst"), ValidationError);
  throws(
    () => parsePrefix("10.0.0.300", "gateway"),
    (e: ValidationError) => e.field === "gateway" && e.value === "10.0.0.300",
  );
  throws(() => parsePrefix("10.0.0.0/8", "dst", 10), /IPv6 expected/);
});
