/**
 * `ip -f mpls route …`: MPLS label routes (`100 as 200/300 via inet ADDR dev
 * D`, next hops with `as`), against iproute2. Request bytes are compared with
 * nlcapture everywhere; listings through `ip route showdump` of a dump file
 * the library builds (this works without MPLS in the kernel); kernel state
 * only where the kernel has MPLS (mpls_router), else that test is skipped
 * with the reason.
 */
import assert from "node:assert/strict";
import { routeRequest } from "../../src/route/route.ts";
import { NO_NETNS_REASON } from "../_lib/netns.ts";
import { capture, type Captured, NO_NLCAPTURE } from "./_capture.ts";
import { bothShowdump, ip, iproute2, OUR_CLI, ours, routeDumpFile, sameError, sameJson, sameText } from "./_run.ts";
import { kernelTestUnless, oursSilent, vethLab, withOtherNetns } from "./_setup.ts";

const NEEDS = { needs: ["veth"] };

/** Why this kernel cannot hold MPLS routes (undefined when it can): net.mpls sysctls exist only with mpls_router. */
const NO_MPLS: string | undefined = NO_NETNS_REASON ?? await withOtherNetns("mpls-probe", async (ns) => {
  await iproute2(["-n", ns, "link", "set", "lo", "up"]);
  const r = await new Deno.Command("ip", {
    args: ["netns", "exec", ns, "sh", "-c", "modprobe mpls_router 2>/dev/null; cat /proc/sys/net/mpls/platform_labels"],
    stdout: "null",
    stderr: "null",
  }).output();
  return r.success ? undefined : "kernel lacks MPLS routing (mpls_router: no /proc/sys/net/mpls)";
});

async function lab(ns: string): Promise<void> {
  await vethLab(ns, ["10.0.0.1/24 dev p0", "2001:db8::1/64 dev p0 nodad"]);
}

