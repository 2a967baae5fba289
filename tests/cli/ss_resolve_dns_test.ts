/**
 * `ss -r` against iproute2's where names come from DNS too: a fake name
 * server (_fake_dns.ts) on the namespace's loopback answers PTR questions for
 * some addresses, says NXDOMAIN for others and ignores one (a time-out), and
 * both tools run under `ip netns exec`, which bind-mounts
 * /etc/netns/NS/resolv.conf (naming that server, with a 1 s time-out and one
 * attempt) over /etc/resolv.conf. /etc/hosts still wins where it names an
 * address (127.0.0.1 also has a PTR answer that must not show), and of
 * several PTR answers the first decides. iproute2 6.1's
 * ss has no `-j`, so only text is compared.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { helperUnavailable } from "../_lib/sockdiag_sockets.ts";
import { glibcDeadline, reverseName } from "../../cli/ss/dns.ts";
import { hostName } from "../../cli/ss/hosts.ts";
import { reverseName as fakeReverseName } from "./_fake_dns.ts";
import { assertSameResult, OUR_CLI } from "./_run.ts";

const FAKE_DNS = new URL("./_fake_dns.ts", import.meta.url).pathname;
const decoder = new TextDecoder();
/** No update check: it would ask the fake server for Deno's download host. */
const ENV = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };

/** The PTR answers, in order (trailing dots as a zone would have them; `-bad…` is not a valid host name). */
const PTR: Record<string, string | string[]> = {
  "10.1.0.1": "one.example.",
  "10.1.0.4": "-bad.example.",
  "10.1.0.5": "five.example",
  "10.1.0.6": ["-bad.example.", "six-first.example.", "six-second.example."],
  "10.1.0.7": ["seven-first.example.", "-bad.example.", "seven-third.example."],
  "127.0.0.1": "dns-loopback.example.",
  "2001:db8::1": "six.example.",
};
/** Questions the server never answers. */
const SILENT = ["10.1.0.3"];

/** Sockets in the namespace: listeners and connections between the addresses above (NXDOMAIN: .2, 2001:db8::2). */
const SOCKETS = String.raw`
import socket, sys
keep = []
def pair(fam, addr, port, src, v6only=None):
    l = socket.socket(fam, socket.SOCK_STREAM)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None: l.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    l.bind((addr, port)); l.listen(8); keep.append(l)
    if src is None: return
    c = socket.socket(socket.AF_INET if "." in src[0] else fam, socket.SOCK_STREAM)
    c.bind((src[0], 0)); c.connect((src[1], port)); keep.append(c); keep.append(l.accept()[0])
pair(socket.AF_INET, "10.1.0.1", 3000, ("10.1.0.2", "10.1.0.1"))
pair(socket.AF_INET, "10.1.0.3", 3001, ("10.1.0.4", "10.1.0.3"))
pair(socket.AF_INET, "127.0.0.1", 2000, ("10.1.0.5", "127.0.0.1"))
pair(socket.AF_INET, "10.1.0.6", 3002, ("10.1.0.7", "10.1.0.6"))
pair(socket.AF_INET6, "2001:db8::1", 4000, ("2001:db8::2", "2001:db8::1"))
pair(socket.AF_INET6, "::", 5000, ("10.1.0.2", "10.1.0.1"), 0)
pair(socket.AF_INET6, "::", 5001, None, 1)
print("ready", flush=True)
sys.stdin.read()
`;

