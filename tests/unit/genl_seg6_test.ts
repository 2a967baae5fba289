/**
 * The SEG6 generic netlink family without a kernel: requests equal what
 * iproute2's `ip sr` sends (captured with nlcapture in a namespace on a 6.18
 * kernel, where the family had id 29), bad input is refused before anything
 * is sent, and the kernel's replies (captured from the same kernel) decode.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { decodeHmac, decodeTunsrc, seg6Request, setHmacRequest, setTunsrcRequest } from "../../src/genl/seg6/seg6.ts";
import { asMessage } from "../_lib/golden.ts";

const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const FAMILY = 29;

/** iproute2's requests: the command, then the bytes it sent (seq and pid zeroed). */
const GOLDEN: [string, () => Uint8Array, string][] = [
  [
    "ip sr tunsrc set fc00::1",
    () => setTunsrcRequest(FAMILY, "fc00::1"),
    "280000001d00050000000000000000000301000014000100fc000000000000000000000000000001",
  ],
  ["ip sr tunsrc show", () => seg6Request(FAMILY, "get_tunsrc"), "140000001d000100000000000000000004010000"],
  ["ip sr hmac show", () => seg6Request(FAMILY, "dumphmac"), "140000001d000103000000000000000002010000"],
  [
    "echo secretkey | ip sr hmac set 7 sha256",
    () => setHmacRequest(FAMILY, { keyId: 7, algorithm: "sha256", secret: "secretkey" }),
    "3c0000001d0005000000000000000000010100000800030007000000050005000900000005000600020000000d000400" +
    "7365637265746b6579000000",
  ],
  [
    "ip sr hmac set 7 sha256 < /dev/null (an empty secret: delete)",
    () => setHmacRequest(FAMILY, { keyId: 7, algorithm: "sha256", secret: new Uint8Array(0) }),
    "2c0000001d000500000000000000000001010000080003000700000005000500000000000500060002000000",
  ],
];

for (const [command, build, hex] of GOLDEN) {
  Deno.test(`golden: ${command}`, () => assertEquals(toHex(build()), hex));
}

Deno.test("bad input is refused before anything is sent, naming the field", () => {
  const refused = (f: () => unknown, field: string) =>
    throws(f, (e) => e instanceof ValidationError && e.field === field);
  refused(() => setTunsrcRequest(FAMILY, "10.0.0.1"), "address");
  refused(() => setTunsrcRequest(FAMILY, "fc00::zz"), "seg6.dst");
  refused(() => setHmacRequest(FAMILY, { keyId: 0, algorithm: "sha1", secret: "x" }), "keyId");
  refused(() => setHmacRequest(FAMILY, { keyId: 2 ** 32, algorithm: "sha1", secret: "x" }), "keyId");
  refused(() => setHmacRequest(FAMILY, { keyId: 1, algorithm: "md5" as "sha1", secret: "x" }), "algorithm");
  refused(() => setHmacRequest(FAMILY, { keyId: 1, algorithm: "sha1", secret: "x".repeat(65) }), "secret");
  // 64 bytes is the kernel's limit, and allowed.
  assertEquals(setHmacRequest(FAMILY, { keyId: 1, algorithm: "sha1", secret: "x".repeat(64) }).length, 112);
});

Deno.test("the kernel's HMAC dump and tunnel source replies decode", () => {
  const sha256 =
    "340000001d00020002000000b63d0000020100000800030006000000050005000100000005000400780000000500060002000000";
  const sha1 =
    "340000001d00020002000000b63d0000020100000800030005000000050005000300000007000400616263000500060001000000";
  assertEquals(decodeHmac(asMessage(fromHex(sha256)), FAMILY), {
    keyId: 6,
    algorithm: "sha256",
    secret: new TextEncoder().encode("x"),
  });
  assertEquals(decodeHmac(asMessage(fromHex(sha1)), FAMILY), {
    keyId: 5,
    algorithm: "sha1",
    secret: new TextEncoder().encode("abc"),
  });
  const tunsrc = "280000001d00000003000000b63d00000401000014000100fc000000000000000000000000000009";
  assertEquals(decodeTunsrc(asMessage(fromHex(tunsrc)), FAMILY), "fc00::9");
  // Another family's message, or another command's, is not a reply.
  assertEquals(decodeTunsrc(asMessage(fromHex(tunsrc)), FAMILY + 1), undefined);
  assertEquals(decodeHmac(asMessage(fromHex(tunsrc)), FAMILY), undefined);
  assertEquals(decodeTunsrc(asMessage(fromHex(sha1)), FAMILY), undefined);
});

Deno.test("an algorithm nlink does not know decodes as its number", () => {
  const m = seg6Request(FAMILY, "dumphmac", { keyId: 9, secretLen: 2, algorithm: 7, secret: new Uint8Array([1, 2]) });
  assertEquals(decodeHmac(asMessage(m), FAMILY), { keyId: 9, algorithm: 7, secret: new Uint8Array([1, 2]) });
});
