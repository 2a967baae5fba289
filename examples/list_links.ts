/**
 * Lists every interface with its addresses, like a short `ip address show`.
 *
 *   deno run --allow-ffi examples/list_links.ts
 */
import { Connection } from "../mod.ts";

using conn = await Connection.open();
const [links, addresses] = await Promise.all([conn.getLinks(), conn.getAddresses()]);
for (const link of links) {
  const state = link.operstate ?? "UNKNOWN";
  console.log(`${link.index}: ${link.name} <${link.flags.join(",")}> mtu ${link.mtu} state ${state}`);
  if (link.address) console.log(`    link/${link.type} ${link.address}`);
  for (const a of addresses.filter((a) => a.index === link.index)) {
    console.log(`    ${a.family} ${a.local ?? a.address}/${a.prefixlen} scope ${a.scope}`);
  }
}
