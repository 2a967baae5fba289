/**
 * The `IOAM6` generic netlink family without a kernel: requests equal what
 * iproute2 6.1's `ip ioam` sends (captured with nlcapture in a namespace on a
 * 6.18 kernel, where the family had id 30), bad input is refused before
 * anything is sent, and the kernel's dump replies (captured from the same
 * kernel) decode to typed namespaces and schemas. The attribute ids and
 * constants are checked against linux/ioam6_genl.h by constants_audit_test.ts.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { IOAM6_CMD, IOAM6_MAX } from "../../src/genl/ioam6/attrs.ts";
import { decodeIoamNamespace, decodeIoamSchema, type IoamRequest, ioamRequest } from "../../src/genl/ioam6/ioam6.ts";
import { asMessage } from "../_lib/golden.ts";

const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const FAMILY = 30;

/** iproute2's requests: the command, what nlink builds for it, the bytes iproute2 sent (seq and pid zeroed). */
const GOLDEN: [string, IoamRequest, string][] = [
  [
    "ip ioam namespace add 300 data 0xdeadbeef wide 0x1122334455667788",
    { cmd: "add_namespace", id: 300, data: 0xdeadbeef, wide: 0x1122334455667788n },
    "300000001e000500000000000000000001010000060001002c01000008000200efbeadde0c0003008877665544332211",
  ],
  [
    "ip ioam namespace add 301",
    { cmd: "add_namespace", id: 301 },
    "1c0000001e000500000000000000000001010000060001002d010000",
  ],
  [
    "ip ioam namespace del 301",
    { cmd: "del_namespace", id: 301 },
    "1c0000001e000500000000000000000002010000060001002d010000",
  ],
  [
    "ip ioam schema add 20 abcde",
    { cmd: "add_schema", id: 20, data: "abcde" },
    "280000001e0005000000000000000000040100000800040014000000090005006162636465000000",
  ],
  ["ip ioam schema del 20", { cmd: "del_schema", id: 20 }, "1c0000001e0005000000000000000000050100000800040014000000"],
  [
    "ip ioam namespace set 123 schema 7",
    { cmd: "ns_set_schema", namespace: 123, schema: 7 },
    "240000001e000500000000000000000007010000060001007b0000000800040007000000",
  ],
  [
    "ip ioam namespace set 123 schema none",
    { cmd: "ns_set_schema", namespace: 123, schema: null },
    "200000001e000500000000000000000007010000060001007b00000004000600",
  ],
  ["ip ioam namespace show", { cmd: "dump_namespaces" }, "140000001e000103000000000000000003010000"],
  ["ip ioam schema show", { cmd: "dump_schemas" }, "140000001e000103000000000000000006010000"],
];

for (const [command, request, hex] of GOLDEN) {
  Deno.test(`golden: ${command}`, () => assertEquals(toHex(ioamRequest(FAMILY, request)), hex));
}

Deno.test("schema data: a string's UTF-8 bytes or the bytes given, up to 1020", () => {
  const bytes = ioamRequest(FAMILY, { cmd: "add_schema", id: 1, data: new Uint8Array([1, 2]) });
  assertEquals(toHex(bytes.subarray(28)), "060005000102" + "0000");
  assertEquals(ioamRequest(FAMILY, { cmd: "add_schema", id: 1, data: "" }).length, 32);
  assertEquals(ioamRequest(FAMILY, { cmd: "add_schema", id: 1, data: "é" }).length, 36);
  assertEquals(IOAM6_MAX.SCHEMA_DATA_LEN, 1020);
  assertEquals(ioamRequest(FAMILY, { cmd: "add_schema", id: 1, data: "x".repeat(1020) }).length, 28 + 1024);
});

