/**
 * Multicast forwarding entries (RTNL_FAMILY_IPMR routes): the dump request
 * against iproute2's `ip mroute show` capture, the decoding of notifications a
 * kernel sent (captured from an RTNLGRP_IPV4_MROUTE socket), and how
 * `ip mroute` / `ip monitor mroute` print them.
 */
import { deepStrictEqual as assertEquals, equal as assertEqual } from "node:assert/strict";
import { printMroute } from "../../cli/ip/mroute_print.ts";
import { Printer } from "../../cli/common/output.ts";
import { decodeRoute, routeDumpRequest } from "../../src/route/route.ts";
import { RTNL_FAMILY } from "../../src/route/route_attrs.ts";
import { asMessage } from "../_lib/golden.ts";

const bytes = (hex: string) => new Uint8Array(hex.match(/../g)!.map((x) => parseInt(x, 16)));
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
/** nlmsg_seq zeroed, as nlcapture prints requests. */
const unsequenced = (b: Uint8Array) => (b.fill(0, 8, 12), hex(b));

/** RTM_DELROUTE for (10.60.0.1, 239.1.2.3): iif 2, oifs 3 (ttl 3) and 4, 5 packets, 640 bytes, 2 wrong iif, age 79. */
const DELETED = "7800000019000000000000000000000080202000fd1100050000000008000f00fd000000080002000a3c000108000100" +
  "ef010203080003000200000014000900080000030300000008000001040000001c00110005000000000000008002000000000000" +
  "02000000000000000c0017004f00000000000000";
/** RTM_NEWROUTE for the unresolved (10.60.0.1, 239.9.9.9): flags RTNH_F_UNRESOLVED, no iif, no oifs. */
const UNRESOLVED = "3400000018000000000000000000000080202000fd1100052000000008000f00fd000000080002000a3c00010800" +
  "0100ef090909";

const links = { name: (i: number) => (["*", "lo", "a1", "b1", "c1"][i] ?? `if${i}`) };

Deno.test("mroute: the dump request is iproute2's (ip mroute show, ip -6 mroute show)", () => {
  assertEqual(RTNL_FAMILY.IPMR, 128);
  assertEqual(
    unsequenced(routeDumpRequest({ family: "ipmr", table: "default" })),
    "240000001a000103000000000000000080000000000000000000000008000f00fd000000",
  );
  assertEqual(
    unsequenced(routeDumpRequest({ family: "ip6mr" })),
    "1c0000001a0001030000000000000000810000000000000000000000",
  );
});

Deno.test("mroute: a kernel's notifications decode completely", () => {
  const r = decodeRoute(asMessage(bytes(DELETED)));
  assertEquals(
    { ...r },
    {
      family: 128,
      dstLen: 32,
      srcLen: 32,
      tos: 0,
      table: 253,
      protocol: "mrouted",
      scope: "global",
      type: "multicast",
      flags: [],
      src: "10.60.0.1",
      dst: "239.1.2.3",
      iif: 2,
      multipath: [{ flags: [], hops: 3, ifindex: 3 }, { flags: [], hops: 1, ifindex: 4 }],
      mfcStats: { packets: 5n, bytes: 640n, wrongIf: 2n },
      expires: 79n,
    },
  );
  const u = decodeRoute(asMessage(bytes(UNRESOLVED)));
  assertEquals([u.flags, u.iif, u.multipath, u.dst], [["unresolved"], undefined, undefined, "239.9.9.9"]);
});

Deno.test("mroute: printed as iproute2's print_mroute prints it", () => {
  const print = (hexMsg: string, json: boolean, stats: number, deleted = false, tb = 0) => {
    const p = new Printer({ json, pretty: false });
    printMroute(p, decodeRoute(asMessage(bytes(hexMsg))), deleted, { tb, iif: 0, af: 0 }, links, {
      stats,
      details: 0,
      numeric: false,
    });
    return p.text();
  };
  assertEqual(
    print(DELETED, false, 1, true),
    "Deleted (10.60.0.1,239.1.2.3)            Iif: a1         Oifs: b1(ttl 3) c1  State: resolved\n" +
      "  5 packets, 640 bytes, 2 arrived on wrong iif., Age 0.79 Table: default\n",
  );
  assertEqual(
    print(DELETED, false, 0, false, 253),
    "(10.60.0.1,239.1.2.3)            Iif: a1         Oifs: b1(ttl 3) c1  State: resolved\n",
  );
  assertEqual(
    print(DELETED, true, 1),
    '{"src":"10.60.0.1","dst":"239.1.2.3","iif":"a1","multipath":[{"oif":"b1","ttl":3},{"oif":"c1"}],' +
      '"state":"resolved","packets":5,"bytes":640,"wrong_if":2,"expires":0.79,"table":"default"}',
  );
  assertEqual(
    print(UNRESOLVED, false, 0),
    "(10.60.0.1,239.9.9.9)            Iif: unresolved  State: unresolved Table: default\n",
  );
});
