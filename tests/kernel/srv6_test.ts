/**
 * SRv6 against the kernel: `encap seg6` in every mode (with HMAC, on IPv6 and
 * IPv4 routes, per multipath next hop) and `encap seg6local` behaviors, each
 * created with nlink and read back typed, with nlink and with iproute2.
 */
import { deepStrictEqual, equal, rejects } from "node:assert/strict";
import { type Connection, type Route, ValidationError } from "../../mod.ts";
import type { RouteEncap } from "../../src/route/lwtunnel.ts";
import { kernelTest } from "../_lib/netns.ts";
import { iproute2, sysctl, V0_ADDRESSES, veth } from "../_lib/setup.ts";

/** The route to `dst` (IPv6 unless it has a dot), as nlink reads it back. */
async function route(conn: Connection, dst: string): Promise<Route> {
  const family = dst.includes(".") ? "inet" : "inet6";
  const found = (await conn.getRoutes({ family })).find((r) => r.dst === dst);
  if (!found) throw new Error(`no route to ${dst}`);
  return found;
}

await kernelTest("SRv6 encap: encap, inline, l2encap, encap.red, HMAC; IPv6, IPv4 and multipath routes", {
  needs: ["veth"],
}, async (conn, ns) => {
  const { v0 } = await veth(conn, { addresses: V0_ADDRESSES });
  const cases: [string, RouteEncap][] = [
    ["2001:db8:10::/64", { type: "seg6", mode: "encap", segments: ["fc00::1", "fc00::2"] }],
    ["2001:db8:11::/64", { type: "seg6", mode: "inline", segments: ["fc00::1", "fc00::3"] }],
    ["2001:db8:12::/64", { type: "seg6", mode: "encap", segments: ["fc00::1", "fc00::2"], hmac: 7 }],
    ["2001:db8:13::/64", { type: "seg6", mode: "l2encap", segments: ["fc00::4"] }],
    ["2001:db8:14::/64", { type: "seg6", mode: "encap.red", segments: ["fc00::5", "fc00::6"] }],
    ["10.22.0.0/24", { type: "seg6", mode: "encap", segments: ["fc00::1"] }],
  ];
  for (const [dst, encap] of cases) {
    await conn.addRoute({ dst, encap: encap as Parameters<Connection["addRoute"]>[0]["encap"], dev: "v0" });
  }
  for (const [dst, encap] of cases) {
    const r = await route(conn, dst);
    deepStrictEqual([r.encapType, r.encap, r.oif], ["seg6", encap, v0], dst);
  }
  // iproute2 reads the same encapsulation (and lists inline mode's slot for the original destination).
  const ip = (await iproute2(ns, "-6", "route", "show", "2001:db8:11::/64")) as {
    encap: string;
    mode: string;
    segs: string[];
  }[];
  deepStrictEqual([ip[0].encap, ip[0].mode, ip[0].segs], ["seg6", "inline", ["fc00::1", "fc00::3", "::"]]);
  const hm = (await iproute2(ns, "-6", "route", "show", "2001:db8:12::/64")) as { hmac: string }[];
  equal(Number(hm[0].hmac), 7);

  // Per path of a multipath route.
  await conn.addRoute({
    dst: "2001:db8:20::/64",
    multipath: [
      { gateway: "2001:db8::2", dev: "v0", encap: { type: "seg6", mode: "encap", segments: ["fc00::a"] } },
      { gateway: "2001:db8::3", dev: "v0", encap: { type: "seg6", mode: "encap", segments: ["fc00::b"] } },
    ],
  });
  const mp = await route(conn, "2001:db8:20::/64");
  deepStrictEqual(mp.multipath?.map((p) => [p.gateway, p.encap]), [
    ["2001:db8::2", { type: "seg6", mode: "encap", segments: ["fc00::a"] }],
    ["2001:db8::3", { type: "seg6", mode: "encap", segments: ["fc00::b"] }],
  ]);

  await conn.delRoute({ dst: "2001:db8:10::/64", dev: "v0" });
  equal((await conn.getRoutes({ family: "inet6" })).some((r) => r.dst === "2001:db8:10::/64"), false);
  await rejects(
    conn.addRoute({
      dst: "2001:db8:30::/64",
      dev: "v0",
      encap: { type: "seg6", mode: "encap", segments: ["10.0.0.1"] },
    }),
    (e: ValidationError) => e instanceof ValidationError && e.field.endsWith("segments[0]"),
  );
  await rejects(
    conn.addRoute({
      dst: "2001:db8:30::/64",
      dev: "v0",
      encap: { type: "seg6", mode: "sideways" as "encap", segments: ["fc00::1"] },
    }),
    ValidationError,
  );
});