Deno.test("bad input is refused before anything is sent, naming the field", () => {
  const refused = (r: unknown, field: string) =>
    throws(() => ioamRequest(FAMILY, r as IoamRequest), (e) => e instanceof ValidationError && e.field === field);
  refused({ cmd: "add_namespace", id: 65536 }, "id");
  refused({ cmd: "add_namespace", id: -1 }, "id");
  refused({ cmd: "add_namespace", id: 1, data: 2 ** 32 }, "data");
  refused({ cmd: "add_namespace", id: 1, data: 1.5 }, "data");
  refused({ cmd: "add_namespace", id: 1, wide: 1 }, "wide");
  refused({ cmd: "add_namespace", id: 1, wide: 2n ** 64n }, "wide");
  refused({ cmd: "add_namespace", id: 1, wide: -1n }, "wide");
  refused({ cmd: "del_namespace" }, "id");
  refused({ cmd: "add_schema", id: 2 ** 32, data: "x" }, "id");
  refused({ cmd: "add_schema", id: 1, data: "x".repeat(1021) }, "data");
  refused({ cmd: "add_schema", id: 1, data: 5 }, "data");
  refused({ cmd: "del_schema", id: "7" }, "id");
  refused({ cmd: "ns_set_schema", namespace: 70000, schema: 1 }, "namespace");
  refused({ cmd: "ns_set_schema", namespace: 1 }, "schema");
  refused({ cmd: "frob" }, "cmd");
  refused(null, "request");
});

/** Dump replies of a 6.18 kernel (the schema and namespace attached to each other built by hand after them). */
const NAMESPACES = [
  "300000001e0002000100000085c568b403010000060001000100000008000200010000000c0003000100000000000000",
  "240000001e0002000100000085c568b403010000060001007b00000008000200efbeadde",
  "280000001e0002000100000085c568b40301000006000100050000000c0003008877665544332211",
  "1c0000001e0002000100000085c568b4030100000600010008000000",
  "2c0000001e0002000100000085c568b403010000060001007b000000080004000700000008000200efbeadde",
];
const SCHEMAS = [
  "200000001e000200010000001b1933e606010000080004000a00000004000500",
  "240000001e000200010000001b1933e60601000008000400070000000800050061626300",
  "2c0000001e000200010000001b1933e6060100000800040007000000060001007b0000000800050061626300",
];

Deno.test("the kernel's namespace dump replies decode", () => {
  assertEquals(NAMESPACES.map((h) => decodeIoamNamespace(asMessage(fromHex(h)), FAMILY)), [
    { id: 1, data: 1, wide: 1n },
    { id: 123, data: 0xdeadbeef },
    { id: 5, wide: 0x1122334455667788n },
    { id: 8 },
    { id: 123, schema: 7, data: 0xdeadbeef },
  ]);
  // Another family's message, a schema, or a request of another command, is no namespace.
  assertEquals(decodeIoamNamespace(asMessage(fromHex(NAMESPACES[0])), FAMILY + 1), undefined);
  assertEquals(decodeIoamNamespace(asMessage(fromHex(SCHEMAS[2])), FAMILY), undefined);
  assertEquals(decodeIoamNamespace(asMessage(ioamRequest(FAMILY, { cmd: "del_namespace", id: 1 })), FAMILY), undefined);
});

Deno.test("the kernel's schema dump replies decode", () => {
  assertEquals(SCHEMAS.map((h) => decodeIoamSchema(asMessage(fromHex(h)), FAMILY)), [
    { id: 10, data: new Uint8Array(0) },
    { id: 7, data: new Uint8Array([0x61, 0x62, 0x63, 0]) },
    { id: 7, namespace: 123, data: new Uint8Array([0x61, 0x62, 0x63, 0]) },
  ]);
  assertEquals(decodeIoamSchema(asMessage(fromHex(NAMESPACES[4])), FAMILY), undefined);
  assertEquals(decodeIoamSchema(asMessage(fromHex(SCHEMAS[0])), FAMILY + 1), undefined);
  assertEquals(IOAM6_CMD.name(6), "dump_schemas");
});
