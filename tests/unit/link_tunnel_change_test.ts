/**
 * Tunnel changes over the current settings (KindCodec.current): the kernel
 * resets every tunnel setting a change leaves out, so `setLink` reads the
 * link and sends the change with the rest, as iproute2's link_gre.c,
 * link_gre6.c, link_iptnl.c, link_ip6tnl.c and link_vti.c do.
 *
 * Round trips: the settings a tunnel was made with, read back as the kernel
 * reports them, then changed with nothing, give the request data of the
 * creation again; changed with one option, that of the creation with it.
 */
import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import type { MessageView } from "../../src/core/message.ts";
import { overCurrent } from "../../src/route/kinds/common.ts";
import { changesOverCurrent, checkSetLink, decodeLink, linkAddRequest, linkSetRequest } from "../../src/route/link.ts";
import { linkKindCodec } from "../../src/route/link_kinds.ts";
import type { AddLinkOptions, LinkTypeChange } from "../../src/route/link_types.ts";

function viewOf(bytes: Uint8Array): MessageView {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { bytes, view: v, offset: 0, length: bytes.length, type: 16, flags: 0, seq: 0, pid: 0 };
}

/** The decoded IFLA_INFO_DATA of a request. */
function dataOf(request: Uint8Array): Record<string, unknown> {
  return decodeLink(viewOf(request)).linkinfo?.data as Record<string, unknown>;
}

/** The data a change of `kind` sends over `current` (what setLink builds after reading the link). */
function changeData(kind: string, current: Record<string, unknown>, change: Record<string, unknown>) {
  const type = { kind, ...overCurrent(linkKindCodec(kind)!, current, change) } as unknown as LinkTypeChange;
  return dataOf(linkSetRequest(7, { type }));
}

const MADE: [string, AddLinkOptions, Record<string, unknown>, Partial<AddLinkOptions>][] = [
  [
    "gre with keys, sequence numbers and a device",
    { kind: "gre", name: "g", local: "192.0.2.1", remote: "192.0.2.2", key: 5, oseq: true, ttl: 64, tos: 16, dev: 3 },
    { ttl: 32 },
    { ttl: 32 },
  ],
  [
    "gre: one key given alone keeps the other",
    { kind: "gre", name: "g", remote: "192.0.2.2", ikey: 1, okey: 2, csum: true },
    { ikey: 9 },
    { ikey: 9 },
  ],
  [
    "gre: key covers both keys, csum both checksums",
    { kind: "gre", name: "g", remote: "192.0.2.2", ikey: 1, okey: 2, icsum: true },
    { key: 4, csum: false },
    { ikey: undefined, okey: undefined, icsum: undefined, key: 4, csum: false },
  ],
  [
    "gre: nokey, remote any",
    { kind: "gre", name: "g", local: "192.0.2.1", remote: "192.0.2.2", key: 5 },
    { key: false, remote: "any" },
    { key: undefined, remote: undefined },
  ],
  [
    "gretap with FOU encapsulation and ignore-df",
    {
      kind: "gretap",
      name: "g",
      remote: "192.0.2.2",
      encap: "fou",
      encapDport: 5555,
      encapCsum: true,
      ignoreDf: true,
      pmtudisc: false,
    },
    { encapSport: 4000 },
    { encapSport: 4000 },
  ],
  [
    "ip6gre with flow label, traffic class and no encapsulation limit",
    {
      kind: "ip6gre",
      name: "g6",
      local: "2001:db8::1",
      remote: "2001:db8::2",
      ttl: 32,
      key: 3,
      encaplimit: "none",
      flowlabel: 0x12345,
      tclass: 8,
    },
    { remote: "2001:db8::9" },
    { remote: "2001:db8::9" },
  ],
  [
    "ip6gretap inheriting its hop limit, traffic class and fwmark",
    { kind: "ip6gretap", name: "g6", remote: "2001:db8::2", ttl: "inherit", tclass: "inherit", fwmark: "inherit" },
    { dscpInherit: true },
    { dscpInherit: true },
  ],
  [
    "ipip",
    { kind: "ipip", name: "t", mode: "ipip", local: "192.0.2.1", remote: "192.0.2.2", ttl: 64, fwmark: 9 },
    { local: "192.0.2.7" },
    { local: "192.0.2.7" },
  ],
  [
    "sit with 6rd",
    {
      kind: "sit",
      name: "s",
      mode: "ip6ip",
      local: "192.0.2.1",
      ip6rdPrefix: "2001:db8::/32",
      ip6rdRelayPrefix: "192.0.2.0/24",
    },
    { ttl: 10 },
    { ttl: 10 },
  ],
  [
    "sit ISATAP",
    { kind: "sit", name: "s", local: "192.0.2.9", isatap: true },
    { isatap: false },
    { isatap: false },
  ],
  [
    "ip6tnl",
    { kind: "ip6tnl", name: "t6", mode: "ipip6", local: "2001:db8::1", remote: "2001:db8::2", encaplimit: 2 },
    { flowlabel: "inherit" },
    { flowlabel: "inherit" },
  ],
  [
    "vti with keys",
    { kind: "vti", name: "v", local: "192.0.2.1", remote: "192.0.2.2", ikey: 1, okey: 2, fwmark: 3 },
    { key: 8 },
    { ikey: undefined, okey: undefined, key: 8 },
  ],
  [
    "vti6",
    { kind: "vti6", name: "v6", local: "2001:db8::1", remote: "2001:db8::2", key: 5 },
    { okey: false },
    { okey: false },
  ],
];

