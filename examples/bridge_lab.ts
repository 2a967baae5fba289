/**
 * A small switch in a throwaway namespace: a bridge with two ports, a static
 * forwarding entry, a port setting, and the events the changes produce.
 *
 *   sudo deno run --allow-ffi --allow-read examples/bridge_lab.ts
 */
import { addNetns, Connection, deleteNetns } from "../mod.ts";

const ns = `bridge-${Deno.pid}`;
await addNetns(ns);
try {
  using conn = await Connection.open({ netns: ns });
  const stop = new AbortController();
  const watching = (async () => {
    for await (const ev of conn.events({ groups: ["link", "neigh"], signal: stop.signal })) {
      if (ev.type === "newbridgeport") console.log(`event: port ${ev.port.name} is ${ev.port.state}`);
      if (ev.type === "newneigh" && ev.neighbour.family === "bridge") {
        console.log(`event: fdb ${ev.neighbour.lladdr} on ifindex ${ev.neighbour.ifindex}`);
      }
    }
  })().catch((e) => { // aborting the signal ends the stream with its reason
    if (!stop.signal.aborted) throw e;
  });

  await conn.addLink({ kind: "bridge", name: "br0", stpState: 0, up: true });
  for (const port of ["p0", "p1"]) {
    await conn.addLink({ kind: "veth", name: port, peer: { name: `${port}x` }, master: "br0", up: true });
    await conn.setLinkUp(`${port}x`);
  }
  await conn.setBridgePort("p1", { learning: false, cost: 50 });
  await conn.addFdb({ mac: "02:00:00:00:00:aa", dev: "p0", master: true, state: "static" });

  for (const port of await conn.getBridgePorts()) {
    console.log(`${port.name}: state ${port.state}, cost ${port.cost}, learning ${port.learning}`);
  }
  for (const entry of (await conn.getFdb({ master: "br0" })).filter((e) => !e.state.includes("permanent"))) {
    console.log(`fdb ${entry.lladdr} dev ${entry.ifindex} ${entry.state.join(",")}`);
  }
  await new Promise((r) => setTimeout(r, 50));
  stop.abort();
  await watching;
} finally {
  await deleteNetns(ns);
}
