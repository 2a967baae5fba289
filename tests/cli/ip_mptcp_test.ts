/**
 * `ip mptcp` against iproute2: endpoint and limit listings (text and JSON),
 * usage and kernel errors, and `ip mptcp monitor`'s lines for a connection made over loopback by a
 * `python3` helper with IPPROTO_MPTCP sockets. Skipped with the reason on a
 * kernel without MPTCP (or with net.mptcp.enabled = 0). Request bytes are
 * compared in ip_mptcp_request_test.ts.
 */
import assert from "node:assert/strict";
import { ip, iproute2, nlink, OUR_CLI, sameError, sameJson, sameText } from "./_run.ts";
import { kernelTestUnless, NO_MPTCP } from "./_setup.ts";

const mptcpTest = (name: string, fn: (ns: string) => Promise<void>) =>
  kernelTestUnless(NO_MPTCP, name, { needs: ["veth"] }, fn);

/** Two veths with addresses, and endpoints of every shape iproute2 prints. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link add q0 type veth peer name q1");
  await ip(ns, "link set p0 up");
  await ip(ns, "addr add 10.0.0.1/24 dev p0");
  await ip(ns, "addr add 10.0.0.2/24 dev p0");
  await ip(ns, "mptcp endpoint add 10.0.0.1 dev p0 subflow");
  await ip(ns, "mptcp endpoint add 10.0.0.2 id 5 port 1234 signal backup");
  await ip(ns, "mptcp endpoint add 2001:db8::1 id 7 subflow fullmesh");
  await ip(ns, "mptcp endpoint add 10.0.0.3 dev q0 signal");
  await ip(ns, "mptcp endpoint add 10.0.0.4 id 200 subflow backup dev q1");
  // An endpoint whose device is gone prints as ifN.
  await ip(ns, "link del q0");
}

await mptcpTest("ip mptcp endpoint show / limits show: text and JSON as iproute2", async (ns) => {
  // Nothing configured: JSON is an empty list, text is empty.
  await sameJson(ns, ["-j", "mptcp", "endpoint", "show"]);
  const [theirs, mine] = await Promise.all([
    iproute2(["-n", ns, "mptcp", "endpoint"]),
    nlink(["-n", ns, "mptcp", "endpoint"]),
  ]);
  assert.deepEqual(mine, theirs);
  await lab(ns);
  await sameText(ns, ["mptcp", "endpoint", "show"]);
  await sameText(ns, ["mptcp", "endpoint"]);
  await sameText(ns, ["mptcp", "e", "s"]);
  await sameJson(ns, ["-j", "mptcp", "endpoint", "show"]);
  await sameText(ns, ["-j", "-p", "mptcp", "endpoint", "show"]);
  await sameText(ns, ["mptcp", "endpoint", "show", "id", "5"]);
  await sameText(ns, ["-j", "mptcp", "endpoint", "show", "id", "7"]);
  await sameText(ns, ["mptcp", "endpoint", "show", "id", "1"]);
  await ip(ns, "mptcp limits set subflows 3 add_addr_accepted 4");
  await sameText(ns, ["mptcp", "limits"]);
  await sameText(ns, ["mptcp", "limits", "show"]);
  // iproute2 prints the limits as text even with -j.
  await sameText(ns, ["-j", "mptcp", "limits", "show"]);
});

await mptcpTest("ip mptcp: usage and kernel errors as iproute2", async (ns) => {
  await lab(ns);
  for (
    const cmd of [
      "mptcp",
      "mptcp help",
      "mptcp frob",
      "mptcp endpoint frob",
      "mptcp limits frob",
      "mptcp monitor extra",
      "mptcp limits monitor extra",
      "mptcp endpoint add",
      "mptcp endpoint add 10.0.0.9 dev",
      "mptcp endpoint add 10.0.0.9 dev nope",
      "mptcp endpoint add 10.0.0.9 dev a/b",
      "mptcp endpoint add 10.0.0.9 dev 0123456789abcdefg",
      "mptcp endpoint add 10.0.0.9 id 256",
      "mptcp endpoint add 10.0.0.9 id x",
      "mptcp endpoint add 10.0.0.9 port 70000",
      "mptcp endpoint add 10.0.0.9 port 80",
      "mptcp endpoint add 10.0.0.9 port 80 subflow",
      "mptcp endpoint add 10.0.0.9 signal fullmesh",
      "mptcp endpoint add 10.0.0.9 fullmesh signal",
      "mptcp endpoint add bogus",
      "mptcp endpoint add 10.0.0.1 id 5",
      "mptcp endpoint delete",
      "mptcp endpoint delete 10.0.0.1",
      "mptcp endpoint delete id 0",
      "mptcp endpoint delete id 5 10.0.0.2",
      "mptcp endpoint delete id 99",
      "mptcp endpoint change id 5 signal",
      "mptcp endpoint change id 5 port 80 backup",
      "mptcp endpoint change id 99 backup",
      "mptcp endpoint show id 99",
      "mptcp endpoint show 10.0.0.1",
      "mptcp limits set subflows 9",
      "mptcp limits set subflows x",
      "mptcp limits set add_addr_accepted -1",
      "mptcp limits set frob 1",
      "mptcp limits set subflows",
    ]
  ) await sameError(ns, cmd);
});

/** A client and a server on loopback, over IPPROTO_MPTCP (262). */
const HELPER = `
import socket, time
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
srv.bind(("127.0.0.1", 5555)); srv.listen(1)
cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
cli.connect(("127.0.0.1", 5555))
peer, _ = srv.accept()
cli.sendall(b"hi"); peer.recv(2); peer.sendall(b"!"); cli.recv(1)
time.sleep(0.1)
cli.close(); peer.close(); srv.close()
`;

