/**
 * `ss -T` against iproute2's: a python3 process in the namespace holds a TCP
 * listener and a UDP socket and runs two more threads (one renamed, so the
 * thread's own name must be read); every thread must be listed with `tid=`,
 * in iproute2's order, and `-p` must still list the process once.
 */
import assert from "node:assert/strict";
import { kernelTest, NO_NETNS_REASON } from "../_lib/netns.ts";
import { helperUnavailable } from "../_lib/sockdiag_sockets.ts";
import { assertSameResult, iproute2, nlink } from "./_run.ts";

const NO_PYTHON = await helperUnavailable();

const HOLDER = `
import socket, sys, threading
l = socket.socket(); l.bind(("127.0.0.1", 7100)); l.listen()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 7101))
stop = threading.Event()
def worker(name):
    if name:
        with open(f"/proc/self/task/{threading.get_native_id()}/comm", "w") as f: f.write(name)
    stop.wait()
threads = [threading.Thread(target=worker, args=(n,)) for n in ("nl-worker", "")]
for t in threads: t.start()
print("ready", flush=True)
sys.stdin.read()
stop.set()
`;

if (NO_PYTHON !== undefined && NO_NETNS_REASON === undefined) {
  Deno.test({ name: `ss -T: matches iproute2 [skipped: ${NO_PYTHON}]`, ignore: true, fn() {} });
} else {
  await kernelTest("ss -T: sockets list every thread that holds them, as iproute2 does", {}, async (_conn, ns) => {
    await new Deno.Command("ip", { args: ["-n", ns, "link", "set", "lo", "up"] }).output();
    const holder = new Deno.Command("ip", {
      args: ["netns", "exec", ns, "python3", "-c", HOLDER],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const reader = holder.stdout.getReader();
    try {
      const first = new TextDecoder().decode((await reader.read()).value);
      assert.match(first, /ready/);
      for (const args of [["-tlnT"], ["-ulnT"], ["-tulT"], ["-tlnTe"], ["-tlnp"], ["-tulnpT"]]) {
        const [theirs, mine] = await Promise.all([
          iproute2(["-N", ns, ...args], "ss"),
          nlink(["-N", ns, ...args], "ss"),
        ]);
        const what = `ss -N ${ns} ${args.join(" ")}`;
        assertSameResult(mine, theirs, what);
        if (args[0].includes("T")) assert.match(theirs.stdout, /"nl-worker",pid=\d+,tid=\d+,fd=\d+/, what);
      }
    } finally {
      await holder.stdin.close();
      reader.releaseLock();
      await holder.stdout.cancel();
      await holder.status;
    }
  });
}
