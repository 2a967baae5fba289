/** The attribute-schema engine: every type both ways, unknown attributes kept, bad values refused. */
import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { attrSchema, decodeAttrs, encodeAttrs } from "../../src/core/schema.ts";
import { cStruct, StructDef } from "../../src/core/struct.ts";
import { structList } from "../../src/core/struct_list.ts";
import { cEnum, cFlags } from "../../src/core/enums.ts";
import { MessageWriter } from "../../src/core/writer.ts";
import { DecodeError, ValidationError } from "../../src/core/errors.ts";
import { decodePayload, encodeMessage, messageSchema } from "../../src/core/message.ts";

const COLOR = cEnum("test.h", "COLOR_", { RED: 1, GREEN: 2 });
const BITS = cFlags("test.h", "BIT_", { A: 1, B: 4 });
const PAIR = cStruct("test.h", "struct pair", [{ c: "p_a", type: "u16" }, { c: "p_b", type: "u32" }], { strip: "p_" });
const INNER = attrSchema("IN_", "test.h", { X: { id: 1, type: "u8" }, NAME: { id: 2, type: "string" } }, {
  audit: false,
});
const VARIANT_A = attrSchema("VA_", "test.h", { N: { id: 1, type: "u32" } }, { audit: false });
const ALL = attrSchema("T_", "test.h", {
  U8: { id: 1, type: "u8" },
  U16: { id: 2, type: "u16" },
  U32: { id: 3, type: "u32" },
  U64: { id: 4, type: "u64" },
  S8: { id: 5, type: "s8" },
  S16: { id: 6, type: "s16" },
  S32: { id: 7, type: "s32" },
  S64: { id: 8, type: "s64" },
  BE16: { id: 9, type: "be16" },
  BE32: { id: 10, type: "be32" },
  STR: { id: 11, type: "string" },
  BIN: { id: 12, type: "binary" },
  FLAG: { id: 13, type: "flag" },
  V4: { id: 14, type: "ipv4" },
  V6: { id: 15, type: "ipv6" },
  MAC: { id: 16, type: "lladdr" },
  NEST: { id: 17, type: "nested", schema: INNER, nestedFlag: true },
  ARR: { id: 18, type: "array", schema: INNER },
  VALS: { id: 19, type: "values", of: "u32" },
  PAIR: { id: 20, type: "struct", struct: PAIR },
  COLOR: { id: 21, type: "u8", enum: COLOR },
  BITS: { id: 22, type: "u32", flags: BITS },
  MULTI: { id: 23, type: "string", multi: true },
  ADDR: { id: 24, type: "addr" },
  KIND: { id: 25, type: "string", noNul: true },
  DATA: { id: 26, type: "submessage", selector: "kind", variants: { a: VARIANT_A } },
  UINT: { id: 27, type: "uint" },
  PAD: { id: 28, type: "pad" },
  NBO: { id: 29, type: "be32", netByteOrderFlag: true },
}, { audit: false });

function roundTrip(value: Record<string, unknown>): Record<string, unknown> {
  const w = new MessageWriter(16);
  encodeAttrs(w, ALL, value, "t");
  const b = w.bytes();
  return decodeAttrs(ALL, b, new DataView(b.buffer, b.byteOffset, b.byteLength), 0, b.length);
}

Deno.test("every type round-trips", () => {
  const value = {
    u8: 255,
    u16: 65535,
    u32: 4294967295,
    u64: 18446744073709551615n,
    s8: -128,
    s16: -32768,
    s32: -2147483648,
    s64: -9223372036854775808n,
    be16: 0x1234,
    be32: 0x12345678,
    str: "héllo",
    bin: new Uint8Array([1, 2, 3]),
    flag: true,
    v4: "192.0.2.1",
    v6: "2001:db8::1",
    mac: "02:00:00:00:00:01",
    nest: { x: 7, name: "in" },
    arr: [{ x: 1 }, { x: 2, name: "two" }],
    vals: [1, 2, 3],
    pair: { a: 1, b: 2 },
    color: "green",
    bits: ["a", "b"],
    multi: ["one", "two"],
    addr: "10.0.0.1",
    kind: "a",
    data: { n: 42 },
    uint: 5000000000n,
  };
  deepStrictEqual(roundTrip(value), value);
});

Deno.test("bytes: alignment, padding, NLA_F_NESTED, big-endian, no-NUL strings", () => {
  const w = new MessageWriter();
  encodeAttrs(w, ALL, { u8: 1, be16: 0x0102, nest: { x: 3 }, kind: "ab" }, "t");
  deepStrictEqual(
    Array.from(w.bytes()),
    [
      5,
      0,
      1,
      0,
      1,
      0,
      0,
      0,
      6,
      0,
      9,
      0,
      1,
      2,
      0,
      0,
      12,
      0,
      17,
      0x80,
      5,
      0,
      1,
      0,
      3,
      0,
      0,
      0,
      6,
      0,
      25,
      0,
      97,
      98,
      0,
      0,
    ],
  );
});

Deno.test("NLA_F_NET_BYTEORDER is set on request and ignored when reading", () => {
  const w = new MessageWriter();
  encodeAttrs(w, ALL, { nbo: 0x01020304 }, "t");
  deepStrictEqual(Array.from(w.bytes()), [8, 0, 29, 0x40, 1, 2, 3, 4]);
  const b = w.bytes();
  deepStrictEqual(decodeAttrs(ALL, b, new DataView(b.buffer, b.byteOffset, b.byteLength), 0, b.length), {
    nbo: 0x01020304,
  });
});

