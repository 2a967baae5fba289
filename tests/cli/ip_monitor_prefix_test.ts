/**
 * `ip monitor prefix` against iproute2: both watch one namespace while a
 * Router Advertisement with a Prefix Information option reaches a veth end
 * that accepts RAs (tests/_lib/router_advert.ts); what they print is compared
 * byte for byte (with `-t`/`-ts`, after the timestamps are normalised).
 */
import assert from "node:assert/strict";
import { assertSameMonitorOutput, kernelTestUnless, watchBoth } from "./_setup.ts";
import { NO_RA_SENDER, raLab, sendRouterAdvert } from "../_lib/router_advert.ts";

/** Runs both monitors with `args` while two RAs arrive; returns what each printed. */
function watch(ns: string, args: string[], n: number): Promise<[string, string]> {
  return watchBoth(ns, args, async () => {
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
  });
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
      assert.match(a, /prefix 2001:db8:/, `ip ${args.join(" ")}: iproute2 printed no prefix`);
      assertSameMonitorOutput(a, b, args);
    }
  },
);
