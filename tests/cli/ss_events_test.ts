/**
 * `ss -E` against iproute2's: both follow destroy notifications in one
 * namespace (`-N NS`) while a python3 script opens and closes TCP and UDP
 * sockets over IPv4 and IPv6; what they printed must match byte for byte
 * (socket cookies masked: each tool prints the same ones, but they are
 * masked so that a failure diff reads well). iproute2 runs under
 * `stdbuf -oL`, or its lines would stay in stdio's buffer when it is killed.
 */
import assert from "node:assert/strict";
import { kernelTest, NO_NETNS_REASON } from "../_lib/netns.ts";
import { helperUnavailable } from "../_lib/sockdiag_sockets.ts";
import { CLI_MAIN } from "./_run.ts";
import { subscribers } from "./_setup.ts";

const decoder = new TextDecoder();
const NO_PYTHON = await helperUnavailable();

/** Connections and datagram sockets, each closed at once; ports from `base`. */
const TRAFFIC = `
import socket, sys, time
base = int(sys.argv[1])
for i in range(2):
    for fam, host, port in ((socket.AF_INET, "127.0.0.1", base + i), (socket.AF_INET6, "::1", base + 10 + i)):
        l = socket.socket(fam); l.bind((host, port)); l.listen()
        c = socket.create_connection((host, port)); c.send(b"hello"); c.close()
        a, _ = l.accept(); a.close(); l.close()
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 53)); u.close()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.connect(("127.0.0.1", 9)); u.close()
    time.sleep(0.02)
`;

interface Follower {
  child: Deno.ChildProcess;
  out: Promise<string>;
}

function start(argv: string[]): Follower {
  const child = new Deno.Command(argv[0], { args: argv.slice(1), stdout: "piped", stderr: "piped", stdin: "null" })
    .spawn();
  return { child, out: new Response(child.stdout).text() };
}

interface Stopped {
  out: string;
  err: string;
  code: number;
}

async function stop(f: Follower): Promise<Stopped> {
  try {
    f.child.kill("SIGTERM");
  } catch { /* already gone */ }
  const [out, err, status] = await Promise.all([f.out, new Response(f.child.stderr).text(), f.child.status]);
  return { out, err, code: status.signal === "SIGTERM" ? -1 : status.code };
}

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stderr: "piped" }).output();
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")}: ${decoder.decode(out.stderr)}`);
}

const mask = (s: string) => s.replace(/ sk:[0-9a-f]+/g, " sk:X");

/** Starts both with `-N ns ARGS`, makes traffic once both listen, and compares what they printed. */
async function follow(ns: string, args: string[], base: number): Promise<string> {
  const theirs = start(["stdbuf", "-oL", "ss", "-N", ns, ...args]);
  const mine = start([
    Deno.execPath(),
    "run",
    "-A",
    "--no-check",
    "--unstable-lazy-dynamic-imports",
    CLI_MAIN,
    "ss",
    "-N",
    ns,
    ...args,
  ]);
  let subscribed = 0;
  let a: Stopped, b: Stopped;
  try {
    for (let i = 0; i < 200 && (subscribed = await subscribers(ns, 4)) < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (subscribed === 2) await run("ip", ["netns", "exec", ns, "python3", "-c", TRAFFIC, String(base)]);
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    [a, b] = await Promise.all([stop(theirs), stop(mine)]);
  }
  const what = `ss ${args.join(" ")}`;
  assert.equal(subscribed, 2, `${what}: both tools subscribed (ours said: ${b.err})`);
  assert.equal(mask(b.out), mask(a.out), `${what}: stdout differs`);
  assert.equal(b.err, a.err, `${what}: stderr differs`);
  return a.out;
}

if (NO_PYTHON !== undefined && NO_NETNS_REASON === undefined) {
  Deno.test({ name: `ss -E: matches iproute2 [skipped: ${NO_PYTHON}]`, ignore: true, fn() {} });
} else {
  await kernelTest("ss -E: destroyed sockets print as iproute2 prints them", {}, async (_conn, ns) => {
    await run("ip", ["-n", ns, "link", "set", "lo", "up"]);
    let base = 6000;
    for (
      const args of [
        ["-E", "-tn"],
        ["-E"],
        ["-En", "-tu6"],
        ["-E", "-e", "-tnH"],
        ["-E", "-tn", "sport", "=", ":6301", "or", "dport", "=", ":6311"],
        ["-E", "-tno"],
        ["-E", "-ua4"],
        ["-E", "-tr"],
      ]
    ) {
      base += 100;
      const out = await follow(ns, args, base);
      assert.ok(out.split("\n").length > 2 || args.includes("sport"), `ss ${args.join(" ")} printed events`);
    }
  });

  await kernelTest("ss -E: nothing to follow (only Unix sockets) exits 255 in silence", {}, async (_conn, ns) => {
    const argv = ["-N", ns, "-E", "-x"];
    const a = await new Deno.Command("ss", { args: argv, stdout: "piped", stderr: "piped" }).output();
    const b = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-check", CLI_MAIN, "ss", ...argv],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.deepEqual([b.code, decoder.decode(b.stdout), decoder.decode(b.stderr)], [
      a.code,
      decoder.decode(a.stdout),
      decoder.decode(a.stderr),
    ]);
    assert.equal(a.code, 255);
  });
}
