/**
 * The MPTCP path manager without a kernel: requests equal what iproute2's
 * `ip mptcp` sends (captured with nlcapture on a 6.18 kernel, where the
 * `mptcp_pm` family had id 28 and p0 ifindex 3), impossible combinations are
 * refused before anything is sent, and the kernel's replies and events
 * (captured from the same kernel) decode to typed endpoints, limits and events.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { MPTCP_EVENT, MPTCP_PM_ADDR_FLAG } from "../../src/genl/mptcp/attrs.ts";
import {
  decodeMptcpEndpoint,
  decodeMptcpLimits,
  mptcpEndpointRequest,
  mptcpRequest,
} from "../../src/genl/mptcp/endpoints.ts";
import { decodeMptcpEvent } from "../../src/genl/mptcp/events.ts";
import { asMessage } from "../_lib/golden.ts";

const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const FAMILY = 28;

/** iproute2's requests: the command, then the bytes it sent (seq and pid zeroed). */
const GOLDEN: [string, () => Uint8Array, string][] = [
  [
    "ip mptcp endpoint add 10.0.0.1 dev p0 subflow",
    () => mptcpEndpointRequest(FAMILY, "add_addr", { flags: ["subflow"], ifindex: 3, address: "10.0.0.1" }),
    "380000001c00050000000000000000000101000024000180080006000200000008000700030000000600010002000000" +
    "080003000a000001",
  ],
  [
    "ip mptcp endpoint add 2001:db8::5 id 9 port 1000 signal backup",
    () =>
      mptcpEndpointRequest(FAMILY, "add_addr", {
        id: 9,
        flags: ["signal", "backup"],
        port: 1000,
        address: "2001:db8::5",
      }),
    "4c0000001c000500000000000000000001010000380001800500020009000000080006000500000006000500e8030000" +
    "060001000a0000001400040020010db8000000000000000000000005",
  ],
  [
    "ip mptcp endpoint show id 5",
    () => mptcpEndpointRequest(FAMILY, "get_addr", { id: 5 }),
    "200000001c0001000000000000000000030100000c0001800500020005000000",
  ],
  [
    "ip mptcp endpoint change id 5 backup",
    () => mptcpEndpointRequest(FAMILY, "set_flags", { id: 5, flags: ["backup"] }),
    "280000001c0005000000000000000000070100001400018005000200050000000800060004000000",
  ],
  [
    "ip mptcp endpoint del id 9",
    () => mptcpEndpointRequest(FAMILY, "del_addr", { id: 9 }),
    "200000001c0005000000000000000000020100000c0001800500020009000000",
  ],
  ["ip mptcp endpoint flush", () => mptcpRequest(FAMILY, "flush_addrs"), "140000001c000500000000000000000004010000"],
  [
    "ip mptcp limits set subflows 3 add_addr_accepted 4",
    () => mptcpRequest(FAMILY, "set_limits", { subflows: 3, addAddrAccepted: 4 }),
    "240000001c00050000000000000000000501000008000200040000000800030003000000",
  ],
  ["ip mptcp limits show", () => mptcpRequest(FAMILY, "get_limits"), "140000001c000100000000000000000006010000"],
  // The dump (`ip mptcp endpoint show`, captured with nlcapture --all): NLM_F_DUMP, no attributes.
  ["ip mptcp endpoint show (dump)", () => mptcpRequest(FAMILY, "get_addr"), "140000001c000103000000000000000003010000"],
];

for (const [command, build, hex] of GOLDEN) {
  Deno.test(`golden: ${command}`, () => assertEquals(toHex(build()), hex));
}

