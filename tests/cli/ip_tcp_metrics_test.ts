/**
 * `ip tcp_metrics` against iproute2, in a private namespace whose cache is
 * filled by real TCP connections made inside it (tests/cli/_tcp_traffic.ts:
 * 127.0.0.1 to itself, 127.0.0.1 to 127.0.0.2, ::1 to itself, 2001:db8::1 to
 * 2001:db8::2 on lo, so that some sources differ from their destinations):
 * listings in text and JSON with every selector, flushes and deletes (their
 * output and the entries they leave), usage and kernel errors, and the
 * request bytes (nlcapture).
 *
 * An entry's age moves between the two tools' runs: it is masked (`age
 * <age>sec` in text, `"age":0` in JSON) before comparing. A flush is compared
 * on fresh entries made again for each tool, whose RTTs and congestion
 * windows differ from run to run: those are masked too in what a flush
 * prints, and the entries left are compared by their addresses.
 */
import assert from "node:assert/strict";
import { capture, type Captured, captureTest, sameRequest } from "./_capture.ts";
import { ip, iproute2, nlink, OUR_CLI, type Result, sameError, withStdin } from "./_run.ts";
import { kernelTestUnless } from "./_setup.ts";

const TRAFFIC = new URL("./_tcp_traffic.ts", import.meta.url).pathname;
const CONNECTIONS = ["127.0.0.1,127.0.0.1", "127.0.0.2,127.0.0.1", "::1,::1", "2001:db8::2,2001:db8::1"];

/** lo up with two IPv6 addresses of its own, for connections between different addresses. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "address add 2001:db8::1/128 dev lo nodad");
  await ip(ns, "address add 2001:db8::2/128 dev lo nodad");
}

/** Empties the cache, then fills it again by connecting. */
async function traffic(ns: string): Promise<void> {
  await ip(ns, "tcp_metrics flush");
  const args = ["netns", "exec", ns, Deno.execPath(), "run", "-A", TRAFFIC, ...CONNECTIONS];
  const r = await new Deno.Command("ip", { args, stdout: "piped", stderr: "piped", stdin: "null" }).output();
  assert.ok(r.success, `traffic in ${ns}: ${new TextDecoder().decode(r.stderr)}`);
}

/** The age, which moves between runs, masked in text and JSON. */
function maskAge(s: string): string {
  return s.replace(/ age \d+\.\d{3}sec/g, " age <age>sec").replace(/("age": ?)[-+.\de]+/g, "$10");
}

/** Also the values a new connection changes (for entries made again between the tools' runs). */
function maskValues(s: string): string {
  return maskAge(s).replace(/ (rtt|rttvar) \d+us/g, " $1 <n>us").replace(/ cwnd \d+/g, " cwnd <n>");
}

function sameMasked(mine: Result, theirs: Result, what: string, mask: (s: string) => string = maskAge): void {
  assert.equal(mask(mine.stdout), mask(theirs.stdout), `${what}: stdout differs`);
  assert.equal(mine.stderr, theirs.stderr, `${what}: stderr differs`);
  assert.equal(mine.code, theirs.code, `${what}: exit code differs`);
}

/** Both tools on the same cache (nothing changes it between the runs): the same output but for ages. */
async function sameShow(ns: string, command: string): Promise<Result> {
  const args = ["-n", ns, ...command.split(" ")];
  const theirs = await iproute2(args);
  const mine = await nlink(args);
  sameMasked(mine, theirs, `ip ${command}`);
  return theirs;
}

/** The cache's entries as sorted `destination source` pairs. */
async function entries(ns: string): Promise<string[]> {
  const list = JSON.parse(await ip(ns, "-j tcp_metrics show")) as { dst: string; source?: string }[];
  return list.map((e) => `${e.dst} ${e.source}`).sort();
}

/** A flush (or delete) by each tool on freshly made entries: the same output and the same entries left. */
async function sameFlush(ns: string, command: string): Promise<void> {
  const args = ["-n", ns, ...command.split(" ")];
  await traffic(ns);
  const theirs = await iproute2(args);
  const theirsLeft = await entries(ns);
  await traffic(ns);
  const mine = await nlink(args);
  sameMasked(mine, theirs, `ip ${command}`, maskValues);
  assert.deepEqual(await entries(ns), theirsLeft, `ip ${command}: the entries left differ`);
}

/** Runs a command without CAP_NET_ADMIN (but with the rest of root's capabilities, for `-n`). */
const NO_NET_ADMIN = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin", "--"];
const HAVE_SETPRIV = await new Deno.Command("setpriv", { args: ["--version"], stdout: "null", stderr: "null" })
  .output().then((r) => r.success, () => false);

