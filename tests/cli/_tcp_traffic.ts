/**
 * Makes TCP connections so that the kernel fills its TCP metrics cache: for
 * each argument `SERVER,CLIENT` (two addresses of this namespace), listens on
 * SERVER, connects to it from CLIENT, sends 100 KiB and closes both ends, one
 * connection after the other. Run it inside a test's namespace:
 * `ip netns exec NS deno run -A tests/cli/_tcp_traffic.ts 127.0.0.1,127.0.0.1 ::1,::1`.
 *
 * @module
 */
import net from "node:net";

/** One connection from `client` to `server`, 100 KiB sent, closed by both ends. */
async function connection(server: string, client: string): Promise<void> {
  const listener = Deno.listen({ hostname: server, port: 0, transport: "tcp" });
  const { port } = listener.addr as Deno.NetAddr;
  const received = (async () => {
    const c = await listener.accept();
    const buf = new Uint8Array(64 * 1024);
    let total = 0;
    for (let n = await c.read(buf); n !== null; n = await c.read(buf)) total += n;
    c.close();
    return total;
  })();
  await new Promise<void>((resolve, reject) => {
    // node:net, because Deno.connect cannot choose the local address.
    const s = net.connect({ host: server, port, localAddress: client }, () => {
      s.end(new Uint8Array(100 * 1024), () => resolve());
    });
    s.on("error", reject);
  });
  const total = await received;
  listener.close();
  if (total !== 100 * 1024) throw new Error(`${client} → ${server}: ${total} bytes arrived`);
}

for (const pair of Deno.args) {
  const [server, client] = pair.split(",");
  await connection(server, client ?? server);
}
