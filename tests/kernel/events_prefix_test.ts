/**
 * IPv6 prefix events: an interface that accepts a Router Advertisement with a
 * Prefix Information option yields a `newprefix` event (group `ipv6-prefix`)
 * with the prefix, its length, flags and lifetimes.
 */
import { equal, ok } from "node:assert/strict";
import type { NetworkEvent } from "../../mod.ts";
import { events } from "../../src/route/events.ts";
import { kernelTest } from "../_lib/netns.ts";
import { NO_RA_SENDER, raLab, sendRouterAdvert } from "../_lib/router_advert.ts";

const NAME = "prefix events: an accepted Router Advertisement's prefix as a newprefix event";

if (NO_RA_SENDER) Deno.test({ name: `${NAME} [skipped: ${NO_RA_SENDER}]`, ignore: true, fn() {} });
else {
  await kernelTest(NAME, { needs: ["veth"] }, async (conn, ns) => {
    await raLab(ns);
    const v0 = (await conn.getLink("v0")).index;
    const stop = new AbortController();
    const stream = events(conn, { groups: ["ipv6-prefix"], signal: stop.signal });
    const timer = setTimeout(() => stop.abort(new Error("no newprefix event within 5 s")), 5000);
    try {
      // The socket joins the group on the first next(); the RA goes out once it waits.
      const first = stream.next();
      await new Promise((r) => setTimeout(r, 50));
      await sendRouterAdvert(ns, { prefix: "2001:db8:61::", length: 64, valid: 1200, preferred: 600, flags: 0xc0 });
      const ev: NetworkEvent = (await first).value;
      equal(ev.type, "newprefix");
      if (ev.type !== "newprefix") return;
      const p = ev.prefix;
      equal(p.family, "inet6");
      equal(p.ifindex, v0);
      equal(p.optionType, 3);
      equal(p.prefixLen, 64);
      equal(p.address, "2001:db8:61::");
      equal(p.cacheinfo?.valid, 1200);
      equal(p.cacheinfo?.preferred, 600);
      // Kernels before 2024 send IF_PREFIX_* (3), later ones the option's own byte (0xc0).
      ok(p.flags === 0xc0 || p.flags === 0x03, `flags 0x${p.flags.toString(16)}`);
      ok(p.onlink && p.autoconf);
    } finally {
      clearTimeout(timer);
      await stream.return(undefined);
    }
  });
}