const test = (name: string, fn: (ns: string) => Promise<void>) => kernelTestUnless(undefined, name, {}, fn);

await test("ip tcp_metrics show: text and JSON as iproute2 (ages masked)", async (ns) => {
  await lab(ns);
  // An empty cache: nothing in text, an empty list in JSON.
  for (const c of ["tcp_metrics", "-j tcp_metrics show", "-j -p tcp_metrics"]) await sameShow(ns, c);
  await traffic(ns);
  const listing = await sameShow(ns, "tcp_metrics show");
  assert.match(
    listing.stdout,
    /^127\.0\.0\.2 age \d+\.\d{3}sec( \w+ \d+)*( rtt \d+us)?( rttvar \d+us)? source 127\.0\.0\.1$/m,
  );
  assert.match(listing.stdout, /^2001:db8::2 age .* source 2001:db8::1$/m);
  for (
    const c of [
      "tcp_metrics",
      "tcpmetrics list",
      "tcp lst",
      "tcp_metrics s",
      "-j tcp_metrics show",
      "-j -p tcp_metrics show",
      "-o tcp_metrics",
      "-4 tcp_metrics",
      "-6 tcp_metrics",
      "-f inet6 -j tcp_metrics",
      "tcp_metrics show 127.0.0.0/8",
      "tcp_metrics show address 127.0.0.0/30",
      "-j tcp_metrics show 2001:db8::/32",
      "tcp_metrics show 0/0",
      "tcp_metrics show ::/0",
      "tcp_metrics show any",
      "-6 tcp_metrics show default",
      "tcp_metrics show 10.0.0.0/8",
      "tcp_metrics show source 127.0.0.1",
      "-j tcp_metrics show source 2001:db8::1",
      "tcp_metrics show src 127.0.0.2",
      // One address: iproute2 asks for that entry alone, and prints it as text even with -j.
      "tcp_metrics show 127.0.0.2",
      "-j tcp_metrics show addr ::1",
      "tcp_metrics show 127.0.0.1/32",
      // iproute2 steps over the word after each selector.
      "tcp_metrics show 127.0.0.1 x source 127.0.0.2",
      "tcp_metrics show source 127.0.0.1 x 127.0.0.0/8",
      "tcp_metrics show 127.0.0.2 127.0.0.1",
    ]
  ) await sameShow(ns, c);
});

await test("ip tcp_metrics flush/delete: output and the entries left as iproute2's", async (ns) => {
  await lab(ns);
  for (
    const c of [
      "tcp_metrics flush",
      "-s tcp_metrics flush",
      "tcp_metrics flush 127.0.0.0/8",
      "-s tcp_metrics flush 127.0.0.0/8",
      "-s -s tcp_metrics flush 127.0.0.0/8",
      // -j does not change a flush's lines.
      "-s -s -j tcp_metrics flush source 127.0.0.1",
      "-6 tcp_metrics flush",
      "-s -s -4 tcp_metrics flush",
      "tcp_metrics flush any",
      "tcp_metrics flush 0/0",
      "-4 tcp_metrics flush any",
      "tcp_metrics flush 10.0.0.0/8",
      "-s tcp_metrics flush ::/0",
      "tcp_metrics flush 127.0.0.2",
      "tcp_metrics flush 2001:db8::2 x source 2001:db8::1",
      "tcp_metrics delete 127.0.0.1",
      "tcp_metrics remove address ::1",
      "tcp_metrics delete 127.0.0.2 x source 127.0.0.1",
      "tcp_metrics delete 127.0.0.2 x source 127.0.0.9",
      "tcp_metrics delete 10.9.9.9",
    ]
  ) await sameFlush(ns, c);
});

