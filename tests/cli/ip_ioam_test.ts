/**
 * `ip ioam` against iproute2 6.1, in a private namespace: listings of
 * namespaces and schemas in text, JSON and pretty JSON (compared as text:
 * iproute2's schema objects repeat the key `""`, once per data byte), the
 * state left by each change (made by iproute2 in a twin namespace and by
 * nlink here), usage and kernel errors, and the request bytes (nlcapture).
 */
import assert from "node:assert/strict";
import { capture, captureTest, deleteAgain, sameRequest } from "./_capture.ts";
import { assertSameResult, ip, iproute2, nlink, OUR_CLI, sameError, sameText } from "./_run.ts";
import { kernelTestUnless, sameSteps, withOtherNetns } from "./_setup.ts";

const test = (name: string, fn: (ns: string) => Promise<void>) => kernelTestUnless(undefined, name, {}, fn);

/** Every listing, in every output form. */
const SHOWS = [
  "ioam namespace show",
  "-j ioam namespace show",
  "-j -p ioam namespace show",
  "-o ioam namespace show",
  "ioam schema show",
  "-j ioam schema show",
  "-j -p ioam schema show",
  "-o ioam schema show",
  // Words after a complete command are not read.
  "ioam namespace show extra words",
  "-j ioam schema show x",
];

/** Namespaces with and without each kind of data (all-ones is "unset" to the kernel), schemas, links between them. */
const STATE = [
  "ioam namespace add 123 data 0xdeadbeef",
  "ioam namespace add 5 wide 0x1122334455667788",
  "ioam namespace add 0 data 0 wide 0",
  "ioam namespace add 1 data 1 wide 1",
  "ioam namespace add 8",
  "ioam namespace add 6 data 7 wide ffffffffffffffff",
  "ioam namespace add 7 data 0xffffffff wide fffffffffffffffe",
  "ioam namespace add 65535 data 010 wide -2",
  "ioam schema add 7 abc",
  "ioam schema add 9 abcdefgh",
  "ioam schema add 4294967295 " + "z".repeat(1020),
  "ioam namespace set 123 schema 7",
  "ioam namespace set 5 schema 9",
];

/** The lines of both listings, sorted (two namespaces' hash tables list in different orders). */
async function listing(ns: string): Promise<string[]> {
  const lines = (await ip(ns, "ioam namespace show")) + (await ip(ns, "ioam schema show"));
  return lines.split("\n").sort();
}

await test("ip ioam show: text and JSON as iproute2's", async (ns) => {
  // Nothing yet: no lines in text, an empty list in JSON.
  for (const c of SHOWS) {
    const args = ["-n", ns, ...c.split(" ")];
    assertSameResult(await nlink(args), await iproute2(args), c);
  }
  for (const step of STATE) await ip(ns, step);
  // A schema with no data, which only a word of its own can give.
  assert.equal((await iproute2(["-n", ns, "ioam", "schema", "add", "10", ""])).code, 0);
  for (const c of SHOWS) await sameText(ns, c.split(" "));
  const text = await ip(ns, "ioam namespace show");
  assert.match(text, /^namespace 123 \[schema 7\], data 0xdeadbeef$/m);
  assert.match(text, /^namespace 0, data 0000000000, wide 000000000000000000$/m);
  assert.match(await ip(ns, "ioam schema show"), /^schema 10, data:$/m);
});

