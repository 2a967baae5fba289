/**
 * Rates as a share of the link speed against the kernel: the speed is read
 * through ethtool netlink in the connection's namespace (a veth reports
 * 10000 Mbit/s), so tbf `rate: "10%"` reads back as 1 Gbit/s and an htb class
 * at 25 % / 50 % as 2.5 / 5 Gbit/s; a device without a speed refuses a
 * percentage before anything is sent.
 */
import { deepStrictEqual, equal, rejects } from "node:assert/strict";
import { NetlinkError, type Qdisc, ValidationError } from "../../mod.ts";
import { classData } from "../../src/tc/class.ts";
import { qdiscData } from "../../src/tc/qdisc.ts";
import { kernelTest } from "../_lib/netns.ts";
import { veth } from "../_lib/setup.ts";

const only = (qs: Qdisc[], kind: string) => qs.filter((q) => q.kind === kind);

await kernelTest(
  "tc %: tbf at 10 % of a veth is 1 Gbit/s, changed to 25 %",
  { needs: ["veth", "sch_tbf"] },
  async (conn) => {
    await veth(conn);
    await conn.addQdisc({ dev: "v0", handle: "1:", kind: "tbf", rate: "10%", burst: "10k", latency: "50ms" });
    const tbf = qdiscData(only(await conn.getQdiscs({ dev: "v0" }), "tbf")[0], "tbf")!;
    equal(tbf.parms!.rate.rate, 125_000_000);
    await conn.changeQdisc({ dev: "v0", handle: "1:", kind: "tbf", rate: "25%", burst: "1mb", limit: "1mb" });
    const changed = qdiscData(only(await conn.getQdiscs({ dev: "v0" }), "tbf")[0], "tbf")!;
    equal(changed.parms!.rate.rate, 312_500_000);
    await conn.deleteQdisc({ dev: "v0" });
    deepStrictEqual(only(await conn.getQdiscs({ dev: "v0" }), "tbf"), []);
  },
);

await kernelTest("tc %: an htb class at 25 % ceil 50 % of a veth", { needs: ["veth", "sch_htb"] }, async (conn) => {
  await veth(conn);
  await conn.addQdisc({ dev: "v0", handle: "1:", kind: "htb" });
  await conn.addClass({ dev: "v0", parent: "1:", classid: "1:10", kind: "htb", rate: "25%", ceil: "50%" });
  const [c] = await conn.getClasses({ dev: "v0", classid: "1:10" });
  const parms = classData(c, "htb")!.parms!;
  deepStrictEqual([parms.rate.rate, parms.ceil.rate], [312_500_000, 625_000_000]);
  await conn.changeClass({ dev: "v0", parent: "1:", classid: "1:10", kind: "htb", rate: "1%" });
  const [changed] = await conn.getClasses({ dev: "v0", classid: "1:10" });
  equal(classData(changed, "htb")!.parms!.rate.rate, 12_500_000);
  await conn.deleteClass({ dev: "v0", classid: "1:10" });
  deepStrictEqual(await conn.getClasses({ dev: "v0", classid: "1:10" }), []);
});

await kernelTest("tc %: netem at 5 % of a veth", { needs: ["veth", "sch_netem"] }, async (conn) => {
  await veth(conn);
  await conn.addQdisc({ dev: "v0", kind: "netem", rate: "5%" });
  const netem = qdiscData(only(await conn.getQdiscs({ dev: "v0" }), "netem")[0], "netem")!;
  equal(netem.rate!.rate, 62_500_000);
});

await kernelTest("tc %: a device without a link speed refuses a percentage, naming the field", {}, async (conn) => {
  await rejects(
    conn.addQdisc({ dev: "lo", kind: "tbf", rate: "10%", burst: "10k", latency: "50ms" }),
    (e) => e instanceof ValidationError && e.field === "rate" && /lo/.test(e.message),
  );
  await rejects(
    conn.addQdisc({
      dev: "lo",
      kind: "tbf",
      rate: "1mbit",
      burst: "10k",
      latency: "50ms",
      peakrate: "200%",
      mtu: 1600,
    }),
    (e) => e instanceof ValidationError && e.field === "peakrate", // refused before the speed is asked for
  );
  deepStrictEqual(only(await conn.getQdiscs({ dev: "lo" }), "tbf"), []);
  await rejects(
    conn.addQdisc({ dev: "no-such-dev", kind: "tbf", rate: "10%", burst: "10k", latency: "50ms" }),
    (e) => e instanceof NetlinkError && e.isNoDevice(),
  );
});