/** Reads a child's stdout until it holds `lines` lines or `ms` pass. */
async function readLines(child: Deno.ChildProcess, lines: number, ms: number): Promise<string> {
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + ms;
  while (text.split("\n").length <= lines && Date.now() < deadline) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const r = await Promise.race([
      reader.read(),
      new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), deadline - Date.now())),
    ]);
    clearTimeout(timer);
    if (r === undefined || r.done) break;
    text += decoder.decode(r.value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

await mptcpTest("ip mptcp monitor: a connection's events print as iproute2 prints them", async (ns) => {
  await ip(ns, "link set lo up");
  await ip(ns, "mptcp endpoint add 10.0.0.2 id 5 signal");
  const spawn = (cmd: string, args: string[]) =>
    new Deno.Command(cmd, { args, stdout: "piped", stderr: "null", stdin: "null" }).spawn();
  const theirs = spawn("ip", ["-n", ns, "mptcp", "monitor"]);
  const mine = spawn(OUR_CLI[0], [...OUR_CLI.slice(1), "ip", "-n", ns, "mptcp", "monitor"]);
  try {
    // Deno starts more slowly than iproute2: give both time to subscribe.
    await new Promise((r) => setTimeout(r, 2500));
    const helper = await new Deno.Command("ip", { args: ["netns", "exec", ns, "python3", "-c", HELPER] }).output();
    assert.ok(helper.success, "the python3 helper failed");
    // listener created, 2 × created, 2 × established, 2 × announced, 2 × closed, listener closed.
    const [a, b] = await Promise.all([readLines(theirs, 10, 5000), readLines(mine, 10, 5000)]);
    assert.ok(a.includes("ESTABLISHED"), `iproute2 printed: ${a}`);
    assert.equal(b, a);
  } finally {
    theirs.kill();
    mine.kill();
    await Promise.all([theirs.status, mine.status]);
    await Promise.all([theirs.stdout.cancel().catch(() => {}), mine.stdout.cancel().catch(() => {})]);
  }
});
