/**
 * The filter printers of kinds the full-kernel VM lane cannot show either
 * (rsvp, tcindex: Debian's 6.1 kernel no longer builds them) and of route,
 * flow and ematch trees, run on what the library decodes from the golden
 * request bytes (tests/fixtures/tc_{classic,misc,ematch}.json). The expected
 * text is derived by hand from iproute2 6.1's print functions (f_rsvp.c,
 * f_tcindex.c, f_route.c, f_flow.c, m_ematch.c): it is not checked against
 * a real tc here. Also the library's chain lookup requests, u32's `order` and
 * bpf's `bytecode-file`.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { decodeFilter } from "../../src/tc/filter.ts";
import { chainDumpRequest, chainGetRequest } from "../../src/tc/chain.ts";
import { Printer } from "../../cli/common/output.ts";
import { printFilter } from "../../cli/tc/filter_print.ts";
import { parseFilterCommand, resolveFilterOptions } from "../../cli/tc/filter_parse.ts";
import { UsageError } from "../../cli/common/args.ts";
import { parseBytecode, readBytecodeFile } from "../../cli/tc/f_misc_parse.ts";
import { parseActionCommand } from "../../cli/tc/action_parse.ts";
import { loadFixtures } from "../_lib/golden.ts";

const NAMES = ["", "lo", "p1", "p0"];

async function fixture(set: string, name: string): Promise<Uint8Array> {
  const data = await loadFixtures(set);
  const hex = data.fixtures[name]?.hex;
  if (hex === undefined) throw new Error(`no fixture ${set}/${name}`);
  return new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
}

/** Decodes a golden RTM_NEWTFILTER and prints it as `tc filter show dev p0` would. */
async function shown(set: string, name: string): Promise<string> {
  const bytes = await fixture(set, name);
  const m = {
    bytes,
    view: new DataView(bytes.buffer),
    offset: 0,
    length: bytes.length,
    type: 44,
    flags: 0,
    seq: 0,
    pid: 0,
  };
  const p = new Printer({ json: false, pretty: false, oneline: false });
  const ctx = { stats: 0, brief: false, iec: false, pretty: false, devName: (i: number) => NAMES[i] };
  printFilter(p, decodeFilter(m), ctx, { ifindex: 3 }, (i) => NAMES[i]);
  return p.text();
}

const HEAD = "filter parent 1: protocol ip pref 1 ";
const MIRRED = "\n\taction order 1: mirred (Egress Redirect to device p1) stolen\n\tindex 0 ref 0 bind 0\n\n";

Deno.test("tc filter printers: rsvp as f_rsvp.c prints it", async () => {
  const cases: [string, string][] = [
    ["rsvp", "rsvp flowid 1:10 session 10.0.0.2 ipproto tcp \n"],
    ["rsvp.ports", "rsvp flowid 1:10 session 10.0.0.2/53 ipproto udp sender  10.0.0.1/1000 \n"],
    ["rsvp.esp", "rsvp flowid 1:10 session 10.0.0.2 spi/esp 0x00001234 ipproto esp \n"],
    ["rsvp.ah", "rsvp flowid 1:10 session 10.0.0.2 spi/ah 0x00000099 ipproto ah \n"],
    ["rsvp.u32", "rsvp flowid 1:10 session 10.0.0.2 sender  10.0.0.1 u32 0x00001000 mask 0000ff00 at 8 \n"],
    ["rsvp.tunnel", "rsvp tunnel 5 skip 8 session 10.0.0.2 ipproto tcp \n"],
    ["rsvp.tunnelid", "rsvp flowid 1:10 session 10.0.0.2 ipproto tcp tunnelid 5 \n"],
    ["rsvp.action", `rsvp session 10.0.0.2 ipproto tcp ${MIRRED}`],
  ];
  for (const [name, text] of cases) assertEquals(await shown("tc_classic", name), HEAD + text, name);
  assertEquals(
    await shown("tc_classic", "rsvp6"),
    "filter parent 1: protocol ipv6 pref 2 rsvp6 flowid 1:10 session 2001:db8::2 flowlabel 0x12345 " +
      "sender  2001:db8::1/22 \n",
  );
});