/** The bytes with attribute padding zeroed (iproute2 leaves old buffer bytes there), RTA_MULTIPATH walked. */
function zeroPadding(hex: string): string {
  const b = new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
  const v = new DataView(b.buffer);
  const walk = (from: number, to: number) => {
    for (let at = from; at + 4 <= to;) {
      const len = v.getUint16(at, true);
      if (len < 4) break;
      const end = Math.min(at + ((len + 3) & ~3), to);
      b.fill(0, Math.min(at + len, to), end);
      if (v.getUint16(at + 2, true) === 9) {
        for (let r = at + 4; r + 8 <= at + len;) {
          const rl = v.getUint16(r, true);
          if (rl < 8) break;
          walk(r + 8, Math.min(r + rl, at + len));
          r += (rl + 3) & ~3;
        }
      }
      at = end;
    }
  };
  walk(28, b.length);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Request bytes of both tools for `command`, padding ignored (neither changes a kernel without MPLS). */
async function sameRequestBytes(ns: string, command: string): Promise<void> {
  const argv = command.split(" ");
  const norm = (c: Captured[]) => c.map((m) => ({ ...m, hex: zeroPadding(m.hex) }));
  const theirs = await capture(ns, ["ip", ...argv]);
  const mine = await capture(ns, [...OUR_CLI, "ip", ...argv]);
  assert.notEqual(theirs.length, 0, `ip ${command}: iproute2 sent nothing`);
  assert.deepEqual(norm(mine), norm(theirs), `ip ${command}: request bytes differ`);
}

const REQUESTS = [
  "-f mpls route add 100 as 200/300 via inet 10.0.0.2 dev p0",
  "-f mpls route add 0x65 via inet6 fe80::1 dev p0",
  "-f mpls route add 102/20 as to 16 via inet 10.0.0.2 dev p0",
  "-f mpls route replace 103 via inet 10.0.0.2 dev p0 proto static",
  "-f mpls route change 103 via inet 10.0.0.3 dev p0",
  "-f mpls route add 104 nexthop as 200 via inet 10.0.0.2 dev p0 nexthop via inet 10.0.0.3 dev p0",
  "-f mpls route add 105 nexthop via inet6 2001:db8::2 dev p0 as to 7/8 nexthop as 9 via inet 10.0.0.3 dev p0",
  "-f mpls route del 100",
  "-f mpls route del 104 dev p0",
  "-f mpls route show",
  "-f mpls route get 100",
  // `as` with an IPv4 route: the address is read in the route's family.
  "route add 10.6.0.0/24 as 10.0.0.9 via 10.0.0.2 dev p0",
];

await kernelTestUnless(
  NO_NLCAPTURE,
  "ip -f mpls route add|del|replace|change|show|get: request bytes match iproute2",
  NEEDS,
  async (ns) => {
    await lab(ns);
    for (const c of REQUESTS) {
      await sameRequestBytes(ns, c);
      if (!c.startsWith("-f")) await iproute2(["-n", ns, ...c.replace(" add ", " del ").split(" ")]);
    }
  },
);

await kernelTestUnless(NO_NETNS_REASON, "ip -f mpls route: word errors match iproute2", NEEDS, async (ns) => {
  await lab(ns);
  const errors = [
    "-f mpls route add 100/200 via inet 10.0.0.2 dev p0",
    "-f mpls route add 100 via 10.0.0.2 dev p0",
    "-f mpls route add default dev p0",
    "-f mpls route add any dev p0",
    "-f mpls route add 1048576 dev p0",
    "-f mpls route add 100 as 1048576 dev p0",
    "-f mpls route add 100 as 1/x dev p0",
    "-f mpls route add 100 as 1/ dev p0",
    "-f mpls route add 100 as fe80::1 dev p0",
    "-f mpls route add 100 nexthop as 1.2 via inet 10.0.0.2 dev p0",
    "-f mpls route add 100 via inet 10.0.0.2 dev nosuch",
    "-f mpls route show 100/21",
    "-f mpls route get x",
  ];
  // 65 labels: iproute2 says there are too many before the usual error.
  errors.push(`-f mpls route add 100 as ${Array.from({ length: 65 }, (_, i) => i + 1).join("/")} dev p0`);
  if (NO_MPLS) errors.push("-f mpls route add 100 via inet 10.0.0.2 dev p0", "-f mpls route get 100");
  for (const c of errors) await sameError(ns, c);
  // What a kernel without MPLS lists: nothing.
  if (NO_MPLS) {
    for (const c of ["-f mpls route show", "-j -f mpls route show"]) {
      const [a, b] = await Promise.all([iproute2(["-n", ns, ...c.split(" ")]), ours(ns, c)]);
      assert.deepEqual(b, a, c);
    }
  }
});

/** A route dump file (`ip route save` format) of MPLS label routes the library builds. */
function mplsDump(p0: number): Uint8Array {
  const inet = (address: string) => ({ family: "inet" as const, address });
  const msgs = [
    routeRequest("add", { family: "mpls", dst: "100", newdst: "200/300", via: inet("10.0.0.2") }, { oif: p0 }),
    routeRequest("add", { family: "mpls", dst: "101", via: { family: "inet6", address: "fe80::1" } }, { oif: p0 }),
    routeRequest("add", {
      family: "mpls",
      dst: "102",
      multipath: [{ newdst: "200", via: inet("10.0.0.2") }, { via: inet("10.0.0.3"), weight: 2 }],
    }, { paths: [p0, p0] }),
    routeRequest("add", { family: "mpls", dst: "103", via: inet("10.0.0.4"), protocol: "static" }, { oif: p0 }),
  ];
  return routeDumpFile(msgs);
}

await kernelTestUnless(NO_NETNS_REASON, "ip route showdump: MPLS label routes print as iproute2", NEEDS, async (ns) => {
  await lab(ns);
  const p0 = (JSON.parse(await ip(ns, "-j link show p0")) as { ifindex: number }[])[0].ifindex;
  const dump = mplsDump(p0);
  for (const opts of [[], ["-d"], ["-j"], ["-f", "mpls"]]) {
    const [theirs, mine] = await bothShowdump(ns, opts, dump);
    assert.equal(theirs.code, 0, theirs.stderr);
    assert.ok(theirs.stdout.includes("as to 200/300"), `iproute2 printed no label route: ${theirs.stdout}`);
    assert.deepEqual(mine, theirs, `ip ${opts.join(" ")} route showdump`);
  }
});

const STEPS = [
  "-f mpls route add 100 as 200/300 via inet 10.0.0.2 dev p0",
  "-f mpls route add 101 via inet6 2001:db8::2 dev p0",
  "-f mpls route add 102 nexthop as 200 via inet 10.0.0.2 dev p0 nexthop via inet 10.0.0.3 dev p0",
  "-f mpls route replace 101 via inet 10.0.0.5 dev p0",
  "-f mpls route del 100",
];

await kernelTestUnless(NO_MPLS, "ip -f mpls route: kernel state and listings match iproute2", NEEDS, async (ns) => {
  await withOtherNetns("mpls-theirs", async (theirs) => {
    for (const n of [ns, theirs]) {
      await lab(n);
      const r = await new Deno.Command("ip", {
        args: ["netns", "exec", n, "sysctl", "-qw", "net.mpls.platform_labels=1000"],
      }).output();
      assert.ok(r.success, "sysctl net.mpls.platform_labels");
    }
    for (const step of STEPS) {
      await ip(theirs, step);
      await oursSilent(ns, step);
    }
    for (const show of ["-f mpls route show", "-j -f mpls route show", "-d -f mpls route show"]) {
      assert.equal(await ip(ns, show), await ip(theirs, show), show);
    }
  });
  await ip(ns, "-f mpls route add 110 via inet 10.0.0.2 dev p0");
  for (const args of ["-f mpls route", "-d -f mpls route", "-f mpls route show 102", "-f mpls route show dev p0"]) {
    await sameText(ns, args.split(" "));
  }
  await sameJson(ns, ["-j", "-f", "mpls", "route"]);
});
