/**
 * Dump files without a kernel: the magic numbers (rules' too), magic read from
 * a short file as iproute2's fread leaves it, and where a damaged file is split.
 */
import assert from "node:assert/strict";
import { DUMP_MAGIC, readDumpFile, splitDumpFile, ValidationError } from "../../mod.ts";
import { readSavedRules } from "../../src/route/rule.ts";

/** A saved IPv4 rule: `from all lookup 100 pref 200` as the kernel dumps it. */
const RULE = [
  ...[0x2c, 0, 0, 0, 0x20, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0], // nlmsghdr: len 44, RTM_NEWRULE, NLM_F_MULTI
  ...[2, 0, 0, 0, 100, 0, 0, 1, 0, 0, 0, 0], // fib_rule_hdr: inet, table 100, FR_ACT_TO_TBL
  ...[8, 0, 15, 0, 100, 0, 0, 0], // FRA_TABLE 100
  ...[8, 0, 6, 0, 200, 0, 0, 0], // FRA_PRIORITY 200
];
const MAGIC = [0x86, 0x69, 0x70, 0x71];

Deno.test("dump file: rule magic is iproute2's", () => {
  assert.equal(DUMP_MAGIC.rule, 0x71706986);
  assert.equal(readDumpFile(new Uint8Array(MAGIC), "rule").length, 0);
});

Deno.test("dump file: a saved rule reads back", () => {
  const [r] = readSavedRules(new Uint8Array([...MAGIC, ...RULE]));
  assert.equal(r.priority, 200);
  assert.equal(r.table, 100);
});

Deno.test("dump file: magic from a short file keeps the bytes there are", () => {
  assert.throws(() => readDumpFile(new Uint8Array([0x61, 0x62]), "rule"), /Magic mismatch \(0 elems, 6261 magic\)/);
  assert.throws(() => readDumpFile(new Uint8Array(), "rule"), /Magic mismatch \(0 elems, 0 magic\)/);
  assert.throws(() => readDumpFile(new Uint8Array(MAGIC), "route"), /Magic mismatch \(1 elems, 71706986 magic\)/);
});

Deno.test("dump file: split before the damage", () => {
  const sound = new Uint8Array([...MAGIC, ...RULE, ...RULE]);
  const whole = splitDumpFile(sound, "rule");
  assert.equal(whole.error, undefined);
  assert.equal(whole.whole.length, sound.length);

  const truncated = splitDumpFile(new Uint8Array([...MAGIC, ...RULE, ...RULE.slice(0, 20)]), "rule");
  assert.equal(truncated.whole.length, 4 + RULE.length);
  assert.ok(truncated.error instanceof ValidationError);
  assert.equal(truncated.error.why, "truncated message");

  const short = splitDumpFile(new Uint8Array([...MAGIC, ...RULE, 1, 2, 3]), "rule");
  assert.equal(short.whole.length, 4 + RULE.length);
  assert.equal(short.error?.why, "truncated message");

  const malformed = splitDumpFile(new Uint8Array([...MAGIC, ...RULE, 8, ...new Array(15).fill(0)]), "rule");
  assert.equal(malformed.whole.length, 4 + RULE.length);
  assert.equal(malformed.error?.why, `malformed message: len=8 @${4 + RULE.length + 16}`);

  assert.throws(() => splitDumpFile(new Uint8Array([1, 2, 3, 4]), "rule"), /Magic mismatch/);
});