await kernelTest(
  "seg6local: End, End.X, End.T, End.DX2, End.DX4, End.DX6, End.DT6, End.B6, End.B6.Encaps, counters, flavors",
  {
    needs: ["veth"],
  },
  async (conn, ns) => {
    const { v0 } = await veth(conn, { addresses: V0_ADDRESSES });
    const v1 = (await conn.getLink("v1")).index;
    await conn.addRoute({ dst: "fc00:ff::/64", dev: "v0", table: 100 }); // End.T / End.DT6 look up table 100
    type Local = Extract<RouteEncap, { type: "seg6local" }>;
    const cases: [string, Parameters<Connection["addRoute"]>[0]["encap"], Local][] = [
      ["fc00::a/128", { type: "seg6local", action: "End" }, { type: "seg6local", action: "End" }],
      ["fc00::b/128", { type: "seg6local", action: "End.X", nh6: "2001:db8::2" }, {
        type: "seg6local",
        action: "End.X",
        nh6: "2001:db8::2",
      }],
      ["fc00::c/128", { type: "seg6local", action: "End.T", table: 100 }, {
        type: "seg6local",
        action: "End.T",
        table: 100,
      }],
      ["fc00::d/128", { type: "seg6local", action: "End.DX2", oif: "v1" }, {
        type: "seg6local",
        action: "End.DX2",
        oif: v1,
      }],
      ["fc00::e/128", { type: "seg6local", action: "End.DX4", nh4: "10.0.0.2" }, {
        type: "seg6local",
        action: "End.DX4",
        nh4: "10.0.0.2",
      }],
      ["fc00::f/128", { type: "seg6local", action: "End.DX6", nh6: "2001:db8::2" }, {
        type: "seg6local",
        action: "End.DX6",
        nh6: "2001:db8::2",
      }],
      ["fc00::11/128", { type: "seg6local", action: "End.DT6", table: 100 }, {
        type: "seg6local",
        action: "End.DT6",
        table: 100,
      }],
      ["fc00::13/128", { type: "seg6local", action: "End.B6", srh: { segments: ["fc00::1", "fc00::2"] } }, {
        type: "seg6local",
        action: "End.B6",
        srh: { segments: ["fc00::1", "fc00::2"] },
      }],
      ["fc00::14/128", {
        type: "seg6local",
        action: "End.B6.Encaps",
        srh: { segments: ["fc00::1", "fc00::2"], hmac: 5 },
      }, { type: "seg6local", action: "End.B6.Encaps", srh: { segments: ["fc00::1", "fc00::2"], hmac: 5 } }],
      ["fc00::15/128", { type: "seg6local", action: "End", counters: true }, {
        type: "seg6local",
        action: "End",
        counters: { packets: 0n, bytes: 0n, errors: 0n },
      }],
      ["fc00::16/128", {
        type: "seg6local",
        action: "End",
        flavors: { operations: ["next-csid"], lcblockBits: 32, lcnodeFnBits: 16 },
      }, {
        type: "seg6local",
        action: "End",
        flavors: { operations: ["next-csid"], lcblockBits: 32, lcnodeFnBits: 16 },
      }],
    ];
    for (const [dst, encap] of cases) await conn.addRoute({ dst, encap, dev: "v0" });
    for (const [dst, , want] of cases) {
      const r = await route(conn, dst);
      deepStrictEqual([r.encapType, r.encap, r.oif], ["seg6local", want, v0], dst);
    }
    const ip = (await iproute2(ns, "-6", "route", "show", "fc00::11")) as { encap: string; action: string }[];
    deepStrictEqual([ip[0].encap, ip[0].action], ["seg6local", "End.DT6"]);
    const b6 = (await iproute2(ns, "-6", "route", "show", "fc00::13")) as { srh: { segs: string[] } }[];
    deepStrictEqual(b6[0].srh.segs, ["fc00::1", "fc00::2", "::"]);
    await rejects(
      conn.addRoute({ dst: "fc00::99/128", dev: "v0", encap: { type: "seg6local", action: "End.Nope" as "End" } }),
      ValidationError,
    );
  },
);

await kernelTest("seg6local: End.DT4 and End.DT46 into a VRF's table", {
  needs: ["veth", "vrf"],
}, async (conn, ns) => {
  const { v0 } = await veth(conn, { addresses: V0_ADDRESSES });
  // The VRF mode of End.DT4/DT46 needs strict VRF mode and a VRF device owning the table.
  await sysctl(ns, "net.vrf.strict_mode=1");
  const add = await new Deno.Command("ip", { args: ["-n", ns, "link", "add", "vrf100", "type", "vrf", "table", "100"] })
    .output();
  equal(add.success, true);
  await conn.setLinkUp("vrf100");
  await conn.addRoute({
    dst: "fc00::10/128",
    dev: "vrf100",
    encap: { type: "seg6local", action: "End.DT4", vrftable: 100 },
  });
  await conn.addRoute({
    dst: "fc00::12/128",
    dev: "vrf100",
    encap: { type: "seg6local", action: "End.DT46", vrftable: 100 },
  });
  const vrf = (await conn.getLink("vrf100")).index;
  deepStrictEqual([(await route(conn, "fc00::10/128")).encap, (await route(conn, "fc00::10/128")).oif], [
    { type: "seg6local", action: "End.DT4", vrftable: 100 },
    vrf,
  ]);
  deepStrictEqual((await route(conn, "fc00::12/128")).encap, { type: "seg6local", action: "End.DT46", vrftable: 100 });
  equal(typeof v0, "number");
});
