/**
 * sock_diag destroy notifications against the kernel, in a private namespace:
 * a python3 script opens and closes TCP and UDP sockets over IPv4 and IPv6;
 * `SockDiagConnection.events()` must report each as it is freed, only for the
 * groups joined, and stop (closing its socket) when the loop breaks.
 */
import { deepStrictEqual as assertEquals, ok, throws } from "node:assert/strict";
import { kernelTest, NO_NETNS_REASON } from "../_lib/netns.ts";
import { helperUnavailable } from "../_lib/sockdiag_sockets.ts";
import { SockDiagConnection } from "../../src/sockdiag/connection.ts";
import { type SockDiagEvent, sockDiagGroupNumbers } from "../../src/sockdiag/events.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { collectEvents } from "../_lib/setup.ts";

const NO_PYTHON = await helperUnavailable();

/** Opens and closes: a TCP connection over IPv4 (port 7001), one over IPv6 (7002), a UDP socket of each family. */
const TRAFFIC = `
import socket
for fam, host, port in ((socket.AF_INET, "127.0.0.1", 7001), (socket.AF_INET6, "::1", 7002)):
    l = socket.socket(fam); l.bind((host, port)); l.listen()
    c = socket.create_connection((host, port)); a, _ = l.accept(); c.close(); a.close(); l.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 7003)); u.close()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 7004)); u.close()
`;

async function traffic(ns: string): Promise<void> {
  await new Deno.Command("ip", { args: ["-n", ns, "link", "set", "lo", "up"] }).output();
  const out = await new Deno.Command("ip", { args: ["netns", "exec", ns, "python3", "-c", TRAFFIC], stderr: "piped" })
    .output();
  if (!out.success) throw new Error(`traffic failed: ${new TextDecoder().decode(out.stderr)}`);
}

Deno.test("sock_diag events: group names map to SKNLGRP numbers; bad ones are rejected", () => {
  assertEquals(sockDiagGroupNumbers(), [1, 2, 3, 4]);
  assertEquals(sockDiagGroupNumbers(["inet6-udp", "inet-tcp"]), [4, 1]);
  throws(
    () => sockDiagGroupNumbers(["inet-sctp" as never]),
    (e) => e instanceof ValidationError && /groups\[0\]/.test(e.message),
  );
  throws(() => sockDiagGroupNumbers([]), ValidationError);
});

if (NO_PYTHON !== undefined && NO_NETNS_REASON === undefined) {
  Deno.test({ name: `sock_diag events: destroyed sockets [skipped: ${NO_PYTHON}]`, ignore: true, fn() {} });
} else {
  await kernelTest("sock_diag events: each destroyed TCP and UDP socket is reported", {}, async (conn, ns) => {
    const diag = SockDiagConnection.beside(conn);
    const stream = diag.events(); // subscribed from here on
    await traffic(ns);
    const ports = (evs: SockDiagEvent[]) =>
      evs.flatMap((e) => e.type === "destroy" && e.socket.sport >= 7001 && e.socket.sport <= 7004 ? [e.socket] : []);
    // Listener + accepted socket for each TCP port, one socket for each UDP port.
    const got = ports(await collectEvents(stream, (g) => ports(g).length >= 6, 5000));
    const seen = got.map((s) => `${s.family} ${s.protocol} ${s.src}:${s.sport} ${s.state}`).sort();
    ok(got.every((s) => s.inode === 0), "freed sockets have left their inode");
    assertEquals(seen, [
      "inet tcp 127.0.0.1:7001 close",
      "inet tcp 127.0.0.1:7001 close",
      "inet udp 127.0.0.1:7003 close",
      "inet6 tcp ::1:7002 close",
      "inet6 tcp ::1:7002 close",
      "inet6 udp ::1:7004 close",
    ]);
    const accepted = got.find((s) => s.sport === 7001 && s.dport !== 0);
    ok(accepted && accepted.dst === "127.0.0.1" && accepted.tcpInfo?.state === "close", "TCP carries tcp_info");
  });

  await kernelTest("sock_diag events: only the groups joined; breaking out closes the socket", {}, async (conn, ns) => {
    const diag = SockDiagConnection.beside(conn);
    const stream = diag.events({ groups: ["inet6-udp"] });
    await traffic(ns);
    const got = await collectEvents(
      stream,
      (g) => g.some((e) => e.type === "destroy" && e.socket.sport === 7004),
      5000,
    );
    for (const e of got) ok(e.type === "destroy" && e.socket.family === "inet6" && e.socket.protocol === "udp");
    // The subscription's socket is gone: no sock_diag socket in the namespace has groups left.
    const netlink = await new Deno.Command("ip", { args: ["netns", "exec", ns, "cat", "/proc/net/netlink"] }).output();
    const subscribed = new TextDecoder().decode(netlink.stdout).split("\n").slice(1).filter((l) => {
      const f = l.trim().split(/\s+/);
      return f[1] === "4" && f[3] !== undefined && f[3] !== "00000000";
    });
    assertEquals(subscribed, []);
  });
}
