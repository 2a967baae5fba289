/**
 * Prints link, address and route changes as they happen (Ctrl-C to stop).
 * An `overrun` means events were lost: re-read the tables to catch up.
 *
 *   deno run --allow-ffi examples/watch_events.ts
 */
import { Connection } from "../mod.ts";

using conn = await Connection.open();
for await (const ev of conn.events({ groups: ["link", "ipv4-ifaddr", "ipv6-ifaddr", "ipv4-route", "ipv6-route"] })) {
  switch (ev.type) {
    case "newlink":
    case "dellink":
      console.log(ev.type, ev.link.name, ev.link.operstate);
      break;
    case "newaddr":
    case "deladdr":
      console.log(ev.type, ev.address.local ?? ev.address.address, ev.address.prefixlen);
      break;
    case "newroute":
    case "delroute":
      console.log(ev.type, ev.route.dst, ev.route.gateway ?? "");
      break;
    case "overrun":
      console.log("overrun: some events were lost");
      break;
  }
}
