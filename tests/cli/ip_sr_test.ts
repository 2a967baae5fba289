/**
 * `ip sr` against iproute2, in a private namespace: `tunsrc show` and
 * `hmac show` (text and JSON, empty and with keys), `tunsrc set` and
 * `hmac set` (the secret read from standard input after the same prompt on
 * stderr, and from a terminal made by util-linux `script`), usage and kernel errors, and the request bytes of every change
 * command (nlcapture). Skipped with the reason on a kernel without SRv6.
 */
import assert from "node:assert/strict";
import { GenlConnection } from "../../src/genl/mod.ts";
import { CAPTURE_ENV, NLCAPTURE, NO_NLCAPTURE } from "./_capture.ts";
import {
  CLI_MAIN,
  ip,
  iproute2,
  nlink,
  OUR_CLI,
  type Result,
  sameError,
  sameJson,
  sameText,
  withStdin as withInput,
} from "./_run.ts";
import { kernelTestUnless } from "./_setup.ts";

const decoder = new TextDecoder();

/** Why `ip sr` cannot be compared here, if it cannot. */
const NO_SEG6: string | undefined = await (async () => {
  try {
    using genl = GenlConnection.open();
    await genl.family("SEG6");
    return undefined;
  } catch (e) {
    return `kernel lacks SRv6 (no SEG6 generic netlink family: ${e instanceof Error ? e.message : String(e)})`;
  }
})();

function srTest(name: string, fn: (ns: string) => Promise<void>): Promise<void> {
  return kernelTestUnless(NO_SEG6, name, {}, fn);
}

const theirsArgv = (ns: string, cmd: string) => ["ip", "-n", ns, ...cmd.split(" ")];
const oursArgv = (
  ns: string,
  cmd: string,
) => [...OUR_CLI, "ip", "-n", ns, ...cmd.split(" ")];

/** iproute2 then nlink run `cmd` with `input`; both must print and return the same. `between` restores state. */
async function sameWithInput(ns: string, cmd: string, input: string, between?: () => Promise<void>): Promise<Result> {
  const theirs = await withInput(theirsArgv(ns, cmd), input);
  await between?.();
  const mine = await withInput(oursArgv(ns, cmd), input);
  assert.deepEqual(mine, theirs, `ip ${cmd} <<< ${JSON.stringify(input)}`);
  return theirs;
}

await srTest("ip sr tunsrc/hmac show: text and JSON as iproute2", async (ns) => {
  await sameText(ns, ["sr", "tunsrc", "show"]);
  await sameJson(ns, ["-j", "sr", "tunsrc", "show"]);
  // No keys: text prints nothing, JSON an empty list.
  const [theirs, mine] = await Promise.all([
    iproute2(["-n", ns, "sr", "hmac", "show"]),
    nlink(["-n", ns, "sr", "hmac", "show"]),
  ]);
  assert.deepEqual(mine, theirs);
  await sameText(ns, ["-j", "sr", "hmac", "show"]);
  await ip(ns, "sr tunsrc set fc00::1");
  for (
    const [id, algo, secret] of [["7", "sha256", "s3cret"], ["4294967295", "sha1", "x".repeat(64)], [
      "9",
      "sha1",
      'a b"c',
    ]]
  ) {
    assert.equal((await withInput(theirsArgv(ns, `sr hmac set ${id} ${algo}`), `${secret}\n`)).code, 0);
  }
  await sameText(ns, ["sr", "tunsrc", "show"]);
  await sameText(ns, ["sr", "t", "s"]);
  await sameJson(ns, ["-j", "sr", "tunsrc", "show"]);
  await sameText(ns, ["-j", "-p", "sr", "tunsrc", "show"]);
  // A 64-byte secret is shown cut to 63 with a warning on stderr.
  await sameText(ns, ["sr", "hmac", "show"]);
  await sameText(ns, ["sr", "hm", "sh"]);
  await sameJson(ns, ["-j", "sr", "hmac", "show"]);
  await sameText(ns, ["-j", "-p", "sr", "hmac", "show"]);
});

await srTest("ip sr tunsrc set / hmac set change what iproute2 reads", async (ns) => {
  const show = async (what: string) => await ip(ns, `-j sr ${what} show`);
  const ours = (cmd: string, input = "") => withInput(oursArgv(ns, cmd), input);
  assert.equal((await ours("sr tunsrc set fc00::5")).code, 0);
  assert.equal(await show("tunsrc"), '[{"tunsrc":"fc00::5"}]\n');
  assert.equal((await ours("sr tunsrc set ::")).code, 0);
  assert.equal(await show("tunsrc"), '[{"tunsrc":"::"}]\n');
  // The prompt goes to stderr, as getpass() without a terminal; the line ends at its newline.
  const set = await ours("sr hmac set 0x10 sha256", "top secret\nnext line\n");
  assert.deepEqual(set, { code: 0, stdout: "", stderr: "Enter secret for HMAC key ID (blank to delete): " });
  // Without a newline the end of input ends the secret; a NUL ends it as in C.
  assert.equal((await ours("sr hmac set 17 sha1", "abc")).code, 0);
  assert.equal((await ours("sr hmac set 18 sha1", "ab\0cd\n")).code, 0);
  const keys = JSON.parse(await show("hmac")) as { hmac: number }[];
  assert.deepEqual(keys.sort((a, b) => a.hmac - b.hmac), [
    { hmac: 16, algo: "sha256", secret: "top secret" },
    { hmac: 17, algo: "sha1", secret: "abc" },
    { hmac: 18, algo: "sha1", secret: "ab" },
  ]);
  // A blank secret deletes the key.
  assert.equal((await ours("sr hmac set 16 sha256", "\n")).code, 0);
  assert.equal((await ours("sr hmac set 17 sha1")).code, 0); // end of input at once: blank too
  assert.deepEqual(JSON.parse(await show("hmac")), [{ hmac: 18, algo: "sha1", secret: "ab" }]);
});