/** A child's stdout lines as they come, and a wait for one. */
function lines(child: Deno.ChildProcess): { seen: string[]; until: (line: string) => Promise<void> } {
  const seen: string[] = [];
  const waiters: (() => void)[] = [];
  (async () => {
    let rest = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      rest += chunk;
      const parts = rest.split("\n");
      rest = parts.pop()!;
      seen.push(...parts);
      for (const w of waiters.splice(0)) w();
    }
  })();
  const until = async (line: string) => {
    const deadline = Date.now() + 10_000;
    while (!seen.includes(line)) {
      if (Date.now() > deadline) throw new Error(`no "${line}" from a helper (saw ${JSON.stringify(seen)})`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  return { seen, until };
}

async function run(cmd: string, args: string[]) {
  const out = await new Deno.Command(cmd, { args, env: ENV, stdout: "piped", stderr: "piped", stdin: "null" })
    .output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

const NO_PYTHON = await helperUnavailable();

if (NO_PYTHON !== undefined) {
  Deno.test({ name: `ss -r through DNS [skipped: ${NO_PYTHON}]`, ignore: true, fn() {} });
} else {
  await kernelTest(
    "ss -r: /etc/hosts, then PTR answers from resolv.conf's name server, as iproute2",
    {},
    async (_c, ns) => {
      const ipNs = (...a: string[]) => run("ip", ["-n", ns, ...a]);
      await ipNs("link", "set", "lo", "up");
      for (
        const a of [
          "10.1.0.1/24",
          "10.1.0.2/24",
          "10.1.0.3/24",
          "10.1.0.4/24",
          "10.1.0.5/24",
          "10.1.0.6/24",
          "10.1.0.7/24",
        ]
      ) {
        await ipNs("addr", "add", a, "dev", "lo");
      }
      for (const a of ["2001:db8::1/64", "2001:db8::2/64"]) await ipNs("addr", "add", a, "dev", "lo", "nodad");
      const etc = `/etc/netns/${ns}`;
      await Deno.mkdir(etc, { recursive: true });
      await Deno.writeTextFile(`${etc}/resolv.conf`, "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
      const table = Object.fromEntries(Object.entries(PTR).map(([a, n]) => [fakeReverseName(a), n]));
      const dns = new Deno.Command("ip", {
        args: ["netns", "exec", ns, Deno.execPath(), "run", "-A", FAKE_DNS, "127.0.0.1", "53", JSON.stringify(table)]
          .concat(SILENT.map(fakeReverseName)),
        env: ENV,
        stdin: "null",
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const socks = new Deno.Command("ip", {
        args: ["netns", "exec", ns, "python3", "-c", SOCKETS],
        stdin: "piped",
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      const asked = lines(dns), opened = lines(socks);
      try {
        await Promise.all([asked.until("ready"), opened.until("ready")]);
        /** The questions the server got so far (after a moment for its output to arrive). */
        const questions = async () => {
          await new Promise((r) => setTimeout(r, 100));
          return asked.seen.filter((l) => l.startsWith("? ")).map((l) => l.slice(2));
        };

        // Without -r nothing is asked.
        const plain = await run("ip", ["netns", "exec", ns, ...OUR_CLI, "ss", "-tan"]);
        assert.equal(plain.code, 0, plain.stderr);
        assert.deepEqual(await questions(), []);

        const compare = async (args: string[]) => {
          const what = `ss ${args.join(" ")}`;
          const [theirs, mine] = await Promise.all([
            run("ip", ["netns", "exec", ns, "ss", ...args]),
            run("ip", ["netns", "exec", ns, ...OUR_CLI, "ss", ...args]),
          ]);
          assert.equal(theirs.code, 0, `${what}: iproute2 failed: ${theirs.stderr}`);
          assertSameResult(mine, theirs, what);
          return mine.stdout;
        };
        let shown = "";
        for (const args of [["-tanr"], ["-tar"], ["-tlr"], ["-tanr6"], ["-tanrO", "sport", "=", ":3001"]]) {
          shown += await compare(args);
        }
        // Names really came from DNS (trailing dot gone), and the failures stayed numbers.
        assert.match(shown, / one\.example:3000 /);
        assert.match(shown, /six\.example:4000/);
        assert.match(shown, / five\.example:/);
        // The first answer decides, as glibc's: an invalid first name leaves the address numeric.
        assert.match(shown, / seven-first\.example:\d+ +10\.1\.0\.6:3002 /);
        assert.match(shown, / 10\.1\.0\.2:\d+ /);
        assert.match(shown, / 10\.1\.0\.3:3001 /);
        assert.match(shown, /\[2001:db8::2\]:\d+/);
        if (hostName("127.0.0.1") !== undefined) assert.doesNotMatch(shown, /dns-loopback/);

        // Ours asks each distinct address once per run (iproute2's glibc asks again for a time-out, as ours may).
        const before = (await questions()).length;
        const mine = await run("ip", ["netns", "exec", ns, ...OUR_CLI, "ss", "-tanr"]);
        assert.equal(mine.code, 0, mine.stderr);
        const once = (await questions()).slice(before).filter((q) => !SILENT.map(fakeReverseName).includes(q));
        assert.deepEqual(once.toSorted(), [...new Set(once)].toSorted(), "an address was asked twice");
        assert.ok(once.includes(fakeReverseName("10.1.0.1")) && once.includes(fakeReverseName("10.1.0.2")));
      } finally {
        await socks.stdin.close();
        dns.kill();
        await Promise.all([socks.status, dns.status]);
        await Deno.remove(etc, { recursive: true });
      }
    },
  );
}

Deno.test("ss -r: reverse names and glibc's deadline", () => {
  assert.equal(reverseName("10.1.0.1"), "1.0.1.10.in-addr.arpa.");
  assert.equal(reverseName("2001:db8::1"), `1.${"0.".repeat(23)}8.b.d.0.1.0.0.2.ip6.arpa.`);
  assert.equal(reverseName("2001:db8::1"), fakeReverseName("2001:db8::1") + ".");
  assert.equal(glibcDeadline(""), 10_000); // 2 attempts × 5 s, the local server
  assert.equal(glibcDeadline("nameserver 10.0.0.1\noptions timeout:1 attempts:1\n"), 1_000);
  assert.equal(glibcDeadline("nameserver 10.0.0.1\nnameserver 10.0.0.2\noptions timeout:3 attempts:2"), 12_000);
  assert.equal(glibcDeadline("options timeout:99 attempts:9"), 150_000);
  // glibc refuses the IPv6 wildcard before asking any source.
  assert.equal(hostName("::"), undefined);
});
