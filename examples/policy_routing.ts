/**
 * Policy routing in a throwaway namespace: two uplinks, a nexthop group that
 * spreads traffic over both, a rule that sends one source through a table of
 * its own, and `route get` to show which way a packet would go.
 *
 *   sudo deno run --allow-ffi --allow-read examples/policy_routing.ts
 */
import { addNetns, Connection, deleteNetns } from "../mod.ts";

const ns = `policy-${Deno.pid}`;
await addNetns(ns);
try {
  using conn = await Connection.open({ netns: ns });
  for (const [i, name] of ["up0", "up1"].entries()) {
    await conn.addLink({ kind: "veth", name, peer: { name: `${name}p` } });
    await conn.setLinkUp(name);
    await conn.setLinkUp(`${name}p`);
    await conn.addAddress({ dev: name, address: `10.${i}.0.1/24` });
  }
  // Two gateways and a group that balances across them (weights 1:2).
  await conn.addNexthop({ id: 1, gateway: "10.0.0.254", dev: "up0" });
  await conn.addNexthop({ id: 2, gateway: "10.1.0.254", dev: "up1" });
  await conn.addNexthop({ id: 10, group: [{ id: 1 }, { id: 2, weight: 2 }] });
  await conn.addRoute({ dst: "0.0.0.0/0", nhid: 10 });
  // Traffic from 192.0.2.0/24 uses table 100, whose default goes out up1 only.
  await conn.addRoute({ dst: "0.0.0.0/0", nhid: 2, table: 100 });
  await conn.addRule({ from: "192.0.2.0/24", table: 100, priority: 1000 });
  await conn.addAddress({ dev: "up1", address: "192.0.2.1/24" }); // a local source in that prefix

  for (const rule of await conn.getRules({ family: "inet" })) {
    console.log(`rule ${rule.priority}: from ${rule.src ?? "all"} lookup ${rule.table}`);
  }
  for (const nh of await conn.getNexthops()) {
    console.log(`nexthop ${nh.id}:`, nh.group ? nh.group.map((m) => `${m.id}×${m.weight}`).join(" ") : nh.gateway);
  }
  const plain = await conn.getRoute({ dst: "198.51.100.7" });
  const sourced = await conn.getRoute({ dst: "198.51.100.7", from: "192.0.2.1" });
  console.log(`198.51.100.7 goes via ${plain.gateway} (table ${plain.table})`);
  console.log(`from 192.0.2.1 it goes via ${sourced.gateway} (table ${sourced.table})`);
} finally {
  await deleteNetns(ns);
}