Deno.test("tc filter printers: tcindex and route as f_tcindex.c and f_route.c print them", async () => {
  const cases: [string, string][] = [
    ["tcindex", "tcindex handle 0x0000 mask 0x00fc shift 2 pass_on \n"],
    ["tcindex.hash", "tcindex handle 0x0000 hash 64 mask 0x00ff shift 0 fall_through \n"],
    ["tcindex.action", `tcindex handle 0x0002 classid 1:20 \n${MIRRED}`],
    ["route.to.from", "route fh 0x0005000a flowid 1:10 to 10 from 5 \n"],
    ["route.fromif", "route fh 0x80028000 flowid 1:10 fromif p1\n"],
    ["route.order", "route fh 0xffff0302 order 3 flowid 1:10 to 2 \n"],
    ["route.action", `route fh 0xffff0007 to 7 ${MIRRED}`],
  ];
  for (const [name, text] of cases) assertEquals(await shown("tc_classic", name), HEAD + text, name);
});

Deno.test("tc filter printers: flow and ematch trees as f_flow.c and m_ematch.c print them", async () => {
  const all = "filter parent 1: protocol all pref 1 flow ";
  assertEquals(
    await shown("tc_misc", "flow.map.ops"),
    all + "handle 0x2 map keys priority and 0x000000ff xor 0x00000003 or 0x00000100 rshift 2 addend 0x5 " +
      "divisor 64 baseclass 1:1 \n",
  );
  assertEquals(
    await shown("tc_misc", "flow.hash"),
    all + "handle 0x5 hash keys src,dst,proto-src,proto-dst divisor 1024 baseclass 1:1 perturb 10sec \n",
  );
  const basic = (h: string) => `${HEAD}basic handle ${h} flowid 1:1 \n  `;
  assertEquals(
    await shown("tc_ematch", "basic.groups.two"),
    basic("0x2d") + "(\n    meta(priority eq 1)\n    OR meta(priority eq 2)\n  ) AND (\n    meta(nf_mark eq 1)\n" +
      "    OR meta(nf_mark eq 2)\n  ) AND NOT (\n    cmp(u8 at 9 layer 1 eq 6)\n  ) \n",
  );
  assertEquals(
    await shown("tc_ematch", "basic.and.not"),
    basic("0x26") + "meta(priority eq 1)\n  AND NOT cmp(u16 at 2 layer 1 mask 0xff00 gt 3)\n\n",
  );
  assertEquals(
    await shown("tc_ematch", "basic.u32.nexthdr"),
    basic("0x1b") + "u32(00000050/0000ffff at nexthdr+0)\n\n",
  );
  assertEquals(
    await shown("tc_ematch", "basic.nbyte.default"),
    basic("0x1d") + 'nbyte(61 62 61 62 61 "ababa" at 12 layer 1)\n\n',
  );
  assertEquals(
    await shown("tc_ematch", "basic.meta.mask"),
    basic("0x4") + "meta(tc_index mask 0x000000f0 eq 240)\n\n",
  );
});

Deno.test("tc chain get / show chain N: the requests tc(8) sends", () => {
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  // Captured with nlcapture from `tc chain get dev p0 ingress chain 5` (p0 = ifindex 3).
  assertEquals(
    hex(chainGetRequest(3, { parent: "ingress", chain: 5 })),
    "2c000000660009000000000000000000000000000300000000000000f2ffffff0000000008000b0005000000",
  );
  const dump = chainDumpRequest(3, { parent: "ingress", chain: 7 });
  assertEquals(dump.length, 44);
  assertEquals(hex(dump.subarray(36)), "08000b0007000000");
  assertEquals(chainDumpRequest(3, { parent: "ingress" }).length, 36);
  throws(() => chainDumpRequest(3, { chain: -1 }), /chain/);
});