Deno.test("a link-layer address may be a dotted quad (tunnel devices), as iproute2 reads it", () => {
  const w = new MessageWriter();
  encodeAttrs(w, ALL, { mac: "10.0.0.1" }, "t");
  deepStrictEqual(Array.from(w.bytes()), [8, 0, 16, 0, 10, 0, 0, 1]);
});

Deno.test("unknown attributes are kept and re-encoded as they came", () => {
  const w = new MessageWriter();
  w.attrU32(3, 7);
  w.attrU32(99, 0xdeadbeef);
  w.attr(100 | 0x8000, new Uint8Array([1, 2]));
  const b = w.bytes().slice();
  const v = new DataView(b.buffer);
  const decoded = decodeAttrs(ALL, b, v, 0, b.length);
  deepStrictEqual(decoded.u32, 7);
  deepStrictEqual((decoded.unknownAttrs as unknown[]).length, 2);
  const w2 = new MessageWriter();
  encodeAttrs(w2, ALL, decoded, "t");
  deepStrictEqual(w2.bytes(), b);
});

Deno.test("out-of-range and wrong-typed values are refused, naming the field", () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ u8: 256 }, "t.u8"],
    [{ u16: -1 }, "t.u16"],
    [{ u32: 1.5 }, "t.u32"],
    [{ u64: -1n }, "t.u64"],
    [{ s8: 128 }, "t.s8"],
    [{ v4: "300.0.0.1" }, "t.v4"],
    [{ mac: "zz" }, "t.mac"],
    [{ color: "blue" }, "t.color"],
    [{ bits: ["c"] }, "t.bits"],
    [{ nest: { x: 1000 } }, "t.nest.x"],
    [{ arr: [{ x: 1 }, { x: -1 }] }, "t.arr[1].x"],
    [{ nope: 1 }, "t.nope"],
    [{ str: 5 }, "t.str"],
  ];
  for (const [value, field] of bad) {
    throws(() => encodeAttrs(new MessageWriter(), ALL, value, "t"), (e: ValidationError) => {
      equal(e instanceof ValidationError, true);
      equal(e.field, field);
      return true;
    }, field);
  }
});

Deno.test("malformed input raises DecodeError", () => {
  const cases = [
    [3, 0, 1, 0], // length < 4
    [9, 0, 1, 0, 0, 0, 0, 0], // overruns
    [5, 0, 3, 0, 1], // u32 with one byte
    [5, 0, 27, 0, 1], // uint with one byte
  ];
  for (const c of cases) {
    const b = new Uint8Array(c);
    throws(() => decodeAttrs(ALL, b, new DataView(b.buffer), 0, b.length), DecodeError, JSON.stringify(c));
  }
});

Deno.test("structs: layout with natural alignment, partial decode of short versions", () => {
  equal(PAIR.size, 8);
  deepStrictEqual(PAIR.fields.map((f) => f.offset), [0, 4]);
  const b = new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0]);
  deepStrictEqual(PAIR.decode(b, new DataView(b.buffer), 0, 8), { a: 1, b: 2 });
  deepStrictEqual(PAIR.decode(b, new DataView(b.buffer), 0, 4), { a: 1 });
});

Deno.test("messages: header fields and attributes side by side, family from the header", () => {
  const HDR = cStruct("test.h", "struct hdr", [{ c: "h_family", type: "u8" }, { c: "h_len", type: "u8" }], {
    strip: "h_",
  });
  const M = messageSchema("m", HDR, ALL, "family");
  const w = new MessageWriter();
  encodeMessage(w, M, 30, 5, { family: 10, len: 64 }, { addr: "fe80::1" }, 10);
  const b = w.bytes();
  equal(new DataView(b.buffer).getUint32(0, true), b.length);
  deepStrictEqual(decodePayload(M, b, new DataView(b.buffer), 16, b.length - 16), {
    family: 10,
    len: 64,
    addr: "fe80::1",
  });
  throws(() => encodeMessage(new MessageWriter(), M, 30, 5, { family: 2 }, { addr: "fe80::1" }, 2), ValidationError);
});

Deno.test("structs: array members read as lists; struct + element lists round-trip with their count", () => {
  const S = new StructDef("struct demo", [{ c: "n", type: "u8" }, { c: "map", type: "u16", count: 3 }]);
  const w = new MessageWriter(16);
  S.encode(w, { n: 2, map: [7, 8] }, "demo");
  const b = w.bytes();
  deepStrictEqual(S.decode(b, new DataView(b.buffer), 0, b.length), { n: 2, map: [7, 8, 0] });
  throws(() => S.encode(new MessageWriter(), { map: [1, 2, 3, 4] }, "demo"), /demo.map/);

  const KEY = new StructDef("struct key", [{ c: "k", type: "u32" }]);
  const codec = structList({ head: S, count: "n", list: "keys", element: KEY, max: 4 });
  const w2 = new MessageWriter(32);
  codec.encode(w2, { map: [1], keys: [{ k: 5 }, { k: 6 }] }, "sel", { family: 0 });
  const b2 = w2.bytes();
  deepStrictEqual(codec.decode(b2, new DataView(b2.buffer), 0, b2.length, { family: 0 }), {
    n: 2,
    map: [1, 0, 0],
    keys: [{ k: 5 }, { k: 6 }],
  });
  throws(() => codec.encode(new MessageWriter(), { keys: [{}, {}, {}, {}, {}] }, "sel", { family: 0 }), /sel.keys/);
});
