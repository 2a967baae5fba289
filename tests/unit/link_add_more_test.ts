/**
 * Golden tests for the create options beyond a kind's own: interface flags
 * at creation, alias, device group, master/nomaster, broadcast, link mode,
 * operational state, protodown, GSO/GRO limits, address generation, trailers
 * and the parent device (created and changed), a veth peer's own words, links the kernel names, `replace`, and `ip link set …
 * numtxqueues`, against iproute2 6.1's bytes (tests/fixtures/link_add_more.json,
 * captured by tests/fixtures/captures/link_add_more.ts); and the options'
 * validation.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import type { AddLinkOptions, NewLinkOptions } from "../../src/route/link.ts";
import { checkAddLink, linkAddRequest, linkDevs, linkPropRequest, linkSetRequest } from "../../src/route/link.ts";
import { linkFlags } from "../../src/route/kinds/link_common.ts";
import { goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("link_add_more");
const { p0, br0 } = data.indexes;
/** Names resolved as addLink resolves them before building. */
const devs = { master: br0, "peer.master": br0 };

const add = (o: NewLinkOptions) => () => linkAddRequest(o, undefined, undefined, devs);

/** Our request for each fixture, built with the equivalent options. */
const OURS: Record<string, () => Uint8Array> = {
  "flags": add({
    kind: "veth",
    name: "a0",
    broadcast: "ff:ff:ff:ff:ff:fe",
    alias: "hello",
    deviceGroup: 5,
    up: true,
    noarp: true,
  }),
  "flags.off": add({
    kind: "veth",
    name: "a0",
    multicast: false,
    promisc: true,
    allmulticast: true,
    noarp: false,
    up: false,
  }),
  "master": add({ kind: "veth", name: "a0", master: "br0", peer: { name: "a1", nomaster: true } }),
  "peer.words": add({
    kind: "veth",
    name: "a0",
    peer: {
      name: "a1",
      txqlen: 10,
      address: "02:00:00:00:00:aa",
      mtu: 1400,
      master: "br0",
      alias: "the-peer",
      deviceGroup: 3,
      up: true,
      promisc: true,
    },
  }),
  "veth.nopeer": add({ kind: "veth", name: "a0" }),
  "veth.peer-unnamed": add({ kind: "veth", name: "a0", peer: { mtu: 1300 } }),
  "unnamed": add({ kind: "veth" }),
  "unnamed.bridge": add({ kind: "bridge" }),
  "replace": () => linkAddRequest({ kind: "veth", name: "a0", peer: { name: "a1" } }, undefined, undefined, {}, true),
  "set.queues": () => linkSetRequest(p0, { numTxQueues: 2, numRxQueues: 3 }),
  "set.modes": () =>
    linkSetRequest(p0, {
      linkmode: "dormant",
      operstate: "UP",
      protoDown: true,
      protoDownReason: { reason: 3, on: true },
      noTrailers: true,
    }),
  "set.offload": () =>
    linkSetRequest(p0, { gsoMaxSize: 32000, gsoMaxSegs: 100, groMaxSize: 30000, addrgenmode: "random" }),
  "set.parentdev": () => linkSetRequest(p0, { parentDev: "wwan0" }),
  "modes": add({
    kind: "veth",
    name: "a0",
    linkmode: "dormant",
    operstate: "DOWN",
    protoDown: false,
    protoDownReason: { reason: 2, on: false },
  }),
  "offload": add({
    kind: "veth",
    name: "a0",
    gsoMaxSegs: 10,
    addrgenmode: "none",
    noTrailers: false,
    parentDev: "wwan0",
  }),
};

goldenTests("link add (more)", data, OURS);

Deno.test("linkDevs: a veth peer's master is resolved too", () => {
  assertEquals(linkDevs({ kind: "veth", name: "a0", master: "br0", peer: { name: "a1", master: "br1" } }), [
    ["master", "br0"],
    ["peer.master", "br1"],
  ]);
});

Deno.test("linkFlags: each option given sets its bit in change, and in flags when true", () => {
  assertEquals(linkFlags({}, ""), { flags: 0, change: 0 });
  assertEquals(linkFlags({ up: false, dynamic: true }, ""), { flags: 0x8000, change: 0x8001 });
});

Deno.test("addLink options: bad flags, master with nomaster, bad peer words throw ValidationError naming the field", () => {
  const cases: [AddLinkOptions, string][] = [
    [{ kind: "veth", name: "a0", promisc: 1 as unknown as boolean }, "promisc"],
    [{ kind: "veth", name: "a0", master: 4, nomaster: true }, "nomaster"],
    [{ kind: "veth", name: "a0", peer: { name: "a1", up: "yes" as unknown as boolean } }, "peer.up"],
    [{ kind: "veth", name: "a0", peer: { name: "a1", index: 0 } }, "peer.index"],
    [{ kind: "veth", name: "a0", peer: { name: "a1", master: 4, nomaster: true } }, "peer.nomaster"],
    [{ kind: "veth", name: "a/0" }, "name"],
  ];
  for (const [options, field] of cases) {
    throws(() => checkAddLink(options), (e: unknown) => e instanceof ValidationError && e.field === field);
  }
});

Deno.test("linkPropRequest: alternative names may hold ':' and '.' (the kernel takes them), not '/' or blanks", () => {
  linkPropRequest("add", 2, ["x:y", "."]);
  throws(() => linkPropRequest("add", 2, ["a/b"]), ValidationError);
  throws(() => linkPropRequest("add", 2, ["a b"]), ValidationError);
});