for (const [what, made, change, after] of MADE) {
  const current = dataOf(linkAddRequest(made));
  Deno.test(`tunnel change over the current settings, nothing changed: ${what}`, () => {
    deepStrictEqual(changeData(made.kind, current, {}), current);
  });
  Deno.test(`tunnel change over the current settings, one change: ${what}`, () => {
    const want = Object.fromEntries(Object.entries({ ...made, ...after }).filter(([, v]) => v !== undefined));
    deepStrictEqual(changeData(made.kind, current, change), dataOf(linkAddRequest(want as AddLinkOptions)));
  });
}

Deno.test("tunnel change: the kernel's report (every attribute, zeros included) gives iproute2's change", () => {
  // As the kernel reports a gre made with `remote 192.0.2.2 key 5`: no local (0.0.0.0), no device (0).
  const reported = {
    dev: 0,
    iflags: ["key"],
    oflags: ["key"],
    ikey: 5,
    okey: 5,
    local: "0.0.0.0",
    remote: "192.0.2.2",
    ttl: 0,
    tos: 0,
    pmtudisc: true,
    encapLimit: 0,
    flowinfo: 0,
    flags: [],
    encapType: "none",
    encapFlags: [],
    encapSport: 0,
    encapDport: 0,
    ignoreDf: false,
    fwmark: 0,
  };
  // `ip link set g type gre ttl 9` sends keys, flags, remote, pmtudisc, tos, ttl, fwmark and encapsulation.
  deepStrictEqual(
    changeData("gre", reported, { ttl: 9 }),
    dataOf(linkAddRequest({ kind: "gre", name: "g", remote: "192.0.2.2", key: 5, ttl: 9 })),
  );
});

Deno.test("tunnel change: which kinds are read first", () => {
  for (const kind of ["gre", "gretap", "ip6gre", "ip6gretap", "ipip", "sit", "ip6tnl", "vti", "vti6"]) {
    equal(changesOverCurrent({ type: { kind, ttl: 5 } as LinkTypeChange }), true, kind);
    // The kind alone (`ip link set DEV type gre`): sent as it is, nothing read.
    equal(changesOverCurrent({ type: { kind } as LinkTypeChange }), false, kind);
  }
  for (const kind of ["bond", "vxlan", "bridge", "macvlan"]) {
    equal(changesOverCurrent({ type: { kind, ttl: 5 } as LinkTypeChange }), false, kind);
  }
  equal(changesOverCurrent({ mtu: 1400 }), false);
});

Deno.test("tunnel change: options are checked whole after the read, types before it", () => {
  // A multicast remote needs a local address, which the current settings may hold: not refused up front.
  checkSetLink({ type: { kind: "gre", remote: "239.1.1.1" } });
  throws(
    () => changeData("gre", {}, { remote: "239.1.1.1" }),
    (e: unknown) => e instanceof ValidationError && e.field === "local",
  );
  deepStrictEqual(changeData("gre", { local: "192.0.2.1" }, { remote: "239.1.1.1" }).remote, "239.1.1.1");
  throws(
    () => changeData("gre", {}, { local: "2001:db8::1" }),
    (e: unknown) => e instanceof ValidationError && e.field === "local",
  );
});
