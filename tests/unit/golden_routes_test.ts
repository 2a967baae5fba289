/**
 * Golden tests for routes, complete: nlink's request bytes equal iproute2's
 * for encapsulation (MPLS, SRv6, seg6local), MPLS label routes, nexthop
 * objects and groups, route get, route and address flush, address flag words.
 * Fixtures: tests/fixtures/routes.json, captured by tests/fixtures/capture.ts
 * from tests/fixtures/captures/routes.ts.
 */
import { deepStrictEqual as assertEquals, throws as assertThrows } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { addressDumpRequest, addressRequest } from "../../src/route/addr.ts";
import { type EncapOptions, typedEncap } from "../../src/route/lwtunnel.ts";
import {
  decodeNexthop,
  decodeNexthopBucket,
  nexthopBucketDumpRequest,
  nexthopBucketGetRequest,
  nexthopDelRequest,
  nexthopDumpRequest,
  nexthopGetRequest,
  nexthopRequest,
} from "../../src/route/nexthop.ts";
import { decodeRoute, routeDumpRequest, type RouteOptions, routeRequest } from "../../src/route/route.ts";
import { routeFlushRequest } from "../../src/route/route_flush.ts";
import { routeGetRequest } from "../../src/route/route_get.ts";
import { asMessage, goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("routes");
const { p0, p1, br0 } = data.indexes;

/** Bytes of the family header after nlmsghdr, by message type (where attributes start). */
const HEADER: Record<number, number> = { 20: 8, 21: 8, 22: 8, 24: 12, 25: 12, 26: 12, 104: 8, 105: 8, 106: 8, 118: 8 };

/**
 * iproute2 builds `encap …` and `nexthop …` in uninitialized stack buffers and
 * never clears the alignment padding after short attributes (u8 flavor
 * lengths, the u16 encap type): the capture holds whatever was there. Zero the
 * padding of the captured bytes, walking nested attributes and RTA_MULTIPATH's
 * records; ours are compared as they are.
 */
function zeroPadding(h: string): string {
  const b = Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
  const v = new DataView(b.buffer);
  const type = v.getUint16(4, true);
  const walk = (off: number, end: number, top: boolean) => {
    while (off + 4 <= end) {
      const len = v.getUint16(off, true);
      if (len < 4 || off + len > end) return;
      const id = v.getUint16(off + 2, true);
      if (id & 0x8000) walk(off + 4, off + len, false);
      else if (top && (type === 24 || type === 25) && id === 9) records(off + 4, off + len);
      b.fill(0, off + len, Math.min(end, off + ((len + 3) & ~3)));
      off += (len + 3) & ~3;
    }
  };
  // struct rtnexthop (8 bytes, its own length first), then that path's attributes.
  const records = (off: number, end: number) => {
    while (off + 8 <= end) {
      const len = v.getUint16(off, true);
      if (len < 8 || off + len > end) return;
      walk(off + 8, off + len, false);
      off += (len + 3) & ~3;
    }
  };
  walk(16 + HEADER[type], b.length, true);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Our request for each fixture, built with the equivalent options. */
const OURS: Record<string, () => Uint8Array> = {
  // Lightweight tunnels: MPLS.
  "encap.mpls": () =>
    routeRequest("add", { dst: "10.20.0.0/24", encap: { type: "mpls", labels: [100, 200] }, gateway: "10.0.0.2" }, {
      oif: p0,
    }),
  "encap.mpls.ttl": () =>
    routeRequest("add", { dst: "10.21.0.0/24", encap: { type: "mpls", labels: [300], ttl: 10 }, gateway: "10.0.0.2" }, {
      oif: p0,
    }),
  "encap.mpls.multipath": () =>
    routeRequest("add", {
      dst: "10.23.0.0/24",
      multipath: [
        { encap: { type: "mpls", labels: [100] }, gateway: "10.0.0.2", dev: p0 },
        { encap: { type: "mpls", labels: [200] }, gateway: "10.0.0.3", dev: p0, weight: 3 },
      ],
    }, { paths: [p0, p0] }),
  // SRv6 encapsulation.
  "encap.seg6.encap": () =>
    routeRequest("add", {
      dst: "2001:db8:10::/64",
      encap: { type: "seg6", mode: "encap", segments: ["fc00::1", "fc00::2"] },
    }, { oif: p0 }),
  "encap.seg6.inline": () =>
    routeRequest("add", { dst: "2001:db8:11::/64", encap: { type: "seg6", mode: "inline", segments: ["fc00::1"] } }, {
      oif: p0,
    }),
  "encap.seg6.hmac": () =>
    routeRequest("add", {
      dst: "2001:db8:12::/64",
      encap: { type: "seg6", mode: "encap", segments: ["fc00::1", "fc00::2"], hmac: 7 },
    }, { oif: p0 }),
  "encap.seg6.l2encap": () =>
    routeRequest("add", { dst: "2001:db8:13::/64", encap: { type: "seg6", mode: "l2encap", segments: ["fc00::3"] } }, {
      oif: p0,
    }),
  "encap.seg6.red": () =>
    routeRequest("add", {
      dst: "2001:db8:14::/64",
      encap: { type: "seg6", mode: "encap.red", segments: ["fc00::4"] },
    }, { oif: p0 }),
  "encap.seg6.v4": () =>
    routeRequest("add", { dst: "10.22.0.0/24", encap: { type: "seg6", mode: "encap", segments: ["fc00::1"] } }, {
      oif: p0,
    }),
  // seg6local actions.
  "encap.seg6local.end": () =>
    routeRequest("add", { dst: "fc00::a/128", encap: { type: "seg6local", action: "End" } }, { oif: p0 }),
  "encap.seg6local.endx": () =>
    routeRequest("add", { dst: "fc00::b/128", encap: { type: "seg6local", action: "End.X", nh6: "2001:db8::2" } }, {
      oif: p0,
    }),
  "encap.seg6local.endt": () =>
    routeRequest("add", { dst: "fc00::c/128", encap: { type: "seg6local", action: "End.T", table: 100 } }, {
      oif: p0,
    }),
  "encap.seg6local.dx2": () =>
    routeRequest("add", { dst: "fc00::d/128", encap: { type: "seg6local", action: "End.DX2", oif: "p1" } }, {
      oif: p0,
      encap: { oif: p1 },
    }),
  "encap.seg6local.dx4": () =>
    routeRequest("add", { dst: "fc00::e/128", encap: { type: "seg6local", action: "End.DX4", nh4: "10.0.0.2" } }, {
      oif: p0,
    }),
  "encap.seg6local.dx6": () =>
    routeRequest("add", { dst: "fc00::f/128", encap: { type: "seg6local", action: "End.DX6", nh6: "2001:db8::2" } }, {
      oif: p0,
    }),
  "encap.seg6local.dt4": () =>
    routeRequest("add", { dst: "fc00::10/128", encap: { type: "seg6local", action: "End.DT4", vrftable: 100 } }, {
      oif: p0,
    }),
  "encap.seg6local.dt6": () =>
    routeRequest("add", { dst: "fc00::11/128", encap: { type: "seg6local", action: "End.DT6", table: 100 } }, {
      oif: p0,
    }),
  "encap.seg6local.dt46": () =>
    routeRequest("add", { dst: "fc00::12/128", encap: { type: "seg6local", action: "End.DT46", vrftable: 100 } }, {
      oif: p0,
    }),
  "encap.seg6local.b6": () =>
    routeRequest("add", {
      dst: "fc00::13/128",
      encap: { type: "seg6local", action: "End.B6", srh: { segments: ["fc00::1", "fc00::2"] } },
    }, { oif: p0 }),
  "encap.seg6local.b6encaps": () =>
    routeRequest("add", {
      dst: "fc00::14/128",
      encap: { type: "seg6local", action: "End.B6.Encaps", srh: { segments: ["fc00::1", "fc00::2"], hmac: 5 } },
    }, { oif: p0 }),
  "encap.seg6local.count": () =>
    routeRequest("add", { dst: "fc00::15/128", encap: { type: "seg6local", action: "End", counters: true } }, {
      oif: p0,
    }),
  "encap.seg6local.flavors": () =>
    routeRequest("add", {
      dst: "fc00::16/128",
      encap: {
        type: "seg6local",
        action: "End",
        flavors: { operations: ["next-csid"], lcblockBits: 32, lcnodeFnBits: 16 },
      },
    }, { oif: p0 }),
  "encap.seg6local.psp": () =>
    routeRequest("add", {
      dst: "fc00::17/128",
      encap: { type: "seg6local", action: "End", flavors: { operations: ["psp"] } },
    }, { oif: p0 }),
  "encap.seg6local.iif": () =>
    routeRequest("add", {
      dst: "fc00::18/128",
      encap: { type: "seg6local", action: "End.DX6", nh6: "2001:db8::2", iif: p1, oif: p0 },
    }, { oif: p0 }),
  // MPLS label routes.
  "mpls.add.swap": () =>
    routeRequest("add", { family: "mpls", dst: "100", newdst: "200/300", gateway: "10.0.0.2" }, { oif: p0 }),
  "mpls.add.pop": () => routeRequest("add", { family: "mpls", dst: "101" }, { oif: p0 }),
  "mpls.add.v6": () =>
    routeRequest("add", { family: "mpls", dst: "102", via: { family: "inet6", address: "2001:db8::2" } }, {
      oif: p0,
    }),
  "mpls.add.multipath": () =>
    routeRequest("add", {
      family: "mpls",
      dst: "103",
      multipath: [
        { newdst: "200", gateway: "10.0.0.2", dev: p0 },
        { newdst: "300", via: { family: "inet", address: "10.0.0.3" }, dev: p0 },
      ],
    }, { paths: [p0, p0] }),
  "mpls.del": () => routeRequest("del", { family: "mpls", dst: "100" }, { oif: p0 }),
  "mpls.dump": () => routeDumpRequest({ family: "mpls", table: "main" }),
  // Nexthop objects.
  "nh.add.gw": () => nexthopRequest("add", { id: 1, gateway: "10.0.0.2", dev: p0 }),
  "nh.add.v6.onlink": () => nexthopRequest("add", { id: 2, gateway: "2001:db8::2", dev: p0, onlink: true }),
  "nh.add.dev": () => nexthopRequest("add", { id: 3, dev: p0 }),
  "nh.add.bare": () => nexthopRequest("add", { id: 9 }),
  "nh.add.bare.v6": () => nexthopRequest("add", { id: 9, family: "inet6" }),
  "nh.add.blackhole": () => nexthopRequest("add", { id: 4, blackhole: true }),
  "nh.add.blackhole.v6": () => nexthopRequest("add", { id: 5, blackhole: true, family: "inet6" }),
  "nh.add.encap": () =>
    nexthopRequest("add", { id: 6, encap: { type: "mpls", labels: [100, 200] }, gateway: "10.0.0.2", dev: p0 }),
  "nh.add.fdb": () => nexthopRequest("add", { id: 7, gateway: "10.0.0.2", fdb: true }),
  "nh.add.proto": () => nexthopRequest("add", { id: 8, gateway: "10.0.0.2", dev: p0, protocol: "static" }),
  "nh.add.group": () => nexthopRequest("add", { id: 10, group: [{ id: 1 }, { id: 3, weight: 2 }] }),
  "nh.add.group.mpath": () =>
    nexthopRequest("add", { id: 11, group: [{ id: 1, weight: 5 }, { id: 3 }], type: "mpath" }),
  "nh.add.group.resilient": () =>
    nexthopRequest("add", {
      id: 12,
      group: [{ id: 1 }, { id: 3 }],
      type: "resilient",
      buckets: 8,
      idleTimer: 60,
      unbalancedTimer: 120,
    }),
  "nh.add.group.resilient.bare": () =>
    nexthopRequest("add", { id: 13, group: [{ id: 1 }, { id: 3 }], type: "resilient" }),
  "nh.add.group.fdb": () => nexthopRequest("add", { id: 14, group: [{ id: 7 }], fdb: true }),
  "nh.replace": () => nexthopRequest("replace", { id: 1, gateway: "10.0.0.3", dev: p0 }),
  "nh.del": () => nexthopDelRequest(10),
  "nh.get": () => nexthopGetRequest(1),
  "nh.dump": () => nexthopDumpRequest({}),
  "nh.dump.dev": () => nexthopDumpRequest({ oif: p0 }),
  "nh.dump.groups": () => nexthopDumpRequest({ groups: true }),
  "nh.dump.fdb": () => nexthopDumpRequest({ fdb: true }),
  "nh.dump.master": () => nexthopDumpRequest({ master: br0 }),
  "nh.dump.v6": () => nexthopDumpRequest({ family: "inet6" }),
  "nh.bucket.dump": () => nexthopBucketDumpRequest({}),
  "nh.bucket.dump.id": () => nexthopBucketDumpRequest({ id: 12 }),
  "nh.bucket.dump.nhid": () => nexthopBucketDumpRequest({ oif: p0, nhid: 1 }),
  "nh.bucket.get": () => nexthopBucketGetRequest(12, 3),
  "route.add.nhid": () => routeRequest("add", { dst: "10.24.0.0/24", nhid: 1 }),
  "route.add.nhid.v6": () => routeRequest("add", { dst: "2001:db8:20::/64", nhid: 2, metric: 10 }),
  // route get.
  "get.v4": () => routeGetRequest({ dst: "10.0.0.5" }),
  "get.v6": () => routeGetRequest({ dst: "2001:db8::5" }),
  "get.from.iif": () => routeGetRequest({ dst: "10.0.0.5", from: "10.0.0.9", iif: p0 }),
  "get.oif.mark.uid": () => routeGetRequest({ dst: "10.0.0.5", oif: "p0", mark: 5, uid: 1000 }, { oif: p0 }),
  "get.ports": () => routeGetRequest({ dst: "10.0.0.5", ipproto: "udp", sport: 1000, dport: 53 }),
  "get.fibmatch": () => routeGetRequest({ dst: "10.0.0.5", fibmatch: true }),
  "get.tos": () => routeGetRequest({ dst: "10.0.0.5", tos: 0x10, from: "10.0.0.1" }),
  "get.v6.full": () =>
    routeGetRequest({ dst: "2001:db8::5", from: "2001:db8::1", oif: p0, ipproto: "tcp", dport: 443, fibmatch: true }),
  "get.mpls": () => routeGetRequest({ dst: "100", family: "mpls" }),
  "get.order.from.first": () => routeGetRequest({ from: "10.0.0.1", dst: "10.0.0.5", oif: p0 }),
  "get.order.ports": () => routeGetRequest({ dst: "10.0.0.5", sport: 90, dport: 80, ipproto: "udp", mark: 7 }),
  "get.order.as": () => routeGetRequest({ dst: "10.0.0.5", newdst: "10.0.0.9", uid: 4, from: "10.0.0.1" }),
  // Flushes: the dump request each starts with.
  "flush.dev": () => routeFlushRequest({ dev: "p0" }, p0),
  "flush.table": () => routeFlushRequest({ table: 100 }),
  "flush.v6.proto": () => routeFlushRequest({ family: "inet6", protocol: "static" }),
  "flush.all": () => routeFlushRequest({ table: "all", type: "blackhole" }),
  "addr.flush.dev": () => addressDumpRequest({ index: p0 }),
  "addr.flush.v6": () => addressDumpRequest({ family: "inet6", index: p0 }),
  // Address flags in iproute2's words.
  "addr.add.words": () =>
    addressRequest("add", p0, { dev: p0, address: "2001:db8:2::1/64", flags: ["home", "mngtmpaddr"] }),
  "addr.add.autojoin": () => addressRequest("add", p0, { dev: p0, address: "239.1.1.1/32", flags: ["autojoin"] }),
};

goldenTests("iproute2", data, OURS, zeroPadding);

// ---------------------------------------------------------------- decoding

Deno.test("decode: encapsulations come back typed (ENCAP before ENCAP_TYPE, as the kernel sends them)", () => {
  const route = (encap: EncapOptions, dst = "2001:db8:10::/64") =>
    decodeRoute(asMessage(routeRequest("add", { dst, encap }, { oif: 3 })));
  const mpls = route({ type: "mpls", labels: [100, 200], ttl: 10 }, "10.20.0.0/24");
  assertEquals([mpls.encapType, mpls.encap], ["mpls", { type: "mpls", labels: [100, 200], ttl: 10 }]);
  assertEquals(route({ type: "seg6", mode: "inline", segments: ["fc00::1", "fc00::2"], hmac: 7 }).encap, {
    type: "seg6",
    mode: "inline",
    segments: ["fc00::1", "fc00::2"],
    hmac: 7,
  });
  assertEquals(route({ type: "seg6", mode: "l2encap.red", segments: ["fc00::1"] }).encap, {
    type: "seg6",
    mode: "l2encap.red",
    segments: ["fc00::1"],
  });
  assertEquals(
    route({
      type: "seg6local",
      action: "End.B6",
      table: "main",
      nh6: "2001:db8::2",
      iif: 5,
      srh: { segments: ["fc00::1", "fc00::2"] },
      counters: true,
      flavors: { operations: ["psp", "next-csid"], lcblockBits: 32 },
    }).encap,
    {
      type: "seg6local",
      action: "End.B6",
      table: 254,
      nh6: "2001:db8::2",
      iif: 5,
      counters: { packets: 0n, bytes: 0n, errors: 0n },
      flavors: { operations: ["psp", "next-csid"], lcblockBits: 32 },
      srh: { segments: ["fc00::1", "fc00::2"] },
    },
  );
  const mp = decodeRoute(asMessage(routeRequest("add", {
    dst: "10.23.0.0/24",
    multipath: [{ gateway: "10.0.0.2", encap: { type: "mpls", labels: [7] } }, { gateway: "10.0.0.3" }],
  }, { paths: [3, 3] })));
  assertEquals(mp.multipath?.map((p) => p.encap), [{ type: "mpls", labels: [7] }, undefined]);
  assertEquals(typedEncap("bpf", new Uint8Array([4, 0, 1, 0])), { type: "bpf", data: new Uint8Array([4, 0, 1, 0]) });
  assertEquals(typedEncap(5, new Uint8Array(0)), { type: "seg6", mode: 0, segments: [] });
});

Deno.test("decode: MPLS label routes, nexthop objects and buckets", () => {
  const swap = decodeRoute(asMessage(routeRequest("add", {
    family: "mpls",
    dst: "100",
    newdst: "200/300",
    gateway: "10.0.0.2",
  }, { oif: 3 })));
  assertEquals([swap.family, swap.dst, swap.dstLen, swap.newdst, swap.via, swap.oif], [
    "mpls",
    "100",
    20,
    "200/300",
    { family: "inet", address: "10.0.0.2" },
    3,
  ]);
  const group = decodeNexthop(asMessage(nexthopRequest("add", {
    id: 12,
    group: [{ id: 1 }, { id: 3, weight: 300 }],
    type: "resilient",
    buckets: 8,
    idleTimer: 60,
    unbalancedTimer: 1.5,
  })));
  assertEquals(
    [group.id, group.family, group.group, group.groupType, group.resilient],
    [12, "unspec", [{ id: 1, weight: 1 }, { id: 3, weight: 300 }], "resilient", {
      buckets: 8,
      idleTimer: 60,
      unbalancedTimer: 1.5,
    }],
  );
  const nh = decodeNexthop(asMessage(nexthopRequest("add", {
    id: 6,
    encap: { type: "mpls", labels: [100] },
    gateway: "2001:db8::2",
    dev: 3,
    onlink: true,
  })));
  assertEquals([nh.family, nh.flags, nh.encap, nh.gateway, nh.oif], [
    "inet6",
    ["onlink"],
    { type: "mpls", labels: [100] },
    "2001:db8::2",
    3,
  ]);
  assertEquals(decodeNexthopBucket(asMessage(nexthopBucketGetRequest(12, 3))), {
    family: "unspec",
    flags: [],
    id: 12,
    index: 3,
    idleTime: 0n,
    nhId: 0,
  });
});

Deno.test("bad input is refused naming the field, before anything is sent", () => {
  const refused = (f: () => unknown, field: string) =>
    assertThrows(f, (e: unknown) => e instanceof ValidationError && e.field.endsWith(field));
  const r = (o: Partial<RouteOptions>) => () => routeRequest("add", { dst: "2001:db8::/64", ...o });
  refused(r({ encap: { type: "gre" } as unknown as EncapOptions }), "encap.type");
  refused(r({ encap: { type: "mpls", labels: [1 << 20] } }), "encap.labels");
  refused(r({ encap: { type: "mpls", labels: [] } }), "encap.labels");
  refused(r({ encap: { type: "seg6", mode: "encap", segments: ["10.0.0.1"] } }), "segments[0]");
  refused(r({ encap: { type: "seg6", mode: "encap", segments: [] } }), "encap.segments");
  refused(r({ encap: { type: "seg6", mode: "up" as "encap", segments: ["fc00::1"] } }), "mode");
  refused(r({ encap: { type: "seg6", mode: "encap", segments: ["fc00::1"], hmac: 0 } }), "hmac");
  refused(r({ encap: { type: "seg6local", action: "End.Q" as "End" } }), "action");
  refused(r({ encap: { type: "seg6local", action: "End.T", table: -1 } }), "encap.table");
  refused(r({ encap: { type: "seg6local", action: "End.DX4", nh4: "fc00::1" } }), "nh4");
  refused(
    r({ encap: { type: "seg6local", action: "End", flavors: { operations: ["fast" as "psp"] } } }),
    "operations",
  );
  refused(() => nexthopRequest("add", { id: 1, group: [] }), "group");
  refused(() => nexthopRequest("add", { id: 1, group: [{ id: 2 }], idleTimer: 5 }), "type");
  refused(() => nexthopRequest("add", { id: 1, group: [{ id: 2 }], type: "resilient", idleTimer: -1 }), "idleTimer");
  refused(() => nexthopRequest("add", { id: 2 ** 32, blackhole: true }), "id");
  refused(() => nexthopDelRequest(0), "id");
  refused(() => routeGetRequest({ dst: "10.0.0.0/24" }), "dst");
  refused(() => routeGetRequest({ dst: "10.0.0.1", ipproto: "carrier-pigeon" }), "ipproto");
  refused(() => routeGetRequest({ dst: "10.0.0.1", sport: 70000 }), "sport");
  refused(() => routeFlushRequest({ table: "nosuch" as "main" }), "table");
  refused(() => addressRequest("add", 3, { dev: 3, address: "10.0.0.1/24", flags: ["homer" as "home"] }), "flags");
});
