/**
 * Generic netlink without a kernel: the controller's request equals what
 * iproute2's `genl ctrl get name nlctrl` sends, the controller's and
 * ethtool's replies (captured from a 6.18 kernel) decode to typed families
 * and link modes, and bad names are refused before anything is sent.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { MessageWriter } from "../../src/core/writer.ts";
import { checkFamilyName, decodeFamily, getFamilyRequest } from "../../src/genl/controller.ts";
import { ETHTOOL_MSG, LINKMODES_MESSAGE } from "../../src/genl/ethtool/attrs.ts";
import { decodeLinkModes, linkModesRequest } from "../../src/genl/ethtool/linkmodes.ts";
import { GENL, writeGenlRequest } from "../../src/genl/header.ts";
import { asMessage } from "../_lib/golden.ts";

const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("the controller requests are iproute2's (a family look-up of `ip mptcp` and the like, `genl ctrl get`)", () => {
  // As `ip mptcp` and the like resolve a family (no ack), and as `genl ctrl get name nlctrl` asks (ack).
  assertEquals(toHex(getFamilyRequest("nlctrl")), "20000000100001000000000000000000030000000b0002006e6c6374726c0000");
  assertEquals(
    toHex(getFamilyRequest("nlctrl", { ack: true })),
    "20000000100005000000000000000000030000000b0002006e6c6374726c0000",
  );
  // A dump of every family: no name, NLM_F_DUMP.
  assertEquals(toHex(getFamilyRequest()), "14000000100001030000000000000000" + "03000000");
});

Deno.test("the controller's reply decodes to a typed family", () => {
  const reply = fromHex(
    "880000001000000001000000f95e0000010200000b0002006e6c6374726c000006000100100000000800030002000000" +
      "080004000000000008000500000000002c000600140001000800010003000000080002000e00000014000200080001000a0000" +
      "00080002000c0000001c0007001800010008000200100000000b0001006e6f746966790000",
  );
  assertEquals(decodeFamily(asMessage(reply)), {
    name: "nlctrl",
    id: GENL.ID_CTRL,
    version: 2,
    hdrsize: 0,
    maxattr: 0,
    ops: [
      { id: 3, flags: ["cmd_cap_do", "cmd_cap_dump", "cmd_cap_haspol"] },
      { id: 10, flags: ["cmd_cap_dump", "cmd_cap_haspol"] },
    ],
    mcastGroups: [{ name: "notify", id: 16 }],
  });
});

Deno.test("the link-modes request names the device in a nested ethtool header", () => {
  // nlmsghdr (type 21, REQUEST), genlmsghdr (cmd 4, version 1), HEADER (NLA_F_NESTED) { DEV_NAME "p0" }.
  assertEquals(toHex(linkModesRequest(21, "p0")), "20000000150001000000000000000000040100000c0001800700020070300000");
  // … or its index: HEADER { DEV_INDEX 3 }.
  assertEquals(toHex(linkModesRequest(21, 3)), "20000000150001000000000000000000040100000c00018008000100" + "03000000");
});

Deno.test("a veth's link modes (a kernel reply) decode: 10000 Mb/s, full duplex, no autonegotiation", () => {
  const reply = fromHex(
    "580000001500000003000000f95e00000401000014000180080001000300000007000200703000000500020000000000" +
      "100003800800020079000000040003800800050010270000050006000100000005000a0000000000",
  );
  assertEquals(decodeLinkModes(asMessage(reply), 21), {
    ifindex: 3,
    ifname: "p0",
    autoneg: false,
    speed: 10000,
    duplex: "full",
    rateMatching: "none",
    supported: [],
    advertised: [],
    peer: [],
  });
  assertEquals(decodeLinkModes(asMessage(reply), 22), undefined); // another family's message
});

Deno.test("verbose bitsets give supported, advertised and partner modes; SPEED_UNKNOWN leaves speed out", () => {
  const w = new MessageWriter();
  writeGenlRequest(w, {
    familyId: 21,
    flags: 0,
    cmd: ETHTOOL_MSG.LINKMODES_GET_REPLY,
    version: 1,
    schema: LINKMODES_MESSAGE,
    attrs: {
      header: { ifindex: 7, ifname: "eth0" },
      autoneg: 1,
      ours: {
        size: 3,
        bits: { bit: [{ index: 0, name: "10baseT/Half" }, { index: 1, name: "10baseT/Full", value: true }] },
      },
      peer: { nomask: true, size: 3, bits: { bit: [{ index: 1, name: "10baseT/Full" }] } },
      speed: 0xffffffff,
      duplex: "unknown",
      lanes: 1,
      masterSlaveCfg: "master_preferred",
      masterSlaveState: "master",
    },
  });
  assertEquals(decodeLinkModes(asMessage(w.bytes()), 21), {
    ifindex: 7,
    ifname: "eth0",
    autoneg: true,
    duplex: "unknown",
    lanes: 1,
    masterSlaveCfg: "master_preferred",
    masterSlaveState: "master",
    supported: ["10baseT/Half", "10baseT/Full"],
    advertised: ["10baseT/Full"],
    peer: ["10baseT/Full"],
  });
});

Deno.test("bad family and device names are refused before anything is sent", () => {
  for (const bad of ["", "a-name-far-too-long", "nul\0"]) {
    throws(() => getFamilyRequest(bad), (e) => e instanceof ValidationError && e.field === "family", bad);
    throws(() => checkFamilyName(bad, "family"), ValidationError);
  }
  for (const bad of ["", "has space", "a/b", 0, -1, 1.5] as (string | number)[]) {
    throws(() => linkModesRequest(21, bad), (e) => e instanceof ValidationError && e.field === "dev", String(bad));
  }
});