await test("ip tcp_metrics: usage and kernel errors as iproute2's", async (ns) => {
  await lab(ns);
  await traffic(ns);
  for (
    const c of [
      "tcp_metrics frob",
      "tcp_metrics help",
      "tcp_metrics show help",
      "tcp_metrics show h",
      "tcp_metrics show source help",
      "tcp_metrics flush addr help",
      "tcp_metrics delete",
      "tcp_metrics delete source 127.0.0.1",
      "tcp_metrics delete 127.0.0.0/8",
      "tcp_metrics delete default",
      "tcp_metrics delete bogus",
      "tcp_metrics remove address",
      "tcp_metrics show bogus",
      "tcp_metrics show 1.2.3.4/33",
      "tcp_metrics show source",
      "tcp_metrics show src 127.0.0.0/8",
      "tcp_metrics show source any",
      "tcp_metrics show address",
      "tcp_metrics show addr 127.0.0.1 address 127.0.0.2",
      "tcp_metrics show 127.0.0.1 source 127.0.0.1",
      "tcp_metrics show source 127.0.0.1 x source 127.0.0.2",
      "-4 tcp_metrics show ::1",
      "-6 tcp_metrics show 127.0.0.1",
      "-4 tcp_metrics show source default",
      "-f mpls tcp_metrics",
      "-0 tcp_metrics",
      "-B tcp_metrics flush",
      // The kernel has no such entry: ESRCH.
      "tcp_metrics show 10.9.9.9",
      "tcp_metrics show 127.0.0.1 x source 10.9.9.9",
      "tcp_metrics delete 10.9.9.9",
      "tcp_metrics flush 10.9.9.9",
    ]
  ) await sameError(ns, c);
  // An empty word is no command (and no prefix).
  for (const args of [["tcp_metrics", ""], ["tcp_metrics", "show", ""]]) {
    const theirs = await iproute2(["-n", ns, ...args]);
    assert.notEqual(theirs.code, 0);
    sameMasked(await nlink(["-n", ns, ...args]), theirs, args.join(" "));
  }
  // Nothing matched: a message on stderr, and success.
  for (const c of ["tcp_metrics flush 10.0.0.0/8", "-s -6 tcp_metrics flush 2001:db9::/32"]) {
    const theirs = await sameShow(ns, c);
    assert.equal(theirs.stderr, "Nothing to flush.\n");
  }
});

await kernelTestUnless(
  HAVE_SETPRIV ? undefined : "setpriv not installed",
  "ip tcp_metrics: deletes refused without CAP_NET_ADMIN as iproute2 reports them",
  {},
  async (ns) => {
    await lab(ns);
    await traffic(ns);
    // The kernel refuses deletes: those of a flush (pipelined, reported by perror in iproute2) and single ones.
    for (const c of ["tcp_metrics flush 127.0.0.0/8", "tcp_metrics delete 127.0.0.2", "-6 tcp_metrics flush"]) {
      const args = ["-n", ns, ...c.split(" ")];
      const theirs = await withStdin([...NO_NET_ADMIN, "ip", ...args]);
      assert.match(theirs.stderr, /Operation not permitted/);
      sameMasked(await withStdin([...NO_NET_ADMIN, ...OUR_CLI, "ip", ...args]), theirs, `${c} without CAP_NET_ADMIN`);
    }
  },
);

/** The messages of a flush by dump and delete, made comparable (see below). */
function comparable(messages: Captured[]): Captured[] {
  // The first is the controller's family look-up, the second the dump, the last the dump that finds nothing left.
  // The deletes between them are sorted: their order is the dump's, which is the kernel's hash order.
  const [lookup, dump, ...rest] = messages;
  const last = rest.pop();
  return [lookup, dump, ...rest.sort((a, b) => a.hex.localeCompare(b.hex)), ...(last ? [last] : [])];
}

await captureTest("ip tcp_metrics: request bytes as iproute2's", {}, async (ns) => {
  await lab(ns);
  const again = () => traffic(ns);
  await again();
  for (
    const c of [
      "tcp_metrics show",
      "-6 tcp_metrics show",
      "tcp_metrics show 127.0.0.2",
      "tcp_metrics show ::1",
      "tcp_metrics show 127.0.0.1 x source 127.0.0.2",
      "tcp_metrics show 2001:db8::2 x source 2001:db8::1",
    ]
  ) await sameRequest(ns, c);
  for (
    const c of [
      "tcp_metrics delete 127.0.0.2",
      "tcp_metrics delete address ::1",
      "tcp_metrics delete 127.0.0.2 x source 127.0.0.1",
      "tcp_metrics delete 2001:db8::2 x src 2001:db8::1",
      "tcp_metrics flush 127.0.0.2",
      "tcp_metrics flush",
      "-6 tcp_metrics flush",
      "-4 tcp_metrics flush",
      "tcp_metrics flush 127.0.0.0/8",
      "tcp_metrics flush source 2001:db8::1",
    ]
  ) await sameRequest(ns, c, { between: again });
  // Every message of a flush by dump and delete: the dump, a delete per entry matched, the dump that finds none.
  for (const c of ["tcp_metrics flush 127.0.0.0/8", "-6 tcp_metrics flush", "tcp_metrics flush source 127.0.0.1"]) {
    await again();
    const theirs = await capture(ns, ["ip", ...c.split(" ")], true);
    await again();
    const mine = await capture(ns, [...OUR_CLI, "ip", ...c.split(" ")], true);
    assert.ok(theirs.length >= 4, `ip ${c}: iproute2 sent ${theirs.length} messages`);
    assert.deepEqual(comparable(mine), comparable(theirs), `ip ${c}: request bytes differ`);
  }
});
