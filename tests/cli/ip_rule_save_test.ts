/**
 * `ip rule save | restore` against iproute2: the saved bytes equal iproute2's
 * (but for the dump's sequence numbers and port ids), each tool restores the
 * other's file to the same state, and both fail the same way on bad input
 * (arguments, magic number, damaged and refused messages — restoring what
 * comes before the damage, as iproute2 does). iproute2 6.1 has no `showdump`.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { assertSameResult, ip, type Result, runIp, sameError, zeroSeqAndPort } from "./_run.ts";
import { withOtherNetns } from "./_setup.ts";

const MAGIC = [0x86, 0x69, 0x70, 0x71]; // 0x71706986, little-endian

/** IPv4 rules with most selectors and actions, then IPv6 ones. */
const RULES = [
  "from 10.0.0.0/8 table 100 pref 100",
  "not to 192.168.0.0/16 tos 0x10 fwmark 0x10/0xff iif p0 oif lo pref 200 table 1000 suppress_prefixlength 0 " +
  "suppress_ifgroup 5 protocol static",
  "pref 300 uidrange 100-200 ipproto tcp sport 80 dport 1000-2000 goto 400",
  "pref 301 fwmark 5 realms 3/4 blackhole",
  "pref 304 tun_id 77 prohibit",
  "pref 400 from 10.3.0.0/16 table 30",
  "-6 rule add from 2001:db8::/32 table 200 pref 50",
  "-6 rule add to 2001:db8:1::/48 iif p0 pref 51 prohibit",
  "-6 rule add pref 52 fwmark 0x1/0x1 table 52 protocol zebra",
].map((r) => r.startsWith("-6") ? r : `rule add ${r}`);

/** Runs `ip -n NS ARGS…` by `tool` with `input` on stdin. */
const run = (tool: "iproute2" | "nlink", ns: string, args: string[], input?: Uint8Array) =>
  runIp(tool, ["-n", ns, ...args], input);

/** The rules of `ns` in both families, as iproute2 lists them. */
async function rules(ns: string): Promise<string> {
  return (await ip(ns, "rule show")) + (await ip(ns, "-6 rule show"));
}

/** Saves with both tools (`extra` before `rule save`) and checks the bytes agree; returns iproute2's and ours. */
async function saveBoth(ns: string, extra: string[] = []): Promise<[Uint8Array, Uint8Array]> {
  const theirs = await run("iproute2", ns, [...extra, "rule", "save"]);
  const mine = await run("nlink", ns, [...extra, "rule", "save"]);
  const what = `ip ${extra.join(" ")} rule save`;
  assert.equal(theirs.code, 0, `${what}: iproute2: ${theirs.stderr}`);
  assert.equal(mine.code, 0, `${what}: ${mine.stderr}`);
  assert.equal(mine.stderr, "");
  assert.ok(theirs.bytes.length > 4, `${what}: iproute2 saved nothing`);
  assert.deepEqual(zeroSeqAndPort(mine.bytes), zeroSeqAndPort(theirs.bytes), `${what}: bytes differ`);
  return [theirs.bytes, mine.bytes];
}

/** Restores `file` with both tools into twin fresh namespaces; asserts the same output, exit code and rules after. */
async function restoreBoth(file: Uint8Array): Promise<{ result: Result; rules: string }> {
  return await withOtherNetns("Dt", (a) =>
    withOtherNetns("Do", async (b) => {
      const theirs = await run("iproute2", a, ["rule", "restore"], file);
      const mine = await run("nlink", b, ["rule", "restore"], file);
      assertSameResult(mine, theirs, "restore");
      const after = await rules(a);
      assert.equal(await rules(b), after, "restore: the rules after differ");
      return { result: theirs, rules: after };
    }));
}

await kernelTest("ip rule save/restore: same bytes, each restores the other's file", {}, async (_conn, ns) => {
  for (const r of RULES) await ip(ns, r);
  const [theirs4, mine4] = await saveBoth(ns);
  const [theirs6, mine6] = await saveBoth(ns, ["-6"]);
  await saveBoth(ns, ["-4"]);
  const want = await rules(ns);
  for (const [four, six] of [[theirs4, mine6], [mine4, theirs6]]) {
    // Into a namespace whose default rules were deleted first: the result is the saved namespace again.
    await withOtherNetns("Dr", async (other) => {
      // flush leaves only the rule at preference 0 (it has no FRA_PRIORITY), which goes on its own.
      for (const family of ["-4", "-6"]) {
        await ip(other, `${family} rule flush`);
        await ip(other, `${family} rule del pref 0`);
      }
      const a = await run("nlink", other, ["rule", "restore"], four);
      const b = await run("nlink", other, ["rule", "restore"], six);
      assert.deepEqual([a.code, a.stdout, a.stderr, b.code, b.stdout, b.stderr], [0, "", "", 0, "", ""]);
      assert.equal(await rules(other), want);
    });
    // Into fresh twins with both tools: the defaults come twice (the kernel refuses duplicates only on NLM_F_EXCL).
    const { result } = await restoreBoth(four);
    assert.equal(result.code, 0, result.stderr);
    await restoreBoth(six);
  }
});

await kernelTest("ip rule save/restore: errors as iproute2's", {}, async (_conn, ns) => {
  await ip(ns, "rule add from 10.7.0.0/16 table 7 pref 70");
  await sameError(ns, "rule save extra");
  const [file] = await saveBoth(ns);
  const bad = (...bytes: number[]) => new Uint8Array(bytes);
  const first = new DataView(file.buffer).getUint32(4, true);
  const cases: [string, Uint8Array][] = [
    ["empty", bad()],
    ["short magic", bad(0x86, 0x69)],
    ["wrong magic", bad(1, 2, 3, 4, ...file.subarray(4))],
    ["magic only", bad(...MAGIC)],
    // The whole rules before the damage are restored, as iproute2 does before it stops.
    ["truncated header", bad(...file, 1, 2, 3)],
    ["truncated message", file.subarray(0, 4 + first + 20)],
    ["malformed length", bad(...file, 8, 0, 0, 0, ...new Array(12).fill(0))],
    ["oversized length", bad(...file, 0, 0x50, 0, 0, ...new Array(12).fill(0))],
  ];
  // A rule the kernel refuses (family 99) between two good ones: the first stays, the last is not sent.
  const refused = file.slice(4, 4 + first);
  refused[16] = 99;
  cases.push(["refused", bad(...MAGIC, ...file.subarray(4, 4 + first), ...refused, ...file.subarray(4))]);
  for (const [what, input] of cases) {
    const { result } = await restoreBoth(input).catch((e) => {
      throw new Error(`${what}: ${e.message}`);
    });
    if (what !== "magic only") assert.notEqual(result.code, 0, `${what}: iproute2 succeeded`);
  }
});