Deno.test("tc filter u32 order: ORed into the handle's node part", () => {
  const parse = (cmd: string) => {
    const { options } = parseFilterCommand("add", cmd.split(" "));
    return resolveFilterOptions(options, () => undefined);
  };
  assertEquals(parse("dev p0 parent 1: prio 1 protocol ip u32 match ip src 10.0.0.0/8 order 5").handle, 5);
  assertEquals(
    parse("dev p0 parent 1: prio 1 protocol ip handle 800:: u32 match ip src 10.0.0.0/8 order 0x10").handle,
    0x80000010,
  );
  assertEquals(parse("dev p0 parent 1: prio 1 protocol ip handle 800::5 u32 order 5").handle, 0x80000005);
  throws(() => parse("dev p0 parent 1: prio 1 protocol ip handle 800::6 u32 order 5"), UsageError);
  throws(() => parse("dev p0 parent 1: prio 1 protocol ip u32 order x"), UsageError);
});

Deno.test("tc bpf bytecode-file: read as tc reads it (newlines are commas)", async () => {
  const file = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(file, "4,40 0 0 12,\n21  0 1 2048,\t6 0 0 262144\n6 0 0 0\n");
    const want = "4,40 0 0 12,21 0 1 2048,\t6 0 0 262144,6 0 0 0"; // a blank run keeps its first character
    assertEquals(readBytecodeFile(file, "x"), want);
    const ops = [
      { code: 40, jt: 0, jf: 0, k: 12 },
      { code: 21, jt: 0, jf: 1, k: 2048 },
      { code: 6, jt: 0, jf: 0, k: 262144 },
      { code: 6, jt: 0, jf: 0, k: 0 },
    ];
    const { options } = parseFilterCommand("add", ["dev", "p0", "ingress", "bpf", "bytecode-file", file, "da"]);
    assertEquals(options.bytecode, ops);
    const cmd = parseActionCommand(["add", "action", "bpf", "bytecode-file", file]);
    const action = ("actions" in cmd ? cmd.actions[0] : undefined) as { bytecode?: unknown } | undefined;
    assertEquals(action?.bytecode, ops);
  } finally {
    await Deno.remove(file);
  }
  throws(() => readBytecodeFile("/nonexistent/prog", "Unable to parse bpf command line"), UsageError);
});

Deno.test("tc bpf bytecode: read as bpf_parse_ops reads it (C's number widths, tc's messages)", () => {
  assertEquals(parseBytecode("1,6 0 0 0"), [{ code: 6, jt: 0, jf: 0, k: 0 }]);
  // sscanf stops after four numbers and wraps them to their widths; a trailing comma ends the list
  assertEquals(parseBytecode("1, 6 0 0 -1 junk,"), [{ code: 6, jt: 0, jf: 0, k: 0xffffffff }]);
  assertEquals(parseBytecode("1,65542 256 257 0"), [{ code: 6, jt: 0, jf: 1, k: 0 }]);
  assertEquals(parseBytecode("1,6,0,0,0"), "Error at instruction 0!");
  assertEquals(parseBytecode("2,6 0 0 0"), "Parsed program length is less than encoded length parameter!");
  assertEquals(parseBytecode("1,6 0 0 0,6 0 0 0"), "Real program length exceeds encoded length parameter!");
  for (const silent of ["0,6 0 0 0", "x", "1;6 0 0 0", "4097,6 0 0 0"]) assertEquals(parseBytecode(silent), "");
  throws(() => parseFilterCommand("add", ["dev", "p0", "ingress", "bpf", "bytecode", "1,6,0,0,0"]), {
    message: "Error at instruction 0!\nUnable to parse bpf command line",
  });
});