Deno.test("iproute2's rules are checked before anything is sent, naming the field", () => {
  const refused = (cmd: Parameters<typeof mptcpEndpointRequest>[1], f: object, field: string) =>
    throws(
      () => mptcpEndpointRequest(FAMILY, cmd, f),
      (e) => e instanceof ValidationError && e.field === field,
    );
  refused("add_addr", { flags: ["subflow"] }, "address");
  refused("add_addr", { address: "10.0.0.1", flags: ["signal", "fullmesh"] }, "flags");
  refused("add_addr", { address: "10.0.0.1", port: 80, flags: ["subflow"] }, "port");
  refused("add_addr", { address: "10.0.0.300" }, "address");
  refused("add_addr", { address: "10.0.0.1", id: 256 }, "id");
  refused("add_addr", { address: "10.0.0.1", flags: ["bogus"] }, "flags");
  refused("set_flags", { id: 1, flags: ["signal"] }, "flags");
  refused("set_flags", { id: 1, port: 80, flags: [] }, "port");
  refused("del_addr", {}, "id");
  refused("del_addr", { id: 3, address: "10.0.0.1" }, "address");
  refused("del_addr", { id: 0 }, "address");
  throws(() => mptcpRequest(FAMILY, "set_limits", { subflows: -1 }), ValidationError);
  // Endpoint id 0 is deleted by its address.
  assertEquals(mptcpEndpointRequest(FAMILY, "del_addr", { id: 0, address: "10.0.0.1" }).length, 48);
});

Deno.test("endpoints from a dump decode: address, id, flags, port and device", () => {
  const v4 = "480000001c00020002000000c3300000030100003400018006000100020000000600050000000000" +
    "050002000100000008000600020000000800070005000000080003000a000001";
  const v6 = "4c0000001c00020002000000c33000000301000038000180060001000a0000000600050000000000" +
    "0500020002000000080006000a0000001400040020010db8000000000000000000000001";
  assertEquals(decodeMptcpEndpoint(asMessage(fromHex(v4)), FAMILY), {
    id: 1,
    family: "inet",
    address: "10.0.0.1",
    flags: ["subflow"],
    ifindex: 5,
  });
  assertEquals(decodeMptcpEndpoint(asMessage(fromHex(v6)), FAMILY), {
    id: 2,
    family: "inet6",
    address: "2001:db8::1",
    flags: ["subflow", "fullmesh"],
  });
  // Another family's message is not an endpoint.
  assertEquals(decodeMptcpEndpoint(asMessage(fromHex(v4)), FAMILY + 1), undefined);
});

Deno.test("a port and flags the library does not name decode too", () => {
  const m = mptcpEndpointRequest(FAMILY, "add_addr", {
    id: 5,
    flags: MPTCP_PM_ADDR_FLAG.encode(["signal", "implicit"]) | 0x40,
    port: 1234,
    address: "10.0.0.2",
  });
  assertEquals(decodeMptcpEndpoint(asMessage(m), FAMILY), {
    id: 5,
    family: "inet",
    address: "10.0.0.2",
    port: 1234,
    flags: ["signal", "implicit", "0x40"],
  });
});

Deno.test("the limits reply decodes", () => {
  const reply = fromHex("240000001c00000003000000c33000000601000008000200000000000800030002000000");
  assertEquals(decodeMptcpLimits(asMessage(reply), FAMILY), { addAddrAccepted: 0, subflows: 2 });
});

Deno.test("events decode: connection, listener and closing events, typed by name", () => {
  const event = (h: string) => decodeMptcpEvent(asMessage(fromHex(h)), FAMILY);
  assertEquals(event("2c0000001c00000000000000000000000f01000006000200020000000600090015b30000080005007f000001"), {
    type: "listener_created",
    family: 2,
    sport: 5555,
    saddr4: "127.0.0.1",
  });
  assertEquals(
    event(
      "640000001c00000000000000000000000101000008000100cd3385ab050012000100000006000d0002000000" +
        "0600020002000000080005007f000001080007007f0000010600090015b3000006000a00807c0000050003000000" +
        "00000500040000000000",
    ),
    {
      type: "created",
      token: 0xab8533cd,
      serverSide: 1,
      flags: 2,
      family: 2,
      saddr4: "127.0.0.1",
      daddr4: "127.0.0.1",
      sport: 5555,
      dport: 32892,
      locId: 0,
      remId: 0,
    },
  );
  assertEquals(event("1c0000001c0000000000000000000000030100000800010066c8318c"), {
    type: "closed",
    token: 0x8c31c866,
  });
  assertEquals(MPTCP_EVENT.name(11), "sub_closed");
  assertEquals(MPTCP_EVENT.name(99), 99);
});
