/**
 * Opens a connection inside a named namespace (as `ip -n NAME` does) without
 * moving the calling process, and lists what is in it.
 *
 *   sudo ip netns add blue
 *   sudo deno run --allow-ffi --allow-read examples/netns.ts blue
 */
import { Connection, listNetns } from "../mod.ts";

const name = Deno.args[0];
if (!name) {
  console.log("named namespaces:", (await listNetns()).join(" ") || "(none)");
  Deno.exit(0);
}
using conn = await Connection.open({ netns: name });
for (const link of await conn.getLinks()) console.log(`${name}: ${link.index} ${link.name} ${link.operstate}`);