await test("ip ioam changes: the state iproute2's make", async (ns) => {
  await withOtherNetns("theirs", async (theirs) => {
    await sameSteps(ns, theirs, [
      ...STATE,
      "ioam namespace add 2 data 1 wide 2 extra words",
      "-j ioam namespace add 3",
      "ioam namespace set 5 schema none",
      "ioam namespace set 8 schema 7",
      "ioam namespace set 8 schema none",
      "ioam namespace set 123 schema 9",
      "ioam schema del 4294967295",
      "ioam namespace del 65535",
      "ioam namespace del 0x1",
    ]);
    // An empty DATA word: a schema without data.
    for (const [run, where] of [[iproute2, theirs], [nlink, ns]] as const) {
      const r = await run(["-n", where, "ioam", "schema", "add", "11", ""]);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.deepEqual(await listing(ns), await listing(theirs));
  });
});

await test("ip ioam: usage and kernel errors as iproute2's", async (ns) => {
  for (const step of ["ioam namespace add 123 data 0xdeadbeef", "ioam schema add 7 abc"]) await ip(ns, step);
  for (
    const c of [
      "ioam",
      "ioam help",
      "ioam foo",
      "ioam name",
      "ioam namespace",
      "ioam namespace help",
      "ioam namespace sh",
      "ioam namespace list",
      "ioam namespace add",
      "ioam namespace add 70000",
      "ioam namespace add -1",
      "ioam namespace add x1",
      "ioam namespace add 1 foo",
      "ioam namespace add 1 data",
      "ioam namespace add 1 data x",
      "ioam namespace add 1 data 0x100000000",
      "ioam namespace add 1 data -1",
      "ioam namespace add 1 wide x",
      "ioam namespace add 1 wide 0x",
      "ioam namespace add 1 wide 10000000000000000",
      "ioam namespace add 1 wide 1 data 2",
      "ioam namespace add 1 wide 1 wide 2",
      "ioam namespace add 1 data 1 wide",
      "ioam namespace add 1 data 1 data 2",
      "ioam namespace add 1 data 1 foo 2",
      "ioam namespace add 1 data 1 wide 1g",
      "ioam namespace del",
      "ioam namespace del x",
      "ioam namespace set",
      "ioam namespace set 1",
      "ioam namespace set 1 foo",
      "ioam namespace set x schema 1",
      "ioam namespace set 1 schema",
      "ioam namespace set 1 schema x",
      "ioam namespace set 1 schema None",
      "ioam schema",
      "ioam schema foo",
      "ioam schema sh",
      "ioam schema add",
      "ioam schema add x",
      "ioam schema add 4294967296 a",
      "ioam schema add 1",
      "ioam schema add 1 " + "z".repeat(1021),
      "ioam schema del",
      "ioam schema del -1",
      // The kernel's refusals: what exists, what does not.
      "ioam namespace add 123",
      "ioam namespace add 123 data 1 wide 2 extra",
      "ioam namespace del 99",
      "ioam schema add 7 zzz",
      "ioam schema del 99",
      "ioam namespace set 99 schema 7",
      "ioam namespace set 123 schema 99",
      "ioam namespace set 99 schema none",
      "-j ioam namespace del 99",
    ]
  ) await sameError(ns, c);
  // An empty word is no command and no number (compared directly: a command string split on spaces loses it).
  for (const args of [["ioam", ""], ["ioam", "namespace", ""], ["ioam", "namespace", "add", ""]]) {
    const theirs = await iproute2(["-n", ns, ...args]);
    assert.notEqual(theirs.code, 0);
    assertSameResult(await nlink(["-n", ns, ...args]), theirs, JSON.stringify(args));
  }
});

await captureTest("ip ioam: request bytes as iproute2's", {}, async (ns) => {
  for (const step of ["ioam namespace add 1 data 5", "ioam schema add 2 abc"]) await ip(ns, step);
  // Every message of the shows: the family look-up (a plain GET, as libgenl sends it) included.
  for (const c of ["ioam namespace show", "ioam schema show"]) await sameRequest(ns, c, { all: true });
  for (
    const c of [
      "ioam namespace add 300",
      "ioam namespace add 301 data 0xdeadbeef",
      "ioam namespace add 302 wide 1122334455667788",
      "ioam namespace add 303 data 7 wide 0xff",
      "ioam namespace add 65535 data 4294967295 wide -1",
      "ioam schema add 20 abc",
      "ioam schema add 21 abcd",
      "ioam schema add 4294967295 " + "z".repeat(1020),
    ]
  ) {
    await sameRequest(ns, c, { between: deleteAgain(ns, c) });
    await deleteAgain(ns, c)();
  }
  const readd = (c: string) => () => ip(ns, c).then(() => {});
  await sameRequest(ns, "ioam namespace del 1", { between: readd("ioam namespace add 1 data 5") });
  await ip(ns, "ioam namespace add 1 data 5");
  await sameRequest(ns, "ioam schema del 2", { between: readd("ioam schema add 2 abc") });
  await ip(ns, "ioam schema add 2 abc");
  await sameRequest(ns, "ioam namespace set 1 schema 2");
  await sameRequest(ns, "ioam namespace set 1 schema none");
  // A schema with no data (an empty word).
  const args = ["ioam", "schema", "add", "22", ""];
  const theirs = await capture(ns, ["ip", ...args]);
  await ip(ns, "ioam schema del 22");
  const mine = await capture(ns, [...OUR_CLI, "ip", ...args]);
  assert.equal(theirs.length, 1);
  assert.deepEqual(mine, theirs);
});