await srTest("ip sr: usage, argument and kernel errors as iproute2", async (ns) => {
  for (
    const cmd of [
      "sr",
      "sr help",
      "sr h",
      "sr frob",
      "sr hmac",
      "sr hmac frob",
      "sr hmac set",
      "sr hmac set 0 sha1",
      "sr hmac set x sha1",
      "sr hmac set -1 sha1",
      "sr hmac set 4294967296 sha1",
      "sr hmac set 1",
      "sr hmac set 1 md5",
      "sr hmac set 1 SHA1",
      "sr tunsrc",
      "sr tunsrc frob",
      "sr tunsrc set",
      "sr tunsrc set 10.0.0.1",
      "sr tunsrc set fc00::zz",
    ]
  ) await sameError(ns, cmd);
  // Deleting a key that is not there: the kernel's ENOENT, exit 1.
  await sameWithInput(ns, "sr hmac set 99 sha1", "\n");
  // A secret longer than the kernel's 64 bytes: EINVAL from the kernel, refused before sending by nlink.
  await sameWithInput(ns, "sr hmac set 5 sha1", "y".repeat(65) + "\n");
});

/** The last netlink message `argv` sent with `input` on its stdin, captured in `ns`. */
async function captured(ns: string, argv: string[], input: string): Promise<unknown> {
  const path = CAPTURE_ENV.PATH === undefined ? [] : ["env", `PATH=${CAPTURE_ENV.PATH}`];
  const r = await withInput([...path, "ip", "netns", "exec", ns, NLCAPTURE, "--", ...argv], input);
  const lines = r.stdout.split("\n").filter((l) => l.startsWith("{"));
  assert.notEqual(lines.length, 0, `${argv.join(" ")} sent nothing: ${r.stderr}`);
  return JSON.parse(lines[lines.length - 1]);
}

await kernelTestUnless(NO_SEG6 ?? NO_NLCAPTURE, "ip sr: change commands send iproute2's bytes", {}, async (ns) => {
  const cases: [string, string, string | undefined][] = [
    ["sr tunsrc set fc00::1", "", undefined],
    ["sr tunsrc set ::", "", undefined],
    ["sr hmac set 7 sha256", "secretkey\n", undefined],
    ["sr hmac set 4294967295 sha1", "x".repeat(64) + "\n", undefined],
    ["sr hmac set 7 sha1", "\n", "7 sha1\nagain\n"], // delete: put the key back between the two runs
    ["sr hmac set 8 sha1", "", undefined], // nothing to delete: refused by the kernel, the bytes still compare
  ];
  for (const [cmd, input, restore] of cases) {
    const theirs = await captured(ns, ["ip", ...cmd.split(" ")], input);
    if (restore) {
      const [args, secret] = restore.split("\n");
      await withInput(theirsArgv(ns, `sr hmac set ${args}`), `${secret}\n`);
    }
    const mine = await captured(ns, [...OUR_CLI, "ip", ...cmd.split(" ")], input);
    assert.deepEqual(mine, theirs, `ip ${cmd}: request bytes differ`);
  }
});

/** Whether util-linux `script` is here to give a command a terminal. */
const HAVE_SCRIPT = new Deno.Command("sh", { args: ["-c", "command -v script"], stdout: "null" }).outputSync().success;

/**
 * Runs `command` on a pseudo-terminal (util-linux `script`), types `typed`
 * once the prompt is shown, and returns what the terminal displayed.
 */
async function onTerminal(command: string, typed: string): Promise<string> {
  const child = new Deno.Command("script", {
    args: ["-qec", command, "/dev/null"],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  let shown = "";
  while (!shown.includes("(blank to delete): ")) {
    const { value, done } = await reader.read();
    if (done) break;
    shown += decoder.decode(value);
  }
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(typed));
  await w.close();
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    shown += decoder.decode(value);
  }
  await child.status;
  return shown;
}

if (!HAVE_SCRIPT) {
  Deno.test({ name: "ip sr hmac set on a terminal [skipped: util-linux script is missing]", ignore: true, fn() {} });
} else {
  await srTest("ip sr hmac set on a terminal: prompt there, no echo, a newline after, as iproute2", async (ns) => {
    const theirs = await onTerminal(`ip -n ${ns} sr hmac set 30 sha1`, "tty secret\r");
    const mine = await onTerminal(
      `${Deno.execPath()} run -A --no-check ${CLI_MAIN} ip -n ${ns} sr hmac set 31 sha1`,
      "tty secret\r",
    );
    assert.equal(mine, theirs);
    assert.equal(theirs, "Enter secret for HMAC key ID (blank to delete): \r\n");
    const keys = JSON.parse(await ip(ns, "-j sr hmac show")) as { hmac: number; secret: string }[];
    assert.deepEqual(keys.map((k) => k.secret), ["tty secret", "tty secret"]);
  });
}
