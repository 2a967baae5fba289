/**
 * `ip monitor prefix` against iproute2: both watch one namespace while a
 * Router Advertisement with a Prefix Information option reaches a veth end
 * that accepts RAs (tests/_lib/router_advert.ts); what they print is compared
 * byte for byte (with `-t`/`-ts`, after the timestamps are normalised).
 */
import assert from "node:assert/strict";
import {
  kernelTestUnless,
  LONG_TS,
  normaliseTimestamps,
  settled,
  SHORT_TS,
  startMonitors,
  stopMonitor,
} from "./_setup.ts";
import { NO_RA_SENDER, raLab, sendRouterAdvert } from "../_lib/router_advert.ts";

const decoder = new TextDecoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How many rtnetlink sockets in `ns` joined some multicast group (/proc/net/netlink as seen from inside). */
async function listeners(ns: string): Promise<number> {
  const out = await new Deno.Command("ip", { args: ["netns", "exec", ns, "cat", "/proc/net/netlink"] }).output();
  return decoder.decode(out.stdout).split("\n").slice(1).map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] === "0" && f[3] !== undefined && f[3] !== "00000000").length;
}

/** Runs both monitors with `args` while two RAs arrive; returns what each printed. */
async function watch(ns: string, args: string[], n: number): Promise<[string, string]> {
  const before = await listeners(ns);
  const [theirs, mine] = startMonitors(ns, args);
  try {
    for (let i = 0; (await listeners(ns)) < before + 2; i++) {
      assert.ok(i < 200, `ip ${args.join(" ")}: the monitors did not subscribe`);
      await sleep(25);
    }
    await sendRouterAdvert(ns, {
      prefix: `2001:db8:${n.toString(16)}::`,
      length: 64,
      valid: 1200,
      preferred: 600,
      flags: 0xc0,
    });
    await sendRouterAdvert(ns, {
      prefix: `2001:db8:${n.toString(16)}:1::`,
      length: 48,
      valid: 0xffffffff,
      preferred: 0xffffffff,
      flags: 0x40,
    });
    await settled(theirs, mine);
  } finally {
    await Promise.all([stopMonitor(theirs), stopMonitor(mine)]);
  }
  return [theirs.out, mine.out];
}

await kernelTestUnless(
  NO_RA_SENDER,
  "ip monitor prefix: prints what iproute2 prints",
  { needs: ["veth"] },
  async (ns) => {
    await raLab(ns);
    const variants = [
      ["monitor", "prefix"],
      ["monitor", "label", "prefix"],
      ["-t", "monitor", "label", "prefix"],
      ["-ts", "monitor", "pre"],
      ["-6", "monitor", "label", "prefix", "route"],
    ];
    for (const [i, args] of variants.entries()) {
      const [a, b] = await watch(ns, args, 0x6100 + i);
      const what = `ip ${args.join(" ")}`;
      assert.match(a, /prefix 2001:db8:/, `${what}: iproute2 printed no prefix`);
      if (args.includes("-t") || args.includes("-ts")) {
        const re = args.includes("-t") ? LONG_TS : SHORT_TS;
        assert.equal(b.match(re)?.length ?? 0, a.match(re)?.length, `${what}: timestamps differ in number or format`);
        assert.equal(normaliseTimestamps(b), normaliseTimestamps(a), `${what}: output differs`);
      } else assert.equal(b, a, `${what}: output differs`);
    }
  },
);
